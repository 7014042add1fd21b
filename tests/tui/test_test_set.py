"""A held-out test set on the screen: the status line, the loss plot, the decision map, the confusion matrices.

Each appears with a test set and is absent without one, with the engine's numbers (``Snapshot.test_loss`` …,
``Frame.test_loss_values``). The test sets are the scenarios' own, as a file gives them (tests.engine.testsets).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nnplay.engine import metrics
from nnplay.engine.trainer import Trainer
from nnplay.playground import Playground
from nnplay.scenario import Scenario, load
from nnplay.session import Session
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.colors import number
from nnplay.tui.confusion import MAXIMISE, MIN_VIEW_ROWS, ConfusionView, lines_for
from nnplay.tui.decision_map import GLYPHS, TEST_GLYPHS, DecisionMap, glyph_of
from nnplay.tui.lossplot import LossPlot, loss_title
from nnplay.tui.status import status_text
from tests.engine.testsets import with_test_set

from .conftest import playground, run_async, text_of
from .test_maps import pink_glyphs

SIZES = [(140, 45), (120, 40), (80, 24)]


def presenter(scenario: Scenario) -> Playground:
    return Playground(Session(scenario))


# -- the status line ---------------------------------------------------------------------------------


def test_the_status_line_shows_the_test_loss_and_accuracy_only_with_a_test_set():
    pg = presenter(with_test_set("spiral"))
    pg.session.run_to(20)
    state = pg.view_state(pg.session.frame())
    snap = state.frame.snapshot
    line = status_text("Spiral", state).plain
    assert f"test loss {number(snap.test_loss, '.6g')}" in line
    assert f"test acc {snap.test_accuracy * 100:.0f}%" in line
    assert f"loss {number(snap.loss, '.6g')} (cce)" in line  # the training loss stays, beside it
    plain = presenter(load("spiral"))
    assert "test" not in status_text("Spiral", plain.view_state(plain.session.frame())).plain


def test_a_regression_status_line_has_a_test_loss_and_no_test_accuracy():
    pg = presenter(with_test_set("bump"))
    state = pg.view_state(pg.session.frame())
    line = status_text("Bump", state).plain
    assert f"test loss {number(state.frame.snapshot.test_loss, '.6g')}" in line and "test acc" not in line


def test_a_narrow_status_line_drops_the_test_accuracy_before_the_test_loss():
    pg = presenter(with_test_set("spiral"))
    state = pg.view_state(pg.session.frame())
    # narrower and narrower: each width one cell less than the last form that fitted
    seen = []
    width = status_text("Spiral", state).cell_len
    while width > 20:
        line = status_text("Spiral", state, width).plain
        assert len(line) <= width and "\n" not in line
        seen.append(("test acc" in line, "test loss" in line))
        assert "test loss" not in line or "momentum" not in line or "test acc" in line  # momentum goes first
        assert "η " not in line or "test acc" in line  # and the learning rate before the test numbers
        width = len(line) - 1
    assert (False, True) in seen  # a width where the accuracy has gone and the loss is left
    assert (True, False) not in seen  # never the other way round


# -- the loss plot --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_the_loss_plot_draws_the_test_curve_with_a_legend(size):
    app = PlaygroundApp(with_test_set("spiral"))
    async with app.run_test(size=size) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.press("5")
        await pilot.pause()
        plot = playground(app).query_one(LossPlot)
        text = text_of(plot)
        assert "training" in text and "test" in text  # plotext's legend, at every size
        snap = playground(app).frame.snapshot
        assert f"test {number(snap.test_loss, '.4g')}" in text  # and the test loss in the title
        # the test curve is drawn in its own colour
        assert plot.plt._active.monitor.color[1][0] != plot.plt._active.monitor.color[0][0]


@run_async
async def test_without_a_test_set_the_loss_plot_has_one_curve_and_no_legend():
    app = PlaygroundApp(load("spiral"))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        text = text_of(playground(app).query_one(LossPlot))
        assert "training" not in text and "test" not in text


def test_the_log_scale_spans_both_curves():
    """The y axis reaches the higher of the two curves on both scales, and the test curve is the second."""
    pg = presenter(with_test_set("spiral"))
    pg.session.run_to(50)
    frame = pg.session.frame()
    for log in (True, False):
        pg.log_scale = log
        plot = LossPlot()
        plot.draw(pg.view_state(frame))  # (the plotext figure, before any widget size: its default canvas)
        monitor = plot.plt._active.monitor
        top = max(max(y) for y in monitor.y)
        highest = max(float(np.nanmax(frame.test_loss_values)), float(np.nanmax(frame.loss_values)))
        assert top == pytest.approx(np.log10(highest) if log else highest)
        last = float(frame.test_loss_values[-1])
        assert monitor.y[1][-1] == pytest.approx(np.log10(last) if log else last)  # the second curve: the test set's
        assert monitor.ylim[0][1] > top  # room above both curves for the legend


def test_the_loss_title_names_the_test_loss_when_it_fits():
    pg = presenter(with_test_set("spiral"))
    state = pg.view_state(pg.session.frame())
    value = number(state.frame.snapshot.test_loss, ".4g")
    assert f"test {value}" in loss_title(state, 80)
    assert loss_title(state, 3) == "cce"  # the loss's name, always


# -- the decision map ------------------------------------------------------------------------------


def glyphs_of(app) -> str:
    return text_of(playground(app).query_one(DecisionMap))


@pytest.mark.parametrize("name", ["spiral", "xor"])
@run_async
async def test_the_decision_map_marks_the_test_points_in_their_own_shapes(name):
    scenario = with_test_set(name)
    several = scenario.data.targets.shape[1] > 1
    test_classes = set(metrics.classes(scenario.data.test_targets).tolist())
    app = PlaygroundApp(scenario)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        text = glyphs_of(app)
        for cls in test_classes:
            assert glyph_of(cls, several, test=True) in text
        key = text.splitlines()[:3]
        assert any("train" in line and "test" in line for line in key)
        assert pink_glyphs(playground(app).query_one(DecisionMap))  # the selected sample stays marked


@pytest.mark.parametrize("name", ["spiral", "xor"])
@run_async
async def test_without_a_test_set_the_map_has_no_test_points(name):
    scenario = load(name)
    several = scenario.data.targets.shape[1] > 1
    app = PlaygroundApp(scenario)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        text = glyphs_of(app)
        assert not {glyph_of(c, several, test=True) for c in range(len(TEST_GLYPHS))} & set(text)
        assert "test" not in text


def test_train_and_test_points_differ_without_colour():
    """Under NO_COLOR the shapes alone tell them apart: no test point has a training point's shape."""
    for several in (True, False):
        train = {glyph_of(c, several) for c in range(len(GLYPHS))}
        test = {glyph_of(c, several, test=True) for c in range(len(GLYPHS))}
        assert not train & test
        assert len(test) == (len(GLYPHS) if several else 2)  # and the classes still differ


