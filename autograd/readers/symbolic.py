"""Closed forms with sympy (the optional extra ``symbolic``: ``pip install -e '.[symbolic]'``).

Evaluating the op records' forward rules on sympy symbols turns a graph into one symbolic
expression (:func:`to_sympy`); sympy then differentiates it (:func:`closed_form`). This is the
"write the derivative out" approach that backprop avoids: :func:`expression_swell` counts the
operations in those closed forms beside the handful of steps a backward pass takes.

    >>> from autograd.toy import toy_model
    >>> model = toy_model()
    >>> expr = closed_form(model.loss, model.parameters["ω0"])
    >>> round(float(expr.subs(symbol_values(model.loss))), 6)
    5.246071

The tests also use :func:`sympy_math` to check every op's derivative rule against sympy's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..core.graph import topological_order
from ..core.value import Value
from .display import Names

if TYPE_CHECKING:
    import sympy

__all__ = ["sympy_math", "to_sympy", "closed_form", "symbol_values", "expression_swell", "Swell"]


def _sympy():
    try:
        import sympy
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "symbolic features need sympy, stepgrad's 'symbolic' extra: "
            "pip install -e '.[symbolic]' in a checkout"
        ) from error
    return sympy


@lru_cache(maxsize=1)
def sympy_math() -> SimpleNamespace:
    """The math namespace whose functions build sympy expressions."""
    sympy = _sympy()
    return SimpleNamespace(
        exp=sympy.exp,
        log=sympy.log,
        sin=sympy.sin,
        cos=sympy.cos,
        tan=sympy.tan,
        tanh=sympy.tanh,
        sqrt=sympy.sqrt,
        abs=sympy.Abs,
        pow=lambda x, c: x**c,
        sigmoid=lambda x: 1 / (1 + sympy.exp(-x)),
        relu=lambda x: sympy.Max(x, 0),
        heaviside=lambda x: sympy.Heaviside(x, 0),
        sign=sympy.sign,
        softplus=lambda x: sympy.log(1 + sympy.exp(x)),
        dot=lambda *args: sympy.Add(
            *(
                w * x
                for w, x in zip(args[: len(args) // 2], args[len(args) // 2 : 2 * (len(args) // 2)])
            ),
            *args[2 * (len(args) // 2) :],
        ),
        sum=lambda *args: sympy.Add(*args),
        logsumexp=lambda *args: sympy.log(sympy.Add(*(sympy.exp(z) for z in args))),
    )


def _number(x: float) -> sympy.Expr:
    sympy = _sympy()
    return sympy.Integer(int(x)) if float(x).is_integer() else sympy.Float(x)


def _symbols(output: Value) -> tuple[Names, dict[Value, sympy.Expr]]:
    """Each node of output's graph as a sympy expression, built from the op records."""
    sympy, math_ = _sympy(), sympy_math()
    names = Names([output])
    exprs: dict[Value, sympy.Expr] = {}
    for node in names.nodes:  # creation order: parents first
        if node.is_constant:
            exprs[node] = _number(node.data)
        elif node.is_leaf:
            exprs[node] = sympy.Symbol(names[node], real=True)
        else:
            exprs[node] = node.op.forward(math_, *[exprs[p] for p in node.parents])
    return names, exprs


def to_sympy(output: Value) -> sympy.Expr:
    """The forward computation of ``output`` as one sympy expression in its leaves' labels."""
    return _symbols(output)[1][output]


def symbol_values(output: Value) -> dict:
    """``{symbol: number}`` for every non-constant leaf, to evaluate a closed form with ``subs``."""
    names, exprs = _symbols(output)
    return {exprs[n]: n.data for n in names.nodes if n.is_leaf and not n.is_constant}


def closed_form(output: Value, leaf: Value) -> sympy.Expr:
    """∂output/∂leaf as sympy writes it out, unsimplified (``sympy.latex`` renders it)."""
    _names, exprs = _symbols(output)
    if leaf not in exprs:
        return _sympy().Integer(0)
    return _sympy().diff(exprs[output], exprs[leaf])


@dataclass(frozen=True)
class Swell:
    """How long the written-out derivatives are, beside the work backprop does."""

    operations: dict[str, int]
    """Per leaf: sympy's operation count of its unsimplified closed-form derivative."""
    backward_steps: int
    """Chain-rule steps (one per edge, as a trace lists them: steps into constants left out) in one
    backward pass, which gives all the gradients."""

    @property
    def total_operations(self) -> int:
        return sum(self.operations.values())

    def to_text(self) -> str:
        width = max(len(name) for name in self.operations)
        lines = [
            f"  ∂/∂{name:<{width}}  {ops:>8,} operations" for name, ops in self.operations.items()
        ]
        lines.append(f"  {'all closed forms':<{width + 3}}  {self.total_operations:>8,} operations")
        lines.append(
            f"  {'one backward pass':<{width + 3}}  {self.backward_steps:>8,} chain-rule steps"
        )
        return "\n".join(lines) + "\n"


def expression_swell(output: Value, leaves: Iterable[Value]) -> Swell:
    """Count the operations of every closed-form derivative, and the backward pass's steps."""
    sympy = _sympy()
    names, exprs = _symbols(output)
    operations = {
        names[leaf]: sympy.count_ops(sympy.diff(exprs[output], exprs[leaf]))
        for leaf in leaves
        if leaf in exprs
    }
    steps = sum(  # the steps a trace shows: those into constants need no gradient
        1
        for node in topological_order([output])
        if node.op is not None
        for index, parent in enumerate(node.parents)
        if not parent.is_constant and index not in node.op.constant_inputs
    )
    return Swell(operations, steps)
