"""The compiler's public functions: compile a function to straight-line Python, its forward pass
then its backward pass.

    >>> def loss(w, x):
    ...     return (w * x).tanh()
    >>> compiled = compile(loss, 0.5, 2.0)
    >>> value, (dw, dx) = compiled(0.5, 2.0)
    >>> print(compiled.source)  # doctest: +SKIP
    def compiled(inputs):
        w, x = inputs
        # forward
        v1 = w * x
        f = tanh(v1)
        # backward
        d_f = 1.0
        d_v1 = (1.0 - f * f) * d_f
        d_w = x * d_v1
        d_x = w * d_v1
        _check_finite(v1, f, d_v1, d_w, d_x)
        return f, (d_w, d_x)

:func:`compile` *records* ``f`` once on Values (see :mod:`.recording`), then writes one statement
per node, named after the labels (or ``v1``, ``v2``, … for unlabelled nodes), forward in creation
order and backward in reverse, exactly as a person would write the textbook's two passes by hand
(see :mod:`.straight_line`). The result runs on plain floats, many times faster than building a
graph on every call. With ``batch=...`` the same recording is compiled for arrays instead, one
element per sample (see :mod:`.batching`).

**Recording bakes in Python control flow**, as in JAX: an ``if`` in ``f`` is decided once, for
the example arguments. Comparisons of Values (``x > 0``) are recorded as guards and checked on
every call; a call that would take another branch raises :class:`BranchChanged` instead of
returning a wrong gradient. Reading ``.data`` is invisible to the recording, so branch on Values,
not on their numbers. The kink of relu (or abs) is part of the op, not a branch, and needs no
guard. ``detach()`` and ops inside ``no_grad`` are recomputed on each call, with no gradient.

**Errors agree with the interpreter.** Compiled code raises where the interpreter raises, with
the same error: its checks are cheap (each op's domain, one sum over every value and gradient
for NaN and infinity), and when one fails the recording is replayed through the interpreter,
which raises its own error naming the op and the node.

Safety: variable names come from a sanitizer (ASCII letters, digits and underscores, never a
label as given); labels appear only in comments, escaped. The generated source is executed only
after that.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.value import Value
from ..extras import available
from .recording import Guard, Recording, Shape, record, shape_of
from .sample_by_sample import SampleBySampleCompiled
from .straight_line import Compiled, compile_recording

if TYPE_CHECKING:  # batching imports numpy, an optional extra: imported where it is used
    from .batching import BatchCompiled

__all__ = ["compile_graph", "CompiledOnFirstCall", "compile_recording_for_batches"]


class CompiledOnFirstCall:
    """``@compile`` without example arguments: compiles on the first call, and again for each
    new shape of arguments (as ``jax.jit`` does), keeping every compiled version."""

    def __init__(self, f: Callable[..., Value]) -> None:
        self.f = f
        self.versions: dict[tuple[Shape, ...], Compiled] = {}
        functools.update_wrapper(self, f)

    def __call__(self, *args: Any) -> tuple[float, Any]:
        shapes = tuple(shape_of(arg, f"argument {i}") for i, arg in enumerate(args))
        compiled = self.versions.get(shapes)
        if compiled is None:
            compiled = self.versions[shapes] = compile_recording(record(self.f, args))
        return compiled(*args)


def compile(  # noqa: A001
    f: Callable[..., Value], *example_args: Any, batch: bool | Sequence[int] = False
) -> Any:
    """Record ``f`` on ``example_args`` (numbers, or nested lists of numbers) and compile it.

    The result takes arguments of the same shapes and returns ``(value, gradients)``. Without
    example arguments (``@autograd.compile`` as a decorator), ``f`` is compiled on its first call
    and again for each new shape of arguments.

    ``batch=True`` compiles ``f`` for whole batches: ``example_args`` are one sample's arguments,
    and the compiled function takes arrays whose leading axis is the batch (see
    :class:`~autograd.compiler.batching.BatchCompiled`). ``batch=(1,)`` batches argument 1 only;
    the others are shared by every sample, and their gradients are summed over the batch. Without
    numpy (an optional extra) the float code runs sample by sample, on lists, with the same
    numbers.
    """
    if batch is not False:
        positions = list(range(len(example_args)) if batch is True else batch)
        recording = record(f, example_args)
        if available("numpy") is None:  # an optional extra: without it, sample by sample
            return SampleBySampleCompiled(recording, positions)
        from .batching import compile_batch  # imports numpy, so only once it is known to be there

        return compile_batch(recording, positions)
    if not example_args:
        return CompiledOnFirstCall(f)
    return compile_recording(record(f, example_args))


def compile_graph(
    output: Value,
    inputs: Sequence[Value],
    *,
    wrt: Sequence[Value] | None = None,
    guards: Sequence[Guard] = (),
) -> Compiled:
    """Compile an existing graph: the generated function takes the numbers of ``inputs`` (leaves
    of the graph, in order) and returns ``(output, gradients with respect to wrt)``; ``wrt``
    defaults to all inputs. Other leaves are written in as constants with their current numbers.
    """
    inputs = list(inputs)
    recording = Recording(
        output, inputs, inputs if wrt is None else list(wrt), tuple(guards), shapes=()
    )
    compiled = compile_recording(recording)
    compiled.shapes = tuple(None for _ in inputs)
    return compiled


def compile_recording_for_batches(
    recording: Recording, shared: Sequence[Value], batched: Sequence[Value]
) -> BatchCompiled:
    """The array code of a recording (from :func:`record_graph`), for library code such as
    ``nn.fit(compile=True)``: the leaves ``shared`` (a model's parameters) are one number for every
    sample, the leaves ``batched`` (one sample's inputs and target) one number per sample. Its
    ``run(theta, XT, seed)`` is the fast interface (see
    :meth:`~autograd.compiler.batching.BatchCompiled.run`). Needs numpy (``ImportError``
    without it); :func:`compile_recording` gives the float code, which runs one sample a call.
    """
    from .batching import BatchCompiled  # numpy, an optional extra: imported on first use

    return BatchCompiled(recording, shared, batched)
