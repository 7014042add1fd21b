import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _no_config_file(tmp_path_factory, monkeypatch):
    """No test reads the config file of the person running them (the playground started as nnplay does, here or
    in a subprocess, reads $XDG_CONFIG_HOME/nnplay/config.toml): an empty folder stands in for theirs."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-config-home"))


@pytest.fixture
def xor_data():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    T = np.array([[0], [1], [1], [0]], dtype=float)
    return X, T
