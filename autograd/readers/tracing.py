"""Traces: the forward and backward passes of a graph, written out step by step.

    >>> from autograd.toy import toy_model
    >>> t = trace(toy_model().loss)
    >>> print(t.to_text())  # doctest: +SKIP

The forward pass lists every named computation in evaluation order (``f0 = β0 + ω0·x = 1 +
0.1·2.3 = 1.23``). An unlabelled intermediate with a short formula, such as the product ``ω0·x``,
gets no row of its own: it is computed inside the formula of the row that uses it, as a textbook
writes ``f0 = β0 + ω0·x`` in one line (see :class:`~autograd.readers.display.Names`). The backward
pass does pass through it, one chain-rule step per edge, and calls it by its formula; a note under
the forward table lists these nodes, so a reader meeting ``ω0·x`` there knows where it was computed.
(``naming="textbook"`` gives every op a row instead.)

The backward pass lists every chain-rule step in the order ``backward()`` runs it: the node, its
upstream gradient ∂ℓ/∂node, one parent, the local derivative ∂node/∂parent as a formula and a
number, their product (the contribution), and the running total of the parent's gradient after
adding it. Rendered, the steps are grouped as the textbook does: pass #1 gives the gradients of the
intermediates, pass #2 those of the parameters and inputs. A closing table gives every leaf's
gradient.

The steps are the engine's own: :func:`step_through` runs the same chain-rule walk as
``backward()`` (:func:`autograd.core.backward.chain_rule_steps`) and reads the formulas from the same
op records, so a trace cannot disagree with the gradients. Names, numbers and ids come from
:mod:`autograd.readers.display`; ``lang="zh"`` writes the tables in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from ..core.backward import finite_chain_rule_steps
from ..core.errors import finite_number as _real
from ..core.graph import as_float, topological_order
from ..core.value import Number, Value
from ..i18n import Lang, checked_lang, translation
from .display import (
    Names,
    Naming,
    Parameters,
    Role,
    as_variable,
    edge_id,
    json_number,
    markdown_cell,
    node_id,
    number,
    operand,
    roles,
)
from .formula import FORMULA_MATH, Expr, Operand, local_derivative_formulas
from .text_width import align_left, columns

__all__ = [
    "trace",
    "step_through",
    "Trace",
    "LeafRow",
    "ForwardRow",
    "BackwardRow",
    "formula_text",
    "local_text",
]

Format = Literal["text", "markdown", "latex", "json"]

INLINED_LISTED = 6
"""How many row-less intermediates the forward table's note names before it writes "…"."""


@dataclass(frozen=True)
class LeafRow:
    """One leaf: an input or a parameter (constants are left out of traces)."""

    node: Value = field(repr=False, compare=False)
    node_id: str
    node_name: str
    node_latex: str
    role: Role
    value: float


@dataclass(frozen=True)
class ForwardRow:
    """One computed node: ``name = formula = formula with numbers = value``."""

    node: Value = field(repr=False, compare=False)
    node_id: str
    node_name: str
    node_latex: str
    op: str
    formula: str
    formula_latex: str
    with_numbers: str
    """The formula with the parents' numbers in it: ``1 + 0.1·2.3``."""
    value: float


