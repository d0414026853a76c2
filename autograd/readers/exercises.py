"""Exercises with feedback: check a student's hand-computed gradients, and say which step went wrong.

A student works through a backward pass by hand and writes down ∂output/∂node for some nodes.
:func:`check_work` compares every answer with the engine's gradient and, for each wrong one, says
why. The report leads with the first wrong answer in backward order (the order in which backprop
computes them, from the output down), because a mistake there is carried into everything after it.
The kinds of mistake:

* ``"upstream"``: the local derivative was right, but the upstream gradient it multiplied was not:
  an earlier wrong answer carried along, or the local derivative alone, never multiplied by its
  upstream gradient;
* ``"local"``: the upstream gradient was right, so the local derivative ∂child/∂node was wrong;
* ``"missing_path"``: the answer is the sum over some, but not all, of the paths from the node to
  the output (a node used twice collects a gradient from each use: one was forgotten);
* ``"wrong"``: none of these explains it.

    >>> from autograd import Value
    >>> x = Value(3.0, "x")
    >>> h = x * x
    >>> h.label = "h"
    >>> y = h + x
    >>> y.label = "y"
    >>> report = check_work(y, {"h": 1.0, "x": 6.0})     # ∂y/∂x = 2x + 1 = 7: x → y forgotten
    >>> report.ok, report.first_error.kind, report.first_error.node
    (False, 'missing_path', 'x')

Which factor was wrong can only be told when the student also gave the upstream gradient: with
∂y/∂h given (and right), a wrong ∂y/∂x must come from a local derivative. A node with no answer
written as its own formula is stepped over, as a person does (h3 → ω3·h3 → f3 is the one step
∂f3/∂h3 = ω3). Without the upstream answer, a few typical slips are still recognised (a sign, the
other input's local derivative, the local derivative alone); anything else is ``"wrong"``, with the
chain rule written out.

**Tolerance.** An answer counts as right when it is within 0.1% of the engine's gradient (relative),
or within 1e-6 of it (absolute, for gradients at or near zero): four significant digits always
pass, so rounding by hand is not a mistake. Both are keyword arguments (``rel_tol``, ``abs_tol``),
and the same tolerance decides which explanation fits a wrong answer.

The gradients, local derivatives and paths are the engine's own (a fresh backward pass, the op
records' local-derivative formulas, :func:`autograd.paths`); every ``.grad`` is left as it was.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..core.backward import chain_rule_steps, local_derivatives
from ..core.errors import finite_number as _real
from ..core.graph import topological_order
from ..core.value import Value
from ..i18n import checked_lang, translation
from .display import Names, number, operand
from .formula import Expr, local_derivative_formulas
from .path_sums import count_paths, paths

__all__ = ["check_work", "Report", "Mistake", "Term", "PathTerm", "Kind", "REL_TOL", "ABS_TOL"]

Kind = Literal["upstream", "local", "missing_path", "wrong"]
Reason = Literal[
    "carried", "forgotten", "checked", "guessed", "several", "paths", "uses", "output", "unknown"
]

REL_TOL = 1e-3
"""An answer within 0.1% of the engine's gradient counts as right."""
ABS_TOL = 1e-6
"""… or within 1e-6 of it, for gradients at or near zero."""
MAX_PATHS = 12
"""Above this many paths from a node (2¹² subsets to try), only its direct uses are searched for
a forgotten one."""


@dataclass(frozen=True)
class Term:
    """One use of a node in the chain rule: ``local · upstream`` into its gradient."""

    child: str
    """The node that uses it (the upstream node), by name."""
    formula: str
    """The local derivative ∂child/∂node as the op records write it (``cos(f0)``)."""
    local: float
    upstream: float
    """∂output/∂child."""


@dataclass(frozen=True)
class PathTerm:
    """One path from the node to the output, and whether the student's answer included it."""

    nodes: str
    factors: str
    product: float
    included: bool


