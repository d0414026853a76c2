"""The stepgrad command: demo, trace round trips, rejected input and exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys

import pytest

from autograd import Value
from autograd.cli.expression import ExpressionError, parse, parse_assignments
from autograd.cli.main import main


def test_demo_prints_the_tables_and_writes_the_files(capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for title in (
        "Forward pass",
        "Backward pass #1 (intermediates)",
        "Backward pass #2 (parameters and inputs)",
    ):
        assert title in printed
    assert re.search(r"ℓ\s+\(f3 - y\)²\s+\(2\.37226 - 2\)²\s+0\.138581", printed)
    check = printed[printed.index("against central differences") :]
    rows = re.findall(r"∂ℓ/∂(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\n", check)
    assert [name for name, *_ in rows] == ["β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3"]
    for _, backprop, numeric, difference in rows:
        assert abs(float(backprop) - float(numeric)) < 1e-6 and float(difference) < 1e-6
    assert (tmp_path / "graph.svg").read_text().count('class="box value') == 23
    assert "<svg" in (tmp_path / "steps.html").read_text()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, timeout=120
    )


def test_trace_json_grads_equal_the_engines():
    result = run("trace", "sin(x * y) + x ** 2 / exp(y)", "x=1.5", "y=-2", "--format", "json")
    assert result.returncode == 0, result.stderr
    grads = json.loads(result.stdout)["grads"]
    x, y = Value(1.5), Value(-2.0)
    ((x * y).sin() + x**2 / y.exp()).backward()
    assert grads == {"x": x.grad, "y": y.grad}


@pytest.mark.parametrize(
    "fmt, marker",
    [("text", "Backward pass #2"), ("markdown", "| step |"), ("latex", "\\begin{align*}")],
)
def test_trace_formats(fmt, marker):
    result = run("trace", "tanh(a) * b", "a=0.3", "b=2", "--format", fmt)
    assert result.returncode == 0 and marker in result.stdout


def test_trace_writes_svg_and_html(tmp_path):
    result = run(
        "trace",
        "relu(x) - 3 * x",
        "x=2",
        "--svg",
        str(tmp_path / "g.svg"),
        "--html",
        str(tmp_path / "s.html"),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.svg").exists() and (tmp_path / "s.html").exists()


@pytest.mark.parametrize(
    "expr, column, words",
    [
        ("__import__('os').system('echo pwned')", 1, "not a function you can call"),
        ("sin(open('/etc/passwd'))", 5, "'open' is not a function"),
        ("x.__class__", 1, "Attribute is not allowed"),
        ("x[0]", 1, "Subscript is not allowed"),
        ("lambda: 1", 1, "Lambda is not allowed"),
        ("'abc'", 1, "is not a number"),
        ("x if x else y", 1, "IfExp is not allowed"),
        ("x // 2", 1, "FloorDiv is not allowed"),
        ("sin(x, y)", 1, "takes exactly one argument"),
        ("sin(x=1)", 1, "takes exactly one argument"),
        ("x +", 4, "not a valid expression"),
        ("x == 1", 1, "Compare is not allowed"),
        ("_secret", 1, "not allowed as a name"),
        ("ββ + )", 6, "unmatched ')'"),
        ("ββ + open(1)", 6, "'open' is not a function"),
    ],
)
def test_malicious_or_malformed_expressions_are_rejected(expr, column, words):
    with pytest.raises(ExpressionError) as error:
        parse(expr)
    assert words in str(error.value) and error.value.column == column
    result = run("trace", expr, "x=1", "y=2")
    assert result.returncode == 2 and words in result.stderr and "pwned" not in result.stdout
    assert "^" in result.stderr or "column" not in result.stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["x + y", "x=1"], 2, "no value given for y"),
        (["x", "x=abc"], 2, "'abc' is not a number"),
        (["x", "x=nan"], 2, "finite"),
        (["x", "x"], 2, "NAME=NUMBER"),
        (["x", "x=1", "z=2"], 2, "z given a value but not in the expression"),
        (["x", "x=1", "x=2"], 2, "x is given twice"),
        (["log(x)", "x=-1"], 1, "log needs x > 0, got x=-1.0 (node 'x')"),
        (["exp(x)", "x=1000"], 1, "exp overflowed"),
        (["x / (x - 1)", "x=1"], 1, "div needs y ≠ 0"),
        (  # the lecturer's finding: div's input y and the user's x read apart
            ["1/x", "x=0"],
            1,
            "stepgrad: div needs its input y ≠ 0, got input x=1.0 (constant), "
            "input y=0.0 (node 'x')\n",
        ),
    ],
)
def test_exit_codes_and_messages(args, code, message):
    result = run("trace", *args)
    assert result.returncode == code and message in result.stderr, result.stderr


def test_usage_errors_exit_2():
    assert run("nonsense").returncode == 2
    assert run("trace", "x", "x=1", "--format", "html").returncode == 2


def test_the_console_script_is_installed():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "stepgrad"]
    assert script.value == "autograd.cli.main:main"


def test_evaluate_builds_shared_leaves():
    expression = parse("x * x + y")
    assert expression.names == ("x", "y")
    out = expression.evaluate(parse_assignments(["x=3", "y=1"]))
    out.backward()
    assert out.data == 10.0 and math.isclose(out.parents[0].parents[0].grad, 6.0)


# ---- bad input: exit status 2 and one message, never a traceback --------------------------------


def run_in_process(*args: str) -> tuple[int, str, str]:
    """main(argv) with stdout and stderr captured: the fast way to run the command."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def assert_one_message(status: int, err: str, expected_status: int, words: str) -> None:
    assert status == expected_status, err
    assert words in err and "Traceback" not in err and "internal error" not in err, err
    first, *rest = err.rstrip("\n").split("\n")
    assert first.startswith("stepgrad: ")
    if rest:  # only an expression error adds lines: the expression and a caret under the error
        assert len(rest) == 2 and first.startswith("stepgrad: expression error at column")
        assert set(rest[1].strip()) == {"^"}, err


