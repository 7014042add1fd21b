"""The nnplay playground app: one PlaygroundScreen per scenario, a help screen, a picker.

What the first frame does not need (the help, the picker, the crash log) is
imported when it is first wanted: the shell waits for every import.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable
from functools import partial

from rich.segment import Segment, Segments
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import WorkerFailed

from ..playground import PastCurve
from ..scenario import Scenario, ScenarioError, bundled_summaries, load
from ..session import Session
from .layout import BINDINGS
from .screen import PlaygroundScreen


def write_crash_log(error: BaseException | None) -> str:
    """The full traceback, in a file of its own; returns its path."""
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="nnplay-crash-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as f:
        if error is not None:
            f.write("".join(traceback.format_exception(error)))
    return path


class PlaygroundApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "nnplay"

    def __init__(self, scenario: Scenario, seed: int | None = None, session: Session | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.seed = seed
        self.first_session = session
        self.crash: BaseException | None = None  # the first error nnplay did not expect
        self.crash_log: str | None = None        # where its traceback went

    # -- no traceback for the learner ---------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:  # the first error is the one to report; the others follow from it
            # an error in the training thread comes wrapped in a WorkerFailed, which has no traceback of its own
            self.crash = error.error if isinstance(error, WorkerFailed) else error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An error nnplay did not expect: one line on exit, the traceback in a file."""
        if self.crash_log is not None:
            return  # reported already, and closing: a second error would add a second line
        error = self.crash or sys.exc_info()[1]
        self.crash_log = write_crash_log(error)
        self.bell()
        said = " ".join(str(error).split())  # an error's own text may hold line breaks
        message = (f"nnplay: unexpected error: {type(error).__name__}: {said}. "
                   f"Nothing was lost but this session; the details are in {self.crash_log}, please report them.")
        # pre-rendered segments, so that the console does not wrap them, on a console as wide as
        # the line, so that it does not crop them: one whole line, however narrow the terminal
        self._exit_renderables.append(Segments([Segment(message), Segment.line()]))
        self.error_console.width = max(self.error_console.width, len(message))
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        self.open_session(self.first_session or Session(self.scenario, self.seed))
        self.call_after_refresh(gc.freeze)

    # gc.freeze: the objects of the start (modules, Textual's machinery, the first screen) live as long
    # as the app, and a full collection that scans them all stops every thread for 50-160 ms, several
    # times in a few seconds of running flat out: the slowest keys. Frozen, they are no longer scanned.

    def open_scenario(self, scenario: Scenario) -> None:
        self.open_session(Session(scenario, self.seed))

    def open_session(self, session: Session, past: PastCurve | None = None, lesson_page: int | None = None) -> None:
        """Show ``session`` (a new scenario, a loaded run, an edited one) in a fresh playground screen;
        ``past``: the loss curve of the run it replaces, for the loss plot; ``lesson_page``: after an edit,
        the lesson's page to stay on."""
        old = None
        for screen in self.screen_stack:
            if isinstance(screen, PlaygroundScreen):
                old = screen
                screen.pause()
        self.scenario = session.scenario
        self.sub_title = session.scenario.name
        self.title = f"nnplay — {session.scenario.name}"
        screen = PlaygroundScreen(session, past, lesson_page)
        if old is None:
            self.push_screen(screen)
        else:
            while not isinstance(self.screen, PlaygroundScreen):
                self.pop_screen()
            self.switch_screen(screen)

    @property
    def playground(self) -> PlaygroundScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlaygroundScreen):
                return screen
        raise LookupError("no playground screen")

    def action_help(self) -> None:
        from .help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(BINDINGS))

    def action_open(self) -> None:
        from .picker import ScenarioPicker

        scenarios = bundled_summaries()
        self.push_screen(ScenarioPicker(scenarios, self.scenario.id), self._opened)

    def _opened(self, name: str | None) -> None:
        if not name:
            return
        try:
            scenario = load(name)
        except ScenarioError as error:
            self.notify(str(error), severity="error", markup=False)  # it quotes a file name
            return
        self.open_scenario(scenario)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" writes to ~/Downloads, under a name with an em dash: ctrl+s's command (from
        # BINDINGS, below) takes its place, and writes into the current folder
        yield from (command for command in super().get_system_commands(screen) if command.title != "Screenshot")
        try:
            playground = self.playground
        except LookupError:
            return
        for binding in BINDINGS:
            action = binding.action
            if action.startswith("app."):
                yield SystemCommand(binding.description, f"key: {binding.key_display or binding.key}",
                                    partial(self.run_action, action[4:]))
            else:
                yield SystemCommand(binding.description, f"key: {binding.key_display or binding.key}",
                                    partial(playground.run_action, action))
        for title, help_text, action in playground.presenter.setting_commands():  # the optimiser's numbers
            yield SystemCommand(title, help_text, partial(playground.run_action, action))


def run_app(scenario: Scenario, seed: int | None = None, session: Session | None = None) -> int:
    app = PlaygroundApp(scenario, seed, session)
    app.run()
    return app.return_code or 0
