"""Plots with matplotlib (the optional extra ``plot``: ``pip install -e '.[plot]'``).

matplotlib is imported when a function here is first called, not when ``nn`` is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import no_grad
from autograd.extras import require

from .losses import predicted_class
from .train import History

__all__ = ["plot_history", "plot_decision_boundary"]


def _pyplot() -> Any:
    return require("matplotlib.pyplot", feature="nn.plot", extra="plot", package="matplotlib")


def plot_history(history: History, ax: Any = None) -> Any:
    """Loss (left axis) and accuracy (right axis) per epoch. Returns the matplotlib Axes."""
    plt = _pyplot()
    ax = ax if ax is not None else plt.figure(figsize=(6, 3.5)).gca()
    epochs = range(1, len(history.loss) + 1)
    ax.plot(epochs, history.loss, color="tab:blue", label="loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss", color="tab:blue")
    if any(a is not None for a in history.accuracy):
        right = ax.twinx()
        right.plot(epochs, history.accuracy, color="tab:orange", label="accuracy")
        right.set_ylabel("accuracy", color="tab:orange")
        right.set_ylim(0, 1.05)
    return ax


def plot_decision_boundary(
    model: Any,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    ax: Any = None,
    resolution: int = 60,
    margin: float = 0.5,
) -> Any:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    The model's output is read as in ``nn.fit``: a score's sign for one output, the largest logit
    for several. Returns the matplotlib Axes.
    """
    plt = _pyplot()
    ax = ax if ax is not None else plt.figure(figsize=(5, 5)).gca()
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    x0, x1 = min(xs) - margin, max(xs) + margin
    y0, y1 = min(ys) - margin, max(ys) + margin
    grid_x = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    grid_y = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    with no_grad():
        classes = [[predicted_class(model([gx, gy])) for gx in grid_x] for gy in grid_y]
    ax.contourf(grid_x, grid_y, classes, alpha=0.3, cmap="coolwarm")
    ax.scatter(xs, ys, c=list(y), s=25, cmap="coolwarm", edgecolors="black", linewidths=0.5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax
