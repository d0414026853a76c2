"""numerical_grad and gradcheck."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import GradcheckError, gradcheck, numerical_grad


def test_numerical_grad_estimates_each_argument():
    estimates = numerical_grad(lambda x, y: x * autograd.sin(y), 2.0, 0.5)
    assert estimates == pytest.approx((math.sin(0.5), 2 * math.cos(0.5)), rel=1e-8)


def test_gradcheck_passes_for_correct_gradients():
    assert gradcheck(lambda x, y: (x * y).tanh() + x**2, 0.3, -0.7) is True


def test_gradcheck_reports_a_table_for_a_wrong_derivative():
    def buggy_square(x):
        # The value is x², but detach() hides part of the graph from backprop, so the gradient
        # comes out as 2x + x/2 (5 at x = 2) instead of 2x (4).
        return x * x + 0.5 * x * x.detach() - 0.5 * x.detach() * x.detach()

    with pytest.raises(GradcheckError) as error:
        gradcheck(buggy_square, 2.0)
    message = str(error.value)
    assert "gradcheck failed for buggy_square" in message
    assert "analytic (backprop)" in message and "numeric (central)" in message
    row = message.splitlines()[-1].split()
    assert row[0] == "0" and float(row[1]) == 2.0 and row[-1] == "MISMATCH"
    assert float(row[2]) == 5.0 and float(row[3]) == pytest.approx(4.0)
