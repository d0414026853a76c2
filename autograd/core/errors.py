"""How the engine words its errors: which op, which inputs, which node, which chain-rule step.

An error should teach: ``log needs x > 0, got x=-2.0 (node 'h1')``, not ``math domain error``.
Every message the engine raises about a computation is built here, from the op record (its name,
its input names, its domain) and the nodes involved.

Forward mode (:mod:`autograd.core.forward`) has no nodes: it hands these functions the inputs'
numbers instead, and its errors read the same, without node names.

Non-finite numbers are refused where they first appear (see the README's bad-input section): a
NaN raises :class:`NaNError`, an overflow to ±inf :class:`InfinityError`. Both are
:class:`NonFiniteError`, a :class:`FloatingPointError`; :class:`NaNError` is also a ``ValueError``
and :class:`InfinityError` an ``OverflowError``, so code that catches either keeps working.
"""

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Sequence

from .graph import GraphNode
from .modes import CURRENT_MODE, user_location
from .ops import CONSTANT, Op

__all__ = [
    "NonFiniteError",
    "NaNError",
    "InfinityError",
    "finite_number",
    "node_name",
    "describe_inputs",
    "domain_error",
    "forward_error",
    "non_finite_result",
    "derivative_error",
    "local_derivative_error",
    "step_error",
    "tangent_error",
]

Input = GraphNode | float
"""An op's input as an error describes it: a node (``x=-2.0 (node 'h1')``), or in forward mode,
which builds no graph, the input's number (``x=-2.0``)."""


class NonFiniteError(FloatingPointError):
    """A computation produced NaN or ±inf; the message names the op (or chain-rule step) and node."""


class NaNError(NonFiniteError, ValueError):
    """A computation produced NaN (not a number)."""


class InfinityError(NonFiniteError, OverflowError):
    """A computation overflowed: its result is too large for a float (±inf)."""


def _non_finite(number: float) -> type[NonFiniteError]:
    return NaNError if number != number else InfinityError


# ---- numbers given by people --------------------------------------------------------------------


def finite_number(data: object, where: str) -> float:
    """``data`` as a float, or an error that names ``where`` and what was given instead:
    TypeError for something that is not a real number, ValueError for NaN or ±inf. What was given
    is quoted briefly (``reprlib``), so a long string read from a file makes a short message."""
    if data.__class__ is float:
        number: float = data
    elif isinstance(data, numbers.Real) and not isinstance(data, bool):
        try:
            number = float(data)
        except OverflowError:  # an int too large for a float
            raise ValueError(
                f"{where} needs a finite number, got {reprlib.repr(data)}, too large for a float"
            ) from None
    elif isinstance(data, GraphNode):
        raise TypeError(
            f"{where} needs a plain number, got a Value ({data!r}); "
            "use it directly, or .data for its number"
        )
    else:
        raise TypeError(
            f"{where} needs a real number, got {reprlib.repr(data)} of type {type(data).__name__}"
        )
    if number - number != 0.0:
        raise ValueError(f"{where} needs a finite number, got {number!r}")
    return number


# ---- ops ------------------------------------------------------------------------------------


def node_name(node: GraphNode) -> str:
    """How errors refer to a node: ``node 'h1'``, or ``unlabelled node`` / ``constant``."""
    if node.label:
        return f"node {node.label!r}"
    return "constant" if node.op is CONSTANT else "unlabelled node"


def describe_inputs(op: Op, inputs: Sequence[Input]) -> str:
    """``x=-2.0 (node 'h1'), y=0.0 (constant)``: the op's inputs, for error messages (numbers
    alone, ``x=-2.0, y=0.0``, for the plain numbers of forward mode).

    ``x`` and ``y`` are the op's names for its inputs (its record's), not the user's. When one of
    the user's nodes is labelled with another input's name, as in ``1 / x``, where the node
    ``x`` is div's input ``y``, every input is written ``input y=0.0 (node 'x')``, so the two
    cannot be read as one (see :func:`_names_clash`)."""
    word = "input " if _names_clash(op, inputs) else ""
    return ", ".join(
        f"{word}{name}={x.data!r} ({node_name(x)})"
        if isinstance(x, GraphNode)
        else f"{word}{name}={x!r}"
        for name, x in zip(op.input_names(len(inputs)), inputs)
    )


def _names_clash(op: Op, inputs: Sequence[Input]) -> bool:
    """True when an input node is labelled with the name of another of the op's inputs: in
    ``1 / x`` the node 'x' is div's input y, and ``y=0.0 (node 'x')`` beside ``x=1.0`` would
    read as if x were both."""
    names = op.input_names(len(inputs))
    return any(
        isinstance(x, GraphNode) and x.label in names and x.label != name
        for name, x in zip(names, inputs)
    )


def _number(x: Input) -> float:
    return x.data if isinstance(x, GraphNode) else x


def _where() -> str:
    """`` at file:line`` of the user's code inside ``detect_anomaly()``, else nothing."""
    mode = CURRENT_MODE.get()
    return f" at {user_location()}" if mode is not None and mode.anomaly is not None else ""


