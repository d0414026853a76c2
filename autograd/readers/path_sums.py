"""A gradient is a sum over paths.

For an output ``y`` and a leaf ``x``, ``∂y/∂x`` is the sum, over every path from ``x`` to ``y``, of
the product of the local derivatives along that path's edges. Backprop computes the same number
without listing the paths, by sharing their common tails; :func:`paths` lists them, so the sum can
be seen:

    >>> from autograd import Value
    >>> x = Value(3.0, "x")
    >>> h = x * x
    >>> h.label = "h"
    >>> y = h + x
    >>> y.label = "y"
    >>> found = paths(y, x)
    >>> [p.text() for p in found]
    ['x -> h (input 1) -> y: x · 1 = 3', 'x -> h (input 2) -> y: x · 1 = 3', 'x -> y: 1 = 1']
    >>> found.total
    7.0

(``x·x`` uses x twice, so two different edges lead from x into h, and each starts a path; the
text says which input of h each one enters.)

Path counts can explode (a ladder of n diamonds has 2ⁿ paths), so they are counted first, by
dynamic programming over the graph, and :func:`paths` refuses with :class:`TooManyPaths` above a
limit instead of hanging.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..core.backward import local_derivatives
from ..core.errors import finite_number as _real
from ..core.graph import topological_order
from ..core.value import Number, Value
from ..i18n import checked_lang, translation
from .display import Names, Naming, as_variable, edge_id, markdown_cell, number
from .formula import Expr, local_derivative_formulas

__all__ = ["paths", "count_paths", "Path", "Factor", "Paths", "TooManyPaths", "PATH_LIMIT"]

PATH_LIMIT = 1000


class TooManyPaths(ValueError):
    """More paths than the limit; ``count`` says how many there are."""

    def __init__(self, count: int, limit: int, leaf: str, output: str) -> None:
        self.count, self.limit = count, limit
        super().__init__(
            f"there are {count:,} paths from {leaf} to {output}, more than the "
            f"limit of {limit:,}; pass limit={count} to list them all (backprop "
            f"adds them up without listing them: that is its point)"
        )


@dataclass(frozen=True)
class Factor:
    """One edge of a path: ``∂node/∂parent``, as a formula and as a number. ``index`` says which
    input of ``node`` the parent is (``x * x`` has two edges from x)."""

    node: Value
    node_name: str
    parent: Value
    parent_name: str
    index: int
    edge_id: str
    formula: str
    formula_latex: str
    value: float


@dataclass(frozen=True)
class Path:
    """One path from the leaf to the output."""

    nodes: tuple[Value, ...]
    """From the leaf to the output."""
    factors: tuple[Factor, ...]
    """One per edge, in the same order."""
    gradient: float
    """The gradient the output was given (``paths(..., gradient=)``), the first factor."""
    names: tuple[str, ...]

    @property
    def product(self) -> float:
        """The product of the factors, times the output's gradient."""
        return self.gradient * math.prod(f.value for f in self.factors)

    @property
    def highlight(self) -> list[Value | tuple[Value, int]]:
        """Nodes and edges to pass to ``draw_graph(highlight=...)`` to show this path."""
        return [*self.nodes, *((f.node, f.index) for f in self.factors)]

    def steps(self, as_input: str = "input {index}") -> list[str]:
        """The names along the path. Where the path enters a node that takes the same parent twice
        (``x * x``), the name is followed by which input the path takes (``as_input`` with the
        input's number), so the two paths through that node read differently."""
        steps = [self.names[0]]
        for factor, name in zip(self.factors, self.names[1:]):
            uses = sum(parent is factor.parent for parent in factor.node.parents)
            steps.append(
                name if uses == 1 else f"{name} ({as_input.format(index=factor.index + 1)})"
            )
        return steps

    def text(self, as_input: str = "input {index}") -> str:
        """The path in one line: its nodes, its factors and their product."""
        formulas = " · ".join(f.formula for f in self.factors) or "1"
        given = "" if self.gradient == 1.0 else f" · {number(self.gradient)}"
        return f"{' -> '.join(self.steps(as_input))}: {formulas}{given} = {number(self.product)}"


