"""Hypothesis strategies shared by the tests: points inside an op's domain, and random graphs."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.core import ops
from autograd.core.ops import Op

FD_STEP = 1e-6
"""Step of the central differences the tests use; points are kept clear of edges by 1000× this."""

_MARGIN = 1000 * FD_STEP
_KINKED = {"relu", "abs", "heaviside", "sign"}  # not differentiable at 0
_RANGES = {"tan": (-1.3, 1.3), "exp": (-5.0, 5.0)}


NARY_SAMPLE_ARITY = 5
"""How many inputs the tests give an n-ary op (for dot: w1 w2 x1 x2 b)."""


def arity(op: Op) -> int:
    return op.arity if op.arity >= 0 else NARY_SAMPLE_ARITY


def _clear_of_edges(op: Op, args: tuple[float, ...]) -> bool:
    """True if every input can move by ±margin without leaving the domain, crossing a pole at 0,
    or crossing a kink."""
    if op.name in _KINKED and abs(args[0]) < _MARGIN:
        return False
    if op is ops.POW and args[1] < 1.0 and abs(args[0]) < _MARGIN:
        return False  # x^c with c < 1 has an infinite (or, for c = 0, undefined) slope at x = 0
    if op.domain is None:
        return True
    for i in range(arity(op)):
        if i in op.constant_inputs:
            continue
        for moved_to in (args[i] - _MARGIN, args[i] + _MARGIN, 0.0):
            if moved_to == 0.0 and abs(args[i]) > _MARGIN:
                continue  # 0 is checked only when the input is near it (a pole such as y = 0 in x/y)
            moved = list(args)
            moved[i] = moved_to
            if not op.domain.contains(*moved):
                return False
    return op.domain.contains(*args)


def op_inputs(op: Op) -> st.SearchStrategy[tuple[float, ...]]:
    """Points in ``op``'s domain, clear of its edges and kinks, for differentiating it."""
    low, high = _RANGES.get(op.name, (-3.0, 3.0))
    number = st.floats(low, high, allow_nan=False, allow_infinity=False)
    if op is ops.POW:  # negative bases need a whole exponent; a fractional one needs x > 0
        points = st.one_of(
            st.tuples(number, st.integers(-3, 4).map(float)),
            st.tuples(st.floats(0.1, 3.0), st.floats(-2.5, 2.5)),
        )
    elif op is ops.POW_VAR:
        points = st.tuples(st.floats(0.1, 3.0), st.floats(-2.5, 2.5))
    else:
        points = st.tuples(*[number] * arity(op))
    return points.filter(lambda args: _clear_of_edges(op, args))


@dataclass(frozen=True)
class RandomGraph:
    """A random expression DAG over ``n_inputs`` inputs: each step applies an op to earlier nodes,
    so later steps reuse (share) earlier subexpressions."""

    n_inputs: int
    steps: tuple[tuple[str, int, int], ...]

    def __call__(self, *inputs, fused: bool = True):
        """Evaluate the graph on Values or numbers; returns the last node (a Value or a float).

        With ``fused=False`` the n-ary steps (dot, sum) are built from binary ops instead.
        """
        table = GRAPH_OPS if fused else {**GRAPH_OPS, **_UNFUSED}
        nodes = list(inputs)
        for name, i, j in self.steps:
            a, b = nodes[i], nodes[j]
            nodes.append(table[name](a, b))
        return sum(nodes[-3:], 0.0)


# Kinked ops get their input shifted, each by its own odd amount, so that no simple number (and
# no kink's output fed into another) lands on a kink, where central differences disagree.
_KINK = {"relu": 0.318, "abs": 0.271, "heaviside": 0.177, "sign": 0.123, "other": 0.389}

_STEPS = {  # how a random graph applies each op to two earlier nodes a and b
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1.5 + autograd.sin(b)),
    "neg": lambda a, b: -a,
    "pow": lambda a, b: (a * 0.5) ** 2,
    "pow_var": lambda a, b: (1.5 + autograd.sin(a)) ** autograd.cos(b),
    "sin": lambda a, b: autograd.sin(a),
    "cos": lambda a, b: autograd.cos(a - b),
    "tan": lambda a, b: autograd.tan(autograd.sin(a)),
    "tanh": lambda a, b: autograd.tanh(a * b),
    "sigmoid": lambda a, b: autograd.sigmoid(a - b),
    "exp": lambda a, b: autograd.exp(autograd.cos(a)),
    "sqrt": lambda a, b: autograd.sqrt(1.0 + a * a),
    "log": lambda a, b: autograd.log(2.0 + autograd.tanh(b)),
    "relu": lambda a, b: autograd.relu(a - _KINK["relu"]),
    "abs": lambda a, b: abs(a - _KINK["abs"]),
    "heaviside": lambda a, b: b * autograd.heaviside(a - _KINK["heaviside"]),
    "sign": lambda a, b: b * autograd.sign(a - _KINK["sign"]),
    "dot": lambda a, b: autograd.dot([a, b, 0.5], [b, a, a], 0.25),
    "sum": lambda a, b: autograd.sum_values([a, b, a]),
}


def _derived_step(op: Op):
    """A step for an op that has none above: each input is squashed by sin into a small range,
    inside (0.25, 0.75) when the op has a domain (where x > 0, x ≥ 0, y ≠ 0 and |x| < 1 all hold)."""

    def inside(node):
        squashed = autograd.sin(node)
        return 0.5 + 0.25 * squashed if op.domain is not None else squashed + _KINK["other"]

    def step(a, b):
        return autograd.apply_op(op, *[inside(node) for node in (a, b)[: op.arity]])

    return step


GRAPH_OPS = {name: _STEPS.get(name) or _derived_step(op) for name, op in ops.OPS.items()}
"""Every op in OPS, as a step of a random graph (the registry test checks each makes its op)."""
_UNFUSED = {  # the same n-ary steps, one node per multiply and addition
    "dot": lambda a, b: 0.25 + a * b + b * a + 0.5 * a,
    "sum": lambda a, b: a + b + a,
}


@st.composite
def random_graphs(draw, max_inputs: int = 4, max_steps: int = 25) -> RandomGraph:
    n_inputs = draw(st.integers(1, max_inputs))
    n_steps = draw(st.integers(1, max_steps))
    steps = []
    for k in range(n_steps):
        available = n_inputs + k
        steps.append(
            (
                draw(st.sampled_from(sorted(GRAPH_OPS))),
                draw(st.integers(0, available - 1)),
                draw(st.integers(0, available - 1)),
            )
        )
    return RandomGraph(n_inputs, tuple(steps))


def graph_inputs(graph: RandomGraph) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(-1.5, 1.5), min_size=graph.n_inputs, max_size=graph.n_inputs)


def leaves(values: list[float]) -> list[Value]:
    return [Value(v, f"x{i}") for i, v in enumerate(values)]


def twin_graphs(data, max_steps: int = 25) -> tuple[RandomGraph, list[float], tuple, tuple]:
    """A random graph built twice on the same point: (graph, point, (leaves, out) twice)."""
    graph = data.draw(random_graphs(max_steps=max_steps))
    point = data.draw(graph_inputs(graph))
    first, second = leaves(point), leaves(point)
    return graph, point, (first, graph(*first)), (second, graph(*second))
