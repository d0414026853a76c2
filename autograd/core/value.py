"""``Value``: a number that remembers how it was computed.

Each Value holds its number (``data``), the gradient accumulated into it by ``backward()``
(``grad``), a ``label`` for people, the :class:`~autograd.core.ops.Op` that made it and the Values it was
made from (``parents``, in argument order): the fields of a :class:`~autograd.core.graph.GraphNode`.
Leaves (inputs, parameters) have ``op=None`` and no parents; numbers that enter an expression
become *constant* leaves.

This module knows no calculus: it asks the op record for the forward value, checks the record's
domain and the result, and links the result into the graph. Its methods (``x.sin()``) and the
module functions (``autograd.sin(x)``) are made from the records in :data:`~autograd.core.ops.OPS`.
``backward()`` lives in :mod:`autograd.core.backward`.
"""

from __future__ import annotations

import numbers
import operator
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import ops
from .backward import backward as _backward
from .backward import local_derivatives as _local_derivatives
from .errors import (
    domain_error,
    finite_number,
    forward_error,
    non_finite_result,
)
from .graph import MANY, GraphNode, link, next_serial, topological_order
from .modes import CURRENT_MODE, Mode, user_location
from .ops import CONSTANT, FLOAT_MATH, OPS, UNRECORDED, MathNamespace, Op, direct_function

__all__ = [
    "Value",
    "Number",
    "OP_FUNCTIONS",
    "dot",
    "sum_values",
    "apply_op",
    "as_value",
    "VALUE_MATH",
]

Number = int | float


class Value(GraphNode):
    """A scalar in a computation graph.

    >>> x = Value(3.0, label="x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 6.0)
    """

    __slots__ = GraphNode.SLOTS

    def __init__(self, data: Number, label: str = "") -> None:
        label = str(label)
        self.data = finite_number(data, f"Value({label!r})" if label else "Value")
        self.grad = 0.0
        self.label = label
        self.op = None
        self.serial = next_serial()
        self._first = self._second = None

    if TYPE_CHECKING:  # made below the class, from the op records; declared for type checkers

        def __add__(self, other: Value | Number) -> Value: ...
        def __radd__(self, other: Number) -> Value: ...
        def __sub__(self, other: Value | Number) -> Value: ...
        def __rsub__(self, other: Number) -> Value: ...
        def __mul__(self, other: Value | Number) -> Value: ...
        def __rmul__(self, other: Number) -> Value: ...
        def __truediv__(self, other: Value | Number) -> Value: ...
        def __rtruediv__(self, other: Number) -> Value: ...
        def __lt__(self, other: Value | Number) -> bool: ...
        def __le__(self, other: Value | Number) -> bool: ...
        def __gt__(self, other: Value | Number) -> bool: ...
        def __ge__(self, other: Value | Number) -> bool: ...
        def __neg__(self) -> Value: ...
        def __abs__(self) -> Value: ...
        def __getattr__(self, name: str) -> Callable[..., Value]: ...  # x.exp(), x.sin(), …

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
        _backward([self], [gradient], create_graph=create_graph)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on this Value and on every Value it depends on."""
        for node in topological_order([self]):
            node.grad = 0.0

    def local_derivatives(self, *, create_graph: bool = False) -> tuple[Any, ...]:
        """∂self/∂parent for each parent, read from this node's op record: the rule that
        micrograd would keep as this node's ``_backward`` closure, one call away.

        >>> x, y = Value(3.0, "x"), Value(4.0, "y")
        >>> (x * y).local_derivatives()    # ∂(x·y)/∂x = y, ∂(x·y)/∂y = x
        (4.0, 3.0)

        A leaf has none: ``()``. With ``create_graph=True`` they are Values (graphs themselves).
        """
        return _local_derivatives(self, VALUE_MATH if create_graph else FLOAT_MATH)

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this graph."""
        copy = Value(self.data, self.label)
        mode = CURRENT_MODE.get()
        if mode is not None and mode.recorder is not None:
            mode.recorder.detached(self, copy)
        return copy

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        """Refused: a float would cut the Value off from its graph. This is what ``math.sin(x)``
        meets (as forward mode's Dual does)."""
        raise TypeError(
            "a Value remembers how it was computed, and a plain float would forget it: use "
            "autograd's functions (autograd.sin(x) or x.sin(), not math.sin(x)), which record the "
            f"op; x.data is the number alone (here {self.data!r})"
        )

    # ---- operators (each reads its record in autograd.core.ops) -----------------------------------

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


