"""Matrix grouping: finding the vectors and matrices in a graph of scalars.

A layer of an MLP is, in stepgrad's graph, k separate ``dot`` nodes that share one input vector
x, each with its own n weights. Written for a batch, each would be its own matrix-vector product;
together they are one matrix product, Z = W·X + b, with the weight matrix W read off the graph:
row j holds node j's weights. Nielsen's matrix form of backprop is this observation, done by
hand; here the compiler makes it.

:func:`find_vectors` makes three kinds of :class:`Vector` (k nodes computed by one array
statement):

* ``dot``: dot nodes with the same input vector and weights that are shared inputs (parameters);
* ``elementwise``: the same op applied to corresponding elements, such as ``tanh`` of each of a
  layer's dot nodes, grown outwards from the vectors already found;
* ``elementwise`` too: the parents of an n-ary node (a sum of squares ``Σ p·p``, say) when they
  apply one op to inputs that can be read as arrays.

Everything it does not group stays one statement per node. The grouping never changes what is
computed, only how many statements compute it (and so the order of some sums).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..core import ops
from ..core.ops import CONSTANT
from ..core.value import Value
from .recording import Recording

__all__ = ["Vector", "Unit", "find_vectors", "emission_order"]


@dataclass(eq=False)
class Vector:
    """``members`` computed together as one array: shape (k, batch), or (k, 1) when shared.

    For ``kind == "dot"``: ``weights[j]`` are member j's weights (shared inputs), ``inputs`` the
    common input vector, ``biases`` the members' biases (or None). For ``"elementwise"``:
    ``operands[p]`` holds, for each member, its input at position p of ``op``.
    """

    kind: Literal["dot", "elementwise"]
    members: list[Value]
    op: ops.Op
    operands: list[tuple[Value, ...]] = field(default_factory=list)
    weights: list[tuple[Value, ...]] = field(default_factory=list)
    inputs: tuple[Value, ...] = ()
    biases: tuple[Value, ...] | None = None


Unit = Value | Vector
"""One statement of the forward pass: a single node, or a vector of them."""


def find_vectors(
    recording: Recording, is_shared_input: Callable[[Value], bool], is_batched: set[Value]
) -> list[Vector]:
    """The vectors of ``recording``'s graph (see the module docstring)."""
    order = recording.order()
    stops = recording.stops
    member_of: dict[Value, Vector] = {}
    vectors: list[Vector] = []

    def add(vector: Vector) -> None:
        vectors.append(vector)
        for member in vector.members:
            member_of[member] = vector

    def computed(node: Value) -> bool:
        return not node.is_leaf and node not in stops and node not in member_of

    # Layers: dot nodes with one input vector and parameter weights.
    layers: dict[tuple[tuple[Value, ...], bool], list[tuple[Value, tuple[Value, ...]]]] = {}
    for node in order:
        if node.op is not ops.DOT or not computed(node):
            continue
        first, second, bias = ops.dot_parts(node.parents)
        if bias and bias[0] in is_batched:
            continue
        if all(map(is_shared_input, first)) and not all(map(is_shared_input, second)):
            weights, inputs = first, second
        elif all(map(is_shared_input, second)) and not all(map(is_shared_input, first)):
            weights, inputs = second, first
        else:
            continue
        layers.setdefault((tuple(inputs), bool(bias)), []).append((node, tuple(weights)))
    for (inputs, has_bias), members in layers.items():
        nodes = [node for node, _ in members]
        add(
            Vector(
                "dot",
                nodes,
                ops.DOT,
                weights=[weights for _, weights in members],
                inputs=inputs,
                biases=tuple(node.parents[-1] for node in nodes) if has_bias else None,
            )
        )

    children: dict[Value, list[Value]] = {}
    for node in order:
        if computed(node):
            for parent in set(node.parents):
                children.setdefault(parent, []).append(node)

    def elementwise(members: list[Value]) -> Vector | None:
        """The members as one elementwise vector, if each input position reads as an array."""
        op = members[0].op
        assert op is not None
        if op.arity < 1 or len(members) < 2 or len(set(members)) < len(members):
            return None
        operands = [tuple(m.parents[p] for m in members) for p in range(op.arity)]
        for operand in operands:
            if not _readable(operand, member_of, is_shared_input, is_batched):
                return None
        return Vector("elementwise", members, op, operands=operands)

    def grow(vector: Vector) -> list[Vector]:
        """Elementwise vectors of the members' children: same op, same position, the other
        inputs shared by all or aligned elements of another vector."""
        buckets: dict[tuple[object, ...], dict[int, Value]] = {}
        for j, member in enumerate(vector.members):
            for child in children.get(member, ()):
                if not computed(child) or child.op is None or child.op.arity < 1:
                    continue
                key: tuple[object, ...] = (
                    child.op,
                    child.parents.index(member),
                    *(
                        _describe(p, j, member_of, is_shared_input, is_batched)
                        for p in child.parents
                    ),
                )
                buckets.setdefault(key, {}).setdefault(j, child)
        grown = []
        for by_index in buckets.values():
            members = [by_index[j] for j in sorted(by_index)]
            if all(computed(m) for m in members):
                candidate = elementwise(members)
                if candidate is not None:
                    add(candidate)
                    grown.append(candidate)
        return grown

    def seed_from_nary() -> list[Vector]:
        """Elementwise vectors of the parents of n-ary nodes (Σ p·p over parameters)."""
        seeded = []
        for node in order:
            if node.op is None or node.op.arity >= 0 or node in stops:
                continue
            by_op: dict[tuple[object, int], list[Value]] = {}
            for parent in dict.fromkeys(node.parents):
                if computed(parent) and parent.op is not None and parent.op.arity >= 1:
                    by_op.setdefault((parent.op, len(parent.parents)), []).append(parent)
            for members in by_op.values():
                candidate = elementwise(members) if _independent(members) else None
                if candidate is not None:
                    add(candidate)
                    seeded.append(candidate)
        return seeded

    queue = list(vectors)
    for _ in range(2):
        queue += seed_from_nary()
        while queue:
            queue += grow(queue.pop(0))
    return vectors


