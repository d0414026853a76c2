"""Losses against their formulas and against central differences."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, numerical_grad


def test_mse_and_half_squared_error():
    assert nn.mse_loss([1.0, 3.0], [0.0, 1.0]).data == pytest.approx((1 + 4) / 2)
    assert nn.half_squared_error([1.0, 3.0], [0.0, 1.0]).data == pytest.approx(0.5 + 2.0)


def test_hinge():
    assert nn.hinge_loss([2.0, 0.5, -1.0], [1, 1, 1]).data == pytest.approx((0 + 0.5 + 2.0) / 3)
    with pytest.raises(ValueError, match="labels -1 or \\+1, got 0"):
        nn.hinge_loss([1.0], [0])


@pytest.mark.parametrize("z", [-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])
@pytest.mark.parametrize("t", [0.0, 0.3, 1.0])
def test_bce_with_logits_is_stable_and_right(z, t):
    logit = Value(z)
    loss = nn.binary_cross_entropy_with_logits(logit, t)
    loss.backward()
    softplus = max(z, 0) + math.log1p(math.exp(-abs(z)))
    assert loss.data == pytest.approx(softplus - t * z, rel=1e-12)
    assert logit.grad == pytest.approx(1 / (1 + math.exp(-z)) - t if z > -700 else -t, abs=1e-12)


def test_cross_entropy_is_stable_and_right():
    logits = [Value(1000.0), Value(999.0), Value(-1000.0)]
    loss = nn.cross_entropy(logits, 1)
    loss.backward()
    lse = 1000 + math.log(1 + math.exp(-1) + math.exp(-2000))
    assert loss.data == pytest.approx(lse - 999.0)
    softmax = [math.exp(0) / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1)), 0.0]
    assert [v.grad for v in logits] == pytest.approx([softmax[0], softmax[1] - 1, 0.0])
    with pytest.raises(ValueError, match="target 3 is not a class index"):
        nn.cross_entropy([Value(0.0)] * 3, 3)


@given(st.lists(st.floats(-4, 4), min_size=3, max_size=3), st.integers(0, 2))
def test_cross_entropy_gradient_matches_central_differences(z, target):
    values = [Value(v) for v in z]
    nn.cross_entropy(values, target).backward()
    numeric = numerical_grad(lambda *zs: nn.cross_entropy(list(zs), target), *z)
    assert [v.grad for v in values] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


def test_l2_penalty():
    assert nn.l2_penalty([Value(1.0), Value(-2.0)], 0.1).data == pytest.approx(0.5)


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="2 outputs but 1 targets"):
        nn.mse_loss([1.0, 2.0], [1.0])