@pytest.mark.parametrize(
    "args, words",
    [
        (["exp + 1"], "'exp' is a function, not a value"),
        (["sin(sin)"], "'sin' is a function, not a value"),
        (["sin(x) * tanh", "x=1"], "'tanh' is a function, not a value"),
        (["1" * 400], "this number (400 digits) is too large for a float"),
        (["x * " + "9" * 309, "x=1"], "(309 digits) is too large"),
        (["x\udcff"], "argument 2 is not valid UTF-8 text (the byte 0xff at character 2)"),
        (["x", "x=\udcc3"], "argument 3 is not valid UTF-8 text (the byte 0xc3"),
        (["x", "x=1", "--svg", "\udcff.svg"], "argument 5 is not valid UTF-8"),
        (["x", "x=1", "--html", "no/such/folder/s.html"], "there is no folder"),
        (["x", "x=1", "--svg", "no/such/folder/g.svg"], "there is no folder"),
        (["x", "x=1", "--svg", "."], "that is a folder"),
        (["-x", "x=1"], "an EXPR that starts with '-' goes after '--'"),
        (["x", "exp=1"], "exp is a function; give values to other names"),
        (["x", "x=1e999"], "the value must be a finite number"),
        (["x", "x=1", "--format", "pdf"], "invalid choice"),
        (["x\0"], "contains a NUL character"),
        (["(" * 250 + "x" + ")" * 250, "x=1"], "too many nested parentheses"),
        (["sin(x)(1)", "x=1"], "'sin(x)' is not a function you can call here"),
    ],
)
def test_bad_input_exits_2_with_one_message(args, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written, but if it were, not into the checkout
    status, out, err = run_in_process("trace", *args)
    assert_one_message(status, err, 2, words)
    assert out == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, words",
    [
        ([], "the following arguments are required: COMMAND (see stepgrad --help)"),
        (["nonsense"], "invalid choice: 'nonsense'"),
        (["explain", "x", "x=1", "--wrt", "x", "--limit", "0"], "must be at least 1, got 0"),
        (["explain", "x", "x=1", "--wrt", "x", "--limit", "many"], "'many' is not a whole number"),
        (["explain", "x", "x=1", "--wrt", "y"], "--wrt y: no input of that name"),
        (["explain", "x", "x=1"], "the following arguments are required: --wrt"),
        (["demo", "--out", __file__], "that is a file, not a folder"),
    ],
)
def test_bad_options_exit_2_with_one_message(args, words):
    status, _, err = run_in_process(*args)
    assert_one_message(status, err, 2, words)


