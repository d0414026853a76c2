"""Exercises with feedback: check a student's hand-computed gradients, and say which step went wrong.

A student works through a backward pass by hand and writes down ∂output/∂node for some nodes.
:func:`check_work` compares every answer with the engine's gradient and, for each wrong one, says
why. The report leads with the first wrong answer in backward order (the order in which backprop
computes them, from the output down), because a mistake there is carried into everything after it;
then it says, for each later wrong answer, whether it only carries that mistake along or adds one of
its own. The kinds of mistake:

* ``"upstream"``: the local derivative was right, but the upstream gradient it multiplied was not:
  the student's own wrong answer for it, carried along (``reason="carried"``); another node's
  gradient in its place (``"swapped"``, e.g. δ_o1 where ∂E/∂out_h1 belongs); or no upstream
  gradient at all, the local derivative alone (``"forgotten"``);
* ``"local"``: the upstream gradient was right, so the local derivative ∂user/∂node (of the node
  that uses it) was wrong; for a node used more than once (``reason="several"``) only when every
  upstream gradient is known (given and right, or the output's own 1), and then the feedback says
  that one number cannot tell which local derivative is wrong;
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
    >>> report.ok, report.first_error.kind, report.first_error.node_name
    (False, 'missing_path', 'x')

An upstream gradient counts as known to the student when they gave it *and it is right*: then a
wrong answer below it must come from the local derivative. When they gave it wrong, an answer that
follows from it by the right local derivative is a carried mistake, not a new one. A node with no
answer written as its own formula is stepped over, as a person does (h3 → ω3·h3 → f3 is the one
step ∂f3/∂h3 = ω3). Without the upstream answer, a few typical slips are still recognised (a sign,
the other input's local derivative, another node's gradient as the upstream one, the local
derivative alone); anything else is ``"wrong"``, with the chain rule written out.

Every equation the feedback prints is true: the chain rule with the engine's numbers, and what the
student computed with their own numbers, labelled as theirs.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ..core.backward import finite_chain_rule_steps, local_derivatives
from ..core.errors import finite_number
from ..core.graph import as_float, topological_order
from ..core.value import Value
from ..i18n import checked_lang, translation
from .display import Names, as_variable, number, operand
from .formula import Expr, local_derivative_formulas
from .path_sums import count_paths, paths

__all__ = [
    "check_work",
    "Report",
    "Mistake",
    "Right",
    "Term",
    "PathTerm",
    "Kind",
    "REL_TOL",
    "ABS_TOL",
]

Kind = Literal["upstream", "local", "missing_path", "wrong"]
Reason = Literal[
    "carried",
    "swapped",
    "forgotten",
    "checked",
    "guessed",
    "both",
    "several",
    "paths",
    "uses",
    "output",
    "unknown",
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
    """One use of a node in the chain rule, ``local · upstream``, and what the answer used there."""

    upstream_name: str
    """The node that uses it (the upstream node), by name."""
    formula: str
    """The local derivative ∂upstream node/∂node as the op records write it (``cos(f0)``)."""
    local: float
    upstream: float
    """∂output/∂upstream node, the engine's."""
    used: float
    """The upstream gradient the student's answer multiplied here: their own answer for the
    upstream node when they gave one, else the engine's; for ``reason="swapped"``, the other
    node's gradient."""
    source: str
    """Whose gradient ``used`` is, by name: ``upstream_name``, or the other node for a swapped
    upstream gradient."""
    yours: bool = False
    """``used`` is the student's own answer for ``source``, and a wrong one."""
    included: bool = True
    """False for a use the answer left out (``reason="uses"``)."""
    position: int = 0
    """Which input of the upstream node the node is (0: the first), for a node used more than
    once by the same upstream node (``x`` is both inputs of ``x·x``)."""


@dataclass(frozen=True)
class PathTerm:
    """One path from the node to the output, and whether the student's answer included it."""

    path_text: str
    """The path written with its nodes' names, ``x → h → y``."""
    formula: str
    """One local derivative per edge, as formulas: ``x · 1``."""
    with_numbers: str
    """The same local derivatives as numbers: ``3 · 1``."""
    product: float
    included: bool


