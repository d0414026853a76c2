"""Closed forms from sympy, built from the op records, and the expression swell they show."""

from __future__ import annotations

import sympy

import nn
from autograd import Value, closed_form, expression_swell, to_sympy, trace
from autograd.symbolic import symbol_values
from autograd.toy import toy_model


def test_closed_form_of_dl_domega0_equals_the_chapters_formula():
    model = toy_model()
    b0, w0, b1, w1, b2, w2, b3, w3, x, y = sympy.symbols("β0 ω0 β1 ω1 β2 ω2 β3 ω3 x y", real=True)
    inner = b1 + w1 * sympy.sin(b0 + w0 * x)
    chapter = (
        -2
        * (b3 + w3 * sympy.cos(b2 + w2 * sympy.exp(inner)) - y)
        * w1
        * w2
        * w3
        * x
        * sympy.cos(b0 + w0 * x)
        * sympy.exp(inner)
        * sympy.sin(b2 + w2 * sympy.exp(inner))
    )
    derived = closed_form(model.loss, model.parameters["ω0"])
    assert sympy.simplify(derived - chapter) == 0


def test_closed_forms_agree_with_backward_at_the_point():
    model = toy_model()
    model.loss.backward()
    at = symbol_values(model.loss)
    for name, parameter in model.parameters.items():
        value = float(closed_form(model.loss, parameter).subs(at))
        assert abs(value - parameter.grad) < 1e-9 * max(1.0, abs(value)), name


def test_to_sympy_reads_the_records():
    x = Value(2.0, "x")
    expr = to_sympy((x**2).sigmoid() + 3 * x.relu())
    X = sympy.Symbol("x", real=True)
    assert sympy.simplify(expr - (1 / (1 + sympy.exp(-(X**2))) + 3 * sympy.Max(X, 0))) == 0
    assert closed_form(x * 2, Value(1.0)) == 0


def test_expression_swell_on_the_toy_model_and_a_small_mlp():
    model = toy_model()
    swell = expression_swell(model.loss, model.parameters.values())
    assert set(swell.operations) == set(model.parameters)
    assert swell.backward_steps == 22 == len(trace(model.loss).backward)
    assert swell.total_operations > 5 * swell.backward_steps
    net = nn.MLP(2, [3, 3, 1], seed=0)
    out = nn.half_squared_error(net([0.5, -0.2]), 1.0)
    swell = expression_swell(out, net.parameters())
    assert len(swell.operations) == 25 and swell.total_operations > 20 * swell.backward_steps
    assert swell.backward_steps == len(trace(out).backward)
    assert "one backward pass" in swell.to_text()
