"""Drawing a graph: values, ops, local derivatives, and where the gradient flows.

    >>> from autograd.toy import toy_model
    >>> model = toy_model()
    >>> model.loss.backward()
    >>> drawing = draw_graph(model.loss, parameters=model.parameters.values())
    >>> drawing.source.startswith("digraph")  # DOT source, built without running any program
    True
    >>> save_drawing(drawing, "toy.svg")  # doctest: +SKIP

Each Value is a box with its name, ``data`` and ``grad``; each op is an oval between its inputs
and its result (multiply is drawn ×), and each edge into an op carries the local derivative for
that input, saying which input it belongs to: ``∂/∂h1: ω1 = -0.4``. Roles are told apart by
border as well as by colour (a colour-blind-safe palette): inputs have round corners, parameters a
double border, the output a thick border, constants a dashed one. The current step (``highlight``)
gets a thick vermillion outline and a dashed halo, and the class ``current``.

:func:`draw_graph` builds the drawing and its DOT source without running any program. Laying it
out needs ``dot``: the ``graphviz-pure`` package provides one (a static build, nothing to install
with apt), and a system Graphviz on PATH is used instead when there is one. stepgrad sizes every
box and edge label itself (:mod:`autograd.readers.text_width`), because the bundled ``dot`` cannot
measure Greek or Chinese text, and writes the SVG itself from dot's layout
(:mod:`autograd.readers.svg`), so every label is drawn exactly as written.
"""

from __future__ import annotations

import html
import itertools
import math
import shutil
import sys
import sysconfig
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz

from ..core.backward import local_derivatives
from ..core.graph import as_float
from ..core.value import Value
from ..files import write_atomically
from ..i18n import Lang, checked_lang, translation
from .display import (
    Names,
    Naming,
    Parameters,
    Role,
    as_variable,
    edge_id,
    group_id,
    node_id,
    number,
    op_id,
    roles,
)
from .fold import RANK_GAP, fold
from .formula import local_derivative_formulas
from .svg import FONT_SIZE, FONT_STACK, LINE_GAP, Arrow, Box, Layout, font_size, lay_out, to_svg
from .text_width import text_width
from .tracing import formula_text

__all__ = [
    "draw_graph",
    "Drawing",
    "Box",
    "Arrow",
    "find_dot",
    "Highlight",
    "png_bytes",
    "save_drawing",
    "check_drawing_path",
    "MAX_NODES",
    "ROLE_COLORS",
]

MAX_NODES = 400
"""More boxes and ovals than this make a drawing nobody can read: draw_graph shows a summary."""

_PAD_X, _PAD_Y = 12.0, 8.0

Collapse = Callable[[Value], "str | None"] | Mapping[Value, str] | None
Highlight = Value | tuple[Value, int] | tuple[Value, Value]
"""What ``draw_graph(highlight=...)`` marks: a node, an edge as (node, input index) (a trace
row's ``.edge``), or an edge as (node, parent)."""


