"""How stepgrad shows a graph to people: one naming policy, one number format, one set of ids.

Every reader (traces, drawings, the HTML stepper, path listings, closed forms, exercises and the
compiler's comments) takes its names, numbers and ids from here, so a node is called the same and a
number reads the same wherever it appears.

**Names.** A labelled node is called by its label. Distinct nodes always get distinct names: when
two leaves are both labelled ``x``, the first is ``x`` and the second ``x₂``. A constant is written
as its number. An unlabelled output is ``f`` (``f1``, ``f2``, … for several outputs). Any other
unlabelled node is written as its own formula when that stays short, so the product inside
``f0 = β0 + ω0·x`` is simply ``ω0·x`` and the local derivative of ``(f3 - y)^2`` reads
``2·(f3 - y)``, as in a textbook; longer formulas, and a formula that would repeat another node's
name, get automatic names ``v1``, ``v2``, … in creation order. With ``style="textbook"`` every
unlabelled op gets a name of its own instead, ``f0, h1, f1, …`` (f for sums and products, h for
functions such as sin or tanh), as Prince's chapter 7 writes its forward pass::

    >>> from autograd import Value
    >>> x, other_x = Value(3.0, "x"), Value(4.0, "x")
    >>> product = x * other_x
    >>> names = Names([product])
    >>> names[x], names[other_x], names[product]
    ('x', 'x₂', 'f')

**Numbers.** :func:`number` writes six significant digits (``0.942489``, ``2``); :func:`operand`
puts a negative number in parentheses for use inside a formula (``2 + (-0.4)``).

**Ids.** A node is ``n<serial>`` (its creation number), the op oval that computes it
``op<serial>``, and the edge from its input number ``i`` is ``e<serial>_<i>``: edges are told apart
by input index, so the two edges of ``x * x`` are ``e7_0`` and ``e7_1``.
"""

from __future__ import annotations

import inspect
import re
import reprlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from ..core.graph import topological_order
from ..core.value import Value
from .formula import Expr, Operand, forward_formula
from .numbers import SIGNIFICANT_DIGITS, json_number, number, operand

__all__ = [
    "Names",
    "INLINE_LIMIT",
    "number",
    "operand",
    "json_number",
    "SIGNIFICANT_DIGITS",
    "subscript",
    "visible",
    "markdown_cell",
    "as_variable",
    "node_id",
    "op_id",
    "edge_id",
    "group_id",
    "Role",
    "Naming",
    "roles",
    "Parameters",
    "checked_parameters",
]

INLINE_LIMIT = 20
"""Longest formula (in characters) an unlabelled node is named by; longer ones get ``v1``, …"""

Naming = Literal["inline", "textbook"]
"""``inline``: an unlabelled node is written as its short formula (``ω0·x``); ``textbook``: every
unlabelled op gets a name of its own, ``f0, h1, f1, …``, one forward row each."""

Role = Literal["output", "parameter", "input", "constant", "intermediate"]

Parameters = Iterable[Value] | Mapping[Any, Value]
"""What a reader's ``parameters=`` takes: Values, or a mapping whose values are Values (the toy
model's ``model.parameters``, name -> Value). Checked by :func:`checked_parameters`."""

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(k: int) -> str:
    """``k`` in subscript digits: ``subscript(12) == '₁₂'``."""
    return str(k).translate(_SUBSCRIPT)


# ---- ids ------------------------------------------------------------------------------------------


def node_id(node: Value) -> str:
    """The id of a node's box (its creation serial): ``n12``."""
    return f"n{node.serial}"


def op_id(node: Value) -> str:
    """The id of the op oval that computes ``node``: ``op12``."""
    return f"op{node.serial}"


def edge_id(node: Value, index: int) -> str:
    """The id of the edge from ``node``'s input number ``index`` (from 0): ``e12_1``."""
    return f"e{node.serial}_{index}"


def group_id(name: str) -> str:
    """The id of a collapsed group's box, made safe for DOT, SVG and CSS: ``g_L1_N3``."""
    return "g_" + re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group()):x}_", name)


