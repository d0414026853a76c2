"""check_work: a student's hand-computed gradients, checked, with the kind of each mistake.

The oracle for "right" is the engine's own backward pass, itself tested against sympy and central
differences; the oracles for the kinds are mistakes made on purpose, one factor at a time; and every
equation the feedback prints is evaluated independently (tests/equations.py).
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from equations import assert_true_equations
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import graph_inputs, leaves, random_graphs

import autograd
import nn
from autograd import Value, check_work
from autograd.core.backward import chain_rule_steps, pass_gradients
from autograd.core.graph import topological_order
from autograd.readers.display import Names
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
    return {Names([model.loss])[n]: n.grad for n in topological_order([model.loss])}


def reuse() -> tuple[Value, Value, Value]:
    """y = x·x + x at x = 3: ∂y/∂h = 1, ∂y/∂x = 2x + 1 = 7 over three paths."""
    x = Value(3.0, "x")
    h = x * x
    h.label = "h"
    y = h + x
    y.label = "y"
    return y, h, x


def mazur() -> tuple[Value, dict[str, float]]:
    """Mazur's 2-2-2 network, its nodes named as notebook 02 names them (inputs i1, i2 included),
    and ∂E_total/∂node for every node by name."""
    model = nn.MLP(2, [2, 2], activation="sigmoid", final_activation="sigmoid")
    values = [0.15, 0.20, 0.35, 0.25, 0.30, 0.35, 0.40, 0.45, 0.60, 0.50, 0.55, 0.60]
    for parameter, value in zip(model.parameters(), values):
        parameter.data = value
    (h1, h2), (o1, o2) = (layer.neurons for layer in model.layers)
    for name, weight in zip(["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"],
                            [*h1.w, *h2.w, *o1.w, *o2.w]):  # fmt: skip
        weight.label = name
    out_h = model.layers[0]([Value(0.05, "i1"), Value(0.10, "i2")])
    out_o = model.layers[1](out_h)
    errors = [0.5 * (t - o) ** 2 for t, o in zip([0.01, 0.99], out_o)]
    total = errors[0] + errors[1]
    for name, node in [("out_h1", out_h[0]), ("out_h2", out_h[1]), ("out_o1", out_o[0]),
                       ("out_o2", out_o[1]), ("E_o1", errors[0]), ("E_o2", errors[1]),
                       ("E_total", total)]:  # fmt: skip
        node.label = name
        if name.startswith("out"):
            node.parents[0].label = "net" + name[3:]
    names = Names([total])
    order = topological_order([total])
    return total, {names[n]: g for n, g in zip(order, pass_gradients([total], order))}


def explained(report: Report, grads: dict[str, float]) -> str:
    """The report's text, every mistake in full, each checked for false equations."""
    text = "\n".join([str(report), *(m.explain() for m in report.errors)])
    assert_true_equations(text, grads, report.output)
    return text


def test_right_answers_at_four_significant_digits_pass():
    report = check_work(toy_model().loss, TOY)
    assert report.ok and report.first_error is None and report.errors == ()
    assert str(report) == "All 7 answers are right."
    assert [name for name, _, _ in report.checked] == list(TOY)  # backward order
    exact = toy_grads()
    for name, answer, expected in report.checked:
        assert answer == TOY[name] and expected == pytest.approx(exact[name], rel=1e-12)


