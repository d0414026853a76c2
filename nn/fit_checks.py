"""The checks ``fit`` makes before its first step: the data, the settings, the schedule.

Kept apart from :mod:`nn.validate` (the checks of single settings, which the optimizers use)
because these need the model and optimizer classes, and the optimizers need ``nn.validate``.
"""

from __future__ import annotations

import math
import numbers as _numbers
from collections.abc import Callable, Sequence
from typing import Any

from .module import Module
from .optim import Optimizer
from .validate import count, number

__all__ = ["check_fit", "LABELS"]

LABELS = {
    "hinge": "labels -1 or +1",
    "bce": "targets in [0, 1]",
    "cross_entropy": "class indices 0, 1, 2, …",
    "mse": "finite numbers",
}


def check_fit(
    model: object,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    loss: object,
    optimizer: object,
    epochs: object,
    batch_size: object,
    l2: object,
    lr_schedule: Callable[[int], float] | None,
) -> Callable[[int], float] | None:
    """Check everything ``fit`` was given before it trains; return ``lr_schedule`` checked.

    The data: X and y of the same, nonzero length; every row of X a list of finite numbers, all
    of the same length (an error names the row and the column); every target finite, and of the
    kind the loss reads (for "hinge" every label is -1 or +1, all of them checked here, so no
    batch can bring a bad one later). The settings: ``epochs`` a whole number ≥ 0, ``batch_size``
    None or a whole number ≥ 1, ``l2`` ≥ 0, ``loss`` a name or a function, ``optimizer`` an
    :class:`~nn.optim.Optimizer` holding some of the model's parameters.

    ``lr_schedule`` is called once for each epoch here, and each rate checked (a finite number
    > 0); the schedule returned gives those same rates back, so ``fit`` neither calls the user's
    function twice nor finds a bad rate halfway through training.
    """
    if not isinstance(model, Module):
        raise TypeError(f"fit: model must be an nn.Module, got {type(model).__name__}")
    if not (isinstance(loss, str) or callable(loss)):
        raise TypeError(f"fit: loss must be a loss name or a function, got {loss!r}")
    n_epochs = count("fit", "epochs", epochs)
    if batch_size is not None:
        count("fit", "batch_size", batch_size, at_least=1)
    number("fit", "l2", l2, at_least=0.0)
    if optimizer is not None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"fit: optimizer must be an nn.Optimizer (SGD, Adam, …), got {type(optimizer).__name__}"
            )
        mine = {id(p) for p in model.parameters()}
        if not any(id(p) in mine for p in optimizer.params):
            raise ValueError(
                "fit: the optimizer holds none of the model's parameters "
                "(was it made for another model?)"
            )
    _check_inputs(X, y)
    _check_targets(y, loss if isinstance(loss, str) else None)
    if lr_schedule is None:
        return None
    if not callable(lr_schedule):
        raise TypeError(f"fit: lr_schedule must be a function of the epoch, got {lr_schedule!r}")
    returned = "the value lr_schedule({}) returned (a learning rate)"
    rates = [
        number("fit", returned.format(epoch), lr_schedule(epoch), above=0)
        for epoch in range(n_epochs)
    ]

    def checked_schedule(epoch: int) -> float:
        """The rate ``lr_schedule(epoch)`` gave when ``fit`` started."""
        return rates[epoch]

    return checked_schedule


def _check_inputs(X: Sequence[Sequence[float]], y: Sequence[Any]) -> None:
    """X: a nonempty list of rows of finite numbers, all as long as the first, one per target."""
    try:
        sizes = len(X), len(y)
    except TypeError:
        raise TypeError(
            "fit: X and y must be sequences (lists of rows, lists of targets)"
        ) from None
    if sizes[0] != sizes[1]:
        raise ValueError(f"fit: X has {sizes[0]} rows but y has {sizes[1]} targets")
    if not sizes[0]:
        raise ValueError("fit: the dataset is empty (X and y have no rows)")
    width = None
    for i, row in enumerate(X):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise TypeError(f"fit: X[{i}] must be a list of numbers, got {type(row).__name__}")
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise ValueError(f"fit: X[{i}] has {len(row)} numbers but X[0] has {width}")
        for j, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, _numbers.Real):
                raise TypeError(f"fit: X[{i}][{j}] must be a number, got {v!r}")
            if not math.isfinite(v):
                raise ValueError(
                    f"fit: X[{i}][{j}] (row {i}, column {j}) is {v!r}; the data must be finite"
                )


def _check_targets(y: Sequence[Any], loss: str | None) -> None:
    """Every target finite, and of the kind the named loss reads."""
    for i, target in enumerate(y):
        if loss == "cross_entropy":
            if (
                isinstance(target, bool)
                or not isinstance(target, _numbers.Integral)
                or int(target) < 0
            ):
                raise ValueError(
                    f"fit: y[{i}] = {target!r}; loss 'cross_entropy' needs {LABELS[loss]}"
                )
            continue
        if loss is None and not isinstance(target, _numbers.Real):
            continue  # a loss function of your own may take targets of any kind
        if isinstance(target, bool) or not isinstance(target, _numbers.Real):
            raise TypeError(f"fit: y[{i}] must be a number, got {target!r}")
        if not math.isfinite(float(target)):
            raise ValueError(f"fit: y[{i}] is {target!r}; the targets must be finite")
        if loss == "hinge" and target not in (-1, 1):
            raise ValueError(
                f"fit: y[{i}] = {target!r}; loss 'hinge' needs {LABELS[loss]} "
                "(for 0/1 labels t, use 2 * t - 1, or loss='bce')"
            )
        if loss == "bce" and not 0 <= float(target) <= 1:
            raise ValueError(f"fit: y[{i}] = {target!r}; loss 'bce' needs {LABELS[loss]}")
