"""state_dict, save and load: round trips, and bad files that change nothing."""

from __future__ import annotations

import json
import math
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn


def model() -> nn.MLP:
    return nn.MLP(2, [3, 1], seed=0)


def test_state_dict_round_trip():
    a, b = model(), nn.MLP(2, [3, 1], seed=1)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()


def test_save_then_load_gives_identical_parameters(tmp_path):
    a, b = model(), nn.MLP(2, [3, 1], seed=1)
    path = tmp_path / "model.json"
    a.save(path)
    b.load(path)
    assert b.state_dict() == a.state_dict()  # exact: JSON keeps every digit of a float
    document = json.loads(path.read_text())
    assert document["format"] == "stepgrad.state_dict" and document["version"] == 1


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    model().save(path)
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        nn.MLP(2, [3, 1], seed=5).save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary left behind


@pytest.mark.parametrize(
    "content, message",
    [
        (
            '{"format": "stepgrad.state_dict", "version": 1, "parameters": {"layers.0',
            "not valid JSON",
        ),
        ("", "not valid JSON"),
        ("[1, 2]", "not a stepgrad model file"),
        ('{"format": "stepgrad.state_dict", "version": 9, "parameters": {}}', "file version 9"),
        (
            '{"format": "stepgrad.state_dict", "version": 1, "parameters": {}}',
            "missing 13 parameter",
        ),
    ],
)
def test_bad_files_change_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    m = model()
    before = m.state_dict()
    with pytest.raises(nn.StateDictError, match=message):
        m.load(path)
    assert m.state_dict() == before


def test_mismatched_and_non_numeric_entries_change_nothing():
    m = model()
    before = m.state_dict()
    state = dict(before)
    state["layers.0.neurons.0.w.0"] = 99.0
    state["layers.1.neurons.0.b"] = "zero"
    with pytest.raises(
        nn.StateDictError,
        match=r"parameter 'layers\.1\.neurons\.0\.b' needs a real number, got 'zero'",
    ):
        m.load_state_dict(state)
    assert m.state_dict() == before
    wrong_shape = nn.MLP(2, [4, 1], seed=0).state_dict()
    with pytest.raises(nn.StateDictError, match="unexpected"):
        m.load_state_dict(wrong_shape)
    assert m.state_dict() == before


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no model file"):
        model().load(tmp_path / "nope.json")


def test_zero_grad():
    m = model()
    m([1.0, 2.0]).backward()
    assert any(p.grad for p in m.parameters())
    m.zero_grad()
    assert all(p.grad == 0.0 for p in m.parameters())


# ---- saving never replaces good data with bad ----------------------------------------------------

NON_FINITE = [math.nan, math.inf, -math.inf]


@given(bad=st.dictionaries(st.integers(0, 12), st.sampled_from(NON_FINITE), min_size=1))
def test_save_refuses_non_finite_weights_before_touching_the_file(tmp_path_factory, bad):
    folder = tmp_path_factory.mktemp("save")
    path = folder / "model.json"
    model().save(path)
    good = path.read_bytes()
    diverged = model()
    params = diverged.parameters()
    for index, number in bad.items():
        params[index].data = number
    with pytest.raises(nn.StateDictError, match=rf"{len(bad)} parameter\(s\) are not finite"):
        diverged.save(path)
    assert path.read_bytes() == good and [p.name for p in folder.iterdir()] == ["model.json"]
    with pytest.raises(nn.StateDictError):
        diverged.save(folder / "new.json")  # nor is a new file made
    assert [p.name for p in folder.iterdir()] == ["model.json"]


def test_save_through_a_symbolic_link_keeps_the_link(tmp_path):
    (tmp_path / "runs").mkdir()
    (tmp_path / "best.json").symlink_to(tmp_path / "runs" / "epoch9.json")
    a = model()
    a.save(tmp_path / "best.json")
    assert (tmp_path / "best.json").is_symlink()
    b = nn.MLP(2, [3, 1], seed=1)
    b.load(tmp_path / "runs" / "epoch9.json")
    assert b.state_dict() == a.state_dict()


