"""The Examples sections of the docstrings run, so they stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bench
import charts
import deploy
import dlcore
import ui

MODULES = sorted(
    info.name
    for package in (dlcore, charts, ui, deploy, bench)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if info.name not in ("bench.__main__",)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
