"""Headless Chromium driven over the Chrome DevTools Protocol, with the websocket client of aiohttp
(which textual-serve brings): enough to open a page, run JavaScript in it, press keys and take a
screenshot, without a browser-driver package.

Chromium is Debian's (``apt-get install chromium``), started with the flags that keep it off the
network (the machine's network is closed: no sync, no updates, no name lookups but localhost).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # the page's web font fails at once
    "--remote-debugging-port=0",  # any free port: Chromium writes it into DevToolsActivePort
]


def find() -> str | None:
    """The Chromium executable, or None."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


class Browser:
    """One headless Chromium with one page; ``async with Browser(exe, folder, size) as page: …``."""

    def __init__(self, executable: str, folder: Path, size: tuple[int, int]):
        self.executable, self.folder, self.size = executable, folder, size
        self._ids = itertools.count(1)

    async def __aenter__(self) -> Browser:
        profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=self.folder))  # a fresh one every time
        width, height = self.size
        self._log = (self.folder / "chromium.log").open("wb")
        self._process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=self._log, stderr=subprocess.STDOUT)
        try:
            port = await self._port(profile / "DevToolsActivePort")
            self._session = aiohttp.ClientSession()
            async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            page = next(t for t in targets if t["type"] == "page")
            self._ws = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
            await self.call("Page.enable")  # without it, scripts added to run before a page's own never run
            await self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                            mobile=False)
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        if hasattr(self, "_session"):
            await self._session.close()
        self._process.terminate()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._log.close()

    async def _port(self, file: Path) -> int:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self._process.returncode}: see {self.folder / 'chromium.log'}")
            lines = file.read_text().splitlines() if file.exists() else []
            if lines and lines[0].isdigit():
                return int(lines[0])
            await asyncio.sleep(0.05)
        raise TimeoutError("chromium did not open its DevTools port within 15 s")

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and wait for its answer (events in between are dropped)."""
        n = next(self._ids)
        await self._ws.send_str(json.dumps({"id": n, "method": method, "params": params}))
        while True:
            message = await self._ws.receive(timeout=15)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"the DevTools websocket closed ({message.type!r})")
            answer = json.loads(message.data)
            if answer.get("id") == n:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def press(self, key: str, code: str, text: str = "", key_code: int = 0) -> None:
        """A key pressed and released, as a keyboard sends it to the focused element."""
        common = {"key": key, "code": code, "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)

    async def screenshot(self) -> bytes:
        """The page as a PNG."""
        return base64.b64decode((await self.call("Page.captureScreenshot", format="png"))["data"])
