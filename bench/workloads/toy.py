"""The toy model of Prince, ch. 7 (sin → exp → cos), its loss summed over 1,000 points.

micrograd has no sin, exp or cos, so the comparison is with plain floats: the interpreted graph
(built and differentiated on every call) and the same graph compiled once and replayed. Each
process times a block of consecutive calls and reports the mean call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from bench import harness

TITLE = "Workload 3: the toy model × 1,000 points, forward + backward"
ORDER = 3
CONTENDERS = {
    "interpreted": "stepgrad, interpreted",
    "compiled": "stepgrad, compiled replay",
    "floats": "plain floats, hand-written backward",
}
CALLS = {"interpreted": 5, "compiled": 50, "floats": 50}


def points(scale: str) -> list[tuple[float, float]]:
    count = 20 if scale == "smoke" else 1000
    return [(x, math.sin(x)) for x in (i / (count / 5) - 2.5 for i in range(count))]


def _graph(data: list[tuple[float, float]]):  # type: ignore[no-untyped-def]
    import autograd
    from autograd.toy import TOY_PARAMETERS, toy_model

    parameters = {name: autograd.Value(v, name) for name, v in TOY_PARAMETERS.items()}
    total = sum((toy_model(x, y, parameters).loss for x, y in data), autograd.Value(0.0))
    return parameters, total


def interpreted(data: list[tuple[float, float]]) -> float:
    parameters, total = _graph(data)
    total.backward()
    return parameters["ω0"].grad


def compiled(data: list[tuple[float, float]]) -> Callable[[], object]:
    from autograd.compiler import compile_graph
    from autograd.toy import TOY_PARAMETERS

    parameters, total = _graph(data)
    replay = compile_graph(total, list(parameters.values()))
    values = list(TOY_PARAMETERS.values())
    return lambda: replay.raw(values)


def floats(data: list[tuple[float, float]]) -> float:
    from autograd.toy import TOY_PARAMETERS

    p = TOY_PARAMETERS
    b0, w0, b1, w1, b2, w2, b3, w3 = (
        p[k] for k in ("β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3")
    )
    g = dict.fromkeys(p, 0.0)
    loss = 0.0
    for x, y in data:
        f0 = b0 + w0 * x
        h1 = math.sin(f0)
        f1 = b1 + w1 * h1
        h2 = math.exp(f1)
        f2 = b2 + w2 * h2
        h3 = math.cos(f2)
        f3 = b3 + w3 * h3
        loss += (f3 - y) ** 2
        d3 = 2 * (f3 - y)
        d2 = -math.sin(f2) * w3 * d3
        d1 = h2 * w2 * d2
        d0 = math.cos(f0) * w1 * d1
        g["β3"] += d3
        g["ω3"] += h3 * d3
        g["β2"] += d2
        g["ω2"] += h2 * d2
        g["β1"] += d1
        g["ω1"] += h1 * d1
        g["β0"] += d0
        g["ω0"] += x * d0
    return g["ω0"]


def measure(contender: str, scale: str) -> dict[str, float | str]:
    data = points(scale)
    work: Callable[[], object]
    if contender == "interpreted":
        work = lambda: interpreted(data)  # noqa: E731
    elif contender == "compiled":
        work = compiled(data)
    elif contender == "floats":
        work = lambda: floats(data)  # noqa: E731
    else:
        raise ValueError(f"unknown contender {contender!r}")
    calls = 1 if scale == "smoke" else CALLS[contender]
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return {"call": (time.perf_counter() - start) / calls}


def report(results: harness.Results) -> str:
    lines = [
        harness.header(results),
        "| path | time per call | time vs plain floats |",
        "|---|---:|---:|",
    ]
    for name, label in results.contenders.items():
        lines.append(
            f"| {label} | {harness.time_cell(results, name, 'call')} | "
            f"{harness.ratio_cell(results, name, 'floats', 'call')} |"
        )
    ratio = harness.median_ratio(results, "compiled", "floats", "call")
    lines += [
        "",
        "Targets:",
        harness.target_line(
            "compiled replay, time vs plain floats",
            ratio,
            "≤ 2.5×",
            None if ratio is None else ratio <= 2.5,
        ),
    ]
    return "\n".join(lines) + "\n"
