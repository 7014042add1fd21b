"""The presenter: the learner's choices, the actions of the keys, and what every pane is given to draw.

No Textual here: the screen (nnplay.tui.screen) calls an action for each key
or click and does what the returned ``Outcome`` says (redraw, a notice, start
the training thread); to draw, it asks ``view_state`` for a ``ViewState``: the
session's ``Frame`` and the learner's choices (sample, selected weight, modes,
lesson page, typed sentence), with the figures the visible panes show
(nnplay.figures). The presenter changes the training state only through the
session's methods.

Three views are slow on a big data set (the nudge check and the sweep, which
draw the loss along a weight, and, when paused, the
landscape): ``view_state`` returns the latest made and leaves a ``SlowJob``
that the screen runs off the interface thread and hands back to ``made``.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import datasets, figures
from .engine import Settings, activations, losses, metrics, phases, schedules
from .engine.optimizers import HYPERS, OPTIMIZERS
from .engine.settings import problems as settings_problems
from .engine.trainer import Snapshot, learning_rates
from .later import later
from .scenario import EXPLAIN_VIEWS, LessonPage, Scenario, ScenarioError, parse
from .session import Frame, Session

if TYPE_CHECKING:
    from . import explain, runfile
    from .explain import DeltaFlow
else:  # loaded when first used: the first frame does without them
    explain, runfile = later("nnplay.explain"), later("nnplay.runfile")

GRADIENT_MODES = ("gradients", "weights", "updates")
# the landscape's directions (landscape.KINDS) and dimensions, in the order L goes through them
LANDSCAPE_VIEWS = (("weights", 2), ("random", 2), ("random", 1), ("pca", 2), ("pca", 1))
LANDSCAPE_WORDS = {
    ("weights", 2): "two weights: the selected one and the pinned one (x), everything else fixed",
    ("random", 2): "two random directions through all the weights, filter-normalised (Li et al. 2017)",
    ("random", 1): "a line through the current point along a random, filter-normalised direction",
    ("pca", 2): "the two directions the run moved along most (pca of its recent path)",
    ("pca", 1): "a line through the current point along the direction the run moved along most (pca)",
}
PANES = ("diagram", "view", "activations", "gradients", "loss", "explain", "lesson")


@dataclass(frozen=True, eq=False)
class PastCurve:
    """A loss curve of another run, for the loss plot to draw faded behind the live one."""

    steps: Any   # np.ndarray of steps
    values: Any  # np.ndarray of losses at them
    label: str = "before the edit"


@dataclass(frozen=True, eq=False)
class ViewState:
    """What every pane is given to draw: the frame and the learner's choices."""

    frame: Frame
    sample: int = 0                # the selected training sample
    selected: int | None = None    # the selected parameter (flat index)
    selected_at: tuple | None = None  # the same as (layer, "W" or "b", position)
    selected_label: str = ""          # the same as 'w(x1 → h1)' or 'b(h1)' (figures.param_label)
    update: figures.Update | None = None  # what the next step adds to it, and what that is made of
    mode: str = "gradients"        # what the gradients pane shows
    log_scale: bool = True         # the loss plot's y axis
    names: tuple = ()              # unit names per column (figures.unit_names)
    sentence: figures.SentenceReport | None = None  # the sentence typed in the sentences view
    explain_mode: str = "inspector"  # what the explain pane shows
    explain: object = None           # its numbers (explain.ChainRule, Nudge or Sweep)
    landscape: tuple | str | None = None  # (explain.Surface, path of (a, b) or None), or why there is none
    computing: bool = False          # the explain view's numbers are being made, off the interface thread
    landscape_labels: tuple = ("", "")
    unit_maps: list | None = None    # figures.unit_maps, when the view shows them
    lesson: tuple | None = None      # (LessonPage, index, count)
    markers: tuple[tuple[int, str], ...] = ()  # the loss plot's: (step, what changed there) (figures.event_labels)
    step_note: str = ""              # for the status line: the state is this step's before the changes made at it
    past: PastCurve | None = None       # the loss plot's faded curve of the run before an edit (until reset)
    points: MapPoints | None = None  # the data points of the curve or decision map (and its unit maps)
    confusion: Confusion | None = None  # the confusion matrices (classification, where the view shows them)
    learning_rates: tuple[np.ndarray, np.ndarray] | None = None  # the loss plot's η(t) overlay: (steps, η at each)
    phase: PhaseView | None = None  # one iteration phase by phase (f): where the walk is; the frame's snapshot then
                                    # holds NaN for what the iteration has not computed yet
    chain: tuple[phases.Box, ...] | None = None  # the chain of functions for the selected sample (its explain view)
    flow: DeltaFlow | None = None  # a walk's backward phase: δ flowing back along the diagram's edges
    walk_note: str = ""  # during a walk, what state the explain view's numbers are of (it shows no phase)
    sample_loss: float = math.nan  # the selected sample's own loss e (NaN during a walk until its loss phase)

    @property
    def unknown(self) -> str | None:
        """How a number not computed yet is written (NaN in the snapshot during a walk), or None outside one."""
        return UNKNOWN if self.phase is not None else None


UNKNOWN = "·"  # a number the iteration has not computed yet


@dataclass(frozen=True, eq=False)
class Walk:
    """One iteration phase by phase (the f key): its numbers, the phase reached and the trainer's revision it
    belongs to (the state before the iteration; after the update, the state after it). Any other revision
    (a step, a rewind, an edit) ends it."""

    iteration: phases.Iteration
    index: int      # the phase reached, 0-based
    revision: int

    @property
    def updated(self) -> bool:
        """Whether it has reached its update: the step is taken."""
        return self.iteration.phases[self.index].kind == "update"


@dataclass(frozen=True, eq=False)
class PhaseView:
    """Where a walk is, for the panes: the phase reached, what is known, and its words for the status line."""

    index: int                     # 0-based
    count: int
    phase: phases.Phase
    title: str                     # 'backward: deltas of layer 1'
    note: str                      # the numbers of this phase: E on the batch, the selected weight's dE/dw or Δw
    iteration: phases.Iteration
    row: int | None                # the selected sample's row in the iteration's batch (None: not in it)

    def done(self, kind: str, layer: int | None = None) -> bool:
        """Whether the phase ``kind`` (of ``layer``) has been computed by now."""
        return any(p.kind == kind and (layer is None or p.layer == layer)
                   for p in self.iteration.phases[: self.index + 1])

    @property
    def text(self) -> str:
        """'phase 5/7 · backward: deltas of layer 1'."""
        return f"phase {self.index + 1}/{self.count} · {self.title}"


@dataclass(frozen=True, eq=False)
class MapPoints:
    """The data points of the curve and the decision map, over the named inputs (the raw ones, before any
    features): what their axes are, whatever the network sees."""

    names: tuple[str, ...]              # the axes: one name (curve) or two (decision map)
    inputs: np.ndarray                  # the training samples, (n, 1 or 2), in the order of the snapshot's
    test: tuple[np.ndarray, np.ndarray] | None  # the held-out test samples, (m, 2), and their classes
                                                # (engine.metrics.classes of the targets); None without a test set


@dataclass(frozen=True, eq=False)
class Confusion:
    """Counts of (true class, predicted class): rows the true class, columns the predicted one."""

    class_names: tuple[str, ...]
    matrices: tuple[tuple[str, np.ndarray], ...]  # ("train", counts), then ("test", counts) with a test set


@dataclass(frozen=True, eq=False)
class Notice:
    """A line for the learner. Plain text: it quotes names, paths and typed text, never markup."""

    text: str
    severity: str = "information"  # or "warning", "error"
    title: str = ""
    timeout: float | None = None   # seconds (None: the interface's default)


@dataclass(frozen=True)
class Outcome:
    """What an action asks of the screen."""

    redraw: bool = False            # the training state changed: a new frame for every pane
    restyle: tuple[str, ...] = ()   # only the learner's choices changed: the same frame, drawn again in these panes
    notices: tuple[Notice, ...] = ()
    train: bool = False             # running: start the training thread (Session.train)
    layout: bool = False            # the explain view or the unit maps changed: the panes' switchers and titles follow
    lesson_turned: bool = False     # a lesson page was turned: the small layout shows the lesson
    open: Session | None = None     # a run was loaded, or an edit made a new one: show it in a new playground
    past: PastCurve | None = None      # with ``open``: the loss curve of the run it replaces
    lesson_page: int | None = None  # with ``open`` after an edit: the lesson's page the learner was on
    later: Callable[[], Outcome] | None = None  # slow work (saving) for another thread, and what to do after it


