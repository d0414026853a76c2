"""One op, one record: everything that knows an op's name is made from ``OPS``, or checked here.

Parametrized over ``autograd.core.ops.OPS``: an op added there gets every check below with no further
work, and a reading that forgot it fails here, naming the op.
"""

from __future__ import annotations

import math
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import GRAPH_OPS

import autograd
from autograd import Value
from autograd.cli.expression import FUNCTIONS, parse
from autograd.cli.main import parser
from autograd.compiler import compile_graph
from autograd.compiler.numpy_reading import NUMPY_MATH
from autograd.compiler.straight_line import RUNTIME as _RUNTIME
from autograd.core import ops
from autograd.core.graph import topological_order
from autograd.core.ops import FLOAT_MATH, MATH_FUNCTIONS, OPS, MissingFunction, Notation, Op
from autograd.core.value import OP_FUNCTIONS, VALUE_MATH
from autograd.readers.formula import FORMULA_MATH
from autograd.readers.symbolic import sympy_math

ALL_OPS = list(OPS.values())
FUNCTION_OPS = [op for op in ALL_OPS if op.notation.kind == "function"]

OPERATORS = {  # the ops Python writes with an operator: a closed set, so listed by hand
    "add": (operator.add, "x + y"),
    "sub": (operator.sub, "x - y"),
    "mul": (operator.mul, "x * y"),
    "div": (operator.truediv, "x / y"),
    "neg": (lambda x, y: -x, "-x"),
    "pow": (lambda x, y: x**2, "x ** 2"),
    "pow_var": (operator.pow, "x ** y"),
}
NARY = {"dot": lambda x, y: autograd.dot([x, y], [y, x], x), "sum": autograd.sum_values}


def _ops_in(output: Value) -> set[str]:
    return {node.op.name for node in topological_order([output]) if node.op is not None}


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_every_op_declares_its_input_names(op: Op):
    count = 5 if op.arity < 0 else op.arity
    names = op.input_names(count)
    assert len(names) == count and len(set(names)) == count
    assert all(name.isidentifier() for name in names), names


def test_dot_names_its_inputs_from_its_one_layout():
    assert ops.DOT.input_names(5) == ("w1", "w2", "x1", "x2", "b")
    assert ops.DOT.input_names(4) == ("w1", "w2", "x1", "x2")
    assert ops.dot_parts(ops.dot_inputs([1, 2], [3, 4], [5])) == ((1, 2), (3, 4), (5,))


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_every_op_can_be_written_by_a_user(op: Op):
    """A method and a function for each function op; an operator or n-ary function otherwise."""
    x, y = Value(0.7, "x"), Value(0.4, "y")
    if op.notation.kind == "function":
        arguments = (x,) if op.arity == 1 else (x, y)
        method = getattr(Value, op.name)(*arguments)
        function = getattr(autograd, op.name)(*arguments)
        from_number = getattr(autograd, op.name)(*(a.data for a in arguments))
        assert method.op is function.op is from_number.op is op
        assert (
            method.data
            == function.data
            == from_number.data
            == op.forward(FLOAT_MATH, *(a.data for a in arguments))
        )
    elif op.name in OPERATORS:
        assert op.name in _ops_in(OPERATORS[op.name][0](x, y))
    else:
        assert op.notation.kind in ("dot", "sum")
        assert NARY[op.name]([x, y]).op is op if op.name == "sum" else NARY[op.name](x, y).op is op


def test_module_functions_and_all_are_made_from_the_records():
    assert set(OP_FUNCTIONS) == {op.name for op in FUNCTION_OPS}
    for name in OP_FUNCTIONS:
        assert getattr(autograd, name) is OP_FUNCTIONS[name]
        assert (name in autograd.__all__) == (name != "abs")  # abs stays out: it is a builtin


@pytest.mark.parametrize(
    "namespace",
    [FLOAT_MATH, VALUE_MATH, FORMULA_MATH, sympy_math(), NUMPY_MATH],
    ids=["float", "Value", "formula", "sympy", "numpy"],
)
def test_every_namespace_has_one_function_per_op(namespace):
    missing = set(MATH_FUNCTIONS) - set(namespace.functions())
    assert not missing, f"{namespace!r} lacks {sorted(missing)}"