@dataclass
class Drawing:
    """A drawn graph: its boxes and arrows, and their DOT source (``.source``).

    In Jupyter it shows itself as SVG. :meth:`svg` gives the SVG text and
    :func:`save_drawing` writes SVG, PNG (rendered from the SVG) or DOT. ``.groups`` maps each
    node of a collapsed group to the group's box id; ``.boxes`` and ``.arrows`` are what gets
    drawn.
    """

    boxes: list[Box]
    arrows: list[Arrow]
    direction: str = "LR"
    lang: Lang = "en"
    title: str = "stepgrad"
    groups: dict[Value, str] = field(default_factory=dict, repr=False)
    aspect: float | None = None
    """Fold a long chain to fit a screen of this shape (width / height); see :mod:`.fold`."""
    bands: dict[str, int] = field(default_factory=dict, repr=False)
    """Which band (column, or row for LR) each box was folded into, once laid out."""
    _layout: Layout | None = field(default=None, repr=False)

    @property
    def source(self) -> str:
        """The drawing as DOT: what ``dot`` lays out, and what any Graphviz can render. (A folded
        drawing is folded by stepgrad, band by band; the DOT source is the unfolded graph.)"""
        return str(self.digraph().source)

    def digraph(self) -> graphviz.Digraph:
        """The drawing as a :class:`graphviz.Digraph` (for Graphviz's own renderers)."""
        return _digraph(self.boxes, self.arrows, self.direction)

    def layout(self) -> Layout:
        """Where dot puts every box, edge and label (computed once, then kept)."""
        if self._layout is None:
            dot = configure_dot()

            def run(
                boxes: Sequence[Box], arrows: Sequence[Arrow], direction: str, gap: float = RANK_GAP
            ) -> Layout:
                return lay_out(str(_digraph(boxes, arrows, direction, gap).source), dot)

            if self.aspect is None:
                self._layout = run(self.boxes, self.arrows, self.direction)
            else:
                self._layout, self.bands = fold(
                    self.boxes, self.arrows, self.direction, self.aspect, run
                )
        return self._layout

    def svg(self, *, standalone: bool = True, id_prefix: str = "") -> str:
        """The drawing as SVG text, laid out by dot: ``standalone`` (the default) includes the
        styles and the XML header, for a file; ``id_prefix`` keeps ids apart on a shared page."""
        return to_svg(
            self.boxes,
            self.arrows,
            self.layout(),
            self.title,
            standalone=standalone,
            id_prefix=id_prefix,
        )

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **_: Any
    ) -> dict[str, str]:
        """How Jupyter shows a drawing: as SVG."""
        return {"image/svg+xml": self.svg()}


CURRENT_COLOR = "#D55E00"
"""The highlight: vermillion, from the Okabe–Ito palette that colour-blind viewers can tell apart."""
ROLE_COLORS: dict[Role, tuple[str, str]] = {
    "input": ("#d4ebf9", "#0072B2"),
    "parameter": ("#fdecc4", "#9a5b00"),
    "constant": ("#eeeeee", "#6b6b6b"),
    "output": ("#cdeee2", "#00795c"),
    "intermediate": ("#ffffff", "#444444"),
}
"""(fill, border) per role, from the Okabe–Ito palette: sky blue, orange, bluish green, grey."""


# ---- finding dot -----------------------------------------------------------------------------------


def find_dot() -> str | None:
    """The ``dot`` program to use: a system ``dot`` on PATH, else graphviz-pure's binary (which
    installs as ``graphviz-pure``), looked up on PATH and in this Python's scripts folder (a
    virtual environment's ``bin`` is often not on PATH)."""
    system = shutil.which("dot")
    if system:
        return system
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    return shutil.which("graphviz-pure") or shutil.which(
        "graphviz-pure", path=":".join(map(str, folders))
    )


def configure_dot() -> str:
    """Point the graphviz package at the dot program :func:`find_dot` chose; returns its path."""
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
    return dot


FORMATS = ("svg", "png", "dot", "gv")


