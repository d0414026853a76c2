"""The stepper page without a browser: its data, strict JSON, safe filling, the notebook object,
and output that never breaks downstream (issue 12, class 7)."""

from __future__ import annotations

import html
import json
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, trace
from autograd.readers.display import visible
from autograd.readers.stepper import Stepper, export_html, stepper_html, stepper_steps
from autograd.toy import toy_model


def strict(text: str):
    """json.loads that refuses NaN and Infinity, as browsers' JSON.parse does."""

    def refuse(token: str):
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="steps">(.*?)</script>', page, re.S)
    assert found is not None
    return strict(found.group(1))


def test_steps_read_like_the_book():
    model = toy_model()
    data = stepper_steps(model.loss, parameters=model.parameters.values())
    kinds = [s["kind"] for s in data["steps"]]
    assert kinds == ["start"] + ["forward"] * 13 + ["backward"] * 22 + ["end"]
    f1 = data["steps"][5]
    assert f1["subtitle"] == "compute f1"
    assert [text for _term, text in f1["lines"][:3]] == [
        "f1 = β1 + ω1·h1",
        "= 2 + (-0.4)·0.942489",
        "f1 = 1.623",
    ]
    first = data["steps"][14]
    assert first["pass"] == 1 and "#1" in first["title"]
    assert [text for _term, text in first["lines"]] == [
        "grad(f3 - y) += ∂ℓ/∂(f3 - y) × grad(ℓ)",  # three distinct symbols
        "grad(ℓ) = 1",
        "∂ℓ/∂(f3 - y) = 2·(f3 - y) = 0.744528",
        "grad(f3 - y) = 0 + 0.744528 × 1 = 0.744528",
    ]
    assert any(s.get("pass") == 2 for s in data["steps"])
    end = data["steps"][-1]
    assert end["table"]["rows"][0] == ["β0", "parameter", "2.2809"]


def test_chinese_steps_use_the_tutorials_terms():
    model = toy_model()
    data = stepper_steps(model.loss, parameters=model.parameters.values(), lang="zh")
    terms = {term for step in data["steps"] for term, _text in step["lines"]}
    assert {"链式法则", "上游梯度", "局部导数"} <= terms
    assert data["steps"][1]["title"].startswith("前向传播")
    assert data["steps"][14]["title"].startswith("反向传播")


def test_export_writes_a_readable_file_honouring_the_umask(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        path = export_html(toy_model().loss, tmp_path / "steps.html")
    finally:
        os.umask(old)
    assert (path.stat().st_mode & 0o777) == 0o644
    assert page_data(path.read_text(encoding="utf-8"))["steps"]


def test_the_notebook_object():
    stepper = Stepper(toy_model().loss, height=500)
    shown = stepper._repr_html_()
    assert shown.startswith('<iframe srcdoc="') and "height: 500px" in shown
    assert html.unescape(shown.split('srcdoc="')[1].split('" title=')[0]) == stepper.html


@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["x", "{{SVG}}", "{{DATA}}", "</script>", "\\N"]),
)
def test_a_graph_holding_any_number_never_writes_nan_or_infinity(number, label):
    """Non-finite numbers are refused with an error, or written as strings the page
    understands: never as the NaN or Infinity tokens that stop JSON.parse."""
    x = Value(1.5, label)
    y = x.tanh()
    y.data = number  # a graph can hold anything assigned to .data
    try:
        page = stepper_html(y, title=label)
        document = trace(y).to_json()
    except (ValueError, ArithmeticError) as error:
        assert str(error)
        return
    data = page_data(page)
    strict(document)
    if not math.isfinite(number):
        assert data["values"][f"n{y.serial}"] in ("inf", "-inf", "nan")


placeholder = st.sampled_from(["{{TITLE}}", "{{SVG}}", "{{DATA}}", "{{SCRIPT}}", "{{STYLE}}"])
text = st.lists(st.one_of(placeholder, st.text(max_size=5)), max_size=4).map("".join)


@given(text, text)
def test_labels_and_titles_are_never_filled_in(label, title):
    x = Value(2.0, label)
    y = x * x
    page = stepper_html(y, title=title)
    assert page.count('<script type="application/json" id="steps">') == 1
    assert page.count("<svg") == 2  # the graph and its folded overview (the legend is scripted)
    assert f"<title>{html.escape(title)}</title>" in page
    shown = html.escape(visible(label))
    assert '<text class="name" x=' in page and f">{shown}</text>" in page
    assert page_data(page)["outputName"] == "f"


def test_a_title_with_placeholders_is_shown_as_written(tmp_path):
    page = stepper_html(Value(1.0, "{{DATA}}") * 2, title="{{SVG}} & {{SCRIPT}}")
    assert "<h1>{{SVG}} &amp; {{SCRIPT}}</h1>" in page


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of en, zh"):
        stepper_html(Value(1.0) * 2, lang="fr")
