"""Formulas as text, computed from the op rules themselves.

An :class:`Expr` is a symbol that records what is done to it. Evaluating an op's rule on symbols
instead of numbers yields the formula that rule computes::

    >>> from autograd.core import ops
    >>> x, out = Expr.symbol("f2"), Expr.symbol("h3")
    >>> ops.COS.local_derivatives(FORMULA_MATH, x, out)[0].text()
    '-sin(f2)'

So the formula a trace prints next to a number cannot disagree with the rule that computed it.
A formula renders as plain text, as LaTeX, or as Python source.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, Union

from ..core import ops
from ..core.ops import Op
from .numbers import number

__all__ = [
    "Expr",
    "FORMULA_MATH",
    "Style",
    "latex_name",
    "forward_formula",
    "local_derivative_formulas",
]

Style = Literal["text", "latex", "python"]
Operand = Union["Expr", float]

_ATOM = 1000  # precedence of names, numbers and function calls: never parenthesized


_GREEK = {
    "α": "\\alpha",
    "β": "\\beta",
    "γ": "\\gamma",
    "δ": "\\delta",
    "ε": "\\epsilon",
    "η": "\\eta",
    "θ": "\\theta",
    "λ": "\\lambda",
    "μ": "\\mu",
    "σ": "\\sigma",
    "φ": "\\phi",
    "ω": "\\omega",
    "ℓ": "\\ell",
}
_LATEX_SPECIAL = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "_": "\\_",
    "^": "\\^{}",
    "#": "\\#",
    "$": "\\$",
    "%": "\\%",
    "&": "\\&",
    "~": "\\~{}",
}


def latex_name(name: str) -> str:
    """A name in LaTeX: Greek letters as commands and trailing digits as a subscript
    (``β0`` -> ``\\beta_{0}``); LaTeX's special characters are escaped."""
    if name.lstrip("-").replace(".", "", 1).isdigit():  # a number written as a symbol
        return name
    stem = name.rstrip("0123456789")
    digits = name[len(stem) :]
    text = "".join(_GREEK.get(ch, _LATEX_SPECIAL.get(ch, ch)) for ch in stem)
    if stem and stem[-1] in _GREEK:
        text = "{" + text + "}"
    return f"{text}_{{{digits}}}" if digits and stem else text or digits


class Expr:
    """A formula: a named symbol, or an op applied to formulas and numbers.

    Arithmetic on an Expr builds a bigger Expr, with light tidying so formulas read as a person
    would write them: ``x·1`` is ``x``, ``x^1`` is ``x``, ``x + 0`` is ``x``, and operations on
    two plain numbers are done straight away.
    """

    __slots__ = ("op", "args", "name")

    def __init__(self, op: Op | None, args: tuple[Operand, ...] = (), name: str = "") -> None:
        self.op = op
        self.args = args
        self.name = name

    @classmethod
    def symbol(cls, name: str) -> Expr:
        """A leaf of a formula, shown as ``name``."""
        return cls(None, (), name)

    def __repr__(self) -> str:
        return f"Expr({self.text()!r})"

    # ---- building ------------------------------------------------------------------------------

    def __add__(self, other: Operand) -> Operand:
        return _apply(ops.ADD, self, other)

    def __radd__(self, other: Operand) -> Operand:
        return _apply(ops.ADD, other, self)

    def __sub__(self, other: Operand) -> Operand:
        return _apply(ops.SUB, self, other)

    def __rsub__(self, other: Operand) -> Operand:
        return _apply(ops.SUB, other, self)

    def __mul__(self, other: Operand) -> Operand:
        return _apply(ops.MUL, self, other)

    def __rmul__(self, other: Operand) -> Operand:
        return _apply(ops.MUL, other, self)

    def __truediv__(self, other: Operand) -> Operand:
        return _apply(ops.DIV, self, other)

    def __rtruediv__(self, other: Operand) -> Operand:
        return _apply(ops.DIV, other, self)

    def __pow__(self, other: Operand) -> Operand:
        return _apply(ops.POW_VAR, self, other)

    def __rpow__(self, other: Operand) -> Operand:
        return _apply(ops.POW_VAR, other, self)

    def __neg__(self) -> Operand:
        return _apply(ops.NEG, self)

    # ---- rendering -----------------------------------------------------------------------------

    def text(self) -> str:
        """Plain text: ``2·(f3 - y)``, and a power with a small whole exponent as ``x²``."""
        return render(self, "text")

    def latex(self) -> str:
        """LaTeX: ``2 \\cdot (f_{3} - y)`` (names are used as given)."""
        return render(self, "latex")

    def python(self) -> str:
        """Python source: ``2 * (f3 - y)``; function ops are called by their op name."""
        return render(self, "python")


