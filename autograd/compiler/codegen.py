"""Compile a function to straight-line Python: its forward pass, then its backward pass.

    >>> def loss(w, x):
    ...     return (w * x).tanh()
    >>> compiled = compile(loss, 0.5, 2.0)
    >>> value, (dw, dx) = compiled(0.5, 2.0)
    >>> print(compiled.source)  # doctest: +SKIP
    def compiled(inputs):
        w, x = inputs
        # forward
        v1 = w * x
        f = tanh(v1)
        # backward
        d_f = 1.0
        d_v1 = (1.0 - f * f) * d_f
        d_w = x * d_v1
        d_x = w * d_v1
        return f, (d_w, d_x)

:func:`compile` traces ``f`` once on Values, then writes one statement per node, named after the
labels (or ``v1``, ``v2``, … for unlabelled nodes), forward in creation order and backward in
reverse, exactly as a person would write the textbook's two passes by hand. Every expression in
it is the op record's own rule rendered as Python, so no derivative rule is written twice. (Where
an unnamed temporary's gradient is a plain copy of another, as through ``+``, the copy is not
written out and the other name is used.) The
result runs on plain floats, many times faster than building a graph on every call.

**Tracing bakes in Python control flow**, as in JAX: an ``if`` in ``f`` is decided once, at trace
time, for the example arguments. Comparisons of Values (``x > 0``) are recorded as guards and
checked on every call; a call that would take another branch raises :class:`BranchChanged`
instead of returning a wrong gradient. Reading ``.data`` is invisible to the tracer, so branch on
Values, not on their numbers. The kink of relu (or abs) is part of the op, not a branch, and
needs no guard.

Safety: variable names come from a sanitizer (ASCII letters, digits and underscores, never a
label as given); labels appear only in comments, escaped. The generated source is executed only
after that.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core import ops
from ..core.errors import finite_number as _real
from ..core.functional import parameter_names
from ..core.graph import topological_order
from ..core.modes import Recorder, recording, user_location
from ..core.ops import FLOAT_MATH
from ..core.value import Value
from ..readers.formula import Expr, _apply, forward_formula, local_derivative_formulas

# compile is public too (autograd.compiler.compile), but kept out of __all__ so that
# `from autograd.compiler import *` cannot shadow Python's builtin compile.
__all__ = [
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]


class BranchChanged(RuntimeError):
    """A call of a compiled function would take another branch than the traced one."""


@dataclass(frozen=True)
class Guard:
    """A comparison made while recording for the compiler: ``left <op> right`` came out ``outcome``."""

    left: Value
    op: str
    right: Value | float
    outcome: bool
    location: str


class _GuardRecorder(Recorder):
    """Keeps every comparison of Values made while a function is recorded, as a guard."""

    def __init__(self) -> None:
        self.guards: list[Guard] = []

    def compared(self, left: Any, op: str, right: Any, outcome: bool) -> None:
        self.guards.append(Guard(left, op, right, outcome, user_location()))


_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "λ": "lambda_",
    "μ": "mu",
    "σ": "sigma",
    "φ": "phi",
    "ω": "omega",
    "ℓ": "ell",
    "∂": "d",
}
_RUNTIME = FLOAT_MATH.functions()  # the generated code calls the float reading's functions
_RESERVED = set(_RUNTIME) | {"inputs", "compiled", "math", "_branch_changed"} | set(dir(builtins))


def sanitize(label: str) -> str:
    """A Python identifier made from ``label``: Greek letters spelled out, everything that is not
    an ASCII letter, digit or underscore replaced by ``_``. The result may still need a suffix to
    be unique (see :class:`_Namer`)."""
    text = "".join(_GREEK.get(ch, ch) for ch in label)
    text = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "v"
    if text[0].isdigit():
        text = "v" + text
    return text


class _Namer:
    """Unique, safe variable names: values never start with ``d_`` (the gradients' prefix),
    never shadow the runtime functions or builtins, and never repeat."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.counter = 0

    def name(self, label: str) -> str:
        if not label:
            self.counter += 1
            base = f"v{self.counter}"
        else:
            base = sanitize(label)
        if base.startswith("d_") or base in _RESERVED or keyword.iskeyword(base):
            base = "v_" + base
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}_{n}"
        self.taken.add(candidate)
        return candidate


def _comment(label: str) -> str:
    """A label as a comment: repr() escapes newlines and quotes, so it cannot end the comment."""
    return f"  # {label!r}" if label else ""


def _python(x: object) -> str:
    return x.python() if isinstance(x, Expr) else repr(float(x))  # type: ignore[arg-type]


