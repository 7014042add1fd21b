"""The drawings say what they show: the diagram's names and the selected weight, the maps' axes, keys and markers.

Each test renders a widget's lines (``text_of``, or its segments for a colour)
and looks for what the learner should read there.
"""

import re
from dataclasses import replace

import numpy as np
import pytest
from rich.color import Color
from textual.app import App

from nnplay import explain, figures
from nnplay.engine import metrics
from nnplay.tui import colors
from nnplay.tui.decision_map import GLYPHS, DecisionMap
from nnplay.tui.diagram import Geometry, NetworkDiagram, columns_shown, shown_units
from nnplay.tui.landscape import BANDS, LandscapeMap
from nnplay.tui.scales import positions, tick
from nnplay.tui.unit_maps import UnitMaps

from .conftest import make_app, playground, run_async, text_of

WIDE = (140, 45)
RAMP = "█" * BANDS  # the landscape key's colour scale, one cell a band
PINK = Color.parse(colors.hex_(colors.SELECTED))


def segments(widget):
    """Every (line, column, segment) the widget draws."""
    for y in range(widget.size.height):
        x = 0
        for segment in widget.render_line(y):
            yield y, x, segment
            x += segment.cell_length


def pink_glyphs(widget) -> list[tuple[int, int, str]]:
    return [(y, x, s.text) for y, x, s in segments(widget)
            if s.style is not None and PINK in (s.style.color, s.style.bgcolor) and s.text.strip() and len(s.text) == 1]


# -- the network diagram -------------------------------------------------------------------------


@run_async
async def test_the_diagram_names_the_hidden_units_as_every_pane_does():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        text = text_of(diagram)
        names = screen.presenter.names
        shown = diagram.geometry().visible[1]
        assert len(shown) > 2
        for unit in shown:
            if unit >= 0:
                assert f"{names[1][unit]} " in text
        assert not any(f"{names[1][u]} " in text for u in range(len(names[1])) if u not in shown)


@run_async
async def test_the_selected_weights_value_is_beside_its_edge_and_follows_the_selection():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        for _ in range(4):
            await pilot.press("w")
            await pilot.pause()
            index = screen.presenter.selected
            value = colors.fmt(float(screen.frame.snapshot.params[index]), 7).strip()
            found = [(y, x) for y, x, s in segments(diagram) if value in s.text and s.style.color == PINK]
            assert found, value
            edge = diagram.geometry().edges[diagram.geometry().edge_of[index]]
            (y, x) = found[0]
            # on the edge's line: between its ends, and within a line of it
            assert min(edge.x0, edge.x1) // 2 - 8 <= x <= max(edge.x0, edge.x1) // 2
            t = (x * 2 - edge.x0) / (edge.x1 - edge.x0)
            assert abs(y - (edge.y0 + (edge.y1 - edge.y0) * max(0.0, min(1.0, t))) / 4) <= 2


