"""stepgrad's neural-network library: neurons, layers and MLPs made of :class:`autograd.Value`.

    >>> from nn import MLP
    >>> model = MLP(2, [4, 1], activation="relu", seed=0)
    >>> score = model([0.5, -1.0])
    >>> score.backward()
    >>> len(model.parameters())
    17

Everything here is built from autograd's ops; nn adds no calculus of its own.
"""

import os as _os

from autograd.core.modes import register_library_folder as _register_library_folder

from . import data, diagnostics, init, losses, plot
from .activations import leaky_relu, linear
from .layers import MLP, Layer, Neuron
from .losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    half_squared_error,
    hinge_loss,
    l2_penalty,
    mse_loss,
)
from .module import Module, StateDictError
from .optim import SGD, Adam, AdamW, Optimizer, clip_grad_norm_, clip_grad_value_
from .train import History, fit

__all__ = [
    "Module",
    "StateDictError",
    "Neuron",
    "Layer",
    "MLP",
    "leaky_relu",
    "linear",
    "mse_loss",
    "half_squared_error",
    "hinge_loss",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l2_penalty",
    "Optimizer",
    "SGD",
    "Adam",
    "AdamW",
    "clip_grad_norm_",
    "clip_grad_value_",
    "fit",
    "History",
    "data",
    "init",
    "losses",
    "diagnostics",
    "plot",
]

# detect_anomaly names the line of *your* code that made a node, skipping nn's own frames.
_register_library_folder(_os.path.dirname(_os.path.abspath(__file__)))