def visible(text: str) -> str:
    """``text`` with invisible and control characters written as escapes (a newline as ``\\n``,
    a bell as ``\\x07``), so a label is shown as written and cannot break a table, DOT, SVG or
    HTML. Everything else (Greek, Chinese, backslashes) is kept as it is."""
    if text.isprintable():
        return text
    return "".join(
        char.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        else char
        for char in text
    )


def markdown_cell(text: str) -> str:
    """``text`` safe in a Markdown table cell: ``|`` would end the cell, and ``&``, ``<`` and ``>``
    would be read as HTML (Jupyter renders a label ``<b>`` as bold), so they become ``\\|``,
    ``&amp;``, ``&lt;`` and ``&gt;``, which render as the characters themselves.

    >>> print(markdown_cell("a<b> & c|d"))
    a&lt;b&gt; &amp; c\\|d
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def as_variable(name: str) -> str:
    """A name as the variable of ∂ or grad(): ``h3``, but ``(ω1·h1)`` for a formula."""
    return name if re.fullmatch(r"[\w.₀-₉]+", name) else f"({name})"


# ---- roles ----------------------------------------------------------------------------------------


def checked_parameters(
    output: Value,
    parameters: object,
    where: str = "parameters",
    nodes: Iterable[Value] | None = None,
) -> list[Value]:
    """The Values ``parameters`` names, each checked to be a leaf of ``output``'s graph.

    Every reader that marks parameters (``trace``, ``draw_graph``, ``export_html``, ``Stepper``)
    passes its ``parameters=`` argument through here, so they all accept the same things and
    refuse the same mistakes in the same words. Accepted: any iterable of Values (a list, a
    tuple, ``model.parameters()`` of an ``nn`` module), or a mapping, whose *values* are taken,
    so the toy model's ``toy_model().parameters`` (a dict from name to Value) works as it is.

    Refused, because a wrong ``parameters`` would otherwise match nothing and quietly show every
    leaf as an input:

    * anything that is not a Value, with a TypeError naming ``where``, the position (or the
      mapping's key) and what was given; a method such as ``model.parameters`` passed without
      calling it is told to call it;
    * a Value that is not a leaf of ``output``'s graph (one from another graph, or an
      intermediate node), with a ValueError naming it.

    ``nodes`` is the graph's nodes if the caller has them already.

    >>> from autograd import Value
    >>> w, x = Value(2.0, "w"), Value(3.0, "x")
    >>> [p.label for p in checked_parameters(w * x, {"w": w})]
    ['w']
    >>> checked_parameters(w * x, ["w"])
    Traceback (most recent call last):
    ...
    TypeError: parameters[0] must be a Value (a leaf of the graph), got the str 'w'; pass the \
