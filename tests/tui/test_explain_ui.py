"""Issue 'Seeing why it learns' through the Pilot: the keys reach the presenter and the panes show it.

The numbers themselves, and every action, are tested without Textual in tests/test_playground.py.
"""

import json

import numpy as np
import pytest

from nnplay import explain
from nnplay.scenario import EXPLAIN_VIEWS, load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.chain_rule import ChainRuleView
from nnplay.tui.cost_calculator import CostCalculator
from nnplay.tui.inspector import Inspector
from nnplay.tui.lesson import LessonPane
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, screen_text, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


@run_async
async def test_v_cycles_the_explain_views():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop")
        seen = []
        for _ in EXPLAIN_VIEWS:
            await pilot.press("v")
            await pilot.pause()
            seen.append(screen.presenter.explain_mode)
            assert screen.query_one("#explain").current == f"explain-{screen.presenter.explain_mode}"
            assert screen.query_one("#pane-explain").border_title.startswith("6 Explain: ")
        assert seen == list(EXPLAIN_VIEWS[1:]) + [EXPLAIN_VIEWS[0]]


@run_async
async def test_the_inspector_prints_the_optimisers_next_update():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop")
        await pilot.pause()
        snap = screen.frame.snapshot
        shown = text_of(screen.query_one(Inspector))
        assert f"= {snap.next_update[screen.presenter.selected]:+.4g}".replace("-", "−") in shown
        assert "next update, sgd, with g = " in shown and "\nΔw = −η·g + α·Δw_prev = " in shown


@run_async
async def test_chain_rule_view_shows_the_gradient_backprop_computed():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", *["w"] * 6, "v")  # the weight h1 -> xor (after 4 weights, 2 biases)
        await pilot.pause()
        rule = screen.presenter.view_state(screen.frame).explain
        assert isinstance(rule, explain.ChainRule)
        shown = text_of(screen.query_one(ChainRuleView))
        assert f"= g {rule.gradient:+.6g}" in shown.replace("\n", " ") and "w(h1 → xor)" in shown
        assert "Σ over the 4 samples" in shown
        assert "dE/dy · f'(u)" in shown  # an output unit's delta, expanded
        assert shown.endswith(f"= {rule.update.value:+.4g}".replace("-", "−"))


@run_async
async def test_with_minibatches_the_chain_rule_lists_the_next_batch():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", "full_stop", "w", "v")
        await pilot.pause()
        rule = screen.presenter.view_state(screen.frame).explain
        batch = screen.frame.snapshot.next_batch
        shown = text_of(screen.query_one(ChainRuleView))
        assert f"Σ over the next batch's {len(batch)} samples" in shown
        numbers = [int(line.split()[0]) for line in shown.split("\n")[2:] if line.split() and line.split()[0].isdigit()]
        assert numbers == [int(i) + 1 for i in batch[:len(numbers)]] and len(numbers) >= 3  # 1-based, in batch order
        assert f"sum of all {len(batch)} ({len(batch) - len(numbers)} not shown)" in shown
        assert f"= g {rule.gradient:+.6g}" in shown
        assert rule.gradient == screen.frame.snapshot.next_grad[screen.presenter.selected]
        assert "next update (sgd on the next batch of 9): Δw = " in shown
        for size in ((140, 45), (120, 40)):  # the whole of it in sight, the update line included
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert not screen.query_one("#pane-explain").show_vertical_scrollbar, size


@run_async
async def test_hyper_parameter_keys():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        settings = lambda: screen.session.trainer.settings  # noqa: E731
        await pilot.press("m")
        assert settings().momentum == 0.95
        await pilot.press("M", "M", "k", "c")
        assert (settings().momentum, settings().batch_size, settings().loss) == (0.8, 16, "mse")
        await pilot.pause()
        assert "momentum 0.8 │ batch 16" in text_of(screen.query_one(StatusLine))


@run_async
async def test_cost_calculator():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("C")
        assert isinstance(app.screen, CostCalculator)
        await pilot.pause()
        costs = app.screen.query_one("#costs")
        before = text_of(costs)
        assert f"{-np.log(0.997):.6g}" in before  # bce of y = 0.003 for t = 0
        await pilot.press(*"0.997")
        await pilot.pause()
        after = text_of(costs)
        assert f"{-np.log(0.003):.6g}" in after and after != before
        for loss in ("mse", "sse", "mae", "bce", "cce"):
            assert loss in after
        assert "needs two or more probabilities that add up to 1" in " ".join(after.split())  # wrapped in its cell
        await pilot.press("escape")
        assert not isinstance(app.screen, CostCalculator)


