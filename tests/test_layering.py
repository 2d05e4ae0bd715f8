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
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"dlcore imported {out.stdout.strip()}"


@pytest.mark.parametrize("path", _modules("dlcore"), ids=lambda p: p.name)
def test_dlcore_module_imports(path):
    allowed = {
        "numpy",
        "scipy",
        "__future__",
        "dlcore",
        "math",
        "dataclasses",
        "typing",
        "collections",
        "functools",
        "itertools",
        "numbers",
        "ast",
        "operator",
        "re",
        "warnings",
        "inspect",
        "enum",
        "abc",
        "contextlib",
        "string",
        "textwrap",
        "heapq",
        "time",
    }
    if path.name == "datasets.py":
        allowed.add("sklearn")
    if path.name == "train_digits.py":  # the script that writes the shipped weights beside it
        allowed |= {"argparse", "pathlib"}
    if path.name == "pixels.py":  # the PNG encoder: standard library only
        allowed |= {"struct", "zlib"}
    extra = _imports(path) - allowed
    assert not extra, f"{path.name} imports {sorted(extra)}"


@pytest.mark.parametrize("path", _modules("charts"), ids=lambda p: p.name)
def test_charts_never_import_streamlit(path):
    assert "streamlit" not in _imports(path)


UI_CODE = sorted((ROOT / "pages").glob("*.py")) + _modules("labs")
APP_CODE = (
    _modules("dlcore")
    + _modules("charts")
    + _modules("ui")
    + UI_CODE
    + _modules("bench")
    + [ROOT / "app.py"]
)
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


def _rel(path) -> str:
    return path.relative_to(ROOT).as_posix()


MAX_LIBRARY_MODULE_LINES = 700


@pytest.mark.parametrize("path", _modules("dlcore") + _modules("charts"), ids=_rel)
def test_library_modules_hold_one_concept(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LIBRARY_MODULE_LINES, f"{lines} lines: split it along its concerns"


@pytest.mark.parametrize("path", UI_CODE, ids=_rel)
def test_pages_and_panels_hold_ui_only(path):
    text = path.read_text(encoding="utf-8")
    assert "plotly" not in _imports(path), "figures belong in charts/"
    assert "np.linalg" not in text and "numpy.linalg" not in text, "math belongs in dlcore/"
    assert "st.navigation" not in text
    assert ".plotly_chart(" not in text, "show figures through ui.figures.show_chart"


@pytest.mark.parametrize("path", UI_CODE, ids=_rel)
def test_pages_and_panels_read_in_one_sitting(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, "split the module along its panels"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_a_page_is_a_table_of_contents(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 40


def _private_uses(tree: ast.Module) -> list[str]:
    """``from m import _x`` and ``module._x`` for a module imported by name."""
    modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {node.module} import {alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.update((a.asname or a.name).split(".")[0] for a in node.names)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in ("_replace", "_asdict", "_fields")  # NamedTuple's public API
        ):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


@pytest.mark.parametrize("path", APP_CODE, ids=_rel)
def test_no_private_name_is_used_across_modules(path):
    found = _private_uses(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"make these public (and document them): {found}"


@pytest.mark.parametrize(
    "path",
    _modules("dlcore") + _modules("ui") + UI_CODE + [ROOT / "app.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_eval_and_no_user_html(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("eval", "exec", "compile"), (
                f"{node.func.id} at line {node.lineno}"
            )
        if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            value = node.value
            assert isinstance(value, ast.Constant) and value.value is False, (
                f"unsafe_allow_html at line {node.lineno}: user text must never be rendered as HTML"
            )
