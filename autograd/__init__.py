"""stepgrad's engine: scalar reverse-mode automatic differentiation, one chain-rule step at a time.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).sin()
    >>> y.backward()
    >>> round(x.grad, 6)  # ∂/∂x sin(x²) = 2x·cos(x²)
    -2.614574

User API: :class:`Value`, the op functions (``sin``, ``exp``, …), :func:`backward`, :func:`no_grad`,
:func:`detect_anomaly`, :func:`grad`, :func:`value_and_grad`, :func:`numerical_grad`,
:func:`gradcheck`; forward mode: :func:`jvp` on :class:`Dual` numbers; seeing the chain rule:
:func:`trace`, :func:`step_through`, :func:`draw_graph`, :func:`export_html`, :func:`paths`,
:func:`closed_form`; exercises: :func:`check_work`. Op authors: :mod:`autograd.core.ops` holds every
rule, :mod:`autograd.core.graph` the walk, :func:`apply_op` applies a record of your own.
"""

import builtins as _builtins
import sys as _sys
from typing import TYPE_CHECKING as _TYPE_CHECKING

from .cli import expression as _expression_module
from .compiler import BranchChanged
from .compiler import compile as compile  # autograd.compile, like jax.jit (see below)
from .core import backward as _backward_module
from .core import checks as _checks_module
from .core import errors as _errors_module
from .core import functional as _functional_module
from .core import graph as _graph_module
from .core import modes as _modes_module
from .core import ops as ops
from .core import value as _value_module
from .core.backward import backward
from .core.checks import GradcheckError, gradcheck, numerical_grad
from .core.errors import InfinityError, NaNError, NonFiniteError
from .core.forward import Dual, jvp
from .core.functional import grad, value_and_grad
from .core.modes import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.value import OP_FUNCTIONS as _OP_FUNCTIONS
from .core.value import Value, apply_op, dot, sum_values
from .readers import display as _display_module
from .readers import draw as draw
from .readers import formula as _formula_module
from .readers import path_sums as _path_sums_module
from .readers import stepper as _stepper_module
from .readers import symbolic as _symbolic_module
from .readers import tracing as _tracing_module
from .readers.draw import draw_graph, save_drawing
from .readers.exercises import check_work
from .readers.path_sums import TooManyPaths, count_paths, paths
from .readers.stepper import Stepper, export_html
from .readers.symbolic import closed_form, expression_swell, to_sympy
from .readers.tracing import Trace, step_through, trace

# The modules lived side by side in autograd/ before the engine, its readers, the compiler and
# the command line got folders of their own. For code written then, each old path (autograd
# followed by the old name below) still names the same module object as its new place: in a
# from-import, an import statement, and as an attribute of autograd once imported. One exception:
# the attribute backward is the function backward(), as the README shows; the old module path
# still imports. stepgrad itself uses the new paths only (tests/test_imports.py checks both).
_MOVED = {
    "ops": ops,
    "errors": _errors_module,
    "graph": _graph_module,
    "value": _value_module,
    "backward": _backward_module,
    "modes": _modes_module,
    "functional": _functional_module,
    "checks": _checks_module,
    "formula": _formula_module,
    "names": _display_module,  # the naming policy now lives in readers/display.py
    "tracing": _tracing_module,
    "draw": draw,
    "stepper": _stepper_module,
    "path_sums": _path_sums_module,
    "symbolic": _symbolic_module,
    "expression": _expression_module,
}
for _old_name, _module in _MOVED.items():
    _sys.modules[f"{__name__}.{_old_name}"] = _module
    if _old_name != "backward":  # autograd.backward stays the function
        globals()[_old_name] = _module

# The op functions (exp, log, sin, …) are made from the op records, one per op written as a function.
globals().update(_OP_FUNCTIONS)
if _TYPE_CHECKING:
    from collections.abc import Callable as _Callable

    def __getattr__(name: str) -> _Callable[..., Value]:  # the op functions, for type checkers
        raise AttributeError(name)


__all__ = [
    "Value",
    "backward",
    "no_grad",
    "enable_grad",
    "detect_anomaly",
    "is_grad_enabled",
    "grad",
    "value_and_grad",
    "jvp",
    "Dual",
    "numerical_grad",
    "gradcheck",
    "GradcheckError",
    "NonFiniteError",
    "NaNError",
    "InfinityError",
    *(name for name in _OP_FUNCTIONS if not hasattr(_builtins, name)),  # exp, log, sin, …
    "dot",
    "sum_values",
    "trace",
    "step_through",
    "Trace",
    "draw_graph",
    "save_drawing",
    "export_html",
    "Stepper",
    "paths",
    "count_paths",
    "TooManyPaths",
    "to_sympy",
    "closed_form",
    "expression_swell",
    "check_work",
    "BranchChanged",
    "apply_op",
]
# autograd.compile and autograd.abs are public too, but left out of __all__ so that
# `from autograd import *` cannot shadow Python's builtins compile and abs.
