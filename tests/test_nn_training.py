"""Datasets, fit, diagnostics and plots."""

from __future__ import annotations

import math

import pytest

import nn


@pytest.mark.parametrize(
    "make",
    [
        nn.data.make_moons,
        nn.data.make_circles,
        nn.data.make_spirals,
        nn.data.make_xor,
        nn.data.make_blobs,
    ],
)
def test_datasets_are_deterministic_lists(make):
    X, y = make(60, seed=3)
    assert (X, y) == make(60, seed=3) and (X, y) != make(60, seed=4)
    assert len(X) == len(y) == 60 and all(len(p) == 2 for p in X)
    assert isinstance(X, list) and all(isinstance(t, int) for t in y)
    assert len(set(y)) >= 2


def test_two_moons_with_micrograds_recipe():
    """MLP 2-16-16-1 relu, hinge + 1e-4 L2, SGD with lr decaying from 1.0 to 0.1 over 100 steps."""
    X, labels = nn.data.make_moons(100, noise=0.1, seed=1)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=1)
    history = nn.fit(
        model,
        X,
        y,
        loss="hinge",
        optimizer=nn.SGD(model.parameters(), lr=1.0),
        epochs=100,
        l2=1e-4,
        lr_schedule=lambda k: 1.0 - 0.9 * k / 100,
        progress=False,
    )
    assert history.accuracy[-1] >= 0.97
    assert history.loss[-1] < history.loss[0]


def test_fit_with_minibatches_bce_and_adam():
    X, y = nn.data.make_xor(80, seed=0)
    model = nn.MLP(2, [8, 1], activation="tanh", seed=0)
    history = nn.fit(
        model,
        X,
        y,
        loss="bce",
        optimizer=nn.Adam(model.parameters(), lr=0.05),
        epochs=40,
        batch_size=16,
        progress=False,
    )
    assert len(history.loss) == 40 and history.accuracy[-1] >= 0.95


def test_fit_cross_entropy_on_blobs():
    X, y = nn.data.make_blobs(60, centers=3, std=0.5, seed=0)
    X = [[a / 10, b / 10] for a, b in X]
    model = nn.MLP(2, [8, 3], seed=0)
    history = nn.fit(
        model,
        X,
        y,
        loss="cross_entropy",
        optimizer=nn.Adam(model.parameters(), 0.05),
        epochs=30,
        progress=False,
    )
    assert history.accuracy[-1] >= 0.9


def test_progress_bar_only_on_a_terminal_or_when_asked(capsys):
    X, labels = nn.data.make_xor(8, seed=0)
    nn.fit(nn.MLP(2, [2, 1], seed=0), X, labels, loss="bce", epochs=2)  # stderr is not a terminal
    assert capsys.readouterr().err == ""
    nn.fit(nn.MLP(2, [2, 1], seed=0), X, labels, loss="bce", epochs=2, progress=True)
    assert "fit" in capsys.readouterr().err


def test_fit_rejects_unknown_loss():
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        nn.fit(nn.MLP(2, [1]), [[0.0, 0.0]], [1], loss="l1", progress=False)


def prince_experiment(depth: int, variance: float) -> list[nn.diagnostics.LayerStatistics]:
    """Prince ch. 7: a deep relu net of width 30, weights N(0, variance), MSE on random data."""
    model = nn.MLP(
        30,
        [30] * depth + [1],
        activation="relu",
        init=nn.init.normal(std=math.sqrt(variance)),
        seed=0,
    )
    X, _ = nn.data.make_blobs(20, centers=1, seed=1)
    X = [[x[i % 2] / 10 + 0.1 * i for i in range(30)] for x in X]
    recording = nn.diagnostics.record_activations(model, X)
    nn.mse_loss(recording.outputs, [0.0] * len(X)).backward()
    return recording.statistics()


def test_diagnostics_show_he_init_keeps_the_spread_and_others_do_not():
    depth = 12
    he = prince_experiment(depth, 2 / 30)
    small = prince_experiment(depth, 0.5 / 30)
    large = prince_experiment(depth, 8 / 30)
    ratio = lambda rows: rows[depth - 1].activation_std / rows[0].activation_std  # noqa: E731
    assert 0.1 < ratio(he) < 10
    assert ratio(small) < 0.05 and ratio(large) > 20
    grad_ratio = lambda rows: rows[0].gradient_std / rows[depth - 1].gradient_std  # noqa: E731
    assert grad_ratio(small) < 0.05 and grad_ratio(large) > 20
    assert all(row.weight_gradient_norm >= 0 for row in he) and he[0].layer == "L1"


def test_plots_draw(tmp_path):
    import matplotlib  # a test dependency: this test must run, not skip

    matplotlib.use("Agg")
    X, labels = nn.data.make_moons(40, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, X, [2 * t - 1 for t in labels], epochs=3, progress=False)
    ax = nn.plot.plot_history(history)
    ax.figure.savefig(tmp_path / "history.png")
    ax = nn.plot.plot_decision_boundary(model, X, labels, resolution=15)
    ax.figure.savefig(tmp_path / "boundary.png")
    assert (tmp_path / "history.png").stat().st_size > 1000
    assert (tmp_path / "boundary.png").stat().st_size > 1000
