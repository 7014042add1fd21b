"""The 8 x 8 pictures: a hidden unit's weights and gradients drawn where their pixels are."""

import numpy as np
import pytest

from nnplay.playground import Playground
from nnplay.scenario import from_dict
from nnplay.session import Session
from nnplay.tui import colors
from nnplay.tui.pictures import GAP, MARK, picture_lines, picture_side, pictured_unit

SIDE = 4
NAMES = [f"r{i}c{j}" for i in range(SIDE) for j in range(SIDE)]


def presenter() -> Playground:
    rng = np.random.default_rng(0)
    doc = {"data": {"inputs": rng.integers(0, 2, (6, SIDE * SIDE)).tolist(), "targets": [0, 1, 0, 1, 1, 0],
                    "input_names": NAMES, "class_names": ["a", "b"]},
           "network": {"layers": [{"units": 3, "activation": "sigmoid"}, {"units": 2, "activation": "softmax"}]},
           "training": {"loss": "cce"}}
    return Playground(Session(from_dict(doc, "pixels.toml")))


def rgb(style_colour) -> tuple[int, int, int]:
    return tuple(style_colour.triplet)


def cells(line, picture: int, zoom: int) -> list:
    """The segments of one picture's cells in a line of pictures."""
    start = picture * (SIDE * zoom + 1)  # each picture, then one gap segment
    return line[start : start + SIDE * zoom]


def test_which_inputs_are_a_picture():
    assert picture_side([f"r{i}c{j}" for i in range(8) for j in range(8)]) == 8
    assert picture_side(NAMES) == 4
    assert picture_side([f"r{i}c{j}" for i in range(3) for j in range(3)]) is None  # 9 pixels: too few
    assert picture_side(NAMES[::-1]) is None  # not row by row
    assert picture_side([f"x{i}" for i in range(16)]) is None


@pytest.mark.parametrize("selected_at, expected", [
    ((0, "W", (5, 2)), (2, 5)),   # a first-layer weight: the unit it feeds, and its pixel
    ((0, "b", (1,)), (1, None)),  # a first-layer bias: its unit
    ((1, "W", (2, 0)), (2, None)),  # a weight of the next layer: the unit it comes from
    ((1, "b", (0,)), (0, None)),
    (None, (0, None)),
])
def test_the_unit_pictured_follows_the_selection(selected_at, expected):
    assert pictured_unit(selected_at) == expected


