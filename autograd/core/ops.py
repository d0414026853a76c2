"""The op records: the one place in stepgrad that knows any calculus.

Every operation a :class:`~autograd.core.value.Value` supports is one :class:`Op` record holding

* ``inputs``     -- the names of its inputs (``("x", "y")``), used in formulas and error messages,
* ``forward``    -- how the output is computed from the inputs,
* ``local_derivatives`` -- the *local* derivatives ∂out/∂input, one per input,
* ``domain``     -- which inputs are allowed, as a check and as text for error messages,
* ``notation``   -- how the op is written, so formulas can be shown to people.

Both rules are written against a *math namespace* ``m`` instead of the ``math`` module::

    SIN = Op("sin", ("x",), forward=lambda m, x: m.sin(x),
                            local_derivatives=lambda m, x, out: (m.cos(x),), ...)

Handing the same rule different namespaces gives every reading of it that stepgrad needs:

* :data:`FLOAT_MATH` (floats)        -> the numbers used by ``backward()``;
* Value functions                    -> derivatives that are graphs themselves (``create_graph``);
* formula symbols (``autograd.readers.formula``) -> the text "cos(f0)" shown in traces and drawings;
* sympy                              -> the symbolic oracle in the tests;
* the compiler's runtime             -> generated Python, which calls the float functions.

So a derivative is written exactly once, and the text a student reads is computed from the very rule
that produced the number next to it. Each namespace holds one function per name in
:data:`MATH_FUNCTIONS`; everything else (``Value``'s methods, ``autograd.sin``, the command line's
functions) is made from :data:`OPS`. The README's "Adding an op" walks through it.

The local-derivative rule receives the op's inputs followed by its output ``out``; rules such as
exp (``∂/∂x = out``) or tanh (``1 - out²``) reuse the output instead of recomputing it.

NOTE: a float rule never turns a NaN into a number (IEEE's ``pow(nan, 0) = 1`` is not used, and
relu, heaviside and sign of NaN are NaN), so the check every op makes on its result sees the NaN.
"""

from __future__ import annotations

import math
import operator
import sys
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import CodeType
from typing import Any, Literal, TypeVar

__all__ = [
    "Domain",
    "Notation",
    "Op",
    "OPS",
    "registry",
    "CONSTANT",
    "UNRECORDED",
    "MathNamespace",
    "MissingFunction",
    "MATH_FUNCTIONS",
    "FLOAT_MATH",
    "numbered",
    "DOT_LAYOUT",
    "dot_parts",
    "dot_inputs",
    "direct_function",
    "direct_derivative",
]

T = TypeVar("T")


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


InputNames = tuple[str, ...] | Callable[[int], tuple[str, ...]]
"""An op's input names: a tuple for a fixed number of inputs, or for an n-ary op a function from
the number of inputs to their names (see :func:`numbered` and :func:`dot_parts`)."""


@dataclass(frozen=True, eq=False)
class Op:
    """One operation: its input names, its rules, its domain and its notation.

    ``inputs`` names the inputs in argument order, ``("x", "c")`` for ``x ** c``; an n-ary op gives
    a function from a count to names instead. (An op author may write the number of inputs instead,
    ``Op("cube", 1, …)``: the inputs are then called x, y, z.) See the module docstring.
    """

    name: str
    inputs: InputNames
    forward: Callable[..., Any]
    local_derivatives: Callable[..., Any]
    notation: Notation
    domain: Domain | None = None
    doc: str = ""
    constant_inputs: tuple[int, ...] = ()
    """Positions of inputs the op treats as constants: they always get a zero local derivative,
    and the Value reading of the rules receives their numbers, not their nodes."""

    def __post_init__(self) -> None:
        inputs: object = self.inputs
        if isinstance(inputs, int):  # the op author's shorthand: Op("cube", 1, …)
            object.__setattr__(self, "inputs", ("x", "y", "z")[:inputs])
        for rule in (self.forward, self.local_derivatives):
            code = getattr(rule, "__code__", None)
            if code is not None:
                _RULE_OWNERS[code] = self

    @property
    def arity(self) -> int:
        """How many inputs; -1 for an n-ary op (any number)."""
        return len(self.inputs) if isinstance(self.inputs, tuple) else -1

    def input_names(self, count: int = 0) -> tuple[str, ...]:
        """The inputs' names: ``("x", "y")``; for an n-ary op given ``count`` inputs, for example
        ``("x1", "x2", "x3")``, or ``("w1", "w2", "x1", "x2", "b")`` for dot."""
        return self.inputs if isinstance(self.inputs, tuple) else self.inputs(count)

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def numbered(stem: str) -> Callable[[int], tuple[str, ...]]:
    """Input names for an n-ary op: ``numbered("x")(3)`` is ``("x1", "x2", "x3")``."""

    def names(count: int) -> tuple[str, ...]:
        return tuple(f"{stem}{i}" for i in range(1, count + 1))

    return names


