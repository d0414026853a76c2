"""Batched compiled code: one sample's graph run on whole batches, grouped into matrix products
where the graph has layers. Oracle: the float compiled code (itself checked against the engine),
sample by sample."""

from __future__ import annotations

import math
import re
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import graph_inputs, random_graphs

import autograd
import nn
from autograd import Value
from autograd.compiler import compile  # noqa: A004
from autograd.compiler.batching import BatchCompiled
from autograd.compiler.recording import record_graph


def _per_sample(f, args, batched):
    """Each sample through the float compiled code: values, batched grads, summed shared grads."""
    example = [arg[0] if i in batched else arg for i, arg in enumerate(args)]
    one = compile(f, *example)
    count = len(args[batched[0]])
    values, per_sample, summed = [], [[] for _ in args], [0.0 for _ in args]
    for s in range(count):
        value, grads = one(*[arg[s] if i in batched else arg for i, arg in enumerate(args)])
        values.append(value)
        for i, g in enumerate(grads):
            per_sample[i].append(g)
            summed[i] = np.add(summed[i], g)
    return np.array(values), per_sample, summed


@given(data=st.data(), group=st.booleans())
def test_batched_code_computes_each_samples_numbers(data, group):
    graph = data.draw(random_graphs(max_steps=15))
    count = data.draw(st.integers(1, 4))
    points = [data.draw(graph_inputs(graph)) for _ in range(count)]
    shared = data.draw(st.sets(st.integers(0, graph.n_inputs - 1), max_size=graph.n_inputs - 1))
    batched = [i for i in range(graph.n_inputs) if i not in shared]
    args = [[p[i] for p in points] if i in batched else points[0][i] for i in range(graph.n_inputs)]

    def f(*xs):
        out = graph(*xs)
        return out if isinstance(out, Value) else Value(out)

    example = [arg[0] if i in batched else arg for i, arg in enumerate(args)]
    from autograd.compiler.recording import record

    compiled = BatchCompiled.of_arguments(record(f, example), batched, group=group)
    values, grads = compiled(*args)
    expected_values, per_sample, summed = _per_sample(f, args, batched)
    assert np.allclose(values, expected_values, rtol=1e-12, atol=1e-12)
    for i in range(graph.n_inputs):
        expected = per_sample[i] if i in batched else summed[i]
        assert np.allclose(grads[i], expected, rtol=1e-10, atol=1e-10), (i, compiled.source)
    _, every = compiled(*args, per_sample=True)
    for i in range(graph.n_inputs):
        assert np.allclose(every[i], per_sample[i], rtol=1e-10, atol=1e-10)


def _layer_loss(sizes=(6, [5, 3]), seed=1):
    model = nn.MLP(sizes[0], sizes[1], seed=seed)
    params = model.parameters()
    x = [Value(0.0, f"x[{j}]") for j in range(sizes[0])]
    t = [Value(0.0, f"t[{j}]") for j in range(sizes[1][-1])]

    def one_sample():
        out = model(x)
        return nn.cross_entropy([out], [t]) + nn.l2_penalty(params, 1e-3), out

    return model, params, x, t, record_graph(one_sample, params + x + t, params)


def test_a_layer_becomes_a_matrix_product_with_the_same_numbers():
    model, params, x, t, recording = _layer_loss()
    grouped = BatchCompiled(recording, params, x + t)
    straight = BatchCompiled(recording, params, x + t, group=False)
    assert grouped.source.count(" @ ") == 5  # two layers forward, ∂W of each, ∂X of the second
    assert "a layer: 5 dot nodes share their 6 inputs, so they are one matrix product" in (
        grouped.source
    )
    assert "W1 = _matrix(theta, 0, (5, 6), (7, 1))  # L1.N1.w1 … L1.N5.w6" in grouped.source
    assert "Z1 = W1 @ _g1 + _g2  # the weighted inputs of L1.N1 … L1.N5" in grouped.source
    assert " @ " not in straight.source.replace("_dot(", "")
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 7)
    XT = np.concatenate([rng.normal(size=(6, 7)), np.eye(3)[labels].T])
    theta = np.array([p.data for p in params])
    for compiled in (grouped, straight):
        values, d_theta, _, outputs = compiled.run(theta, XT)
        for p in params:
            p.grad = 0.0
        for s in range(7):
            out = model([Value(v) for v in XT[:6, s]])
            loss = nn.cross_entropy([out], [int(labels[s])]) + nn.l2_penalty(params, 1e-3)
            loss.backward()
            assert math.isclose(values[s], loss.data, rel_tol=1e-12)
            assert np.allclose([o[s] for o in outputs], [o.data for o in out], rtol=1e-12)
        assert np.allclose(d_theta, [p.grad for p in params], rtol=1e-11, atol=1e-15)


