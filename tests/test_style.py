"""Formatting and lint are decided by ruff (settings in pyproject.toml), not by a line cap."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.pagetest import ROOT


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff")
    command = [exe] if exe else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", ".")], ids=" ".join)
def test_ruff_is_clean(args):
    out = _ruff(*args)
    assert out.returncode == 0, f"ruff {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}"
