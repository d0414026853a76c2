"""check_work: a student's hand-computed gradients, checked, with the kind of each mistake.

The oracle for "right" is the engine's own backward pass, itself tested against sympy and central
differences; the oracles for the kinds are mistakes made on purpose, one factor at a time.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import graph_inputs, leaves, random_graphs

import nn
from autograd import Value, check_work, paths
from autograd.core.graph import topological_order
from autograd.readers.exercises import ABS_TOL, REL_TOL, Report
from autograd.toy import toy_model

TOY = {  # ∂ℓ/∂node for the toy model at its built-in values, from its backward pass
    "f3": 0.744528,
    "h3": 2.23358,
    "f2": -1.68306,
    "h2": -3.36612,
    "f1": -17.0605,
    "h1": 6.82419,
    "f0": 2.2809,
}


def toy_grads() -> dict[str, float]:
    model = toy_model()
    model.loss.backward()
    nodes = {**model.intermediates, **model.parameters}
    return {name: node.grad for name, node in nodes.items()}


def reuse() -> tuple[Value, Value, Value]:
    """y = x·x + x at x = 3: ∂y/∂h = 1, ∂y/∂x = 2x + 1 = 7 over three paths."""
    x = Value(3.0, "x")
    h = x * x
    h.label = "h"
    y = h + x
    y.label = "y"
    return y, h, x


def test_right_answers_at_four_significant_digits_pass():
    report = check_work(toy_model().loss, TOY)
    assert report.ok and report.first_error is None and report.errors == ()
    assert str(report) == "All 7 answers are right."
    assert [name for name, _, _ in report.checked] == list(TOY)  # backward order
    exact = toy_grads()
    for name, answer, expected in report.checked:
        assert answer == TOY[name] and expected == pytest.approx(exact[name], rel=1e-12)


def test_the_tolerance_is_relative_with_an_absolute_floor():
    y, _, x = reuse()
    assert check_work(y, {x: 7.0 * (1 + 0.9 * REL_TOL)}).ok
    assert not check_work(y, {x: 7.0 * (1 + 1.1 * REL_TOL)}).ok
    assert check_work(y, {x: 7.001}, rel_tol=1e-2).ok
    zero = Value(0.0, "z")
    out = zero * zero  # ∂/∂z = 2z = 0
    assert check_work(out, {zero: 0.9 * ABS_TOL}).ok
    assert not check_work(out, {zero: 2 * ABS_TOL}).ok


def test_a_wrong_local_derivative_below_a_right_upstream_gradient():
    # cos′ = −sin: the sign forgotten at h3 = cos(f2)
    answers = {"f3": TOY["f3"], "h3": TOY["h3"], "f2": -TOY["f2"]}
    report = check_work(toy_model().loss, answers)
    mistake = report.first_error
    assert not report.ok and mistake is not None
    assert (mistake.node, mistake.kind, mistake.reason) == ("f2", "local", "checked")
    assert mistake.expected == pytest.approx(toy_grads()["f2"]) and mistake.given == -TOY["f2"]
    assert mistake.implied_local == pytest.approx(
        math.sin(toy_model().intermediates["f2"].data), 1e-5
    )
    assert mistake.terms[0].child == "h3" and mistake.terms[0].formula == "-sin(f2)"
    text = str(report)
    assert "∂ℓ/∂f2: you gave 1.68306, the engine gets -1.68306." in text
    assert "∂h3/∂f2 = -sin(f2) (= -0.753523)" in text and "implies 0.753524" in text


def test_unnamed_nodes_are_stepped_over_as_a_person_does():
    # h3 → ω3·h3 → f3 is one step, ∂f3/∂h3 = ω3; the student gave ∂ℓ/∂f3, so it is trusted
    report = check_work(toy_model().loss, {"f3": TOY["f3"], "h3": TOY["f3"] * 3.1})
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("local", "checked")
    assert mistake.terms[0].child == "f3" and mistake.terms[0].formula == "ω3"
    assert mistake.implied_local == pytest.approx(3.1)


def test_a_typical_slip_is_recognised_without_the_upstream_answer():
    report = check_work(toy_model().loss, {"f2": -TOY["f2"]})
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("local", "guessed")
    assert "you did not give it" in str(report)


def test_a_wrong_upstream_gradient_carried_along():
    wrong_h3 = 2.0
    answers = {"f3": TOY["f3"], "h3": wrong_h3, "f2": -0.753523 * wrong_h3}
    report = check_work(toy_model().loss, answers)
    assert [m.node for m in report.errors] == ["h3", "f2"]
    assert report.first_error is not None and report.first_error.node == "h3"
    carried = report.error_for("f2")
    assert carried is not None and (carried.kind, carried.reason) == ("upstream", "carried")
    assert carried.student_upstream == wrong_h3 and carried.terms[0].child == "h3"
    assert "you used your answer ∂ℓ/∂h3 = 2" in carried.explain()
    assert "Also wrong, further back: ∂ℓ/∂f2." in str(report)


def test_the_local_derivative_alone_is_a_forgotten_upstream_gradient():
    report = check_work(toy_model().loss, {"h3": 3.0})  # ∂f3/∂h3 = ω3 = 3, never times ∂ℓ/∂f3
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("upstream", "forgotten")
    assert "multiply it by the upstream gradient ∂ℓ/∂f3 = 0.744528" in str(report)


def test_a_forgotten_path():
    y, _, x = reuse()
    report = check_work(y, {"h": 1.0, "x": 6.0})
    mistake = report.first_error
    assert mistake is not None and (mistake.node, mistake.kind) == ("x", "missing_path")
    assert [p.included for p in mistake.paths] == [True, True, False]
    assert sum(p.product for p in mistake.paths) == pytest.approx(7.0)
    assert "✗ x → y" in str(report)
    # one of the two uses inside x·x forgotten
    assert check_work(y, {x: 4.0}).first_error.kind == "missing_path"


def test_the_2_2_2_network_second_path():
    """∂E/∂out_h1 through o1 only (Mazur's classic slip): the path through o2 is missing."""
    model = nn.MLP(2, [2, 2], activation="sigmoid", final_activation="sigmoid")
    model.load_state_dict(
        {
            **{f"layers.0.neurons.{j}.w.{k}": w for (j, k), w in zip(
                [(0, 0), (0, 1), (1, 0), (1, 1)], [0.15, 0.20, 0.25, 0.30])},
            **{f"layers.1.neurons.{j}.w.{k}": w for (j, k), w in zip(
                [(0, 0), (0, 1), (1, 0), (1, 1)], [0.40, 0.45, 0.50, 0.55])},
            "layers.0.neurons.0.b": 0.35, "layers.0.neurons.1.b": 0.35,
            "layers.1.neurons.0.b": 0.60, "layers.1.neurons.1.b": 0.60,
        }
    )  # fmt: skip
    out_h1, out_h2 = model.layers[0]([0.05, 0.10])
    out_h1.label = "out_h1"
    error = nn.half_squared_error(model.layers[1]([out_h1, out_h2]), [0.01, 0.99])
    report = check_work(error, {"out_h1": 0.055399425})
    mistake = report.first_error
    assert mistake is not None and mistake.kind == "missing_path"
    assert mistake.expected == pytest.approx(0.036350306, abs=1e-9)
    assert [p.included for p in mistake.paths] == [True, False]


def test_an_unexplained_answer_is_wrong_with_the_chain_rule_written_out():
    report = check_work(toy_model().loss, {"f2": 123.0})
    mistake = report.first_error
    assert mistake is not None and mistake.kind == "wrong"
    assert "∂ℓ/∂f2 = -sin(f2) · ∂ℓ/∂h3 = (-0.753523) · 2.23358 = -1.68306" in str(report)
    y, _, _ = reuse()
    assert check_work(y, {"y": 2.0}).first_error.kind == "wrong"  # ∂y/∂y = 1


def test_the_first_error_is_first_in_backward_order_whatever_the_order_of_the_answers():
    answers = {"f0": 1.0, "h1": TOY["h1"], "f3": 2.0}
    report = check_work(toy_model().loss, answers)
    assert [m.node for m in report.errors] == ["f3", "f0"]


def test_names_values_and_spaces():
    model = toy_model()
    loss = model.loss
    f3_minus_y = loss.parents[0]
    assert check_work(loss, {"f3-y": 0.744528}).ok
    assert check_work(loss, {" f3 - y ": 0.744528, model.parameters["ω0"]: 5.24607}).ok
    assert check_work(loss, {f3_minus_y: 0.744528}).ok


def test_gradients_are_left_as_they_were():
    model = toy_model()
    model.loss.backward()
    before = {name: node.grad for name, node in model.intermediates.items()}
    check_work(model.loss, {"f2": 1.0})
    assert {name: node.grad for name, node in model.intermediates.items()} == before


@pytest.mark.parametrize(
    ("output", "answers", "error", "message"),
    [
        (None, {}, TypeError, "needs the output Value first"),
        ("toy", [("f3", 1.0)], TypeError, "mapping from node names"),
        (
            "toy",
            {"g7": 1.0},
            KeyError,
            "no node named 'g7' in the graph of ℓ; its nodes are β0, ω0",
        ),
        ("toy", {3: 1.0}, TypeError, "keyed by node names or Values"),
        ("toy", {Value(1.0): 1.0}, ValueError, "is not in the graph of ℓ"),
        ("toy", {"2": 1.0}, ValueError, "2 is a constant"),
        ("toy", {"f3": "0.7"}, TypeError, "answer for f3 needs a real number"),
        ("toy", {"f3": Value(0.7)}, TypeError, "answer for f3 must be a number, got a Value"),
        ("toy", {"f3": math.nan}, ValueError, "answer for f3 needs a finite number"),
        ("toy", {"f3": True}, TypeError, "needs a real number"),
    ],
)
def test_bad_input_is_refused_clearly(output, answers, error, message):
    with pytest.raises(error, match=message):
        check_work(toy_model().loss if output == "toy" else output, answers)


def test_bad_options_are_refused():
    loss = toy_model().loss
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        check_work(loss, {}, lang="fr")
    with pytest.raises(ValueError, match="rel_tol must be a number ≥ 0"):
        check_work(loss, {}, rel_tol=-1)
    with pytest.raises(ValueError, match="two answers for f3"):
        check_work(loss, {"f3": 1.0, "f 3": 1.0})


def test_no_answers_is_a_report_with_nothing_checked():
    report = check_work(toy_model().loss, {})
    assert isinstance(report, Report) and report.ok and report.checked == ()
    assert str(report) == "No answers to check."


@given(data=st.data())
def test_random_graphs_right_answers_pass_and_one_wrong_local_derivative_is_found(data):
    graph = data.draw(random_graphs(max_steps=12))
    point = data.draw(graph_inputs(graph))
    inputs = leaves(point)
    out = graph(*inputs)
    order = [n for n in topological_order([out]) if not n.is_constant]
    for i, node in enumerate(order):
        node.label = node.label or f"n{i}"
    grads = {node: g for node, g in zip(order, _gradients(out, order))}
    assert check_work(out, grads).ok
    # one node with a single path, a nonzero gradient and the engine's upstream answers given
    single = [n for n in order[1:] if len(paths(out, n)) == 1 and abs(grads[n]) > 1e-3]
    if not single:
        return
    node = data.draw(st.sampled_from(single))
    answers = {n: g for n, g in grads.items() if n is not node}
    answers[node] = grads[node] * data.draw(st.sampled_from([-1.0, 1.5, 3.0, 0.5]))
    mistake = check_work(out, answers).first_error
    assert mistake is not None and mistake.node == node.label
    assert mistake.kind == "local"


def _gradients(out: Value, nodes: list[Value]) -> list[float]:
    from autograd.core.backward import pass_gradients

    return [float(g) for g in pass_gradients([out], nodes)]


def test_two_leaves_with_one_label_are_told_apart_by_the_display_names():
    first, second = Value(3.0, "x"), Value(4.0, "x")
    y = first * second
    report = check_work(y, {"x": 4.0, "x₂": 3.0})  # ∂y/∂x = the other x
    assert report.ok and [name for name, _, _ in report.checked] == ["x₂", "x"]
    mistake = check_work(y, {"x₂": 4.0}).first_error
    assert mistake is not None and mistake.node == "x₂" and mistake.kind == "local"
