"""The playground screen: the panes, the keys, and the thread that trains while running.

Data flows one way: the ``Session`` (engine) makes a ``Frame``; this screen
wraps it in a ``ViewState`` with the learner's choices (sample, selected
weight, modes) and hands it down to every visible pane. Panes draw; they
never compute training maths. While running, a worker thread trains in short
chunks under the session's lock and posts a ``FrameReady`` message at most
``FPS`` times a second; a newer one replaces one still queued.
"""

from __future__ import annotations

import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, ScrollableContainer
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Tab, Tabs
from textual.worker import get_current_worker

from .. import figures, runfile
from ..scenario import EXPLAIN_VIEWS, LessonPage
from ..session import Frame, Session
from .activations import ActivationsPane
from .chain_rule import ChainRuleView
from .cost_calculator import CostCalculator
from .landscape import LandscapeMap
from .lesson import LessonPane
from .nudge import NudgeView
from .prompt import Prompt
from .sweep import SweepPlot
from .unit_maps import UnitMaps
from .curve import CurveView
from .decision_map import DecisionMap
from .diagram import NetworkDiagram
from .gradients import GradientsPane
from .inspector import Inspector
from .lossplot import LossPlot
from .sentences import SentencesView
from .state import GRADIENT_MODES, ViewState
from .status import StatusLine
from .table_view import TableView

FPS = 15            # frames posted per second while running
HEAVY_EVERY = 0.25  # the plots and tables redraw at most this often while running
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 34

VIEW_TITLES = {"curve": "Curve", "decision-map": "Decision map", "sentences": "Sentences", "table": "Predictions"}
PANES = ("diagram", "view", "activations", "gradients", "loss", "explain", "lesson")
PANE_TITLES = ("Network", None, "Activations", "Gradients", "Loss", "Explain", "Lesson")
EXPLAIN_TITLES = {"inspector": "the selected weight", "chain-rule": "the chain rule", "nudge": "nudge check",
                  "sweep": "loss along the weight", "landscape": "loss over two weights"}


class Pane(Container):
    """A bordered pane that the number keys can maximise."""

    ALLOW_MAXIMIZE = True


class ScrollPane(ScrollableContainer):
    ALLOW_MAXIMIZE = True


class Explained(Message):
    """The numbers of a slow explain view (the sweep, the landscape), made off the interface thread."""

    def __init__(self, key: tuple, numbers) -> None:
        super().__init__()
        self.key, self.numbers = key, numbers


class FrameReady(Message):
    """A new frame from the training thread; replaces a queued one."""

    def __init__(self, frame: Frame) -> None:
        super().__init__()
        self.frame = frame

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FrameReady)