@dataclass(frozen=True, eq=False)
class SlowJob:
    """The numbers of a slow view, to be made off the interface thread: ``run(stop)`` returns them,
    or None when ``stop()`` said they are no longer wanted."""

    key: tuple
    make: Callable[[Callable[[], bool], Callable[[object], None]], object]

    def run(self, stop: Callable[[], bool], partial: Callable[[object], None] = lambda numbers: None) -> object | None:
        """The numbers; a progressive view hands coarser ones to ``partial`` on the way."""
        try:
            return self.make(stop, partial)
        except figures.Stopped:
            return None


def _typed_number(text: str) -> float:
    """The number typed in a prompt, or nan when it is not one."""
    try:
        return float(text)
    except ValueError:
        return math.nan


def _speed_text(speed: int | None) -> str:
    return "flat out" if speed is None else f"{speed} steps per second"


class Playground:
    def __init__(self, session: Session, past: PastCurve | None = None, lesson_page: int | None = None) -> None:
        """``lesson_page`` is given when an edit made this run (``apply``): the lesson's page the learner was on
        (the new run opens on it)."""
        self.session = session
        self.past = past
        self.edited = lesson_page is not None
        scenario = self.scenario = session.scenario
        self.names = tuple(scenario.unit_names())
        self.order = figures.param_order(session.network)
        self.sample = 0
        self.selected: int | None = self.order[0] if self.order else None
        self.mode = GRADIENT_MODES[0]
        self.log_scale = True
        self.sentence_text = ""
        self.explain_mode = "inspector"
        self.pinned: int | None = None
        self.landscape_view: tuple[str, int] = LANDSCAPE_VIEWS[0]  # its directions and dimensions (L)
        self.show_unit_maps = False
        self.rate_overlay: bool | None = None  # the loss plot's η(t): None shows it while η varies (rates_shown)
        self.lesson_index = lesson_page if lesson_page is not None and lesson_page < len(scenario.lessons) else 0
        # slow explain views: keys are (view, revision), the view being its mode and weights
        self._explained: tuple | None = None  # (key, numbers): the latest made
        self._making: tuple | None = None     # the key being made
        self._jobs: list[SlowJob] = []
        self._table: dict[str, Any] | None = None  # the scenario file's [data] table (_data_table)
        self._walk: Walk | None = None  # one iteration phase by phase (f), while its revision is the trainer's
        self._loaded: tuple[str, runfile.LoadedRun] | None = None  # the saved run the load prompt read (load_problem)

    @property
    def has_lesson(self) -> bool:
        return bool(self.scenario.lessons)

    @property
    def panes(self) -> tuple[str, ...]:
        """The panes this scenario has (the lesson only when it carries one)."""
        return PANES if self.has_lesson else PANES[:-1]

    def event_labels(self, events, optimizer: str | None = None) -> list[tuple[int, str]]:
        """figures.event_labels for this run's ``events``, under ``optimizer`` before them (by default the
        scenario's: the run's events from its start)."""
        return figures.event_labels(events, self.session.network, list(self.names),
                                    optimizer or self.session.trainer.initial_settings.optimizer)

    def label(self, index: int) -> str:
        return figures.param_label(self.session.network, list(self.names), index)

    # -- what the panes draw -------------------------------------------------------------

    def view_state(self, frame: Frame, panes: frozenset[str] | None = None) -> ViewState:
        """The frame and the learner's choices; the views' extra numbers only for ``panes`` (all by default)."""
        def wanted(pane: str) -> bool:
            return panes is None or pane in panes

        report = None
        scenario = self.scenario
        phase = self._phase_view(frame)
        state = frame.snapshot  # the state the trainer is in: during a walk, the one before the iteration
        if phase is not None and _walking(phase):  # (after the update the state is the step's own)
            frame = replace(frame, snapshot=phase_snapshot(frame.snapshot, phase, self.session.network))
        snap = frame.snapshot
        network = self.session.network
        vocabulary = scenario.data.vocabulary
        if vocabulary is not None and self.sentence_text.strip() and wanted("view"):
            report = figures.sentence_report(network, snap.params, vocabulary, self.sentence_text)
        index = self.selected
        selected_at = network.locate(index) if index is not None else None
        label = self.label(index) if index is not None else ""
        update = figures.next_update(snap, index) if index is not None and not _walking(phase) else None
        sample = min(self.sample, snap.inputs.shape[0] - 1)
        data: object = None
        landscape = None
        labels = ("", "")
        walk_note = ""
        if index is not None and wanted("explain"):
            # the views of the loss around the weights show the state before a walk's iteration, whole
            if _walking(phase) and self.explain_mode in ("nudge", "sweep", "landscape"):
                walk_note = "before this iteration"
            if self.explain_mode == "chain-rule":  # during a walk, the walk's own numbers, as far as it has gone
                data = explain.chain_rule(snap, network, index, sample,
                                          walk_pass(phase, snap) if phase is not None and _walking(phase) else None)
            elif self.explain_mode == "nudge":
                data = self._slow(("nudge", index), frame,
                                  lambda stop, _: explain.nudge(state, network, index, stop=stop))
            elif self.explain_mode == "sweep":
                data = self._slow(("sweep", index), frame,
                                  lambda stop, _: explain.loss_along(state, network, index, stop=stop))
            elif self.explain_mode == "landscape":
                landscape = self._landscape(frame)
                labels = self.landscape_labels()
                if isinstance(landscape, explain.Sweep):  # 1-D: drawn as the sweep is
                    data, landscape = landscape, None
        sample_loss = self._sample_loss(snap, sample, phase)
        boxes = (self._chain(snap, sample, phase, sample_loss)
                 if wanted("explain") and self.explain_mode == "functions" else None)
        flow = None
        if phase is not None and phase.phase.kind == "backward" and phase.phase.layer is not None and wanted("diagram"):
            flow = explain.delta_flow(network, snap.params, phase.phase.layer, tuple(
                layer.delta[sample] if phase.done("backward", k) else None for k, layer in enumerate(snap.layers)))
        # the view being made (its key: ((mode, weights), revision)) is of this mode
        computing = wanted("explain") and self._making is not None and self._making[0][0] == self.explain_mode
        maps = None
        if self.show_unit_maps and wanted("view"):
            data = self.session.scenario.data
            maps = figures.unit_maps(network, snap.params, data.named_inputs, encode=data.encode)
        markers = tuple(self.event_labels(frame.events)) if wanted("loss") else ()
        note = ""
        if frame.undone:
            undone = self.event_labels(frame.undone, frame.snapshot.settings.optimizer)[0][1]
            note = f"before the edit ({undone})"
        lesson = None
        if self.has_lesson:
            lesson = (scenario.lessons[self.lesson_index], self.lesson_index, len(scenario.lessons))
        return ViewState(frame=frame, sample=sample, selected=index, selected_at=selected_at, selected_label=label,
                         update=update, mode=self.mode, log_scale=self.log_scale, names=self.names,
                         sentence=report, explain_mode=self.explain_mode, explain=data, landscape=landscape,
                         computing=computing, landscape_labels=labels, unit_maps=maps, lesson=lesson,
                         markers=markers, step_note=note, past=self.past if wanted("loss") else None,
                         points=self._map_points() if wanted("view") else None,
                         confusion=self._confusion(frame) if wanted("view") else None,
                         learning_rates=self._rates(frame) if wanted("loss") else None, phase=phase, chain=boxes,
                         flow=flow, walk_note=walk_note, sample_loss=sample_loss)

    # -- one iteration phase by phase (f) -------------------------------------------------------

    def _phase_view(self, frame: Frame) -> PhaseView | None:
        """The walk, when there is one and ``frame`` shows the state it belongs to."""
        walk = self._walk
        if walk is None or walk.revision != frame.revision:
            return None
        it = walk.iteration
        p = it.phases[walk.index]
        sample = min(self.sample, len(frame.snapshot.inputs) - 1)
        rows = np.flatnonzero(it.batch == sample)
        note = self._phase_note(p, it)
        if not len(rows) and not note:  # the panes show the selected sample's numbers: it has none in this step
            note = f"sample {sample + 1} is not in the batch"
        return PhaseView(walk.index, len(it.phases), p, p.title(len(it.u)), note, it, int(rows[0]) if len(rows) else None)

    def _phase_note(self, phase: phases.Phase, it: phases.Iteration) -> str:
        """The numbers a phase adds: the batch's loss, the selected weight's gradient or update."""
        n = len(it.batch)
        if phase.kind == "loss":
            return f"E = {it.loss:.6g} on {n} sample{'s' if n > 1 else ''}"
        index = self.selected
        if index is None or phase.kind not in ("gradients", "update"):
            return ""
        label = self.label(index)
        if phase.kind == "gradients":
            _, kind, _ = self.session.network.locate(index)
            made = "Σ δ" if kind == "b" else "Σ δ·z"
            return f"dE/d{label} = {made} = {it.grad[index]:+.6g}"
        return f"Δ{label} = {it.update[index]:+.6g}"

    def phase_step(self) -> Outcome:
        """f: the next phase of the iteration (the first phase of a new one when none is under way, or the last
        ended with its update). Running pauses: the learner asked to see one phase."""
        session = self.session
        session.pause()
        if session.trainer.diverged:
            return Outcome(redraw=True, notices=(Notice(f"The run diverged. {session.divergence_advice()}",
                                                        "warning"),))
        walk = self._walk
        notices: tuple[Notice, ...] = ()
        if walk is None or walk.revision != session.revision or walk.updated:  # (the update is the last phase)
            revision, it = session.next_iteration()
            walk = Walk(it, -1, revision)
            if self.sample not in it.batch:  # a minibatch without the selected sample: nothing of it would show
                before, self.sample = self.sample, int(it.batch[0])
                notices = (Notice(f"Sample {before + 1} is not in this step's batch of {len(it.batch)}: showing "
                                  f"sample {self.sample + 1}, the batch's first.", timeout=4),)
        outcome = self._to_phase(walk, walk.index + 1)
        return replace(outcome, notices=notices + outcome.notices)

    def go_to_phase(self, index: int) -> Outcome:
        """The next iteration, from its start to phase ``index`` (0-based; past the last: the last)."""
        self._walk = None
        outcome = Outcome(redraw=True)
        for _ in range(min(index, len(phases.phases(len(self.session.network.layers))) - 1) + 1):
            outcome = self.phase_step()
        return outcome

    def _to_phase(self, walk: Walk, index: int) -> Outcome:
        revision = walk.revision
        if walk.iteration.phases[index].kind == "update":  # the step itself: the same as space
            self.session.step(1)
            revision = self.session.revision
        self._walk = Walk(walk.iteration, index, revision)
        return Outcome(redraw=True, notices=self._diverged())

    def _abandon_walk(self) -> bool:
        """Drop a walk that has not reached its update (the state is still the one before the iteration): True
        when there was one."""
        walk, self._walk = self._walk, None
        return walk is not None and walk.revision == self.session.revision and not walk.updated

    def _sample_loss(self, snap: Snapshot, sample: int, phase: PhaseView | None) -> float:
        """The own loss e of ``sample`` (the loss's function on its row alone): during a walk the iteration's, NaN
        until its loss phase or when the sample is not in the batch."""
        if phase is not None and _walking(phase):
            row = phase.row
            return math.nan if row is None or not phase.done("loss") else float(phase.iteration.sample_losses[row])
        one = slice(sample, sample + 1)
        with np.errstate(all="ignore"):
            return float(losses.LOSSES[snap.settings.loss].value(
                self.session.network.activations[-1], snap.layers[-1].u[one], snap.outputs[one], snap.targets[one]))

    def _chain(self, snap: Snapshot, sample: int, phase: PhaseView | None, sample_loss: float) -> tuple[phases.Box, ...]:
        """The chain of functions for ``sample`` in ``snap`` (during a walk, the display snapshot: NaN where not
        known): its own loss e (``sample_loss``), then E, the loss of the samples the δ are derivatives of (the
        walk's batch, or the whole set outside a walk)."""
        network = self.session.network
        s = snap.settings
        layers = snap.layers
        u = [layer.u[sample] for layer in layers]
        z = [layer.z[sample] for layer in layers]
        delta = [layer.delta[sample] for layer in layers]
        if phase is not None and _walking(phase):
            it = phase.iteration
            batch_loss, n = (it.loss if phase.done("loss") else math.nan), len(it.batch)
            dy = np.full(layers[-1].units, np.nan) if phase.row is None or not phase.done("backward", len(layers) - 1) \
                else it.dE_dz[-1][phase.row]
        else:
            dy = phases.output_gradient(s.loss, snap.outputs, snap.targets)[sample]  # the whole set's E, as δ is
            batch_loss, n = snap.loss, snap.inputs.shape[0]
        Ws, _ = network.unflatten(np.asarray(snap.params))
        return phases.chain(network.activations, s.loss, Ws, snap.inputs[sample], u, z, delta, dy, sample_loss,
                            batch_loss, n, s.l2)

    def _rates(self, frame: Frame) -> tuple[np.ndarray, np.ndarray] | None:
        """η at the loss plot's steps (the engine's rule over the run's events), when the overlay shows."""
        steps = frame.loss_steps
        rates = learning_rates(self.session.trainer.initial_settings, frame.events, (int(x) for x in steps))
        return (steps, rates) if self.rates_shown(rates) else None

    def rates_shown(self, rates: np.ndarray) -> bool:
        """Whether the loss plot overlays η(t): as the learner chose (the palette), or while it varies over the
        steps shown (a schedule, or η changed by hand)."""
        if self.rate_overlay is not None:
            return self.rate_overlay
        return bool(len(rates)) and float(rates.min()) != float(rates.max())

    def _map_points(self) -> MapPoints | None:
        """The curve's or the decision map's points: over the named inputs when the network sees features."""
        data = self.scenario.data
        if self.scenario.view not in ("curve", "decision-map"):
            return None
        test_inputs = data.test_named_inputs
        test = None
        if test_inputs is not None and data.test_targets is not None:
            test = (test_inputs, metrics.classes(data.test_targets))
        return MapPoints(data.named_input_names, data.named_inputs, test)

    def _confusion(self, frame: Frame) -> Confusion | None:
        """The training set's confusion matrix and the test set's, where the view shows them
        (``shows_confusion``)."""
        snap = frame.snapshot
        if not self.shows_confusion or snap.confusion is None:
            return None
        matrices = [("train", snap.confusion)]
        if snap.test_confusion is not None:
            matrices.append(("test", snap.test_confusion))
        return Confusion(self.class_names, tuple(matrices))

    @property
    def shows_confusion(self) -> bool:
        """Whether the view pane has a confusion matrix: a table of classes always; a decision map or
        sentences only with a test set (on the map, the training points over the colours already show
        the training set's mistakes)."""
        scenario = self.scenario
        if not scenario.classification:
            return False
        return scenario.view == "table" or scenario.data.test_targets is not None

    @property
    def class_names(self) -> tuple[str, ...]:
        """The classes' names: the scenario's, the output units' (softmax), or 0 and 1 (one output)."""
        data = self.scenario.data
        if data.class_names is not None:
            return data.class_names
        return data.output_names if len(data.output_names) > 1 else ("0", "1")

    def second_axis(self) -> int:
        """The landscape's second weight: the pinned one, or the next one after the selection."""
        if self.pinned is not None and self.pinned != self.selected:
            return self.pinned
        i = self.order.index(self.selected) if self.selected in self.order else -1
        return self.order[(i + 1) % len(self.order)]

    def landscape_labels(self) -> tuple[str, str]:
        """The landscape's axes: the two weights' names, or the directions'."""
        kind, _ = self.landscape_view
        if kind == "weights":
            assert self.selected is not None
            return self.label(self.selected), self.label(self.second_axis())
        return f"{kind} d₁", f"{kind} d₂"

    @property
    def landscape_title(self) -> str:
        """The explain pane's title for the landscape shown."""
        kind, dims = self.landscape_view
        what = {"weights": "loss over two weights", "random": "loss along random directions",
                "pca": "loss along the run's pca directions"}[kind]
        return f"{what}{' (1-D)' if dims == 1 else ''}, L: directions"

    @property
    def explain_widget(self) -> str:
        """The explain pane's widget for the view chosen: the sweep's draws a 1-D landscape too."""
        if self.explain_mode == "landscape" and self.landscape_view[1] == 1:
            return "sweep"
        return self.explain_mode

    def _landscape(self, frame: Frame):
        """The loss surface and the optimiser's path (Session.landscape): while running, the one the training
        thread made (at most a second old); when paused, made off the interface thread for exactly this state,
        progressively (a coarse one first)."""
        assert self.selected is not None
        kind, dims = self.landscape_view
        # the selection only matters for two weights: along other directions it changes nothing
        pair = (self.selected, self.second_axis()) if kind == "weights" else (-1, -1)
        self.session.want_landscape(*pair, kind=kind, dims=dims)
        if frame.running and frame.landscape is not None and frame.landscape[0] == pair:
            return frame.landscape[1]
        session = self.session
        return self._slow(("landscape", pair, kind, dims), frame,
                          lambda stop, partial: session.landscape(*pair, stop=stop, kind=kind, dims=dims,
                                                                  partial=partial))

    def next_landscape(self) -> Outcome:
        """L: the landscape's next directions and dimensions (LANDSCAPE_VIEWS), shown in the explain pane."""
        self.landscape_view = LANDSCAPE_VIEWS[(LANDSCAPE_VIEWS.index(self.landscape_view) + 1) % len(LANDSCAPE_VIEWS)]
        outcome = self.set_explain("landscape")
        kind, dims = self.landscape_view
        text = f"Landscape ({dims}-D): {LANDSCAPE_WORDS[self.landscape_view]}. L: the next kind."
        return replace(outcome, notices=(Notice(text, timeout=4),))

    def _slow(self, view: tuple, frame: Frame, make: Callable[[Callable[[], bool], Callable[[object], None]], object]):
        """The numbers of a slow explain view (``view``: its mode and weights) for ``frame``'s state:
        the latest made for this view, or None before the first. Newer ones are made by a ``SlowJob``
        off the interface thread, one at a time; another view replaces them."""
        key = (view, frame.revision)
        made = self._explained if self._explained is not None and self._explained[0][0] == view else None
        if (made is None or made[0] != key) and (self._making is None or self._making[0] != view):
            self._making = key
            self._jobs.append(SlowJob(key, make))
        return None if made is None else made[1]

    def take_job(self) -> SlowJob | None:
        """The latest slow view asked for since the last call, for the screen to make off its thread."""
        jobs, self._jobs = self._jobs, []
        return jobs[-1] if jobs else None

    def made(self, key: tuple, numbers: object, final: bool = True) -> bool:
        """A slow view's numbers, made (coarse ones on the way, when not ``final``); False when another view
        replaced it meanwhile."""
        if key != self._making:
            return False
        if final:
            self._making = None
        self._explained = (key, numbers)
        return True

    # -- training ---------------------------------------------------------------------------

    def _diverged(self) -> tuple[Notice, ...]:
        if self.session.trainer.diverged:
            return (Notice(self.session.message, "warning", "Diverged", 8),)
        return ()

    def pause(self) -> None:
        self.session.pause()

    def run_pause(self) -> Outcome:
        session = self.session
        if session.running:
            session.pause(keep_target=True)
            return Outcome(redraw=True)
        if not session.start():
            return Outcome(notices=(Notice(f"The run diverged. {session.divergence_advice()}", "warning"),))
        return Outcome(redraw=True, train=True)

    def step(self, n: int) -> Outcome:
        """``n`` steps more: from where a run to a step is going, if one is."""
        session = self.session
        running_to = session.stop_at if session.running else None
        session.pause()
        train = session.run_to((session.trainer.step_count if running_to is None else running_to) + n)
        return Outcome(redraw=True, train=train, notices=self._diverged())

    def run_to(self, target: int) -> Outcome:
        self.session.pause()
        return Outcome(redraw=True, train=self.session.run_to(target), notices=self._diverged())

    def back(self, n: int) -> Outcome:
        session = self.session
        session.pause()
        if self._abandon_walk():  # b during a walk: back to before the iteration, which has changed nothing yet
            return Outcome(redraw=True, notices=(Notice("Back to before the iteration.", timeout=2),))
        trainer = session.trainer
        undo = n == 1 and bool(trainer.undoable_events())  # this step, before the changes made at it
        gone = session.back(n)
        if not undo and gone < n and trainer.step_count == session.race_start:
            return Outcome(redraw=True, notices=(Notice(
                f"The race started at step {session.race_start}: step back goes no further while ghosts race "
                "(ctrl+g clears the ghosts, 0 restarts the race).", timeout=5),))
        if not gone and trainer.step_count == trainer.first_step > 0:
            return Outcome(redraw=True, notices=(Notice(
                f"This run was loaded at step {trainer.first_step}: nothing before it was saved "
                "(0 starts it again from step 0).", timeout=4),))
        return Outcome(redraw=True)

    def reset(self) -> Outcome:
        self.session.pause()
        self.past = None
        if self.session.ghosts:
            self.session.restart_race()
            return Outcome(redraw=True, notices=(Notice(
                "The race starts again: every run back to step 0 from the scenario's initial weights, each with "
                "its own settings (ctrl+g clears the ghosts).", timeout=5),))
        self.session.reset()
        if self.edited:
            return Outcome(redraw=True, notices=(Notice(
                "Back to step 0 with the scenario's own settings; the edited network and data stay: open the "
                "scenario again (o) for the original.", timeout=5),))
        return Outcome(redraw=True, notices=(Notice("Back to step 0 with the scenario's own settings.", timeout=3),))

    # -- races -------------------------------------------------------------------------------

    def pin_ghost(self) -> Outcome:
        """G: the live run's state and settings pinned as a ghost that races it from this step."""
        session = self.session
        try:
            number = session.pin_ghost()
        except ValueError as error:
            return Outcome(notices=(Notice(str(error), "warning", timeout=5),))
        text = (f"Ghost {number} pinned at step {session.race_start}: it races the live run with these settings. "
                "Change a setting (], [, m, a, k, c …) and step: every run takes the same steps.")
        return Outcome(redraw=True, notices=(Notice(text, timeout=6),))

    def clear_ghosts(self) -> Outcome:
        cleared = self.session.clear_ghosts()
        if not cleared:
            return Outcome(notices=(Notice("No ghosts race: G pins the live run as one.", timeout=3),))
        return Outcome(redraw=True, notices=(Notice(f"Cleared {cleared} ghost{'s' if cleared > 1 else ''}.",
                                                    timeout=3),))

    UNTIL_QUESTION = "Run until the loss falls below:"

    def until_offer(self) -> str:
        """The answer the U prompt offers: a tenth of the loss now (the race table's "÷10 at")."""
        return f"{self.session.trainer.current_loss() / 10:.3g}"

    @staticmethod
    def until_problem(text: str) -> str | None:
        """Why ``text`` cannot be the loss to run until, or None (a blank answer runs nothing)."""
        if not text.strip():
            return None
        value = _typed_number(text)
        return None if math.isfinite(value) and value > 0 else f"Not a positive number: {text!r}"

    def run_until(self, text: str | None) -> Outcome:
        """U: run flat out until the loss falls below the number typed; the step it did is reported then."""
        if text is None or not text.strip() or self.until_problem(text) is not None:
            return Outcome()
        session = self.session
        session.pause()
        threshold = float(text)
        try:
            train = session.run_until(threshold)
        except ValueError as error:
            return Outcome(notices=(Notice(str(error), "warning"),))
        if not train:
            return Outcome(redraw=True, notices=(Notice(session.message, timeout=5),))
        return Outcome(redraw=True, train=True, notices=(Notice(
            f"Running until the loss falls below {threshold:g} (r pauses).", timeout=3),))

    def speed(self, delta: int) -> Outcome:
        speed = self.session.change_speed(delta)
        return Outcome(redraw=True, notices=(Notice(f"Run speed: {_speed_text(speed)}", timeout=2),))

    def learning_rate(self, direction: int) -> Outcome:
        """] and [: the learning rate up or down the ladder; under a schedule that is its base, from which the
        schedule starts again (SPEC §4), and the notice says so, with η now."""
        trainer = self.session.trainer
        before, schedule = trainer.settings.learning_rate, trainer.settings.schedule.kind
        lr = self.session.change_learning_rate(direction)
        text = f"Learning rate η = {lr:g}"
        if schedule != "constant":
            text = (f"Base η {before:g} → {lr:g}: the {schedule} schedule starts again from it "
                    f"(η now {self.session.trainer.learning_rate_now():g})")
        return Outcome(redraw=True, notices=(Notice(text, timeout=3 if schedule != "constant" else 2),))

    def optimizer(self, brief: bool = False) -> Outcome:
        """The next optimiser (a): what it is, keeps (unless ``brief``: a small screen, where the notice
        would cover most of it) and does, what to watch for, and a word when η is far from what it usually
        wants (η is never changed silently)."""
        name = self.session.next_optimizer()
        record = OPTIMIZERS[name]
        keeps = "" if brief else f": it keeps {record.keeps}."
        text = f"Optimiser {name} ({record.title}){keeps}\n{record.formula}\nWatch: {record.watch}."
        eta = self.session.trainer.settings.learning_rate
        low, high = record.usual_learning_rates
        if not low <= eta <= high:
            key = "[ lowers it" if eta > high else "] raises it"
            text += f"\nη = {eta:g} stays as it was: {name} usually wants {low:g} to {high:g} ({key})."
        return Outcome(redraw=True, notices=(Notice(text, timeout=10),))

    def momentum(self, direction: int) -> Outcome:
        name = self.session.trainer.settings.optimizer
        if "momentum" not in OPTIMIZERS[name].hypers:
            having = " and ".join(n for n, record in OPTIMIZERS.items() if "momentum" in record.hypers)
            return Outcome(notices=(Notice(f"{name} has no momentum α: α is {having}'s (a: the next optimiser).",
                                           timeout=3),))
        mu = self.session.change_momentum(direction)
        text = f"Momentum α = {mu:g}" + (" (plain gradient descent)" if mu == 0 else "")
        return Outcome(redraw=True, notices=(Notice(text, timeout=2),))

    def batch_size(self) -> Outcome:
        size = self.session.next_batch_size()
        text = f"Batch size: {'the whole data set (full batch)' if size == 0 else size}"
        return Outcome(redraw=True, notices=(Notice(text, timeout=2),))

    def loss(self) -> Outcome:
        return Outcome(redraw=True, notices=(Notice(f"Loss: {self.session.next_loss()}", timeout=2),))

    def setting_commands(self) -> list[tuple[str, str, str]]:
        """The palette's commands that set the optimiser's numbers and the schedule, as (title, help, action):
        only the numbers the current optimiser uses; and the loss plot's η(t) overlay."""
        s = self.session.trainer.settings
        commands = []
        for name in OPTIMIZERS[s.optimizer].hypers:
            hyper = HYPERS[name]
            commands.append((f"Set {hyper.symbol} ({name}) of {s.optimizer}: now {self._setting_value(name)}",
                             hyper.meaning, f"set_setting('{name}')"))
        commands.append((f"Set the learning-rate schedule: now {s.schedule}", SCHEDULE_FORMS, "set_setting('schedule')"))
        commands.append(("Loss plot: the learning rate η(t) on / off", "a second axis on the right",
                         "rate_overlay"))
        return commands

    def _setting_value(self, name: str) -> str:
        """A setting's value as the prompt offers it ('step every=500 factor=0.5'; an unset ε: the optimiser's)."""
        s = self.session.trainer.settings
        value = getattr(s, name)
        if name == "epsilon" and value is None:
            value = OPTIMIZERS[s.optimizer].default_epsilon
        if name == "schedule":  # as parse_schedule reads it
            return " ".join([value.kind, *(f"{key}={number!r}" for key, number in value.given().items())])
        return repr(value)  # every digit: enter alone changes nothing

    def setting_prompt(self, name: str) -> tuple[str, str]:
        """The question and the answer offered for a new value of setting ``name`` (a HYPERS name or
        'schedule')."""
        s = self.session.trainer.settings
        if name == "schedule":
            return f"Learning-rate schedule, η its base ({SCHEDULE_FORMS}):", self._setting_value(name)
        hyper = HYPERS[name]
        return (f"{hyper.symbol} ({name}) of {s.optimizer}, {hyper.range}: {hyper.meaning}:", self._setting_value(name))

    def _read_setting(self, name: str, text: str) -> tuple[Any, str | None]:
        """``text`` read as setting ``name``'s value, and what is wrong with it by the rules every setting
        follows (engine.settings.problems, as the loader reports them), in one line, or None."""
        try:
            value: Any = parse_schedule(text) if name == "schedule" else _number(text)
        except ValueError as error:
            return None, str(error)
        settings = replace(self.session.trainer.settings, **{name: value})
        network = self.session.network
        for key, problem in settings_problems(settings, network.activations[-1], self.session.trainer.T):
            if key.split(".")[0] == name:
                return None, f"{key}: {problem}"
        return value, None

    def setting_problem(self, name: str, text: str) -> str | None:
        """Why ``text`` cannot be setting ``name``'s value, or None (a blank answer changes nothing)."""
        return None if not text.strip() else self._read_setting(name, text)[1]

    def set_setting(self, name: str, text: str | None) -> Outcome:
        """Setting ``name`` set to what was typed, from the next step (recorded like the keys' changes)."""
        if text is None or not text.strip():
            return Outcome()
        value, problem = self._read_setting(name, text)
        if problem is not None:
            return Outcome(notices=(Notice(problem, "error"),))
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        self.session.change_settings(**{name: value})
        label = figures.setting_text(name, value, self.session.trainer.settings.optimizer)
        return Outcome(redraw=True, notices=(Notice(f"Set {label}", timeout=3),) + self._diverged())

    def toggle_rate_overlay(self) -> Outcome:
        frame = self.session.frame()
        shown = self.rates_shown(learning_rates(self.session.trainer.initial_settings, frame.events,
                                                (int(x) for x in frame.loss_steps)))
        self.rate_overlay = not shown
        text = "The loss plot shows the learning rate η(t) on its right axis." if self.rate_overlay else \
            "The loss plot shows no learning rate."
        return Outcome(restyle=("loss",), notices=(Notice(text, timeout=3),))

    def edit_prompt(self) -> tuple[str, str] | None:
        """Pauses, and returns the question and the answer to offer for a new value of the selected
        weight (None when no weight is selected)."""
        if self.selected is None:
            return None
        self.session.pause()
        value = float(self.session.trainer.params[self.selected]) + 0.0  # + 0.0: never '-0.0'
        return f"New value for {self.label(self.selected)} (now {value!r}):", repr(value)

    @staticmethod
    def weight_problem(text: str) -> str | None:
        """Why ``text`` cannot be a weight's new value, or None (a blank answer changes nothing)."""
        if not text.strip():
            return None
        return None if math.isfinite(_typed_number(text)) else f"Not a finite number: {text!r}"

    def edit_weight(self, text: str | None) -> Outcome:
        """The selected weight set to the number typed; a notice when it is not a finite number."""
        if text is None or not text.strip() or self.selected is None:
            return Outcome()
        problem = self.weight_problem(text)
        if problem is not None:
            return Outcome(notices=(Notice(problem, "error"),))
        self.session.set_param(self.selected, float(text))
        return Outcome(redraw=True, notices=self._diverged())

    # -- the learner's choices -----------------------------------------------------------------

    def set_sample(self, delta: int) -> Outcome:
        self.sample = (self.sample + delta) % self.session.trainer.n_samples
        return Outcome(restyle=("diagram", "view", "activations", "gradients", "explain"))

    def weight(self, delta: int) -> Outcome:
        position = self.order.index(self.selected) if self.selected in self.order else -1
        return self.select(self.order[(position + delta) % len(self.order)])

    def select(self, param: int) -> Outcome:
        """A weight or a bias chosen (w, W, or a click in the diagram)."""
        self.selected = param
        return Outcome(restyle=("diagram", "gradients", "explain"))

    def next_mode(self) -> Outcome:
        self.mode = GRADIENT_MODES[(GRADIENT_MODES.index(self.mode) + 1) % len(GRADIENT_MODES)]
        return Outcome(restyle=("gradients",))

    def toggle_log_scale(self) -> Outcome:
        self.log_scale = not self.log_scale
        return Outcome(restyle=("loss",))

    def set_explain(self, mode: str) -> Outcome:
        self.explain_mode = mode
        if mode != "landscape":
            self.session.no_landscape()
        return Outcome(layout=True, restyle=PANES)

    def show_view(self, view: str) -> Outcome:
        """A view by a lesson page's word for it (scenario.LESSON_VIEWS): an explain view, the landscape along
        some directions ("landscape-random"), or the per-unit maps ("unit-maps", with a decision map only)."""
        if view == "unit-maps":
            return self._unit_maps(True) if self.scenario.has_unit_maps else Outcome()
        self.show_unit_maps = False
        if view.startswith("landscape"):  # "landscape-random": the landscape along those directions
            self.landscape_view = (view.partition("-")[2] or "weights", 2)
            view = "landscape"
        return self.set_explain(view)

    def next_explain(self) -> Outcome:
        return self.set_explain(EXPLAIN_VIEWS[(EXPLAIN_VIEWS.index(self.explain_mode) + 1) % len(EXPLAIN_VIEWS)])

    @property
    def making(self) -> bool:
        """Whether a slow explain view's numbers (the sweep, the landscape) are being made in a thread."""
        return self._making is not None

    def pin(self) -> Outcome:
        self.pinned = self.selected
        if self.selected is None:
            return Outcome()
        text = f"Pinned {self.label(self.selected)}: the landscape's second axis. Select another weight with w."
        return Outcome(restyle=("explain",), notices=(Notice(text, timeout=3),))

    @property
    def can_show_unit_maps(self) -> bool:
        return self.scenario.has_unit_maps

    def toggle_unit_maps(self) -> Outcome:
        if not self.can_show_unit_maps:
            return Outcome(notices=(Notice("Per-unit maps need two inputs and a hidden layer.", timeout=3),))
        return self._unit_maps(not self.show_unit_maps)

    def _unit_maps(self, on: bool) -> Outcome:
        self.show_unit_maps = on
        return Outcome(layout=True, restyle=PANES)

    def type_sentence(self, text: str) -> Outcome:
        self.sentence_text = text
        return Outcome(restyle=PANES)

    def set_grid(self, cols: int, rows: int) -> Outcome:
        """The decision map's size on the screen: the grid of the next frames."""
        return Outcome(redraw=self.session.set_grid(cols, rows))

    # -- lessons ------------------------------------------------------------------------------

    def open(self) -> Outcome:
        """The playground opens: on the lesson's first page, its action carried out. A run that is not at its
        start (a saved run, one given already trained or edited) opens as it is: only the page's choices
        (sample, weight, view), not its reset, settings or run to. After an edit it stays on the page the
        learner was on, with that page's choices: the page asked for the edit, and its run is the learner's."""
        if not self.has_lesson:
            return Outcome()
        trainer = self.session.trainer
        untouched = trainer.step_count == 0 and not trainer.events() and not self.edited
        outcome = self.apply_lesson_page(self.scenario.lessons[self.lesson_index], choices_only=not untouched)
        return replace(outcome, lesson_turned=False)  # a small terminal opens on the network, not on the lesson

    def lesson(self, delta: int) -> Outcome:
        """The next (or previous) page, and its action."""
        if not self.has_lesson:
            return Outcome(notices=(Notice("This scenario has no lesson.", timeout=2),))
        index = max(0, min(len(self.scenario.lessons) - 1, self.lesson_index + delta))
        if index == self.lesson_index:
            return Outcome()
        self.lesson_index = index
        return self.apply_lesson_page(self.scenario.lessons[index])

    def apply_lesson_page(self, page: LessonPage, choices_only: bool = False) -> Outcome:
        action = page.action
        train = layout = False
        if action is not None:
            session = self.session
            session.pause()
            if action.reset and not choices_only:
                session.clear_ghosts()  # a page that starts again starts without the last page's race
                session.reset()
            if action.settings and not choices_only:
                session.change_settings(**dict(action.settings))
            if action.race and not choices_only:
                session.clear_ghosts()
                for changes in action.race:
                    session.pin_ghost(**dict(changes))
            if action.sample is not None:
                self.sample = action.sample
            if action.weight is not None:
                self.selected = action.weight
            if action.view is not None:
                layout = self.show_view(action.view).layout
            if action.run_to is not None and not choices_only:
                train = session.run_to(action.run_to)
            if action.phase is not None and not choices_only:
                return replace(self.go_to_phase(action.phase), layout=layout, lesson_turned=True)
        return Outcome(redraw=True, train=train, layout=layout, lesson_turned=True)

    # -- saved runs -------------------------------------------------------------------------------

    def save(self) -> Outcome:
        """The run saved as JSON and CSV in the current directory, named after the scenario and the step:
        the state now, written by ``later`` off the interface thread, which then tells where."""
        session = self.session
        session.pause()
        write = session.save_later()  # named after the step of the state it copies (a chunk may still end)

        def saved() -> Outcome:
            try:
                json_path, csv_path = write()
            except (OSError, ValueError) as error:
                return Outcome(notices=(Notice(f"Could not save: {error}", "error"),))
            return Outcome(notices=(Notice(f"Saved {json_path} and {csv_path}", timeout=5),))

        return Outcome(later=saved)

    def load_problem(self, path: str) -> str | None:
        """Why the saved run at ``path`` cannot be loaded, in one line (the load prompt stays open showing it,
        the name still there to correct), or None; the run it read is kept for ``load``."""
        if not path.strip():
            return None  # nothing typed: the prompt closes, and nothing is loaded
        try:
            self._loaded = (path.strip(), runfile.load(path.strip()))
        except runfile.RunFileError as error:
            return str(error)
        return None

    def load(self, path: str | None) -> Outcome:
        """A saved run, as a new session to open (its note on the status line); a notice when it cannot be."""
        if not path or not path.strip():
            return Outcome()
        kept, self._loaded = self._loaded, None
        try:
            loaded = kept[1] if kept is not None and kept[0] == path.strip() else runfile.load(path.strip())
        except runfile.RunFileError as error:
            return Outcome(notices=(Notice(str(error), "error", timeout=8),))
        gone = (Notice(f"Loaded {path.strip()}: {GHOSTS_GONE}.", timeout=5),) if self.session.ghosts else ()
        return Outcome(open=Session(loaded.scenario, trainer=loaded.trainer, note=loaded.note), notices=gone)

    # -- editing the scenario: the network (N), the data (D), writing it (ctrl+w) -------------------

    def edit_problem(self) -> str | None:
        """Why this scenario cannot be edited (it was not read from TOML), or None."""
        if self.scenario.text is None:
            return "This scenario was not read from a file, so there is nothing to edit or write."
        return None

    def live_overrides(self) -> dict[str, Any]:
        """The live settings (every training setting as the run has it now, and the seed) as overrides:
        what an edit keeps and what a written scenario starts with."""
        trainer = self.session.trainer
        # only what differs from the defaults, here or in the file (a written file stays short: no beta1 under
        # sgd), and nothing left to its default by None (epsilon: the optimiser's own)
        default, scenario = Settings().as_dict(), self.scenario.training.as_dict()
        live: dict[str, Any] = {f"training.{key}": value for key, value in trainer.settings.as_dict().items()
                                if value is not None and (value != default[key] or scenario[key] != default[key])}
        live["init.seed"] = trainer.seed
        return live

    def _build(self, changes: dict[str, Any], kept: dict[str, Any],
               source: str | None = None) -> tuple[Scenario, tuple[str, ...]]:
        """This scenario with ``changes`` and the ``kept`` overrides, validated as a file is (the one set of
        rules: scenario.parse). A kept override the changes make invalid (a batch size larger than the new
        data, a loss the new output cannot take) is left out, and so is a lesson that no longer fits (it
        names units or samples of the old scenario); returns the scenario and what was left out. Raises the
        ScenarioError of a change itself. ``source``: where it is to be written (paths in it are relative to
        that), if not where it was read. Slow for a big scenario (digits: 0.4 s): off the interface thread."""
        assert self.scenario.text is not None, "edit_problem says so first"
        changes, kept = dict(changes), dict(kept)
        dropped: list[str] = []
        while True:
            try:
                scenario = parse(self.scenario.text, source or self.scenario.source, default_name=self.scenario.name,
                                 overrides={**kept, **changes}, folder=None if source else self.scenario.folder)
                return replace(scenario, id=self.scenario.id), tuple(dropped)
            except ScenarioError as error:
                if error.path in kept:
                    del kept[error.path]
                    dropped.append(error.path)
                elif error.path.startswith("lesson") and "lesson" not in changes:
                    changes["lesson"] = []
                    dropped.append("lesson")
                else:
                    raise

    def network_form(self) -> NetworkForm:
        layers = tuple((layer.units, layer.activation) for layer in self.scenario.layers)
        return NetworkForm(self.session.network.n_inputs, layers, self.session.trainer.settings.loss,
                           activations.NAMES, losses.NAMES)

    def network_edit(self, layers: list[tuple[int, str]], loss: str) -> Edit | str:
        """The scenario with these layers (hidden first, the output last) and this loss, and the live
        settings that still fit; or why not, in one line (the loader's own message)."""
        problem = self.edit_problem()
        if problem is not None:
            return problem
        before = self.network_form()
        changes: dict[str, Any] = {"network.layers": [{"units": u, "activation": a} for u, a in layers],
                                   "training.loss": loss}
        kept = {k: v for k, v in self.live_overrides().items() if k != "training.loss"}
        try:
            scenario, dropped = self._build(changes, kept)
        except ScenarioError as error:
            return _problem(error, _network_row(error.path, len(layers)))
        after = replace(before, layers=tuple(layers), loss=loss)
        shapes = before.describe(), after.describe()
        if {a for _, a in before.layers[:-1]} != {a for _, a in after.layers[:-1]} or \
                before.layers[-1] != after.layers[-1]:  # other activations than before: say which
            shapes = before.describe(activations=True), after.describe(activations=True)
        what = f"network {shapes[0]} → {shapes[1]}"
        if loss != before.loss:
            what += f", loss {before.loss} → {loss}"
        return Edit(scenario, what, dropped)

    def data_form(self) -> DataForm:
        """What the data editor offers for this scenario, filled in with its data as they are."""
        data = self.scenario.data
        table = self._data_table()
        named = data.raw_names if data.raw_names is not None else data.input_names
        generated = "generate" in table
        two_numbers = data.kind == "numbers" and len(named) == 2
        menu = feature_menu(named) if generated or two_numbers else ()
        if generated:
            note = "Generated data: apply makes a new data set, and a new run from step 0."
        elif two_numbers:
            note = "A generator replaces this scenario's own data (its file keeps them; 0 does not bring them back)."
        elif data.kind == "text":
            note = "Sentences: only a test split applies (generators and features are for two numeric inputs)."
        else:
            note = (f"{len(named)} inputs: only a test split applies (generators and features are for two "
                    "numeric inputs).")
        seed = table.get("data_seed", self.session.trainer.seed)
        return DataForm(
            generator=table.get("generate"), generators=datasets.NAMES if menu else (),
            samples=table.get("samples", len(data.targets) + (0 if data.test_targets is None else len(data.test_targets))
                              if generated else datasets.SAMPLES),
            noise=table.get("noise", 0.0 if generated else DEFAULT_NOISE),  # 0: the loader's default
            data_seed=seed, test_fraction=table.get("test_fraction", 0.0),
            features=tuple(table.get("features", named if menu else ())), menu=menu, note=note)

    def _data_table(self) -> dict[str, Any]:
        """The scenario file's [data] table, a copy. Reading a big scenario's TOML is slow (digits: 0.5 s and
        more), so it is read once, and first from another thread than the interface's (the data editor's form
        is made in one)."""
        assert self.scenario.text is not None, "edit_problem says so first"
        if self._table is None:
            self._table = tomllib.loads(self.scenario.text).get("data", {})
        return dict(self._table)

    def data_overrides(self, choice: DataChoice) -> dict[str, Any]:
        """The data editor's choices as overrides: the whole [data] table, so that keys can also go (a
        generator replaces inline data; a test fraction of 0 means none)."""
        form = self.data_form()
        table = self._data_table()
        if choice.generator is not None:
            switching = "generate" not in table
            if switching:  # the scenario's own data give way to the generator's
                table = {}
            table["generate"] = choice.generator
            for key, value, shown in (("samples", choice.samples, form.samples), ("noise", choice.noise, form.noise)):
                if switching or key in table or value != shown:  # a default the file leaves to the loader stays so
                    table[key] = value
            if choice.new_seed:
                table["data_seed"] = form.data_seed + 1
        if choice.test_fraction > 0:
            table["test_fraction"] = choice.test_fraction
        else:
            table.pop("test_fraction", None)
        if form.menu:
            plain = tuple(form.menu[:2])  # the named inputs as they are: no features key needed
            if tuple(choice.features) != plain or "features" in table:
                table["features"] = list(choice.features)
        return {"data": table}

    def data_edit(self, choice: DataChoice) -> Edit | str:
        """The scenario with the data chosen, and the live settings that still fit; or why not, in one line."""
        problem = self.edit_problem()
        if problem is not None:
            return problem
        changes = self.data_overrides(choice)
        before = self._data_table()
        if changes["data"] == before:
            return "Nothing changed: change a field, or esc to leave the data as they are."
        try:
            scenario, dropped = self._build(changes, self.live_overrides())
        except ScenarioError as error:
            return _problem(error)
        return Edit(scenario, "data " + _changed(before, changes["data"]), dropped)

    def apply(self, edit: Edit) -> Outcome:
        """A new run from step 0 over the edited scenario, with the live settings that still fit; the run
        it replaces stays on the loss plot as a faded curve until reset."""
        session = self.session
        session.pause()
        frame = session.frame()
        past = PastCurve(frame.loss_steps, frame.loss_values)
        note = f"{edit.what}: a new run from step 0"
        left_out = [DROPPED.get(key, key) for key in edit.dropped]
        if session.ghosts:
            left_out.append(GHOSTS_GONE)
        if left_out:
            note += f" ({'; '.join(left_out)})"
        return Outcome(open=Session(edit.scenario, note=note), past=past, lesson_page=self.lesson_index,
                       notices=(Notice(note, timeout=6),))

    def write_default(self) -> str:
        """The name offered for the written scenario: the scenario's, in ASCII, '-edited.toml', or the first
        of '-edited-2.toml', '-edited-3.toml' … that is free (no file is overwritten)."""
        stem = f"{runfile.slug(self.scenario.id.removesuffix('.toml').rsplit('/', 1)[-1]) or 'scenario'}-edited"
        return next(name for name in (f"{stem}{'' if n == 1 else f'-{n}'}.toml" for n in itertools.count(1))
                    if not Path(name).exists())

    def write_question(self) -> str:
        """The ctrl+w prompt's question, and on a line of its own why the file will not replay this run."""
        question = "Write the scenario as it is now (its edits, the live settings) to:"
        unreplayed = self.unreplayed()
        return question if unreplayed is None else f"{unreplayed}\n{question}"

    def unreplayed(self) -> str | None:
        """Why a written scenario does not replay this run, in one line: the run's settings changed after step
        0, or weights were edited (the file has the live settings from step 0, and no edited weights); None
        when it does."""
        events = [e for e in self.session.trainer.events() if e.step > 0 or e.kind == "param"]
        if not events:
            return None
        labels = self.event_labels(events)
        step, label = labels[0]
        later = f" (and {len(labels) - 1} later change{'s' if len(labels) > 2 else ''})" if len(labels) > 1 else ""
        weights = " and the scenario's own weights" if any(e.kind == "param" for e in events) else ""
        return (f"{label} at step {step}{later}: the file starts with the settings as they are now{weights}, "
                "so it does not replay this run")

    @staticmethod
    def write_problem(name: str) -> str | None:
        """Why the scenario cannot be written as ``name`` (None: it can, or a blank answer writes nothing)."""
        name = name.strip()
        if not name:
            return None
        if not name.endswith(".toml"):
            return f"A scenario file's name ends in .toml: {name!r}"
        if Path(name).exists():
            return f"{name} exists already: nothing is overwritten, choose another name."
        return None

    def write(self, name: str | None) -> Outcome:
        """The scenario as it is now (its edits, the live settings, the seed) written to ``name`` off the
        interface thread, by ``later``; it loads back to this run from step 0."""
        if name is None or not name.strip():
            return Outcome()
        problem = self.edit_problem() or self.write_problem(name)
        if problem is not None:
            return Outcome(notices=(Notice(problem, "error"),))
        path = Path(name.strip())
        live = self.live_overrides()
        unreplayed = self.unreplayed()

        def written() -> Outcome:
            changes = {}
            csv = self._data_table().get("csv")
            if isinstance(csv, str):  # a CSV file is named relative to the scenario: to the written one now
                changes["data.csv"] = os.path.relpath(self.scenario.folder.joinpath(csv).resolve(),
                                                      path.resolve().parent)
            try:
                scenario, _ = self._build(changes, live, source=str(path))
                assert scenario.text is not None
                with path.open("x", encoding="utf-8") as file:  # "x": never over a file made meanwhile
                    file.write(scenario.text)
            except (OSError, ScenarioError) as error:
                return Outcome(notices=(Notice(f"Could not write {path}: {error}", "error"),))
            wrote = f"Wrote {path.resolve()}: nnplay {path} opens it"
            if unreplayed is not None:
                return Outcome(notices=(Notice(f"{wrote}; {unreplayed}.", "warning", timeout=10),))
            return Outcome(notices=(Notice(wrote, timeout=6),))

        return Outcome(later=written)


