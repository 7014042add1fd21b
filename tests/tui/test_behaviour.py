"""Mouse selection, divergence, small terminals and resizing."""

import re

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
        assert "step 1│" in text and "loss " in text


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


# -- everything the explanation points to is on screen --------------------------------------------------

SCENARIOS = ("bump", "circle", "digits", "overfit", "penguins", "sentiment", "spiral", "xor")
SIZES = ((140, 45), (120, 40))
FITS = ("bump", "xor")  # small enough that every pane holds all of its rows at both sizes


def pane_lines(app, pane: str) -> list[str]:
    """What the terminal shows inside a pane's border (its scrollbars included), line by line."""
    screen = app.screen
    strips = screen._compositor.render_strips()
    region = screen.query_one(f"#pane-{pane}").content_region
    return [strips[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)]


def widget_lines(widget) -> list[str]:
    """Every line of a widget's content, drawn at its width, blank ones left out."""
    return [line.rstrip() for line in text_of(widget).split("\n") if line.strip()]


def scrolled(pane) -> bool:
    """Whether a pane, or a scrolling view inside it, shows that part of its content is out of sight."""
    return any(w.show_vertical_scrollbar for w in (pane, *pane.query("*")) if w.display)


def overflows(pane) -> bool:
    return any(w.max_scroll_y > 0 for w in (pane, *pane.query("*")) if w.display)


def assert_in_sight(app, pane: str, lines: list[str]) -> None:
    shown = pane_lines(app, pane)
    for line in lines:
        assert any(s.startswith(line) for s in shown), f"{pane}: {line!r} is out of sight in\n" + "\n".join(shown)


def assert_named_rows_in_sight(app, name: str) -> None:
    screen = playground(app)
    presenter = screen.presenter
    layers = len(screen.session.network.layers)
    # Activations: the output rows and the target (at any size: the pane follows its end)
    activations = pane_lines(app, "activations")
    for unit in presenter.names[-1]:
        assert any(line.startswith(unit[:10]) for line in activations), (unit, activations)
    assert any(line.startswith("target") for line in activations), activations
    gradients = pane_lines(app, "gradients")
    explain = screen.query_one(f"#explain-{presenter.explain_mode}")
    explain_pane = screen.query_one("#pane-explain")
    if name in FITS:
        # Gradients: every layer, its bias row (+1) and its δ row
        assert sum(line.startswith("+1 ") for line in gradients) == layers, gradients
        assert sum(bool(re.match(r"δ +[-+0-9]", line)) for line in gradients) == layers, gradients
        # the explain view, whole: every line of the chain rule, say
        assert_in_sight(app, "explain", widget_lines(explain))
        assert not scrolled(explain_pane)
    for pane in ("activations", "gradients", "explain"):  # what does not fit scrolls, and shows it does
        node = screen.query_one(f"#pane-{pane}")
        assert scrolled(node) == overflows(node), pane
    # the lesson page with its page line
    lesson = widget_lines(screen.query_one("#lesson"))
    assert lesson[-1].startswith("page ")
    assert_in_sight(app, "lesson", lesson)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_explain_view_leaves_the_named_rows_in_sight(name, size):
    @run_async
    async def go():
        app = make_app(name)
        async with app.run_test(size=size) as pilot:
            screen = playground(app)
            await pilot.press("greater_than_sign")
            seen = []
            for _ in range(5):  # inspector, chain rule, nudge, sweep, landscape
                await pilot.pause(0.1)
                seen.append(screen.presenter.explain_mode)
                assert_named_rows_in_sight(app, name)
                await pilot.press("v")
            assert len(set(seen)) == 5
            for _ in range(len(screen.session.scenario.lessons) - 1):  # every lesson page, with its actions
                await pilot.press("right_curly_bracket")
                await pilot.pause(0.1)
                assert_named_rows_in_sight(app, name)
    go()


@run_async
async def test_a_pane_scrolls_only_when_it_must_and_follows_its_end():
    app = make_app("xor")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign", "v")
        await pilot.pause()
        for pane in playground(app).query(".pane"):
            assert scrolled(pane) == overflows(pane), pane.id  # a scrollbar exactly when something is out of sight
            if pane.id in ("pane-activations", "pane-explain", "pane-lesson"):
                assert not scrolled(pane), pane.id  # xor fits
    app = make_app("spiral")
    async with app.run_test(size=(140, 45)) as pilot:
        pane = playground(app).query_one("#activations")  # the table scrolls itself (the Line API)
        await pilot.pause()
        assert pane.show_vertical_scrollbar and pane.max_scroll_y > 0 and pane.scroll_y == pane.max_scroll_y
        pane.scroll_home(animate=False)  # the learner reads the inputs: a step does not take them away
        await pilot.press("space")
        await pilot.pause()
        assert pane.scroll_y == 0
        assert pane_lines(app, "activations")[0].startswith("sample 1 of")
        pane.scroll_end(animate=False)  # back at the end: it follows the end again
        await pilot.press("space")
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y > 0


@run_async
async def test_every_explain_view_at_80x24():
    for name in SCENARIOS:
        app = make_app(name)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = playground(app)
            await pilot.press("greater_than_sign", "6")
            for _ in range(5):
                await pilot.press("v")
                await pilot.pause(0.1)
                assert [p.id for p in screen.query(".pane") if p.display] == ["pane-explain"]
                assert screen.query_one(f"#explain-{screen.presenter.explain_mode}").region.height > 0
                assert "step 100" in text_of(screen.query_one(StatusLine))
            await pilot.press("7", "right_curly_bracket")
            await pilot.pause(0.1)
            assert any(line.startswith("page 2 of") for line in pane_lines(app, "lesson"))


@run_async
async def test_unit_maps_sit_beside_the_decision_map():
    app = make_app("spiral")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        await pilot.press("u")
        await pilot.pause()
        pane, decision, maps = (screen.query_one(f"#{id}") for id in ("pane-view", "view", "unit-maps"))
        assert decision.display and maps.display
        assert decision.region.width > 0 and maps.region.width > 0
        assert decision.region.right <= maps.region.x and decision.region.y == maps.region.y
        assert pane.region.contains_region(decision.region) and pane.region.contains_region(maps.region)
        assert "h1 |z|" in text_of(maps)
        await pilot.press("u")
        await pilot.pause()
        assert decision.display and not maps.display
        assert decision.region.width == pane.content_region.width


@run_async
async def test_the_status_line_stays_one_line_on_narrower_terminals():
    from nnplay.tui.status import StatusLine

    for width, dropped in ((140, ()), (120, ()), (100, ("steps/s",)), (80, ("steps/s", "epoch ", "speed"))):
        app = make_app("spiral")  # the longest: accuracy and a batch size too
        async with app.run_test(size=(width, 40)) as pilot:
            await pilot.pause()
            status = playground(app).query_one(StatusLine)
            line = text_of(status)
            assert status.size.height == 1 and "step 0" in line and "loss 1.31" in line and "(cce)" in line, line
            assert "batch 9" in line and "paused" in line
            for part in dropped:
                assert part not in line, (width, line)
    app = make_app("xor")  # a long note: step back right after an edit, at 80 columns
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        await pilot.press("space")
        screen.carry_out(screen.presenter.edit_weight("3"))
        await pilot.press("b")
        await pilot.pause()
        status = screen.query_one(StatusLine)
        assert status.size.height == 1 and text_of(status).rstrip().endswith("…"), text_of(status)
