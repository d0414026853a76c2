"""Straight-line code: one statement per node, forward in creation order, backward in reverse.

This is the float reading of a recording, the code a person would write for the textbook's two
passes. Every expression is an op record's own rule rendered as Python (through the formula
reading, :mod:`autograd.readers.formula`), so no derivative rule is written twice. Where an
unnamed temporary's gradient is a plain copy of another, as through ``+``, the copy is not
written out and the other name is used.

The code checks as much as the interpreter does, cheaply: an op with a domain gets the record's
own domain check, and ``_check_finite`` sums every value and every gradient at the end, which
catches a NaN or an infinity anywhere (either makes the sum non-finite). A failed check raises
:class:`Refused`, and the caller replays the recording through the interpreter, which raises the
exact error naming the op and node (see :class:`~autograd.compiler.straight_line.Compiled`).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..core import ops
from ..core.ops import FLOAT_MATH, Op
from ..core.value import Value
from ..readers.display import Names
from ..readers.formula import Expr, Operand, _apply, forward_formula, local_derivative_formulas
from ..readers.formula import render as render_formula
from .naming import Namer, comment, number
from .recording import SYMBOLS, Guard, Recording, Shape, branch_changed, flatten, unflatten

__all__ = ["Refused", "python_source", "emit", "RUNTIME", "Compiled", "compile_recording"]

RUNTIME: dict[str, Any] = FLOAT_MATH.functions()
"""The functions float code calls, by op name: the float reading of the op records."""


class Refused(Exception):
    """Raised inside compiled code when a check fails; the caller then asks the interpreter."""


def _refused() -> None:
    raise Refused


def _check_finite(*numbers: float) -> None:
    """Refuse if any number is NaN or ±inf: then their sum is too. (A sum of finite numbers that
    overflows refuses as well; the interpreter then finds nothing wrong, and its numbers are used.)"""
    if not math.isfinite(sum(numbers)):
        raise Refused


def _calls(op: Op) -> Op:
    """``op`` spelled as a call of its runtime function (``relu(x)``), for code whose operands
    are arrays, where a template such as ``(x if x > 0.0 else 0.0)`` cannot work."""
    return replace(op, notation=replace(op.notation, python=op.name))


_AS_CALLS = {
    op: _calls(op)
    for op in ops.OPS.values()
    if op.notation.kind == "function" and "{0}" in op.notation.python
}


def _prepared(x: Operand, calls: bool) -> Operand:
    if not isinstance(x, Expr):
        return x if math.isfinite(x) else Expr.symbol(number(x))
    if x.op is None:
        return x
    op = _AS_CALLS.get(x.op, x.op) if calls else x.op
    return Expr(op, tuple(_prepared(arg, calls) for arg in x.args))


def python_source(x: Operand, *, calls: bool = False) -> str:
    """A formula as Python source. ``calls=True`` spells every function op as a call of its
    runtime function, for array code."""
    if not isinstance(x, Expr):
        return number(x)
    return render_formula(_prepared(x, calls), "python")


def emit(recording: Recording) -> tuple[str, dict[str, Any]]:
    """The float code of ``recording``: the source of ``compiled(inputs)``, which returns
    ``(value, gradients)``, and the namespace to run it in."""
    namer = Namer(set(RUNTIME))
    symbol: dict[Value, Operand] = {}
    inputs = recording.inputs
    for node in inputs:
        symbol[node] = Expr.symbol(namer.name(node.label))
    names = [_name(symbol[n]) for n in inputs]
    lines = ["def compiled(inputs):"]
    lines.append(
        f"    {', '.join(names)}{',' if len(names) == 1 else ''} = inputs" if names else ""
    )
    lines.append("    # forward")
    namespace: dict[str, Any] = dict(RUNTIME)
    namespace.update(_refused=_refused, _check_finite=_check_finite)
    guards_at = recording.guard_positions()
    shown = _display_names(recording)
    checked: list[str] = []  # every value computed: one sum checks them all
    for node in recording.order():
        if node not in symbol:
            statement = _forward(node, recording, symbol, namer, namespace, shown)
            if statement:
                lines.append(statement)
                checked.append(_name(symbol[node]))
        for index in guards_at.get(node, ()):
            guard = recording.guards[index]
            condition = _condition(guard, symbol)
            namespace[f"_branch{index}"] = _branch_error(recording, index, condition)
            lines.append(f"    if {'not ' if guard.outcome else ''}{condition}: _branch{index}()")
    output = recording.output
    if not isinstance(symbol[output], Expr):
        symbol[output] = Expr.symbol(namer.name("out"))
        lines.append(f"    {_name(symbol[output])} = {number(output.data)}")

    lines.append("    # backward")
    gradients, computed = _backward(recording, symbol, namer, lines)
    results = ", ".join(gradients)
    lines.append(f"    _check_finite({', '.join(checked + computed + gradients)})")
    lines.append(
        f"    return {python_source(symbol[output])}, ({results}{',' if len(gradients) == 1 else ''})"
    )
    return "\n".join(line for line in lines if line) + "\n", namespace


DISPLAY_NAMES_UP_TO = 5000
"""Graphs up to this many nodes get the display layer's names in their comments (two leaves
labelled x are x and x₂, as in traces); a larger graph, which nobody reads line by line, shows
labels as written, saving the display layer's pass over every node."""


