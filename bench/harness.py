"""The shared harness: each contender of a workload in its own process, rounds interleaved.

A *workload* is one module in ``bench/workloads/`` (see ``bench/workloads/__init__.py`` for what it
defines). A *contender* is one way of running it: an engine, or a path through one. For every
round, the harness starts a fresh Python process per contender, one after another
(``bench/child.py``), which imports the workload, calls ``measure(contender, scale)`` and prints
the measurements as one line of JSON.
The order of the contenders rotates from round to round, so no contender always runs just after
the same neighbour.

Why separate processes: a measurement in a process that has already run other engines inherits
their heap, their garbage and their memory layout. micrograd's graphs are reference cycles that
only the garbage collector frees, so its cost grows with what the heap already holds; an engine
run after it pays part of its bill. A user runs one engine per program, so the bench does too.

Why ratios per round: the machine is shared and its speed drifts. Two contenders of one round ran
seconds apart, so their ratio is steadier than either time. The tables give the median of each
time and of each per-round ratio, with the spread over rounds (the interquartile range: on a
shared machine one busy round would stretch a smallest–largest range; the JSON keeps them all).
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from bench.child import measure_here

# NOTE: this module is imported by the workloads, and so by every measuring process (see
# bench/child.py): the standard library's heavier modules (subprocess, statistics, json,
# dataclasses) are imported inside the functions that need them, which run in the parent only.

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCALES = ("full", "quick", "smoke")
"""``full`` for the README's figures, ``quick`` for a look in about a minute, ``smoke`` for tests
(tiny sizes, to show that every workload still runs; its times mean nothing)."""

Measurements = dict[str, float | str]
"""What ``measure`` returns: a number (usually seconds) per metric, or why it failed
(``"RecursionError"``, ``"not installed"``)."""

__all__ = ["measure_here", "run_rounds", "Results"]


def workload_names() -> list[str]:
    """Every workload module in bench/workloads/, in file-name order."""
    return sorted(
        path.stem for path in (BENCH / "workloads").glob("*.py") if not path.name.startswith("_")
    )


def load_workload(name: str) -> ModuleType:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"bench.workloads.{name}")


def load_average() -> float:
    """The 1-minute load average (the number of processes wanting a core); NaN where unknown."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


# ---- one contender in one process ------------------------------------------------------------


def measure_in_child(workload: str, contender: str, scale: str) -> Measurements:
    """Start a fresh Python process for one contender and read back its measurements."""
    import json
    import subprocess

    command = [sys.executable, str(BENCH / "child.py"), workload, contender, scale]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return {"error": f"crashed: {lines[-1]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- rounds ---------------------------------------------------------------------------------


class Results:
    """Every round's measurements of every contender of one workload."""

    def __init__(self, workload: str, title: str, contenders: dict[str, str]) -> None:
        self.workload, self.title = workload, title
        self.contenders = contenders
        """contender name -> the label shown in tables"""
        self.rounds: list[dict[str, Measurements]] = []
        self.loads: list[float] = []
        """the load average before each process started"""

    def values(self, contender: str, metric: str) -> list[float]:
        """The metric's numbers over the rounds in which it was measured."""
        return [
            value
            for round_ in self.rounds
            if isinstance(value := round_.get(contender, {}).get(metric), (int, float))
        ]

    def error(self, contender: str, metric: str | None = None) -> str | None:
        """Why the contender (or this metric of it) has no numbers, if it has none."""
        for round_ in self.rounds:
            found = round_.get(contender, {})
            reason = found.get("error") or (found.get(metric) if metric else None)
            if isinstance(reason, str):
                return reason
        return None

    def ratios(
        self, numerator: str, denominator: str, metric: str, other_metric: str | None = None
    ) -> list[float]:
        """numerator's metric / denominator's metric, per round (rounds where both ran)."""
        found = []
        for round_ in self.rounds:
            top = round_.get(numerator, {}).get(metric)
            bottom = round_.get(denominator, {}).get(other_metric or metric)
            if isinstance(top, (int, float)) and isinstance(bottom, (int, float)) and bottom:
                found.append(top / bottom)
        return found

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "contenders": self.contenders,
            "rounds": self.rounds,
            "load_before_each_process": self.loads,
        }