# -- settings typed in a prompt ------------------------------------------------------------------------

SCHEDULE_FORMS = "; ".join(  # what the schedule prompt takes: 'constant; step every=… factor=…; …'
    " ".join([kind, *(f"{key}=…" for key in (*record.required, *record.optional))])
    for kind, record in schedules.KINDS.items())


def _number(text: str) -> int | float:
    """A number as typed (500, 0.9, 1e-6); ValueError when it is not one. (Not read as TOML: a value is one
    number, and nothing else typed can reach the parser.)"""
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    raise ValueError(f"not a number: {text!r}")


def parse_schedule(text: str) -> schedules.Schedule:
    """A schedule as the prompt takes it: its kind, then KEY=VALUE ('step every=500 factor=0.5', 'constant');
    the types only (the rules: engine.schedules.problems). ValueError in one line."""
    kind, *given = text.split()
    table: dict[str, object] = {"kind": kind}
    for word in given:
        key, equals, raw = word.partition("=")
        if not equals or not key:
            raise ValueError(f"expected KEY=VALUE after the kind, got {word!r} (e.g. step every=500 factor=0.5)")
        try:
            table[key] = _number(raw)
        except ValueError as error:
            raise ValueError(f"schedule.{key}: {error}") from None
    return schedules.Schedule.of(table)