class _DotLayout(dict[int, tuple[slice, slice, slice]]):
    def __missing__(self, count: int) -> tuple[slice, slice, slice]:
        n = count // 2
        parts = self[count] = (slice(0, n), slice(n, 2 * n), slice(2 * n, count))
        return parts


DOT_LAYOUT = _DotLayout()
"""dot's inputs are ``w1 … wn, x1 … xn`` and an optional bias ``b``: for a number of inputs,
``DOT_LAYOUT[count]`` is the three slices that pick out the ws, the xs and the bias (empty, or
``b`` alone). This is the one place that spells out dot's layout; :func:`dot_parts` reads it, and
the float rules use the slices directly (computed once per count, they cost no call)."""


def dot_parts(
    args: Sequence[T], count: int | None = None
) -> tuple[Sequence[T], Sequence[T], Sequence[T]]:
    """dot's inputs (the first ``count`` of ``args``, all by default) split into
    ``(ws, xs, bias)``, where ``bias`` is ``(b,)`` or empty (see :data:`DOT_LAYOUT`)."""
    ws, xs, bias = DOT_LAYOUT[len(args) if count is None else count]
    return args[ws], args[xs], args[bias]


def dot_inputs(ws: Sequence[T], xs: Sequence[T], bias: Sequence[T] = ()) -> tuple[T, ...]:
    """dot's inputs in order: the inverse of :func:`dot_parts`."""
    return (*ws, *xs, *bias)


def _dot_input_names(count: int) -> tuple[str, ...]:
    ws, xs, bias = dot_parts(range(count))
    return (*numbered("w")(len(ws)), *numbered("x")(len(xs)), *("b" for _ in bias))


# ---- math namespaces ---------------------------------------------------------------------------

_RULE_OWNERS: weakref.WeakValueDictionary[CodeType, Op] = weakref.WeakValueDictionary()
"""Each rule's code, mapped to its op: so a namespace that lacks a function can say which op asked."""


class MissingFunction(AttributeError):
    """A rule called a function that a math namespace does not have."""


class MathNamespace:
    """One reading of the op rules: the functions a rule calls as ``m.exp(x)``, ``m.pow(x, c)``.

    A reading holds one function per name in :data:`MATH_FUNCTIONS`; ``reading`` says what it
    computes with ("float", "Value", "formula", …), for error messages.
    """

    def __init__(self, reading: str, functions: Mapping[str, Callable[..., Any]]) -> None:
        self.__dict__.update(functions)
        self.__dict__["_reading"] = reading

    def functions(self) -> dict[str, Callable[..., Any]]:
        """The namespace's functions by name."""
        return {name: f for name, f in vars(self).items() if not name.startswith("_")}

    def __repr__(self) -> str:
        return f"<{self._reading} math: {', '.join(self.functions())}>"

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name the namespace lacks: a plain AttributeError would say nothing
        # about which op asked, so find the rule that is calling.
        if name.startswith("_"):
            raise AttributeError(name)
        asking = "a rule"
        frame = sys._getframe(1)
        for _ in range(8):
            op = _RULE_OWNERS.get(frame.f_code)
            if op is not None:
                asking = f"op {op.name!r}"
                break
            if frame.f_back is None:
                break
            frame = frame.f_back
        raise MissingFunction(
            f"{asking} calls m.{name}, but the {self._reading} math namespace has no {name!r}: "
            f"every namespace needs one function per op (see 'Adding an op' in the README)"
        )


