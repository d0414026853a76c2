"""Optimizers and clipping."""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value


def quadratic(params):
    """f = (a - 3)² + 10·(b + 1)²: minimum at (3, -1)."""
    a, b = params
    return (a - 3) ** 2 + 10 * (b + 1) ** 2


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: nn.Adam(ps, lr=0.1),
        lambda ps: nn.AdamW(ps, lr=0.1, weight_decay=1e-4),
        lambda ps: nn.SGD(ps, lr=0.02, momentum=0.9),
    ],
)
def test_optimizers_converge_on_a_quadratic(make):
    params = [Value(0.0), Value(0.0)]
    optimizer = make(params)
    for _ in range(500):
        optimizer.zero_grad()
        quadratic(params).backward()
        optimizer.step()
    assert params[0].data == pytest.approx(3.0, abs=1e-2)
    assert params[1].data == pytest.approx(-1.0, abs=1e-2)


def test_sgd_first_step_and_weight_decay():
    p = Value(2.0)
    p.grad = 0.5
    nn.SGD([p], lr=0.1, weight_decay=0.01).step()
    assert p.data == pytest.approx(2.0 - 0.1 * (0.5 + 0.01 * 2.0))


def test_adam_first_step_is_lr_times_sign():
    p = Value(1.0)
    p.grad = 123.0
    nn.Adam([p], lr=0.01).step()
    assert p.data == pytest.approx(1.0 - 0.01, rel=1e-6)


def test_adamw_decay_is_decoupled():
    p = Value(1.0)
    p.grad = 0.0
    nn.AdamW([p], lr=0.1, weight_decay=0.5).step()
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5)  # no gradient: only the decay moves it


def test_learning_rate_can_change_between_steps():
    p = Value(0.0)
    sgd = nn.SGD([p], lr=1.0)
    p.grad = 1.0
    sgd.step()
    sgd.lr = 0.5
    sgd.step()
    assert p.data == -1.5


def test_clip_grad_norm_keeps_direction():
    params = [Value(0.0), Value(0.0)]
    params[0].grad, params[1].grad = 3.0, 4.0
    norm = nn.clip_grad_norm_(params, max_norm=1.0)
    assert norm == 5.0
    assert (params[0].grad, params[1].grad) == pytest.approx((0.6, 0.8))
    assert math.hypot(params[0].grad, params[1].grad) == pytest.approx(1.0)
    assert nn.clip_grad_norm_(params, max_norm=10.0) == pytest.approx(1.0)
    assert (params[0].grad, params[1].grad) == pytest.approx((0.6, 0.8))  # below: untouched


def test_clip_grad_value():
    params = [Value(0.0), Value(0.0)]
    params[0].grad, params[1].grad = 3.0, -0.2
    nn.clip_grad_value_(params, 0.5)
    assert (params[0].grad, params[1].grad) == (0.5, -0.2)


def test_bad_optimizer_arguments():
    with pytest.raises(ValueError, match="no parameters"):
        nn.SGD([], lr=0.1)
    with pytest.raises(
        ValueError, match=r"Adam: lr \(the learning rate\) must be a finite number > 0"
    ):
        nn.Adam([Value(1.0)], lr=0.0)