def _display_names(recording: Recording) -> dict[Value, str] | None:
    nodes = recording.order()
    if len(nodes) > DISPLAY_NAMES_UP_TO:
        return None
    names = Names([recording.output, *recording.extras, *recording.made])
    return {node: names[node] for node in names.nodes if node.label}


def _name(x: Operand) -> str:
    assert isinstance(x, Expr)
    return x.name


def _forward(
    node: Value,
    recording: Recording,
    symbol: dict[Value, Operand],
    namer: Namer,
    namespace: dict[str, Any],
    shown: dict[Value, str] | None,
) -> str:
    """The statement computing ``node`` (with its domain check), or "" when it needs none."""
    stop = recording.stops.get(node)
    if stop is not None and stop[0] is None:  # detach(): the same number, with no gradient
        symbol[node] = symbol[stop[1][0]]
        return ""
    if stop is None and node.is_leaf:
        symbol[node] = node.data  # a constant, or a leaf that is not an input: written in
        return ""
    op = stop[0] if stop is not None else node.op
    assert op is not None
    arguments = tuple(symbol[p] for p in recording.sources(node))
    label = node.label or ("f" if node is recording.output else "")
    symbol[node] = Expr.symbol(namer.name(label))
    text = f"    {_name(symbol[node])} = {python_source(forward_formula(op, arguments))}"
    if node.label:  # the comment names it as traces and drawings do
        text += comment(shown.get(node, node.label) if shown is not None else node.label)
    if op.domain is not None:
        check = domain_check_name(op)
        namespace[check] = op.domain.contains
        listed = ", ".join(python_source(a) for a in arguments)
        text = f"    if not {check}({listed}): _refused()\n{text}"
    return text


def _backward(
    recording: Recording, symbol: dict[Value, Operand], namer: Namer, lines: list[str]
) -> tuple[list[str], list[str]]:
    """Append the backward statements; return the gradients' expressions, one per ``wrt``, and
    the names of the other gradients computed (for the finiteness check)."""
    order = recording.order()
    wanted = set(recording.wrt)
    needed = recording.needing_gradients()
    output = recording.output
    grad: dict[Value, str] = {}
    own_name: dict[Value, str] = {}

    def name_of(node: Value) -> str:
        """``d_x`` for x; a name of its own for a constant or a detached copy (whose symbol is
        a number, or its source's)."""
        if node not in own_name:
            stop = recording.stops.get(node)
            if isinstance(symbol[node], Expr) and not (stop is not None and stop[0] is None):
                own_name[node] = "d_" + _name(symbol[node])
            else:
                own_name[node] = "d_" + namer.name(node.label or "const")
        return own_name[node]

    if output in needed:
        grad[output] = name_of(output)
        lines.append(f"    {grad[output]} = 1.0")
    for node in reversed(order):
        if node not in grad or node.is_leaf:
            continue
        assert node.op is not None
        local_derivatives = local_derivative_formulas(
            node.op, tuple(symbol[p] for p in node.parents), symbol[node]
        )
        upstream = Expr.symbol(grad[node])
        for index, (parent, local) in enumerate(zip(node.parents, local_derivatives)):
            if parent not in needed or index in node.op.constant_inputs:
                continue
            contribution = local * upstream if isinstance(local, Expr) else _scaled(local, upstream)
            own = name_of(parent)
            if parent not in grad:
                if contribution is upstream and not parent.label and parent not in wanted:
                    grad[parent] = grad[node]  # a copy into an unnamed temporary: reuse the name
                else:
                    grad[parent] = own
                    lines.append(f"    {own} = {python_source(contribution)}")
            elif grad[parent] != own:  # it was sharing another node's name: give it its own now
                lines.append(f"    {own} = {grad[parent]} + {python_source(contribution)}")
                grad[parent] = own
            else:
                lines.append(f"    {own} += {python_source(contribution)}")
    in_graph = set(order)
    gradients = [grad.get(n, "0.0") if n in in_graph else "0.0" for n in recording.wrt]
    others = sorted(
        {name for node, name in grad.items() if node not in wanted and node is not output}
    )
    return gradients, others