def test_counts_read_right_in_the_singular_and_the_plural():
    """The lecturer's finding: "All 1 answers are right." """
    loss = toy_model().loss
    assert str(check_work(loss, {"f3": TOY["f3"]})) == "The answer is right."
    assert str(check_work(loss, {"f3": TOY["f3"], "h3": TOY["h3"]})) == "All 2 answers are right."
    one_right = str(check_work(loss, {"f3": TOY["f3"], "h3": 1.0}))
    assert one_right.startswith("1 of 2 answers is right. The first wrong one, in backward order:")
    none_right = str(check_work(loss, {"f3": 1.0, "h3": 1.0}))
    assert none_right.startswith("0 of 2 answers are right.")
    assert str(check_work(loss, {"f3": TOY["f3"]}, lang="zh")) == "检查了 1 个答案，全部正确。"
    assert str(check_work(loss, TOY, lang="zh")) == "检查了 7 个答案，全部正确。"


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
    assert (mistake.node_name, mistake.kind, mistake.reason) == ("f2", "local", "checked")
    assert mistake.expected == pytest.approx(toy_grads()["f2"]) and mistake.given == -TOY["f2"]
    assert mistake.implied_local == pytest.approx(
        math.sin(toy_model().intermediates["f2"].data), 1e-5
    )
    assert mistake.terms[0].upstream_name == "h3" and mistake.terms[0].formula == "-sin(f2)"
    text = explained(report, toy_grads())
    assert "∂ℓ/∂f2: you gave 1.68306, the engine gets -1.68306." in text
    assert "implies a local derivative of 1.68306 / 2.23358 = 0.753524" in text
    assert "but ∂h3/∂f2 = -sin(f2) = -0.753523" in text


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_everything_a_chinese_report_renders_is_chinese():
    """The lecturer's finding: print(report) was Chinese, print(report.error_for("h2")) English."""
    answers = {"f3": 0.7445, "h3": 2.234, "f2": 1.683, "h2": 5.0, "h1": 1.0}
    report = check_work(toy_model().loss, answers, lang="zh")
    english = check_work(toy_model().loss, answers)
    h2 = report.error_for("h2")
    assert h2 is not None and h2.lang == "zh"
    rendered = [str(report), str(h2), h2.explain(), h2.summary()]
    rendered += [text for m in report.errors for text in (str(m), m.explain(), m.summary())]
    for text in rendered:
        assert has_chinese(text), text
        assert "you gave" not in text and "the engine gets" not in text, text
    assert str(h2) == h2.explain("zh") != h2.explain("en") == str(english.error_for("h2"))
    assert str(h2).startswith("∂ℓ/∂h2：你的答案是 5，引擎算出的是 -3.36612。")
    assert h2.summary("en") == english.error_for("h2").summary()  # asking for English still works
    assert english.errors == tuple(replace(m, lang="en") for m in report.errors)


def test_an_upstream_answer_counts_as_known_only_when_it_is_right():
    """The student's finding: with ∂ℓ/∂f2 given *wrong*, a wrong ∂ℓ/∂h2 below it was explained
    as "the upstream gradient ∂ℓ/∂f2 = -1.68306 is right, so the local derivative is not"."""
    answers = {"f3": 0.7445, "h3": 2.234, "f2": 1.683, "h2": 5.0}
    for lang, wrongly_right in (("en", "∂ℓ/∂f2 = -1.68306 is right"), ("zh", "是对的")):
        report = check_work(toy_model().loss, answers, lang=lang)
        h2 = report.error_for("h2")
        assert h2 is not None and (h2.kind, h2.reason) == ("local", "both")
        assert h2.implied_local == pytest.approx(5.0 / 1.683)
        text = h2.explain(lang)
        assert wrongly_right not in text and "∂ℓ/∂f2 = 1.683" in text
    assert "Your answer for the upstream gradient, ∂ℓ/∂f2 = 1.683, is wrong" in explained(
        check_work(toy_model().loss, answers), toy_grads()
    )


def test_unnamed_nodes_are_stepped_over_as_a_person_does():
    # h3 → ω3·h3 → f3 is one step, ∂f3/∂h3 = ω3; the student gave ∂ℓ/∂f3, so it is trusted
    report = check_work(toy_model().loss, {"f3": TOY["f3"], "h3": TOY["f3"] * 3.1})
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("local", "checked")
    assert mistake.terms[0].upstream_name == "f3" and mistake.terms[0].formula == "ω3"
    assert mistake.implied_local == pytest.approx(3.1, rel=1e-5)


def test_a_typical_slip_is_recognised_without_the_upstream_answer():
    report = check_work(toy_model().loss, {"f2": -TOY["f2"]})
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("local", "guessed")
    assert "you did not give it" in str(report)


