"""``stepgrad quiz``, driven with scripted answers on stdin.

The right answers come from the engine (a backward pass over the quiz's own graph); the wrong ones
are made one factor at a time, so each kind of feedback is checked: a right answer, a wrong local
derivative, a wrong upstream gradient carried along, and a forgotten path. Every equation the quiz
prints is evaluated independently (tests/equations.py).
"""

from __future__ import annotations

import io
import math
import subprocess
import sys

import pytest
from equations import assert_true_equations

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
    out = capsys.readouterr().out
    assert_true_equations(out, {**gradients(), "f": 1.0}, "f")
    return status, out


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
    assert "but ∂b/∂a = -sin(a) = -0.997495" in out
    assert "Carry on from ∂f/∂a = 1.49624." in out
    assert "Score: 1 of 2 right." in out


def test_after_a_wrong_answer_the_quiz_carries_on_from_the_right_value(monkeypatch, capsys):
    """A tutor's way: the right value is said, and the next step is checked against it; an
    answer that carries the student's own wrong value instead is said to be carried."""
    answers = gradients()
    minus_sin_a = answers["a"] / answers["b"]
    _, out = play(
        ["2", f"{minus_sin_a * answers['b']}", "q"], monkeypatch=monkeypatch, capsys=capsys
    )
    assert "✗ ∂f/∂b: you gave 2, the engine gets -1.5." in out
    assert "Carry on from ∂f/∂b = -1.5." in out
    assert out.count("✓ right") == 1 and "Score: 1 of 2 right." in out
    _, out = play(["2", f"{minus_sin_a * 2}", "q"], monkeypatch=monkeypatch, capsys=capsys)
    assert "you multiplied it by your wrong answer ∂f/∂b = 2 (the engine gets -1.5)" in out
    assert "you computed -sin(a) · ∂f/∂b as (-0.997495) · 2 = -1.99499" in out
    assert "Score: 0 of 2 right." in out


def test_a_carried_error_into_a_two_path_node(monkeypatch, capsys):
    """The student's finding: a wrong ∂f/∂a carried into ∂f/∂y = b·∂f/∂f + x·∂f/∂a printed
    "∂f/∂y = x · ∂f/∂a = (-1) · 1.49624 = -1.42551", the b path dropped."""
    answers = gradients()
    b = make_quiz(SEED).intermediates[1].data
    wrong_a = 2.0
    lines = [f"{answers['b']}", f"{wrong_a}", f"{b * 1 + (-1) * wrong_a}", "q"]
    _, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)  # play() checks every equation
    assert "you multiplied them by your wrong answer ∂f/∂a = 2 (the engine gets 1.49624)" in out
    assert "you computed x · ∂f/∂a + b · ∂f/∂f as (-1) · 2 + 0.0707372 · 1 = -1.92926" in out
    assert "∂f/∂y = x · ∂f/∂a + b · ∂f/∂f = (-1) · 1.49624 + 0.0707372 · 1 = -1.42551" in out


def test_a_forgotten_path(monkeypatch, capsys):
    answers = gradients()
    b = make_quiz(SEED).intermediates[1].data
    only_through_a = answers["y"] - b  # leaves out y → f directly (its local derivative is b)
    lines = [f"{answers['b']}", f"{answers['a']}", f"{only_through_a}", "q"]
    _, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert "✗ ∂f/∂y: you gave" in out
    assert "leaves out its use by f" in out  # ∂f/∂a was given and right: y's own uses
    assert "you computed x · ∂f/∂a as (-1) · 1.49624 = -1.49624" in out


def test_answers_use_the_quiz_s_names_and_its_symbols(monkeypatch, capsys):
    answers = gradients()
    lines = ["y", "−sin(a)·y", "x × 1.49624 + b", "y^2 - 1.5²"]  # ∂f/∂x = y·∂f/∂a = 1.5·(-1.49624)
    _, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert out.count("✓ right") == 3 and "✗ ∂f/∂x: you gave 0," in out
    assert quiz_module.read_answer("（1 + 2）／3", {}) == 1.0  # full-width, from a Chinese keyboard
    assert answers["y"] == pytest.approx(-1 * 1.49624 + 0.0707372, abs=1e-5)


@pytest.mark.parametrize(
    ("typed", "english", "chinese"),
    [
        ("z", "z is not a name in this quiz; the names are x, y, a, b, f.", "这道题里没有 z"),
        ("1/0", "Your answer divides by zero.", "你的答案除以了零。"),
        (
            "(1 +",
            "Please type a number, or arithmetic on numbers and the names x, y",
            "请输入一个数",
        ),
        ("log(-1)", "Your answer cannot be computed: a function gets a number outside", "无法计算"),
        ("exp(1000)", "Your answer is too large for a float.", "太大"),
    ],
)
def test_answers_that_are_not_numbers_are_explained_in_the_quiz_s_words(typed, english, chinese):
    values = {"x": -1.0, "y": -1.5, "a": 1.5, "b": 0.07, "f": -0.1}
    with pytest.raises(ValueError) as error:
        quiz_module.read_answer(typed, values)
    assert str(error.value).startswith(english)
    with pytest.raises(ValueError) as error:
        quiz_module.read_answer(typed, values, "zh")
    assert chinese in str(error.value) and not any(c.isascii() and c.isalpha() for c in
                                                   str(error.value).replace(typed, "")
                                                   .replace("x、y、a、b、f", ""))  # fmt: skip


def test_hints_retries_and_the_end_of_the_input(monkeypatch, capsys):
    answers = gradients()
    lines = ["-3/2", "?", "what", "1e999", f"{answers['y']:.6g}", "(1 +"]
    status, out = play(lines, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 0
    assert f"The answer: {answers['a']:.6g}" in out
    assert "what is not a name" in out and "(numbers must be finite)" in out  # 1e999
    assert out.count("Please type a number") == 2  # 1e999 and the unclosed "(1 +"
    # the end of the input stops the quiz; the answer shown with ? is said, and not counted
    assert out.endswith("Score: 2 of 3 right; 1 answer was shown with ?, not counted as right.\n")


def test_the_score_says_how_many_answers_were_shown(monkeypatch, capsys):
    """The lecturer's finding: after ? the score read "0 of 3 right", revealed answers unsaid."""
    _, out = play(["?", "?", "?", "?"], monkeypatch=monkeypatch, capsys=capsys)
    assert out.endswith("Score: 0 of 4 right; 4 answers were shown with ?, not counted as right.\n")
    answers = gradients()
    _, out = play([f"{answers['b']}", "q"], monkeypatch=monkeypatch, capsys=capsys)
    assert out.endswith("Score: 1 of 1 right.\n")  # nothing shown, nothing said about it
    _, out = play(["?", "?", "q"], "--lang", "zh", monkeypatch=monkeypatch, capsys=capsys)
    assert out.endswith("得分：2 题中答对 0 题；其中 2 题用 ? 看了答案，不算答对。\n")


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
