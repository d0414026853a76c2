"""``fit``: a small training loop with a history and a progress bar."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

from autograd import Value, no_grad

from . import losses
from .module import Module
from .optim import SGD, Optimizer

__all__ = ["History", "fit", "accuracy", "LOSSES"]

LOSSES: dict[str, Callable[..., Value]] = {
    "hinge": losses.hinge_loss,
    "bce": losses.binary_cross_entropy_with_logits,
    "cross_entropy": losses.cross_entropy,
    "mse": losses.mse_loss,
}


@dataclass
class History:
    """Per epoch: the mean training loss over the epoch's steps (including any L2 penalty), and
    the training accuracy after the epoch's last update (None for regression losses)."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)


def accuracy(outputs: Sequence, targets: Sequence, loss: str) -> float | None:
    """The fraction classified correctly, read the way ``loss`` reads outputs: the sign of a
    score for hinge (labels ±1), logit > 0 for bce (labels 0/1), the largest logit for
    cross_entropy. None for mse."""
    def number(v):
        return v.data if isinstance(v, Value) else v

    if loss == "hinge":
        hits = [(number(o) > 0) == (t > 0) for o, t in zip(outputs, targets)]
    elif loss == "bce":
        hits = [(number(o) > 0) == (t > 0.5) for o, t in zip(outputs, targets)]
    elif loss == "cross_entropy":
        hits = [max(range(len(o)), key=lambda j: number(o[j])) == t for o, t in zip(outputs, targets)]
    else:
        return None
    return sum(hits) / len(hits)


def fit(model: Module, X: Sequence[Sequence[float]], y: Sequence, *, loss: str | Callable = "hinge",
        optimizer: Optimizer | None = None, epochs: int = 100, batch_size: int | None = None,
        l2: float = 0.0, lr_schedule: Callable[[int], float] | None = None,
        progress: bool | None = None, seed: int | None = 0) -> History:
    """Train ``model`` on ``(X, y)`` and return its :class:`History`.

    ``loss`` is "hinge" (labels ±1), "bce" (labels 0/1, outputs are logits), "cross_entropy"
    (integer classes, outputs are lists of logits), "mse", or a function ``(outputs, targets) ->
    Value``. ``optimizer`` defaults to SGD with lr 0.1. ``batch_size=None`` trains on the whole
    set each step; otherwise each epoch visits the examples in a shuffled order (seeded by
    ``seed``). ``l2`` adds l2·Σp² over the parameters. ``lr_schedule(epoch)`` sets the learning
    rate before each epoch, counting from 0. The progress bar (tqdm) shows when ``progress`` is
    True, or by default when the output is a terminal.
    """
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} targets")
    loss_name = loss if isinstance(loss, str) else None
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)} or pass a function")
        loss_fn = LOSSES[loss]
    else:
        loss_fn = loss
    params = model.parameters()
    optimizer = optimizer if optimizer is not None else SGD(params, lr=0.1)
    rng = random.Random(seed)
    history = History()
    from tqdm.auto import trange  # imported here: only training needs it

    order = list(range(len(X)))
    size = batch_size or len(X)
    for epoch in trange(epochs, disable=None if progress is None else not progress, desc="fit",
                        unit="epoch", leave=False):
        if lr_schedule is not None:
            optimizer.lr = lr_schedule(epoch)
        if batch_size is not None:
            rng.shuffle(order)
        total, count = 0.0, 0
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            outputs = [model([Value(v) for v in X[i]]) for i in batch]
            value = loss_fn(outputs, [y[i] for i in batch])
            if l2:
                value = value + losses.l2_penalty(params, l2)
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
            total += value.data * len(batch)
            count += len(batch)
        history.loss.append(total / count)
        with no_grad():
            history.accuracy.append(accuracy([model(x) for x in X], y, loss_name) if loss_name else None)
    return history
