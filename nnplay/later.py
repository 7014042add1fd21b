"""A module the first frame does without, imported when it is first used: the shell waits for every import.

::

    if TYPE_CHECKING:
        from . import explain
    else:
        explain = later("nnplay.explain")

The type checker reads the real module; at run time ``explain.chain_rule`` imports nnplay.explain the first
time it is asked for (under the import system's lock, so from any thread). tests/tui/test_speed.py lists
what the command's imports and every bundled scenario's first frame leave out (NOT_AT_START).
"""

from __future__ import annotations

import importlib


class later:  # lower case: it stands for a module
    """A stand-in for the module ``name`` that imports it on first use."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> object:
        return getattr(importlib.import_module(self._name), attribute)
