"""Formula text derived from the op rules."""

from __future__ import annotations

import pytest

from autograd.core import ops
from autograd.readers.formula import Expr, forward_formula, local_derivative_formulas
from autograd.readers.numbers import number as format_number

x, y, out = Expr.symbol("x"), Expr.symbol("y"), Expr.symbol("out")


@pytest.mark.parametrize(
    "op, forward, derivatives",
    [
        (ops.ADD, "x + y", ["1", "1"]),
        (ops.SUB, "x - y", ["1", "-1"]),
        (ops.MUL, "x·y", ["y", "x"]),
        (ops.DIV, "x / y", ["1 / y", "-out / y"]),
        (ops.POW_VAR, "x^y", ["y·x^(y - 1)", "out·log(x)"]),
        (ops.SIN, "sin(x)", ["cos(x)"]),
        (ops.COS, "cos(x)", ["-sin(x)"]),
        (ops.TANH, "tanh(x)", ["1 - out·out"]),
        (ops.SIGMOID, "sigmoid(x)", ["out·(1 - out)"]),
        (ops.RELU, "relu(x)", ["heaviside(x)"]),
    ],
)
def test_text(op, forward, derivatives):
    inputs = (x, y)[: op.arity]
    assert forward_formula(op, inputs).text() == forward
    assert [
        f if isinstance(f, str) else (f.text() if isinstance(f, Expr) else format_number(f))
        for f in local_derivative_formulas(op, inputs, out)
    ] == derivatives


def test_constants_fold_and_powers_of_one_vanish():
    d = Expr.symbol("d")
    assert local_derivative_formulas(ops.POW, (d, 2.0), out)[0].text() == "2·d"
    assert local_derivative_formulas(ops.POW, (d, 3.0), out)[0].text() == "3·d²"
    assert forward_formula(ops.POW, (d, 2.0)).text() == "d²"
    assert forward_formula(ops.POW, (d, 2.0)).latex() == "{d}^{2}"  # LaTeX keeps its own ^
    assert forward_formula(ops.POW, (d, 2.0)).python() == "d ** 2.0"
    assert forward_formula(ops.POW, (d, 0.5)).text() == "d^0.5"  # not a small whole number


def test_parentheses_follow_precedence():
    a, b, c = (Expr.symbol(n) for n in "abc")
    assert ((a + b) * c).text() == "(a + b)·c"
    assert (a - (b - c)).text() == "a - (b - c)"
    assert ((a - b) - c).text() == "a - b - c"
    assert (a ** (b**c)).text() == "a^b^c"
    assert ((a**b) ** c).text() == "(a^b)^c"
    assert (-(a + b)).text() == "-(a + b)"
    assert ((a + b) * c).python() == "(a + b) * c"


def test_latex():
    f = local_derivative_formulas(ops.SIGMOID, (x,), out)[0]
    assert f.latex() == r"out \cdot \left(1 - out\right)"
    assert forward_formula(ops.DIV, (x, y)).latex() == r"\frac{x}{y}"
    assert forward_formula(ops.SQRT, (x,)).latex() == r"\sqrt{x}"


def test_one_number_format():
    assert [format_number(v) for v in (2.0, -1.0, 0.5, 1e20, 1 / 3, -0.0)] == [
        "2",
        "-1",
        "0.5",
        "1e+20",
        "0.333333",
        "0",
    ]
    assert [format_number(v) for v in (float("inf"), float("-inf"), float("nan"))] == [
        "inf",
        "-inf",
        "nan",
    ]


def test_negative_numbers_are_parenthesised_after_an_operator():
    a, minus = Expr.symbol("a"), Expr.symbol("-3")
    assert [(minus * a).text(), (a * minus).text(), (minus**2).text(), (a - (-2.0)).text()] == [
        "-3·a",
        "a·(-3)",
        "(-3)²",
        "a - (-2)",
    ]
    assert (a + (-0.5)).python() == "a + -0.5"  # Python needs no parentheses there