@dataclass(frozen=True)
class Mistake:
    """A wrong answer: ``node`` (its name), ``expected`` (the engine's ∂output/∂node), ``given``
    (the student's) and ``kind`` (see the module docstring); the rest is what the explanation
    quotes. ``str(mistake)`` explains it in English, :meth:`explain` in either language."""

    node: str
    expected: float
    given: float
    kind: Kind
    output: str
    reason: Reason
    terms: tuple[Term, ...] = ()
    """The chain rule for this node: one term per use."""
    student_upstream: float | None = None
    """For ``reason="carried"``: the student's (wrong) answer for ``terms[0].child``."""
    implied_local: float | None = None
    """For a wrong local derivative: the one the answer implies, given / upstream."""
    paths: tuple[PathTerm, ...] = ()

    def explain(self, lang: str = "en") -> str:
        """What was expected, and which factor of the chain rule went wrong."""
        return _explain(self, _gettext(lang))

    def __str__(self) -> str:
        return self.explain()


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`check_work`; ``str(report)`` is the explanation."""

    output: str
    checked: tuple[tuple[str, float, float], ...]
    """Every answer, in backward order: (node name, given, expected)."""
    errors: tuple[Mistake, ...]
    """Every wrong answer, in backward order."""
    lang: str = "en"

    @property
    def ok(self) -> bool:
        """True when every answer is right (within the tolerance)."""
        return not self.errors

    @property
    def first_error(self) -> Mistake | None:
        """The first wrong answer in backward order, or None."""
        return self.errors[0] if self.errors else None

    def error_for(self, node: str) -> Mistake | None:
        """The mistake in the answer for ``node`` (by name), or None when it is right."""
        return next((m for m in self.errors if m.node == node), None)

    def __str__(self) -> str:
        _ = _gettext(self.lang)
        count = len(self.checked)
        if not count:
            return _("No answers to check.")
        if self.ok:
            return _("All {count} answers are right.").format(count=count)
        lines = [
            _(
                "{right} of {count} answers are right. The first wrong one, in backward order:"
            ).format(right=count - len(self.errors), count=count),
            self.errors[0].explain(self.lang),
        ]
        if len(self.errors) > 1:
            later = ", ".join(_derivative(self.output, m.node) for m in self.errors[1:])
            lines.append(_("Also wrong, further back: {answers}.").format(answers=later))
        return "\n".join(lines)


def check_work(
    output: Value,
    answers: Mapping[str | Value, float],
    *,
    lang: str = "en",
    rel_tol: float = REL_TOL,
    abs_tol: float = ABS_TOL,
) -> Report:
    """Check hand-computed gradients ∂output/∂node against the engine's, and explain each wrong
    one, the first in backward order first.

    ``answers`` maps nodes, by name as traces show them (a label such as ``"h1"``, or a short
    formula such as ``"f3 - y"``; spaces do not matter) or as the Values themselves, to the
    student's numbers. ``lang="zh"`` explains in Chinese. See the module docstring for the kinds
    of mistake and the tolerance.
    """
    if not isinstance(output, Value):
        raise TypeError(f"check_work needs the output Value first, got {type(output).__name__}")
    if not isinstance(answers, Mapping):
        raise TypeError(
            "check_work needs the answers as a mapping from node names (or Values) to numbers, "
            f"got {type(answers).__name__}"
        )
    _gettext(lang)  # an unknown language is refused before any work
    for name, tolerance in (("rel_tol", rel_tol), ("abs_tol", abs_tol)):
        if not (isinstance(tolerance, int | float) and 0.0 <= tolerance < math.inf):
            raise ValueError(f"check_work: {name} must be a number ≥ 0, got {tolerance!r}")
    graph = _Graph(output)
    given: dict[Value, float] = {}
    for key, answer in answers.items():
        node = graph.find(key)
        if node in given:
            raise ValueError(f"check_work: two answers for {graph.names[node]}")
        given[node] = _finite(answer, f"the answer for {graph.names[node]}")
    checker = _Checker(graph, given, rel_tol, abs_tol)
    order = [node for node in graph.order if node in given]
    checked = tuple((graph.names[n], given[n], graph.grad[n]) for n in order)
    errors = tuple(m for m in map(checker.diagnose, order) if m is not None)
    return Report(graph.names[output], checked, errors, lang)


# ---- the engine's side: every gradient, every use, every path ----------------------------------


@dataclass(frozen=True)
class _Use:
    child: Value
    local: float
    formula: str


class _Graph:
    """The output's graph after a fresh backward pass: each node's gradient and uses."""

    def __init__(self, output: Value) -> None:
        self.output = output
        self.names = Names([output])
        self.order = topological_order([output])  # the output first: backward order
        before = [node.grad for node in self.order]
        try:
            for node in self.order:
                node.grad = 0.0
            output.grad = 1.0
            steps = list(chain_rule_steps(self.order))
            self.grad = {node: _number(node.grad) for node in self.order}
        finally:
            for node, grad in zip(self.order, before):
                node.grad = grad
        self.uses: dict[Value, list[_Use]] = {node: [] for node in self.order}
        for step in steps:
            self.uses[step.parent].append(
                _Use(step.node, _number(step.local), self.local_formula(step.node, step.index))
            )

    def local_formula(self, node: Value, index: int) -> str:
        assert node.op is not None
        formula = local_derivative_formulas(
            node.op, tuple(self.names.expr(p) for p in node.parents), self.names.expr(node)
        )[index]
        return formula.text() if isinstance(formula, Expr) else number(formula)

    def find(self, key: object) -> Value:
        """The node an answer is for: a Value of this graph, or a name as traces show it."""
        if isinstance(key, Value):
            if key not in self.uses:
                raise ValueError(
                    f"check_work: the Value {key!r} is not in the graph of "
                    f"{self.names[self.output]}"
                )
            node = key
        elif isinstance(key, str):
            wanted = _squeezed(key)
            matches = [n for n in self.order if _squeezed(self.names[n]) == wanted]
            if not matches:
                known = ", ".join(self.names[n] for n in reversed(self.order) if not n.is_constant)
                raise KeyError(
                    f"check_work: no node named {key!r} in the graph of "
                    f"{self.names[self.output]}; its nodes are {known}"
                )
            if len(matches) > 1:
                raise KeyError(
                    f"check_work: {len(matches)} nodes are named {key!r}; key the answer by the "
                    "Value itself"
                )
            node = matches[0]
        else:
            raise TypeError(
                f"check_work: answers are keyed by node names or Values, got {key!r} "
                f"of type {type(key).__name__}"
            )
        if node.is_constant:
            raise ValueError(
                f"check_work: {self.names[node]} is a constant, which needs no gradient"
            )
        return node

    def paths_from(self, node: Value) -> list[tuple[str, str, float]] | None:
        """Each path from ``node`` to the output as (nodes, factors, product); None if too many."""
        if count_paths(self.output, node) > MAX_PATHS:
            return None
        found = []
        for path in paths(self.output, node):
            # the nodes a person names (unnamed ones such as 0.01 - out_o1 are stepped over), and
            # the factors other than 1
            shown = [
                name
                for i, (n, name) in enumerate(zip(path.nodes, path.names))
                if i in (0, len(path.nodes) - 1) or not self.names.is_inlined(n)
            ]
            factors = [f.formula for f in path.factors if f.formula != "1"]
            found.append(
                (" → ".join(shown), " · ".join(map(_factor_text, factors)) or "1", path.product)
            )
        return found


# ---- the diagnosis -----------------------------------------------------------------------------


class _Checker:
    def __init__(
        self, graph: _Graph, given: dict[Value, float], rel_tol: float, abs_tol: float
    ) -> None:
        self.graph, self.given = graph, given
        self.rel_tol, self.abs_tol = rel_tol, abs_tol

    def close(self, a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def step(self, use: _Use) -> _Use:
        """``use`` followed up through the unnamed nodes that a person steps over (those written
        as their own formula, such as ω3·h3, used once and given no answer): h3 → ω3·h3 → f3 is
        the one step ∂f3/∂h3 = ω3 · 1, shown as ω3. The local derivatives along it multiply."""
        graph = self.graph
        child, local, formulas = use.child, use.local, [use.formula]
        while (
            child is not graph.output
            and child not in self.given
            and graph.names.is_inlined(child)
            and len(graph.uses[child]) == 1
        ):
            (onward,) = graph.uses[child]
            child, local = onward.child, local * onward.local
            formulas.append(onward.formula)
        shown = [f for f in formulas if f != "1"] or ["1"]
        formula = " · ".join(f"({f})" if len(shown) > 1 and _loose(f) else f for f in shown)
        return _Use(child, local, formula)

    def diagnose(self, node: Value) -> Mistake | None:
        graph, names = self.graph, self.graph.names
        given, expected = self.given[node], graph.grad[node]
        if self.close(given, expected):
            return None
        uses = [self.step(use) for use in graph.uses[node]]
        terms = tuple(Term(names[u.child], u.formula, u.local, graph.grad[u.child]) for u in uses)

        def mistake(kind: Kind, reason: Reason, implied_local: float | None = None) -> Mistake:
            output = names[graph.output]
            return Mistake(
                names[node], expected, given, kind, output, reason, terms, None, implied_local
            )

        if node is graph.output:
            return mistake("wrong", "output")

        # An earlier wrong answer, carried along with the right local derivatives.
        student_up = [self.given.get(u.child, t.upstream) for u, t in zip(uses, terms)]
        carried = [
            i
            for i, (u, t) in enumerate(zip(uses, terms))
            if u.child in self.given and not self.close(student_up[i], t.upstream)
        ]
        if carried and self.close(given, math.fsum(u.local * s for u, s in zip(uses, student_up))):
            first = carried[0]
            return Mistake(
                names[node],
                expected,
                given,
                "upstream",
                names[graph.output],
                "carried",
                (terms[first],),
                student_upstream=student_up[first],
            )

        # Some of the paths (or of the node's uses), but not all.
        found = self.partial_sum(node, terms, given)
        if found is not None:
            return found

        trusted = all(u.child is graph.output or u.child in self.given for u in uses)
        if len(uses) == 1 and terms[0].upstream != 0.0:
            term = terms[0]
            if self.close(given, term.local) and not self.close(term.upstream, 1.0):
                return mistake("upstream", "forgotten")
            implied = given / term.upstream
            if trusted:
                return mistake("local", "checked", implied_local=implied)
            if self.slip(graph.uses[node][0], uses[0], implied):
                return mistake("local", "guessed", implied_local=implied)
        elif len(uses) > 1 and trusted:
            return mistake("local", "several")
        return mistake("wrong", "unknown")

    def slip(self, first: _Use, step: _Use, implied: float) -> bool:
        """Does the implied local derivative look like a typical slip: the wrong sign, 1 or 0
        (no factor), or the local derivative of the child's other input (x for y in x·y)?"""
        rest = step.local / first.local if first.local != 0.0 else 0.0  # the chain above the child
        others = [float(other) * rest for other in local_derivatives(first.child)]
        candidates = [-step.local, 1.0, 0.0, *others]
        return any(self.close(implied, c) for c in candidates if not self.close(c, step.local))

    def partial_sum(self, node: Value, terms: tuple[Term, ...], given: float) -> Mistake | None:
        """A proper, non-empty subset of the paths (or of the uses) that sums to the answer."""
        graph, names = self.graph, self.graph.names
        found = graph.paths_from(node)
        if found is not None and len(found) > 1:
            for included in _proper_subsets(len(found)):
                if self.close(given, math.fsum(found[i][2] for i in included)):
                    listed = tuple(
                        PathTerm(nodes, factors, product, i in included)
                        for i, (nodes, factors, product) in enumerate(found)
                    )
                    return Mistake(
                        names[node],
                        graph.grad[node],
                        given,
                        "missing_path",
                        names[graph.output],
                        "paths",
                        terms,
                        paths=listed,
                    )
        if 1 < len(terms) <= MAX_PATHS:
            contributions = [t.local * t.upstream for t in terms]
            for included in _proper_subsets(len(terms)):
                if self.close(given, math.fsum(contributions[i] for i in included)):
                    return Mistake(
                        names[node],
                        graph.grad[node],
                        given,
                        "missing_path",
                        names[graph.output],
                        "uses",
                        terms,
                    )
        return None


