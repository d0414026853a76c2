"""Recording modes: :func:`no_grad` and :func:`detect_anomaly`.

The mode lives in a :class:`contextvars.ContextVar`, so it is private to each thread and each asyncio
task: a ``no_grad()`` block in one request handler never switches off recording in another. In the
normal mode the variable holds ``None``, and an op pays for a single lookup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ops import Op
    from .value import Value

__all__ = ["no_grad", "detect_anomaly", "is_grad_enabled"]


@dataclass
class Anomaly:
    """What :func:`detect_anomaly` keeps: where in user code each node was created."""

    origins: dict[int, tuple[Value, str]] = field(default_factory=dict)

    def origin(self, node: Value) -> str:
        entry = self.origins.get(id(node))
        return entry[1] if entry is not None else "(created outside detect_anomaly)"


@dataclass(frozen=True)
class Guard:
    """A comparison made while tracing for the compiler: ``left <op> right`` came out ``outcome``."""

    left: Value
    op: str
    right: Value | float
    outcome: bool
    location: str


@dataclass
class Recorder:
    """What the compiler keeps while it records a function (see :mod:`autograd.compiler`).

    ``guards``: the comparisons of Values made, in order. ``made``: every node the ops made, dead
    ends included (compiled code must compute, and refuse, whatever the interpreter computed).
    ``stops``: the leaves whose numbers must be recomputed on each call, with no gradient:
    ``detach()`` results as ``(None, (source,))``, results made inside ``no_grad`` as
    ``(op, parents)``.
    """

    guards: list[Guard] = field(default_factory=list)
    made: list[Value] = field(default_factory=list)
    stops: dict[Value, tuple[Op | None, tuple[Value, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Mode:
    """A non-default mode: ``record`` is False inside ``no_grad``; ``anomaly`` is set inside
    ``detect_anomaly``; ``recorder`` while the compiler records a function."""

    record: bool
    anomaly: Anomaly | None
    recorder: Recorder | None = None


CURRENT_MODE: ContextVar[Mode | None] = ContextVar("stepgrad_mode", default=None)


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad`."""
    mode = CURRENT_MODE.get()
    return mode is None or mode.record


@contextmanager
def _entered(mode: Mode) -> Iterator[None]:
    token = CURRENT_MODE.set(mode)
    try:
        yield
    finally:
        CURRENT_MODE.reset(token)


def no_grad():
    """Context manager (or decorator) in which ops compute values but record no graph.

    Results made inside are leaves with no parents, as with ``torch.no_grad()``. Use it for
    evaluation and for parameter updates::

        with no_grad():
            accuracy = evaluate(model, data)
    """
    current = CURRENT_MODE.get()
    return _entered(
        Mode(
            record=False,
            anomaly=current.anomaly if current else None,
            recorder=current.recorder if current else None,
        )
    )


def detect_anomaly():
    """Context manager in which the first NaN or infinity raises :class:`FloatingPointError`.

    Forward and backward are both checked. The message names the op, the node's label and the
    line of user code that created the node::

        with detect_anomaly():
            y = (x * big).exp() ...
            y.backward()

    Checking every step is slower; switch it on while hunting a NaN, not for training.
    """
    current = CURRENT_MODE.get()
    record = current is None or current.record
    return _entered(
        Mode(record=record, anomaly=Anomaly(), recorder=current.recorder if current else None)
    )


def recording(recorder: Recorder):
    """Context manager in which ``recorder`` keeps what the compiler needs (see :class:`Recorder`)."""
    current = CURRENT_MODE.get()
    return _entered(
        Mode(record=True, anomaly=current.anomaly if current else None, recorder=recorder)
    )


_AUTOGRAD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(
    os.path.join(os.path.dirname(_AUTOGRAD_DIR), name) + os.sep for name in ("autograd", "nn")
)
_CONTEXTLIB_FILE = os.path.abspath(sys.modules["contextlib"].__file__ or "")


def user_location() -> str:
    """``file:line`` of the innermost caller outside stepgrad (``autograd``, ``nn``): the line a
    person wrote."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_LIBRARY_DIRS) and filename != _CONTEXTLIB_FILE:
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return "(unknown location)"
