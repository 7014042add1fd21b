"""nnplay: see how a neural network learns, in the terminal.

From Python (SPEC §7)::

    import nnplay
    scenario = nnplay.load("xor", overrides={"training.learning_rate": 0.2})
    trainer = scenario.make_trainer(seed=1)
    trainer.step(100)
    trainer.current_loss(), trainer.loss_history(), trainer.snapshot()
    trainer.change_settings(momentum=0.5)   # recorded: rewind stays exact
    trainer.rewind(50)
"""

__version__ = "0.1.0"

from .engine import Settings, Snapshot, Trainer
from .scenario import Scenario, ScenarioError, load

__all__ = ["Scenario", "ScenarioError", "Settings", "Snapshot", "Trainer", "__version__", "load"]
