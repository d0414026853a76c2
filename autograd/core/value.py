"""``Value``: a number that remembers how it was computed.

Each Value holds its number (``data``), the gradient accumulated into it by ``backward()``
(``grad``), a ``label`` for people, the :class:`~autograd.ops.Op` that made it and the Values it was
made from (``parents``, in argument order). Leaves (inputs, parameters) have ``op=None`` and no
parents; numbers that enter an expression become *constant* leaves.

This module knows no calculus: it asks the op record for the forward value, checks the record's
domain, and links the result into the graph. ``backward()`` lives in :mod:`autograd.backward`.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Sequence
from types import SimpleNamespace

from . import ops
from .graph import GraphNode, link, next_serial
from .modes import CURRENT_MODE, Guard, Mode, user_location
from .ops import FLOAT_MATH, Op

__all__ = [
    "Value",
    "Number",
    "CONSTANT",
    "exp",
    "log",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "relu",
    "sqrt",
    "abs",
    "heaviside",
    "sign",
    "softplus",
    "dot",
    "sum_values",
    "logsumexp",
    "apply_op",
    "VALUE_MATH",
]

Number = int | float

CONSTANT = Op(
    "constant",
    0,
    lambda m: 0.0,
    lambda m, out: (),
    ops.Notation("", "function"),
    doc="a plain number that entered an expression",
)
"""Marks leaves made from plain numbers (the ``2`` in ``x * 2``): constants, not inputs."""


class Value(GraphNode):
    """A scalar in a computation graph.

    >>> x = Value(3.0, label="x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 6.0)
    """

    __slots__ = ("data", "grad", "label", "op")

    data: float
    grad: float
    label: str
    op: Op | None

    def __init__(self, data: Number, label: str = "") -> None:
        super().__init__()
        self.data = _real(data, "Value")
        self.grad = 0.0
        self.label = str(label)
        self.op = None

    # ---- the graph ---------------------------------------------------------------------------

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants: Values no op produced."""
        return self._first is None

    @property
    def is_constant(self) -> bool:
        """True for a leaf made from a plain number inside an expression."""
        return self.op is CONSTANT

    def backward(self, gradient: Number = 1.0, *, create_graph: bool = False) -> None:
        """Add ∂self/∂v · gradient to ``v.grad`` for every Value v this one depends on.

        Calling it twice adds twice (as PyTorch does with ``retain_graph=True``); use
        :meth:`zero_grad` in between to start afresh. With ``create_graph=True`` the gradients are
        themselves Values, built from differentiable ops, so they can be differentiated again.
        """
        from .backward import backward

        backward([self], [gradient], create_graph=create_graph)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on this Value and on every Value it depends on."""
        from .graph import topological_order

        for node in topological_order([self]):
            node.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this graph."""
        leaf = Value(self.data, self.label)
        mode = CURRENT_MODE.get()
        if mode is not None and mode.recorder is not None:  # compiled code recomputes it
            mode.recorder.stops[leaf] = (None, (self,))
        return leaf

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- ops (each reads its record in autograd.ops) -----------------------------------------

    def __neg__(self) -> Value:
        return _apply1(ops.NEG, self)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, other: Value | Number) -> Value:
        """``x ** c`` with a number c differentiates x only; ``x ** y`` with a Value y also
        gives y a gradient (and needs x > 0)."""
        if isinstance(other, Value):
            return _apply2(ops.POW_VAR, self, other)
        exponent = _constant(other)
        if exponent is NotImplemented:
            return NotImplemented
        return _apply2(ops.POW, self, exponent)

    def __rpow__(self, other: Number) -> Value:
        base = _constant(other)
        if base is NotImplemented:
            return NotImplemented
        return _apply2(ops.POW_VAR, base, self)

    def exp(self) -> Value:
        return _apply1(ops.EXP, self)

    def log(self) -> Value:
        return _apply1(ops.LOG, self)

    def sin(self) -> Value:
        return _apply1(ops.SIN, self)

    def cos(self) -> Value:
        return _apply1(ops.COS, self)

    def tan(self) -> Value:
        return _apply1(ops.TAN, self)

    def tanh(self) -> Value:
        return _apply1(ops.TANH, self)

    def sigmoid(self) -> Value:
        return _apply1(ops.SIGMOID, self)

    def relu(self) -> Value:
        return _apply1(ops.RELU, self)

    def sqrt(self) -> Value:
        return _apply1(ops.SQRT, self)

    def abs(self) -> Value:
        return _apply1(ops.ABS, self)

    __abs__ = abs  # noqa: A003 - abs(x) and x.abs() are the same op

    def heaviside(self) -> Value:
        return _apply1(ops.HEAVISIDE, self)

    def sign(self) -> Value:
        return _apply1(ops.SIGN, self)

    def softplus(self) -> Value:
        return _apply1(ops.SOFTPLUS, self)


