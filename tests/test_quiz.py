"""``stepgrad quiz``, driven with scripted answers on stdin.

The right answers come from the engine (a backward pass over the quiz's own graph); the wrong ones
are made one factor at a time, so each kind of feedback is checked: a right answer, a wrong local
derivative, a wrong upstream gradient carried along, and a forgotten path.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys

import pytest

from autograd.cli import quiz as quiz_module
from autograd.cli.main import main
from autograd.cli.quiz import INPUTS, MAX_STEPS, make_quiz
from autograd.core.backward import pass_gradients

# Seed 1 draws  a = x·y,  b = cos(a),  f = b·y  with x = -1, y = -1.5: y reaches f by two paths.
SEED = 1


def gradients(seed: int = SEED, steps: int = 3) -> dict[str, float]:
    drawn = make_quiz(seed, steps)
    grads = pass_gradients([drawn.output], drawn.questions)
    return {node.label: grad for node, grad in zip(drawn.questions, grads)}


def play(lines: list[str], *options: str, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    status = main(["quiz", "--seed", str(SEED), *options])
    return status, capsys.readouterr().out


def test_the_drawn_expression_is_the_seed_s():
    drawn = make_quiz(SEED)
    assert [n.label for n in drawn.questions] == ["b", "a", "y", "x"]  # backward order
    assert (drawn.inputs[0].data, drawn.inputs[1].data) == (-1.0, -1.5)
    b, a = drawn.intermediates[1], drawn.intermediates[0]
    assert b.op.name == "cos" and a.op.name == "mul" and drawn.output.op.name == "mul"
    again = make_quiz(SEED)
    assert [n.data for n in again.questions] == [n.data for n in drawn.questions]


@pytest.mark.parametrize("seed", range(40))
def test_every_seed_draws_a_sound_quiz(seed):
    for steps in range(2, MAX_STEPS + 1):
        drawn = make_quiz(seed, steps)
        assert len(drawn.intermediates) == steps - 1
        assert all(v.data in INPUTS for v in drawn.inputs)
        assert all(math.isfinite(n.data) for n in (*drawn.questions, drawn.output))
        assert {n.label for n in drawn.questions} >= {"x", "y"}
        # the last op reuses an earlier node: some question has two paths or more
        last = drawn.output
        assert last.op.arity == 2 and last.parents[1] is not last.parents[0]


def test_right_answers(monkeypatch, capsys):
    answers = gradients()
    status, out = play(
        [f"{answers[n]:.6g}" for n in "bayx"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert status == 0
    assert "a = x·y = 1.5" in out and "b = cos(a) = 0.0707372" in out and "f = b·y" in out
    assert out.count("✓ right") == 4 and "Score: 4 of 4 right." in out


def test_a_wrong_local_derivative(monkeypatch, capsys):
    answers = gradients()
    # ∂f/∂a = -sin(a)·∂f/∂b; with the sign of cos′ forgotten:
    lines = [f"{answers['b']}", f"{-answers['a']}", "q"]
    status, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0
    assert "✗ ∂f/∂a: you gave" in out
    assert "The upstream gradient ∂f/∂b = -1.5 is right, so the local derivative is not" in out
    assert "∂b/∂a = -sin(a) (= -0.997495)" in out
    assert "Score: 1 of 2 right." in out


def test_a_wrong_upstream_gradient_carried_along(monkeypatch, capsys):
    answers = gradients()
    wrong_b = 2.0
    minus_sin_a = answers["a"] / answers["b"]
    lines = [f"{wrong_b}", f"{minus_sin_a * wrong_b}", "q"]
    _, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert "✗ ∂f/∂b: you gave 2, the engine gets -1.5." in out
    assert "but the upstream gradient is not: you used your answer ∂f/∂b = 2" in out
    assert "Score: 0 of 2 right." in out


def test_a_forgotten_path(monkeypatch, capsys):
    answers = gradients()
    b = make_quiz(SEED).intermediates[1].data
    only_through_a = answers["y"] - b  # leaves out y → f directly (its local derivative is b)
    lines = [f"{answers['b']}", f"{answers['a']}", f"{only_through_a}", "q"]
    _, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert "✗ ∂f/∂y: you gave" in out
    assert "Your answer adds up 1 of the 2 paths from y to f" in out
    assert "✗ y → f" in out and "✓ y → a → b → f" in out


def test_arithmetic_answers_hints_and_retries(monkeypatch, capsys):
    answers = gradients()
    lines = ["y", "-3/2", "?", "what", "1e999", f"{answers['y']:.6g}", "(1 +"]
    status, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0
    assert "Please type a number (no value given for y" in out  # a name is not a number
    assert f"The answer: {answers['a']:.6g}" in out
    assert out.count("Please type a number") == 4
    assert "Score: 2 of 3 right." in out  # the end of the input stops the quiz


def test_quit_and_empty_input(monkeypatch, capsys):
    status, out = play(["q"], monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0 and "Score: 0 of 0 right." in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["quiz", "--seed", "3"]) == 0
    assert "Score: 0 of 0 right." in capsys.readouterr().out


def test_a_quiz_without_a_seed_says_which_it_drew(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["quiz"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    seed = int(first.split("seed ")[1].split(":")[0])
    assert make_quiz(seed).output.label == "f"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--steps", "1"], "argument --steps: must be between 2 and 6, got 1"),
        (["--steps", "7"], "argument --steps: must be between 2 and 6, got 7"),
        (["--steps", "two"], "argument --steps: 'two' is not a whole number"),
        (["--lang", "fr"], "argument --lang: invalid choice: 'fr'"),
        (["--seed", "x"], "argument --seed: invalid int value: 'x'"),
    ],
)
def test_bad_options_exit_2_with_one_line(option, message, capsys):
    assert main(["quiz", *option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stepgrad: quiz: ") and message in err and err.count("\n") == 1


def test_make_quiz_refuses_bad_steps():
    with pytest.raises(ValueError, match="a quiz has 2 to 6 steps, got 1"):
        make_quiz(0, 1)


def test_the_console_script_with_piped_answers():
    answers = gradients()
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "quiz", "--seed", str(SEED)],
        input=f"{answers['b']}\n0\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "✓ right" in result.stdout and "✗ ∂f/∂a" in result.stdout
    assert "Score: 1 of 2 right." in result.stdout


def test_run_takes_its_streams():
    answers = gradients()
    out = io.StringIO()
    args = quiz_module.argparse.Namespace(seed=SEED, steps=3, lang="en")
    assert quiz_module.run(args, io.StringIO(f"{answers['b']}\n"), out) == 0
    assert "✓ right" in out.getvalue()
