"""No NaN or infinity appears silently: each is refused where it first appears (README, bad input).

Leaves, constants and seeds refuse them; every op checks its result; backward checks its gradients
and names the chain-rule step that made a bad one. The property tests feed every op, and random
graphs, NaN, ±inf and huge or tiny numbers (a non-finite number can only enter through ``.data``,
so that is how they are put in), forward and backward, with and without ``create_graph`` and
``detect_anomaly``.
"""

from __future__ import annotations

import math
from contextlib import nullcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import arity, graph_inputs, random_graphs

import autograd
from autograd import InfinityError, NaNError, NonFiniteError, Value, detect_anomaly
from autograd.core import ops
from autograd.core.graph import topological_order
from autograd.core.value import apply_op

ALL_OPS = list(ops.OPS.values())
REFUSED = (ArithmeticError, ValueError)

NASTY = st.one_of(
    st.floats(),  # NaN, ±inf and anything in between, huge and tiny
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-308, 5e-324, 0.0, 1.0]),
)


def leaf(number: float, label: str) -> Value:
    """A leaf holding ``number``; a NaN or inf is assigned to ``.data``, the one way in."""
    node = Value(0.0, label)
    node.data = number
    return node


def number(x: object) -> float:
    return x.data if isinstance(x, Value) else x  # type: ignore[return-value]


def all_finite_or_refused(run) -> bool:
    """Run ``run()``; True if it raised one of the engine's errors (which name what and where)."""
    try:
        run()
    except REFUSED as error:
        assert str(error), "an error without a message"
        return True
    return False


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data(), create_graph=st.booleans(), anomaly=st.booleans())
def test_no_op_yields_a_non_finite_number_silently(op, data, create_graph, anomaly):
    numbers = data.draw(st.tuples(*[NASTY] * arity(op)))
    inputs = [leaf(x, f"in{i}") for i, x in enumerate(numbers)]
    with detect_anomaly() if anomaly else nullcontext():
        try:
            out = apply_op(op, *inputs)
        except REFUSED as error:
            assert op.name in str(error)
            return
        assert math.isfinite(out.data), f"{op.name}{numbers} gave {out.data} silently"
        assert not any(math.isnan(x) for x in numbers), f"{op.name}{numbers}: a NaN vanished"
        try:
            out.backward(create_graph=create_graph)
        except REFUSED as error:
            assert "backward" in str(error) or op.name in str(error)
            assert all(node.grad == 0.0 for node in inputs), "a failed pass changed a grad"
            return
        for node in inputs:
            assert math.isfinite(number(node.grad)), f"{op.name}{numbers}: grad {node.grad}"


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(data=st.data())
def test_a_nan_input_never_vanishes(op, data):
    numbers = list(data.draw(st.tuples(*[NASTY] * arity(op))))
    numbers[data.draw(st.integers(0, len(numbers) - 1))] = math.nan
    inputs = [leaf(x, f"in{i}") for i, x in enumerate(numbers)]
    with pytest.raises(REFUSED) as error:
        apply_op(op, *inputs)
    assert op.name in str(error.value) and "nan" in str(error.value)


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_float_rules_keep_nan(op):
    """The float reading itself never turns a NaN into a number (relu, heaviside, sign, pow(x, 0))."""
    for position in range(arity(op)):
        args = [0.5] * arity(op)
        args[position] = math.nan
        if op is ops.POW:
            args[1 - position] = 0.0  # pow(nan, 0) and pow(0.0, nan)
        assert math.isnan(op.forward(ops.FLOAT_MATH, *args)), (op.name, args)


@given(data=st.data(), create_graph=st.booleans(), anomaly=st.booleans())
def test_random_graphs_on_huge_inputs_raise_or_stay_finite(data, create_graph, anomaly):
    graph = data.draw(random_graphs(max_steps=12))
    point = data.draw(
        st.lists(
            st.floats(allow_nan=False, allow_infinity=False),
            min_size=graph.n_inputs,
            max_size=graph.n_inputs,
        )
    )
    inputs = [Value(x, f"x{i}") for i, x in enumerate(point)]
    with detect_anomaly() if anomaly else nullcontext():
        try:
            out = graph(*inputs)
        except REFUSED:
            return
        nodes = topological_order([out])
        assert all(math.isfinite(node.data) for node in nodes)
        if all_finite_or_refused(lambda: out.backward(create_graph=create_graph)):
            assert all(node.grad == 0.0 for node in nodes), "a failed pass changed a grad"
            return
        assert all(math.isfinite(number(node.grad)) for node in nodes)


