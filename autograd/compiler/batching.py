"""Compile per sample, run per batch: one sample's graph, written for arrays.

The straight-line code of one sample's graph is the same code for every sample. Run on arrays
with one element per sample, it computes a whole batch at once. So a function is recorded once,
for one sample, and each statement of its code becomes an array statement: ``v1 = w * x`` with
``x`` holding every sample's x and ``w`` (a parameter, *shared* by all samples) one number. In the
backward pass, a shared node's gradient is the sum over the batch of each sample's gradient, so
where a per-sample gradient flows into a shared node the code sums over the batch (often as a
dot product: Σᵢ xᵢ·δᵢ).

With ``group=True`` (the default) :mod:`.grouping` finds the vectors first: a layer's dot nodes
become one matrix product forward (Z = W·X + b) and backward (∂W = δ·Xᵀ, ∂X = Wᵀ·δ), the same op
over a layer becomes one statement over a (k, batch) array, and n-ary nodes read their inputs as
one array. ``compiled.source`` shows that code with the scalar names in comments.

The code is written by :mod:`.array_code`. When any of its checks fails, the batch is run again
sample by sample through the interpreter: the error raised is the interpreter's, naming the op
and node, with the first offending sample added.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.value import Value
from .array_code import array_code
from .recording import Recording, Shape, flatten, unflatten, with_sample
from .straight_line import Refused

__all__ = ["BatchCompiled", "compile_batch"]

Array = Any


# ---- the compiled batch function ----------------------------------------------------------------


def _dims(shape: Shape) -> tuple[int, ...] | None:
    """numpy dimensions of one sample's argument (``()`` for a number), None if ragged."""
    if shape is None:
        return ()
    inner = {_dims(sub) for sub in shape}
    if len(inner) != 1 or None in inner:
        return None if shape else (0,)
    return (len(shape), *inner.pop())  # type: ignore[misc]


def _size(shape: Shape) -> int:
    return 1 if shape is None else sum(_size(sub) for sub in shape)


