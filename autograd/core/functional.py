"""Gradients as functions, as in JAX: ``grad(f)`` is the function x ↦ f'(x).

    >>> grad(lambda x: x ** 3)(2.0)
    12.0
    >>> grad(grad(grad(lambda x: x ** 4)))(1.5)
    36.0

Called with plain numbers, ``grad(f)`` returns floats. Called with Values, which is what happens
when ``grad`` is nested, it returns Values that stay connected to the graph, so the outer ``grad``
can differentiate them again. As in JAX, ``grad`` records its own forward pass whatever the mode:
inside ``no_grad()`` it still differentiates (so ``numerical_grad(grad(f), x)`` works).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from .backward import pass_gradients
from .errors import finite_number
from .modes import enable_grad
from .value import Value, as_value

__all__ = ["grad", "value_and_grad"]

ArgNums = int | Sequence[int]


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """The gradient of ``f`` with respect to argument ``argnums`` (an index, or a tuple of them).

    ``grad(f)(x)`` returns one gradient; with ``argnums=(0, 1)`` it returns a tuple of them.
    """
    with_value = value_and_grad(f, argnums)

    @functools.wraps(f)
    def gradient(*args: Any, **kwargs: Any) -> Any:
        return with_value(*args, **kwargs)[1]

    return gradient


def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Like :func:`grad`, but the function returns ``(f(*args), gradient)`` from one pass."""
    single = isinstance(argnums, int)
    positions: tuple[int, ...] = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    names = parameter_names(f)

    @functools.wraps(f)
    def evaluate(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        for position in positions:
            if not -len(args) <= position < len(args):
                raise IndexError(
                    f"argnums asks for argument {position} of "
                    f"{_name(f)}, but it was called with {len(args)} arguments"
                )
        traced = any(isinstance(arg, Value) for arg in args)
        inputs = list(args)
        for position in positions:
            if not isinstance(args[position], Value):
                label = names[position] if position < len(names) else f"arg{position}"
                inputs[position] = Value(
                    finite_number(args[position], f"argument {position} of {_name(f)}"), label
                )
        with enable_grad():
            result = f(*inputs, **kwargs)
            if not isinstance(result, Value):
                result = as_value(
                    finite_number(result, f"the result of {_name(f)} (grad needs a scalar)")
                )
            gradients = pass_gradients(
                [result], [inputs[p] for p in positions], create_graph=traced
            )
        if traced:
            value: Any = result
            gradients = [as_value(g) for g in gradients]
        else:
            value = result.data
        return value, gradients[0] if single else tuple(gradients)

    return evaluate


def parameter_names(f: Callable[..., Any]) -> list[str]:
    """Labels for the leaves ``grad`` and ``compile`` make: ``f``'s positional parameter names,
    where Python can tell them."""
    try:
        return [
            p.name
            for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return []


def _name(f: Callable[..., Any]) -> str:
    return getattr(f, "__name__", repr(f))
