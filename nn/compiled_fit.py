"""``fit(compile=True)``: one sample's loss compiled once, run on whole mini-batches.

The loss of one sample is recorded once for the model and the loss function, with the sample's
inputs and its target as inputs of the graph (a class index becomes a one-hot vector, so the
graph does not depend on which class it is). The compiler writes it for arrays, one element per
sample (see :mod:`autograd.compiler.batching`), and finds the model's layers in it: each layer's
forward and backward pass become matrix products. Training then never builds a graph: the
parameters and their gradients stay in one array, and the optimizer updates that array
(``Optimizer.step_arrays``), until fit returns and the numbers go back into the model's Values.

There is no matrix code here: the matrices are the compiler's reading of the scalar graph.

Without numpy (an optional extra) the same recording is compiled to float code and run sample by
sample: slower, the same numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value, no_grad
from autograd.compiler import compile_recording, compile_recording_for_batches, record_graph
from autograd.extras import available

from . import losses
from .module import Module
from .optim import Optimizer

__all__ = ["CompiledSteps", "MEAN_LOSSES"]

MEAN_LOSSES = frozenset({"hinge", "bce", "cross_entropy", "mse"})
"""Losses known to be the mean of one loss per sample, which compiling one sample relies on."""


class CompiledSteps:
    """The compiled training step and accuracy of ``fit(compile=True)``.

    ``step(batch)`` computes the batch's loss and gradients and updates the parameters;
    ``accuracy()`` reads the model's outputs on every sample; ``finish()`` writes the numbers
    back into the model's Values.
    """

    def __init__(
        self,
        model: Module,
        loss_fn: Callable[..., Value],
        loss_name: str | None,
        params: list[Value],
        l2: float,
        X: Sequence[Sequence[float]],
        y: Sequence[Any],
        optimizer: Optimizer,
        read_accuracy: Callable[[Sequence[Any], Sequence[Any], str], float | None],
    ) -> None:
        self.params, self.optimizer, self.loss_name = params, optimizer, loss_name
        self.model, self.X, self.y = model, X, list(y)
        self.read_accuracy = read_accuracy  # fit's accuracy(outputs, targets, loss)
        width = len(X[0])
        x_leaves = [Value(float(v), f"x[{j}]") for j, v in enumerate(X[0])]
        if loss_name == "cross_entropy":
            with no_grad():
                classes = len(_as_list(model([float(v) for v in X[0]])))
            rows = [[1.0 if c == label else 0.0 for c in range(classes)] for label in y]
        else:
            rows = [_target_row(target, index) for index, target in enumerate(y)]
        t_leaves = [Value(v, f"y[{j}]") for j, v in enumerate(rows[0])]
        single_target = loss_name != "cross_entropy" and not isinstance(y[0], (list, tuple))
        _check_targets(model, loss_fn, X, y)
        if loss_name is None:
            _check_mean(model, loss_fn, X, y)

        def one_sample() -> tuple[Value, list[Value]]:
            outputs = model(x_leaves)
            target = t_leaves[0] if single_target else t_leaves
            value = loss_fn([outputs], [target])
            if l2:
                value = value + losses.l2_penalty(params, l2)
            return value, _as_list(outputs)

        try:
            recording = record_graph(one_sample, params + x_leaves + t_leaves, params)
        except TypeError as error:
            raise TypeError(
                f"fit(compile=True) records the loss of one sample with its target as an input; "
                f"this loss cannot take its target that way ({error})"
            ) from None
        self.width = width
        self.numpy = available("numpy")  # None: the float code runs sample by sample
        samples = [[float(v) for v in row] + target for row, target in zip(X, rows)]
        if self.numpy is not None:
            np = self.numpy
            batched = x_leaves + t_leaves
            self.train = compile_recording_for_batches(recording, params, batched)
            evaluation = dataclasses.replace(recording, wrt=[])
            self.evaluate = compile_recording_for_batches(evaluation, params, batched)
            self.theta = np.array([p.data for p in params], dtype=float)
            self.grad = np.zeros_like(self.theta)
            self.columns = np.ascontiguousarray(np.array(samples, dtype=float).T)
        else:
            self.float_step = compile_recording(recording)
            self.samples = samples

    def step(self, batch: list[int]) -> float:
        """One update from the samples at ``batch``; returns the batch's loss."""
        count = len(batch)
        if self.numpy is None:
            return self._float_step(batch)
        np = self.numpy
        columns = self.columns[:, batch]
        values, self.grad, _, _ = self.train.run(self.theta, columns, np.full(count, 1.0 / count))
        self.optimizer.step_arrays(self.theta, self.grad)
        return float(values.sum()) / count

    def _float_step(self, batch: list[int]) -> float:
        params = self.params
        totals = [0.0] * len(params)
        loss = 0.0
        scale = 1.0 / len(batch)
        for index in batch:
            value, grads = self.float_step.raw([p.data for p in params] + self.samples[index])
            loss += value
            for i, g in enumerate(grads):
                totals[i] += g
        for p, g in zip(params, totals):
            p.grad = g * scale
        self.optimizer.step()
        return loss * scale

    def accuracy(self) -> float | None:
        """The training accuracy with the current parameters, read as ``fit`` reads it (with
        numpy, the same reading on arrays: the sign of the score, the largest logit)."""
        if self.loss_name not in ("hinge", "bce", "cross_entropy"):
            return None
        if self.numpy is None:
            with no_grad():
                outputs = [self.model([float(v) for v in row]) for row in self.X]
            return self.read_accuracy(outputs, self.y, self.loss_name)
        np = self.numpy
        _, _, _, extras = self.evaluate.run(self.theta, self.columns)
        outputs = np.array(extras)  # one row per output, one column per sample
        targets = np.asarray(self.y, dtype=float)
        if self.loss_name == "hinge":
            hits = (outputs[0] > 0) == (targets > 0)
        elif self.loss_name == "bce":
            hits = (outputs[0] > 0) == (targets > 0.5)
        else:
            hits = outputs.argmax(axis=0) == targets
        return float(hits.mean())

    def finish(self) -> None:
        """Write the trained numbers (and the last gradients) back into the model's Values."""
        if self.numpy is None:
            return
        for p, number, gradient in zip(self.params, self.theta.tolist(), self.grad.tolist()):
            p.data, p.grad = number, gradient


