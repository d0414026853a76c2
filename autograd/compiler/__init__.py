"""The compiler: a graph written out as straight-line Python, forward then backward.

See :mod:`autograd.compiler.codegen` for how the code is generated.
"""

from .codegen import BranchChanged, Compiled, CompiledOnFirstCall, compile, compile_graph, sanitize

__all__ = [
    "compile",
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]
