"""The op records: the one place in stepgrad that knows any calculus.

Every operation a :class:`~autograd.value.Value` supports is one :class:`Op` record holding

* ``forward``    -- how the output is computed from the inputs,
* ``local_derivatives`` -- the *local* derivatives ∂out/∂input, one per input,
* ``domain``     -- which inputs are allowed, as a check and as text for error messages,
* ``notation``   -- how the op is written, so formulas can be shown to people.

Both rules are written against a *math namespace* ``m`` instead of the ``math`` module::

    SIN = Op("sin", forward=lambda m, x: m.sin(x),
                    local_derivatives=lambda m, x, out: (m.cos(x),), ...)

Handing the same rule different namespaces gives every reading of it that stepgrad needs:

* :data:`FLOAT_MATH` (floats)        -> the numbers used by ``backward()``;
* Value functions                    -> derivatives that are graphs themselves (``create_graph``);
* formula symbols (``autograd.formula``) -> the text "cos(f0)" shown in traces and drawings;
* sympy                              -> the symbolic oracle in the tests.

So a derivative is written exactly once, and the text a student reads is computed from the very rule
that produced the number next to it.

The local-derivative rule receives the op's inputs followed by its output ``out``; rules such as
exp (``∂/∂x = out``) or tanh (``1 - out²``) reuse the output instead of recomputing it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Literal

__all__ = ["Domain", "Notation", "Op", "OPS", "FLOAT_MATH"]


@dataclass(frozen=True)
class Notation:
    """How an op is written.

    ``kind`` is ``"infix"`` (``x + y``), ``"prefix"`` (``-x``), ``"function"`` (``sin(x)``), or
    one of the n-ary forms ``"sum"`` (``x1 + x2 + …``) and ``"dot"`` (``w1·x1 + w2·x2 + … + b``).
    ``precedence`` orders infix and prefix operators the way Python does (higher binds tighter), so
    a formula gets exactly the parentheses it needs. ``symbol`` and ``python`` are the spellings in
    text and in generated code, spaces included (``" + "`` but ``"·"``). ``latex`` is the LaTeX
    spelling; when it holds ``%s`` it is a template for the operands (``\\frac{%s}{%s}``).
    """

    symbol: str
    kind: Literal["infix", "prefix", "function", "sum", "dot"]
    precedence: int = 100
    python: str = ""
    latex: str = ""


@dataclass(frozen=True)
class Domain:
    """Where an op is defined: a predicate over the input values and the same condition as text.

    ``error`` is the exception raised outside the domain (``ValueError`` unless stated).
    """

    text: str
    contains: Callable[..., bool]
    error: type[ArithmeticError] | type[ValueError] = ValueError


@dataclass(frozen=True, eq=False)
class Op:
    """One operation: its rules, its domain and its notation. See the module docstring."""

    name: str
    arity: int
    """How many inputs; -1 for an n-ary op (any number)."""
    forward: Callable
    local_derivatives: Callable
    notation: Notation
    domain: Domain | None = None
    doc: str = ""
    constant_inputs: tuple[int, ...] = ()
    """Positions of inputs the op treats as constants: they always get a zero local derivative."""

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def _sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^(-x)), computed without overflow at either end.

    For x ≥ 0, e^(-x) ≤ 1 cannot overflow. For x < 0 the same value is e^x / (1 + e^x).
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _dot(*args: float) -> float:
    """Σ wᵢ·xᵢ (+ b): ``args`` is w1 … wn, x1 … xn, and optionally b last."""
    n = len(args) // 2
    total = sum(map(operator.mul, args[:n], args[n : 2 * n]))
    return total + args[-1] if len(args) % 2 else total


def _softplus(x: float) -> float:
    """log(1 + e^x) without overflow: for x > 0 it equals x + log(1 + e^(-x))."""
    return x + math.log1p(math.exp(-x)) if x > 0.0 else math.log1p(math.exp(x))


def _logsumexp(*zs: float) -> float:
    """log Σ e^zᵢ, computed as m + log Σ e^(zᵢ - m) with m = max zᵢ: no exponential overflows,
    and the largest term is e^0 = 1, so the log never sees 0."""
    top = max(zs)
    return top + math.log(sum(math.exp(z - top) for z in zs))


def _heaviside(x: float) -> float:
    # NOTE: heaviside(0) = 0, so relu'(0) = 0. The derivative does not exist at the kink; 0 is the choice
    # PyTorch and micrograd make, and it keeps dead units dead.
    return 1.0 if x > 0.0 else 0.0


def _sign(x: float) -> float:
    # NOTE: sign(0) = 0, so abs'(0) = 0: a subgradient, and PyTorch's choice.
    return 1.0 if x > 0.0 else (-1.0 if x < 0.0 else 0.0)


FLOAT_MATH = SimpleNamespace(
    exp=math.exp,
    log=math.log,
    sin=math.sin,
    cos=math.cos,
    tan=math.tan,
    tanh=math.tanh,
    sqrt=math.sqrt,
    abs=abs,
    pow=math.pow,
    sigmoid=_sigmoid,
    relu=lambda x: x if x > 0.0 else 0.0,
    heaviside=_heaviside,
    sign=_sign,
    dot=_dot,
    sum=lambda *xs: sum(xs),
    softplus=_softplus,
    logsumexp=_logsumexp,
)
"""The float reading of the op rules: plain numbers in, plain numbers out."""


def _infix(symbol: str, precedence: int, python: str = "", latex: str = "") -> Notation:
    return Notation(symbol, "infix", precedence, python or symbol, latex or symbol)


def _function(name: str, latex: str = "", python: str = "") -> Notation:
    return Notation(
        name, "function", 100, python or name, latex or "\\operatorname{" + name + "}(%s)"
    )


# Precedences follow Python's: + - bind loosest, then * /, then unary minus, then **.
ADD = Op(
    "add", 2, lambda m, x, y: x + y, lambda m, x, y, out: (1.0, 1.0), _infix(" + ", 10), doc="x + y"
)
SUB = Op(
    "sub",
    2,
    lambda m, x, y: x - y,
    lambda m, x, y, out: (1.0, -1.0),
    _infix(" - ", 10),
    doc="x - y",
)
MUL = Op(
    "mul",
    2,
    lambda m, x, y: x * y,
    lambda m, x, y, out: (y, x),
    _infix("·", 20, python=" * ", latex=" \\cdot "),
    doc="x · y",
)
DIV = Op(
    "div",
    2,
    lambda m, x, y: x / y,
    lambda m, x, y, out: (1.0 / y, -out / y),
    _infix(" / ", 20, latex="\\frac{%s}{%s}"),
    Domain("y ≠ 0", lambda x, y: y != 0.0, ZeroDivisionError),
    doc="x / y",
)
NEG = Op(
    "neg",
    1,
    lambda m, x: -x,
    lambda m, x, out: (-1.0,),
    Notation("-", "prefix", 30, "-", "-"),
    doc="-x",
)
POW = Op(
    "pow",
    2,
    lambda m, x, c: m.pow(x, c),
    lambda m, x, c, out: (c * m.pow(x, c - 1), 0.0),
    _infix("^", 40, python="pow({0}, {1})", latex="{%s}^{%s}"),
    Domain(
        "x ≠ 0 for c < 0, and x ≥ 0 unless c is a whole number",
        lambda x, c: (x != 0.0 or c >= 0.0) and (x >= 0.0 or float(c).is_integer()),
    ),
    doc="x ^ c for a constant exponent c; c gets no gradient",
    constant_inputs=(1,),
)
POW_VAR = Op(
    "pow_var",
    2,
    lambda m, x, y: x**y,
    lambda m, x, y, out: (y * x ** (y - 1), out * m.log(x)),
    _infix("^", 40, python="pow({0}, {1})", latex="{%s}^{%s}"),
    Domain("x > 0 (∂/∂y = x^y·log(x) needs log(x))", lambda x, y: x > 0.0),
    doc="x ^ y where the exponent y is a Value too and gets a gradient",
)
EXP = Op(
    "exp",
    1,
    lambda m, x: m.exp(x),
    lambda m, x, out: (out,),
    _function("exp", "\\exp(%s)"),
    doc="e^x",
)
LOG = Op(
    "log",
    1,
    lambda m, x: m.log(x),
    lambda m, x, out: (1.0 / x,),
    _function("log", "\\log(%s)"),
    Domain("x > 0", lambda x: x > 0.0),
    doc="natural logarithm ln(x)",
)
SIN = Op(
    "sin",
    1,
    lambda m, x: m.sin(x),
    lambda m, x, out: (m.cos(x),),
    _function("sin", "\\sin(%s)"),
    doc="sin(x)",
)
COS = Op(
    "cos",
    1,
    lambda m, x: m.cos(x),
    lambda m, x, out: (-m.sin(x),),
    _function("cos", "\\cos(%s)"),
    doc="cos(x)",
)
TAN = Op(
    "tan",
    1,
    lambda m, x: m.tan(x),
    lambda m, x, out: (1.0 + out * out,),
    _function("tan", "\\tan(%s)"),
    doc="tan(x)",
)
TANH = Op(
    "tanh",
    1,
    lambda m, x: m.tanh(x),
    lambda m, x, out: (1.0 - out * out,),
    _function("tanh", "\\tanh(%s)"),
    doc="tanh(x), the hyperbolic tangent",
)
SIGMOID = Op(
    "sigmoid",
    1,
    lambda m, x: m.sigmoid(x),
    lambda m, x, out: (out * (1.0 - out),),
    _function("sigmoid", "\\sigma(%s)"),
    doc="σ(x) = 1 / (1 + e^(-x)), the logistic function",
)
RELU = Op(
    "relu",
    1,
    lambda m, x: m.relu(x),
    lambda m, x, out: (m.heaviside(x),),
    _function("relu", python="({0} if {0} > 0.0 else 0.0)"),
    doc="max(x, 0)",
)
SQRT = Op(
    "sqrt",
    1,
    lambda m, x: m.sqrt(x),
    lambda m, x, out: (0.5 / out,),
    _function("sqrt", "\\sqrt{%s}"),
    Domain("x ≥ 0", lambda x: x >= 0.0),
    doc="√x",
)
ABS = Op(
    "abs",
    1,
    lambda m, x: m.abs(x),
    lambda m, x, out: (m.sign(x),),
    _function("abs", "\\left|%s\\right|"),
    doc="|x|",
)
HEAVISIDE = Op(
    "heaviside",
    1,
    lambda m, x: m.heaviside(x),
    lambda m, x, out: (0.0,),
    _function("heaviside", python="(1.0 if {0} > 0.0 else 0.0)"),
    doc="1 if x > 0 else 0 (relu's derivative)",
)
SIGN = Op(
    "sign",
    1,
    lambda m, x: m.sign(x),
    lambda m, x, out: (0.0,),
    _function("sign"),
    doc="1, 0 or -1 by the sign of x (abs's derivative)",
)

SOFTPLUS = Op(
    "softplus",
    1,
    lambda m, x: m.softplus(x),
    lambda m, x, out: (m.sigmoid(x),),
    _function("softplus"),
    doc="log(1 + e^x), computed stably; its derivative is σ(x)",
)


def _dot_local_derivatives(m, *args):
    """∂(Σ wᵢxᵢ + b)/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1: each vector's local gradients are the
    other vector's values. ``args`` is w1 … wn, x1 … xn, [b], out."""
    n = (len(args) - 1) // 2
    if len(args) % 2:  # no bias: 2n inputs and out
        return args[n : 2 * n] + args[:n]
    return args[n : 2 * n] + args[:n] + (1.0,)


