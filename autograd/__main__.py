"""The ``stepgrad`` command (also ``python -m autograd``).

``stepgrad demo`` builds the toy model of Prince's chapter 7, runs one backward pass, and prints
every forward value and every parameter's gradient beside its central-difference estimate.
"""
from __future__ import annotations

import argparse
import sys

from .checks import numerical_grad
from .toy import TOY_PARAMETERS, TOY_X, TOY_Y, toy_model

__all__ = ["main"]


def demo() -> None:
    """Print the toy model's forward values, and its gradients checked by central differences."""
    model = toy_model()
    model.loss.backward()
    print("Toy model (Prince, Understanding Deep Learning, ch. 7):")
    print("  f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))),  ℓ = (f - y)²")
    print(f"  x = {TOY_X}, y = {TOY_Y}, " + ", ".join(f"{k} = {v}" for k, v in TOY_PARAMETERS.items()))
    print("\nForward pass")
    for label, node in model.intermediates.items():
        print(f"  {label:<3} = {node.data: .10f}")
    names = list(TOY_PARAMETERS)

    def loss(*values: float) -> float:
        return toy_model(TOY_X, TOY_Y, dict(zip(names, values))).loss.data

    estimates = numerical_grad(loss, *TOY_PARAMETERS.values())
    print("\nGradients of ℓ")
    print(f"  {'':<4}{'backprop':>18}{'central difference':>22}{'|difference|':>15}")
    for name, estimate in zip(names, estimates):
        grad = model.parameters[name].grad
        print(f"  ∂ℓ/∂{name:<3}{grad:>16.10f}{estimate:>22.10f}{abs(grad - estimate):>15.2e}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``stepgrad`` console script."""
    parser = argparse.ArgumentParser(prog="stepgrad", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="the toy model: forward values and checked gradients")
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
