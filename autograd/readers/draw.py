"""Drawing a graph with graphviz: values, ops, local derivatives, and where the gradient flows.

    >>> from autograd.toy import toy_model
    >>> model = toy_model()
    >>> model.loss.backward()
    >>> graph = draw_graph(model.loss, parameters=model.parameters.values())
    >>> graph.render("toy", format="svg")  # doctest: +SKIP

Each Value is a box with its name, ``data`` and ``grad``; each op is a small oval between its
inputs and its result, and an edge can carry its local derivative (``cos(f0) = 0.334``). Colours
mark the role of a node: inputs blue, parameters yellow, constants grey, the output green.

The ``dot`` program comes from the ``graphviz-pure`` package on PyPI (a static build, so nothing
needs installing with apt); a system ``dot`` on PATH is used instead when there is one.
"""

from __future__ import annotations

import html
import math
import re
import shutil
import sys
import sysconfig
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..core.backward import local_derivatives
from ..core.value import Value
from .display import Names, Role, node_id, number, roles
from .formula import local_derivative_formulas
from .tracing import formula_text, local_text

if TYPE_CHECKING:
    import graphviz

__all__ = ["draw_graph", "find_dot", "render_svg", "save_drawing", "ROLE_COLORS", "MAX_NODES"]

ROLE_COLORS: dict[Role, str] = {
    "input": "#cfe8ff",
    "parameter": "#ffe9a8",
    "constant": "#e6e6e6",
    "output": "#c8f0c8",
    "intermediate": "#ffffff",
}
HIGHLIGHT = "#d62728"
MAX_NODES = 400
"""More boxes and ovals than this make a drawing nobody can read: draw_graph shows a summary."""

Collapse = Literal["neurons", "layers"] | Callable[[Value], str | None] | None
_NEURON_LABEL = re.compile(r"^(L\d+)\.(N\d+)(?:\.|$)")


# ---- finding dot -----------------------------------------------------------------------------------


def find_dot() -> str | None:
    """The ``dot`` program to use: a system ``dot`` on PATH, else graphviz-pure's binary (which
    installs as ``graphviz-pure``), looked up on PATH and in this Python's scripts folder (a
    virtual environment's ``bin`` is often not on PATH)."""
    system = shutil.which("dot")
    if system:
        return system
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    found = shutil.which("graphviz-pure") or shutil.which(
        "graphviz-pure", path=":".join(map(str, folders))
    )
    return found


def _drawing_class(graphviz):
    """A Digraph whose inline (Jupyter) rendering keeps dot's font-metric warnings quiet."""

    class Drawing(graphviz.Digraph):
        def _repr_image_svg_xml(self) -> str:
            return self.pipe(format="svg", encoding="utf-8", quiet=True)

    return Drawing


def _configured_graphviz():
    """The graphviz package, pointed at the dot program :func:`find_dot` chose."""
    import graphviz
    from graphviz.backend import dot_command

    dot = find_dot()
    if dot is None:
        raise RuntimeError(
            "no dot program found: install stepgrad's dependencies "
            "(graphviz-pure provides one), or Graphviz itself"
        )
    # NOTE: in graphviz 0.21 the binary is read from graphviz.backend.dot_command.DOT_BINARY;
    # setting graphviz.DOT_BINARY has no effect. stepgrad pins graphviz==0.21 for this reason.
    dot_command.DOT_BINARY = Path(dot)
    return graphviz


def render_svg(graph: graphviz.Digraph) -> str:
    """The drawing as SVG text (dot's warnings about font metrics are kept quiet)."""
    _configured_graphviz()
    return graph.pipe(format="svg", encoding="utf-8", quiet=True)


