"""Forward mode: the derivative carried along with the value, from the same op records.

Reverse mode (``backward()``) records a graph, then walks it from the output back to the inputs:
one pass gives ∂output/∂input for *every* input. Forward mode walks the other way, and records
nothing. Each number carries a second number beside it, its *tangent*: how fast it changes as the
inputs move in one chosen direction. Such a pair is a *dual number* a + b·ε (with ε² = 0):

    (a + b·ε)·(c + d·ε) = a·c + (a·d + b·c)·ε         the product rule, for free

Every op computes its value from the values of its inputs, and its tangent from their tangents:

    value   = op's forward rule on the input values          (the float reading of the record)
    tangent = Σᵢ ∂out/∂inputᵢ · tangentᵢ                      (the record's local derivatives)

No rule is written twice: :func:`apply_dual` reads the same :class:`~autograd.core.ops.Op` record
that ``backward()`` reads, only in the other order. One forward pass gives the *directional
derivative* ∇f·v along the direction v given as the inputs' tangents (a Jacobian-vector product,
hence ``jvp``):

    >>> from autograd import jvp
    >>> value, slope = jvp(lambda x, y: x * y + x.sin(), (2.0, 3.0), (1.0, 0.0))
    >>> round(value, 6), round(slope, 6)            # f = xy + sin x; ∂f/∂x = y + cos x
    (6.909297, 2.583853)

So a gradient with n inputs costs n forward passes (one per direction eᵢ), against one reverse
pass. Reverse mode wins when there are many inputs and one output (a loss and its parameters):
that is why backprop is reverse mode. Forward mode wins for one input and many outputs, and needs
no memory for a graph.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import NotImplementedType
from typing import Any

from .errors import (
    domain_error,
    finite_number,
    forward_error,
    local_derivative_error,
    non_finite_result,
    tangent_error,
)
from .ops import FLOAT_MATH, OPS, Op
from .value import Number, Value

__all__ = ["Dual", "apply_dual", "jvp", "counting_ops"]

_COUNTS: ContextVar[Counter[str] | None] = ContextVar("forward_mode_op_counts", default=None)


class Dual:
    """A dual number ``primal + tangent·ε``: a value and its derivative along one direction.

    Arithmetic and the op methods (``sin``, ``exp``, …) work as on a :class:`Value`, and so do the
    module functions (``autograd.sin(d)``); each op is :func:`apply_dual` of its record. Plain
    numbers mixed in are constants, with tangent 0.

    >>> x = Dual(3.0, 1.0)          # x = 3, moving at speed 1
    >>> y = x * x + 1
    >>> y.primal, y.tangent         # y = 10, dy/dx = 2x = 6
    (10.0, 6.0)
    """

    __slots__ = ("primal", "tangent")

    primal: float
    tangent: float

    def __init__(self, primal: Number, tangent: Number = 0.0) -> None:
        self.primal = finite_number(primal, "Dual's primal")
        self.tangent = finite_number(tangent, "Dual's tangent")

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal!r}, tangent={self.tangent!r})"

    def __float__(self) -> float:
        """Refused: a float would drop the tangent. This is what ``math.sin(x)`` meets."""
        raise TypeError(
            "a Dual carries a value and a tangent, and a plain float would drop the tangent: "
            "use autograd's functions (autograd.sin(x) or x.sin(), not math.sin(x)), which carry "
            "it; x.primal is the value alone"
        )

    def __neg__(self) -> Dual:
        return apply_dual(OPS["neg"], (self,))

    def __pos__(self) -> Dual:
        return self

    def __abs__(self) -> Dual:
        return apply_dual(OPS["abs"], (self,))

    def __pow__(self, other: Dual | Number) -> Dual:
        """``x ** c`` with a number c is the ``pow`` op; with a Dual exponent, ``pow_var``."""
        if isinstance(other, Dual):
            return apply_dual(OPS["pow_var"], (self, other))
        if not _is_real(other):
            return NotImplemented
        return apply_dual(OPS["pow"], (self, other))

    def __rpow__(self, other: Number) -> Dual:
        if not _is_real(other):
            return NotImplemented
        return apply_dual(OPS["pow_var"], (other, self))

    def _compare(self, other: Dual | Number) -> float | None:
        if isinstance(other, Dual):
            return other.primal
        return float(other) if _is_real(other) else None

    def __lt__(self, other: Dual | Number) -> bool:
        """Compare the values (so ``x if x > 0 else -x`` works as with Values)."""
        right = self._compare(other)
        return NotImplemented if right is None else self.primal < right

    def __le__(self, other: Dual | Number) -> bool:
        right = self._compare(other)
        return NotImplemented if right is None else self.primal <= right

    def __gt__(self, other: Dual | Number) -> bool:
        right = self._compare(other)
        return NotImplemented if right is None else self.primal > right

    def __ge__(self, other: Dual | Number) -> bool:
        right = self._compare(other)
        return NotImplemented if right is None else self.primal >= right

    # The binary operators (+ - * /) and the op methods (exp, sin, …) are made from the records
    # below, one per record, as Value's are.


def _is_real(x: object) -> bool:
    """A plain real number (not a bool): a constant in forward mode, as in a Value graph."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def apply_dual(op: Op, inputs: Sequence[Dual | Number]) -> Dual:
    """Apply the op record ``op`` to dual numbers (plain numbers count as constants).

    The value comes from the record's forward rule on the input values; the tangent is
    Σᵢ ∂out/∂inputᵢ · tangentᵢ with the record's local derivatives: the chain rule, applied
    forwards. Like the Value ops, it refuses inputs outside the op's domain and any value or
    tangent that is not a finite number, with the same errors (:mod:`autograd.core.errors`):
    ``jvp(lambda x: x.exp(), (1000.0,), (1.0,))`` raises :class:`InfinityError`, as
    ``Value(1000.0).exp()`` does.
    """
    counts = _COUNTS.get()
    if counts is not None:
        counts[op.name] += 1
    duals = [
        x if isinstance(x, Dual) else Dual(finite_number(x, f"{op.name}'s input")) for x in inputs
    ]
    if op.arity >= 0 and len(duals) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} inputs, got {len(duals)}")
    primals = [d.primal for d in duals]
    if op.domain is not None and not op.domain.contains(*primals):
        raise domain_error(op, primals)
    try:
        value = op.forward(FLOAT_MATH, *primals)
    except (ArithmeticError, ValueError) as error:
        raise forward_error(op, primals, error) from None
    if not math.isfinite(value):
        raise non_finite_result(op, primals, value)
    try:
        local_derivatives = op.local_derivatives(FLOAT_MATH, *primals, value)
    except (ArithmeticError, ValueError) as error:
        raise local_derivative_error(op, primals, value, error) from None
    tangents = [d.tangent for d in duals]
    tangent = 0.0
    for local, input_tangent in zip(local_derivatives, tangents):
        tangent += local * input_tangent
    if not math.isfinite(tangent):
        raise tangent_error(op, primals, local_derivatives, tangents, tangent)
    result = Dual.__new__(Dual)
    result.primal, result.tangent = float(value), float(tangent)
    return result


