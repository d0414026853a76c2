"""The compiler: a recorded graph written out as straight-line code, forward then backward.

:mod:`.recording` runs a function once on Values and keeps its graph; :mod:`.straight_line`
writes that graph as Python over floats; :mod:`.batching` writes it for whole batches of samples
over numpy arrays, with :mod:`.grouping` turning the dot nodes of a layer into one matrix
product. :mod:`.codegen` holds the public functions.
"""

from .codegen import Compiled, CompiledOnFirstCall, compile, compile_graph
from .naming import sanitize
from .recording import BranchChanged

__all__ = [
    "compile",
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
]
