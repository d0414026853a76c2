"""nn against hand calculations: Mazur's 2-2-2 example and the four equations of Nielsen's chapter 2."""

from __future__ import annotations

import random

import pytest
from worked_examples import (
    I1,
    I2,
    MAZUR_O1,
    MAZUR_TOTAL_ERROR,
    MAZUR_W1_AFTER,
    MAZUR_W5_AFTER,
    T1,
    T2,
    W,
    by_hand_222,
    four_equations,
    network_222,
)

import nn

# ---- Mazur, "A Step by Step Backpropagation Example": the 2-2-2 sigmoid network ------------------


def weights_of(model: nn.MLP) -> list[float]:
    return [w.data for layer in model.layers for neuron in layer.neurons for w in neuron.w]


def test_222_forward_and_total_error():
    model = network_222()
    (o1, o2), error, _ = by_hand_222()
    out = model([I1, I2])
    E = nn.half_squared_error(out, [T1, T2])
    assert out[0].data == pytest.approx(o1, rel=1e-12) and out[1].data == pytest.approx(
        o2, rel=1e-12
    )
    assert out[0].data == pytest.approx(MAZUR_O1, abs=1e-8)
    assert E.data == pytest.approx(error, rel=1e-12)
    assert E.data == pytest.approx(MAZUR_TOTAL_ERROR, abs=1e-9)


def test_222_one_sgd_step_matches_the_delta_rule():
    model = network_222()
    _, _, grads = by_hand_222()
    E = nn.half_squared_error(model([I1, I2]), [T1, T2])
    E.backward()
    nn.SGD(model.parameters(), lr=0.5).step()
    expected = [w - 0.5 * g for w, g in zip(W, grads)]
    assert weights_of(model) == pytest.approx(expected, rel=1e-12)
    assert weights_of(model)[4] == pytest.approx(MAZUR_W5_AFTER, abs=1e-8)
    assert weights_of(model)[0] == pytest.approx(MAZUR_W1_AFTER, abs=1e-9)


# ---- Nielsen, Neural Networks and Deep Learning, ch. 2: the four equations of backpropagation ------


@pytest.mark.parametrize("seed", range(5))
def test_four_equations_agree_with_the_engine_on_a_3_4_2_net(seed):
    model = nn.MLP(3, [4, 2], activation="sigmoid", final_activation="sigmoid", seed=seed)
    rng = random.Random(seed)
    x = [rng.uniform(-1, 1) for _ in range(3)]
    y = [rng.uniform(0, 1) for _ in range(2)]
    nn.half_squared_error(model(x), y).backward()
    weights = [[[w.data for w in n.w] for n in layer.neurons] for layer in model.layers]
    biases = [[n.b.data for n in layer.neurons] for layer in model.layers]
    grad_w, grad_b = four_equations(weights, biases, x, y)
    for l, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            assert neuron.b.grad == pytest.approx(grad_b[l][j], rel=1e-12, abs=1e-15)
            assert [w.grad for w in neuron.w] == pytest.approx(grad_w[l][j], rel=1e-12, abs=1e-15)