BinaryMethod = Callable[[Dual, Any], "Dual | NotImplementedType"]


def _binary(op: Op) -> tuple[BinaryMethod, BinaryMethod]:
    """``__op__`` and ``__rop__`` for a binary op record; foreign types get NotImplemented."""

    def forward(self: Dual, other: Dual | Number) -> Dual | NotImplementedType:
        if not isinstance(other, Dual) and not _is_real(other):
            return NotImplemented  # type: ignore[no-any-return]  # typeshed: Any
        return apply_dual(op, (self, other))

    def reverse(self: Dual, other: Number) -> Dual | NotImplementedType:
        if not _is_real(other):
            return NotImplemented  # type: ignore[no-any-return]
        return apply_dual(op, (other, self))

    forward.__doc__ = reverse.__doc__ = f"{op.doc} (op {op.name!r}), in forward mode"
    return forward, reverse


def _unary(op: Op) -> Callable[[Dual], Dual]:
    def method(self: Dual) -> Dual:
        return apply_dual(op, (self,))

    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = f"{op.doc} (op {op.name!r}), in forward mode"
    return method


for _dunder, _name in (("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "div")):
    _forward, _reverse = _binary(OPS[_name])
    setattr(Dual, f"__{_dunder}__", _forward)
    setattr(Dual, f"__r{_dunder}__", _reverse)
for _name, _op in OPS.items():  # a method per unary op that Value has as a method
    if _op.arity == 1 and hasattr(Value, _name):
        setattr(Dual, _name, _unary(_op))
# The module functions (autograd.sin, dot, …) hand an op to the number type that applies it.
Dual.__apply_op__ = staticmethod(apply_dual)  # type: ignore[attr-defined]


def jvp(
    f: Callable[..., Any], primals: Sequence[Number], tangents: Sequence[Number]
) -> tuple[Any, Any]:
    """``f``'s value at ``primals`` and its derivative along ``tangents``, in one forward pass.

    ``f`` is called once, with one :class:`Dual` per argument (value ``primals[i]``, tangent
    ``tangents[i]``), so any function written for Values works: operators, methods and the
    module functions (``autograd.sin``). Returns ``(value, tangent)``: for a scalar ``f`` the
    tangent is the directional derivative Σᵢ ∂f/∂xᵢ · tangents[i]; for an ``f`` that returns a
    tuple or list, both are tuples (one column of the Jacobian, J·v), as ``jax.jvp`` does.

    >>> jvp(lambda x: x ** 3, (2.0,), (1.0,))          # d/dx x³ = 3x² = 12
    (8.0, 12.0)
    >>> jvp(lambda x, y: (x * y, x + y), (2.0, 3.0), (0.0, 1.0))
    ((6.0, 5.0), (2.0, 1.0))
    """
    if not isinstance(primals, Sequence) or isinstance(primals, str):
        raise TypeError(
            f"jvp takes primals as a sequence, one number per argument of f (e.g. (1.5,)); "
            f"got {primals!r}"
        )
    if not isinstance(tangents, Sequence) or isinstance(tangents, str):
        raise TypeError(f"jvp takes tangents as a sequence (e.g. (1.0,)); got {tangents!r}")
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp got {len(primals)} primals but {len(tangents)} tangents; give one tangent "
            "per argument"
        )
    inputs = [
        Dual(finite_number(p, f"jvp's primal {i}"), finite_number(t, f"jvp's tangent {i}"))
        for i, (p, t) in enumerate(zip(primals, tangents))
    ]
    result = f(*inputs)
    if isinstance(result, tuple | list):
        pairs = [_split(r, f) for r in result]
        return tuple(p for p, _ in pairs), tuple(t for _, t in pairs)
    return _split(result, f)


def _split(result: object, f: Callable[..., Any]) -> tuple[float, float]:
    if isinstance(result, Dual):
        return result.primal, result.tangent
    if isinstance(result, Value):
        raise TypeError(
            f"{getattr(f, '__name__', 'f')} returned a Value: in forward mode its arguments are "
            "dual numbers, so a Value can only come from outside them (a closed-over Value, or a "
            "model's parameters); pass those as arguments instead"
        )
    return finite_number(result, f"the result of {getattr(f, '__name__', 'f')}"), 0.0


@contextmanager
def counting_ops() -> Iterator[Counter[str]]:
    """Count the op records applied in forward mode inside the block, by op name.

    Each application computes one value and one tangent. For comparing forward and reverse mode
    by the work they do (per thread and per asyncio task, like ``no_grad``):

    >>> with counting_ops() as counts:
    ...     _ = jvp(lambda x, y: (x * y).sin() + x, (1.0, 2.0), (1.0, 0.0))
    >>> dict(counts), counts.total()
    ({'mul': 1, 'sin': 1, 'add': 1}, 3)
    """
    counts: Counter[str] = Counter()
    token = _COUNTS.set(counts)
    try:
        yield counts
    finally:
        _COUNTS.reset(token)