def test_a_wrong_upstream_gradient_carried_along():
    wrong_h3 = 2.0
    answers = {"f3": TOY["f3"], "h3": wrong_h3, "f2": -0.753523 * wrong_h3}
    report = check_work(toy_model().loss, answers)
    assert [m.node_name for m in report.errors] == ["h3", "f2"]
    carried = report.error_for("f2")
    assert carried is not None and (carried.kind, carried.reason) == ("upstream", "carried")
    assert carried.carries == ("h3",) and carried.terms[0].used == wrong_h3
    text = explained(report, toy_grads())
    assert "you multiplied it by your wrong answer ∂ℓ/∂h3 = 2 (the engine gets 2.23358)" in text
    assert "you computed -sin(f2) · ∂ℓ/∂h3 as (-0.753523) · 2 = -1.50705" in text


def test_a_carried_error_into_a_two_path_node_prints_both_paths():
    """The student's finding, on the node notebook 02 teaches: a wrong δ_o1 carried into
    ∂E/∂out_h1 = w5·δ_o1 + w7·δ_o2 printed an equation with the w7 term dropped."""
    total, grads = mazur()
    answers = {"net_o1": 0.2, "out_h1": 0.4 * 0.2 + 0.5 * grads["net_o2"]}
    report = check_work(total, answers)
    out_h1 = report.error_for("out_h1")
    assert out_h1 is not None and (out_h1.kind, out_h1.reason) == ("upstream", "carried")
    assert [t.upstream_name for t in out_h1.terms] == [
        "net_o1",
        "net_o2",
    ]  # as the forward pass made them
    text = explained(report, grads)
    assert (
        "∂E_total/∂out_h1 = w5 · ∂E_total/∂net_o1 + w7 · ∂E_total/∂net_o2 = "
        "0.4 · 0.138499 + 0.5 · (-0.0380982) = 0.0363503"
    ) in text
    assert "as 0.4 · 0.2 + 0.5 · (-0.0380982) = 0.0609509" in text


@pytest.mark.parametrize(
    ("answers", "used"),
    [  # right local derivative × another node's gradient: δ_o1 where ∂E/∂out_h1 belongs
        ({"net_h1": 0.241300709 * 0.138498562}, "net_o1"),
        ({"out_h1": 0.036350306, "net_h1": 0.241300709 * 0.138498562}, "net_o1"),
        ({"out_h1": 0.055399425, "net_h1": 0.241300709 * 0.055399425 * 2}, None),
    ],
)
def test_another_node_s_gradient_as_the_upstream_one(answers, used):
    total, grads = mazur()
    mistake = check_work(total, answers).error_for("net_h1")
    assert mistake is not None
    if used is None:  # 2 × a wrong upstream answer is not a swap: the local derivative is wrong
        assert (mistake.kind, mistake.reason) == ("local", "both")
        return
    assert (mistake.kind, mistake.reason) == ("upstream", "swapped")
    assert [t.source for t in mistake.terms] == [used]
    text = explained(check_work(total, answers), grads)
    assert "but you multiplied it by ∂E_total/∂net_o1 = 0.138499, the gradient of net_o1" in text
    assert "The upstream gradient here is ∂E_total/∂out_h1 = 0.0363503" in text


def test_another_node_s_gradient_in_the_toy_model():
    # ∂ℓ/∂h2 = ω2 · ∂ℓ/∂h3 (one node too far up), with and without ∂ℓ/∂f2 given
    for answers in ({"h2": 2 * TOY["h3"]}, {"f2": TOY["f2"], "h2": 2 * TOY["h3"]}):
        mistake = check_work(toy_model().loss, answers).error_for("h2")
        assert mistake is not None and (mistake.kind, mistake.reason) == ("upstream", "swapped")
        assert mistake.terms[0].source == "h3" and mistake.terms[0].upstream_name == "f2"


def test_the_local_derivative_alone_is_a_forgotten_upstream_gradient():
    report = check_work(toy_model().loss, {"h3": 3.0})  # ∂f3/∂h3 = ω3 = 3, never times ∂ℓ/∂f3
    mistake = report.first_error
    assert mistake is not None and (mistake.kind, mistake.reason) == ("upstream", "forgotten")
    assert "multiply it by the upstream gradient ∂ℓ/∂f3 = 0.744528" in explained(
        report, toy_grads()
    )


