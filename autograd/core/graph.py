"""Graph mechanics: a node, its parents, and the order in which to visit them. No calculus here.

A :class:`GraphNode` is a number in a computation (``data``) together with where it came from: the
op record that computed it (``op``) and the nodes it was computed from, its ``parents``, in
argument order. Leaves (inputs, parameters, constants) have no parents. ``backward()`` fills in
``grad``. :class:`~autograd.core.value.Value` is a GraphNode with arithmetic; this module never looks at
the numbers or the op. Nodes are kept in sets, so they hash and compare by identity, as plain
objects do: two different nodes with equal numbers are still two nodes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

if TYPE_CHECKING:
    from .ops import MathNamespace, Op

__all__ = ["GraphNode", "link", "topological_order", "as_float", "MANY"]

next_serial = itertools.count().__next__  # atomic under the GIL, so safe across threads


class GraphNode:
    """A number in a computation graph, and how it was computed.

    ``data``     its number
    ``grad``     ∂output/∂node once ``backward()`` has run (a float, or a Value with
                 ``create_graph=True``)
    ``label``    a name for people ("" if none)
    ``op``       the op record that computed it (None for an input or parameter)
    ``parents``  the nodes it was computed from, in argument order (empty for a leaf)
    ``serial``   its creation number: a node is always created after its parents

    A node class (``Value``) stores these in slots of its own and sets them when it makes a node;
    see the NOTE below.
    """

    __slots__ = ()
    SLOTS = ("data", "grad", "label", "op", "serial", "_first", "_second")
    """The fields a node class keeps, as its ``__slots__``."""

    data: float
    grad: Any
    label: str
    op: Op | None
    serial: int

    graph_math: ClassVar[MathNamespace | None] = None
    """The math namespace whose functions make nodes of this class (``VALUE_MATH`` for Value):
    ``backward(create_graph=True)`` reads the local-derivative rules in it, so that the gradients
    are graphs too."""

    @property
    def parents(self) -> tuple[Self, ...]:
        """The nodes this one was computed from, in argument order (empty for a leaf)."""
        first, second = self._first, self._second
        if first is None:
            return ()
        if second is None:
            return (first,)
        if second is MANY:
            return first  # type: ignore[no-any-return]
        return (first, second)

    # NOTE: the parents are not kept in a tuple but in two slots. ``_first`` and ``_second`` hold
    # the parents of a unary or binary op (None where there is none); a node with more parents
    # keeps their tuple in ``_first`` and MANY in ``_second``. A tuple per node would be a second
    # object for Python's garbage collector to track, and in a training step the collector's
    # passes over those tuples took a third of the time (see bench/). The walk below and the
    # chain-rule loop read the slots directly because a property call per node doubles their cost.
    # The slots belong to the node class itself (Value), not to this base: C code that reads a
    # field (operator.attrgetter("data"), sorting by serial) is quickest on the class that defines
    # the slot, which it need not look up the class hierarchy to check.
    _first: Any
    _second: Any


def as_float(x: GraphNode | float) -> float:
    """A gradient's or a chain-rule step's number: the float itself, or a node's ``data`` when
    ``backward(create_graph=True)`` made it a node (a Value)."""
    return x.data if isinstance(x, GraphNode) else float(x)


MANY = object()
"""In ``_second``: the node has more than two parents, and ``_first`` holds their tuple."""


def link(node: GraphNode, parents: tuple[GraphNode, ...]) -> None:
    """Record ``parents`` (in order) as the parents of ``node``."""
    if len(parents) > 2:
        node._first, node._second = tuple(parents), MANY
    else:
        node._first = parents[0] if parents else None
        node._second = parents[1] if len(parents) == 2 else None


N = TypeVar("N", bound=GraphNode)
_by_serial = attrgetter("serial")


def topological_order(outputs: Iterable[N]) -> list[N]:
    """Every node the outputs depend on, each listed before all of its parents.

    This is the order in which the chain rule runs: by the time a node is reached, every node that
    used it has already passed its gradient down. Each node appears once, however many paths lead
    to it.

    Because serials already order the nodes, the walk only has to *find* them, in any order, and
    then sort. The list of nodes found so far is its work list: the loop walks the list while it
    grows. There is no recursion (micrograd's recursive walk stops at Python's recursion limit,
    about 1,000 deep) and no per-node bookkeeping of a depth-first search. The result is the same
    on every run.
    """
    found = set(outputs)
    nodes = list(found)
    for node in nodes:  # a work list: the loop also visits the parents appended below
        first, second = node._first, node._second
        if first is None:
            continue  # a leaf
        if second is None:  # one parent (an activation, say): no loop needed
            if first not in found:
                found.add(first)
                nodes.append(first)
            continue
        if second is not MANY:
            parents = (first, second)
        elif found.issuperset(first):
            continue  # many parents, all found already: one check at C speed instead of a loop
        else:
            parents = first
        for parent in parents:
            if parent not in found:
                found.add(parent)
                nodes.append(parent)
    nodes.sort(key=_by_serial, reverse=True)
    return nodes
