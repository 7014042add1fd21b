"""With [data] features every view is drawn over the named (raw) inputs, consistently: the decision map's
plane, its points and its key, the unit maps, the curve's points and line; only the network diagram names
its input units after the features (what the network sees)."""

from __future__ import annotations

import numpy as np

from nnplay.figures import padded_range
from nnplay.scenario import from_dict
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.curve import CurveView
from nnplay.tui.decision_map import DecisionMap
from nnplay.tui.diagram import NetworkDiagram
from nnplay.tui.scales import positions, tick
from nnplay.tui.unit_maps import UnitMaps

from .conftest import playground, run_async, text_of
from .test_maps import pink_glyphs

NET = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]}
# features whose first columns are not the named inputs: a view that drew the features would show it
CIRCLE = from_dict({"data": {"generate": "circle", "samples": 60, "noise": 0.1, "test_fraction": 0.25,
                             "features": ["x1^2", "x2^2", "x1*x2"]}, "network": NET})
SINE = from_dict({"data": {"generate": "sine", "samples": 24, "features": ["x1^2", "x1", "sin(x1)"]},
                  "network": {"layers": [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}})


def test_the_presenter_gives_the_views_the_named_inputs():
    from nnplay.playground import Playground
    from nnplay.session import Session

    for scenario in (CIRCLE, SINE):
        pg = Playground(Session(scenario))
        points = pg.view_state(pg.session.frame()).points
        data = scenario.data
        assert points is not None and points.names == data.raw_names != data.input_names
        np.testing.assert_array_equal(points.inputs, data.raw_inputs)
    points = Playground(Session(CIRCLE)).view_state(Session(CIRCLE).frame()).points
    assert points is not None and points.test is not None
    np.testing.assert_array_equal(points.test[0], CIRCLE.data.test_raw_inputs)


@run_async
async def test_the_decision_map_its_points_and_the_unit_maps_are_over_the_named_inputs():
    raw = CIRCLE.data.raw_inputs
    app = PlaygroundApp(CIRCLE)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("n", "n", "u")
        await pilot.pause()
        screen = playground(app)
        grid = screen.frame.grid
        assert grid.xlim == padded_range(raw[:, 0]) and grid.ylim == padded_range(raw[:, 1])  # the colours' plane
        view = screen.query_one(DecisionMap)
        lines = text_of(view).splitlines()
        assert lines[0].startswith("↑ x2") and lines[-1].split()[1:3] == ["x1", "→"]  # the axes: named inputs
        s = screen.presenter.sample
        point = ", ".join(tick(v) for v in raw[s])
        assert s == 2 and f"sample 3 ({point})" in text_of(view)
        y, x, _ = [p for p in pink_glyphs(view) if p[0] >= len(view._framed.key)][0]  # the selected point
        framed = view._framed
        assert x - framed.gutter == positions([raw[s, 0]], *grid.xlim, framed.map_width)[0]
        assert y - len(framed.key) == positions([raw[s, 1]], grid.ylim[1], grid.ylim[0], 2 * framed.map_height)[0] // 2
        maps = text_of(screen.query_one(UnitMaps))
        assert f"x1 → {tick(grid.xlim[0])} … {tick(grid.xlim[1])}," in maps and f"sample 3 ({point})" in maps
        diagram = text_of(screen.query_one(NetworkDiagram))
        assert all(name in diagram for name in ("x1^2", "x2^2", "x1*x2"))  # the network's inputs: the features


@run_async
async def test_the_curve_plots_the_named_input():
    raw = SINE.data.raw_inputs[:, 0]
    app = PlaygroundApp(SINE)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = playground(app)
        curve = screen.frame.curve
        assert (curve.xs[0], curve.xs[-1]) == padded_range(raw)  # the line, over x1
        monitor = screen.query_one(CurveView).plt._active.monitor
        line, points = monitor.x[0], monitor.x[1]
        assert line == curve.xs.tolist() and points == raw.tolist()  # the data points at their x1, not x1^2
        assert monitor.xlabel[0] == "x1"
        diagram = text_of(screen.query_one(NetworkDiagram))
        assert "x1^2" in diagram and "sin(x1)" in diagram
