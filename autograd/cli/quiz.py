"""``stepgrad quiz``: practise backprop by hand, one gradient at a time, with feedback.

The quiz draws a small random expression of x and y (from ``--seed``, so a class can share one),
shows its forward pass, and asks for ∂f/∂node for every node, in backward order: from f down to the
inputs, as backprop computes them. Each answer is checked by :func:`autograd.check_work`, so a
wrong one is explained as in the notebooks' exercises: a wrong local derivative, a wrong upstream
gradient, or a forgotten path.

After a wrong answer the quiz says the right value and carries on from it, as a tutor would: the
later questions are checked against the right upstream gradients, so each tests its own step. An
answer that instead carries the student's own earlier wrong value along is recognised and said to
be so (the step is right, the number it started from is not).

    $ stepgrad quiz --seed 7
    stepgrad quiz, seed 7: the gradients of f, from f back to the inputs.
      x = 1.5,  y = -0.5
      a = x·y = -0.75
      …
    ∂f/∂b = ? 1
      ✓ right
    …

An answer is a number or arithmetic on numbers and the names shown, each standing for its value
(``-0.5``, ``2*cos(1.5)``, ``-sin(a)·y``); ``·``, ``×``, ``−``, ``^`` and ``²`` are read as the
quiz prints them. ``?`` shows the answer, ``q`` (or the end of the input) stops. Exit status 0, or
2 for a bad option.
"""

from __future__ import annotations

import argparse
import math
import operator
import random
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO, cast

from ..core.backward import pass_gradients
from ..core.graph import topological_order
from ..core.value import Value
from ..i18n import translation
from ..readers.display import Names
from ..readers.display import number as short_number
from ..readers.exercises import Mistake, Right, check_work
from ..readers.tracing import formula_text
from .expression import ExpressionError, parse

__all__ = ["Quiz", "make_quiz", "add_parser", "run", "read_answer"]

INPUTS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)
"""The values x and y are drawn from: small, and easy to compute with by hand."""

UNARY: dict[str, Callable[[Value], Value]] = {
    "sin": lambda v: v.sin(),
    "cos": lambda v: v.cos(),
    "exp": lambda v: v.exp(),
    "tanh": lambda v: v.tanh(),
    "square": lambda v: v**2,
}
BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
}
NAMES = "abcde"
MAX_STEPS = 6
"""At most six ops: a … e, then f."""


@dataclass(frozen=True)
class Quiz:
    """A drawn expression: its output ``f``, its inputs, and the nodes to ask about, in order."""

    seed: int
    output: Value
    inputs: tuple[Value, ...]
    intermediates: tuple[Value, ...]
    questions: tuple[Value, ...]
    """Every node but f, in backward order."""


def make_quiz(seed: int, steps: int = 3) -> Quiz:
    """Draw the quiz for ``seed``: ``steps`` ops over x and y. The first combines x and y; after
    it, unary and binary ops alternate, each applied to the latest node, a binary one also to an
    earlier node; the last is always binary, so that some gradient is a sum over two paths."""
    if not 2 <= steps <= MAX_STEPS:
        raise ValueError(f"a quiz has 2 to {MAX_STEPS} steps, got {steps}")
    rng = random.Random(seed)
    x, y = Value(rng.choice(INPUTS), "x"), Value(rng.choice(INPUTS), "y")
    nodes = [BINARY[rng.choice(sorted(BINARY))](x, y)]
    for k in range(2, steps + 1):
        if k % 2 == 0 and k < steps:
            nodes.append(UNARY[rng.choice(sorted(UNARY))](nodes[-1]))
        else:
            earlier = rng.choice([x, y, *nodes[:-1]])
            nodes.append(BINARY[rng.choice(sorted(BINARY))](nodes[-1], earlier))
    *inner, output = nodes
    for name, node in zip(NAMES, inner):
        node.label = name
    output.label = "f"
    questions = tuple(
        n for n in topological_order([output]) if n is not output and not n.is_constant
    )
    return Quiz(seed, output, (x, y), tuple(inner), questions)


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``stepgrad quiz`` on the main command's subcommands."""
    quiz = commands.add_parser(
        "quiz",
        help="practise: compute a random expression's gradients by hand, with feedback",
        description="Draw a small expression and ask for its gradients one at a time, in "
        "backward order, explaining each wrong answer.",
    )
    quiz.add_argument("--seed", type=int, help="which expression (default: a random one)")
    quiz.add_argument(
        "--steps",
        type=_steps,
        default=3,
        help="how many ops make the expression (2 to 6, default 3)",
    )
    quiz.add_argument("--lang", choices=["en", "zh"], default="en", help="language (en or zh)")