@pytest.mark.parametrize("scenario, shape", [("xor", [2, 1]), ("spiral", [16, 3])])
def test_each_cell_of_the_diagram_shows_its_strongest_edge(scenario, shape):
    """Where edges cross, a cell shows the strongest of them, and of equal ones the last: checked cell by
    cell against the crossings themselves, with many ties (strengths drawn from three values) and an inf."""
    app_scenario = make_app(scenario).scenario
    net = app_scenario.make_trainer().network
    names = figures.unit_names(app_scenario.data.input_names, shape, app_scenario.data.output_names)
    g = Geometry(net.shapes, names, net, 90, 18)
    rng = np.random.default_rng(0)
    for strength in (rng.choice([0.0, 0.5, 1.0], len(g.edges)), rng.normal(size=len(g.edges))):
        strength[len(g.edges) // 2] = np.inf
        expected = []
        for cell in range(int(g.pair_cell.max()) + 1):
            crossing = [int(e) for e in g.pair_edge[g.pair_cell == cell]]
            best = max(strength[e] for e in crossing)
            expected.append(max(e for e in crossing if strength[e] == best))
        assert g.winners(strength) == expected


def test_a_negative_weights_edge_is_dashed():
    """Its sign shows without colour (NO_COLOR): the same edge has fewer dots when negative."""
    app_scenario = make_app("xor").scenario
    net = app_scenario.make_trainer().network
    names = figures.unit_names(app_scenario.data.input_names, [2, 1], app_scenario.data.output_names)
    g = Geometry(net.shapes, names, net, 90, 18)
    positive = g.characters(np.zeros(len(g.edges), dtype=bool))
    negative = g.characters(np.ones(len(g.edges), dtype=bool))

    def dots(chars):
        return sum(bin(ord(c) - 0x2800).count("1") for c in chars if c != " ")

    assert dots(negative) < 0.7 * dots(positive)
    assert " " in negative and " " not in positive  # gaps where whole cells fall between dashes


@run_async
async def test_the_diagram_draws_a_negative_weight_dashed_on_screen():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        g = diagram.geometry()
        params = screen.frame.snapshot.params
        signs = np.array([params[e.param] < 0 for e in g.edges])
        assert signs.any() and not signs.all()
        assert diagram._cell_chars == g.characters(signs)


def test_shown_units_keep_what_is_asked_and_fit():
    for n, room, keep in [(20, 6, (13,)), (40, 8, (3, 17, 29, 31)), (10, 5, ()), (100, 4, (50, 60, 70))]:
        shown = shown_units(n, room, keep)
        gaps = (shown[0] > 0) + (shown[-1] < n - 1) + sum(b > a + 1 for a, b in zip(shown, shown[1:]))
        assert len(shown) + gaps <= room
        assert shown == sorted(set(shown)) and all(0 <= u < n for u in shown)
        assert keep[0] in shown if keep else shown[0] == 0
    assert shown_units(5, 5, (3,)) == [0, 1, 2, 3, 4]
    assert shown_units(20, 6, (13,))[:1] == [0] and 13 in shown_units(20, 6, (13,))


@pytest.mark.slow  # through the Pilot, a few seconds
@run_async
async def test_an_elided_layer_keeps_the_selected_weight_and_the_sentences_words():
    app = make_app("sentiment")
    async with app.run_test(size=(120, 26)) as pilot:
        await pilot.press("1")  # the diagram maximised: room for a sentence, not for the vocabulary
        await pilot.pause()
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        assert diagram.geometry().elided  # the vocabulary does not fit
        snap = screen.frame.snapshot
        words = screen.presenter.names[0]
        net = screen.session.network
        for sample in range(len(snap.inputs)):
            screen.carry_out(screen.presenter.select(net.index_of(0, "W", (len(words) - 2, 1))))
            screen.presenter.sample = sample
            screen.show_frame(screen.frame, force=True)
            await pilot.pause()
            text = text_of(diagram)
            sentence = [words[i] for i in np.flatnonzero(snap.inputs[sample])]
            lines = {line.split()[0] for line in text.splitlines() if line.split()}
            visible = diagram.geometry().visible[0]
            assert len(words) - 2 in visible and 1 in diagram.geometry().visible[1]
            # the words, the selected weight's unit and the last, each with a "⋮ N more" line around it at worst
            room = len(columns_shown(net.shapes, diagram.size.height, ())[0]) + 1
            fits = 2 * (len(sentence) + 2) + 1 <= room
            if fits:
                assert set(sentence) <= lines, (sample, sentence)
            value = colors.fmt(float(snap.params[screen.presenter.selected]), 7).strip()
            assert value in text


@pytest.mark.slow  # through the Pilot, a few seconds
@run_async
async def test_the_diagram_says_whether_the_sample_is_in_the_next_batch():
    app = make_app("spiral")  # batches of 9
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        seen = set()
        for _ in range(12):
            await pilot.press("n")
            await pilot.pause()
            inside = bool(np.isin(screen.presenter.sample, screen.frame.snapshot.next_batch))
            words = "in the next batch" if inside else "not in the next batch"
            assert f"sample {screen.presenter.sample + 1}: {words}" in text_of(diagram)
            seen.add(inside)
        assert seen == {True, False}
    app = make_app("xor")  # full batch: nothing to say
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert "next batch" not in text_of(playground(app).query_one(NetworkDiagram))


# -- the decision map ----------------------------------------------------------------------------


@run_async
async def test_the_decision_map_has_axes_a_key_and_the_selected_sample():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = playground(app)
        view = screen.query_one(DecisionMap)
        grid = screen.frame.grid
        lines = text_of(view).splitlines()
        assert lines[0].startswith("↑ x2")
        assert "xor: ○ 0 ● 1" in lines[0]
        assert lines[-1].split() == [tick(grid.xlim[0]), "x1", "→", tick(grid.xlim[1])]
        gutter = len(view._framed.axis[0].text) - len(view._framed.axis[0].text.lstrip())
        map_lines = [line for line in lines if len(line) > gutter and "▀" in line[gutter:]]
        assert map_lines[0][:gutter].strip() == tick(grid.ylim[1]) and map_lines[-1][:gutter].strip() == tick(grid.ylim[0])
        snap = screen.frame.snapshot
        for sample in range(len(snap.inputs)):
            await pilot.press("n") if sample else None
            await pilot.pause()
            s = screen.presenter.sample
            point = ", ".join(tick(v) for v in snap.inputs[s])
            assert f"sample {s + 1} ({point})" in text_of(view)
            pinks = [p for p in pink_glyphs(view) if p[0] >= len(view._framed.key)]
            assert len(pinks) == 1  # the selected point, pink, where it lies on the map
            y, x, glyph = pinks[0]
            framed = view._framed
            assert x - framed.gutter == positions([snap.inputs[s, 0]], *grid.xlim, framed.map_width)[0]
            row = positions([snap.inputs[s, 1]], grid.ylim[1], grid.ylim[0], 2 * framed.map_height)[0] // 2
            assert y - len(framed.key) == row
            assert glyph == ("●" if snap.targets[s, 0] > 0.5 else "○")


@run_async
async def test_the_decision_map_keys_the_classes_and_boxes_the_next_batch():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = playground(app)
        view = screen.query_one(DecisionMap)
        text = text_of(view)
        for cls, name in enumerate(screen.presenter.names[-1]):
            assert f"{GLYPHS[cls]} {name}" in text
        snap = screen.frame.snapshot
        batch = snap.next_batch
        assert 0 < len(batch) < len(snap.inputs)
        assert f"next batch ({len(batch)})" in text
        framed = view._framed
        grid = screen.frame.grid
        xs = positions(snap.inputs[:, 0], *grid.xlim, framed.map_width)
        rows = positions(snap.inputs[:, 1], grid.ylim[1], grid.ylim[0], 2 * framed.map_height) // 2
        cells = {(int(rows[i]), int(xs[i])) for i in batch}
        # a boxed point: its glyph on black or white (the ink), in the colour of the map under it
        inks = {Color.parse("#000000"), Color.parse("#ffffff")}
        boxed = {(y - len(framed.key), x - framed.gutter) for y, x, s in segments(view)
                 if y >= len(framed.key) and s.text in GLYPHS and s.style.bgcolor in inks}
        assert boxed == cells
        classes = metrics.classes(snap.targets)
        for i in batch:  # each keeps its class's shape
            y, x = int(rows[i]), int(xs[i])
            line = view.render_line(y + len(framed.key)).text
            assert line[x + framed.gutter] in GLYPHS[: classes.max() + 1]


@pytest.mark.slow
@pytest.mark.parametrize("size", [(140, 45), (120, 40), (80, 24)])
@run_async
async def test_the_decision_maps_key_and_axes_fit(size):
    """At each size (80 x 24: the view's tab), every entry of the key and both axes are on screen."""
    for name in ("xor", "spiral"):
        app = make_app(name)
        async with app.run_test(size=size) as pilot:
            await pilot.press("2")
            await pilot.pause()
            screen = playground(app)
            view = screen.query_one(DecisionMap)
            text = text_of(view)
            for needle in ("↑ x2", "x1 →", "sample 1 (", *screen.presenter.names[-1]):
                assert needle in text, (name, size, needle)
            if name == "spiral":
                assert "next batch (9)" in text
            assert view._framed.map_height >= 5


# -- the per-unit maps ---------------------------------------------------------------------------


@run_async
async def test_the_unit_maps_have_axes_a_key_and_the_sample_on_every_map():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("u", "n", "n")
        await pilot.pause()
        screen = playground(app)
        maps = screen.query_one(UnitMaps)
        text = text_of(maps)
        grid = screen.frame.grid
        assert "each map:" in text and f"x1 → {tick(grid.xlim[0])} … {tick(grid.xlim[1])}," in text
        assert f"↑ x2 {tick(grid.ylim[0])} … {tick(grid.ylim[1])}" in text
        assert "z: █ − █ 0 █ +" in text
        snap = screen.frame.snapshot
        s = screen.presenter.sample
        assert s == 2 and f"sample 3 ({tick(snap.inputs[s, 0])}, {tick(snap.inputs[s, 1])})" in text
        for unit, z in enumerate(m[2] for m in screen.presenter.view_state(screen.frame).unit_maps):
            assert f"h{unit + 1} |z|≤{tick(colors.scale_of(z))}" in text
        marks = [p for p in pink_glyphs(maps) if p[2] == "●"]
        assert len(marks) == 1 + 2  # the key's, and one on each of the two maps
        assert len({y for y, _, _ in marks[1:]}) == 1 and marks[1][1] + 13 == marks[2][1]


# -- the landscape ------------------------------------------------------------------------------


@pytest.mark.slow  # through the Pilot, a few seconds
@run_async
async def test_the_landscape_has_the_weights_on_its_axes_and_a_loss_key():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("greater_than_sign", *["w"] * 6, *["v"] * 4)
        for _ in range(50):
            await pilot.pause(0.05)
            landscape = playground(app).query_one(LandscapeMap)
            if landscape._framed is not None:
                break
        state = landscape.state
        surface = state.landscape[0]
        text = text_of(landscape)
        lines = text.splitlines()
        assert lines[0].startswith("↑ w(h2 → xor)")
        axis = next(line for line in reversed(lines) if line.strip())
        assert axis.split() == [tick(surface.a_values[0]), "w(h1", "→", "xor)", "→", tick(surface.a_values[-1])]
        finite = surface.losses[np.isfinite(surface.losses)]
        assert f"loss {tick(finite.min())} {RAMP} {tick(finite.max())} (log)" in text
        assert f"◆ now ({tick(surface.current[0])}, {tick(surface.current[1])})" in text
        gutter = landscape._framed.gutter
        picture = lines[1:1 + landscape._framed.map_height]
        assert picture[0][:gutter].strip() == tick(surface.b_values[0])
        assert picture[-1][:gutter].strip() == tick(surface.b_values[-1])


class OneLandscape(App):
    def compose(self):
        yield LandscapeMap()


@run_async
async def test_the_landscapes_scale_is_fixed_while_a_run_goes_on():
    """Two surfaces a decade apart: while running, the second is drawn on the first's scale (its
    colours darker or brighter, comparable); paused, each on its own."""
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        frame = playground(app).frame
        state0 = playground(app).presenter.view_state(frame)
    a, b = np.linspace(-1, 1, 8), np.linspace(1, -1, 4)
    low = explain.Surface(a, b, np.linspace(0.1, 1.0, 32).reshape(4, 8), (0.0, 0.0))
    high = explain.Surface(a, b, low.losses * 10, (0.0, 0.0))

    def state(surface, running):
        return replace(state0, frame=replace(frame, running=running), landscape=(surface, None),
                       landscape_labels=("w(x1 → h1)", "w(x2 → h1)"))

    one = OneLandscape()
    async with one.run_test(size=(60, 16)) as pilot:
        widget = one.query_one(LandscapeMap)

        def key():
            widget.render_line(0)
            return text_of(widget).splitlines()[0]

        def colours():
            return [s.style.color for _, _, s in segments(widget) if s.text == "▀"]

        widget.show(state(low, running=True))
        await pilot.pause()
        assert f"loss 0.1 {RAMP} 1 (log, fixed while running)" in key()
        first = colours()
        higher = explain.Surface(a, b, low.losses * 10 ** 0.1, (0.0, 0.0))  # within the scale's slack
        widget.show(state(higher, running=True))
        await pilot.pause()
        assert f"loss 0.1 {RAMP} 1 (log, fixed while running)" in key()
        assert colours() != first  # a loss a little higher is brighter
        widget.show(state(high, running=True))  # ten times higher: off the scale, which moves to it and says so
        await pilot.pause()
        assert f"loss 1 {RAMP} 10 (log, refitted at step 0)" in key()
        assert colours() == first
        widget.show(state(high, running=False))
        await pilot.pause()
        assert f"loss 1 {RAMP} 10 (log)" in key()
        assert colours() == first  # on its own scale it looks like the first
        widget.show(state(low, running=True))  # a new run: its own first scale again
        await pilot.pause()
        assert f"loss 0.1 {RAMP} 1 (log, fixed while running)" in key()


def test_an_axis_end_is_never_minus_zero():
    assert tick(-0.0) == "0" and tick(-1e-300) == "-1e-300" and tick(-0.00001) == "-1e-05"
    assert tick(1.15) == "1.15" and tick(-0.15) == "-0.15" and tick(1234567) == "1.23e+06"


# -- every bundled scenario at the sizes the issue names ---------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("size", [(140, 45), (120, 40)])
@pytest.mark.parametrize("name", ["xor", "bump", "spiral", "sentiment"])
@run_async
async def test_every_scenario_shows_its_names_values_and_keys(name, size):
    """The diagram names every hidden unit it draws and shows the selected weight's value, for a
    weight of each layer; a decision map has its axes and key, the landscape its weights and scale."""
    app = make_app(name)
    async with app.run_test(size=size) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        screen = playground(app)
        diagram = screen.query_one(NetworkDiagram)
        names = screen.presenter.names
        net = screen.session.network
        for layer in range(len(net.shapes)):
            screen.carry_out(screen.presenter.select(net.index_of(layer, "W", (0, 0))))
            await pilot.pause()
            text = text_of(diagram)
            for column in range(1, len(names) - 1):
                for unit in diagram.geometry().visible[column]:
                    if unit >= 0:
                        assert f"{names[column][unit]} " in text, (name, size, names[column][unit])
            value = colors.fmt(float(screen.frame.snapshot.params[screen.presenter.selected]), 7).strip()
            assert value in text, (name, size, layer, value)
        if screen.session.scenario.view == "decision-map":
            text = text_of(screen.query_one(DecisionMap))
            for needle in ("↑ x2", "x1 →", "sample 1 (", *names[-1]):
                assert needle in text, (name, size, needle)
        screen.carry_out(screen.presenter.select(net.index_of(0, "W", (0, 0))))
        await pilot.press("v", "v", "v", "v")
        for _ in range(100):
            await pilot.pause(0.05)
            landscape = screen.query_one(LandscapeMap)
            if landscape._framed is not None:
                break
        text = text_of(landscape)
        first, second = landscape.state.landscape_labels
        assert first.split()[0] in text and f"↑ {second}" in text and "loss " in text and "◆ now" in text
        assert landscape._framed.map_height >= 3, (name, size)


def test_a_node_never_shows_a_cut_number():
    from nnplay.tui.diagram import NODE_WIDTH, node_text

    assert node_text(3e-16) == node_text(-7e-18) == "0".rjust(NODE_WIDTH)  # not '+3e-1', which reads 0.3
    assert node_text(1e300) == "+huge" and node_text(-1e300) == "-huge"
    assert node_text(0.5) == "+0.50" and node_text(-0.001) == "-1e-3"
    for v in (3e-16, 0.123, 12.5, 1e300):
        assert len(node_text(v)) == NODE_WIDTH


@pytest.mark.slow  # through the Pilot
@run_async
async def test_the_unit_maps_say_how_many_do_not_fit():
    app = make_app("spiral")  # 16 hidden units
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("u")
        await pilot.pause()
        maps = playground(app).query_one(UnitMaps)
        text = text_of(maps)
        shown = len(re.findall(r"h\d+ \|z\|", text))
        assert 0 < shown < 16 and f"… {16 - shown} more maps: 2 shows the pane whole" in text
