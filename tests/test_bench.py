"""The benchmark harness (bench/): every workload runs, and the demo's contenders agree.

No timing is asserted here (the machine is shared and noisy); these tests only keep the bench
working as the engine changes, and check that every contender of the demo workload computes the
same losses, so the bench compares like with like.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.workloads import demo_step  # noqa: E402

WORKLOADS = harness.workload_names()


def test_the_workloads_are_found() -> None:
    assert {"demo_step", "chains", "toy", "memory"} <= set(WORKLOADS)


@pytest.mark.parametrize(
    ("workload", "contender"),
    [
        (name, contender)
        for name in WORKLOADS
        for contender in harness.load_workload(name).CONTENDERS
    ],
)
def test_every_contender_runs_at_smoke_scale(workload: str, contender: str) -> None:
    found = harness.measure_here(workload, contender, "smoke")
    assert found, "a contender measured nothing"
    error = found.get("error")
    if error is not None:  # only an engine that is not installed may be missing
        assert contender == "micrograd" and str(error).startswith("not installed"), found
        return
    for metric, value in found.items():
        assert (
            isinstance(value, (int, float))
            or value in ("RecursionError",)
            or str(value).startswith("not run")
        ), (metric, value)


def test_the_demo_contenders_compute_the_same_losses() -> None:
    """The loop body written once, the compiled replay, fit(compile=True) and the hand-written
    floats all start from the same weights and agree after a step and an update."""
    losses = {}
    for contender in demo_step.CONTENDERS:
        found = harness.measure_here("demo_step", contender, "smoke")
        if "error" not in found:
            losses[contender] = (found["first loss"], found["last loss"])
    assert {"unfused", "fused", "compiled", "fit_compiled", "floats"} <= set(losses)
    first, last = losses["floats"]
    assert first != last  # the update changed the weights
    for contender, (a, b) in losses.items():
        assert a == pytest.approx(first, rel=1e-12), contender
        assert b == pytest.approx(last, rel=1e-12), contender


@pytest.mark.parametrize("contender", ["micrograd", "floats"])
def test_a_measuring_process_holds_only_its_engine(contender: str) -> None:
    """The micrograd and plain-float processes import nothing of stepgrad, nor the heavier
    standard modules the harness uses in the parent: a bigger heap would change how often and how
    long micrograd's garbage collector runs, which is most of its step."""
    code = (
        "import sys; from bench.child import measure_here; "
        f"measure_here('demo_step', {contender!r}, 'smoke'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('autograd', 'nn', 'dataclasses', 'statistics', 'subprocess', 'json', 'typing')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


def test_run_writes_json_and_markdown(tmp_path: Path) -> None:
    """The whole harness at smoke scale: contenders in their own processes, results written."""
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(tmp_path)]
    done = subprocess.run(
        [*command, "--only", "toy", "memory"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert results["scale"] == "smoke"
    toy = results["workloads"]["toy"]
    assert len(toy["rounds"]) == 1
    assert set(toy["rounds"][0]) == {"interpreted", "compiled", "floats"}
    assert all(isinstance(m["call"], float) for m in toy["rounds"][0].values())
    markdown = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "| stepgrad, compiled replay |" in markdown
    assert "bytes per graph node" in markdown
    assert "| stepgrad, compiled replay |" in done.stdout


def test_spread_and_ratio_cells() -> None:
    """Cells show the median and the interquartile range; a round a contender missed is left out
    of its ratios, and a contender with no numbers says why."""
    results = harness.Results("w", "W", {"a": "A", "b": "B"})
    results.rounds = [
        {"a": {"t": 2.0}, "b": {"t": 1.0}},
        {"a": {"t": 3.0}, "b": {"t": 1.0}},
        {"a": {"t": 8.0}, "b": {"t": 2.0}},
    ]
    # per-round ratios 2, 3 and 4: the median and the interquartile range
    assert harness.ratio_cell(results, "a", "b", "t") == "3.0× (2.5–3.5)"
    assert harness.time_cell(results, "b", "t") == "1,000 ms (1,000–1,500)"
    results.rounds.append({"a": {"error": "not installed (micrograd)"}, "b": {"t": 1.0}})
    assert harness.ratio_cell(results, "a", "b", "t") == "3.0× (2.5–3.5)"
    assert harness.time_cell(results, "a", "x") == "not installed (micrograd)"
