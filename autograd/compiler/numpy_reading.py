"""The numpy reading of the op records: arrays in, arrays out, one element per sample.

Beside the float reading (``FLOAT_MATH``, used by ``backward()``), the Value reading, the formula
reading and sympy's, this namespace lets the same rules run on numpy arrays: ``op.forward(
NUMPY_MATH, x)`` applies the op to every element of ``x`` at once. Branches become array
operations (``relu`` is ``maximum(x, 0)``, ``heaviside`` is numpy's ``heaviside``), and the stable
forms of sigmoid, softplus and logsumexp compute exactly what their float readings compute, without
an overflow in a branch that is not taken.

Domain checks become array checks: :func:`in_domain` applies a record's own predicate to whole
arrays (element by element where the predicate is written for single numbers).

numpy is an optional extra (``pip install 'stepgrad[numpy]'``): only batched compiled code needs
it, and the rest of stepgrad stays plain Python that a student can read to the bottom.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.ops import MathNamespace, Op, dot_parts

__all__ = ["NUMPY_MATH", "VECTOR_FORMS", "in_domain"]

Array = Any  # a numpy array, or a float for a value every sample shares


def _sigmoid(x: Array) -> Array:
    """σ(x) as the float reading computes it: 1/(1 + e^(-x)) for x ≥ 0, e^x/(1 + e^x) below,
    with the one exponential e^(-|x|), which cannot overflow."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(x: Array) -> Array:
    """log(1 + e^x) = max(x, 0) + log(1 + e^(-|x|)), as the float reading computes it."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def _heaviside(x: Array) -> Array:
    # NOTE: heaviside(0) = 0, as in the float reading (see autograd.core.ops).
    return np.heaviside(x, 0.0)


def _dot(*args: Array) -> Array:
    """Σ wᵢ·xᵢ (+ b) over arrays, from dot's inputs (see :func:`~autograd.core.ops.dot_parts`)."""
    ws, xs, bias = dot_parts(args)
    total: Array = 0.0
    for w, x in zip(ws, xs):
        total = total + w * x
    return total + bias[0] if bias else total


def _sum(*args: Array) -> Array:
    total: Array = 0.0
    for x in args:
        total = total + x
    return total


def _logsumexp(*zs: Array) -> Array:
    """log Σ e^zᵢ = m + log Σ e^(zᵢ - m) with m = max zᵢ, element by element."""
    top = zs[0]
    for z in zs[1:]:
        top = np.maximum(top, z)
    return top + np.log(_sum(*(np.exp(z - top) for z in zs)))


_erf = np.frompyfunc(math.erf, 1, 1)


def _erf_float(x: Array) -> Array:
    """erf element by element with the float reading's own math.erf (numpy has no erf)."""
    if isinstance(x, np.ndarray):
        return np.asarray(_erf(x), dtype=float)
    return math.erf(x)


NUMPY_MATH = MathNamespace(
    "numpy",
    {
        "exp": np.exp,
        "log": np.log,
        "sin": np.sin,
        "cos": np.cos,
        "tan": np.tan,
        "tanh": np.tanh,
        "sqrt": np.sqrt,
        "abs": np.abs,
        "pow": np.power,
        "sigmoid": _sigmoid,
        "relu": _relu,
        "heaviside": _heaviside,
        "sign": np.sign,
        "dot": _dot,
        "sum": _sum,
        "softplus": _softplus,
        "erf": _erf_float,
        "logsumexp": _logsumexp,
    },
)
"""The numpy reading of the op rules: the float reading's functions, for arrays."""


def _logsumexp_rows(z: Array) -> Array:
    """logsumexp over the rows of a (k, batch) array: one result per column."""
    top = z.max(0)
    return top + np.log(np.exp(z - top).sum(0))


VECTOR_FORMS = {"sum": lambda z: z.sum(0), "logsumexp": _logsumexp_rows}
"""n-ary ops read over the rows of one (k, batch) array, where that is faster than taking the
rows one by one (any other n-ary op is applied to its rows as separate arrays)."""


def in_domain(op: Op) -> Callable[..., bool]:
    """A check that every element of the arrays lies in ``op``'s domain, built from the record's
    own predicate: applied to the arrays at once where it can be, element by element where it
    is written for single numbers (with ``and``/``or``)."""
    assert op.domain is not None
    contains = op.domain.contains
    one_by_one = np.vectorize(contains, otypes=[bool])

    def check(*args: Array) -> bool:
        try:
            return bool(np.all(contains(*args)))
        except (ValueError, TypeError):  # "the truth value of an array is ambiguous"
            return bool(np.all(one_by_one(*args)))

    return check
