"""The compiler: a recorded graph written out as straight-line code, forward then backward.

:mod:`.recording` runs a function once on Values and keeps its graph; :mod:`.straight_line`
writes that graph as Python over floats; :mod:`.batching` writes it for whole batches of samples
over numpy arrays, with :mod:`.grouping` turning the dot nodes of a layer into one matrix
product (:mod:`.sample_by_sample` runs the float code on a batch when numpy is missing).
:mod:`.api` holds the public functions.

For users: :func:`compile` (also ``autograd.compile``) and :func:`compile_graph`. For library
code that records a graph of its own, such as ``nn.fit(compile=True)`` with a model's parameters
as shared inputs: :func:`record_graph` gives a :class:`Recording`, which :func:`compile_recording`
writes as float code and :func:`compile_recording_for_batches` as array code (numpy).
"""

from .api import CompiledOnFirstCall, compile_graph, compile_recording_for_batches
from .api import compile as compile  # public, but not in __all__ (see below)
from .naming import sanitize
from .recording import BranchChanged, Recording, record_graph
from .straight_line import Compiled, compile_recording

# compile is public too (autograd.compiler.compile), but kept out of __all__ so that
# `from autograd.compiler import *` cannot shadow Python's builtin compile.
__all__ = [
    "compile_graph",
    "Compiled",
    "CompiledOnFirstCall",
    "BranchChanged",
    "sanitize",
    "Recording",
    "record_graph",
    "compile_recording",
    "compile_recording_for_batches",
]
