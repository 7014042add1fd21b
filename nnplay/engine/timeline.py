"""A run's past: the changes made between steps, and checkpoints to replay from.

Every step is deterministic, so the state after any step can be found again
by going back to a checkpoint and replaying the steps after it, applying each
*event* (a change of settings, an edited weight) at the step it was made.
That makes stepping back exact.

Checkpoints are taken every ``CHECKPOINT_EVERY`` steps and at every event,
and thinned so that the gap between two checkpoints grows with their distance
from the present: a rewind replays a number of steps that grows with how far
back it goes, never with the length of the run, and memory stays within a
budget however long the run.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import numpy as np

from .settings import Settings

CHECKPOINT_EVERY = 64
CHECKPOINT_BUDGET_BYTES = 32 * 1024 * 1024
MAX_CHECKPOINTS = 4096


class Event(NamedTuple):
    step: int
    kind: str          # "settings" (payload: the changed settings) or "param" (payload: (index, value))
    payload: Any       # settings: {name: value}; param: (index, value)


class Checkpoint(NamedTuple):
    step: int
    epoch: int
    position: int
    params: np.ndarray
    optimizer: dict[str, np.ndarray]   # the optimiser's state
    last_update: np.ndarray
    settings: Settings
    last_batch: np.ndarray
    schedule_start: int                # the step the schedule counts from (Trainer.schedule_start)


class Replayable(Protocol):
    """What a timeline needs of the run it replays (the Trainer)."""

    step_count: int

    def load_checkpoint(self, checkpoint: Checkpoint) -> None: ...
    def advance(self, steps: int) -> None: ...
    def apply(self, event: Event) -> None: ...
    def checkpoint(self) -> Checkpoint: ...


class Timeline:
    def __init__(self, checkpoint_bytes: int):
        self.max_checkpoints = int(max(8, min(MAX_CHECKPOINTS, CHECKPOINT_BUDGET_BYTES // checkpoint_bytes)))
        self.events: list[Event] = []
        self.checkpoints: list[Checkpoint] = []
        self.origin: Checkpoint | None = None  # the first state, before any event at its step

    def copy(self) -> Timeline:
        other = Timeline.__new__(Timeline)
        other.max_checkpoints = self.max_checkpoints
        other.events = list(self.events)
        other.checkpoints = list(self.checkpoints)  # their arrays are never written to
        other.origin = self.origin
        return other

    def events_at(self, step: int) -> list[Event]:
        return [e for e in self.events if e.step == step]

    def reaches_before(self, step: int) -> bool:
        """Whether the state before the events at ``step`` is known: a checkpoint from before that step,
        or the origin at it (not so at a loaded run's first step: it was saved after its events)."""
        return (bool(self.checkpoints) and self.checkpoints[0].step < step) or (
            self.origin is not None and self.origin.step == step)

    def add_event(self, event: Event) -> None:
        self.events.append(event)

    def save(self, checkpoint: Checkpoint) -> None:
        """Keep ``checkpoint`` (replacing one of the same step), thinning the past when over budget."""
        cps = self.checkpoints
        if not cps:
            self.origin = checkpoint
        if cps and cps[-1].step == checkpoint.step:
            cps[-1] = checkpoint
            return
        cps.append(checkpoint)
        if len(cps) > self.max_checkpoints:
            self._thin()

    def _thin(self) -> None:
        """Drop a quarter of the checkpoints, those whose loss widens the gaps least for their age.

        Removing checkpoint i leaves a gap from i−1 to i+1; measured against the
        distance from the present, the gap should stay small near the present and
        may grow into the past. Only every other one is a candidate in a round,
        so that no two neighbours go at once. The first and the last are kept.
        """
        cps = self.checkpoints
        steps = np.array([c.step for c in cps], dtype=float)
        now = steps[-1]
        candidates = np.arange(1, len(cps) - 1, 2)
        widened = (steps[candidates + 1] - steps[candidates - 1]) / (now - steps[candidates] + 1)
        drop = set(candidates[np.argsort(widened, kind="stable")[: len(cps) // 4]].tolist())
        self.checkpoints = [c for i, c in enumerate(cps) if i not in drop]

    def rewind(self, run: Replayable, target: int, before_events: bool = False) -> None:
        """Bring ``run`` exactly to the state after ``target`` steps, forgetting what came later
        (and, ``before_events``, the events at ``target`` too: the state before them)."""
        def kept(step: int) -> bool:
            return step < target if before_events else step <= target

        self.events = [e for e in self.events if kept(e.step)]
        self.checkpoints = [c for c in self.checkpoints if kept(c.step)]
        if not self.checkpoints:  # before the events at the first step: the state it started from
            assert self.origin is not None and self.origin.step == target
            self.checkpoints = [self.origin]
        start = self.checkpoints[-1]
        run.load_checkpoint(start)
        for event in [e for e in self.events if e.step > start.step]:
            run.advance(event.step - run.step_count)
            run.apply(event)
            self.save(run.checkpoint())
        run.advance(target - run.step_count)