def _steps(text: str) -> int:
    try:
        steps = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 2 <= steps <= MAX_STEPS:
        raise argparse.ArgumentTypeError(f"must be between 2 and {MAX_STEPS}, got {steps}")
    return steps


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the quiz on ``stdin``/``stdout``; returns the exit status (0)."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    _ = _gettext(args.lang)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10_000)
    quiz = make_quiz(seed, args.steps)
    names = Names([quiz.output])
    out = quiz.output
    shown = (*quiz.inputs, *quiz.intermediates, out)
    values = {names[node]: node.data for node in shown}

    def say(text: str = "") -> None:
        print(text, file=stdout, flush=True)

    say(
        _("stepgrad quiz, seed {seed}: the gradients of {f}, from {f} back to the inputs.").format(
            seed=seed, f=names[out]
        )
    )
    say("  " + ",  ".join(f"{names[v]} = {short_number(v.data)}" for v in quiz.inputs))
    for node in (*quiz.intermediates, out):
        say(f"  {names[node]} = {formula_text(names.formula(node))} = {short_number(node.data)}")
    say(
        _(
            "∂{f}/∂{f} = 1. Type a number, or arithmetic on numbers and the names above (such as "
            "-sin(a)*y); ? shows the answer, q stops."
        ).format(f=names[out])
    )
    gradients = {
        node: cast(float, grad)  # floats: no create_graph
        for node, grad in zip(quiz.questions, pass_gradients([out], quiz.questions))
    }
    told: dict[str | Value, float] = {}  # the right value of every earlier answer, as the quiz said
    own: dict[str | Value, float] = {}  # the student's own answers
    right = asked = revealed = 0
    for node in quiz.questions:
        question = f"∂{names[out]}/∂{names[node]} = ? "
        while True:
            stdout.write(question)
            stdout.flush()
            line = stdin.readline()
            if line and not stdin.isatty():  # a scripted answer: show it, as a terminal would
                stdout.write(line if line.endswith("\n") else line + "\n")
            if not line or line.strip().lower() in ("q", "quit", "exit"):
                if not line:
                    say()
                return _finish(say, args.lang, right, asked, revealed)
            text = line.strip()
            if text == "?":
                answer = None
                break
            try:
                answer = read_answer(text, values, args.lang)
                break
            except ValueError as error:
                say("  " + str(error))
        asked += 1
        if answer is None:
            revealed += 1
            say("  " + _("The answer: {value}").format(value=short_number(gradients[node])))
            told[node] = own[node] = gradients[node]
            continue
        own[node] = answer
        mistake = check_work(out, {**told, node: answer}, lang=args.lang).error_for(names[node])
        if isinstance(mistake, Right):
            right += 1
            say("  ✓ " + _("right"))
        else:
            # Checked against the right upstream values, as the quiz told them; but an answer that
            # carries the student's own earlier wrong value is explained as carried.
            carried = check_work(out, own, lang=args.lang).error_for(names[node])
            if isinstance(carried, Mistake) and carried.reason == "carried":
                mistake = carried
            say("  ✗ " + mistake.explain(args.lang).replace("\n", "\n    "))
            say(
                "  "
                + _("Carry on from {derivative} = {value}.").format(
                    derivative=f"∂{names[out]}/∂{names[node]}", value=short_number(gradients[node])
                )
            )
        told[node] = gradients[node]
    return _finish(say, args.lang, right, asked, revealed)


def _finish(say: Callable[[str], None], lang: str, right: int, asked: int, revealed: int) -> int:
    """The last line: how many answers were right, and how many the student asked to see."""
    _ = _gettext(lang)
    if revealed:
        score = translation(lang).ngettext(
            "Score: {right} of {asked} right; {revealed} answer was shown with ?, not counted "
            "as right.",
            "Score: {right} of {asked} right; {revealed} answers were shown with ?, not counted "
            "as right.",
            revealed,
        )
    else:
        score = _("Score: {right} of {asked} right.")
    say(score.format(right=right, asked=asked, revealed=revealed))
    return 0


TYPED = str.maketrans({"−": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/", "^": "**", "²": "**2"})
"""What the quiz prints (or a keyboard offers) that Python's arithmetic writes differently."""


def read_answer(text: str, values: Mapping[str, float], lang: str = "en") -> float:
    """A typed answer as a number: a number, or arithmetic on numbers and the quiz's names, each
    standing for its value (parsed safely, never eval'd). A ValueError says, in ``lang``, why
    the text is not one."""
    _ = _gettext(lang)
    typed = unicodedata.normalize("NFKC", text.translate(TYPED)).translate(TYPED)
    try:
        expression = parse(typed)
    except ExpressionError as error:
        detail = f" ({error.message})" if lang == "en" else ""
        raise ValueError(
            _("Please type a number, or arithmetic on numbers and the names {names}.").format(
                names=_(", ").join(values)
            )
            + detail
        ) from None
    unknown = [name for name in expression.names if name not in values]
    if unknown:
        raise ValueError(
            _("{name} is not a name in this quiz; the names are {names}.").format(
                name=unknown[0], names=_(", ").join(values)
            )
        )
    try:
        result = expression.evaluate(values).data
    except ZeroDivisionError:
        raise ValueError(_("Your answer divides by zero.")) from None
    except OverflowError:
        raise ValueError(_("Your answer is too large for a float.")) from None
    except (ArithmeticError, ValueError) as error:
        detail = f" ({error})" if lang == "en" else ""
        raise ValueError(
            _("Your answer cannot be computed: a function gets a number outside its domain.")
            + detail
        ) from None
    if not math.isfinite(result):
        raise ValueError(_("Your answer is not a finite number."))
    return result


def _gettext(lang: str) -> Callable[[str], str]:
    return translation(lang).gettext
