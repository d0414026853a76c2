"""The chain rule, run backwards over a graph.

For every node, from the outputs back to the leaves::

    upstream      = node.grad                       (∂output/∂node, complete by now)
    local         = ∂node/∂parent                   (from the op record)
    contribution  = local · upstream
    parent.grad  += contribution                    (a parent used twice receives both)

:func:`~autograd.core.graph.topological_order` guarantees that a node's ``grad`` is complete before the
node is reached. The local derivatives come from the op record, evaluated on floats, or on Values
when ``create_graph=True`` so the gradients can be differentiated again.

This module works on any :class:`~autograd.core.graph.GraphNode`; it never imports ``Value``. It holds
the loop twice: first as the textbook writes it (:func:`chain_rule_steps`, which traces and the
stepper read one step at a time), then the same loop unrolled for speed (:func:`_propagate_floats`,
which ``backward()`` runs); a test pins the two to the same numbers.

Each pass computes its gradients from zero. Whatever the nodes held before is added back at the
end, so calling ``backward()`` twice gives every node twice one call's gradient. (micrograd gets
this wrong: its intermediates pass on what they accumulated in the first call as well.) A pass whose
gradients come out NaN or ±inf raises, naming the chain-rule step that made the first bad number,
and leaves every ``grad`` as it was.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from .errors import InfinityError, NonFiniteError, derivative_error, finite_number, step_error
from .graph import MANY, GraphNode, as_float, topological_order
from .modes import CURRENT_MODE, Anomaly
from .ops import FLOAT_MATH, OPS, UNRECORDED, MathNamespace, direct_derivative

__all__ = [
    "backward",
    "pass_gradients",
    "ChainRuleStep",
    "chain_rule_steps",
    "finite_chain_rule_steps",
    "local_derivatives",
]

Number = int | float
N = TypeVar("N", bound=GraphNode)


# ---- the chain rule, as the textbook writes it ---------------------------------------------------


def local_derivatives(node: GraphNode, math_: MathNamespace = FLOAT_MATH) -> tuple[Any, ...]:
    """∂node/∂parent for each parent, from the node's op record (``()`` for a leaf).

    With the float namespace the parents' numbers go in; with the Value namespace the parents
    themselves, so the result is a graph (used by ``create_graph=True``). Inputs the op treats as
    constants (the exponent of ``x ** 2``) always go in as numbers.
    """
    op = node.op
    if op is None or node._first is None:
        return ()
    parents = node.parents
    try:
        if math_ is FLOAT_MATH:
            return tuple(op.local_derivatives(FLOAT_MATH, *[p.data for p in parents], node.data))
        inputs = [p.data if i in op.constant_inputs else p for i, p in enumerate(parents)]
        return tuple(op.local_derivatives(math_, *inputs, node))
    except (ArithmeticError, ValueError) as error:
        raise derivative_error(node, error) from None


@dataclass(frozen=True)
class ChainRuleStep(Generic[N]):
    """One application of the chain rule: ``parent.grad += local · upstream``.

    ``grad_after`` is the parent's accumulated gradient once this step is done.
    """

    node: N
    parent: N
    index: int
    upstream: Any
    local: Any
    contribution: Any
    grad_after: Any


def chain_rule_steps(
    order: Sequence[N], math_: MathNamespace = FLOAT_MATH
) -> Iterator[ChainRuleStep[N]]:
    """Run the chain rule over ``order`` one step at a time, yielding each step once it is done.

    Between two steps every ``.grad`` is exactly as the backward pass has left it so far, so a
    notebook can advance with ``next()`` and look at the graph.
    """
    for node in order:
        upstream = node.grad
        for index, (parent, local) in enumerate(zip(node.parents, local_derivatives(node, math_))):
            contribution = local * upstream
            parent.grad = parent.grad + contribution
            yield ChainRuleStep(node, parent, index, upstream, local, contribution, parent.grad)


# ---- the same loop, unrolled for speed -----------------------------------------------------------


def _propagate_floats(order: list[GraphNode]) -> float:
    """The chain rule on floats: the same steps as :func:`chain_rule_steps`, without the
    bookkeeping (a test checks that the two agree). This loop is where ``backward()`` spends its
    time, so it reads a node's parents straight from their slots (see the NOTE in ``GraphNode``).

    Returns the sum of the leaves' gradients, which is NaN or ±inf if any gradient is: a node
    passes its gradient to all its parents (a NaN, or inf times 0, gives NaN), so a bad number
    anywhere reaches a leaf. (A finite sum can still overflow; the caller then looks closer.)
    """
    node = None
    leaves = 0.0
    try:
        for node in order:
            x = node._first
            if x is None:
                leaves += node.grad
                continue
            upstream = node.grad
            y = node._second
            if y is None:
                direct = _DIRECT_DERIVATIVES.get(node.op)  # type: ignore[arg-type]
                if direct is not None:  # relu's rule is (m.heaviside(x),): call heaviside
                    x.grad += direct(x.data) * upstream
                else:
                    x.grad += node.op.local_derivatives(FLOAT_MATH, x.data, node.data)[0] * upstream  # type: ignore[union-attr]
            elif y is MANY:
                local_derivatives = node.op.local_derivatives(  # type: ignore[union-attr]
                    FLOAT_MATH, *[parent.data for parent in x], node.data
                )
                for parent, local in zip(x, local_derivatives):
                    parent.grad += local * upstream
            else:
                local_x, local_y = node.op.local_derivatives(  # type: ignore[union-attr]
                    FLOAT_MATH, x.data, y.data, node.data
                )
                x.grad += local_x * upstream
                y.grad += local_y * upstream
    except (ArithmeticError, ValueError) as error:
        assert node is not None
        raise derivative_error(node, error) from None
    return leaves


_grad_of = attrgetter("grad")

_DIRECT_DERIVATIVES = {
    op: function
    for op in OPS.values()
    if (function := direct_derivative(op, FLOAT_MATH)) is not None
}
"""One-input records whose local derivative is one float function of the input (relu's is
heaviside): the loop above calls that function instead of the rule (see ops.direct_derivative)."""


# ---- backward passes -----------------------------------------------------------------------------

_PASS_LOCK = threading.RLock()
"""Held for a whole backward pass. Passes from several threads over graphs that share Values
(a model's parameters) take turns, so none loses another's additions to a shared ``grad``. It costs
one acquire per pass, not one per node; forward passes still run side by side."""


def backward(
    outputs: Sequence[GraphNode],
    gradients: Sequence[Number] | None = None,
    *,
    create_graph: bool = False,
) -> None:
    """Add the vector-Jacobian product of ``outputs`` with ``gradients`` into every ``.grad``.

    With one output and gradient 1.0 this is ``output.backward()``. With several, every node
    receives Σ_k gradients[k] · ∂outputs[k]/∂node: PyTorch's ``torch.autograd.backward(outputs,
    grad_tensors)``, or ``y.backward(v)`` for a vector ``y``. Without ``gradients`` every seed is
    1, the gradient of the outputs' sum, as ``torch.autograd.backward`` does for a list of scalar
    tensors (every Value is a scalar).
    """
    outputs, seeds = _checked(outputs, gradients)
    with _PASS_LOCK:
        order = topological_order(outputs)
        before = [node.grad for node in order]
        carried = any(before)  # floats: any nonzero; Value gradients (create_graph) always count
        if carried:
            for node in order:
                node.grad = 0.0
        try:
            _run(order, outputs, seeds, create_graph)
            if carried:
                for node, grad in zip(order, before):
                    node.grad = grad + node.grad
                if not create_graph:
                    _check_accumulated(order, before)
        except BaseException:
            for node, grad in zip(order, before):
                node.grad = grad
            raise


def pass_gradients(
    outputs: Sequence[GraphNode],
    wrt: Sequence[GraphNode],
    gradients: Sequence[Number] | None = None,
    *,
    create_graph: bool = False,
) -> list[Any]:
    """The gradients of one backward pass at the nodes ``wrt``, leaving every ``.grad`` as it was.

    This is what the functional API (``grad``, ``value_and_grad``) is built on: like
    ``torch.autograd.grad``, it reads gradients without accumulating them anywhere.
    """
    outputs, seeds = _checked(outputs, gradients)
    with _PASS_LOCK:
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
    outputs: Sequence[GraphNode], gradients: Sequence[Number] | None
) -> tuple[list[GraphNode], list[float]]:
    outputs = list(outputs)
    for index, output in enumerate(outputs):
        if not isinstance(output, GraphNode):
            raise TypeError(
                f"backward needs Values as outputs; output {index} is "
                f"{output!r} of type {type(output).__name__}"
            )
        if output.op is UNRECORDED:
            raise RuntimeError(
                f"backward() from {output!r}, which was computed inside no_grad(): no graph was "
                "recorded, so no gradient can reach what it was computed from. Compute it "
                "outside no_grad() (grad() always records its own forward pass)."
            )
    if gradients is None:
        seeds = [1.0] * len(outputs)
    else:
        seeds = [
            finite_number(gradient, f"backward's gradient {index}")
            for index, gradient in enumerate(gradients)
        ]
        if len(seeds) != len(outputs):
            raise ValueError(
                f"backward got {len(outputs)} outputs but {len(seeds)} gradients; "
                "give one seed gradient per output"
            )
    return outputs, seeds


def _run(
    order: list[GraphNode], outputs: list[GraphNode], seeds: list[float], create_graph: bool
) -> None:
    """One pass of the chain rule over ``order``, starting from zeroed gradients; raises if a
    gradient comes out NaN or ±inf."""
    for output, seed in zip(outputs, seeds):
        output.grad += seed
    mode = CURRENT_MODE.get()
    anomaly = mode.anomaly if mode is not None else None
    math_ = FLOAT_MATH
    if create_graph and outputs:
        math_ = _graph_math(outputs[0])
    if math_ is FLOAT_MATH and anomaly is None:
        leaves = _propagate_floats(order)
        if leaves - leaves != 0.0 and not _all_finite(order):
            raise _first_bad_step(order, outputs, seeds, anomaly)
        return
    try:
        if anomaly is not None:
            steps = finite_chain_rule_steps(order, math_, anomaly)
        else:
            steps = chain_rule_steps(order, math_)
        for _ in steps:
            pass
    except NonFiniteError as error:
        if math_ is FLOAT_MATH:
            raise
        # An op on Value gradients refused a NaN or inf: find the step on floats and name it.
        raise _first_bad_step(order, outputs, seeds, anomaly) from error


def _graph_math(output: GraphNode) -> MathNamespace:
    math_ = type(output).graph_math
    if math_ is None:
        raise TypeError(
            f"create_graph needs nodes that can make nodes; {type(output).__name__} can't"
        )
    return math_


def _all_finite(order: list[GraphNode]) -> bool:
    """Whether every float gradient is finite: one C-speed sum, and a closer look only if the sum
    is not finite (which a sum of large finite numbers can also be). The normal pass does not
    need it (see :func:`_propagate_floats`); accumulating into gradients held from an earlier pass
    does."""
    total = sum(map(_grad_of, order))
    return total - total == 0.0 or all(math.isfinite(node.grad) for node in order)


def _finite_step(step: ChainRuleStep[Any]) -> bool:
    return all(math.isfinite(as_float(x)) for x in (step.local, step.contribution, step.grad_after))


def finite_chain_rule_steps(
    order: Sequence[N], math_: MathNamespace = FLOAT_MATH, anomaly: Anomaly | None = None
) -> Iterator[ChainRuleStep[N]]:
    """:func:`chain_rule_steps`, refusing (as ``backward()`` does) the first step whose local
    derivative, contribution or accumulated gradient is NaN or ±inf: it raises naming that step,
    and where its node was created when ``detect_anomaly`` is on. Readers that walk the steps
    themselves (traces, exercises) use this, so they refuse exactly what ``backward()`` refuses."""
    for step in chain_rule_steps(order, math_):
        if not _finite_step(step):
            raise step_error(
                step.node,
                step.index,
                as_float(step.upstream),
                as_float(step.local),
                as_float(step.contribution),
                as_float(step.grad_after),
                anomaly.origin(step.node) if anomaly is not None else "",
            )
        yield step


def _first_bad_step(
    order: list[GraphNode], outputs: list[GraphNode], seeds: list[float], anomaly: Anomaly | None
) -> Exception:
    """Run the pass again on floats, one step at a time, and explain the first step whose numbers
    are not finite. Only a failed pass pays for this."""
    for node in order:
        node.grad = 0.0
    for output, seed in zip(outputs, seeds):
        output.grad += seed
    try:
        for _ in finite_chain_rule_steps(order, FLOAT_MATH, anomaly):
            pass
    except NonFiniteError as error:
        return error
    return NonFiniteError("backward: a gradient is not finite")  # pragma: no cover - unreachable


def _check_accumulated(order: list[GraphNode], before: list[Any]) -> None:
    """After adding a pass's gradients to what the nodes held: did any sum overflow?"""
    if _all_finite(order):
        return
    for node, grad in zip(order, before):
        if not math.isfinite(node.grad):
            raise InfinityError(
                f"backward: adding this pass's gradient to the {grad!r} that "
                f"{node!r} already held overflowed to {node.grad!r}; zero the gradients "
                "between passes (zero_grad())"
            )
