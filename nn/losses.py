"""Loss functions, each made of autograd ops (nn adds no calculus of its own).

Each takes a batch of model outputs and a batch of targets, of the same length, and returns the
mean loss as a Value (``half_squared_error`` returns the sum, as the worked examples do). A single
output and target may be passed without wrapping them in lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value, dot, logsumexp, sum_values

__all__ = [
    "LOSSES",
    "loss_function",
    "predicted_class",
    "mse_loss",
    "half_squared_error",
    "hinge_loss",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l2_penalty",
]

Scalar = Value | float


def _batch(outputs: Any, targets: Any, name: str) -> tuple[list[Any], list[Any]]:
    outputs = [outputs] if isinstance(outputs, (Value, int, float)) else list(outputs)
    targets = [targets] if isinstance(targets, (Value, int, float)) else list(targets)
    if len(outputs) != len(targets):
        raise ValueError(f"{name}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{name}: the batch is empty")
    return [o if isinstance(o, Value) else Value(o) for o in outputs], targets


def _mean(terms: list[Value]) -> Value:
    return sum_values(terms) * (1.0 / len(terms))


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
    return sum_values([0.5 * (t - o) ** 2 for o, t in zip(outputs, targets)])


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


def cross_entropy(
    logits: Sequence[Sequence[Scalar]] | Sequence[Scalar],
    targets: Sequence[int | Sequence[Scalar]] | int,
) -> Value:
    """Softmax cross-entropy: (1/n) Σ [log Σⱼ e^zⱼ - Σⱼ tⱼ·zⱼ].

    ``logits`` holds one list of class scores per example. Each target is a class index (then
    Σⱼ tⱼ·zⱼ is just z_target) or a list of class probabilities, such as a one-hot vector, which
    may hold Values: that is how a compiled loss takes its targets as inputs. A single example's
    list may be passed with a single int target.

    log Σⱼ e^zⱼ is one node, autograd's ``logsumexp`` op: computed stably (shifted by the largest
    zⱼ inside the op, so no exp overflows), with the softmax e^(zⱼ - out) as its local
    derivatives. The shift is part of the op's forward computation, not a number baked into the
    graph, so a compiled loss stays stable for any logits.
    """
    if isinstance(targets, int):  # one example: its class scores and its class
        return cross_entropy([logits], [targets])  # type: ignore[arg-type]
    if len(logits) != len(targets):
        raise ValueError(f"cross_entropy: {len(logits)} examples but {len(targets)} targets")
    if not logits:
        raise ValueError("cross_entropy: the batch is empty")
    terms = []
    for z, target in zip(logits, targets):
        z = list(z)  # type: ignore[arg-type]
        if not z:
            raise ValueError("cross_entropy: an example has no class scores")
        if isinstance(target, (list, tuple)):
            if len(target) != len(z):
                raise ValueError(
                    f"cross_entropy: a target of {len(target)} class probabilities for "
                    f"{len(z)} logits"
                )
            terms.append(logsumexp(*z) - dot(target, z))
        elif isinstance(target, int) and not isinstance(target, bool) and 0 <= target < len(z):
            terms.append(logsumexp(*z) - z[target])
        else:
            raise ValueError(
                f"cross_entropy: target {target!r} is not a class index 0…{len(z) - 1} "
                "nor a list of class probabilities"
            )
    return _mean(terms)


def l2_penalty(parameters: Sequence[Value], alpha: float) -> Value:
    """L2 regularization: alpha · Σ p²."""
    return alpha * sum_values([p * p for p in parameters])


LOSSES: dict[str, Callable[..., Value]] = {
    "hinge": hinge_loss,
    "bce": binary_cross_entropy_with_logits,
    "cross_entropy": cross_entropy,
    "mse": mse_loss,
}
"""The losses ``fit`` knows by name."""


def loss_function(loss: str | Callable[..., Value]) -> Callable[..., Value]:
    """The loss function called ``loss`` (a key of :data:`LOSSES`), or ``loss`` itself if it is
    a function ``(outputs, targets) -> Value``."""
    if not isinstance(loss, str):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"unknown loss {loss!r}; choose one of {sorted(LOSSES)} or pass a function"
        )
    return LOSSES[loss]


def predicted_class(output: Any) -> int:
    """The class a model's output predicts, read the way the losses read it: for one score (a
    Value or a number), 1 if it is positive, else 0 (hinge's sign, bce's logit > 0); for a list
    of logits, the index of the largest (cross_entropy)."""

    def number(v: Any) -> float:
        return v.data if isinstance(v, Value) else float(v)

    if isinstance(output, (list, tuple)):
        return max(range(len(output)), key=lambda j: number(output[j]))
    return 1 if number(output) > 0 else 0