@dataclass(frozen=True)
class Mistake:
    """A wrong answer: ``node_name`` (whose answer), ``expected`` (the engine's ∂output/∂node),
    ``given`` (the student's) and ``kind`` (see the module docstring); ``reason`` says which
    explanation fits, and the rest is what the explanation quotes. ``lang`` is the language of the
    report it belongs to: ``str(mistake)``, :meth:`explain` and :meth:`summary` speak it, so
    ``print(report.error_for("h2"))`` of a Chinese report is Chinese (``explain("en")`` asks for
    another). ``mistake.node`` is the same name (the spelling ``check_work`` was specified with);
    a mistake holds names only, no Values."""

    node_name: str
    expected: float
    given: float
    kind: Kind
    output: str
    reason: Reason
    terms: tuple[Term, ...] = ()
    """The chain rule for this node: one term per use."""
    implied_local: float | None = None
    """For a wrong local derivative: the one the answer implies, given / upstream."""
    paths: tuple[PathTerm, ...] = ()
    lang: str = "en"
    """The language it is explained in by default: its report's."""

    @property
    def node(self) -> str:
        """The node's name, as ``node_name``."""
        return self.node_name

    @property
    def carries(self) -> tuple[str, ...]:
        """The nodes whose wrong answers this answer used as upstream gradients."""
        return tuple(t.source for t in self.terms if t.yours and t.included)

    def explain(self, lang: str | None = None) -> str:
        """What was expected, which factor of the chain rule went wrong, and the chain rule; in
        ``lang``, or the mistake's own language."""
        return _explain(self, _gettext(self.lang if lang is None else lang))

    def summary(self, lang: str | None = None) -> str:
        """One line: a carried mistake with the step that carried it, or what kind of mistake; in
        ``lang``, or the mistake's own language."""
        return _summary(self, _gettext(self.lang if lang is None else lang))

    def __str__(self) -> str:
        """The explanation, in the language of the report the mistake belongs to."""
        return self.explain()