@dataclass(frozen=True)
class BackwardRow:
    """One chain-rule step: ``grad(parent) += ∂node/∂parent × grad(node)``.

    ``step`` counts the steps in the order ``backward()`` runs them. ``upstream`` is ∂ℓ/∂node
    (complete by now), ``local`` is ∂node/∂parent, ``contribution`` their product, and
    ``grad_before``/``grad_after`` the parent's running total before and after adding it.
    ``index`` says which input of ``node`` the parent is: in ``x * x`` both inputs are ``x``.
    """

    step: int
    pass_number: int
    """1 for a step into an intermediate node, 2 for a step into a leaf (as the textbook)."""
    node: Value = field(repr=False, compare=False)
    node_id: str
    node_name: str
    node_latex: str
    parent: Value = field(repr=False, compare=False)
    parent_id: str
    parent_name: str
    parent_latex: str
    index: int
    edge_id: str
    upstream: float
    local_formula: str
    local_formula_latex: str
    local: float
    contribution: float
    grad_before: float
    grad_after: float
    lang: Lang = field(default="en", repr=False, compare=False)
    """The language the row prints in (``str(row)``): ``step_through``'s or ``trace``'s."""

    @property
    def parent_is_leaf(self) -> bool:
        return self.pass_number == 2

    @property
    def edge(self) -> tuple[Value, int]:
        """``(node, index)``: this step's edge, for ``draw_graph(highlight=row.edge)``."""
        return (self.node, self.index)

    def __str__(self) -> str:
        """One line of the chain rule with its numbers, in the stepper's notation (``grad(v)`` is
        the running total of ∂output/∂v), in the row's language; the toy model's step 7 reads
        ``step 7 (pass #1): grad(h3) += ∂(ω3·h3)/∂h3 × grad(ω3·h3) = 3 × 0.744528 → grad(h3) =
        2.23358``."""
        _ = translation(self.lang).gettext
        # (the space after the colon is part of the message: Chinese puts none after "：")
        head = _("step {step} (pass #{number}): ").format(step=self.step, number=self.pass_number)
        node, parent = as_variable(self.node_name), as_variable(self.parent_name)
        return (
            f"{head}grad({self.parent_name}) += ∂{node}/∂{parent} × grad({self.node_name}) = "
            f"{number(self.local)} × {operand(self.upstream)} → "
            f"grad({self.parent_name}) = {number(self.grad_after)}"
        )

    def _repr_markdown_(self) -> str:
        """Jupyter shows a row (``next(steps)`` as a cell's last line) as its one line."""
        return markdown_cell(str(self))


def formula_text(x: Operand) -> str:
    """A formula (or a plain number, which a rule may return) as plain text."""
    return x.text() if isinstance(x, Expr) else number(x)


def _latex(x: Operand) -> str:
    return x.latex() if isinstance(x, Expr) else number(x)


def local_text(formula: str, value: float) -> str:
    """``cos(f0) = 0.334238``, or just ``1`` when the formula is the number itself."""
    shown = number(value)
    return shown if formula == shown else f"{formula} = {shown}"


def with_numbers(node: Value, names: Names, *, expand: bool = True) -> str:
    """``node``'s formula with numbers in place of names: ``1 + 0.1·2.3`` for ``β0 + ω0·x``.
    With ``expand`` (a trace, where a node written inline has no row of its own), a parent written
    inline (``ω0·x``) is opened up; without it (the stepper, which computes every node in a step
    of its own) a parent is its value: ``sigmoid(0.3775)``. Negative numbers after an operator
    are put in parentheses, ``2 + (-0.4)·0.942489``."""

    def operand(parent: Value) -> Operand:
        if expand and names.is_inlined(parent) and parent.op is not None:
            formula: Operand = parent.op.forward(FORMULA_MATH, *map(operand, parent.parents))
            return formula
        return Expr.symbol(number(parent.data))

    assert node.op is not None
    return formula_text(node.op.forward(FORMULA_MATH, *map(operand, node.parents)))


