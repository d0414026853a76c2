"""Closed forms with sympy (the optional extra ``symbolic``: ``pip install -e '.[symbolic]'``).

Evaluating the op records' forward rules on sympy symbols turns a graph into one symbolic
expression (:func:`to_sympy`); sympy then differentiates it (:func:`closed_form`). This is the
"write the derivative out" approach that backprop avoids: :func:`expression_swell` counts the
operations in those closed forms beside the handful of steps a backward pass takes.

    >>> from autograd.toy import toy_model
    >>> model = toy_model()
    >>> expr = closed_form(model.loss, model.parameters["ω0"])
    >>> round(float(expr.subs(symbol_values(model.loss))), 6)
    5.246071

The tests also use :func:`sympy_math` to check every op's derivative rule against sympy's.

sympy builds and differentiates expressions recursively, about a dozen Python frames per level,
so a chain of 70 ops would pass Python's default limit of 1,000 frames. These functions therefore
measure the graph's depth first and, when it needs more room, do sympy's work in a helper thread
with a large stack and a recursion limit raised for the depth (and put back afterwards). Graphs
deeper than :data:`MAX_DEPTH` nodes are refused with a ``ValueError`` instead (their closed forms
would take hours to write out anyway). Printing a very deep result (``sympy.latex``) recurses too:
raise ``sys.setrecursionlimit`` for that yourself.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from ..core.graph import topological_order
from ..core.ops import MathNamespace, dot_parts
from ..core.value import Value
from ..extras import require
from .display import Names

if TYPE_CHECKING:
    import sympy

__all__ = [
    "sympy_math",
    "to_sympy",
    "closed_form",
    "symbol_values",
    "expression_swell",
    "Swell",
    "graph_depth",
    "MAX_DEPTH",
]

T = TypeVar("T")

MAX_DEPTH = 5000
"""The deepest graph (nodes on its longest path) whose closed forms these functions write out."""
_FRAMES_PER_LEVEL = 25  # sympy needs about 13 per level of a chain; twice that, to be safe
_STACK_BYTES = 256 * 2**20  # the helper thread's stack: virtual memory, used only as it is needed


def _sympy() -> Any:
    return require("sympy", feature="closed forms (autograd.readers.symbolic)", extra="symbolic")


@lru_cache(maxsize=1)
def sympy_math() -> MathNamespace:
    """The math namespace whose functions build sympy expressions."""
    sympy = _sympy()

    def dot(*args: Any) -> Any:
        ws, xs, bias = dot_parts(args)
        return sympy.Add(*(w * x for w, x in zip(ws, xs)), *bias)

    return MathNamespace(
        "sympy",
        {
            "exp": sympy.exp,
            "log": sympy.log,
            "sin": sympy.sin,
            "cos": sympy.cos,
            "tan": sympy.tan,
            "tanh": sympy.tanh,
            "sqrt": sympy.sqrt,
            "abs": sympy.Abs,
            "pow": lambda x, c: x**c,
            "sigmoid": lambda x: 1 / (1 + sympy.exp(-x)),
            "relu": lambda x: sympy.Max(x, 0),
            "heaviside": lambda x: sympy.Heaviside(x, 0),
            "sign": sympy.sign,
            "softplus": lambda x: sympy.log(1 + sympy.exp(x)),
            "dot": dot,
            "sum": lambda *args: sympy.Add(*args),
            "erf": sympy.erf,
            "logsumexp": lambda *args: sympy.log(sympy.Add(*(sympy.exp(z) for z in args))),
        },
    )


def _number(x: float) -> sympy.Expr:
    sympy = _sympy()
    return sympy.Integer(int(x)) if float(x).is_integer() else sympy.Float(x)


def _symbols(output: Value) -> tuple[Names, dict[Value, sympy.Expr]]:
    """Each node of output's graph as a sympy expression, built from the op records."""
    sympy, math_ = _sympy(), sympy_math()
    names = Names([output])
    exprs: dict[Value, Any] = {}
    for node in names.nodes:  # creation order: parents first
        if node.is_constant:
            exprs[node] = _number(node.data)
        elif node.is_leaf:
            exprs[node] = sympy.Symbol(names[node], real=True)
        else:
            assert node.op is not None
            exprs[node] = node.op.forward(math_, *[exprs[p] for p in node.parents])
    return names, exprs


def to_sympy(output: Value) -> sympy.Expr:
    """The forward computation of ``output`` as one sympy expression in its leaves' labels."""
    return _with_room(output, lambda: _symbols(output)[1][output])