# -- what the editors are given and give back -------------------------------------------------------

GHOSTS_GONE = "the ghosts were cleared: they raced the run before"
DEFAULT_NOISE = 0.1  # offered when a generator replaces a scenario's own data (the loader's default is 0)
DROPPED = {"training.batch_size": "the batch size went back to the scenario's: the data are fewer",
           "training.loss": "the loss went back to the scenario's: the live one does not fit",
           "lesson": "the lesson was left out: it names what the edit changed"}


def feature_menu(names: tuple[str, ...]) -> tuple[str, ...]:
    """The features of two named inputs a and b: a, b, a^2, b^2, a*b, sin(a), sin(b)."""
    a, b = names
    return (a, b, f"{a}^2", f"{b}^2", f"{a}*{b}", f"sin({a})", f"sin({b})")


@dataclass(frozen=True, eq=False)
class NetworkForm:
    n_inputs: int
    layers: tuple[tuple[int, str], ...]  # (units, activation): hidden first, the output last
    loss: str
    activations: tuple[str, ...]         # offered for every layer (the loader refuses what does not fit)
    losses: tuple[str, ...]

    def describe(self, activations: bool = False) -> str:
        """'2-4-1': the inputs and each layer's units; with ``activations``, '2-4-1 (tanh, sigmoid)'."""
        sizes = "-".join(str(n) for n in (self.n_inputs, *(u for u, _ in self.layers)))
        return f"{sizes} ({', '.join(a for _, a in self.layers)})" if activations else sizes


