"""One name, one definition: no public name is defined at module level twice in one layer.

A name defined in two modules of a layer (``softmax`` in two dlcore modules, say)
reads as one concept and is two; a caller importing the wrong one gets another
signature or another meaning. Re-exports (``from a import x``) are not
definitions and are fine. The labs are exempt: every panel module defines
``render``, ``KEYS`` and ``view`` on purpose, as the panel contract.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("dlcore", "charts", "ui")


def definitions(tree: ast.Module) -> list[str]:
    """Public names a module defines at top level: functions, classes, assigned names."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [n for n in names if not n.startswith("_")]


def defined_twice(layer: str) -> dict[str, list[str]]:
    """Public names defined in more than one module of ``layer``, with the modules."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in definitions(ast.parse(path.read_text(encoding="utf-8"))):
            where[name].append(str(path.relative_to(ROOT)))
    return {name: paths for name, paths in where.items() if len(paths) > 1}


def test_definitions_sees_functions_classes_and_constants_not_imports():
    tree = ast.parse(
        "from a import b\nimport c\nX = 1\nY: int = 2\n_P = 3\n"
        "def f(): pass\nclass K: pass\nif True:\n    Z = 4\n"
    )
    assert definitions(tree) == ["X", "Y", "f", "K"]


@pytest.mark.parametrize("layer", LAYERS)
def test_no_public_name_is_defined_twice_in_a_layer(layer):
    twice = defined_twice(layer)
    assert not twice, "\n".join(f"{name}: {', '.join(paths)}" for name, paths in twice.items())
