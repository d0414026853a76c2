"""The worked examples the tests check the engine against, with the sources' own numbers.

Kept apart from the tests that use them (several do), as data: Mazur's 2-2-2 sigmoid network, with
the tutorial's calculation by hand, and the four equations of backpropagation of Nielsen's
chapter 2 as plain-Python matrix loops.
"""

from __future__ import annotations

import math

import nn


def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^(-x)), on floats."""
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


MAZUR_O1 = 0.75136507
"""out_o1 as the tutorial's worked steps give it (its summary line misprints it as 0.75136079)."""
MAZUR_TOTAL_ERROR = 0.298371109
"""E_total = ½(target_o1 - out_o1)² + ½(target_o2 - out_o2)², as the tutorial prints it."""
MAZUR_W5_AFTER = 0.35891648
"""w5 after one step of gradient descent at learning rate 0.5, as the tutorial prints it."""
MAZUR_W1_AFTER = 0.149780716
"""w1 after that step, as the tutorial prints it."""


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
