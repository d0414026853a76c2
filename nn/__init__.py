"""stepgrad's neural-network library: neurons, layers and MLPs made of :class:`autograd.Value`.

    >>> from nn import MLP
    >>> model = MLP(2, [4, 1], activation="relu", seed=0)
    >>> score = model([0.5, -1.0])
    >>> score.backward()
    >>> len(model.parameters())
    17

Everything here is built from autograd's ops; nn adds no calculus of its own.
"""
from . import data, init
from .activations import leaky_relu, linear
from .layers import MLP, Layer, Neuron
from .module import Module, StateDictError

__all__ = ["Module", "StateDictError", "Neuron", "Layer", "MLP", "leaky_relu", "linear",
           "data", "init"]
