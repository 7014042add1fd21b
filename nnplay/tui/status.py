"""The status line: always 'step N' and 'loss X', and how the run is going."""

from __future__ import annotations

from rich.text import Text

from ..engine.optimizers import OPTIMIZERS
from ..playground import ViewState
from .colors import number
from .live import LiveStatic

WALK_NOTE = 12  # the drop level of a walk's numbers: after every other part that can go (the accuracy at one less)


def status_text(name: str, state: ViewState, width: int | None = None) -> Text:
    """The parts joined by " │ ", or by "│" when that is too wide for ``width`` cells (a 120-column
    terminal), then without the least needed parts, one at a time: the steps/s, the epoch, the paused
    run's speed, the momentum, the batch size, the learning rate, the optimiser (the keys that change them
    say their new values), a race's number of ghosts, the test accuracy, the test loss (the test set's
    numbers stay longer than the rest: with one, they are what the learner watches); at last cut with an
    ellipsis: it stays one line.
    During a walk through the phases (f) the phase and its numbers stay longer than all of those (the
    accuracy too): they are what the learner is reading; when they cannot share the line with step and
    loss, they take a second line of their own.
    The learning rate is η at this step, as the schedule gives it (which schedule, when not constant);
    the momentum only shows under an optimiser that has one."""
    frame = state.frame
    snap = frame.snapshot
    s = snap.settings
    # (text, style, which drops: 0 never, then 1 first, 2 next …); a part that shortens drops to its short form
    parts: list[tuple[str, str, int]] = [
        (name, "bold", 0),
        (f"step {snap.step}" + (f", {state.step_note}" if state.step_note else ""),
         "bold yellow" if state.step_note else "", 0),
        (f"epoch {snap.epoch}", "", 2),
        # its name says which; during a walk with minibatches, that it is the whole set's (the walk's E is the batch's)
        (f"loss {number(snap.loss, '.6g')} ({s.loss}{', whole set' if state.phase and s.batch_size else ''})",
         "bold", 0),
    ]
    walk: list[tuple[str, str, int]] = []
    if state.phase is not None:  # one iteration phase by phase (f): which phase, and its numbers, kept the longest
        walk = [(state.phase.text, "bold magenta", 0)]
        if state.phase.note:
            walk.append((state.phase.note, "magenta", WALK_NOTE))
    at = len(parts)
    if snap.accuracy is not None:
        parts.append((f"acc {snap.accuracy * 100:.0f}%", "", WALK_NOTE - 1 if walk else 0))
    if snap.test_loss is not None:
        parts.append((f"test loss {number(snap.test_loss, '.6g')}", "bold", 10))
    if snap.test_accuracy is not None:
        parts.append((f"test acc {snap.test_accuracy * 100:.0f}%", "", 9))
    if len(frame.race) > 1:  # ghosts race: a word that stays as long as the run's own settings and longer
        parts.append((f"race: {len(frame.race) - 1} ghost{'s' if len(frame.race) > 2 else ''}", "bold", 8))
    schedule = "" if s.schedule.constant else f" ({s.schedule.kind} schedule)"
    parts += [(s.optimizer, "", 7), (f"η {number(snap.current_learning_rate, '.4g')}{schedule}", "", 6)]
    if "momentum" in OPTIMIZERS[s.optimizer].hypers:
        parts.append((f"momentum {number(s.momentum)}", "", 4))
    if s.batch_size:
        parts.append((f"batch {s.batch_size}", "", 5))
    speed = "max" if frame.speed is None else f"{frame.speed}/s"
    if snap.diverged:
        parts.append(("DIVERGED", "bold red", 0))
    elif frame.running:
        parts.append((f"▶ running {speed}", "bold green", 0))
    else:
        parts.append((f"paused (speed {speed})", "", 3))
    parts.append((f"{frame.steps_per_second:,.0f} steps/s", "dim", 1))
    one = parts[:at] + walk + parts[at:]
    if not walk or width is None or _joined(_without(one, WALK_NOTE - 1), "│").cell_len <= width:
        text = _fitted(one, width)
    else:  # the walk's words on a line of their own, under the rest
        text = _fitted(parts, width)
        text.append("\n")
        text.append_text(_fitted(walk, width))
    if frame.message:
        text.append("\n" + frame.message, style="bold yellow")
    return text


def _fitted(parts: list[tuple[str, str, int]], width: int | None) -> Text:
    """The parts on one line of ``width`` cells: the widest form that fits (see ``status_text``), else cut."""
    last = max(drops for _, _, drops in parts)  # the last part to go
    forms = [(" │ ", _without(parts, 0))] + [("│", _without(parts, dropped)) for dropped in range(last + 1)]
    for separator, shown in forms:
        text = _joined(shown, separator)
        if width is None or text.cell_len <= width:
            return text
    # still too wide (a long note on a small terminal): cut, visibly
    assert width is not None  # (without a width the first form is taken)
    text.truncate(width, overflow="ellipsis")
    return text


def _without(parts: list[tuple[str, str, int]], dropped: int) -> list[tuple[str, str]]:
    """The parts left when those that drop up to ``dropped`` have gone (the paused run's speed leaves 'paused')."""
    shown = []
    for text, style, drops in parts:
        if 0 < drops <= dropped:
            if text.startswith("paused"):
                shown.append(("paused", style))
            continue
        shown.append((text, style))
    return shown


def _joined(parts: list[tuple[str, str]], separator: str) -> Text:
    text = Text()
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(separator, style="dim")
        text.append(part, style=style)
    return text


class StatusLine(LiveStatic):
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    """

    def __init__(self, name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario_name = name

    def show(self, state: ViewState) -> None:
        padding = 2  # (0 1)
        self.show_text(status_text(self.scenario_name, state, self.size.width - padding if self.size.width else None))