# n-ary ops: a neuron's weighted sum as one node instead of 2n (see autograd.dot).
DOT = Op(
    "dot",
    -1,
    lambda m, *args: m.dot(*args),
    _dot_local_derivatives,
    Notation("Σ", "dot", 10, latex="\\sum"),
    doc="Σ wᵢ·xᵢ + b over inputs w1 … wn, x1 … xn and an optional bias b",
)
SUM = Op(
    "sum",
    -1,
    lambda m, *args: m.sum(*args),
    lambda m, *args: (1.0,) * (len(args) - 1),
    Notation("Σ", "sum", 10, latex="\\sum"),
    doc="x1 + x2 + … + xn",
)
LOGSUMEXP = Op(
    "logsumexp",
    -1,
    lambda m, *zs: m.logsumexp(*zs),
    lambda m, *args: tuple(m.exp(z - args[-1]) for z in args[:-1]),
    _function("logsumexp"),
    doc="log Σ e^zᵢ, computed stably; ∂/∂zᵢ = e^(zᵢ - out), the softmax of the zᵢ",
)

OPS: dict[str, Op] = {
    op.name: op
    for op in (
        ADD,
        SUB,
        MUL,
        DIV,
        NEG,
        POW,
        POW_VAR,
        EXP,
        LOG,
        SIN,
        COS,
        TAN,
        TANH,
        SIGMOID,
        RELU,
        SQRT,
        ABS,
        HEAVISIDE,
        SIGN,
        SOFTPLUS,
        DOT,
        SUM,
        LOGSUMEXP,
    )
}
"""Every op record by name. A test runs each one against sympy and central differences."""