def symbol_values(output: Value) -> dict[Any, float]:
    """``{symbol: number}`` for every non-constant leaf, to evaluate a closed form with ``subs``."""

    def work() -> dict[Any, float]:
        names, exprs = _symbols(output)
        return {exprs[n]: n.data for n in names.nodes if n.is_leaf and not n.is_constant}

    return _with_room(output, work)


def closed_form(output: Value, leaf: Value) -> sympy.Expr:
    """∂output/∂leaf as sympy writes it out, unsimplified (``sympy.latex`` renders it)."""

    def work() -> sympy.Expr:
        _names, exprs = _symbols(output)
        if leaf not in exprs:
            return _sympy().Integer(0)
        return _sympy().diff(exprs[output], exprs[leaf])

    return _with_room(output, work)


def graph_depth(output: Value) -> int:
    """The number of nodes on the longest path from a leaf to ``output`` (1 for a leaf)."""
    depth: dict[Value, int] = {}
    for node in reversed(topological_order([output])):  # parents before the nodes they feed
        depth[node] = 1 + max((depth[parent] for parent in node.parents), default=0)
    return depth[output]


def _with_room(output: Value, work: Callable[[], T]) -> T:
    """``work()``, with enough recursion room for sympy on a graph as deep as ``output``'s."""
    depth = graph_depth(output)
    if depth > MAX_DEPTH:
        raise ValueError(
            f"the graph is {depth:,} nodes deep; closed forms are written out for graphs up to "
            f"{MAX_DEPTH:,} deep (backprop has no such limit: that is its point)"
        )
    needed = _frames_in_use() + 200 + _FRAMES_PER_LEVEL * depth
    if needed <= sys.getrecursionlimit():
        return work()
    return _in_big_thread(work, needed)


def _frames_in_use() -> int:
    """How deep the Python stack is here."""
    frame: FrameType | None = sys._getframe()
    count = 0
    while frame is not None:
        frame, count = frame.f_back, count + 1
    return count


_ROOM_LOCK = threading.Lock()  # one deep computation at a time: the recursion limit is global


def _in_big_thread(work: Callable[[], T], recursion_limit: int) -> T:
    """Run ``work`` in a thread with a large stack and the given recursion limit; return its
    result or raise its exception here."""
    outcome: list[T] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome.append(context.run(work))
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    with _ROOM_LOCK:
        old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(_STACK_BYTES)
            worker = threading.Thread(target=run, name="stepgrad-sympy")
        except (ValueError, RuntimeError):  # this platform refuses a large stack: try as we are
            return work()
        finally:
            threading.stack_size(old_stack)
        sys.setrecursionlimit(max(old_limit, recursion_limit))
        try:
            worker.start()
            worker.join()
        finally:
            sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return outcome[0]


@dataclass(frozen=True)
class Swell:
    """How long the written-out derivatives are, beside the work backprop does."""

    operations: dict[str, int]
    """Per leaf: sympy's operation count of its unsimplified closed-form derivative."""
    backward_steps: int
    """Chain-rule steps (one per edge, as a trace lists them: steps into constants left out) in one
    backward pass, which gives all the gradients."""

    @property
    def total_operations(self) -> int:
        return sum(self.operations.values())

    def to_text(self) -> str:
        width = max(len(name) for name in self.operations)
        lines = [
            f"  ∂/∂{name:<{width}}  {ops:>8,} operations" for name, ops in self.operations.items()
        ]
        lines.append(f"  {'all closed forms':<{width + 3}}  {self.total_operations:>8,} operations")
        lines.append(
            f"  {'one backward pass':<{width + 3}}  {self.backward_steps:>8,} chain-rule steps"
        )
        return "\n".join(lines) + "\n"


def expression_swell(output: Value, leaves: Iterable[Value]) -> Swell:
    """Count the operations of every closed-form derivative, and the backward pass's steps."""
    sympy = _sympy()
    leaves = list(leaves)

    def work() -> dict[str, int]:
        names, exprs = _symbols(output)
        return {
            names[leaf]: sympy.count_ops(sympy.diff(exprs[output], exprs[leaf]))
            for leaf in leaves
            if leaf in exprs
        }

    operations = _with_room(output, work)
    steps = sum(  # the steps a trace shows: those into constants need no gradient
        1
        for node in topological_order([output])
        if node.op is not None
        for index, parent in enumerate(node.parents)
        if not parent.is_constant and index not in node.op.constant_inputs
    )
    return Swell(operations, steps)