def _comparison(name: str, compare) -> object:
    """``x < y`` and friends: compare the numbers. While the compiler traces a function, each
    comparison is recorded as a guard, so the compiled code can tell when a later call would take
    another branch."""

    def method(self: Value, other: Value | Number) -> bool:
        right = other.data if isinstance(other, Value) else other
        if not isinstance(right, numbers.Real) or isinstance(right, bool):
            return NotImplemented
        outcome = compare(self.data, right)
        mode = CURRENT_MODE.get()
        if mode is not None and mode.recorder is not None:
            mode.recorder.guards.append(
                Guard(
                    self,
                    name,
                    other if isinstance(other, Value) else float(right),
                    outcome,
                    user_location(),
                )
            )
        return outcome

    method.__name__ = f"__{name}__"
    method.__doc__ = f"Compare the numbers (x.data {_SYMBOLS[name]} y); recorded while compiling."
    return method


_SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
Value.__lt__ = _comparison("lt", operator.lt)
Value.__le__ = _comparison("le", operator.le)
Value.__gt__ = _comparison("gt", operator.gt)
Value.__ge__ = _comparison("ge", operator.ge)


def _binary_operator(op: Op) -> tuple:
    """``__op__`` and ``__rop__`` for a binary op record, as CPython's fractions module does.

    A plain number on either side becomes a constant leaf; any other type gets ``NotImplemented``,
    so Python raises its usual ``TypeError`` naming both types.
    """

    def forward(self: Value, other: Value | Number) -> Value:
        if other.__class__ is not Value:
            other = _constant(other)
            if other is NotImplemented:
                return NotImplemented
        return _apply2(op, self, other)

    def reverse(self: Value, other: Number) -> Value:
        other = _constant(other)
        if other is NotImplemented:
            return NotImplemented
        return _apply2(op, other, self)

    forward.__doc__ = reverse.__doc__ = f"{op.doc} (op {op.name!r})"
    return forward, reverse


Value.__add__, Value.__radd__ = _binary_operator(ops.ADD)
Value.__sub__, Value.__rsub__ = _binary_operator(ops.SUB)
Value.__mul__, Value.__rmul__ = _binary_operator(ops.MUL)
Value.__truediv__, Value.__rtruediv__ = _binary_operator(ops.DIV)
for _name, _op in ops.OPS.items():
    if _op.arity == 1 and hasattr(Value, _name):
        getattr(Value, _name).__doc__ = f"{_op.doc} (op {_name!r})"


# ---- building nodes ----------------------------------------------------------------------------

_new = object.__new__
data_of = operator.attrgetter("data")