def test_a_bad_sample_raises_the_interpreters_error_naming_the_sample():
    compiled = compile(lambda w, x: (w * x).log(), 1.0, 2.0, batch=(1,))
    with pytest.raises(
        ValueError, match=r"log needs x > 0, got x=-3.0 .* \(sample 2 of the batch\)"
    ):
        compiled(1.5, [1.0, 2.0, -2.0, -1.0])
    overflow = compile(lambda x: (x * 800.0).exp(), 0.0, batch=True)
    with pytest.raises(OverflowError, match=r"exp overflowed.*sample 1 of the batch"):
        overflow([0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="argument 0, sample 1 holds nan"):
        overflow([0.0, math.nan])


def test_branches_are_checked_for_every_sample():
    compiled = compile(lambda x: x * 2 if x > 0 else -x, 1.0, batch=True)
    assert list(compiled([1.0, 2.0])[0]) == [2.0, 4.0]
    with pytest.raises(autograd.BranchChanged, match="sample 1 of the batch"):
        compiled([1.0, -2.0])


def test_shapes_of_batched_and_shared_arguments():
    def f(w, xs, b):
        return autograd.dot(w, xs, b).tanh()

    compiled = compile(f, [0.1, 0.2], [1.0, 2.0], 0.5, batch=(1,))
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]])
    values, (dw, dX, db) = compiled([0.1, 0.2], X, 0.5)
    assert (
        values.shape == (3,) and dw.shape == (2,) and dX.shape == (3, 2) and isinstance(db, float)
    )
    _, (dw_each, dX_each, db_each) = compiled([0.1, 0.2], X, 0.5, per_sample=True)
    assert dw_each.shape == (3, 2) and db_each.shape == (3,)
    assert np.allclose(dw_each.sum(0), dw) and np.allclose(dX_each, dX)
    with pytest.raises(TypeError, match="expected a batch of samples shaped"):
        compiled([0.1, 0.2], np.zeros((3, 3)), 0.5)


def test_without_numpy_a_batch_runs_sample_by_sample_with_the_same_numbers(monkeypatch):
    def f(w, x):
        return (w * x).tanh() + w * w

    with_numpy = compile(f, 0.5, 1.0, batch=(1,))
    monkeypatch.setitem(sys.modules, "numpy", None)
    without = compile(f, 0.5, 1.0, batch=(1,))
    assert type(without).__name__ == "SampleBySampleCompiled"
    xs = [1.0, -2.0, 0.25]
    values, (dw, dx) = without(0.5, xs)
    expected_values, (expected_dw, expected_dx) = with_numpy(0.5, np.array(xs))
    assert values == pytest.approx(list(expected_values), rel=1e-12)
    assert dw == pytest.approx(expected_dw, rel=1e-12)
    assert dx == pytest.approx(list(expected_dx), rel=1e-12)


def test_compile_time_does_not_grow_with_the_data():
    """The step is recorded for one sample: its code is the same for any dataset size."""
    _, params, x, t, recording = _layer_loss((64, [32, 10]))
    compiled = BatchCompiled(recording, params, x + t)
    assert compiled.source.count("\n") < 80


@pytest.mark.parametrize(
    "label", ["x\nimport os; os.system('touch /tmp/stepgrad-pwned')", "a\rb", "\u2028", "ok"]
)
def test_hostile_labels_stay_inside_comments(label):
    ws = [[Value(0.1 * (i + j), f"{label}{i}.{j}") for j in range(3)] for i in range(2)]
    xs = [Value(1.0, f"{label}x{j}") for j in range(3)]

    def one_sample():
        hidden = [autograd.dot(w, xs).tanh() for w in ws]
        for h in hidden:
            h.label = label
        total = autograd.sum_values(hidden)
        total.label = label
        return total, hidden

    params = [w for row in ws for w in row]
    compiled = BatchCompiled(record_graph(one_sample, params + xs, params), params, xs)
    for line in compiled.source.splitlines():
        code = line.split("  # ", 1)[0].split("    # ", 1)[0]
        assert re.fullmatch(r"[A-Za-z0-9_ .=+\-*/(),:\[\]@]*", code), line
    assert compiled.source.count("\n") == len(compiled.source.splitlines())
    values, _, _, _ = compiled.run(np.array([w.data for w in params]), np.ones((3, 2)))
    assert np.allclose(values, sum(math.tanh(sum(w.data for w in row)) for row in ws))


def test_a_vector_whose_members_depend_on_each_other_is_given_up():
    from autograd.compiler.grouping import Vector, emission_order
    from autograd.compiler.recording import Recording

    x = Value(0.5, "x")
    first = x.tanh()
    between = first * 2.0
    second = between.tanh()  # depends on first: the two cannot be one array statement
    out = first + second
    recording = Recording(out, [x], [x])
    cyclic = Vector("elementwise", [first, second], autograd.core.ops.TANH, operands=[(x, between)])
    units = emission_order(recording, [cyclic])
    assert cyclic not in units and [u for u in units if not u.is_leaf] == [
        first,
        between,
        second,
        out,
    ]


@pytest.mark.parametrize("xs", [[1.0, 2.0, 3.0], [0.7]])
def test_a_subexpression_used_twice_is_summed_per_sample(xs):
    """sin(x) + sin(x) over a batch is 2·sin(x) per sample, its derivative 2·cos(x): the review's
    counterexample (every sample got the same 1.89, and a batch of one raised IndexError)."""
    f = compile(lambda x: autograd.sum_values([x.sin(), x.sin()]), 0.5, batch=True)
    values, (dx,) = f(np.array(xs))
    assert np.allclose(values, [2 * math.sin(x) for x in xs], rtol=1e-14)
    assert np.allclose(dx, [2 * math.cos(x) for x in xs], rtol=1e-14)
