"""nnplay's engine: a small, readable neural-network trainer in pure NumPy.

It imports no user-interface library, so it can be tested, benchmarked and
used from a notebook on its own::

    from nnplay.engine import LayerSpec, Network, Settings, Trainer
    net = Network(2, [LayerSpec(2, "sigmoid"), LayerSpec(1, "sigmoid")])
    trainer = Trainer(net, X, T, Settings(loss="bce", learning_rate=0.5),
                      net.init_params("uniform", 0.5, seed=1))
    trainer.step(100)
    trainer.snapshot().loss
"""

from typing import TYPE_CHECKING

from .metrics import accuracy
from .network import LayerSpec, Network, Pass
from .schedules import Schedule
from .trainer import LayerState, Settings, Snapshot, Trainer, check_settings

if TYPE_CHECKING:
    from .gradcheck import GradCheck
    from .gradcheck import check as gradient_check


def __getattr__(name: str) -> object:
    """The gradient check, imported when first asked for: the playground's first frame does without it."""
    if name in ("GradCheck", "gradient_check"):
        from . import gradcheck

        return gradcheck.GradCheck if name == "GradCheck" else gradcheck.check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "GradCheck", "LayerSpec", "LayerState", "Network", "Pass", "Schedule", "Settings", "Snapshot",
    "Trainer", "accuracy", "check_settings", "gradient_check",
]
