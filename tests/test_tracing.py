"""Traces: golden text for the toy model, every format, stepping, and automatic names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograd import Value, paths
from autograd.readers.display import Names
from autograd.readers.text_width import align_left, align_right, columns
from autograd.readers.tracing import step_through, trace
from autograd.toy import toy_model

GOLDEN = Path(__file__).parent / "golden" / "toy_trace.txt"


def toy_trace():
    model = toy_model()
    return model, trace(model.loss, parameters=model.parameters.values())


def test_toy_trace_matches_the_golden_text():
    _, record = toy_trace()
    assert record.to_text() == GOLDEN.read_text(encoding="utf-8")


def test_toy_trace_has_the_textbooks_layout():
    _, record = toy_trace()
    assert [row.node_name for row in record.forward] == [
        "f0",
        "h1",
        "f1",
        "h2",
        "f2",
        "h3",
        "f3",
        "ℓ",
    ]
    assert [row.formula for row in record.forward][:2] == ["β0 + ω0·x", "sin(f0)"]
    assert record.forward[-1].formula == "(f3 - y)²"
    first = record.pass_one[0]
    assert (first.node_name, first.parent_name, first.local_formula) == (
        "ℓ",
        "f3 - y",
        "2·(f3 - y)",
    )
    assert {row.parent_name for row in record.pass_two} >= {"β0", "ω0", "β3", "ω3", "x", "y"}
    assert all(not row.parent_is_leaf for row in record.pass_one)
    assert all(row.pass_number == 2 for row in record.pass_two)


def test_trace_numbers_are_the_engines():
    model, record = toy_trace()
    for name, parameter in model.parameters.items():
        assert record.grads[name] == parameter.grad
    h3 = model.intermediates["h3"]
    step = next(r for r in record.backward if r.node_name == "h3")
    assert step.upstream == h3.grad and step.local_formula == "-sin(f2)"


def test_json_carries_grads_by_leaf_label():
    model, record = toy_trace()
    document = json.loads(record.to_json())
    assert document["grads"] == {
        name: p.grad for name, p in {**model.parameters, "x": model.x, "y": model.y}.items()
    }
    assert len(document["backward"]) == len(record.backward)


def test_markdown_and_latex():
    _, record = toy_trace()
    markdown = record.to_markdown()
    assert (
        "| f0 | β0 + ω0·x | 1 + 0.1·2.3 | 1.23 |" in markdown and "**Backward pass #2" in markdown
    )
    latex = record.to_latex()
    assert "\\begin{align*}" in latex
    assert "f_{0} &= {\\beta}_{0} + {\\omega}_{0} \\cdot x = 1.23" in latex
    assert "\\frac{\\partial {\\ell}}{\\partial {\\beta}_{3}}" in latex
    assert "\\partial \\left(f_{3} - y\\right)}" in latex
    with pytest.raises(ValueError, match="unknown trace format 'html'"):
        record.render("html")


def test_step_through_advances_one_step_at_a_time():
    model = toy_model()
    steps = step_through(model.loss)
    first = next(steps)
    f3 = model.intermediates["f3"]
    assert model.loss.grad == 1.0 and f3.grad == 0.0  # only the first step has run
    second = next(steps)
    assert f3.grad == second.grad_after == pytest.approx(2 * (f3.data - 2.0))
    for _ in steps:
        pass
    reference = toy_model()
    reference.loss.backward()
    assert [p.grad for p in model.parameters.values()] == [
        p.grad for p in reference.parameters.values()
    ]
    assert first.step == 1


def test_automatic_names():
    a, b = Value(1.0), Value(2.0)
    long = (a * b + a).tanh().sin().exp() * 3 + b
    names = Names([long])
    assert names[a] == "v1" and names[b] == "v2"
    assert names[long] == "f"  # an unlabelled output
    inner = long.parents[0]
    assert names.is_inlined(inner) or names[inner].startswith("v")
    labelled = Value(1.0, "v1")  # an automatic name never repeats a label
    assert Names([labelled * Value(2.0)])[labelled] == "v1"
    assert Names([labelled * Value(2.0)]).expr(labelled).name == "v1"


def test_a_trace_refuses_a_gradient_that_overflows_as_backward_does():
    """The non-finite policy holds for the stepped pass too: the step that makes inf is named."""
    x, y = Value(1.0, "x"), Value(1e-200, "y")
    out = x * 1e200 * y * 1e200  # the values are finite; ∂out/∂y = 1e400 is not
    with pytest.raises(
        OverflowError, match=r"chain-rule step from mul .* to its input y \(node 'y'\)"
    ):
        trace(out)
    with pytest.raises(OverflowError, match="backward: the contribution"):
        out.backward()


@pytest.mark.parametrize(
    ("text", "width"),
    [("x", 1), ("梯度", 4), ("e\u0301", 1), ("ω\u0302", 1), ("学习率 η", 8), ("", 0), ("ｘ", 2)],
)
def test_terminal_columns_count_wide_characters_twice_and_combining_marks_never(text, width):
    assert columns(text) == width
    assert columns(align_left(text, 9)) == columns(align_right(text, 9)) == max(9, width)
    assert align_left(text, 9).startswith(text) and align_right(text, 9).endswith(text)


def test_a_text_trace_lines_up_labels_with_cjk_and_combining_characters():
    """Every row of a table puts its columns at the same terminal column, whatever the labels."""
    wide, accented = Value(2.0, "梯度"), Value(3.0, "e\u0301")
    table = trace(wide * accented + wide).to_text().split("\n\n")[0].splitlines()  # the leaves
    value_column = {columns(line[: line.rindex(text)]) for line, text in zip(table[3:], ["2", "3"])}
    assert len(value_column) == 1, table


def test_markdown_shows_labels_as_written_never_as_html():
    bold, amp = Value(1.0, "<b>w</b>"), Value(2.0, "x&y|z")
    markdown = trace(bold * amp).to_markdown()
    assert "| &lt;b&gt;w&lt;/b&gt; | input | 1 |" in markdown
    assert "| x&amp;y\\|z | input | 2 |" in markdown
    assert "<b>" not in markdown and "x&y" not in markdown
    listed = paths(bold * amp, bold).render("markdown")
    assert "&lt;b&gt;w&lt;/b&gt; → f" in listed and "<b>" not in listed


# ---- nodes the forward table has no row for --------------------------------------------------


def test_every_node_of_the_backward_pass_has_a_forward_row_or_is_listed_in_the_note():
    """The lecturer's finding: pass #1 goes through ω3·h3, which had no forward row and no word
    about where it was computed."""
    _, record = toy_trace()
    assert record.inlined == ["ω0·x", "ω1·h1", "ω2·h2", "ω3·h3", "f3 - y"]
    explained = {r.node_name for r in record.forward} | {r.node_name for r in record.leaves}
    passed = {r.node_name for r in record.backward} | {r.parent_name for r in record.backward}
    assert passed - explained == set(record.inlined)
    note = (
        "No rows for ω0·x, ω1·h1, ω2·h2, ω3·h3, f3 - y: unlabelled intermediate nodes are "
        "computed inside the formulas that use them (above); the backward pass names each by "
        "its formula."
    )
    text = record.to_text()
    forward_table = text.split("\n\n")[1]
    assert forward_table.startswith("Forward pass\n") and forward_table.endswith("\n" + note)
    assert f"\n\n*{note}*\n\n**Backward pass #1" in record.to_markdown()
    assert "\\end{align*}\n% " + note + "\n% Backward pass #1" in record.to_latex()
    assert json.loads(record.to_json())["inlined"] == record.inlined


def test_the_note_in_chinese_and_in_the_singular():
    model = toy_model()
    zh = trace(model.loss, parameters=model.parameters, lang="zh").to_text()
    assert (
        "ω0·x、ω1·h1、ω2·h2、ω3·h3、f3 - y 没有单独的一行：没有标签的中间变量直接写进用到其值的"
        "公式里（见上表）；反向传播表中以公式作为其名称。" in zh
    )
    x = Value(2.0, "x")
    record = trace(x * x + 1)
    assert record.inlined == ["x·x"]
    assert (
        "No row for x·x: an unlabelled intermediate node is computed inside the formula that "
        "uses it (above); the backward pass names it by its formula." in record.to_text()
    )


def test_a_long_list_of_rowless_nodes_is_cut_short_with_its_count():
    xs = [Value(float(i), f"x{i}") for i in range(8)]
    total = xs[0] * xs[1]
    for i in range(2, 8):
        total = total + xs[i] * xs[0]
        total.label = f"s{i}"
    record = trace(total)
    assert len(record.inlined) == 7
    assert "No rows for x0·x1, x2·x0, x3·x0, x4·x0, x5·x0, x6·x0, … (7 in all): " in (
        record.to_text()
    )
    assert (
        "x0·x1、x2·x0、x3·x0、x4·x0、x5·x0、x6·x0、…（共 7 个）"
        in trace(total, lang="zh").to_text()
    )


def test_no_note_when_every_node_has_a_row():
    model = toy_model()
    record = trace(model.loss, naming="textbook")
    assert record.inlined == [] and "No row" not in record.to_text()
    labelled = Value(2.0, "x").sin()
    assert trace(labelled).inlined == []  # the output is a row, never "inlined"


def test_the_stepper_computes_each_rowless_node_in_a_step_of_its_own():
    from autograd.readers.stepper import stepper_steps

    model, record = toy_trace()
    data = stepper_steps(model.loss, parameters=model.parameters)
    computed = {s["subtitle"] for s in data["steps"] if s["kind"] == "forward"}
    assert computed == {f"compute {r.node_name}" for r in record.forward} | {
        f"compute {name}" for name in record.inlined
    }


def test_a_step_prints_as_one_line_of_the_chain_rule():
    """``print(next(steps))`` in a notebook: the step's chain rule with its numbers (the toy
    model's first steps, whose numbers the trace tables give), and Jupyter shows the same line."""
    from autograd.toy import toy_model

    steps = step_through(toy_model().loss)
    first = next(steps)
    assert str(first) == (
        "step 1 (pass #1): grad(f3 - y) += ∂ℓ/∂(f3 - y) × grad(ℓ) = 0.744528 × 1 → "
        "grad(f3 - y) = 0.744528"
    )
    rows = [first, *(next(steps) for _ in range(4))]
    assert str(rows[3]) == (
        "step 4 (pass #2): grad(β3) += ∂f3/∂β3 × grad(f3) = 1 × 0.744528 → grad(β3) = 0.744528"
    )
    assert first._repr_markdown_() == str(first)  # nothing to escape here


def test_a_step_prints_in_the_language_asked_for():
    """``step_through(..., lang="zh")`` and a Chinese trace's rows print in Chinese; the JSON of a
    trace has no language in its rows (the language is how a row prints, not what it holds)."""
    from autograd.toy import toy_model

    first = next(step_through(toy_model().loss, lang="zh"))
    assert str(first) == (
        "第 1 步（反向传播第 1 遍）：grad(f3 - y) += ∂ℓ/∂(f3 - y) × grad(ℓ) = 0.744528 × 1 → "
        "grad(f3 - y) = 0.744528"
    )
    record = trace(toy_model().loss, lang="zh")
    assert str(record.backward[3]).startswith("第 4 步（反向传播第 2 遍）：grad(β3) += ∂f3/∂β3")
    assert "lang" not in json.loads(record.to_json())["backward"][0]
    with pytest.raises(ValueError, match="lang"):
        next(step_through(toy_model().loss, lang="fr"))
