"""The compiler agrees with the interpreter: whatever the interpreter raises, compiled code
raises (same class, same message); whatever it computes, compiled code computes.

The programs are random and reckless on purpose: raw division, logs, square roots and powers
of whatever comes along, overflowing exponentials, values cut off by ``detach()`` and computed
inside ``no_grad``, on inputs that include zeros and huge numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import graph_inputs, random_graphs

import autograd
from autograd import Value, no_grad
from autograd.compiler import compile  # noqa: A004
from autograd.core.graph import topological_order

_RECKLESS: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow2": lambda a, b: a**2,
    "pow_half": lambda a, b: a**0.5,
    "pow_minus1": lambda a, b: a**-1,
    "pow_var": lambda a, b: a**b,
    "exp": lambda a, b: autograd.exp(a),
    "log": lambda a, b: autograd.log(a),
    "sqrt": lambda a, b: autograd.sqrt(a),
    "tan": lambda a, b: autograd.tan(a),
    "tanh": lambda a, b: autograd.tanh(a),
    "sigmoid": lambda a, b: autograd.sigmoid(a),
    "softplus": lambda a, b: autograd.softplus(a),
    "relu": lambda a, b: autograd.relu(a),
    "abs": lambda a, b: autograd.abs(a),
    "sign": lambda a, b: autograd.sign(a) * b,
    "heaviside": lambda a, b: autograd.heaviside(a) + b,
    "dot": lambda a, b: autograd.dot([a, b], [b, 2.0], a),
    "sum": lambda a, b: autograd.sum_values([a, b, a]),
    "detach": lambda a, b: a * b.detach(),
    "no_grad": lambda a, b: a * _untracked(b),
    "big": lambda a, b: a * 1e300,
}


def _untracked(b: Any) -> Any:
    with no_grad():
        return autograd.exp(b) + b


@dataclass(frozen=True)
class Program:
    n_inputs: int
    steps: tuple[tuple[str, int, int], ...]

    def __call__(self, *inputs: Any) -> Any:
        nodes = list(inputs)
        for name, i, j in self.steps:
            nodes.append(_RECKLESS[name](nodes[i], nodes[j]))
        out = nodes[-1]
        return out if isinstance(out, Value) else out * Value(1.0)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    n_inputs = draw(st.integers(1, 3))
    steps = []
    for k in range(draw(st.integers(1, 8))):
        available = n_inputs + k
        steps.append(
            (
                draw(st.sampled_from(sorted(_RECKLESS))),
                draw(st.integers(0, available - 1)),
                draw(st.integers(0, available - 1)),
            )
        )
    return Program(n_inputs, tuple(steps))


NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.0, 1e-300, 700.0, 1e200, -1e200]),
    st.floats(-10.0, 10.0),
)


def _interpreted(program: Callable[..., Value], point: list[float]) -> tuple[float, list[float]]:
    """The interpreter's value and gradients (or its exception)."""
    inputs = [Value(x, f"arg{i}") for i, x in enumerate(point)]  # as compile labels *args
    out = program(*inputs)
    out.backward()
    return out.data, [leaf.grad for leaf in inputs]


def _scales(f: Callable[..., Value], point: list[float]) -> list[float]:
    """How large the numbers are whose rounding the value and each gradient carry: a sum of
    terms that cancel (3x/x at x = 1e-300) is exact only to the rounding of its terms, and code
    that adds the same terms in another order, or with numpy's exp instead of math's, differs
    by that much. The value's scale is |v| plus |local|·scale of each input (the terms it came
    from); a gradient's is the chain rule run on |local| + 1e-6 (the slack covers a local
    derivative that is itself a cancellation, as 1 - tanh² is where tanh saturates)."""
    inputs = [Value(x, f"arg{i}") for i, x in enumerate(point)]
    out = f(*inputs)
    order = topological_order([out])  # each node before its parents
    size = {leaf: abs(leaf.data) for leaf in inputs}
    for node in reversed(order):
        locals_ = node.local_derivatives()
        size[node] = abs(node.data) + sum(
            abs(local) * size.get(parent, abs(parent.data))
            for parent, local in zip(node.parents, locals_)
        )
    reach = {out: 1.0}
    for node in order:
        for parent, local in zip(node.parents, node.local_derivatives()):
            reach[parent] = reach.get(parent, 0.0) + (abs(local) + 1e-6) * reach.get(node, 0.0)
    return [size[out], *(reach.get(leaf, 0.0) for leaf in inputs)]


def _agree(got: float, expected: float, scale: float, rel: float) -> bool:
    """Equal to rounding: within ``rel`` of the larger of the number and its scale."""
    if math.isnan(got) or math.isnan(expected):
        return math.isnan(got) and math.isnan(expected)
    return got == expected or abs(got - expected) <= rel * max(abs(expected), scale) + 1e-300


def _outcome(run: Callable[[], tuple[float, list[float]]]) -> tuple[str, Any]:
    try:
        value, grads = run()
    except (ArithmeticError, ValueError, TypeError) as error:
        return "raised", (type(error), str(error))
    return "computed", (value, list(grads))


