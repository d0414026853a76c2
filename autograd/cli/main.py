"""The ``stepgrad`` command (also ``python -m autograd``).

    stepgrad demo [--out DIR] [--lang en|zh]
        The toy model of Prince, Understanding Deep Learning ch. 7, with built-in values: prints
        the forward pass, both backward passes and a check of every gradient against central
        differences, and writes DIR/graph.svg (folded to fit a 16:9 screen) and DIR/steps.html
        (DIR defaults to demo-output); one line on stderr names each file written.

    stepgrad trace "EXPR" x=1.5 y=-2 [--format text|markdown|latex|json] [--params w,b]
                   [--lang en|zh] [--svg FILE] [--html FILE]
        Trace any expression of + - * / ** and the op functions (``stepgrad trace --help`` lists
        them). The expression is checked, never evaluated as Python. Every op gets its own
        forward row (f0, h1, …, as in the textbook), and the drawing and the page use the same
        names; --params marks parameters; the output ends with every leaf's gradient. Each file
        written is named in one line on stderr.

    stepgrad explain "EXPR" x=1.5 y=-2 --wrt x [--format text|markdown|latex] [--limit N]
                     [--lang en|zh]
        List every path from x to the output with the product of its local derivatives, their
        sum, and the gradient backward() computes, side by side.

    stepgrad quiz [--seed N] [--steps N] [--lang en|zh]
        Practise: compute a random expression's gradients by hand, one at a time, with feedback
        (see autograd/cli/quiz.py).

Exit status: 0 on success, 2 for bad input (a rejected expression, a missing or malformed value,
a bad option), 1 when the computation itself fails (log of a negative number, say); the message is
one line on stderr, never a traceback (see :mod:`autograd.cli.errors`).

A reader that stops reading early (``stepgrad demo | head``) is not an error: the rest of the text
is dropped quietly, and any files the command was asked for are still written and named on stderr
(exit status 0). The quiz, which cannot ask questions nobody sees, stops there.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..core.checks import numerical_grad
from ..core.graph import topological_order
from ..core.value import Value
from ..i18n import translation
from ..readers.display import Names, Naming
from ..readers.display import number as short_number
from ..readers.draw import check_drawing_path, draw_graph, save_drawing
from ..readers.path_sums import PATH_LIMIT, TooManyPaths, paths
from ..readers.stepper import export_html
from ..readers.text_width import align_left, align_right, columns
from ..readers.tracing import formula_text, trace
from ..toy import TOY_PARAMETERS, TOY_X, TOY_Y, toy_model
from . import quiz
from .errors import (
    BAD_INPUT,
    INTERRUPTED,
    SUCCESS,
    ArgumentParser,
    UsageError,
    check_arguments,
    check_output_file,
    check_output_folder,
    dash_hint,
    debugging,
    outcome,
)
from .expression import FUNCTIONS, ExpressionError, parse, parse_assignments

__all__ = ["main"]


def demo(out: Path, lang: str = "en") -> None:
    """The toy model: traces, checked gradients, a drawing and the HTML stepper."""
    check_output_folder("--out", out)
    _ = translation(lang).gettext
    model = toy_model()
    print(_("Toy model (Prince, Understanding Deep Learning, ch. 7):"))
    print("  f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))),  ℓ = (f - y)²\n")
    record = trace(model.loss, parameters=model.parameters.values(), lang=lang)
    print(record.to_text())
    names = list(TOY_PARAMETERS)

    def loss(*values: float) -> Value:
        return toy_model(TOY_X, TOY_Y, dict(zip(names, values))).loss

    estimates = numerical_grad(loss, *TOY_PARAMETERS.values())
    print(_("Gradients of ℓ against central differences"))
    heading = (_("backprop"), _("central difference"), _("|difference|"))
    print(
        f"  {'':<6}{align_right(heading[0], 18)}{align_right(heading[1], 22)}{align_right(heading[2], 15)}"
    )
    for name, estimate in zip(names, estimates):
        grad = model.parameters[name].grad
        print(f"  ∂ℓ/∂{name:<3}{grad:>16.10f}{estimate:>22.10f}{abs(grad - estimate):>15.2e}")
    out.mkdir(parents=True, exist_ok=True)
    drawing = draw_graph(
        model.loss, parameters=model.parameters.values(), direction="TB", lang=lang, aspect=16 / 9
    )
    drawing.title = _("stepgrad: the toy model of Prince ch. 7")
    _wrote(save_drawing(drawing, out / "graph.svg"), lang)
    html = export_html(
        model.loss,
        out / "steps.html",
        parameters=model.parameters.values(),
        title=_("stepgrad: the toy model of Prince ch. 7, step by step"),
        direction="TB",
        lang=lang,
    )
    _wrote(html, lang)
    print(_("Open {page} in a browser and press →.").format(page=html), file=sys.stderr)


def _title(output: Value, typed: str, lang: str) -> str:
    """``stepgrad: (f - t)² / 2``: the expression in the notation of the page and the drawing
    (the typed text itself when that is too deep to write out)."""
    try:
        expression = Names([output]).expression(output)
    except RecursionError:
        expression = typed
    if len(expression) > 120:
        expression = expression[:119] + "…"
    return translation(lang).gettext("stepgrad: {expression}").format(expression=expression)


def _wrote(path: Path, lang: str) -> None:
    """One line on stderr per file written (stdout keeps the trace itself, for a pipe)."""
    print(translation(lang).gettext("wrote {path}").format(path=path), file=sys.stderr)


def _expression_output(args: argparse.Namespace) -> Value:
    """Parse EXPR and NAME=NUMBER items and build the graph; bad input raises UsageError."""
    expression = parse(args.expr)  # an ExpressionError is bad input (exit status 2)
    try:
        values = parse_assignments(args.values)
    except ValueError as error:  # a malformed NAME=NUMBER
        raise UsageError(str(error)) from None
    unused = [name for name in values if name not in expression.names]
    if unused:
        raise UsageError(f"{', '.join(unused)} given a value but not in the expression")
    try:
        return expression.evaluate(values)
    except ExpressionError as error:  # a name with no value; a failing op is not bad input
        raise UsageError(str(error)) from None


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse files that cannot be written before computing anything (bad input: exit 2)."""
    for option in ("svg", "html"):
        if getattr(args, option, None):
            check_output_file(f"--{option}", getattr(args, option))
    try:
        if args.svg:
            check_drawing_path(args.svg)
    except (ValueError, OSError) as error:
        raise UsageError(f"--svg: {error}") from None


