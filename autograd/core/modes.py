"""Recording modes: :func:`no_grad`, :func:`enable_grad`, :func:`detect_anomaly`, and the hook a
recorder (the compiler) uses to hear what a graph alone does not show.

The mode lives in a :class:`contextvars.ContextVar`, so it is private to each thread and each asyncio
task: a ``no_grad()`` block in one request handler never switches off recording in another. In the
normal mode the variable holds ``None``, and an op pays for a single lookup. A mode is worked out
when its block is entered, from the mode around it, so ``@no_grad()`` on a function called inside
``detect_anomaly()`` keeps anomaly detection on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import ContextDecorator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .graph import GraphNode
    from .ops import Op

__all__ = [
    "no_grad",
    "enable_grad",
    "detect_anomaly",
    "is_grad_enabled",
    "recording",
    "Recorder",
    "register_library_folder",
    "user_location",
]


@dataclass
class Anomaly:
    """What :func:`detect_anomaly` keeps: where in user code each node was created."""

    origins: dict[int, tuple[GraphNode, str]] = field(default_factory=dict)

    def origin(self, node: GraphNode) -> str:
        entry = self.origins.get(id(node))
        return entry[1] if entry is not None else "(created outside detect_anomaly)"


class Recorder:
    """Hears about what the graph of a function does not show, while :func:`recording` is on.

    The compiler records a function by running it once on Values and reading the graph it built.
    Some of what the function did leaves no trace in that graph: a comparison that chose a branch,
    a ``detach()``, a number computed inside ``no_grad()``, a node that the output does not
    depend on. The engine tells the recorder of the
    current mode about each of them, as it happens; subclass this and override what you need (each
    method does nothing here). The engine itself never looks at what a recorder keeps.
    """

    def compared(self, left: GraphNode, op: str, right: GraphNode | float, outcome: bool) -> None:
        """``left <op> right`` (``op`` is "lt", "le", "gt" or "ge") was evaluated to ``outcome``."""

    def detached(self, original: GraphNode, copy: GraphNode) -> None:
        """``copy = original.detach()``: a new leaf holding ``original``'s number."""

    def unrecorded(self, node: GraphNode, op: Op, parents: tuple[GraphNode, ...]) -> None:
        """``node`` was computed by ``op`` from ``parents`` inside ``no_grad()``, so it is a leaf
        with no link to them."""

    def made(self, node: GraphNode) -> None:
        """An op made ``node`` (recorded in the graph). The compiler keeps even the nodes that lead
        nowhere: compiled code must compute, and refuse, whatever the interpreter computed."""


@dataclass(frozen=True)
class Mode:
    """A non-default mode: ``record`` is False inside ``no_grad``; ``anomaly`` is set inside
    ``detect_anomaly``; ``recorder`` is told about comparisons, detaches and unrecorded values."""

    record: bool
    anomaly: Anomaly | None = None
    recorder: Recorder | None = None


CURRENT_MODE: ContextVar[Mode | None] = ContextVar("stepgrad_mode", default=None)


def is_grad_enabled() -> bool:
    """True unless inside :func:`no_grad`."""
    mode = CURRENT_MODE.get()
    return mode is None or mode.record


class _ModeSwitch(ContextDecorator):
    """A context manager (or decorator) that enters the mode ``make(current mode)``.

    The mode is made on entry, from the mode around it at that moment: a decorated function gets
    a fresh switch on every call, so its mode follows its caller's.
    """

    def __init__(self, make: Callable[[Mode | None], Mode | None]) -> None:
        self._make = make
        self._tokens: list[Token[Mode | None]] = []

    def __enter__(self) -> None:
        self._tokens.append(CURRENT_MODE.set(self._make(CURRENT_MODE.get())))

    def __exit__(self, *exc_info: object) -> None:
        CURRENT_MODE.reset(self._tokens.pop())

    def _recreate_cm(self) -> _ModeSwitch:  # ContextDecorator's hook: one switch per call
        return _ModeSwitch(self._make)


def no_grad() -> _ModeSwitch:
    """Context manager (or decorator) in which ops compute values but record no graph.

    Results made inside are leaves with no parents, as with ``torch.no_grad()``; calling
    ``backward()`` from one of them raises. Use it for evaluation and for parameter updates::

        with no_grad():
            accuracy = evaluate(model, data)
    """
    return _ModeSwitch(
        lambda current: Mode(
            record=False,
            anomaly=current.anomaly if current else None,
            recorder=current.recorder if current else None,
        )
    )


def _recording_on(current: Mode | None) -> Mode | None:
    if current is None or current.record:
        return current
    return Mode(record=True, anomaly=current.anomaly, recorder=current.recorder)


def enable_grad() -> _ModeSwitch:
    """Context manager (or decorator) that records the graph even inside :func:`no_grad`, as
    ``torch.enable_grad()``. :func:`~autograd.grad` uses it for its own forward pass."""
    return _ModeSwitch(_recording_on)


def detect_anomaly() -> _ModeSwitch:
    """Context manager (or decorator) that remembers where in your code each node was created.

    A NaN or infinity always raises at the op (or backward step) that made it; inside
    ``detect_anomaly()`` the message also names the line of your code that created the node,
    and backward checks every step as it goes::

        with detect_anomaly():
            y = (x * big).exp() ...
            y.backward()

    Remembering every node's line is slower; switch it on while hunting a bad number.
    """
    return _ModeSwitch(
        lambda current: Mode(
            record=current is None or current.record,
            anomaly=Anomaly(),
            recorder=current.recorder if current else None,
        )
    )


def recording(recorder: Recorder) -> _ModeSwitch:
    """Context manager in which ``recorder`` hears of every comparison of Values, every
    ``detach()`` and every value computed inside ``no_grad()`` (see :class:`Recorder`)."""
    return _ModeSwitch(
        lambda current: Mode(
            record=True, anomaly=current.anomaly if current else None, recorder=recorder
        )
    )


# ---- where the user's code is -------------------------------------------------------------------

_LIBRARY_FOLDERS: list[str] = [os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep]
_CONTEXTLIB_FILE = os.path.abspath(sys.modules["contextlib"].__file__ or "")


def register_library_folder(folder: str) -> None:
    """Treat code in ``folder`` as library code, as stepgrad's own: :func:`user_location` (and so
    ``detect_anomaly``) skips its frames to name the line a person wrote. A library built on
    stepgrad (``nn`` is one) registers its folder once, when it is imported."""
    path = os.path.abspath(folder) + os.sep
    if path not in _LIBRARY_FOLDERS:
        _LIBRARY_FOLDERS.append(path)


def user_location() -> str:
    """``file:line`` of the innermost caller outside stepgrad and the libraries registered with
    :func:`register_library_folder`: the line a person wrote."""
    folders = tuple(_LIBRARY_FOLDERS)
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(folders) and filename != _CONTEXTLIB_FILE:
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return "(unknown location)"