# ---- the float reading -------------------------------------------------------------------------


def _sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e^(-x)), computed without overflow at either end.

    For x ≥ 0, e^(-x) ≤ 1 cannot overflow. For x < 0 the same value is e^x / (1 + e^x).
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    """log(1 + e^x) without overflow: for x > 0 it equals x + log(1 + e^(-x))."""
    return x + math.log1p(math.exp(-x)) if x > 0.0 else math.log1p(math.exp(x))


def _logsumexp(*zs: float) -> float:
    """log Σ e^zᵢ, computed as m + log Σ e^(zᵢ - m) with m = max zᵢ: no exponential overflows,
    and the largest term is e^0 = 1, so the log never sees 0."""
    top = max(zs)
    return top + math.log(sum(math.exp(z - top) for z in zs))


def _relu(x: float) -> float:
    return 0.0 if x <= 0.0 else x  # NaN fails x <= 0 and passes through


def _heaviside(x: float) -> float:
    # NOTE: heaviside(0) = 0, so relu'(0) = 0. The derivative does not exist at the kink; 0 is the choice
    # PyTorch and micrograd make, and it keeps dead units dead.
    if x > 0.0:
        return 1.0
    return 0.0 if x <= 0.0 else x  # NaN stays NaN


def _sign(x: float) -> float:
    # NOTE: sign(0) = 0, so abs'(0) = 0: a subgradient, and PyTorch's choice.
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return 0.0 if x == 0.0 else x  # NaN stays NaN


def _pow(x: float, c: float) -> float:
    # NOTE: IEEE 754 (and math.pow) say pow(NaN, 0) = pow(1, NaN) = 1; here a NaN stays a NaN.
    if x != x or c != c:
        return math.nan
    return math.pow(x, c)


def _dot(*args: float) -> float:
    """Σ wᵢ·xᵢ (+ b), from dot's inputs in the layout of :data:`DOT_LAYOUT`."""
    ws, xs, bias = DOT_LAYOUT[len(args)]
    total: float = sum(map(operator.mul, args[ws], args[xs]))
    b = args[bias]
    return total + b[0] if b else total


def _sum(*args: float) -> float:
    return sum(args)


FLOAT_MATH = MathNamespace(
    "float",
    {
        "exp": math.exp,
        "log": math.log,
        "sin": math.sin,
        "cos": math.cos,
        "tan": math.tan,
        "tanh": math.tanh,
        "sqrt": math.sqrt,
        "abs": abs,
        "pow": _pow,
        "sigmoid": _sigmoid,
        "relu": _relu,
        "heaviside": _heaviside,
        "sign": _sign,
        "dot": _dot,
        "sum": _sum,
        "softplus": _softplus,
        "erf": math.erf,
        "logsumexp": _logsumexp,
    },
)
"""The float reading of the op rules: plain numbers in, plain numbers out."""


class _Probe:
    """A math namespace whose functions return what they were called with, so that reading a
    rule on it shows what the rule does with its inputs (see :func:`direct_function`)."""

    def __getattr__(self, name: str) -> Callable[..., tuple[Any, ...]]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: (_Probe, name, args)


