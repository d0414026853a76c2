"""Expressions typed by a person, such as ``"sin(x * y) + x ** 2"``, turned into a graph safely.

The text is parsed with Python's :mod:`ast` and checked against a whitelist: numbers, names,
``+ - * / **``, unary minus and plus, and calls of the op functions (``exp``, ``sin``, …) with one
argument. Nothing else is accepted (no attributes, subscripts, strings, keywords or other calls),
and nothing is ever passed to ``eval``: the checked tree is walked and each node becomes a Value
op. An error says what is wrong and points at it::

    stepgrad: expression error at column 5: 'open' is not a function you can call here (...)
      sin(open('x'))
          ^^^^
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.ops import OPS
from ..core.value import OP_FUNCTIONS, Value

__all__ = ["Expression", "ExpressionError", "parse", "FUNCTIONS", "parse_assignments"]

FUNCTIONS: dict[str, Callable[..., Value]] = {
    name: function for name, function in OP_FUNCTIONS.items() if OPS[name].arity == 1
}
"""The functions an expression may call: every op of one input written as a function."""
_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
MAX_LENGTH = 2000


class ExpressionError(ValueError):
    """A rejected expression; ``column`` (1-based) and ``width`` locate the offending part."""

    def __init__(self, text: str, message: str, column: int = 0, width: int = 1) -> None:
        self.text, self.message, self.column, self.width = text, message, column, max(width, 1)
        pointer = ""
        if column:
            pointer = f"\n  {text}\n  {' ' * (column - 1)}{'^' * self.width}"
        where = f" at column {column}" if column else ""
        super().__init__(f"expression error{where}: {message}{pointer}")


@dataclass(frozen=True)
class Expression:
    """A checked expression: evaluate it with values for its names."""

    text: str
    tree: ast.Expression
    names: tuple[str, ...]

    def evaluate(self, values: Mapping[str, float]) -> Value:
        """Build the graph: each name becomes one leaf Value labelled with that name."""
        missing = [name for name in self.names if name not in values]
        if missing:
            raise ExpressionError(
                self.text,
                f"no value given for {', '.join(missing)} (give one as {missing[0]}=NUMBER)",
            )
        leaves = {name: Value(values[name], name) for name in self.names}
        output = _build(self.tree.body, leaves)
        return output if isinstance(output, Value) else Value(output)


def _column(text: str, node: ast.AST) -> tuple[int, int]:
    """1-based character column and width of ``node`` (ast counts UTF-8 bytes)."""
    encoded = text.encode("utf-8")
    col_offset: int = getattr(node, "col_offset", 0)
    start = len(encoded[:col_offset].decode("utf-8", "replace"))
    end_offset = getattr(node, "end_col_offset", None) or col_offset + 1
    end = len(encoded[:end_offset].decode("utf-8", "replace"))
    return start + 1, end - start


def parse(text: str) -> Expression:
    """Check ``text`` against the whitelist; raises :class:`ExpressionError` naming the problem."""
    if not isinstance(text, str):
        raise TypeError(f"an expression is text, got {type(text).__name__}")
    if "\n" in text or "\r" in text:
        raise ExpressionError(text.replace("\n", " "), "an expression must fit on one line")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:40] + "…", f"longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError(text, "the expression is empty")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        if error.offset:  # counted in characters (unlike ast's col_offset, in bytes)
            raise ExpressionError(
                text, f"not a valid expression ({error.msg})", error.offset
            ) from None
        # Python gives no offset when the text ends too soon: point just past the end.
        raise ExpressionError(
            text, f"not a valid expression ({error.msg}; it ends too soon)", len(text.rstrip()) + 1
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(text, "nested too deeply") from None
    for node in ast.walk(tree):
        _check(text, node)
    ordered = tuple(
        dict.fromkeys(
            n.id
            for n in sorted(
                (n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS),
                key=lambda n: n.col_offset,
            )
        )
    )
    return Expression(text, tree, ordered)


def _check(text: str, node: ast.AST) -> None:
    def reject(message: str, at: ast.AST = node) -> None:
        raise ExpressionError(text, message, *_column(text, at))

    if (
        isinstance(node, (ast.Expression, ast.Load))
        or type(node) in _BINARY
        or type(node) in _UNARY
    ):
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            reject(f"the operator {type(node.op).__name__} is not allowed; use + - * / **")
        return
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            reject("only unary minus and plus are allowed")
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            reject(
                f"{node.value!r} is not a number; only numbers, names and + - * / ** are allowed"
            )
        if isinstance(node.value, float) and not math.isfinite(node.value):
            reject("numbers must be finite")
        return
    if isinstance(node, ast.Name):
        if not node.id.isidentifier() or node.id.startswith("_"):
            reject(f"{node.id!r} is not allowed as a name")
        return
    if isinstance(node, ast.Call):
        allowed = ", ".join(FUNCTIONS)
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            reject(f"{shown!r} is not a function you can call here (allowed: {allowed})", node.func)
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            reject(f"{ast.unparse(node.func)}() takes exactly one argument, written plainly")
        return
    kind = type(node).__name__
    reject(
        f"{kind} is not allowed; only numbers, names, + - * / **, unary minus and "
        f"calls of {', '.join(FUNCTIONS)} are"
    )


def _build(node: ast.AST, leaves: dict[str, Value]) -> Value | float:
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # parse() let only numbers through
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _build(node.operand, leaves)
        result: Value = _UNARY[type(node.op)](
            operand if isinstance(operand, Value) else Value(operand)
        )
        return result
    if isinstance(node, ast.BinOp):
        left, right = _build(node.left, leaves), _build(node.right, leaves)
        if not isinstance(left, Value) and not isinstance(right, Value):
            left = Value(left)  # keep constant arithmetic in the graph, where errors are explained
        result = _BINARY[type(node.op)](left, right)
        return result
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return FUNCTIONS[node.func.id](_build(node.args[0], leaves))
    raise AssertionError(f"unchecked node {type(node).__name__}")  # parse() rejects these


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["x=1.5", "y=-2"]`` as ``{"x": 1.5, "y": -2.0}``, with a clear error for a bad item."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, number = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name in FUNCTIONS:
            raise ValueError(f"{item!r}: give a value as NAME=NUMBER, for example x=1.5")
        try:
            value = float(number)
        except ValueError:
            raise ValueError(f"{item!r}: {number.strip()!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"{item!r}: the value must be a finite number")
        if name in values:
            raise ValueError(f"{name} is given twice")
        values[name] = value
    return values
