"""Diagnostics for vanishing and exploding gradients: per-layer statistics after a backward pass.

    recording = record_activations(model, X)          # forward pass, keeping every layer's outputs
    loss = nn.losses.mse_loss(recording.outputs, y)
    loss.backward()
    for row in recording.statistics():
        print(row.layer, row.activation_std, row.gradient_std)

With this one can repeat the experiment of Prince, *Understanding Deep Learning* ch. 7: as the
initial weight variance moves away from 2/fan_in (He), the spread of the activations and of the
gradients grows or shrinks geometrically with depth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value

from .layers import MLP

__all__ = ["LayerStatistics", "Recording", "record_activations", "summarize"]


@dataclass(frozen=True)
class LayerStatistics:
    """One layer's numbers over a batch: its outputs (activations), the gradients of the loss
    with respect to those outputs, and the gradients of its weights."""

    layer: str
    activation_mean: float
    activation_std: float
    activation_norm: float
    gradient_mean: float
    gradient_std: float
    gradient_norm: float
    weight_gradient_norm: float


def summarize(numbers: Sequence[float]) -> tuple[float, float, float]:
    """(mean, population standard deviation, L2 norm) of a list of numbers."""
    n = len(numbers)
    mean = sum(numbers) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in numbers) / n)
    return mean, std, math.sqrt(sum(x * x for x in numbers))


@dataclass
class Recording:
    """A forward pass of ``model`` over a batch, with every layer's outputs kept."""

    model: MLP
    layer_outputs: list[list[list[Value]]]  # [layer][example][neuron]

    @property
    def outputs(self) -> list[Value | list[Value]]:
        """The model's outputs per example, as ``model(x)`` returns them."""
        return [out[0] if len(out) == 1 else out for out in self.layer_outputs[-1]]

    def statistics(self) -> list[LayerStatistics]:
        """Per-layer statistics; call after ``backward()`` so that the gradients are there."""
        rows = []
        for layer, outputs in zip(self.model.layers, self.layer_outputs):
            values = [v for example in outputs for v in example]
            a_mean, a_std, a_norm = summarize([v.data for v in values])
            g_mean, g_std, g_norm = summarize([v.grad for v in values])
            weight_grads = [w.grad for neuron in layer.neurons for w in neuron.w]
            rows.append(
                LayerStatistics(
                    layer.label,
                    a_mean,
                    a_std,
                    a_norm,
                    g_mean,
                    g_std,
                    g_norm,
                    math.sqrt(sum(g * g for g in weight_grads)),
                )
            )
        return rows


def record_activations(model: MLP, X: Sequence[Sequence[float]]) -> Recording:
    """Run ``model`` on every example of ``X`` layer by layer, keeping each layer's outputs."""
    per_layer: list[list[list[Value]]] = [[] for _ in model.layers]
    for x in X:
        h: Sequence[Value | float] = [Value(v) for v in x]
        for i, layer in enumerate(model.layers):
            h = layer(h)
            per_layer[i].append(h)
    return Recording(model, per_layer)