def _node_in_mode(mode: Mode, data: float, op: Op, parents: tuple[Value, ...]) -> Value:
    """A result made inside ``no_grad`` (a leaf) or ``detect_anomaly`` (checked, origin kept)."""
    if mode.anomaly is not None and not math.isfinite(data):
        raise FloatingPointError(
            f"detect_anomaly: {op.name} produced {data} from {describe_inputs(op, parents)} "
            f"at {user_location()}"
        )
    node = Value(data)
    if mode.record:
        node.op = op
        link(node, parents)
    if mode.recorder is not None:  # the compiler is recording: it recomputes even no_grad results
        if mode.record:
            mode.recorder.made.append(node)
        else:
            mode.recorder.stops[node] = (op, parents)
    if mode.anomaly is not None:
        mode.anomaly.origins[id(node)] = (node, user_location())
    return node


def _apply1(op: Op, x: Value) -> Value:
    """``op(x)``: check the domain, compute the value, link the result into the graph."""
    if op.domain is not None and not op.domain.contains(x.data):
        raise domain_error(op, (x,))
    try:
        data = op.forward(FLOAT_MATH, x.data)
    except (ArithmeticError, ValueError) as error:
        raise forward_error(op, (x,), error) from None
    mode = CURRENT_MODE.get()
    if mode is not None:
        return _node_in_mode(mode, data, op, (x,))
    node = _new(Value)  # the normal mode, inlined: this is the hottest path in stepgrad
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.serial = next_serial()
    node._first = x
    node._second = None
    return node


def _apply2(op: Op, x: Value, y: Value) -> Value:
    """``op(x, y)``, as :func:`_apply1`."""
    if op.domain is not None and not op.domain.contains(x.data, y.data):
        raise domain_error(op, (x, y))
    try:
        data = op.forward(FLOAT_MATH, x.data, y.data)
    except (ArithmeticError, ValueError) as error:
        raise forward_error(op, (x, y), error) from None
    mode = CURRENT_MODE.get()
    if mode is not None:
        return _node_in_mode(mode, data, op, (x, y))
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.serial = next_serial()
    node._first = x
    node._second = y
    return node


def _applyn(op: Op, parents: tuple[Value, ...]) -> Value:
    """An n-ary op (``dot``, ``sum``) applied to ``parents``, as :func:`_apply1`."""
    try:
        data = op.forward(FLOAT_MATH, *map(data_of, parents))
    except (ArithmeticError, ValueError) as error:
        raise forward_error(op, parents, error) from None
    mode = CURRENT_MODE.get()
    if mode is not None:
        return _node_in_mode(mode, data, op, parents)
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.serial = next_serial()
    link(node, parents)
    return node


# ---- input checks and messages ----------------------------------------------------------------


def _real(data: object, where: str) -> float:
    """``data`` as a float, or a TypeError that names what was given instead."""
    if data.__class__ is float:
        return data  # type: ignore[return-value]
    if isinstance(data, numbers.Real) and not isinstance(data, bool):
        return float(data)
    if isinstance(data, Value):
        raise TypeError(
            f"{where} needs a plain number, got a Value ({data!r}); "
            "use it directly, or .data for its number"
        )
    raise TypeError(f"{where} needs a real number, got {data!r} of type {type(data).__name__}")


def _constant(number: object) -> Value:
    """A plain number as a constant leaf; NotImplemented for anything that is not a real number."""
    if number.__class__ is Value:
        return number  # type: ignore[return-value]
    if isinstance(number, Value):
        return number
    if (
        number.__class__ is float
        or number.__class__ is int
        or (isinstance(number, numbers.Real) and not isinstance(number, bool))
    ):
        node = _new(Value)
        node.data = float(number)  # type: ignore[arg-type]
        node.grad = 0.0
        node.label = ""
        node.op = CONSTANT
        node.serial = next_serial()
        node._first = node._second = None
        return node
    return NotImplemented  # type: ignore[return-value]


def as_value(x: Value | Number, where: str = "argument") -> Value:
    """``x`` itself if it is a Value, else a constant leaf; TypeError for anything else."""
    value = _constant(x)
    if value is NotImplemented:
        raise TypeError(
            f"{where} needs a Value or a real number, got {x!r} of type {type(x).__name__}"
        )
    return value


