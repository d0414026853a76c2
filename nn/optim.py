"""Optimizers and gradient clipping. They change ``.data`` and ``.grad`` directly: updates are
not part of any graph.

The update rules follow PyTorch's ``torch.optim`` exactly, so numbers carry over:

* SGD:   g = grad + wd·p;  v = μ·v + g (v = g on the first step);  p -= lr·v
* Adam:  g = grad + wd·p;  m = β1·m + (1-β1)·g;  s = β2·s + (1-β2)·g²;
         p -= lr · (m / (1-β1^t)) / (√(s / (1-β2^t)) + ε)
* AdamW: as Adam with wd = 0, after first shrinking p -= lr·wd·p ("decoupled" weight decay)

Each rule is written once, in ``_update``, for a number or for a numpy array of them:
``step()`` applies it to each parameter's Value, and ``step_arrays(data, grad)`` to arrays holding
every parameter at once, which is how ``fit(compile=True)`` keeps numbers out of Values between
steps.

Every setting is checked when it is given (see :mod:`nn.validate`): the learning rate a finite
number > 0 (also when changed between steps), momentum and each beta in [0, 1), eps > 0, weight
decay ≥ 0, clipping thresholds > 0; a parameter listed twice is refused, since it would be updated
twice per step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd import Value

from .validate import number

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "clip_grad_norm_", "clip_grad_value_"]


class Optimizer:
    """Holds the parameters and the learning rate ``lr``, which may be changed between steps."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        where = type(self).__name__
        if isinstance(params, Value):
            raise TypeError(f"{where} takes a list of parameters, got a single Value: use [p]")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{where} got no parameters to optimize")
        seen: set[int] = set()
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"{where} optimizes Values, got {type(p).__name__}")
            if id(p) in seen:
                raise ValueError(
                    f"{where}: parameter {i} ({p!r}) is listed twice; it would be updated twice "
                    "per step"
                )
            seen.add(id(p))
        self.lr = lr

    @property
    def lr(self) -> float:
        """The learning rate: a finite number > 0, checked whenever it is set."""
        return self._lr

    @lr.setter
    def lr(self, lr: float) -> None:
        self._lr = number(type(self).__name__, "lr (the learning rate)", lr, above=0.0)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError

    def step_arrays(self, data: Any, grad: Any) -> None:
        """The same update on numpy arrays: ``data`` and ``grad`` hold every parameter's number
        and gradient, in the order of ``params``; ``data`` is updated in place.

        This general version goes through the Values (so any optimizer works); SGD, Adam and
        AdamW apply their rule to the arrays directly."""
        for p, value, gradient in zip(self.params, data.tolist(), grad.tolist()):
            p.data, p.grad = value, gradient
        self.step()
        data[:] = [p.data for p in self.params]


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and L2 weight decay."""

    def __init__(
        self, params: Iterable[Value], lr: float, momentum: float = 0.0, weight_decay: float = 0.0
    ) -> None:
        super().__init__(params, lr)
        self.momentum = number("SGD", "momentum", momentum, at_least=0.0, below=1.0)
        self.weight_decay = number("SGD", "weight_decay", weight_decay, at_least=0.0)
        self.velocity: list[float | None] = [None] * len(self.params)

    def _update(self, p: Any, grad: Any, v: Any) -> tuple[Any, Any]:
        """(new p, new velocity) for a number or an array p; v is None before the first step."""
        g = grad + self.weight_decay * p
        if self.momentum:
            g = g if v is None else self.momentum * v + g
            v = g
        return p - self._lr * g, v

    def step(self) -> None:
        for i, p in enumerate(self.params):
            p.data, self.velocity[i] = self._update(p.data, p.grad, self.velocity[i])

    def step_arrays(self, data: Any, grad: Any) -> None:
        import numpy as np

        velocity = None if self.velocity[0] is None else np.asarray(self.velocity, dtype=float)
        data[:], velocity = self._update(data, grad, velocity)
        if velocity is not None:
            self.velocity = velocity  # an array now: step() reads it the same way


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
        where = type(self).__name__
        if isinstance(betas, (str, bytes)) or len(betas) != 2:
            raise TypeError(f"{where}: betas must be a pair of numbers (β1, β2), got {betas!r}")
        self.betas = (
            number(where, "betas[0] (β1)", betas[0], at_least=0.0, below=1.0),
            number(where, "betas[1] (β2)", betas[1], at_least=0.0, below=1.0),
        )
        self.eps = number(where, "eps", eps, above=0.0)
        self.weight_decay = number(where, "weight_decay", weight_decay, at_least=0.0)
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.s = [0.0] * len(self.params)

    def _decayed(self, p: Any, grad: Any) -> tuple[Any, Any]:
        """(p, the gradient the moment estimates see): Adam folds L2 weight decay into it."""
        return p, grad + self.weight_decay * p

    def _update(self, sqrt: Any, p: Any, grad: Any, m: Any, s: Any) -> tuple[Any, Any, Any]:
        """(new p, new m, new s) for a number or an array p; ``sqrt`` is math's or numpy's."""
        beta1, beta2 = self.betas
        correction1, correction2 = 1 - beta1**self.t, 1 - beta2**self.t
        p, g = self._decayed(p, grad)
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        return p - self._lr * (m / correction1) / (sqrt(s / correction2) + self.eps), m, s

    def step(self) -> None:
        self.t += 1
        for i, p in enumerate(self.params):
            p.data, self.m[i], self.s[i] = self._update(
                math.sqrt, p.data, p.grad, self.m[i], self.s[i]
            )

    def step_arrays(self, data: Any, grad: Any) -> None:
        import numpy as np

        self.t += 1
        m, s = np.asarray(self.m, dtype=float), np.asarray(self.s, dtype=float)
        data[:], self.m, self.s = self._update(np.sqrt, data, grad, m, s)


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

    def _decayed(self, p: Any, grad: Any) -> tuple[Any, Any]:
        """Shrink p by lr·wd·p first (the decoupled decay); the moments see the plain gradient."""
        return p - self._lr * self.weight_decay * p, grad


def clip_grad_norm_(params: Iterable[Value], max_norm: float) -> float:
    """If the gradients' total L2 norm exceeds ``max_norm``, scale every gradient by
    max_norm / norm, keeping their direction. Returns the norm before clipping.

    ``max_norm`` must be a finite number > 0 (a negative one would flip every gradient)."""
    max_norm = number("clip_grad_norm_", "max_norm", max_norm, above=0.0)
    params = list(params)
    norm = math.sqrt(sum(p.grad * p.grad for p in params))
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm


def clip_grad_value_(params: Iterable[Value], clip_value: float) -> None:
    """Clamp every gradient into [-clip_value, clip_value]; ``clip_value`` must be a finite
    number > 0."""
    clip_value = number("clip_grad_value_", "clip_value", clip_value, above=0.0)
    for p in params:
        p.grad = min(max(p.grad, -clip_value), clip_value)