def direct_function(op: Op, math_: MathNamespace) -> Callable[..., Any] | None:
    """The function of ``math_`` that ``op``'s forward rule *is*, or None.

    Most function ops' forward rule is a single call, ``lambda m, x: m.relu(x)``: read on ``math_``
    it computes exactly ``math_.relu(x)``. Calling that function directly saves the rule's own
    call (and, for an n-ary op, one copy of all its inputs). The rule is read once, on a probe
    namespace whose functions return their name and arguments (an n-ary op's with two numbers of
    inputs); a rule that does anything else with its inputs gives None, and is called as usual.
    A test checks, for every record, that the function and the rule give the same numbers.
    """
    counts = (len(op.inputs),) if isinstance(op.inputs, tuple) else (3, 5)
    names = set()
    for count in counts:
        inputs = tuple(object() for _ in range(count))
        try:
            called = op.forward(_Probe(), *inputs)
        except Exception:  # the rule computes with its inputs (x + y), or branches on them
            return None
        name = _called_on(called, inputs)
        if name is None:
            return None
        names.add(name)
    return getattr(math_, names.pop(), None) if len(names) == 1 else None


def direct_derivative(op: Op, math_: MathNamespace) -> Callable[[Any], Any] | None:
    """For a one-input op whose local-derivative rule is a single call on its input
    (``lambda m, x, out: (m.heaviside(x),)``), the function of ``math_`` it calls; else None.
    Read on the probe namespace as :func:`direct_function` reads the forward rule, and likewise
    checked against the rule for every record by a test."""
    if op.arity != 1:
        return None
    x = object()
    try:
        rule = op.local_derivatives(_Probe(), x, object())
    except Exception:  # the rule computes (1 - out * out)
        return None
    if not (isinstance(rule, tuple) and len(rule) == 1):
        return None
    name = _called_on(rule[0], (x,))
    return None if name is None else getattr(math_, name, None)


def _called_on(called: object, inputs: tuple[object, ...]) -> str | None:
    """The name of the probe function that made ``called`` from exactly ``inputs``, or None."""
    if (
        isinstance(called, tuple)
        and len(called) == 3
        and called[0] is _Probe
        and len(called[2]) == len(inputs)
        and all(given is passed for given, passed in zip(inputs, called[2]))
    ):
        return str(called[1])
    return None


# ---- the records -------------------------------------------------------------------------------


def _infix(symbol: str, precedence: int, python: str = "", latex: str = "") -> Notation:
    return Notation(symbol, "infix", precedence, python or symbol, latex or symbol)


def _function(name: str, latex: str = "", python: str = "") -> Notation:
    return Notation(
        name, "function", 100, python or name, latex or "\\operatorname{" + name + "}(%s)"
    )


