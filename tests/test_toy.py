"""The toy model of Prince, Understanding Deep Learning, ch. 7: backprop against its hand derivation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import numerical_grad
from autograd.toy import TOY_PARAMETERS, toy_model

NAMES = list(TOY_PARAMETERS)


def by_hand(x: float, y: float, p: dict[str, float]) -> dict[str, float]:
    """The chapter's backward passes #1 and #2, written out with math only."""
    f0 = p["β0"] + p["ω0"] * x
    h1 = math.sin(f0)
    f1 = p["β1"] + p["ω1"] * h1
    h2 = math.exp(f1)
    f2 = p["β2"] + p["ω2"] * h2
    h3 = math.cos(f2)
    f3 = p["β3"] + p["ω3"] * h3
    # Backward pass #1: ∂ℓ/∂ of the intermediates, from the loss back.
    dl_df3 = 2 * (f3 - y)
    dl_dh3 = p["ω3"] * dl_df3
    dl_df2 = -math.sin(f2) * dl_dh3
    dl_dh2 = p["ω2"] * dl_df2
    dl_df1 = math.exp(f1) * dl_dh2
    dl_dh1 = p["ω1"] * dl_df1
    dl_df0 = math.cos(f0) * dl_dh1
    # Backward pass #2: ∂ℓ/∂β_k = ∂ℓ/∂f_k and ∂ℓ/∂ω_k = h_k·∂ℓ/∂f_k (with h_0 = x).
    return {
        "β0": dl_df0,
        "ω0": x * dl_df0,
        "β1": dl_df1,
        "ω1": h1 * dl_df1,
        "β2": dl_df2,
        "ω2": h2 * dl_df2,
        "β3": dl_df3,
        "ω3": h3 * dl_df3,
    }


def test_built_in_point_matches_the_hand_derivation_and_central_differences():
    model = toy_model()
    model.loss.backward()
    expected = by_hand(2.3, 2.0, TOY_PARAMETERS)

    def loss(*values):
        return toy_model(2.3, 2.0, dict(zip(NAMES, values))).loss

    numeric = numerical_grad(loss, *TOY_PARAMETERS.values())
    for name, estimate in zip(NAMES, numeric):
        grad = model.parameters[name].grad
        assert grad == pytest.approx(expected[name], rel=1e-12), name
        assert grad == pytest.approx(estimate, rel=1e-6), name


def test_forward_pass_values_and_labels():
    model = toy_model()
    assert list(model.intermediates) == ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "ℓ"]
    assert model.intermediates["f0"].data == pytest.approx(1.0 + 0.1 * 2.3)
    assert model.loss.data == pytest.approx(0.13858056641470326, rel=1e-12)


@given(st.lists(st.floats(-1.5, 1.5), min_size=10, max_size=10))
def test_any_parameters_match_the_hand_derivation(numbers):
    x, y, *values = numbers
    parameters = dict(zip(NAMES, values))
    model = toy_model(x, y, parameters)
    model.loss.backward()
    expected = by_hand(x, y, parameters)
    for name in NAMES:
        assert model.parameters[name].grad == pytest.approx(expected[name], rel=1e-9, abs=1e-12)


def test_unknown_parameter_is_named():
    with pytest.raises(KeyError, match="γ0"):
        toy_model(parameters={"γ0": 1.0})


def test_parameters_are_a_dict_that_can_also_be_called_like_nn_models():
    """``model.parameters["ω0"]`` and ``model.parameters()`` (as for an nn model) both work, and
    every reader takes either."""
    from autograd import trace

    model = toy_model()
    assert model.parameters["ω0"].data == 0.1
    assert model.parameters() == list(model.parameters.values())
    assert [v.label for v in model.parameters()] == ["β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3"]
    by_call = {r.node_name: r.role for r in trace(model.loss, parameters=model.parameters()).leaves}
    by_dict = {r.node_name: r.role for r in trace(model.loss, parameters=model.parameters).leaves}
    assert by_call == by_dict and by_call["ω3"] == "parameter" and by_call["x"] == "input"