@dataclass(frozen=True)
class Right:
    """A right answer, as :meth:`Report.error_for` returns it: false in a test (``if
    report.error_for("f3"):`` is a wrong answer), and ``print`` says it is right."""

    node_name: str
    expected: float
    given: float
    output: str
    lang: str = "en"

    def __bool__(self) -> bool:
        return False

    def explain(self, lang: str | None = None) -> str:
        """One sentence: the answer, the engine's gradient, and that they agree."""
        _ = _gettext(self.lang if lang is None else lang)
        return _("{derivative}: you gave {given}, the engine gets {expected}: right.").format(
            derivative=_derivative(self.output, self.node_name),
            given=f"{self.given:.12g}",
            expected=number(self.expected),
        )

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
    nodes: tuple[str, ...] = ()
    """The name of every node an answer could be given for, in forward order."""

    @property
    def ok(self) -> bool:
        """True when every answer is right (within the tolerance)."""
        return not self.errors

    @property
    def first_error(self) -> Mistake | None:
        """The first wrong answer in backward order, or None."""
        return self.errors[0] if self.errors else None

    def error_for(self, node_name: str) -> Mistake | Right:
        """The mistake in the answer for the node named ``node_name`` (spaces do not matter);
        for a right answer, a :class:`Right`, which is false in a test and prints as one sentence
        saying the answer is right.

        Raises KeyError, naming the nodes there are, for a name that is not in the graph (a
        typo), and, naming the nodes that have answers, for a node with no answer given."""
        _ = _gettext(self.lang)
        wanted = _squeezed(node_name)
        mistake = next((m for m in self.errors if _squeezed(m.node_name) == wanted), None)
        if mistake is not None:
            return mistake
        for name, given, expected in self.checked:
            if _squeezed(name) == wanted:
                return Right(name, expected, given, self.output, self.lang)
        if any(_squeezed(name) == wanted for name in self.nodes):
            raise KeyError(
                _(
                    "error_for: no answer was given for {name}; answers were given for {answered}"
                ).format(name=node_name, answered=_list([name for name, _a, _e in self.checked], _))
            )
        raise KeyError(
            _(
                "error_for: no node named {name} in the graph of {output}; its nodes are {nodes}"
            ).format(name=repr(node_name), output=self.output, nodes=_list(list(self.nodes), _))
        )

    def __str__(self) -> str:
        """The first wrong answer explained in full; then one line for each later wrong answer,
        saying whether it only carries an earlier mistake or is a mistake of its own."""
        _ = _gettext(self.lang)
        ngettext = translation(checked_lang(self.lang)).ngettext
        count = len(self.checked)
        if not count:
            return _("No answers to check.")
        if self.ok:
            return ngettext("The answer is right.", "All {count} answers are right.", count).format(
                count=count
            )
        first, *later = self.errors
        right = count - len(self.errors)
        lines = [
            _("The answer is wrong:")
            if count == 1
            else ngettext(
                "{right} of {count} answers is right. The first wrong one, in backward order:",
                "{right} of {count} answers are right. The first wrong one, in backward order:",
                right,
            ).format(right=right, count=count),
            first.explain(self.lang),
        ]
        if later:
            lines.append(_("The wrong answers after it:"))
            lines += [f"  • {m.summary(self.lang)}" for m in later]
            if all(m.reason == "carried" for m in later):
                lines.append(
                    _(
                        "So there is one mistake, carried down: fix the first answer, carry the "
                        "right number down, and the others come right with it."
                    )
                )
            else:
                lines.append(
                    _('print(report.error_for("NODE")) explains any of them in full.').replace(
                        "NODE", next(m.node_name for m in later if m.reason != "carried")
                    )
                )
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
    student's numbers. ``lang="zh"`` explains in Chinese (and words its errors in Chinese). See
    the module docstring for the kinds of mistake and the tolerance.
    """
    _ = _gettext(lang)  # an unknown language is refused before any work
    if not isinstance(output, Value):
        raise TypeError(
            _("check_work needs the output Value first, got {type}").format(
                type=type(output).__name__
            )
        )
    if not isinstance(answers, Mapping):
        raise TypeError(
            _(
                "check_work needs the answers as a mapping from node names (or Values) to "
                "numbers, got {type}"
            ).format(type=type(answers).__name__)
        )
    for name, tolerance in (("rel_tol", rel_tol), ("abs_tol", abs_tol)):
        if not (isinstance(tolerance, int | float) and 0.0 <= tolerance < math.inf):
            raise ValueError(
                _("check_work: {name} must be a number ≥ 0, got {value}").format(
                    name=name, value=repr(tolerance)
                )
            )
    graph = _Graph(output)
    given: dict[Value, float] = {}
    for key, answer in answers.items():
        node = graph.find(key, _)
        if node in given:
            raise ValueError(_("check_work: two answers for {node}").format(node=graph.names[node]))
        given[node] = _finite(answer, graph.names[node], _)
    checker = _Checker(graph, given, rel_tol, abs_tol, checked_lang(lang))
    order = [node for node in graph.order if node in given]
    checked = tuple((graph.names[n], given[n], graph.grad[n]) for n in order)
    errors = tuple(m for m in map(checker.diagnose, order) if m is not None)
    nodes = tuple(graph.names[n] for n in reversed(graph.order) if not n.is_constant)
    return Report(graph.names[output], checked, errors, lang, nodes)


# ---- the engine's side: every gradient, every use, every path ----------------------------------


@dataclass(frozen=True)
class _Use:
    user: Value
    """The node that uses the node in question (the upstream node)."""
    local: float
    formula: str
    position: int = 0
    """Which input of ``user`` the node is (0: the first)."""


class _Graph:
    """The output's graph after a fresh backward pass: each node's gradient and uses."""

    def __init__(self, output: Value) -> None:
        self.output = output
        self.names = Names([output])
        self.order = topological_order([output])  # the output first: backward order
        self.position = {node: i for i, node in enumerate(self.order)}
        before = [node.grad for node in self.order]
        try:
            for node in self.order:
                node.grad = 0.0
            output.grad = 1.0
            steps = list(finite_chain_rule_steps(self.order))  # NaN or ±inf raises
            self.grad = {node: as_float(node.grad) for node in self.order}
        finally:
            for node, grad in zip(self.order, before):
                node.grad = grad
        self.uses: dict[Value, list[_Use]] = {node: [] for node in self.order}
        for step in steps:
            self.uses[step.parent].append(
                _Use(
                    step.node,
                    as_float(step.local),
                    self.local_formula(step.node, step.index),
                    step.index,
                )
            )

    def local_formula(self, node: Value, index: int) -> str:
        assert node.op is not None
        formula = local_derivative_formulas(
            node.op, tuple(self.names.expr(p) for p in node.parents), self.names.expr(node)
        )[index]
        return formula.text() if isinstance(formula, Expr) else number(formula)

    def find(self, key: object, _: Gettext) -> Value:
        """The node an answer is for: a Value of this graph, or a name as traces show it."""
        output = self.names[self.output]
        if isinstance(key, Value):
            if key not in self.uses:
                raise ValueError(
                    _("check_work: the Value {value} is not in the graph of {output}").format(
                        value=repr(key), output=output
                    )
                )
            node = key
        elif isinstance(key, str):
            wanted = _squeezed(key)
            matches = [n for n in self.order if _squeezed(self.names[n]) == wanted]
            if not matches:
                known = _list([self.names[n] for n in reversed(self.order) if not n.is_constant], _)
                raise KeyError(
                    _(
                        "check_work: no node named {name} in the graph of {output}; its nodes "
                        "are {nodes}"
                    ).format(name=repr(key), output=output, nodes=known)
                )
            if len(matches) > 1:
                raise KeyError(
                    _(
                        "check_work: {count} nodes are named {name}; key the answer by the "
                        "Value itself"
                    ).format(count=len(matches), name=repr(key))
                )
            node = matches[0]
        else:
            raise TypeError(
                _(
                    "check_work: answers are keyed by node names or Values, got {key} of type "
                    "{type}"
                ).format(key=repr(key), type=type(key).__name__)
            )
        if node.is_constant:
            raise ValueError(
                _("check_work: {node} is a constant, which needs no gradient").format(
                    node=self.names[node]
                )
            )
        return node

    def one_step_paths(self, node: Value) -> bool:
        """True when every path from ``node`` to the output is one use and then the output (or
        the use by the output itself): x → x·x → y, x → y."""
        found = self.paths_from(node)
        return found is not None and all(p[0].count(" → ") <= 2 for p in found)

    def paths_from(self, node: Value) -> list[tuple[str, str, str, float]] | None:
        """Each path from ``node`` to the output as (nodes, factors, numbers, product), with every
        node on it and one factor per edge; None if there are too many to try subsets of."""
        if count_paths(self.output, node) > MAX_PATHS:
            return None
        return [
            (
                " → ".join(path.names),
                " · ".join(_grouped_formula(f.formula, i == 0) for i, f in enumerate(path.factors)),
                " · ".join(operand(f.value) for f in path.factors),
                path.product,
            )
            for path in paths(self.output, node)
        ]


# ---- the diagnosis -----------------------------------------------------------------------------


class _Checker:
    def __init__(
        self,
        graph: _Graph,
        given: dict[Value, float],
        rel_tol: float,
        abs_tol: float,
        lang: str = "en",
    ) -> None:
        self.graph, self.given = graph, given
        self.rel_tol, self.abs_tol = rel_tol, abs_tol
        self.lang = lang

    def close(self, a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=self.rel_tol, abs_tol=self.abs_tol)

    def step(self, use: _Use, answered: bool = True) -> _Use:
        """``use`` followed up through the unnamed nodes that a person steps over (those written
        as their own formula, such as ω3·h3, used once and given no answer): h3 → ω3·h3 → f3 is
        the one step ∂f3/∂h3 = ω3 · 1, shown as ω3. The local derivatives along it multiply.
        With ``answered=False``, a node the student gave an answer for is stepped over too."""
        graph = self.graph
        user, local, formulas = use.user, use.local, [use.formula]
        while (
            user is not graph.output
            and (user not in self.given or not answered)
            and graph.names.is_inlined(user)
            and len(graph.uses[user]) == 1
        ):
            (onward,) = graph.uses[user]
            user, local = onward.user, local * onward.local
            formulas.append(onward.formula)
        shown = [f for f in formulas if f != "1"] or ["1"]
        formula = " · ".join(f"({f})" if len(shown) > 1 and _loose(f) else f for f in shown)
        return _Use(user, local, formula, use.position)

    def steps(self, ordered: list[_Use]) -> list[_Use]:
        """Each use :meth:`step`-ped over unnamed nodes, unless that would make two uses one: in
        y = x·x + sin(x), stepping over x·x and sin(x) would name all three uses of x "used by
        y", each times ∂y/∂y, and no longer say which use is which. Then no use is stepped over,
        and each is named by the node that uses x (x·x, twice, and sin(x)). Whether two uses
        would become one is decided as if no answer were given, so that answering ∂y/∂(x·x)
        does not change how the use by sin(x) is named."""
        free = [self.step(use, answered=False) for use in ordered]
        for (a, a_free), (b, b_free) in itertools.combinations(zip(ordered, free), 2):
            if a_free.user is b_free.user and (
                a.user is not a_free.user or b.user is not b_free.user
            ):
                return ordered
        return [self.step(use) for use in ordered]

    def term(self, use: _Use) -> Term:
        """The chain-rule term of ``use``, with the upstream gradient the student would have used:
        their own answer for the upstream node when they gave one."""
        graph, name = self.graph, self.graph.names[use.user]
        upstream = graph.grad[use.user]
        if use.user in self.given:
            answer = self.given[use.user]
            return Term(
                name,
                use.formula,
                use.local,
                upstream,
                answer,
                name,
                not self.close(answer, upstream),
                position=use.position,
            )
        return Term(name, use.formula, use.local, upstream, upstream, name, position=use.position)

    def diagnose(self, node: Value) -> Mistake | None:
        graph, names = self.graph, self.graph.names
        given, expected = self.given[node], graph.grad[node]
        if self.close(given, expected):
            return None
        # each use, in the order the forward pass made them (o1 before o2, as a person lists them)
        ordered = sorted(graph.uses[node], key=lambda use: -graph.position[use.user])
        uses = self.steps(ordered)
        terms = tuple(self.term(use) for use in uses)

        def mistake(
            kind: Kind,
            reason: Reason,
            shown: tuple[Term, ...] = terms,
            implied_local: float | None = None,
            listed: tuple[PathTerm, ...] = (),
        ) -> Mistake:
            return Mistake(
                names[node],
                expected,
                given,
                kind,
                names[graph.output],
                reason,
                shown,
                implied_local,
                listed,
                self.lang,
            )

        if node is graph.output:
            return mistake("wrong", "output", ())

        # The student's own wrong answer upstream, carried along by the right local derivatives.
        if any(t.yours for t in terms) and self.close(given, _total(terms)):
            return mistake("upstream", "carried")

        # Some of the paths (or of the node's uses), but not all. With every upstream gradient
        # given and right, the paths beyond them are not in question: only the node's own uses.
        # An upstream gradient is known when the student gave it and it is right; the output's
        # own (1) is known unless they gave it wrong.
        trusted = all(
            not term.yours and (use.user is graph.output or use.user in self.given)
            for use, term in zip(uses, terms)
        )
        # Without them, the paths beyond are in question too, and a path left out is listed with
        # every node on it; but where each path is one use of the node and then the output (as in
        # y = x·x + sin(x)), the node's uses say the same, naming each upstream gradient.
        short = not trusted and self.graph.one_step_paths(node)
        listed = None if trusted or short else self.partial_paths(node, given)
        if listed is not None:
            return mistake("missing_path", "paths", listed=listed)
        if len(terms) > 1:
            for included in _proper_subsets(len(terms)):
                subset = tuple(replace(t, included=i in included) for i, t in enumerate(terms))
                if self.close(given, _total(subset)):
                    return mistake("missing_path", "uses", subset)
        listed = self.partial_paths(node, given) if short else None
        if listed is not None:
            return mistake("missing_path", "paths", listed=listed)

        # The local derivative alone, never multiplied by an upstream gradient.
        locals_only = math.fsum(t.local for t in terms)
        if self.close(given, locals_only) and not self.close(locals_only, _total(terms)):
            return mistake("upstream", "forgotten")

        # Another node's gradient in place of one upstream gradient.
        swapped = self.swapped(node, uses, terms, given)
        if swapped is not None:
            return mistake("upstream", "swapped", swapped)

        if len(terms) == 1 and terms[0].used != 0.0:
            term = terms[0]
            if term.yours:  # the student's upstream gradient, itself wrong: what they multiplied
                return mistake("local", "both", implied_local=given / term.used)
            implied = given / term.upstream
            if trusted:
                return mistake("local", "checked", implied_local=implied)
            if self.slip(ordered[0], uses[0], implied):
                return mistake("local", "guessed", implied_local=implied)
        elif len(terms) > 1 and trusted:
            return mistake("local", "several")
        return mistake("wrong", "unknown")

    def slip(self, first: _Use, step: _Use, implied: float) -> bool:
        """Does the implied local derivative look like a typical slip: the wrong sign, 1 or 0
        (no factor), or the local derivative of the user's other input (x for y in x·y)?"""
        rest = step.local / first.local if first.local != 0.0 else 0.0  # the chain above the user
        others = [float(other) * rest for other in local_derivatives(first.user)]
        candidates = [-step.local, 1.0, 0.0, *others]
        return any(self.close(implied, c) for c in candidates if not self.close(c, step.local))

    def swapped(
        self, node: Value, uses: list[_Use], terms: tuple[Term, ...], given: float
    ) -> tuple[Term, ...] | None:
        """The terms with one upstream gradient replaced by another node's gradient (or by the
        student's answer for another node) so that they add up to the answer, if there is one.
        Never a node below this one (its gradient is made from this one's). Of several
        candidates, the likeliest: an answer the student wrote down, then a named intermediate
        already computed in backward order, nearest to the right one."""
        graph = self.graph
        total = _total(terms)
        below = set(topological_order([node]))  # their gradients come from this one's: not these
        found: list[tuple[tuple[int, int, int, int, int], tuple[Term, ...]]] = []
        for i, (use, term) in enumerate(zip(uses, terms)):
            if term.local == 0.0:
                continue
            rest = total - term.local * term.used
            for other in graph.order:
                if other in below or other in (use.user, graph.output) or other.is_constant:
                    continue
                gradient = graph.grad[other]
                options = [(gradient, False)]
                if other in self.given and not self.close(self.given[other], gradient):
                    options.append((self.given[other], True))
                for value, yours in options:
                    if abs(value) <= self.abs_tol or self.close(value, term.used):
                        continue
                    if not self.close(given, rest + term.local * value):
                        continue
                    rank = (
                        other not in self.given,
                        graph.names.is_inlined(other),
                        other.is_leaf,
                        graph.position[other] > graph.position[node],
                        abs(graph.position[other] - graph.position[use.user]),
                    )
                    changed = replace(term, used=value, source=graph.names[other], yours=yours)
                    found.append((rank, (*terms[:i], changed, *terms[i + 1 :])))
        return min(found, key=lambda item: item[0])[1] if found else None

    def partial_paths(self, node: Value, given: float) -> tuple[PathTerm, ...] | None:
        """The paths listed, when a proper, non-empty subset of them sums to the answer."""
        found = self.graph.paths_from(node)
        if found is None or len(found) < 2:
            return None
        for included in _proper_subsets(len(found)):
            if self.close(given, math.fsum(found[i][3] for i in included)):
                return tuple(
                    PathTerm(path_text, formula, with_numbers, product, i in included)
                    for i, (path_text, formula, with_numbers, product) in enumerate(found)
                )
        return None