@run_async
async def test_unit_maps_toggle():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("u")
        await pilot.pause()
        assert screen.presenter.show_unit_maps and screen.query_one("#unit-maps").display and screen.query_one("#view").display
        assert "h1 |z|" in text_of(screen.query_one("#unit-maps"))
        await pilot.press("u")
        assert not screen.presenter.show_unit_maps and not screen.query_one("#unit-maps").display
    app = make_app("bump")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("u")
        await pilot.pause()  # (the notice is mounted after the key)
        assert not playground(app).presenter.show_unit_maps  # one input: no maps, a message instead
        # (spaces compared out: the screenshot's text drops the one where the notice's segments meet the pane's)
        assert "Per-unitmapsneedtwoinputs" in screen_text(app).replace(" ", "")


@run_async
async def test_lesson_keys_turn_the_pages():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        lessons = screen.session.scenario.lessons
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert screen.presenter.lesson_index == 2 and screen.presenter.explain_mode == "chain-rule"
        await pilot.pause()
        assert screen.query_one("#explain").current == "explain-chain-rule"
        assert lessons[2].title in text_of(screen.query_one(LessonPane))
        await pilot.press("left_curly_bracket")
        assert screen.presenter.lesson_index == 1


@run_async
async def test_a_long_run_to_trains_in_the_background(tmp_path):
    toml = load("xor").text + '\n[[lesson]]\ntitle = "go"\ntext = "far"\naction = { run_to = 30000 }\n'
    path = tmp_path / "far.toml"
    path.write_text(toml)
    app = PlaygroundApp(load(str(path)))
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        for _ in range(len(screen.session.scenario.lessons) - 1):
            await pilot.press("right_curly_bracket")
        before = screen.presenter.sample
        await pilot.press("n")  # the interface answers while it runs
        assert screen.presenter.sample == (before + 1) % 4
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.session.running:
                break
        assert screen.session.trainer.step_count == 30000 and not screen.session.running