# Precedences follow Python's: + - bind loosest, then * /, then unary minus, then **.
ADD = Op(
    "add",
    ("x", "y"),
    lambda m, x, y: x + y,
    lambda m, x, y, out: (1.0, 1.0),
    _infix(" + ", 10),
    doc="x + y",
)
SUB = Op(
    "sub",
    ("x", "y"),
    lambda m, x, y: x - y,
    lambda m, x, y, out: (1.0, -1.0),
    _infix(" - ", 10),
    doc="x - y",
)
MUL = Op(
    "mul",
    ("x", "y"),
    lambda m, x, y: x * y,
    lambda m, x, y, out: (y, x),
    _infix("·", 20, python=" * ", latex=" \\cdot "),
    doc="x · y",
)
DIV = Op(
    "div",
    ("x", "y"),
    lambda m, x, y: x / y,
    lambda m, x, y, out: (1.0 / y, -out / y),
    _infix(" / ", 20, latex="\\frac{%s}{%s}"),
    Domain("y ≠ 0", lambda x, y: y != 0.0, ZeroDivisionError),
    doc="x / y",
)
NEG = Op(
    "neg",
    ("x",),
    lambda m, x: -x,
    lambda m, x, out: (-1.0,),
    Notation("-", "prefix", 30, "-", "-"),
    doc="-x",
)
POW = Op(
    "pow",
    ("x", "c"),
    lambda m, x, c: m.pow(x, c),
    # NOTE: x^0 = 1 is flat, so its derivative is 0 everywhere, x = 0 included, where c·x^(c-1)
    # would be 0·0^(-1). So every derivative of a whole power exists at 0 (as in torch and JAX).
    lambda m, x, c, out: (0.0 if c == 0 else c * m.pow(x, c - 1), 0.0),
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
    ("x", "y"),
    lambda m, x, y: m.pow(x, y),
    lambda m, x, y, out: (y * x ** (y - 1), out * m.log(x)),
    _infix("^", 40, python="pow({0}, {1})", latex="{%s}^{%s}"),
    Domain("x > 0 (∂/∂y = x^y·log(x) needs log(x))", lambda x, y: x > 0.0),
    doc="x ^ y where the exponent y is a Value too and gets a gradient",
)
EXP = Op(
    "exp",
    ("x",),
    lambda m, x: m.exp(x),
    lambda m, x, out: (out,),
    _function("exp", "\\exp(%s)"),
    doc="e^x",
)
LOG = Op(
    "log",
    ("x",),
    lambda m, x: m.log(x),
    lambda m, x, out: (1.0 / x,),
    _function("log", "\\log(%s)"),
    Domain("x > 0", lambda x: x > 0.0),
    doc="natural logarithm ln(x)",
)
SIN = Op(
    "sin",
    ("x",),
    lambda m, x: m.sin(x),
    lambda m, x, out: (m.cos(x),),
    _function("sin", "\\sin(%s)"),
    doc="sin(x)",
)
COS = Op(
    "cos",
    ("x",),
    lambda m, x: m.cos(x),
    lambda m, x, out: (-m.sin(x),),
    _function("cos", "\\cos(%s)"),
    doc="cos(x)",
)
TAN = Op(
    "tan",
    ("x",),
    lambda m, x: m.tan(x),
    lambda m, x, out: (1.0 + out * out,),
    _function("tan", "\\tan(%s)"),
    doc="tan(x)",
)
TANH = Op(
    "tanh",
    ("x",),
    lambda m, x: m.tanh(x),
    lambda m, x, out: (1.0 - out * out,),
    _function("tanh", "\\tanh(%s)"),
    doc="tanh(x), the hyperbolic tangent",
)
SIGMOID = Op(
    "sigmoid",
    ("x",),
    lambda m, x: m.sigmoid(x),
    lambda m, x, out: (out * (1.0 - out),),
    _function("sigmoid", "\\sigma(%s)"),
    doc="σ(x) = 1 / (1 + e^(-x)), the logistic function",
)
RELU = Op(
    "relu",
    ("x",),
    lambda m, x: m.relu(x),
    lambda m, x, out: (m.heaviside(x),),
    _function("relu", python="(0.0 if {0} <= 0.0 else {0})"),
    doc="max(x, 0)",
)
SQRT = Op(
    "sqrt",
    ("x",),
    lambda m, x: m.sqrt(x),
    lambda m, x, out: (0.5 / out,),
    _function("sqrt", "\\sqrt{%s}"),
    Domain("x ≥ 0", lambda x: x >= 0.0),
    doc="√x",
)
ABS = Op(
    "abs",
    ("x",),
    lambda m, x: m.abs(x),
    lambda m, x, out: (m.sign(x),),
    _function("abs", "\\left|%s\\right|"),
    doc="|x|",
)
HEAVISIDE = Op(
    "heaviside",
    ("x",),
    lambda m, x: m.heaviside(x),
    lambda m, x, out: (0.0,),
    _function("heaviside", python="(1.0 if {0} > 0.0 else 0.0 if {0} <= 0.0 else {0})"),
    doc="1 if x > 0 else 0 (relu's derivative)",
)
SIGN = Op(
    "sign",
    ("x",),
    lambda m, x: m.sign(x),
    lambda m, x, out: (0.0,),
    _function("sign"),
    doc="1, 0 or -1 by the sign of x (abs's derivative)",
)
SOFTPLUS = Op(
    "softplus",
    ("x",),
    lambda m, x: m.softplus(x),
    lambda m, x, out: (m.sigmoid(x),),
    _function("softplus"),
    doc="log(1 + e^x), computed stably; its derivative is σ(x)",
)
ERF = Op(
    "erf",
    ("x",),
    lambda m, x: m.erf(x),
    lambda m, x, out: (2.0 / math.sqrt(math.pi) * m.exp(-x * x),),
    _function("erf"),
    doc="the error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt",
)


