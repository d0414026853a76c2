"""Loss functions, each made of autograd ops (nn adds no calculus of its own).

Each takes a batch of model outputs and a batch of targets, of the same length, and returns the
mean loss as a Value (``half_squared_error`` returns the sum, as the worked examples do). A single
output and target may be passed without wrapping them in lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value

__all__ = [
    "mse_loss",
    "half_squared_error",
    "hinge_loss",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l2_penalty",
    "log_sum_exp",
]

Scalar = Value | float


def _batch(outputs, targets, name: str) -> tuple[list, list]:
    outputs = [outputs] if isinstance(outputs, (Value, int, float)) else list(outputs)
    targets = [targets] if isinstance(targets, (Value, int, float)) else list(targets)
    if len(outputs) != len(targets):
        raise ValueError(f"{name}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{name}: the batch is empty")
    return [o if isinstance(o, Value) else Value(o) for o in outputs], targets


def _mean(terms: list[Value]) -> Value:
    return sum(terms, Value(0.0)) * (1.0 / len(terms))


def mse_loss(outputs: Sequence[Scalar] | Scalar, targets: Sequence[float] | float) -> Value:
    """Mean squared error: (1/n) Σ (output - target)²."""
    outputs, targets = _batch(outputs, targets, "mse_loss")
    return _mean([(o - t) ** 2 for o, t in zip(outputs, targets)])


def half_squared_error(
    outputs: Sequence[Scalar] | Scalar, targets: Sequence[float] | float
) -> Value:
    """The worked examples' error: E = Σ ½(target - output)², a sum, not a mean.

    The ½ cancels the 2 of the derivative: ∂E/∂output = output - target.
    """
    outputs, targets = _batch(outputs, targets, "half_squared_error")
    return sum((0.5 * (t - o) ** 2 for o, t in zip(outputs, targets)), Value(0.0))


def hinge_loss(scores: Sequence[Scalar] | Scalar, labels: Sequence[float] | float) -> Value:
    """Max-margin loss for labels ±1: (1/n) Σ max(0, 1 - label·score)."""
    scores, labels = _batch(scores, labels, "hinge_loss")
    for label in labels:
        if (label.data if isinstance(label, Value) else label) not in (-1, 1):
            raise ValueError(f"hinge_loss needs labels -1 or +1, got {label!r}")
    return _mean([(1 - label * score).relu() for score, label in zip(scores, labels)])


def binary_cross_entropy_with_logits(
    logits: Sequence[Scalar] | Scalar, targets: Sequence[float] | float
) -> Value:
    """Binary cross-entropy of σ(logit) against targets in [0, 1], computed stably.

    -[t·log σ(z) + (1 - t)·log(1 - σ(z))] simplifies to softplus(z) - t·z, which never takes the
    log of a number that has underflowed to 0 (autograd's softplus op is computed stably).
    """
    logits, targets = _batch(logits, targets, "binary_cross_entropy_with_logits")
    for target in targets:
        t = target.data if isinstance(target, Value) else target
        if not 0 <= t <= 1:  # also refuses NaN
            raise ValueError(
                f"binary_cross_entropy_with_logits needs targets in [0, 1], got {target!r}"
            )
    return _mean([z.softplus() - t * z for z, t in zip(logits, targets)])


def log_sum_exp(z: Sequence[Value]) -> Value:
    """log Σ e^zᵢ, computed as m + log Σ e^(zᵢ - m) with m = max zᵢ so that no exp overflows.

    m is a plain number (a constant), so shifting by it changes no gradient. (A compiled loss
    keeps the m of its trace: still exact, and stable while the logits stay near it.)
    """
    m = max(zi.data if isinstance(zi, Value) else zi for zi in z)
    return m + sum(((zi - m).exp() for zi in z), Value(0.0)).log()


def cross_entropy(logits: Sequence[Sequence[Scalar]], targets: Sequence[int]) -> Value:
    """Softmax cross-entropy: (1/n) Σ [log Σⱼ e^zⱼ - z_target], for integer class targets.

    ``logits`` holds one list of class scores per example (a single example's list may be
    passed with a single int target).
    """
    if isinstance(targets, int):
        logits, targets = [logits], [targets]
    if len(logits) != len(targets):
        raise ValueError(f"cross_entropy: {len(logits)} examples but {len(targets)} targets")
    terms = []
    for z, target in zip(logits, targets):
        if not isinstance(target, int) or not 0 <= target < len(z):
            raise ValueError(
                f"cross_entropy: target {target!r} is not a class index 0…{len(z) - 1}"
            )
        terms.append(log_sum_exp(z) - z[target])
    return _mean(terms)


def l2_penalty(parameters: Sequence[Value], alpha: float) -> Value:
    """L2 regularization: alpha · Σ p²."""
    return alpha * sum((p * p for p in parameters), Value(0.0))
