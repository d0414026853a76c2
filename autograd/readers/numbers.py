"""The one way stepgrad writes a number for people (traces, drawings, the stepper, paths).

Six significant digits, whole numbers without a decimal point, and no ``-0``::

    >>> number(2.0), number(-0.37699552077), number(1234567.0), number(-0.0)
    ('2', '-0.376996', '1.23457e+06', '0')

Inside a formula a negative number is put in parentheses, as a person writes ``2 + (-0.4)``::

    >>> operand(-0.4), operand(0.4)
    ('(-0.4)', '0.4')

Non-finite numbers are written ``inf``, ``-inf`` and ``nan``. Generated Python source is the one
place that writes numbers exactly (with ``repr``), because it must compute with them.

This module depends on nothing, so every reader (and :mod:`autograd.readers.formula`) can use it.
"""

from __future__ import annotations

import math

__all__ = ["SIGNIFICANT_DIGITS", "number", "operand", "json_number"]

SIGNIFICANT_DIGITS = 6
"""How many significant digits people are shown."""


def number(x: float) -> str:
    """``x`` with at most six significant digits: ``2``, ``0.942489``, ``-17.0605``, ``inf``."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = format(x, f".{SIGNIFICANT_DIGITS}g")
    return "0" if text == "-0" else text


def operand(x: float) -> str:
    """``x`` as an operand inside a formula: in parentheses when negative, ``(-0.4)``."""
    text = number(x)
    return f"({text})" if text.startswith("-") else text


def json_number(x: float) -> float | str:
    """``x`` for strict JSON: finite numbers as they are, ``inf``/``-inf``/``nan`` as strings
    (JSON has no token for them; the stepper page reads those strings back)."""
    x = float(x)
    return x if math.isfinite(x) else number(x)
