"""The exit codes of every command (SPEC §2): 0 success, 1 gradcheck failed, 2 a usage or scenario error,
3 the run diverged; and the line every command gives for a run that diverged."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine.trainer import Trainer
    from .scenario import Scenario

EXIT_OK, EXIT_GRADCHECK, EXIT_USAGE, EXIT_DIVERGED = 0, 1, 2, 3


def diverged(scenario: Scenario, trainer: Trainer) -> bool:
    """Whether the run diverged, the state it stands in included (even at step 0, untrained);
    if so, one line on stderr says where and why."""
    trainer.current_loss()  # records the current loss: a NaN or infinite one marks the divergence
    step = trainer.diverged_at
    if step is None:
        return False
    if step == 0:  # nothing was learnt yet: the learning rate is not to blame
        why = ("the loss is NaN or infinite before any training, so the data or the initial weights are "
               "too large (scale the data down or give [init] a smaller scale)")
    else:
        why = (f"the loss or a parameter became NaN or infinite; try a smaller learning rate "
               f"(it was {trainer.settings.learning_rate:g})")
    print(f"nnplay: {scenario.name}: the run diverged at step {step}: {why}", file=sys.stderr)
    return True
