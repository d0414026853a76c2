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
        "= 2 + (-0.376996)",  # each parent is computed in a step of its own: its value
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
    assert page.count("<svg") == 1  # one drawing, stepped through and shown whole (W)
    assert f"<title>{html.escape(title)}</title>" in page
    shown = html.escape(visible(label))
    assert '<text class="name" x=' in page and f">{shown}</text>" in page
    assert page_data(page)["outputName"] == "f"


def test_a_title_with_placeholders_is_shown_as_written(tmp_path):
    page = stepper_html(Value(1.0, "{{DATA}}") * 2, title="{{SVG}} & {{SCRIPT}}")
    assert '<h1 title="{{SVG}} &amp; {{SCRIPT}}">{{SVG}} &amp; {{SCRIPT}}</h1>' in page


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of en, zh"):
        stepper_html(Value(1.0) * 2, lang="fr")


def lecturer_expression():
    """The expression a lecturer typed: a sigmoid neuron and a squared error, halved."""
    leaves = {n: Value(v, n) for n, v in [("w1", 0.15), ("x1", 0.05), ("w2", 0.2), ("x2", 0.1)]}
    b, t = Value(0.35, "b"), Value(0.01, "t")
    w1, x1, w2, x2 = leaves.values()
    loss = ((w1 * x1 + w2 * x2 + b).sigmoid() - t) ** 2 / 2
    return loss, [w1, w2, b]


def svg_names(page: str) -> set[str]:
    return set(re.findall(r'<text class="name" x="[^"]*" y="[^"]*">([^<]*)</text>', page))


@pytest.mark.parametrize("naming", ["inline", "textbook"])
def test_one_naming_for_the_trace_the_drawing_and_the_page(naming):
    """The same options name every node alike in the trace, the drawing and the page."""
    from autograd.readers.draw import draw_graph

    loss, params = lecturer_expression()
    record = trace(loss, parameters=params, naming=naming)
    in_trace = {r.node_name for r in record.forward} | {r.node_name for r in record.leaves}
    drawn = svg_names(draw_graph(loss, parameters=params, naming=naming).svg())
    page = stepper_html(loss, parameters=params, naming=naming)
    data = page_data(page)
    assert svg_names(page) == drawn
    assert in_trace <= drawn  # the trace's rows (inline naming writes short formulas inline)
    stepped = {s["subtitle"] for s in data["steps"] if s["kind"] == "forward"}
    assert all(text.split(" ", 1)[1] in drawn for text in stepped)
    backward = [s["subtitle"] for s in data["steps"] if s["kind"] == "backward"]
    rows = [f"from {r.node_name} to {r.parent_name}" for r in record.backward]
    assert backward == rows
    if naming == "textbook":
        assert {"f0", "f3", "h1", "f4"} <= drawn and "v1" not in drawn


def test_steps_into_inputs_are_not_called_parameters():
    loss, params = lecturer_expression()
    data = stepper_steps(loss, parameters=params)
    into_t = next(s for s in data["steps"] if s["subtitle"].endswith(" to t"))
    assert into_t["title"] == "Backward pass #2 (parameters and inputs)"
    zh = stepper_steps(loss, parameters=params, lang="zh")
    assert any(s["title"] == "反向传播第二遍（参数与输入）" for s in zh["steps"])


def test_forward_steps_use_each_parent_s_value_and_skip_constants():
    loss, params = lecturer_expression()
    data = stepper_steps(loss, parameters=params, naming="textbook")
    by_name = {s["subtitle"]: dict(s["lines"]) for s in data["steps"] if s["kind"] == "forward"}
    assert by_name["compute h1"]["with numbers"] == "= sigmoid(0.3775)"
    squared = by_name["compute f5"]
    assert squared["formula"] == "f5 = f4²" and squared["with numbers"] == "= 0.58327²"
    assert "∂/∂2" not in squared["local derivatives"]  # no derivative with respect to a constant
    assert by_name["compute f"]["local derivatives"] == "∂/∂f5: 0.5"


def test_titles_are_translated_and_written_in_the_display_notation(tmp_path, capsys):
    from autograd.cli.main import main

    assert "<title>stepgrad：一步一步看反向传播</title>" in stepper_html(
        Value(1.0, "x") * 2, lang="zh"
    )
    page, drawing = tmp_path / "p.html", tmp_path / "g.svg"
    expr = "(sigmoid(w1*x1 + b) - t) ** 2 / 2"
    assert (
        main(
            [
                "trace",
                expr,
                "w1=1",
                "x1=2",
                "b=0",
                "t=1",
                "--html",
                str(page),
                "--svg",
                str(drawing),
            ]
        )
        == 0
    )
    assert "<title>stepgrad: (sigmoid(w1·x1 + b) - t)² / 2</title>" in page.read_text()
    assert "(sigmoid(w1·x1 + b) - t)² / 2" in drawing.read_text()
    err = capsys.readouterr().err
    assert err.splitlines() == [f"wrote {drawing}", f"wrote {page}"]  # one line per file


def test_a_collapsed_network_speaks_of_what_is_drawn():
    import nn
    from autograd import sum_values

    model = nn.MLP(2, [3, 1], seed=1)
    points = [[0.5, -1.0], [1.0, 0.25]]
    loss = sum_values([(model(p) - 1) ** 2 for p in points])
    data = stepper_steps(loss, parameters=model.parameters(), drawing=None)
    page = stepper_html(loss, parameters=model.parameters(), collapse=model.grouping("neurons"))
    data = page_data(page)
    texts = " ".join(t for s in data["steps"] for _term, t in s["lines"])
    assert not re.search(r"\bv\d+\b", texts)  # no node that is never drawn, such as v19
    inside = [dict(s["lines"]).get("drawn as") for s in data["steps"]]
    assert "inside the box L1.N2, sample 2" in inside
    assert "L1.N2.z₂" in texts and "L1.N2₂" in texts  # the weighted input z, per sample
    assert data["ui"]["sampleNote"].startswith("In a box drawn for several samples")
    labels = [label for label, _at in data["sections"]]
    assert labels[:3] == ["Start", "Forward pass", "Backward pass"]
    assert "Backward pass · L1.N2" in labels and labels[-1] == "Done"
    parts = [s["part"] for s in data["steps"]]
    assert len(set(parts)) < len(parts) / 2  # Page Down skips a box's steps at once


def test_the_last_steps_counts_read_right_in_the_singular_and_the_plural():
    x = Value(3.0, "x")
    one = stepper_steps(x * 2)["steps"][-1]["subtitle"]
    assert one == "1 chain-rule step gave the gradient."
    model = toy_model()
    many = stepper_steps(model.loss, parameters=model.parameters)["steps"][-1]["subtitle"]
    assert many == "22 chain-rule steps gave all 10 gradients at once."
    zh = stepper_steps(model.loss, parameters=model.parameters, lang="zh")["steps"][-1]
    assert zh["subtitle"] == "22 步链式法则一次得到全部 10 个梯度。"
