"""``nnplay serve`` in a real browser: headless Chromium opens the page, a key steps the network,
the terminal's text says so, and a screenshot shows it.

The text is read from xterm.js's own buffer (its public API: ``buffer.active.getLine(y)``), not from
pixels. textual-serve keeps its terminal in a local variable; a script that runs before the page's
own catches it as it is made (textual.js stores it beside ``this.fitAddon``, and the setter placed on
``Object.prototype`` for that name sees the object). Skips when Chromium or textual-serve is missing.
"""

from __future__ import annotations

import asyncio
import os
import re
import struct
import time
from pathlib import Path

import pytest

from tests.serving import free_port, start_server, stop_server

pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'nnplay[serve]')")
from tests.browser import cdp  # after the skip: it needs aiohttp, which textual-serve brings

CHROMIUM = cdp.find()
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.slow,
]

SIZE = (1280, 800)
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "fitAddon", {configurable: true, set(value) {
    Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true, enumerable: true});
    window.nnplayTerminal = this.terminal;
}});
"""
SCREEN_TEXT = """(() => {
    const terminal = window.nnplayTerminal;
    if (!terminal) return null;
    const buffer = terminal.buffer.active, lines = [];
    for (let y = 0; y < terminal.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "");
    return lines.join("\\n");
})()"""
STATUS = re.compile(r"^ XOR │ step (\d+) │ epoch \d+ │ loss (\S+)", re.M)  # the status line: scenario, step, loss


async def _wait_for_step(page: cdp.Browser, step: int, seconds: float) -> str:
    """The terminal's text once its status line says ``step N`` (the screen so far on a timeout)."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = await page.evaluate(SCREEN_TEXT) or ""
        if [found for found, _ in STATUS.findall(text)] == [str(step)]:
            return text
        await asyncio.sleep(0.1)
    raise AssertionError(f"no 'step {step}' on the screen within {seconds} s; it shows:\n{text}")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_a_key_in_the_browser_steps_the_network(tmp_path: Path):
    port = free_port()
    server = start_server(["xor", "--port", str(port)], tmp_path)
    try:
        url = server.url

        async def drive() -> tuple[str, str, bytes]:
            async with cdp.Browser(CHROMIUM, tmp_path, SIZE) as page:
                await page.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
                await page.call("Page.navigate", url=url)
                before = await _wait_for_step(page, 0, 30)  # the playground starts in ~4 s; CI shares its cores
                await page.evaluate("window.nnplayTerminal.focus()")
                await page.press(" ", "Space", " ", 32)
                after = await _wait_for_step(page, 1, 10)
                return before, after, await page.screenshot()

        before, after, png = asyncio.run(drive())
    finally:
        output = stop_server(server)
    # the waits saw XOR (the scenario asked for) at step 0, then at step 1 after space, and the loss moved
    [(_, loss_before)], [(_, loss_after)] = STATUS.findall(before), STATUS.findall(after)
    assert float(loss_after) < float(loss_before)
    shot = tmp_path / "serve-xor.png"
    shot.write_bytes(png)
    if os.environ.get("NNPLAY_SCREENSHOTS"):  # to look at by hand
        Path(os.environ["NNPLAY_SCREENSHOTS"], shot.name).write_bytes(png)
    assert _png_size(png) == SIZE
    assert len(png) > 20_000  # a page with the playground on it, not a blank one (that is ~5 kB)
    assert server.returncode == 0, output
    assert "Traceback" not in output and "stopped serving" in output
