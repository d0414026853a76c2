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
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NoReturn

from ..core.ops import OPS
from ..core.value import OP_FUNCTIONS, Value

__all__ = ["Expression", "ExpressionError", "parse", "FUNCTIONS", "parse_assignments"]

FUNCTIONS: dict[str, Callable[[Value | float], Value]] = {
    name: function for name, function in OP_FUNCTIONS.items() if OPS[name].arity == 1
}
"""The functions an expression may call: every op of one input written as a function."""
_BINARY: dict[type[ast.operator], Callable[[Value | float, Value | float], Value]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Value], Value]] = {
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
        return output if isinstance(output, Value) else Value(output)  # "3" is a graph of one


def _column(text: str, node: ast.AST) -> tuple[int, int]:
    """1-based character column and width of ``node`` (ast counts UTF-8 bytes)."""
    encoded = text.encode("utf-8")
    start_offset: int = getattr(node, "col_offset", 0)
    start = len(encoded[:start_offset].decode("utf-8", "replace"))
    end_offset: int = getattr(node, "end_col_offset", None) or start_offset + 1
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
        with warnings.catch_warnings():  # "1if x" or "x is 1": the whitelist below answers these
            warnings.simplefilter("ignore", SyntaxWarning)
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
    except ValueError as error:  # e.g. a NUL character, which no command line can carry anyway
        raise ExpressionError(text, f"not a valid expression ({error})") from None
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        _check(text, node, called)
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


def _check(text: str, node: ast.AST, called: set[int]) -> None:
    """Reject ``node`` unless the whitelist allows it; ``called`` holds the ids of the nodes that
    are called (the ``sin`` of ``sin(x)``), the only place a function's name may stand."""

    def reject(message: str, at: ast.AST = node) -> NoReturn:
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
        if isinstance(node.value, int) and node.value.bit_length() > 1024:  # > 1.8e308
            reject(
                f"this number ({_column(text, node)[1]} digits) is too large for a float "
                "(the largest is about 1.8e308)"
            )
        return
    if isinstance(node, ast.Name):
        if not node.id.isidentifier() or node.id.startswith("_"):
            reject(f"{node.id!r} is not allowed as a name")
        if node.id in FUNCTIONS and id(node) not in called:
            reject(
                f"{node.id!r} is a function, not a value: call it, as in {node.id}(x), "
                "or name the value something else"
            )
        return
    if isinstance(node, ast.Call):
        allowed = ", ".join(FUNCTIONS)
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            column, width = _column(text, node.func)
            shown = text[column - 1 : column - 1 + width]
            shown = shown if len(shown) <= 30 else shown[:29] + "…"
            reject(f"{shown!r} is not a function you can call here (allowed: {allowed})", node.func)
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            reject(f"{node.func.id}() takes exactly one argument, written plainly")
        return
    kind = type(node).__name__
    reject(
        f"{kind} is not allowed; only numbers, names, + - * / **, unary minus and "
        f"calls of {', '.join(FUNCTIONS)} are"
    )


def _build(root: ast.AST, leaves: dict[str, Value]) -> Value | float:
    """Turn the checked tree into Values, children before parents.

    The walk keeps its own stack instead of recursing, so an expression of a thousand terms or a
    thousand minus signs (well under the length limit) builds like any other.
    """
    built: dict[int, Value | float] = {}  # id(ast node) -> its Value (or number, for a constant)
    stack: list[tuple[ast.AST, bool]] = [(root, False)]
    while stack:
        node, children_built = stack.pop()
        children = _children(node)
        if not children_built and children:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
            continue
        built[id(node)] = _combine(node, [built.pop(id(child)) for child in children], leaves)
    return built[id(root)]


def _children(node: ast.AST) -> list[ast.AST]:
    """The sub-expressions ``node`` is computed from, left to right."""
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.Call):
        return [node.args[0]]
    return []


def _combine(node: ast.AST, inputs: list[Value | float], leaves: dict[str, Value]) -> Value | float:
    """One node of the tree as a Value op (or a number), given its inputs' Values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        (operand,) = inputs
        return _UNARY[type(node.op)](operand if isinstance(operand, Value) else Value(operand))
    if isinstance(node, ast.BinOp):
        left, right = inputs
        if not isinstance(left, Value) and not isinstance(right, Value):
            left = Value(left)  # keep constant arithmetic in the graph, where errors are explained
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return FUNCTIONS[node.func.id](inputs[0])
    raise AssertionError(f"unchecked node {type(node).__name__}")  # parse() rejects these


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["x=1.5", "y=-2"]`` as ``{"x": 1.5, "y": -2.0}``, with a clear error for a bad item."""
    values: dict[str, float] = {}
    for item in items:
        name, sep, number = item.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as Python reads names in EXPR
        if not sep or not name.isidentifier():
            raise ValueError(f"{item!r}: give a value as NAME=NUMBER, for example x=1.5")
        if name in FUNCTIONS:
            raise ValueError(f"{item!r}: {name} is a function; give values to other names")
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
