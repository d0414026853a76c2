"""The graph walk (autograd/core/graph.py) against a plain reference: the nodes reachable from the
outputs, each once, newest first. The walk takes shortcuts for speed (a work list, one check at C
speed for a node whose many parents are all found); these tests pin it to the plain definition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from strategies import graph_inputs, leaves, random_graphs

import autograd
from autograd import Value
from autograd.core.graph import topological_order


def reference_order(outputs: list[Value]) -> list[Value]:
    """Every node reachable from ``outputs`` through ``parents``, newest (largest serial) first."""
    reached: dict[int, Value] = {}
    pending = list(outputs)
    while pending:
        node = pending.pop()
        if id(node) not in reached:
            reached[id(node)] = node
            pending.extend(node.parents)
    return sorted(reached.values(), key=lambda node: node.serial, reverse=True)


def assert_is_the_order(order: list[Value], outputs: list[Value]) -> None:
    assert [id(n) for n in order] == [id(n) for n in reference_order(outputs)]
    position = {id(node): i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(node)] < position[id(parent)]


@given(data=st.data())
def test_random_graphs_give_the_reference_order(data):
    graph = data.draw(random_graphs())
    inputs = leaves(data.draw(graph_inputs(graph)))
    out = graph(*inputs)
    assert_is_the_order(topological_order([out]), [out])


@given(data=st.data(), count=st.integers(2, 4))
def test_several_outputs_sharing_nodes(data, count):
    graph = data.draw(random_graphs())
    inputs = leaves(data.draw(graph_inputs(graph)))
    outputs = [graph(*inputs) * k for k in range(1, count + 1)]
    outputs.append(outputs[0])  # the same output twice is still one node
    assert_is_the_order(topological_order(outputs), outputs)


def test_many_parent_nodes_with_repeated_and_shared_parents():
    x, y, b = Value(0.5, "x"), Value(-1.5, "y"), Value(0.25, "b")
    first = autograd.dot([x, x, y], [y, x, x], b)  # x four times among seven parents
    second = autograd.dot([x, y, b], [first, first, x])  # every parent already found once
    third = autograd.sum_values([second, first, x, second])
    out = third * first
    order = topological_order([out])
    assert_is_the_order(order, [out])
    assert len(order) == 7  # out, third, second, first, b, y, x


def test_a_leaf_alone():
    x = Value(2.0, "x")
    assert topological_order([x]) == [x]
