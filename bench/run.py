"""Benchmark stepgrad against micrograd 0.1.0 and against plain floats, as a user's loop runs them.

    make bench                          # installs micrograd==0.1.0 into .venv, then runs this
    make bench BENCH_ARGS=--quick       # two rounds, smaller sizes: a look in about a minute
    .venv/bin/python bench/run.py --only demo_step --rounds 9

Every workload in bench/workloads/ runs in interleaved rounds; in each round every contender
(engine, or path through an engine) runs in a fresh Python process of its own (see
bench/harness.py for why). The Markdown tables go to stdout and to bench/results/latest.md, every
number of every round to bench/results/latest.json (and a copy named by the start time).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="2 rounds and smaller sizes")
    parser.add_argument(
        "--smoke", action="store_true", help="1 round at tiny sizes, to test that all runs"
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 7, quick 2)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORKLOAD",
        help=f"run only these of {harness.workload_names()}",
    )
    parser.add_argument(
        "--out", type=Path, default=harness.BENCH / "results", help="where results are written"
    )
    args = parser.parse_args(argv)
    scale = "smoke" if args.smoke else "quick" if args.quick else "full"
    rounds = args.rounds or {"smoke": 1, "quick": 2, "full": 7}[scale]
    names = args.only or harness.workload_names()
    unknown = sorted(set(names) - set(harness.workload_names()))
    if unknown:
        parser.error(f"no workload {', '.join(unknown)}; choose from {harness.workload_names()}")
    names.sort(key=lambda name: (getattr(harness.load_workload(name), "ORDER", 50), name))

    env = harness.environment()
    print(
        f"Python {env['python']} on {env['machine']} ({env['cpus']} CPUs), commit {env['commit']}, "
        f"{scale} scale, {rounds} rounds; load average {env['load_at_start']:.2f} at the start\n",
        flush=True,
    )
    sections, everything = [], {"environment": env, "scale": scale, "workloads": {}}
    for name in names:
        results = harness.run_rounds(name, rounds, scale, progress=_progress)
        section = harness.load_workload(name).report(results)
        _progress("")
        print(section, flush=True)
        sections.append(section)
        everything["workloads"][name] = results.to_json()
    env["load_at_end"] = harness.load_average()

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = env["started"].replace(":", "")[:17]
    text = json.dumps(everything, indent=1, ensure_ascii=False)
    for path in (args.out / "latest.json", args.out / f"{stamp}-{scale}.json"):
        path.write_text(text, encoding="utf-8")
    (args.out / "latest.md").write_text("\n".join(sections), encoding="utf-8")
    print(f"Load average at the end: {env['load_at_end']:.2f}. Results: {args.out}/latest.json")
    return 0


def _progress(message: str) -> None:
    """Say what runs now, on one line that the next message overwrites (only on a terminal)."""
    if sys.stderr.isatty():
        print(
            f"\r{message[:78]:<78}\r" if not message else f"\r{message[:78]:<78}",
            end="",
            file=sys.stderr,
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
