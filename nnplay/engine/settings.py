"""The hyper-parameters of a run, what may change between two steps, and the one rule for each.

``problems`` is where every setting's rule lives: the scenario loader reports
what it finds at the file's key path (``training.learning_rate``, a lesson's,
a saved run's), the trainer raises it for the Python API and the playground.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .losses import LOSSES


@dataclass(frozen=True)
class Settings:
    loss: str = "mse"
    learning_rate: float = 0.1
    momentum: float = 0.0
    batch_size: int = 0          # 0 = full batch
    shuffle: bool = True
    l2: float = 0.0


def problems(settings: Settings, output_activation: str, targets: np.ndarray) -> Iterator[tuple[str, str]]:
    """(setting, what is wrong with it) for every setting that cannot train an output layer of
    ``output_activation`` towards ``targets`` (one row per sample)."""
    s = settings
    loss = LOSSES.get(s.loss)
    if loss is None:
        yield "loss", f"unknown loss {s.loss!r} (expected one of: {', '.join(LOSSES)})"
    elif (problem := loss.problem(output_activation, targets)) is not None:
        yield "loss", problem
    if not (s.learning_rate > 0 and math.isfinite(s.learning_rate)):
        yield "learning_rate", f"must be greater than 0, got {s.learning_rate:g}"
    if not 0 <= s.momentum < 1:
        yield "momentum", f"must be at least 0 and less than 1, got {s.momentum:g}"
    if s.batch_size < 0:
        yield "batch_size", f"must be 0 (full batch) or more, got {s.batch_size}"
    elif s.batch_size > len(targets):
        yield "batch_size", f"{s.batch_size} is larger than the data ({len(targets)} samples)"
    if not (s.l2 >= 0 and math.isfinite(s.l2)):
        yield "l2", f"must be 0 or more, got {s.l2:g}"
