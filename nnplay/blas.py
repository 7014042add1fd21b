"""One BLAS thread for the command and the playground: importing this module sets it.

nnplay's matrices are small (a few to a few thousand numbers), and for them a
second BLAS thread only adds hand-over costs, and competes with the
playground's own training thread for the cores. So before NumPy loads, the
command sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS and MKL_NUM_THREADS to 1,
unless the user has set any of them (then theirs is kept). If NumPy was loaded
already (nnplay run from another program), the environment is too late; then
threadpoolctl, if installed, limits the loaded BLAS instead.

``import nnplay`` (the Python API) does not import this: a notebook keeps its
threads. ``nnplay.cli`` imports it before anything that loads NumPy.
"""

from __future__ import annotations

import os
import sys

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread() -> str:
    """Limit BLAS to one thread; say how: "yours" (the user set a variable: left alone),
    "environment", "threadpoolctl", or "unchanged" (NumPy loaded and no threadpoolctl)."""
    if any(name in os.environ for name in VARIABLES):
        return "yours"
    if "numpy" not in sys.modules:
        for name in VARIABLES:
            os.environ[name] = "1"
        return "environment"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return "unchanged"
    threadpool_limits(limits=1, user_api="blas")
    return "threadpoolctl"


HOW = one_thread()
