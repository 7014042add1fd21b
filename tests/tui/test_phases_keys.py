"""The f key through the Pilot at 120 × 40: the status line names the phase, the panes write what is not
computed yet as '·', b and space end the walk, f pauses a run; δ flows back along the diagram's edges, and the
views of the loss around the weights say they show the state before the iteration."""

import numpy as np
import pytest

from nnplay.tui.activations import ActivationsPane
from nnplay.tui.diagram import DASHED, NODE_WIDTH, SOLID, SPARSE, NetworkDiagram
from nnplay.tui.gradients import GradientsPane
from nnplay.tui.nudge import NudgeNumbers
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, settled, text_of

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


@run_async
async def test_the_diagram_draws_delta_flowing_back_along_the_layers_weights():
    """In a backward phase the edges of the layer the phase computed carry w·δ (solid or dashed by its sign),
    every other edge is dotted, and the units whose δ is known show it, their names marked δ."""
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        await pilot.press("greater_than_sign", "f", "f", "f", "f")  # backward: deltas of the output layer
        await pilot.pause()
        for layer, columns in ((1, {2}), (0, {1, 2})):  # the columns whose units show δ: the output's, then h's too
            flow = diagram.state.flow
            assert flow is not None and flow.layer == layer
            g = diagram.geometry()
            params = [e.param for e in g.edges]
            carried = flow.carried[params]
            expected = np.where(flow.carries[params], np.where(carried < 0, DASHED, SOLID), SPARSE)
            assert {e.layer for e, on in zip(g.edges, flow.carries[params]) if on} == {layer}
            assert diagram._cell_chars == g.characters(expected)
            assert "w·δ flowing back" in text_of(diagram)
            for node in g.nodes:  # a δ right after the number of each unit that shows it
                if node.unit >= 0 and node.column > 0:
                    after = diagram.render_row(node.y).text[node.x + NODE_WIDTH]
                    assert (after == "δ") == (node.column in columns)
            await pilot.press("f")
            await pilot.pause()
        assert diagram.state.flow is None and "δ" not in text_of(diagram)  # the gradients: z again


@run_async
async def test_with_minibatches_the_gradients_of_a_walk_are_the_batchs():
    app = make_app("spiral")
    async with app.run_test(size=SIZE) as pilot:
        gradients = playground(app).query_one(GradientsPane)
        assert "dE/dw, whole set" in text_of(gradients)
        await pilot.press(*["f"] * 6)  # the gradients phase: the step's own gradient, on its batch
        await pilot.pause()
        assert "dE/dw, this batch" in text_of(gradients)
        await pilot.press("f")  # the update: the state after the step, its whole-set gradient
        await pilot.pause()
        assert "dE/dw, whole set" in text_of(gradients)


@run_async
async def test_the_nudge_check_and_the_sweep_say_they_show_the_state_before_the_iteration():
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        screen = playground(app)
        presenter = screen.presenter

        async def shown(view) -> str:
            await settled(pilot)
            assert presenter.explain_mode == view
            widget = screen.query_one(NudgeNumbers) if view == "nudge" else screen.query_one(f"#explain-{view}")
            return " ".join(text_of(widget).split())

        await pilot.press("v", "v", "f")  # the nudge check, then a walk's first phase
        assert "(before this iteration)" in await shown("nudge")
        await pilot.press("v", "f")
        assert "(before this iteration)" in await shown("sweep")
        await pilot.press("b")  # the walk dropped: the state on screen is the one they show
        assert "before this iteration" not in await shown("sweep")
