"""The HTML stepper: one self-contained page to click through a forward and backward pass.

    export_html(model.loss, "steps.html", parameters=model.parameters.values())

The page holds the graph as inline SVG, the steps as JSON, and a little JavaScript; it loads
nothing from anywhere, so it works offline. Previous/next buttons, the arrow keys and a slider
move through the forward steps (each value appears as it is computed) and then the backward steps
(each chain-rule step written out with its numbers, and every box's grad updated as it goes).

Every label is escaped on its way into DOT, SVG and the page, and the JavaScript writes text
with ``textContent`` only, so a label such as ``<script>…`` is shown, never run.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..core.value import Number, Value
from ..files import write_atomically
from .display import Names, node_id
from .display import number as short_number
from .draw import draw_graph, render_svg
from .formula import FORMULA_MATH, Expr
from .numbers import number as format_number
from .tracing import formula_text, local_text, trace

__all__ = ["export_html", "stepper_steps"]


def _wrapped(name: str) -> str:
    """A name as the variable of ∂: ``h3``, but ``(f3 - y)`` for a formula."""
    return name if name.replace("_", "").replace(".", "").isalnum() else f"({name})"


def stepper_steps(
    output: Value, gradient: Number = 1.0, *, parameters: Iterable[Value] = ()
) -> dict:
    """The page's data: forward steps, then backward steps, each with what to highlight, the
    explanation, and (backward) the gradient a box shows after it. Runs a fresh backward pass."""
    parameters = list(parameters)
    record = trace(output, gradient, parameters=parameters)
    names = Names([output])
    out = record.output_name
    steps = []
    for node in names.nodes:
        if node.is_leaf:
            continue
        numbers = tuple(
            Expr.symbol(format_number(p.data)) if not p.is_constant else p.data
            for p in node.parents
        )
        with_numbers = node.op.forward(FORMULA_MATH, *numbers)
        formula = names.formula(node)
        named = (
            names[node] if names.is_inlined(node) else f"{names[node]} = {formula_text(formula)}"
        )
        steps.append(
            {
                "kind": "forward",
                "node": node_id(node),
                "op": f"op{node.serial}",
                "title": f"Forward: compute {names[node]}",
                "lines": [named, f"= {formula_text(with_numbers)}", f"= {short_number(node.data)}"],
            }
        )
    for row in record.backward:
        d_out = f"∂{out}/∂{_wrapped(row.parent_name)}"
        d_local = f"∂{_wrapped(row.node_name)}/∂{_wrapped(row.parent_name)}"
        steps.append(
            {
                "kind": "backward",
                "node": row.node_id,
                "parent": row.parent_id,
                "edge": row.edge_id,
                "grad": row.grad_after,
                "step": row.step,
                "title": f"Backward step {row.step}: from {row.node_name} to {row.parent_name}",
                "lines": [
                    f"{d_out} += {d_local} × ∂{out}/∂{_wrapped(row.node_name)}",
                    f"local {d_local} = {local_text(row.local_formula, row.local)}",
                    f"upstream × local = {short_number(row.upstream)} × {short_number(row.local)}"
                    f" = {short_number(row.contribution)}",
                    f"{d_out} is now {short_number(row.grad_after)}",
                ],
            }
        )
    return {
        "output": node_id(output),
        "seed": float(gradient),
        "steps": steps,
        "values": {node_id(n): n.data for n in names.nodes},
        "leaves": [node_id(n) for n in names.nodes if n.is_leaf],
    }


def export_html(
    output: Value,
    path: str | os.PathLike[str],
    *,
    parameters: Iterable[Value] = (),
    gradient: Number = 1.0,
    title: str = "stepgrad: step through backpropagation",
    direction: str = "LR",
) -> Path:
    """Write the stepper for ``output``'s graph to ``path`` (atomically) and return the path.

    Runs a fresh backward pass, so afterwards the graph's gradients are those of that pass.
    """
    parameters = list(parameters)
    data = stepper_steps(output, gradient, parameters=parameters)
    graph = draw_graph(output, parameters=parameters, direction=direction)
    svg = render_svg(graph)
    svg = svg[svg.index("<svg") :]  # drop the XML prologue and DOCTYPE: the SVG goes inline
    payload = json.dumps(data, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = (
        _PAGE.replace("{{TITLE}}", html.escape(title))
        .replace("{{SVG}}", svg)
        .replace("{{DATA}}", payload)
    )
    return write_atomically(path, page)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{TITLE}}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1em 2em; color: #222; }
  #graph { overflow: auto; border: 1px solid #ddd; border-radius: 6px; padding: 4px; max-height: 60vh; }
  #controls { margin: 0.8em 0; display: flex; gap: 0.6em; align-items: center; }
  #controls input[type=range] { flex: 1; }
  #explain { background: #f7f7fb; border-left: 4px solid #d62728; padding: 0.6em 1em; min-height: 6em; }
  #explain h2 { font-size: 1.05em; margin: 0 0 0.4em 0; }
  #explain pre { margin: 0; font-size: 1em; white-space: pre-wrap; }
  .current > polygon, .current > path, .current > ellipse {
    stroke: #d62728 !important; stroke-width: 3px !important; }
  .current > text { fill: #d62728; }
  .pending text { fill: #bbb; }
</style>
</head>
<body>
<h1>{{TITLE}}</h1>
<div id="controls">
  <button id="prev" type="button" title="previous step (←)">◀ previous</button>
  <button id="next" type="button" title="next step (→)">next ▶</button>
  <input id="slider" type="range" min="0" value="0" aria-label="step">
  <span id="counter"></span>
</div>
<div id="explain"><h2 id="title"></h2><pre id="lines"></pre></div>
<div id="graph">{{SVG}}</div>
<script type="application/json" id="steps">{{DATA}}</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("steps").textContent);
const steps = data.steps;
const slider = document.getElementById("slider");
slider.max = String(steps.length);
const fmt = (x) => Number(x.toPrecision(6)).toString();
function rows(id, word) {
  const group = document.getElementById(id);
  if (!group) return [];
  return Array.from(group.querySelectorAll("text")).filter((t) => t.textContent.startsWith(word + " "));
}
function setText(id, word, value) { rows(id, word).forEach((t) => { t.textContent = word + " " + value; }); }
function show(position) {
  position = Math.max(0, Math.min(steps.length, position));
  slider.value = String(position);
  document.querySelectorAll(".current").forEach((e) => e.classList.remove("current"));
  const forwardDone = steps.slice(0, position).filter((s) => s.kind === "forward").map((s) => s.node);
  const known = new Set([...data.leaves, ...forwardDone]);
  for (const [id, value] of Object.entries(data.values)) {
    setText(id, "data", known.has(id) ? fmt(value) : "?");
    setText(id, "grad", "0");
  }
  const backward = steps.slice(0, position).filter((s) => s.kind === "backward");
  if (backward.length) setText(data.output, "grad", fmt(data.seed));
  for (const s of backward) setText(s.parent, "grad", fmt(s.grad));
  const counter = document.getElementById("counter");
  if (position === 0) {
    document.getElementById("title").textContent = "Start: the leaves hold their values; press next (→)";
    document.getElementById("lines").textContent = "";
    counter.textContent = "0 / " + steps.length;
    return;
  }
  const s = steps[position - 1];
  for (const id of [s.node, s.op, s.edge, s.parent]) {
    const e = id && document.getElementById(id);
    if (e) e.classList.add("current");
  }
  const focus = document.getElementById(s.kind === "forward" ? s.node : s.edge);
  if (focus) focus.scrollIntoView({block: "nearest", inline: "nearest"});
  document.getElementById("title").textContent = s.title;
  document.getElementById("lines").textContent = s.lines.join("\\n");
  const phase = s.kind === "forward" ? " (forward)" : " (backward)";
  counter.textContent = position + " / " + steps.length + phase;
}
document.getElementById("prev").addEventListener("click", () => show(Number(slider.value) - 1));
document.getElementById("next").addEventListener("click", () => show(Number(slider.value) + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.addEventListener("keydown", (event) => {
  if (event.key === "ArrowRight") show(Number(slider.value) + 1);
  if (event.key === "ArrowLeft") show(Number(slider.value) - 1);
});
show(0);
</script>
</body>
</html>
"""
