"""tools/page_shots.py, the presenter's screenshot tool: one PNG per → press at each size, and
bad arguments refused in one line with exit status 2."""

from __future__ import annotations

import importlib.util
import os
import struct
from pathlib import Path

import pytest

from autograd import Value, export_html

TOOL = Path(__file__).resolve().parent.parent / "tools" / "page_shots.py"


def _tool():
    spec = importlib.util.spec_from_file_location("page_shots", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize(
    "args, complaint",
    [
        (["missing.html", "out"], "no page at missing.html"),
        (["PAGE", "out", "--size", "1280by720"], "a size is WIDTHxHEIGHT"),
        (["PAGE", "out", "--presses", "0"], "expected a whole number ≥ 1"),
    ],
)
def test_bad_arguments_are_one_line_and_status_2(tmp_path, capsys, args, complaint):
    page = tmp_path / "page.html"
    page.write_text("<html></html>", encoding="utf-8")
    args = [str(page) if a == "PAGE" else a for a in args]
    with pytest.raises(SystemExit) as stopped:
        _tool().main(args)
    assert stopped.value.code == 2
    assert complaint in capsys.readouterr().err


def test_one_screenshot_per_press_at_each_size(tmp_path):
    pytest.importorskip("playwright.sync_api", reason="needs the screenshots extra")
    tool = _tool()
    if tool._chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("needs chromium (required when CI is set; make chromium installs it)")
        pytest.skip("needs chromium (make chromium installs it)")
    x = Value(1.5, "x")
    page = export_html((x * x).sin(), tmp_path / "steps.html")
    out = tmp_path / "shots"
    assert (
        tool.main([str(page), str(out), "--size", "800x450", "--presses", "4", "--every", "2"]) == 0
    )
    shots = sorted(p.name for p in (out / "800x450").iterdir())
    assert shots == ["step-000.png", "step-002.png", "step-004.png"]
    assert _png_size(out / "800x450" / "step-004.png") == (800, 450)
    assert (out / "800x450" / "step-000.png").read_bytes() != (
        out / "800x450" / "step-004.png"
    ).read_bytes()
