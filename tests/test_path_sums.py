"""A gradient is a sum over paths: the 2-2-2 example, random DAGs, the count limit, the CLI."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import twin_graphs
from worked_examples import I1, I2, T1, T2, W, by_hand_222, network_222

import nn
from autograd import TooManyPaths, Value, count_paths, draw_graph, paths
from autograd.readers.display import node_id


def sigmoid_slope(h: float) -> float:
    return h * (1 - h)


def test_222_hidden_weights_have_two_paths_output_weights_one():
    model = network_222()
    outputs = model([I1, I2])
    E = nn.half_squared_error(outputs, [T1, T2])
    E.backward()
    o1, o2 = outputs
    weights = [w for layer in model.layers for neuron in layer.neurons for w in neuron.w]
    for i, w in enumerate(weights):
        found = paths(E, w)
        assert len(found) == (2 if i < 4 else 1), w.label
        assert found.total == pytest.approx(w.grad, rel=1e-12, abs=1e-15)
    # ∂E/∂w1 in detail: one path through o1, one through o2, as the tutorial says.
    (o1_, o2_), _, _ = by_hand_222()
    h1 = model.layers[0].neurons[0]([I1, I2]).data
    delta_o1 = (o1_ - T1) * sigmoid_slope(o1_)
    delta_o2 = (o2_ - T2) * sigmoid_slope(o2_)
    w5, w7 = W[4], W[6]
    found = paths(E, weights[0])
    through = {("L2.N1" if o1 in p.nodes else "L2.N2"): p for p in found}
    assert set(through) == {"L2.N1", "L2.N2"}
    assert o2 not in through["L2.N1"].nodes and o1 not in through["L2.N2"].nodes
    assert through["L2.N1"].product == pytest.approx(
        delta_o1 * w5 * sigmoid_slope(h1) * I1, rel=1e-12
    )
    assert through["L2.N2"].product == pytest.approx(
        delta_o2 * w7 * sigmoid_slope(h1) * I1, rel=1e-12
    )
    assert through["L2.N1"].nodes[0] is weights[0] and through["L2.N1"].nodes[-1] is E


def test_path_structure_and_formulas():
    x = Value(3.0, "x")
    h = x * x
    h.label = "h"
    y = h.sin()
    y.label = "y"
    found = paths(y, x, gradient=2.0)
    assert len(found) == 2
    first = found[0]
    assert [n.label for n in first.nodes] == ["x", "h", "y"]
    assert [f.formula for f in first.factors] == ["x", "cos(h)"]
    assert first.product == pytest.approx(2.0 * 3.0 * math.cos(9.0))
    y.backward(2.0)
    assert found.total == pytest.approx(x.grad, rel=1e-12)
    assert "sum: ∂y/∂x" in found.render("text")
    assert "| x → h (input 1) → y | x · cos(h) |" in found.render("markdown")  # x·x: two inputs
    assert "| x → h (input 2) → y | x · cos(h) |" in found.render("markdown")
    assert (
        "\\frac{\\partial y}{\\partial x} = \\left(x\\right) \\cdot \\left(\\cos(h)\\right)"
        in found.render("latex")
    )
    assert paths(y, Value(1.0)) == [] and paths(y, Value(1.0)).total == 0.0


@given(data=st.data())
def test_random_dags_sum_of_paths_is_the_gradient(data):
    _, _, (inputs, out), _ = twin_graphs(data, max_steps=10)
    out.backward()
    for leaf in inputs:
        if count_paths(out, leaf) > 20_000:
            continue
        total = paths(out, leaf, limit=20_000).total
        assert math.isclose(total, leaf.grad, rel_tol=1e-12, abs_tol=1e-12), (total, leaf.grad)


def diamond_ladder(rungs: int) -> tuple[Value, Value]:
    """x splits into two branches that join again, ``rungs`` times: 2^rungs paths."""
    x = node = Value(0.3, "x")
    for _ in range(rungs):
        node = node.sin() + node.cos()
    return x, node


def test_a_ladder_with_a_million_paths_is_refused_with_its_count():
    x, top = diamond_ladder(20)
    assert count_paths(top, x) == 2**20
    with pytest.raises(TooManyPaths, match="there are 1,048,576 paths from x to f") as error:
        paths(top, x)
    assert error.value.count == 2**20 and error.value.limit == 1000
    x, top = diamond_ladder(5)
    top.backward()
    assert paths(top, x).total == pytest.approx(x.grad, rel=1e-12)


def test_draw_graph_can_highlight_a_path():
    x, top = diamond_ladder(2)
    path = paths(top, x)[0]
    drawing = draw_graph(top, highlight=path.highlight)
    current = {b.id for b in drawing.boxes if b.current} | {
        a.id for a in drawing.arrows if a.current
    }
    assert {node_id(n) for n in path.nodes} <= current
    assert {f.edge_id for f in path.factors} <= current


def test_cli_explain_prints_paths_sum_and_backward_side_by_side():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograd",
            "explain",
            "x * y + sin(x) * x",
            "x=1.5",
            "y=-2",
            "--wrt",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Names: f0 = x·y, h1 = sin(x), f1 = h1·x, f = f0 + f1"
    assert lines[1] == "3 path(s) from x to f:"
    total = float(next(l for l in lines if "sum over paths" in l).split()[-1])
    backward = float(next(l for l in lines if "backward()" in l).split()[-1])
    assert total == backward == pytest.approx(-2 + math.cos(1.5) * 1.5 + math.sin(1.5), abs=1e-6)
    refused = subprocess.run(
        [sys.executable, "-m", "autograd", "explain", "x * y", "x=1", "y=2", "--wrt", "z"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "no input of that name" in refused.stderr