def run_rounds(
    workload: str,
    rounds: int,
    scale: str,
    *,
    measure: Callable[[str, str, str], Measurements] = measure_in_child,
    progress: Callable[[str], None] | None = None,
) -> Results:
    """``rounds`` interleaved rounds of every contender of ``workload``, each in its own process."""
    module = load_workload(workload)
    contenders: dict[str, str] = dict(module.CONTENDERS)
    names = list(contenders)
    results = Results(workload, module.TITLE, contenders)
    rounds = getattr(module, "ROUNDS", None) or rounds
    for index in range(rounds):
        shift = index % len(names)
        found: dict[str, Measurements] = {}
        for name in names[shift:] + names[:shift]:
            results.loads.append(load_average())
            if progress is not None:
                progress(f"{workload}: round {index + 1}/{rounds}, {name}")
            found[name] = measure(workload, name, scale)
        results.rounds.append({name: found[name] for name in names})
    return results


# ---- numbers for tables ---------------------------------------------------------------------


SPREAD = "the median over rounds, with the interquartile range (the middle half of the rounds)"
"""What a table cell shows; workloads quote it under their tables."""


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """The first quartile, the median and the third quartile (all three equal for one value)."""
    import statistics

    if len(values) == 1:
        return values[0], values[0], values[0]
    low, middle, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, middle, high


def spread(values: Sequence[float], show: Callable[[float], str], unit: str = "") -> str:
    """``median unit (q1–q3)``: the median and the interquartile range, or just the median when
    the quartiles are shown alike. (The JSON results keep every round's number.)"""
    if not values:
        return "–"
    low, middle, high = (show(q) for q in quartiles(values))
    return middle + unit if low == high else f"{middle}{unit} ({low}–{high})"


def milliseconds(seconds: float) -> str:
    """Seconds shown as milliseconds: one decimal below 100 ms, none above."""
    ms = seconds * 1000
    return f"{ms:,.1f}" if ms < 100 else f"{ms:,.0f}"


def times(ratio: float) -> str:
    """A ratio: two significant digits below 1, one decimal below 100, none above."""
    if ratio < 1:
        return f"{ratio:.2g}"
    return f"{ratio:,.1f}" if ratio < 100 else f"{ratio:,.0f}"


def time_cell(results: Results, contender: str, metric: str) -> str:
    """A table cell: the metric's median in ms with its spread, or why there is none."""
    values = results.values(contender, metric)
    if not values:
        return results.error(contender, metric) or "–"
    return spread(values, milliseconds, " ms")


def ratio_cell(
    results: Results, numerator: str, denominator: str, metric: str, other: str | None = None
) -> str:
    """A table cell: the median per-round ratio with its spread, as ``12.3× (11.9–12.8)``."""
    return spread(results.ratios(numerator, denominator, metric, other), times, "×")


def median_ratio(results: Results, numerator: str, denominator: str, metric: str) -> float | None:
    values = results.ratios(numerator, denominator, metric)
    return quartiles(values)[1] if values else None


def target_line(what: str, value: float | None, target: str, met: bool | None) -> str:
    """One line of the targets list: ``- what: value (target): met``."""
    verdict = "not measured" if met is None else ("met" if met else "NOT MET")
    shown = "–" if value is None else f"{value:,.2f}"
    return f"- {what}: {shown} (target {target}): {verdict}"


def header(results: Results) -> str:
    loads = [load for load in results.loads if load == load]  # NaN where unknown
    load = f"; load average {min(loads):.2f}–{max(loads):.2f}" if loads else ""
    return f"### {results.title}\n\n{len(results.rounds)} rounds, each contender in its own process{load}.\n"


def environment() -> dict[str, object]:
    """What the results depend on: the interpreter, the machine and the code's commit."""
    import platform
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "commit": commit,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "load_at_start": load_average(),
    }
