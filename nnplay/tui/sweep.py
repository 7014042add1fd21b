"""The loss along one weight: the whole-set loss as the selected weight sweeps around its value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..later import later
from ..playground import ViewState
from .colors import number
from .lossplot import SafePlot, fitting, ladder_ticks

if TYPE_CHECKING:
    from .. import explain
else:  # loaded when first used: the first frame does without it
    explain = later("nnplay.explain")

# the secants of the nudge check that the plot draws, largest nudge first: a smaller one lies on the tangent
# at a pane's resolution (the nudge check's numbers show it); plotext colours, the text's too
SECANT_COLOURS = ("red", "blue", "green")


class SweepPlot(SafePlot):
    DEFAULT_CSS = """
    SweepPlot { width: 1fr; height: 1fr; min-height: 8; }
    """

    def show(self, state: ViewState) -> None:
        sweep = state.explain
        # a 1-D landscape is drawn here too: along its direction, or why there is none (pca before any step)
        label = state.landscape_labels[0] if state.explain_mode == "landscape" else state.selected_label
        if isinstance(sweep, explain.Sweep):
            self.draw_with(lambda: self.draw(sweep, label, along=state.explain_mode == "landscape",
                                             when=state.walk_note))
        elif isinstance(why := state.landscape, str):
            self.draw_with(lambda: self.plt.title(why))
        elif state.computing:  # the first sweep for this weight, made off the interface thread
            self.draw_with(lambda: self.plt.title(f"computing the loss as {label} sweeps…"))

    def draw(self, sweep: explain.Sweep, label: str, secants: Sequence[explain.Secant] = (), along: bool = False,
             when: str = "") -> None:
        """The loss along the weight, ``secants`` across it (coloured as SECANT_COLOURS), the tangent and
        the current point on top. ``along``: the axis is a landscape's direction ``label`` (a 1-D landscape),
        not a weight; ``when``: what state it is of, if not the one on screen (ViewState.walk_note), under its
        axis (which stays when the title is too long for the plot)."""
        plt = self.plt
        finite = np.isfinite(sweep.losses)
        plt.plot(sweep.values[finite].tolist(), sweep.losses[finite].tolist(), marker="braille", color="cyan")
        heights = [sweep.losses[finite]]
        # the tangent at the current value: its slope is the gradient (none where a number is not finite)
        half = sweep.values[-1] / 8 - sweep.values[0] / 8
        for s, colour in zip(secants, SECANT_COLOURS):
            # through (w − h, E(w − h)) and (w + h, E(w + h)), at least as long as the tangent
            reach = min(max(s.h, half), sweep.current - sweep.values[0], sweep.values[-1] - sweep.current)
            xs = [sweep.current - reach, sweep.current + reach]
            ys = [s.loss_minus + s.slope * (s.h - reach), s.loss_plus + s.slope * (reach - s.h)]
            if np.isfinite(xs + ys).all():
                plt.plot(xs, ys, marker="braille", color=colour)
                heights.append(np.array(ys))
        xs = [sweep.current - half, sweep.current + half]
        ys = [sweep.current_loss - sweep.gradient * half, sweep.current_loss + sweep.gradient * half]
        if np.isfinite(xs + ys).all():
            plt.plot(xs, ys, marker="braille", color="orange")
            heights.append(np.array(ys))
        # the y axis: every line drawn, but never below 0, as a loss never is (a tangent may run below it: cut there);
        # ticks of our own, evenly spaced and each its own label (plotext's own skip one now and then)
        every = np.concatenate(heights)
        every = every[np.isfinite(every)]
        low, high = (max(0.0, float(every.min())), float(every.max())) if every.size else (0.0, 1.0)
        if high <= low:
            low, high = max(0.0, low - 0.5 * max(abs(low), 1e-12)), high + 0.5 * max(abs(high), 1e-12)
        plt.ylim(low, high)
        yticks = ladder_ticks(low, high, most=max(2, min(6, self.canvas[1] // 2)))
        plt.yticks(*yticks)
        if np.isfinite([sweep.current, sweep.current_loss]).all():
            self.dot(sweep.current, sweep.current_loss, float(np.ptp(sweep.values)), high - low)
        if secants:
            plt.title("h = " + ", ".join(number(s.h) for s in secants[:len(SECANT_COLOURS)]) + " → tangent")
        else:
            # in the axis's own words: a weight goes up or down; along a direction, towards its + or − side
            up, down = (f"towards +{label}", f"towards −{label}") if along else ("increase w", "decrease w")
            downhill = up if sweep.gradient < 0 else down if sweep.gradient > 0 else "flat"
            what = f"along {label}" if along else f"as {label} sweeps"
            plt.title(sweep_title(what, number(sweep.current, '+.4g'), number(sweep.gradient, '+.3g'), downhill,
                                  self.title_width(yticks[1])))
        plt.xlabel(f"{label} ({when})" if when else label)
        plt.xticks(*ladder_ticks(float(sweep.values[0]), float(sweep.values[-1]), most=5))


def sweep_title(what: str, now: str, slope: str, downhill: str, width: int) -> str:
    """The longest title that fits ``width`` (plotext drops a title wider than the frame): the slope and which
    way is downhill always, then what sweeps, then the value now."""
    titles = (f"E {what} · now {now} · slope {slope} · downhill: {downhill}", f"E {what} · slope {slope} · downhill: {downhill}",
              f"slope {slope} · downhill: {downhill}", f"slope {slope}")
    return fitting(titles, width)
