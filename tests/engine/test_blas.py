"""BLAS at one thread for the command and the playground, set before NumPy loads, unless the user chose."""

import os
import subprocess
import sys

import pytest

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PROBE = """
import os, sys
import nnplay
assert "numpy" not in sys.modules, "import nnplay loads no NumPy"
import {module}
print(nnplay.blas.HOW if hasattr(nnplay, "blas") else "-", *(os.environ.get(k, "-") for k in {variables}))
"""


def probe(module, **env):
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    code = PROBE.format(module=module, variables=VARIABLES)
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.slow
def test_the_command_sets_one_thread_before_numpy_loads():
    assert probe("nnplay.cli") == ["environment", "1", "1", "1"]


@pytest.mark.slow
def test_a_users_setting_is_kept():
    assert probe("nnplay.cli", OMP_NUM_THREADS="2") == ["yours", "-", "2", "-"]


@pytest.mark.slow
def test_the_python_api_leaves_threads_alone():
    assert probe("nnplay.engine") == ["-", "-", "-", "-"]