@dataclass
class Compiled:
    """A compiled function: call it like the original to get ``(value, gradients)``.

    ``gradients`` mirrors the arguments: a float for a number, a list for a list. ``source`` is the
    generated Python.
    """

    source: str
    function: Callable[[Sequence[float]], tuple[float, tuple[float, ...]]] = field(repr=False)
    shapes: tuple[Any, ...] = ()
    guards: tuple[Guard, ...] = ()

    def __call__(self, *args: Any) -> tuple[float, Any]:
        if len(args) != len(self.shapes):
            raise TypeError(
                f"the compiled function takes {len(self.shapes)} arguments, got {len(args)}"
            )
        flat: list[float] = []
        for index, (arg, shape) in enumerate(zip(args, self.shapes)):
            _flatten(arg, shape, flat, f"argument {index}")
        try:
            value, grads = self.function(flat)
        except (ValueError, ArithmeticError) as error:
            raise type(error)(
                f"compiled function failed ({error}); call the uncompiled function "
                "with the same arguments to see which op and node"
            ) from None
        position = [0]
        return value, tuple(_unflatten(shape, grads, position) for shape in self.shapes)

    def raw(self, flat: Sequence[float]) -> tuple[float, tuple[float, ...]]:
        """Call with the inputs already flattened (the fastest way in a training loop)."""
        return self.function(flat)


def _shape(arg: Any, where: str) -> Any:
    """None for a number, else a tuple of the items' shapes."""
    if isinstance(arg, (list, tuple)):
        return tuple(_shape(item, f"{where}[{i}]") for i, item in enumerate(arg))
    _real(arg.data if isinstance(arg, Value) else arg, where)
    return None


def _flatten(arg: Any, shape: Any, out: list[float], where: str) -> None:
    if shape is None:
        if isinstance(arg, (list, tuple)):
            raise TypeError(f"{where}: expected a number, got a {type(arg).__name__}")
        out.append(_real(arg.data if isinstance(arg, Value) else arg, where))
        return
    if not isinstance(arg, (list, tuple)) or len(arg) != len(shape):
        got = f"{len(arg)} items" if isinstance(arg, (list, tuple)) else type(arg).__name__
        raise TypeError(
            f"{where}: the compiled function was traced with {len(shape)} items here, "
            f"got {got}; compile again for another shape"
        )
    for i, (item, sub) in enumerate(zip(arg, shape)):
        _flatten(item, sub, out, f"{where}[{i}]")


def _unflatten(shape: Any, flat: Sequence[float], position: list[int]) -> Any:
    if shape is None:
        position[0] += 1
        return flat[position[0] - 1]
    return [_unflatten(sub, flat, position) for sub in shape]


def _leaves(arg: Any, shape: Any, label: str) -> Any:
    if shape is None:
        return Value(arg.data if isinstance(arg, Value) else arg, label)
    return [_leaves(item, sub, f"{label}[{i}]") for i, (item, sub) in enumerate(zip(arg, shape))]


def _flat_leaves(tree: Any) -> list[Value]:
    if isinstance(tree, Value):
        return [tree]
    return [leaf for item in tree for leaf in _flat_leaves(item)]


class CompiledOnFirstCall:
    """``@compile`` without example arguments: compiles on the first call, and again for each
    new shape of arguments (as ``jax.jit`` does), keeping every compiled version."""

    def __init__(self, f: Callable[..., Value]) -> None:
        self.f = f
        self.versions: dict[tuple[Any, ...], Compiled] = {}
        functools.update_wrapper(self, f)

    def __call__(self, *args: Any) -> tuple[float, Any]:
        shapes = tuple(_shape(arg, f"argument {i}") for i, arg in enumerate(args))
        compiled = self.versions.get(shapes)
        if compiled is None:
            compiled = self.versions[shapes] = _compile_now(self.f, *args)
        return compiled(*args)


def compile(f: Callable[..., Value], *example_args: Any) -> Compiled | CompiledOnFirstCall:  # noqa: A001
    """Trace ``f`` on ``example_args`` (numbers, or nested lists of numbers) and compile it.

    The result takes arguments of the same shapes and returns ``(value, gradients)``. Without
    example arguments (``@autograd.compile`` as a decorator), ``f`` is compiled on its first call
    and again for each new shape of arguments.
    """
    if not example_args:
        return CompiledOnFirstCall(f)
    return _compile_now(f, *example_args)


def _compile_now(f: Callable[..., Value], *example_args: Any) -> Compiled:
    names = parameter_names(f)
    shapes = tuple(_shape(arg, f"argument {i}") for i, arg in enumerate(example_args))
    trees = [
        _leaves(arg, shape, names[i] if i < len(names) else f"arg{i}")
        for i, (arg, shape) in enumerate(zip(example_args, shapes))
    ]
    recorder = _GuardRecorder()
    with recording(recorder):
        output = f(*trees)
    guards = recorder.guards
    if not isinstance(output, Value):
        raise TypeError(f"compile needs f to return a Value, got {type(output).__name__}")
    inputs = [leaf for tree in trees for leaf in _flat_leaves(tree)]
    compiled = compile_graph(output, inputs, guards=guards)
    compiled.shapes = shapes
    return compiled