@run_async
async def test_save_and_load_from_the_playground(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("sentiment")
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        await pilot.press("greater_than_sign", "s")
        await app.workers.wait_for_complete()  # saving runs off the interface thread
        await pilot.pause()
        saved = tmp_path / "nnplay-sentiment-step100.json"
        assert json.loads(saved.read_text())["step"] == 100
        await pilot.press("0", "O", *"nope.json", "enter")
        await pilot.pause()
        assert playground(app).session is session  # a bad file: a message, nothing else
        assert "nope.json: no such file" in text_of(app.screen.query_one("#problem"))  # the prompt stays open
        await pilot.press("escape", "O", *str(saved.name), "enter")
        await pilot.pause()
        loaded = playground(app).session
        assert loaded is not session and loaded.trainer.step_count == 100
        await pilot.press("space")
        assert loaded.trainer.step_count == 101


@run_async
async def test_while_running_the_training_thread_makes_the_landscape():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        session = screen.session
        await pilot.press("v", "v", "v", "v")
        assert screen.presenter.explain_mode == "landscape" and session.landscape_pair is not None
        while session.speed is not None:
            await pilot.press("plus")
        app.simulate_key("r")
        for _ in range(100):  # the first one comes a second after the one made at step 0
            await pilot.pause(0.05)
            frame = screen.frame
            if frame is not None and frame.running and frame.landscape is not None and len(frame.landscape[1][1]) > 1:
                break
        session.pause()
        await pilot.pause(0.1)
        assert frame.landscape is not None and frame.landscape[0] == session.landscape_pair
        surface, path = frame.landscape[1]
        a, b = session.landscape_pair
        # made by the training thread at a state of this run at most a second old: its last point
        # is the pair's value at some step up to the frame's, and the surface is centred on the path
        steps, values = session.trainer.trajectory([a, b], since=0)
        reached = [tuple(v) for v in values[: frame.snapshot.step + 1].tolist()]
        assert path[-1] in reached and path[-1] == surface.current
        assert len(path) > 1
        await pilot.press("v")
        assert session.landscape_pair is None


def plot_cells(plot):
    """The plotext plot as drawn: its frame's inner box (top row, left column, bottom row, right column), the
    cells in magenta (plotext colour 5) and the plain lines."""
    text = plot.render()
    lines = text.split("\n")
    plain = [line.plain for line in lines]
    top = next(r for r, line in enumerate(plain) if "┌" in line)
    bottom = next(r for r, line in enumerate(plain) if "┘" in line)
    left, right = plain[top].index("┌"), plain[bottom].index("┘")
    magenta = {(r, c) for r, line in enumerate(lines) for span in line.spans
               if getattr(line.get_style_at_offset(plot.app.console, span.start).color, "number", None) == 5
               for c in range(span.start, span.end)}
    return (top + 1, left + 1, bottom - 1, right - 1), magenta, plain


def braille_cell(plot, box, x, y):
    """The cell where plotext puts a braille point at (x, y): its own rounding (plotext._utility.get_matrix_data)."""
    import math

    top, left, bottom, right = box
    (x0, x1), (y0, y1) = plot.plt.monitor.xlim[0], plot.plt.monitor.ylim[0]
    width, height = right - left + 1, bottom - top + 1
    sub_x = math.floor(round(0.5 + (2 * width - 1) * (x - x0) / (x1 - x0), 8))
    sub_y = math.floor(round(0.5 + (4 * height - 1) * (y - y0) / (y1 - y0), 8))
    return bottom - sub_y // 4, left + sub_x // 2


@run_async
async def test_the_sweeps_dot_lies_on_its_curve():
    from nnplay.tui.sweep import SweepPlot

    app = make_app("bump")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        for steps in (">", ">", ".", "."):  # several states: the dot's place on the grid changes
            await pilot.press("greater_than_sign" if steps == ">" else "full_stop")
            screen.carry_out(screen.presenter.set_explain("sweep"))
            for _ in range(40):
                await pilot.pause(0.05)
                sweep = screen.presenter.view_state(screen.frame).explain
                if sweep is not None and sweep.current == screen.session.trainer.params[screen.presenter.selected]:
                    break
            screen.restyle("explain")
            await pilot.pause()
            plot = screen.query_one(SweepPlot)
            box, magenta, _ = plot_cells(plot)
            # the curve passes through (current, current loss): the dot covers the cell the curve's point is in
            assert braille_cell(plot, box, sweep.current, sweep.current_loss) in magenta
            screen.carry_out(screen.presenter.set_explain("inspector"))


@run_async
async def test_the_loss_plot_names_the_loss_marks_the_changes_and_keeps_its_last_point_inside():
    from nnplay.tui.lossplot import LossPlot

    app = make_app("bump")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("greater_than_sign", "greater_than_sign", "c", "greater_than_sign", "right_square_bracket",
                          "full_stop", "full_stop")
        await pilot.pause()
        plot = screen.query_one(LossPlot)
        box, magenta, plain = plot_cells(plot)
        loss = screen.session.trainer.settings.loss
        assert plain[0].strip().startswith(f"{loss} loss ") and f"· step {screen.frame.snapshot.step}" in plain[0]
        assert f"({loss})" in text_of(screen.query_one(StatusLine))
        # the changes, labelled where they happened
        canvas = "\n".join(plain[box[0]:box[2] + 1])
        assert f"loss {loss}" in canvas and "η 0.5" in canvas
        # the last point: inside the frame, on the curve's own grid
        top, left, bottom, right = box
        last = (float(screen.frame.loss_steps[-1]), float(np.log10(screen.frame.loss_values[-1])))
        row, col = braille_cell(plot, box, *last)
        assert (row, col) in magenta and left <= col < right and top <= row <= bottom
        assert all(left <= c <= right and top <= r <= bottom for r, c in magenta)
        # the step axis: whole numbers, from the first step
        labels = plain[bottom + 2].split()
        assert labels[0] == "0" and all(label.isdigit() for label in labels) and labels == sorted(labels, key=int)
        await pilot.press("l")  # linear: the loss axis does not go below 0
        await pilot.pause()
        _, _, plain = plot_cells(plot)
        ticks = [line.split("┤")[0].strip() for line in plain if "┤" in line]
        assert ticks and all(float(t) >= 0 and not t.startswith("-") for t in ticks)


@run_async
async def test_the_last_lesson_page_offers_no_next():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        count = len(screen.session.scenario.lessons)
        first = text_of(screen.query_one(LessonPane))
        assert f"page 1 of {count} · }} next" in first and "{ back" not in first
        await pilot.press(*["right_curly_bracket"] * count)
        await pilot.pause()
        last = text_of(screen.query_one(LessonPane))
        assert f"page {count} of {count} · {{ back" in last and "next" not in last


@run_async
async def test_a_line_that_grows_past_the_width_gets_its_room():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", "w", "w", "w", "w", "w", "w")
        await pilot.pause()
        inspector = screen.query_one(Inspector)
        before = inspector.size.height
        await pilot.press("a", "a", "a")  # adam: its update takes more lines (t, m, s, m̂, ŝ …)
        await pilot.pause()
        shown = text_of(inspector)
        assert inspector.size.height > before
        value = f"{screen.frame.snapshot.next_update[screen.presenter.selected]:+.4g}".replace("-", "−")
        assert shown.rstrip().endswith(f"= {value}")


@pytest.mark.parametrize("size", [(120, 40), (140, 45)])
@run_async
async def test_the_sweeps_title_says_the_slope_and_the_way_downhill_at_every_size(size):
    from nnplay.tui.sweep import SweepPlot

    app = make_app("xor")
    async with app.run_test(size=size) as pilot:
        await pilot.press("v", "v", "v")  # inspector → chain rule → nudge → sweep
        for _ in range(40):  # made off the interface thread
            await pilot.pause(0.05)
            if "slope" in text_of(app.playground.query_one(SweepPlot)):
                break
        title = text_of(app.playground.query_one(SweepPlot)).splitlines()[0]
        # plotext drops a title wider than the frame: the sweep's fits it, keeping what it teaches
        assert "slope " in title and "downhill: " in title and "as w(x1 → h1) sweeps" in title


def test_the_sweeps_title_drops_the_value_now_then_what_sweeps_before_the_slope():
    from nnplay.tui.sweep import sweep_title

    parts = ("as w(x1 → h1) sweeps", "+0.1257", "-0.00501", "increase w")
    full = "E as w(x1 → h1) sweeps · now +0.1257 · slope -0.00501 · downhill: increase w"
    assert sweep_title(*parts, width=len(full)) == full
    assert sweep_title(*parts, width=len(full) - 1) == "E as w(x1 → h1) sweeps · slope -0.00501 · downhill: increase w"
    assert sweep_title(*parts, width=40) == "slope -0.00501 · downhill: increase w"
    assert sweep_title(*parts, width=10) == "slope -0.00501"


@run_async
async def test_the_chain_rule_lists_as_many_of_the_batchs_samples_as_the_pane_has_rows_for():
    def listed(app) -> list[int]:
        shown = text_of(app.playground.query_one(ChainRuleView))
        return [int(line.split()[0]) for line in shown.split("\n")[2:] if line.split() and line.split()[0].isdigit()]

    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert listed(app) == [1, 2, 3, 4]  # all four: the sum can be checked by hand
        assert "not shown" not in text_of(app.playground.query_one(ChainRuleView))
    app = make_app("spiral")  # batches of 9
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        in_the_pane = len(listed(app))
        assert in_the_pane >= 3 and not app.playground.query_one("#pane-explain").show_vertical_scrollbar
        await pilot.press("6")  # maximised: room for every sample of the batch
        await pilot.pause()
        await pilot.pause()
        assert len(listed(app)) == 9 > in_the_pane
        assert not app.playground.query_one("#pane-explain").show_vertical_scrollbar


@pytest.mark.parametrize("size", [(120, 40), (140, 45)])
@run_async
async def test_the_chain_of_functions_writes_every_value_of_a_layer_that_fits(size):
    from nnplay.tui.function_chain import FunctionChain

    app = make_app("bump")  # 1-3-1: three hidden units
    async with app.run_test(size=size) as pilot:
        app.playground.carry_out(app.playground.presenter.set_explain("functions"))
        await pilot.pause()
        shown = text_of(app.playground.query_one(FunctionChain))
        hidden = next(line for line in shown.splitlines() if line.startswith("z1 = "))
        assert "…" not in shown and hidden.split("←")[0].split()[4:] == [  # after 'z1 = sigmoid(u1) (3)': all 3
            f"{z:+.3f}" for z in app.playground.frame.snapshot.layers[0].z[0]]


@pytest.mark.parametrize("size", [(120, 40), (140, 45)])
@run_async
async def test_where_the_formulas_wrap_the_chain_rule_lists_fewer_samples_and_keeps_the_update_in_sight(size):
    app = make_app("digits")  # 64 inputs into 32 hidden units: long formulas in a narrow pane
    async with app.run_test(size=size) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await pilot.pause()
        shown = text_of(app.playground.query_one(ChainRuleView))
        assert "next update (sgd on the next batch of 32)" in shown and "not shown)" in shown
        assert not app.playground.query_one("#pane-explain").show_vertical_scrollbar  # all of it in sight
