"""``Module``: something with named parameters that can be zeroed, saved and loaded.

Every module lists its own parameters explicitly, as micrograd's do, by defining
:meth:`Module.named_parameters`; everything else here is built on that one method.

Saved files are plain JSON::

    {"format": "stepgrad.state_dict", "version": 1, "parameters": {"layers.0.neurons.0.w.0": 0.15, ...}}

Saving refuses a model whose weights are not all finite numbers (training that diverged), before
it touches the file, so a good checkpoint is never replaced by one that cannot be loaded. It writes
with :func:`autograd.files.write_atomically`: a crash or ``kill -9`` leaves either the old file or
the new one, never half of one; a symbolic link is written through; new files get the umask's
permissions. Loading checks every name and number before it changes anything, so a bad file
(truncated, not UTF-8, nested too deeply, numbers too large for a float, a name twice) raises
:class:`StateDictError` and leaves the model exactly as it was. No pickle is involved.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.core.errors import finite_number
from autograd.files import write_atomically

__all__ = ["Module", "StateDictError"]

FORMAT = "stepgrad.state_dict"
VERSION = 1


class StateDictError(ValueError):
    """A state dict or model file that cannot be loaded into the model, or a model that cannot be
    saved; the model and the file were left unchanged."""


class Module:
    """Base class of neurons, layers and networks."""

    def __call__(self, x: Any) -> Any:
        """The module's output for one input. Subclasses define this."""
        raise NotImplementedError(f"{type(self).__name__} must define __call__()")

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
        if not isinstance(state, Mapping):
            raise StateDictError(
                f"a state dict is a mapping of names to numbers, got {type(state).__name__}"
            )
        named = dict(self.named_parameters())
        for name in state:
            if not isinstance(name, str):
                raise StateDictError(
                    f"parameter names are strings, got {name!r} of type {type(name).__name__}"
                )
        missing = [name for name in named if name not in state]
        unexpected = [name for name in state if name not in named]
        if missing or unexpected:
            raise StateDictError(_mismatch(type(self).__name__, missing, unexpected))
        numbers = {name: _finite_number(name, number) for name, number in state.items()}
        for name, parameter in named.items():
            parameter.data = numbers[name]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to ``path`` as JSON, atomically.

        A parameter that is NaN or infinite raises :class:`StateDictError` before the file is
        touched: the file keeps what it held (a diverged model never replaces a good checkpoint).
        """
        state = self.state_dict()
        bad = [name for name, number in state.items() if not math.isfinite(number)]
        if bad:
            shown = ", ".join(f"{name} = {state[name]!r}" for name in bad[:5])
            raise StateDictError(
                f"not saving to {os.fspath(path)!r}: {len(bad)} parameter(s) are not finite "
                f"numbers ({shown}{' …' if len(bad) > 5 else ''}); the file was left as it was"
            )
        document = {"format": FORMAT, "version": VERSION, "parameters": state}
        write_atomically(path, json.dumps(document, indent=1, ensure_ascii=False))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Read parameters saved by :meth:`save`. A bad file raises :class:`StateDictError`
        and changes nothing."""
        path = Path(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"no model file at {path}") from None
        document = _parse_document(path, raw)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise StateDictError(
                f'{path}: not a stepgrad model file (expected "format": "{FORMAT}")'
            )
        if document.get("version") != VERSION:
            raise StateDictError(
                f"{path}: file version {_short(repr(document.get('version')))}, "
                f"this stepgrad reads version {VERSION}"
            )
        parameters: Any = document.get("parameters")  # load_state_dict checks what it is
        try:
            self.load_state_dict(parameters)
        except StateDictError as error:
            raise StateDictError(f"{path}: {error}") from None


class _DuplicateName(ValueError):
    """A JSON object that names the same key twice."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """json's object hook: a dict, refusing a key given twice (which would otherwise win silently)."""
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateName(f"the name {key!r} appears twice")
        result[key] = value
    return result


def _parse_document(path: Path, raw: bytes) -> object:
    """The JSON document in ``raw``, or a :class:`StateDictError` saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StateDictError(
            f"{path}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "a model file is JSON written by save()"
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise StateDictError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON "
            f"({error.msg}); is the file truncated?"
        ) from None
    except RecursionError:
        raise StateDictError(
            f"{path}: not a stepgrad model file (JSON nested too deeply)"
        ) from None
    except ValueError as error:  # a name given twice; an integer with too many digits to read
        raise StateDictError(f"{path}: not a valid model file ({_short(str(error))})") from None


def _finite_number(name: str, number: object) -> float:
    """``number`` as a float, or a :class:`StateDictError` if it is not a finite real number."""
    try:
        return finite_number(number, f"parameter {name!r}")
    except (TypeError, ValueError) as error:
        raise StateDictError(str(error)) from None


def _short(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters: messages quote what a file holds, briefly."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mismatch(model: str, missing: list[str], unexpected: list[str]) -> str:
    parts = []
    if missing:
        parts.append(
            f"missing {len(missing)} parameter(s): {', '.join(missing[:5])}"
            + (" …" if len(missing) > 5 else "")
        )
    if unexpected:  # names read from a file: quoted, so a newline or a long name shows as such
        parts.append(
            f"{len(unexpected)} unexpected: {', '.join(_short(repr(name)) for name in unexpected[:5])}"
            + (" …" if len(unexpected) > 5 else "")
        )
    return f"state dict does not fit this {model}: " + "; ".join(parts)