class PlaygroundScreen(Screen):
    BINDINGS = [
        Binding("space", "step(1)", "Step"),
        Binding("r", "toggle_run", "Run/Pause"),
        Binding("b", "back(1)", "Back"),
        Binding("full_stop", "step(10)", "10 steps", key_display="."),
        Binding("greater_than_sign", "step(100)", "100 steps", key_display=">"),
        Binding("0", "reset", "Reset"),
        Binding("B", "back(10)", "Back 10 steps", show=False),
        Binding("plus,equals_sign", "speed(1)", "Run faster", show=False, key_display="+"),
        Binding("minus", "speed(-1)", "Run slower", show=False, key_display="-"),
        Binding("right_square_bracket", "learning_rate(1)", "Learning rate up", show=False, key_display="]"),
        Binding("left_square_bracket", "learning_rate(-1)", "Learning rate down", show=False, key_display="["),
        Binding("n", "sample(1)", "Next sample", show=False),
        Binding("p", "sample(-1)", "Previous sample", show=False),
        Binding("w", "weight(1)", "Next weight", show=False),
        Binding("W", "weight(-1)", "Previous weight", show=False),
        Binding("g", "mode", "Gradients / weights / updates", show=False),
        Binding("l", "log_scale", "Loss plot: log / linear", show=False),
        Binding("m", "momentum(1)", "Momentum up", show=False),
        Binding("M", "momentum(-1)", "Momentum down", show=False),
        Binding("k", "batch_size", "Batch size: full, 1, 2, 4, …", show=False),
        Binding("c", "loss", "Loss: the next one that fits the output", show=False),
        Binding("v", "explain", "Explain: inspector / chain rule / nudge / sweep / landscape", show=False),
        Binding("x", "pin", "Pin the weight as the landscape's second axis", show=False),
        Binding("e", "edit_weight", "Edit the selected weight", show=False),
        Binding("u", "unit_maps", "Per-unit maps / decision map", show=False),
        Binding("C", "costs", "Cost calculator", show=False),
        Binding("right_curly_bracket", "lesson(1)", "Lesson: next page", show=False, key_display="}"),
        Binding("left_curly_bracket", "lesson(-1)", "Lesson: previous page", show=False, key_display="{"),
        Binding("s", "save", "Save the run (JSON and CSV)", show=False),
        Binding("O", "load", "Load a saved run", show=False),
        Binding("1", "pane(0)", "Show the network", show=False),
        Binding("2", "pane(1)", "Show the scenario view", show=False),
        Binding("3", "pane(2)", "Show the activations", show=False),
        Binding("4", "pane(3)", "Show the gradients", show=False),
        Binding("5", "pane(4)", "Show the loss plot", show=False),
        Binding("6", "pane(5)", "Show the explain pane", show=False),
        Binding("7", "pane(6)", "Show the lesson", show=False),
        Binding("t", "type_sentence", "Type a sentence (sentences view)", show=False),
        Binding("escape", "leave_input", "Leave the text box", show=False),
        Binding("o", "app.open", "Open"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        scenario = session.scenario
        self.names = tuple(figures.unit_names(scenario.data.input_names, [l.units for l in scenario.layers], scenario.data.output_names))
        self.order = figures.param_order(session.network)
        self.sample = 0
        self.selected: int | None = self.order[0]
        self.mode = GRADIENT_MODES[0]
        self.log_scale = True
        self.sentence_text = ""
        self.explain_mode = "inspector"
        self.pinned: int | None = None
        self.show_unit_maps = False
        self.lesson_index = 0
        self.shown_pane = 0
        self.frame: Frame | None = None
        self._hidden_frame: Frame | None = None  # a frame that came while another screen was on top
        self._last_heavy = 0.0
        # slow explain views: keys are (view, revision), the view being its mode and weights
        self._explained: tuple | None = None  # (key, numbers): the latest made
        self._making: tuple | None = None     # the key being made

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Notifications are plain text: they quote names, paths and typed text, which are never markup."""
        super().notify(message, markup=markup, **options)

    # -- layout ----------------------------------------------------------------------

    @property
    def has_lesson(self) -> bool:
        return bool(self.session.scenario.lessons)

    @property
    def panes(self) -> tuple[str, ...]:
        """The panes this scenario has (the lesson only when it carries one)."""
        return PANES if self.has_lesson else PANES[:-1]

    def compose(self) -> ComposeResult:
        scenario = self.session.scenario
        view_title = VIEW_TITLES[scenario.view]
        titles = [t or view_title for t in PANE_TITLES]
        panes = PANES if self.has_lesson else PANES[:-1]
        yield Tabs(*(Tab(f"{i + 1} {titles[i]}", id=f"tab-{pane}") for i, pane in enumerate(panes)), id="tabs")
        with Container(id="panes", classes="with-lesson" if self.has_lesson else ""):
            with Pane(id="pane-diagram", classes="pane -shown") as pane:
                pane.border_title = "1 Network"
                yield NetworkDiagram(scenario.data.input_names, scenario.data.output_names, self.session.network, id="diagram")
            view_container = ScrollPane if scenario.view == "table" else Pane
            with view_container(id="pane-view", classes="pane") as pane:
                pane.border_title = f"2 {view_title}"
                if scenario.view == "curve":
                    yield CurveView(id="view")
                elif scenario.view == "decision-map":
                    with ContentSwitcher(initial="view", id="view-switcher"):
                        yield DecisionMap(id="view")
                        yield UnitMaps(id="unit-maps")
                elif scenario.view == "sentences":
                    yield SentencesView(scenario.data.sentences, id="view")
                else:
                    yield TableView(id="view")
            with ScrollPane(id="pane-activations", classes="pane") as pane:
                pane.border_title = "3 Activations"
                yield ActivationsPane(id="activations")
            with ScrollPane(id="pane-gradients", classes="pane") as pane:
                pane.border_title = "4 Gradients"
                yield GradientsPane(id="gradients")
            with Pane(id="pane-loss", classes="pane") as pane:
                pane.border_title = "5 Loss"
                yield LossPlot(id="loss")
            with ScrollPane(id="pane-explain", classes="pane") as pane:
                pane.border_title = "6 Explain: the selected weight (v: more)"
                with ContentSwitcher(initial="explain-inspector", id="explain"):
                    yield Inspector(id="explain-inspector")
                    yield ChainRuleView(id="explain-chain-rule")
                    yield NudgeView(id="explain-nudge")
                    yield SweepPlot(id="explain-sweep")
                    yield LandscapeMap(id="explain-landscape")
            if self.has_lesson:
                with ScrollPane(id="pane-lesson", classes="pane") as pane:
                    pane.border_title = "7 Lesson"
                    yield LessonPane(id="lesson")
        yield StatusLine(scenario.name, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_size()
        self.show_frame(self.session.frame(), force=True)
        self.query_one(NetworkDiagram).focus()

    def on_resize(self) -> None:
        self._apply_size()

    def _apply_size(self) -> None:
        compact = self.size.width < COMPACT_WIDTH or self.size.height < COMPACT_HEIGHT
        self.set_class(compact, "compact")
        if self.frame is not None:
            self.show_frame(self.frame, force=True)

    @property
    def compact(self) -> bool:
        return self.has_class("compact")

    # -- drawing ----------------------------------------------------------------------

    def view_state(self, frame: Frame, panes: frozenset[str] | None = None) -> ViewState:
        """The frame and the learner's choices; the views' extra numbers only for ``panes`` (all by default)."""
        wanted = (lambda pane: True) if panes is None else (lambda pane: pane in panes)
        report = None
        scenario = self.session.scenario
        snap = frame.snapshot
        network = self.session.network
        if scenario.data.kind == "text" and self.sentence_text.strip() and wanted("view"):
            report = figures.sentence_report(network, snap.params, scenario.data.vocabulary, self.sentence_text)
        selected_at = network.locate(self.selected) if self.selected is not None else None
        label = figures.param_label(network, self.names, self.selected) if self.selected is not None else ""
        n = snap.inputs.shape[0]
        sample = min(self.sample, n - 1)
        data = landscape = None
        labels = ("", "")
        index = self.selected
        if index is not None and wanted("explain"):
            if self.explain_mode == "chain-rule":
                data = figures.chain_rule(snap, network, index, sample)
            elif self.explain_mode == "nudge":
                data = figures.nudge(snap, network, index)
            elif self.explain_mode == "sweep":
                data = self._slow(("sweep", index), frame,
                                  lambda stop: figures.loss_along(snap, network, index, stop=stop))
            elif self.explain_mode == "landscape":
                landscape = self._landscape(frame)
                labels = (label, figures.param_label(network, self.names, self._second_axis()))
        # the view being made (its key: ((mode, weights), revision)) is of this mode
        computing = wanted("explain") and self._making is not None and self._making[0][0] == self.explain_mode
        maps = None
        if self.show_unit_maps and wanted("view"):
            maps = figures.unit_maps(network, snap.params, snap.inputs)
        lesson = None
        if self.has_lesson:
            lesson = (scenario.lessons[self.lesson_index], self.lesson_index, len(scenario.lessons))
        return ViewState(frame=frame, sample=sample, selected=self.selected, selected_at=selected_at, selected_label=label,
                         mode=self.mode, log_scale=self.log_scale, names=self.names, sentence=report,
                         explain_mode=self.explain_mode, explain=data, landscape=landscape, computing=computing,
                         landscape_labels=labels, unit_maps=maps, lesson=lesson)

    def _second_axis(self) -> int:
        """The landscape's second weight: the pinned one, or the next one after the selection."""
        if self.pinned is not None and self.pinned != self.selected:
            return self.pinned
        i = self.order.index(self.selected)
        return self.order[(i + 1) % len(self.order)]

    def _landscape(self, frame: Frame):
        """The loss surface and the optimiser's path: while running, the one the training thread
        made (at most a second old); when paused, made off the interface thread for exactly this state."""
        pair = (self.selected, self._second_axis())
        self.session.landscape_pair = pair
        if frame.running and frame.landscape is not None and frame.landscape[0] == pair:
            return frame.landscape[1]
        return self._slow(("landscape", pair), frame, lambda stop: self.session.landscape(*pair, stop=stop))

    def _slow(self, view: tuple, frame: Frame, make):
        """The numbers of a slow explain view (``view``: its mode and weights) for ``frame``'s state:
        the latest made for this view, or None before the first. Newer ones are made by
        ``make(stop)`` off the interface thread, one at a time; another view replaces them."""
        key = (view, frame.revision)
        made = self._explained if self._explained is not None and self._explained[0][0] == view else None
        if (made is None or made[0] != key) and (self._making is None or self._making[0] != view):
            self._making = key
            self.make_slow(key, make)
        return None if made is None else made[1]

    @work(thread=True, exclusive=True, group="explain")
    def make_slow(self, key: tuple, make) -> None:
        worker = get_current_worker()
        try:
            numbers = make(lambda: worker.is_cancelled)
        except figures.Stopped:
            return
        self.post_message(Explained(key, numbers))

    def on_explained(self, message: Explained) -> None:
        if message.key != self._making:
            return  # replaced by another view meanwhile
        self._making = None
        self._explained = (message.key, message.numbers)
        self.restyle("explain")  # and if the state moved on meanwhile, that asks for the next

    def show_frame(self, frame: Frame, force: bool = False, only: frozenset[str] | None = None) -> None:
        """Hand the frame down to the panes that can be seen (``only`` those, if given)."""
        self.session.drawing = True
        try:
            self._show_frame(frame, force, only)
        finally:
            self.session.drawing = False

    def _show_frame(self, frame: Frame, force: bool, only: frozenset[str] | None) -> None:
        self.frame = frame
        now = time.perf_counter()
        heavy = force or not frame.running or now - self._last_heavy >= HEAVY_EVERY
        if heavy:
            self._last_heavy = now
        # every frame: the status, the diagram and a light explain view; the rest at most every HEAVY_EVERY
        light = {"diagram"} | ({"explain"} if self.explain_mode in ("inspector", "chain-rule") else set())
        panes = frozenset(
            pane for i, pane in enumerate(self.panes)
            if (heavy or pane in light) and (only is None or pane in only)
            and not (self.compact and i != self.shown_pane))
        state = self.view_state(frame, panes)
        self.query_one(StatusLine).show(state)
        for pane in panes:
            if pane == "view" and self.show_unit_maps:
                self.query_one("#unit-maps", UnitMaps).show(state)
            elif pane == "explain":
                self.query_one(f"#explain-{self.explain_mode}").show(state)
            else:
                self.query_one(f"#{pane}").show(state)

    def redraw(self) -> None:
        """The training state changed: a new frame for every pane."""
        self.show_frame(self.session.frame(), force=True)

    def restyle(self, *panes: str) -> None:
        """Only the learner's choices changed (sample, weight, modes): the same frame, drawn again."""
        if self.frame is not None:
            self.show_frame(self.frame, force=True, only=frozenset(panes) if panes else None)

    def on_frame_ready(self, message: FrameReady) -> None:
        if not self.is_attached:
            return
        was_diverged = self.frame is not None and self.frame.snapshot.diverged
        if self.is_active:
            self.show_frame(message.frame)
        else:  # under the help or a prompt: dimming the whole screen anew for each frame makes keys slow
            self._hidden_frame = message.frame
        if message.frame.snapshot.diverged and not was_diverged:
            self.notify(message.frame.message, title="Diverged", severity="warning", timeout=8)

    def on_screen_resume(self) -> None:
        """Back on top: the latest frame that came meanwhile."""
        if self._hidden_frame is not None:
            frame, self._hidden_frame = self._hidden_frame, None
            self.show_frame(frame, force=True)

    # -- training -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training")
    def train(self) -> None:
        worker = get_current_worker()
        session = self.session
        speed = session.pace
        started, taken, last_post = time.perf_counter(), 0, 0.0
        while session.running and not worker.is_cancelled:
            if session.pace != speed:  # pace the new speed from now on
                speed, started, taken = session.pace, time.perf_counter(), 0
            taken += session.run_for(0.02, started, taken)
            now = time.perf_counter()
            if now - last_post >= 1 / FPS:
                session.refresh_landscape()  # the slow part of a view, here rather than in the interface
                self.post_message(FrameReady(session.frame()))
                last_post = now
            if speed is not None:
                time.sleep(min(0.02, 1 / speed))
        if not worker.is_cancelled:
            self.post_message(FrameReady(session.frame()))

    def pause(self) -> None:
        self.session.running = False
        self.session.stop_at = None

    # -- actions -----------------------------------------------------------------------------

    def action_toggle_run(self) -> None:
        session = self.session
        if session.running:
            session.running = False
            self.redraw()
            return
        if session.trainer.diverged:
            self.notify(f"The run diverged. {session.divergence_advice()}", severity="warning")
            return
        session.running = True
        self.redraw()
        self.train()

    def action_step(self, n: int) -> None:
        session = self.session
        running_to = session.stop_at if session.running else None
        self.pause()
        self.run_to((session.trainer.step_count if running_to is None else running_to) + n)
        self.redraw()
        if self.session.trainer.diverged:
            self.notify(self.session.message, title="Diverged", severity="warning", timeout=8)

    def action_back(self, n: int) -> None:
        self.pause()
        self.session.back(n)
        self.redraw()

    def action_reset(self) -> None:
        self.pause()
        self.session.reset()
        self.redraw()
        self.notify("Back to step 0 with the scenario's own settings.", timeout=3)

    def action_speed(self, delta: int) -> None:
        speed = self.session.change_speed(delta)
        self.notify(f"Run speed: {'flat out' if speed is None else f'{speed} steps per second'}", timeout=2)
        self.redraw()

    def action_learning_rate(self, direction: int) -> None:
        lr = self.session.change_learning_rate(direction)
        self.notify(f"Learning rate η = {lr:g}", timeout=2)
        self.redraw()

    def action_sample(self, delta: int) -> None:
        n = self.session.trainer.n_samples
        self.sample = (self.sample + delta) % n
        self.restyle("diagram", "view", "activations", "gradients", "explain")

    def action_weight(self, delta: int) -> None:
        position = self.order.index(self.selected) if self.selected in self.order else -1
        self.selected = self.order[(position + delta) % len(self.order)]
        self.restyle("diagram", "gradients", "explain")

    def action_mode(self) -> None:
        self.mode = GRADIENT_MODES[(GRADIENT_MODES.index(self.mode) + 1) % len(GRADIENT_MODES)]
        self.restyle("gradients")

    def action_log_scale(self) -> None:
        self.log_scale = not self.log_scale
        self.restyle("loss")

    def action_momentum(self, direction: int) -> None:
        mu = self.session.change_momentum(direction)
        self.notify(f"Momentum α = {mu:g}" + (" (plain gradient descent)" if mu == 0 else ""), timeout=2)
        self.redraw()

    def action_batch_size(self) -> None:
        size = self.session.next_batch_size()
        self.notify(f"Batch size: {'the whole data set (full batch)' if size == 0 else size}", timeout=2)
        self.redraw()

    def action_loss(self) -> None:
        loss = self.session.next_loss()
        self.notify(f"Loss: {loss}", timeout=2)
        self.redraw()

    def set_explain(self, mode: str) -> None:
        self.explain_mode = mode
        if mode != "landscape":
            self.session.landscape_pair = None
        self.query_one("#explain", ContentSwitcher).current = f"explain-{mode}"
        self.query_one("#pane-explain").border_title = f"6 Explain: {EXPLAIN_TITLES[mode]} (v: more)"
        self.set_class(mode != "inspector", "explaining")
        if self.frame is not None:
            self.show_frame(self.frame, force=True)

    def action_explain(self) -> None:
        self.set_explain(EXPLAIN_VIEWS[(EXPLAIN_VIEWS.index(self.explain_mode) + 1) % len(EXPLAIN_VIEWS)])

    def action_pin(self) -> None:
        self.pinned = self.selected
        label = figures.param_label(self.session.network, self.names, self.selected)
        self.notify(f"Pinned {label}: the landscape's second axis. Select another weight with w.", timeout=3)
        self.restyle("explain")

    def action_edit_weight(self) -> None:
        if self.selected is None:
            return
        self.pause()
        label = figures.param_label(self.session.network, self.names, self.selected)
        value = float(self.session.trainer.params[self.selected])
        self.app.push_screen(Prompt(f"New value for {label} (now {value!r}):", repr(value)), self._edited)

    def _edited(self, text: str | None) -> None:
        if text is None or not text.strip():
            return
        try:
            value = float(text)
            self.session.set_param(self.selected, value)
        except ValueError:
            self.notify(f"Not a finite number: {text!r}", severity="error")
            return
        self.redraw()
        if self.session.trainer.diverged:
            self.notify(self.session.message, title="Diverged", severity="warning", timeout=8)

    def action_unit_maps(self) -> None:
        if self.session.scenario.view != "decision-map" or len(self.session.network.layers) < 2:
            self.notify("Per-unit maps need two inputs and a hidden layer.", timeout=3)
            return
        self.set_unit_maps(not self.show_unit_maps)

    def set_unit_maps(self, on: bool) -> None:
        self.show_unit_maps = on
        self.query_one("#view-switcher", ContentSwitcher).current = "unit-maps" if on else "view"
        self.query_one("#pane-view").border_title = "2 Hidden units over the input plane (u: map)" if on else "2 Decision map"
        if self.frame is not None:
            self.show_frame(self.frame, force=True)

    def action_costs(self) -> None:
        self.app.push_screen(CostCalculator())

    def action_save(self) -> None:
        self.pause()
        scenario = self.session.scenario
        base = runfile.default_name(scenario.name, self.session.trainer.step_count)
        try:
            with self.session.lock:
                json_path, csv_path = runfile.save(base, scenario, self.session.trainer)
        except (OSError, ValueError) as error:
            self.notify(f"Could not save: {error}", severity="error")
            return
        self.notify(f"Saved {json_path} and {csv_path}", timeout=5)

    def action_load(self) -> None:
        self.pause()
        self.app.push_screen(Prompt("Load a saved run (a .json file saved with s):", placeholder="nnplay-xor-step500.json"),
                             self._load)

    def _load(self, path: str | None) -> None:
        if not path or not path.strip():
            return
        try:
            loaded = runfile.load(path.strip())
        except runfile.RunFileError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        session = Session(loaded.scenario, trainer=loaded.trainer)
        session.message = loaded.note  # shown on the status line from the first frame
        self.app.open_session(session)

    # -- lessons ---------------------------------------------------------------------------------

    def action_lesson(self, delta: int) -> None:
        if not self.has_lesson:
            self.notify("This scenario has no lesson.", timeout=2)
            return
        count = len(self.session.scenario.lessons)
        index = max(0, min(count - 1, self.lesson_index + delta))
        if index == self.lesson_index:
            return
        self.lesson_index = index
        self.apply_lesson_page(self.session.scenario.lessons[index])

    def apply_lesson_page(self, page: LessonPage) -> None:
        action = page.action
        if action is not None:
            self.pause()
            session = self.session
            if action.reset:
                session.reset()
            if action.settings:
                session.change_settings(**dict(action.settings))
            if action.sample is not None:
                self.sample = action.sample
            if action.weight is not None:
                self.selected = action.weight
            if action.view == "unit-maps":
                if self.session.scenario.view == "decision-map":
                    self.set_unit_maps(True)
            elif action.view is not None:
                if self.show_unit_maps:
                    self.set_unit_maps(False)
                self.set_explain(action.view)
            if action.run_to is not None:
                self.run_to(action.run_to)
        if self.compact:
            self.query_one(Tabs).active = "tab-lesson"
        self.redraw()

    def run_to(self, target: int) -> None:
        """Train (or step back) to step ``target``: at once when that is quick, else flat out in the
        background (many steps, or a few on a big data set), the interface answering meanwhile."""
        session = self.session
        step = session.trainer.step_count
        if target < step:
            session.back(step - target)
        elif session.quick(target - step):
            session.step(target - step)
        else:
            session.stop_at = target
            session.running = True
            self.train()

    def action_pane(self, index: int) -> None:
        if index >= len(self.panes):
            return
        name = self.panes[index]
        pane = self.query_one(f"#pane-{name}")
        if self.compact:
            self.query_one(Tabs).active = f"tab-{name}"
            if name == "view" and self.session.scenario.view == "sentences":
                self.call_after_refresh(self.action_type_sentence)
        elif self.maximized is pane:
            self.minimize()
        else:
            self.maximize(pane, container=False)

    def action_type_sentence(self) -> None:
        if self.session.scenario.view != "sentences":
            self.notify("This scenario has no sentences to type: t works in the sentences view.", timeout=3)
            return
        if self.compact:
            self.query_one(Tabs).active = "tab-view"
        self.query_one("#view").query_one("Input").focus()

    def action_leave_input(self) -> None:
        if self.maximized is not None:
            self.minimize()
        self.query_one(NetworkDiagram).focus()

    # -- messages up from the panes -----------------------------------------------------------

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or event.tab.id is None:
            return
        self.shown_pane = PANES.index(event.tab.id.removeprefix("tab-"))
        for i, pane in enumerate(self.panes):
            self.query_one(f"#pane-{pane}").set_class(i == self.shown_pane, "-shown")
        if self.frame is not None:
            self.show_frame(self.frame, force=True)

    def on_decision_map_resized(self, message: DecisionMap.Resized) -> None:
        shape = (message.cols, message.rows)
        if shape != self.session.grid_shape:
            self.session.grid_shape = shape
            self.redraw()

    def on_network_diagram_selected(self, message: NetworkDiagram.Selected) -> None:
        self.selected = message.param
        self.restyle("diagram", "gradients", "explain")

    def on_sentences_view_changed(self, message: SentencesView.Changed) -> None:
        self.sentence_text = message.text
        if self.frame is not None:
            self.show_frame(self.frame, force=True)
