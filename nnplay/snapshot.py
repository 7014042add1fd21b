"""Pictures of the playground's screen as SVG: ``ctrl+s`` in the playground, and ``nnplay snapshot`` headless.

Both take the picture the same way: ``capture`` copies the screen's lines as the compositor drew them (on the
interface thread: about 2 ms at 140 x 45), and ``svg`` turns them into Rich's SVG (about 30 ms there, so the
playground does it off the interface thread, with the writing). ``svg(capture(app))`` is, to the byte,
Textual's ``App.export_screenshot()``. Rich names the SVG's classes after a hash of what it shows, so the
same screen gives the same file.

Textual is imported only inside the functions that need the app: the command line imports this module to
check its options before anything opens.
"""

from __future__ import annotations

import asyncio
import difflib
import errno
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import figures, landscape
from .exits import EXIT_DIVERGED, EXIT_OK, EXIT_USAGE, diverged
from .runfile import LoadedRun, default_name
from .scenario import LESSON_VIEWS, Scenario, printable

if TYPE_CHECKING:
    from textual.app import App
    from textual.strip import Strip

    from .session import Session

SIZE = (140, 45)  # columns, rows: the size the README's pictures and the snapshot tests are drawn at
MIN_SIZE, MAX_SIZE = (40, 12), (500, 200)


class SnapshotError(ValueError):
    """An option ``nnplay snapshot`` cannot use: the option, then the problem (one line)."""

    def __init__(self, option: str, problem: str):
        super().__init__(f"{option}: {problem}")


# -- naming and writing ----------------------------------------------------------------------


def picture_name(scenario: Scenario, step: int) -> str:
    """``nnplay-xor-step25.svg``: the scenario's bundled name or its file's stem, made ASCII and safe (as a saved
    run's name is made: ``runfile.default_name``), and the step."""
    return default_name(Path(scenario.id).stem, step) + ".svg"


def write_new(path: Path, text: str) -> Path:
    """``text`` written to ``path``, or, when that exists, to ``NAME-2.svg``, ``NAME-3.svg`` …, never over a
    file (the name is taken with an exclusive create, so two saves at once cannot take the same one);
    returns the path written. OSError when the folder cannot be written."""
    for n in range(1, 10_000):
        candidate = path if n == 1 else path.with_name(f"{path.stem}-{n}{path.suffix}")
        try:
            file = open(candidate, "x", encoding="utf-8")  # noqa: SIM115 (closed below; removed if it fails)
        except FileExistsError:
            continue
        try:
            with file:
                file.write(text)
        except OSError:
            candidate.unlink(missing_ok=True)  # a half-written picture is no picture
            raise
        return candidate
    raise FileExistsError(f"{path} and 9,999 numbered copies exist already")


def cannot_write(error: OSError, path: str) -> str:
    """Why a picture could not be written, in one line: ``cannot write PATH: Permission denied``."""
    why = os.strerror(error.errno) if error.errno else str(error)
    return f"cannot write {printable(str(error.filename or path))}: {why}"


# -- the picture ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Capture:
    """The screen's lines as drawn, its size and the window's title: what ``svg`` needs, from any thread."""

    lines: tuple[tuple[Strip, ...], ...]
    size: tuple[int, int]
    title: str


def capture(app: App) -> Capture:
    """The screen as the compositor draws it now (the screens under a modal too), as Textual's
    ``export_screenshot`` takes it; on the interface thread. (Strips are immutable: the copy can go to
    another thread.)"""
    from textual._compositor import LayoutUpdate

    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)  # what a full update is
    lines = tuple(tuple(line) for line in update.strips)
    return Capture(lines, (app.size.width, app.size.height), app.title)


def svg(picture: Capture) -> str:
    """The captured screen as an SVG, the way Textual's ``export_screenshot`` writes it (Rich's
    ``Console.export_svg``); callable from any thread."""
    from rich.console import Console
    from rich.segment import Segment

    width, height = picture.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    segments: list[Segment] = []
    for y, line in enumerate(picture.lines):
        if y:
            segments.append(Segment.line())
        for strip in line:
            segments.extend(strip)
    console.print(_Lines(segments))
    return console.export_svg(title=picture.title)


class _Lines:
    """Segments as a Rich renderable, printed as they are."""

    def __init__(self, segments: list) -> None:
        self.segments = segments

    def __rich_console__(self, console, options):
        yield from self.segments


# -- nnplay snapshot ----------------------------------------------------------------------------


