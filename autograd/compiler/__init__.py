"""The compiler: a recorded graph written out as straight-line code, forward then backward.

:mod:`.recording` runs a function once on Values and keeps its graph; :mod:`.straight_line`
writes that graph as Python over floats; :mod:`.batching` writes it for whole batches of samples
over numpy arrays, with :mod:`.grouping` turning the dot nodes of a layer into one matrix
product. :mod:`.codegen` holds the public functions.
"""

from .codegen import Compiled, CompiledOnFirstCall, compile_graph
from .codegen import compile as compile  # public, but not in __all__ (see below)
from .naming import sanitize
from .recording import BranchChanged

# compile is public too (autograd.compiler.compile), but kept out of __all__ so that
# `from autograd.compiler import *` cannot shadow Python's builtin compile.
__all__ = [
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]
