"""The landscape's directions through the Pilot: L goes through them, the surface comes coarse then fine off the
interface thread while keys answer, and the pca view says why it cannot be drawn before the run has moved."""

import threading

import pytest

from nnplay import explain, landscape
from nnplay.playground import LANDSCAPE_VIEWS
from nnplay.tui.landscape import LandscapeMap

from .conftest import make_app, playground, run_async, settled, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


@run_async
async def test_L_goes_through_the_directions_and_dimensions():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("greater_than_sign")
        seen = []
        for _ in LANDSCAPE_VIEWS:
            await pilot.press("L")
            await settled(pilot)
            presenter = screen.presenter
            seen.append(presenter.landscape_view)
            assert presenter.explain_mode == "landscape"
            assert screen.session.landscape_kind == presenter.landscape_view
            widget = "sweep" if presenter.landscape_view[1] == 1 else "landscape"
            assert screen.query_one("#explain").current == f"explain-{widget}"
            made = presenter._explained[1]
            assert isinstance(made, explain.Sweep) == (presenter.landscape_view[1] == 1)
        assert seen == [*LANDSCAPE_VIEWS[1:], LANDSCAPE_VIEWS[0]]


@run_async
async def test_the_surface_comes_coarse_then_fine_and_keys_answer_while_it_is_made(monkeypatch):
    gate = threading.Event()
    sizes: list[int] = []
    make = landscape.make

    def gated(*args, **kwargs):  # the fine grid waits until the test has pressed its keys
        if sizes:
            assert gate.wait(20)
        sizes.append(args[8])
        return make(*args, **kwargs)

    monkeypatch.setattr(landscape, "make", gated)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        presenter = screen.presenter
        await pilot.press("greater_than_sign", "L")  # random directions, 2-D
        for _ in range(100):
            await pilot.pause(0.05)
            if presenter._explained is not None and presenter._explained[0][0][0] == "landscape":
                break
        coarse, _ = presenter._explained[1]
        assert presenter._making is not None  # the fine one is still being made …
        await pilot.press("n", "n", "w")  # … and the keys answer meanwhile
        assert presenter.sample == 2 and presenter.selected == presenter.order[1]
        widget = screen.query_one(LandscapeMap)
        assert "refining…" in text_of(widget)
        gate.set()
        await settled(pilot)
        fine, _ = presenter._explained[1]
        assert sizes[0] < sizes[1]
        assert coarse.losses.shape == (sizes[0], sizes[0]) and fine.losses.shape == (sizes[1], sizes[1])
        # both centred on the current point, whose loss is the current loss to the bit
        loss = screen.session.trainer.current_loss()
        assert coarse.losses[sizes[0] // 2, sizes[0] // 2] == fine.losses[sizes[1] // 2, sizes[1] // 2] == loss
        await pilot.pause(0.1)
        assert "refining…" not in text_of(widget)


@run_async
async def test_pca_before_the_run_has_moved_says_why():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("L", "L", "L")  # pca, 2-D, at step 0
        await settled(pilot)
        assert "take a few steps first" in text_of(screen.query_one(LandscapeMap))
        await pilot.press("full_stop")
        await settled(pilot)
        surface, path = screen.presenter._explained[1]
        assert path is not None and len(path) > 1 and path[-1] == pytest.approx((0.0, 0.0))
