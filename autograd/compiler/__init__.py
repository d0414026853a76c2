"""The compiler: a graph written out as straight-line Python, forward then backward.

See :mod:`autograd.compiler.codegen` for how the code is generated.
"""

from .codegen import BranchChanged, Compiled, CompiledOnFirstCall, compile_graph, sanitize
from .codegen import compile as compile  # public, but not in __all__ (see below)

# compile is public too (autograd.compiler.compile), but kept out of __all__ so that
# `from autograd.compiler import *` cannot shadow Python's builtin compile.
__all__ = [
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]
