"""The display layer: distinct names for distinct nodes, one number format, ids by input index,
and every reader using them (traces, drawings, paths, closed forms)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, closed_form, draw_graph, paths, trace
from autograd.readers.display import Names, edge_id, node_id, number, op_id, operand
from autograd.readers.symbolic import symbol_values


def two_xs():
    """f = x·x₂ + sin(x): two different leaves that are both labelled x."""
    x, other = Value(3.0, "x"), Value(-2.0, "x")
    return x, other, x * other + x.sin()


def test_two_leaves_with_one_label_get_distinct_names():
    x, other, f = two_xs()
    names = Names([f])
    assert (names[x], names[other]) == ("x", "x₂")
    assert len({names[n] for n in names.nodes}) == len(names.nodes)


def test_two_leaves_with_one_label_keep_distinct_gradients_everywhere():
    x, other, f = two_xs()
    expected = {"x": other.data + math.cos(x.data), "x₂": x.data}
    # trace: both gradients, by distinct names
    record = trace(f)
    assert record.grads == expected
    assert {row.node_name for row in record.leaves} == {"x", "x₂"}
    assert {row.parent_name for row in record.pass_two} == {"x", "x₂"}
    # paths: the sums agree with the gradients, under distinct names
    assert paths(f, x).total == expected["x"] and paths(f, other).total == expected["x₂"]
    assert paths(f, other).leaf == "x₂" and paths(f, other)[0].names[0] == "x₂"
    # closed form: distinct sympy symbols, so each derivative is the right one
    d_x, d_other = closed_form(f, x), closed_form(f, other)
    values = symbol_values(f)
    assert len(values) == 2 and d_x != d_other
    assert math.isclose(float(d_x.subs(values)), expected["x"])
    assert math.isclose(float(d_other.subs(values)), expected["x₂"])
    # drawing: both names are drawn, each on its own box
    source = draw_graph(f).source
    assert f"id={node_id(x)}" in source and f"id={node_id(other)}" in source
    assert "<B>x</B>" in source and "<B>x₂</B>" in source


def test_edges_are_told_apart_by_input_index():
    x = Value(3.0, "x")
    y = x * x
    record = trace(y)
    assert [row.edge_id for row in record.backward] == [edge_id(y, 0), edge_id(y, 1)]
    assert edge_id(y, 0) != edge_id(y, 1) and op_id(y) == f"op{y.serial}"
    assert record.grads == {"x": 6.0}
    assert [row.grad_before for row in record.backward] == [0.0, 3.0]
    assert [f.index for p in paths(y, x) for f in p.factors] == [0, 1]


def test_a_repeated_formula_gets_its_own_name():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    a, b = x * y, x * y  # two nodes, one formula
    names = Names([a + b])
    assert names[a] == "x·y" and names[b] == "v1"


def test_textbook_naming_gives_every_op_a_row():
    x, y = Value(1.5, "x"), Value(-2.0, "y")
    f = (x * y).sin() + x**2
    record = trace(f, naming="textbook")
    assert [(r.node_name, r.formula) for r in record.forward] == [
        ("f0", "x·y"),
        ("h1", "sin(f0)"),
        ("f1", "x²"),
        ("f", "h1 + f1"),
    ]


def test_a_label_on_several_computed_nodes_numbers_every_one():
    """A neuron evaluated on three samples: L1.N1₁, L1.N1₂, L1.N1₃ (and occurrence says so);
    leaves keep x, x₂."""
    x = Value(0.5, "x")
    outs = []
    for k in range(3):
        h = (x * (k + 1)).tanh()
        h.label = "L1.N1"
        outs.append(h)
    total = outs[0] + outs[1] + outs[2]
    names = Names([total])
    assert [names[h] for h in outs] == ["L1.N1₁", "L1.N1₂", "L1.N1₃"]
    assert [names.occurrence(h) for h in outs] == [("L1.N1", k, 3) for k in (1, 2, 3)]
    assert names.occurrence(x) == ("x", 1, 1)


def test_the_whole_expression_in_display_notation():
    w, x, b, t = (Value(v, n) for v, n in [(0.15, "w1"), (0.05, "x1"), (0.35, "b"), (0.01, "t")])
    loss = ((w * x + b).sigmoid() - t) ** 2 / 2
    assert Names([loss]).expression(loss) == "(sigmoid(w1·x1 + b) - t)² / 2"


def test_one_number_format():
    assert [number(v) for v in (2.0, 0.1 + 0.2, -17.06054321, 1e-7)] == [
        "2",
        "0.3",
        "-17.0605",
        "1e-07",
    ]
    assert operand(-0.4) == "(-0.4)" and operand(0.4) == "0.4"


labels = st.sampled_from(["x", "x", "x₂", "f", "v1", "y", ""])


@given(st.lists(labels, min_size=1, max_size=6), st.data())
def test_names_are_always_distinct(leaf_labels, data):
    leaves = [Value(float(i + 1), label) for i, label in enumerate(leaf_labels)]
    nodes = list(leaves)
    for _ in range(data.draw(st.integers(0, 6))):
        a, b = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
        node = a * b if data.draw(st.booleans()) else a + b
        node.label = data.draw(labels)
        nodes.append(node)
    out = sum(nodes[1:], nodes[0]) if len(nodes) > 1 else nodes[0] * 1.0
    names = Names([out])
    shown = [names[n] for n in names.nodes if not n.is_constant]
    assert len(set(shown)) == len(shown)
    for node in names.nodes:  # a labelled node keeps its label, perhaps with a subscript
        if node.label:
            assert names[node].startswith(node.label)