def _comparison(name: str, compare: Callable[[float, float], bool]) -> Callable[..., Any]:
    """``x < y`` and friends compare the numbers. While a recorder listens (the compiler records a
    function), it hears of each comparison, which decided a branch the graph does not show."""

    def method(self: Value, other: Value | Number) -> bool:
        right = other.data if isinstance(other, Value) else other
        if not isinstance(right, numbers.Real) or isinstance(right, bool):
            return NotImplemented  # type: ignore[no-any-return]
        outcome = compare(self.data, right)
        mode = _current_mode()
        if mode is not None and mode.recorder is not None:
            mode.recorder.compared(
                self, name, other if isinstance(other, Value) else float(right), outcome
            )
        return outcome

    method.__name__ = f"__{name}__"
    method.__doc__ = f"Compare the numbers (x.data {_SYMBOLS[name]} y)."
    return method


_SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
Value.__lt__ = _comparison("lt", operator.lt)  # type: ignore[method-assign]
Value.__le__ = _comparison("le", operator.le)  # type: ignore[method-assign]
Value.__gt__ = _comparison("gt", operator.gt)  # type: ignore[method-assign]
Value.__ge__ = _comparison("ge", operator.ge)  # type: ignore[method-assign]


# ---- building nodes ----------------------------------------------------------------------------

_new = object.__new__
_current_mode = CURRENT_MODE.get  # bound once: a call of the bound method costs 40% of a
# CURRENT_MODE.get() call, which looks the method up every time (callgrind: 337 vs 856 instructions)
# NOTE: `data - data != 0.0` is the finiteness check of every op: inf - inf and NaN - NaN are NaN,
# which differs from everything. One subtraction and one comparison, and no call: measured with
# callgrind, cheaper than math.isfinite(data) or a chained comparison with the largest float.


def _node_in_mode(mode: Mode, data: float, op: Op, parents: tuple[Value, ...]) -> Value:
    """A result made inside ``no_grad`` (a leaf) or ``detect_anomaly`` (its origin kept)."""
    node = _new(Value)  # as in the normal mode (Value(data) would check the number again, and
    node.data = data  # evaluating a model under no_grad would be slower than recording it)
    node.grad = 0.0
    node.label = ""
    node.serial = next_serial()
    node._first = node._second = None
    if mode.record:
        node.op = op
        link(node, parents)
        if mode.recorder is not None:
            mode.recorder.made(node)
    else:
        node.op = UNRECORDED
        if mode.recorder is not None:
            mode.recorder.unrecorded(node, op, parents)
    if mode.anomaly is not None:
        mode.anomaly.origins[id(node)] = (node, user_location())
    return node


def _one_input(op: Op) -> Callable[[Value], Value]:
    """``op`` as a function of one Value, made once per record: check the domain, compute the
    value, check it, link the result into the graph. Value's methods (``x.relu()``) are these
    functions themselves, so ``x.relu()`` is one Python call, not a method calling a function.
    A rule that is just a call of a float function (``lambda m, x: m.relu(x)``) is not called:
    the function it calls is (see :func:`~autograd.core.ops.direct_function`)."""
    domain, rule, direct = op.domain, op.forward, direct_function(op, FLOAT_MATH)

    def apply(x: Value) -> Value:
        if domain is not None and not domain.contains(x.data):
            raise domain_error(op, (x,))
        try:
            data = rule(FLOAT_MATH, x.data) if direct is None else direct(x.data)
        except (ArithmeticError, ValueError) as error:
            raise forward_error(op, (x,), error) from None
        if data - data != 0.0:  # NaN or ±inf (inf - inf is NaN): refused where it first appears
            raise non_finite_result(op, (x,), data)
        mode = _current_mode()
        if mode is not None:
            return _node_in_mode(mode, data, op, (x,))
        # NOTE: the node is built inline here, in _two_inputs, _many_inputs and _constant, not by one
        # shared constructor: that call cost 9% per node (callgrind: 4,206 -> 4,596 instructions
        # for x * y).
        node = _new(Value)  # the normal mode, inlined: this is the hottest path in stepgrad
        node.data = data
        node.grad = 0.0
        node.label = ""
        node.op = op
        node.serial = next_serial()
        node._first = x
        node._second = None
        return node

    apply.__name__ = apply.__qualname__ = op.name
    return apply


