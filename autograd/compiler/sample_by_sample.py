"""``compile(..., batch=...)`` without numpy: the float code run sample by sample.

numpy is an optional extra. Without it a batched compile still works and gives the same numbers
as the numpy code (to rounding): the recording is compiled to float code once, and each sample
runs through it. Arguments and results are plain lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .recording import Recording, with_sample
from .straight_line import Compiled, compile_recording

__all__ = ["SampleBySampleCompiled"]


def _added(total: Any, more: Any) -> Any:
    """``total + more`` for numbers or nested lists of them."""
    if isinstance(total, list):
        return [_added(a, b) for a, b in zip(total, more)]
    return total + more


class SampleBySampleCompiled:
    """Called like :class:`~autograd.compiler.batching.BatchCompiled`: ``(values, gradients)``,
    gradients of batched arguments per sample, of shared ones summed (unless ``per_sample``)."""

    def __init__(self, recording: Recording, batched_arguments: Sequence[int]) -> None:
        self.compiled: Compiled = compile_recording(recording)
        self.source = self.compiled.source
        self.shapes = recording.shapes
        self.batched_arguments = frozenset(batched_arguments)

    def __call__(self, *args: Any, per_sample: bool = False) -> tuple[list[float], tuple[Any, ...]]:
        if len(args) != len(self.shapes):
            raise TypeError(
                f"the compiled function takes {len(self.shapes)} arguments, got {len(args)}"
            )
        sizes = {len(args[i]) for i in self.batched_arguments}
        if len(sizes) != 1:
            raise ValueError(f"the batched arguments hold different numbers of samples: {sizes}")
        values: list[float] = []
        grads: list[Any] = [
            [] if i in self.batched_arguments or per_sample else None for i in range(len(args))
        ]
        for sample in range(sizes.pop()):
            one = [
                arg[sample] if i in self.batched_arguments else arg for i, arg in enumerate(args)
            ]
            try:
                value, gradients = self.compiled(*one)
            except (ArithmeticError, ValueError, RuntimeError) as error:
                raise with_sample(error, sample) from None
            values.append(value)
            for i, gradient in enumerate(gradients):
                if i in self.batched_arguments or per_sample:
                    grads[i].append(gradient)
                else:
                    grads[i] = gradient if grads[i] is None else _added(grads[i], gradient)
        return values, tuple(grads)
