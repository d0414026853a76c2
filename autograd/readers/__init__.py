"""Readings of a graph beyond ``backward()``: formula text, traces, drawings, the HTML stepper,
path sums and closed forms. Each reads the same op records and the same graph walk as the engine.
"""