def parse_size(text: str) -> tuple[int, int]:
    """``--size WxH``: columns by rows, within MIN_SIZE and MAX_SIZE."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[xX×]\s*(\d{1,6})\s*", text)
    if match is None:
        raise SnapshotError("--size", f"expected COLUMNSxROWS such as 140x45, got {printable(text)!r}")
    width, height = int(match[1]), int(match[2])
    (low_w, low_h), (high_w, high_h) = MIN_SIZE, MAX_SIZE
    if not (low_w <= width <= high_w and low_h <= height <= high_h):
        raise SnapshotError("--size", f"from {low_w}x{low_h} to {high_w}x{high_h}, got {width}x{height}")
    return width, height


def parse_view(text: str) -> str:
    """``--view``: the words a lesson page's ``view`` takes (docs/scenario-format.md)."""
    view = text.strip()
    if view in LESSON_VIEWS:
        return view
    close = difflib.get_close_matches(view, LESSON_VIEWS, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise SnapshotError("--view", f"unknown view {printable(view)!r} ({hint}expected one of: {', '.join(LESSON_VIEWS)})")


def parse_weight(scenario: Scenario, text: str) -> int:
    """``--weight``: a weight as 'FROM -> TO' or a bias as 'b(UNIT)', as ``nnplay landscape --directions`` names them."""
    try:
        return landscape.find_param(figures.param_labels(scenario.network(), scenario.unit_names()), text)
    except ValueError as error:
        raise SnapshotError("--weight", printable(str(error))) from None


def command(args, loaded: Scenario | LoadedRun | int) -> int:
    """``nnplay snapshot``: ``loaded`` is the scenario (``--set`` applied), the saved run, or the exit code of
    why neither could be read (said already)."""
    if isinstance(loaded, int):
        return loaded
    try:
        size = parse_size(args.size)
        view = None if args.view is None else parse_view(args.view)
        scenario = loaded if isinstance(loaded, Scenario) else loaded.scenario
        weight = None if args.weight is None else parse_weight(scenario, args.weight)
        if args.output not in (None, "-"):  # a place it cannot go is said before the training, not after
            out = Path(args.output)
            if out.is_dir() or not out.parent.is_dir():
                why = errno.EISDIR if out.is_dir() else errno.ENOENT
                raise SnapshotError("-o", cannot_write(OSError(why, os.strerror(why), args.output), args.output))
        if view == "unit-maps" and not scenario.has_unit_maps:
            raise SnapshotError("--view", "unit-maps needs two inputs (a decision map) and a hidden layer")
    except SnapshotError as error:
        print(f"nnplay: {error}", file=sys.stderr)
        return EXIT_USAGE
    from .session import Session

    if isinstance(loaded, Scenario):
        session = Session(loaded, args.seed)
    else:
        if loaded.note:
            print(f"nnplay: {printable(loaded.note)}", file=sys.stderr)
        session = Session(loaded.scenario, trainer=loaded.trainer, note=loaded.note)
    picture, step = render(session, args.steps, size, view, weight)
    name = picture_name(scenario, step) if args.output is None else args.output
    try:
        if args.output == "-":
            sys.stdout.write(picture)
        elif args.output is None:
            print(printable(str(write_new(Path(name), picture))))  # the name it chose
        else:
            Path(name).write_text(picture, encoding="utf-8")
    except OSError as error:
        print(f"nnplay: {'' if args.output is None else '-o: '}{cannot_write(error, name)}", file=sys.stderr)
        return EXIT_USAGE

    return EXIT_DIVERGED if diverged(scenario, session.trainer) else EXIT_OK  # the picture shows it too


def render(session: Session, steps: int, size: tuple[int, int], view: str | None = None,
           weight: int | None = None) -> tuple[str, int]:
    """The playground on ``session``, ``steps`` steps on (trained as the playground trains them, after the
    lesson's first page did what it does), with the weight and view chosen, drawn headless at ``size``:
    (the SVG, the step it shows)."""
    from .tui.app import PlaygroundApp

    app = PlaygroundApp(session.scenario, session=session)

    async def trained() -> None:
        while session.running:  # many steps: in the training thread, as the playground runs to a step
            await asyncio.sleep(0.02)

    async def shoot(pilot) -> None:
        await pilot.pause()
        screen = app.playground
        presenter = screen.presenter
        await trained()  # a lesson's first page may run to a step
        screen.carry_out(presenter.run_to(session.trainer.step_count + steps))
        await trained()
        if weight is not None:
            screen.carry_out(presenter.select(weight))
        if view is not None:
            screen.carry_out(presenter.show_view(view))
        await pilot.pause()
        while presenter.making:  # the sweep and the landscape are made in a thread
            await pilot.pause(0.02)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        app.exit((svg(capture(app)), session.trainer.step_count))

    result = app.run(headless=True, size=size, auto_pilot=shoot)
    if result is None:  # the app ended before the picture: its own error said why
        raise SystemExit(app.return_code or EXIT_USAGE)
    return result
