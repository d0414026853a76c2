"""The display layer: distinct names for distinct nodes, one number format, ids by input index,
and every reader using them (traces, drawings, paths, closed forms)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Stepper, Value, closed_form, draw_graph, export_html, paths, trace
from autograd.readers.display import (
    Names,
    checked_parameters,
    edge_id,
    node_id,
    number,
    op_id,
    operand,
    roles,
)
from autograd.readers.symbolic import symbol_values
from autograd.readers.tracing import formula_text
from autograd.toy import toy_model


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


# ---- parameters= : one check for every reader --------------------------------------------------


READERS = {
    "trace": trace,
    "draw_graph": draw_graph,
    "Stepper": Stepper,
}


def roles_shown(record):
    return {row.node_name: row.role for row in record.leaves}


def test_the_toy_models_dict_of_parameters_is_taken_by_its_values():
    model = toy_model()
    by_dict = roles_shown(trace(model.loss, parameters=model.parameters))
    by_values = roles_shown(trace(model.loss, parameters=model.parameters.values()))
    assert by_dict == by_values
    assert by_dict["β0"] == by_dict["ω3"] == "parameter"
    assert by_dict["x"] == by_dict["y"] == "input"
    drawing = draw_graph(model.loss, parameters=model.parameters)
    drawn = {box.lines[0][1]: box.role for box in drawing.boxes if box.kind == "value"}
    assert drawn["β0"] == drawn["ω3"] == "parameter" and drawn["x"] == "input"
    assert "ω3" in Stepper(model.loss, parameters=model.parameters).html


def test_an_nn_modules_parameters_are_taken_and_the_uncalled_method_is_explained():
    import nn

    model = nn.MLP(2, [2, 1])
    output = model([Value(1.0, "x1"), Value(2.0, "x2")])
    record = trace(output, parameters=model.parameters())
    assert [r.role for r in record.leaves].count("parameter") == len(model.parameters())
    for reader in READERS.values():
        with pytest.raises(TypeError) as error:
            reader(output, parameters=model.parameters)
        assert "method" in str(error.value)
        assert "call it, parameters=model.parameters()" in str(error.value)


def test_export_html_refuses_bad_parameters_before_writing(tmp_path):
    model = toy_model()
    page = tmp_path / "steps.html"
    with pytest.raises(TypeError, match=r"export_html's parameters\[0\] must be a Value"):
        export_html(model.loss, page, parameters=["β0"])
    assert not page.exists()


def test_roles_is_the_one_check_and_refuses_what_it_is_given_wrong():
    model = toy_model()
    nodes = Names([model.loss]).nodes
    with pytest.raises(TypeError, match=r"roles' parameters\[1\] must be a Value"):
        roles(model.loss, nodes, [model.parameters["β0"], 1.0], "roles' parameters")


not_values = st.one_of(
    st.text(max_size=5),
    st.floats(allow_nan=False),
    st.integers(),
    st.none(),
    st.booleans(),
    st.tuples(st.integers()),
)


@given(st.sampled_from(sorted(READERS)), not_values, st.integers(0, 8))
def test_a_non_value_among_the_parameters_is_a_type_error_naming_its_position(
    reader, item, position
):
    model = toy_model()
    parameters = list(model.parameters.values())
    position = min(position, len(parameters))
    parameters.insert(position, item)
    with pytest.raises(TypeError) as error:
        READERS[reader](model.loss, parameters=parameters)
    message = str(error.value)
    assert message.startswith(f"{reader}'s parameters[{position}] must be a Value")
    assert f"got the {type(item).__name__} " in message


@given(st.sampled_from(sorted(READERS)), st.text(min_size=1, max_size=4), not_values)
def test_a_bad_value_in_a_dict_is_named_by_its_key(reader, key, item):
    model = toy_model()
    with pytest.raises(TypeError, match=rf"parameters\[{re.escape(repr(key))}\] must be a Value"):
        READERS[reader](model.loss, parameters={**model.parameters, key: item})


@given(
    st.sampled_from(sorted(READERS)),
    st.one_of(st.integers(), st.floats(), st.none(), st.booleans(), st.text(max_size=5)),
)
def test_a_parameters_argument_that_is_no_collection_is_a_type_error(reader, argument):
    model = toy_model()
    with pytest.raises(TypeError, match=rf"^{reader}'s parameters must be a list of Values"):
        READERS[reader](model.loss, parameters=argument)


def test_one_value_instead_of_a_list_is_told_to_go_in_a_list():
    model = toy_model()
    with pytest.raises(TypeError, match=r"got one Value, Value 'ω0' \(data 0.1\): put it in"):
        trace(model.loss, parameters=model.parameters["ω0"])


@given(
    st.sampled_from(sorted(READERS)),
    st.floats(-5, 5, allow_nan=False),
    st.sampled_from(["w", "β0", ""]),
)
def test_a_value_from_another_graph_is_a_value_error_naming_it(reader, data, label):
    model = toy_model()
    stranger = Value(data, label)  # even labelled like one of the toy's own parameters
    with pytest.raises(ValueError) as error:
        READERS[reader](model.loss, parameters=[model.parameters["β0"], stranger])
    message = str(error.value)
    named = f"Value {label!r} (data {data!r})" if label else f"an unlabelled Value (data {data!r})"
    assert message == (
        f"{reader}'s parameters[1] is {named}, which is not in the output's graph (a Value from "
        "another computation?); parameters must be leaves of this graph"
    )


@pytest.mark.parametrize("reader", sorted(READERS))
def test_an_intermediate_node_is_a_value_error_naming_it_as_displays_do(reader):
    model = toy_model()
    difference = model.loss.parents[0]  # f3 - y, unlabelled: named by its formula
    for node, name, op in ((model.intermediates["h1"], "h1", "sin"), (difference, "f3 - y", "sub")):
        with pytest.raises(ValueError) as error:
            READERS[reader](model.loss, parameters=[node])
        assert str(error.value) == (
            f"{reader}'s parameters[0] is {name!r}, an intermediate node (computed by {op}) of "
            "the output's graph, not a leaf: only leaves (inputs and parameters) can be marked "
            "as parameters"
        )


def test_checked_parameters_keeps_order_and_accepts_any_iterable():
    x, w = Value(1.0, "x"), Value(2.0, "w")
    f = w * x
    assert checked_parameters(f, (v for v in [w, x])) == [w, x]
    assert checked_parameters(f, {"w": w}) == [w]
    assert checked_parameters(f, ()) == []


def test_an_op_with_a_tidy_operand_is_written_with_it_as_the_drawing_shows_it():
    """x - 0 is drawn as a − oval with a 0: its formula says ``x - 0`` too, and it is named as
    its neighbour x - 1 is (inline), not ``v1 = x`` (the 0 hidden)."""
    x = Value(0.5, "x")
    zero, one = x - 0, x - 1
    total = zero * 1 + one**1
    names = Names([total])
    assert (names[zero], names[one]) == ("x - 0", "x - 1")
    assert names.is_inlined(zero) and names.is_inlined(one)
    product = total.parents[0]
    assert names[product] == "(x - 0)·1"


def test_a_network_s_errors_read_alike_whatever_the_target():
    """Each sample's error of a collapsed network: ``L2.N1ₖ - 0`` or ``L2.N1ₖ - 1`` alike, and
    the sum of their squares shows its first and last term, sample 1 and sample 8."""
    model = nn.MLP(2, [3, 1], seed=0)
    points = [[0.1 * k, -0.2 * k] for k in range(8)]
    targets = [0, 1, 0, 1, 1, 0, 0, 1]
    loss = nn.mse_loss([model(p) for p in points], targets)
    names = Names([loss])
    errors = [n for n in names.nodes if n.op is not None and n.op.name == "sub"]
    assert [names[e] for e in errors] == [
        f"L2.N1{chr(0x2080 + k)} - {t}" for k, t in zip(range(1, 9), targets)
    ]
    total = next(n for n in names.nodes if n.op is not None and n.op.notation.kind == "sum")
    assert formula_text(names.formula(total)) == "Σ (L2.N1₁ - 0)² … (L2.N1₈ - 1)²"