def test_a_forgotten_path():
    y, _, x = reuse()
    report = check_work(y, {"h": 1.0, "x": 6.0})
    mistake = report.first_error
    assert mistake is not None and (mistake.node_name, mistake.kind) == ("x", "missing_path")
    assert mistake.node == mistake.node_name == "x"  # .node: the name, as check_work was specified
    assert mistake.reason == "uses"  # ∂y/∂h was given, right: only x's own uses are in question
    assert "leaves out its use by y" in str(report)
    # ∂y/∂h not given: each path is one use and then y, so the uses say it (and name ∂y/∂h)
    mistake = check_work(y, {x: 6.0}).first_error
    assert mistake is not None and mistake.reason == "uses"
    assert [t.included for t in mistake.terms] == [True, True, False]
    assert (
        "x is used 3 times: twice by h (as its first and second input) and once by y. Every use "
        "adds to its gradient, and your answer leaves out its use by y:"
    ) in str(check_work(y, {x: 6.0}))
    one_inside = check_work(y, {x: 4.0})  # one use inside x·x left out
    assert one_inside.first_error.kind == "missing_path"
    assert "leaves out 1 of its 2 uses by h:" in str(one_inside)


def sin_reuse() -> Value:
    """f = x·x + sin(x) at x = 1.5, nothing labelled but x (the review's graph)."""
    x = Value(1.5, "x")
    return x * x + x.sin()


SIN_REUSE_SUM = (
    "∂f/∂x = x · ∂f/∂(x·x) + x · ∂f/∂(x·x) + cos(x) · ∂f/∂(sin(x)) = "
    "1.5 · 1 + 1.5 · 1 + 0.0707372 · 1 = 3.07074"
)


def test_a_node_used_twice_by_one_node_names_each_use():
    """The review's finding: for f = x·x + sin(x), the answer cos(x) (the use by sin(x) only)
    was explained as "leaves out its use by f, f", with ∂f/∂x = x · ∂f/∂f + x · ∂f/∂f + …:
    stepping over the unnamed x·x and sin(x) made all three uses "by f".

    By hand: x is used three times, as both inputs of x·x and as the input of sin(x).
    ∂(x·x)/∂x = x for each input, ∂sin(x)/∂x = cos(x); f = x·x + sin(x), so
    ∂f/∂(x·x) = ∂f/∂sin(x) = 1, and
    ∂f/∂x = x · 1 + x · 1 + cos(x) · 1 = 1.5 + 1.5 + cos(1.5) = 3 + 0.0707372 = 3.07074.
    The answer cos(1.5) = 0.0707372 is the third term alone: both uses by x·x are left out.
    """
    y = sin_reuse()
    rows = autograd.trace(y).backward
    assert {(r.node_name, r.parent_name) for r in rows} >= {("f", "x·x"), ("f", "sin(x)")}
    english = check_work(y, {"x": math.cos(1.5)})
    mistake = english.error_for("x")
    assert mistake is not None and (mistake.kind, mistake.reason) == ("missing_path", "uses")
    assert [t.upstream_name for t in mistake.terms] == ["x·x", "x·x", "sin(x)"]
    assert [t.position for t in mistake.terms] == [0, 1, 0]
    assert str(mistake) == "\n".join(
        [
            "∂f/∂x: you gave 0.0707372016677, the engine gets 3.07074.",
            "x is used 3 times: twice by x·x (as its first and second input) and once by sin(x). "
            "Every use adds to its gradient, and your answer leaves out its two uses by x·x:",
            "  you computed cos(x) · ∂f/∂(sin(x)) as 0.0707372 · 1 = 0.0707372",
            "  " + SIN_REUSE_SUM,
        ]
    )
    assert str(english) == "The answer is wrong:\n" + str(mistake)
    chinese = check_work(y, {"x": math.cos(1.5)}, lang="zh")
    assert str(chinese.error_for("x")) == "\n".join(
        [
            "∂f/∂x：你的答案是 0.0707372016677，引擎算出的是 3.07074。",
            "x 被使用了 3 次：被 x·x 使用两次（作为它的第一个和第二个输入），被 sin(x) 使用一次。"
            "每一次使用都会累加到它的梯度上，你的答案漏掉了 x·x 对它的两次使用：",
            "  你把 cos(x) · ∂f/∂(sin(x)) 算成了 0.0707372 · 1 = 0.0707372",
            "  " + SIN_REUSE_SUM,
        ]
    )
    assert_true_equations(
        str(english), {"f": 1.0, "x·x": 1.0, "sin(x)": 1.0, "x": mistake.expected}, "f"
    )