def _is_number(x: Operand, value: float) -> bool:
    return not isinstance(x, Expr) and x == value


def _apply(op: Op, *args: Operand) -> Operand:
    """``op`` applied to formulas: evaluated at once on plain numbers, lightly tidied otherwise."""
    if not any(isinstance(arg, Expr) for arg in args):
        number: float = op.forward(ops.FLOAT_MATH, *args)
        return number
    if op is ops.MUL:
        left, right = args
        if _is_number(left, 1.0):
            return right
        if _is_number(right, 1.0):
            return left
        if _is_number(left, -1.0):
            return _apply(ops.NEG, right)
    if op in (ops.ADD, ops.SUB) and _is_number(args[1], 0.0):
        return args[0]
    if op is ops.ADD and _is_number(args[0], 0.0):
        return args[1]
    if op in (ops.POW, ops.POW_VAR) and _is_number(args[1], 1.0):
        return args[0]
    return Expr(op, tuple(args))


def _precedence(x: Operand) -> int:
    if isinstance(x, Expr):
        if x.op is None and x.name.startswith("-"):  # a number written as a symbol: "-3"
            return ops.NEG.notation.precedence
        if x.op is None or x.op.notation.kind == "function":
            return _ATOM
        return x.op.notation.precedence  # n-ary sums bind like +
    return ops.NEG.notation.precedence if x < 0 else _ATOM


def _spelling(op: Op, style: Style) -> str:
    notation = op.notation
    return {"text": notation.symbol, "latex": notation.latex, "python": notation.python}[style]


def render(x: Operand, style: Style, start: bool = True) -> str:
    """``x`` written out in ``style``, with just the parentheses that precedence requires, and
    negative numbers in parentheses unless they start the formula (``-3 + 2·(-0.4)``).
    ``start`` says whether ``x`` is written at the start of the formula."""
    if not isinstance(x, Expr):
        return repr(float(x)) if style == "python" else number(x)
    if x.op is None:
        return latex_name(x.name) if style == "latex" else x.name
    op, spelling = x.op, _spelling(x.op, style)
    if style == "python" and "{0}" in spelling:  # a template such as pow({0}, {1})
        if op is ops.POW and not isinstance(x.args[1], Expr) and float(x.args[1]).is_integer():
            spelling = " ** "  # a whole exponent cannot give a complex number: the operator is safe
        else:
            return spelling.format(*(_wrapped(arg, style, _ATOM, True) for arg in x.args))
    if op.notation.kind in ("dot", "sum"):
        return _render_nary(x, style, start)
    if op.notation.kind == "function":
        inner = ", ".join(render(arg, style) for arg in x.args)
        if style == "latex":
            return spelling % inner
        return f"{spelling}({inner})"
    if op.notation.kind == "prefix":
        return spelling + _wrapped(x.args[0], style, op.notation.precedence + 1, False)
    left, right = x.args
    own = op.notation.precedence
    power = op in (ops.POW, ops.POW_VAR)
    if "%s" in spelling:  # a LaTeX template such as \frac{%s}{%s} groups its operands itself
        if power:
            return spelling % (_wrapped(left, style, own + 1, start), render(right, style))
        return spelling % (render(left, style), render(right, style))
    # Powers group to the right (x^y^z = x^(y^z)); the other operators group to the left.
    left_needs, right_needs = (own + 1, own) if power else (own, own + 1)
    exponent = _small_whole(right) if power and style == "text" else None
    if exponent is not None:  # x², (f3 - y)²: as a person writes a square
        return _wrapped(left, style, own + 1, start) + str(exponent).translate(_SUPERSCRIPT)
    return (
        _wrapped(left, style, left_needs, start)
        + spelling
        + _wrapped(right, style, right_needs, False)
    )


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _small_whole(x: Operand) -> int | None:
    """``x`` as an int when it is a whole number from -99 to 99 (a number, or a symbol that
    writes one), so a power can be written with a superscript; None otherwise."""
    if isinstance(x, Expr):
        if x.op is not None:
            return None
        try:
            x = float(x.name)
        except ValueError:
            return None
    x = float(x)
    if not (math.isfinite(x) and x.is_integer() and -99 <= x <= 99):
        return None
    return int(x)


