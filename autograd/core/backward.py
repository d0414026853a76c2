"""The chain rule, run backwards over a graph.

For every node, from the outputs back to the leaves::

    upstream      = node.grad                       (∂output/∂node, complete by now)
    local         = ∂node/∂parent                   (from the op record)
    contribution  = local · upstream
    parent.grad  += contribution                    (a parent used twice receives both)

:func:`topological_order` guarantees that a node's ``grad`` is complete before the node is reached.
The local derivatives come from the op record, evaluated on floats, or on Values when
``create_graph=True`` so the gradients can be differentiated again.

Each pass computes its gradients from zero. Whatever the nodes held before is added back at the
end, so calling ``backward()`` twice gives every node twice one call's gradient. (micrograd gets
this wrong: its intermediates pass on what they accumulated in the first call as well.)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..readers.formula import Expr, local_derivative_formulas
from .graph import MANY, topological_order
from .modes import CURRENT_MODE, Anomaly
from .ops import FLOAT_MATH
from .value import (
    VALUE_MATH,
    Number,
    Value,
    _real,
    data_of,
    describe_inputs,
    input_names,
    node_name,
)

__all__ = ["backward", "pass_gradients", "ChainRuleStep", "chain_rule_steps", "local_derivatives"]


def backward(
    outputs: Sequence[Value],
    gradients: Sequence[Number] | None = None,
    *,
    create_graph: bool = False,
) -> None:
    """Add the vector-Jacobian product of ``outputs`` with ``gradients`` into every ``.grad``.

    With one output and gradient 1.0 this is ``output.backward()``. With several, every node
    receives Σ_k gradients[k] · ∂outputs[k]/∂node: PyTorch's ``torch.autograd.backward(outputs,
    grad_tensors)``, or ``y.backward(v)`` for a vector ``y``.
    """
    outputs, seeds = _checked(outputs, gradients)
    order = topological_order(outputs)
    before = [node.grad for node in order]
    carried = any(before)  # floats: any nonzero; Value gradients (create_graph) always count
    if carried:
        for node in order:
            node.grad = 0.0
    _run(order, outputs, seeds, create_graph)
    if carried:
        for node, grad in zip(order, before):
            node.grad = grad + node.grad


def pass_gradients(
    outputs: Sequence[Value],
    wrt: Sequence[Value],
    gradients: Sequence[Number] | None = None,
    *,
    create_graph: bool = False,
) -> list[float | Value]:
    """The gradients of one backward pass at the nodes ``wrt``, leaving every ``.grad`` as it was.

    This is what the functional API (``grad``, ``value_and_grad``) is built on: like
    ``torch.autograd.grad``, it reads gradients without accumulating them anywhere.
    """
    outputs, seeds = _checked(outputs, gradients)
    order = topological_order(outputs)
    before = [node.grad for node in order]
    for node in order:
        node.grad = 0.0
    try:
        _run(order, outputs, seeds, create_graph)
        reached = {id(node) for node in order}
        # A node the outputs do not depend on has gradient 0.
        return [node.grad if id(node) in reached else 0.0 for node in wrt]
    finally:
        for node, grad in zip(order, before):
            node.grad = grad


def _checked(
    outputs: Sequence[Value], gradients: Sequence[Number] | None
) -> tuple[list[Value], list[float]]:
    outputs = list(outputs)
    for index, output in enumerate(outputs):
        if not isinstance(output, Value):
            raise TypeError(
                f"backward needs Values as outputs; output {index} is "
                f"{output!r} of type {type(output).__name__}"
            )
    if gradients is None:
        seeds = [1.0] * len(outputs)
    else:
        seeds = [
            _real(gradient, f"backward's gradient {index}")
            for index, gradient in enumerate(gradients)
        ]
        if len(seeds) != len(outputs):
            raise ValueError(
                f"backward got {len(outputs)} outputs but {len(seeds)} gradients; "
                "give one seed gradient per output"
            )
    return outputs, seeds


def _run(order: list[Value], outputs: list[Value], seeds: list[float], create_graph: bool) -> None:
    """One pass of the chain rule over ``order``, starting from zeroed gradients."""
    for output, seed in zip(outputs, seeds):
        output.grad += seed
    mode = CURRENT_MODE.get()
    anomaly = mode.anomaly if mode is not None else None
    if create_graph or anomaly is not None:
        for step in chain_rule_steps(order, VALUE_MATH if create_graph else FLOAT_MATH):
            if anomaly is not None:
                _check_step(step, anomaly)
    else:
        _propagate_floats(order)


def _propagate_floats(order: list[Value]) -> None:
    """The chain rule on floats: the same steps as :func:`chain_rule_steps`, without the
    bookkeeping (a test checks that the two agree). This loop is where ``backward()`` spends its
    time, so it reads a node's parents straight from their slots (see the NOTE in ``GraphNode``)."""
    node = None
    try:
        for node in order:
            x = node._first
            if x is None:
                continue
            upstream = node.grad
            y = node._second
            if y is None:
                x.grad += node.op.local_derivatives(FLOAT_MATH, x.data, node.data)[0] * upstream
            elif y is MANY:
                local_derivatives = node.op.local_derivatives(
                    FLOAT_MATH, *map(data_of, x), node.data
                )
                for parent, local in zip(x, local_derivatives):
                    parent.grad += local * upstream
            else:
                local_x, local_y = node.op.local_derivatives(FLOAT_MATH, x.data, y.data, node.data)
                x.grad += local_x * upstream
                y.grad += local_y * upstream
    except (ArithmeticError, ValueError) as error:
        raise derivative_error(node, error) from None