Values themselves, not their names
    """
    if isinstance(parameters, Value):
        raise TypeError(
            f"{where} must be a list of Values, got one Value, {_described(parameters)}: "
            "put it in a list, [p]"
        )
    if isinstance(parameters, (str, bytes)):
        raise TypeError(
            f"{where} must be a list of Values, got the {type(parameters).__name__} "
            f"{reprlib.repr(parameters)}; pass the Values themselves, not their names"
        )
    if isinstance(parameters, Mapping):
        items: list[tuple[str, object]] = [
            (f"{where}[{key!r}]", value) for key, value in parameters.items()
        ]
    elif isinstance(parameters, Iterable):
        items = [(f"{where}[{i}]", value) for i, value in enumerate(parameters)]
    elif callable(parameters):
        raise TypeError(
            f"{where} must be a list of Values, got the {type(parameters).__name__} "
            f"{_call(parameters)} itself, not called: call it, parameters={_call(parameters)}()"
        )
    else:
        raise TypeError(
            f"{where} must be a list of Values (or a dict of them), got "
            f"{reprlib.repr(parameters)} of type {type(parameters).__name__}"
        )
    graph = list(nodes) if nodes is not None else topological_order([output])
    in_graph = set(graph)
    checked = []
    for position, item in items:
        if not isinstance(item, Value):
            hint = (
                f"; call it: {_call(item)}()"
                if callable(item)
                else "; pass the Values themselves, not their names"
                if isinstance(item, str)
                else ""
            )
            raise TypeError(
                f"{position} must be a Value (a leaf of the graph), got the "
                f"{type(item).__name__} {reprlib.repr(item)}{hint}"
            )
        if item not in in_graph:
            raise ValueError(
                f"{position} is {_described(item)}, which is not in the output's graph "
                "(a Value from another computation?); parameters must be leaves of this graph"
            )
        if not item.is_leaf or item.is_constant:
            op = f" (computed by {item.op.name})" if item.op is not None else ""
            kind = "a constant" if item.is_constant else f"an intermediate node{op}"
            name = Names([output])[item]  # its display name, as traces and drawings show it
            raise ValueError(
                f"{position} is {name!r}, {kind} of the output's graph, not a leaf: only "
                "leaves (inputs "
                "and parameters) can be marked as parameters"
            )
        checked.append(item)
    return checked


def _described(node: Value) -> str:
    """A Value outside any display, as an error names it: ``Value 'w' (data 2.0)``."""
    if node.label:
        return f"Value {visible(node.label)!r} (data {node.data!r})"
    return f"an unlabelled Value (data {node.data!r})"


def _call(function: object) -> str:
    """How to call a function or method that was passed uncalled: ``model.parameters``."""
    name = getattr(function, "__name__", "it")
    return f"model.{name}" if inspect.ismethod(function) else str(name)


def roles(
    output: Value,
    nodes: Iterable[Value],
    parameters: object = (),
    where: str = "parameters",
) -> dict[Value, Role]:
    """Each node's role: the output, a parameter (if listed), an input (any other non-constant
    leaf), a constant, or an intermediate. ``parameters`` is checked by
    :func:`checked_parameters` (``where`` names it in errors)."""
    nodes = list(nodes)
    marked = set(checked_parameters(output, parameters, where, nodes))
    result: dict[Value, Role] = {}
    for node in nodes:
        if node is output:
            result[node] = "output"
        elif node.is_constant:
            result[node] = "constant"
        elif node.is_leaf:
            result[node] = "parameter" if node in marked else "input"
        else:
            result[node] = "intermediate"
    return result


# ---- names ----------------------------------------------------------------------------------------


class Names:
    """The display name of every node reachable from ``outputs``: distinct nodes, distinct names.

    ``names[node]`` is the node's name as text, ``names.expr(node)`` the same as a formula operand
    (a symbol, a number, or an inlined formula), ``names.latex(node)`` as LaTeX, and
    ``names.is_inlined(node)`` tells whether the node is written as its formula rather than by a
    name of its own. ``names.nodes`` lists the nodes in creation order (parents first).
    """

    def __init__(
        self,
        outputs: Iterable[Value],
        inline_limit: int = INLINE_LIMIT,
        *,
        style: Naming = "inline",
    ) -> None:
        if style not in ("inline", "textbook"):
            raise ValueError(f"naming style must be 'inline' or 'textbook', got {style!r}")
        outputs = list(outputs)
        self.nodes: list[Value] = list(reversed(topological_order(outputs)))
        self._expr: dict[Value, Operand] = {}
        self._inlined: set[Value] = set()
        self._labels = {visible(node.label) for node in self.nodes if node.label}
        self._used: set[str] = set()
        self._occurrence: dict[Value, tuple[str, int]] = {}
        # A label on several computed nodes is one computation done several times (a neuron on
        # each sample): all of them are numbered, L1.N3₁, L1.N3₂, … (leaves: x, x₂, …).
        repeated = Counter(
            visible(node.label) for node in self.nodes if node.label and not node.is_leaf
        )
        self._totals: Counter[str] = Counter()
        self._counter = 0
        self._textbook = {"f": -1, "h": 0}  # f0, f1, … and h1, h2, … as in the textbook
        unlabelled = [o for o in dict.fromkeys(outputs) if not o.label and not o.is_constant]
        output_names = {
            o: "f" if len(unlabelled) == 1 else f"f{i}" for i, o in enumerate(unlabelled, 1)
        }
        for node in self.nodes:
            if node.is_constant:
                self._expr[node] = node.data
            elif node.label:
                label = visible(node.label)
                numbered = not node.is_leaf and repeated[label] > 1
                self._expr[node] = Expr.symbol(self._unique(label, numbered, node))
            elif node in output_names:
                self._expr[node] = Expr.symbol(self._unique(output_names[node]))
            elif node.is_leaf or node.op is None:
                self._expr[node] = Expr.symbol(self._automatic())
            elif style == "textbook":
                self._expr[node] = Expr.symbol(self._textbook_name(node))
            else:
                formula = forward_formula(node.op, tuple(self._expr[p] for p in node.parents))
                text = formula.text() if isinstance(formula, Expr) else None
                if (
                    text is not None
                    and len(text) <= inline_limit
                    and text not in self._used
                    and text not in self._labels
                ):
                    self._used.add(text)
                    self._expr[node] = formula
                    self._inlined.add(node)
                else:
                    self._expr[node] = Expr.symbol(self._automatic())

    def _unique(self, base: str, numbered: bool = False, node: Value | None = None) -> str:
        """``base``, or ``base₂``, ``base₃``, … when another node already has that name (never
        another node's own label); ``numbered`` writes the first one ``base₁`` too."""
        k = 1
        name = base + subscript(1) if numbered else base
        while name in self._used or ((k > 1 or numbered) and name in self._labels):
            k += 1
            name = base + subscript(k)
        self._used.add(name)
        if node is not None:
            self._occurrence[node] = (base, k)
            self._totals[base] += 1
        return name

    def _textbook_name(self, node: Value) -> str:
        """``h1, h2, …`` for a function (sin, exp, tanh, …), ``f0, f1, …`` for anything else:
        the textbook's pre-activations f and activations h."""
        letter = "h" if node.op is not None and node.op.notation.kind == "function" else "f"
        while True:
            self._textbook[letter] += 1
            name = f"{letter}{self._textbook[letter]}"
            if name not in self._used and name not in self._labels:
                self._used.add(name)
                return name

    def _automatic(self) -> str:
        while True:
            self._counter += 1
            name = f"v{self._counter}"
            if name not in self._used and name not in self._labels:
                self._used.add(name)
                return name

    def occurrence(self, node: Value) -> tuple[str, int, int]:
        """``(label, k, n)``: the node is the ``k``-th of ``n`` nodes carrying that label (for a
        network evaluated on several samples, ``L1.N3₃`` is neuron L1.N3 on sample 3). A node
        without a label of its own is ``(its name, 1, 1)``."""
        base, k = self._occurrence.get(node, (self[node], 1))
        return base, k, max(1, self._totals[base]) if node in self._occurrence else 1

    def __contains__(self, node: object) -> bool:
        return node in self._expr

    def expr(self, node: Value) -> Operand:
        """The node as a formula operand: a symbol, its number, or its inlined formula."""
        return self._expr[node]

    def __getitem__(self, node: Value) -> str:
        expr = self._expr[node]
        return expr.text() if isinstance(expr, Expr) else number(expr)

    def latex(self, node: Value) -> str:
        """The node's name in LaTeX (``{\\beta}_{0}``)."""
        expr = self._expr[node]
        return expr.latex() if isinstance(expr, Expr) else number(expr)

    def is_inlined(self, node: Value) -> bool:
        return node in self._inlined

    def formula(self, node: Value) -> Operand:
        """``node``'s own formula in terms of its parents' names (its number for a leaf)."""
        if node.op is None or node.is_leaf:
            return node.data
        return forward_formula(node.op, tuple(self._expr[p] for p in node.parents))

    def expression(self, node: Value) -> str:
        """``node``'s whole formula, every computed node opened up down to the leaves and
        constants: ``(sigmoid(w1·x1 + w2·x2 + b) - t)² / 2``. (A page title, say.)"""
        written: dict[Value, Operand] = {}
        for n in self.nodes:
            if n.is_leaf or n.op is None or (n.label and n is not node):
                written[n] = self._expr[n]
            else:
                written[n] = forward_formula(n.op, tuple(written[p] for p in n.parents))
        expr = written[node]
        return expr.text() if isinstance(expr, Expr) else number(expr)

    def leaves(self) -> list[Value]:
        """The non-constant leaves (inputs and parameters), in creation order."""
        return [n for n in self.nodes if n.is_leaf and not n.is_constant]
