"""The sympy reading of the op rules (sympy is optional: ``pip install stepgrad[symbolic]``).

Evaluating an op's forward and derivative rules on sympy symbols gives the op's formula and its
local derivatives as sympy expressions, from the same record everything else uses. The tests
differentiate the forward formula with sympy and compare it with the record's derivative rule.
"""
from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

__all__ = ["sympy_math"]


@lru_cache(maxsize=1)
def sympy_math() -> SimpleNamespace:
    """The math namespace whose functions build sympy expressions."""
    try:
        import sympy
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("symbolic features need sympy: pip install 'stepgrad[symbolic]'") from error
    return SimpleNamespace(
        exp=sympy.exp, log=sympy.log, sin=sympy.sin, cos=sympy.cos, tan=sympy.tan,
        tanh=sympy.tanh, sqrt=sympy.sqrt, abs=sympy.Abs, pow=lambda x, c: x ** c,
        sigmoid=lambda x: 1 / (1 + sympy.exp(-x)), relu=lambda x: sympy.Max(x, 0),
        step=lambda x: sympy.Heaviside(x, 0), sign=sympy.sign,
    )
