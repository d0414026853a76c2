"""Graph mechanics: walking a computation graph. No calculus here.

The only thing this module knows about a node is its ``parents`` tuple, so it works for any object
that has one (see :class:`Node`). Nodes are kept in sets, so they must hash and compare by
identity, as plain objects do: two different nodes with equal numbers are still two nodes.
"""
from __future__ import annotations

from typing import Iterable, Protocol, Sequence, TypeVar

__all__ = ["Node", "topological_order"]


class Node(Protocol):
    """What the graph walk needs of a node: the nodes it was computed from."""

    @property
    def parents(self) -> Sequence[Node]: ...


N = TypeVar("N", bound=Node)


def topological_order(outputs: Iterable[N]) -> list[N]:
    """Every node the outputs depend on, each listed before all of its parents.

    This is the order in which the chain rule runs: by the time a node is reached, every node that
    used it has already passed its gradient down. Each node appears once, however many paths lead
    to it.

    The walk is an iterative depth-first search with an explicit stack, so a chain of a million
    nodes needs no recursion (a recursive walk, like micrograd's, stops at Python's recursion
    limit, about 1,000 deep). Ties keep the order in which parents are listed, so the order is the
    same on every run.
    """
    visited: set[N] = set()
    finished: list[N] = []  # post-order: each node after all of its parents
    for output in outputs:
        if output in visited:
            continue
        visited.add(output)
        stack = [(output, iter(output.parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent not in visited:
                    visited.add(parent)
                    stack.append((parent, iter(parent.parents)))
                    break
            else:
                stack.pop()
                finished.append(node)
    finished.reverse()
    return finished
