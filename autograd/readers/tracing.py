"""Traces: the forward and backward passes of a graph, written out step by step.

    >>> from autograd.toy import toy_model
    >>> t = trace(toy_model().loss)
    >>> print(t.to_text())  # doctest: +SKIP

The forward pass lists every named computation in evaluation order (``f0 = β0 + ω0·x = 1.23``).
The backward pass lists every chain-rule step in the order ``backward()`` runs it: the node, the
upstream gradient ∂ℓ/∂node, one parent, the local derivative ∂node/∂parent as a formula and a
number, their product (the contribution), and the parent's gradient after adding it. Rendered, the
steps are grouped as the textbook does: pass #1 gives the gradients of the intermediates, pass #2
those of the parameters and inputs.

The steps are the engine's own: :func:`step_through` runs the same chain-rule walk as
``backward()`` (:func:`autograd.backward.chain_rule_steps`) and reads the formulas from the same
op records, so a trace cannot disagree with the gradients.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from ..core.backward import chain_rule_steps
from ..core.errors import finite_number as _real
from ..core.graph import topological_order
from ..core.value import Number, Value
from .formula import Expr, Operand, format_number, local_derivative_formulas
from .names import Names

__all__ = ["trace", "step_through", "Trace", "ForwardRow", "BackwardRow", "roles"]

Role = Literal["output", "parameter", "input", "constant", "intermediate"]
Format = Literal["text", "markdown", "latex", "json"]


@dataclass(frozen=True)
class ForwardRow:
    """One computed node: ``name = formula = value``."""

    id: str
    name: str
    name_latex: str
    op: str
    formula: str
    formula_latex: str
    value: float


@dataclass(frozen=True)
class LeafRow:
    """One leaf: an input, a parameter (or a constant, which traces leave out)."""

    id: str
    name: str
    role: Role
    value: float


@dataclass(frozen=True)
class BackwardRow:
    """One chain-rule step: ``∂out/∂parent += ∂node/∂parent · ∂out/∂node``."""

    step: int
    node_id: str
    node: str
    node_latex: str
    parent_id: str
    parent: str
    parent_latex: str
    upstream: float
    local_formula: str
    local_formula_latex: str
    local: float
    contribution: float
    grad_after: float
    parent_is_leaf: bool
    node_value: Value | None = field(default=None, repr=False, compare=False)
    """The node itself (not part of the JSON), e.g. for ``draw_graph(highlight=row.edge)``."""
    parent_value: Value | None = field(default=None, repr=False, compare=False)

    @property
    def edge(self) -> tuple[Value | None, Value | None]:
        """``(node, parent)``: this step's edge, to pass to ``draw_graph(highlight=...)``."""
        return (self.node_value, self.parent_value)


def node_id(node: Value) -> str:
    """A stable identifier for a node within its graph (its creation serial)."""
    return f"n{node.serial}"


def roles(
    output: Value, nodes: Iterable[Value], parameters: Iterable[Value] = ()
) -> dict[Value, Role]:
    """Each node's role: the output, a parameter (if listed), an input (any other non-constant
    leaf), a constant, or an intermediate."""
    marked = set(parameters)
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


def formula_text(x: Operand) -> str:
    """A formula (or a plain number, which a rule may return) as plain text."""
    return x.text() if isinstance(x, Expr) else format_number(x)


def _latex(x: Operand) -> str:
    return x.latex() if isinstance(x, Expr) else format_number(x)


def step_through(
    output: Value, gradient: Number = 1.0, *, names: Names | None = None
) -> Iterator[BackwardRow]:
    """A fresh backward pass from ``output``, one chain-rule step per ``next()``.

    Every gradient in the graph is first set to zero and ``output.grad`` to ``gradient``. After
    each step, the graph's gradients are exactly as the backward pass has left them so far, so a
    notebook cell can call ``next(steps)`` and look at (or draw) the graph. Steps into constants,
    which need no gradient, are carried out but not shown.
    """
    names = names if names is not None else Names([output])
    order = topological_order([output])
    for node in order:
        node.grad = 0.0
    output.grad = _real(gradient, "step_through's gradient")
    shown = 0
    for step in chain_rule_steps(order):
        node, parent = step.node, step.parent
        assert node.op is not None  # a chain-rule step starts at a node an op made
        if parent.is_constant or step.index in node.op.constant_inputs:
            continue
        shown += 1
        local = local_derivative_formulas(
            node.op, tuple(names.expr(p) for p in node.parents), names.expr(node)
        )[step.index]
        yield BackwardRow(
            shown,
            node_id(node),
            names[node],
            _latex(names.expr(node)),
            node_id(parent),
            names[parent],
            _latex(names.expr(parent)),
            step.upstream,
            formula_text(local),
            _latex(local),
            step.local,
            step.contribution,
            step.grad_after,
            parent.is_leaf,
            node,
            parent,
        )