ELLIPSIS_AFTER = 3
"""Text and LaTeX write out an n-ary sum of up to this many terms; longer ones show the first and
the last term around an ellipsis (Python source always writes every term)."""


def _render_nary(x: Expr, style: Style, start: bool) -> str:
    """``w1·x1 + w2·x2 + b``, or ``Σ w1·x1 … w16·x16 + b`` when long (all terms in Python)."""
    args = x.args
    if x.op is ops.DOT:
        ws, xs, bias = ops.dot_parts(args)
        terms = [_apply(ops.MUL, w, v) for w, v in zip(ws, xs)]
    else:
        terms, bias = list(args), ()
    plus, precedence = _spelling(ops.ADD, style), ops.ADD.notation.precedence
    if style == "python" or len(terms) <= ELLIPSIS_AFTER:
        return plus.join(
            _wrapped(t, style, precedence, start and i == 0) for i, t in enumerate([*terms, *bias])
        )
    first = _wrapped(terms[0], style, precedence + 1, True)
    last = _wrapped(terms[-1], style, precedence + 1, False)
    dots, sigma = ("\\ldots", "\\sum ") if style == "latex" else ("…", "Σ ")
    shown = f"{sigma}{first} {dots} {last}"
    return shown + "".join(plus + _wrapped(b, style, precedence, False) for b in bias)


def _wrapped(x: Operand, style: Style, needed: int, start: bool) -> str:
    """``x`` rendered, in parentheses if it binds less tightly than ``needed``, or if it is a
    negative number that does not start the formula (people write ``2 + (-0.4)``)."""
    literal = not isinstance(x, Expr) or x.op is None  # a number, or a symbol such as "-0.4"
    if _precedence(x) < needed:
        text = render(x, style, True)
    else:
        text = render(x, style, start)
        if start or style == "python" or not (literal and text.startswith("-")):
            return text
    return f"\\left({text}\\right)" if style == "latex" else f"({text})"


def _formula_function(op: Op) -> Callable[..., Operand]:
    return lambda *args: _apply(op, *args)


FORMULA_MATH = ops.MathNamespace(
    "formula", {name: _formula_function(ops.OPS[name]) for name in ops.MATH_FUNCTIONS}
)
"""The formula reading of the op rules: symbols in, :class:`Expr` out."""


def forward_formula(op: Op, inputs: tuple[Operand, ...]) -> Operand:
    """The formula of ``op`` applied to ``inputs`` (symbols or numbers): ``β0 + ω0·x``.

    It shows the op that is drawn, with every input: the tidying that makes ``x - 0`` read ``x``
    inside a longer formula is not done to the op itself, so a node computed as ``p - 0`` is
    written ``p - 0``, as the drawing shows it (a − oval and a 0), never as ``p`` alone."""
    formula: Operand = op.forward(FORMULA_MATH, *inputs)
    if any(formula is operand for operand in inputs):  # x·1, x + 0, x - 0, x^1: tidied away
        return Expr(op, inputs)
    return formula


def local_derivative_formulas(
    op: Op, inputs: tuple[Operand, ...], out: Operand
) -> tuple[Operand, ...]:
    """The local derivative ∂out/∂input for each input, as formulas: ``(cos(f0),)``."""
    formulas: tuple[Operand, ...] = op.local_derivatives(FORMULA_MATH, *inputs, out)
    return formulas