def _total(terms: tuple[Term, ...]) -> float:
    """What the student's answer is, if it used these terms: Σ local · used over those included."""
    return math.fsum(t.local * t.used for t in terms if t.included)


def _proper_subsets(n: int) -> list[tuple[int, ...]]:
    """The non-empty proper subsets of range(n), smallest first (one path before two)."""
    return [subset for size in range(1, n) for subset in itertools.combinations(range(n), size)]


def _squeezed(name: str) -> str:
    return "".join(name.split())


def _finite(answer: object, node: str, _: Gettext) -> float:
    if isinstance(answer, Value):
        raise TypeError(
            _("check_work: the answer for {node} must be a number, got a Value ({value})").format(
                node=node, value=repr(answer)
            )
        )
    try:
        return finite_number(answer, node)
    except TypeError:
        raise TypeError(
            _(
                "check_work: the answer for {node} needs a real number, got {value} of type {type}"
            ).format(node=node, value=repr(answer), type=type(answer).__name__)
        ) from None
    except ValueError:
        raise ValueError(
            _("check_work: the answer for {node} must be a finite number, got {value}").format(
                node=node, value=repr(answer)
            )
        ) from None


# ---- in words ----------------------------------------------------------------------------------

Gettext = Callable[[str], str]


def _gettext(lang: str) -> Gettext:
    """The message catalog's ``gettext`` for ``lang`` (see :mod:`autograd.i18n`)."""
    return translation(checked_lang(lang)).gettext