def _apply1(op: Op, x: Value) -> Value:
    """``op(x)`` for any one-input record (see :func:`_one_input`)."""
    return (_ONE_INPUT.get(op) or _made(op, _one_input))(x)


def _two_inputs(op: Op) -> Callable[[Value, Any], Value]:
    """``op(x, y)`` as a function, made once per record, as :func:`_one_input`. A plain number
    as ``y`` becomes a constant leaf; any other type gives ``NotImplemented``. Value's operator
    (``x * y``) is this function itself: one Python call per operation."""
    domain, rule, direct = op.domain, op.forward, direct_function(op, FLOAT_MATH)

    def apply(x: Value, y: Value | Number) -> Value:
        if y.__class__ is not Value:
            y = _constant(y)
            if y is NotImplemented:
                return NotImplemented  # type: ignore[no-any-return]
        if domain is not None and not domain.contains(x.data, y.data):
            raise domain_error(op, (x, y))
        try:
            data = rule(FLOAT_MATH, x.data, y.data) if direct is None else direct(x.data, y.data)
        except (ArithmeticError, ValueError) as error:
            raise forward_error(op, (x, y), error) from None
        if data - data != 0.0:
            raise non_finite_result(op, (x, y), data)
        mode = _current_mode()
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

    apply.__name__ = apply.__qualname__ = op.name
    return apply


def _apply2(op: Op, x: Value, y: Value) -> Value:
    """``op(x, y)`` for any two-input record (see :func:`_two_inputs`)."""
    return (_TWO_INPUTS.get(op) or _made(op, _two_inputs))(x, y)


_ONE_INPUT = {op: _one_input(op) for op in OPS.values() if op.arity == 1}
_TWO_INPUTS = {op: _two_inputs(op) for op in OPS.values() if op.arity == 2}
"""stepgrad's own records as functions, made once."""

_MADE: weakref.WeakKeyDictionary[Op, Callable[..., Value]] = weakref.WeakKeyDictionary()
"""The functions made for op authors' records (applied with apply_op), kept while a record lives."""


def _made(op: Op, make: Callable[[Op], Callable[..., Value]]) -> Callable[..., Value]:
    function = _MADE.get(op)
    if function is None:
        function = _MADE[op] = make(op)
    return function


