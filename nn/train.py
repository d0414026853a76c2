"""``fit``: a small training loop with a history and a progress bar."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm import trange

from autograd import Value, no_grad

from . import losses
from .compiled_fit import CompiledSteps
from .fit_checks import check_fit
from .losses import loss_function, predicted_class
from .module import Module
from .optim import SGD, Optimizer

__all__ = ["History", "fit", "accuracy"]


@dataclass
class History:
    """Per epoch: the mean training loss over the epoch's steps (including any L2 penalty), and
    the training accuracy after the epoch's last update (None for regression losses)."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)


def accuracy(outputs: Sequence[Any], targets: Sequence[Any], loss: str) -> float | None:
    """The fraction classified correctly, read the way ``loss`` reads outputs: the sign of a
    score for hinge (labels ±1), logit > 0 for bce (labels 0/1), the largest logit for
    cross_entropy. None for mse."""

    if loss == "hinge":
        hits = [predicted_class(o) == (1 if t > 0 else 0) for o, t in zip(outputs, targets)]
    elif loss == "bce":
        hits = [predicted_class(o) == (1 if t > 0.5 else 0) for o, t in zip(outputs, targets)]
    elif loss == "cross_entropy":
        hits = [predicted_class(o) == t for o, t in zip(outputs, targets)]
    else:
        return None
    return sum(hits) / len(hits)


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    *,
    loss: str | Callable[..., Value] = "hinge",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    l2: float = 0.0,
    lr_schedule: Callable[[int], float] | None = None,
    progress: bool | None = None,
    seed: int | None = 0,
    compile: bool = False,
) -> History:
    """Train ``model`` on ``(X, y)`` and return its :class:`History`.

    ``loss`` is "hinge" (labels ±1), "bce" (labels 0/1, outputs are logits), "cross_entropy"
    (integer classes, outputs are lists of logits), "mse", or a function ``(outputs, targets) ->
    Value``. ``optimizer`` defaults to SGD with lr 0.1. ``batch_size=None`` trains on the whole
    set each step; otherwise each epoch visits the examples in a shuffled order (seeded by
    ``seed``). ``l2`` adds l2·Σp² over the parameters. ``lr_schedule(epoch)`` sets the learning
    rate before each epoch, counting from 0. The progress bar (tqdm) shows when ``progress`` is
    True, or by default when the output is a terminal.

    Everything is checked before the first step (:func:`nn.fit_checks.check_fit`): the settings,
    every row of ``X`` (finite numbers, all of one length; an error names the row and column),
    every target (for "hinge" each label must be -1 or +1), and the rate ``lr_schedule`` gives
    for each epoch, which it is asked for once, up front. A bad one raises ``ValueError`` (or
    ``TypeError`` for the wrong kind of value) naming it, and the model is left untouched.

    ``compile=True`` records one sample's loss once, for this model and loss, with the sample's
    inputs and target as inputs of the graph, and compiles it to run on whole batches: with numpy
    installed as array code whose layers are matrix products, found by the compiler in the scalar
    graph (see :mod:`nn.compiled_fit`). The parameters stay in an array until fit returns. The
    numbers are those of the uncompiled path (to rounding); it is just much faster. The loss must
    be the mean of one loss per sample, as every named loss is.
    """
    # every setting and every row checked before any training; the schedule's rates too
    lr_schedule = check_fit(model, X, y, loss, optimizer, epochs, batch_size, l2, lr_schedule)
    loss_name = loss if isinstance(loss, str) else None
    loss_fn = loss_function(loss)
    params = model.parameters()
    optimizer = optimizer if optimizer is not None else SGD(params, lr=0.1)
    rng = random.Random(seed)
    history = History()
    order = list(range(len(X)))
    size = batch_size or len(X)
    compiled_steps = None
    if compile:
        compiled_steps = CompiledSteps(
            model, loss_fn, loss_name, params, l2, X, y, optimizer, accuracy
        )
    try:
        for epoch in trange(
            epochs,
            disable=None if progress is None else not progress,
            desc="fit",
            unit="epoch",
            leave=False,
            mininterval=1.0,
        ):
            if lr_schedule is not None:
                optimizer.lr = lr_schedule(epoch)
            if batch_size is not None:
                rng.shuffle(order)
            total, count = 0.0, 0
            for start in range(0, len(order), size):
                batch = order[start : start + size]
                if compiled_steps is not None:
                    loss_value = compiled_steps.step(batch)  # the update included
                else:
                    inputs, targets = [X[i] for i in batch], [y[i] for i in batch]
                    value = _batch_loss(
                        model, loss_fn, params, l2, [[Value(v) for v in r] for r in inputs], targets
                    )
                    optimizer.zero_grad()
                    value.backward()
                    loss_value = value.data
                    optimizer.step()
                total += loss_value * len(batch)
                count += len(batch)
            history.loss.append(total / count)
            if compiled_steps is not None:
                history.accuracy.append(compiled_steps.accuracy())
                continue
            with no_grad():
                history.accuracy.append(
                    accuracy([model(x) for x in X], y, loss_name) if loss_name else None
                )
    finally:
        if compiled_steps is not None:
            compiled_steps.finish()  # the trained numbers back into the model's Values
    return history


def _batch_loss(
    model: Module,
    loss_fn: Callable[..., Value],
    params: list[Value],
    l2: float,
    inputs: list[list[Value]],
    targets: list[Any],
) -> Value:
    """The loss of one batch (plus the L2 penalty), as a graph."""
    value = loss_fn([model(row) for row in inputs], targets)
    return value + losses.l2_penalty(params, l2) if l2 else value
