"""Bundled scenarios with a held-out test set, written as a scenario file would write it: through
``load(..., overrides=...)`` (the path of ``--set``), checked like any file."""

from pathlib import Path
from typing import Any

from nnplay.scenario import Scenario, load

# the bump has three samples, all needed to train, and XOR's lesson names its fourth: both get test points
# of their own (between the bump's; near XOR's corners); the others hold out a quarter of their samples
OWN_TEST_SETS: dict[str, dict[str, Any]] = {
    "bump": {"data.test_inputs": [[0.25], [0.75]], "data.test_targets": [0.5, 0.5]},
    "xor": {"data.test_inputs": [[0.1, 0.2], [0.2, 0.9], [0.9, 0.1], [0.8, 0.8]], "data.test_targets": [0, 1, 1, 0]},
}


def test_set_keys(name: str) -> dict[str, Any]:
    """The dotted keys that give the bundled scenario ``name`` a test set."""
    return OWN_TEST_SETS.get(name, {"data.test_fraction": 0.25})


def with_test_set(name: str, overrides: dict[str, Any] | None = None) -> Scenario:
    """The bundled scenario ``name`` with a test set (and ``overrides``)."""
    return load(name, overrides={**test_set_keys(name), **(overrides or {})})


def test_set_file(folder: Path, name: str, overrides: dict[str, Any] | None = None) -> Path:
    """``with_test_set(name, overrides)`` written as ``folder/NAME.toml``: a scenario file with a test set."""
    path = folder / f"{name}.toml"
    text = with_test_set(name, overrides).text
    assert text is not None
    path.write_text(text, encoding="utf-8")
    return path