def _same_numbers(
    got: tuple[float, list[float]], expected: tuple[float, list[float]], scales: list[float]
) -> None:
    for a, b, scale in zip([got[0], *got[1]], [expected[0], *expected[1]], scales):
        assert _agree(a, b, scale, 1e-12), (a, b, scale)


@given(
    program=programs(),
    example=st.lists(NUMBERS, min_size=3, max_size=3),
    point=st.lists(NUMBERS, min_size=3, max_size=3),
)
def test_compiled_code_raises_and_computes_what_the_interpreter_does(program, example, point):
    example, point = example[: program.n_inputs], point[: program.n_inputs]
    assume(_outcome(lambda: _interpreted(program, example))[0] == "computed")
    compiled = compile(program, *example)
    expected = _outcome(lambda: _interpreted(program, point))
    got = _outcome(lambda: compiled(*point))
    assert got[0] == expected[0], (got, expected, compiled.source)
    if expected[0] == "raised":
        assert got[1] == expected[1]
    else:
        _same_numbers(got[1], expected[1], _scales(program, point))


def test_detach_and_no_grad_are_recomputed_not_baked_in():
    assert compile(lambda x: x * x.detach(), 3.0)(5.0) == (25.0, (5.0,))
    assert compile(lambda x: x * _untracked(x), 0.0)(1.0) == (
        1.0 * (math.e + 1.0),
        (math.e + 1.0,),
    )


def test_non_finite_inputs_are_refused_like_the_interpreters():
    compiled = compile(lambda x: x.log(), 2.0)
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="argument 0 needs a finite number, got"):
            compiled(bad)


def test_constants_and_parameters_named_like_constants():
    def f(nan, inf):
        return nan * inf + 2.0

    compiled = compile(f, 2.0, 3.0)
    assert compiled(4.0, 5.0) == (22.0, (5.0, 4.0))
    assert "float(" not in compiled.source and "v_nan" in compiled.source


def test_zero_argument_functions_compile():
    @compile
    def constant():
        return Value(2.0) * 3

    assert constant() == (6.0, ())
    assert compile(lambda: Value(1.5).exp(), batch=False)() == (math.exp(1.5), ())


@given(
    program=programs(),
    example=st.lists(NUMBERS, min_size=3, max_size=3),
    points=st.lists(st.lists(NUMBERS, min_size=3, max_size=3), min_size=1, max_size=4),
)
def test_batched_code_raises_and_computes_what_the_interpreter_does(program, example, points):
    n = program.n_inputs
    _check_batch(program, example[:n], [p[:n] for p in points])


def _check_batch(f: Callable[..., Value], example: list[float], points: list[list[float]]) -> None:
    """``f`` compiled for batches at ``example`` and run on ``points`` (every argument batched)
    raises what the interpreter raises for the first sample it refuses, naming that sample, and
    else computes each sample's numbers."""
    assume(_outcome(lambda: _interpreted(f, example))[0] == "computed")
    compiled = compile(f, *example, batch=True)
    expected = [_outcome(lambda p=p: _interpreted(f, p)) for p in points]
    columns = [np.array([p[i] for p in points]) for i in range(len(example))]
    got = _outcome(lambda: _batch_as_lists(compiled(*columns)))
    failures = [(i, e) for i, e in enumerate(expected) if e[0] == "raised"]
    if failures:
        sample, (_, (kind, message)) = failures[0]
        assert got == ("raised", (kind, f"{message} (sample {sample} of the batch)")), (
            got,
            compiled.source,
        )
        return
    assert got[0] == "computed", (got, compiled.source)
    values, grads = got[1]
    for sample, (_, (value, gradients)) in enumerate(expected):
        scales = _scales(f, points[sample])
        pairs = zip([values[sample], *(g[sample] for g in grads)], [value, *gradients], scales)
        for a, b, scale in pairs:
            assert _agree(a, b, scale, 1e-9), (sample, a, b, compiled.source)


def _batch_as_lists(result: tuple[Any, Any]) -> tuple[list[float], list[list[float]]]:
    values, grads = result
    return list(values), [list(g) for g in grads]


@given(data=st.data())
def test_random_graphs_of_every_op_agree_on_wild_inputs(data):
    """The shared random graphs (every op in OPS), compiled at a tame point, run where the
    interpreter may refuse: overflow, NaN, a domain left."""
    graph = data.draw(random_graphs(max_steps=10))
    n = graph.n_inputs
    example = data.draw(graph_inputs(graph))
    point = data.draw(st.lists(NUMBERS, min_size=n, max_size=n))

    def f(*xs: Any) -> Any:
        out = graph(*xs)
        return out if isinstance(out, Value) else Value(out)

    assume(_outcome(lambda: _interpreted(f, example))[0] == "computed")
    expected = _outcome(lambda: _interpreted(f, point))
    got = _outcome(lambda: compile(f, *example)(*point))
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raised":
        assert got[1] == expected[1]
    else:
        _same_numbers(got[1], expected[1], _scales(f, point))
    _check_batch(f, example, [example, point])