@dataclass(frozen=True, eq=False)
class DataForm:
    generator: str | None        # None: the scenario's own data
    generators: tuple[str, ...]  # offered (none for data that are not one or two named numbers)
    samples: int
    noise: float
    data_seed: int
    test_fraction: float         # 0: no test set
    features: tuple[str, ...]    # chosen
    menu: tuple[str, ...]        # offered (none but for two named numeric inputs)
    note: str                    # one line: what applies to these data, and why


@dataclass(frozen=True, eq=False)
class DataChoice:
    generator: str | None = None
    samples: int = datasets.SAMPLES
    noise: float = DEFAULT_NOISE
    test_fraction: float = 0.0
    features: tuple[str, ...] = ()
    new_seed: bool = False


@dataclass(frozen=True, eq=False)
class Edit:
    """An edited scenario, checked, and what changed, for the status line."""

    scenario: Scenario
    what: str
    dropped: tuple[str, ...] = field(default=())  # live settings (override keys) or "lesson" left out


def _problem(error: ScenarioError, path: str | None = None) -> str:
    """A loader's message as the editor shows it: the key (or ``path``, its name in the form) and the
    problem, without the file."""
    path = error.path if path is None else path
    return f"{path}: {error.problem}" if path else error.problem


def _network_row(path: str, n_layers: int) -> str:
    """A loader's key as the network editor names it: 'network.layers[0].activation' is 'hidden 1: activation',
    the last layer is 'output', 'training.loss' is 'loss'; other keys as they are."""
    if path == "training.loss":
        return "loss"
    match = re.fullmatch(r"network\.layers\[(\d+)\](?:\.(\w+))?", path)
    if match is None:
        return path
    index = int(match[1])
    row = "output" if index == n_layers - 1 else f"hidden {index + 1}"
    return f"{row}: {match[2]}" if match[2] else row


