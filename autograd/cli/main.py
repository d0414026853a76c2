"""The ``stepgrad`` command (also ``python -m autograd``).

    stepgrad demo [--out DIR]
        The toy model of Prince, Understanding Deep Learning ch. 7, with built-in values: prints
        the forward pass, both backward passes and a check of every gradient against central
        differences, and writes DIR/graph.svg and DIR/steps.html (DIR defaults to demo-output).

    stepgrad trace "EXPR" x=1.5 y=-2 [--format text|markdown|latex|json] [--svg FILE] [--html FILE]
        Trace any expression of + - * / ** and the op functions (exp, log, sin, cos, tan, tanh,
        sigmoid, relu, sqrt, abs). The expression is checked, never evaluated as Python.

    stepgrad explain "EXPR" x=1.5 y=-2 --wrt x [--format text|markdown|latex] [--limit N]
        List every path from x to the output with the product of its local derivatives, their
        sum, and the gradient backward() computes, side by side.

Exit status: 0 on success, 2 for bad input (a rejected expression, a missing or malformed value,
a bad option), 1 when the computation itself fails (log of a negative number, say).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.checks import numerical_grad
from ..core.graph import topological_order
from ..readers.display import number as short_number
from ..readers.draw import draw_graph, save_drawing
from ..readers.path_sums import PATH_LIMIT, TooManyPaths, paths
from ..readers.stepper import export_html
from ..readers.tracing import trace
from ..toy import TOY_PARAMETERS, TOY_X, TOY_Y, toy_model
from .expression import ExpressionError, parse, parse_assignments

__all__ = ["main"]


class UsageError(Exception):
    """Bad input on the command line: exit status 2."""


def demo(out: Path) -> None:
    """The toy model: traces, checked gradients, a drawing and the HTML stepper."""
    model = toy_model()
    print("Toy model (Prince, Understanding Deep Learning, ch. 7):")
    print("  f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))),  ℓ = (f - y)²\n")
    record = trace(model.loss, parameters=model.parameters.values())
    print(record.to_text())
    names = list(TOY_PARAMETERS)

    def loss(*values):
        return toy_model(TOY_X, TOY_Y, dict(zip(names, values))).loss

    estimates = numerical_grad(loss, *TOY_PARAMETERS.values())
    print("Gradients of ℓ against central differences")
    print(f"  {'':<6}{'backprop':>18}{'central difference':>22}{'|difference|':>15}")
    for name, estimate in zip(names, estimates):
        grad = model.parameters[name].grad
        print(f"  ∂ℓ/∂{name:<3}{grad:>16.10f}{estimate:>22.10f}{abs(grad - estimate):>15.2e}")
    out.mkdir(parents=True, exist_ok=True)
    svg = save_drawing(
        draw_graph(model.loss, parameters=model.parameters.values(), direction="TB"),
        out / "graph.svg",
    )
    html = export_html(
        model.loss,
        out / "steps.html",
        parameters=model.parameters.values(),
        title="stepgrad: the toy model of Prince ch. 7, step by step",
        direction="TB",
    )
    print(f"\nWrote {svg} and {html} (open it in a browser and press →).")


def _expression_output(args: argparse.Namespace):
    """Parse EXPR and NAME=NUMBER items and build the graph; bad input raises UsageError."""
    try:
        expression = parse(args.expr)
        values = parse_assignments(args.values)
        unused = [name for name in values if name not in expression.names]
        if unused:
            raise UsageError(f"{', '.join(unused)} given a value but not in the expression")
    except ValueError as error:  # a rejected expression or a malformed NAME=NUMBER
        raise UsageError(str(error)) from None
    try:
        return expression.evaluate(values)
    except ExpressionError as error:  # a name with no value; a failing op is not bad input
        raise UsageError(str(error)) from None


def trace_command(args: argparse.Namespace) -> None:
    output = _expression_output(args)
    record = trace(output)
    print(record.render(args.format), end="")
    if args.svg:
        save_drawing(draw_graph(output), args.svg)
    if args.html:
        export_html(output, args.html, title=f"stepgrad: {args.expr}")


def explain_command(args: argparse.Namespace) -> None:
    output = _expression_output(args)
    leaf = next((n for n in topological_order([output]) if n.is_leaf and n.label == args.wrt), None)
    if leaf is None:
        raise UsageError(f"--wrt {args.wrt}: no input of that name in the expression")
    try:
        found = paths(output, leaf, limit=args.limit)
    except TooManyPaths as error:
        raise UsageError(str(error)) from None
    print(found.render(args.format), end="")
    output.backward()
    print(
        f"\n  sum over paths {short_number(found.total):>14}"
        f"\n  backward()     {short_number(leaf.grad):>14}"
        f"\n  difference     {abs(found.total - leaf.grad):>14.3g}"
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="stepgrad", description="Step through backpropagation.")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo_parser = commands.add_parser("demo", help="the toy model of Prince ch. 7, step by step")
    demo_parser.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help="folder for graph.svg and steps.html (default: demo-output)",
    )
    trace_parser = commands.add_parser(
        "trace",
        help="trace an expression",
        description="Trace the forward and backward pass of EXPR.",
    )
    trace_parser.add_argument("expr", metavar="EXPR", help='for example "sin(x * y) + x ** 2"')
    trace_parser.add_argument("values", nargs="*", metavar="NAME=NUMBER", help="x=1.5 y=-2 …")
    trace_parser.add_argument(
        "--format", choices=["text", "markdown", "latex", "json"], default="text"
    )
    trace_parser.add_argument("--svg", type=Path, metavar="FILE", help="also draw the graph")
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
        type=int,
        default=PATH_LIMIT,
        help=f"refuse above this many paths (default {PATH_LIMIT})",
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``stepgrad`` console script; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        if args.command == "demo":
            demo(args.out)
        elif args.command == "explain":
            explain_command(args)
        else:
            trace_command(args)
    except UsageError as error:
        print(f"stepgrad: {error}", file=sys.stderr)
        return 2
    except (ValueError, ArithmeticError, OSError) as error:  # the computation failed
        print(f"stepgrad: {error}", file=sys.stderr)
        return 1
    return 0
