"""Issue 12's learner report (fix12) through the Pilot: the per-sample loss in Activations, the walk's status line
at 80 × 24, the cost calculator's focus and height, the layout at 80 × 24."""

import pytest

from nnplay.tui.activations import ActivationsPane
from nnplay.tui.colors import fmt
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, text_of
from .test_phases_keys import row

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each


@run_async
async def test_activations_shows_the_samples_own_loss_from_the_loss_phase_on():
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        activations = screen.query_one(ActivationsPane)
        await pilot.press("f", "f")
        await pilot.pause()
        assert row(activations, "loss e").split()[2] == "·"  # not computed yet
        await pilot.press("f")
        await pilot.pause()
        it = screen.presenter.view_state(screen.session.frame()).phase.iteration
        assert row(activations, "loss e").split()[2] == fmt(it.sample_losses[0], 6).strip()
        await pilot.press("n")
        await pilot.pause()
        assert row(activations, "loss e").split()[2] == fmt(it.sample_losses[1], 6).strip()


@run_async
async def test_at_80x24_the_walks_phase_and_numbers_show_whole_on_their_own_line():
    app = make_app("xor")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        await pilot.press("f", "f", "f")
        await pilot.pause()
        lines = text_of(screen.query_one(StatusLine)).splitlines()
        assert lines[0].strip().startswith("XOR│step 0│loss 0.698212 (bce)")
        assert lines[1].strip() == "phase 3/7 · loss: each sample's, then E │ E = 0.698212 on 4 samples"


async def until(pilot, ready, tries: int = 100):
    """Pause until ``ready()`` (a view made off the interface thread), at most ``tries`` short pauses."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if ready():
            return
    raise AssertionError("never ready")


@run_async
async def test_a_1d_landscape_says_downhill_in_its_axis_words():
    from .conftest import screen_text

    app = make_app("xor")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign", "L", "L")  # 100 steps, then random directions in 1-D
        await until(pilot, lambda: "downhill" in screen_text(app))
        text = screen_text(app)
        assert "E along random d₁" in text and "random d₁" in text.split("downhill:")[1].splitlines()[0]
        assert "increase a" not in text and "decrease a" not in text


@run_async
async def test_the_cost_calculator_tabs_between_its_entries_and_keeps_its_size():
    from textual.containers import VerticalScroll
    from textual.widgets import Input

    from nnplay.tui.cost_curves import CostCurvesPlot

    app = make_app("xor")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        dialog = app.screen
        assert app.focused is dialog.query_one("#prediction", Input)
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#target", Input)  # not an invisible box that eats the keys
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#prediction", Input)
        box = dialog.query_one(VerticalScroll)
        height = box.outer_size.height
        # the entered prediction has its own tick under the curves
        ticks = [line for line in text_of(dialog.query_one(CostCurvesPlot)).splitlines() if "0.2" in line]
        assert ticks and "0.003" in ticks[-1]
        for target, prediction in (("0", "0.2, x"), ("0", ""), ("0, 1, 0", "0.2, 0.7, 0.1"), ("0", "2"),
                                   ("0.5", "0.45"), ("0", "1")):
            dialog.query_one("#target", Input).value = target
            dialog.query_one("#prediction", Input).value = prediction
            await pilot.pause()
            assert box.outer_size.height == height, (target, prediction)
            if prediction == "1":  # the most lines of notes: all shown
                shown = " ".join(text_of(dialog.query_one("#costs")).split())
                assert "y clipped to [1e-12, 1 − 1e-12]" in shown
                assert "needs two or more probabilities that add up to 1" in shown


def y_labels(widget) -> list[float]:
    """The numbers on a plotext plot's left axis, top to bottom."""
    import re

    found = (re.match(r"\s*(-?[\d.]+(?:e[-+]\d+)?)┤", line) for line in text_of(widget).splitlines())
    return [float(m.group(1)) for m in found if m]


def evenly_spaced(values: list[float]) -> bool:
    import numpy as np

    steps = -np.diff(values)
    return len(values) >= 2 and bool(np.all(steps > 0)) and bool(np.allclose(steps, steps[0], rtol=1e-6))


