"""Graph drawing: DOT content, hostile labels, collapsing, the size guard and finding dot."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from autograd import Value
from autograd.draw import draw_graph, find_dot, render_svg, save_drawing
from autograd.toy import toy_model

HOSTILE = ['"]; x [label="pwn', "<script>alert(1)</script>", 'a\\"b{c}|<d>', "é ∂ \n newline"]


def toy_drawing(**options):
    model = toy_model()
    model.loss.backward()
    return model, draw_graph(model.loss, parameters=model.parameters.values(), **options)


def test_dot_shows_values_grads_ops_and_local_derivatives():
    _model, graph = toy_drawing()
    source = graph.source
    assert "<B>β0</B>" in source and "data 1.23" in source and "grad 2.2809" in source
    assert "cos(f0) = 0.334238" in source  # the local derivative on the edge into sin
    assert "rankdir=LR" in source and "∇" not in source
    assert source.count("shape=ellipse") == 13  # one oval per op: 4 +, 4 ·, sin, exp, cos, -, ^


def test_roles_are_coloured_and_highlight_is_red():
    model = toy_model()
    model.loss.backward()
    h1, f0 = model.intermediates["h1"], model.intermediates["f0"]
    source = draw_graph(
        model.loss, parameters=model.parameters.values(), highlight=[h1, (h1, f0)]
    ).source
    assert "#ffe9a8" in source and "#cfe8ff" in source and "#c8f0c8" in source
    assert source.count("#d62728") == 3  # the box and the edge (its colour and its label's)


def test_direction_and_grad_scale():
    _, graph = toy_drawing(direction="TB", grad_scale=True)
    assert (
        "rankdir=TB" in graph.source and "0.000 0.750 1.000" in graph.source
    )  # the largest |grad|
    with pytest.raises(ValueError, match="direction must be 'LR' or 'TB'"):
        toy_drawing(direction="RL")


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_neither_break_the_drawing_nor_inject(label):
    x = Value(2.0, label)
    y = (x * x).sin()
    y.label = label + "!"
    y.backward()
    svg = render_svg(draw_graph(y))  # dot accepts the source ...
    # ... and draws exactly what the graph holds: boxes x, x·x, sin and two ovals; x feeds the
    # multiplication twice. An injected node or edge would change these counts.
    assert svg.count('class="node"') == 5 and svg.count('class="edge"') == 5
    assert "<script" not in svg and 'pwn"' not in svg
    shown = label.replace("\n", " ").strip()
    assert html.escape(shown.split()[0], quote=True) in svg  # the label is shown, as text


def test_a_large_graph_gets_a_summary_not_a_hang():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -0.5])
    graph = draw_graph(out)
    assert (
        "Graph too large to draw usefully" in graph.source and "collapse='neurons'" in graph.source
    )
    assert len(graph.body) == 1


def test_collapse_neurons_and_layers():
    model = nn.MLP(2, [3, 1], seed=0)
    out = model([0.5, -0.5])
    out.backward()
    neurons = draw_graph(out, collapse="neurons").source
    assert "L1.N1 (" in neurons and "L2.N1 (" in neurons and "L1.N1.w1" not in neurons
    layers = draw_graph(out, collapse="layers").source
    assert "L1 (" in layers and "L2 (" in layers and "L1.N2" not in layers
    assert "g_L1 -> g_L2" in layers.replace('"', "")


def test_save_drawing_formats(tmp_path):
    _, graph = toy_drawing()
    assert save_drawing(graph, tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    assert save_drawing(graph, tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert "digraph" in save_drawing(graph, tmp_path / "g.dot").read_text()
    with pytest.raises(ValueError, match="format"):
        save_drawing(graph, tmp_path / "g.jpeg")


def test_jupyter_shows_it_inline():
    _, graph = toy_drawing()
    assert "image/svg+xml" in graph._repr_mimebundle_()


def test_dot_is_found_in_the_venv_even_off_path():
    """graphviz-pure installs its binary as `graphviz-pure` in the environment's scripts folder,
    which is often not on PATH: a fresh interpreter with an empty PATH must still find it and
    point graphviz 0.21 at it."""
    code = (
        "from autograd.draw import find_dot, render_svg, draw_graph; from autograd import Value;"
        "import graphviz.backend.dot_command as d; print(find_dot());"
        "svg = render_svg(draw_graph(Value(1.0, 'x') * 2)); print(d.DOT_BINARY); print(len(svg))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/nonexistent"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found, configured, size = result.stdout.split("\n")[:3]
    assert Path(found).name in ("graphviz-pure", "dot") and Path(found).exists()
    assert configured == found and int(size) > 500
    import graphviz

    assert graphviz.__version__ == "0.21"
    assert find_dot() is not None
