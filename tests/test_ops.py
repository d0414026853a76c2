"""Every op record, checked against two independent oracles: sympy and central differences.

The tests are parametrized over ``autograd.core.ops.OPS``, so an op added there is tested here with no
further work.
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st
from strategies import FD_STEP, arity, op_inputs

from autograd import Value
from autograd.core import ops
from autograd.core.value import _apply1, _apply2, _applyn
from autograd.readers.symbolic import sympy_math

ALL_OPS = list(ops.OPS.values())
SYMBOLS = sympy.symbols("x y z u v", real=True)


def close(got: float, expected: float, rel: float = 1e-6, abs_: float = 1e-8) -> bool:
    return math.isclose(got, expected, rel_tol=rel, abs_tol=abs_)


def _exact(number: float) -> sympy.Expr:
    return sympy.Integer(int(number)) if number.is_integer() else sympy.Float(number)


def apply(op, args: tuple[float, ...]) -> tuple[Value, list[Value]]:
    inputs = [Value(a, f"in{i}") for i, a in enumerate(args)]
    if op.arity < 0:
        return _applyn(op, tuple(inputs)), inputs
    out = _apply1(op, *inputs) if op.arity == 1 else _apply2(op, *inputs)
    return out, inputs


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_derivative_rule_matches_sympy(op, data):
    args = data.draw(op_inputs(op))
    S = sympy_math()
    # Constant inputs enter as numbers, as they do in a graph (d/dx x^c is then c·x^(c-1), where
    # sympy's general form c·x^c/x would be 0/0 at x = 0).
    symbols = tuple(
        _exact(args[i]) if i in op.constant_inputs else SYMBOLS[i] for i in range(arity(op))
    )
    forward = op.forward(S, *symbols)
    rules = op.local_derivatives(S, *symbols, forward)
    at = {s: a for s, a in zip(symbols, args) if isinstance(s, sympy.Symbol)}
    assert close(float(forward.subs(at).evalf()), op.forward(ops.FLOAT_MATH, *args), 1e-12, 1e-12)
    for i, symbol in enumerate(symbols):
        got = float(sympy.sympify(rules[i]).subs(at).evalf())
        if i in op.constant_inputs:
            assert got == 0.0, f"{op.name}: input {i} is a constant and must get no gradient"
            continue
        expected = float(sympy.diff(forward, symbol).subs(at).evalf())
        assert close(got, expected, 1e-10, 1e-12), (
            f"{op.name} at {args}: ∂/∂{symbol} rule gives {got}, sympy gives {expected}"
        )


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_backward_matches_central_differences(op, data):
    args = data.draw(op_inputs(op))
    out, inputs = apply(op, args)
    out.backward()
    for i, node in enumerate(inputs):
        if i in op.constant_inputs:
            assert node.grad == 0.0
            continue
        up, down = list(args), list(args)
        up[i] += FD_STEP
        down[i] -= FD_STEP
        estimate = (op.forward(ops.FLOAT_MATH, *up) - op.forward(ops.FLOAT_MATH, *down)) / (
            2 * FD_STEP
        )
        assert close(node.grad, estimate, 1e-5, 1e-6), (
            f"{op.name} at {args}: backward gives ∂/∂input{i} = {node.grad}, "
            f"central difference {estimate}"
        )


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_direct_function_is_the_forward_rule(op, data):
    """Nodes are computed by the float function a rule calls, when the rule is only that call
    (ops.direct_function): the same numbers as the rule itself, and the same node as Value makes."""
    args = data.draw(op_inputs(op))
    direct = ops.direct_function(op, ops.FLOAT_MATH)
    expected = op.forward(ops.FLOAT_MATH, *args)
    if direct is not None:
        assert direct(*args) == expected
    assert apply(op, args)[0].data == expected


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_direct_derivative_is_the_local_derivative_rule(op, data):
    """backward() calls the float function a one-input op's local-derivative rule is a single call
    of (ops.direct_derivative): the same number as the rule, and the same gradient."""
    args = data.draw(op_inputs(op))
    direct = ops.direct_derivative(op, ops.FLOAT_MATH)
    if direct is None:
        return
    out = op.forward(ops.FLOAT_MATH, *args)
    expected = op.local_derivatives(ops.FLOAT_MATH, *args, out)[0]
    assert direct(*args) == expected
    node, inputs = apply(op, args)
    node.backward()
    assert inputs[0].grad == expected


def test_direct_derivative_is_found_only_for_a_single_call_on_the_input():
    found = {op.name for op in ALL_OPS if ops.direct_derivative(op, ops.FLOAT_MATH) is not None}
    assert {"relu", "sin", "abs"} <= found
    assert not found & {"exp", "tanh", "neg", "mul", "dot"}  # (out,), 1 - out², a constant, …


def test_direct_function_is_found_only_for_a_single_call():
    found = {op.name for op in ALL_OPS if ops.direct_function(op, ops.FLOAT_MATH) is not None}
    assert {"relu", "exp", "dot", "sum", "pow"} <= found
    assert not found & {"add", "sub", "mul", "div", "neg"}  # these compute: x + y, -x
    shuffled = ops.Op(  # calls a namespace function, but not on its inputs as given
        "swap",
        ("x", "y"),
        lambda m, x, y: m.pow(y, x),
        lambda m, x, y, out: (0.0, 0.0),
        ops.Notation("swap", "function"),
    )
    assert ops.direct_function(shuffled, ops.FLOAT_MATH) is None
    missing = ops.Op(  # a function the float namespace lacks: the rule is called, and says so
        "nope",
        ("x",),
        lambda m, x: m.nope(x),
        lambda m, x, out: (0.0,),
        ops.Notation("nope", "function"),
    )
    assert ops.direct_function(missing, ops.FLOAT_MATH) is None


def test_every_op_has_a_domain_text_when_restricted():
    for op in ALL_OPS:
        if op.domain is not None:
            assert op.domain.text and callable(op.domain.contains), op.name


@pytest.mark.parametrize("x", [-1000.0, -50.0, 0.0, 50.0, 1000.0])
def test_sigmoid_and_tanh_are_stable_at_the_extremes(x):
    for op, expected in (
        (ops.SIGMOID, 1 / (1 + math.exp(-x)) if x > -700 else 0.0),
        (ops.TANH, math.tanh(x)),
    ):
        node = Value(x, "x")
        out = _apply1(op, node)
        out.backward()
        assert math.isfinite(out.data) and math.isfinite(node.grad)
        assert close(out.data, expected, 1e-12, 1e-300)
        if abs(x) >= 50:
            assert node.grad == pytest.approx(0.0, abs=1e-20)


def test_relu_and_abs_derivatives_at_zero_are_zero():
    for op in (ops.RELU, ops.ABS):
        node = Value(0.0)
        _apply1(op, node).backward()
        assert node.grad == 0.0, op.name
