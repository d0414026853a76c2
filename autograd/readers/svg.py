"""A drawing as SVG: dot decides where things go, stepgrad draws them.

``dot -Tjson`` gives the position and size of every box, the curve of every edge and the centre
of every edge label. From those, :func:`to_svg` writes the SVG itself: every text centred in its
box (so a box sized by :mod:`autograd.readers.text_width` holds its text in the browser's fonts,
whatever dot thought of Greek or Chinese), labels exactly as written (XML-escaped, no Graphviz
escapes), and stable ids and classes the stepper page and a teacher's style sheet can use:

* a value box is ``<g id="n12" class="box value intermediate">`` with ``text.name``,
  ``text.data`` and ``text.grad``; an op oval ``<g id="op12" class="box op">``;
* the edge from input ``i`` of node 12 is ``<g id="e12_i" class="edge input">`` holding its path,
  its arrowhead and its label (``tspan.formula`` then ``tspan.value``);
* whatever is highlighted has the class ``current``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from .display import Role

__all__ = [
    "Box",
    "Arrow",
    "Layout",
    "lay_out",
    "to_svg",
    "STYLE",
    "FONT_STACK",
    "FONT_SIZE",
    "LINE_GAP",
    "font_size",
]

FONT_SIZE = {"name": 17.0, "line": 15.0, "op": 18.0, "label": 15.0}
"""Font sizes, in points (SVG pixels at zoom 1): box names, their other lines, op ovals and edge
labels. The stepper page zooms so that the current step's text is at least 18 px."""
LINE_GAP = 1.3
"""Line height, as a multiple of the font size."""


def font_size(kind: str) -> float:
    """The font size of a line of the given class (``name``, ``data``, ``op``, ``label``, …)."""
    return FONT_SIZE.get(kind, FONT_SIZE["line"])


@dataclass
class Box:
    """Something drawn as a shape with text: a value, an op, a constant, a collapsed group."""

    id: str
    kind: Literal["value", "op", "constant", "group", "summary"]
    lines: list[tuple[str, str]]
    """(class, text) per line: ``("name", "h1")``, ``("data", "data 0.942489")``, …"""
    role: Role | None = None
    width: float = 0.0
    height: float = 0.0
    current: bool = False
    grad_fill: str | None = None


@dataclass
class Arrow:
    """An edge: from an input into an op (with its local derivative), from an op to its result,
    or between collapsed groups."""

    id: str
    tail: str
    head: str
    kind: Literal["input", "result", "group"]
    formula: str = ""
    """``∂/∂h1: ω1``: which input, and the formula of its local derivative."""
    value: str = ""
    """`` = -0.4``: the local derivative's number (the page shows it once it is computed)."""
    current: bool = False
    label_width: float = 0.0
    label_height: float = 0.0


FONT_STACK = (
    '"DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", '
    '"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Segoe UI", Arial, sans-serif'
)
"""Fonts for the drawing and the page: Latin and Greek in DejaVu Sans where it exists (Linux),
Chinese in Noto Sans CJK / Source Han Sans, Microsoft YaHei (Windows) or PingFang (macOS)."""

MARGIN = 12.0
"""Room around a drawing, in points."""


@dataclass(frozen=True)
class Placed:
    """Where dot put a box: its centre and size, in points, y growing downwards."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Route:
    """Where dot drew an edge: its Bézier curve, arrowhead and label centre (if any)."""

    curve: tuple[tuple[float, float], ...]
    arrowhead: tuple[tuple[float, float], ...]
    label: tuple[float, float] | None


@dataclass(frozen=True)
class Layout:
    """dot's layout of a drawing: ``boxes`` and ``routes`` by id, and the overall size."""

    boxes: dict[str, Placed]
    routes: dict[str, Route]
    width: float
    height: float


