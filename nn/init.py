"""Weight initialization schemes.

An initializer is called as ``init(fan_in, fan_out, rng)`` and returns one weight. ``fan_in`` is
the number of inputs of the neuron, ``fan_out`` the number of neurons in its layer.

=================  =============================================  ===========================
name               distribution                                   variance
=================  =============================================  ===========================
``uniform``        U(low, high), micrograd's U(-1, 1) by default  (high - low)² / 12
``normal``         N(mean, std²)                                  std²
``xavier_uniform`` U(-a, a), a = gain·√(6 / (fan_in + fan_out))   gain²·2 / (fan_in + fan_out)
``xavier_normal``  N(0, gain²·2 / (fan_in + fan_out))             gain²·2 / (fan_in + fan_out)
``he_uniform``     U(-a, a), a = √(6 / fan_in)                    2 / fan_in
``he_normal``      N(0, 2 / fan_in)                               2 / fan_in
``constant``       always ``value``                               0
=================  =============================================  ===========================

Xavier/Glorot keeps the variance of activations steady through tanh layers; He/Kaiming does the
same for relu layers, which zero half their inputs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Initializer",
    "uniform",
    "normal",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
    "constant",
    "INITIALIZERS",
    "resolve_init",
]

Initializer = Callable[[int, int, random.Random], float]


@dataclass(frozen=True)
class uniform:
    """U(low, high); the default U(-1, 1) is micrograd's."""

    low: float = -1.0
    high: float = 1.0

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        return rng.uniform(self.low, self.high)


@dataclass(frozen=True)
class normal:
    """N(mean, std²)."""

    mean: float = 0.0
    std: float = 1.0

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        return rng.gauss(self.mean, self.std)


@dataclass(frozen=True)
class xavier_uniform:
    """Glorot & Bengio (2010): U(-a, a) with a = gain·√(6 / (fan_in + fan_out))."""

    gain: float = 1.0

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        bound = self.gain * math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound)


@dataclass(frozen=True)
class xavier_normal:
    """Glorot & Bengio (2010): N(0, gain²·2 / (fan_in + fan_out))."""

    gain: float = 1.0

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        return rng.gauss(0.0, self.gain * math.sqrt(2.0 / (fan_in + fan_out)))


@dataclass(frozen=True)
class he_uniform:
    """He et al. (2015): U(-a, a) with a = √(6 / fan_in)."""

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        bound = math.sqrt(6.0 / fan_in)
        return rng.uniform(-bound, bound)


@dataclass(frozen=True)
class he_normal:
    """He et al. (2015): N(0, 2 / fan_in)."""

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        return rng.gauss(0.0, math.sqrt(2.0 / fan_in))


@dataclass(frozen=True)
class constant:
    """Every weight the same number (for worked examples, or to show why it fails)."""

    value: float = 0.0

    def __call__(self, fan_in: int, fan_out: int, rng: random.Random) -> float:
        return self.value


INITIALIZERS: dict[str, Initializer] = {
    "uniform": uniform(),
    "normal": normal(),
    "xavier_uniform": xavier_uniform(),
    "xavier_normal": xavier_normal(),
    "he_uniform": he_uniform(),
    "he_normal": he_normal(),
    "constant": constant(),
}


def resolve_init(init: str | Initializer) -> Initializer:
    """An initializer from its name or an initializer object such as ``normal(std=0.1)``."""
    if callable(init):
        return init
    try:
        return INITIALIZERS[init]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown init {init!r}; choose one of {sorted(INITIALIZERS)} "
            "or pass an initializer such as nn.init.normal(std=0.1)"
        ) from None
