"""grad and value_and_grad, JAX style."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, value_and_grad


def test_grad_returns_a_float():
    g = grad(lambda x: x**3)(2.0)
    assert g == 12.0 and isinstance(g, float)


def test_argnums_tuple_returns_a_tuple():
    f = lambda x, y: x * y + autograd.sin(x)  # noqa: E731
    assert grad(f, argnums=(0, 1))(2.0, 3.0) == pytest.approx((3 + math.cos(2.0), 2.0))
    assert grad(f, argnums=1)(2.0, 3.0) == 2.0


def test_value_and_grad():
    value, gradient = value_and_grad(lambda x: x * x)(3.0)
    assert (value, gradient) == (9.0, 6.0)


def test_third_derivative_by_nesting():
    assert grad(grad(grad(lambda x: x**4)))(1.5) == 36.0


def test_higher_derivatives_of_tanh():
    t = math.tanh(0.3)
    d2 = grad(grad(autograd.tanh))(0.3)
    d3 = grad(grad(grad(autograd.tanh)))(0.3)
    assert d2 == pytest.approx(-2 * t * (1 - t * t))
    assert d3 == pytest.approx(-2 * (1 - t * t) * (1 - 3 * t * t))


def test_called_with_values_it_stays_connected():
    x = Value(2.0, "x")
    g = grad(lambda v: v**3)(x)  # 3x², a Value built on x
    assert isinstance(g, Value) and g.data == 12.0
    g.backward()
    assert x.grad == 12.0  # d/dx 3x² = 6x


def test_grad_leaves_existing_gradients_alone():
    x = Value(2.0)
    x.grad = 5.0
    assert grad(lambda v: v * v)(x).data == 4.0
    assert x.grad == 5.0


def test_grad_of_a_function_that_ignores_its_input():
    assert grad(lambda x: 3.0)(1.0) == 0.0
    assert grad(lambda x, y: y * y, argnums=0)(1.0, 2.0) == 0.0


def test_bad_arguments():
    with pytest.raises(IndexError, match="argnums asks for argument 2"):
        grad(lambda x: x, argnums=2)(1.0)
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: x)("one")
    with pytest.raises(TypeError, match="grad needs a scalar"):
        grad(lambda x: [x])(1.0)


def test_leaves_are_labelled_with_parameter_names():
    seen = []
    grad(lambda weight: seen.append(weight.label) or weight)(1.0)
    assert seen == ["weight"]


# ---- derivatives that exist are given (issue 12, class 5) -----------------------------------------


def test_the_derivative_of_x_to_the_zero_at_zero_is_zero():
    x = Value(0.0, "x")
    (x**0).backward()
    assert x.grad == 0.0


def test_higher_derivatives_of_whole_powers_exist_at_zero():
    assert grad(grad(lambda x: x**1))(0.0) == 0.0
    assert grad(grad(grad(lambda x: x**2)))(0.0) == 0.0
    assert grad(grad(lambda x: x**2))(0.0) == 2.0


def _nested_grad(c: int, order: int):
    f = lambda x: x**c  # noqa: E731
    for _ in range(order):
        f = grad(f)
    return f


@given(
    c=st.integers(-3, 6),
    order=st.integers(1, 4),
    x=st.one_of(st.just(0.0), st.floats(-2.0, 2.0).filter(lambda v: abs(v) > 1e-3)),
)
def test_derivatives_of_whole_powers_match_sympy(c, order, x):
    import sympy

    if c < 0 and x == 0.0:
        with pytest.raises(ValueError, match="pow needs"):
            _nested_grad(c, order)(x)
        return
    s = sympy.Symbol("s", real=True)
    expected = float(sympy.diff(s**c, s, order).subs(s, sympy.Rational(x)))
    assert math.isclose(_nested_grad(c, order)(x), expected, rel_tol=1e-9, abs_tol=1e-12)


def test_the_empty_sum_is_zero():
    total = autograd.sum_values([])
    assert total.data == 0.0 and total.is_constant


# ---- modes do not leak into grad (issue 12, class 6) ----------------------------------------------


def test_grad_records_its_own_pass_inside_no_grad():
    with autograd.no_grad():
        assert grad(lambda x: x**3)(2.0) == 12.0
        assert grad(grad(lambda x: x**3))(2.0) == 12.0


def test_numerical_grad_and_gradcheck_of_a_gradient():
    f = lambda x: autograd.sin(x) * x  # noqa: E731
    second = -math.sin(1.3) * 1.3 + 2 * math.cos(1.3)  # (x sin x)''
    (estimate,) = autograd.numerical_grad(grad(f), 1.3)
    assert estimate == pytest.approx(second, rel=1e-6)
    assert autograd.gradcheck(grad(f), 1.3)
