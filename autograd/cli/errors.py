"""How the ``stepgrad`` command fails: one message on stderr and an exit status, never a traceback.

====== =====================================================================================
status meaning
====== =====================================================================================
0      success
1      the computation failed: an op refused its inputs (``log`` of a negative number, ``exp``
       overflowing, a NaN), or an output file could not be written
2      bad input: a rejected expression, a missing or malformed value, a bad option or file name
130    interrupted with Ctrl-C
====== =====================================================================================

The message is one line, ``stepgrad: ...``; an expression error adds the expression and a caret
under the offending part. Anything else that goes wrong is a bug in stepgrad: it is reported as
``stepgrad: internal error: ...`` (status 1), with the traceback only when the environment variable
``STEPGRAD_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .expression import ExpressionError

__all__ = [
    "SUCCESS",
    "FAILED",
    "BAD_INPUT",
    "INTERRUPTED",
    "UsageError",
    "ArgumentParser",
    "dash_hint",
    "check_arguments",
    "check_output_file",
    "check_output_folder",
    "outcome",
    "debugging",
]

SUCCESS, FAILED, BAD_INPUT = 0, 1, 2
INTERRUPTED = 130  # killed by Ctrl-C, as shells report it (128 + SIGINT)
MESSAGE_LIMIT = 600
"""Characters of a one-line message kept (argparse can quote thousands of stray arguments)."""


class UsageError(Exception):
    """Bad input on the command line: exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with its errors raised as :class:`UsageError` (one line, no usage block)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.partition(" ")[2]  # "trace" of "stepgrad trace"; "" at the top
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see {self.prog} --help)")


DASH_HINT = "an EXPR that starts with '-' goes after '--', as in: stepgrad trace -- '-x' x=1"


def dash_hint(arguments: Sequence[str]) -> str:
    """A hint for an argparse error when an argument looks like an expression starting with '-'
    (argparse reads ``-x`` as an option), else ''."""
    looks_like = any(a.startswith("-") and not a.startswith("--") and a != "-h" for a in arguments)
    return f"; {DASH_HINT}" if looks_like else ""


def check_arguments(argv: Sequence[object]) -> None:
    """Refuse arguments that are not text: the bytes of an argument that is not UTF-8 arrive as
    lone surrogates (``'\\udcff'`` for byte 0xff), which no output can print."""
    for position, argument in enumerate(argv, 1):
        if not isinstance(argument, str):
            raise UsageError(f"argument {position} is not text, got {type(argument).__name__}")
        for index, character in enumerate(argument):
            if "\ud800" <= character <= "\udfff":
                byte = ord(character) - 0xDC00
                what = f"the byte 0x{byte:02x}" if 0x80 <= byte <= 0xFF else "a lone surrogate"
                raise UsageError(
                    f"argument {position} is not valid UTF-8 text ({what} at character "
                    f"{index + 1}); stepgrad reads UTF-8"
                )
            if character == "\0":
                raise UsageError(f"argument {position} contains a NUL character")


def check_output_file(option: str, path: Path) -> None:
    """Refuse, before any work, a file ``option`` could never write: in a missing folder, or a
    folder itself."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: there is no folder {str(folder)!r}; create it first")
    if path.is_dir():
        raise UsageError(f"{option} {path}: that is a folder; give a file name")


def check_output_folder(option: str, path: Path) -> None:
    """Refuse an output folder that is an existing file."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path}: that is a file, not a folder")


def outcome(error: BaseException) -> tuple[int, str]:
    """The exit status and the message for an error that ended a command."""
    if isinstance(error, ExpressionError):
        return BAD_INPUT, f"stepgrad: {error}"  # with its caret line: the one multi-line message
    if isinstance(error, UsageError):
        return BAD_INPUT, one_line(f"stepgrad: {error}")
    if isinstance(error, (RecursionError, MemoryError)):
        return BAD_INPUT, "stepgrad: the expression is too large or nested too deeply to compute"
    if isinstance(error, OSError):
        return FAILED, one_line(f"stepgrad: {_file_message(error)}")
    if isinstance(error, (ArithmeticError, ValueError)):  # an op refused its inputs
        return FAILED, one_line(f"stepgrad: {error}")
    name = type(error).__name__
    return FAILED, one_line(
        f"stepgrad: internal error: {name}: {error} (a bug in stepgrad; "
        "set STEPGRAD_DEBUG=1 for the traceback)"
    )


def debugging() -> bool:
    """Whether ``STEPGRAD_DEBUG`` asks for tracebacks of internal errors."""
    return bool(os.environ.get("STEPGRAD_DEBUG"))


def one_line(message: str) -> str:
    """``message`` on one line (newlines become spaces), cut to :data:`MESSAGE_LIMIT`."""
    flat = " ".join(message.split())
    return flat if len(flat) <= MESSAGE_LIMIT else flat[: MESSAGE_LIMIT - 1] + "…"


def _file_message(error: OSError) -> str:
    """``cannot write out.svg: No space left on device``, without the ``[Errno 28]``."""
    reason = error.strerror or str(error)
    return (
        f"cannot write {error.filename}: {reason}" if error.filename else f"cannot write: {reason}"
    )
