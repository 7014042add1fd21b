"""The playground screen: the keys, the messages, and drawing.

Data flows one way: the ``Session`` makes a ``Frame``; the presenter
(``Playground``, nnplay.playground) turns it and the learner's choices into a
``ViewState``, which this screen hands down to every visible pane. Panes draw;
they never compute training maths. A key calls the presenter's action and
does what its ``Outcome`` says. While running, a worker thread runs
``Session.train``, which posts a ``FrameReady`` message at most ``FPS`` times a
second; a newer one replaces one still queued.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.screen import Screen
from textual.widgets import Footer, Tabs
from textual.worker import get_current_worker

from ..later import later
from ..playground import PANES, Notice, Outcome, PastCurve, Playground, SlowJob
from ..scenario import printable
from ..session import Frame, Session
from .confusion import ConfusionView
from .decision_map import DecisionMap
from .diagram import NetworkDiagram
from .layout import BINDINGS, compose_panes, follow_choices
from .pictures import PixelPictures
from .race_table import RaceTable
from .sentences import SentencesView
from .status import StatusLine

if TYPE_CHECKING:
    from .. import runfile, snapshot
    from . import prompt
else:  # loaded when first used: the first frame does without them
    runfile, snapshot, prompt = later("nnplay.runfile"), later("nnplay.snapshot"), later("nnplay.tui.prompt")

HEAVY_EVERY = 0.5  # the plots, tables and pictures redraw at most this often while running
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 34


class PlaygroundScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [*BINDINGS]

    class Explained(Message):
        """The numbers of a slow explain view (the sweep, the landscape), made off the interface thread."""

        def __init__(self, key: tuple, numbers, final: bool = True) -> None:
            super().__init__()
            self.key, self.numbers, self.final = key, numbers, final  # not final: coarse ones, finer to come

    class FrameReady(Message):
        """A new frame from the training thread; replaces a queued one."""

        def __init__(self, frame: Frame) -> None:
            super().__init__()
            self.frame = frame

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PlaygroundScreen.FrameReady)

    def __init__(self, session: Session, past: PastCurve | None = None, lesson_page: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.presenter = Playground(session, past, lesson_page)
        self.shown_pane = 0
        self.frame: Frame | None = None
        self._hidden_frame: Frame | None = None  # a frame that came while another screen was on top
        self._pictures: list[PixelPictures] = []
        self._last_heavy = 0.0
        self._information: Notification | None = None  # the information notice shown last (tell)

    def notify(self, message: str, *, markup: bool = False, **options) -> None:
        """Notifications are plain text: they quote names, paths and typed text, which are never markup."""
        super().notify(message, markup=markup, **options)

    def tell(self, notice: Notice) -> None:
        """A notice as a toast. An information notice (a key's answer: "Learning rate η = 0.2") takes the
        place of the one before, so a key pressed 14 times shows one; warnings and errors stay their time.
        (Textual 8 has no public call to take one toast down: ``App._unnotify`` is what a clicked toast calls.
        It goes through the app's queue, behind the Notify of the one it takes down: keys pressed faster
        than the app handles messages would otherwise take down a toast not shown yet, which then stays.)"""
        app = self.app
        if notice.severity == "information" and self._information is not None:
            app.call_later(app._unnotify, self._information)
        timeout = app.NOTIFICATION_TIMEOUT if notice.timeout is None else notice.timeout
        notification = Notification(notice.text, notice.title, notice.severity, timeout,  # type: ignore[arg-type]
                                    markup=False)  # it quotes names, paths and typed text, never markup
        if notice.severity == "information":
            self._information = notification
        app.post_message(Notify(notification))

    def on_screen_suspend(self) -> None:
        """A modal opens over the playground (the palette, a prompt, an editor): the last key's answer goes, so
        as not to cover it (warnings and errors stay their time)."""
        if self._information is not None:
            self.app.call_later(self.app._unnotify, self._information)
            self._information = None

    def carry_out(self, outcome: Outcome) -> None:
        """What an action of the presenter asks for."""
        if outcome.open is not None:
            self.app.open_session(outcome.open, outcome.past, outcome.lesson_page)  # type: ignore[attr-defined]
            for notice in outcome.notices:
                self.tell(notice)
            return
        if outcome.layout:
            follow_choices(self, self.presenter)
        if outcome.lesson_turned and self.compact:
            self.query_one(Tabs).active = "tab-lesson"
        if outcome.redraw:
            self.redraw()
        elif outcome.restyle:
            self.restyle(*outcome.restyle)
        if outcome.train:
            self.train()
        for notice in outcome.notices:
            self.tell(notice)
        if outcome.later is not None:
            self.run_later(outcome.later)

    # -- layout ----------------------------------------------------------------------

    @property
    def panes(self) -> tuple[str, ...]:
        return self.presenter.panes

    def compose(self) -> ComposeResult:
        yield from compose_panes(self.presenter)
        yield StatusLine(self.session.scenario.name, id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._pictures = list(self.query(PixelPictures))  # composed once: not looked for again every frame
        self._apply_size()
        self.show_frame(self.session.frame(), force=True)
        self.query_one(NetworkDiagram).focus()
        self.carry_out(self.presenter.open())  # the lesson's first page and its action

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

    def show_frame(self, frame: Frame, force: bool = False, only: frozenset[str] | None = None) -> None:
        """Hand the frame down to the panes that can be seen (``only`` those, if given)."""
        with self.session.drawing():
            self._show_frame(frame, force, only)

    def _show_frame(self, frame: Frame, force: bool, only: frozenset[str] | None) -> None:
        self.frame = frame
        presenter = self.presenter
        now = time.perf_counter()
        heavy = force or not frame.running or now - self._last_heavy >= HEAVY_EVERY
        if heavy:
            self._last_heavy = now
        # every frame: the status, the diagram and a light explain view; the rest at most every HEAVY_EVERY
        light = {"diagram"} | ({"explain"} if presenter.explain_mode in ("inspector", "chain-rule", "functions")
                               else set())
        panes = frozenset(
            pane for i, pane in enumerate(self.panes)
            if (heavy or pane in light) and (only is None or pane in only)
            and not (self.compact and i != self.shown_pane))
        state = presenter.view_state(frame, panes)
        job = presenter.take_job()
        if job is not None:
            self.make_slow(job)
        self.query_one(StatusLine).show(state)
        for pane in panes:
            if pane == "view" and presenter.show_unit_maps:
                self.query_one("#unit-maps").show(state)  # type: ignore[attr-defined]
            if pane == "view" and presenter.shows_confusion:
                self.query_one(ConfusionView).show(state)
            if pane == "loss":
                self.query_one(RaceTable).show(state)
            if pane == "explain":
                self.query_one(f"#explain-{presenter.explain_widget}").show(state)  # type: ignore[attr-defined]
            else:
                self.query_one(f"#{pane}").show(state)  # type: ignore[attr-defined]
        # the pictures above the table (inputs that are pixels) are part of its pane: while running they redraw
        # with it; a new selection (a forced frame) redraws them at once, whichever panes it names
        for pictures in self._pictures:
            if heavy and (not self.compact or self.panes[self.shown_pane] == "view"):
                pictures.show(state)

    def redraw(self) -> None:
        """The training state changed: a new frame for every pane."""
        self.show_frame(self.session.frame(), force=True)

    def restyle(self, *panes: str) -> None:
        """Only the learner's choices changed (sample, weight, modes): the same frame, drawn again."""
        if self.frame is not None:
            self.show_frame(self.frame, force=True, only=frozenset(panes) if panes else None)

    def on_playground_screen_frame_ready(self, message: FrameReady) -> None:
        if not self.is_attached:
            return
        was_diverged = self.frame is not None and self.frame.snapshot.diverged
        reached = message.frame.reached
        if reached and (self.frame is None or self.frame.reached != reached):  # run until a loss: where it stopped
            self.tell(Notice(reached, timeout=8))
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

    # -- threads ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training")
    def train(self) -> None:
        worker = get_current_worker()

        def deliver(frame: Frame) -> None:
            self.post_message(self.FrameReady(frame))

        self.session.train(lambda: worker.is_cancelled, deliver)

    @work(thread=True, exclusive=True, group="explain")
    def make_slow(self, job: SlowJob) -> None:
        worker = get_current_worker()
        def coarse(numbers) -> None:
            self.post_message(self.Explained(job.key, numbers, final=False))

        numbers = job.run(lambda: worker.is_cancelled, coarse)
        if numbers is not None:
            self.post_message(self.Explained(job.key, numbers))

    @work(thread=True, group="later")
    def run_later(self, job: Callable[[], Outcome]) -> None:
        """Slow work an action asked for (saving), then what it asks for in turn."""
        outcome = job()
        self.app.call_from_thread(self.carry_out, outcome)

    def on_playground_screen_explained(self, message: Explained) -> None:
        if not self.presenter.made(message.key, message.numbers, message.final):
            return
        frame = self.frame
        if message.key[0][0] == "landscape" and frame is not None and frame.race and not frame.running:
            # the ghosts' paths come with a frame made while the landscape is asked for: one made before
            # (a lesson's run, then v) has none, and nothing would be drawn until the next step
            self.show_frame(self.session.frame(), only=frozenset({"explain"}))
        else:
            self.restyle("explain")  # and if the state moved on meanwhile, that asks for the next

    def pause(self) -> None:
        self.presenter.pause()

    # -- keys --------------------------------------------------------------------------------

    def action_toggle_run(self) -> None:
        self.carry_out(self.presenter.run_pause())

    def action_step(self, n: int) -> None:
        self.carry_out(self.presenter.step(n))

    def action_phase_step(self) -> None:
        self.carry_out(self.presenter.phase_step())

    def action_back(self, n: int) -> None:
        self.carry_out(self.presenter.back(n))

    def action_reset(self) -> None:
        self.carry_out(self.presenter.reset())

    def action_speed(self, delta: int) -> None:
        self.carry_out(self.presenter.speed(delta))

    def action_learning_rate(self, direction: int) -> None:
        self.carry_out(self.presenter.learning_rate(direction))

    def action_momentum(self, direction: int) -> None:
        self.carry_out(self.presenter.momentum(direction))

    def action_optimizer(self) -> None:
        self.carry_out(self.presenter.optimizer(brief=self.compact))

    def action_set_setting(self, name: str) -> None:
        """A prompt for an optimiser's number or the schedule (the palette); a wrong value keeps it open."""
        presenter = self.presenter
        question, value = presenter.setting_prompt(name)
        self.app.push_screen(prompt.Prompt(question, value, check=partial(presenter.setting_problem, name)),
                             lambda text: self.carry_out(presenter.set_setting(name, text)))

    def action_rate_overlay(self) -> None:
        self.carry_out(self.presenter.toggle_rate_overlay())

    def action_batch_size(self) -> None:
        self.carry_out(self.presenter.batch_size())

    def action_loss(self) -> None:
        self.carry_out(self.presenter.loss())

    def action_sample(self, delta: int) -> None:
        self.carry_out(self.presenter.set_sample(delta))

    def action_weight(self, delta: int) -> None:
        self.carry_out(self.presenter.weight(delta))

    def action_mode(self) -> None:
        self.carry_out(self.presenter.next_mode())

    def action_log_scale(self) -> None:
        self.carry_out(self.presenter.toggle_log_scale())

    def action_explain(self) -> None:
        self.carry_out(self.presenter.next_explain())

    def action_landscape(self) -> None:
        self.carry_out(self.presenter.next_landscape())

    def action_pin(self) -> None:
        self.carry_out(self.presenter.pin())

    def action_pin_ghost(self) -> None:
        self.carry_out(self.presenter.pin_ghost())

    def action_clear_ghosts(self) -> None:
        self.carry_out(self.presenter.clear_ghosts())

    def action_run_until(self) -> None:
        presenter = self.presenter
        presenter.pause()
        self.app.push_screen(prompt.Prompt(presenter.UNTIL_QUESTION, presenter.until_offer(),
                                           check=presenter.until_problem),
                             lambda text: self.carry_out(presenter.run_until(text)))

    def action_unit_maps(self) -> None:
        self.carry_out(self.presenter.toggle_unit_maps())

    def action_lesson(self, delta: int) -> None:
        self.carry_out(self.presenter.lesson(delta))

    def action_save(self) -> None:
        self.carry_out(self.presenter.save())

    def action_edit_weight(self) -> None:
        question = self.presenter.edit_prompt()
        if question is not None:
            self.app.push_screen(prompt.Prompt(*question, check=self.presenter.weight_problem),
                                 lambda text: self.carry_out(self.presenter.edit_weight(text)))

    def action_load(self) -> None:
        self.presenter.pause()
        saved = runfile.saved_runs()
        self.app.push_screen(prompt.Prompt("Load a saved run (a .json file saved with s):",
                                           placeholder=saved[0] if saved else "nnplay-xor-step500.json",
                                           suggestions=saved, check=self.presenter.load_problem),
                             lambda path: self.carry_out(self.presenter.load(path)))

    def action_edit_network(self) -> None:
        from .network_editor import NetworkEditor  # (loaded when first opened: the first frame does without)

        presenter = self.presenter
        if self._can_edit():
            self.app.push_screen(NetworkEditor(presenter.network_form(), lambda choice: presenter.network_edit(*choice)),
                                 self._edited)

    def action_edit_data(self) -> None:
        if self._can_edit():
            self._open_data_editor()

    @work(thread=True, exclusive=True, group="data-editor")
    def _open_data_editor(self) -> None:
        """The data editor's form reads the scenario's TOML (digits: 0.5 s and more): off the interface thread."""
        from .data_editor import DataEditor  # (loaded when first opened: the first frame does without)

        presenter = self.presenter
        form = presenter.data_form()
        self.app.call_from_thread(self._show_editor, DataEditor(form, presenter.data_edit))

    def _show_editor(self, editor: Screen) -> None:
        """An editor made off the interface thread, shown unless the learner has opened something else over the
        playground meanwhile (D then N: the network editor is up), which it would otherwise cover."""
        if self.app.screen is self:
            self.app.push_screen(editor, self._edited)

    def _can_edit(self) -> bool:
        """Pauses; False, and says why, when the scenario cannot be edited."""
        self.presenter.pause()
        problem = self.presenter.edit_problem()
        if problem is not None:
            self.tell(Notice(problem, "warning"))
        return problem is None

    def _edited(self, edit) -> None:
        if edit is not None:
            self.carry_out(self.presenter.apply(edit))

    def action_write_scenario(self) -> None:
        if self._can_edit():
            self.app.push_screen(prompt.Prompt(self.presenter.write_question(), self.presenter.write_default(),
                                               check=self.presenter.write_problem),
                                 lambda name: self.carry_out(self.presenter.write(name)))

    def action_save_picture(self) -> None:
        """ctrl+s: the screen as an SVG in the current folder, named after the scenario and the step shown
        (snapshot.picture_name), never over a file. The screen is copied after the next refresh (a palette
        that asked for it has gone by then) and turned into SVG and written off the interface thread: that
        takes about 30 ms at 140 x 45. In a browser (nnplay serve) the file is written on the server and
        offered to the browser too."""
        self.call_after_refresh(self._save_picture)

    def _save_picture(self) -> None:
        if self.frame is None:
            return
        picture = snapshot.capture(self.app)
        name = snapshot.picture_name(self.session.scenario, self.frame.snapshot.step)
        app = self.app

        def write() -> Outcome:
            text = snapshot.svg(picture)
            try:
                written: Path | None = snapshot.write_new(Path.cwd() / name, text)
            except OSError as error:
                written, problem = None, snapshot.cannot_write(error, name)
            if app.is_web:  # the browser is elsewhere: offer it the picture too (even if the server could not keep it)
                app.call_from_thread(app.deliver_text, io.StringIO(text), save_filename=written.name if written else name,
                                     open_method="browser", mime_type="image/svg+xml")
            if written is None:
                sent = " (the browser was offered it)" if app.is_web else ""
                return Outcome(notices=(Notice(f"Could not save the picture: {problem}{sent}", "error", timeout=8),))
            return Outcome(notices=(Notice(f"Saved the screen as {printable(str(written))}", timeout=5),))

        self.run_later(write)

    def action_costs(self) -> None:
        from .cost_calculator import CostCalculator  # (loaded when first opened: the first frame does without)

        self.app.push_screen(CostCalculator())

    def action_pane(self, index: int) -> None:
        if index >= len(self.panes):
            return
        name = self.panes[index]
        pane = self.query_one(f"#pane-{name}")
        if self.compact:
            self.query_one(Tabs).active = f"tab-{name}"  # (the sentences view's box takes the keys after t)
        elif self.maximized is pane:
            self.minimize()
        else:
            self.maximize(pane, container=False)

    def action_type_sentence(self) -> None:
        if self.session.scenario.view != "sentences":
            self.tell(Notice("This scenario has no sentences to type: t works in the sentences view.", timeout=3))
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
        self.carry_out(self.presenter.set_grid(message.cols, message.rows))

    def on_network_diagram_selected(self, message: NetworkDiagram.Selected) -> None:
        self.carry_out(self.presenter.select(message.param))

    def on_sentences_view_done(self, message: SentencesView.Done) -> None:
        self.action_leave_input()

    def on_sentences_view_changed(self, message: SentencesView.Changed) -> None:
        self.carry_out(self.presenter.type_sentence(message.text))
