"""The layers of ARCHITECTURE.md: imports go one way only."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.pagetest import ROOT


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def test_importing_dlcore_pulls_in_neither_streamlit_nor_plotly():
    code = (
        "import sys, importlib, pkgutil, dlcore\n"
        "for m in pkgutil.iter_modules(dlcore.__path__):\n"
        "    importlib.import_module('dlcore.' + m.name)\n"
        "bad = [n for n in ('streamlit', 'plotly') if n in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"dlcore imported {out.stdout.strip()}"


@pytest.mark.parametrize("path", _modules("dlcore"), ids=lambda p: p.name)
def test_dlcore_module_imports(path):
    allowed = {"numpy", "scipy", "__future__", "dlcore", "math", "dataclasses", "typing", "collections",
               "functools", "itertools", "numbers", "ast", "operator", "re", "warnings", "inspect", "enum",
               "abc", "contextlib", "string", "textwrap", "heapq", "time"}
    if path.name == "datasets.py":
        allowed.add("sklearn")
    extra = _imports(path) - allowed
    assert not extra, f"{path.name} imports {sorted(extra)}"


@pytest.mark.parametrize("path", _modules("charts"), ids=lambda p: p.name)
def test_charts_never_import_streamlit(path):
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_hold_ui_only(path):
    text = path.read_text(encoding="utf-8")
    assert "plotly" not in _imports(path), "figures belong in charts/"
    assert "np.linalg" not in text and "numpy.linalg" not in text, "math belongs in dlcore/"
    assert "st.navigation" not in text
    assert len(text.splitlines()) <= 250, "a page should read in one sitting; split math/charts out"


@pytest.mark.parametrize(
    "path",
    _modules("dlcore") + _modules("ui") + sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_eval_and_no_user_html(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("eval", "exec", "compile"), f"{node.func.id} at line {node.lineno}"
        if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            value = node.value
            assert isinstance(value, ast.Constant) and value.value is False, (
                f"unsafe_allow_html at line {node.lineno}: user text must never be rendered as HTML"
            )
