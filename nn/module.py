"""``Module``: something with named parameters that can be zeroed, saved and loaded.

Every module lists its own parameters explicitly, as micrograd's do, by defining
:meth:`Module.named_parameters`; everything else here is built on that one method.

Saved files are plain JSON::

    {"format": "stepgrad.state_dict", "version": 1, "parameters": {"layers.0.neurons.0.w.0": 0.15, ...}}

Saving writes a temporary file beside the target and renames it into place, so a crash leaves
either the old file or the new one, never half of one. Loading checks every name and number before
it changes anything, so a bad file leaves the model exactly as it was. No pickle is involved.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from autograd import Value
from autograd.files import write_atomically

__all__ = ["Module", "StateDictError"]

FORMAT = "stepgrad.state_dict"
VERSION = 1


class StateDictError(ValueError):
    """A state dict or model file that does not fit the model; the model was left unchanged."""


class Module:
    """Base class of neurons, layers and networks."""

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Yield ``(dotted name, parameter)`` pairs, in a fixed order. Subclasses define this."""
        raise NotImplementedError(f"{type(self).__name__} must define named_parameters()")

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of :meth:`named_parameters`. (Layers override this with
        a plain list, which is faster than making the names; a test checks the two agree.)"""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0.0."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Every parameter's number by name: a plain dict, ready for JSON."""
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set the parameters from ``state``, which must name each of them exactly once.

        Everything is checked first: a missing, unexpected or non-numeric entry raises
        :class:`StateDictError` and no parameter is changed.
        """
        named = dict(self.named_parameters())
        if not isinstance(state, Mapping):
            raise StateDictError(
                f"a state dict is a mapping of names to numbers, got {type(state).__name__}"
            )
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if missing or unexpected:
            raise StateDictError(_mismatch(type(self).__name__, missing, unexpected))
        numbers = {}
        for name, number in state.items():
            if (
                isinstance(number, bool)
                or not isinstance(number, (int, float))
                or not math.isfinite(number)
            ):
                raise StateDictError(f"parameter {name!r} must be a finite number, got {number!r}")
            numbers[name] = float(number)
        for name, parameter in named.items():
            parameter.data = numbers[name]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to ``path`` as JSON, atomically."""
        document = {"format": FORMAT, "version": VERSION, "parameters": self.state_dict()}
        write_atomically(path, json.dumps(document, indent=1, ensure_ascii=False))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Read parameters saved by :meth:`save`. A bad file raises and changes nothing."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FileNotFoundError(f"no model file at {path}") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise StateDictError(
                f"{path}:{error.lineno}:{error.colno}: not valid JSON "
                f"({error.msg}); is the file truncated?"
            ) from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise StateDictError(
                f'{path}: not a stepgrad model file (expected "format": "{FORMAT}")'
            )
        if document.get("version") != VERSION:
            raise StateDictError(
                f"{path}: file version {document.get('version')!r}, "
                f"this stepgrad reads version {VERSION}"
            )
        try:
            self.load_state_dict(document.get("parameters"))
        except StateDictError as error:
            raise StateDictError(f"{path}: {error}") from None


def _mismatch(model: str, missing: list[str], unexpected: list[str]) -> str:
    parts = []
    if missing:
        parts.append(
            f"missing {len(missing)} parameter(s): {', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else "")
        )
    if unexpected:
        parts.append(
            f"{len(unexpected)} unexpected: {', '.join(unexpected[:5])}"
            + (" …" if len(unexpected) > 5 else "")
        )
    return f"state dict does not fit this {model}: " + "; ".join(parts)