def _points(text: str) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def lay_out(source: str, dot: str) -> Layout:
    """Run ``dot`` (the program at path ``dot``) on DOT ``source`` and read the layout."""
    result = subprocess.run(
        [dot, "-Tjson"],
        input=source.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"dot could not lay out the drawing: {message[-1] if message else ''}")
    document: dict[str, Any] = json.loads(result.stdout)
    x0, y0, x1, y1 = (float(v) for v in document["bb"].split(","))
    top = y1 + MARGIN

    def flip(point: tuple[float, float]) -> tuple[float, float]:
        return point[0] - x0 + MARGIN, top - point[1]

    boxes: dict[str, Placed] = {}
    for obj in document.get("objects", []):
        if "pos" not in obj:
            continue
        x, y = flip(_points(obj["pos"]))
        boxes[obj["name"]] = Placed(x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    routes: dict[str, Route] = {}
    for edge in document.get("edges", []):
        curve: list[tuple[float, float]] = []
        head: list[tuple[float, float]] = []
        for op in edge.get("_draw_", []):
            if op.get("op") in ("b", "B"):
                curve = [flip((p[0], p[1])) for p in op["points"]]
        for op in edge.get("_hdraw_", []):
            if op.get("op") in ("p", "P"):
                head = [flip((p[0], p[1])) for p in op["points"]]
        label = flip(_points(edge["lp"])) if "lp" in edge else None
        routes[edge.get("id", "")] = Route(tuple(curve), tuple(head), label)
    return Layout(boxes, routes, x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN)


# ---- writing SVG ------------------------------------------------------------------------------------

STYLE = (
    ".stepgrad-graph { font-family: "
    + FONT_STACK
    + "; }"
    + """
.stepgrad-graph text { fill: #111; dominant-baseline: central; text-anchor: middle; }
.box .shape { stroke-width: 1.5px; fill: #fff; stroke: #444; }
.box.input .shape { fill: #d4ebf9; stroke: #0072B2; }
.box.parameter .shape { fill: #fdecc4; stroke: #9a5b00; }
.box.parameter .inner { fill: none; stroke: #9a5b00; stroke-width: 1.2px; }
.box.output .shape { fill: #cdeee2; stroke: #00795c; stroke-width: 3.5px; }
.box.constant .shape { fill: #eeeeee; stroke: #6b6b6b; stroke-dasharray: 4 3; }
.box.op .shape { fill: #f2f2f2; stroke: #444; }
.box.group .shape { fill: #efe3f5; stroke: #6a3d7c; }
.box.group .depth { fill: #dcc6e6; stroke: #6a3d7c; stroke-width: 1.2px; }
.box.summary .shape { fill: #fffbe6; stroke: #444; }
.box text.name { font-weight: 700; font-size: 17px; }
.box text.data, .box text.grad, .box text.note, .box text.constant { font-size: 15px; }
.box text.op { font-size: 18px; }
.edge path { fill: none; stroke: #555; stroke-width: 1.6px; }
.edge polygon { fill: #555; stroke: #555; }
.edge .label-bg { fill: #ffffff; fill-opacity: 0.92; stroke: none; }
.edge text { font-size: 15px; fill: #222; }
.edge text .value { fill: #333; }
.halo { display: none; fill: none; stroke: #111; stroke-width: 2px; stroke-dasharray: 7 4; }
.current > .halo { display: inline; }
.box.current > .shape { stroke: #D55E00; stroke-width: 5px; }
.edge.current path { stroke: #D55E00; stroke-width: 5px; }
.edge.current polygon { fill: #D55E00; stroke: #D55E00; }
.edge.current .label-bg { fill: #fff3b0; fill-opacity: 1; stroke: #D55E00; stroke-width: 2px; }
.edge.current text { font-weight: 700; }
"""
)
"""The drawing's look; the stepper page adds its own rules on top (e.g. hiding pending values)."""


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _curve(points: tuple[tuple[float, float], ...]) -> str:
    if not points:
        return ""
    first, rest = points[0], points[1:]
    d = f"M{_f(first[0])},{_f(first[1])}"
    for i in range(0, len(rest) - len(rest) % 3, 3):
        (a, b), (c, e), (g, h) = rest[i : i + 3]
        d += f" C{_f(a)},{_f(b)} {_f(c)},{_f(e)} {_f(g)},{_f(h)}"
    return d


def _text_lines(box: Box, place: Placed) -> str:
    heights = [font_size(kind) * LINE_GAP for kind, _text in box.lines]
    y = place.y - sum(heights) / 2
    parts = []
    for (kind, text), height in zip(box.lines, heights):
        y += height / 2
        parts.append(f'<text class="{kind}" x="{_f(place.x)}" y="{_f(y)}">{escape(text)}</text>')
        y += height / 2
    return "".join(parts)


def _box(box: Box, place: Placed, prefix: str = "") -> str:
    classes = " ".join(
        ["box", box.kind, *([box.role] if box.role else []), *(["current"] if box.current else [])]
    )
    x, y, w, h = place.x - place.width / 2, place.y - place.height / 2, place.width, place.height
    fill = f' style="fill:{box.grad_fill}"' if box.grad_fill else ""
    if box.kind == "op":
        shape = (
            f'<ellipse class="halo" cx="{_f(place.x)}" cy="{_f(place.y)}" rx="{_f(w / 2 + 7)}" '
            f'ry="{_f(h / 2 + 7)}"/><ellipse class="shape" cx="{_f(place.x)}" '
            f'cy="{_f(place.y)}" rx="{_f(w / 2)}" ry="{_f(h / 2)}"/>'
        )
    else:
        radius = 12 if box.role == "input" else 3
        shape = (
            f'<rect class="halo" x="{_f(x - 7)}" y="{_f(y - 7)}" width="{_f(w + 14)}" '
            f'height="{_f(h + 14)}" rx="{radius + 5}"/>'
        )
        if box.kind == "group":
            shape += (
                f'<rect class="depth" x="{_f(x + 5)}" y="{_f(y - 5)}" width="{_f(w)}" '
                f'height="{_f(h)}" rx="3"/>'
            )
        shape += (
            f'<rect class="shape" x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" '
            f'rx="{radius}"{fill}/>'
        )
        if box.role == "parameter":
            shape += (
                f'<rect class="inner" x="{_f(x + 4)}" y="{_f(y + 4)}" width="{_f(w - 8)}" '
                f'height="{_f(h - 8)}" rx="2"/>'
            )
    return (
        f'<g id="{prefix}{box.id}" class="{classes}" data-width="{_f(w)}">{shape}'
        f"{_text_lines(box, place)}</g>"
    )


def _arrow(arrow: Arrow, route: Route | None, node: str, parent: str, prefix: str = "") -> str:
    if route is None:
        return ""
    classes = " ".join(["edge", arrow.kind, *(["current"] if arrow.current else [])])
    head = " ".join(f"{_f(x)},{_f(y)}" for x, y in route.arrowhead)
    parts = [f'<path d="{_curve(route.curve)}"/>']
    if head:
        parts.append(f'<polygon points="{head}"/>')
    if arrow.formula and route.label is not None:
        x, y = route.label
        w, h = arrow.label_width, arrow.label_height
        parts.append(
            f'<g class="label" data-width="{_f(w)}"><rect class="label-bg" x="{_f(x - w / 2)}" '
            f'y="{_f(y - h / 2)}" width="{_f(w)}" height="{_f(h)}" rx="3"/>'
            f'<text x="{_f(x)}" y="{_f(y)}"><tspan class="formula">{escape(arrow.formula)}'
            f'</tspan><tspan class="value">{escape(arrow.value)}</tspan></text></g>'
        )
    data = f' data-node="{node}" data-parent="{parent}"' if arrow.kind == "input" else ""
    return f'<g id="{prefix}{arrow.id}" class="{classes}"{data}>{"".join(parts)}</g>'


def to_svg(
    boxes: list[Box],
    arrows: list[Arrow],
    layout: Layout,
    title: str,
    *,
    standalone: bool = True,
    id_prefix: str = "",
) -> str:
    """The drawing as SVG. ``standalone`` adds a size and the style sheet, for a file or Jupyter;
    the stepper page embeds the SVG and brings its own styles. ``id_prefix`` goes before every
    id, so two drawings of one graph can share a page."""
    title = escape(title)
    edges = "".join(_arrow(a, layout.routes.get(a.id), a.head, a.tail, id_prefix) for a in arrows)
    shapes = "".join(_box(b, layout.boxes[b.id], id_prefix) for b in boxes if b.id in layout.boxes)
    style = f"<style>{STYLE}</style>" if standalone else ""
    size = f'width="{_f(layout.width)}" height="{_f(layout.height)}" ' if standalone else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stepgrad-graph" {size}'
        f'viewBox="0 0 {_f(layout.width)} {_f(layout.height)}" role="img" '
        f'aria-label="{title}"><title>{title}</title>{style}'
        f'<g class="edges">{edges}</g><g class="boxes">{shapes}</g></svg>'
    )
