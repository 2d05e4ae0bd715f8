"""Values as Python source, and the imports that source needs.

:func:`literal` writes numbers, strings, tuples, lists, dicts, small arrays
and dlcore's settings (frozen dataclasses and NamedTuples, by keyword) as
code that rebuilds them; :class:`Imports` collects one import per module
with a readable alias. Strings are written with ``repr``, so whatever a
visitor typed stays a string literal in the generated code.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import io
import json
import math
import tokenize
from typing import Any

import numpy as np

#: Arrays up to this many entries are written out; bigger ones cannot be a parameter.
MAX_ARRAY = 2000
#: Packages a script may import (installed by ``pip install .``, or the lab's dependencies).
PACKAGES = ("dlcore", "charts", "numpy", "PIL")


class Imports:
    """The imports of a generated script: ``from package import module [as alias]``.

    Parameters
    ----------
    reserved : set of str
        Names the script uses for its variables; an alias never takes one.
    """

    def __init__(self, reserved: set[str] | None = None) -> None:
        self.reserved = set(reserved or ())
        self.modules: dict[str, str] = {}  # module path -> alias
        self.names: dict[str, set[str]] = {}  # module path -> names imported from it

    def add_module(self, path: str, alias: str) -> str:
        """``import path as alias`` (numpy as np)."""
        self.modules[path] = alias
        return alias

    def add_from(self, path: str, name: str) -> str:
        """``from path import name``."""
        self.names.setdefault(path, set()).add(name)
        return name

    def module(self, path: str) -> str:
        """The alias of a module of dlcore or charts, chosen on first use."""
        if path in self.modules:
            return self.modules[path]
        if path.split(".")[0] not in PACKAGES:
            raise ValueError(f"a script may not import {path!r}")
        parts = path.split(".")
        taken = self.reserved | set(self.modules.values())
        alias = parts[-1]
        if alias in taken or alias in ("np", "Image", "ImageOps"):
            alias = "_".join(parts[-2:]) if parts[-2] != "dlcore" else f"dl_{parts[-1]}"
        while alias in taken:
            alias += "_"
        self.modules[path] = alias
        return alias

    def ref(self, obj: Any) -> str:
        """``alias.name`` for a function or class defined at the top of a dlcore/charts module."""
        module, name = obj.__module__, obj.__qualname__
        if getattr(importlib.import_module(module), name, None) is not obj:
            raise ValueError(f"{module}.{name} cannot be imported by a script")
        return f"{self.module(module)}.{name}"

    def block(self) -> str:
        """The import lines, grouped and sorted as ruff's isort writes them."""
        plain, entries = [], {}  # entries: (package, name, alias or "")
        for path, alias in self.modules.items():
            head, _, last = path.rpartition(".")
            if not head:
                plain.append(f"import {path}" + (f" as {alias}" if alias != path else ""))
            else:
                entries.setdefault(head, []).append((last, alias if alias != last else ""))
        for path, names in self.names.items():
            entries.setdefault(path, []).extend((name, "") for name in names)
        froms = []
        for head, items in entries.items():
            bare = sorted((n for n, a in items if not a), key=str.lower)
            if bare:
                froms.append(
                    ((head.lower(), bare[0].lower()), f"from {head} import {', '.join(bare)}")
                )
            for name, alias in items:
                if alias:
                    froms.append(
                        ((head.lower(), name.lower()), f"from {head} import {name} as {alias}")
                    )
        return "\n".join(sorted(plain) + [line for _, line in sorted(froms)]) + "\n"


def _string(text: str) -> str:
    """A string literal in double quotes (as ``ruff format`` writes it); ``repr`` if that differs."""
    quoted = json.dumps(text, ensure_ascii=False)
    try:
        same = ast.literal_eval(quoted) == text
    except (SyntaxError, ValueError):
        same = False
    return quoted if same else repr(text)


def _float(value: float) -> str:
    if math.isfinite(value):
        return repr(float(value))
    return f'float("{value}")'


def _array(value: np.ndarray, imports: Imports) -> str:
    if value.size > MAX_ARRAY or value.dtype.kind not in "biuf":
        raise ValueError(f"an array of shape {value.shape} is too big to write as a parameter")
    np_alias = imports.add_module("numpy", "np")
    body = literal(value.tolist(), imports)
    default = {"b": np.bool_, "i": np.int64, "u": np.int64, "f": np.float64}[value.dtype.kind]
    dtype = "" if value.dtype == default else f", dtype={np_alias}.{value.dtype.name}"
    return f"{np_alias}.array({body}{dtype})"


def _fields(value: Any) -> list[tuple[str, Any, bool]]:
    """(name, value, is the default) of a dataclass or NamedTuple instance."""
    if dataclasses.is_dataclass(value):
        out = []
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            v = getattr(value, f.name)
            default = f.default
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            out.append((f.name, v, default is not dataclasses.MISSING and _equal(v, default)))
        return out
    defaults = value._field_defaults
    return [
        (n, getattr(value, n), n in defaults and _equal(getattr(value, n), defaults[n]))
        for n in value._fields
    ]


def _equal(a: Any, b: Any) -> bool:
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # arrays: no single truth value
        return False


def literal(value: Any, imports: Imports) -> str:
    """Python source that rebuilds ``value``.

    Examples
    --------
    >>> print(literal({"lr": 0.1, "name": "x'); __import__('os"}, Imports()))
    {"lr": 0.1, "name": "x'); __import__('os"}
    """
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)) and not isinstance(value, np.generic):
        return repr(value)
    if isinstance(value, np.generic):
        return literal(value.item(), imports)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, np.ndarray):
        return _array(value, imports)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, imports) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{literal(k, imports)}: {literal(v, imports)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return imports.ref(value)
    if dataclasses.is_dataclass(value) or isinstance(value, tuple) and hasattr(value, "_fields"):
        args = ", ".join(
            f"{n}={literal(v, imports)}" for n, v, default in _fields(value) if not default
        )
        return f"{imports.ref(type(value))}({args})"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v, imports) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise ValueError(f"a {type(value).__name__} cannot be written as a script's parameter")


def _top_level(text: str) -> tuple[int, list[int]] | None:
    """The first bracket of ``text`` if it closes at the very end, and the commas directly inside."""
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    depth, opened, commas, lines = 0, None, [], text
    try:
        for tok in tokens:
            if tok.type != tokenize.OP:
                continue
            col = tok.start[1]
            if tok.string in "([{":
                depth += 1
                opened = col if opened is None else opened
            elif tok.string in ")]}":
                depth -= 1
                if depth == 0:
                    return (opened, commas) if col == len(lines.rstrip()) - 1 else None
            elif tok.string == "," and depth == 1:
                commas.append(col)
    except (tokenize.TokenError, SyntaxError):
        return None
    return None


def wrap(line: str, width: int = 100, indent: str = "", suffix: str = "") -> str:
    """One line of code broken at its outermost brackets, one item a line, as ``ruff format`` does.

    Examples
    --------
    >>> print(wrap("x = f(1, 'a, b', [2, 3])", width=12))
    x = f(
        1,
        'a, b',
        [2, 3],
    )
    """
    if len(indent) + len(line) + len(suffix) <= width:
        return indent + line + suffix
    found = _top_level(line)
    if found is None:
        return indent + line + suffix
    opened, commas = found
    bounds = [opened, *commas, len(line) - 1]
    items = [line[a + 1 : b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    inner = "\n".join(wrap(item, width, indent + "    ", ",") for item in items if item)
    return f"{indent}{line[: opened + 1]}\n{inner}\n{indent}{line[-1]}{suffix}"
