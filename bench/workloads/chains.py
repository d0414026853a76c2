"""Long chains: y = x·c·c·…·c with N multiplications, forward and backward.

Deep graphs are where a recursive topological sort breaks: micrograd's stops at Python's recursion
limit (about 1,000 nodes deep). Each process runs the sizes from small to large; a size is timed
over a few consecutive calls (one for a million nodes) and the mean call is reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench import engines, harness

TITLE = "Workload 2: a chain of N multiplications, forward + backward"
ORDER = 2
CONTENDERS = {
    "stepgrad": "stepgrad",
    "micrograd": "micrograd 0.1.0",
    "floats": "plain floats, hand-written backward",
}
SIZES = {"full": (10**4, 10**5, 10**6), "quick": (10**4, 10**5), "smoke": (100,)}
CALLS = {10**4: 5, 10**5: 3, 10**6: 1}


def chain(Value: type, n: int) -> float:
    x = Value(0.5)
    c = Value(1.0000001)
    y = x
    for _ in range(n):
        y = y * c
    y.backward()
    return x.grad


def float_chain(n: int) -> float:
    """The same on floats: keep every intermediate, then walk back multiplying by c."""
    x, c = 0.5, 1.0000001
    values = [x]
    for _ in range(n):
        values.append(values[-1] * c)
    grad_c, upstream = 0.0, 1.0
    for value in reversed(values[:-1]):
        grad_c += value * upstream
        upstream *= c
    return upstream


def metric(n: int) -> str:
    return f"chain of {n:,}"


def measure(contender: str, scale: str) -> dict[str, float | str]:
    work: Callable[[int], object]
    if contender == "floats":
        work = float_chain
    else:
        engine = engines.micrograd() if contender == "micrograd" else engines.stepgrad()
        work = lambda n: chain(engine.Value, n)  # noqa: E731
    found: dict[str, float | str] = {}
    for n in SIZES[scale]:
        if any(isinstance(v, str) for v in found.values()):
            found[metric(n)] = "not run (failed at a smaller size)"
            continue
        calls = CALLS.get(n, 1)
        try:
            start = time.perf_counter()
            for _ in range(calls):
                work(n)
            found[metric(n)] = (time.perf_counter() - start) / calls
        except RecursionError:
            found[metric(n)] = "RecursionError"
    return found


def report(results: harness.Results) -> str:
    lines = [
        harness.header(results),
        "| N | stepgrad | micrograd 0.1.0 | plain floats | stepgrad / floats |",
        "|---|---:|---:|---:|---:|",
    ]
    sizes = [m for m in (results.rounds[0].get("stepgrad", {}) if results.rounds else {})]
    for name in sizes:
        lines.append(
            f"| {name.removeprefix('chain of ')} | {harness.time_cell(results, 'stepgrad', name)} | "
            f"{harness.time_cell(results, 'micrograd', name)} | "
            f"{harness.time_cell(results, 'floats', name)} | "
            f"{harness.ratio_cell(results, 'stepgrad', 'floats', name)} |"
        )
    lines.append("")
    million = results.values("stepgrad", metric(10**6))
    if million:
        seconds = harness.quartiles(million)[1]
        lines.append("Targets:")
        lines.append(
            harness.target_line(
                "a 10^6-node chain, forward + backward, seconds", seconds, "≤ 3 s", seconds <= 3
            )
        )
    return "\n".join(lines) + "\n"