@given(data=st.data())
def test_backward_refuses_a_non_finite_gradient_on_ordinary_inputs(data):
    """Gradients can overflow where the values do not: the pass raises instead of returning inf."""
    graph = data.draw(random_graphs(max_steps=12))
    point = data.draw(graph_inputs(graph))
    inputs = [Value(x, f"x{i}") for i, x in enumerate(point)]
    out = graph(*inputs)
    scale = data.draw(st.sampled_from([1.0, 1e300, 1e308]))
    if all_finite_or_refused(lambda: out.backward(scale)):
        return
    assert all(math.isfinite(node.grad) for node in topological_order([out]))


# ---- where non-finite numbers are refused, and what the messages say -----------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 10**400])
def test_leaves_constants_and_seeds_refuse_non_finite_numbers(bad):
    with pytest.raises(ValueError, match="finite number"):
        Value(bad, "x")
    with pytest.raises(ValueError, match=r"constant .* finite number"):
        Value(1.0) * bad
    with pytest.raises(ValueError, match=r"constant .* finite number"):
        bad + Value(1.0)
    with pytest.raises(ValueError, match="backward's gradient 0 needs a finite number"):
        (Value(2.0) * 3).backward(bad)
    with pytest.raises(ValueError, match="finite number"):
        autograd.sin(bad)
    with pytest.raises(ValueError, match="finite number"):
        autograd.grad(lambda x: x * x)(bad)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Value(1e308, "a") + Value(1e308, "b"), InfinityError, r"add overflowed to inf"),
        (lambda: Value(1e308, "a") - (-1e308), InfinityError, r"sub overflowed to inf"),
        (lambda: Value(1e200, "a") * 1e200, InfinityError, r"mul overflowed.*x=1e\+200"),
        (lambda: Value(1e300, "a") / 1e-300, InfinityError, r"div overflowed to inf"),
        (
            lambda: autograd.dot([Value(1e300, "w")] * 2, [1e10, 1e10]),
            InfinityError,
            r"dot overflowed.*w1=1e\+300 \(node 'w'\)",
        ),
        (lambda: autograd.sum_values([1e308, 1e308, Value(1.0)]), InfinityError, "sum overflowed"),
        (lambda: Value(1000.0, "a").exp(), InfinityError, r"exp overflowed.*x=1000.0"),
        (lambda: leaf(math.nan, "n").relu(), NaNError, r"relu produced nan.*input x is not"),
        (lambda: leaf(math.inf, "i") * 0, NaNError, r"mul produced nan.*input x is not a finite"),
        (lambda: leaf(math.nan, "n") ** 0, NaNError, r"pow produced nan"),
    ],
)
def test_each_op_refuses_its_non_finite_result_naming_op_inputs_and_node(make, error, message):
    with pytest.raises(error, match=message) as raised:
        make()
    assert isinstance(raised.value, NonFiniteError)
    assert isinstance(raised.value, ValueError if error is NaNError else OverflowError)


def test_backward_names_the_chain_rule_step_that_overflowed():
    a, b = Value(1e200, "a"), Value(1e-200, "b")
    f = a * b
    f.label = "f"
    loss = f * 1e200
    with pytest.raises(InfinityError) as error:
        loss.backward()
    message = str(error.value)
    assert "contribution local · upstream became inf" in message
    assert "from mul (node 'f') to its input y (node 'b')" in message
    assert "upstream = 1e+200, local = ∂out/∂y = 1e+200" in message
    assert [n.grad for n in (a, b, f, loss)] == [0.0] * 4  # left as they were


def test_backward_names_a_local_derivative_that_overflowed():
    x = Value(1e-300, "x")
    y = x.log()  # log(1e-300) is fine; its local derivative 1/x = 1e300, times upstream 1e10: inf
    with pytest.raises(InfinityError, match=r"from log \(unlabelled node\) to its input x"):
        y.backward(1e10)


def test_backward_refuses_an_accumulation_that_overflows():
    x = Value(2.0, "x")
    y = x * 1e300
    y.backward()
    y.backward(1e8)  # 1e300 + 1e308: still a float
    with pytest.raises(InfinityError, match="already held overflowed"):
        y.backward(1e8)
    assert x.grad == 1e300 + 1e308  # the pass that failed was not added


def test_create_graph_gradients_that_overflow_name_the_step():
    a = Value(1e150, "a")
    y = a * a
    with pytest.raises(NonFiniteError, match=r"chain-rule step from mul"):
        y.backward(1e200, create_graph=True)


def test_a_non_finite_number_assigned_to_data_is_caught_at_the_next_op():
    x = Value(1.0, "x")
    x.data = math.nan
    with pytest.raises(NaNError, match=r"input x is not a finite number \(assigned to \.data"):
        x * 2