def check_drawing_path(path: str | Path) -> str:
    """The format a drawing would be written in at ``path``, or an error saying why it cannot:
    a suffix that names no format, or PDF (ValueError), or a folder that does not exist
    (FileNotFoundError)."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt == "pdf":
        raise ValueError(
            f"cannot write {path.name}: stepgrad writes .svg, .png and .dot; for a PDF, write the "
            ".svg and print it to PDF from a browser (or convert it with rsvg-convert -f pdf)"
        )
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot tell the drawing format from {path.name!r}; use a .svg, .png or .dot file name"
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: there is no folder {path.parent}")
    return fmt


PNG_ZOOM = 1.5
"""A PNG is the SVG drawn at this many pixels per SVG unit, sharp enough for slides."""


def png_bytes(drawing: Drawing, zoom: float = PNG_ZOOM) -> bytes:
    """The drawing as PNG: stepgrad's own SVG (:meth:`Drawing.svg`), rendered by resvg with the
    system's fonts. A Chinese drawing puts a CJK font first in the font list, so every character
    of a line comes from one sans-serif font (Noto Sans CJK, Source Han Sans, Microsoft YaHei,
    PingFang), as in the browser."""
    import resvg_py

    svg = drawing.svg()
    if drawing.lang == "zh":  # resvg would take a missing glyph from any font, serif included
        svg = svg.replace(FONT_STACK, CJK_FIRST, 1)
    png: bytes = resvg_py.svg_to_bytes(
        svg_string=svg, background="#ffffff", zoom=zoom, sans_serif_family="DejaVu Sans"
    )
    return bytes(png)


CJK_FIRST = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "Hiragino Sans GB", "DejaVu Sans", Arial, sans-serif'
)
"""The font list of a Chinese PNG: a CJK sans-serif first (it has Latin letters too)."""


def save_drawing(drawing: Drawing, path: str | Path) -> Path:
    """Write the drawing to ``path``; the suffix (.svg, .png, .dot) picks the format.

    SVG is stepgrad's own (labels exactly as written, text sized for the browser's fonts). PNG
    is that same SVG rendered (:func:`png_bytes`), so it looks like the SVG, Chinese included.
    DOT is the graph for Graphviz (unfolded: folding is stepgrad's own layout). For a PDF, print
    the SVG from a browser. The file is written atomically, with the usual permissions (the
    umask decides).
    """
    path = Path(path)
    fmt = check_drawing_path(path)
    if fmt in ("dot", "gv"):
        return write_atomically(path, drawing.source)
    if fmt == "svg":
        return write_atomically(path, drawing.svg())
    return write_atomically(path, png_bytes(drawing))


# ---- building the drawing -------------------------------------------------------------------------


def _groups(names: Names, collapse: Collapse) -> dict[Value, str]:
    """Which collapsed group each node belongs to (nodes in no group are left out).

    ``collapse`` says it for some nodes (for an ``nn`` network, ``model.grouping("neurons")``
    names each neuron's parameters and outputs). The unlabelled intermediates and constants that
    a group's nodes are computed from join that group: the walk goes from the outputs back, so
    a neuron's weighted sum and its inputs join the neuron.
    """
    if collapse is None:
        return {}
    if isinstance(collapse, Mapping):
        mapping = collapse
        named = {n: g for n in names.nodes if (g := mapping.get(n))}
    elif callable(collapse):
        named = {n: g for n in names.nodes if (g := collapse(n))}
    else:
        raise TypeError(
            "collapse must be a function from node to group name (such as "
            "model.grouping('neurons') for an nn network), a mapping, or None; "
            f"got {collapse!r}"
        )
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


def _highlights(highlight: Highlight | Iterable[Highlight] | None) -> set[Highlight]:
    if highlight is None:
        return set()
    if isinstance(highlight, (Value, tuple)):
        return {highlight}
    if isinstance(highlight, Iterable):
        return set(highlight)
    raise TypeError(f"highlight must be a Value, an edge or a list of them, got {highlight!r}")


def _is_highlighted(highlighted: set[Highlight], node: Value, index: int, parent: Value) -> bool:
    return (node, index) in highlighted or (node, parent) in highlighted


def op_symbol(node: Value, names: Names) -> str:
    """What an op oval shows: ``×`` for multiply, ``sin``, ``+``; a fused node its formula."""
    assert node.op is not None
    if node.op.notation.kind in ("dot", "sum"):
        return formula_text(names.formula(node))
    symbol = node.op.notation.symbol.strip() or node.op.name
    return {"·": "×", "-": "−"}.get(symbol, symbol)


def local_labels(names: Names, node: Value, computed: bool = True) -> list[tuple[str, str]]:
    """Per input of ``node``: (``∂/∂h1: ω1``, `` = -0.4``). The number is left out when it is
    the formula itself (``∂/∂β1: 1``) and when ``computed`` is false."""
    assert node.op is not None
    formulas = local_derivative_formulas(
        node.op, tuple(names.expr(p) for p in node.parents), names.expr(node)
    )
    values = local_derivatives(node) if computed else (math.nan,) * len(node.parents)
    labels = []
    for parent, formula, value in zip(node.parents, formulas, values):
        text = formula_text(formula)
        shown = "" if not computed or text == number(value) else f" = {number(value)}"
        labels.append((f"∂/∂{as_variable(names[parent])}: {text}", shown))
    return labels


def value_lines(name: str, data: str, grad: str, lang: str = "en") -> list[tuple[str, str]]:
    """A value box's three lines: its name, ``data 0.942`` and ``grad 6.82`` (值 and 梯度)."""
    _ = translation(lang).gettext
    return [("name", name), ("data", f"{_('data')} {data}"), ("grad", f"{_('grad')} {grad}")]


def draw_graph(
    output: Value,
    *,
    parameters: Parameters = (),
    direction: str = "LR",
    show_local: bool = True,
    highlight: Highlight | Iterable[Highlight] | None = None,
    grad_scale: bool = False,
    collapse: Collapse = None,
    max_nodes: int = MAX_NODES,
    lang: str = "en",
    aspect: float | None = None,
    naming: Naming = "inline",
) -> Drawing:
    """Draw ``output``'s graph; returns a :class:`Drawing` (SVG in Jupyter; ``.source`` is DOT).

    ``parameters`` marks which leaves are parameters (the rest are inputs): a list of Values or a
    dict of them, checked as for :func:`~autograd.readers.tracing.trace`. ``direction`` is
    "LR" or "TB". ``show_local`` writes each edge's local derivative on it. ``highlight`` is a
    Value, an edge ``(node, input index)`` (``row.edge`` of a trace row), an edge ``(node,
    parent)``, or a list of them: the current step. ``grad_scale`` fills each box by |grad| on
    a log scale, so vanishing gradients show as white. ``collapse`` draws groups of nodes as one
    box: a function from node to group name, or a mapping; for an ``nn`` network,
    ``model.grouping("neurons")`` or ``model.grouping("layers")``. A graph with more than
    ``max_nodes`` boxes and ovals is drawn as a one-box summary instead. ``lang`` is "en" or
    "zh". ``aspect`` (say ``16/9``) folds a long chain into columns side by side (rows, for
    "LR"), as a snake, so the drawing fits a screen of that shape (see :mod:`.fold`). ``naming``
    is the naming policy (``"inline"`` or ``"textbook"``, see
    :class:`~autograd.readers.display.Names`), as for ``trace`` and ``export_html``.
    """
    if direction not in ("LR", "TB"):
        raise ValueError(f"direction must be 'LR' or 'TB', got {direction!r}")
    language = checked_lang(lang)
    _ = translation(language).gettext
    names = Names([output], style=naming)
    role = roles(output, names.nodes, parameters, "draw_graph's parameters")
    group = _groups(names, collapse)
    highlighted = _highlights(highlight)
    drawing = Drawing([], [], direction, language)

    shown = [n for n in names.nodes if n not in group]
    group_names = sorted(set(group.values()))
    count = len(shown) + sum(1 for n in shown if not n.is_leaf) + len(group_names)
    if count > max_nodes:
        text = _(
            "Graph too large to draw usefully: {values} values, {boxes} boxes (limit {limit}). "
            "Draw less (collapse=model.grouping('neurons') for an nn network) or raise max_nodes."
        ).format(values=f"{len(names.nodes):,}", boxes=f"{count:,}", limit=f"{max_nodes:,}")
        lines = [("note", line) for line in wrap(text, 600.0, font_size("note"))]
        drawing.boxes.append(_sized(Box("summary", "summary", lines)))
        return drawing

    largest = max((abs(as_float(n.grad)) for n in names.nodes), default=0.0)
    for name in group_names:
        members = [n for n in names.nodes if group.get(n) == name]
        box = Box(
            group_id(name),
            "group",
            [
                ("name", name),
                (
                    "note",
                    translation(language)
                    .ngettext("{count} value", "{count} values", len(members))
                    .format(count=len(members)),
                ),
            ],
            current=any(m in highlighted for m in members),
        )
        drawing.boxes.append(_sized(box))
    drawing.groups = {n: group_id(g) for n, g in group.items()}

    def endpoint(node: Value) -> str:
        return drawing.groups.get(node) or node_id(node)

    for node in shown:
        if node.is_constant:  # a constant needs no gradient: just its number
            drawing.boxes.append(
                _sized(Box(node_id(node), "constant", [("constant", names[node])], "constant"))
            )
            continue
        box = Box(
            node_id(node),
            "value",
            value_lines(names[node], number(node.data), number(as_float(node.grad)), language),
            role[node],
            current=node in highlighted,
        )
        if grad_scale:
            box.grad_fill = _grad_fill(as_float(node.grad), largest)
        drawing.boxes.append(_sized(box))
        if node.is_leaf:
            continue
        assert node.op is not None
        drawing.boxes.append(
            _sized(
                Box(
                    op_id(node),
                    "op",
                    [("op", op_symbol(node, names))],
                    current=any(
                        _is_highlighted(highlighted, node, i, p) for i, p in enumerate(node.parents)
                    ),
                )
            )
        )
        drawing.arrows.append(Arrow(f"r{node.serial}", op_id(node), node_id(node), "result"))
        labels = local_labels(names, node) if show_local else None
        for index, parent in enumerate(node.parents):
            arrow = Arrow(
                edge_id(node, index),
                endpoint(parent),
                op_id(node),
                "input",
                current=_is_highlighted(highlighted, node, index, parent),
            )
            shows_local = index not in node.op.constant_inputs and not parent.is_constant
            if labels is not None and shows_local:
                arrow.formula, arrow.value = labels[index]
            drawing.arrows.append(_sized_label(arrow))
    drawn: set[tuple[str, str]] = set()
    for node in names.nodes:  # edges between collapsed groups, once per pair
        if node not in group:
            continue
        for parent in node.parents:
            key = (endpoint(parent), endpoint(node))
            if key[0] != key[1] and key not in drawn:
                drawn.add(key)
                drawing.arrows.append(Arrow(f"ge_{key[0]}_{key[1]}", *key, "group"))
    drawing.aspect = aspect
    return drawing


# ---- sizes ------------------------------------------------------------------------------------------


def _sized(box: Box) -> Box:
    """Give ``box`` the size its text needs in the browser's fonts (see text_width)."""
    width = max(text_width(text, font_size(kind)) for kind, text in box.lines)
    height = sum(font_size(kind) * LINE_GAP for kind, _text in box.lines)
    if box.kind == "op":
        box.width = max(width + 2 * _PAD_X, 44.0)
        box.height = max(height + _PAD_Y, 36.0)
    else:
        box.width = width + 2 * _PAD_X
        box.height = height + 2 * _PAD_Y
    return box


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width``: between words, or between any two
    characters of a text without spaces (Chinese)."""
    pieces = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    for piece in pieces:
        candidate = f"{lines[-1]}{joiner}{piece}" if lines else piece
        if lines and text_width(candidate, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(piece)
    return lines


def fit_box(box: Box, texts: Iterable[str]) -> None:
    """Widen ``box`` so each of ``texts`` (other contents it will show, such as running totals
    on the stepper page) fits as a data or grad line."""
    widest = max((text_width(t, font_size("grad")) for t in texts), default=0.0)
    box.width = max(box.width, widest + 2 * _PAD_X)


def _sized_label(arrow: Arrow) -> Arrow:
    if arrow.formula:
        arrow.label_width = text_width(arrow.formula + arrow.value, FONT_SIZE["label"]) + 10
        arrow.label_height = FONT_SIZE["label"] * 1.5
    return arrow


def _grad_fill(grad: float, largest: float) -> str:
    """White for a vanishing gradient, deepening to orange for the largest, on a log scale over
    eight decades."""
    if largest <= 0 or grad == 0:
        return "#ffffff"
    strength = max(0.0, 1 + math.log10(abs(grad) / largest) / 8)
    low, high = (255, 255, 255), (230, 159, 0)  # white to Okabe–Ito orange
    mixed = (round(a + (b - a) * strength) for a, b in zip(low, high))
    return "#" + "".join(f"{c:02x}" for c in mixed)


# ---- DOT --------------------------------------------------------------------------------------------


def _digraph(
    boxes: Sequence[Box], arrows: Sequence[Arrow], direction: str, rank_gap: float = RANK_GAP
) -> graphviz.Digraph:
    """DOT for ``boxes`` and the ``arrows`` between them, laid out in ``direction`` (TB, BT, LR
    or RL), at least ``rank_gap`` points between ranks. Collapsed groups named alike (``L1.N1``,
    ``L1.N2``, …) stand side by side in the order of their numbers."""
    graph = graphviz.Digraph(
        "stepgrad",
        graph_attr={
            "rankdir": direction,
            "nodesep": "0.3",
            "ranksep": f"{rank_gap / 72:g}",
            "fontname": "DejaVu Sans",
        },
        node_attr={"fontname": "DejaVu Sans", "margin": "0"},
        edge_attr={"fontname": "DejaVu Sans", "fontsize": str(FONT_SIZE["label"])},
    )
    for box in boxes:
        graph.node(box.id, **_dot_box(box))
    for row in _group_rows(boxes):
        with graph.subgraph() as same:
            same.attr(rank="same")
            for left, right in itertools.pairwise(row):
                same.edge(left, right, style="invis")
    for arrow in arrows:
        attrs = {"id": arrow.id}
        if arrow.formula:
            attrs["label"] = _dot_label(
                [("label", arrow.formula + arrow.value)],
                arrow.label_width,
                arrow.label_height,
                FONT_SIZE["label"],
            )
        if arrow.current:
            attrs.update(color=CURRENT_COLOR, penwidth="4")
        graph.edge(arrow.tail, arrow.head, **attrs)
    return graph


def _group_rows(boxes: Sequence[Box]) -> list[list[str]]:
    """Collapsed groups that are numbered members of one family (``L2.N1`` … ``L2.N4``), in the
    order of their numbers: each family is drawn as one row, in order."""
    families: dict[str, list[tuple[int, str]]] = {}
    for box in boxes:
        if box.kind != "group":
            continue
        name = box.lines[0][1]
        stem = name.rstrip("0123456789")
        if stem != name:
            families.setdefault(stem, []).append((int(name[len(stem) :]), box.id))
    return [[i for _n, i in sorted(members)] for members in families.values() if len(members) > 1]


def _inches(points: float) -> str:
    return f"{points / 72:.3f}"


def _dot_label(lines: list[tuple[str, str]], width: float, height: float, size: float) -> str:
    """An HTML-like label: the text is escaped, and Graphviz expands no backslash escapes in it,
    so it is drawn as written. The cell is at least as big as stepgrad measured the text."""
    rows = "<BR/>".join(
        f"<B>{html.escape(text)}</B>" if kind == "name" else html.escape(text)
        for kind, text in lines
    )
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f'<TD WIDTH="{math.ceil(width)}" HEIGHT="{math.ceil(height)}">'
        f'<FONT POINT-SIZE="{size:g}">{rows}</FONT></TD></TR></TABLE>>'
    )


def _dot_box(box: Box) -> dict[str, str]:
    fill, border = ROLE_COLORS[box.role or "intermediate"]
    attrs = {
        "id": box.id,
        "label": _dot_label(
            box.lines, box.width - 2 * _PAD_X, box.height - _PAD_Y, font_size("line")
        ),
        "width": _inches(box.width),
        "height": _inches(box.height),
        "shape": "ellipse" if box.kind == "op" else "box",
        "style": "filled" if box.kind == "op" else "rounded,filled",
        "fillcolor": box.grad_fill or ("#f2f2f2" if box.kind == "op" else fill),
        "color": border,
    }
    if box.kind == "group":
        attrs.update(shape="box3d", fillcolor="#efe3f5", style="filled")
    if box.current:
        attrs.update(color=CURRENT_COLOR, penwidth="4")
    return attrs