def _parameters(output: Value, names: str | None) -> list[Value]:
    """The leaves named by ``--params w0,b0``."""
    if not names:
        return []
    leaves = {n.label: n for n in topological_order([output]) if n.is_leaf and n.label}
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in leaves]
    if unknown:
        raise UsageError(f"--params: {', '.join(unknown)} not in the expression")
    return [leaves[name] for name in wanted]


NAMING: Naming = "textbook"
"""How ``trace`` and ``explain`` name computed nodes, in every reader: f0, h1, … as the textbook."""


def trace_command(args: argparse.Namespace) -> None:
    _check_outputs(args)
    output = _expression_output(args)
    parameters = _parameters(output, args.params)
    # One command, one naming: the trace, the drawing and the page all name every computed
    # node as the textbook does (f0, h1, …).
    record = trace(output, parameters=parameters, lang=args.lang, naming=NAMING)
    print(record.render(args.format), end="")
    title = _title(output, args.expr, args.lang) if args.svg or args.html else ""
    if args.svg:
        drawing = draw_graph(
            output, parameters=parameters, lang=args.lang, naming=NAMING, aspect=16 / 9
        )
        drawing.title = title
        _wrote(save_drawing(drawing, args.svg), args.lang)
    if args.html:
        page = export_html(
            output, args.html, parameters=parameters, lang=args.lang, title=title, naming=NAMING
        )
        _wrote(page, args.lang)


def explain_command(args: argparse.Namespace) -> None:
    output = _expression_output(args)
    leaf = next((n for n in topological_order([output]) if n.is_leaf and n.label == args.wrt), None)
    if leaf is None:
        raise UsageError(f"--wrt {args.wrt}: no input of that name in the expression")
    try:
        found = paths(output, leaf, limit=args.limit, naming=NAMING, lang=args.lang)
    except TooManyPaths as error:
        raise UsageError(str(error)) from None
    _ = translation(args.lang).gettext
    # the paths name every computed node as a trace does (f0, h1, …): say what each one is
    names = Names([output], style=NAMING)
    computed = [node for node in names.nodes if not node.is_leaf]
    where = _("Names: {definitions}").format(
        definitions=", ".join(f"{names[n]} = {formula_text(names.formula(n))}" for n in computed)
    )
    print(("% " if args.format == "latex" else "") + where)
    print(found.render(args.format), end="")
    output.backward()
    rows = [
        (_("sum over paths"), short_number(found.total)),
        ("backward()", short_number(leaf.grad)),
        (_("difference"), f"{abs(found.total - leaf.grad):.3g}"),
    ]
    width = max(columns(label) for label, _value in rows)
    for label, value in rows:
        print(f"\n  {align_left(label, width)} {value:>14}", end="")
    print()