def _proper_subsets(n: int) -> list[tuple[int, ...]]:
    """The non-empty proper subsets of range(n), smallest first (one path before two)."""
    return [subset for size in range(1, n) for subset in itertools.combinations(range(n), size)]


def _number(x: float | Value) -> float:
    """A float step of the chain rule (the float reading gives no Values)."""
    assert not isinstance(x, Value)
    return float(x)


def _factor_text(formula: str) -> str:
    """A factor of a product, in parentheses when it is a negative number: ``(-1)``."""
    try:
        return operand(float(formula))
    except ValueError:
        return formula


def _squeezed(name: str) -> str:
    return "".join(name.split())


def _finite(number: object, where: str) -> float:
    if isinstance(number, Value):
        raise TypeError(f"check_work: {where} must be a number, got a Value ({number!r})")
    return _real(number, f"check_work: {where}")  # refuses NaN and ±inf too


# ---- in words ----------------------------------------------------------------------------------

Gettext = Callable[[str], str]


def _gettext(lang: str) -> Gettext:
    """The message catalog's ``gettext`` for ``lang`` (see :mod:`autograd.i18n`)."""
    return translation(checked_lang(lang)).gettext


def _grouped(name: str) -> str:
    """A name as the variable of ∂: in parentheses when it is a formula (``∂ℓ/∂(f3 - y)``)."""
    return name if re.fullmatch(r"[\w.₀-₉]+", name) else f"({name})"


