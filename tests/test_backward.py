"""backward(): ordering, accumulation, several outputs, long chains, create_graph."""

from __future__ import annotations

import math
import sys
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import twin_graphs

import autograd
from autograd import Value
from autograd.core.backward import chain_rule_steps
from autograd.core.graph import topological_order


def test_a_reused_node_receives_the_sum_over_paths():
    x = Value(3.0, "x")
    y = x * x + x  # x reaches y along three edges
    y.backward()
    assert x.grad == 7.0


@given(data=st.data())
def test_random_dags_match_central_differences(data):
    graph, point, (inputs, out), _ = twin_graphs(data)
    out.backward()
    numeric = autograd.numerical_grad(graph, *point)
    for node, estimate in zip(inputs, numeric):
        assert math.isclose(node.grad, estimate, rel_tol=1e-4, abs_tol=1e-5), (
            f"{graph}: at {point} backward gives {node.grad}, central difference {estimate}"
        )


@given(data=st.data())
def test_fast_loop_and_step_by_step_loop_agree_exactly(data):
    _, _, (fast, out_fast), (stepped, out_stepped) = twin_graphs(data)
    out_fast.backward()
    order = topological_order([out_stepped])
    out_stepped.grad = 1.0
    steps = list(chain_rule_steps(order))
    assert [a.grad for a in fast] == [b.grad for b in stepped]
    assert len(steps) == sum(len(node.parents) for node in order)


def test_topological_order_puts_every_node_before_its_parents():
    x = Value(1.0)
    a, b = x * 2, x + 1
    y = a * b + a
    order = topological_order([y])
    position = {id(node): i for i, node in enumerate(order)}
    assert order[0] is y and len(order) == len({id(n) for n in order})
    for node in order:
        for parent in node.parents:
            assert position[id(node)] < position[id(parent)]


def test_a_chain_of_a_million_nodes():
    x = Value(0.5, "x")
    a = Value(1.0000001, "a")
    y = x
    for _ in range(500_000):
        y = y * a  # 500,000 mul nodes, and a is shared by all of them
    z = y
    for _ in range(250_000):
        z = z + 1.0  # 250,000 add nodes and 250,000 constants
    assert len(topological_order([z])) == 1_000_002
    z.backward()
    n = 500_000
    assert x.grad == pytest.approx(a.data**n, rel=1e-9)
    assert a.grad == pytest.approx(n * x.data * a.data ** (n - 1), rel=1e-6)
    del y, z  # freeing a million-deep chain must not overflow the C stack either


def test_backward_twice_accumulates_twice():
    x = Value(2.0, "x")
    h = x * x  # an intermediate, reused twice
    y = h * h + h
    y.backward()
    once = {"x": x.grad, "h": h.grad, "y": y.grad}
    y.backward()
    assert (x.grad, h.grad, y.grad) == (2 * once["x"], 2 * once["h"], 2 * once["y"])
    assert once["x"] == 4 * 2.0**3 + 2 * 2.0  # d/dx (x^4 + x^2)


def test_zero_grad_clears_the_whole_graph():
    x = Value(2.0)
    y = (x * x).sin()
    y.backward()
    y.zero_grad()
    assert [n.grad for n in topological_order([y])] == [0.0] * len(topological_order([y]))
    y.backward()
    assert x.grad == pytest.approx(4 * math.cos(4.0))


def test_vector_jacobian_product_with_several_outputs():
    x, w = Value(2.0, "x"), Value(-1.0, "w")
    y1, y2 = x * w, x + w * w
    autograd.backward([y1, y2], [3.0, 0.5])
    assert x.grad == 3.0 * -1.0 + 0.5 * 1.0
    assert w.grad == 3.0 * 2.0 + 0.5 * 2 * -1.0


def test_an_output_inside_another_outputs_graph():
    x = Value(3.0)
    h = x * x
    y = h * 2
    autograd.backward([y, h], [1.0, 1.0])  # ∂(y + h)/∂x = 4x + 2x
    assert x.grad == 18.0


def test_backward_rejects_bad_seeds():
    x = Value(1.0)
    with pytest.raises(ValueError, match="2 outputs but 1 gradients"):
        autograd.backward([x, x], [1.0])
    with pytest.raises(TypeError, match="str"):
        autograd.backward([x], ["one"])
    with pytest.raises(TypeError, match=r"output 0 is 1\.0 of type float"):
        autograd.backward([1.0])


def test_create_graph_gives_differentiable_gradients():
    x = Value(0.8, "x")
    y = x.tanh()
    y.backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value) and first.data == pytest.approx(1 - math.tanh(0.8) ** 2)
    x.grad = 0.0
    first.backward()
    t = math.tanh(0.8)
    assert x.grad == pytest.approx(-2 * t * (1 - t * t))


@given(data=st.data())
def test_create_graph_first_order_equals_plain_backward(data):
    _, _, (plain, out_plain), (graphed, out_graphed) = twin_graphs(data, max_steps=12)
    out_plain.backward()
    out_graphed.backward(create_graph=True)
    for a, b in zip(plain, graphed):
        got = b.grad.data if isinstance(b.grad, Value) else b.grad
        assert math.isclose(a.grad, got, rel_tol=1e-12, abs_tol=1e-12)


def test_backward_from_several_threads_loses_no_update():
    """Passes over graphs that share a parameter take turns (one lock per pass), so every pass's
    gradient is added in full. Without the lock this test gave anything from 107,536 to 877,990."""
    p = Value(1.0, "p")
    threads, passes, width = 8, 10, 2000
    barrier = threading.Barrier(threads)

    def work(k: int) -> None:
        y = autograd.sum_values([p * float(k + 1) for _ in range(width)])  # ∂y/∂p = width·(k+1)
        barrier.wait()
        for _ in range(passes):
            y.backward()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke a race
    try:
        workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert p.grad == passes * width * sum(range(1, threads + 1))  # 720,000, exactly
