"""stepgrad's engine: scalar reverse-mode automatic differentiation, one chain-rule step at a time.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).sin()
    >>> y.backward()
    >>> round(x.grad, 6)  # ∂/∂x sin(x²) = 2x·cos(x²)
    -2.614574

User API: :class:`Value`, the op functions (``sin``, ``exp``, …), :func:`backward`, :func:`no_grad`,
:func:`detect_anomaly`, :func:`grad`, :func:`value_and_grad`, :func:`numerical_grad`,
:func:`gradcheck`; seeing the chain rule: :func:`trace`, :func:`step_through`, :func:`draw_graph`,
:func:`export_html`, :func:`paths`, :func:`closed_form`. Op authors: :mod:`autograd.ops` holds
every rule, :mod:`autograd.graph` the walk.
"""
from .backward import backward
from .checks import GradcheckError, gradcheck, numerical_grad
from .compiler import BranchChanged
from .compiler import compile as compile  # autograd.compile, like jax.jit (see below)
from .draw import draw_graph, save_drawing
from .functional import grad, value_and_grad
from .modes import detect_anomaly, is_grad_enabled, no_grad
from .path_sums import TooManyPaths, count_paths, paths
from .stepper import export_html
from .symbolic import closed_form, expression_swell, to_sympy
from .tracing import Trace, step_through, trace
from .value import (Value, abs, apply_op, cos, dot, exp, log, relu, sigmoid, sign, sin, softplus, sqrt, step,
                    sum_values, tan, tanh)

__all__ = [
    "Value", "backward", "no_grad", "detect_anomaly", "is_grad_enabled",
    "grad", "value_and_grad", "numerical_grad", "gradcheck", "GradcheckError",
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs", "step", "sign",
    "softplus", "dot", "sum_values",
    "trace", "step_through", "Trace", "draw_graph", "save_drawing", "export_html",
    "paths", "count_paths", "TooManyPaths", "to_sympy", "closed_form", "expression_swell",
    "BranchChanged", "apply_op",
]
# autograd.compile is public too, but left out of __all__ so that `from autograd import *` cannot
# shadow Python's builtin compile.
