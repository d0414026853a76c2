"""Toy datasets for classification, in pure Python and deterministic for a given seed.

Each function returns ``(X, y)``: ``X`` a list of ``[x1, x2]`` points and ``y`` a list of integer
class labels 0, 1, …. For a hinge loss, which wants labels -1 and +1, use ``[2 * t - 1 for t in y]``.

One real dataset: :func:`load_digits`, the 8×8 handwritten digits that scikit-learn ships (an
optional extra). :func:`train_test_split` holds out a seeded share of any dataset for testing.

Arguments are checked first: ``n`` (and ``classes``, ``centers``) whole numbers ≥ 1, ``noise``,
``std`` and ``box`` finite numbers ≥ 0, ``factor`` in [0, 1); anything else raises an error
naming the argument.
"""

from __future__ import annotations

import math
import random

from autograd.extras import require

from . import validate

__all__ = [
    "make_moons",
    "make_circles",
    "make_spirals",
    "make_xor",
    "make_blobs",
    "load_digits",
    "train_test_split",
]

Dataset = tuple[list[list[float]], list[int]]


def _size(where: str, n: object) -> int:
    """The number of points: a whole number ≥ 1."""
    return validate.count(where, "n", n, at_least=1)


def _spread(where: str, name: str, value: object) -> float:
    """A noise level, standard deviation or box size: a finite number ≥ 0."""
    return validate.number(where, name, value, at_least=0.0)


def _shuffled(points: list[list[float]], labels: list[int], rng: random.Random) -> Dataset:
    order = list(range(len(points)))
    rng.shuffle(order)
    return [points[i] for i in order], [labels[i] for i in order]


def _linspace(start: float, stop: float, n: int) -> list[float]:
    return [start + (stop - start) * i / (n - 1) if n > 1 else start for i in range(n)]


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons``)."""
    n, noise = _size("make_moons", n), _spread("make_moons", "noise", noise)
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_outer)]
    points += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n_inner)]
    points = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for a, b in points]
    return _shuffled(points, [0] * n_outer + [1] * n_inner, rng)


def make_circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = 0
) -> Dataset:
    """A circle of class 0 around a smaller one (radius ``factor``) of class 1."""
    n, noise = _size("make_circles", n), _spread("make_circles", "noise", noise)
    factor = validate.number("make_circles", "factor", factor, at_least=0.0, below=1.0)
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points, labels = [], []
    for count, radius, label in ((n_outer, 1.0, 0), (n_inner, factor, 1)):
        for i in range(count):
            t = 2 * math.pi * i / count
            points.append(
                [
                    radius * math.cos(t) + rng.gauss(0.0, noise),
                    radius * math.sin(t) + rng.gauss(0.0, noise),
                ]
            )
            labels.append(label)
    return _shuffled(points, labels, rng)


def make_spirals(
    n: int = 100, classes: int = 2, noise: float = 0.2, seed: int | None = 0
) -> Dataset:
    """``classes`` interleaved spiral arms (the CS231n spiral data)."""
    n, noise = _size("make_spirals", n), _spread("make_spirals", "noise", noise)
    classes = validate.count("make_spirals", "classes", classes, at_least=1)
    rng = random.Random(seed)
    points, labels = [], []
    for k in range(classes):
        count = n // classes + (1 if k < n % classes else 0)
        for i in range(count):
            r = i / max(count - 1, 1)
            t = 4.0 * k + 4.0 * r + rng.gauss(0.0, noise)
            points.append([r * math.sin(t), r * math.cos(t)])
            labels.append(k)
    return _shuffled(points, labels, rng)


def make_xor(n: int = 100, noise: float = 0.2, seed: int | None = 0) -> Dataset:
    """Four clusters at (±1, ±1); class 1 where the signs differ, as in XOR."""
    n, noise = _size("make_xor", n), _spread("make_xor", "noise", noise)
    rng = random.Random(seed)
    corners = [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)]
    points, labels = [], []
    for i in range(n):
        a, b = corners[i % 4]
        points.append([a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)])
        labels.append(int((a > 0) != (b > 0)))
    return _shuffled(points, labels, rng)


def make_blobs(
    n: int = 100, centers: int = 3, std: float = 1.0, box: float = 10.0, seed: int | None = 0
) -> Dataset:
    """Gaussian blobs around ``centers`` random centres in [-box, box]²."""
    n, std = _size("make_blobs", n), _spread("make_blobs", "std", std)
    centers = validate.count("make_blobs", "centers", centers, at_least=1)
    box = _spread("make_blobs", "box", box)
    rng = random.Random(seed)
    middles = [(rng.uniform(-box, box), rng.uniform(-box, box)) for _ in range(centers)]
    points, labels = [], []
    for i in range(n):
        k = i % centers
        points.append([middles[k][0] + rng.gauss(0.0, std), middles[k][1] + rng.gauss(0.0, std)])
        labels.append(k)
    return _shuffled(points, labels, rng)


def load_digits(scale: bool = True) -> Dataset:
    """The 8×8 handwritten digits: 1,797 images of 64 pixels each, labels 0–9.

    Each row of ``X`` is one image, read row by row (pixel ``8·r + c`` is row r, column c), each
    pixel the count of ink in a 4×4 block of the scanned digit, 0–16; ``scale=True`` (the
    default) divides by 16, so pixels lie in [0, 1]. The data is the UCI "Optical Recognition of
    Handwritten Digits" test set (E. Alpaydin and C. Kaynak, 1998; CC BY 4.0), as bundled with
    scikit-learn, which is an optional extra: ``pip install 'stepgrad[datasets]'``.
    """
    datasets = require(
        "sklearn.datasets",
        feature="nn.data.load_digits (the digits scikit-learn ships)",
        extra="datasets",
        package="scikit-learn",
    )
    digits = datasets.load_digits()
    divisor = 16.0 if scale else 1.0
    X = [[float(v) / divisor for v in row] for row in digits.data.tolist()]
    return X, [int(label) for label in digits.target.tolist()]


def train_test_split(
    X: list[list[float]], y: list[int], test_fraction: float = 0.2, seed: int | None = 0
) -> tuple[list[list[float]], list[list[float]], list[int], list[int]]:
    """``(X_train, X_test, y_train, y_test)``: a shuffled ``test_fraction`` of the samples held
    out for testing (at least one, and at least one left to train on), the same split for the
    same seed (scikit-learn's order of results)."""
    if len(X) != len(y):
        raise ValueError(f"train_test_split: {len(X)} inputs but {len(y)} targets")
    if len(X) < 2:
        raise ValueError(f"train_test_split needs at least 2 samples, got {len(X)}")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie between 0 and 1, got {test_fraction!r}")
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    held_out = min(max(1, math.ceil(test_fraction * len(X))), len(X) - 1)
    test, train = order[:held_out], order[held_out:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]