def _list(items: list[str], _: Gettext) -> str:
    """Names listed: ``a, b, c`` (in Chinese ``a、b、c``)."""
    return _(", ").join(items)


def _derivative(top: str, bottom: str) -> str:
    return f"∂{as_variable(top)}/∂{as_variable(bottom)}"


def _grouped_formula(formula: str, first: bool = False) -> str:
    """A local derivative as a factor: in parentheses when it is a sum or a difference, or when
    it starts with a minus sign and is not the first thing written (``x · (-sin(a))``)."""
    try:
        return operand(float(formula))
    except ValueError:
        pass
    if _loose(formula) or (formula.startswith("-") and not first):
        return f"({formula})"
    return formula


def _loose(formula: str) -> bool:
    """True if the formula has a + or - outside any parentheses (``1 - y·y``, not ``x·(1 - y)``)."""
    depth = 0
    for i, ch in enumerate(formula):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and formula[i : i + 3] in (" + ", " - "):
            return True
    return False


def _local(formula: str, value: float) -> str:
    """A local derivative as formula and number, ``-sin(f2) = -0.753523``, or just ``1``."""
    shown = number(value)
    return shown if formula == shown else f"{formula} = {shown}"


def _products(terms: tuple[Term, ...], output: str, right: bool) -> tuple[str, str, float]:
    """The included terms as symbols (``ω2 · ∂ℓ/∂f2 + …``), as numbers (``2 · 1.683 + …``) and
    their sum: with the engine's upstream gradients when ``right``, else with those used."""
    shown = [t for t in terms if right or t.included]
    symbols = " + ".join(
        f"{_grouped_formula(t.formula, i == 0)} · "
        f"{_derivative(output, t.upstream_name if right else t.source)}"
        for i, t in enumerate(shown)
    )
    numbers = " + ".join(
        f"{operand(t.local)} · {operand(t.upstream if right else t.used)}" for t in shown
    )
    total = math.fsum(t.local * (t.upstream if right else t.used) for t in shown)
    return symbols, numbers, total


