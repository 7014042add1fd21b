"""What every pane is given to draw: the frame and the learner's choices."""

from __future__ import annotations

from dataclasses import dataclass

from ..session import Frame
from ..figures import SentenceReport

GRADIENT_MODES = ("gradients", "weights", "updates")


@dataclass(frozen=True)
class ViewState:
    frame: Frame
    sample: int = 0                # the selected training sample
    selected: int | None = None    # the selected parameter (flat index)
    selected_at: tuple | None = None  # the same as (layer, "W" or "b", position)
    selected_label: str = ""          # the same as 'w(x1 → h1)' or 'b(h1)' (figures.param_label)
    mode: str = "gradients"        # what the gradients pane shows
    log_scale: bool = True         # the loss plot's y axis
    names: tuple = ()              # unit names per column (figures.unit_names)
    sentence: SentenceReport | None = None  # the sentence typed in the sentences view
    explain_mode: str = "inspector"  # what the explain pane shows
    explain: object = None           # its numbers (figures.ChainRule, Nudge or Sweep)
    landscape: tuple | None = None   # (figures.Surface, path of (a, b) or None)
    computing: bool = False          # the explain view's numbers are being made, off the interface thread
    landscape_labels: tuple = ("", "")
    unit_maps: list | None = None    # explain.unit_maps, when the view shows them
    lesson: tuple | None = None      # (LessonPage, index, count)
