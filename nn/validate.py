"""Checks of hyperparameters and data, made where they are given, before anything is computed.

A bad setting is refused with an error that names the setting and says what it must be, at the
place it was given: an optimizer's constructor, a dataset function, or the start of ``fit`` (whose
checks, which need the model and optimizer classes, are in :mod:`nn.fit_checks`).
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

__all__ = ["number", "count"]


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
