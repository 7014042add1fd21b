"""Mouse selection, divergence, small terminals and resizing."""

import numpy as np
import pytest
from textual.widgets import Tabs

from nnplay.scenario import load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.diagram import NetworkDiagram
from nnplay.tui.inspector import Inspector
from nnplay.tui.status import StatusLine
from nnplay.tui.table_view import TableView

from .conftest import make_app, playground, run_async, screen_text, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


def _midpoint_cell(edge):
    """A cell on the edge, a third of the way along (clear of the nodes)."""
    x = edge.x0 + (edge.x1 - edge.x0) / 3
    y = edge.y0 + (edge.y1 - edge.y0) / 3
    return int(x // 2), int(y // 4)


@run_async
async def test_clicking_an_edge_selects_its_weight():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        geometry = diagram.geometry()
        net = screen.session.network
        chosen = {net.index_of(1, "W", (1, 0)), net.index_of(0, "W", (1, 0)), net.index_of(0, "b", (1,))}
        for edge in geometry.edges:
            if edge.param not in chosen:
                continue
            x, y = _midpoint_cell(edge)
            assert geometry.hit(x, y) == edge.param
            await pilot.click(NetworkDiagram, offset=(x, y))
            await pilot.pause()
            assert screen.presenter.selected == edge.param
            label = text_of(screen.query_one(Inspector))
            assert f"value {screen.session.trainer.params[edge.param]:+.6g}" in label


@run_async
async def test_clicking_a_unit_selects_its_bias():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        net = screen.session.network
        output = next(n for n in diagram.geometry().nodes if n.column == 2)
        await pilot.click(NetworkDiagram, offset=(output.x + 1, output.y))
        await pilot.pause()
        assert screen.presenter.selected == net.index_of(1, "b", (0,))
        assert "b(xor)" in text_of(screen.query_one(Inspector))


@run_async
async def test_divergence_pauses_with_a_message_and_reset_recovers(diverging_file):
    app = PlaygroundApp(load(str(diverging_file)))
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        session = screen.session
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert session.trainer.diverged
        assert "DIVERGED" in text_of(screen.query_one(StatusLine))
        assert "learning rate" in text_of(screen.query_one(StatusLine))
        await pilot.press("r")  # refuses to run a diverged state
        await pilot.pause()
        assert not session.running
        await pilot.press("0")
        assert not session.trainer.diverged and session.trainer.step_count == 0
        for _ in range(4):
            await pilot.press("left_square_bracket")
        await pilot.press("full_stop")
        assert session.trainer.step_count == 10 and np.isfinite(session.trainer.current_loss())


@run_async
async def test_divergence_while_running_pauses(diverging_file):
    app = PlaygroundApp(load(str(diverging_file)))
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        while session.speed is not None:
            await pilot.press("plus")
        await pilot.press("r")
        await pilot.pause(0.5)
        assert session.trainer.diverged and not session.running
        assert "Diverged at step" in session.message


@run_async
async def test_80x24_uses_tabs_and_every_pane_can_be_shown():
    app = make_app("sentiment")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        assert screen.compact
        tabs = screen.query_one(Tabs)
        assert tabs.display
        for key, pane in zip("1234567", ("diagram", "view", "activations", "gradients", "loss", "explain", "lesson")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")  # leave the sentence box the view pane focuses
            assert tabs.active == f"tab-{pane}"
            shown = [p.id for p in screen.query(".pane") if p.display]
            assert shown == [f"pane-{pane}"]
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "step 1 │" in text and "loss " in text


@run_async
async def test_survives_resizing():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        for size in ((80, 24), (200, 60), (40, 12), (20, 8), (110, 34), (140, 45)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("space")
        assert screen.session.trainer.step_count == 6
        assert not screen.compact
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.compact


@run_async
async def test_seed_option_reaches_the_trainer():
    app = make_app("xor", seed=3)
    async with app.run_test(size=WIDE):
        assert playground(app).session.trainer.seed == 3


@run_async
async def test_table_view_for_three_inputs(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text('[data]\ninputs = [[0, 0, 1], [1, 0, 0], [0, 1, 1]]\ntargets = [[1], [0], [1]]\n'
                    '[network]\nlayers = [{ units = 2, activation = "tanh" }, { units = 1, activation = "sigmoid" }]\n'
                    '[training]\nloss = "bce"\n')
    app = PlaygroundApp(load(str(path)))
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        assert screen.session.scenario.view == "table"
        await pilot.press("full_stop")
        await pilot.pause()
        table = screen.query_one(TableView)
        text = "\n".join(table.render_line(y).text for y in range(table.size.height))
        assert "target y" in text and "output y" in text
        outputs = screen.frame.snapshot.outputs[:, 0]
        for y in outputs:
            assert f"{y:+.3f}" in text


@run_async
async def test_the_diagram_follows_the_theme():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        diagram = playground(app).query_one(NetworkDiagram)

        def blank_background():
            strip = diagram.render_line(0)
            return next(seg.style.bgcolor for seg in strip if seg.text.strip() == "")

        app.theme = "textual-dark"
        await pilot.pause()
        dark = blank_background()
        app.theme = "textual-light"
        await pilot.pause()
        light = blank_background()
        assert dark is not None and light is not None and dark != light
        assert sum(light.get_truecolor()) > sum(dark.get_truecolor())


def test_an_unexpected_error_is_one_line_and_a_log_file(monkeypatch, capsys):
    import asyncio
    import contextlib
    from pathlib import Path

    from nnplay.tui.activations import ActivationsPane

    def broken(self, state):
        raise RuntimeError("a bug in a pane")

    app = make_app()

    async def go():
        async with app.run_test(size=WIDE) as pilot:
            monkeypatch.setattr(ActivationsPane, "show", broken)
            await pilot.press("space")
            await pilot.pause()

    with contextlib.suppress(RuntimeError):  # run_test re-raises the app's error for the test framework
        asyncio.run(go())
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("nnplay: unexpected error: RuntimeError: a bug in a pane")
    log = Path(app.crash_log)
    assert "Traceback" in log.read_text() and "a bug in a pane" in log.read_text()
    log.unlink()