@run_async
async def test_the_sweeps_axis_is_even_and_never_labels_a_negative_loss():
    import numpy as np
    from textual.app import App

    from nnplay.explain import Sweep
    from nnplay.tui.sweep import SweepPlot

    class One(App):
        def compose(self):
            yield SweepPlot()

    values = np.linspace(-1, 1, 61)
    steep = Sweep(values, 0.5 + 8 * values ** 2, 0.9, 0.5 + 8 * 0.81, 16 * 0.9)  # its tangent dives below 0
    gentle = Sweep(values, 0.6895 + 0.047 * (values + 1) / 2, 0.0, 0.713, 0.0235)  # plotext's own ticks skipped one
    app = One()
    async with app.run_test(size=(90, 16)) as pilot:
        plot = app.query_one(SweepPlot)
        for sweep in (steep, gentle):
            plot.draw_with(lambda s=sweep: plot.draw(s, "w(x1 → h1)"))
            await pilot.pause()
            labels = y_labels(plot)
            assert evenly_spaced(labels) and min(labels) >= 0, labels


@run_async
async def test_the_loss_plots_labels_after_one_step_are_each_their_own():
    from nnplay.tui.lossplot import LossPlot

    for name in ("xor", "spiral"):
        app = make_app(name)
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("space")
            await pilot.pause()
            labels = y_labels(playground(app).query_one(LossPlot))
            assert len(labels) >= 2 and len(set(labels)) == len(labels), (name, labels)


@run_async
async def test_the_nudge_checks_explanation_shows_whole_in_the_explain_pane():
    from nnplay.tui.nudge import NudgeNumbers

    from .conftest import screen_text

    app = make_app("xor")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign", "v", "v")
        await until(pilot, lambda: "agree to" in text_of(playground(app).query_one(NudgeNumbers)))
        numbers = playground(app).query_one(NudgeNumbers)
        pane = playground(app).query_one("#pane-explain")
        # the title, the header, 5 nudges, backprop, the verdict on one line, the formula: 10 rows, one to spare in
        # an explain pane of 11 (the spiral's, during a walk, had 11 rows for 11 lines and cut the last)
        assert numbers.outer_size.height <= 10
        assert numbers.outer_size.height <= pane.content_size.height  # nothing scrolled out of sight
        assert "(E(w+h) − E(w−h)) / 2h: its error ∝ h²" in screen_text(app)


@run_async
async def test_at_80x24_every_tab_shows_whole_and_a_notice_leaves_the_panes_top_rows_alone():
    from textual.widgets import Tab
    from textual.widgets._toast import Toast, ToastRack

    from .conftest import screen_text

    app = make_app("xor")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        tabs = list(playground(app).query_one("#tabs").query(Tab))
        assert len(tabs) == 7
        for tab in tabs:  # each whole on the screen
            assert tab.region.right <= 80 and tab.region.width >= len(str(tab.label)), (str(tab.label), tab.region)
        await pilot.press("greater_than_sign", "6", "L")
        await until(pilot, lambda: "no path" in screen_text(app))
        await until(pilot, lambda: bool(app.screen.get_child_by_type(ToastRack).query(Toast)))
        [toast] = app.screen.get_child_by_type(ToastRack).query(Toast)
        pane = playground(app).query_one("#pane-explain")
        assert "Landscape (2-D)" in str(toast.render())
        assert toast.region.y > pane.region.y + 3  # under the key and its note
        assert toast.region.bottom <= playground(app).query_one(StatusLine).region.y  # over neither line


@run_async
async def test_the_nudge_checks_rule_is_one_line_whatever_the_tables_width():
    from nnplay.tui.nudge import NudgeNumbers

    app = make_app("spiral")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign", "v", "v")
        await until(pilot, lambda: "h = 0.0001" in text_of(playground(app).query_one(NudgeNumbers)))
        lines = [line.strip() for line in text_of(playground(app).query_one(NudgeNumbers)).splitlines()]
        assert "(E(w+h) − E(w−h)) / 2h: its error ∝ h²" in lines
        await pilot.press("f")  # during a walk the rule's line says what state the check is of, whole too
        await until(pilot, lambda: "before this iteration" in text_of(playground(app).query_one(NudgeNumbers)))
        lines = [line.strip() for line in text_of(playground(app).query_one(NudgeNumbers)).splitlines()]
        assert "(before this iteration)" in lines


@run_async
async def test_at_80x24_activations_chosen_as_a_tab_shows_its_end_the_target_and_the_loss():
    app = make_app("digits")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "f", "f", "3")
        await pilot.pause()
        await pilot.pause()
        shown = text_of(playground(app).query_one(ActivationsPane))
        assert "target" in shown and "loss e" in shown  # (it showed the inputs: its top)