def node_name(node: Value) -> str:
    """How errors refer to a node: ``node 'h1'``, or ``unlabelled node`` / ``constant``."""
    if node.label:
        return f"node {node.label!r}"
    return "constant" if node.op is CONSTANT else "unlabelled node"


def input_names(op: Op, count: int | None = None) -> tuple[str, ...]:
    """The names the op's rules give their inputs (``x``, ``y``, ``c``); for an n-ary op with
    ``count`` inputs, ``x1 … xn`` (``w1 … wn, x1 … xn, b`` for dot)."""
    if op.arity >= 0:
        return op.forward.__code__.co_varnames[1 : 1 + op.arity]
    count = count or 0
    if op is ops.DOT:
        n = count // 2
        return (
            *(f"w{i}" for i in range(1, n + 1)),
            *(f"x{i}" for i in range(1, n + 1)),
            *(("b",) if count % 2 else ()),
        )
    return tuple(f"x{i}" for i in range(1, count + 1))


def describe_inputs(op: Op, parents: tuple[Value, ...]) -> str:
    """``x=-2.0 (node 'h1'), y=0.0 (constant)``: the op's inputs, for error messages."""
    return ", ".join(
        f"{name}={parent.data!r} ({node_name(parent)})"
        for name, parent in zip(input_names(op, len(parents)), parents)
    )


def domain_error(op: Op, parents: tuple[Value, ...]) -> Exception:
    """The error for inputs outside ``op.domain``, e.g. ``log needs x > 0, got x=-2.0 (node 'a')``."""
    assert op.domain is not None
    return op.domain.error(f"{op.name} needs {op.domain.text}, got {describe_inputs(op, parents)}")


def forward_error(op: Op, parents: tuple[Value, ...], error: Exception) -> Exception:
    """Re-raise a float error from ``op.forward`` naming the op and its inputs."""
    if isinstance(error, OverflowError):
        return OverflowError(
            f"{op.name} overflowed: the result for {describe_inputs(op, parents)} "
            f"is too large for a float"
        )
    return type(error)(f"{op.name} is undefined for {describe_inputs(op, parents)} ({error})")


# ---- module functions: autograd.sin(x) for a Value or a number ----------------------------------


def _function(op: Op):
    def function(x: Value | Number) -> Value:
        try:
            value = as_value(x, op.name)
        except TypeError:
            if _is_dual(x):  # forward mode (autograd.jvp)
                return _forward_mode(op, (x,))
            raise
        return _apply1(op, value)

    function.__name__ = function.__qualname__ = op.name
    function.__doc__ = f"{op.doc}, for a Value or a plain number (op {op.name!r}); returns a Value."
    return function


exp = _function(ops.EXP)
log = _function(ops.LOG)
sin = _function(ops.SIN)
cos = _function(ops.COS)
tan = _function(ops.TAN)
tanh = _function(ops.TANH)
sigmoid = _function(ops.SIGMOID)
relu = _function(ops.RELU)
sqrt = _function(ops.SQRT)
abs = _function(ops.ABS)  # noqa: A001 - mirrors the op name, as math-style libraries do
heaviside = _function(ops.HEAVISIDE)
sign = _function(ops.SIGN)
softplus = _function(ops.SOFTPLUS)


def dot(
    ws: Sequence[Value | Number], xs: Sequence[Value | Number], bias: Value | Number | None = None
) -> Value:
    """Σ wᵢ·xᵢ (+ bias) as one node (op ``dot``) instead of 2n: a neuron's pre-activation.

    Its local gradients are the other vector's values: ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂bias = 1.
    """
    n = len(ws)
    if not n or len(xs) != n:
        raise ValueError(
            f"dot needs two sequences of the same, nonzero length; got {n} "
            f"weights and {len(xs)} inputs"
        )
    parents = (*ws, *xs) if bias is None else (*ws, *xs, bias)
    try:
        return _applyn(ops.DOT, parents)  # usually all are Values already
    except AttributeError:  # a plain number among them has no .data: make it a constant
        if all(isinstance(p, Value) for p in parents):
            raise
        if any(_is_dual(p) for p in parents):  # forward mode (autograd.jvp)
            return _forward_mode(ops.DOT, parents)
        return _applyn(ops.DOT, tuple(as_value(v, "dot") for v in parents))


