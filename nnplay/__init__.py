"""nnplay: see how a neural network learns, in the terminal.

From Python (SPEC §7)::

    import nnplay
    scenario = nnplay.load("xor", overrides={"training.learning_rate": 0.2})
    trainer = scenario.make_trainer(seed=1)
    trainer.step(100)
    trainer.current_loss(), trainer.loss_history(), trainer.snapshot()
    trainer.test_loss_history()             # a held-out test set's loss at the same steps (None without one)
    trainer.change_settings(momentum=0.5)   # recorded: rewind stays exact
    trainer.rewind(50)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The names below load on first use (PEP 562), so that importing the package itself loads no
# NumPy: the command (nnplay.cli) sets BLAS to one thread before NumPy loads (nnplay.blas).
_WHERE = {"Settings": ".engine", "Snapshot": ".engine", "Trainer": ".engine",
          "Scenario": ".scenario", "ScenarioError": ".scenario", "load": ".scenario"}

if TYPE_CHECKING:
    from .engine import Settings, Snapshot, Trainer
    from .scenario import Scenario, ScenarioError, load

__all__ = ["Scenario", "ScenarioError", "Settings", "Snapshot", "Trainer", "__version__", "load"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
