"""Folding a long graph to fit a screen: a snake of bands, each laid out by dot.

A chain of computations drawn top to bottom is a tall column (the toy model is about 950 × 2760
units); left to right, a long strip. Neither fits a projector. :func:`fold` cuts the chain into
bands of consecutive ranks and lays each band out with dot on its own. The bands stand side by
side (columns, for a top-to-bottom drawing; rows, for left to right) and run alternately
forward and back, like a snake. A band shorter than the longest is laid out again with more
room between its ranks, so every band reaches from one end of the drawing to the other, and
the arrow that leaves one band enters the next one right beside it: a short U-turn beyond the
bands' ends. The number of bands (1 to :data:`MAX_BANDS`) is the one that shows the whole graph
largest on a screen of the given shape (width / height); the drawing itself need not have that
shape (the toy model at 16/9, top to bottom, is four columns, about 2:1).

Everything else about a drawing stays the same: the boxes, their ids, the labels. Only where
things go changes, so the stepper page steps through the very drawing it shows whole.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from .svg import MARGIN, Arrow, Box, Layout, Placed, Route

__all__ = ["ranks", "bands", "fold", "LayOut", "MAX_BANDS"]

MAX_BANDS = 4
"""At most this many bands: more makes each too short to show a step in context."""

LayOut = Callable[[Sequence[Box], Sequence[Arrow], str, float], Layout]
"""Lays out some boxes and the arrows between them in a direction (TB, BT, LR, RL) with dot,
with at least the given gap between ranks (in points)."""

RANK_GAP = 0.4 * 72
"""dot's gap between ranks (``ranksep``, 0.4 inch), in points; a band shorter than the longest
is laid out again with larger gaps, so that both its ends reach the U-turns."""

_GAP = 56.0  # between two bands
_TURN = 64.0  # room beyond the bands' ends for the U-turns
_ARROWHEAD = 10.0
_REVERSED = {"TB": "BT", "LR": "RL"}


def ranks(boxes: Sequence[Box], arrows: Sequence[Arrow]) -> dict[str, int]:
    """Each box's rank: the longest path of arrows that leads to it (sources are rank 0). A
    source (a leaf) is then moved to just before the first box that uses it."""
    incoming: dict[str, list[str]] = {b.id: [] for b in boxes}
    outgoing: dict[str, list[str]] = {b.id: [] for b in boxes}
    for arrow in arrows:
        incoming[arrow.head].append(arrow.tail)
        outgoing[arrow.tail].append(arrow.head)
    waiting = {box: len(tails) for box, tails in incoming.items()}
    ready = [box for box, count in waiting.items() if count == 0]
    rank = dict.fromkeys(ready, 0)
    while ready:
        box = ready.pop()
        for head in outgoing[box]:
            rank[head] = max(rank.get(head, 0), rank[box] + 1)
            waiting[head] -= 1
            if waiting[head] == 0:
                ready.append(head)
    for box, heads in outgoing.items():
        if not incoming[box] and heads:
            rank[box] = min(rank[h] for h in heads) - 1
    return rank


def bands(boxes: Sequence[Box], arrows: Sequence[Arrow], count: int) -> dict[str, int]:
    """Which of ``count`` bands each box goes in: consecutive ranks, cut near equal lengths
    where the fewest arrows cross, and every leaf in the band of the first box that uses it.

    Each crossing arrow costs as many boxes as the step that shows it spans: an arrow into (or
    out of) an op with one input (sin, exp) is cheapest, so the U-turn joins two boxes only
    and the stepper can show that step as closely as any other."""
    rank = ranks(boxes, arrows)
    if not rank or count <= 1:
        return dict.fromkeys(rank, 0)
    low, high = min(rank.values()), max(rank.values())
    depth = high - low + 1
    ops = {b.id for b in boxes if b.kind == "op"}
    inputs: dict[str, int] = {}
    for a in arrows:
        inputs[a.head] = inputs.get(a.head, 0) + 1

    def cost(cut: int) -> float:  # a cut between rank `cut` and `cut + 1`
        crossing = [a for a in arrows if rank[a.tail] <= cut < rank[a.head]]
        return sum(1 + inputs.get(a.head if a.head in ops else a.tail, 0) for a in crossing)

    cuts: list[int] = []
    for j in range(1, count):
        ideal = low + round(j * depth / count) - 1
        nearby = [
            c for c in range(ideal - 2, ideal + 3) if low <= c < high and (not cuts or c > cuts[-1])
        ]
        if not nearby:
            continue
        cuts.append(min(nearby, key=lambda c: (cost(c), abs(c - ideal))))
    band = {box: sum(1 for c in cuts if r > c) for box, r in rank.items()}
    fed = {a.head for a in arrows}
    for box in rank:
        if box not in fed:
            heads = [a.head for a in arrows if a.tail == box]
            if heads:
                band[box] = band[min(heads, key=lambda h: rank[h])]
    return band


def fold(
    boxes: Sequence[Box],
    arrows: Sequence[Arrow],
    direction: str,
    aspect: float,
    lay_out: LayOut,
) -> tuple[Layout, dict[str, int]]:
    """The layout that shows the graph largest on a screen of shape ``aspect`` (width /
    height), folded into 1 to :data:`MAX_BANDS` bands; also which band each box is in."""
    depth = len(set(ranks(boxes, arrows).values()))
    best: tuple[float, Layout, dict[str, int]] | None = None
    for count in range(1, min(MAX_BANDS, max(1, depth // 5)) + 1):
        band = bands(boxes, arrows, count)
        if count > 1 and len(set(band.values())) < count:
            break
        layout = _snake(boxes, arrows, direction, band, lay_out)
        scale = min(aspect / layout.width, 1 / layout.height)
        if best is None or scale > best[0] * 1.04:  # one band more only if clearly larger
            best = (scale, layout, band)
    assert best is not None
    return best[1], best[2]


def _snake(
    boxes: Sequence[Box],
    arrows: Sequence[Arrow],
    direction: str,
    band: dict[str, int],
    lay_out: LayOut,
) -> Layout:
    count = max(band.values(), default=0) + 1
    if count == 1:
        return lay_out(boxes, arrows, direction, RANK_GAP)
    across_x = direction == "TB"  # bands stand side by side along x (columns) or y (rows)

    def along_of(part: Layout) -> float:
        return part.height if across_x else part.width

    def centre_of(box: Placed) -> float:
        return box.y if across_x else box.x

    def band_layout(j: int, gap: float) -> Layout:
        own = [b for b in boxes if band[b.id] == j]
        inner = [a for a in arrows if band[a.tail] == j and band[a.head] == j]
        return lay_out(own, inner, direction if j % 2 == 0 else _REVERSED[direction], gap)

    parts = [band_layout(j, RANK_GAP) for j in range(count)]
    length = max(map(along_of, parts))
    for j, part in enumerate(parts):
        parts[j] = _stretched(part, length, functools.partial(band_layout, j), along_of, centre_of)
    along = [along_of(p) for p in parts]
    length = max(along)
    placed: dict[str, Placed] = {}
    routes: dict[str, Route] = {}
    offset = 0.0
    for j, part in enumerate(parts):
        # Band 0 ends at the far side; band j starts where band j - 1 turned.
        far = j == 0 or (j - 1) % 2 == 0
        shift = _TURN + (length - along[j] if far else 0.0)
        dx, dy = (offset, shift) if across_x else (shift, offset)
        for name, p in part.boxes.items():
            placed[name] = replace(p, x=p.x + dx, y=p.y + dy)
        for name, route in part.routes.items():
            routes[name] = Route(
                tuple((x + dx, y + dy) for x, y in route.curve),
                tuple((x + dx, y + dy) for x, y in route.arrowhead),
                None if route.label is None else (route.label[0] + dx, route.label[1] + dy),
            )
        offset += (part.width if across_x else part.height) + _GAP
    across = offset - _GAP
    far_end = length + 2 * _TURN
    for arrow in arrows:
        tail, head = band[arrow.tail], band[arrow.head]
        if tail != head:
            routes[arrow.id] = _connector(
                placed[arrow.tail], placed[arrow.head], tail, head, across_x, far_end
            )
    width, height = (across, far_end) if across_x else (far_end, across)
    return _fitted(Layout(placed, routes, width, height), arrows)


def _stretched(
    part: Layout,
    length: float,
    again: Callable[[float], Layout],
    along: Callable[[Layout], float],
    centre: Callable[[Placed], float],
) -> Layout:
    """``part`` laid out again with larger gaps between its ranks, so that it is (nearly) as
    long as ``length``: a band as long as the longest starts at one U-turn and ends at the next,
    so the arrows between bands stay short. Its length grows about linearly with the gap, by
    the number of gaps; a try or two more correct the estimate. Never longer than ``length``."""
    gaps = len({round(centre(p)) for p in part.boxes.values()}) - 1
    gap, got = RANK_GAP, along(part)
    if gaps < 1 or length - got < 4.0:
        return part
    slope = float(gaps)  # points of length per point of gap
    for _try in range(3):
        guess = gap + (length - got) / slope
        tried = again(guess)
        grown = along(tried)
        if grown - got < 0.5:  # larger gaps changed nothing
            break
        slope = (grown - got) / (guess - gap)
        if grown <= length + 1.0:
            part, gap, got = tried, guess, grown
        if abs(length - got) < 4.0:
            break
    return part


def _fitted(layout: Layout, arrows: Sequence[Arrow]) -> Layout:
    """``layout`` moved and enlarged so that everything drawn lies inside it, with dot's margin:
    the boxes, the arrows, and the labels of the arrows between bands (a U-turn's label is
    centred on the turn, and a wide one reaches past the bands' ends)."""
    label_size = {a.id: (a.label_width, a.label_height) for a in arrows if a.formula}
    xs: list[float] = []
    ys: list[float] = []
    for p in layout.boxes.values():
        xs += [p.x - p.width / 2, p.x + p.width / 2]
        ys += [p.y - p.height / 2, p.y + p.height / 2]
    for name, route in layout.routes.items():
        for x, y in (*route.curve, *route.arrowhead):
            xs.append(x)
            ys.append(y)
        if route.label is not None and name in label_size:
            (x, y), (w, h) = route.label, label_size[name]
            xs += [x - w / 2, x + w / 2]
            ys += [y - h / 2, y + h / 2]
    if not xs:
        return layout
    dx, dy = max(0.0, MARGIN - min(xs)), max(0.0, MARGIN - min(ys))
    width = max(layout.width + dx, max(xs) + dx + MARGIN)
    height = max(layout.height + dy, max(ys) + dy + MARGIN)
    if (dx, dy, width, height) == (0.0, 0.0, layout.width, layout.height):
        return layout
    return Layout(
        {n: replace(p, x=p.x + dx, y=p.y + dy) for n, p in layout.boxes.items()},
        {
            n: Route(
                tuple((x + dx, y + dy) for x, y in r.curve),
                tuple((x + dx, y + dy) for x, y in r.arrowhead),
                None if r.label is None else (r.label[0] + dx, r.label[1] + dy),
            )
            for n, r in layout.routes.items()
        },
        width,
        height,
    )


def _side(box: Placed, normal: tuple[float, float]) -> tuple[float, float]:
    return box.x + normal[0] * box.width / 2, box.y + normal[1] * box.height / 2


def _connector(
    tail: Placed, head: Placed, tail_band: int, head_band: int, across_x: bool, far_end: float
) -> Route:
    """The U-turn from a box at the end of one band to a box at the start of the next (or, for
    an arrow that skips bands, a curve from the tail's end side to the head's start side)."""
    out = 1.0 if tail_band % 2 == 0 else -1.0  # the end side of the tail's band: far or near
    into = 1.0 if head_band % 2 == 1 else -1.0  # the start side of the head's band
    normal_out = (0.0, out) if across_x else (out, 0.0)
    normal_in = (0.0, into) if across_x else (into, 0.0)
    start = _side(tail, normal_out)
    tip = _side(head, normal_in)
    end = (tip[0] + normal_in[0] * _ARROWHEAD, tip[1] + normal_in[1] * _ARROWHEAD)
    if out == into:  # a U-turn beyond the bands' ends
        level = (far_end - _TURN * 0.45) if out > 0 else _TURN * 0.45
        if across_x:
            first, second = (start[0], level), (end[0], level)
        else:
            first, second = (level, start[1]), (level, end[1])
    else:
        reach = max(60.0, math.dist(start, end) / 3)
        first = (start[0] + normal_out[0] * reach, start[1] + normal_out[1] * reach)
        second = (end[0] + normal_in[0] * reach, end[1] + normal_in[1] * reach)
    curve = (start, first, second, end)
    # The arrowhead points along the curve's last direction, into the head box.
    dx, dy = -normal_in[0], -normal_in[1]
    px, py = -dy * 5.0, dx * 5.0
    arrowhead = ((end[0] + px, end[1] + py), tip, (end[0] - px, end[1] - py))
    middle = tuple((a + 3 * b + 3 * c + d) / 8 for a, b, c, d in zip(*curve))
    return Route(curve, arrowhead, (middle[0], middle[1]))
