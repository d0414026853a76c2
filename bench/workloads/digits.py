"""Handwritten digits: a 64-32-10 tanh MLP with softmax cross-entropy, trained by ``nn.fit``.

The 8×8 digits (``nn.data.load_digits``, 1,437 training images after a seeded 80/20 split) and
one network of scalar Values, three ways against a hand-written numpy matrix step of the same
network on the same batch (forward, backward and SGD update, Nielsen's ``backprop`` for softmax
cross-entropy):

- stepgrad compiled: the step ``nn.fit(..., compile=True)`` runs for each mini-batch (one sample's
  loss recorded once, run on the batch as array code whose layers the compiler turned into matrix
  products), batch 256; also the time to record and compile it;
- stepgrad straight-line: the same recording compiled without grouping, one array statement per
  scalar node, run on the whole training set (batch 1,437) — what the compiler gives a graph that
  has no shared-input dot nodes;
- stepgrad pure Python: the compiled step without numpy, the float code sample by sample, batch
  256;
- the whole run: load the digits, split, and ``nn.fit`` 15 epochs (Adam, batches of 64) to over
  95% held-out accuracy, in one process, timed from the first import.

numpy runs on one BLAS thread (``OPENBLAS_NUM_THREADS=1`` and friends are set before numpy is
imported), so the matrix step is not helped by the second core the others cannot use.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # before numpy is imported, in this process

import random  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from bench import harness  # noqa: E402

TITLE = "Workload 5: handwritten digits, a 64-32-10 MLP (issue 14)"
ORDER = 5
CONTENDERS = {
    "numpy": "hand-written numpy matrix step (one BLAS thread)",
    "compiled": "stepgrad, `fit(compile=True)`'s step (matrix products found by the compiler)",
    "straight_line": "stepgrad, compiled without grouping (straight-line array code)",
    "python": "stepgrad, compiled step without numpy (float code, sample by sample)",
    "run": "stepgrad, the whole run to 95% held out through `nn.fit`",
}
SIZES = [32, 10]
BATCH, WHOLE = 256, 1437
STEPS = {"full": 20, "quick": 8, "smoke": 2}
TARGETS = {
    "compiled step ≤ 4× the numpy step (batch 256)": 4.0,
    "straight-line ≤ 10× the numpy step (batch 1,437)": 10.0,
}


def _data(scale: str) -> tuple[list[list[float]], list[int], list[list[float]], list[int]]:
    import nn

    X, labels = nn.data.load_digits()
    if scale == "smoke":
        X, labels = X[:120], labels[:120]
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, labels, 0.2, seed=0)
    return X_train, y_train, X_test, y_test


def _batches(count: int, size: int, steps: int) -> list[list[int]]:
    rng = random.Random(0)
    order = list(range(count))
    found = []
    for _ in range(steps):
        rng.shuffle(order)
        found.append(order[: min(size, count)])
    return found


def _mean_step(step: Any, batches: list[list[int]]) -> float:
    step(batches[0])  # a first call warms caches; a training loop pays it once
    start = time.perf_counter()
    for batch in batches[1:]:
        step(batch)
    return (time.perf_counter() - start) / max(1, len(batches) - 1)


def _compiled_steps(X: list[list[float]], y: list[int]) -> tuple[Any, float]:
    """The object ``nn.fit(..., compile=True)`` steps with, and the time to make it."""
    import nn
    from nn.compiled_fit import CompiledSteps

    model = nn.MLP(64, SIZES, init="xavier_uniform", seed=0)
    params = model.parameters()
    start = time.perf_counter()
    steps = CompiledSteps(
        model,
        nn.cross_entropy,
        "cross_entropy",
        params,
        0.0,
        X,
        y,
        nn.SGD(params, 0.1),
        nn.train.accuracy,
    )
    return steps, time.perf_counter() - start


class NumpyMLP:
    """The same network as matrices, forward and backward written by hand (Nielsen's ch. 2),
    with the SGD update: what the compiler's grouped code is compared with."""

    def __init__(self, X: list[list[float]], y: list[int]) -> None:
        import numpy as np

        self.np = np
        rng = np.random.default_rng(0)
        self.X = np.array(X)
        self.Y = np.eye(10)[np.array(y)]
        self.W1, self.b1 = rng.normal(0, 0.2, (32, 64)), np.zeros(32)
        self.W2, self.b2 = rng.normal(0, 0.2, (10, 32)), np.zeros(10)

    def step(self, batch: list[int]) -> float:
        np = self.np
        X, Y = self.X[batch], self.Y[batch]
        H = np.tanh(X @ self.W1.T + self.b1)
        Z = H @ self.W2.T + self.b2
        top = Z.max(axis=1, keepdims=True)
        shifted = np.exp(Z - top)
        lse = top[:, 0] + np.log(shifted.sum(axis=1))
        loss = float((lse - (Y * Z).sum(axis=1)).mean())
        dZ = (np.exp(Z - lse[:, None]) - Y) / len(batch)
        dW2, db2 = dZ.T @ H, dZ.sum(axis=0)
        dA = (dZ @ self.W2) * (1.0 - H * H)
        dW1, db1 = dA.T @ X, dA.sum(axis=0)
        for parameter, gradient in ((self.W1, dW1), (self.b1, db1), (self.W2, dW2), (self.b2, db2)):
            parameter -= 0.1 * gradient
        return loss


def measure(contender: str, scale: str) -> dict[str, float | str]:
    started = time.perf_counter()
    if contender == "run":
        return _whole_run(scale, started)
    X, y, _, _ = _data(scale)
    count = STEPS[scale]
    batch = 32 if scale == "smoke" else BATCH
    whole = len(X) if scale == "smoke" else WHOLE
    if contender == "numpy":
        mlp = NumpyMLP(X, y)
        return {
            "step 256": _mean_step(mlp.step, _batches(len(X), batch, count)),
            "step 1437": _mean_step(mlp.step, _batches(len(X), whole, count)),
        }
    if contender == "compiled":
        steps, seconds = _compiled_steps(X, y)
        return {
            "step 256": _mean_step(steps.step, _batches(len(X), batch, count)),
            "compile": seconds,
        }
    if contender == "straight_line":
        steps, _ = _compiled_steps(X, y)
        from autograd.compiler.batching import BatchCompiled

        train = steps.train
        straight = BatchCompiled(train.recording, train.shared, train.batched_inputs, group=False)
        steps.train = straight
        return {"step 1437": _mean_step(steps.step, _batches(len(X), whole, max(2, count // 4)))}
    if contender == "python":
        import sys

        numpy = sys.modules.get("numpy")
        sys.modules["numpy"] = None  # type: ignore[assignment]  # as if numpy were not installed
        try:
            steps, _ = _compiled_steps(X, y)
        finally:
            if numpy is None:
                del sys.modules["numpy"]
            else:
                sys.modules["numpy"] = numpy
        return {"step 256": _mean_step(steps.step, _batches(len(X), batch, max(2, count // 4)))}
    raise ValueError(f"unknown contender {contender!r}")


def _whole_run(scale: str, started: float) -> dict[str, float | str]:
    import nn

    X, y, X_test, y_test = _data(scale)
    model = nn.MLP(64, SIZES, init="xavier_uniform", seed=0)
    fit_start = time.perf_counter()
    nn.fit(
        model,
        X,
        y,
        loss="cross_entropy",
        optimizer=nn.Adam(model.parameters(), 0.01),
        epochs=1 if scale == "smoke" else 15,
        batch_size=64,
        progress=False,
        compile=True,
    )
    fit_seconds = time.perf_counter() - fit_start
    held_out = nn.train.accuracy([model(x) for x in X_test], y_test, "cross_entropy")
    return {
        "run": time.perf_counter() - started,
        "fit": fit_seconds,
        "held-out accuracy": float(held_out or 0.0),
    }


def report(results: harness.Results) -> str:
    lines = [
        harness.header(results),
        "| contender | batch 256 | batch 1,437 | vs numpy, same batch |",
        "|---|---:|---:|---:|",
    ]
    for name in ("numpy", "compiled", "straight_line", "python"):
        ratio = "–"
        for metric in ("step 256", "step 1437"):
            if results.values(name, metric) and name != "numpy":
                ratio = harness.ratio_cell(results, name, "numpy", metric)
        lines.append(
            f"| {results.contenders[name]} | {harness.time_cell(results, name, 'step 256')} | "
            f"{harness.time_cell(results, name, 'step 1437')} | {ratio} |"
        )
    compile_times = results.values("compiled", "compile")
    runs = results.values("run", "run")
    fits = results.values("run", "fit")
    accuracy = results.values("run", "held-out accuracy")
    lines += [
        "",
        "A step is forward, backward and the SGD update of every parameter, the mean over "
        "consecutive steps on shuffled batches; cells show "
        f"{harness.SPREAD}; ratios are taken within each round.",
        f"Recording and compiling the network with its loss (for training and for the accuracy "
        f"pass): {harness.spread(compile_times, lambda s: f'{s:.2f}', ' s')}.",
        f"The whole run (imports, loading the digits, 15 epochs of `nn.fit(compile=True)`, the "
        f"held-out accuracy): {harness.spread(runs, lambda s: f'{s:.1f}', ' s')}, of which fit "
        f"{harness.spread(fits, lambda s: f'{s:.1f}', ' s')}; held-out accuracy "
        f"{harness.spread(accuracy, lambda a: f'{a:.3f}')}.",
        "",
        "Targets (issue 14):",
    ]
    for (what, limit), (name, metric) in zip(
        TARGETS.items(), (("compiled", "step 256"), ("straight_line", "step 1437"))
    ):
        ratio = harness.median_ratio(results, name, "numpy", metric)
        lines.append(
            harness.target_line(
                what, ratio, f"≤ {limit:g}×", None if ratio is None else ratio <= limit
            )
        )
    median = lambda values: sorted(values)[len(values) // 2] if values else None  # noqa: E731
    seconds = median(compile_times)
    lines.append(
        harness.target_line(
            "compiling 64-32-10 + loss (s)",
            seconds,
            "≤ 2 s",
            None if seconds is None else seconds <= 2,
        )
    )
    run, held_out = median(runs), median(accuracy)
    met = None if run is None or held_out is None else run <= 30 and held_out >= 0.95
    lines.append(harness.target_line("the whole run to ≥ 95% held out (s)", run, "≤ 30 s", met))
    return "\n".join(lines) + "\n"
