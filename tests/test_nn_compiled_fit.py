"""fit(compile=True): one sample's loss compiled once, run on mini-batches; the numbers of the
uncompiled path. Also the digits dataset and the seeded split."""

from __future__ import annotations

import math
import sys

import pytest

import nn
from autograd import Value


def _blobs(n: int, classes: int = 2):
    X, labels = nn.data.make_blobs(n, centers=classes, std=1.0, seed=4)
    return [[a / 8, b / 8] for a, b in X], labels


def _targets(loss: str, labels: list[int]) -> list:
    return {
        "hinge": [2 * t - 1 for t in labels],
        "bce": labels,
        "cross_entropy": labels,
        "mse": [float(t) for t in labels],
    }[loss]


def _trained(compiled: bool, loss: str, optimizer, batch_size, n=40, classes=2, epochs=4, l2=1e-3):
    X, labels = _blobs(n, classes)
    model = nn.MLP(2, [5, classes if loss == "cross_entropy" else 1], seed=5)
    history = nn.fit(
        model,
        X,
        _targets(loss, labels),
        loss=loss,
        optimizer=optimizer(model.parameters()),
        epochs=epochs,
        batch_size=batch_size,
        l2=l2,
        progress=False,
        compile=compiled,
    )
    return history, [p.data for p in model.parameters()]


@pytest.mark.parametrize("loss", ["hinge", "bce", "cross_entropy", "mse"])
@pytest.mark.parametrize("batch_size", [None, 16])
def test_sgd_training_gives_the_uncompiled_numbers(loss, batch_size):
    """40 samples in batches of 16 leave a last batch of 8: batch size is no part of the code."""
    classes = 3 if loss == "cross_entropy" else 2
    runs = [
        _trained(c, loss, lambda p: nn.SGD(p, 0.3, momentum=0.5), batch_size, classes=classes)
        for c in (False, True)
    ]
    (plain, plain_params), (fast, fast_params) = runs
    assert fast.loss == pytest.approx(plain.loss, rel=1e-12)
    assert fast.accuracy == plain.accuracy
    assert fast_params == pytest.approx(plain_params, rel=1e-12, abs=1e-14)


class _Recorder(nn.SGD):
    """An optimizer that only keeps each step's gradients."""

    def __init__(self, params) -> None:
        super().__init__(params, 0.1)
        self.seen: list[list[float]] = []

    def step(self) -> None:
        self.seen.append([p.grad for p in self.params])

    def step_arrays(self, data, grad) -> None:
        self.seen.append(list(grad))


def test_one_step_gives_the_uncompiled_gradients_for_every_loss():
    for loss in ("hinge", "bce", "cross_entropy", "mse"):
        grads = []
        for compiled in (False, True):
            X, labels = _blobs(13, 3 if loss == "cross_entropy" else 2)
            model = nn.MLP(2, [4, 3 if loss == "cross_entropy" else 1], seed=2)
            recorder = _Recorder(model.parameters())
            nn.fit(
                model,
                X,
                _targets(loss, labels),
                loss=loss,
                optimizer=recorder,
                epochs=1,
                batch_size=5,
                l2=0.01,
                progress=False,
                compile=compiled,
            )
            grads.append(recorder.seen)
        assert len(grads[0]) == len(grads[1]) == 3
        for plain, fast in zip(*grads):
            assert fast == pytest.approx(plain, rel=1e-12, abs=1e-15), loss


def test_a_custom_mean_loss_compiles_and_a_sum_is_refused():
    def mean_abs(outputs, targets):
        return sum((abs(o - t) for o, t in zip(outputs, targets)), Value(0.0)) * (
            1.0 / len(outputs)
        )

    X, labels = _blobs(12)
    results = []
    for compiled in (False, True):
        model = nn.MLP(2, [3, 1], seed=1)
        history = nn.fit(
            model, X, labels, loss=mean_abs, epochs=3, progress=False, compile=compiled
        )
        results.append(history.loss)
    assert results[1] == pytest.approx(results[0], rel=1e-12)
    model = nn.MLP(2, [3, 1], seed=1)
    with pytest.raises(ValueError, match="not a mean over samples"):
        nn.fit(model, X, labels, loss=nn.half_squared_error, epochs=1, compile=True)


def test_every_target_is_checked_not_only_the_recorded_one():
    X, labels = _blobs(12)
    hinge = [2 * t - 1 for t in labels]
    hinge[9] = 0
    with pytest.raises(ValueError, match=r"y\[9\] = 0; loss 'hinge' needs labels -1 or \+1"):
        nn.fit(nn.MLP(2, [3, 1]), X, hinge, loss="hinge", batch_size=4, compile=True)
    classes = list(labels)
    classes[7] = 5
    with pytest.raises(ValueError, match="target 5 is not a class index 0…1"):
        nn.fit(nn.MLP(2, [3, 2]), X, classes, loss="cross_entropy", batch_size=4, compile=True)


def test_the_model_is_recorded_and_compiled_once(monkeypatch):
    from autograd.compiler import batching

    built = []
    original = batching.BatchCompiled.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(batching.BatchCompiled, "__init__", counting)
    X, labels = _blobs(40, 3)
    model = nn.MLP(2, [4, 3], seed=1)
    nn.fit(model, X, labels, loss="cross_entropy", epochs=3, batch_size=7, compile=True)
    assert len(built) == 2  # the training step and the forward pass for the accuracy