def test_the_compilers_runtime_is_the_float_namespace():
    assert FLOAT_MATH.functions() == _RUNTIME


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_every_op_has_a_sympy_reading(op: Op):
    import sympy

    symbols = sympy.symbols("a b c d e", positive=True)[: 5 if op.arity < 0 else op.arity]
    if op.constant_inputs:
        symbols = tuple(
            sympy.Integer(3) if i in op.constant_inputs else s for i, s in enumerate(symbols)
        )
    out = op.forward(sympy_math(), *symbols)
    assert isinstance(out, sympy.Expr)
    assert len(op.local_derivatives(sympy_math(), *symbols, out)) == len(symbols)


@pytest.mark.parametrize("op", [op for op in FUNCTION_OPS if op.arity == 1], ids=lambda o: o.name)
def test_every_function_op_parses_in_the_cli(op: Op):
    expression = parse(f"{op.name}(x * 0.5 + 0.7)")
    output = expression.evaluate({"x": 0.1})
    assert output.op is op
    assert output.data == op.forward(FLOAT_MATH, 0.1 * 0.5 + 0.7)


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_every_operator_op_parses_in_the_cli(name: str):
    assert name in _ops_in(parse(OPERATORS[name][1]).evaluate({"x": 0.7, "y": 0.4}))


def test_the_cli_lists_every_function_op_in_its_help():
    assert set(FUNCTIONS) == {op.name for op in FUNCTION_OPS if op.arity == 1}
    trace_help = parser()._subparsers._group_actions[0].choices["trace"].format_help()  # type: ignore[union-attr]
    for name in FUNCTIONS:
        assert name in " ".join(trace_help.split()), name


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
def test_every_op_is_drawn_by_the_random_graph_strategy(op: Op):
    step = GRAPH_OPS[op.name]
    assert op.name in _ops_in(step(Value(0.7), Value(-0.4)))


@pytest.mark.parametrize("op", ALL_OPS, ids=lambda op: op.name)
@given(a=st.floats(-1.5, 1.5), b=st.floats(-1.5, 1.5))
def test_every_op_compiles_to_the_interpreters_numbers(op: Op, a: float, b: float):
    step = GRAPH_OPS[op.name]
    x, y = Value(a, "a"), Value(b, "b")
    out = step(x, y)
    out.backward()
    value, (da, db) = compile_graph(out, [x, y]).raw([a, b])
    assert value == out.data
    assert math.isclose(da, x.grad, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(db, y.grad, rel_tol=1e-12, abs_tol=1e-12)


def test_a_rule_calling_a_missing_function_names_the_op_and_the_namespace():
    needs_erf = Op(
        "needs_erf",
        ("x",),
        lambda m, x: m.erf_missing(x),
        lambda m, x, out: (m.erf_missing(x),),
        Notation("needs_erf", "function"),
    )
    with pytest.raises(MissingFunction, match=r"op 'needs_erf' calls m\.erf_missing.*float math"):
        autograd.apply_op(needs_erf, 0.5)
    with pytest.raises(AttributeError, match=r"op 'needs_erf' .* formula math"):
        needs_erf.forward(FORMULA_MATH, 1.0)


def test_an_op_author_may_give_the_number_of_inputs():
    cube = Op(
        "cube",
        1,
        lambda m, x: x * x * x,
        lambda m, x, out: (3 * x * x,),
        Notation("cube", "function"),
    )
    assert cube.inputs == ("x",) and cube.arity == 1


def test_the_registry_refuses_two_records_with_one_name():
    second_erf = Op(
        "erf",
        ("x",),
        lambda m, x: m.erf(x),
        lambda m, x, out: (0.0,),
        Notation("erf", "function"),
        doc="a second erf",
    )
    with pytest.raises(ValueError, match=r"two op records are named 'erf'.*a second erf"):
        ops.registry(*OPS.values(), second_erf)
    with pytest.raises(ValueError, match="named 'sin'"):
        ops.registry(ops.SIN, ops.COS, ops.SIN)  # one record listed twice
    assert ops.registry(*OPS.values()) == OPS  # the real list has no duplicate