def test_answering_an_unnamed_node_does_not_rename_the_other_uses():
    """The review's finding: adding a (right) answer ∂f/∂(x·x) = 1 changed the explanation of x,
    the use by sin(x) still named ∂f/∂f. Whether uses are stepped over is decided without the
    answers: the explanation of x is the same, apart from the count of answers."""
    alone = check_work(sin_reuse(), {"x": math.cos(1.5)}).error_for("x")
    with_xx = check_work(sin_reuse(), {"x": math.cos(1.5), "x·x": 1.0}).error_for("x")
    assert alone is not None and with_xx is not None
    assert str(with_xx) == str(alone)
    assert [t.upstream_name for t in with_xx.terms] == ["x·x", "x·x", "sin(x)"]


def test_upstream_gradients_not_given_are_not_said_to_be_right():
    """The review's finding: check_work(f, {"x": 5.0}, lang="zh") on f = x·x + sin(x) said
    "上游梯度都是对的，所以有一个局部导数不对" (the upstream gradients are right, so a local
    derivative is wrong), though the student gave no upstream gradient.

    By hand (see test_a_node_used_twice_by_one_node_names_each_use): ∂f/∂x = 3.07074. 5 is
    none of the typical slips (no subset of 1.5, 1.5, 0.0707372 sums to it; the local derivatives
    alone sum to 3.07074 as well), and ∂f/∂(x·x), ∂f/∂sin(x) were not given: the answer is wrong,
    with the chain rule written out, and no factor is blamed."""
    english = str(check_work(sin_reuse(), {"x": 5.0}))
    assert english == "\n".join(
        [
            "The answer is wrong:",
            "∂f/∂x: you gave 5, the engine gets 3.07074.",
            "None of the usual slips explains it. The chain rule for this node:",
            SIN_REUSE_SUM,
        ]
    )
    chinese = str(check_work(sin_reuse(), {"x": 5.0}, lang="zh"))
    assert chinese == "\n".join(
        [
            "这个答案不对：",
            "∂f/∂x：你的答案是 5，引擎算出的是 3.07074。",
            "常见的错误都解释不了这个答案。这个节点的链式法则是：",
            SIN_REUSE_SUM,
        ]
    )
    for text in (english, chinese):
        assert "right, so" not in text and "是对的" not in text and "局部导数" not in text


def test_several_uses_below_known_upstream_gradients_blame_a_local_derivative_without_guessing():
    """With ∂f/∂(x·x) = 1 and ∂f/∂sin(x) = 1 given (and right), 5 ≠ 3.07074 must come from a
    local derivative (x, x or cos(x)); one number cannot say which, and the feedback says so."""
    answers = {"x·x": 1.0, "sin(x)": 1.0, "x": 5.0}
    mistake = check_work(sin_reuse(), answers).error_for("x")
    assert mistake is not None and (mistake.kind, mistake.reason) == ("local", "several")
    assert str(mistake) == "\n".join(
        [
            "∂f/∂x: you gave 5, the engine gets 3.07074.",
            "The upstream gradients are known (∂f/∂(x·x) = 1, ∂f/∂(sin(x)) = 1), so a local "
            "derivative is wrong; your answer alone does not say which one. The chain rule for "
            "this node:",
            SIN_REUSE_SUM,
        ]
    )
    assert check_work(sin_reuse(), answers, lang="zh").error_for("x").explain().splitlines()[1] == (
        "上游梯度都已知（∂f/∂(x·x) = 1、∂f/∂(sin(x)) = 1），所以是某个局部导数错了；"
        "仅凭你的答案看不出是哪一个。这个节点的链式法则是："
    )
    # one of them not given: not known, so not blamed on a local derivative
    partly = check_work(sin_reuse(), {"x·x": 1.0, "x": 5.0}).error_for("x")
    assert partly is not None and partly.reason == "unknown"


