"""The engine: op records, graph nodes, ``Value``, the chain-rule loop, modes, and the functional API.

Nothing here draws, prints or writes files; the readers in :mod:`autograd.readers` do that.
"""
