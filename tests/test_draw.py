"""Drawings: DOT without a binary, SVG drawn by stepgrad (ids, classes, labels as written),
hostile labels, collapsing an nn network, the size guard, formats and finding dot."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from autograd.files import write_atomically
from autograd.readers import draw as draw_module
from autograd.readers.display import edge_id, node_id, op_id, visible
from autograd.readers.draw import draw_graph, save_drawing
from autograd.readers.svg import font_size
from autograd.readers.text_width import text_width
from autograd.toy import toy_model

SVG = "{http://www.w3.org/2000/svg}"


def toy_drawing(**options):
    model = toy_model()
    model.loss.backward()
    return model, draw_graph(model.loss, parameters=model.parameters.values(), **options)


def groups(svg: str) -> dict[str, ET.Element]:
    """Every <g> with an id, by id (parsing also proves the SVG is well-formed XML)."""
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def test_dot_source_shows_values_grads_ops_and_local_derivatives():
    _model, drawing = toy_drawing()
    source = drawing.source
    assert "<B>β0</B>" in source and "data 1<BR/>grad 2.2809" in source
    assert "∂/∂f0: cos(f0) = 0.334238" in source  # the local derivative, naming its input
    assert "∂/∂h1: ω1 = -0.4" in source and "∂/∂(f3 - y): 2·(f3 - y) = 0.744528" in source
    assert "rankdir=LR" in source
    assert source.count("shape=ellipse") == 13  # one oval per op: 4 +, 4 ×, sin, exp, cos, -, ^
    assert source.count(">×<") == 4  # multiply is drawn ×


def test_building_a_drawing_needs_no_dot_program(monkeypatch):
    monkeypatch.setattr(draw_module, "find_dot", lambda: None)
    _model, drawing = toy_drawing()
    assert drawing.source.startswith("digraph")  # DOT source without any binary
    with pytest.raises(RuntimeError, match="no dot program found"):
        drawing.svg()


def test_svg_has_ids_roles_and_the_current_step():
    model = toy_model()
    model.loss.backward()
    h1, f1 = model.intermediates["h1"], model.intermediates["f1"]
    product = f1.parents[1]  # ω1·h1
    drawing = draw_graph(
        model.loss, parameters=model.parameters.values(), highlight=[h1, (product, 1)]
    )
    found = groups(drawing.svg())
    assert "current" in found[node_id(h1)].get("class").split()
    assert "current" in found[edge_id(product, 1)].get("class").split()
    assert "current" not in found[edge_id(product, 0)].get("class").split()
    assert found[node_id(model.parameters["ω1"])].get("class") == "box value parameter"
    assert found[node_id(model.x)].get("class") == "box value input"
    assert found[node_id(model.loss)].get("class") == "box value output"
    assert texts(found[op_id(product)]) == ["×"]
    assert texts(found[edge_id(product, 1)]) == ["∂/∂h1: ω1 = -0.4"]
    assert texts(found[node_id(h1)]) == ["h1", "data 0.942489", "grad 6.82419"]


def test_x_times_x_has_two_edges_each_highlighted_on_its_own():
    x = Value(3.0, "x")
    y = x * x
    y.backward()
    for index in (0, 1):
        found = groups(draw_graph(y, highlight=(y, index)).svg())
        assert "current" in found[edge_id(y, index)].get("class")
        assert "current" not in found[edge_id(y, 1 - index)].get("class")


def test_boxes_are_sized_for_their_text_greek_and_chinese_included():
    _model, drawing = toy_drawing(lang="zh")
    for box in drawing.boxes:
        for kind, text in box.lines:
            assert text_width(text, font_size(kind)) <= box.width, (box.id, text)
    assert any(text.startswith("梯度 ") for box in drawing.boxes for _kind, text in box.lines)
    placed = drawing.layout().boxes
    for box in drawing.boxes:  # dot gives each box at least the size stepgrad asked for
        assert placed[box.id].width >= box.width - 1 and placed[box.id].height >= box.height - 1


HOSTILE = [
    '"]; x [label="pwn',
    "<script>alert(1)</script>",
    'a\\"b{c}|<d>',
    "é ∂ \n newline",
    "\\Gamma \\N \\G \\L",
    "bell\x07 and \x00 nul",
    "{{SVG}} {{DATA}}",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_are_drawn_as_written_and_inject_nothing(label):
    x = Value(2.0, label)
    y = (x * x).sin()
    y.label = label + "!"
    y.backward()
    svg = draw_graph(y).svg()
    found = groups(svg)  # well-formed XML, whatever the label
    # Exactly what the graph holds: boxes x, x·x, sin and two ovals; x feeds the multiply twice.
    boxes = [g for g in found.values() if "box" in g.get("class", "").split()]
    edges = [g for g in found.values() if "edge" in g.get("class", "").split()]
    assert len(boxes) == 5 and len(edges) == 5
    assert "<script" not in svg
    assert texts(found[node_id(x)])[0] == visible(label)  # drawn as written, escapes and all


@given(st.text(min_size=1, max_size=12))
def test_any_label_gives_well_formed_svg_showing_it(label):
    x = Value(1.5, label)
    y = x.tanh()
    y.backward()
    found = groups(draw_graph(y).svg())
    assert texts(found[node_id(x)])[0] == visible(label)


def test_a_large_graph_gets_a_summary_not_a_hang():
    model = nn.MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -0.5])
    drawing = draw_graph(out)
    assert len(drawing.boxes) == 1 and drawing.boxes[0].kind == "summary"
    text = " ".join(line for _kind, line in drawing.boxes[0].lines)
    assert "collapse=model.grouping('neurons')" in text and "434 values" in text


def test_collapse_neurons_and_layers_by_the_networks_own_grouping():
    model = nn.MLP(2, [3, 1], seed=0)
    out = model([0.5, -0.5])
    out.backward()
    neurons = draw_graph(out, collapse=model.grouping("neurons"))
    names = {box.lines[0][1] for box in neurons.boxes if box.kind == "group"}
    assert names == {"L1.N1", "L1.N2", "L1.N3", "L2.N1"}
    assert not any(box.kind == "value" for box in neurons.boxes)  # all inside a neuron
    layers = draw_graph(out, collapse=model.grouping("layers"))
    assert {box.lines[0][1] for box in layers.boxes if box.kind == "group"} == {"L1", "L2"}
    assert [(a.tail, a.head) for a in layers.arrows] == [("g_L1", "g_L2")]
    with pytest.raises(ValueError, match="level must be"):
        model.grouping("rows")
    with pytest.raises(TypeError, match="collapse must be"):
        draw_graph(out, collapse="neurons")


def test_save_drawing_formats(tmp_path):
    _, drawing = toy_drawing()
    svg = save_drawing(drawing, tmp_path / "g.svg").read_text()
    assert svg.startswith("<svg") and "<style>" in svg
    assert save_drawing(drawing, tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert "digraph" in save_drawing(drawing, tmp_path / "g.dot").read_text()
    with pytest.raises(ValueError, match="format"):
        save_drawing(drawing, tmp_path / "g.jpeg")
    with pytest.raises(FileNotFoundError):
        save_drawing(drawing, tmp_path / "missing" / "g.svg")


def test_pdf_is_refused_clearly(tmp_path):
    _, drawing = toy_drawing()
    with pytest.raises(ValueError, match="print it to PDF from a browser"):
        save_drawing(drawing, tmp_path / "g.pdf")
    assert not (tmp_path / "g.pdf").exists()


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _cjk_font() -> bool:
    import shutil

    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60)
    return bool(listed.stdout.strip())


def test_png_is_the_svg_rendered_and_chinese_shows(tmp_path):
    """PNG comes from stepgrad's own SVG: the folded layout's shape, and Chinese characters drawn
    as themselves (two different characters give two different pictures; missing glyphs would
    all be the same box)."""
    from autograd.readers.draw import PNG_ZOOM, png_bytes

    _, drawing = toy_drawing(direction="LR", aspect=16 / 9)
    width, height = _png_size(save_drawing(drawing, tmp_path / "g.png").read_bytes())
    layout = drawing.layout()
    assert abs(width - layout.width * PNG_ZOOM) <= 1 and abs(height - layout.height * PNG_ZOOM) <= 1
    assert width / height < 3  # folded, not a 4500 × 680 strip
    if not _cjk_font():
        if os.environ.get("CI"):
            pytest.fail("the Chinese PNG test needs a CJK font (make chromium installs one)")
        pytest.skip("no CJK font (make chromium installs fonts-noto-cjk)")
    pictures = [png_bytes(draw_graph(Value(1.0, ch) * 2, lang="zh")) for ch in "梯度"]
    assert pictures[0] != pictures[1]


def test_jupyter_shows_it_inline():
    _, drawing = toy_drawing()
    assert drawing._repr_mimebundle_()["image/svg+xml"].startswith("<svg")


def test_dot_is_found_in_the_venv_even_off_path():
    """graphviz-pure installs its binary as `graphviz-pure` in the environment's scripts folder,
    which is often not on PATH: a fresh interpreter with an empty PATH must still find it and
    point graphviz 0.21 at it."""
    code = (
        "from autograd.readers.draw import find_dot, draw_graph; from autograd import Value;"
        "import graphviz.backend.dot_command as d; print(find_dot());"
        "svg = draw_graph(Value(1.0, 'x') * 2).svg(); print(d.DOT_BINARY); print(len(svg))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "/nonexistent"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found, configured, size = result.stdout.split("\n")[:3]
    assert Path(found).name in ("graphviz-pure", "dot") and Path(found).exists()
    assert configured == found and int(size) > 500
    import graphviz

    assert graphviz.__version__ == "0.21"


def test_a_long_chain_folds_to_fit_a_16_9_screen():
    _, tall = toy_drawing(direction="TB")
    _, folded = toy_drawing(direction="TB", aspect=16 / 9)
    assert tall.layout().height > 2.5 * tall.layout().width  # one long column
    shape = folded.layout().width / folded.layout().height
    assert 1.2 < shape < 2.6 and len(set(folded.bands.values())) > 1
    assert set(folded.layout().boxes) == {box.id for box in folded.boxes}
    assert set(folded.layout().routes) >= {a.id for a in folded.arrows}


def test_a_folded_chain_turns_beside_itself_and_nothing_overlaps():
    """The snake: consecutive bands, each arrow between two bands a U-turn from one band's end to
    the next band's start, no two boxes overlapping, every box inside the drawing."""
    _, folded = toy_drawing(direction="TB", aspect=16 / 9)
    layout, band = folded.layout(), folded.bands
    crossing = [a for a in folded.arrows if band[a.tail] != band[a.head]]
    assert crossing and all(band[a.head] == band[a.tail] + 1 for a in crossing)
    boxes = list(layout.boxes.values())
    for i, a in enumerate(boxes):
        assert a.x - a.width / 2 >= 0 and a.x + a.width / 2 <= layout.width
        assert a.y - a.height / 2 >= 0 and a.y + a.height / 2 <= layout.height
        for b in boxes[i + 1 :]:
            apart_x = abs(a.x - b.x) >= (a.width + b.width) / 2
            apart_y = abs(a.y - b.y) >= (a.height + b.height) / 2
            assert apart_x or apart_y
    for arrow in crossing:  # the U-turn stays beyond the bands' ends
        curve = layout.routes[arrow.id].curve
        tail, head = layout.boxes[arrow.tail], layout.boxes[arrow.head]
        bottom = band[arrow.tail] % 2 == 0  # a band drawn downwards turns at the bottom
        if bottom:
            assert curve[0][1] == pytest.approx(tail.y + tail.height / 2)
            assert curve[1][1] > max(tail.y + tail.height / 2, head.y + head.height / 2)
        else:
            assert curve[0][1] == pytest.approx(tail.y - tail.height / 2)
            assert curve[1][1] < min(tail.y - tail.height / 2, head.y - head.height / 2)


