"""The f key through the Pilot at 120 × 40: the status line names the phase, the panes write what is not
computed yet as '·', b and space end the walk, f pauses a run."""

import pytest

from nnplay.tui.activations import ActivationsPane
from nnplay.tui.diagram import NetworkDiagram
from nnplay.tui.gradients import GradientsPane
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

SIZE = (120, 40)


def row(widget, start: str) -> str:
    [line] = [line for line in text_of(widget).splitlines() if line.strip().startswith(start)]
    return line


@run_async
async def test_f_walks_the_phases_and_the_panes_show_what_is_known():
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        screen = playground(app)
        await pilot.press("f")
        await pilot.pause()
        status = text_of(screen.query_one(StatusLine))
        assert "phase 1/7 · forward: layer 1" in status
        activations, gradients = screen.query_one(ActivationsPane), screen.query_one(GradientsPane)
        assert "·" not in row(activations, "h1").split()[1]  # layer 1: u and z known
        assert row(activations, "xor").split()[1:3] == ["·", "·"]  # the output: not yet
        assert row(gradients, "x1").split()[1:] == ["·", "·"]  # no gradient yet
        assert "·" in text_of(screen.query_one(NetworkDiagram))  # the output node
        await pilot.press("f", "f", "f")
        await pilot.pause()
        assert "phase 4/7 · backward: deltas of the output layer" in text_of(screen.query_one(StatusLine))
        assert "·" not in row(activations, "xor").split()[1:3]  # the output: u and z known
        deltas = [line.split()[1:] for line in text_of(gradients).splitlines() if line.strip().startswith("δ ")]
        assert deltas[0] == ["·", "·"] and "·" not in deltas[1]  # the output's δ known, layer 1's not yet
        assert screen.session.trainer.step_count == 0


@run_async
async def test_b_goes_back_to_before_the_iteration_and_space_finishes_it():
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        screen = playground(app)
        trainer = screen.session.trainer
        await pilot.press("full_stop", "f", "f", "b")
        await pilot.pause()
        assert trainer.step_count == 10 and "phase" not in text_of(screen.query_one(StatusLine))
        await pilot.press("f", "f", "f", "f", "f", "f", "f")  # all seven: the update is the step
        await pilot.pause()
        assert trainer.step_count == 11 and "phase 7/7 · update" in text_of(screen.query_one(StatusLine))
        await pilot.press("b")  # after the update: back to the state before the iteration
        await pilot.pause()
        assert trainer.step_count == 10
        await pilot.press("f", "space")
        await pilot.pause()
        assert trainer.step_count == 11 and "phase" not in text_of(screen.query_one(StatusLine))


@run_async
async def test_f_pauses_a_run():
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        screen = playground(app)
        await pilot.press("r")
        await pilot.pause(0.2)
        await pilot.press("f")
        await pilot.pause()
        assert not screen.session.running
        assert "phase 1/7" in text_of(screen.query_one(StatusLine))
