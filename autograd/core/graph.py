"""Graph mechanics: how nodes link to their parents, and how to walk a graph. No calculus here.

:class:`GraphNode` is the part of a :class:`~autograd.value.Value` that makes it a graph node: its
parents and its creation number. ``Value`` adds the numbers and the op; this module never looks at
them. Nodes are kept in sets, so they hash and compare by identity, as plain objects do: two
different nodes with equal numbers are still two nodes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from operator import attrgetter
from typing import TypeVar

__all__ = ["GraphNode", "link", "topological_order", "MANY"]

MANY = object()
"""In ``_second``: the node has more than two parents, and ``_first`` holds their tuple."""

next_serial = itertools.count().__next__  # atomic under the GIL, so safe across threads


class GraphNode:
    """A node that knows its parents, in order, and when it was created.

    ``serial`` is the node's creation number. A node is always created after its parents, so its
    serial is larger than theirs: sorting by serial, largest first, is a topological order.
    """

    # NOTE: the parents are kept in two slots, not in a tuple. ``_first`` and ``_second`` hold the
    # parents of a unary or binary op (None where there is none); a node with more parents keeps
    # their tuple in ``_first`` and MANY in ``_second``. A tuple per node would be a second object
    # for Python's garbage collector to track, and in a training step the collector's passes over
    # those tuples took a third of the time (see bench/). The walk below and the chain-rule loop
    # read the slots directly because a property call per node doubles their cost.
    __slots__ = ("serial", "_first", "_second")

    serial: int

    def __init__(self) -> None:
        self.serial = next_serial()
        self._first = self._second = None

    @property
    def parents(self) -> tuple:
        """The nodes this one was computed from, in argument order (empty for a leaf)."""
        first, second = self._first, self._second
        if first is None:
            return ()
        if second is None:
            return (first,)
        if second is MANY:
            return first
        return (first, second)


def link(node: GraphNode, parents: tuple) -> None:
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

    Because serials already order the nodes, the walk only has to *find* them, in any order, with
    an explicit stack, and then sort. There is no recursion (micrograd's recursive walk stops at
    Python's recursion limit, about 1,000 deep) and no per-node bookkeeping of a depth-first
    search. The result is the same on every run.
    """
    found = set(outputs)
    stack = list(found)
    nodes = list(found)
    while stack:
        node = stack.pop()
        first, second = node._first, node._second
        if first is None:
            continue
        for parent in first if second is MANY else (first,) if second is None else (first, second):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
                nodes.append(parent)
    nodes.sort(key=_by_serial, reverse=True)
    return nodes