def text_extents(svg: str) -> list[tuple[str, float, float, float, float]]:
    """Each text of a drawing with its estimated extent (left, top, right, bottom): centred on
    its x and y, as wide as text_width measures it in its font size (an edge label's text has
    no class, and the size of a label)."""
    root = ET.fromstring(svg)
    found = []
    for text in root.iter(f"{SVG}text"):
        content = "".join(text.itertext())
        size = font_size(text.get("class") or "label")
        x, y, half = float(text.get("x")), float(text.get("y")), text_width(content, size) / 2
        found.append((content, x - half, y - size * 0.65, x + half, y + size * 0.65))
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("naming", ["inline", "textbook"])
def test_every_text_lies_inside_the_drawing(naming, lang):
    """No label is cut off at the drawing's edge, folded or not: a wide label on a U-turn between
    two rows (∂/∂f1: h2 = 5.0683, at aspect=16/9 in textbook naming) once reached past it."""
    for direction in ("LR", "TB"):
        for aspect in (None, 4 / 3, 16 / 9, 2.0, 21 / 9, 1.0):
            _, drawing = toy_drawing(naming=naming, lang=lang, direction=direction, aspect=aspect)
            svg = drawing.svg()
            box = ET.fromstring(svg).get("viewBox").split()
            width, height = float(box[2]), float(box[3])
            outside = [
                (text, round(left), round(top), round(right), round(bottom))
                for text, left, top, right, bottom in text_extents(svg)
                if left < 0 or top < 0 or right > width or bottom > height
            ]
            assert outside == [], (direction, aspect, (width, height), outside)