def _derivative(top: str, bottom: str) -> str:
    return f"∂{_grouped(top)}/∂{_grouped(bottom)}"


def _chain_rule(mistake: Mistake) -> str:
    """``∂y/∂n = cos(n) · ∂y/∂c + … = 0.3 · 2 + … = total``: the chain rule over the node's uses,
    each local derivative as its formula, then with numbers."""
    symbols = " + ".join(
        f"{_grouped_formula(t.formula)} · {_derivative(mistake.output, t.child)}"
        for t in mistake.terms
    )
    numbers = " + ".join(f"{operand(t.local)} · {operand(t.upstream)}" for t in mistake.terms)
    return (
        f"{_derivative(mistake.output, mistake.node)} = {symbols} = {numbers}"
        f" = {number(mistake.expected)}"
    )


def _grouped_formula(formula: str) -> str:
    """A local derivative as a factor: in parentheses when it is a sum or a difference."""
    return f"({formula})" if _loose(formula) else formula


def _loose(formula: str) -> bool:
    """True if the formula has a + or - outside any parentheses (``1 - y·y``, not ``x·(1 - y)``)."""
    depth = 0
    for i, ch in enumerate(formula):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and formula[i : i + 3] in (" + ", " - "):
            return True
    return False


def _factor(formula: str, value: float) -> str:
    """A local derivative as formula and number: ``ω3 (= 3)``, or just ``1``."""
    shown = number(value)
    return shown if formula == shown else f"{formula} (= {shown})"


