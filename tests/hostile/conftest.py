"""Hostile input, in one place: scenario files, saved runs and key presses built to break nnplay.

Each file here is a table of attacks and what nnplay must answer (one clear
line, the right exit code, a playground that stays alive). To add an attack,
add a row to the table of the file it belongs to:

* ``test_scenarios.py``: scenario files (TOML, CSV), through the loader and the commands;
* ``test_saved_runs.py``: saved runs (JSON), through ``runfile.load`` and the commands;
* ``test_playground.py``: the playground under hostile data and random keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

XOR_DATA = "[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\ntargets = [[0], [1], [1], [0]]\n"
XOR_NETWORK = ('[network]\nlayers = [{ units = 2, activation = "sigmoid" }, '
               '{ units = 1, activation = "sigmoid" }]\n')


@pytest.fixture
def write(tmp_path: Path):
    """write(text, name="attack.toml") -> the path of a file holding ``text`` (str or bytes)."""

    def _write(text: str | bytes, name: str = "attack.toml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
