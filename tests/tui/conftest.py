import asyncio
import functools

import pytest

from nnplay.scenario import load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.screen import PlaygroundScreen


def run_async(test):
    """Run an async test function with asyncio (no plugin needed)."""
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))
    return wrapper


def make_app(name="xor", seed=None):
    return PlaygroundApp(load(name), seed=seed)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from the SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


def text_of(widget) -> str:
    """What a widget shows, as rendered: its lines' text (not its content object, whose str may be a repr)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def playground(app) -> PlaygroundScreen:
    return app.playground


async def settled(pilot) -> None:
    """Until the slow explain view asked for is made, off the interface thread (a landscape's fine grid too)."""
    for _ in range(100):
        await pilot.pause(0.05)
        if pilot.app.playground.presenter._making is None:
            return
    raise AssertionError("the explain view's numbers never came")


@pytest.fixture
def diverging_file(tmp_path):
    path = tmp_path / "boom.toml"
    path.write_text(
        "[data]\ninputs = [[0.0], [1.0], [2.0]]\ntargets = [[0.0], [2.0], [4.0]]\n"
        "[network]\nlayers = [{ units = 4, activation = \"relu\" }, { units = 1, activation = \"linear\" }]\n"
        "[training]\nlearning_rate = 50.0\nmomentum = 0.9\n"
    )
    return path