def step_through(
    output: Value, gradient: Number = 1.0, *, names: Names | None = None, lang: str = "en"
) -> Iterator[BackwardRow]:
    """A fresh backward pass from ``output``, one chain-rule step per ``next()``.

    Every gradient in the graph is first set to zero and ``output.grad`` to ``gradient``. After
    each step, the graph's gradients are exactly as the backward pass has left them so far, so a
    notebook cell can call ``next(steps)`` and look at (or draw) the graph. Steps into constants,
    which need no gradient, are carried out but not shown. A row prints as one line of the chain
    rule, in English or (``lang="zh"``) Chinese.
    """
    lang = checked_lang(lang)
    names = names if names is not None else Names([output])
    order = topological_order([output])
    for node in order:
        node.grad = 0.0
    output.grad = _real(gradient, "step_through's gradient")
    running: dict[Value, float] = {output: output.grad}
    shown = 0
    for step in finite_chain_rule_steps(order):  # NaN or ±inf raises, as in backward()
        node, parent = step.node, step.parent
        assert node.op is not None
        grad_before = running.get(parent, 0.0)
        running[parent] = as_float(step.grad_after)
        if parent.is_constant or step.index in node.op.constant_inputs:
            continue
        shown += 1
        local = local_derivative_formulas(
            node.op, tuple(names.expr(p) for p in node.parents), names.expr(node)
        )[step.index]
        yield BackwardRow(
            shown,
            2 if parent.is_leaf else 1,
            node,
            node_id(node),
            names[node],
            names.latex(node),
            parent,
            node_id(parent),
            names[parent],
            names.latex(parent),
            step.index,
            edge_id(node, step.index),
            as_float(step.upstream),
            formula_text(local),
            _latex(local),
            as_float(step.local),
            as_float(step.contribution),
            grad_before,
            as_float(step.grad_after),
            lang,
        )


def _plain(row: Any) -> dict[str, Any]:
    """A row as JSON-ready data: its fields without the Values, numbers strictly JSON."""
    return {
        f.name: json_number(v) if isinstance(v, float) else v
        for f in fields(row)
        if f.compare and not isinstance(v := getattr(row, f.name), Value)
    }