def _chain_rule(m: Mistake) -> str:
    """``∂y/∂n = cos(n) · ∂y/∂c + … = 0.3 · 2 + … = total``: the chain rule over every use of
    the node, each local derivative as its formula, then with the engine's numbers."""
    symbols, numbers, _sum = _products(m.terms, m.output, right=True)
    return f"{_derivative(m.output, m.node_name)} = {symbols} = {numbers} = {number(m.expected)}"


def _yours(m: Mistake, _: Gettext) -> str:
    """What the student computed, with their own numbers: never written as ∂y/∂n = …, because
    it is not."""
    symbols, numbers, total = _products(m.terms, m.output, right=False)
    return _("you computed {symbols} as {numbers} = {total}").format(
        symbols=symbols, numbers=numbers, total=number(total)
    )


def _explain(m: Mistake, _: Gettext) -> str:
    n = number
    head = _("{derivative}: you gave {given}, the engine gets {expected}.").format(
        derivative=_derivative(m.output, m.node_name),
        given=f"{m.given:.12g}",
        expected=n(m.expected),
    )
    if m.reason == "output":
        return f"{head}\n" + _("The gradient of the output with respect to itself is 1.")
    if m.reason == "paths":
        included = sum(p.included for p in m.paths)
        body = _(
            "Your answer adds up {included} of the {count} paths from {node} to {output}. A "
            "gradient is the sum over every path; the ones marked ✗ are missing:"
        ).format(included=included, count=len(m.paths), node=m.node_name, output=m.output)
        body += "".join(
            f"\n  {'✓' if p.included else '✗'} "
            + _("{nodes}: {factors}").format(nodes=p.path_text, factors=p.formula)
            + ("" if p.with_numbers == n(p.product) else f" = {p.with_numbers}")
            + f" = {n(p.product)}"
            for p in m.paths
        )
        return f"{head}\n{body}"
    term = m.terms[0]
    lines = [head]
    if m.reason == "carried":
        wrong = [t for t in m.terms if t.yours and t.included]
        lines.append(
            (
                _(
                    "Your local derivative is right, but you multiplied it by your wrong answer "
                    "{answers}."
                )
                if len(m.terms) == 1
                else _(
                    "Your local derivatives are right, but you multiplied them by your wrong "
                    "answer {answers}."
                )
            ).format(answers=_wrong_answers(wrong, m.output, _))
        )
        lines += ["  " + _yours(m, _), "  " + _chain_rule(m)]
    elif m.reason == "swapped":
        (changed,) = [t for t in m.terms if t.source != t.upstream_name]
        used = f"{_derivative(m.output, changed.source)} = {n(changed.used)}"
        lines.append(
            _(
                "Your local derivative {local_name} = {local} is right, but you multiplied it by "
                "{used}, the gradient of {source}. The upstream gradient here is "
                "{upstream_name} = {upstream}: the gradient of {child}, the node that uses {node}."
            ).format(
                local_name=_derivative(changed.upstream_name, m.node_name),
                local=_local(changed.formula, changed.local),
                used=_("your answer {answer}").format(answer=used) if changed.yours else used,
                source=changed.source,
                upstream_name=_derivative(m.output, changed.upstream_name),
                upstream=n(changed.upstream),
                child=changed.upstream_name,
                node=m.node_name,
            )
        )
        lines += ["  " + _yours(m, _), "  " + _chain_rule(m)]
    elif m.reason == "forgotten":
        lines.append(
            _(
                "That is the local derivative {local_name} = {local} alone: multiply it by the "
                "upstream gradient {upstream_name} = {upstream}."
            ).format(
                local_name=_derivative(term.upstream_name, m.node_name),
                local=_local(term.formula, term.local),
                upstream_name=_derivative(m.output, term.upstream_name),
                upstream=n(term.upstream),
            )
            if len(m.terms) == 1
            else _(
                "That is the sum of the local derivatives alone: multiply each by its upstream "
                "gradient."
            )
        )
        lines.append(_chain_rule(m))
    elif m.reason in ("checked", "guessed", "both") and m.implied_local is not None:
        message = {
            "checked": _(
                "The upstream gradient {upstream_name} = {upstream} is right, so the local "
                "derivative is not: your answer implies a local derivative of {division} = "
                "{implied}, but {local_name} = {local}."
            ),
            "guessed": _(
                "If the upstream gradient {upstream_name} = {upstream} is right (you did not give "
                "it), the local derivative is not: your answer implies a local derivative of "
                "{division} = {implied}, but {local_name} = {local}."
            ),
            "both": _(
                "Your answer for the upstream gradient, {upstream_name} = {student}, is wrong "
                "(the engine gets {upstream}), and the local derivative is wrong as well: with "
                "your upstream gradient, your answer implies a local derivative of {division} = "
                "{implied}, but {local_name} = {local}."
            ),
        }[m.reason]
        lines.append(
            message.format(
                upstream_name=_derivative(m.output, term.upstream_name),
                upstream=n(term.upstream),
                student=n(term.used),
                division=f"{n(m.given)} / {operand(term.used if term.yours else term.upstream)}",
                implied=n(m.implied_local),
                local_name=_derivative(term.upstream_name, m.node_name),
                local=_local(term.formula, term.local),
            )
        )
        lines.append(_chain_rule(m))
    elif m.reason == "several":
        upstream = {
            t.upstream_name: f"{_derivative(m.output, t.upstream_name)} = {n(t.upstream)}"
            for t in m.terms
        }
        lines += [
            _(
                "The upstream gradients are known ({upstream}), so a local derivative is wrong; "
                "your answer alone does not say which one. The chain rule for this node:"
            ).format(upstream=_list(list(upstream.values()), _)),
            _chain_rule(m),
        ]
    elif m.reason == "uses":
        lines.append(
            _(
                "{node} is used {count} times: {uses}. Every use adds to its gradient, and your "
                "answer leaves out {left_out}:"
            ).format(
                node=m.node_name,
                count=len(m.terms),
                uses=_uses(m.terms, _),
                left_out=_left_out(m.terms, _),
            )
        )
        lines += ["  " + _yours(m, _), "  " + _chain_rule(m)]
    else:
        lines += [
            _("None of the usual slips explains it. The chain rule for this node:"),
            _chain_rule(m),
        ]
    return "\n".join(lines)


