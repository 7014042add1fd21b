"""Starting and stopping ``nnplay serve`` in a process of its own, for the tests of serve."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
from pathlib import Path


class Served(subprocess.Popen):
    url: str
    first_line: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str], cwd: Path, seconds: float = 20) -> Served:
    """``nnplay serve ARGS`` started in ``cwd``, once it has said its URL (its first line)."""
    server = Served([sys.executable, "-m", "nnplay", "serve", *args], cwd=cwd, stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT, text=True, start_new_session=True)
    assert server.stdout is not None
    with selectors.DefaultSelector() as waiting:
        waiting.register(server.stdout, selectors.EVENT_READ)
        if not waiting.select(seconds):
            stop_server(server)
            raise AssertionError(f"nnplay serve said nothing within {seconds} s")
    server.first_line = server.stdout.readline()
    words = server.first_line.split()
    server.url = next((word for word in words if word.startswith("http://")), "")
    if not server.url:
        raise AssertionError(f"nnplay serve did not start: {server.first_line}{stop_server(server)}")
    return server


def stop_server(server: subprocess.Popen, seconds: float = 10) -> str:
    """Stop it as ctrl+c at a terminal does (SIGINT to it and to the playgrounds it started, its process
    group) and return what it wrote after its first line."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
    try:
        output, _ = server.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()
        output += f"\n(did not stop within {seconds} s of SIGINT)"
    return output