@dataclass
class Trace:
    """A recorded forward and backward pass. Render it with :meth:`render` (or ``to_text``,
    ``to_markdown``, ``to_latex``, ``to_json``), in English or Chinese (``lang``)."""

    output: Value = field(repr=False)
    output_name: str
    output_latex: str
    leaves: list[LeafRow]
    forward: list[ForwardRow]
    backward: list[BackwardRow]
    grads: dict[str, float] = field(default_factory=dict)
    """Each leaf's gradient, by its display name (two leaves labelled x are x and x₂)."""
    lang: Lang = "en"
    inlined: list[str] = field(default_factory=list)
    """The unlabelled intermediates with no forward row, by name (their formula, ``ω0·x``): each
    is computed inside the formula of the row that uses it, and appears in the backward pass."""

    @property
    def pass_one(self) -> list[BackwardRow]:
        """Backward pass #1: the steps into intermediate nodes."""
        return [row for row in self.backward if row.pass_number == 1]

    @property
    def pass_two(self) -> list[BackwardRow]:
        """Backward pass #2: the steps into parameters and inputs."""
        return [row for row in self.backward if row.pass_number == 2]

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
        """Everything, as plain data: the JSON form. Non-finite numbers are the strings
        ``"inf"``, ``"-inf"`` and ``"nan"`` (JSON has no token for them)."""
        return {
            "output": self.output_name,
            "leaves": [_plain(r) for r in self.leaves],
            "forward": [_plain(r) for r in self.forward],
            "backward": [_plain(r) for r in self.backward],
            "grads": {name: json_number(g) for name, g in self.grads.items()},
            "inlined": list(self.inlined),
        }

    def to_json(self) -> str:
        """Strict JSON (never a ``NaN`` or ``Infinity`` token)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1, allow_nan=False)

    # ---- tables ------------------------------------------------------------------------------

    def _tables(self) -> list[tuple[str, str, list[str], list[list[str]], str]]:
        """(title, note, header, rows, footnote) of each table, in the trace's language: the note
        goes above the table, the footnote below it."""
        _ = translation(self.lang).gettext
        out = self.output_name
        role_words = {
            "parameter": _("parameter"),
            "input": _("input"),
            "output": _("output"),
            "constant": _("constant"),
            "intermediate": _("intermediate"),
        }
        leaves = [[r.node_name, role_words[r.role], number(r.value)] for r in self.leaves]
        forward = [[r.node_name, r.formula, r.with_numbers, number(r.value)] for r in self.forward]

        def steps(rows: list[BackwardRow]) -> list[list[str]]:
            return [
                [
                    str(r.step),
                    r.node_name,
                    number(r.upstream),
                    r.parent_name,
                    local_text(r.local_formula, r.local),
                    number(r.contribution),
                    number(r.grad_after),
                ]
                for r in rows
            ]

        step_header = [
            _("step"),
            _("node"),
            _("upstream") + f" ∂{out}/∂" + _("node"),
            _("parent"),
            _("local") + " ∂" + _("node") + "/∂" + _("parent"),
            _("contribution"),
            _("running total") + f" ∂{out}/∂" + _("parent"),
        ]
        interleaved = bool(self.pass_one and self.pass_two) and min(
            r.step for r in self.pass_two
        ) < max(r.step for r in self.pass_one)
        note = (
            _(
                "Steps are numbered in the order backward() runs them. It finishes each node's "
                "steps together, so the two passes interleave and each table's numbers skip."
            )
            if interleaved
            else ""
        )
        grads = [
            [r.node_name, role_words[r.role], number(self.grads[r.node_name])] for r in self.leaves
        ]
        return [
            (_("Leaves"), "", [_("name"), _("role"), _("value")], leaves, ""),
            (
                _("Forward pass"),
                "",
                [_("node"), _("formula"), _("with numbers"), _("value")],
                forward,
                self._inlined_note(),
            ),
            (_("Backward pass #1 (intermediates)"), note, step_header, steps(self.pass_one), ""),
            (
                _("Backward pass #2 (parameters and inputs)"),
                note,
                step_header,
                steps(self.pass_two),
                "",
            ),
            (_("Gradients"), "", [_("leaf"), _("role"), f"∂{out}/∂" + _("leaf")], grads, ""),
        ]

    def _inlined_note(self) -> str:
        """Which nodes the forward table has no row for, and where they were computed."""
        if not self.inlined:
            return ""
        translated = translation(self.lang)
        shown = self.inlined[:INLINED_LISTED]
        nodes = translated.gettext(", ").join(shown)
        if len(self.inlined) > len(shown):
            nodes += translated.gettext(", … ({count} in all)").format(count=len(self.inlined))
        return translated.ngettext(
            "No row for {nodes}: an unlabelled intermediate node is computed inside the formula "
            "that uses it (above); the backward pass names it by its formula.",
            "No rows for {nodes}: unlabelled intermediate nodes are computed inside the formulas "
            "that use them (above); the backward pass names each by its formula.",
            len(self.inlined),
        ).format(nodes=nodes)

    def to_text(self) -> str:
        """Plain-text tables with aligned columns (Chinese characters count two columns)."""
        parts = []
        for title, note, header, rows, footnote in self._tables():
            widths = [max(columns(cell) for cell in column) for column in zip(header, *rows)]
            lines = [title] + ([note] if note else [])
            lines += [
                "  ".join(align_left(h, w) for h, w in zip(header, widths)).rstrip(),
                "  ".join("-" * w for w in widths),
            ]
            lines += [
                "  ".join(align_left(c, w) for c, w in zip(row, widths)).rstrip() for row in rows
            ]
            lines += [footnote] if footnote else []
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown tables. Labels are escaped (:func:`markdown_cell`): a label
        such as ``<b>`` shows as written, never as HTML."""
        parts = []
        for title, note, header, rows, footnote in self._tables():
            lines = [f"**{markdown_cell(title)}**", ""]
            lines += [f"*{markdown_cell(note)}*", ""] if note else []
            lines += [
                "| " + " | ".join(map(markdown_cell, header)) + " |",
                "|" + "|".join("---" for _ in header) + "|",
            ]
            lines += ["| " + " | ".join(map(markdown_cell, row)) + " |" for row in rows]
            lines += ["", f"*{markdown_cell(footnote)}*"] if footnote else []
            parts.append("\n".join(lines))
        return "\n\n".join(parts) + "\n"

    def to_latex(self) -> str:
        """LaTeX ``align*`` blocks: the forward equations, the chain-rule steps, the gradients."""
        _ = translation(self.lang).gettext
        out = self.output_latex
        lines = [f"% {_('Forward pass')}", "\\begin{align*}"]
        lines += [
            f"  {r.node_latex} &= {r.formula_latex} = {number(r.value)} \\\\" for r in self.forward
        ]
        lines.append("\\end{align*}")
        lines += [f"% {line}" for line in self._inlined_note().splitlines()]

        def d(name: str) -> str:
            return f"\\frac{{\\partial {out}}}{{\\partial {_grouped(name)}}}"

        for title, rows in (
            (_("Backward pass #1 (intermediates)"), self.pass_one),
            (_("Backward pass #2 (parameters and inputs)"), self.pass_two),
        ):
            lines += [f"% {title}", "\\begin{align*}"]
            for r in rows:
                lines.append(
                    f"  {d(r.parent_latex)} &\\mathrel{{+}}= {r.local_formula_latex} \\cdot "
                    f"{d(r.node_latex)} = {number(r.local)} \\cdot {operand(r.upstream)}"
                    f" \\;\\Rightarrow\\; {number(r.grad_after)} \\\\"
                )
            lines.append("\\end{align*}")
        lines += [f"% {_('Gradients')}", "\\begin{align*}"]
        lines += [
            f"  {d(r.node_latex)} &= {number(self.grads[r.node_name])} \\\\" for r in self.leaves
        ]
        lines.append("\\end{align*}")
        return "\n".join(lines) + "\n"


