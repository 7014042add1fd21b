"""The playground's controller: one scenario, its trainer, and the frames the interface draws.

No Textual here either. The presenter (nnplay.playground) calls these methods
from the interface's keys, and ``train`` runs in one background thread while
running; a lock keeps the two apart. Everything the interface changes goes
through a method here: nothing outside sets a field or takes the lock. What
the widgets receive is a ``Frame``: immutable copies only, so a frame can
cross threads and be drawn at leisure.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import figures
from .engine import phases
from .engine.history import LossHistory
from .engine.losses import LOSSES
from .engine.optimizers import OPTIMIZERS
from .engine.pacing import Pace
from .engine.trainer import Event, Snapshot, Trainer
from .later import later
from .scenario import MAX_GHOSTS, Scenario

if TYPE_CHECKING:
    from . import explain, landscape, runfile
else:  # loaded when first used: the first frame does without them
    explain, landscape, runfile = later("nnplay.explain"), later("nnplay.landscape"), later("nnplay.runfile")

# steps per second; None is flat out
SPEEDS: tuple[int | None, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, None)
DEFAULT_SPEED = SPEEDS.index(100)
QUICK_STEPS, QUICK_SAMPLES = 20_000, 2_000_000  # steps taken at once, on the interface thread (a tenth of a
                                                # second or so); more go to the training thread
LEARNING_RATES = tuple(m * 10.0**e for e in range(-4, 2) for m in (1, 2, 5)) + (100.0,)
MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
HISTORY_LIMIT = 2**20  # exact losses kept (8 MB); older ones are folded into averages
PATH_STEPS = 2000  # the landscape's path shows at most this many steps back, from parameters kept as
PATH_POINTS = 400  # the run goes: stepping by hand, at least every PATH_STEPS // PATH_POINTS steps (every step
                   # of a few); running flat out, once a chunk (CHUNK: hundreds of steps of a small network) …
PATH_BYTES = 32 * 2**20  # … in at most this much memory (all 2,000 steps up to 2,000 parameters)
LANDSCAPE_EVERY = 1.0  # seconds between landscapes made by the training thread while running, at least …
LANDSCAPE_SHARE = 4  # … this many times as long as the last one took: a quarter of the training thread at most
LANDSCAPE_GRID = (48, 24)  # its losses, columns x rows …
LANDSCAPE_COARSE = 4  # made first, progressively: a grid this many times coarser each way, then the full one
LANDSCAPE_WORK = 10**9  # … fewer for a big network on big data, so that they add up to at most this many
                        # multiply-adds (samples x parameters, under a second): all of them at the bundled
                        # sizes, 21 x 11 at 64-32-10 on 1,797 samples
FPS = 12  # frames delivered per second while running
LOSS_POINTS = 256  # measured whole-set losses the loss plot can count on (Session._space_losses) …
LOSS_COST = 8  # … measured at most once in this many epochs' steps, …
LOSS_COST_FLAT_OUT = 32  # … or this many flat out, where the frames measure a point each as well
CHUNK = 0.004  # seconds of steps the training thread takes at once, flat out, under the lock
GHOSTS = MAX_GHOSTS  # ghosts racing the live run, at most


class Crossing:
    """``LossHistory.first_below`` for one run as it goes on and steps back: each look reads only the losses
    recorded since the last one (a long run's history is a million of them)."""

    def __init__(self, threshold: float, since: int):
        self.threshold, self.since = threshold, since
        self._at: int | None = None
        self._checked = since  # the losses of the steps from ``since`` to here are not below the threshold

    def find(self, history: LossHistory) -> int | None:
        end = history.end
        if self._at is not None:
            if self._at < end:
                return self._at
            self._at = None  # stepped back before it
        self._at = history.first_below(self.threshold, min(self._checked, end))
        self._checked = end
        return self._at


@dataclass(eq=False)
class Ghost:
    """A run racing the live one, in lockstep: pinned from the live run's state, trained with its own settings."""

    number: int  # 1 to GHOSTS, in the order pinned
    trainer: Trainer
    tenth: Crossing  # the first step its loss fell below a tenth of its loss at the race's start
    path: deque[tuple[int, np.ndarray]] = field(default_factory=deque)  # as Session._path


@dataclass(frozen=True, eq=False)
class Runner:
    """One run of a race as a frame shows it: the live run (number 0) or a ghost (1 to GHOSTS)."""

    number: int
    label: str                 # what differs from the live run's settings now ('α 0'), or 'same settings'
    step: int
    loss: float
    test_loss: float | None
    accuracy: float | None
    diverged_at: int | None
    tenth_at: int | None       # the first step its loss fell below a tenth of its value at the race's start
    loss_steps: np.ndarray     # its loss curve, LOSS_POINTS at most, as Frame.loss_steps and loss_values
    loss_values: np.ndarray
    path: tuple[tuple[float, float], ...] = ()  # a ghost's recent steps on the landscape shown (only while it
                                                # shows): its two weights, or projected onto the pca plane


@dataclass(frozen=True, eq=False)
class Frame:
    snapshot: Snapshot
    loss_steps: np.ndarray
    loss_values: np.ndarray
    curve: figures.Curve | None
    grid: figures.Grid | None
    running: bool
    speed: int | None
    steps_per_second: float
    message: str = ""
    landscape: tuple | None = None  # ((a, b), Session.landscape's result) made while running, for the view asked for
    revision: int = 0  # the trainer's state: frames of equal revisions hold equal numbers
    events: tuple[Event, ...] = ()  # the changes made between steps (settings, edited weights), oldest first
    undone: tuple[Event, ...] = ()  # the changes made at this step that a step back took away: the state is
                                    # this step's before them
    test_loss_values: np.ndarray | None = None  # the test set's loss at loss_steps (None without a test set)
    race: tuple[Runner, ...] = ()  # with ghosts: the live run, then each ghost (empty without ghosts)
    race_start: int | None = None  # the step the race started at (the latest pin, or 0 after a restart)
    reached: str = ""  # what "run until the loss falls below X" found, the last time it stopped


class Session:
    def __init__(self, scenario: Scenario, seed: int | None = None, trainer: Trainer | None = None, note: str = ""):
        """``note``: a line for the status line from the first frame (what loading a run found)."""
        self.scenario = scenario
        self.trainer = trainer if trainer is not None else scenario.make_trainer(seed)
        self.trainer.limit_history(HISTORY_LIMIT)  # the playground may run for hours
        self._ghosts: list[Ghost] = []
        self._race_start: int | None = None
        self._race_revision = 0  # changes with the ghosts: pinned, cleared, started again
        self._live_tenth: Crossing | None = None  # the live run's "÷10 at" while racing
        self._until: float | None = None  # running until the live run's loss falls below this
        self._reached = ""
        self.network = self.trainer.network
        self.lock = threading.RLock()
        self._waiting = 0  # interface calls waiting for the lock: the training thread lets them in
        self._count_lock = threading.Lock()
        self._drawing = False  # the interface is drawing a frame: the training thread waits
        self._running = False
        self._speed_index = DEFAULT_SPEED
        self._message = ""
        self._stop_at: int | None = None  # running stops at this step (a lesson's "run to")
        self._landscape_pair: tuple[int, int] | None = None  # the interface shows the landscape of these …
        self._landscape_kind: tuple[str, int] = ("weights", 2)  # … along these directions (landscape.KINDS), 1-D or 2-D
        self._plane: tuple[np.ndarray, landscape.Plane] | None = None  # θ and the plane of the last random or pca one
        self._grid_shape = (64, 48)  # the decision map's resolution: the interface sets its own size
        self._landscape: tuple | None = None  # ((a, b, kind, dims, revisions), made at, result)
        self._landscape_took = 0.0  # seconds the last one took
        self._path: deque[tuple[int, np.ndarray]] = deque()  # (step, parameters) of the recent past, oldest first
        self._keep_path()
        self._rate_window: list[tuple[float, int]] = []
        self._undone: tuple[int, tuple[Event, ...]] = (-1, ())  # (the trainer's revision, the changes a step back
                                                                # took away at that revision)
        self._pace = Pace(CHUNK, first=1, most=10_000)
        self._space_losses(self.trainer.step_count)
        self.trainer.current_loss()  # a run can have diverged before its first step, or before it was saved
        self._diverged_note()
        if note:
            self._message = note

    @contextmanager
    def _turn(self):
        """The lock, for the interface: the training thread steps aside while anyone waits."""
        with self._count_lock:
            self._waiting += 1
        try:
            self.lock.acquire()
        finally:
            with self._count_lock:
                self._waiting -= 1
        try:
            yield
        finally:
            self.lock.release()

    # -- reading ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def stop_at(self) -> int | None:
        """The step a run to a step stops at (None: running goes on until paused)."""
        return self._stop_at

    @property
    def speed_index(self) -> int:
        return self._speed_index

    @property
    def message(self) -> str:
        """What the status line says under the numbers: why the run diverged, what a load found."""
        return self._message

    @property
    def landscape_pair(self) -> tuple[int, int] | None:
        """The two weights whose landscape the training thread makes while running."""
        return self._landscape_pair

    @property
    def grid_shape(self) -> tuple[int, int]:
        return self._grid_shape

    @property
    def speed(self) -> int | None:
        return SPEEDS[self.speed_index]

    @property
    def pace(self) -> int | None:
        """Steps per second while running: the speed chosen, or flat out while running to a step or until
        the loss falls below a threshold."""
        return None if self.stop_at is not None or self._until is not None else self.speed

    @property
    def ghosts(self) -> int:
        """How many ghosts race the live run."""
        return len(self._ghosts)

    @property
    def race_start(self) -> int | None:
        """The step the race started at (None without ghosts): step back goes no further."""
        return self._race_start

    @property
    def until(self) -> float | None:
        """The loss that running stops below (None: not running until a loss)."""
        return self._until

    def _runs(self) -> list[Trainer]:
        """The live run's trainer, then the ghosts'."""
        return [self.trainer, *(ghost.trainer for ghost in self._ghosts)]

    def quick(self, steps: int) -> bool:
        """Whether ``steps`` steps (of every run racing) are quick enough to take while the interface waits."""
        runs = self._runs()
        samples = sum(t.settings.batch_size or t.n_samples for t in runs)
        return steps * len(runs) <= QUICK_STEPS and steps * samples <= QUICK_SAMPLES

    def steps_per_second(self) -> float:
        if not self.running or len(self._rate_window) < 2:
            return 0.0
        (t0, s0), (t1, s1) = self._rate_window[0], self._rate_window[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0

    def _note_rate(self) -> None:
        now = time.perf_counter()
        self._rate_window.append((now, self.trainer.step_count))
        while len(self._rate_window) > 2 and now - self._rate_window[0][0] > 1.0:
            self._rate_window.pop(0)

    def frame(self) -> Frame:
        """A complete, immutable picture of the current state."""
        with self._turn():
            t = self.trainer
            snap = t.snapshot()
            xs, ys, test_ys = t.loss_curves(LOSS_POINTS)
            curve = grid = None
            data = self.scenario.data
            if self.scenario.view == "curve":
                curve = figures.curve(self.network, snap.params, data.named_inputs, encode=data.encode)
            elif self.scenario.view == "decision-map":
                grid = figures.grid(self.network, snap.params, data.named_inputs, *self._grid_shape,
                                    encode=data.encode)
            landscape = None
            pair = self._landscape_pair
            if pair is not None and self._landscape is not None and self._landscape[0][:4] == (*pair,
                                                                                               *self._landscape_kind):
                landscape = (pair, self._landscape[2])
            return Frame(snap, xs, ys, curve, grid, self._running, self.pace,
                         self.steps_per_second(), self._message, landscape, t.revision, tuple(t.events()),
                         self._undone[1] if self._undone[0] == t.revision else (), test_ys,
                         self._race(snap, xs, ys), self._race_start, self._reached)

    def _race(self, snap: Snapshot, xs: np.ndarray, ys: np.ndarray) -> tuple[Runner, ...]:
        """The runners of a frame (under the lock): the live run (its numbers from ``snap`` and its curve
        ``xs``, ``ys``), then each ghost, its path only while the landscape shows."""
        if not self._ghosts:
            return ()
        live = self.trainer
        assert self._live_tenth is not None, "a race has its crossings"
        ghosts = [ghost.trainer.settings for ghost in self._ghosts]
        runners = [Runner(0, figures.settings_difference(live.settings, ghosts), snap.step, snap.loss, snap.test_loss,
                          snap.accuracy, live.diverged_at, self._live_tenth.find(live.history), xs, ys)]
        pair = self._landscape_pair
        for ghost in self._ghosts:
            t = ghost.trainer
            gxs, gys, _ = t.loss_curves(LOSS_POINTS)
            path: tuple[tuple[float, float], ...] = ()
            if pair is not None:
                path = self._projected(pair, [p for _, p in ghost.path])
            runners.append(Runner(ghost.number, figures.settings_difference(t.settings, [live.settings], live.settings),
                                  t.step_count, t.current_loss(), t.current_test_loss(), t.accuracy(), t.diverged_at,
                                  ghost.tenth.find(t.history), gxs, gys, path))
        return tuple(runners)

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """While the interface draws a frame: the training thread, flat out, steps aside."""
        self._drawing = True
        try:
            yield
        finally:
            self._drawing = False

    # -- actions ---------------------------------------------------------------------

    def _diverged_note(self) -> None:
        t = self.trainer
        if t.diverged:
            self._running = False
            self._message = (f"Diverged at step {t.diverged_at}: the loss became NaN or infinite. "
                            + self.divergence_advice())

    def _after_edit(self) -> None:
        """A setting or a weight changed between steps: the state's loss is measured again, so that a
        weight set to 1e300 says at once that the run diverged, and setting it back clears that."""
        self._message = ""
        self._keep_path()
        self.trainer.current_loss()
        self._diverged_note()

    def divergence_advice(self) -> str:
        """What can bring a diverged run back: only a way to a state from before it diverged."""
        t = self.trainer
        at = t.diverged_at
        assert at is not None, "the advice is for a run that diverged"
        can_step_back = at > t.first_step
        if any(e.kind == "param" and e.step == at for e in t.events()):
            return ("A weight set by hand did it: set it back (e)" + (", step back (b)" if can_step_back else "")
                    + " or reset (0).")
        if at == 0:
            return ("No step was taken yet, so no learning rate can help: the inputs or the initial weights are too "
                    "large for this network. Scale the inputs down or lower init.scale.")
        if not can_step_back:
            return "This run was loaded at that step, so it cannot step back: reset (0) starts it again from step 0."
        return "Lower the learning rate ([) and step back (b) or reset (0)."

    def step(self, n: int = 1) -> int:
        """``n`` steps of the live run, and of every ghost (lockstep)."""
        with self._turn():
            self._message = ""
            done = self._steps(n)
            self._diverged_note()
            return done

    def _space_losses(self, until: int) -> None:
        """Under minibatches the whole-set loss costs more than a step (a step is one batch, the loss every
        sample, about an epoch of steps): it is measured every k steps, k a power of two that keeps at least
        LOSS_POINTS measured losses up to step ``until`` for the loss plot and is at least LOSS_COST epochs
        (LOSS_COST_FLAT_OUT flat out), so that measuring costs at most about 1/LOSS_COST of the training. Powers
        of two nest: the steps measured before k doubled stay on the grid. (Each frame shown measures its own
        state too: flat out, a dozen a second.)"""
        t = self.trainer
        epoch = -(-t.n_samples // max(1, t.settings.batch_size))  # about what one measure costs, in steps
        epochs = LOSS_COST if self.pace is not None else LOSS_COST_FLAT_OUT
        k = max(1 << (max(0, until) // LOSS_POINTS).bit_length(), 1 << (epochs * epoch - 1).bit_length())
        if self._until is not None:
            k = 1  # running until the loss falls below X: every step's, to stop at exactly the first
        for run in self._runs():  # a race's curves measured at the same steps
            if run.loss_every != k:
                run.loss_every = k

    def _steps(self, n: int) -> int:
        """``n`` steps (under the lock), keeping the parameters along the last PATH_STEPS of them."""
        t = self.trainer
        self._space_losses(t.step_count + n)
        tail = min(n, PATH_STEPS)
        done = self._lockstep(n - tail)
        if done < n - tail:
            return done
        piece = -(-tail // PATH_POINTS)
        while done < n:
            taken = self._lockstep(min(piece, n - done))
            done += taken
            self._keep_path()
            if not taken:
                break
        return done

    def _lockstep(self, n: int) -> int:
        """``n`` steps of the live run (under the lock), and as many of every ghost: the race stays in step.
        A ghost that diverged takes none (its curve ends there); the live run stops where it diverges, and
        while running until a loss, after the first step whose loss is below it (Trainer.step_until)."""
        t = self.trainer
        if self._until is None:
            taken = t.step(n)
        else:
            start = t.step_count
            t.step_until(self._until, n)
            taken = t.step_count - start
        for ghost in self._ghosts:
            ghost.trainer.step(taken)
        return taken

    def _keep_path(self) -> None:
        """The current parameters of every run, for the landscape's paths; those too far back are let go."""
        _keep(self._path, self.trainer)
        for ghost in self._ghosts:
            _keep(ghost.path, ghost.trainer)

    def back(self, n: int = 1, before_edits: bool = True) -> int:
        """``n`` steps back. With ``before_edits``, one step back from a step where settings were changed or
        weights edited goes to this step before those changes first (they are forgotten, as any stepping
        back past them)."""
        with self._turn():
            t = self.trainer
            here = tuple(t.undoable_events())
            if n == 1 and here and before_edits:
                t.rewind(t.step_count, before_events=True)
                self._keep_path()
                self._undone = (t.revision, here)
                self._message = ""
                return 0
            target = max(t.first_step, self._race_start or 0, t.step_count - n)
            gone = t.step_count - target
            t.rewind(target)
            for ghost in self._ghosts:  # every run back, a ghost that diverged before the target stays there
                ghost.trainer.rewind(min(target, ghost.trainer.step_count))
            self._keep_path()
            self._message = ""
            self._undone = (-1, ())
            return gone

    def next_iteration(self) -> tuple[int, phases.Iteration]:
        """The next step's numbers, phase by phase (``engine.phases``), and the revision of the state they start
        from: a walk through them lasts while the trainer's revision is that one."""
        with self._turn():
            return self.trainer.revision, phases.iteration(self.trainer)

    @property
    def revision(self) -> int:
        """The trainer's revision: it changes whenever its state does (a step, a rewind, an edit)."""
        return self.trainer.revision

    def reset(self) -> None:
        """Back to step 0 with the scenario's own settings (no ghosts: see restart_race)."""
        with self._turn():
            self.trainer.reset()
            self._path.clear()
            self._keep_path()
            self._message = ""

    # -- races: ghosts ---------------------------------------------------------------------

    def pin_ghost(self, **changes) -> int:
        """A ghost pinned from the live run's state and settings at this step (Trainer.clone: the same weights,
        the same optimiser state), with ``changes`` to its settings: it races the live run from now on, and
        the race starts here. Returns its number; raises ValueError (the learner's message) when there are
        GHOSTS already or the live run diverged."""
        with self._turn():
            t = self.trainer
            if len(self._ghosts) >= GHOSTS:
                raise ValueError(f"{GHOSTS} ghosts race already, the most there can be: ctrl+g clears them.")
            if t.diverged:
                raise ValueError("The live run diverged: a ghost of it could not take a step. Step back (b) or "
                                 "reset (0) first.")
            clone = t.clone()
            if changes:
                clone.change_settings(**changes)
            number = len(self._ghosts) + 1
            self._ghosts.append(Ghost(number, clone, Crossing(0.0, 0)))
            self._start_race()
            self._message = ""
            return number

    def _start_race(self) -> None:
        """The race starts at this step: every run's "÷10 at" counts from its loss here."""
        runs = [(None, self.trainer), *((ghost, ghost.trainer) for ghost in self._ghosts)]
        self._race_start = self.trainer.step_count
        self._race_revision += 1
        for ghost, t in runs:
            crossing = Crossing(t.current_loss() / 10, t.step_count)
            if ghost is None:
                self._live_tenth = crossing
            else:
                ghost.tenth = crossing
        self._space_losses(self.trainer.step_count)
        self._keep_path()

    def clear_ghosts(self) -> int:
        """No more ghosts; returns how many there were."""
        with self._turn():
            cleared = len(self._ghosts)
            self._ghosts.clear()
            self._race_start = self._live_tenth = None
            self._race_revision += 1
            return cleared

    def restart_race(self) -> None:
        """Every run back to step 0 from the scenario's initial weights, each keeping the settings it races
        with (Trainer.restart); the race starts there."""
        with self._turn():
            for t in self._runs():
                t.restart(t.settings)
            self._path.clear()
            for ghost in self._ghosts:
                ghost.path.clear()
            self._message = ""
            self._start_race()

    # -- running until the loss falls below X ------------------------------------------------

    def run_until(self, threshold: float) -> bool:
        """Run flat out until the live run's whole-set training loss falls below ``threshold``, stopping at
        exactly the first step it does (each step's loss is measured meanwhile); True when the caller runs
        ``train``, False when the loss is below it already (``reached`` says so). Raises ValueError (the
        learner's message) when the run diverged."""
        with self._turn():
            t = self.trainer
            if t.diverged:
                raise ValueError(f"The run diverged. {self.divergence_advice()}")
            self._message = self._reached = ""
            loss = t.current_loss()
            if loss < threshold:
                self._reached = self._message = (f"The loss is below {threshold:g} already: "
                                                 f"{loss:.4g} at step {t.step_count}.")
                return False
            self._stop_at = None
            self._until = threshold
            self._running = True
            return True

    def _until_reached(self) -> bool:
        """Under the lock, after steps while running until a loss (which stop at the first step below it:
        ``_lockstep``): True, running stopped and the step reported, when the live run's loss is below it."""
        x, t = self._until, self.trainer
        assert x is not None
        if not t.current_loss() < x:
            return False
        self._running, self._until = False, None
        at = t.step_count
        report = f"Loss below {x:g} at step {at}"
        if self._ghosts:
            since = self._race_start or 0
            crossings = [(ghost.number, ghost.trainer.history.first_below(x, since)) for ghost in self._ghosts]
            report += "; " + ", ".join(f"ghost {number}: {'not yet' if n is None else f'at step {n}'}"
                                       for number, n in crossings)
        self._reached = self._message = report + "."
        return True

    def start(self) -> bool:
        """Running from now on, at the speed chosen (the caller runs ``train`` in a thread);
        False, and not running, when the run diverged: no step can be taken."""
        if self.trainer.diverged:
            return False
        self._running = True
        self._reached = ""
        return True

    def pause(self, keep_target: bool = False) -> None:
        """Not running; a run to a step forgets its step, unless ``keep_target`` (r while running to
        a step pauses it, and r again goes on to that step). Running until a loss is cancelled."""
        self._running = False
        self._until = None
        if not keep_target:
            self._stop_at = None

    def run_to(self, target: int) -> bool:
        """Train (or step back) to step ``target``: at once when that is quick, else (many steps, or a
        few on a big data set) running flat out to it; True then, and the caller runs ``train``."""
        step = self.trainer.step_count
        if target < step:
            self.back(step - target, before_edits=False)
        elif self.quick(target - step):
            self.step(target - step)
        else:
            self._stop_at = target
            self._running = True
            return True
        return False

    def change_speed(self, delta: int) -> int | None:
        """``delta`` steps up or down the ladder of SPEEDS (flat out at the top)."""
        with self._turn():  # the training thread also touches the rate window
            self._speed_index = min(len(SPEEDS) - 1, max(0, self._speed_index + delta))
            self._rate_window.clear()
            return self.speed

    def change_learning_rate(self, direction: int) -> float:
        """Next value up or down on the 1-2-5 ladder."""
        with self._turn():
            lr = self.trainer.settings.learning_rate
            if direction > 0:
                new = next((v for v in LEARNING_RATES if v > lr * 1.0001), LEARNING_RATES[-1])
            else:
                new = next((v for v in reversed(LEARNING_RATES) if v < lr * 0.9999), LEARNING_RATES[0])
            self.trainer.change_settings(learning_rate=new)
            self._after_edit()
            return new

    def change_momentum(self, direction: int) -> float:
        with self._turn():
            mu = self.trainer.settings.momentum
            if direction > 0:
                new = next((v for v in MOMENTA if v > mu + 1e-12), MOMENTA[-1])
            else:
                new = next((v for v in reversed(MOMENTA) if v < mu - 1e-12), MOMENTA[0])
            self.trainer.change_settings(momentum=new)
            self._after_edit()
            return new

    def next_optimizer(self) -> str:
        """The next optimiser of the registry (sgd → nesterov → rmsprop → adam → adagrad → sgd), from the next
        step: a new one, its state empty (recorded like any setting)."""
        with self._turn():
            names = list(OPTIMIZERS)
            new = names[(names.index(self.trainer.settings.optimizer) + 1) % len(names)]
            self.trainer.change_settings(optimizer=new)
            self._after_edit()
            return new

    def batch_sizes(self) -> list[int]:
        """0 (full batch), then 1, 2, 4, … below the number of samples."""
        n = self.trainer.n_samples
        sizes = [0]
        size = 1
        while size < n:
            sizes.append(size)
            size *= 2
        return sizes

    def next_batch_size(self) -> int:
        with self._turn():
            sizes = self.batch_sizes()
            current = self.trainer.settings.batch_size
            current = 0 if current == self.trainer.n_samples else current
            following = [s for s in sizes if s > current]
            new = following[0] if following else 0
            self.trainer.change_settings(batch_size=new)
            self._after_edit()
            return new

    def compatible_losses(self) -> list[str]:
        """The losses this output layer and these targets allow, the most fitting first."""
        out = self.network.activations[-1]
        allowed = [loss for loss in LOSSES.values() if loss.problem(out, self.trainer.T) is None]
        # the loss made for this output (its first, e.g. cce for softmax) first, then those for any output
        allowed.sort(key=lambda loss: 1 if loss.outputs is None else (0 if loss.outputs[0] == out else 2))
        return [loss.name for loss in allowed]

    def next_loss(self) -> str:
        with self._turn():
            names = self.compatible_losses()
            current = self.trainer.settings.loss
            new = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
            self.trainer.change_settings(loss=new)
            self._after_edit()
            return new

    def landscape(self, a: int, b: int, stop: Callable[[], bool] | None = None, kind: str = "weights",
                  dims: int = 2, partial: Callable[[object], None] | None = None):
        """The landscape at the current state: for two weights a and b (``kind`` "weights"), (Surface, path) with
        the path from the parameters kept along the last PATH_STEPS steps, framed to hold it; along random or
        pca directions (landscape.Plane) in 2-D, (Surface, path) centred on the current point (the path
        projected, None for random directions), in 1-D an explain.Sweep along d₁; a str when it cannot be made
        (pca before the run has moved). The grid is as fine as LANDSCAPE_WORK allows; with ``partial``, one
        LANDSCAPE_COARSE times coarser is handed to it first.

        Slow on big data, so made off the interface thread; ``stop()`` can give it up
        (figures.Stopped) while the surface is being made.
        """
        dims = 2 if kind == "weights" else dims
        with self._turn():
            key = (a, b, kind, dims, self.trainer.revision, self._race_revision)
            if self._landscape is not None and self._landscape[0] == key:
                return self._landscape[2]
            snap = self.trainer.snapshot()
            seed = self.trainer.seed
            params = np.array([p for _, p in self._path])
            # the ghosts' paths are drawn on it too (from each frame): framed to hold them
            every = np.array([p[[a, b]] for ghost in self._ghosts if not ghost.trainer.diverged  # a blow-up runs off
                              for _, p in ghost.path]).reshape(-1, 2)
        started = time.perf_counter()
        cols, rows = self.landscape_grid()
        grids = [(cols, rows)]
        if partial is not None and min(cols, rows) >= 2 * LANDSCAPE_COARSE:
            grids.insert(0, (cols // LANDSCAPE_COARSE, rows // LANDSCAPE_COARSE))
        result: object = None
        for n, (c, r) in enumerate(grids):
            if kind == "weights":
                path = params[:, [a, b]]
                surface = explain.framed_surface(snap, self.network, a, b, np.concatenate([every, path]), cols=c,
                                                 rows=r, stop=stop)
                result = (surface, [tuple(p) for p in path.tolist()])
            else:
                result = self._directions_landscape(snap, kind, dims, seed, params, c, r, stop)
            if n < len(grids) - 1 and partial is not None and not isinstance(result, str):
                partial(result)
            elif isinstance(result, str):
                break
        self._landscape = (key, time.perf_counter(), result)
        self._landscape_took = time.perf_counter() - started
        return result

    def _directions_landscape(self, snap: Snapshot, kind: str, dims: int, seed: int, path: np.ndarray,
                              cols: int, rows: int, stop: Callable[[], bool] | None):
        """Session.landscape along random or pca directions through ``snap``'s parameters, on an odd grid (its
        centre is the current point itself) of about ``cols`` x ``rows``."""
        theta = snap.params
        try:
            plane = (landscape.random_plane(self.network, theta, seed, dims) if kind == "random"
                     else landscape.pca_plane(path, dims))
        except ValueError as error:
            return f"{error}."
        with self._turn():
            self._plane = (theta, plane)
        s = snap.settings
        size = cols | 1 if dims == 1 else rows | 1  # a square grid in directions' units, drawn as wide as the pane
        made = landscape.make(self.network, theta, snap.inputs, snap.targets, s.loss, s.l2, plane, path, size,
                              stop=stop)
        if dims == 1:
            slope = float(snap.grad @ plane.d1)  # the directional derivative: the tangent at the current point
            return explain.Sweep(made.a, made.losses[:, 0], 0.0, made.centre_loss, slope)
        surface = explain.Surface(made.a, made.b[::-1].copy(), made.losses.T[::-1].copy(), (0.0, 0.0))
        return surface, ([tuple(p) for p in made.path.tolist()] if plane.orthonormal else None)

    def _projected(self, pair: tuple[int, int], points: list[np.ndarray]) -> tuple[tuple[float, float], ...]:
        """A run's parameters (a ghost's path) on the landscape shown: two weights' values, or their
        coordinates on the pca plane of the last one made (none on random directions: SPEC §5)."""
        kind, dims = self._landscape_kind
        if kind == "weights":
            return tuple((float(p[pair[0]]), float(p[pair[1]])) for p in points)
        if self._plane is None or dims == 1 or not points:
            return ()
        theta, plane = self._plane
        return tuple((float(x), float(y)) for x, y in plane.project(theta, np.array(points)).tolist())

    def landscape_grid(self) -> tuple[int, int]:
        """The landscape's columns and rows: LANDSCAPE_GRID, coarser when its losses would cost more
        than LANDSCAPE_WORK multiply-adds (a loss costs about samples x parameters)."""
        cols, rows = LANDSCAPE_GRID
        work = self.trainer.n_samples * self.network.n_params * cols * rows
        shrink = min(1.0, (LANDSCAPE_WORK / work) ** 0.5)
        return max(4, round(cols * shrink)), max(2, round(rows * shrink))

    def want_landscape(self, a: int, b: int, kind: str = "weights", dims: int = 2) -> None:
        """The interface shows the landscape of weights a and b (or along ``kind`` directions, landscape.KINDS,
        in ``dims`` dimensions): the training thread makes it while running."""
        self._landscape_pair = (a, b)
        self._landscape_kind = (kind, 2 if kind == "weights" else dims)

    @property
    def landscape_kind(self) -> tuple[str, int]:
        """The directions of the landscape shown (landscape.KINDS) and its dimensions (1 or 2)."""
        return self._landscape_kind

    def no_landscape(self) -> None:
        self._landscape_pair = None

    def set_grid(self, cols: int, rows: int) -> bool:
        """The decision map's resolution (the size it is drawn at); True when that changed it."""
        if (cols, rows) == self._grid_shape:
            return False
        self._grid_shape = (cols, rows)
        return True

    def refresh_landscape(self) -> None:
        """From the training thread: a new landscape for the pair shown, at most every LANDSCAPE_EVERY."""
        pair = self._landscape_pair
        if pair is None:
            return
        wait = max(LANDSCAPE_EVERY, LANDSCAPE_SHARE * self._landscape_took)
        if self._landscape is not None and time.perf_counter() - self._landscape[1] < wait:
            return
        kind, dims = self._landscape_kind
        self.landscape(*pair, kind=kind, dims=dims)

    def change_settings(self, **changes) -> None:
        with self._turn():
            self.trainer.change_settings(**changes)
            self._after_edit()

    def set_param(self, index: int, value: float) -> None:
        with self._turn():
            self.trainer.set_param(index, value)
            self._after_edit()

    def save_later(self, base: str | Path | None = None) -> Callable[[], tuple[Path, Path]]:
        """The run as it is now, to be saved as ``base``.json and .csv (runfile.save; by default named after
        the scenario and the step of the copy, in the current folder) by the function returned, which returns
        their paths: a copy is taken at once, and written off the interface thread (a long run's history
        takes seconds to write)."""
        with self._turn():
            copy = self.trainer.clone()
        name = runfile.default_name(self.scenario.name, copy.step_count) if base is None else base
        return lambda: runfile.save(name, self.scenario, copy)

    # -- running -------------------------------------------------------------------

    def run_for(self, budget: float, started: float, taken_since_start: int) -> int:
        """Train for about ``budget`` seconds at the current pace; return the steps taken.

        Flat out, the steps go in chunks of about CHUNK seconds of this thread's time (sized by a
        ``Pace``), each under the lock, so that a key handler never waits longer than one chunk.
        Slower speeds take the steps that are due since ``started``, no more.
        """
        speed = self.pace
        deadline = time.perf_counter() + budget
        done = 0
        stop = self._stop_at  # read once: the interface may clear it meanwhile

        def limit(n: int) -> int:
            return n if stop is None else max(0, min(n, stop - self.trainer.step_count))

        if speed is None:
            pace = self._pace
            while time.perf_counter() < deadline:
                t0 = time.thread_time()
                chunk = pace.size
                with self.lock:
                    if not self._running or self.trainer.diverged:
                        break
                    self._space_losses(self.trainer.step_count + chunk)
                    taken = self._lockstep(limit(chunk))
                    self._keep_path()
                    reached = self._until is not None and self._until_reached()
                done += taken
                if taken < chunk or reached:
                    break
                # sized by this thread's own time: waiting for the GIL while the interface draws is not
                # the steps' cost, and counting it shrank the chunks to a step or two, all overhead
                pace.took(taken, time.thread_time() - t0)
                # A lock is not fair, and the GIL goes to whoever holds on: step aside while the
                # interface waits for the lock or draws (its NumPy calls release the GIL).
                handover = time.perf_counter() + 0.05
                while (self._waiting or self._drawing) and time.perf_counter() < handover:
                    time.sleep(0.0002)
        else:
            due = int((time.perf_counter() - started) * speed) - taken_since_start
            if due > 0:
                with self.lock:
                    if self._running:
                        done = self._steps(limit(min(due, max(1, speed // 10))))
        with self.lock:
            self._note_rate()
            self._diverged_note()
            if not self._running:
                self._until = None
            if self._stop_at is not None and self.trainer.step_count >= self._stop_at:
                self._running = False
                self._stop_at = None
        return done

    def train(self, cancelled: Callable[[], bool], deliver: Callable[[Frame], None]) -> None:
        """The training thread's loop, while running: steps at the pace chosen, and a frame for
        ``deliver`` at most FPS times a second, and one at the end unless ``cancelled()``."""
        self._pace = Pace(CHUNK, first=1, most=10_000)
        speed = self.pace
        started, taken, last_post = time.perf_counter(), 0, 0.0
        while self._running and not cancelled():
            if self.pace != speed:  # pace the new speed from now on
                speed, started, taken = self.pace, time.perf_counter(), 0
            taken += self.run_for(0.02, started, taken)
            now = time.perf_counter()
            if now - last_post >= 1 / FPS:
                self.refresh_landscape()  # the slow part of a view, here rather than in the interface
                deliver(self.frame())
                last_post = now
            if speed is not None:
                time.sleep(min(0.02, 1 / speed))
        if not cancelled():
            deliver(self.frame())


def _keep(path: deque[tuple[int, np.ndarray]], t: Trainer) -> None:
    """``t``'s current parameters at the end of ``path`` (a run's recent past, oldest first, for the landscape);
    those too far back are let go."""
    while path and path[-1][0] >= t.step_count:  # stepped back, or changed at this step
        path.pop()
    path.append((t.step_count, t.params.copy()))
    room = max(2, PATH_BYTES // max(1, t.params.nbytes))
    while len(path) > room or path[0][0] < t.step_count - PATH_STEPS:
        path.popleft()