def _as_list(outputs: Value | list[Value]) -> list[Value]:
    return outputs if isinstance(outputs, list) else [outputs]


def _target_row(target: Any, index: int) -> list[float]:
    if isinstance(target, (list, tuple)):
        return [float(t) for t in target]
    if isinstance(target, bool) or not isinstance(target, (int, float)):
        raise TypeError(f"fit(compile=True): target {index} is {target!r}, not a number")
    return [float(target)]


def _check_targets(
    model: Module, loss_fn: Callable[..., Value], X: Sequence[Sequence[float]], y: Sequence[Any]
) -> None:
    """Let the loss refuse any target it refuses (a hinge label of 0, a class index out of
    range), as it would in the batch that holds it: the compiled graph sees only one sample's
    target when it is recorded."""
    with no_grad():
        outputs = model([float(v) for v in X[0]])
        loss_fn([outputs] * len(y), list(y))


def _check_mean(
    model: Module, loss_fn: Callable[..., Value], X: Sequence[Sequence[float]], y: Sequence[Any]
) -> None:
    """Refuse a custom loss that is not the mean of its samples' losses: compiling one sample's
    loss and averaging it over a batch would give other numbers."""
    count = min(len(X), 3)
    with no_grad():
        outputs = [model([float(v) for v in row]) for row in X[:count]]
        together = loss_fn(outputs, list(y[:count])).data
        apart = sum(loss_fn([o], [t]).data for o, t in zip(outputs, y[:count])) / count
    if abs(together - apart) > 1e-9 * max(1.0, abs(together)):
        raise ValueError(
            f"fit(compile=True) compiles one sample's loss and averages it over each batch, but "
            f"this loss is not a mean over samples (on {count} samples it gives {together!r} "
            f"together and {apart!r} as the mean of each alone); train without compile"
        )
