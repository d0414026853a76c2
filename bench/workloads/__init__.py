"""Workloads: one module each; ``make bench`` runs every module here not starting with ``_``.

A workload module defines:

``TITLE: str``
    The heading of its section in the results.
``CONTENDERS: dict[str, str]``
    Contender name -> the label its table shows, in table order. Each contender runs in its own
    process (see ``bench/harness.py``), once per round.
``measure(contender: str, scale: str) -> dict[str, float | str]``
    Run one contender and return its measurements: seconds (or bytes, …) per metric, or a string
    saying why a metric could not be measured (``"RecursionError"``). ``scale`` is ``"full"``,
    ``"quick"`` or ``"smoke"`` (tiny sizes for the tests: the numbers mean nothing, but every line
    of the workload runs). An ImportError (micrograd not installed) becomes "not installed".
``report(results: harness.Results) -> str``
    The workload's Markdown section: tables built with the harness's cells (median and spread of
    times, median and spread of per-round ratios), then a line per target.

and optionally ``ROUNDS: int`` to override the number of rounds (1 for deterministic
measurements such as memory), and ``ORDER: int`` for its place in the results.

A measuring process imports the workload module, so keep its module-level imports light and
import each engine inside ``measure`` (see ``bench/child.py``): whatever the process holds, the
garbage collector walks.
"""