def compile_graph(
    output: Value,
    inputs: Sequence[Value],
    *,
    wrt: Sequence[Value] | None = None,
    guards: Sequence[Guard] = (),
) -> Compiled:
    """Compile an existing graph: the generated function takes the numbers of ``inputs`` (leaves
    of the graph, in order) and returns ``(output, gradients with respect to wrt)``; ``wrt``
    defaults to all inputs. Other leaves are baked in as constants with their current numbers.
    """
    inputs = list(inputs)
    wrt = inputs if wrt is None else list(wrt)
    order = list(reversed(topological_order([output])))  # creation order
    in_graph = set(order)
    namer = _Namer()
    symbol: dict[Value, Any] = {}
    for node in inputs:
        symbol[node] = Expr.symbol(namer.name(node.label))
    lines = ["def compiled(inputs):"]
    lines.append(
        f"    {', '.join(symbol[n].name for n in inputs)}{',' if len(inputs) == 1 else ''} = inputs"
        if inputs
        else "    pass"
    )
    lines.append("    # forward")
    guard_at = _guards_by_node(guards)
    conditions: dict[int, str] = {}
    for node in order:
        if node in symbol:
            pass
        elif node.is_leaf:
            symbol[node] = node.data  # a constant, or a leaf that is not an input: baked in
        else:
            label = node.label or ("f" if node is output else "")
            symbol[node] = Expr.symbol(namer.name(label))
            assert node.op is not None  # an op made every node that is not a leaf
            formula = forward_formula(node.op, tuple(symbol[p] for p in node.parents))
            lines.append(f"    {symbol[node].name} = {_python(formula)}{_comment(node.label)}")
        for index, guard in guard_at.get(node, ()):
            condition = _condition(guard, symbol)
            conditions[index] = condition
            lines.append(
                f"    if {'not ' if guard.outcome else ''}{condition}: _branch_changed({index})"
            )
    if output not in symbol or not isinstance(symbol[output], Expr):
        symbol[output] = Expr.symbol(namer.name("out"))
        lines.append(f"    {symbol[output].name} = {float(output.data)!r}")

    # Only nodes on a path to a wanted input need gradients.
    wanted = set(wrt)
    needed = set(wrt)
    for node in order:
        if any(p in needed for p in node.parents):
            needed.add(node)
    lines.append("    # backward")
    grad: dict[Value, str] = {}
    if output in needed:
        grad[output] = "d_" + symbol[output].name
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
            own = "d_" + symbol[parent].name
            if parent not in grad:
                if contribution is upstream and not parent.label and parent not in wanted:
                    grad[parent] = grad[node]  # a copy into an unnamed temporary: reuse the name
                else:
                    grad[parent] = own
                    lines.append(f"    {own} = {_python(contribution)}")
            elif grad[parent] != own:  # it was sharing another node's name: give it its own now
                lines.append(f"    {own} = {grad[parent]} + {_python(contribution)}")
                grad[parent] = own
            else:
                lines.append(f"    {own} += {_python(contribution)}")
    results = ", ".join(grad.get(n, "0.0") if n in in_graph else "0.0" for n in wrt)
    lines.append(f"    return {_python(symbol[output])}, ({results}{',' if len(wrt) == 1 else ''})")
    source = "\n".join(lines) + "\n"
    namespace = dict(_RUNTIME)
    namespace["_branch_changed"] = _branch_changed(list(guards), conditions)
    code = builtins.compile(source, "<stepgrad compiled>", "exec")
    exec(code, namespace)
    return Compiled(source, namespace["compiled"], tuple(None for _ in inputs), tuple(guards))


def _scaled(local: float, upstream: Expr) -> Any:
    """``local · upstream`` for a plain-number local derivative, tidied (1 → upstream)."""
    return _apply(ops.MUL, local, upstream)


_COMPARE = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _guards_by_node(guards: Sequence[Guard]) -> dict[Value, list[tuple[int, Guard]]]:
    """Each guard, placed after the later-created of the nodes it compares."""
    placed: dict[Value, list[tuple[int, Guard]]] = {}
    for index, guard in enumerate(guards):
        nodes = [guard.left] + ([guard.right] if isinstance(guard.right, Value) else [])
        last = max(nodes, key=lambda n: n.serial)
        placed.setdefault(last, []).append((index, guard))
    return placed


def _condition(guard: Guard, symbol: dict[Value, Any]) -> str:
    """A traced comparison as Python, re-checked on every call: ``(x > 0.0)``."""
    left = _python(symbol.get(guard.left, guard.left.data))
    right = guard.right
    right_text = _python(symbol.get(right, right.data)) if isinstance(right, Value) else repr(right)
    return f"({left} {_COMPARE[guard.op]} {right_text})"


def _branch_changed(guards: list[Guard], conditions: dict[int, str]) -> Callable[[int], None]:
    def fail(index: int) -> None:
        guard = guards[index]
        raise BranchChanged(
            f"this call takes another branch than the traced one: {conditions[index]} (compared "
            f"at {guard.location}) was {guard.outcome} when traced and is not now. Compile again "
            f"for these inputs, or write the choice with ops (relu, abs, …), which need no branch."
        )

    return fail
