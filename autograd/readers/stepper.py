"""The HTML stepper: one self-contained page to step through a forward and backward pass.

    export_html(model.loss, "steps.html", parameters=model.parameters)
    Stepper(model.loss, parameters=model.parameters)  # inline in Jupyter

The page holds the graph as inline SVG, the steps as JSON, and its script and styles; it loads
nothing from anywhere, so it works offline and from a file. It is made for a lecture hall:

* **It follows the step.** At every step the camera pans and zooms (animated) to the current
  node, its parent and the edge between them, at a zoom where their text is at least 18 px on a
  1920×1080 screen. "Whole graph" (key W) shows everything; the mouse wheel zooms, dragging pans.
  What is current has the class ``current`` on its SVG group.
* **Keys step exactly once**, whatever has focus: ← →, Home, End; space plays and pauses at the
  chosen speed; P toggles presenter mode (larger still). The step is in the URL (``#step=24``).
* **It reads like the book.** Forward steps show the formula, then the numbers, then the value;
  an edge shows its local derivative's value only once the forward pass has computed it.
  Backward steps are marked pass #1 or pass #2 and written with distinct symbols: the upstream
  gradient ``grad(f3)``, the local derivative ``∂f3/∂h3`` and the running total ``grad(h3) = 0 +
  3 × 0.744528``. The last step is a table of every leaf's gradient.
* **Networks** collapse: ``collapse=model.grouping("neurons")`` draws each neuron as one box and
  still steps through every chain-rule step inside it.
* **English or Chinese** (``lang="zh"``), accessible (landmarks, a live region that reads each
  step out, roles and the highlight told apart by border as well as colour).

Every label is escaped on its way into the SVG and the page, the data is strict JSON, and the
script writes text with ``textContent`` only, so a label such as ``<script>…`` is shown, never run.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..core.value import Number, Value
from ..files import write_atomically
from ..i18n import checked_lang, translation
from .display import (
    Names,
    Naming,
    Parameters,
    as_variable,
    checked_parameters,
    edge_id,
    json_number,
    node_id,
    number,
    op_id,
    operand,
)
from .draw import Collapse, Drawing, draw_graph, fit_box, local_labels
from .svg import STYLE
from .tracing import BackwardRow, formula_text, local_text, trace, with_numbers

__all__ = ["export_html", "stepper_html", "stepper_steps", "Stepper"]

DEFAULT_TITLE = "stepgrad: step through backpropagation"
"""The page's title when none is given (translated for ``lang="zh"``)."""
SCREEN_ASPECT = 1.25
"""The shape (width / height) of the page's graph area on a 16:9 screen, beside the panel: the
graph is folded to fit it (see :mod:`autograd.readers.fold`), and the page steps through, shows
whole (W) and ends on that one layout."""


class _Map:
    """Where each node of the graph is drawn: its own box, or its collapsed group's box."""

    def __init__(self, drawing: Drawing) -> None:
        self.groups = drawing.groups
        self.arrows = {a.id for a in drawing.arrows}

    def box(self, node: Value) -> str:
        return self.groups.get(node) or node_id(node)

    def op(self, node: Value) -> str:
        return self.groups.get(node) or op_id(node)

    def edge(self, node: Value, index: int) -> str | None:
        """The drawn edge of input ``index`` of ``node``; None inside a collapsed group."""
        parent = node.parents[index]
        if node in self.groups:
            tail, head = self.box(parent), self.groups[node]
            drawn = f"ge_{tail}_{head}"
            return drawn if tail != head and drawn in self.arrows else None
        drawn = edge_id(node, index)
        return drawn if drawn in self.arrows else None


