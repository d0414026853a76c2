"""One contender of one workload, in this process: the child's side of the harness.

    python bench/child.py WORKLOAD CONTENDER SCALE      # prints one line of JSON

The harness (bench/harness.py) starts one such process per contender and round. It imports as
little as it can (the workload, and through it the engine it measures), because a process holds
what it imported: a bigger heap changes how often Python's garbage collector runs and how long
each collection takes, and micrograd's training step is mostly garbage collection. So the
process is the engine and the loop, as in a user's script, with only ``json`` besides.
"""

from __future__ import annotations

import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure_here(workload: str, contender: str, scale: str) -> dict[str, float | str]:
    """Run one contender in this process, turning the failures a table shows into reasons."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    module = importlib.import_module(f"bench.workloads.{workload}")
    try:
        return dict(module.measure(contender, scale))
    except ImportError as error:
        return {"error": f"not installed ({error.name or error})"}
    except RecursionError:
        return {"error": "RecursionError"}


if __name__ == "__main__":
    import json

    print(json.dumps(measure_here(*sys.argv[1:4])))
