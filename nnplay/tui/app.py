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
from textual import constants
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES
from textual.worker import WorkerFailed

from .. import config
from ..playground import PastCurve
from ..scenario import Scenario, ScenarioError, bundled_summaries, load
from ..session import DEFAULT_SPEED, SPEEDS, Session
from .layout import BINDINGS, keys_text
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


def config_choices() -> config.Choices:
    """What the config file may choose from: the playground's actions (BINDINGS' ids) and their keys, the keys
    Textual keeps for itself (the palette, quit, focus), the themes, the run speeds."""
    reserved: dict[str, str] = {}
    for binding in Binding.make_bindings([*Screen.BINDINGS, *App.BINDINGS]):
        reserved.setdefault(binding.key, (binding.description or binding.action.replace("_", " ")).lower())
    reserved[App.COMMAND_PALETTE_BINDING] = "the command palette"
    return config.Choices(
        keys={b.id: tuple(b.key.split(",")) for b in BINDINGS if b.id},
        descriptions={b.id: b.description for b in BINDINGS if b.id},
        reserved=reserved, themes=tuple(BUILTIN_THEMES), default_theme=constants.DEFAULT_THEME,
        speeds=SPEEDS, default_speed=SPEEDS[DEFAULT_SPEED])


class PlaygroundApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "nnplay"

    def __init__(self, scenario: Scenario, seed: int | None = None, session: Session | None = None,
                 settings: config.Config | None = None) -> None:
        """``settings``: the config file's (``run_app`` reads it); None: the defaults (tests, pictures)."""
        super().__init__()
        self.scenario = scenario
        self.seed = seed
        self.first_session = session
        self.settings = settings
        if settings is not None:
            self.theme = settings.theme
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
        if self.settings is not None:
            self.set_keymap(self.settings.keymap())
        self.open_session(self.first_session or Session(self.scenario, self.seed))
        if self.settings is not None and self.settings.problems:  # a typo in the file never stops the playground
            self.call_after_refresh(self._config_problems, self.settings.problems)  # on the playground's screen
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        """After the first frame: the objects of the start frozen, and the garbage collector on (the command
        turns it off for the start: nnplay.cli._playground)."""
        gc.freeze()
        gc.enable()

    def _config_problems(self, problems: tuple[str, ...], most: int = 8) -> None:
        """What the config file's reader ignored, one line each (the first ``most``: nnplay config has them all)."""
        more = len(problems) - most
        lines = [*problems[:most], *([f"… and {more} more: nnplay config lists them all"] if more > 0 else [])]
        self.notify("\n".join(lines), title="The config file: ignored", severity="warning", timeout=30, markup=False)

    # gc.freeze: the objects of the start (modules, Textual's machinery, the first screen) live as long
    # as the app, and a full collection that scans them all stops every thread for 50-160 ms, several
    # times in a few seconds of running flat out: the slowest keys. Frozen, they are no longer scanned.

    def open_scenario(self, scenario: Scenario) -> None:
        self.open_session(Session(scenario, self.seed))

    def open_session(self, session: Session, past: PastCurve | None = None, lesson_page: int | None = None) -> None:
        """Show ``session`` (a new scenario, a loaded run, an edited one) in a fresh playground screen;
        ``past``: the loss curve of the run it replaces, for the loss plot; ``lesson_page``: after an edit,
        the lesson's page to stay on."""
        if self.settings is not None:  # every run starts at the config file's speed
            session.change_speed(SPEEDS.index(self.settings.speed) - session.speed_index)
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
            self.push_screen(HelpScreen(self.key_bindings()))

    def key_bindings(self) -> list[Binding]:
        """BINDINGS with the config file's keys, for the help and the palette (the footer and the keys
        themselves follow Textual's keymap)."""
        keys = self.settings.keymap() if self.settings is not None else {}
        return [binding.with_key(keys[binding.id]) if binding.id in keys else binding for binding in BINDINGS]

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
        for binding in self.key_bindings():
            action = binding.action
            if action.startswith("app."):
                yield SystemCommand(binding.description, f"key: {keys_text(binding)}",
                                    partial(self.run_action, action[4:]))
            else:
                yield SystemCommand(binding.description, f"key: {keys_text(binding)}",
                                    partial(playground.run_action, action))
        for title, help_text, action in playground.presenter.setting_commands():  # the optimiser's numbers
            yield SystemCommand(title, help_text, partial(playground.run_action, action))


def run_app(scenario: Scenario, seed: int | None = None, session: Session | None = None) -> int:
    app = PlaygroundApp(scenario, seed, session, config.read(config_choices()))
    app.run()
    return app.return_code or 0