def local_derivatives(node: Value, math_: object = FLOAT_MATH) -> tuple:
    """∂node/∂parent for each parent, from the node's op record.

    With the float namespace the parents' numbers go in; with the Value namespace the parents
    themselves, so the result is a graph (used by ``create_graph=True``).
    """
    if math_ is FLOAT_MATH:
        return node.op.local_derivatives(FLOAT_MATH, *[p.data for p in node.parents], node.data)
    return node.op.local_derivatives(math_, *node.parents, node)


@dataclass(frozen=True)
class ChainRuleStep:
    """One application of the chain rule: ``parent.grad += local · upstream``.

    ``grad_after`` is the parent's accumulated gradient once this step is done.
    """

    node: Value
    parent: Value
    index: int
    upstream: float | Value
    local: float | Value
    contribution: float | Value
    grad_after: float | Value


def chain_rule_steps(order: list[Value], math_: object = FLOAT_MATH) -> Iterator[ChainRuleStep]:
    """Run the chain rule over ``order`` one step at a time, yielding each step once it is done.

    Between two steps every ``.grad`` is exactly as the backward pass has left it so far, so a
    notebook can advance with ``next()`` and look at the graph.
    """
    node = None
    try:
        for node in order:
            if not node.parents:
                continue
            upstream = node.grad
            for index, (parent, local) in enumerate(
                zip(node.parents, local_derivatives(node, math_))
            ):
                contribution = local * upstream
                parent.grad = parent.grad + contribution
                yield ChainRuleStep(node, parent, index, upstream, local, contribution, parent.grad)
    except (ArithmeticError, ValueError) as error:
        raise derivative_error(node, error) from None


def derivative_error(node: Value | None, error: Exception) -> Exception:
    """A float error met while computing ``node``'s local derivatives, explained."""
    if node is None or node.op is None:
        return error
    names = input_names(node.op, len(node.parents))
    formulas = local_derivative_formulas(
        node.op, tuple(Expr.symbol(n) for n in names), Expr.symbol("out")
    )
    shown = ", ".join(f"∂out/∂{name} = {_text(formula)}" for name, formula in zip(names, formulas))
    label = f" ({node_name(node)})" if node.label else ""
    return type(error)(
        f"{node.op.name}{label}: the local derivative ({shown}) is undefined at "
        f"{describe_inputs(node.op, node.parents)}, out={node.data!r} ({error})"
    )


def _text(formula: object) -> str:
    return formula.text() if isinstance(formula, Expr) else repr(formula)


def _check_step(step: ChainRuleStep, anomaly: Anomaly) -> None:
    for what, number in (
        ("local derivative", step.local),
        ("contribution", step.contribution),
        ("gradient", step.grad_after),
    ):
        if not math.isfinite(number.data if isinstance(number, Value) else number):
            node = step.node
            raise FloatingPointError(
                f"detect_anomaly: backward through {node.op.name} ({node_name(node)}, created at "
                f"{anomaly.origin(node)}) gave {what} {number} for {node_name(step.parent)} "
                f"(upstream {step.upstream!r})"
            )
