"""Fuzzing the stepgrad command: random bytes and random token soups for ``trace`` and ``explain``.

Whatever the arguments, the command ends with status 0, 1 or 2, prints no traceback (and reports no
internal error), says what went wrong in one message, and does not hang. Most cases run in-process
through ``main(argv)``, which is fast; a few run as real processes with raw bytes in argv, which
arrive in Python as surrogate escapes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.cli.expression import FUNCTIONS as CLI_FUNCTIONS
from autograd.cli.expression import parse
from autograd.cli.main import main

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGALRM and raw-byte argv")

SECONDS_PER_RUN = 30  # a generous bound on a loaded 2-core machine; a run takes milliseconds


class Hang(BaseException):
    """Raised by the alarm; a BaseException, so the command's own handlers cannot swallow it."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def output_options(arguments: Sequence[str]) -> int:
    """How many of ``arguments`` ask for an output file (``--html``, ``--svg``, or an abbreviation
    argparse accepts, such as ``--sv``; also with ``=FILE``)."""
    return sum(
        len(name) >= 3 and ("--html".startswith(name) or "--svg".startswith(name))
        for name in (argument.split("=", 1)[0] for argument in arguments)
    )


def assert_well_behaved(status: int, out: str, err: str, arguments: Sequence[str] = ()) -> None:
    """Status 0, 1 or 2 and no traceback. On success stderr is empty except for one ``wrote FILE``
    line per file written (``--html``/``--svg`` among ``arguments``); on failure it holds one
    message (an expression error adds the expression and a caret under the problem)."""
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if status == 0:
        wrote = err.splitlines()
        assert all(re.fullmatch(r"wrote \S.*", line) for line in wrote), err
        assert len(wrote) <= output_options(arguments), err
        return
    first, *rest = err.rstrip("\n").split("\n")
    assert first.startswith("stepgrad: "), err
    if rest:  # an expression error: the message, the expression, a caret under the problem
        assert first.startswith("stepgrad: expression error") and len(rest) == 2, err
        assert rest[1].strip() and set(rest[1].strip()) == {"^"}, err