@pytest.mark.parametrize("width, zoom", [(20, 1), (60, 2)])
def test_the_pictures_cells_follow_the_weights(width, zoom):
    pg = presenter()
    session = pg.session
    unit, pixel = 2, 9  # r2c1 -> h3
    pg.select(next(i for i in pg.order if session.network.locate(i) == (0, "W", (pixel, unit))))
    strong = next(i for i in pg.order if session.network.locate(i) == (0, "W", (6, unit)))
    session.set_param(strong, -50.0)  # r1c2 -> h3: by far the largest, so full orange
    state = pg.view_state(session.frame())
    W = state.frame.snapshot.layers[0].W
    dW = state.frame.snapshot.layers[0].dW
    lines = picture_lines(state, SIDE, width)
    if zoom == 2:  # (at zoom 1 a 4 x 4 picture leaves its title 5 cells)
        assert lines[0][1].text.strip() == "w → h3" and lines[0][2].text.strip() == "dE/dw"
    pictures = lines[1 : 1 + SIDE * zoom // 2]
    for which, values in ((1, W[:, unit]), (2, dW[:, unit])):
        scale = np.abs(values).max()
        for y, line in enumerate(pictures):
            for x, segment in enumerate(cells(line, which, zoom)):
                top, bottom = (2 * y) // zoom, (2 * y + 1) // zoom  # pixel rows of the cell's two halves
                col = x // zoom
                if segment.text == MARK:
                    assert which in (1, 2) and (top * SIDE + col) == pixel
                    continue
                assert segment.text == "▀"
                assert rgb(segment.style.color) == colors.signed(float(values[top * SIDE + col]), scale)
                assert rgb(segment.style.bgcolor) == colors.signed(float(values[bottom * SIDE + col]), scale)
    # the strong weight's pixel (row 1, column 2) is full orange: the lower half of line 0 at zoom 1
    y, half = (1 * zoom) // 2, "bgcolor" if zoom == 1 else "color"
    assert rgb(getattr(cells(pictures[y], 1, zoom)[2 * zoom].style, half)) == colors.NEGATIVE
    # the selected weight's pixel is marked, on the weights and on their gradients, not on the input
    row, col = divmod(pixel, SIDE)
    for which in (1, 2):
        assert cells(pictures[row * zoom // 2], which, zoom)[col * zoom].text == MARK
    assert all(segment.text != MARK for line in pictures for segment in cells(line, 0, zoom))
    assert "w(r2c1 → h3)" in "".join(segment.text for segment in lines[-2])
    assert len(lines) == 1 + SIDE * zoom // 2 + 2 and GAP == 2


def test_the_input_picture_is_the_selected_sample():
    pg = presenter()
    pg.set_sample(3)
    state = pg.view_state(pg.session.frame())
    x = state.frame.snapshot.inputs[3]
    lines = picture_lines(state, SIDE, 60)  # zoom 2: a pixel is a cell, both halves
    assert lines[0][0].text.strip() == "input 4"
    scale = np.abs(x).max()
    for y, line in enumerate(lines[1 : 1 + SIDE]):
        for x_cell, segment in enumerate(cells(line, 0, 2)):
            expected = colors.signed(float(x[y * SIDE + x_cell // 2]), scale)
            assert rgb(segment.style.color) == expected and rgb(segment.style.bgcolor) == expected


@pytest.mark.slow
def test_the_digits_playground_shows_the_pictures_and_they_follow_the_keys():
    from .conftest import make_app, playground, run_async, text_of

    @run_async
    async def check():
        app = make_app("digits")
        async with app.run_test(size=(140, 45)) as pilot:
            pictures = playground(app).query_one("#pictures")
            assert "w → h1" in text_of(pictures) and "input 1" in text_of(pictures)
            await pilot.press("n", "w")  # the next sample; the next weight: w(r0c0 → h2)
            await pilot.pause()
            shown = text_of(pictures)
            assert "input 2" in shown and "w → h2" in shown and f"{MARK} w(r0c0 → h2)" in shown
        app = make_app("xor")
        async with app.run_test(size=(140, 45)):
            assert not playground(app).query("#pictures")  # two inputs are no picture

    check()


@pytest.mark.slow
def test_the_digits_table_shows_targets_and_outputs_below_the_pictures():
    from nnplay.tui.pictures import PixelPictures
    from nnplay.tui.table_view import TableView

    from .conftest import make_app, playground, run_async, text_of

    @run_async
    async def check():
        for size in ((140, 45), (120, 40)):
            app = make_app("digits")
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                screen = playground(app)
                table, pictures = screen.query_one(TableView), screen.query_one("#pictures")
                if size == (140, 45):  # room for both
                    assert pictures.display and table.region.y >= pictures.region.bottom
                else:  # the table first: the pictures show when the pane is maximised
                    assert not pictures.display
                assert table.region.height >= PixelPictures.TABLE_ROOM, size
                lines = text_of(table).split("\n")
                assert "inputs: pane 3" in lines[0]
                assert lines[1].split()[:3] == ["#", "target", "0"] and "r0c0" not in lines[1]  # the pixels are not columns
                target = screen.frame.snapshot.targets[0]
                assert lines[2].split()[0] == "1" and lines[2].split()[1] == colors.fmt(target[0], 6).strip()

    check()


@pytest.mark.slow
def test_while_running_the_pictures_redraw_with_their_pane_and_a_new_selection_at_once(monkeypatch):
    """The pictures are part of the table's pane: a running frame that redraws only the light panes (the
    diagram, the status) leaves them; a new selection redraws them whatever it names."""
    from dataclasses import replace

    from nnplay.tui.pictures import PixelPictures

    from .conftest import make_app, playground, run_async

    shown = []
    original = PixelPictures.show
    monkeypatch.setattr(PixelPictures, "show", lambda self, state: shown.append(state) or original(self, state))

    @run_async
    async def check():
        app = make_app("digits")
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            screen = playground(app)
            running = replace(screen.frame, running=True)
            screen.show_frame(running)  # a heavy frame, if the last was long enough ago
            shown.clear()
            screen.show_frame(running)  # at once after it: a light frame
            assert shown == []
            screen.restyle("diagram")   # a new weight selected: the unit pictured may change
            assert len(shown) == 1

    check()
