"""What a learner found trying issue 11's races, optimisers and compare in a terminal (issue 11's fixes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnplay.tui.landscape import LandscapeMap
from nnplay.tui.lossplot import LossPlot
from nnplay.tui.race_table import RaceTable

from .conftest import make_app, playground, run_async, text_of


@pytest.mark.parametrize("name", ["bump", "xor"])
@run_async
async def test_a_ghost_pinned_at_step_0_draws_the_curves_at_the_start_loss(name):
    app = make_app(name)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        await pilot.press("G")
        await pilot.pause()
        plot = screen.query_one(LossPlot)
        text = text_of(plot)
        assert "cannot be drawn" not in text
        monitor = plot.plt._active.monitor
        start = math.log10(screen.session.trainer.current_loss())
        assert monitor.y[0][-1] == pytest.approx(start) and monitor.y[1][-1] == pytest.approx(start)
