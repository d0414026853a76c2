"""Benchmark: stepgrad against micrograd 0.1.0 and against plain floats, in one run.

    make bench            # installs micrograd==0.1.0 into .venv, then runs this script

Each workload runs in interleaved rounds (stepgrad, micrograd, floats, stepgrad, …) so that the
machine's noise falls on all of them alike, and the table shows medians and ratios of medians.
Workload 1 is timed as blocks of consecutive training steps, the steady state of a training loop
(see timed()).
The "plain floats" column is the floor: the same arithmetic on floats, with the backward pass
written out by hand.

Workloads
  1. micrograd's demo training step: MLP(2, [16, 16, 1]) relu, 100 two-moons points, hinge loss
     + 1e-4 L2, forward + backward + SGD update. stepgrad runs it three ways: unfused (one node
     per multiply, as micrograd), fused (one dot node per neuron, the default), and compiled
     (the step's graph compiled once to straight-line Python, then replayed).
  2. A chain of N multiplications, forward + backward (micrograd's recursive sort stops at ~1,000).
  3. The toy model of Prince ch. 7, its loss summed over 1,000 points, forward + backward
     (micrograd has no sin, exp or cos), interpreted and compiled.
  4. Bytes per graph node, measured with tracemalloc.
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd
import nn
from autograd.toy import TOY_PARAMETERS, toy_model

try:
    import micrograd.engine
    import micrograd.nn
except ImportError:  # the table then says "not installed"
    micrograd = None

ALPHA = 1e-4
STEPS_PER_ROUND = 5  # workload 1: consecutive training steps per timing (the steady state)
X, LABELS = nn.data.make_moons(100, noise=0.1, seed=1)
Y = [2 * t - 1 for t in LABELS]  # hinge loss wants -1 / +1


# ---- workload 1: micrograd's demo training step --------------------------------------------------


class CompiledStep:
    """The demo step's graph compiled once; each call replays it on floats and updates."""

    def __init__(self, model) -> None:
        from autograd.compiler import compile_graph

        self.params = model.parameters()
        inputs = [
            [autograd.Value(v, f"x{i}_{j}") for j, v in enumerate(row)] for i, row in enumerate(X)
        ]
        total = _demo_loss(model, inputs)
        start = time.perf_counter()
        self.compiled = compile_graph(
            total, self.params + [v for row in inputs for v in row], wrt=self.params
        )
        self.compile_seconds = time.perf_counter() - start
        self.data = [v for row in X for v in row]

    def step(self, k: int = 0) -> float:
        value, grads = self.compiled.raw([p.data for p in self.params] + self.data)
        learning_rate = 1.0 - 0.9 * k / 100
        for p, g in zip(self.params, grads):
            p.grad = g
            p.data -= learning_rate * g
        return value


