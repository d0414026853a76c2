"""Bad hyperparameters and bad data are refused where they are given, naming the setting: at an
optimizer's construction, in a dataset function, or at the start of fit, before any training."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value

NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
NEGATIVE = st.floats(max_value=-1e-300, allow_infinity=False, allow_nan=False)
NOT_A_NUMBER = st.one_of(
    st.text(max_size=3), st.none(), st.booleans(), st.lists(st.floats(), max_size=2), st.just(1j)
)
AT_LEAST_ONE = st.floats(min_value=1.0, allow_infinity=False, allow_nan=False)


def params() -> list[Value]:
    return [Value(0.5, "a"), Value(-1.5, "b")]


def refused(error: type[Exception], *names: str):
    """pytest.raises for ``error`` whose message names every one of ``names``."""
    return pytest.raises(error, match=".*".join(map(_escaped, names)))


def _escaped(text: str) -> str:
    import re

    return re.escape(text)


# ---- optimizers --------------------------------------------------------------------------------

OPTIMIZER_SETTINGS = [
    # (optimizer, setting, how to pass a value, bad values of the right type)
    (nn.SGD, "lr", lambda v: {"lr": v}, st.one_of(NEGATIVE, NON_FINITE, st.just(0.0))),
    (
        nn.SGD,
        "momentum",
        lambda v: {"lr": 0.1, "momentum": v},
        st.one_of(NEGATIVE, NON_FINITE, AT_LEAST_ONE),
    ),
    (
        nn.SGD,
        "weight_decay",
        lambda v: {"lr": 0.1, "weight_decay": v},
        st.one_of(NEGATIVE, NON_FINITE),
    ),
    (nn.Adam, "lr", lambda v: {"lr": v}, st.one_of(NEGATIVE, NON_FINITE, st.just(0.0))),
    (
        nn.Adam,
        "betas[0]",
        lambda v: {"betas": (v, 0.999)},
        st.one_of(NEGATIVE, NON_FINITE, AT_LEAST_ONE),
    ),
    (
        nn.Adam,
        "betas[1]",
        lambda v: {"betas": (0.9, v)},
        st.one_of(NEGATIVE, NON_FINITE, AT_LEAST_ONE),
    ),
    (nn.Adam, "eps", lambda v: {"eps": v}, st.one_of(NEGATIVE, NON_FINITE, st.just(0.0))),
    (nn.Adam, "weight_decay", lambda v: {"weight_decay": v}, st.one_of(NEGATIVE, NON_FINITE)),
    (nn.AdamW, "weight_decay", lambda v: {"weight_decay": v}, st.one_of(NEGATIVE, NON_FINITE)),
    (
        nn.AdamW,
        "betas[1]",
        lambda v: {"betas": (0.9, v)},
        st.one_of(NEGATIVE, NON_FINITE, AT_LEAST_ONE),
    ),
]


@pytest.mark.parametrize(
    "optimizer, setting, given_as, bad",
    OPTIMIZER_SETTINGS,
    ids=[f"{o.__name__}-{s}" for o, s, _, _ in OPTIMIZER_SETTINGS],
)
@given(data=st.data())
def test_optimizers_refuse_bad_settings_naming_them(optimizer, setting, given_as, bad, data):
    value = data.draw(bad, label=setting)
    with refused(ValueError, optimizer.__name__, setting):
        optimizer(params(), **given_as(value))
    wrong_type = data.draw(NOT_A_NUMBER, label="wrong type")
    with refused(TypeError, optimizer.__name__, setting, "must be a number"):
        optimizer(params(), **given_as(wrong_type))


@given(lr=st.one_of(NEGATIVE, NON_FINITE, st.just(0.0)))
def test_a_learning_rate_changed_between_steps_is_checked_too(lr):
    sgd = nn.SGD(params(), lr=0.1)
    with refused(ValueError, "SGD", "lr"):
        sgd.lr = lr
    assert sgd.lr == 0.1


def test_good_settings_are_kept_and_betas_must_be_a_pair():
    adam = nn.Adam(params(), lr=0.01, betas=[0.0, 0.5], eps=1e-12, weight_decay=0.0)
    assert adam.betas == (0.0, 0.5) and adam.eps == 1e-12
    assert nn.SGD(params(), lr=1, momentum=0.9).momentum == 0.9
    with refused(TypeError, "betas must be a pair"):
        nn.Adam(params(), betas=(0.9,))
    with refused(TypeError, "betas must be a pair"):
        nn.Adam(params(), betas="ab")


def test_parameters_must_be_values_listed_once():
    a = Value(1.0)
    with refused(ValueError, "listed twice"):
        nn.SGD([a, Value(2.0), a], lr=0.1)
    with refused(TypeError, "a single Value"):
        nn.SGD(a, lr=0.1)
    with refused(TypeError, "optimizes Values"):
        nn.SGD([1.0], lr=0.1)


@given(threshold=st.one_of(NEGATIVE, NON_FINITE, st.just(0.0)))
def test_clipping_refuses_thresholds_that_are_not_positive(threshold):
    ps = params()
    for p in ps:
        p.grad = 3.0
    with refused(ValueError, "clip_grad_norm_", "max_norm"):
        nn.clip_grad_norm_(ps, threshold)
    with refused(ValueError, "clip_grad_value_", "clip_value"):
        nn.clip_grad_value_(ps, threshold)
    assert [p.grad for p in ps] == [3.0, 3.0]  # nothing flipped, nothing zeroed


# ---- datasets ----------------------------------------------------------------------------------

DATASETS = [
    (nn.data.make_moons, "n", 0),
    (nn.data.make_moons, "noise", -0.1),
    (nn.data.make_circles, "factor", 1.0),
    (nn.data.make_circles, "factor", -0.5),
    (nn.data.make_circles, "noise", math.nan),
    (nn.data.make_spirals, "classes", 0),
    (nn.data.make_spirals, "n", -3),
    (nn.data.make_xor, "noise", math.inf),
    (nn.data.make_blobs, "centers", 0),
    (nn.data.make_blobs, "std", -1.0),
    (nn.data.make_blobs, "box", math.nan),
]


@pytest.mark.parametrize("make, argument, value", DATASETS)
def test_datasets_refuse_bad_arguments_naming_them(make, argument, value):
    with refused(ValueError, make.__name__, argument):
        make(**{argument: value})


@pytest.mark.parametrize("make", [nn.data.make_moons, nn.data.make_blobs, nn.data.make_spirals])
def test_datasets_refuse_counts_that_are_not_whole_numbers(make):
    with refused(TypeError, make.__name__, "n", "whole number"):
        make(n=10.0)


@given(
    n=st.integers(1, 40),
    centers=st.integers(1, 5),
    noise=st.floats(0, 2),
)
def test_datasets_accept_every_good_argument(n, centers, noise):
    for X, y in (
        nn.data.make_moons(n, noise),
        nn.data.make_circles(n, noise, factor=0.0),
        nn.data.make_spirals(n, classes=centers, noise=noise),
        nn.data.make_xor(n, noise),
        nn.data.make_blobs(n, centers=centers, std=noise),
    ):
        assert len(X) == len(y) == n and all(math.isfinite(v) for row in X for v in row)


# ---- losses ------------------------------------------------------------------------------------


@given(target=st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1 + 1e-9), NON_FINITE))
def test_bce_refuses_targets_outside_0_1(target):
    with refused(ValueError, "binary_cross_entropy_with_logits", "targets in [0, 1]"):
        nn.binary_cross_entropy_with_logits([Value(0.3), Value(-1.0)], [1.0, target])


@pytest.mark.parametrize(
    "loss, outputs, targets, words",
    [
        (nn.cross_entropy, [], [], "cross_entropy: the batch is empty"),
        (nn.cross_entropy, [[]], [0], "cross_entropy: an example has no class scores"),
        (nn.mse_loss, [], [], "mse_loss: the batch is empty"),
        (nn.hinge_loss, [], [], "hinge_loss: the batch is empty"),
        (nn.binary_cross_entropy_with_logits, [], [], "the batch is empty"),
    ],
)
def test_losses_refuse_empty_batches_instead_of_dividing_by_zero(loss, outputs, targets, words):
    with refused(ValueError, words):
        loss(outputs, targets)


# ---- fit: everything checked before any training -----------------------------------------------


def small_task(n: int = 8) -> tuple[nn.MLP, list[list[float]], list[int]]:
    X, labels = nn.data.make_moons(n, noise=0.1, seed=3)
    return nn.MLP(2, [3, 1], seed=0), X, [2 * t - 1 for t in labels]


FIT_SETTINGS = [
    ("epochs", st.integers(max_value=-1), ValueError),
    ("epochs", st.one_of(st.floats(), NOT_A_NUMBER.filter(lambda v: v is not None)), TypeError),
    ("batch_size", st.integers(max_value=0), ValueError),
    ("batch_size", st.floats(), TypeError),
    ("l2", st.one_of(NEGATIVE, NON_FINITE), ValueError),
    ("l2", NOT_A_NUMBER, TypeError),
]


@pytest.mark.parametrize(
    "setting, bad, error", FIT_SETTINGS, ids=[f"{s}-{e.__name__}" for s, _, e in FIT_SETTINGS]
)
@given(data=st.data())
def test_fit_refuses_bad_settings_before_training(setting, bad, error, data):
    model, X, y = small_task()
    before = model.state_dict()
    value = data.draw(bad, label=setting)
    with refused(error, "fit", setting):
        nn.fit(model, X, y, progress=False, **{"epochs": 2, setting: value})
    assert model.state_dict() == before


@given(
    epochs=st.integers(1, 30),
    bad_epoch=st.integers(0, 29),
    rate=st.one_of(NEGATIVE, NON_FINITE, st.just(0.0)),
)
def test_fit_refuses_a_schedule_with_a_bad_rate_before_the_first_epoch(epochs, bad_epoch, rate):
    bad_epoch %= epochs
    model, X, y = small_task()
    before = model.state_dict()
    calls = []

    def schedule(epoch: int) -> float:
        calls.append(epoch)
        return rate if epoch == bad_epoch else 0.1

    with refused(ValueError, f"lr_schedule({bad_epoch}) returned", "a learning rate"):
        nn.fit(model, X, y, epochs=epochs, lr_schedule=schedule, progress=False)
    assert model.state_dict() == before and calls == list(range(bad_epoch + 1))


def test_fit_calls_the_schedule_once_per_epoch():
    model, X, y = small_task()
    calls = []
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    nn.fit(model, X, y, epochs=4, optimizer=optimizer, progress=False,
           lr_schedule=lambda k: calls.append(k) or 0.1 * (k + 1))  # fmt: skip
    assert calls == [0, 1, 2, 3] and optimizer.lr == pytest.approx(0.4)


@pytest.mark.parametrize("compile", [False, True])
@given(data=st.data())
def test_fit_checks_every_hinge_label_up_front(compile, data):
    """A bad label anywhere, even in a batch the compiled path would reach late, is refused
    before training, naming its index."""
    model, X, y = small_task(12)
    before = model.state_dict()
    index = data.draw(st.integers(0, len(y) - 1), label="index")
    y[index] = data.draw(st.sampled_from([0, 2, -2, 0.5, math.nan, True]), label="label")
    with pytest.raises((ValueError, TypeError), match=rf"fit: y\[{index}\]"):
        nn.fit(model, X, y, loss="hinge", batch_size=4, epochs=3, compile=compile, progress=False)
    assert model.state_dict() == before


@given(data=st.data())
def test_fit_refuses_non_finite_inputs_naming_row_and_column(data):
    model, X, y = small_task()
    before = model.state_dict()
    row = data.draw(st.integers(0, len(X) - 1), label="row")
    column = data.draw(st.integers(0, 1), label="column")
    X[row][column] = data.draw(NON_FINITE, label="value")
    with refused(ValueError, f"X[{row}][{column}] (row {row}, column {column})", "finite"):
        nn.fit(model, X, y, epochs=2, progress=False)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    "change, error, words",
    [
        (lambda X, y: (X, y[:-1]), ValueError, "X has 8 rows but y has 7 targets"),
        (lambda X, y: ([], []), ValueError, "the dataset is empty"),
        (
            lambda X, y: ([*X[:3], [1.0], *X[4:]], y),
            ValueError,
            "X[3] has 1 numbers but X[0] has 2",
        ),
        (lambda X, y: ([*X[:2], "ab", *X[3:]], y), TypeError, "X[2] must be a list of numbers"),
        (lambda X, y: ([*X[:1], [1.0, "2"], *X[2:]], y), TypeError, "X[1][1] must be a number"),
        (lambda X, y: (X, [*y[:5], math.inf, *y[6:]]), ValueError, "y[5] is inf"),
    ],
)
def test_fit_refuses_bad_data(change, error, words):
    model, X, y = small_task()
    X, y = change(X, y)
    with refused(error, "fit", words):
        nn.fit(model, X, y, loss="mse", epochs=1, progress=False)


def test_fit_refuses_targets_the_loss_cannot_read():
    model, X, y = small_task()
    with refused(ValueError, "y[0] = -1", "loss 'bce' needs targets in [0, 1]"):
        nn.fit(model, X, y, loss="bce", epochs=1, progress=False)
    with refused(ValueError, "y[2] = 0.5", "loss 'cross_entropy' needs class indices"):
        nn.fit(model, X, [0, 1, 0.5, *[0] * 5], loss="cross_entropy", epochs=1, progress=False)


def test_fit_refuses_the_wrong_kind_of_model_loss_or_optimizer():
    model, X, y = small_task()
    with refused(TypeError, "fit: model must be an nn.Module"):
        nn.fit(lambda x: x, X, y, progress=False)
    with refused(TypeError, "fit: loss must be a loss name or a function"):
        nn.fit(model, X, y, loss=3, progress=False)
    with refused(TypeError, "fit: optimizer must be an nn.Optimizer"):
        nn.fit(model, X, y, optimizer="sgd", progress=False)
    other = nn.MLP(2, [3, 1], seed=1)
    with refused(ValueError, "holds none of the model's parameters"):
        nn.fit(model, X, y, optimizer=nn.SGD(other.parameters(), lr=0.1), progress=False)


def test_fit_with_zero_epochs_trains_nothing():
    model, X, y = small_task()
    before = model.state_dict()
    history = nn.fit(model, X, y, epochs=0, progress=False)
    assert history.loss == [] and model.state_dict() == before