def domain_check_name(op: Op) -> str:
    """The name generated code calls ``op``'s domain check by: ``_in_domain_log``."""
    return "_in_domain_" + "".join(ch if ch.isalnum() else "_" for ch in op.name)


def _scaled(local: float, upstream: Expr) -> Operand:
    """``local · upstream`` for a plain-number local derivative, tidied (1 → upstream)."""
    return _apply(ops.MUL, local, upstream)


def _condition(guard: Any, symbol: dict[Value, Operand]) -> str:
    """A recorded comparison as Python, re-checked on every call: ``(x > 0.0)``."""
    left = python_source(symbol.get(guard.left, guard.left.data))
    right = guard.right
    right_text = (
        python_source(symbol.get(right, right.data)) if isinstance(right, Value) else number(right)
    )
    return f"({left} {SYMBOLS[guard.op]} {right_text})"


def _branch_error(recording: Recording, index: int, condition: str) -> Callable[[], None]:
    guard = recording.guards[index]

    def fail() -> None:
        raise branch_changed(guard, condition)

    return fail


FlatFunction = Callable[[Sequence[float]], tuple[float, tuple[float, ...]]]


@dataclass
class Compiled:
    """A compiled function: call it like the original to get ``(value, gradients)``.

    ``gradients`` mirrors the arguments: a float for a number, a list for a list. ``source`` is the
    generated Python; ``recording`` the graph it was generated from.
    """

    source: str
    function: FlatFunction = field(repr=False)
    shapes: tuple[Shape, ...] = ()
    guards: tuple[Guard, ...] = ()
    recording: Recording | None = field(default=None, repr=False)

    def __call__(self, *args: Any) -> tuple[float, Any]:
        if len(args) != len(self.shapes):
            raise TypeError(
                f"the compiled function takes {len(self.shapes)} arguments, got {len(args)}"
            )
        flat: list[float] = []
        for index, (arg, shape) in enumerate(zip(args, self.shapes)):
            flatten(arg, shape, flat, f"argument {index}")
        value, grads = self.raw(flat)
        position = [0]
        return value, tuple(unflatten(shape, grads, position) for shape in self.shapes)

    def raw(self, flat: Sequence[float]) -> tuple[float, tuple[float, ...]]:
        """Call with the inputs already flattened, as finite floats (the fastest way in a loop)."""
        try:
            return self.function(flat)
        except (Refused, ArithmeticError, ValueError):
            if self.recording is None:
                raise
        # The slow path: the interpreter raises its own error, naming the op and the node. (If
        # it raises nothing, a check was over-cautious, and its numbers are returned.)
        value, gradients, _extras = self.recording.replay(flat)
        return value, tuple(gradients)


def compile_recording(recording: Recording) -> Compiled:
    """The float code of ``recording``, compiled and ready to call."""
    source, namespace = emit(recording)
    code = builtins.compile(source, "<stepgrad compiled>", "exec")
    exec(code, namespace)
    return Compiled(
        source, namespace["compiled"], recording.shapes, recording.guards, recording=recording
    )