def _by_user(terms: tuple[Term, ...]) -> dict[str, list[Term]]:
    """The terms grouped by the node that uses the node, in the order of the terms."""
    groups: dict[str, list[Term]] = {}
    for t in terms:
        groups.setdefault(t.upstream_name, []).append(t)
    return groups


def _and(items: list[str], _: Gettext) -> str:
    """``a and b``, ``a, b and c`` (in Chinese ``a，b``, ``a、b，c``): uses of a node."""
    if len(items) == 1:
        return items[0]
    return _("{uses} and {last_use}").format(uses=_list(items[:-1], _), last_use=items[-1])


def _ordinal(position: int, _: Gettext) -> str:
    """Which input: ``first``, ``second``, ``third``, else ``no. 4``."""
    if position < 3:
        return [_("first"), _("second"), _("third")][position]
    return _("no. {number}").format(number=position + 1)


def _uses(terms: tuple[Term, ...], _: Gettext) -> str:
    """``twice by x·x (as its first and second input) and once by sin(x)``."""
    said = []
    for user, group in _by_user(terms).items():
        count = len(group)
        text = (
            _("once by {user}")
            if count == 1
            else _("twice by {user}")
            if count == 2
            else _("{count} times by {user}")
        ).format(user=user, count=count)
        if count > 1:
            inputs = [_ordinal(t.position, _) for t in group]
            both = _("{inputs} and {last_input}").format(
                inputs=_list(inputs[:-1], _), last_input=inputs[-1]
            )
            text += _(" (as its {inputs} input)").format(inputs=both)
        said.append(text)
    return _and(said, _)