@dataclass
class Trace:
    """A recorded forward and backward pass. Render it with :meth:`render` (or ``to_text``,
    ``to_markdown``, ``to_latex``, ``to_json``)."""

    output: str
    output_latex: str
    leaves: list[LeafRow]
    forward: list[ForwardRow]
    backward: list[BackwardRow]
    grads: dict[str, float] = field(default_factory=dict)

    @property
    def pass_one(self) -> list[BackwardRow]:
        """Backward pass #1: the steps into intermediate nodes."""
        return [row for row in self.backward if not row.parent_is_leaf]

    @property
    def pass_two(self) -> list[BackwardRow]:
        """Backward pass #2: the steps into parameters and inputs."""
        return [row for row in self.backward if row.parent_is_leaf]

    def render(self, format: Format = "text") -> str:
        renderers = {
            "text": self.to_text,
            "markdown": self.to_markdown,
            "latex": self.to_latex,
            "json": self.to_json,
        }
        if format not in renderers:
            raise ValueError(f"unknown trace format {format!r}; choose one of {sorted(renderers)}")
        return renderers[format]()

    def as_dict(self) -> dict[str, Any]:
        """Everything, as plain data: the JSON form."""

        def plain(row: BackwardRow) -> dict[str, Any]:
            return {f.name: getattr(row, f.name) for f in fields(row) if f.compare}

        return {
            "output": self.output,
            "leaves": [asdict(r) for r in self.leaves],
            "forward": [asdict(r) for r in self.forward],
            "backward": [plain(r) for r in self.backward],
            "grads": dict(self.grads),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    # ---- tables ------------------------------------------------------------------------------

    def _tables(self) -> list[tuple[str, list[str], list[list[str]]]]:
        out = self.output
        leaves = [[row.name, row.role, short_number(row.value)] for row in self.leaves]
        forward = [[row.name, row.formula, short_number(row.value)] for row in self.forward]

        def steps(rows: list[BackwardRow]) -> list[list[str]]:
            return [
                [
                    str(r.step),
                    r.node,
                    short_number(r.upstream),
                    r.parent,
                    local_text(r.local_formula, r.local),
                    short_number(r.contribution),
                    short_number(r.grad_after),
                ]
                for r in rows
            ]

        step_header = [
            "step",
            "node",
            f"∂{out}/∂node",
            "parent",
            "∂node/∂parent",
            "contribution",
            f"∂{out}/∂parent",
        ]
        return [
            ("Leaves", ["name", "role", "value"], leaves),
            ("Forward pass", ["node", "formula", "value"], forward),
            ("Backward pass #1 (intermediates)", step_header, steps(self.pass_one)),
            ("Backward pass #2 (parameters and inputs)", step_header, steps(self.pass_two)),
        ]

    def to_text(self) -> str:
        """Plain-text tables with aligned columns."""
        parts = []
        for title, header, rows in self._tables():
            widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
            lines = [
                title,
                "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
                "  ".join("-" * w for w in widths),
            ]
            lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown tables."""
        parts = []
        for title, header, rows in self._tables():
            lines = [
                f"**{title}**",
                "",
                "| " + " | ".join(header) + " |",
                "|" + "|".join("---" for _ in header) + "|",
            ]
            lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in rows]
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"

    def to_latex(self) -> str:
        """LaTeX ``align*`` blocks: the forward equations, then the chain-rule steps."""
        out = self.output_latex
        lines = ["% forward pass", "\\begin{align*}"]
        lines += [
            f"  {r.name_latex} &= {r.formula_latex} = {short_number(r.value)} \\\\"
            for r in self.forward
        ]
        lines.append("\\end{align*}")
        for title, rows in (
            ("backward pass #1 (intermediates)", self.pass_one),
            ("backward pass #2 (parameters and inputs)", self.pass_two),
        ):
            lines += [f"% {title}", "\\begin{align*}"]
            for r in rows:
                d_parent = f"\\frac{{\\partial {out}}}{{\\partial {_grouped(r.parent_latex)}}}"
                d_node = f"\\frac{{\\partial {out}}}{{\\partial {_grouped(r.node_latex)}}}"
                lines.append(
                    f"  {d_parent} &\\mathrel{{+}}= {r.local_formula_latex} \\cdot {d_node}"
                    f" = {short_number(r.local)} \\cdot {short_number(r.upstream)}"
                    f" \\;\\Rightarrow\\; {short_number(r.grad_after)} \\\\"
                )
            lines.append("\\end{align*}")
        return "\n".join(lines) + "\n"


def trace(output: Value, gradient: Number = 1.0, *, parameters: Iterable[Value] = ()) -> Trace:
    """Record ``output``'s forward pass and run (and record) a fresh backward pass.

    Afterwards the graph's gradients are those of that one backward pass. ``parameters`` marks
    which leaves are parameters (the others are inputs). ``Trace.grads`` maps each leaf's name to
    its gradient.
    """
    if not isinstance(output, Value):
        raise TypeError(f"trace needs a Value, got {type(output).__name__}")
    names = Names([output])
    role = roles(output, names.nodes, parameters)
    leaf_nodes = [n for n in names.nodes if n.is_leaf and not n.is_constant]
    leaves = [LeafRow(node_id(n), names[n], role[n], n.data) for n in leaf_nodes]
    forward = []
    for node in names.nodes:
        if node.is_leaf or (names.is_inlined(node) and node is not output):
            continue
        formula = names.formula(node)
        assert node.op is not None
        forward.append(
            ForwardRow(
                node_id(node),
                names[node],
                _latex(names.expr(node)),
                node.op.name,
                formula_text(formula),
                _latex(formula),
                node.data,
            )
        )
    backward = list(step_through(output, gradient, names=names))
    grads = {names[n]: n.grad for n in leaf_nodes}
    return Trace(names[output], _latex(names.expr(output)), leaves, forward, backward, grads)


def short_number(x: float) -> str:
    """A number in six significant digits, as tables show it."""
    return format(x, ".6g")


def local_text(formula: str, value: float) -> str:
    """``cos(f0) = 0.334238``, or just ``1`` when the formula is the number itself."""
    number = short_number(value)
    return number if formula in (number, format_number(value)) else f"{formula} = {number}"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _grouped(latex: str) -> str:
    """A LaTeX name as the variable of ∂: in parentheses when it is a formula."""
    return latex if " " not in latex and "\\left" not in latex else f"\\left({latex}\\right)"
