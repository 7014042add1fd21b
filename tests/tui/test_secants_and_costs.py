"""The nudge check's secants and the cost calculator's curves, through the Pilot: what the plots are given."""

import pytest
from textual.widgets import Input

from nnplay import costs, explain
from nnplay.tui.cost_calculator import CostCalculator
from nnplay.tui.cost_curves import LOSS_COLOURS, CostCurvesPlot
from nnplay.tui.nudge import NudgeNumbers, NudgeView
from nnplay.tui.sweep import SECANT_COLOURS, SweepPlot

from .conftest import make_app, playground, run_async, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each


def drawn_lines(plot) -> list[tuple[list[float], list[float], str | None]]:
    """The lines the plot draws (plotext's plot calls: xs, ys, colour) when it renders now."""
    lines = []
    original = plot.plt.plot

    def record(xs, ys, *, color=None, **options):
        lines.append((list(xs), list(ys), color))
        return original(xs, ys, color=color, **options)

    plot.plt.plot = record
    try:
        plot.render()
    finally:
        plot.plt.plot = original
    return lines


async def settle(pilot):
    for _ in range(10):  # the view is made off the interface thread, then drawn
        await pilot.pause(0.05)


@run_async
async def test_the_nudge_check_draws_its_secants_and_backprops_tangent():
    app = make_app("bump")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        await pilot.press(*["full_stop"] * 5, "v", "v")
        await settle(pilot)
        nudge = screen.presenter.view_state(screen.frame).explain
        assert isinstance(nudge, explain.Nudge)
        shown = text_of(screen.query_one(NudgeNumbers))
        for s in nudge.secants:  # every nudge's slope, and backprop's
            assert f"{s.slope:+.8g}" in shown
        assert f"{nudge.gradient:+.8g}" in shown and "agree to" in shown
        lines = drawn_lines(screen.query_one(NudgeView).query_one(SweepPlot))
        slopes = {colour: (ys[1] - ys[0]) / (xs[1] - xs[0]) for xs, ys, colour in lines if len(xs) == 2}
        for s, colour in zip(nudge.secants, SECANT_COLOURS):  # each secant drawn at its own slope…
            assert slopes[colour] == pytest.approx(s.slope, rel=1e-6)
        assert slopes["orange"] == pytest.approx(nudge.gradient, rel=1e-9)  # …and the tangent at backprop's
        curve = [line for line in lines if line[2] == "cyan"][0]
        assert curve[0] == nudge.sweep.values.tolist()  # on the loss along the weight


@run_async
async def test_the_cost_calculator_plots_each_loss_and_marks_the_prediction():
    app = make_app("spiral")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("C")
        await pilot.pause()
        calculator = app.screen
        assert isinstance(calculator, CostCalculator)
        calculator.query_one("#target", Input).value = "0, 1, 0"
        calculator.query_one("#prediction", Input).value = "0.2, 0.7, 0.1"
        await pilot.pause()
        plot = calculator.query_one(CostCurvesPlot)
        assert plot.visible
        curves = costs.cost_curves([0, 1, 0], [0.2, 0.7, 0.1])
        lines = drawn_lines(plot)
        assert {colour for _, _, colour in lines} == {LOSS_COLOURS[c.loss] for c in curves.curves}
        cce = next(c for c in curves.curves if c.loss == "cce")
        assert [ys for _, ys, colour in lines if colour == LOSS_COLOURS["cce"]] == [cce.values.tolist()]
        calculator.query_one("#prediction", Input).value = "0.2, x"
        await pilot.pause()
        assert not plot.visible  # no numbers: the one-line message, no plot (its room kept)
        calculator.query_one("#target", Input).value = "1e300"
        for huge in ("-1e300", "1e200"):  # squares beyond the doubles: drawn as far as they are finite
            calculator.query_one("#prediction", Input).value = huge
            await pilot.pause()
            assert plot.visible and "cannot be drawn" not in str(plot.render())
