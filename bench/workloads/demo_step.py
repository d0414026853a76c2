"""micrograd's demo training step, as a user's loop runs it.

The loop body of micrograd's ``demo.ipynb``: an MLP(2, [16, 16, 1]) with relu hidden layers on 100
two-moons points, the hinge ("max-margin") loss plus 1e-4·Σp², the accuracy, ``zero_grad``,
``backward`` and the SGD update with micrograd's learning-rate schedule. :func:`demo_step` is that
body, written once: the same code runs on micrograd and on stepgrad, which differ only in the names
the adapter (``bench/engines.py``) gives. (The demo's ``print`` is left out: it times the terminal.)

Each process builds its model and then runs ``STEPS`` consecutive steps, as the first steps of a
training loop do; the headline time is the mean step. Every engine starts from the same weights,
and the first step's loss is returned so a test can check that all contenders compute the same
thing.

Contenders:

- stepgrad unfused: one node per multiply and per addition, as micrograd builds it;
- stepgrad fused (the default): one ``dot`` node per neuron;
- stepgrad compiled: the step's graph compiled once with ``compile_graph`` and replayed on floats
  (the compile time is reported separately, not in the step);
- stepgrad ``fit(compile=True)``: the same training through ``nn.fit`` (one step per epoch, the
  whole set as the batch), timed from one update to the next; the first step, which compiles, is
  reported separately; the others include what fit adds to a step, e.g. its accuracy pass;
- micrograd 0.1.0;
- plain floats: the same arithmetic on floats with the backward pass written out by hand, the floor.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable

from bench import engines, harness

TITLE = "Workload 1: micrograd's demo training step"
ORDER = 1
CONTENDERS = {
    "unfused": "stepgrad, unfused (one node per multiply)",
    "fused": "stepgrad, fused neurons (the default)",
    "compiled": "stepgrad, compiled replay",
    "fit_compiled": "stepgrad, `nn.fit(compile=True)`",
    "micrograd": "micrograd 0.1.0",
    "floats": "plain floats, hand-written backward",
}
SIZES = [16, 16, 1]
ALPHA = 1e-4
STEPS = 5
"""Consecutive steps per process, the start of a training loop (micrograd's demo runs 100)."""
TARGETS = {"unfused": 10.0, "fused": 50.0, "fit_compiled": 150.0}
"""Speed over micrograd that issue 14 asks for."""


def data(scale: str) -> tuple[list[list[float]], list[int]]:
    """Two moons (as ``nn.data.make_moons(100, noise=0.1, seed=1)``, computed here so that the
    micrograd process never imports stepgrad: a bigger heap would slow its garbage collector)."""
    n, rng = (10 if scale == "smoke" else 100), random.Random(1)
    ts = [math.pi * i / (n // 2 - 1) for i in range(n // 2)]
    points = [[math.cos(t), math.sin(t)] for t in ts]
    points += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in ts]
    points = [[a + rng.gauss(0.0, 0.1), b + rng.gauss(0.0, 0.1)] for a, b in points]
    order = list(range(n))
    rng.shuffle(order)
    labels = [0] * (n // 2) + [1] * (n // 2)
    return [points[i] for i in order], [2 * labels[i] - 1 for i in order]  # hinge: -1 / +1


def weights() -> list[float]:
    """The starting parameters every contender uses, in ``parameters()`` order (each neuron's
    weights, then its bias): U(-1, 1) weights and zero biases, as micrograd and nn.MLP draw them."""
    rng = random.Random(1)
    found: list[float] = []
    for nin, nout in itertools.pairwise([2, *SIZES]):
        for _ in range(nout):
            found += [rng.uniform(-1.0, 1.0) for _ in range(nin)] + [0.0]
    return found


def demo_step(
    engine: engines.Engine, model: object, X: list, Y: list, k: int
) -> tuple[object, float]:
    """One step of micrograd's demo loop, for either engine: returns the loss (the graph's output,
    which the demo's loop keeps until the next step replaces it) and the accuracy."""
    Value = engine.Value
    inputs = [list(map(Value, xrow)) for xrow in X]
    # forward the model to get scores
    scores = list(map(model, inputs))
    # svm "max-margin" loss
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    # also get accuracy
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(Y, scores)]
    # backward
    model.zero_grad()
    total_loss.backward()
    # update (sgd)
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss, sum(accuracy) / len(accuracy)


def _steps(
    step: Callable[[int], tuple[object, float]], count: int
) -> tuple[list[float], list[float]]:
    """Run ``count`` consecutive steps; the seconds and the loss of each.

    As in micrograd's demo, each step's loss (and with it the step's graph) stays alive until the
    next step's replaces it: a garbage collection during a step sees the previous graph too.
    """
    seconds, losses = [], []
    for k in range(count):
        start = time.perf_counter()
        loss, _ = step(k)
        seconds.append(time.perf_counter() - start)
        losses.append(getattr(loss, "data", loss))
    return seconds, losses


def measure(contender: str, scale: str) -> dict[str, float | str]:
    X, Y = data(scale)
    steps = 2 if scale == "smoke" else STEPS
    start_weights = weights()
    extra: dict[str, float | str] = {}
    if contender in ("unfused", "fused", "micrograd"):
        engine = (
            engines.micrograd()
            if contender == "micrograd"
            else engines.stepgrad(fused=contender == "fused")
        )
        model = engines.same_weights(engine.mlp(2, SIZES), start_weights)
        seconds, losses = _steps(lambda k: demo_step(engine, model, X, Y, k), steps)
    elif contender == "compiled":
        step, extra["compile"] = _compiled_step(X, Y, start_weights)
        seconds, losses = _steps(step, steps)
    elif contender == "fit_compiled":
        seconds, losses = _fit_steps(X, Y, start_weights, steps + 1)
        extra["first step (compiles)"] = seconds.pop(0)
        losses.pop()
    elif contender == "floats":
        floats = FloatMLP(start_weights)
        seconds, losses = _steps(lambda k: floats.step(X, Y, k), steps)
    else:
        raise ValueError(f"unknown contender {contender!r}")
    return {
        "step": sum(seconds) / len(seconds),
        **extra,
        **{f"step {k}": s for k, s in enumerate(seconds, 1)},
        "first loss": losses[0],
        "last loss": losses[-1],
    }


def _compiled_step(
    X: list, Y: list, weights: list[float]
) -> tuple[Callable[[int], tuple[float, float]], float]:
    """The demo's loss graph, built once on Values and compiled; a step replays it on floats."""
    import autograd
    import nn
    from autograd.compiler import compile_graph

    model = engines.same_weights(nn.MLP(2, SIZES, activation="relu", seed=1), weights)
    params = model.parameters()
    inputs = [[autograd.Value(v, f"x{i}_{j}") for j, v in enumerate(r)] for i, r in enumerate(X)]
    losses = [(1 + -yi * score).relu() for yi, score in zip(Y, map(model, inputs))]
    total = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
    start = time.perf_counter()
    compiled = compile_graph(total, params + [v for row in inputs for v in row], wrt=params)
    compile_seconds = time.perf_counter() - start
    flat_x = [v for row in X for v in row]

    def step(k: int) -> tuple[float, float]:
        loss, grads = compiled.raw([p.data for p in params] + flat_x)
        learning_rate = 1.0 - 0.9 * k / 100
        for p, g in zip(params, grads):
            p.grad = g
            p.data -= learning_rate * g
        return loss, float("nan")

    return step, compile_seconds


def _fit_steps(
    X: list, Y: list, weights: list[float], epochs: int
) -> tuple[list[float], list[float]]:
    """``nn.fit(..., compile=True)`` over the whole set (one step per epoch), timed per epoch by
    an SGD that notes the time of each update. Compiled training updates the parameters as one
    array, through ``Optimizer.step_arrays``; the learning-rate schedule cannot time epochs, since
    fit asks it for every epoch's rate up front. The first interval (fit's checks, compiling and
    the first step) is returned first; each later one is a whole epoch: fit's accuracy pass over
    the set after an update, then the next step's gradients and update."""
    import nn

    model = engines.same_weights(nn.MLP(2, SIZES, activation="relu", seed=1), weights)

    class TimedSGD(nn.SGD):
        def step(self) -> None:
            super().step()
            stamps.append(time.perf_counter())

        def step_arrays(self, data: object, grad: object) -> None:
            super().step_arrays(data, grad)
            stamps.append(time.perf_counter())

    stamps = [time.perf_counter()]
    history = nn.fit(
        model,
        X,
        Y,
        loss="hinge",
        l2=ALPHA,
        epochs=epochs,
        optimizer=TimedSGD(model.parameters(), lr=1.0),
        lr_schedule=lambda epoch: 1.0 - 0.9 * epoch / 100,  # micrograd's schedule
        compile=True,
        progress=False,
    )
    return [b - a for a, b in itertools.pairwise(stamps)], history.loss


class FloatMLP:
    """The same MLP on plain floats, with its backward pass written by hand: the floor."""

    def __init__(self, weights: list[float]) -> None:
        sizes = [2, *SIZES]
        numbers = iter(weights)
        self.W: list[list[list[float]]] = []
        self.b: list[list[float]] = []
        for nin, nout in itertools.pairwise(sizes):
            rows, biases = [], []
            for _ in range(nout):
                rows.append([next(numbers) for _ in range(nin)])
                biases.append(next(numbers))
            self.W.append(rows)
            self.b.append(biases)

    def step(self, X: list, Y: list, k: int) -> tuple[float, float]:
        W, b = self.W, self.b
        dW = [[[0.0] * len(row) for row in layer] for layer in W]
        db = [[0.0] * len(layer) for layer in b]
        n = len(X)
        loss, correct = 0.0, 0
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
            score = acts[-1][0]
            correct += (y > 0) == (score > 0)
            margin = 1.0 - y * score
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
        learning_rate = 1.0 - 0.9 * k / 100
        for layer in range(3):
            for j, row in enumerate(W[layer]):
                for i, w in enumerate(row):
                    loss += ALPHA * w * w
                    row[i] = w - learning_rate * (dW[layer][j][i] + 2 * ALPHA * w)
                loss += ALPHA * b[layer][j] ** 2
                b[layer][j] -= learning_rate * (db[layer][j] + 2 * ALPHA * b[layer][j])
        return loss, correct / n


def loss_agreement(results: harness.Results) -> float | None:
    """The largest difference between two contenders' first (or last) losses in a round."""
    spreads = []
    for round_ in results.rounds:
        for metric in ("first loss", "last loss"):
            found = [m[metric] for m in round_.values() if isinstance(m.get(metric), float)]
            if len(found) > 1:
                spreads.append(max(found) - min(found))  # type: ignore[type-var,operator]
    return max(spreads) if spreads else None


def report(results: harness.Results) -> str:
    lines = [
        harness.header(results),
        "| path | time per step | speed vs micrograd | time vs plain floats |",
        "|---|---:|---:|---:|",
    ]
    for name, label in results.contenders.items():
        lines.append(
            f"| {label} | {harness.time_cell(results, name, 'step')} | "
            f"{harness.ratio_cell(results, 'micrograd', name, 'step')} | "
            f"{harness.ratio_cell(results, name, 'floats', 'step')} |"
        )
    lines.append("")
    lines.append(
        f"Each process builds the model, then times {STEPS} consecutive steps (their mean). A cell "
        f"is {harness.SPREAD}; ratios are taken within each round."
    )
    compile_times = results.values("compiled", "compile")
    fit_first = results.values("fit_compiled", "first step (compiles)")
    if compile_times or fit_first:
        lines.append(
            f"Compiling the step's graph: {harness.spread(compile_times, harness.milliseconds, ' ms')} "
            f"with `compile_graph`; `fit(compile=True)`'s first step, which compiles, "
            f"{harness.spread(fit_first, harness.milliseconds, ' ms')}."
        )
    agreement = loss_agreement(results)
    if agreement is not None:
        lines.append(
            f"Every contender starts from the same weights; their losses agree to {agreement:.1e} "
            f"at the first step and at step {STEPS}."
        )
    lines.append("")
    lines.append("Targets (issue 14):")
    for name, target in TARGETS.items():
        speed = harness.median_ratio(results, "micrograd", name, "step")
        lines.append(
            harness.target_line(
                f"{results.contenders[name]} vs micrograd",
                speed,
                f"≥ {target:g}×",
                None if speed is None else speed >= target,
            )
        )
    return "\n".join(lines) + "\n"