# ---- loading anything at all: the model's own error, and the model unchanged --------------------


def assert_load_refused(tmp_path, content: bytes | str, message: str = "") -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    m = model()
    before = m.state_dict()
    with pytest.raises(nn.StateDictError, match=message):
        m.load(path)
    assert m.state_dict() == before


def valid_document(**changes: object) -> dict:
    document = {"format": "stepgrad.state_dict", "version": 1, "parameters": model().state_dict()}
    document.update(changes)
    return document


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ' * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
        (b'{"format": "stepgrad.state_dict\xff"}', r"not UTF-8 text \(byte 0xff at offset 31\)"),
        (b"\xfe\xff\x00{", "not UTF-8"),
        ('{"version": ' + "9" * 5000 + "}", "not a valid model file"),
        ('{"format": "stepgrad.state_dict", "format": "x"}', "'format' appears twice"),
    ],
)
def test_hostile_json_is_refused_with_the_librarys_error(tmp_path, content, message):
    assert_load_refused(tmp_path, content, message)


def test_huge_integers_and_duplicate_names_are_refused(tmp_path):
    document = valid_document()
    name = next(iter(document["parameters"]))
    text = json.dumps(document).replace(f'"{name}": ', f'"{name}": {"7" * 400}, "{name}": ', 1)
    assert_load_refused(tmp_path, text, "appears twice")
    document["parameters"][name] = int("7" * 400)
    assert_load_refused(tmp_path, json.dumps(document), "too large for a float")
    document["parameters"][name] = 10**400 / 10**399  # an ordinary float is fine
    m = model()
    m.load_state_dict(document["parameters"])
    assert m.state_dict()[name] == 10.0


@given(
    keys=st.lists(
        st.one_of(st.integers(), st.none(), st.tuples(st.text(max_size=3)), st.binary(max_size=3)),
        min_size=1,
        max_size=3,
    )
)
def test_a_state_dict_with_non_string_names_is_refused(keys):
    m = model()
    before = m.state_dict()
    state: dict = dict(before)
    for key in keys:
        state[key] = 0.5
    with pytest.raises(nn.StateDictError, match="parameter names are strings"):
        m.load_state_dict(state)
    assert m.state_dict() == before


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**500), max_value=10**500)
    | st.floats()
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(
    mutation=st.one_of(
        st.binary(max_size=200).map(lambda b: ("bytes", b)),
        JSON_VALUES.map(lambda v: ("document", v)),
        st.tuples(st.sampled_from(["format", "version", "parameters"]), JSON_VALUES).map(
            lambda kv: ("field", kv)
        ),
        st.tuples(st.integers(0, 12), JSON_VALUES).map(lambda iv: ("parameter", iv)),
        st.integers(0, 2000).map(lambda n: ("truncate", n)),
    )
)
def test_any_file_either_loads_or_raises_state_dict_error_and_changes_nothing(
    tmp_path_factory, mutation
):
    """Random bytes, random JSON, and valid files with one field, one number or the end broken."""
    kind, change = mutation
    document = valid_document()
    if kind == "bytes":
        content = change
    elif kind == "document":
        content = json.dumps(change).encode()
    elif kind == "field":
        document[change[0]] = change[1]
        content = json.dumps(document).encode()
    elif kind == "parameter":
        name = list(document["parameters"])[change[0]]
        document["parameters"][name] = change[1]
        content = json.dumps(document).encode()
    else:
        content = json.dumps(document).encode()[:change]
    path = tmp_path_factory.mktemp("load") / "m.json"
    path.write_bytes(content)
    m = nn.MLP(2, [3, 1], seed=7)
    before = m.state_dict()
    try:
        m.load(path)
    except nn.StateDictError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        assert m.state_dict() == before
    else:
        assert all(math.isfinite(v) for v in m.state_dict().values())
