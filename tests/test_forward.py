"""Forward mode (``autograd.jvp``) against reverse mode (``grad``) and central differences.

Parametrized over ``autograd.core.ops.OPS``: every op record is read on dual numbers and must give the
directional derivative that backward() and the central difference give.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import FD_STEP, arity, graph_inputs, op_inputs, random_graphs

import autograd
from autograd import Dual, InfinityError, NonFiniteError, Value, jvp
from autograd.core import ops
from autograd.core.forward import apply_dual
from autograd.core.value import _apply1, _apply2, _applyn

ALL_OPS = list(ops.OPS.values())


def close(got: float, expected: float, rel: float = 1e-6, abs_: float = 1e-8) -> bool:
    return math.isclose(got, expected, rel_tol=rel, abs_tol=abs_)


def reverse_gradient(op, args: tuple[float, ...]) -> list[float]:
    inputs = [Value(a, f"in{i}") for i, a in enumerate(args)]
    if op.arity < 0:
        out = _applyn(op, tuple(inputs))
    else:
        out = _apply1(op, *inputs) if op.arity == 1 else _apply2(op, *inputs)
    out.backward()
    return [node.grad for node in inputs]


def central_difference(op, args: tuple[float, ...], direction: list[float]) -> float:
    up = [a + FD_STEP * v for a, v in zip(args, direction)]
    down = [a - FD_STEP * v for a, v in zip(args, direction)]
    return (op.forward(ops.FLOAT_MATH, *up) - op.forward(ops.FLOAT_MATH, *down)) / (2 * FD_STEP)


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_every_op_along_each_axis_matches_grad_and_central_differences(op, data):
    args = data.draw(op_inputs(op))
    gradient = reverse_gradient(op, args)
    for i in range(arity(op)):
        if i in op.constant_inputs:
            continue
        direction = [1.0 if k == i else 0.0 for k in range(len(args))]
        value, tangent = jvp(lambda *xs: autograd.apply_op(op, *xs), args, direction)
        assert value == op.forward(ops.FLOAT_MATH, *args)
        assert close(tangent, gradient[i], 1e-12, 1e-12), (
            f"{op.name} at {args}: forward mode gives ∂/∂input{i} = {tangent}, "
            f"backward() gives {gradient[i]}"
        )
        estimate = central_difference(op, args, direction)
        assert close(tangent, estimate, 1e-5, 1e-6), (
            f"{op.name} at {args}: forward mode gives ∂/∂input{i} = {tangent}, "
            f"central difference {estimate}"
        )


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_every_op_along_a_random_direction_is_the_gradient_dotted_with_it(op, data):
    args = data.draw(op_inputs(op))
    direction = data.draw(st.lists(st.floats(-2, 2), min_size=len(args), max_size=len(args)))
    direction = [0.0 if i in op.constant_inputs else v for i, v in enumerate(direction)]
    _, tangent = jvp(lambda *xs: autograd.apply_op(op, *xs), args, direction)
    expected = sum(g * v for g, v in zip(reverse_gradient(op, args), direction))
    assert close(tangent, expected, 1e-9, 1e-9)
    assert close(tangent, central_difference(op, args, direction), 1e-4, 1e-5)


@given(data=st.data())
def test_random_graphs_forward_and_reverse_agree(data):
    graph = data.draw(random_graphs())
    point = data.draw(graph_inputs(graph))
    gradient = autograd.grad(graph, tuple(range(len(point))))(*point)
    direction = data.draw(st.lists(st.floats(-2, 2), min_size=len(point), max_size=len(point)))
    value, tangent = jvp(graph, point, direction)
    assert close(value, graph(*[Value(p) for p in point]).data, 1e-12, 1e-12)
    expected = math.fsum(g * v for g, v in zip(gradient, direction))
    assert close(tangent, expected, 1e-9, 1e-9)


def test_a_jacobian_column_per_pass_for_a_vector_function():
    def f(x, y):
        return (x * y, x.sin() + y, autograd.exp(x - y))

    values, column = jvp(f, (0.5, 2.0), (1.0, 0.0))
    assert values == pytest.approx((1.0, math.sin(0.5) + 2.0, math.exp(-1.5)))
    assert column == pytest.approx((2.0, math.cos(0.5), math.exp(-1.5)))
    assert isinstance(values, tuple) and isinstance(column, tuple)


def test_module_functions_and_nary_ops_work_on_dual_numbers():
    def f(x, y):
        return (
            autograd.tanh(x)
            + autograd.dot([x, y], [y, 2.0], 1.0)
            + autograd.sum_values([x, y, 3.0])
            + autograd.sigmoid(x * y)
        )

    value, tangent = jvp(f, (0.3, -1.2), (1.0, 0.0))
    gradient = autograd.grad(f, (0, 1))(0.3, -1.2)
    assert value == pytest.approx(autograd.value_and_grad(f)(0.3, -1.2)[0])
    assert tangent == pytest.approx(gradient[0], rel=1e-12)


def test_constants_and_exponents():
    # a plain number in the expression is a constant: tangent 0
    assert jvp(lambda x: 3.0 * x + 2.0, (1.0,), (1.0,)) == (5.0, 3.0)
    # x ** c (pow), c ** x and x ** y (pow_var)
    assert jvp(lambda x: x**3, (2.0,), (1.0,)) == (8.0, 12.0)
    value, tangent = jvp(lambda x: 2.0**x, (3.0,), (1.0,))
    assert (value, tangent) == pytest.approx((8.0, 8.0 * math.log(2.0)))
    _, tangent = jvp(lambda x, y: x**y, (2.0, 3.0), (0.0, 1.0))
    assert tangent == pytest.approx(8.0 * math.log(2.0))
    # a function that ignores its argument has derivative 0
    assert jvp(lambda x: 4.0, (1.0,), (1.0,)) == (4.0, 0.0)


def test_the_tangent_scales_with_the_direction_and_comparisons_read_the_value():
    def f(x):
        return x * x if x > 0 else -x

    assert jvp(f, (3.0,), (2.0,)) == (9.0, 12.0)
    assert jvp(f, (-3.0,), (2.0,)) == (3.0, -2.0)
    d = Dual(1.5, 1.0)
    assert d < 2 and d >= 1.5 and not d > Dual(2.0)


def test_dual_arithmetic_reads_the_records():
    x = Dual(3.0, 1.0)
    y = x * x + 1
    assert (y.primal, y.tangent) == (10.0, 6.0)
    z = 1 / x - x / 2 - (-x)
    assert z.primal == pytest.approx(1 / 3 - 1.5 + 3.0)
    assert z.tangent == pytest.approx(-1 / 9 - 0.5 + 1.0)
    assert abs(Dual(-2.0, 1.0)).tangent == -1.0
    assert apply_dual(ops.OPS["sin"], (0.0,)).tangent == 0.0
    assert repr(Dual(1.0, 2.0)) == "Dual(primal=1.0, tangent=2.0)"


@pytest.mark.parametrize(
    ("f", "primal", "error", "message"),
    [
        (lambda x: x.log(), -2.0, ValueError, "log needs x > 0, got x=-2.0"),
        (lambda x: 1.0 / (x - x), 1.0, ZeroDivisionError, "div needs y ≠ 0"),
        (lambda x: x.exp(), 1000.0, InfinityError, "exp overflowed: the result for x=1000.0 is"),
        (lambda x: x * 1e300, 1e10, InfinityError, "mul overflowed to inf from x=10000000000.0"),
        (lambda x: x**0.5, 0.0, ValueError, "pow: the local derivative (∂out/∂x, ∂out/∂c) is"),
        (lambda x: x.sqrt(), 0.0, ZeroDivisionError, "sqrt: the local derivative (∂out/∂x) is"),
        (
            lambda x: x * 1e300,
            1.0,
            InfinityError,
            "the tangent of mul became inf at x=1.0, y=1e+300",
        ),
    ],
)
def test_bad_points_raise_naming_the_op_and_its_inputs(f, primal, error, message):
    with pytest.raises(error, match=re.escape(message)):
        jvp(f, (primal,), (1e10 if "tangent" in message else 1.0,))


HARD = st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, -2.5, 0.5, 1e-320, 709.0, 710.0, 1e155, 1e300, -1e300]
)
NODE_NAMES = re.compile(r" \((?:unlabelled node|constant)\)")


def _error(run):
    try:
        run()
    except (ArithmeticError, ValueError) as error:
        return error
    return None


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_every_op_refuses_in_forward_mode_with_the_engines_error(op, data):
    """At hard points (overflow, domain edges, 0), forward mode raises what the Value op raises:
    the same class and the same words, without node names (forward mode has no nodes). A local
    derivative that fails raises alike; a non-finite one is a NonFiniteError in both modes."""
    args = data.draw(st.tuples(*[HARD] * arity(op)))
    inputs = [Value(a) for a in args]
    tangents = [0.0 if i in op.constant_inputs else 1.0 for i in range(len(args))]
    forward = _error(lambda: apply_dual(op, [Dual(a, t) for a, t in zip(args, tangents)]))
    reverse = _error(lambda: autograd.apply_op(op, *inputs).backward())
    if reverse is None:
        assert forward is None or isinstance(forward, NonFiniteError), forward  # Σ of terms
        return
    assert forward is not None, f"{op.name}{args}: reverse mode raised {reverse!r}, forward none"
    if isinstance(reverse, NonFiniteError) and "backward" in str(reverse):
        assert isinstance(forward, NonFiniteError), (forward, reverse)  # a step; a tangent
    else:
        assert type(forward) is type(reverse), (forward, reverse)
        assert str(forward) == NODE_NAMES.sub("", str(reverse))


@pytest.mark.parametrize(
    ("primals", "tangents", "error", "message"),
    [
        (1.0, (1.0,), TypeError, "primals as a sequence"),
        ((1.0,), 1.0, TypeError, "tangents as a sequence"),
        ((1.0, 2.0), (1.0,), ValueError, "2 primals but 1 tangents"),
        ((math.nan,), (1.0,), ValueError, "primal 0 needs a finite number"),
        ((1.0,), (math.inf,), ValueError, "tangent 0 needs a finite number"),
        (("1.0",), (1.0,), TypeError, "needs a real number"),
    ],
)
def test_bad_arguments_are_refused(primals, tangents, error, message):
    with pytest.raises(error, match=message):
        jvp(lambda x, *rest: x, primals, tangents)


def test_mixing_a_value_into_forward_mode_is_refused():
    w = Value(2.0, "w")
    with pytest.raises(TypeError):
        jvp(lambda x: x * w, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="returned a Value"):
        jvp(lambda x: w * 3, (1.0,), (1.0,))
    with pytest.raises(TypeError, match="sum_values needs a Value or a real number"):
        autograd.sum_values([Value(1.0), "x"])


def test_forward_mode_records_no_graph():
    out = autograd.sin(Dual(0.5, 1.0))
    assert isinstance(out, Dual) and not hasattr(out, "parents")


def test_counting_ops_counts_one_application_per_op_as_a_graph_has_nodes():
    from autograd.core.forward import counting_ops
    from autograd.core.graph import topological_order

    def f(x, y):
        h = autograd.tanh(x * y + 1.0)
        return autograd.dot([h, x], [y, h], 0.5) - autograd.exp(h) / 2.0

    with counting_ops() as counts:
        jvp(f, (0.3, -0.7), (1.0, 0.0))
        with counting_ops() as inner:  # a nested block counts on its own
            jvp(f, (0.3, -0.7), (0.0, 1.0))
    out = f(Value(0.3), Value(-0.7))
    ops_in_graph = [n.op.name for n in topological_order([out]) if not n.is_leaf]
    assert counts.total() == len(ops_in_graph) and inner.total() == len(ops_in_graph)
    assert counts == {name: ops_in_graph.count(name) for name in set(ops_in_graph)}
    jvp(f, (0.3, -0.7), (1.0, 0.0))  # outside any block: nothing counted
    assert counts.total() == len(ops_in_graph)