def _binary_operator(op: Op) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``__op__`` and ``__rop__`` for a binary op record, as CPython's fractions module does.

    A plain number on either side becomes a constant leaf; any other type gets ``NotImplemented``,
    so Python raises its usual ``TypeError`` naming both types.
    """
    forward = _TWO_INPUTS[op]

    def reverse(self: Value, other: Number) -> Value:
        constant = _constant(other)
        if constant is NotImplemented:
            return NotImplemented  # type: ignore[no-any-return]
        return forward(constant, self)

    forward.__doc__ = reverse.__doc__ = f"{op.doc} (op {op.name!r})"
    return forward, reverse


Value.__neg__ = _ONE_INPUT[ops.NEG]  # type: ignore[method-assign]
Value.__add__, Value.__radd__ = _binary_operator(ops.ADD)  # type: ignore[method-assign]
Value.__sub__, Value.__rsub__ = _binary_operator(ops.SUB)  # type: ignore[method-assign]
Value.__mul__, Value.__rmul__ = _binary_operator(ops.MUL)  # type: ignore[method-assign]
Value.__truediv__, Value.__rtruediv__ = _binary_operator(ops.DIV)  # type: ignore[method-assign]


def _many_inputs(op: Op) -> Callable[[tuple[Value, ...]], Value]:
    """An n-ary op (``dot``, ``sum``) as a function of its parents, made once per record, as
    :func:`_one_input`."""
    domain, rule, direct = op.domain, op.forward, direct_function(op, FLOAT_MATH)

    def apply(parents: tuple[Value, ...]) -> Value:
        numbers_in = [parent.data for parent in parents]  # (a list comprehension is twice as
        if domain is not None and not domain.contains(*numbers_in):  # fast as attrgetter)
            raise domain_error(op, parents)
        try:
            data = rule(FLOAT_MATH, *numbers_in) if direct is None else direct(*numbers_in)
        except (ArithmeticError, ValueError) as error:
            raise forward_error(op, parents, error) from None
        if data - data != 0.0:
            raise non_finite_result(op, parents, data)
        mode = _current_mode()
        if mode is not None:
            return _node_in_mode(mode, data, op, parents)
        node = _new(Value)
        node.data = data
        node.grad = 0.0
        node.label = ""
        node.op = op
        node.serial = next_serial()
        if len(parents) > 2:  # as link() records them, without the call
            node._first, node._second = parents, MANY
        else:
            link(node, parents)
        return node

    apply.__name__ = apply.__qualname__ = op.name
    return apply


def _applyn(op: Op, parents: tuple[Value, ...]) -> Value:
    """``op`` applied to ``parents`` for any n-ary record (see :func:`_many_inputs`)."""
    return (_MANY_INPUTS.get(op) or _made(op, _many_inputs))(parents)


_MANY_INPUTS = {op: _many_inputs(op) for op in OPS.values() if op.arity < 0}
_apply_dot = _MANY_INPUTS[ops.DOT]


def _constant(number: object) -> Value:
    """A plain number as a constant leaf; NotImplemented for anything that is not a real number,
    ValueError for NaN or ±inf."""
    if number.__class__ is Value or isinstance(number, Value):
        return number
    if (
        number.__class__ is float
        or number.__class__ is int
        or (isinstance(number, numbers.Real) and not isinstance(number, bool))
    ):
        try:
            data = float(number)
        except OverflowError:
            data = float("inf")  # an int too large for a float: refused just below
        if data - data != 0.0:
            raise ValueError(f"a constant in an expression must be a finite number, got {number!r}")
        node = _new(Value)
        node.data = data
        node.grad = 0.0
        node.label = ""
        node.op = CONSTANT
        node.serial = next_serial()
        node._first = node._second = None
        return node
    return NotImplemented  # type: ignore[no-any-return]


def as_value(x: Value | Number, where: str = "argument") -> Value:
    """``x`` itself if it is a Value, else a constant leaf; TypeError for anything else."""
    value = _constant(x)
    if value is NotImplemented:
        raise TypeError(
            f"{where} needs a Value or a real number, got {x!r} of type {type(x).__name__}"
        )
    return value


# ---- the op methods and functions, made from the records -----------------------------------------


def _applied_elsewhere(op: Op, inputs: Sequence[object]) -> Any:
    """``op`` applied by another reading's number type among ``inputs``, or None.

    The module functions (``autograd.sin``, ``dot``, …) serve other number types too: a type with
    an ``__apply_op__(op, inputs)`` static method applies op records itself (forward mode's
    :class:`~autograd.core.forward.Dual` does), so the same user function runs on it.
    """
    for x in inputs:
        apply = getattr(type(x), "__apply_op__", None)
        if apply is not None:
            return apply(op, inputs)
    return None


def apply_op(op: Op, *inputs: Value | Number) -> Value:
    """Apply an op record to Values (or numbers): the op author's way to use a new record.

    stepgrad's own ops are applied by Value's operators and methods; a record you write yourself
    (see :mod:`autograd.core.ops`) is applied with this, and then traces, drawings, gradcheck and the
    compiler all read it like any other.
    """
    try:
        values = tuple(as_value(x, op.name) for x in inputs)
    except TypeError:
        elsewhere = _applied_elsewhere(op, inputs)
        if elsewhere is None:
            raise
        return elsewhere  # type: ignore[no-any-return]
    if op.arity >= 0 and len(values) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} inputs, got {len(values)}")
    if op.arity == 1:
        return _apply1(op, *values)
    if op.arity == 2:
        return _apply2(op, *values)
    return _applyn(op, values)


def _method(op: Op) -> Callable[..., Value]:
    """``x.sin()`` for a function op, ``x.f(y)`` for one of two inputs."""

    def method(self: Value, *others: Value | Number) -> Value:
        return apply_op(op, self, *others)

    chosen = _ONE_INPUT[op] if op.arity == 1 else method
    chosen.__name__, chosen.__qualname__ = op.name, f"Value.{op.name}"
    chosen.__doc__ = f"{op.doc} (op {op.name!r})"
    return chosen


def _function(op: Op) -> Callable[..., Value]:
    """``autograd.sin(x)`` for a Value or a plain number."""
    apply = _ONE_INPUT.get(op)

    def function(*inputs: Value | Number) -> Value:
        if len(inputs) == 1 and apply is not None and inputs[0].__class__ is Value:
            return apply(inputs[0])
        return apply_op(op, *inputs)

    function.__name__ = function.__qualname__ = op.name
    function.__doc__ = f"{op.doc}, for Values or plain numbers (op {op.name!r}); returns a Value."
    return function


_FUNCTION_OPS = [op for op in OPS.values() if op.notation.kind == "function"]
for _op in _FUNCTION_OPS:
    setattr(Value, _op.name, _method(_op))
Value.__abs__ = vars(Value)["abs"]  # type: ignore[method-assign]  # abs(x) is x.abs()

OP_FUNCTIONS: dict[str, Callable[..., Value]] = {op.name: _function(op) for op in _FUNCTION_OPS}
"""``autograd.exp``, ``autograd.sin``, …: one function per op written as a function."""


def dot(
    ws: Sequence[Value | Number], xs: Sequence[Value | Number], bias: Value | Number | None = None
) -> Value:
    """Σ wᵢ·xᵢ (+ bias) as one node (op ``dot``) instead of 2n: a neuron's pre-activation.

    Its local derivatives are the other vector's values: ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂bias = 1.
    """
    n = len(ws)
    if not n or len(xs) != n:
        raise ValueError(
            f"dot needs two sequences of the same, nonzero length; got {n} "
            f"weights and {len(xs)} inputs"
        )
    parents = (*ws, *xs) if bias is None else (*ws, *xs, bias)  # as ops.dot_parts reads them
    try:
        return _apply_dot(parents)  # type: ignore[arg-type]  # usually all are Values
    except AttributeError:  # a plain number among them has no .data: make it a constant
        if all(isinstance(p, Value) for p in parents):
            raise
    # Outside the except block, so an error here is not shown "during handling" of the
    # AttributeError, which only meant "not all Values".
    return apply_op(ops.DOT, *parents)


def sum_values(xs: Iterable[Value | Number]) -> Value:
    """x1 + x2 + … + xn as one node (op ``sum``) instead of n - 1 additions; the empty sum is a
    constant 0."""
    inputs = tuple(xs)
    if not inputs:
        return as_value(0.0)
    try:
        parents = tuple(as_value(v, "sum_values") for v in inputs)
    except TypeError:
        elsewhere = _applied_elsewhere(ops.SUM, inputs)
        if elsewhere is None:
            raise
        return elsewhere  # type: ignore[no-any-return]
    return _applyn(ops.SUM, parents)


def _pow(x: Value | Number, c: Value | Number) -> Value:
    """x ** c with the exponent treated as a constant (the ``pow`` op), whatever its type."""
    return _apply2(ops.POW, as_value(x, "pow"), as_value(c, "pow"))


def _nary(op: Op) -> Callable[..., Value]:
    return lambda *args: _applyn(op, tuple(as_value(a, op.name) for a in args))


VALUE_MATH = MathNamespace(
    "Value",
    {
        name: _pow if name == "pow" else OP_FUNCTIONS.get(name) or _nary(OPS[name])
        for name in ops.MATH_FUNCTIONS
    },
)
"""The Value reading of the op rules: used by ``backward(create_graph=True)``, so that gradients
are graphs that can be differentiated again."""

Value.graph_math = VALUE_MATH
