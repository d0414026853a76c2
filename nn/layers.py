"""Neurons, layers and multi-layer perceptrons, built from :class:`autograd.Value`.

Attribute names follow micrograd (``model.layers``, ``layer.neurons``, ``neuron.w``, ``neuron.b``)
and parameters carry readable labels such as ``L1.N3.w2`` (layer 1, neuron 3, weight 2, counting
from 1 as the textbooks do), so drawings and traces of a network can be read.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence

from autograd import Value, dot

from .activations import Activation, resolve_activation
from .init import Initializer, resolve_init
from .module import Module
from .validate import count

__all__ = ["Neuron", "Layer", "MLP", "Grouping"]

Grouping = Callable[[Value], "str | None"]

Inputs = Sequence[Value | float]


class Neuron(Module):
    """One neuron: ``activation(Σᵢ wᵢ·xᵢ + b)``, with weights from ``init`` and bias 0.

    ``fused=True`` (the default) computes the weighted sum as one ``dot`` node, whose local
    derivatives are the other vector's values; ``fused=False`` builds it from one node per multiply
    and per addition, as micrograd does, for the lesson that needs to see them.
    """

    def __init__(
        self,
        nin: int,
        activation: str | Activation | None = "tanh",
        *,
        init: str | Initializer = "uniform",
        rng: random.Random | None = None,
        fan_out: int = 1,
        label: str = "N1",
        fused: bool = True,
    ) -> None:
        count("Neuron", "nin (its number of inputs)", nin, at_least=1)
        initializer = resolve_init(init)
        rng = rng if rng is not None else random.Random()
        self.label = label
        self.fused = fused
        self.activation = resolve_activation(activation)
        self.w = [Value(initializer(nin, fan_out, rng), f"{label}.w{i}") for i in range(1, nin + 1)]
        self.b = Value(0.0, f"{label}.b")

    @property
    def label(self) -> str:
        """The neuron's name (``L1.N3``): its output's label; its weighted input is ``L1.N3.z``."""
        return self._label

    @label.setter
    def label(self, label: str) -> None:
        # The weighted input's label is made here once, not by an f-string on every call.
        self._label, self._z_label = label, f"{label}.z"

    def __call__(self, x: Inputs) -> Value:
        w = self.w
        if len(x) != len(w):
            raise ValueError(f"neuron {self._label} takes {len(w)} inputs, got {len(x)}")
        if self.fused:
            pre_activation = dot(w, x, self.b)
        else:
            pre_activation = self.b  # b + w1·x1 + w2·x2 + …, one node per operation
            for wi, xi in zip(w, x):
                pre_activation = pre_activation + wi * xi
        out = self.activation(pre_activation)
        if out is not pre_activation and not pre_activation.label:
            pre_activation.label = self._z_label  # the weighted input z, as textbooks write
        if not out.label:
            out.label = self._label  # so traces and drawings can name (and collapse) the neuron
        return out

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, w in enumerate(self.w):
            yield f"w.{i}", w
        yield "b", self.b

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={_name(self.activation)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs. Calling it always returns a list, even of one
    Value, so a one-neuron hidden layer feeds the next layer like any other (micrograd's Layer
    returns a bare Value there, and the next layer breaks)."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | Activation | None = "tanh",
        *,
        init: str | Initializer = "uniform",
        rng: random.Random | None = None,
        label: str = "L1",
        fused: bool = True,
    ) -> None:
        count("Layer", "nout (its number of neurons)", nout, at_least=1)
        rng = rng if rng is not None else random.Random()
        self.label = label
        self.neurons = [
            Neuron(
                nin,
                activation,
                init=init,
                rng=rng,
                fan_out=nout,
                label=f"{label}.N{j}",
                fused=fused,
            )
            for j in range(1, nout + 1)
        ]

    def __call__(self, x: Inputs) -> list[Value]:
        # neuron.__call__(x) is neuron(x) without the detour through the type's call slot, which
        # costs about 600 instructions per neuron (callgrind: demo step 220.6M -> 218.6M)
        return [neuron.__call__(x) for neuron in self.neurons]

    def grouping(self, level: str = "neurons") -> Grouping:
        """Which neuron (``level="neurons"``) or layer (``"layers"``) each node of a graph built
        by this layer belongs to, for ``draw_graph(collapse=...)`` and ``export_html``."""
        return _grouping([self], level)

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for j, neuron in enumerate(self.neurons):
            for name, parameter in neuron.named_parameters():
                yield f"neurons.{j}.{name}", parameter

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({len(first.w)}, {len(self.neurons)}, activation={_name(first.activation)})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` maps 2 inputs through two hidden layers
    of 16 to one output.

    Hidden layers use ``activation``; the last layer uses ``final_activation`` (None: linear).
    ``init`` picks the weight initializer (see :mod:`nn.init`) and ``seed`` makes it reproducible.
    ``fused`` is passed to every neuron (see :class:`Neuron`).
    Called on one input vector, it returns a Value when the last layer has a single neuron and a
    list of Values otherwise.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | Activation | None = "tanh",
        final_activation: str | Activation | None = None,
        *,
        init: str | Initializer = "uniform",
        seed: int | None = None,
        fused: bool = True,
    ) -> None:
        if not nouts:
            raise ValueError("an MLP needs at least one layer: nouts must not be empty")
        activation = resolve_activation(activation)  # checked even when no hidden layer uses it
        final_activation = resolve_activation(final_activation)
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                activation if i < len(nouts) - 1 else final_activation,
                init=init,
                rng=rng,
                label=f"L{i + 1}",
                fused=fused,
            )
            for i in range(len(nouts))
        ]

    def grouping(self, level: str = "neurons") -> Grouping:
        """Which neuron (``level="neurons"``) or layer (``"layers"``) each node of a graph built
        by this network belongs to: pass it as ``draw_graph(..., collapse=model.grouping())`` or
        ``export_html(..., collapse=...)`` to draw each neuron (or layer) as one box.

        A node belongs to a neuron when it is one of the neuron's parameters or an output the
        neuron labelled; the drawing adds the unlabelled nodes computed inside (the weighted sum).
        """
        return _grouping(self.layers, level)

    def __call__(self, x: Inputs) -> Value | list[Value]:
        outputs = self.layers[0](x)
        for layer in self.layers[1:]:
            outputs = layer(outputs)
        return outputs[0] if len(outputs) == 1 else outputs

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, layer in enumerate(self.layers):
            for name, parameter in layer.named_parameters():
                yield f"layers.{i}.{name}", parameter

    def __repr__(self) -> str:
        return f"MLP({len(self.layers[0].neurons[0].w)}, {[len(layer.neurons) for layer in self.layers]})"


def _grouping(layers: Sequence[Layer], level: str) -> Grouping:
    if level not in ("neurons", "layers"):
        raise ValueError(f"level must be 'neurons' or 'layers', got {level!r}")
    owner: dict[Value, str] = {}
    by_label: dict[str, str] = {}
    for layer in layers:
        for neuron in layer.neurons:
            box = neuron.label if level == "neurons" else layer.label
            owner.update(dict.fromkeys(neuron.parameters(), box))
            by_label[neuron.label] = by_label[f"{neuron.label}.z"] = box

    def group(node: Value) -> str | None:
        found = owner.get(node)
        if found is None and not node.is_leaf:
            found = by_label.get(node.label)
        return found

    return group


def _name(activation: Activation) -> str:
    return getattr(activation, "__name__", repr(activation))
