"""The hyper-parameters of a run, what may change between two steps, and the one rule for each.

``problems`` is where every setting's rule lives: the scenario loader reports
what it finds at the file's key path (``training.learning_rate``, a lesson's,
a saved run's), the trainer raises it for the Python API and the playground.
The optimisers' hyper-parameters (their defaults and ranges) are recorded in
``optimizers.HYPERS``, the schedules' keys in ``schedules``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

import numpy as np

from .losses import LOSSES
from .optimizers import HYPERS, OPTIMIZERS
from .schedules import Schedule
from .schedules import problems as schedule_problems


def _default(name: str) -> float:
    default = HYPERS[name].default
    assert default is not None
    return default


@dataclass(frozen=True)
class Settings:
    """The settings of a run. ``schedule`` may be given as its table ({"kind": "step", "every": 500,
    "factor": 0.5}) or a kind's name; ``epsilon`` None is the optimiser's own (1e-8 for adam and rmsprop,
    1e-10 for adagrad)."""

    loss: str = "mse"
    optimizer: str = "sgd"
    learning_rate: float = _default("learning_rate")
    momentum: float = _default("momentum")
    beta1: float = _default("beta1")
    beta2: float = _default("beta2")
    rho: float = _default("rho")
    epsilon: float | None = None
    schedule: Schedule = Schedule()
    batch_size: int = 0          # 0 = full batch
    shuffle: bool = True
    l2: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            object.__setattr__(self, "schedule", Schedule.of(self.schedule))

    def as_dict(self) -> dict[str, object]:
        """Every setting as a saved run writes it (the schedule as its table)."""
        return plain({f.name: getattr(self, f.name) for f in fields(self)})


def plain(changes: Mapping[str, object]) -> dict[str, object]:
    """Settings (some or all) as JSON writes them: the schedule as its table."""
    return {key: value.as_dict() if isinstance(value, Schedule) else value for key, value in changes.items()}


def problems(settings: Settings, output_activation: str, targets: np.ndarray) -> Iterator[tuple[str, str]]:
    """(setting, what is wrong with it) for every setting that cannot train an output layer of
    ``output_activation`` towards ``targets`` (one row per sample). A schedule's key is named as
    ``schedule.KEY``."""
    s = settings
    loss = LOSSES.get(s.loss)
    if loss is None:
        yield "loss", f"unknown loss {s.loss!r} (expected one of: {', '.join(LOSSES)})"
    elif (problem := loss.problem(output_activation, targets)) is not None:
        yield "loss", problem
    if s.optimizer not in OPTIMIZERS:
        yield "optimizer", f"unknown optimizer {s.optimizer!r} (expected one of: {', '.join(OPTIMIZERS)})"
    for hyper in HYPERS.values():
        if (problem := hyper.problem(getattr(s, hyper.name))) is not None:
            yield hyper.name, problem
    for key, problem in schedule_problems(s.schedule):
        yield f"schedule.{key}", problem
    if s.batch_size < 0:
        yield "batch_size", f"must be 0 (full batch) or more, got {s.batch_size}"
    elif s.batch_size > len(targets):
        yield "batch_size", f"{s.batch_size} is larger than the data ({len(targets)} samples)"
    if not (s.l2 >= 0 and math.isfinite(s.l2)):
        yield "l2", f"must be 0 or more, got {s.l2:g}"
