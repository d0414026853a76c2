"""The stepgrad command."""
from __future__ import annotations

import re
import subprocess
import sys

from autograd.__main__ import main


def test_demo_prints_forward_values_and_checked_gradients(capsys):
    assert main(["demo"]) == 0
    printed = capsys.readouterr().out
    assert "ℓ   =  0.1385805664" in printed
    rows = re.findall(r"∂ℓ/∂(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", printed)
    assert [name for name, *_ in rows] == ["β0", "ω0", "β1", "ω1", "β2", "ω2", "β3", "ω3"]
    for _, backprop, numeric, difference in rows:
        assert abs(float(backprop) - float(numeric)) < 1e-6 and float(difference) < 1e-6


def test_python_dash_m_runs():
    result = subprocess.run([sys.executable, "-m", "autograd", "demo"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "Gradients of ℓ" in result.stdout


def test_unknown_command_exits_2():
    result = subprocess.run([sys.executable, "-m", "autograd", "nonsense"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "invalid choice" in result.stderr