def test_a_wrong_answer_for_the_output_does_not_count_as_a_known_upstream_gradient():
    """y = x·x at x = 1.5, ∂y/∂y given as 2 (wrong: it is 1). ∂y/∂x = x + x = 3; the answer 5 is
    not 2·3 = 6 (carried), so nothing is known above it and no local derivative is blamed."""
    x = Value(1.5, "x")
    y = x * x
    y.label = "y"
    mistake = check_work(y, {"y": 2.0, "x": 5.0}).error_for("x")
    assert mistake is not None and mistake.reason == "unknown"
    assert check_work(y, {"x": 5.0}).error_for("x").reason == "several"  # ∂y/∂y = 1 is known


def test_the_2_2_2_network_second_path_lists_every_node_and_factor():
    """∂E/∂out_h1 through o1 only (Mazur's classic slip): the path through o2 is missing. Each
    path shows every node, one factor per arrow, negative factors in parentheses."""
    total, grads = mazur()
    report = check_work(total, {"out_h1": 0.055399425})
    mistake = report.first_error
    assert mistake is not None and mistake.kind == "missing_path"
    assert mistake.expected == pytest.approx(0.036350306, abs=1e-9)
    assert [p.included for p in mistake.paths] == [True, False]
    for path in mistake.paths:
        arrows = path.path_text.count(" → ")
        assert path.formula.count(" · ") + 1 == arrows == path.with_numbers.count(" · ") + 1
    assert " · (-1) · " in mistake.paths[0].with_numbers
    text = explained(report, grads)
    assert "✓ out_h1 → net_o1 → out_o1 → 0.01 - out_o1 → (0.01 - out_o1)² → E_o1 → E_total" in text


def test_the_notebook_attempts_one_mistake_carried_into_the_rest():
    """str(report) for notebooks 01 and 02's worked attempts: the first mistake in full, and each
    later wrong answer said to carry it (with the right step on the wrong number)."""
    attempt = {"f3": 0.7445, "h3": 2.234, "f2": 1.683, "h2": 3.366, "f1": 17.06}
    report = check_work(toy_model().loss, attempt)
    assert [m.reason for m in report.errors] == ["checked", "carried", "carried"]
    text = explained(report, toy_grads())
    assert "Your ∂ℓ/∂h2 = 3.366 follows from your wrong ∂ℓ/∂f2: you computed ω2 · ∂ℓ/∂f2 as" in text
    assert "So there is one mistake, carried down" in text
    total, grads = mazur()
    attempt = {"out_o1": 0.74136507, "net_o1": 0.138498562, "out_h1": 0.055399425,
               "net_h1": 0.013367, "w1": 0.00066835}  # fmt: skip
    report = check_work(total, attempt)
    assert [m.reason for m in report.errors] == ["paths", "carried", "carried"]
    assert "you computed i1 · ∂E_total/∂net_h1 as 0.05 · 0.013367 = 0.00066835" in explained(
        report, grads
    )
    zh = str(check_work(total, attempt, lang="zh"))
    assert "所以这里只有一个错误" in zh and "你的 ∂E_total/∂net_h1 = 0.013367 来自你算错的" in zh
    # a later mistake of its own is named as such, and how to see it in full
    mixed = str(check_work(total, {"out_h1": 0.055399425, "w1": 1.0}))
    assert "∂E_total/∂w1: a mistake of its own" in mixed
    assert 'print(report.error_for("w1")) explains' in mixed


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
    assert [m.node_name for m in report.errors] == ["f3", "f0"]


def test_names_values_and_spaces():
    model = toy_model()
    loss = model.loss
    f3_minus_y = loss.parents[0]
    assert check_work(loss, {"f3-y": 0.744528}).ok
    assert check_work(loss, {" f3 - y ": 0.744528, model.parameters["ω0"]: 5.24607}).ok
    assert check_work(loss, {f3_minus_y: 0.744528}).ok
    assert check_work(loss, {"h2": 1.0}).error_for("h 2") is not None