def run_in_process(arguments: list[str], folder: Path) -> tuple[int, str]:
    """Run the command as ``main(arguments)`` in ``folder``; check it behaved; return its status
    and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(folder)  # --svg and --html write here
    try:
        with (
            deadline(SECONDS_PER_RUN),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(record=True) as caught,  # a warning would print lines too
        ):
            warnings.simplefilter("always")
            status = main(arguments)
    finally:
        os.chdir(before)
    assert_well_behaved(status, out.getvalue(), err.getvalue(), arguments)
    assert not caught, [str(warning.message) for warning in caught]
    return status, out.getvalue()


def test_a_written_file_is_the_one_line_allowed_on_stderr_after_success(tmp_path):
    """``--html``/``--svg`` say ``wrote FILE`` on stderr; nothing else may appear there."""
    for option, name in (["--html", "s.html"], ["--sv", "g.svg"]):
        run_in_process(["trace", option, name, "--", "x * 2", "x=1"], tmp_path)
    with pytest.raises(AssertionError):
        assert_well_behaved(0, "", "wrote s.html\n", ["trace", "x"])  # no file was asked for
    with pytest.raises(AssertionError):
        assert_well_behaved(0, "", "warning: x\n", ["trace", "--html", "s.html", "x"])


def refuse_non_finite(token: str) -> float:
    """json.loads hook for NaN and Infinity, which are not JSON."""
    raise AssertionError(f"the output holds {token}")


def as_argument(raw: bytes) -> str:
    """What Python makes of ``raw`` in argv: UTF-8, with undecodable bytes as surrogates."""
    return raw.replace(b"\0", b"").decode("utf-8", "surrogateescape")


NAMES = "x y z w x1 β ω0 _ __import__ os open eval lambda nan inf e pi if else or is not in"
FUNCTIONS = "exp log sin cos tan tanh sigmoid relu sqrt abs heaviside sign softplus"
PUNCTUATION = "( ) + - * / ** // % @ , . : ; = == < > [ ] { } ' \" \\ # ! ? & | ^ ~"
NUMBERS = "0 1 2 0.5 -1 1e308 1e309 1e-320 1_000 0x1f 1j 3. .5 1e 9999999999999999999999"
TOKENS = [
    *" ".join([NAMES, FUNCTIONS, PUNCTUATION, NUMBERS]).split(),
    "1" * 400,
    " ",
    "\t",
    "\x0c",
    "\x1b",
    "\u200b",
    "ﬁ",
    "𝑥",
    "x=",
    "=1",
    "--",
    "-",
]
OPTIONS = [
    [],
    ["--format", "json"],
    ["--format", "latex"],
    ["--format", "markdown"],
    ["--format", "nope"],
    ["--limit", "1"],
    ["--limit", "-3"],
    ["--limit", "x"],
    ["--wrt"],
    ["--svg", "missing/g.svg"],
    ["--html", "missing/s.html"],
    ["--html", "s.html"],
    ["--bogus"],
]

token_soup = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)
repeated_soup = st.tuples(token_soup, st.integers(1, 700)).map(lambda pair: pair[0] * pair[1])
number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["0", "-0", "1e308", "-1e308", "5e-324", "nan", "inf", "1e999", "1_0", "٣"]),
    token_soup,
)
assignment = st.one_of(
    st.tuples(st.sampled_from(["x", "y", "z", "β", "exp", "ﬁ", "", "x y"]), number).map("=".join),
    token_soup,
)
well_formed = st.recursive(
    st.sampled_from(["x", "y", "β", "0", "1", "2.5", "-3", "1e308", "1e-320", "0.5", "700"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(sorted(CLI_FUNCTIONS)), inner).map(lambda t: f"{t[0]}({t[1]})"),
        inner.map(lambda text: f"-{text}"),
    ),
    max_leaves=12,
)  # expressions that parse, so that the computation itself is fuzzed too
expression = st.one_of(token_soup, well_formed, repeated_soup.map(lambda text: text[:2100]))


@posix_only
@given(
    command=st.sampled_from(["trace", "explain"]),
    expr=expression,
    values=st.lists(assignment, max_size=4),
    wrt=st.sampled_from(["x", "y", "β", "q"]),
    options=st.sampled_from(OPTIONS),
    dashes=st.booleans(),
)
def test_token_soups_never_give_a_traceback_or_hang(
    tmp_path_factory, command, expr, values, wrt, options, dashes
):
    arguments = [command, *options]
    if command == "explain" and "--wrt" not in options:
        arguments += ["--wrt", wrt]
    arguments += ["--", expr, *values] if dashes else [expr, *values]
    run_in_process(arguments, tmp_path_factory.mktemp("soup"))


@posix_only
@given(
    command=st.sampled_from(["trace", "explain"]),
    raw=st.lists(st.binary(max_size=40), min_size=1, max_size=4),
)
def test_random_bytes_never_give_a_traceback_or_hang(tmp_path_factory, command, raw):
    arguments = [command, *map(as_argument, raw)]
    if command == "explain":
        arguments += ["--wrt", "x"]
    run_in_process(arguments, tmp_path_factory.mktemp("bytes"))


@posix_only
@given(expr=st.text(max_size=60), value=st.text(max_size=12))
def test_random_text_never_gives_a_traceback_or_hang(tmp_path_factory, expr, value):
    """Any Unicode text (hypothesis leaves out lone surrogates; the byte tests cover those)."""
    run_in_process(["trace", "--", expr, f"x={value}"], tmp_path_factory.mktemp("text"))


@posix_only
@given(
    command=st.sampled_from(["trace", "explain"]),
    expr=well_formed,
    values=st.tuples(*[st.floats(allow_nan=False, allow_infinity=False)] * 3),
    fmt=st.sampled_from(["text", "markdown", "latex", "json"]),
)
def test_well_formed_expressions_compute_or_fail_with_status_1(
    tmp_path_factory, command, expr, values, fmt
):
    """Valid input is never "bad input": the command succeeds, or an op refuses (status 1).
    What it prints on success holds no NaN or infinity (the non-finite policy)."""
    names = parse(expr).names
    assignments = [f"{n}={v!r}" for n, v in zip(("x", "y", "β"), values) if n in names]
    if command == "explain":
        if not names:
            return
        fmt = "text" if fmt == "json" else fmt  # explain has no JSON
    options = ["--format", fmt] + (["--wrt", names[0]] if command == "explain" else [])
    status, out = run_in_process([command, *options, "--", expr, *assignments], Path.cwd())
    assert status in (0, 1)
    if status == 0 and fmt == "json":
        json.loads(out, parse_constant=refuse_non_finite)
    elif status == 0:
        assert not re.search(r"\b(nan|inf)\b|\\infty", out), out


@posix_only
@settings(max_examples=10)
@given(
    command=st.sampled_from(["trace", "explain"]),
    tail=st.one_of(st.just("x"), well_formed, token_soup),
    depth=st.integers(0, 999),
    kind=st.sampled_from(["-", "+", "x+", "sin(x)*", "x*0.5+"]),
)
def test_long_chains_under_the_length_limit_never_hang(
    tmp_path_factory, command, tail, depth, kind
):
    arguments = [command, "--wrt", "x"] if command == "explain" else [command]
    expr = (kind * depth + tail)[-2000:]
    run_in_process([*arguments, "--", expr, "x=0.5"], Path.cwd())


# ---- real processes, with raw bytes in argv ------------------------------------------------------


@posix_only
@pytest.mark.parametrize(
    "raw",
    [
        [b"trace", b"x\xff", b"x=1"],  # not UTF-8 in the expression
        [b"trace", b"x", b"x=\xc3"],  # a truncated two-byte sequence in a value
        [b"explain", b"\xed\xa0\x80", b"--wrt", b"x"],  # an encoded surrogate (CESU-8)
        [b"trace", b"\xc0\xaf", b"--svg", b"\xff.svg"],  # an overlong '/' and a bad file name
    ],
)
def test_raw_bytes_in_a_real_process_give_one_line_and_status_2(tmp_path, raw):
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"autograd", *raw],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode == 2 and "not valid UTF-8" in err, err
    assert err.count("\n") == 1 and "Traceback" not in err and result.stdout == b""
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_a_real_process_with_a_random_token_soup(tmp_path):
    """The in-process runs above stand for real runs: one real one, to be sure."""
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "trace", "--", "-" * 1500 + "sin(sin)", "x=1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "'sin' is a function, not a value" in result.stderr
    assert_well_behaved(result.returncode, result.stdout, result.stderr)
