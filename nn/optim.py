"""Optimizers and gradient clipping. They change ``.data`` and ``.grad`` directly: updates are
not part of any graph.

The update rules follow PyTorch's ``torch.optim`` exactly, so numbers carry over:

* SGD:   g = grad + wd·p;  v = μ·v + g (v = g on the first step);  p -= lr·v
* Adam:  g = grad + wd·p;  m = β1·m + (1-β1)·g;  s = β2·s + (1-β2)·g²;
         p -= lr · (m / (1-β1^t)) / (√(s / (1-β2^t)) + ε)
* AdamW: as Adam with wd = 0, after first shrinking p -= lr·wd·p ("decoupled" weight decay)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "clip_grad_norm_", "clip_grad_value_"]


class Optimizer:
    """Holds the parameters and the learning rate ``lr``, which may be changed between steps."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__} optimizes Values, got {type(p).__name__}")
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got lr={lr!r}")
        self.lr = lr

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and L2 weight decay."""

    def __init__(
        self, params: Iterable[Value], lr: float, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data
            if self.momentum:
                v = self.velocity[i]
                g = g if v is None else self.momentum * v + g
                self.velocity[i] = g
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): per-parameter steps scaled by running gradient moments."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.s = [0.0] * len(self.params)

    def _gradient_for_moments(self, p: Value) -> float:
        """The gradient the moment estimates see: Adam folds L2 weight decay into it."""
        return p.grad + self.weight_decay * p.data

    def step(self) -> None:
        beta1, beta2 = self.betas
        self.t += 1
        correction1, correction2 = 1 - beta1**self.t, 1 - beta2**self.t
        for i, p in enumerate(self.params):
            g = self._gradient_for_moments(p)
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * g
            self.s[i] = beta2 * self.s[i] + (1 - beta2) * g * g
            p.data -= (
                self.lr
                * (self.m[i] / correction1)
                / (math.sqrt(self.s[i] / correction2) + self.eps)
            )


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): p shrinks by lr·wd·p each
    step, outside the moment estimates."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def _gradient_for_moments(self, p: Value) -> float:
        """Shrink p by lr·wd·p first (the decoupled decay); the moments see the plain gradient."""
        p.data -= self.lr * self.weight_decay * p.data
        return p.grad


def clip_grad_norm_(params: Iterable[Value], max_norm: float) -> float:
    """If the gradients' total L2 norm exceeds ``max_norm``, scale every gradient by
    max_norm / norm, keeping their direction. Returns the norm before clipping."""
    params = list(params)
    norm = math.sqrt(sum(p.grad * p.grad for p in params))
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm


def clip_grad_value_(params: Iterable[Value], clip_value: float) -> None:
    """Clamp every gradient into [-clip_value, clip_value]."""
    for p in params:
        p.grad = min(max(p.grad, -clip_value), clip_value)
