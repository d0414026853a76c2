"""The glossary, the README, the Chinese catalog and the notebooks agree; every notebook names its
source, and no internal file number ("seed 001") leaks into what a class reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autograd import glossary
from autograd.i18n import translation

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def notebook_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells)


def test_the_readme_shows_the_glossary_and_the_sources():
    assert glossary.markdown() in README
    assert glossary.sources_markdown() in README


def test_entries_are_complete_and_distinct():
    english = [t.english for t in glossary.GLOSSARY]
    assert len(english) == len(set(english))
    assert all(t.english and t.chinese for t in glossary.GLOSSARY)
    assert glossary.term("error term δ").chinese == "误差项 δ"
    with pytest.raises(KeyError, match="no glossary entry 'backprop'"):
        glossary.term("backprop")


@pytest.mark.parametrize(
    ("message", "english"),
    [
        ("Forward pass", "forward pass"),
        ("Backward pass #1 (intermediates)", "backward pass"),
        ("upstream", "upstream gradient"),
        ("local", "local derivative"),
        ("contribution", "contribution"),
        ("running total", "running total"),
        ("leaf", "leaf"),
        ("node", "node"),
        ("intermediate", "intermediate (value)"),
        ("Gradients", "gradient"),
    ],
)
def test_the_chinese_mode_uses_the_glossary_s_words(message, english):
    chinese = translation("zh").gettext(message)
    assert chinese != message, f"{message!r} is not translated"
    word = glossary.term(english).chinese.split("（")[0]
    assert chinese.split(" ")[0].split("(")[0] in word or chinese.startswith(word)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_names_its_source(path):
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert re.search(r"\*\*(Sources?|出处)\.?\*\*|\*\*出处。\*\*", first), first[:300]


def test_every_chinese_article_is_followed_by_a_notebook():
    texts = "\n".join(notebook_text(p) for p in NOTEBOOKS)
    for source in glossary.SOURCES:
        assert source.title.strip("《》「」") in texts, source.title


def test_no_internal_file_numbers_in_what_a_class_reads():
    pattern = re.compile(r"seeds? \d{3}|\(seed \d", re.IGNORECASE)
    places = [ROOT / "README.md", *NOTEBOOKS, *(ROOT / "autograd").rglob("*.py")]
    places += list((ROOT / "nn").rglob("*.py"))
    found = [str(p.relative_to(ROOT)) for p in places if pattern.search(p.read_text("utf-8"))]
    assert not found, f"internal 'seed NNN' references in {found}"