def trace(
    output: Value,
    gradient: Number = 1.0,
    *,
    parameters: Parameters = (),
    lang: str = "en",
    naming: Naming = "inline",
    names: Names | None = None,
) -> Trace:
    """Record ``output``'s forward pass and run (and record) a fresh backward pass.

    Afterwards the graph's gradients are those of that one backward pass. ``parameters`` marks
    which leaves are parameters (the others are inputs): a list of Values, or a dict whose values
    are Values (the toy model's ``model.parameters``); anything else, or a Value that is not a
    leaf of this graph, is refused (see :func:`~autograd.readers.display.checked_parameters`).
    ``Trace.grads`` maps each leaf's display name to its gradient. ``lang`` ("en" or "zh") is the
    language of the rendered tables.
    ``naming="textbook"`` gives every unlabelled op a forward row of its own (``f0, h1, f1, …``)
    instead of writing short ones inline; give :func:`~autograd.readers.draw.draw_graph` and
    :func:`~autograd.readers.stepper.export_html` the same ``naming`` and a node has the same name
    in all three. ``names`` (already made for this output) is used as it is instead.
    """
    if not isinstance(output, Value):
        raise TypeError(f"trace needs a Value, got {type(output).__name__}")
    language = checked_lang(lang)
    names = names if names is not None else Names([output], style=naming)
    role = roles(output, names.nodes, parameters, "trace's parameters")
    leaves = [
        LeafRow(n, node_id(n), names[n], names.latex(n), role[n], n.data) for n in names.leaves()
    ]
    forward = []
    for node in names.nodes:
        if node.is_leaf or (names.is_inlined(node) and node is not output):
            continue
        assert node.op is not None
        formula = names.formula(node)
        forward.append(
            ForwardRow(
                node,
                node_id(node),
                names[node],
                names.latex(node),
                node.op.name,
                formula_text(formula),
                _latex(formula),
                with_numbers(node, names),
                node.data,
            )
        )
    inlined = [
        names[n] for n in names.nodes if names.is_inlined(n) and n is not output and not n.is_leaf
    ]
    backward = list(step_through(output, gradient, names=names, lang=lang))
    grads = {names[n]: n.grad for n in names.leaves()}
    return Trace(
        output,
        names[output],
        names.latex(output),
        leaves,
        forward,
        backward,
        grads,
        language,
        inlined,
    )


def _grouped(latex: str) -> str:
    """A LaTeX name as the variable of ∂: in parentheses when it is a formula."""
    return latex if " " not in latex and "\\left" not in latex else f"\\left({latex}\\right)"