def parser() -> argparse.ArgumentParser:
    top = ArgumentParser(prog="stepgrad", description="Step through backpropagation.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo_parser = commands.add_parser("demo", help="the toy model of Prince ch. 7, step by step")
    demo_parser.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for graph.svg and steps.html (default: demo-output)",
    )
    demo_parser.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="language of the tables and the page"
    )
    trace_parser = commands.add_parser(
        "trace",
        help="trace an expression",
        description=(
            "Trace the forward and backward pass of EXPR, an expression of numbers, names, "
            f"+ - * / ** and the functions {', '.join(FUNCTIONS)}."
        ),
    )
    trace_parser.add_argument("expr", metavar="EXPR", help='for example "sin(x * y) + x ** 2"')
    trace_parser.add_argument("values", nargs="*", metavar="NAME=NUMBER", help="x=1.5 y=-2 …")
    trace_parser.add_argument(
        "--format", choices=["text", "markdown", "latex", "json"], default="text"
    )
    trace_parser.add_argument(
        "--params",
        metavar="NAMES",
        help="which names are parameters, e.g. w0,b0 (the rest are inputs)",
    )
    trace_parser.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="language of the trace and the page"
    )
    trace_parser.add_argument(
        "--svg", type=Path, metavar="FILE", help="also draw the graph (.svg, .png, .dot)"
    )
    trace_parser.add_argument("--html", type=Path, metavar="FILE", help="also write the stepper")
    explain_parser = commands.add_parser(
        "explain",
        help="a gradient as a sum over paths",
        description="List the paths from --wrt to EXPR's value.",
    )
    explain_parser.add_argument("expr", metavar="EXPR")
    explain_parser.add_argument("values", nargs="*", metavar="NAME=NUMBER")
    explain_parser.add_argument(
        "--wrt", required=True, metavar="NAME", help="the input to differentiate with respect to"
    )
    explain_parser.add_argument("--format", choices=["text", "markdown", "latex"], default="text")
    explain_parser.add_argument(
        "--limit",
        type=_positive_int,
        default=PATH_LIMIT,
        help=f"refuse above this many paths (default {PATH_LIMIT})",
    )
    explain_parser.add_argument(
        "--lang", choices=["en", "zh"], default="en", help="language of the listing"
    )
    quiz.add_parser(commands)
    return top


def _positive_int(text: str) -> int:
    """argparse type of ``--limit``: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``stepgrad`` console script; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        check_arguments(arguments)
        try:
            args = parser().parse_args(arguments)
        except UsageError as error:
            raise UsageError(f"{error}{dash_hint(arguments)}") from None
        if args.command == "quiz":
            return quiz.run(args)
        with contextlib.redirect_stdout(_ReaderMayLeave(sys.stdout)):
            if args.command == "demo":
                demo(args.out, args.lang)
            elif args.command == "explain":
                explain_command(args)
            else:
                trace_command(args)
    except SystemExit as exit_:  # --help and --version print and exit 0
        return exit_.code if isinstance(exit_.code, int) else BAD_INPUT
    except BrokenPipeError:  # the reader went away during the quiz or --help: stop quietly
        _silence_stdout()
        return SUCCESS
    except KeyboardInterrupt:
        print("stepgrad: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as error:
        if debugging():
            traceback.print_exc()
        status, message = outcome(error)
        print(message, file=sys.stderr)
        return status
    return SUCCESS


class _ReaderMayLeave(io.TextIOBase):
    """stdout while a command runs. When the reader closes the pipe (``stepgrad demo | head``
    reads ten lines and exits), writing raises BrokenPipeError; here the rest of the text is
    dropped instead and the command carries on, so the files it was asked for are still written
    and named on stderr. (Python ignores SIGPIPE, so a closed pipe is this exception.)"""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.reader_left = False

    def write(self, text: str) -> int:
        if not self.reader_left:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._reader_leaves()
        return len(text)

    def flush(self) -> None:
        if not self.reader_left:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._reader_leaves()

    def _reader_leaves(self) -> None:
        self.reader_left = True
        _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush does not fail again."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor: stdout is captured
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