def _explain(m: Mistake, _: Gettext) -> str:
    n = number
    head = _("{derivative}: you gave {given}, the engine gets {expected}.").format(
        derivative=_derivative(m.output, m.node), given=f"{m.given:.12g}", expected=n(m.expected)
    )
    term = m.terms[0] if m.terms else None
    if m.reason == "output":
        body = _("The gradient of the output with respect to itself is 1.")
    elif m.reason == "carried" and term is not None and m.student_upstream is not None:
        body = _(
            "Your local derivative is right, but the upstream gradient is not: you used your "
            "answer {upstream_name} = {student}, and {upstream_name} is {upstream}."
        ).format(
            upstream_name=_derivative(m.output, term.child),
            student=n(m.student_upstream),
            upstream=n(term.upstream),
        )
    elif m.reason == "forgotten" and term is not None:
        body = _(
            "That is the local derivative {local_name} = {local} alone: multiply it by the "
            "upstream gradient {upstream_name} = {upstream}."
        ).format(
            local_name=_derivative(term.child, m.node),
            local=_factor(term.formula, term.local),
            upstream_name=_derivative(m.output, term.child),
            upstream=n(term.upstream),
        )
    elif m.reason in ("checked", "guessed") and term is not None and m.implied_local is not None:
        if m.reason == "checked":
            message = _(
                "The upstream gradient {upstream_name} = {upstream} is right, so the local "
                "derivative is not: {local_name} = {local}, and your answer implies {implied}."
            )
        else:
            message = _(
                "If the upstream gradient {upstream_name} = {upstream} is right (you did not give "
                "it), the local derivative is not: {local_name} = {local}, and your answer "
                "implies {implied}."
            )
        body = message.format(
            upstream_name=_derivative(m.output, term.child),
            upstream=n(term.upstream),
            local_name=_derivative(term.child, m.node),
            local=_factor(term.formula, term.local),
            implied=n(m.implied_local),
        )
    elif m.reason == "several":
        body = _("The upstream gradients are right, so a local derivative is not:")
    elif m.reason == "paths":
        included = sum(p.included for p in m.paths)
        body = _(
            "Your answer adds up {included} of the {count} paths from {node} to {output}. A "
            "gradient is the sum over every path; the ones marked ✗ are missing:"
        ).format(included=included, count=len(m.paths), node=m.node, output=m.output)
        body += "".join(
            f"\n  {'✓' if p.included else '✗'} {p.nodes}: {p.factors} = {n(p.product)}"
            for p in m.paths
        )
        return f"{head}\n{body}"
    elif m.reason == "uses":
        body = _(
            "{node} is used {count} times, and every use adds to its gradient; your answer "
            "leaves at least one out:"
        ).format(node=m.node, count=len(m.terms))
    else:
        body = _("None of the usual slips explains it. The chain rule for this node:")
    return f"{head}\n{body}\n{_chain_rule(m)}" if m.terms else f"{head}\n{body}"
