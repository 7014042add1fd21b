"""The status line: always 'step N' and 'loss X', and how the run is going."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .colors import number
from .live import LiveStatic


def status_text(name: str, state: ViewState, width: int | None = None) -> Text:
    """The parts joined by " │ ", or by "│" when that is too wide for ``width`` cells (a 120-column
    terminal), then without the least needed parts (steps/s, the epoch, the paused run's speed), at last
    cut with an ellipsis: it stays one line."""
    frame = state.frame
    snap = frame.snapshot
    s = snap.settings
    parts = [
        (name, "bold"),
        (f"step {snap.step}" + (f", {state.step_note}" if state.step_note else ""), "bold yellow" if state.step_note else ""),
        (f"epoch {snap.epoch}", ""),
        (f"loss {number(snap.loss, '.6g')} ({s.loss})", "bold"),  # its name says which
    ]
    if snap.accuracy is not None:
        parts.append((f"acc {snap.accuracy * 100:.0f}%", ""))
    parts += [(f"lr {number(s.learning_rate)}", ""), (f"momentum {number(s.momentum)}", "")]
    if s.batch_size:
        parts.append((f"batch {s.batch_size}", ""))
    speed = "max" if frame.speed is None else f"{frame.speed}/s"
    if snap.diverged:
        parts.append(("DIVERGED", "bold red"))
    elif frame.running:
        parts.append((f"▶ running {speed}", "bold green"))
    else:
        parts.append((f"paused (speed {speed})", ""))
    parts.append((f"{frame.steps_per_second:,.0f} steps/s", "dim"))
    # narrower: tighter separators, then without the steps/s, the epoch, the paused run's speed
    shorter = [parts, parts[:-1], parts[:2] + parts[3:-1]]
    if parts[-2][0].startswith("paused"):
        shorter.append(parts[:2] + parts[3:-2] + [("paused", "")])
    for separator, shown in ((" │ ", parts), *(("│", p) for p in shorter)):
        text = _joined(shown, separator)
        if width is None or text.cell_len <= width:
            break
    else:  # still too wide (a long note on a small terminal): cut, visibly
        assert width is not None  # (without a width the first form is taken)
        text.truncate(width, overflow="ellipsis")
    if frame.message:
        text.append("\n" + frame.message, style="bold yellow")
    return text


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