class Paths(list[Path]):
    """The paths from a leaf to an output (a list of :class:`Path`), with their sum."""

    def __init__(self, items: list[Path], leaf: str, output: str, lang: str = "en") -> None:
        super().__init__(items)
        self.leaf, self.output = leaf, output
        self.lang = checked_lang(lang)

    @property
    def total(self) -> float:
        """Σ over paths of their products: ∂output/∂leaf."""
        return math.fsum(p.product for p in self)

    def render(self, format: Literal["text", "markdown", "latex"] = "text") -> str:
        _ = translation(self.lang).gettext
        d = f"∂{self.output}/∂{as_variable(self.leaf)}"
        # (each word translated outside the f-strings, where the catalog's extractor finds it)
        total, as_input = _("sum"), _("input {index}")
        if format == "text":
            heading = _("{count} path(s) from {leaf} to {output}:")
            lines = [heading.format(count=len(self), leaf=self.leaf, output=self.output)]
            lines += [f"  {i}. {p.text(as_input)}" for i, p in enumerate(self, 1)]
            lines.append(f"  {total}: {d} = {number(self.total)}")
            return "\n".join(lines) + "\n"
        if format == "markdown":
            path, factors, product = _("path"), _("factors"), _("product")
            lines = [f"| {path} | {factors} | {product} |", "|---|---|---|"]
            lines += [
                f"| {markdown_cell(' → '.join(p.steps(as_input)))} | "
                f"{markdown_cell(' · '.join(f.formula for f in p.factors))} | {number(p.product)} |"
                for p in self
            ]
            lines.append(f"| **{total}** | | **{number(self.total)}** |")
            return "\n".join(lines) + "\n"
        if format == "latex":
            terms = [
                " \\cdot ".join(f"\\left({f.formula_latex}\\right)" for f in p.factors) or "1"
                for p in self
            ]
            return (
                "\\frac{\\partial "
                + self.output
                + "}{\\partial "
                + self.leaf
                + "} = "
                + " + ".join(terms)
                + f" = {number(self.total)}\n"
            )
        raise ValueError(f"unknown format {format!r}; choose text, markdown or latex")


def count_paths(output: Value, leaf: Value) -> int:
    """How many paths lead from ``leaf`` to ``output``, by dynamic programming: a node's count is
    the sum of its parents' counts (an input used twice counts twice), in creation order."""
    counts: dict[Value, int] = {}
    for node in reversed(topological_order([output])):  # parents before children
        counts[node] = 1 if node is leaf else sum(counts[p] for p in node.parents)
    return counts.get(output, 0)


def paths(
    output: Value,
    leaf: Value,
    *,
    gradient: Number = 1.0,
    limit: int = PATH_LIMIT,
    naming: Naming = "inline",
    lang: str = "en",
) -> Paths:
    """Every path from ``leaf`` to ``output``, each with its factors and product.

    The products sum to ``leaf.grad`` after ``output.backward(gradient)``; no backward pass is
    needed (or run) here. Refuses with :class:`TooManyPaths` when there are more than ``limit``.
    ``naming`` is the naming policy (as for ``trace``), ``lang`` the language of ``render``.
    """
    if not isinstance(output, Value) or not isinstance(leaf, Value):
        raise TypeError("paths needs two Values: paths(output, leaf)")
    gradient = _real(gradient, "paths' gradient")
    names = Names([output], style=naming)
    leaf_name = names[leaf] if leaf in names else (leaf.label or "the leaf")  # noqa: SIM401
    count = count_paths(output, leaf)
    if count > limit:
        raise TooManyPaths(count, limit, leaf_name, names[output])
    found = [
        Path(
            tuple(nodes),
            tuple(_factor(names, n, i) for n, i in edges),
            gradient,
            tuple(names[n] for n in nodes),
        )
        for nodes, edges in _walk(output, leaf)
    ]
    return Paths(found, leaf_name, names[output], lang)


def _walk(output: Value, leaf: Value) -> Iterator[tuple[list[Value], list[tuple[Value, int]]]]:
    """Depth-first over parents from the output, with an explicit stack (no recursion), keeping
    only branches that reach the leaf. Yields (nodes from leaf to output, edges (node, index))."""
    reaches = _ancestors_reaching(output, leaf)
    if output not in reaches:
        return
    stack: list[tuple[Value, list[Value], list[tuple[Value, int]]]] = [(output, [output], [])]
    while stack:
        node, nodes, edges = stack.pop()
        if node is leaf:
            yield list(reversed(nodes)), list(reversed(edges))
            continue
        for index in reversed(range(len(node.parents))):
            parent = node.parents[index]
            if parent in reaches:
                stack.append((parent, [*nodes, parent], [*edges, (node, index)]))


def _ancestors_reaching(output: Value, leaf: Value) -> set[Value]:
    """The nodes of output's graph from which the leaf can be reached (the leaf included)."""
    reaching: set[Value] = set()
    for node in reversed(topological_order([output])):
        if node is leaf or any(p in reaching for p in node.parents):
            reaching.add(node)
    return reaching


def _factor(names: Names, node: Value, index: int) -> Factor:
    assert node.op is not None
    formula = local_derivative_formulas(
        node.op, tuple(names.expr(p) for p in node.parents), names.expr(node)
    )[index]
    value = local_derivatives(node)[index]
    text = formula.text() if isinstance(formula, Expr) else number(formula)
    latex = formula.latex() if isinstance(formula, Expr) else number(formula)
    parent = node.parents[index]
    return Factor(
        node, names[node], parent, names[parent], index, edge_id(node, index), text, latex, value
    )
