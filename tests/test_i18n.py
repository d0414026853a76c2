"""Translations: the catalogs are complete, compiled from their sources, and used."""

from __future__ import annotations

import gettext

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from autograd.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, translation

TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def catalog(lang: str):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as file:
        return read_po(file)


def marked_messages() -> set[str | tuple[str, str]]:
    """Every message the code marks with _(...) or ngettext(...), as `make locale` extracts them
    (a message with a plural is the pair (singular, plural))."""
    root = LOCALE_DIR.parent
    found = extract_from_dir(root, keywords={"_": None, "ngettext": (1, 2)}, comment_tags=())
    return {message for _file, _line, message, _comments, _context in found if message}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_message_is_translated(lang):
    po = catalog(lang)
    ids = {m.id for m in po if m.id}
    marked = marked_messages()
    assert len(marked) > 20  # the extraction finds the marked messages
    missing = marked - ids
    assert not missing, f"run `make locale` and translate: {sorted(missing)}"
    untranslated = [
        m.id
        for m in po
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not untranslated, f"untranslated or fuzzy in {lang}: {untranslated}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalog_matches_its_source(lang):
    """The committed .mo is the committed .po compiled (`make locale` rebuilds it)."""
    po = catalog(lang)
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as file:
        mo = gettext.GNUTranslations(file)
    keys = set()
    for message in po:
        if isinstance(message.id, tuple):  # a message with a plural: one string per form
            singular, plural = message.id
            assert mo.ngettext(singular, plural, 1) == message.string[mo.plural(1)], singular
            assert mo.ngettext(singular, plural, 2) == message.string[mo.plural(2)], singular
            keys |= {(singular, k) for k in range(len(message.string))}
        elif message.id:
            assert mo.gettext(message.id) == message.string, message.id
            keys.add(message.id)
    assert set(mo._catalog) - {""} == keys  # type: ignore[attr-defined]


def test_translation_of_the_tutorials_terms():
    zh = translation("zh").gettext
    assert zh("Forward pass") == "前向传播"
    assert zh("upstream") == "上游梯度" and zh("local") == "局部导数"
    assert translation("en").gettext("Forward pass") == "Forward pass"
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        translation("fr")