def _demo_loss(model, inputs):
    scores = list(map(model, inputs))
    losses = [(1 + -yi * score).relu() for yi, score in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + ALPHA * sum(p * p for p in model.parameters())


def training_step(model, value_type, k: int = 0) -> float:
    """micrograd's demo loop body, written for either engine (the same code runs on both)."""
    inputs = [list(map(value_type, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * score).relu() for yi, score in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total.data


class FloatMLP:
    """The same 2-16-16-1 relu MLP on plain floats, with its backward pass written by hand."""

    def __init__(self, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.sizes = [2, 16, 16, 1]
        self.W = [
            [[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)]
            for nin, nout in zip(self.sizes, self.sizes[1:])
        ]
        self.b = [[0.0] * nout for nout in self.sizes[1:]]

    def step(self, k: int = 0) -> float:
        W, b = self.W, self.b
        dW = [[[0.0] * len(row) for row in layer] for layer in W]
        db = [[0.0] * len(layer) for layer in b]
        n = len(X)
        loss = 0.0
        for x, y in zip(X, Y):
            # forward, keeping every layer's pre-activations z and activations a
            acts, zs = [x], []
            for layer in range(3):
                a_in = acts[-1]
                z = [
                    bias + sum(w * a for w, a in zip(row, a_in))
                    for row, bias in zip(W[layer], b[layer])
                ]
                zs.append(z)
                acts.append([v if v > 0.0 else 0.0 for v in z] if layer < 2 else z)
            margin = 1.0 - y * acts[-1][0]
            loss += (margin if margin > 0.0 else 0.0) / n
            # backward: ∂loss/∂score, then each layer in reverse
            delta = [(-y if margin > 0.0 else 0.0) / n]
            for layer in (2, 1, 0):
                a_in = acts[layer]
                for j, d in enumerate(delta):
                    db[layer][j] += d
                    row = dW[layer][j]
                    for i, a in enumerate(a_in):
                        row[i] += d * a
                if layer:
                    back = [
                        sum(delta[j] * W[layer][j][i] for j in range(len(delta)))
                        for i in range(len(a_in))
                    ]
                    delta = [g if z > 0.0 else 0.0 for g, z in zip(back, zs[layer - 1])]
        lr = 1.0 - 0.9 * k / 100
        for layer in range(3):
            for j, row in enumerate(W[layer]):
                for i, w in enumerate(row):
                    loss += ALPHA * w * w
                    row[i] = w - lr * (dW[layer][j][i] + 2 * ALPHA * w)
                loss += ALPHA * b[layer][j] ** 2
                b[layer][j] -= lr * (db[layer][j] + 2 * ALPHA * b[layer][j])
        return loss


# ---- workload 2: long chains -------------------------------------------------------------------


def chain(value_type, n: int) -> float:
    x = value_type(0.5)
    c = value_type(1.0000001)
    y = x
    for _ in range(n):
        y = y * c
    y.backward()
    return x.grad


def float_chain(n: int) -> float:
    x, c = 0.5, 1.0000001
    values = [x]
    for _ in range(n):
        values.append(values[-1] * c)
    grad_x, grad_c, upstream = 0.0, 0.0, 1.0
    for value in reversed(values[:-1]):
        grad_c += value * upstream
        upstream *= c
    grad_x = upstream
    return grad_x + 0.0 * grad_c


# ---- workload 3: the toy model over 1,000 points --------------------------------------------------

TOY_POINTS = [(x, math.sin(x)) for x in (i / 200 - 2.5 for i in range(1000))]


def toy_sum() -> float:
    parameters = {name: autograd.Value(v, name) for name, v in TOY_PARAMETERS.items()}
    total = sum((toy_model(x, y, parameters).loss for x, y in TOY_POINTS), autograd.Value(0.0))
    total.backward()
    return parameters["ω0"].grad


def compiled_toy():
    """The toy-model sum compiled once: returns a function that replays it."""
    from autograd.compiler import compile_graph

    parameters = {name: autograd.Value(v, name) for name, v in TOY_PARAMETERS.items()}
    total = sum((toy_model(x, y, parameters).loss for x, y in TOY_POINTS), autograd.Value(0.0))
    compiled = compile_graph(total, list(parameters.values()))
    values = list(TOY_PARAMETERS.values())
    return lambda: compiled.raw(values)


def float_toy_sum() -> float:
    p = TOY_PARAMETERS
    b0, w0, b1, w1, b2, w2, b3, w3 = (
        p[k] for k in ("β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3")
    )
    g = dict.fromkeys(p, 0.0)
    loss = 0.0
    for x, y in TOY_POINTS:
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


# ---- measuring --------------------------------------------------------------------------------


def timed(work: Callable[[], object], repeat: int = 1) -> float | str:
    """Seconds per call of ``work``, over ``repeat`` consecutive calls on a freshly collected heap.

    Consecutive calls measure the steady state of a loop: micrograd's graphs are reference cycles
    that only the garbage collector frees, and in a training loop a step pays for collecting the
    previous steps' cycles. What is left after the last call is collected before the next
    contender runs, outside the timing, which if anything favours micrograd.
    """
    gc.collect()
    try:
        start = time.perf_counter()
        for _ in range(repeat):
            work()
        return (time.perf_counter() - start) / repeat
    except RecursionError:
        return "RecursionError"


def interleaved(
    contenders: dict[str, Callable[[], object] | None], rounds: int, repeat: int = 1
) -> dict[str, float | str]:
    """Median seconds per call of each contender over ``rounds`` interleaved rounds of ``repeat``
    consecutive calls each (or why it failed)."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    failures: dict[str, str] = {}
    for _ in range(rounds):
        for name, work in contenders.items():
            if work is None or name in failures:
                continue
            result = timed(work, repeat)
            if isinstance(result, str):
                failures[name] = result
            else:
                times[name].append(result)
    medians: dict[str, float | str] = {}
    for name, work in contenders.items():
        if work is None:
            medians[name] = "not installed" if micrograd is None else "n/a"
        else:
            medians[name] = failures.get(name) or statistics.median(times[name])
    return medians


def bytes_per_node(build: Callable[[], object], nodes: int) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    graph = build()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del graph
    return (after - before) / nodes


def chain_graph(value_type, n: int):
    y = x = value_type(0.5)
    c = value_type(1.0000001)
    for _ in range(n):
        y = y * c
    return x, y


def chain_graph_after_backward(value_type, n: int):
    x, y = chain_graph(value_type, n)
    y.backward()
    return x, y


def show(seconds: float | str) -> str:
    return seconds if isinstance(seconds, str) else f"{seconds * 1000:,.1f} ms"


def ratio(slow: float | str, fast: float | str) -> str:
    if isinstance(slow, str) or isinstance(fast, str):
        return "–"
    return f"{slow / fast:,.1f}×"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--quick", action="store_true", help="3 rounds, chains up to 10^5")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    have_micrograd = micrograd is not None
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {rounds} interleaved rounds; "
        f"micrograd: {'0.1.0' if have_micrograd else 'not installed (make bench installs it)'}\n"
    )

    rows = []
    random.seed(1)
    unfused = nn.MLP(2, [16, 16, 1], activation="relu", seed=1, fused=False)
    fused = nn.MLP(2, [16, 16, 1], activation="relu", seed=1)
    compiled = CompiledStep(nn.MLP(2, [16, 16, 1], activation="relu", seed=1, fused=False))
    compiled_fused = CompiledStep(nn.MLP(2, [16, 16, 1], activation="relu", seed=1))
    theirs = micrograd.nn.MLP(2, [16, 16, 1]) if have_micrograd else None
    floor = FloatMLP(seed=1)
    step = interleaved(
        {
            "unfused": lambda: training_step(unfused, autograd.Value),
            "fused": lambda: training_step(fused, autograd.Value),
            "compiled": compiled.step,
            "compiled fused": compiled_fused.step,
            "micrograd": (lambda: training_step(theirs, micrograd.engine.Value))
            if have_micrograd
            else None,
            "floats": floor.step,
        },
        rounds,
        repeat=STEPS_PER_ROUND,
    )
    print(
        "Workload 1: micrograd's demo training step (MLP 2-16-16-1 relu, 100 points, hinge + L2, "
        "forward + backward + update)\n"
    )
    print("| path | median | speed vs micrograd | time vs plain floats |")
    print("|---|---:|---:|---:|")
    for name, label in (
        ("unfused", "stepgrad, unfused (one node per multiply)"),
        ("fused", "stepgrad, fused neurons (default)"),
        ("compiled", "stepgrad, compiled replay (unfused graph)"),
        ("compiled fused", "stepgrad, compiled replay (fused graph)"),
        ("micrograd", "micrograd 0.1.0"),
        ("floats", "plain floats, hand-written backward"),
    ):
        print(
            f"| {label} | {show(step[name])} | {ratio(step['micrograd'], step[name])} | "
            f"{ratio(step[name], step['floats'])} |"
        )
    print(
        f"\nCompiling the step's graph: {compiled.compile_seconds:.2f} s for the unfused graph "
        f"(about 65,000 nodes), {compiled_fused.compile_seconds:.2f} s for the fused one.\n"
    )

    for n in (10**4, 10**5) if args.quick else (10**4, 10**5, 10**6):
        result = interleaved(
            {
                "stepgrad": lambda n=n: chain(autograd.Value, n),
                "micrograd": (lambda n=n: chain(micrograd.engine.Value, n))
                if have_micrograd
                else None,
                "floats": lambda n=n: float_chain(n),
            },
            max(3, rounds // 2) if n == 10**6 else rounds,
        )
        rows.append((f"2. chain of {n:,} nodes", result))

    result = interleaved({"stepgrad": toy_sum, "micrograd": None, "floats": float_toy_sum}, rounds)
    rows.append(("3. toy model × 1,000 points", result))
    toy_compiled = interleaved(
        {"stepgrad": compiled_toy(), "micrograd": None, "floats": float_toy_sum}, rounds, repeat=20
    )  # about a millisecond each: time blocks of 20
    rows.append(("3. toy model × 1,000 points, compiled", toy_compiled))

    print(
        "| workload | stepgrad | micrograd 0.1.0 | plain floats | micrograd / stepgrad | stepgrad / floats |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(
            f"| {name} | {show(r['stepgrad'])} | {show(r['micrograd'])} | {show(r['floats'])} | "
            f"{ratio(r['micrograd'], r['stepgrad'])} | {ratio(r['stepgrad'], r['floats'])} |"
        )

    n = 100_000
    ours_bytes = bytes_per_node(lambda: chain_graph(autograd.Value, n), n)
    ours_after = bytes_per_node(lambda: chain_graph_after_backward(autograd.Value, n), n)
    print("\n| 4. bytes per graph node (chain of 100,000) | stepgrad | micrograd 0.1.0 |")
    print("|---|---:|---:|")
    if have_micrograd:
        theirs_bytes = bytes_per_node(lambda: chain_graph(micrograd.engine.Value, n), n)
        print(f"| after forward | {ours_bytes:.0f} B | {theirs_bytes:.0f} B |")
    else:
        print(f"| after forward | {ours_bytes:.0f} B | not installed |")
    print(f"| after forward + backward (grads set) | {ours_after:.0f} B | – |")

    chain6 = next((r for name, r in rows if "1,000,000" in name), None)
    print("\nTargets")
    if have_micrograd:
        for name, target in (("unfused", 10), ("fused", 50), ("compiled", 150)):
            speedup = step["micrograd"] / step[name]
            print(
                f"  workload 1 {name} at ≥ {target}× micrograd: {speedup:.1f}× "
                f"{'PASS' if speedup >= target else 'FAIL'}"
            )
    floor_ratio = step["compiled"] / step["floats"]
    print(
        f"  compiled replay within 1.5× of plain floats: {floor_ratio:.2f}× "
        f"{'PASS' if floor_ratio <= 1.5 else 'FAIL'}"
    )
    print(
        f"  compiling the ~65,000-node graph ≤ 3 s: {compiled.compile_seconds:.2f} s "
        f"{'PASS' if compiled.compile_seconds <= 3 else 'FAIL'}"
    )
    toy_ratio = toy_compiled["stepgrad"] / toy_compiled["floats"]
    print(
        f"  toy model compiled ≤ 2.5× plain floats: {toy_ratio:.2f}× {'PASS' if toy_ratio <= 2.5 else 'FAIL'}"
    )
    print(f"  ≤ 200 bytes per node: {ours_bytes:.0f} B {'PASS' if ours_bytes <= 200 else 'FAIL'}")
    if chain6 is not None:
        seconds = chain6["stepgrad"]
        print(
            f"  10^6-node chain forward+backward ≤ 3 s: {seconds:.2f} s "
            f"{'PASS' if seconds <= 3 else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
