"""stepgrad's engine: scalar reverse-mode automatic differentiation, one chain-rule step at a time.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).sin()
    >>> y.backward()
    >>> round(x.grad, 6)  # ∂/∂x sin(x²) = 2x·cos(x²)
    -2.614574

User API: :class:`Value`, the op functions (``sin``, ``exp``, …), :func:`backward`, :func:`no_grad`,
:func:`detect_anomaly`, :func:`grad`, :func:`value_and_grad`, :func:`numerical_grad`,
:func:`gradcheck`. Op authors: :mod:`autograd.ops` holds every rule, :mod:`autograd.graph` the walk.
"""
from .backward import backward
from .checks import GradcheckError, gradcheck, numerical_grad
from .functional import grad, value_and_grad
from .modes import detect_anomaly, is_grad_enabled, no_grad
from .value import Value, abs, cos, exp, log, relu, sigmoid, sign, sin, sqrt, step, tan, tanh

__all__ = [
    "Value", "backward", "no_grad", "detect_anomaly", "is_grad_enabled",
    "grad", "value_and_grad", "numerical_grad", "gradcheck", "GradcheckError",
    "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs", "step", "sign",
]
