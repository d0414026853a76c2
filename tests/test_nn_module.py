"""state_dict, save and load: round trips, and bad files that change nothing."""

from __future__ import annotations

import json
import os

import pytest

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
        nn.StateDictError, match=r"'layers\.1\.neurons\.0\.b' must be a finite number"
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
