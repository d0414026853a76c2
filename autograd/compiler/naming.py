"""Safe names for generated code: every variable name is made here, never taken from a label.

A label can hold anything (a newline, a quote, ``__import__('os')``); the compiler only ever
writes names that :func:`sanitize` made (ASCII letters, digits and underscores) and shows the
label itself in a comment, as the display layer shows it (:func:`~autograd.readers.display.visible`
writes control characters and line breaks as escapes, so a label cannot end the comment).
"""

from __future__ import annotations

import builtins
import keyword
import math
import re

from ..readers.display import visible

__all__ = ["sanitize", "Namer", "comment", "number"]

_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "λ": "lambda_",
    "μ": "mu",
    "σ": "sigma",
    "φ": "phi",
    "ω": "omega",
    "ℓ": "ell",
    "∂": "d",
}

RESERVED = frozenset(dir(builtins)) | frozenset(
    {"inputs", "compiled", "math", "np", "nan", "inf", "self", "theta", "d_theta", "seed"}
)
"""Names a label can never become: builtins, and the names generated code uses for itself. The
runtime functions' names (``exp``, ``relu``, …) are added by :class:`Namer`'s caller."""


def sanitize(label: str) -> str:
    """A Python identifier made from ``label``: Greek letters spelled out, everything that is not
    an ASCII letter, digit or underscore replaced by ``_``. The result may still need a suffix to
    be unique (see :class:`Namer`)."""
    text = "".join(_GREEK.get(ch, ch) for ch in label)
    text = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "v"
    if text[0].isdigit():
        text = "v" + text
    return text


class Namer:
    """Unique, safe variable names: values never start with ``d_`` (the gradients' prefix) or an
    underscore (the runtime's helpers), never shadow ``reserved`` names or builtins, and never
    repeat."""

    def __init__(self, reserved: frozenset[str] | set[str] = frozenset()) -> None:
        self.reserved = RESERVED | set(reserved)
        self.taken: set[str] = set()
        self.counter = 0

    def name(self, label: str) -> str:
        """A fresh name for a node labelled ``label`` (``v1``, ``v2``, … for no label)."""
        if not label:
            self.counter += 1
            base = f"v{self.counter}"
        else:
            base = sanitize(label)
        if base.startswith("d_") or base in self.reserved or keyword.iskeyword(base):
            base = "v_" + base
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}_{n}"
        self.taken.add(candidate)
        return candidate


def comment(label: str) -> str:
    """A label as a comment, as people see it everywhere else (line breaks escaped)."""
    return f"  # {visible(label)}" if label else ""


def number(x: float) -> str:
    """A float as Python source. Infinities and NaN have no literal, and a bare ``inf`` would be a
    name (which a parameter called ``inf`` could shadow), so they are spelled ``float('inf')``;
    ``float`` is a builtin, which no generated name may shadow."""
    x = float(x)
    if math.isfinite(x):
        return repr(x)
    return f"float({str(x)!r})" if x == x else "float('nan')"