def domain_error(op: Op, inputs: Sequence[Input]) -> Exception:
    """The error for inputs outside ``op.domain``, e.g. ``log needs x > 0, got x=-2.0 (node 'a')``
    (``div needs its input y ≠ 0, got input x=1.0 (constant), input y=0.0 (node 'x')`` when the
    user's names clash with the op's, as :func:`describe_inputs` says)."""
    assert op.domain is not None
    its = "its input " if _names_clash(op, inputs) else ""
    return op.domain.error(
        f"{op.name} needs {its}{op.domain.text}, got {describe_inputs(op, inputs)}{_where()}"
    )


def forward_error(op: Op, inputs: Sequence[Input], error: Exception) -> Exception:
    """A float error from ``op.forward``, re-raised naming the op and its inputs."""
    if isinstance(error, OverflowError):
        return InfinityError(
            f"{op.name} overflowed: the result for {describe_inputs(op, inputs)} "
            f"is too large for a float{_where()}"
        )
    return type(error)(
        f"{op.name} is undefined for {describe_inputs(op, inputs)} ({error}){_where()}"
    )


def non_finite_result(op: Op, inputs: Sequence[Input], result: float) -> NonFiniteError:
    """The error for an op whose result is NaN or ±inf.

    From finite inputs that is an overflow (``1e308 * 10``); a non-finite input can only have
    been assigned to ``.data`` directly, and the message says so.
    """
    names = op.input_names(len(inputs))
    bad = [name for name, x in zip(names, inputs) if _bad(_number(x))]
    if bad:
        why = (
            f"input {', '.join(bad)} is not a finite number (assigned to .data directly? "
            "every op refuses to make one)"
        )
    elif result != result:
        why = "the result is not a number"
    else:
        why = "the result is too large for a float"
    kind = "produced" if result != result else "overflowed to"
    return _non_finite(result)(
        f"{op.name} {kind} {result!r} from {describe_inputs(op, inputs)}: {why}{_where()}"
    )


def _bad(number: object) -> bool:
    return isinstance(number, float) and not math.isfinite(number)


# ---- backward -----------------------------------------------------------------------------------


def derivative_error(node: GraphNode, error: Exception) -> Exception:
    """A float error met while computing ``node``'s local derivatives, explained."""
    assert node.op is not None
    label = f" ({node_name(node)})" if node.label else ""
    return local_derivative_error(node.op, node.parents, node.data, error, label)


def local_derivative_error(
    op: Op, inputs: Sequence[Input], out: float, error: Exception, label: str = ""
) -> Exception:
    """A float error met while computing ``op``'s local derivatives at ``inputs`` (whose result
    is ``out``), explained: for a node (:func:`derivative_error`) or in forward mode."""
    names = ", ".join(f"∂out/∂{name}" for name in op.input_names(len(inputs)))
    return type(error)(
        f"{op.name}{label}: the local derivative ({names}) is undefined at "
        f"{describe_inputs(op, inputs)}, out={out!r} ({error})"
    )


def step_error(
    node: GraphNode,
    index: int,
    upstream: float,
    local: float,
    contribution: float,
    grad_after: float,
    created_at: str = "",
) -> NonFiniteError:
    """The error for the chain-rule step ``parent.grad += local · upstream`` at which a gradient
    first became NaN or ±inf: the step's node, parent and numbers."""
    op = node.op
    assert op is not None
    parent = node.parents[index]
    name = op.input_names(len(node.parents))[index]
    if not math.isfinite(local):
        what, bad = "local derivative", local
    elif not math.isfinite(contribution):
        what, bad = "contribution local · upstream", contribution
    else:
        what, bad = "accumulated gradient", grad_after
    origin = f", created at {created_at}" if created_at else ""
    return _non_finite(bad)(
        f"backward: the {what} became {bad!r} at the chain-rule step from {op.name} "
        f"({node_name(node)}{origin}) to its input {name} ({node_name(parent)}): "
        f"upstream = {upstream!r}, local = ∂out/∂{name} = {local!r}, "
        f"contribution = {contribution!r}, {name}.grad after = {grad_after!r}"
    )


# ---- forward mode -------------------------------------------------------------------------------


def tangent_error(
    op: Op,
    inputs: Sequence[float],
    local_derivatives: Sequence[float],
    tangents: Sequence[float],
    tangent: float,
) -> NonFiniteError:
    """Forward mode's counterpart of :func:`step_error`: the tangent Σᵢ ∂out/∂inputᵢ · tangentᵢ
    of ``op`` at ``inputs`` became NaN or ±inf. Names the op, its inputs and every term."""
    names = op.input_names(len(inputs))
    written = " + ".join(
        f"∂out/∂{name} · tangent of {name} = {local!r} · {t!r}"
        for name, local, t in zip(names, local_derivatives, tangents)
    )
    return _non_finite(tangent)(
        f"forward mode: the tangent of {op.name} became {tangent!r} at "
        f"{describe_inputs(op, inputs)}: {written}"
    )
