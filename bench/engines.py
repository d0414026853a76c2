"""The adapter: the few names that differ between the engines, so a workload is written once.

A workload's loop body takes an :class:`Engine` and uses ``engine.Value`` and the model that
``engine.mlp(...)`` builds; everything else (operators, ``.relu()``, ``.backward()``, ``.data``,
``.grad``, ``model.parameters()``, ``model.zero_grad()``) is spelled the same in both engines.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

# NOTE: imported by the measuring processes (see bench/child.py), so no dataclasses or typing.


class Engine:
    """An engine's names: ``Value``, and ``mlp(nin, nouts)`` for micrograd's MLP (relu hidden
    layers, a linear last layer)."""

    def __init__(self, name: str, value: type, mlp: Callable[[int, list[int]], object]) -> None:
        self.name, self.Value, self.mlp = name, value, mlp


def stepgrad(*, fused: bool = True) -> Engine:
    """stepgrad's nn.MLP, fused (one ``dot`` node per neuron, the default) or not."""
    import autograd
    import nn

    def mlp(nin: int, nouts: list[int]) -> object:
        return nn.MLP(nin, nouts, activation="relu", seed=1, fused=fused)

    return Engine("stepgrad" if fused else "stepgrad unfused", autograd.Value, mlp)


def micrograd() -> Engine:
    """micrograd 0.1.0 (raises ImportError when it is not installed; `make bench` installs it)."""
    import micrograd.engine
    import micrograd.nn

    def mlp(nin: int, nouts: list[int]) -> object:
        random.seed(1)
        return micrograd.nn.MLP(nin, nouts)

    return Engine("micrograd", micrograd.engine.Value, mlp)


def same_weights(model, like: Sequence[float]):  # type: ignore[no-untyped-def]
    """Give ``model`` the parameters ``like`` (in ``parameters()`` order), so that every engine
    starts from the same network and computes the same losses."""
    parameters = model.parameters()
    if len(parameters) != len(like):
        raise ValueError(f"{len(parameters)} parameters, but {len(like)} numbers to give them")
    for parameter, number in zip(parameters, like):
        parameter.data = number
    return model
