"""Optional dependencies: a feature whose extra is missing says which extra installs it."""

from __future__ import annotations

import sys

import pytest

import nn
from autograd import Value, closed_form
from autograd.extras import available, require


def test_require_imports_or_names_the_feature_and_the_extra(monkeypatch):
    assert require("math", feature="f", extra="e").pi > 3
    monkeypatch.setitem(sys.modules, "sympy", None)  # as if sympy were not installed
    with pytest.raises(ImportError, match=r"closed forms .* needs sympy, stepgrad's 'symbolic'"):
        closed_form(Value(2.0, "x") * 3, Value(1.0))
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"nn\.plot needs matplotlib.*'stepgrad\[plot\]'"):
        nn.plot.plot_history(nn.History())


def test_available_gives_the_module_or_none(monkeypatch):
    assert available("math") is sys.modules["math"]
    monkeypatch.setitem(sys.modules, "numpy", None)
    assert available("numpy") is None