def _unique(ids: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


class _Words:
    """What the page says about where a node is drawn: inside a collapsed box, for one sample."""

    def __init__(self, names: Names, drawing: Drawing, lang: str) -> None:
        self._ = translation(lang).gettext
        self.names = names
        self.groups = drawing.groups
        self.group_names = {box.id: box.lines[0][1] for box in drawing.boxes if box.kind == "group"}

    def sample(self, node: Value) -> int | None:
        """Which sample a node of a collapsed box belongs to (its name's subscript), if several."""
        if node not in self.groups:
            return None
        _base, k, total = self.names.occurrence(node)
        return k if total > 1 else None

    def inside(self, node: Value) -> list[list[str]]:
        """A line saying which drawn box holds ``node``, when it is hidden inside one."""
        if node not in self.groups:
            return []
        group = self.group_names[self.groups[node]]
        k = self.sample(node)
        where = (
            self._("inside the box {box}, sample {k}").format(box=group, k=k)
            if k is not None
            else self._("inside the box {box}").format(box=group)
        )
        return [[self._("drawn as"), where]]

    def part(self, node: Value, where: _Map) -> str:
        """What "jump to the next part" skips over: one box (and one sample of a collapsed box)."""
        k = self.sample(node)
        return where.box(node) + ("" if k is None else f"#{k}")


def stepper_steps(
    output: Value,
    gradient: Number = 1.0,
    *,
    parameters: Parameters = (),
    lang: str = "en",
    drawing: Drawing | None = None,
    naming: Naming = "inline",
) -> dict[str, Any]:
    """The page's data: the start, the forward steps, the backward steps and the closing table,
    each with what to highlight and its explanation. Runs a fresh backward pass. Numbers are
    already written (strings), so the page shows them exactly as traces do. ``naming`` is the
    naming policy (see :class:`~autograd.readers.display.Names`); the drawing must use the same."""
    language = checked_lang(lang)
    _ = translation(language).gettext
    parameters = checked_parameters(output, parameters, "stepper_steps's parameters")
    names = Names([output], style=naming)
    record = trace(output, gradient, parameters=parameters, lang=language, names=names)
    drawing = (
        drawing
        if drawing is not None
        else draw_graph(output, parameters=parameters, lang=language, naming=naming)
    )
    where = _Map(drawing)
    words = _Words(names, drawing, language)
    out = record.output_name
    computing = [n for n in names.nodes if not n.is_leaf]
    first = computing[0] if computing else output
    leaves = [where.box(n) for n in names.leaves()]
    steps: list[dict[str, Any]] = [
        {
            "kind": "start",
            "view": _unique([where.box(first), *map(where.box, first.parents), *leaves]),
            "title": _("Start"),
            "count": "",
            "subtitle": _("The leaves hold their values; every other box is still unknown."),
            "lines": [
                [_("next step"), _("→ or the next button")],
                [_("play / pause"), _("space")],
                [_("next or previous part"), _("Page Down, Page Up")],
                [_("whole graph"), "W"],
                [_("presenter mode"), "P"],
            ],
            "focus": [],
            "part": "start",
        }
    ]
    sections = [[_("Start"), 0]]
    for position, node in enumerate(computing, 1):
        assert node.op is not None
        if position == 1:
            sections.append([_("Forward pass"), len(steps)])
        formula = formula_text(names.formula(node))
        edges = [where.edge(node, i) for i in range(len(node.parents))]
        lines = [
            *words.inside(node),
            [_("formula"), formula if names.is_inlined(node) else f"{names[node]} = {formula}"],
            [_("with numbers"), f"= {with_numbers(node, names, expand=False)}"],
            [_("value"), f"{names[node]} = {number(node.data)}"],
        ]
        shown = [
            f"{f}{v}"
            for (f, v), e, parent, i in zip(
                local_labels(names, node), edges, node.parents, itertools.count()
            )
            if e and not parent.is_constant and i not in node.op.constant_inputs
        ]
        if shown:
            lines.append([_("local derivatives"), "; ".join(shown)])
        steps.append(
            {
                "kind": "forward",
                "title": _("Forward pass"),
                "count": f"{position} / {len(computing)}",
                "subtitle": _("compute {name}").format(name=names[node]),
                "lines": lines,
                "focus": _unique(
                    [where.box(node), where.op(node), *edges, *map(where.box, node.parents)]
                ),
                "reveal": where.box(node),
                "value": number(node.data),
                "edges": _unique(edges),
                "part": words.part(node, where),
            }
        )
    total = len(record.backward)
    seen_groups: set[str] = set()
    for row in record.backward:
        if row.step == 1:
            sections.append([_("Backward pass"), len(steps)])
        group = where.groups.get(row.node)
        if group is not None and group not in seen_groups:
            seen_groups.add(group)
            sections.append([_("Backward pass") + " · " + words.group_names[group], len(steps)])
        steps.append(_backward_step(row, out, total, where, words, language))
    grads = [[r.node_name, _(r.role), number(record.grads[r.node_name])] for r in record.leaves]
    sections.append([_("Done"), len(steps)])  # the jump menu's words: short, so they show whole
    steps.append(
        {
            "kind": "end",
            "title": _("Done: every leaf's gradient"),
            "count": "",
            "subtitle": _counted(language, total, len(grads)),
            "lines": [],
            "view": _unique([*(steps[-1]["focus"] if total else []), *reversed(leaves)]),
            "table": {"header": [_("leaf"), _("role"), f"∂{out}/∂" + _("leaf")], "rows": grads},
            "focus": [],
            "part": "end",
        }
    )
    values = {node_id(n): number(n.data) for n in names.nodes if n not in drawing.groups}
    return {
        "lang": language,
        "output": where.box(output),
        "outputName": out,
        "seed": number(float(gradient)),
        "seedValue": json_number(float(gradient)),
        "leaves": [node_id(n) for n in names.leaves() if n not in drawing.groups],
        "values": values,
        "words": {"data": _("data"), "grad": _("grad")},
        "sections": sections,
        "steps": steps,
    }


def _backward_step(
    row: BackwardRow, out: str, total: int, where: _Map, words: _Words, lang: str
) -> dict[str, Any]:
    _ = translation(lang).gettext
    node, parent = as_variable(row.node_name), as_variable(row.parent_name)
    local = f"∂{node}/∂{parent}"
    passes = {
        1: _("Backward pass #1 (intermediates)"),
        2: _("Backward pass #2 (parameters and inputs)"),
    }
    edge = where.edge(row.node, row.index)
    return {
        "kind": "backward",
        "pass": row.pass_number,
        "title": passes[row.pass_number],
        "count": f"{row.step} / {total}",
        "subtitle": _("from {node} to {parent}").format(node=row.node_name, parent=row.parent_name),
        "lines": [
            *words.inside(row.node),
            [_("chain rule"), f"grad({row.parent_name}) += {local} × grad({row.node_name})"],
            [_("upstream gradient"), f"grad({row.node_name}) = {number(row.upstream)}"],
            [_("local derivative"), f"{local} = {local_text(row.local_formula, row.local)}"],
            [
                _("running total"),
                f"grad({row.parent_name}) = {number(row.grad_before)} + "
                f"{operand(row.local)} × {operand(row.upstream)} = {number(row.grad_after)}",
            ],
        ],
        "focus": _unique([where.box(row.node), where.op(row.node), edge, where.box(row.parent)]),
        "source": where.box(row.node),
        "target": where.box(row.parent),
        "grad": number(row.grad_after),
        "part": words.part(row.node, where),
    }


def _asset(name: str) -> str:
    return files("autograd.readers").joinpath("page", name).read_text(encoding="utf-8")


def _script_json(data: object) -> str:
    """Strict JSON that is safe inside a ``<script>`` element (no ``</script>``, no NaN)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _counted(lang: str, steps: int, gradients: int) -> str:
    """The last step's subtitle: "22 chain-rule steps gave all 10 gradients at once." (one step,
    one gradient: each number with its own singular or plural)."""
    ngettext = translation(lang).ngettext
    stepped = ngettext("{steps} chain-rule step", "{steps} chain-rule steps", steps)
    return ngettext(
        "{stepped} gave the gradient.", "{stepped} gave all {count} gradients at once.", gradients
    ).format(stepped=stepped.format(steps=steps), count=gradients)


def _fill(template: str, values: dict[str, str]) -> str:
    """Put ``values`` into the template's ``{{NAME}}`` places in one pass: text that is put in
    (a title, a label) is never searched for placeholders itself."""
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: values[m.group(1)], template)


def stepper_html(
    output: Value,
    *,
    parameters: Parameters = (),
    gradient: Number = 1.0,
    title: str | None = None,
    direction: str = "TB",
    lang: str = "en",
    collapse: Collapse = None,
    naming: Naming = "inline",
) -> str:
    """The stepper page for ``output``'s graph, as HTML text (see :func:`export_html`)."""
    language = checked_lang(lang)
    _ = translation(language).gettext
    if title is None or title == DEFAULT_TITLE:  # the default title, in the page's language
        title = _("stepgrad: step through backpropagation")
    parameters = checked_parameters(output, parameters, "stepper_html's parameters")
    drawing = draw_graph(
        output,
        parameters=parameters,
        direction=direction,
        collapse=collapse,
        lang=language,
        aspect=SCREEN_ASPECT,
        naming=naming,
    )
    drawing.title = title
    data = stepper_steps(
        output, gradient, parameters=parameters, lang=language, drawing=drawing, naming=naming
    )
    _widen_for_running_totals(drawing, data)
    svg = drawing.svg(standalone=False)
    words = {
        "previous": _("previous"),
        "next": _("next"),
        "play": _("play"),
        "space": _("space"),
        "pause": _("pause"),
        "speed": _("speed"),
        "keyed": _("{action} ({key})"),
        "wholeGraph": _("whole graph"),
        "presenter": _("presenter mode"),
        "step": _("step"),
        "jump": _("jump to"),
        "graph": _("Computation graph (arrow keys step through it)"),
        "explanation": _("Explanation of the current step"),
        "controls": _("Controls"),
        "legend": _("Legend"),
        "input": _("input"),
        "parameter": _("parameter"),
        "output": _("output"),
        "constant": _("constant"),
        "current": _("current step"),
        "receiving": _("receives the new number"),
        "slow": _("slow"),
        "normal": _("normal"),
        "fast": _("fast"),
        "gradNote": _("grad(v) is ∂{out}/∂v, summed so far over the paths already walked"),
        "sampleNote": _(
            "In a box drawn for several samples, a subscript numbers the sample: "
            "{name}₃ is {name} on sample 3."
        )
        if drawing.groups
        else "",
    }
    words["gradNote"] = words["gradNote"].format(out=data["outputName"])
    if drawing.groups:
        example = next(iter(sorted(b.lines[0][1] for b in drawing.boxes if b.kind == "group")))
        words["sampleNote"] = words["sampleNote"].format(name=example)
    data["ui"] = words
    return _fill(
        _asset("stepper.html"),
        {
            "LANG": "zh-Hans" if language == "zh" else "en",
            "TITLE": html.escape(title),
            "STYLE": STYLE + _asset("stepper.css"),
            "SVG": svg,
            "DATA": _script_json(data),
            "SCRIPT": _asset("stepper.js"),
        },
    )