class BatchCompiled:
    """A function compiled once for one sample and run on whole batches (numpy arrays).

    ``compiled(*args)`` returns ``(values, gradients)``: ``values[i]`` is sample i's value, and
    ``gradients`` mirrors the arguments. A batched argument's gradient is per sample, shape
    (batch, …); a shared argument's is summed over the batch, unless ``per_sample=True``.
    ``source`` is the generated code; :meth:`run` is the fast interface that training uses.
    """

    def __init__(
        self,
        recording: Recording,
        shared: Sequence[Value],
        batched: Sequence[Value],
        *,
        group: bool = True,
        batched_arguments: Sequence[int] = (),
    ) -> None:
        self.recording = recording
        self.shared = list(shared)
        self.batched_inputs = list(batched)
        self.shapes = recording.shapes
        self.batched_arguments = frozenset(batched_arguments)
        self.group = group
        self.function, self.source = self._build(self.shared, self.batched_inputs)
        self._per_sample: Any = None

    @classmethod
    def of_arguments(
        cls, recording: Recording, batched_arguments: Sequence[int], *, group: bool = True
    ) -> BatchCompiled:
        """Compiled from a recording of a function: the leaves of the arguments at
        ``batched_arguments`` are per sample, the others shared."""
        shapes = recording.shapes
        for position in batched_arguments:
            if not 0 <= position < len(shapes):
                raise ValueError(
                    f"batch names argument {position}, but the function was recorded with "
                    f"{len(shapes)} arguments"
                )
        shared: list[Value] = []
        batched: list[Value] = []
        start = 0
        for index, shape in enumerate(shapes):
            leaves = recording.inputs[start : start + _size(shape)]
            start += _size(shape)
            (batched if index in batched_arguments else shared).extend(leaves)
        return cls(recording, shared, batched, group=group, batched_arguments=batched_arguments)

    def _build(self, shared: list[Value], batched: list[Value]) -> tuple[Any, str]:
        wanted = set(self.recording.wrt)
        program = array_code(
            self.recording,
            shared,
            batched,
            group=self.group,
            batch_gradients=any(leaf in wanted for leaf in batched),
        )
        code = builtins.compile(program.source, "<stepgrad compiled batch>", "exec")
        exec(code, program.namespace)
        return program.namespace["compiled"], program.source

    def run(
        self, theta: Array, XT: Array, seed: Array | None = None
    ) -> tuple[Array, Array, Array, tuple[Array, ...]]:
        """The fast interface: ``theta`` the shared inputs (flat), ``XT`` the per-sample inputs
        (one row per input, one column per sample), ``seed`` each sample's weight in the sum of
        gradients (ones by default). Returns ``(values, Σ seed·∂value/∂theta, seed·∂value/∂XT,
        extras)``. Inputs must be finite floats."""
        batch = XT.shape[1]
        if seed is None:
            seed = np.ones(batch)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                value, d_theta, d_XT, extras = self.function(theta, XT, seed)
        except (Refused, ArithmeticError):  # a failed check, or numpy's overflow or NaN
            # (not ValueError or IndexError: from array code those mean shapes that do not
            # fit, a compiler bug, which must surface rather than hide behind the slow path)
            return self._one_by_one(theta, XT, seed)
        values = np.broadcast_to(value, (batch,))
        return values, d_theta, d_XT, tuple(np.broadcast_to(e, (batch,)) for e in extras)

    def _one_by_one(
        self, theta: Array, XT: Array, seed: Array
    ) -> tuple[Array, Array, Array, tuple[Array, ...]]:
        """The slow path: each sample through the interpreter, which raises its own error (with
        the sample's number added) or, when a check was over-cautious, computes the numbers."""
        recording = self.recording
        position = {leaf: i for i, leaf in enumerate(recording.inputs)}
        wrt = {leaf: i for i, leaf in enumerate(recording.wrt)}
        batch = XT.shape[1]
        values = np.empty(batch)
        d_theta = np.zeros(len(self.shared))
        d_XT = np.zeros(XT.shape)
        extras = np.empty((len(recording.extras), batch))
        for sample in range(batch):
            flat = [0.0] * len(recording.inputs)
            for i, leaf in enumerate(self.shared):
                flat[position[leaf]] = float(theta[i])
            for i, leaf in enumerate(self.batched_inputs):
                flat[position[leaf]] = float(XT[i, sample])
            try:
                value, gradients, extra = recording.replay(flat)
            except (ArithmeticError, ValueError, RuntimeError) as error:
                raise with_sample(error, sample) from None
            values[sample] = value
            extras[:, sample] = extra
            for i, leaf in enumerate(self.shared):
                if leaf in wrt:
                    d_theta[i] += seed[sample] * gradients[wrt[leaf]]
            for i, leaf in enumerate(self.batched_inputs):
                if leaf in wrt:
                    d_XT[i, sample] = seed[sample] * gradients[wrt[leaf]]
        return values, d_theta, d_XT, tuple(extras)

    def __call__(self, *args: Any, per_sample: bool = False) -> tuple[Array, tuple[Any, ...]]:
        if len(args) != len(self.shapes):
            raise TypeError(
                f"the compiled function takes {len(self.shapes)} arguments, got {len(args)}"
            )
        shared: list[float] = []
        columns: list[Array] = []
        batch: int | None = None
        for index, (arg, shape) in enumerate(zip(args, self.shapes)):
            if index in self.batched_arguments:
                rows = self._batched(arg, shape, f"argument {index}")
                if batch is not None and rows.shape[0] != batch:
                    raise ValueError(
                        f"argument {index} has {rows.shape[0]} samples, an earlier one {batch}"
                    )
                batch = rows.shape[0]
                columns.append(rows)
            else:
                flatten(arg, shape, shared, f"argument {index}")
        if batch is None:
            raise ValueError("batch needs at least one batched argument")
        XT = np.ascontiguousarray(np.concatenate(columns, axis=1).T) if columns else None
        assert XT is not None
        theta = np.array(shared, dtype=float)
        if per_sample:
            return self._per_sample_call(theta, XT, batch)
        values, d_theta, d_XT, _ = self.run(theta, XT)
        return values, self._gradients(d_theta, d_XT, batch)

    def _per_sample_call(
        self, theta: Array, XT: Array, batch: int
    ) -> tuple[Array, tuple[Any, ...]]:
        """Every argument batched: shared ones repeated for each sample."""
        if self._per_sample is None:
            self._per_sample = self._build([], self.shared + self.batched_inputs)[0]
        everything = np.concatenate([np.repeat(theta[:, None], batch, axis=1), XT])
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            try:
                value, _, d_all, _ = self._per_sample(np.zeros(0), everything, np.ones(batch))
            except (Refused, ArithmeticError):
                self.run(theta, XT)  # raises the interpreter's error for the first bad sample
                raise
        shared_count = len(self.shared)
        grads: list[Any] = []
        shared_at = 0
        batched_at = shared_count
        for index, shape in enumerate(self.shapes):
            size = _size(shape)
            if index in self.batched_arguments:
                rows = d_all[batched_at : batched_at + size]
                batched_at += size
            else:
                rows = d_all[shared_at : shared_at + size]
                shared_at += size
            grads.append(self._shaped(rows.T, shape, batch))
        return np.broadcast_to(value, (batch,)).copy(), tuple(grads)

    def _batched(self, arg: Any, shape: Shape, where: str) -> Array:
        """A batched argument as a (batch, n) float array, refusing non-finite numbers."""
        dims = _dims(shape)
        size = _size(shape)
        try:
            array = np.asarray(arg, dtype=float)
        except (ValueError, TypeError):
            array = None
        if array is None or dims is None or array.shape[1:] != dims:
            if isinstance(arg, np.ndarray) or not isinstance(arg, (list, tuple)):
                raise TypeError(
                    f"{where}: expected a batch of samples shaped {dims}, got "
                    f"{getattr(arg, 'shape', type(arg).__name__)}"
                )
            rows = []
            for sample, item in enumerate(arg):
                flat: list[float] = []
                flatten(item, shape, flat, f"{where}, sample {sample}")
                rows.append(flat)
            array = np.array(rows, dtype=float).reshape(len(rows), size)
        array = array.reshape(array.shape[0], size)
        bad = np.flatnonzero(~np.isfinite(array).all(axis=1))
        if bad.size:
            raise ValueError(
                f"{where}, sample {int(bad[0])} holds "
                f"{float(array[bad[0]][~np.isfinite(array[bad[0]])][0])!r}; "
                "the compiled function takes finite numbers only"
            )
        return array

    def _gradients(self, d_theta: Array, d_XT: Array, batch: int) -> tuple[Any, ...]:
        grads: list[Any] = []
        shared_at = batched_at = 0
        for index, shape in enumerate(self.shapes):
            size = _size(shape)
            if index in self.batched_arguments:
                grads.append(self._shaped(d_XT[batched_at : batched_at + size].T, shape, batch))
                batched_at += size
            else:
                flat = d_theta[shared_at : shared_at + size]
                shared_at += size
                dims = _dims(shape)
                if dims == ():
                    grads.append(float(flat[0]))
                elif dims is not None:
                    grads.append(flat.reshape(dims).copy())
                else:
                    grads.append(unflatten(shape, flat.tolist(), [0]))
        return tuple(grads)

    def _shaped(self, rows: Array, shape: Shape, batch: int) -> Array:
        dims = _dims(shape)
        return rows.reshape((batch, *dims)).copy() if dims is not None else rows.copy()


def compile_batch(
    recording: Recording, batched_arguments: Sequence[int], *, group: bool = True
) -> BatchCompiled:
    """A :class:`BatchCompiled` of a recording made from one sample's arguments."""
    return BatchCompiled.of_arguments(recording, batched_arguments, group=group)
