"""``fit``: a small training loop with a history and a progress bar."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from autograd import Value, no_grad

from . import losses
from .module import Module
from .optim import SGD, Optimizer
from .validate import check_fit

__all__ = ["History", "fit", "accuracy", "LOSSES"]

LOSSES: dict[str, Callable[..., Value]] = {
    "hinge": losses.hinge_loss,
    "bce": losses.binary_cross_entropy_with_logits,
    "cross_entropy": losses.cross_entropy,
    "mse": losses.mse_loss,
}


@dataclass
class History:
    """Per epoch: the mean training loss over the epoch's steps (including any L2 penalty), and
    the training accuracy after the epoch's last update (None for regression losses)."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)


def accuracy(outputs: Sequence, targets: Sequence, loss: str) -> float | None:
    """The fraction classified correctly, read the way ``loss`` reads outputs: the sign of a
    score for hinge (labels ±1), logit > 0 for bce (labels 0/1), the largest logit for
    cross_entropy. None for mse."""

    def number(v):
        return v.data if isinstance(v, Value) else v

    if loss == "hinge":
        hits = [(number(o) > 0) == (t > 0) for o, t in zip(outputs, targets)]
    elif loss == "bce":
        hits = [(number(o) > 0) == (t > 0.5) for o, t in zip(outputs, targets)]
    elif loss == "cross_entropy":
        hits = [
            max(range(len(o)), key=lambda j: number(o[j])) == t for o, t in zip(outputs, targets)
        ]
    else:
        return None
    return sum(hits) / len(hits)


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence,
    *,
    loss: str | Callable = "hinge",
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

    Everything is checked before the first step (:func:`nn.validate.check_fit`): the settings,
    every row of ``X`` (finite numbers, all of one length; an error names the row and column),
    every target (for "hinge" each label must be -1 or +1), and the rate ``lr_schedule`` gives
    for each epoch, which it is asked for once, up front. A bad one raises ``ValueError`` (or
    ``TypeError`` for the wrong kind of value) naming it, and the model is left untouched.

    ``compile=True`` builds the graph of a batch's loss once, compiles it to straight-line Python
    (see :mod:`autograd.compiler`) and reuses it for every batch of the same size, with the
    batch's inputs, targets and the parameters as its arguments. The numbers are those of the
    uncompiled path; it is just much faster. (For "cross_entropy" the graph depends on the class
    indices too, so each new combination of targets in a batch is compiled once.)
    """
    # every setting and every row checked before any training; the schedule's rates too
    lr_schedule = check_fit(model, X, y, loss, optimizer, epochs, batch_size, l2, lr_schedule)
    loss_name = loss if isinstance(loss, str) else None
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(
                f"unknown loss {loss!r}; choose one of {sorted(LOSSES)} or pass a function"
            )
        loss_fn = LOSSES[loss]
    else:
        loss_fn = loss
    params = model.parameters()
    optimizer = optimizer if optimizer is not None else SGD(params, lr=0.1)
    rng = random.Random(seed)
    history = History()
    from tqdm import trange  # imported here: only training needs it

    order = list(range(len(X)))
    size = batch_size or len(X)
    compiled_steps = _CompiledSteps(model, loss_fn, loss_name, params, l2) if compile else None
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
            inputs, targets = [X[i] for i in batch], [y[i] for i in batch]
            if compiled_steps is not None:
                loss_value = compiled_steps.gradients(inputs, targets)
            else:
                value = _batch_loss(
                    model, loss_fn, params, l2, [[Value(v) for v in row] for row in inputs], targets
                )
                optimizer.zero_grad()
                value.backward()
                loss_value = value.data
            optimizer.step()
            total += loss_value * len(batch)
            count += len(batch)
        history.loss.append(total / count)
        with no_grad():
            history.accuracy.append(
                accuracy([model(x) for x in X], y, loss_name) if loss_name else None
            )
    return history


def _batch_loss(
    model: Module,
    loss_fn: Callable,
    params: list[Value],
    l2: float,
    inputs: list[list[Value]],
    targets: list,
) -> Value:
    """The loss of one batch (plus the L2 penalty), as a graph."""
    value = loss_fn([model(row) for row in inputs], targets)
    return value + losses.l2_penalty(params, l2) if l2 else value


class _CompiledSteps:
    """The compiled loss-and-gradient functions of ``fit(compile=True)``, one per batch shape."""

    def __init__(
        self,
        model: Module,
        loss_fn: Callable,
        loss_name: str | None,
        params: list[Value],
        l2: float,
    ) -> None:
        self.model, self.loss_fn, self.params, self.l2 = model, loss_fn, params, l2
        self.targets_shape_graph = loss_name == "cross_entropy"  # targets pick the graph's nodes
        self.cache: dict[tuple, object] = {}

    def gradients(self, inputs: list[Sequence[float]], targets: list) -> float:
        """Set every parameter's ``grad`` for this batch; return the batch's loss."""
        key = (len(inputs), tuple(targets) if self.targets_shape_graph else None)
        compiled = self.cache.get(key)
        if compiled is None:
            compiled = self.cache[key] = self._compile(inputs, targets)
        flat = [p.data for p in self.params] + [v for row in inputs for v in row]
        if not self.targets_shape_graph:
            flat += [float(t) for t in targets]
        value, grads = compiled.raw(flat)
        for parameter, gradient in zip(self.params, grads):
            parameter.grad = gradient
        return value

    def _compile(self, inputs: list[Sequence[float]], targets: list):
        from autograd.compiler import compile_graph  # only compiled training needs it

        x_leaves = [
            [Value(v, f"x{i}_{j}") for j, v in enumerate(row)] for i, row in enumerate(inputs)
        ]
        y_leaves = (
            targets
            if self.targets_shape_graph
            else [Value(t, f"y{i}") for i, t in enumerate(targets)]
        )
        value = _batch_loss(self.model, self.loss_fn, self.params, self.l2, x_leaves, y_leaves)
        graph_inputs = self.params + [v for row in x_leaves for v in row]
        if not self.targets_shape_graph:
            graph_inputs += y_leaves
        return compile_graph(value, graph_inputs, wrt=self.params)
