"""Activation functions by name. Each is made of autograd ops: nn adds no calculus of its own."""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value

__all__ = ["Activation", "ACTIVATIONS", "leaky_relu", "linear", "resolve_activation"]

Activation = Callable[[Value], Value]


def linear(x: Value) -> Value:
    """The identity: no activation."""
    return x


def leaky_relu(x: Value, slope: float = 0.01) -> Value:
    """x for x > 0, slope·x otherwise, written as relu(x) - slope·relu(-x).

    NOTE: at exactly x = 0 both relus have derivative 0 (autograd's choice for relu), so the
    derivative there is 0; everywhere else it is 1 or ``slope``.
    """
    return x.relu() - slope * (-x).relu()


# Value's op methods (x.tanh(), …) are made from the op records when autograd is imported, so a
# type checker cannot see them on the class: getattr reads the same functions.
ACTIVATIONS: dict[str, Activation] = {
    **{name: getattr(Value, name) for name in ("tanh", "relu", "sigmoid")},
    "leaky_relu": leaky_relu,
    "linear": linear,
}


def resolve_activation(activation: str | Activation | None) -> Activation:
    """An activation from its name, a callable from Value to Value, or None (linear)."""
    if activation is None:
        return linear
    if callable(activation):
        return activation
    try:
        return ACTIVATIONS[activation]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {activation!r}; choose one of "
            f"{sorted(ACTIVATIONS)} or pass a function from Value to Value"
        ) from None