@pytest.mark.parametrize("direction", ["TB", "LR"])
@pytest.mark.parametrize("aspect", [4 / 3, 16 / 9, 2.0])
def test_each_band_of_a_fold_reaches_both_u_turns(direction, aspect):
    """A band shorter than the longest is stretched to its length, so the arrow from the end of
    one band to the start of the next is a short U-turn beyond the bands' ends, never a long
    arc from the middle of the drawing (the demo's cos → h3 once was)."""
    _, folded = toy_drawing(direction=direction, aspect=aspect)
    layout, band = folded.layout(), folded.bands
    along = 1 if direction == "TB" else 0  # the axis the bands run along
    length = layout.height if direction == "TB" else layout.width
    crossing = [a for a in folded.arrows if band[a.tail] != band[a.head]]
    assert crossing
    for arrow in crossing:
        curve = layout.routes[arrow.id].curve
        start, end = curve[0][along], curve[-1][along]
        assert abs(start - end) < 0.12 * length, (arrow.id, start, end, length)
        near_end = min(start, length - start)
        assert near_end < 0.15 * length, (arrow.id, start, length)


def test_a_png_is_written_atomically_like_the_other_formats(tmp_path, monkeypatch):
    """PNG goes through files.write_atomically too (old file or new, never half)."""
    written = []

    def spy(path, content):
        written.append(type(content))
        return write_atomically(path, content)

    monkeypatch.setattr(draw_module, "write_atomically", spy)
    _, drawing = toy_drawing()
    (tmp_path / "out").mkdir()
    (tmp_path / "latest.png").symlink_to(tmp_path / "out" / "g.png")
    save_drawing(drawing, tmp_path / "latest.png")
    assert written == [bytes] and (tmp_path / "latest.png").is_symlink()
    assert (tmp_path / "out" / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["g.png"]


def test_a_collapsed_box_counts_its_values_in_the_singular_and_the_plural():
    x = Value(2.0, "x")
    h = x.sin()
    f = h * h + x
    drawing = draw_graph(f, collapse={h: "one", f: "two", f.parents[0]: "two"})
    notes = {b.lines[0][1]: dict(b.lines)["note"] for b in drawing.boxes if b.kind == "group"}
    assert notes == {"one": "1 value", "two": "2 values"}
    zh = draw_graph(f, collapse={h: "one", f: "two", f.parents[0]: "two"}, lang="zh")
    assert {dict(b.lines)["note"] for b in zh.boxes if b.kind == "group"} == {"1 个值", "2 个值"}
