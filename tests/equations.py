"""An independent check that feedback text never prints a false equation.

Every chain of numbers joined by ``=`` in the text (``0.0707372 · 1 + (-1) · 1.49624 = -1.42551``,
``1.683 / 2.234 = 0.753357``) is evaluated with the safe expression parser and must hold to the
six significant digits that stepgrad shows; every claim ``∂out/∂node = number`` that is not marked
as the student's own ("your …", "你的 …") must be the engine's gradient of that node.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping

from autograd.cli.expression import parse

_NUMBER = r"(?:\(-\d+(?:\.\d+)?(?:e[+-]?\d+)?\)|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
_PRODUCT = rf"{_NUMBER}(?:\s[·+/]\s{_NUMBER})*"
CHAIN = re.compile(rf"(?<![\w.∂(^])(?<![·+/-] ){_PRODUCT}(?:\s=\s{_PRODUCT})+(?![\w(])")
CLAIM = re.compile(
    r"∂(?P<top>[^\s/]+)/∂(?P<node>\([^)]*\)|[\w.₀-₉]+) = (?P<value>-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"
    r"(?![\d.·]|\s[·+/(])"
)
DIGITS = 5e-5  # six significant digits, rounded a few times over


def _value(expression: str) -> tuple[float, float]:
    """The value of a printed arithmetic expression, and the size its rounding scales with."""
    text = expression.replace("·", "*")
    value = parse(text).evaluate({}).data
    scale = parse(re.sub(r"(?<!e)-", "", text)).evaluate({}).data  # every term counted positive
    return value, abs(scale)


def chains(text: str) -> list[list[str]]:
    """Every chain of numeric expressions joined by `` = `` in ``text``."""
    return [match.group(0).split(" = ") for match in CHAIN.finditer(text)]


def assert_true_equations(
    text: str, gradients: Mapping[str, float] | None = None, output: str | None = None
) -> int:
    """Fail unless every numeric chain in ``text`` holds, and (given ``gradients`` by name and
    the ``output``'s name) every unmarked claim ∂output/∂node = number is the engine's. Returns
    how many chains were checked."""
    found = chains(text)
    for chain in found:
        values = [_value(part) for part in chain]
        for (a, scale_a), (b, scale_b) in itertools.pairwise(values):
            tolerance = DIGITS * max(scale_a, scale_b, 1e-300) + 1e-9
            assert abs(a - b) <= tolerance, f"false equation {' = '.join(chain)!r} in:\n{text}"
    if gradients is not None:
        for match in CLAIM.finditer(text):
            before = text[max(0, match.start() - 45) : match.start()].lower()
            inside_a_product = before.rstrip().endswith(("·", "+"))
            if (
                match.group("top") != output
                or inside_a_product
                or "your" in before
                or "你的" in before
            ):
                continue
            node = match.group("node").removeprefix("(").removesuffix(")")
            claimed, engine = float(match.group("value")), gradients[node]
            assert math.isclose(claimed, engine, rel_tol=DIGITS, abs_tol=1e-6), (
                f"∂{output}/∂{node} printed as {claimed}, the engine gets {engine}, in:\n{text}"
            )
    return len(found)
