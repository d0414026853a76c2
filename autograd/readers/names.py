"""Readable names for the nodes of a graph, for traces, drawings and generated code.

A labelled node is called by its label. A constant is written as its number. An unlabelled output
is called ``f`` (``f1``, ``f2``, … for several). Any other node with no label is written as its
own formula when that stays short, so the product inside ``f0 = β0 + ω0·x`` is
simply ``ω0·x`` and the local derivative of ``(f3 - y)^2`` reads ``2·(f3 - y)``, as in a
textbook. Longer unlabelled nodes get automatic names ``v1``, ``v2``, … in creation order.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.graph import topological_order
from ..core.value import Value
from .formula import Expr, Operand, format_number, forward_formula

__all__ = ["Names", "INLINE_LIMIT"]

INLINE_LIMIT = 20
"""Longest formula (in characters) an unlabelled node is named by; longer ones get ``v1``, …"""


class Names:
    """The display name of every node reachable from ``outputs``.

    ``names.expr(node)`` is the node as a formula operand (a symbol, a number, or an inlined
    formula), ``names[node]`` its text, and ``names.is_inlined(node)`` tells whether the node is
    written as its formula rather than by a name of its own.
    """

    def __init__(self, outputs: Iterable[Value], inline_limit: int = INLINE_LIMIT) -> None:
        outputs = list(outputs)
        self.nodes = list(reversed(topological_order(outputs)))  # creation order
        self._expr: dict[Value, Operand] = {}
        self._inlined: set[Value] = set()
        taken = {node.label for node in self.nodes if node.label}
        unlabelled = [o for o in dict.fromkeys(outputs) if not o.label and not o.is_constant]
        output_names = {
            o: "f" if len(unlabelled) == 1 else f"f{i}" for i, o in enumerate(unlabelled, 1)
        }
        counter = 0
        for node in self.nodes:
            if node.label or node in output_names:
                self._expr[node] = Expr.symbol(node.label or output_names[node])
            elif node.is_constant:
                self._expr[node] = node.data
            elif node.is_leaf or node.op is None:
                counter, name = _fresh(counter, taken)
                self._expr[node] = Expr.symbol(name)
            else:
                formula = forward_formula(node.op, tuple(self._expr[p] for p in node.parents))
                text = formula.text() if isinstance(formula, Expr) else None
                if text is not None and len(text) <= inline_limit:
                    self._expr[node] = formula
                    self._inlined.add(node)
                else:
                    counter, name = _fresh(counter, taken)
                    self._expr[node] = Expr.symbol(name)

    def __contains__(self, node: object) -> bool:
        return node in self._expr

    def expr(self, node: Value) -> Operand:
        return self._expr[node]

    def __getitem__(self, node: Value) -> str:
        expr = self._expr[node]
        return expr.text() if isinstance(expr, Expr) else format_number(expr)

    def is_inlined(self, node: Value) -> bool:
        return node in self._inlined

    def formula(self, node: Value) -> Operand:
        """``node``'s own formula in terms of its parents' names (its number for a leaf)."""
        if node.op is None or node.is_leaf:
            return node.data
        return forward_formula(node.op, tuple(self._expr[p] for p in node.parents))


def _fresh(counter: int, taken: set[str]) -> tuple[int, str]:
    while True:
        counter += 1
        if f"v{counter}" not in taken:
            return counter, f"v{counter}"
