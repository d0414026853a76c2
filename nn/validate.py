"""Checks of hyperparameters and data, made where they are given, before anything is computed.

A bad setting is refused with an error that names the setting and says what it must be, at the
place it was given: an optimizer's constructor, a dataset function, or the start of ``fit``.
Without these checks, a negative learning rate trains uphill, ``batch_size=0`` silently trains on
the whole set, ``clip_grad_norm_(max_norm=-1)`` flips every gradient, and one NaN in the data turns
every weight into NaN while the loss looks fine. ``TypeError`` means the wrong kind of value (a
string for a rate, a float for a count), ``ValueError`` a value out of range.

    >>> from nn.validate import number
    >>> number("SGD", "momentum", -0.5, at_least=0.0, below=1.0)
    Traceback (most recent call last):
      ...
    ValueError: SGD: momentum must be a number in [0, 1), got -0.5
"""

from __future__ import annotations

import math
import numbers as _numbers
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["number", "count", "check_fit"]


def number(
    where: str,
    name: str,
    value: object,
    *,
    at_least: float | None = None,
    above: float | None = None,
    at_most: float | None = None,
    below: float | None = None,
) -> float:
    """``value`` as a float, if it is a finite real number within the given bounds.

    Raises ``TypeError`` naming ``where`` and ``name`` for anything that is not a real number
    (``bool`` included), and ``ValueError`` for NaN, ±inf or a number out of bounds.
    """
    if isinstance(value, bool) or not isinstance(value, _numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {value!r} ({type(value).__name__})")
    result = float(value)
    fits = (
        math.isfinite(result)
        and (at_least is None or result >= at_least)
        and (above is None or result > above)
        and (at_most is None or result <= at_most)
        and (below is None or result < below)
    )
    if not fits:
        raise ValueError(
            f"{where}: {name} must be {_range(at_least, above, at_most, below)}, got {value!r}"
        )
    return result


def count(where: str, name: str, value: object, *, at_least: int = 0) -> int:
    """``value`` if it is a whole number (an ``int``, not a float or bool) of at least ``at_least``."""
    if isinstance(value, bool) or not isinstance(value, _numbers.Integral):
        raise TypeError(
            f"{where}: {name} must be a whole number, got {value!r} ({type(value).__name__})"
        )
    if value < at_least:
        raise ValueError(f"{where}: {name} must be at least {at_least}, got {value}")
    return int(value)


def _range(
    at_least: float | None, above: float | None, at_most: float | None, below: float | None
) -> str:
    """``a number in [0, 1)``, ``a number > 0``: the bounds as a reader writes them."""
    low = at_least if at_least is not None else above
    high = at_most if at_most is not None else below
    if low is not None and high is not None:
        left, right = "[" if at_least is not None else "(", "]" if at_most is not None else ")"
        return f"a number in {left}{_short(low)}, {_short(high)}{right}"
    if low is not None:
        return f"a finite number {'≥' if at_least is not None else '>'} {_short(low)}"
    if high is not None:
        return f"a finite number {'≤' if at_most is not None else '<'} {_short(high)}"
    return "a finite number"


def _short(bound: float) -> str:
    return f"{bound:g}"


# ---- fit ------------------------------------------------------------------------------------------

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
    from .module import Module
    from .optim import Optimizer

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
    rates = [_rate(epoch, lr_schedule(epoch)) for epoch in range(n_epochs)]

    def checked_schedule(epoch: int) -> float:
        """The rate ``lr_schedule(epoch)`` gave when ``fit`` started."""
        return rates[epoch]

    return checked_schedule


def _rate(epoch: int, rate: object) -> float:
    """A learning rate returned by ``lr_schedule(epoch)``, if it is a finite number > 0."""
    if isinstance(rate, bool) or not isinstance(rate, _numbers.Real):
        raise TypeError(
            f"fit: lr_schedule({epoch}) returned {rate!r}; a learning rate must be a number"
        )
    result = float(rate)
    if not (math.isfinite(result) and result > 0):
        raise ValueError(
            f"fit: lr_schedule({epoch}) returned {rate!r}; a learning rate must be a finite "
            "number > 0"
        )
    return result


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