def test_help_prints_and_exits_0(capsys):
    assert main(["trace", "--help"]) == 0
    assert "NAME=NUMBER" in capsys.readouterr().out


@pytest.mark.parametrize(
    "expr",
    [
        "+".join(["x"] * 1000),  # a thousand terms, under the 2,000-character limit
        "-" * 1999 + "x",  # leading minuses
        "+" * 999 + "-" * 999 + "x",
        " * ".join(["sin(x)"] * 200),
        "sin(" * 190 + "x" + ")" * 190,  # Python's parser allows 200 nested brackets
    ],
)
def test_long_expressions_under_the_length_limit_are_traced(expr):
    status, out, err = run_in_process("trace", "--format", "json", "--", expr, "x=0.5")
    assert status == 0, err
    grads = json.loads(out)["grads"]
    assert math.isfinite(grads["x"])


def test_a_thousand_term_sum_has_the_right_gradient_and_paths():
    expr = "+".join(["x"] * 1000)
    status, out, _ = run_in_process("trace", expr, "x=0.25", "--format", "json")
    assert status == 0 and json.loads(out)["grads"] == {"x": 1000.0}
    shorter = "+".join(["x"] * 200)  # listing n paths of up to n nodes takes n² time: keep it quick
    status, out, _ = run_in_process("explain", shorter, "x=0.25", "--wrt", "x")
    assert status == 0 and "200 path(s) from x" in out


def test_an_expression_without_names_is_a_graph_of_one_value():
    status, out, _ = run_in_process("trace", "3", "--format", "json")
    assert status == 0 and json.loads(out)["grads"] == {"f": 1.0}


# ---- a failed computation: exit status 1 and one line naming the op ------------------------------


@pytest.mark.parametrize(
    "args, words",
    [
        (["exp(x)", "x=1000"], "exp overflowed"),
        (["exp(1000)"], "exp overflowed"),
        (["x ** 1000", "x=10"], "pow overflowed"),
        (["2 ** 2 ** 2 ** 2 ** 2"], "overflowed"),
        (["log(x - 1)", "x=1"], "log needs x > 0"),
        (["sqrt(x)", "x=-4"], "sqrt needs"),
        (["1 / (x - x)", "x=3"], "div needs y ≠ 0"),
        (["sqrt(x)", "x=0"], "sqrt"),  # the local derivative 0.5/√x is undefined at 0
        (["x * 1e308 * 10", "x=1"], "mul overflowed to inf"),  # no silent inf or NaN
        (["x + 1e308 + 1e308", "x=1"], "add overflowed"),
        (["x * 1e200 * y * 1e200", "x=1", "y=1e-200"], "backward: the contribution"),
    ],
)
def test_a_failed_computation_exits_1_naming_the_op(args, words):
    status, out, err = run_in_process("trace", *args)
    assert_one_message(status, err, 1, words)
    assert "inf" not in out and "nan" not in out


def test_explain_exits_1_when_a_gradient_overflows():
    args = ["explain", "x * 1e200 * y * 1e200", "x=1", "y=1e-200", "--wrt", "y"]
    status, _, err = run_in_process(*args)
    assert_one_message(status, err, 1, "backward: the contribution local · upstream became inf")