def _widen_for_running_totals(drawing: Drawing, data: dict[str, Any]) -> None:
    """Make each box wide enough for every gradient it will show, not only the last one."""
    shown: dict[str, list[str]] = {}
    for step in data["steps"]:
        if step["kind"] == "backward":
            shown.setdefault(step["target"], []).append(f"{data['words']['grad']} {step['grad']}")
    for box in drawing.boxes:
        if box.id in shown:
            fit_box(box, shown[box.id])


def export_html(
    output: Value,
    path: str | os.PathLike[str],
    *,
    parameters: Parameters = (),
    gradient: Number = 1.0,
    title: str | None = None,
    direction: str = "TB",
    lang: str = "en",
    collapse: Collapse = None,
    naming: Naming = "inline",
) -> Path:
    """Write the stepper for ``output``'s graph to ``path`` (atomically) and return the path.

    ``parameters`` marks the parameters (Values, or a dict of them, checked as for
    :func:`~autograd.readers.tracing.trace`), ``lang`` is "en" or "zh", ``collapse`` groups nodes
    into one box each (``model.grouping("neurons")`` for an ``nn`` network), ``direction`` is
    "TB" or "LR" (the graph is folded into columns, or rows, to fit the screen). ``naming`` is the
    naming policy, as for :func:`~autograd.readers.tracing.trace` and
    :func:`~autograd.readers.draw.draw_graph`: give all three the same one and a node has one name
    everywhere. ``title`` defaults to "stepgrad: step through backpropagation", translated. Runs a
    fresh backward pass, so afterwards the graph's gradients are those of that pass.
    """
    page = stepper_html(
        output,
        parameters=checked_parameters(output, parameters, "export_html's parameters"),
        gradient=gradient,
        title=title,
        direction=direction,
        lang=lang,
        collapse=collapse,
        naming=naming,
    )
    return write_atomically(path, page)


class Stepper:
    """The stepper page, shown inline in Jupyter: ``Stepper(model.loss, parameters=...)``.

    It embeds the same page as :func:`export_html` in an ``<iframe srcdoc>``, so a lecturer can
    step through a notebook's graph without leaving it (click into it, then use the arrow keys).
    Takes the same options as :func:`export_html`, plus ``height`` in pixels. ``.html`` is the
    page itself; ``.save(path)`` writes it.
    """

    def __init__(self, output: Value, *, height: int = 720, **options: Any) -> None:
        if "parameters" in options:
            options["parameters"] = checked_parameters(
                output, options["parameters"], "Stepper's parameters"
            )
        self.html = stepper_html(output, **options)
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="stepgrad stepper" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ccc; '
            f'border-radius: 6px" sandbox="allow-scripts"></iframe>'
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (atomically)."""
        return write_atomically(path, self.html)