def _describe(
    parent: Value,
    index: int,
    member_of: dict[Value, Vector],
    is_shared_input: Callable[[Value], bool],
    is_batched: set[Value],
) -> object:
    """How a child's input looks from member ``index``: what must agree across a vector."""
    vector = member_of.get(parent)
    if vector is not None and vector.members.index(parent) == index:
        return ("aligned", vector)
    if _is_constant(parent):
        return ("constant",)
    if is_shared_input(parent):
        return ("shared input",)
    if parent.is_leaf and parent in is_batched:
        return ("batched input",)
    return ("same", parent)


def _is_constant(node: Value) -> bool:
    return node.op is CONSTANT


def _readable(
    operand: tuple[Value, ...],
    member_of: dict[Value, Vector],
    is_shared_input: Callable[[Value], bool],
    is_batched: set[Value],
) -> bool:
    """True if the nodes can be read as one array without stacking scalars one by one."""
    first = operand[0]
    if all(node is first for node in operand):
        return True
    if all(map(_is_constant, operand)):
        return True
    if all(map(is_shared_input, operand)):
        return True
    if all(node.is_leaf and node in is_batched and not is_shared_input(node) for node in operand):
        return True
    vector = member_of.get(first)
    return vector is not None and all(member_of.get(node) is vector for node in operand)


def _independent(members: list[Value]) -> bool:
    """No member is a parent of another (a deeper dependency is caught by the ordering)."""
    group = set(members)
    return not any(parent in group for m in members for parent in m.parents)


def emission_order(recording: Recording, vectors: list[Vector]) -> list[Unit]:
    """The units in an order that computes every input before its use, close to creation order.
    A vector whose members depend on each other through other nodes cannot be one statement: it
    is given up (its members become single nodes again)."""
    while True:
        member_of = {m: v for v in vectors for m in v.members}
        units: list[Unit] = []
        unit_of: dict[Value, Unit] = {}
        for node in recording.order():
            vector = member_of.get(node)
            if vector is None:
                units.append(node)
                unit_of[node] = node
            elif vector.members[0] is node:
                units.append(vector)
            if vector is not None:
                unit_of[node] = vector
        depends: dict[int, set[int]] = {}
        position = {id(u): i for i, u in enumerate(units)}
        for i, unit in enumerate(units):
            nodes = unit.members if isinstance(unit, Vector) else [unit]
            needs = set()
            for node in nodes:
                for parent in recording.sources(node):
                    other = position[id(unit_of[parent])]
                    if other != i:
                        needs.add(other)
            depends[i] = needs
        ordered = _kahn(units, depends)
        if len(ordered) == len(units):
            return ordered
        done = set(map(id, ordered))
        stuck = [u for u in units if isinstance(u, Vector) and id(u) not in done]
        latest = max(stuck, key=lambda v: max(m.serial for m in v.members))
        vectors = [v for v in vectors if v is not latest]


def _kahn(units: list[Unit], depends: dict[int, set[int]]) -> list[Unit]:
    """Units in dependency order, earliest first where free to choose (short of those on a
    cycle)."""
    users: dict[int, list[int]] = {i: [] for i in depends}
    waiting = {i: len(needs) for i, needs in depends.items()}
    for i, needs in depends.items():
        for other in needs:
            users[other].append(i)
    ready = [i for i, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        i = heapq.heappop(ready)
        ordered.append(units[i])
        for user in users[i]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    return ordered
