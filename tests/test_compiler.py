"""The compiler and fused neurons: same numbers as the engine, readable and safe source."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import twin_graphs

import autograd
import nn
from autograd import Value, dot, sum_values, trace
from autograd.compiler import BranchChanged, compile, compile_graph, sanitize  # noqa: A004
from autograd.toy import toy_model


def test_toy_model_source_reads_like_the_textbook():
    model = toy_model()
    leaves = [*model.parameters.values(), model.x, model.y]
    compiled = compile_graph(model.loss, leaves)
    lines = [line.strip() for line in compiled.source.splitlines()]
    forward = lines[lines.index("# forward") + 1 : lines.index("# backward")]
    assert forward[:3] == ["v1 = omega0 * x", "f0 = beta0 + v1  # f0", "h1 = sin(f0)  # h1"]
    assert "ell = v5 ** 2.0  # ℓ" in forward
    backward = lines[lines.index("# backward") + 1 : -1]
    assert backward[:3] == ["d_ell = 1.0", "d_v5 = 2.0 * v5 * d_ell", "d_f3 = d_v5"]
    assert "d_f0 = cos(f0) * d_h1" in backward and "d_omega3 = h3 * d_f3" in backward
    model.loss.backward()
    value, grads = compiled.raw([leaf.data for leaf in leaves])
    assert value == model.loss.data
    assert list(grads) == [leaf.grad for leaf in leaves]  # identical, not just close


@given(data=st.data())
def test_random_graphs_compile_to_the_engines_numbers(data):
    _graph, point, (inputs, out), _ = twin_graphs(data)
    out.backward()
    value, grads = compile_graph(out, inputs).raw(point)
    assert value == out.data
    for got, leaf in zip(grads, inputs):
        assert math.isclose(got, leaf.grad, rel_tol=1e-12, abs_tol=1e-12)


@given(data=st.data())
def test_fused_nodes_give_the_unfused_gradients_on_random_graphs(data):
    graph, _point, (fused_inputs, fused_out), (plain_inputs, _) = twin_graphs(data)
    plain_out = graph(*plain_inputs, fused=False)
    fused_out.backward()
    plain_out.backward()
    assert math.isclose(fused_out.data, plain_out.data, rel_tol=1e-12, abs_tol=1e-12)
    for fused, plain in zip(fused_inputs, plain_inputs):
        assert math.isclose(fused.grad, plain.grad, rel_tol=1e-11, abs_tol=1e-12)


def test_compile_a_function_of_lists():
    def f(ws, xs, b):
        return dot(ws, xs, b).tanh() + sum_values(ws) ** 2

    compiled = compile(f, [0.1, -0.2], [1.0, 2.0], 0.3)
    value, (dws, dxs, db) = compiled([0.5, 0.25], [-1.0, 3.0], 0.0)
    reference, expected = autograd.value_and_grad(
        lambda w1, w2, x1, x2, b: f([w1, w2], [x1, x2], b), argnums=(0, 1, 2, 3, 4)
    )(0.5, 0.25, -1.0, 3.0, 0.0)
    assert value == pytest.approx(reference, rel=1e-12)
    assert [*dws, *dxs, db] == pytest.approx(list(expected), rel=1e-12)
    with pytest.raises(TypeError, match="recorded with 2 items here, got 3 items"):
        compiled([1.0, 2.0, 3.0], [1.0, 2.0], 0.0)


def test_compile_as_a_decorator_compiles_once_per_shape():
    @compile
    def norm2(xs):
        return sum_values([x * x for x in xs])

    assert norm2([1.0, 2.0]) == (5.0, ([2.0, 4.0],))
    assert norm2([3.0, 0.5]) == (9.25, ([6.0, 1.0],))
    assert norm2([1.0, 1.0, 1.0]) == (3.0, ([2.0, 2.0, 2.0],))
    assert len(norm2.versions) == 2 and norm2.__name__ == "norm2"


@pytest.mark.parametrize("fused", [True, False])
def test_mlp_compiled_and_fused_equal_the_unfused_engine(fused):
    X, labels = nn.data.make_moons(20, seed=2)
    reference = nn.MLP(2, [5, 4, 1], activation="tanh", seed=3, fused=False)
    model = nn.MLP(2, [5, 4, 1], activation="tanh", seed=3, fused=fused)

    def loss(m, inputs):
        return nn.hinge_loss([m(x) for x in inputs], [2 * t - 1 for t in labels])

    loss(reference, X).backward()
    value = loss(model, X)
    value.backward()
    for ours, theirs in zip(model.parameters(), reference.parameters()):
        assert ours.grad == pytest.approx(theirs.grad, rel=1e-12, abs=1e-15)
    params = model.parameters()
    compiled = compile_graph(value, params)
    _, grads = compiled.raw([p.data for p in params])
    assert list(grads) == pytest.approx(
        [p.grad for p in reference.parameters()], rel=1e-12, abs=1e-15
    )


@pytest.mark.parametrize(
    "label",
    [
        "x\nimport os; os.system('touch /tmp/stepgrad-pwned')",
        "__import__('os').system('touch /tmp/stepgrad-pwned')",
        "d_x",
        "inputs",
        "sin",
        "class",
        "",
        "ℓ'\"#",
        "x) ; (y",
        "1abc",
        "ﬁ",
        "fi",
    ],
)
def test_hostile_labels_cannot_inject_code(label, tmp_path):
    a, b = Value(1.5, label), Value(-0.5, "fi")
    out = (a * b).sin() + a
    out.label = label
    compiled = compile_graph(out, [a, b])
    for line in compiled.source.splitlines():
        if line.strip() in ("# forward", "# backward"):
            continue
        code = line.split("  # ", 1)[0]
        assert re.fullmatch(r"[A-Za-z0-9_ .=+\-*/(),<>:]*", code), line
        if "  # " in line:  # the display layer's name: the label, made visible and distinct
            shown = autograd.readers.display.Names([out])
            assert line.split("  # ", 1)[1] in (shown[out], shown[a])
    value, grads = compiled.raw([1.5, -0.5])
    out.backward()
    assert value == out.data and list(grads) == [a.grad, b.grad]
    assert not (tmp_path.parent / "stepgrad-pwned").exists()
    import os

    assert not os.path.exists("/tmp/stepgrad-pwned")


def test_sanitize():
    assert sanitize("β0") == "beta0" and sanitize("L1.N3.w2") == "L1_N3_w2"
    assert sanitize("1x") == "v1x" and sanitize("∂ℓ") == "dell" and sanitize("") == "v"


def test_a_branch_change_is_detected_and_a_kink_is_not_a_branch():
    def f(x):
        return x * 3 if x > 0 else x * -1

    compiled = compile(f, 2.0)
    assert compiled(5.0) == (15.0, (3.0,))
    with pytest.raises(BranchChanged, match=r"\(x > 0.0\) .* was True when recorded"):
        compiled(-1.0)
    relu = compile(lambda x: x.relu() * 2, 1.0)
    assert relu(-3.0) == (0.0, (0.0,))  # the kink is inside the op: no guard, right gradient


def test_compiled_errors_are_the_interpreters_errors():
    compiled = compile(lambda x: x.log(), 2.0)
    with pytest.raises(ValueError, match=r"log needs x > 0, got x=-1.0 \(node 'x'\)"):
        compiled(-1.0)


@pytest.mark.parametrize(
    "loss, batch_size", [("hinge", None), ("bce", 16), ("cross_entropy", None), ("mse", 8)]
)
def test_fit_compiled_equals_uncompiled(loss, batch_size):
    # 41 points, not 40: with two balanced classes the output bias's hinge gradient is exactly 0
    # in exact arithmetic, and each path sums the batch in its own order to its own rounding
    # noise (about 1e-17). Adam divides a gradient by its own size, so it would turn the two
    # noises into steps of lr·1e-6 apart. (SGD keeps them 1e-17 apart: tests/test_nn_compiled_fit.)
    X, labels = nn.data.make_blobs(41, centers=3 if loss == "cross_entropy" else 2, std=1.0, seed=4)
    X = [[a / 8, b / 8] for a, b in X]
    targets = {
        "hinge": [2 * t - 1 for t in labels],
        "bce": labels,
        "cross_entropy": labels,
        "mse": [float(t) for t in labels],
    }[loss]
    outputs = 3 if loss == "cross_entropy" else 1
    results = []
    for compiled in (False, True):
        model = nn.MLP(2, [6, outputs], seed=5)
        history = nn.fit(
            model,
            X,
            targets,
            loss=loss,
            optimizer=nn.Adam(model.parameters(), 0.02),
            epochs=6,
            batch_size=batch_size,
            l2=1e-3,
            progress=False,
            compile=compiled,
        )
        results.append((history, [p.data for p in model.parameters()]))
    (plain, plain_params), (fast, fast_params) = results
    assert fast.loss == pytest.approx(plain.loss, rel=1e-12)
    assert fast_params == pytest.approx(plain_params, rel=1e-12, abs=1e-15)


def test_fused_neuron_shows_its_formula_in_traces_and_drawings():
    neuron = nn.Neuron(2, "tanh", init=nn.init.constant(0.5), label="N")
    out = neuron([Value(1.0, "x1"), Value(2.0, "x2")])
    record = trace(out)
    assert "N.w1·x1 + N.w2·x2 + N.b" in next(row.formula for row in record.forward)
    wide = nn.Neuron(8, "relu", label="M")([Value(float(i), f"x{i}") for i in range(8)])
    assert "Σ M.w1·x0 … M.w8·x7 + M.b" in autograd.draw_graph(wide).source
    assert len(out.parents[0].parents) == 5  # one node: w1 w2 x1 x2 b


def test_dot_rejects_bad_input():
    with pytest.raises(ValueError, match="same, nonzero length; got 2 weights and 1 inputs"):
        dot([1.0, 2.0], [3.0])
    with pytest.raises(TypeError, match="got 'a' of type str"):
        dot([Value(1.0)], ["a"])
    assert dot([2.0], [3.0], 1.0).data == 7.0