def _left_out(terms: tuple[Term, ...], _: Gettext) -> str:
    """``its two uses by x·x``, ``its use by y``, ``1 of its 2 uses by h``."""
    said = []
    for user, group in _by_user(terms).items():
        missing, total = sum(not t.included for t in group), len(group)
        if not missing:
            continue
        if total == 1:
            said.append(_("its use by {user}").format(user=user))
        elif missing == total == 2:
            said.append(_("its two uses by {user}").format(user=user))
        elif missing == total:
            said.append(_("its {count} uses by {user}").format(count=total, user=user))
        else:
            said.append(
                _("{count} of its {total} uses by {user}").format(
                    count=missing, total=total, user=user
                )
            )
    return _and(said, _)


def _wrong_answers(terms: list[Term], output: str, _: Gettext) -> str:
    """``∂f/∂a = 2 (the engine gets 1.49624)``, for each of the student's wrong upstream answers."""
    return _list(
        [
            _("{name} = {yours} (the engine gets {right})").format(
                name=_derivative(output, t.source), yours=number(t.used), right=number(t.upstream)
            )
            for t in terms
        ],
        _,
    )


def _summary(m: Mistake, _: Gettext) -> str:
    derivative = _derivative(m.output, m.node_name)
    if m.reason == "carried":
        return _(
            "Your {derivative} = {given} follows from your wrong {carried}: {yours}, a right step "
            "on a wrong number."
        ).format(
            derivative=derivative,
            given=f"{m.given:.12g}",
            carried=_list([_derivative(m.output, c) for c in m.carries], _),
            yours=_yours(m, _),
        )
    what = {
        "swapped": _("another node's gradient used as the upstream gradient"),
        "forgotten": _("the upstream gradient left out"),
        "checked": _("a wrong local derivative"),
        "guessed": _("a wrong local derivative"),
        "several": _("a wrong local derivative"),
        "both": _("a wrong local derivative, on top of a wrong upstream gradient"),
        "paths": _("a path left out"),
        "uses": _("a path left out"),
        "output": _("the output's gradient with respect to itself is 1"),
        "unknown": _("no single typical slip explains it"),
    }[m.reason]
    return _("{derivative}: a mistake of its own ({what}).").format(
        derivative=derivative, what=what
    )
