"""Translations: what stepgrad shows people, in English or Chinese.

stepgrad uses Python's own convention, gettext message catalogs. The English text in the code is
the source (the message id); ``autograd/locale/zh/LC_MESSAGES/stepgrad.po`` holds the Chinese,
compiled to ``stepgrad.mo`` beside it (``make locale`` recompiles it; a test checks that the two
agree). Every reader that shows text takes ``lang="en"`` or ``lang="zh"``::

    >>> translation("zh").gettext("Forward pass")
    '前向传播'
    >>> translation("en").gettext("Forward pass")
    'Forward pass'

The Chinese terms are those of the tutorials stepgrad teaches: 前向传播 (forward pass),
反向传播 (backward pass), 链式法则 (chain rule), 梯度 (gradient), 局部导数 (local derivative),
上游梯度 (upstream gradient).

To translate a new message: mark it in the code (``_ = translation(lang).gettext`` then
``_("…")``), run ``make locale`` (it extracts the messages, merges them into the ``.po`` and
compiles the ``.mo``), fill in the new ``msgstr`` and run ``make locale`` again. A message that
counts something is marked with ``ngettext(singular, plural, count)``, so that "1 answer" and
"3 answers" both read right; Chinese has one form for both (``msgstr[0]``).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["Lang", "LANGUAGES", "LOCALE_DIR", "DOMAIN", "translation", "checked_lang"]

Lang = Literal["en", "zh"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")
"""The languages stepgrad speaks; English is the source language."""

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "stepgrad"


def checked_lang(lang: str) -> Lang:
    """``lang`` if stepgrad speaks it, else a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return "zh" if lang == "zh" else "en"


@cache
def translation(lang: str = "en") -> gettext.NullTranslations:
    """The message catalog for ``lang`` ("en" or "zh"): call ``.gettext(message)`` on it.

    English needs no catalog (the messages are English); Chinese reads the compiled ``.mo``.
    """
    if checked_lang(lang) == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang])
