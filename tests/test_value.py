"""Value: construction, operators with numbers on either side, and every bad input's message."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest

import autograd
from autograd import InfinityError, Value


def test_value_fields():
    x = Value(3, label="x")
    assert (x.data, x.grad, x.label, x.op, x.parents) == (3.0, 0.0, "x", None, ())
    assert isinstance(x.data, float) and x.is_leaf and not x.is_constant
    y = x * 2
    assert y.op.name == "mul" and y.parents[0] is x and y.parents[1].is_constant
    assert repr(x) == "Value(data=3.0, grad=0.0, label='x')"


@pytest.mark.parametrize(
    "expression, expected",
    [
        (lambda x: x + 2, 5.0),
        (lambda x: 2 + x, 5.0),
        (lambda x: x - 2, 1.0),
        (lambda x: 2 - x, -1.0),
        (lambda x: x * 2, 6.0),
        (lambda x: 2 * x, 6.0),
        (lambda x: x / 2, 1.5),
        (lambda x: 2 / x, 2 / 3),
        (lambda x: x**2, 9.0),
        (lambda x: 2**x, 8.0),
        (lambda x: -x, -3.0),
        (lambda x: +x, 3.0),
        (lambda x: abs(-x), 3.0),
        (lambda x: x * Fraction(1, 2), 1.5),
    ],
)
def test_operators_accept_numbers_on_either_side(expression, expected):
    assert expression(Value(3.0)).data == pytest.approx(expected)


def test_methods_and_module_functions_agree():
    for name in ("exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs"):
        method = getattr(Value(0.7), name)()
        function = getattr(autograd, name)(0.7)
        assert isinstance(function, Value)
        assert method.data == function.data == getattr(autograd, name)(Value(0.7)).data, name


def test_value_exponent_gets_a_gradient():
    x, y = Value(2.0), Value(3.0)
    z = x**y
    z.backward()
    assert z.data == 8.0
    assert x.grad == pytest.approx(12.0)  # y·x^(y-1)
    assert y.grad == pytest.approx(8 * math.log(2))  # x^y·ln x


@pytest.mark.parametrize("bad", ["a", None, [1.0], {"x": 1}, True])
def test_non_numbers_are_type_errors_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)
    if not isinstance(bad, bool):
        with pytest.raises(TypeError, match=type(bad).__name__):
            Value(1.0) + bad
        with pytest.raises(TypeError, match=type(bad).__name__):
            bad - Value(1.0)  # (str and list repeat on *, and raise before asking Value)
        with pytest.raises(TypeError, match=type(bad).__name__):
            autograd.sin(bad)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda a: a.log(), ValueError, r"log needs x > 0, got x=-2.0 \(node 'a'\)"),
        (lambda a: (a * 0).log(), ValueError, r"log needs x > 0, got x=-0.0"),
        (lambda a: a.sqrt(), ValueError, r"sqrt needs x ≥ 0, got x=-2.0 \(node 'a'\)"),
        (
            lambda a: a / 0,
            ZeroDivisionError,
            r"div needs y ≠ 0, got x=-2.0 \(node 'a'\), y=0.0 \(constant\)",
        ),
        (lambda a: 1 / (a + 2), ZeroDivisionError, r"div needs y ≠ 0"),
        (  # the user's x is div's input y: every input is called "input" so the two read apart
            lambda a: 1 / Value(0.0, "x"),
            ZeroDivisionError,
            r"^div needs its input y ≠ 0, got input x=1.0 \(constant\), input y=0.0 \(node 'x'\)$",
        ),
        (
            lambda a: Value(1.0, "y") / Value(0.0, "x"),
            ZeroDivisionError,
            r"^div needs its input y ≠ 0, got input x=1.0 \(node 'y'\), input y=0.0 \(node 'x'\)$",
        ),
        (  # names that agree are not a clash
            lambda a: Value(1.0, "x") / Value(0.0, "y"),
            ZeroDivisionError,
            r"^div needs y ≠ 0, got x=1.0 \(node 'x'\), y=0.0 \(node 'y'\)$",
        ),
        (
            lambda a: Value(-1.0, "c") ** 0.5,
            ValueError,
            r"^pow needs its input x ≠ 0 for c < 0, .*got input x=-1.0 \(node 'c'\), input c=0.5",
        ),
        (lambda a: (a + 2) ** -1, ValueError, r"pow needs .*got x=0.0.*c=-1.0"),
        (
            lambda a: a**0.5,
            ValueError,
            r"pow needs .*x ≥ 0 unless c is a whole number.*x=-2.0 \(node 'a'\)",
        ),
        (
            lambda a: a ** Value(2.0, "y"),
            ValueError,
            r"pow_var needs x > 0.*x=-2.0 \(node 'a'\), y=2.0 \(node 'y'\)",
        ),
        (lambda a: (-2) ** a, ValueError, r"pow_var needs x > 0.*x=-2.0 \(constant\)"),
        (lambda a: (a * -500).exp(), OverflowError, r"exp overflowed.*x=1000.0"),
        (lambda a: Value(10.0, "b") ** 400, OverflowError, r"pow overflowed.*x=10.0 \(node 'b'\)"),
        (
            lambda a: autograd.sin(_assigned(math.inf, "i")),
            ValueError,
            r"sin is undefined for x=inf",
        ),
        (
            lambda a: Value(math.nan, "n"),
            ValueError,
            r"Value\('n'\) needs a finite number, got nan",
        ),
        (lambda a: a * math.inf, ValueError, r"constant .* finite number, got inf"),
    ],
)
def test_domain_errors_name_op_value_and_node(make, error, message):
    with pytest.raises(error, match=message):
        make(Value(-2.0, "a"))


def test_negative_base_with_whole_exponent_is_fine():
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


def _assigned(number: float, label: str) -> Value:
    """A leaf whose .data was set directly (the one way a non-finite number gets into a graph)."""
    leaf = Value(1.0, label)
    leaf.data = number
    return leaf


def test_backward_error_names_the_op_and_its_local_derivative():
    x = Value(0.0, "x")
    y = x.sqrt()
    with pytest.raises(
        ZeroDivisionError,
        match=r"sqrt: the local derivative \(∂out/∂x\) is undefined at x=0.0 \(node 'x'\)",
    ):
        y.backward()


def test_detach_cuts_the_graph():
    x = Value(2.0, "x")
    y = (x * x).detach()
    assert y.is_leaf and y.data == 4.0
    (y * x).backward()
    assert x.grad == 4.0 and y.grad == 2.0


def test_apply_op_runs_a_record_written_by_an_op_author():
    from autograd import apply_op, gradcheck
    from autograd.core.ops import Notation, Op

    cube = Op(
        "cube",
        1,
        lambda m, x: x * x * x,
        lambda m, x, out: (3 * x * x,),
        Notation("cube", "function"),
        doc="x³",
    )
    x = Value(2.0, "x")
    y = apply_op(cube, x)
    y.backward()
    assert (y.data, x.grad, y.op.name) == (8.0, 12.0, "cube")
    assert gradcheck(lambda v: apply_op(cube, v), 1.3)
    with pytest.raises(TypeError, match="cube takes 1 inputs, got 2"):
        apply_op(cube, 1.0, 2.0)


def test_local_derivatives_on_demand():
    x, y = Value(3.0, "x"), Value(4.0, "y")
    assert (x * y).local_derivatives() == (4.0, 3.0)
    assert x.local_derivatives() == ()
    assert x.sin().local_derivatives() == (math.cos(3.0),)
    assert (x**2).local_derivatives() == (6.0, 0.0)  # the exponent is a constant
    graphed = (x * x).local_derivatives(create_graph=True)
    assert [g.data for g in graphed] == [3.0, 3.0] and graphed[0] is x


@pytest.mark.parametrize(
    ("ws", "xs", "error", "message"),
    [
        ([1e300], [1e10], InfinityError, "dot overflowed to inf from w1=1e+300"),
        ([1.0], ["a"], TypeError, "dot needs a Value or a real number, got 'a'"),
    ],
)
def test_dot_with_plain_numbers_raises_its_own_error_unchained(ws, xs, error, message):
    """dot tries the all-Values fast path first; an error from the constants' path is not shown
    as raised "during handling" of that attempt's AttributeError."""
    with pytest.raises(error, match=re.escape(message)) as raised:
        autograd.dot([Value(w) for w in ws], xs)
    assert raised.value.__context__ is None and raised.value.__cause__ is None


def test_math_functions_refuse_a_value_and_say_what_to_use():
    x = Value(0.5, "x")
    for call in (lambda: math.sin(x), lambda: float(x), lambda: math.isfinite(x)):
        with pytest.raises(TypeError, match=r"use autograd's functions \(autograd\.sin\(x\)"):
            call()
    assert autograd.sin(x).data == x.sin().data == math.sin(x.data)