def test_gradients_are_left_as_they_were():
    model = toy_model()
    model.loss.backward()
    before = {name: node.grad for name, node in model.intermediates.items()}
    check_work(model.loss, {"f2": 1.0})
    assert {name: node.grad for name, node in model.intermediates.items()} == before


@pytest.mark.parametrize(
    ("output", "answers", "error", "message", "chinese"),
    [
        (None, {}, TypeError, "needs the output Value first", "第一个参数应是输出的 Value"),
        ("toy", [("f3", 1.0)], TypeError, "mapping from node names", "从节点名"),
        (
            "toy",
            {"g7": 1.0},
            KeyError,
            "no node named 'g7' in the graph of ℓ; its nodes are β0, ω0",
            "没有名为 'g7' 的节点；它的节点有 β0、ω0",
        ),
        ("toy", {3: 1.0}, TypeError, "keyed by node names or Values", "答案的键应是节点名"),
        ("toy", {Value(1.0): 1.0}, ValueError, "is not in the graph of ℓ", "不在 ℓ 的计算图里"),
        ("toy", {"2": 1.0}, ValueError, "2 is a constant", "2 是常数"),
        ("toy", {"f3": "0.7"}, TypeError, "answer for f3 needs a real number", "需要是实数"),
        ("toy", {"f3": Value(0.7)}, TypeError, "f3 must be a number, got a Value", "一个 Value"),
        ("toy", {"f3": math.nan}, ValueError, "f3 must be a finite number", "必须是有限的数"),
        ("toy", {"f3": True}, TypeError, "needs a real number", "需要是实数"),
    ],
)
def test_bad_input_is_refused_clearly_in_either_language(output, answers, error, message, chinese):
    out = toy_model().loss if output == "toy" else output
    with pytest.raises(error, match=message):
        check_work(out, answers)
    with pytest.raises(error, match=chinese):
        check_work(out, answers, lang="zh")


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


def test_two_leaves_with_one_label_are_told_apart_by_the_display_names():
    first, second = Value(3.0, "x"), Value(4.0, "x")
    y = first * second
    report = check_work(y, {"x": 4.0, "x₂": 3.0})  # ∂y/∂x = the other x
    assert report.ok and [name for name, _, _ in report.checked] == ["x₂", "x"]
    mistake = check_work(y, {"x₂": 4.0}).first_error
    assert mistake is not None and mistake.node_name == "x₂" and mistake.kind == "local"


# ---- one mistake of each kind, made on purpose in random graphs ----------------------------------

KINDS = {"local": "local", "carried": "upstream", "swapped": "upstream",
         "forgotten": "upstream", "missing_path": "missing_path"}  # fmt: skip
ODD = [-2.7, 1.37, 3.1]  # factors that make a wrong number, unlike any simple one