def save_drawing(graph: graphviz.Digraph, path: str | Path) -> Path:
    """Write the drawing to ``path``; the suffix (.svg, .png, .pdf, .dot) picks the format."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf", "dot", "gv"):
        raise ValueError(
            f"cannot tell the drawing format from {path.name!r}; "
            "use a .svg, .png, .pdf or .dot file name"
        )
    if fmt in ("dot", "gv"):
        path.write_text(graph.source, encoding="utf-8")
    else:
        _configured_graphviz()
        path.write_bytes(graph.pipe(format=fmt, quiet=True))
    return path


# ---- drawing ----------------------------------------------------------------------------------------


def _cell(text: str, bold: bool = False) -> str:
    escaped = html.escape(text, quote=True)
    return f"<TR><TD>{'<B>' + escaped + '</B>' if bold else escaped}</TD></TR>"


def _value_label(name: str, data: float, grad: float | Value) -> str:
    grad_number = grad.data if isinstance(grad, Value) else grad
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
        + _cell(name, bold=True)
        + _cell(f"data {number(data)}")
        + _cell(f"grad {number(grad_number)}")
        + "</TABLE>>"
    )


def _grad_color(grad: float, largest: float) -> str:
    """White for a vanishing gradient, deepening to red for the largest, on a log scale over
    eight decades."""
    if largest <= 0 or grad == 0:
        return "0.000 0.000 1.000"
    strength = max(0.0, 1 + math.log10(abs(grad) / largest) / 8)
    return f"0.000 {0.75 * strength:.3f} 1.000"


def _groups(names: Names, collapse: Collapse) -> dict[Value, str]:
    """Which collapsed group each node belongs to (nodes in no group are left out)."""
    if collapse is None:
        return {}
    if callable(collapse):
        named = {n: g for n in names.nodes if (g := collapse(n))}
    else:
        if collapse not in ("neurons", "layers"):
            raise ValueError(
                f"collapse must be 'neurons', 'layers', a function or None, got {collapse!r}"
            )
        named = {}
        for node in names.nodes:
            match = _NEURON_LABEL.match(node.label)
            if match:
                named[node] = (
                    match.group(0).rstrip(".") if collapse == "neurons" else match.group(1)
                )
    # Unlabelled intermediates and constants belong to the group that uses them: walk from the
    # outputs back (reverse creation order), handing each group down to such parents.
    for node in reversed(names.nodes):
        group = named.get(node)
        if group is None:
            continue
        for parent in node.parents:
            if (
                parent not in named
                and not parent.label
                and (parent.is_constant or not parent.is_leaf)
            ):
                named[parent] = group
    return named


def draw_graph(
    output: Value,
    *,
    parameters: Iterable[Value] = (),
    direction: str = "LR",
    show_local: bool = True,
    highlight: object = None,
    grad_scale: bool = False,
    collapse: Collapse = None,
    max_nodes: int = MAX_NODES,
) -> graphviz.Digraph:
    """Draw ``output``'s graph; returns a :class:`graphviz.Digraph`.

    ``parameters`` marks which leaves are parameters (the rest are inputs). ``direction`` is
    "LR" or "TB". ``show_local`` writes each edge's local derivative on it. ``highlight`` is a
    Value, an edge ``(node, parent)``, or a list of them, drawn in red: the current step.
    ``grad_scale`` fills each box by |grad| on a log scale, so vanishing gradients show as
    white. ``collapse`` draws each neuron (``"neurons"``) or layer (``"layers"``) of an ``nn``
    network as one box, or groups by a function from node to group name. A graph with more than
    ``max_nodes`` boxes and ovals is drawn as a one-box summary instead.
    """
    if direction not in ("LR", "TB"):
        raise ValueError(f"direction must be 'LR' or 'TB', got {direction!r}")
    graphviz = _configured_graphviz()
    names = Names([output])
    role = roles(output, names.nodes, parameters)
    group = _groups(names, collapse)
    highlighted = _highlights(highlight)
    graph = _drawing_class(graphviz)(
        "stepgrad",
        graph_attr={"rankdir": direction, "fontname": "Helvetica"},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9"},
    )

    shown = [n for n in names.nodes if n not in group]
    boxes = len(shown) + sum(1 for n in shown if not n.is_leaf) + len(set(group.values()))
    if boxes > max_nodes:
        graph.node(
            "summary",
            shape="note",
            label=(
                f"Graph too large to draw usefully: {len(names.nodes):,} values, {boxes:,} boxes "
                f"(limit {max_nodes:,}).\nDraw less (collapse='neurons' or 'layers' for an nn "
                f"network) or raise max_nodes."
            ),
        )
        return graph

    largest = max((abs(_number(n.grad)) for n in names.nodes), default=0.0)

    def box_attrs(node: Value) -> dict[str, str]:
        attrs = {
            "shape": "box",
            "style": "rounded,filled",
            "id": node_id(node),
            "fillcolor": ROLE_COLORS[role[node]],
        }
        if grad_scale and role[node] != "constant":
            attrs["fillcolor"] = _grad_color(_number(node.grad), largest)
            attrs["color"] = ROLE_COLORS[role[node]] if role[node] != "intermediate" else "black"
            attrs["penwidth"] = "2"
        if node in highlighted:
            attrs.update(color=HIGHLIGHT, penwidth="3")
        return attrs

    def endpoint(node: Value) -> str:
        return f"g_{_group_id(group[node])}" if node in group else node_id(node)

    for name in sorted(set(group.values())):
        members = [n for n in names.nodes if group.get(n) == name]
        head = next((n for n in members if n.label == name), members[-1])
        graph.node(
            f"g_{_group_id(name)}",
            label=_value_label(f"{name} ({len(members)} values)", head.data, head.grad),
            shape="box3d",
            style="filled",
            fillcolor="#f3e6ff",
            id=f"g_{_group_id(name)}",
        )

    drawn_edges: set[tuple[str, str]] = set()
    for node in shown:
        if node.is_constant:  # a constant needs no gradient: show just its number
            graph.node(
                node_id(node),
                label=graphviz.escape(names[node]),
                shape="box",
                style="filled",
                fillcolor=ROLE_COLORS["constant"],
                id=node_id(node),
                fontsize="9",
                height="0.25",
                width="0.3",
                margin="0.04",
            )
            continue
        graph.node(
            node_id(node), label=_value_label(names[node], node.data, node.grad), **box_attrs(node)
        )
        if node.is_leaf:
            continue
        op_id = f"op{node.serial}"
        symbol = node.op.notation.symbol.strip() or node.op.name
        if node.op.arity < 0:  # a fused node shows its formula: Σ w1·x1 … w16·x16 + b
            symbol = formula_text(names.formula(node))
        graph.node(
            op_id,
            label=graphviz.escape(symbol),
            shape="ellipse",
            id=op_id,
            style="filled",
            fillcolor="#f5f5f5",
            fontsize="10",
            width="0.3",
            height="0.3",
            margin="0.02",
        )
        graph.edge(op_id, node_id(node))
        local_derivatives = _locals(names, node) if show_local else None
        for index, parent in enumerate(node.parents):
            attrs = {"id": f"e{node.serial}_{index}"}
            if (
                local_derivatives is not None
                and index not in node.op.constant_inputs
                and not parent.is_constant
            ):
                attrs["label"] = graphviz.escape(local_derivatives[index])
            if (node, parent) in highlighted or (node, index) in highlighted:
                attrs.update(color=HIGHLIGHT, penwidth="3", fontcolor=HIGHLIGHT)
            graph.edge(endpoint(parent), op_id, **attrs)
    for node in names.nodes:  # edges into collapsed groups, once per pair
        if node not in group:
            continue
        for parent in node.parents:
            key = (endpoint(parent), endpoint(node))
            if key[0] != key[1] and key not in drawn_edges:
                drawn_edges.add(key)
                graph.edge(*key)
    return graph


def _locals(names: Names, node: Value) -> list[str]:
    formulas = local_derivative_formulas(
        node.op, tuple(names.expr(p) for p in node.parents), names.expr(node)
    )
    values = local_derivatives(node)
    return [local_text(formula_text(f), v) for f, v in zip(formulas, values)]


def _highlights(highlight: object) -> set:
    if highlight is None:
        return set()
    if isinstance(highlight, (Value, tuple)):
        return {highlight}
    return set(highlight)  # type: ignore[call-overload]


def _number(x: float | Value) -> float:
    return x.data if isinstance(x, Value) else x


def _group_id(name: str) -> str:
    return re.sub(r"\W", "_", name)
