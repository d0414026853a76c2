"""Closed forms from sympy, built from the op records, and the expression swell they show."""

from __future__ import annotations

import math
import sys

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value, closed_form, expression_swell, to_sympy, trace
from autograd.readers.symbolic import MAX_DEPTH, graph_depth, symbol_values
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


# ---- deep graphs: room for sympy's recursion, never a bare RecursionError -------------------------

STEPS = {
    "sin": lambda v: v.sin(),
    "cos": lambda v: v.cos(),
    "tanh": lambda v: v.tanh(),
    "sigmoid": lambda v: v.sigmoid(),
    "affine": lambda v: v * 0.9 + 0.1,
    "square": lambda v: v * v,
}


def chain(steps: list[str], start: float = 0.5) -> tuple[Value, Value]:
    x = Value(start, "x")
    y = x
    for step in steps:
        y = STEPS[step](y)
    return x, y


def assert_closed_form_matches_backward(x: Value, y: Value) -> None:
    limit = sys.getrecursionlimit()
    derived = closed_form(y, x)
    assert sys.getrecursionlimit() == limit  # put back afterwards
    y.backward()
    with_room = limit + 50 * graph_depth(y)  # evaluating the deep result is the caller's recursion
    sys.setrecursionlimit(with_room)
    try:
        value = float(derived.subs(symbol_values(y)))
    finally:
        sys.setrecursionlimit(limit)
    assert math.isclose(value, x.grad, rel_tol=1e-9, abs_tol=1e-300), (value, x.grad)


def test_closed_form_of_70_nested_sines():
    assert_closed_form_matches_backward(*chain(["sin"] * 70))


def test_closed_form_of_a_chain_of_140_ops():
    x, y = chain(["sin", "affine", "tanh"] * 35)  # 35 × (sin, ×, +, tanh): 140 nodes deep
    assert graph_depth(y) == 141
    assert_closed_form_matches_backward(x, y)
    assert to_sympy(y).has(sympy.Symbol("x", real=True))


@settings(max_examples=4)
@given(steps=st.lists(st.sampled_from(sorted(STEPS)), min_size=45, max_size=70))
def test_closed_forms_of_random_deep_chains_match_backward(steps):
    assert_closed_form_matches_backward(*chain(steps))


def test_a_graph_deeper_than_the_limit_is_refused_clearly():
    x, y = chain(["affine"] * (MAX_DEPTH // 2 + 1))
    for reading in (lambda: closed_form(y, x), lambda: to_sympy(y), lambda: symbol_values(y)):
        with pytest.raises(ValueError, match=f"the graph is {graph_depth(y):,} nodes deep"):
            reading()