@run_async
async def test_no_color_still_tells_train_from_test(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = PlaygroundApp(with_test_set("xor"))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        text = glyphs_of(app)
        assert {"□", "■"} & set(text) and {"○", "●"} & set(text)


# -- the confusion matrices ------------------------------------------------------------------------


def confusion_rows(widget: ConfusionView) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_the_confusion_matrices_show_the_snapshots_counts(size):
    scenario = with_test_set("spiral")
    app = PlaygroundApp(scenario)
    async with app.run_test(size=size) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.press("2")
        await pilot.pause()
        widget = playground(app).query_one(ConfusionView)
        assert widget.display and widget.size.height > 0
        widget.scroll_to(x=0, y=0, animate=False)
        await pilot.pause()
        snap = playground(app).frame.snapshot
        names = scenario.data.output_names
        lines = confusion_rows(widget)
        assert "true class" in lines[0] and "predicted" in lines[0]
        assert lines[1].split()[:len(names) + 1] == ["train"] + [n[:3] for n in names]
        # the rows in view: the class's name, then its counts, training set then test set (when it fits)
        checked = 0
        for line in lines[2:]:
            cells = line.split()
            if not cells or cells[0] not in names:
                continue
            row = names.index(cells[0])
            numbers = [int(c) for c in cells[1:] if c.isdigit()]
            assert numbers[:len(names)] == snap.confusion[row].tolist()[:len(numbers)]
            if len(numbers) > len(names):  # the test set's block, in view too
                assert numbers[len(names):] == snap.test_confusion[row].tolist()[:len(numbers) - len(names)]
            checked += 1
        assert checked


@run_async
async def test_the_confusion_diagonal_is_highlighted():
    app = PlaygroundApp(with_test_set("spiral"))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        widget = playground(app).query_one(ConfusionView)
        for y in range(2, 2 + 3):
            x, bold = 0, []
            for segment in widget.render_line(y):
                if segment.text.strip().isdigit():
                    bold.append((x, bool(segment.style and segment.style.bold)))
                x += segment.cell_length
            # the diagonal count of row y - 3 is the only bold one of its block
            assert [b for _, b in bold[:3]] == [i == y - 2 for i in range(3)]


@pytest.mark.parametrize("name", ["spiral", "xor", "sentiment"])
@run_async
async def test_without_a_test_set_a_map_or_sentences_have_no_confusion_block(name):
    app = PlaygroundApp(load(name))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        assert not playground(app).query(ConfusionView)


@run_async
async def test_a_table_of_classes_shows_the_training_sets_confusion():
    app = PlaygroundApp(load("digits"))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")  # ten classes: twelve rows, more than the pane leaves beside the table
        await pilot.pause()
        widget = playground(app).query_one(ConfusionView)
        assert widget.display
        lines = confusion_rows(widget)
        assert "train" in lines[1] and "test" not in lines[1]


@pytest.mark.parametrize(("size", "folded"), [((140, 45), False), ((120, 40), True), ((80, 24), False)])
@run_async
async def test_the_confusion_block_leaves_the_view_its_rows(size, folded):
    """Where the matrices would squeeze the map, one line says how to see them; maximised, they are there."""
    app = PlaygroundApp(with_test_set("spiral"))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")  # (on a small terminal: its tab; on a wide one: maximised, then back)
        if not playground(app).compact:
            await pilot.press("2")
        await pilot.pause()
        screen = playground(app)
        widget = screen.query_one(ConfusionView)
        room = screen.query_one("#pane-view").content_size.height
        assert (room < lines_for(3) + MIN_VIEW_ROWS) == folded
        assert screen.query_one(DecisionMap).size.height >= MIN_VIEW_ROWS
        lines = confusion_rows(widget)
        if folded:
            assert [line.rstrip() for line in lines] == [MAXIMISE]
            await pilot.press("2")
            await pilot.pause()
            lines = confusion_rows(widget)
        assert len(lines) == lines_for(3) and "true class" in lines[0]  # the key, the header, a row a class


@run_async
async def test_the_confusion_block_waits_for_the_snapshots_matrices(monkeypatch):
    """While a snapshot has none (None) the block takes no room."""
    snapshot = Trainer.snapshot
    monkeypatch.setattr(Trainer, "snapshot", lambda self, *a, **k: replace(snapshot(self, *a, **k), confusion=None))
    app = PlaygroundApp(load("digits"))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        assert not playground(app).query_one(ConfusionView).display


def test_the_presenter_gives_the_confusion_only_where_the_view_shows_it():
    pg = presenter(with_test_set("spiral"))
    confusion = pg.view_state(pg.session.frame()).confusion
    snap = pg.session.frame().snapshot
    assert confusion is not None and confusion.class_names == pg.scenario.data.output_names
    assert [title for title, _ in confusion.matrices] == ["train", "test"]
    np.testing.assert_array_equal(confusion.matrices[0][1], snap.confusion)
    np.testing.assert_array_equal(confusion.matrices[1][1], snap.test_confusion)
    bump = presenter(with_test_set("bump"))  # regression: no classes, no matrices; the curve's points
    state = bump.view_state(bump.session.frame())
    assert state.confusion is None and state.points is not None and state.points.names == ("x",)


# -- pictures -----------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("name", "size", "keys"), [
    ("spiral", (140, 45), ["greater_than_sign"]),
    ("xor", (120, 40), ["greater_than_sign"]),
    ("spiral", (80, 24), ["greater_than_sign", "5"]),
    ("spiral", (80, 24), ["greater_than_sign", "2"]),
], ids=["spiral-140x45", "xor-120x40", "spiral-loss-80x24", "spiral-map-80x24"])
def test_pictures_with_a_test_set(snap_compare, name, size, keys):
    assert snap_compare(PlaygroundApp(with_test_set(name)), press=keys, terminal_size=size)
