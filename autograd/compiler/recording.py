"""Recording: running a function once on Values and keeping what the compiler needs of the run.

:func:`record` calls ``f`` on leaves made from example arguments and keeps the graph it built,
the comparisons it made (guards: a later call that would branch differently must not reuse the
code) and the leaves whose numbers must be *recomputed* on every call rather than written in as
constants: the results of ``detach()`` and of ops run inside ``no_grad``. Such a leaf carries no
gradient, but its number depends on the inputs, so the compiled code computes it again.

A :class:`Recording` can also be *replayed* through the interpreter (:meth:`Recording.replay`):
the same ops applied to new numbers by the engine itself. The compiled code's slow path uses
that to raise exactly the error the interpreter raises, naming the op and the node.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from ..core.backward import pass_gradients
from ..core.errors import finite_number
from ..core.functional import parameter_names
from ..core.graph import GraphNode
from ..core.modes import Recorder, no_grad, recording, user_location
from ..core.ops import CONSTANT, Op
from ..core.value import Value, apply_op

__all__ = [
    "Recording",
    "Guard",
    "Shape",
    "record",
    "record_graph",
    "BranchChanged",
    "branch_changed",
]

Shape = Any
"""An argument's shape: None for a number, else a tuple of its items' shapes."""

Stop = tuple[Op | None, tuple[Value, ...]]
"""How a recomputed leaf is made: (None, (source,)) for ``source.detach()``; (op, parents) for an
op run inside ``no_grad``."""


@dataclass(frozen=True)
class Guard:
    """A comparison made while recording: ``left <op> right`` came out ``outcome``, at
    ``location`` in the user's code."""

    left: Value
    op: str
    right: Value | float
    outcome: bool
    location: str


class _Keeper(Recorder):
    """What the compiler keeps while it records a function: the comparisons as guards, every node
    the ops made (dead ends included: compiled code must compute, and refuse, whatever the
    interpreter computed), and the leaves to recompute on each call with no gradient, ``detach()``
    results as ``(None, (source,))`` and results made inside ``no_grad`` as ``(op, parents)``."""

    def __init__(self) -> None:
        self.guards: list[Guard] = []
        self.nodes: list[Value] = []
        self.stops: dict[Value, Stop] = {}

    # The engine hands over GraphNodes; while recording, every one of them is a Value.
    def compared(self, left: GraphNode, op: str, right: GraphNode | float, outcome: bool) -> None:
        other = cast(Value, right) if isinstance(right, GraphNode) else right
        self.guards.append(Guard(cast(Value, left), op, other, outcome, user_location()))

    def detached(self, original: GraphNode, copy: GraphNode) -> None:
        self.stops[cast(Value, copy)] = (None, (cast(Value, original),))

    def unrecorded(self, node: GraphNode, op: Op, parents: tuple[GraphNode, ...]) -> None:
        self.stops[cast(Value, node)] = (op, cast(tuple[Value, ...], parents))

    def made(self, node: GraphNode) -> None:
        self.nodes.append(cast(Value, node))


class BranchChanged(RuntimeError):
    """A call of a compiled function would take another branch than the recorded one."""


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def branch_changed(guard: Guard, condition: str) -> BranchChanged:
    """The error for a call that would take another branch at ``guard``."""
    return BranchChanged(
        f"this call takes another branch than the recorded one: {condition} (compared "
        f"at {guard.location}) was {guard.outcome} when recorded and is not now. Compile again "
        f"for these inputs, or write the choice with ops (relu, abs, …), which need no branch."
    )


