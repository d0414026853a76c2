"""Bytes per graph node: a chain of 100,000 multiplications, measured with tracemalloc.

Memory is deterministic, so one round suffices; each engine still runs in its own process.
"""

from __future__ import annotations

import gc
import tracemalloc

from bench import engines, harness

TITLE = "Workload 4: bytes per graph node (a chain of 100,000 multiplications)"
ORDER = 4
ROUNDS = 1
CONTENDERS = {"stepgrad": "stepgrad", "micrograd": "micrograd 0.1.0"}


def _chain(Value: type, n: int, backward: bool) -> object:
    y = x = Value(0.5)
    c = Value(1.0000001)
    for _ in range(n):
        y = y * c
    if backward:
        y.backward()
    return x, y


def _bytes_per_node(Value: type, n: int, backward: bool) -> float | str:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        graph = _chain(Value, n, backward)
        after = tracemalloc.get_traced_memory()[0]
    except RecursionError:
        return "RecursionError"
    finally:
        tracemalloc.stop()
    del graph
    return (after - before) / n


def measure(contender: str, scale: str) -> dict[str, float | str]:
    n = 1000 if scale == "smoke" else 100_000
    engine = engines.micrograd() if contender == "micrograd" else engines.stepgrad()
    Value = engine.Value
    return {
        "after forward": _bytes_per_node(Value, n, backward=False),
        "after forward + backward": _bytes_per_node(Value, n, backward=True),
    }


def report(results: harness.Results) -> str:
    def cell(contender: str, metric: str) -> str:
        values = results.values(contender, metric)
        if not values:
            return results.error(contender, metric) or "–"
        return f"{values[0]:.0f} B"

    lines = [
        harness.header(results),
        "| | stepgrad | micrograd 0.1.0 |",
        "|---|---:|---:|",
        f"| after forward | {cell('stepgrad', 'after forward')} | {cell('micrograd', 'after forward')} |",
        f"| after forward + backward (grads set) | {cell('stepgrad', 'after forward + backward')} | "
        f"{cell('micrograd', 'after forward + backward')} |",
    ]
    ours = results.values("stepgrad", "after forward")
    lines += [
        "",
        "Targets:",
        harness.target_line(
            "bytes per node after forward",
            ours[0] if ours else None,
            "≤ 200",
            ours[0] <= 200 if ours else None,
        ),
    ]
    return "\n".join(lines) + "\n"