def sum_values(xs: Iterable[Value | Number]) -> Value:
    """x1 + x2 + … + xn as one node (op ``sum``) instead of n - 1 additions."""
    xs = tuple(xs)
    try:
        parents = tuple(as_value(v, "sum_values") for v in xs)
    except TypeError:
        if any(_is_dual(x) for x in xs):  # forward mode (autograd.jvp)
            return _forward_mode(ops.SUM, xs)
        raise
    if not parents:
        raise ValueError("sum_values needs at least one value")
    return _applyn(ops.SUM, parents)


def logsumexp(zs: Iterable[Value | Number]) -> Value:
    """log Σ e^zᵢ as one node (op ``logsumexp``), computed stably: softmax cross-entropy's
    normalizer. Its local derivatives are the softmax, ∂/∂zᵢ = e^(zᵢ - out)."""
    parents = tuple(as_value(z, "logsumexp") for z in zs)
    if not parents:
        raise ValueError("logsumexp needs at least one value")
    return _applyn(ops.LOGSUMEXP, parents)


def apply_op(op: Op, *inputs: Value | Number) -> Value:
    """Apply an op record to Values (or numbers): the op author's way to use a new record.

    stepgrad's own ops are applied by Value's operators and methods; a record you write yourself
    (see :mod:`autograd.ops`) is applied with this, and then traces, drawings, gradcheck and the
    compiler all read it like any other.
    """
    try:
        values = tuple(as_value(x, op.name) for x in inputs)
    except TypeError:
        if any(_is_dual(x) for x in inputs):  # forward mode (autograd.jvp)
            return _forward_mode(op, inputs)
        raise
    if op.arity >= 0 and len(values) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} inputs, got {len(values)}")
    if op.arity == 1:
        return _apply1(op, *values)
    if op.arity == 2:
        return _apply2(op, *values)
    return _applyn(op, values)


def _is_dual(x: object) -> bool:
    """True for a forward-mode dual number (:class:`autograd.core.forward.Dual`)."""
    from .forward import Dual  # imported here: forward.py builds on this module

    return isinstance(x, Dual)


def _forward_mode(op: Op, inputs: Sequence[object]) -> Value:
    """``op`` applied to dual numbers, so the module functions (``autograd.sin``, ``dot``, …)
    work inside ``autograd.jvp``: forward mode reads the same op record."""
    from .forward import apply_dual

    return apply_dual(op, inputs)  # type: ignore[arg-type, return-value]


def _pow(x: Value | Number, c: Value | Number) -> Value:
    """x ** c with the exponent treated as a constant (the ``pow`` op), whatever its type."""
    exponent = as_value(c, "pow")
    return _apply2(ops.POW, as_value(x, "pow"), exponent)


VALUE_MATH = SimpleNamespace(
    exp=exp,
    log=log,
    sin=sin,
    cos=cos,
    tan=tan,
    tanh=tanh,
    sigmoid=sigmoid,
    relu=relu,
    sqrt=sqrt,
    abs=abs,
    heaviside=heaviside,
    sign=sign,
    softplus=softplus,
    pow=_pow,
    dot=lambda *args: _applyn(ops.DOT, args),
    sum=lambda *args: _applyn(ops.SUM, args),
    logsumexp=lambda *args: _applyn(ops.LOGSUMEXP, args),
)
"""The Value reading of the op rules: used by ``backward(create_graph=True)``, so that gradients
are graphs that can be differentiated again."""
