"""Checking gradients against finite differences.

The central difference ``(f(x + ε) - f(x - ε)) / 2ε`` approximates f'(x) with an error of order
ε², without any calculus. It is slow (two evaluations per argument) and inexact, which is why
backprop exists, but it is the independent check every hand-written derivative deserves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import finite_number
from .functional import value_and_grad
from .modes import no_grad
from .value import Number, Value

__all__ = ["numerical_grad", "gradcheck", "GradcheckError"]


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck`; the message is a table of analytic and numeric gradients."""


def _number(x: Any, where: str) -> float:
    return x.data if isinstance(x, Value) else finite_number(x, where)


def numerical_grad(f: Callable[..., Any], *args: Number, eps: float = 1e-6) -> tuple[float, ...]:
    """Central-difference estimates of ∂f/∂arg, one float per argument.

    ``f`` is called with Values (with gradient recording off), so any function written for Values
    works; it returns a Value or a plain number.

    >>> [round(g, 6) for g in numerical_grad(lambda x, y: x * y, 3.0, 4.0)]
    [4.0, 3.0]
    """
    point = [_number(arg, f"numerical_grad's argument {i}") for i, arg in enumerate(args)]
    estimates = []
    with no_grad():
        for i in range(len(point)):
            shifted_up, shifted_down = list(point), list(point)
            shifted_up[i] += eps
            shifted_down[i] -= eps
            up = _number(f(*map(Value, shifted_up)), "the result of f")
            down = _number(f(*map(Value, shifted_down)), "the result of f")
            estimates.append((up - down) / (2.0 * eps))
    return tuple(estimates)


def gradcheck(
    f: Callable[..., Any], *args: Number, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3
) -> bool:
    """Check ``f``'s backprop gradients against central differences at ``args``.

    Each argument passes when ``|analytic - numeric| ≤ atol + rtol·|numeric|``. Returns True, or
    raises :class:`GradcheckError` with a table of every argument's two gradients.
    """
    point = [_number(arg, f"gradcheck's argument {i}") for i, arg in enumerate(args)]
    _, analytic = value_and_grad(f, tuple(range(len(point))))(*point)
    numeric = numerical_grad(f, *point, eps=eps)
    rows = []
    failed = False
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        ok = abs(a - n) <= atol + rtol * abs(n)
        failed |= not ok
        rows.append(
            f"  {i:<9d}{point[i]:<16.8g}{a:<20.10g}{n:<20.10g}{abs(a - n):<14.3g}"
            f"{'ok' if ok else 'MISMATCH'}"
        )
    if failed:
        name = getattr(f, "__name__", "f")
        header = (
            f"  {'argument':<9}{'at':<16}{'analytic (backprop)':<20}"
            f"{'numeric (central)':<20}{'|difference|':<14}"
        )
        raise GradcheckError(
            f"gradcheck failed for {name} (atol={atol}, rtol={rtol}, eps={eps}):\n"
            + "\n".join([header, *rows])
        )
    return True
