"""The docstring examples of every module of ``empathy_explorer.games`` run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

from empathy_explorer import games

MODULES = [m.name for m in pkgutil.iter_modules(games.__path__, "empathy_explorer.games.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, name