def _dot_local_derivatives(m: Any, *args: Any) -> tuple[Any, ...]:
    """∂(Σ wᵢxᵢ + b)/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1: each vector's local derivatives are the
    other vector's values. ``args`` is dot's inputs (see :func:`dot_parts`), then out."""
    ws, xs, bias = DOT_LAYOUT[len(args) - 1]
    return args[xs] + args[ws] + (1.0,) * len(args[bias])


# n-ary ops: a neuron's weighted sum as one node instead of 2n (see autograd.dot).
DOT = Op(
    "dot",
    _dot_input_names,
    lambda m, *args: m.dot(*args),
    _dot_local_derivatives,
    Notation("Σ", "dot", 10, latex="\\sum"),
    doc="Σ wᵢ·xᵢ + b over inputs w1 … wn, x1 … xn and an optional bias b",
)
SUM = Op(
    "sum",
    numbered("x"),
    lambda m, *args: m.sum(*args),
    lambda m, *args: (1.0,) * (len(args) - 1),
    Notation("Σ", "sum", 10, latex="\\sum"),
    doc="x1 + x2 + … + xn",
)
LOGSUMEXP = Op(
    "logsumexp",
    numbered("z"),
    lambda m, *zs: m.logsumexp(*zs),
    lambda m, *args: tuple(m.exp(z - args[-1]) for z in args[:-1]),
    _function("logsumexp"),
    doc="log Σ e^zᵢ, computed stably; ∂/∂zᵢ = e^(zᵢ - out), the softmax of the zᵢ",
)


def registry(*records: Op) -> dict[str, Op]:
    """The records by name, refusing two records with the same name (a second ``erf`` would
    otherwise silently replace the first, and every reading would use whichever came last)."""
    by_name: dict[str, Op] = {}
    for op in records:
        if op.name in by_name:
            raise ValueError(
                f"two op records are named {op.name!r} ({by_name[op.name].doc!r} and "
                f"{op.doc!r}): every op needs a name of its own"
            )
        by_name[op.name] = op
    return by_name


OPS: dict[str, Op] = registry(
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
    ERF,
    DOT,
    SUM,
    LOGSUMEXP,
)
"""Every op record by name. A test runs each one against sympy and central differences."""

MATH_FUNCTIONS: tuple[str, ...] = (
    "pow",
    *(name for name, op in OPS.items() if op.notation.kind in ("function", "sum", "dot")),
)
"""The functions every math namespace provides: one per op written as a function (``sin``,
``dot``, …), and ``pow``. (Powers are written ``x ** c``, but in a namespace they are a function:
float ``**`` of a negative base makes a complex number, and Value ``**`` would make ``pow_var``.)"""


# ---- leaves that are not inputs (not ops of their own, so not in OPS) --------------------------

CONSTANT = Op(
    "constant",
    (),
    lambda m: 0.0,
    lambda m, out: (),
    Notation("", "function"),
    doc="a plain number that entered an expression",
)
"""Marks leaves made from plain numbers (the ``2`` in ``x * 2``): constants, not inputs."""

UNRECORDED = Op(
    "unrecorded",
    (),
    lambda m: 0.0,
    lambda m, out: (),
    Notation("", "function"),
    doc="a number computed inside no_grad(), whose history was not recorded",
)
"""Marks the leaves that ops make inside ``no_grad()``: ``backward()`` from one of them refuses,
since no gradient could reach what it was computed from."""
