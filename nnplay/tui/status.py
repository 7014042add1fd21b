"""The status line: always 'step N' and 'loss X', and how the run is going."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .colors import number
from .live import LiveStatic


def status_text(name: str, state: ViewState) -> Text:
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
    text = Text()
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" │ ", style="dim")
        text.append(part, style=style)
    if frame.message:
        text.append("\n" + frame.message, style="bold yellow")
    return text


class StatusLine(LiveStatic):
    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    """

    def __init__(self, name: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario_name = name

    def show(self, state: ViewState) -> None:
        self.show_text(status_text(self.scenario_name, state))
