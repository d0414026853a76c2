"""The stepgrad command: demo, trace round trips, rejected input and exit codes."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys

import pytest

from autograd import Value
from autograd.cli.main import main
from autograd.expression import ExpressionError, parse, parse_assignments


def test_demo_prints_the_tables_and_writes_the_files(capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for title in (
        "Forward pass",
        "Backward pass #1 (intermediates)",
        "Backward pass #2 (parameters and inputs)",
    ):
        assert title in printed
    assert re.search(r"ℓ\s+\(f3 - y\)\^2\s+\(2\.37226 - 2\)\^2\s+0\.138581", printed)
    check = printed[printed.index("against central differences") :]
    rows = re.findall(r"∂ℓ/∂(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\n", check)
    assert [name for name, *_ in rows] == ["β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3"]
    for _, backprop, numeric, difference in rows:
        assert abs(float(backprop) - float(numeric)) < 1e-6 and float(difference) < 1e-6
    assert (tmp_path / "graph.svg").read_text().count('class="node"') > 20
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