@dataclass
class Recording:
    """A graph as the compiler reads it.

    ``output`` is the node differentiated; ``extras`` are more nodes whose numbers the compiled
    code returns too (a model's outputs beside its loss, say); ``made`` are nodes the function
    made that lead nowhere, computed all the same (where the interpreter refused one, compiled
    code must refuse it too). ``inputs`` are the leaves the compiled function takes, in order;
    ``wrt`` those it differentiates with respect to. Leaves that are neither inputs nor in
    ``stops`` are constants, written in with their numbers.
    """

    output: Value
    inputs: list[Value]
    wrt: list[Value]
    guards: tuple[Guard, ...] = ()
    stops: dict[Value, Stop] = field(default_factory=dict)
    extras: tuple[Value, ...] = ()
    made: tuple[Value, ...] = ()
    shapes: tuple[Shape, ...] = ()
    _order: list[Value] | None = field(default=None, repr=False)

    def sources(self, node: Value) -> tuple[Value, ...]:
        """The nodes ``node``'s number is computed from: its parents, or for a recomputed leaf
        the nodes it is recomputed from."""
        stop = self.stops.get(node)
        return stop[1] if stop is not None else node.parents

    def order(self) -> list[Value]:
        """Every node the outputs' numbers depend on, in creation order (parents first)."""
        if self._order is None:
            found = {self.output, *self.extras, *self.made, *self.stops}
            stack = list(found)
            while stack:
                node = stack.pop()
                for parent in self.sources(node):
                    if parent not in found:
                        found.add(parent)
                        stack.append(parent)
            self._order = sorted(found, key=operator.attrgetter("serial"))
        return self._order

    def needing_gradients(self) -> set[Value]:
        """The nodes whose gradients compiled code computes: those on a path to an input in
        ``wrt``, or to a constant, a detached copy or a value made under ``no_grad``. The
        interpreter gives every leaf a gradient and refuses a backward pass in which one is not
        finite; compiled code computes the gradients of these leaves too, for its finiteness
        check alone, so that it refuses the same calls. (Inputs left out of ``wrt`` are left out
        here too: that is the caller's choice, as ``fit`` makes for a sample's inputs.)"""
        inputs = set(self.inputs)
        needed = set(self.wrt)
        for node in self.order():
            if (node.is_leaf and node not in inputs) or any(p in needed for p in node.parents):
                needed.add(node)
        return needed

    def guard_positions(self) -> dict[Value, list[int]]:
        """Each guard's index, placed after the later-created of the nodes it compares."""
        placed: dict[Value, list[int]] = {}
        for index, guard in enumerate(self.guards):
            nodes = [guard.left] + ([guard.right] if isinstance(guard.right, Value) else [])
            last = max(nodes, key=operator.attrgetter("serial"))
            placed.setdefault(last, []).append(index)
        return placed

    def replay(self, flat: Sequence[float]) -> tuple[float, list[float], list[float]]:
        """Run the recorded ops again in the interpreter on the input numbers ``flat``: returns
        ``(value, gradients with respect to wrt, extras' values)``, or raises exactly what the
        interpreter raises (an op refusing its inputs, a non-finite result, a branch change)."""
        new: dict[Value, Value] = {}
        for node, number in zip(self.inputs, flat):
            new[node] = Value(number, node.label)
        guards_at = self.guard_positions()
        for node in self.order():
            if node not in new:
                new[node] = self._replayed(node, new)
            for index in guards_at.get(node, ()):
                self._check_guard(index, new)
        output = new[self.output]
        gradients = pass_gradients([output], [new[node] for node in self.wrt])
        numbers = [g.data if isinstance(g, Value) else g for g in gradients]
        return output.data, numbers, [new[e].data for e in self.extras]

    def _replayed(self, node: Value, new: dict[Value, Value]) -> Value:
        stop = self.stops.get(node)
        if stop is not None:
            op, parents = stop
            if op is None:
                return new[parents[0]].detach()
            with no_grad():
                made = apply_op(op, *(new[p] for p in parents))
        elif node.is_leaf:
            if node.op is CONSTANT:
                return node  # a constant leaf is only read
            made = Value(node.data)
        else:
            assert node.op is not None
            made = apply_op(node.op, *(new[p] for p in node.parents))
        made.label = node.label
        return made

    def _check_guard(self, index: int, new: dict[Value, Value]) -> None:
        guard = self.guards[index]
        left = new.get(guard.left, guard.left).data
        right = guard.right
        right_number = new.get(right, right).data if isinstance(right, Value) else right
        if _COMPARE[guard.op](left, right_number) != guard.outcome:
            raise branch_changed(guard, f"{left!r} {SYMBOLS[guard.op]} {right_number!r}")