def test_without_numpy_fit_runs_sample_by_sample_with_the_same_numbers(monkeypatch):
    with_numpy = _trained(True, "cross_entropy", lambda p: nn.Adam(p, 0.05), 8, n=21, classes=3)
    monkeypatch.setitem(sys.modules, "numpy", None)
    without = _trained(True, "cross_entropy", lambda p: nn.Adam(p, 0.05), 8, n=21, classes=3)
    assert without[0].loss == pytest.approx(with_numpy[0].loss, rel=1e-12)
    assert without[1] == pytest.approx(with_numpy[1], rel=1e-12, abs=1e-14)


class _Interrupted(nn.SGD):
    """SGD that is interrupted (as by Ctrl-C) at its third step."""

    def step_arrays(self, data, grad) -> None:
        self.steps = getattr(self, "steps", 0) + 1
        if self.steps == 3:
            raise KeyboardInterrupt
        super().step_arrays(data, grad)


def test_the_trained_numbers_reach_the_model_even_when_a_step_fails():
    X, labels = _blobs(10)
    model = nn.MLP(2, [3, 1], seed=1)
    before = [p.data for p in model.parameters()]
    with pytest.raises(KeyboardInterrupt):
        nn.fit(
            model,
            X,
            labels,
            loss="bce",
            epochs=5,
            compile=True,
            optimizer=_Interrupted(model.parameters(), 0.5),
        )
    after = [p.data for p in model.parameters()]
    assert after != before  # two steps of training were written back
    reference = nn.MLP(2, [3, 1], seed=1)
    nn.fit(
        reference, X, labels, loss="bce", epochs=2, optimizer=nn.SGD(reference.parameters(), 0.5)
    )
    assert after == pytest.approx([p.data for p in reference.parameters()], rel=1e-12)


def test_load_digits_and_a_seeded_split():
    X, labels = nn.data.load_digits()
    assert len(X) == len(labels) == 1797 and {len(row) for row in X} == {64}
    assert set(labels) == set(range(10)) and min(map(min, X)) == 0.0 and max(map(max, X)) == 1.0
    raw, _ = nn.data.load_digits(scale=False)
    assert raw[0][:8] == [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]  # the first image's top row
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, labels, 0.2, seed=0)
    assert len(X_test) == 360 and len(X_train) == 1437  # scikit-learn's sizes
    again = nn.data.train_test_split(X, labels, 0.2, seed=0)
    assert again == (X_train, X_test, y_train, y_test)
    assert nn.data.train_test_split(X, labels, 0.2, seed=1)[3] != y_test
    assert sorted(map(tuple, X_train + X_test)) == sorted(map(tuple, X))
    with pytest.raises(ValueError, match="test_fraction must lie between 0 and 1"):
        nn.data.train_test_split(X, labels, 1.5)


def test_load_digits_without_scikit_learn_says_how_to_get_it(monkeypatch):
    # both names: an earlier test may have imported sklearn.datasets already
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"pip install 'stepgrad\[datasets\]'"):
        nn.data.load_digits()


def test_digits_train_to_ninety_five_percent_held_out():
    """The issue's target, through the public API (a fast run: the bench times it)."""
    X, labels = nn.data.load_digits()
    X_train, X_test, y_train, y_test = nn.data.train_test_split(X, labels, 0.2, seed=0)
    model = nn.MLP(64, [32, 10], init="xavier_uniform", seed=0)
    history = nn.fit(
        model,
        X_train,
        y_train,
        loss="cross_entropy",
        optimizer=nn.Adam(model.parameters(), 0.01),
        epochs=15,
        batch_size=64,
        progress=False,
        compile=True,
    )
    assert history.accuracy[-1] > 0.97
    held_out = nn.train.accuracy([model(x) for x in X_test], y_test, "cross_entropy")
    assert held_out >= 0.95
    assert math.isfinite(history.loss[-1])


@pytest.mark.parametrize(
    "make",
    [
        lambda p: nn.SGD(p, 0.1, momentum=0.9, weight_decay=0.01),
        lambda p: nn.Adam(p, 0.05, weight_decay=0.01),
        lambda p: nn.AdamW(p, 0.05),
        lambda p: _Halving(p, 0.5),
    ],
)
def test_step_arrays_is_step_on_arrays(make):
    import numpy as np

    start, gradients = [0.5, -1.5, 2.0], [[0.1, -0.2, 0.3], [0.0, 0.5, -0.25], [1.0, 1.0, -1.0]]
    values = [Value(v) for v in start]
    on_values = make(values)
    data = np.array(start)
    on_arrays = make([Value(v) for v in start])
    for grad in gradients:
        for v, g in zip(values, grad):
            v.grad = g
        on_values.step()
        on_arrays.step_arrays(data, np.array(grad))
    assert data.tolist() == pytest.approx([v.data for v in values], rel=1e-15, abs=1e-15)


class _Halving(nn.Optimizer):
    """An optimizer of the user's own, with no array version: step_arrays goes through step."""

    def step(self) -> None:
        for p in self.params:
            p.data -= self.lr * p.grad
            p.data *= 0.5
