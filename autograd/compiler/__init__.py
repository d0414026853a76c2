"""The compiler: a graph written out as straight-line Python, forward then backward.

See :mod:`autograd.compiler.codegen` for how the code is generated.
"""

from .codegen import BranchChanged, Compiled, CompiledOnFirstCall, compile, compile_graph, sanitize

# compile is public too (autograd.compiler.compile), but kept out of __all__ so that
# `from autograd.compiler import *` cannot shadow Python's builtin compile.
__all__ = [
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]