def with_sample(error: Exception, sample: int) -> Exception:
    """The same error, its message naming the sample of the batch that raised it."""
    try:
        return type(error)(f"{error} (sample {sample} of the batch)")
    except Exception:  # an error class that wants other arguments: keep it, add a note
        error.add_note(f"raised for sample {sample} of the batch")
        return error


def shape_of(arg: Any, where: str) -> Shape:
    """None for a number, else a tuple of the items' shapes; a non-finite number is refused."""
    if isinstance(arg, (list, tuple)):
        return tuple(shape_of(item, f"{where}[{i}]") for i, item in enumerate(arg))
    number_of(arg, where)
    return None


def number_of(arg: Any, where: str) -> float:
    """``arg`` (a number or a Value) as a finite float, or an error naming ``where``."""
    return finite_number(arg.data if isinstance(arg, Value) else arg, where)


def flatten(arg: Any, shape: Shape, out: list[float], where: str) -> None:
    """Append the numbers of ``arg`` (of the recorded ``shape``) to ``out``, checking both."""
    if shape is None:
        if isinstance(arg, (list, tuple)):
            raise TypeError(f"{where}: expected a number, got a {type(arg).__name__}")
        out.append(number_of(arg, where))
        return
    if not isinstance(arg, (list, tuple)) or len(arg) != len(shape):
        got = f"{len(arg)} items" if isinstance(arg, (list, tuple)) else type(arg).__name__
        raise TypeError(
            f"{where}: the compiled function was recorded with {len(shape)} items here, "
            f"got {got}; compile again for another shape"
        )
    for i, (item, sub) in enumerate(zip(arg, shape)):
        flatten(item, sub, out, f"{where}[{i}]")


def unflatten(shape: Shape, flat: Sequence[float], position: list[int]) -> Any:
    """Numbers from ``flat`` (from ``position[0]`` on) put back into ``shape``."""
    if shape is None:
        position[0] += 1
        return flat[position[0] - 1]
    return [unflatten(sub, flat, position) for sub in shape]


def _leaves(arg: Any, shape: Shape, label: str) -> Any:
    if shape is None:
        return Value(number_of(arg, label), label)
    return [_leaves(item, sub, f"{label}[{i}]") for i, (item, sub) in enumerate(zip(arg, shape))]


def flat_leaves(tree: Any) -> list[Value]:
    """The leaves of a nested list of Values, in order."""
    if isinstance(tree, Value):
        return [tree]
    return [leaf for item in tree for leaf in flat_leaves(item)]


def record(f: Callable[..., Value], example_args: Sequence[Any]) -> Recording:
    """Run ``f`` once on leaves made from ``example_args`` and keep its graph, its comparisons and
    the leaves to recompute. Inputs are labelled after ``f``'s parameters (``w``, ``x[0]``, …)."""
    names = parameter_names(f)
    shapes = tuple(shape_of(arg, f"argument {i}") for i, arg in enumerate(example_args))
    trees = [
        _leaves(arg, shape, names[i] if i < len(names) else f"arg{i}")
        for i, (arg, shape) in enumerate(zip(example_args, shapes))
    ]
    keeper = _Keeper()
    with recording(keeper):
        output = f(*trees)
    if not isinstance(output, Value):
        raise TypeError(f"compile needs f to return a Value, got {type(output).__name__}")
    inputs = [leaf for tree in trees for leaf in flat_leaves(tree)]
    return Recording(
        output,
        inputs,
        inputs,
        tuple(keeper.guards),
        keeper.stops,
        made=tuple(keeper.nodes),
        shapes=shapes,
    )


def record_graph(
    build: Callable[[], tuple[Value, Sequence[Value]]],
    inputs: Sequence[Value],
    wrt: Sequence[Value],
) -> Recording:
    """Record the graph that ``build()`` makes from existing leaves ``inputs`` (a model's
    parameters and one sample's inputs, say): ``build`` returns the output and the extras."""
    keeper = _Keeper()
    with recording(keeper):
        output, extras = build()
    if not isinstance(output, Value):
        raise TypeError(f"the recorded graph must end in a Value, got {type(output).__name__}")
    return Recording(
        output,
        list(inputs),
        list(wrt),
        tuple(keeper.guards),
        keeper.stops,
        extras=tuple(extras),
        made=tuple(keeper.nodes),
    )