def _changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    """'noise 0.1 → 0.3, test_fraction 0.25': what changed between two [data] tables, short."""
    def shown(value: Any) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(map(str, value)) + "]" if len(value) <= 8 else f"{len(value)} items"
        return str(value)

    if "generate" in after and "generate" not in before:
        return f"{after['generate']} ({after['samples']} samples, noise {after['noise']})"
    parts = []
    for key in dict.fromkeys([*before, *after]):
        if before.get(key) != after.get(key):
            old, new = before.get(key), after.get(key)
            parts.append(f"{key} {shown(old)} → {shown(new)}" if old is not None and new is not None
                         else f"{key} {shown(new)}" if new is not None else f"no {key}")
    return ", ".join(parts)


def _walking(phase: PhaseView | None) -> bool:
    """A walk before its update: the next update is not known yet."""
    return phase is not None and phase.phase.kind != "update"


def walk_pass(phase: PhaseView, snap: Snapshot) -> explain.BatchPass:
    """A walk's pass over its batch as far as it has gone (NaN for the rest): the numbers the chain rule reads
    during a walk, the same as every other pane's (``phase_snapshot``)."""
    it = phase.iteration
    n = len(it.u)

    def known(values: np.ndarray, done: bool) -> np.ndarray:
        return values if done else np.full_like(values, np.nan)

    return explain.BatchPass(tuple(known(it.u[k], phase.done("forward", k)) for k in range(n)),
                             (snap.inputs[it.batch], *(known(it.z[k], phase.done("forward", k)) for k in range(n))),
                             tuple(known(it.delta[k], phase.done("backward", k)) for k in range(n)),
                             known(it.dE_dz[-1], phase.done("backward", n - 1)))


def phase_snapshot(snap: Snapshot, phase: PhaseView, network) -> Snapshot:
    """``snap`` (the state before the iteration) as far as the iteration has computed it: each layer's u and z
    once its forward phase is done, its deltas once its backward phase is, the gradients once theirs is, and
    only on the batch's rows; NaN for the rest (the panes write it as not yet known). The next update is not
    known before the update phase."""
    it = phase.iteration
    n = len(snap.inputs)

    def rows(values: np.ndarray, known: bool) -> np.ndarray:
        a = np.full((n, values.shape[1]), np.nan)
        if known:
            a[it.batch] = values
        a.flags.writeable = False
        return a

    nothing = np.full_like(snap.grad, np.nan)
    grad = it.grad if phase.done("gradients") else nothing
    gWs, gbs = network.unflatten(grad)
    layers = tuple(replace(layer, u=rows(it.u[k], phase.done("forward", k)), z=rows(it.z[k], phase.done("forward", k)),
                           delta=rows(it.delta[k], phase.done("backward", k)), dW=gWs[k], db=gbs[k])
                   for k, layer in enumerate(snap.layers))
    return replace(snap, layers=layers, grad=grad, next_grad=grad, next_update=nothing)
