"""Neurons, layers, MLPs, activations and initializers."""

from __future__ import annotations

import math
import random
import statistics

import pytest

import nn
from autograd import Value, numerical_grad


def test_labels_and_names():
    model = nn.MLP(2, [3, 1], seed=0)
    assert model.layers[0].neurons[2].w[1].label == "L1.N3.w2"
    assert model.layers[1].neurons[0].b.label == "L2.N1.b"
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert len(names) == len(set(names)) == 3 * 3 + 4


def test_a_renamed_neuron_labels_its_nodes_by_its_new_name():
    neuron = nn.Neuron(2, "relu", rng=random.Random(0))
    assert neuron([1.0, 2.0]).label == "N1" == neuron.label
    neuron.label = "hidden"
    out = neuron([1.0, 2.0])
    assert (out.label, out.parents[0].label) == ("hidden", "hidden.z")


def test_parameters_list_matches_named_parameters():
    for module in (nn.MLP(3, [4, 2, 1], seed=0), nn.Layer(2, 3), nn.Neuron(4)):
        assert module.parameters() == [p for _, p in module.named_parameters()]


def test_one_neuron_hidden_layer_works():
    model = nn.MLP(2, [1, 3, 1], seed=0)  # micrograd's Layer returns a bare Value here and breaks
    assert isinstance(model.layers[0]([1.0, 2.0]), list)
    out = model([1.0, 2.0])
    assert isinstance(out, Value)
    out.backward()


def test_multi_output_returns_a_list():
    out = nn.MLP(2, [3, 2], seed=0)([0.5, 0.5])
    assert isinstance(out, list) and len(out) == 2


def test_seed_makes_it_reproducible():
    assert nn.MLP(2, [4, 1], seed=3).state_dict() == nn.MLP(2, [4, 1], seed=3).state_dict()
    assert nn.MLP(2, [4, 1], seed=3).state_dict() != nn.MLP(2, [4, 1], seed=4).state_dict()


@pytest.mark.parametrize(
    "activation, function",
    [
        ("tanh", math.tanh),
        ("relu", lambda z: max(z, 0.0)),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("leaky_relu", lambda z: z if z > 0 else 0.01 * z),
        ("linear", lambda z: z),
        (lambda v: v * v, lambda z: z * z),
    ],
)
def test_activations(activation, function):
    neuron = nn.Neuron(2, activation, init=nn.init.constant(0.5))
    for x in ([1.0, 2.0], [-3.0, 1.0]):
        z = 0.5 * x[0] + 0.5 * x[1]
        assert neuron(x).data == pytest.approx(function(z))


def test_leaky_relu_gradient_matches_central_differences():
    for x in (-1.3, 0.7):
        v = Value(x)
        nn.leaky_relu(v).backward()
        assert v.grad == pytest.approx(numerical_grad(nn.leaky_relu, x)[0], rel=1e-6)


def test_bad_configuration_is_explained():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [1], activation="swish")
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        nn.MLP(2, [1], init="glorot")
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        nn.MLP(2, [1])([1.0, 2.0, 3.0])
    with pytest.raises(
        ValueError, match=r"Layer: nout \(its number of neurons\) must be at least 1, got 0"
    ):
        nn.Layer(2, 0)


FAN_IN, FAN_OUT = 80, 60


@pytest.mark.parametrize(
    "init, variance",
    [
        (nn.init.uniform(), 1 / 3),
        (nn.init.normal(std=0.5), 0.25),
        (nn.init.xavier_uniform(), 2 / (FAN_IN + FAN_OUT)),
        (nn.init.xavier_normal(), 2 / (FAN_IN + FAN_OUT)),
        (nn.init.he_uniform(), 2 / FAN_IN),
        (nn.init.he_normal(), 2 / FAN_IN),
    ],
)
def test_every_init_has_the_variance_it_promises(init, variance):
    layer = nn.Layer(FAN_IN, FAN_OUT, init=init, rng=random.Random(0))
    weights = [w.data for neuron in layer.neurons for w in neuron.w]
    n = len(weights)
    sample = statistics.pvariance(weights)
    # The sample variance's standard error is at most variance·√(2/n) for these distributions.
    assert abs(sample - variance) < 4 * variance * math.sqrt(2 / n), (sample, variance)
    assert abs(statistics.fmean(weights)) < 4 * math.sqrt(variance / n)


def test_constant_init():
    assert {w.data for w in nn.Neuron(5, init=nn.init.constant(0.25)).w} == {0.25}


@pytest.mark.parametrize("bad", [2.5, "3", True, None])
def test_sizes_of_the_wrong_type_are_a_type_error(bad):
    with pytest.raises(TypeError, match="must be a whole number"):
        nn.MLP(bad, [1])
    with pytest.raises(TypeError, match="must be a whole number"):
        nn.MLP(2, [bad])
