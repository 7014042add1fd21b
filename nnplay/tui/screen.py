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
from textual.widgets import Footer, Tab, Tabs
from textual.worker import get_current_worker

from .. import views
from ..session import Frame, Session
from .activations import ActivationsPane
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
PANES = ("diagram", "view", "activations", "gradients", "loss", "inspector")


class Pane(Container):
    """A bordered pane that the number keys can maximise."""

    ALLOW_MAXIMIZE = True


class ScrollPane(ScrollableContainer):
    ALLOW_MAXIMIZE = True


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
        Binding("1", "pane(0)", "Show the network", show=False),
        Binding("2", "pane(1)", "Show the scenario view", show=False),
        Binding("3", "pane(2)", "Show the activations", show=False),
        Binding("4", "pane(3)", "Show the gradients", show=False),
        Binding("5", "pane(4)", "Show the loss plot", show=False),
        Binding("6", "pane(5)", "Show the inspector", show=False),
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
        self.names = tuple(views.unit_names(scenario.input_names, [l.units for l in scenario.layers], scenario.output_names))
        self.order = views.param_order(session.network)
        self.sample = 0
        self.selected: int | None = self.order[0]
        self.mode = GRADIENT_MODES[0]
        self.log_scale = True
        self.sentence_text = ""
        self.shown_pane = 0
        self.frame: Frame | None = None
        self._last_heavy = 0.0

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        scenario = self.session.scenario
        view_title = VIEW_TITLES[scenario.view]
        yield Tabs(*(Tab(f"{i + 1} {title}", id=f"tab-{pane}") for i, (pane, title) in
                     enumerate(zip(PANES, ("Network", view_title, "Activations", "Gradients", "Loss", "Inspector")))),
                   id="tabs")
        with Container(id="panes"):
            with Pane(id="pane-diagram", classes="pane -shown") as pane:
                pane.border_title = "1 Network"
                yield NetworkDiagram(scenario.input_names, scenario.output_names, self.session.network, id="diagram")
            view_container = ScrollPane if scenario.view == "table" else Pane
            with view_container(id="pane-view", classes="pane") as pane:
                pane.border_title = f"2 {view_title}"
                if scenario.view == "curve":
                    yield CurveView(id="view")
                elif scenario.view == "decision-map":
                    yield DecisionMap(id="view")
                elif scenario.view == "sentences":
                    yield SentencesView(scenario.sentences, id="view")
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
            with Pane(id="pane-inspector", classes="pane") as pane:
                pane.border_title = "6 Inspector"
                yield Inspector(id="inspector")
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

    def view_state(self, frame: Frame) -> ViewState:
        report = None
        scenario = self.session.scenario
        if scenario.sentences is not None and self.sentence_text.strip():
            report = views.sentence_report(self.session.network, frame.snapshot.params, scenario.vocabulary, self.sentence_text)
        selected_at = self.session.network.locate(self.selected) if self.selected is not None else None
        n = frame.snapshot.inputs.shape[0]
        return ViewState(frame=frame, sample=min(self.sample, n - 1), selected=self.selected, selected_at=selected_at,
                         mode=self.mode, log_scale=self.log_scale, names=self.names, sentence=report)

    def show_frame(self, frame: Frame, force: bool = False) -> None:
        """Hand the frame down to the panes that can be seen."""
        self.frame = frame
        state = self.view_state(frame)
        now = time.perf_counter()
        heavy = force or not frame.running or now - self._last_heavy >= HEAVY_EVERY
        if heavy:
            self._last_heavy = now
        self.query_one(StatusLine).show(state)
        for i, pane in enumerate(PANES):
            if self.compact and i != self.shown_pane:
                continue
            if pane in ("diagram", "inspector") or heavy:
                self.query_one(f"#{pane}").show(state)

    def redraw(self) -> None:
        self.show_frame(self.session.frame(), force=True)

    def on_frame_ready(self, message: FrameReady) -> None:
        if not self.is_attached:
            return
        was_diverged = self.frame is not None and self.frame.snapshot.diverged
        self.show_frame(message.frame)
        if message.frame.snapshot.diverged and not was_diverged:
            self.notify(message.frame.message, title="Diverged", severity="warning", timeout=8)

    # -- training -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training")
    def train(self) -> None:
        worker = get_current_worker()
        session = self.session
        speed = session.speed
        started, taken, last_post = time.perf_counter(), 0, 0.0
        while session.running and not worker.is_cancelled:
            if session.speed != speed:  # pace the new speed from now on
                speed, started, taken = session.speed, time.perf_counter(), 0
            taken += session.run_for(0.02, started, taken)
            now = time.perf_counter()
            if now - last_post >= 1 / FPS:
                self.post_message(FrameReady(session.frame()))
                last_post = now
            if speed is not None:
                time.sleep(min(0.02, 1 / speed))
        if not worker.is_cancelled:
            self.post_message(FrameReady(session.frame()))

    def pause(self) -> None:
        self.session.running = False

    # -- actions -----------------------------------------------------------------------------

    def action_toggle_run(self) -> None:
        session = self.session
        if session.running:
            session.running = False
            self.redraw()
            return
        if session.trainer.diverged:
            self.notify("The run diverged: step back (b) or reset (0) first, and lower the learning rate ([).",
                        severity="warning")
            return
        session.running = True
        self.redraw()
        self.train()

    def action_step(self, n: int) -> None:
        self.pause()
        self.session.step(n)
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
        self.redraw()

    def action_weight(self, delta: int) -> None:
        position = self.order.index(self.selected) if self.selected in self.order else -1
        self.selected = self.order[(position + delta) % len(self.order)]
        self.redraw()

    def action_mode(self) -> None:
        self.mode = GRADIENT_MODES[(GRADIENT_MODES.index(self.mode) + 1) % len(GRADIENT_MODES)]
        self.redraw()

    def action_log_scale(self) -> None:
        self.log_scale = not self.log_scale
        self.redraw()

    def action_pane(self, index: int) -> None:
        pane = self.query_one(f"#pane-{PANES[index]}")
        if self.compact:
            self.query_one(Tabs).active = f"tab-{PANES[index]}"
            if PANES[index] == "view" and self.session.scenario.view == "sentences":
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
        for i, pane in enumerate(PANES):
            self.query_one(f"#pane-{pane}").set_class(i == self.shown_pane, "-shown")
        if self.frame is not None:
            self.show_frame(self.frame, force=True)

    def on_network_diagram_selected(self, message: NetworkDiagram.Selected) -> None:
        self.selected = message.param
        self.redraw()

    def on_sentences_view_changed(self, message: SentencesView.Changed) -> None:
        self.sentence_text = message.text
        if self.frame is not None:
            self.show_frame(self.frame, force=True)
