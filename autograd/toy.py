"""The toy model of Prince, *Understanding Deep Learning*, chapter 7, with the values of its notebook 7.1.

Eight scalar parameters φ = {β0, ω0, β1, ω1, β2, ω2, β3, ω3} and a chain sin → exp → cos::

    f(x) = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x)))
    ℓ    = (f(x) - y)²

The chapter computes it as a forward pass through named intermediates

    f0 = β0 + ω0·x    h1 = sin(f0)    f1 = β1 + ω1·h1    h2 = exp(f1)
    f2 = β2 + ω2·h2   h3 = cos(f2)    f3 = β3 + ω3·h3    ℓ  = (f3 - y)²

and :func:`toy_model` builds exactly those nodes, with exactly those labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.value import Value

__all__ = ["TOY_PARAMETERS", "TOY_X", "TOY_Y", "ToyModel", "ToyParameters", "toy_model"]

TOY_PARAMETERS: dict[str, float] = {
    "β0": 1.0,
    "ω0": 0.1,
    "β1": 2.0,
    "ω1": -0.4,
    "β2": -3.0,
    "ω2": 2.0,
    "β3": 0.4,
    "ω3": 3.0,
}
"""Built-in parameter values (those of the book's companion notebook 7.1)."""

TOY_X, TOY_Y = 2.3, 2.0
"""The built-in training pair (x, y)."""


class ToyParameters(dict[str, Value]):
    """The toy model's parameters by name: ``model.parameters["ω0"]``, ``.values()``, ….

    Calling it, ``model.parameters()``, gives the list of Values, as an ``nn`` model's
    ``parameters()`` does, so code written for either works with both (a class that meets the
    toy model after ``nn`` need not remember which one is a dict).
    """

    def __call__(self) -> list[Value]:
        return list(self.values())


@dataclass
class ToyModel:
    """The toy model's graph: its leaves and its named intermediates, ``loss`` last."""

    x: Value
    y: Value
    parameters: ToyParameters
    intermediates: dict[str, Value]

    @property
    def loss(self) -> Value:
        return self.intermediates["ℓ"]


def toy_model(
    x: float | Value = TOY_X,
    y: float | Value = TOY_Y,
    parameters: dict[str, float | Value] | None = None,
) -> ToyModel:
    """Build the toy model's graph for one training pair (x, y).

    ``parameters`` maps "β0" … "ω3" to numbers or Values; any left out take
    :data:`TOY_PARAMETERS`. Numbers become leaves labelled with their names; Values are used as
    they are.
    """
    values = {**TOY_PARAMETERS, **(parameters or {})}
    unknown = set(values) - set(TOY_PARAMETERS)
    if unknown:
        raise KeyError(
            f"toy_model has no parameter(s) {sorted(unknown)}; "
            f"its parameters are {list(TOY_PARAMETERS)}"
        )
    p = ToyParameters({name: _leaf(number, name) for name, number in values.items()})
    x_node, y_node = _leaf(x, "x"), _leaf(y, "y")
    nodes: dict[str, Value] = {}

    def named(label: str, node: Value) -> Value:
        node.label = label
        nodes[label] = node
        return node

    f0 = named("f0", p["β0"] + p["ω0"] * x_node)
    h1 = named("h1", f0.sin())
    f1 = named("f1", p["β1"] + p["ω1"] * h1)
    h2 = named("h2", f1.exp())
    f2 = named("f2", p["β2"] + p["ω2"] * h2)
    h3 = named("h3", f2.cos())
    f3 = named("f3", p["β3"] + p["ω3"] * h3)
    named("ℓ", (f3 - y_node) ** 2)
    return ToyModel(x_node, y_node, p, nodes)


def _leaf(number: float | Value, label: str) -> Value:
    return number if isinstance(number, Value) else Value(number, label)