@settings(max_examples=100, deadline=None)
@given(data=st.data(), mistake=st.sampled_from(sorted(KINDS)))
def test_random_single_mistakes_are_named_and_every_equation_is_true(data, mistake):
    graph = data.draw(random_graphs(max_steps=8))
    out = graph(*leaves(data.draw(graph_inputs(graph))))
    order = [n for n in topological_order([out]) if not n.is_constant]
    for i, node in enumerate(order):
        node.label = node.label or f"n{i}"  # every node named: no stepping over
    grads = dict(zip(order, (float(g) for g in pass_gradients([out], order))))
    for node in order:
        node.grad = 0.0
    out.grad = 1.0
    uses: dict[Value, list[tuple[Value, float]]] = {n: [] for n in order}
    for step in chain_rule_steps(topological_order([out])):
        if not step.parent.is_constant:
            uses[step.parent].append((step.node, float(step.local)))

    def big(x: float) -> bool:
        return abs(x) > 1e-2

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-2, abs_tol=1e-2)

    candidates = [n for n in order[1:] if big(grads[n])]
    if mistake in ("local", "forgotten", "swapped"):
        candidates = [n for n in candidates if len(uses[n]) == 1 and big(uses[n][0][1])]
    if mistake == "missing_path":
        candidates = [n for n in candidates if len(uses[n]) > 1]
    assume(candidates)
    node = data.draw(st.sampled_from(candidates))
    odd = data.draw(st.sampled_from(ODD))
    before = order[: order.index(node)]
    answers = {n: grads[n] for n in before}  # every upstream gradient given, right
    if mistake == "local":
        ((child, local),) = uses[node]
        answers[node] = local * odd * grads[child]
    elif mistake == "carried":
        upstream = [u for u in uses[node] if u[0] is not out]
        assume(upstream)
        child, local = data.draw(st.sampled_from(upstream))
        assume(big(local))
        answers[child] = grads[child] * odd  # a wrong answer upstream, carried along right
        answers[node] = math.fsum(l * answers.get(c, grads[c]) for c, l in uses[node])
    elif mistake == "forgotten":
        ((child, local),) = uses[node]
        assume(not close(grads[child], 1.0))
        answers[node] = local
    elif mistake == "swapped":
        ((child, local),) = uses[node]
        below = set(topological_order([node]))  # whose gradients come from node's own
        others = [m for m in order[1:] if m not in below and m is not child and big(grads[m])
                  and not close(grads[m], grads[child])]  # fmt: skip
        assume(others)
        other = data.draw(st.sampled_from(others))
        answers[node] = local * grads[other]
    else:  # missing_path: one use left out
        left_out = data.draw(st.integers(0, len(uses[node]) - 1))
        answers[node] = math.fsum(l * grads[c] for i, (c, l) in enumerate(uses[node])
                                  if i != left_out)  # fmt: skip
    assume(not close(answers[node], grads[node]))
    report = check_work(out, answers)
    found = report.error_for(node.label)
    assert found is not None, str(report)
    assert found.kind == KINDS[mistake], (mistake, found.explain())
    names = Names([out])
    text = explained(report, {names[n]: g for n, g in grads.items()})
    assert assert_true_equations(found.explain(), None) > 0, text  # the chain rule, at least
    assert_true_equations(found.explain("zh"))


def test_check_work_refuses_a_gradient_that_overflows_as_backward_does():
    """The feedback walks the same chain-rule steps as backward(), and refuses the same steps: a
    contribution that overflows raises, naming the step, instead of showing inf."""
    p = Value(1e-160, "p")
    r = p.sqrt()
    out = r * r * 1e300 * 1e100  # finite forward (1e240); ∂out/∂r overflows
    with pytest.raises(OverflowError, match="chain-rule step") as from_backward:
        out.backward()
    with pytest.raises(OverflowError, match="chain-rule step") as from_check:
        check_work(out, {"p": 1.0})
    assert str(from_check.value) == str(from_backward.value)


def test_error_for_a_typo_a_right_answer_and_no_answer():
    """The review's finding: error_for("zz") (not a node) and error_for("f3") (right) both
    returned None, which print shows as "None". ∂ℓ/∂f3 = 0.744528 (TOY) is right; h3's 1.0 is
    wrong (∂ℓ/∂h3 = 2.23358); h2 has no answer."""
    for lang in ("en", "zh"):
        report = check_work(toy_model().loss, {"f3": TOY["f3"], "h3": 1.0}, lang=lang)
        right = report.error_for("f3")
        assert not right and right.node_name == "f3" and report.error_for("h3")
        assert (
            str(report.error_for(" f3 "))
            == {
                "en": "∂ℓ/∂f3: you gave 0.744528, the engine gets 0.744528: right.",
                "zh": "∂ℓ/∂f3：你的答案是 0.744528，引擎算出的是 0.744528：答对了。",
            }[lang]
        )
        with pytest.raises(KeyError) as typo:
            report.error_for("zz")
        message = str(typo.value)
        assert "'zz'" in message and all(name in message for name in ("f3", "h3", "h2", "ω0·x"))
        with pytest.raises(KeyError) as unanswered:
            report.error_for("h2")
        assert str(unanswered.value) == repr(
            {
                "en": "error_for: no answer was given for h2; answers were given for f3, h3",
                "zh": "error_for：没有给出 h2 的答案；给出了答案的是 f3、h3",
            }[lang]
        )
