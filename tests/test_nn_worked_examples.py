"""nn against hand calculations: Mazur's 2-2-2 example and the four equations of Nielsen's chapter 2."""

from __future__ import annotations

import math
import random

import pytest

import nn


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# ---- Mazur, "A Step by Step Backpropagation Example": the 2-2-2 sigmoid network ------------------

I1, I2 = 0.05, 0.10
W = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]  # w1 … w8
B1, B2 = 0.35, 0.60
T1, T2 = 0.01, 0.99


def network_222() -> nn.MLP:
    model = nn.MLP(2, [2, 2], activation="sigmoid", final_activation="sigmoid")
    w1, w2, w3, w4, w5, w6, w7, w8 = W
    model.load_state_dict(
        {
            "layers.0.neurons.0.w.0": w1,
            "layers.0.neurons.0.w.1": w2,
            "layers.0.neurons.0.b": B1,
            "layers.0.neurons.1.w.0": w3,
            "layers.0.neurons.1.w.1": w4,
            "layers.0.neurons.1.b": B1,
            "layers.1.neurons.0.w.0": w5,
            "layers.1.neurons.0.w.1": w6,
            "layers.1.neurons.0.b": B2,
            "layers.1.neurons.1.w.0": w7,
            "layers.1.neurons.1.w.1": w8,
            "layers.1.neurons.1.b": B2,
        }
    )
    return model


def by_hand_222():
    """The tutorial's calculation, from its formulas (its summary line misprints o1 as 0.75136079)."""
    w1, w2, w3, w4, w5, w6, w7, w8 = W
    h1 = sigmoid(w1 * I1 + w2 * I2 + B1)
    h2 = sigmoid(w3 * I1 + w4 * I2 + B1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + B2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + B2)
    error = 0.5 * (T1 - o1) ** 2 + 0.5 * (T2 - o2) ** 2
    delta_o1 = (o1 - T1) * o1 * (1 - o1)  # ∂E/∂net_o1
    delta_o2 = (o2 - T2) * o2 * (1 - o2)
    delta_h1 = (delta_o1 * w5 + delta_o2 * w7) * h1 * (1 - h1)  # both paths, through o1 and o2
    delta_h2 = (delta_o1 * w6 + delta_o2 * w8) * h2 * (1 - h2)
    grads = [
        delta_h1 * I1,
        delta_h1 * I2,
        delta_h2 * I1,
        delta_h2 * I2,
        delta_o1 * h1,
        delta_o1 * h2,
        delta_o2 * h1,
        delta_o2 * h2,
    ]
    return (o1, o2), error, grads


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
    assert out[0].data == pytest.approx(0.75136507, abs=1e-8)  # the worked steps' value
    assert E.data == pytest.approx(error, rel=1e-12)
    assert E.data == pytest.approx(0.298371109, abs=1e-9)


def test_222_one_sgd_step_matches_the_delta_rule():
    model = network_222()
    _, _, grads = by_hand_222()
    E = nn.half_squared_error(model([I1, I2]), [T1, T2])
    E.backward()
    nn.SGD(model.parameters(), lr=0.5).step()
    expected = [w - 0.5 * g for w, g in zip(W, grads)]
    assert weights_of(model) == pytest.approx(expected, rel=1e-12)
    assert weights_of(model)[4] == pytest.approx(0.35891648, abs=1e-8)  # the tutorial's w5⁺
    assert weights_of(model)[0] == pytest.approx(0.149780716, abs=1e-9)  # the tutorial's w1⁺


# ---- Nielsen, Neural Networks and Deep Learning, ch. 2: the four equations of backpropagation ------


def four_equations(weights, biases, x, y):
    """BP1–BP4 with plain-Python matrix loops, for a sigmoid net and C = ½‖a - y‖²."""
    activations, zs = [x], []
    for W_l, b_l in zip(weights, biases):
        z = [
            sum(W_l[j][k] * activations[-1][k] for k in range(len(W_l[j]))) + b_l[j]
            for j in range(len(W_l))
        ]
        zs.append(z)
        activations.append([sigmoid(v) for v in z])

    def sigma_prime(z):
        return [sigmoid(v) * (1 - sigmoid(v)) for v in z]

    L = len(weights)
    deltas = [None] * L
    # BP1: δᴸ = ∇ₐC ⊙ σ′(zᴸ)
    deltas[-1] = [(a - t) * s for a, t, s in zip(activations[-1], y, sigma_prime(zs[-1]))]
    # BP2: δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)
    for l in range(L - 2, -1, -1):
        W_next = weights[l + 1]
        back = [
            sum(W_next[j][k] * deltas[l + 1][j] for j in range(len(W_next)))
            for k in range(len(W_next[0]))
        ]
        deltas[l] = [b * s for b, s in zip(back, sigma_prime(zs[l]))]
    # BP3: ∂C/∂bˡ = δˡ;  BP4: ∂C/∂wˡ_jk = aˡ⁻¹_k δˡ_j
    grad_b = deltas
    grad_w = [
        [
            [activations[l][k] * deltas[l][j] for k in range(len(weights[l][j]))]
            for j in range(len(weights[l]))
        ]
        for l in range(L)
    ]
    return grad_w, grad_b


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