def test_an_unwritable_output_exits_1_with_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root writes anywhere: use a file as the parent instead
            status, _, err = run_in_process("trace", "x", "x=1", "--html", f"{__file__}/s.html")
            assert_one_message(status, err, 2, "there is no folder")
        else:
            status, _, err = run_in_process("trace", "x", "x=1", "--html", str(locked / "s.html"))
            assert_one_message(status, err, 1, "cannot write")
    finally:
        locked.chmod(0o700)


# ---- a reader that stops reading early ---------------------------------------------------------


def run_into_a_closed_pipe(*args: str, tmp_path) -> subprocess.CompletedProcess:
    """Run stepgrad with stdout a pipe whose reader has already gone: every write to stdout fails
    with EPIPE, deterministically (a real `| head` may or may not close before the last write)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "autograd", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
    finally:
        os.close(writer)


def test_demo_into_a_closed_pipe_still_writes_its_files(tmp_path):
    """The lecturer's finding: `stepgrad demo --out X | head` exited 1, silently, with no files."""
    result = run_into_a_closed_pipe("demo", "--out", "X", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stderr == (
        "wrote X/graph.svg\nwrote X/steps.html\nOpen X/steps.html in a browser and press →.\n"
    )
    assert "<svg" in (tmp_path / "X" / "graph.svg").read_text(encoding="utf-8")
    assert "<svg" in (tmp_path / "X" / "steps.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trace_into_a_closed_pipe_still_writes_its_files(tmp_path, fmt):
    result = run_into_a_closed_pipe(
        "trace", "sin(x) * w", "x=1", "w=2", "--format", fmt, "--svg", "g.svg", "--html", "s.html",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == "wrote g.svg\nwrote s.html\n"
    assert (tmp_path / "g.svg").stat().st_size > 0 and (tmp_path / "s.html").stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ("explain", "x * x + x", "x=3", "--wrt", "x"),
        ("quiz", "--seed", "7"),  # cannot ask unseen questions: it stops
        ("--help",),
        ("trace", "--help"),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_every_command_stops_quietly_when_the_reader_has_gone(tmp_path, args):
    result = run_into_a_closed_pipe(*args, tmp_path=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


def test_demo_piped_into_head(tmp_path):
    """The real thing: a shell pipeline into `head -n 2` (which may close before the demo's last
    write, or after it: either way no traceback, status 0, the files written)."""
    command = f"{sys.executable} -m autograd demo --out X | head -n 2"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Toy model (Prince") and result.stdout.count("\n") == 2
    assert "Traceback" not in result.stderr and "wrote X/steps.html" in result.stderr
    assert (tmp_path / "X" / "steps.html").exists()


@pytest.mark.parametrize(
    "lang, names, first, second, total",
    [
        (
            "en",
            "Names: f0 = x·x, h1 = sin(x), f = f0 + h1",
            "x -> f0 (input 1) -> f",
            "x -> f0 (input 2) -> f",
            "sum: ∂f/∂x = 3.07074",
        ),
        (
            "zh",
            "记号：f0 = x·x, h1 = sin(x), f = f0 + h1",
            "x -> f0 (第 1 个输入) -> f",
            "x -> f0 (第 2 个输入) -> f",
            "合计: ∂f/∂x = 3.07074",
        ),
    ],
)
def test_explain_says_what_each_name_is_and_tells_twin_paths_apart(
    lang, names, first, second, total
):
    """x·x + sin(x) at 1.5: two paths through x·x (one per input, each x · 1 = 1.5) and one
    through sin (cos 1.5 = 0.0707372); 1.5 + 1.5 + 0.0707372 = 3.07074, as backward() says."""
    status, out, _ = run_in_process(
        "explain", "x*x + sin(x)", "x=1.5", "--wrt", "x", "--lang", lang
    )
    lines = [line.strip() for line in out.splitlines()]
    assert status == 0 and lines[0] == names
    assert f"1. {first}: x · 1 = 1.5" in lines and f"2. {second}: x · 1 = 1.5" in lines
    assert total in lines
    assert lines[-2].split()[-1] == "3.07074" and lines[-1].split()[-1] == "0"  # backward(), diff
