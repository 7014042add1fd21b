"""``nnplay serve``: the playground in a web browser, through textual-serve (the optional extra ``serve``).

textual-serve runs a small web server; every browser that opens its page gets a playground of
its own, a fresh process of the command given here (``python -m nnplay SCENARIO …`` with this
Python, this scenario and these flags, in this folder), whose screen and keys travel over a
websocket. So a key that writes a file (``s``, ``ctrl+w``, a screenshot) writes it on the server.

The scenario is checked by the caller before anything is served (a bad file is the usual one
line); here the address is checked before the server starts, so that a port in use or an
unknown host is one line too, and the URL is said once it can be reached.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import shlex
import signal
import socket
import sys
from asyncio.subprocess import PIPE
from collections.abc import Sequence
from typing import Any

from . import tomlwriter
from .exits import EXIT_OK, EXIT_USAGE
from .scenario import bundled_names, printable

DEFAULT_HOST = "127.0.0.1"  # this machine only, unless told (--host 0.0.0.0: everyone on the network)
DEFAULT_PORT = 8000  # textual-serve's own default
MISSING = "nnplay: serve needs textual-serve: pip install 'nnplay[serve]'"
EVERY_ADDRESS = ("0.0.0.0", "::", "")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``--host`` and ``--port``, beside the playground's own SCENARIO, ``--seed`` and ``--set``."""
    p.add_argument("--host", default=DEFAULT_HOST,
                   help=f"the address to listen on (default {DEFAULT_HOST}, this machine only; "
                        "0.0.0.0 gives the playground to everyone on the network)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"the port to listen on (default {DEFAULT_PORT})")


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 1 to 65535, got {n}")
    return n


def command(scenario: str, seed: int | None, settings: Sequence[tuple[str, object]]) -> list[str]:
    """The command line each browser's playground runs: this Python, the same scenario and flags.

    A scenario that is neither bundled nor a path with a folder is a file in this folder: it is
    given as ``./NAME``, so that a file called ``run`` is not read as the command ``run``. A
    ``--set`` value is written back as TOML, which the playground reads to the same value."""
    if "/" not in scenario and scenario not in bundled_names():
        scenario = f"./{scenario}"
    argv = [sys.executable, "-m", "nnplay", scenario]
    if seed is not None:
        argv += ["--seed", str(seed)]
    for key, value in settings:
        argv += ["--set", f"{key}={tomlwriter.dumps_value(value)}"]
    return argv


def url(host: str, port: int) -> str:
    """The address to open: for every address of the machine, the one other machines most likely reach."""
    if host in EVERY_ADDRESS:
        host = _own_address()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _own_address() -> str:
    """This machine's address on its network (connecting a UDP socket sends nothing), else its name."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return socket.gethostname()


def check_address(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (one line), or None when it can."""
    try:
        addresses = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return f"nnplay: --host {printable(host)}: unknown host ({error.strerror})"
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as trial:
            trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            try:
                trial.bind(address)
            except OSError as error:
                return _bind_error(host, port, error)
    return None


def _bind_error(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        why = "the port is in use (another server, or another nnplay serve): try --port with another number"
    elif error.errno == errno.EACCES:
        why = "permission denied (ports below 1024 need the administrator): try a port above 1024"
    elif error.errno == errno.EADDRNOTAVAIL:
        why = "not an address of this machine"
    else:
        why = error.strerror or str(error)
    return f"nnplay: cannot listen on {printable(host)} port {port}: {why}"


def serve(argv: list[str], host: str, port: int, title: str) -> int:
    """Serve the playground ``argv`` runs until ctrl+c; the exit code (2 when it cannot start)."""
    try:
        from textual_serve import server as library
    except ImportError:
        print(MISSING, file=sys.stderr)
        return EXIT_USAGE
    problem = check_address(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    link = url(host, port)

    running: set[Any] = set()  # the playgrounds of the browsers connected now

    class PlaygroundProcess(library.AppService):
        """One browser's playground process. The server stops it (textual-serve sends it "quit") and waits
        for it to end; ctrl+c at the server's terminal does not reach it. Without this, ctrl+c with a
        browser connected printed tracebacks: the server closed its event loop while the process was
        still ending, and the process, which got the ctrl+c too, raced the server's quit."""

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
            """textual-serve's own, in a session of its own (so outside the terminal's process group)."""
            self._process = process = await asyncio.create_subprocess_shell(
                self.command, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=self._build_environment(width, height),
                start_new_session=True)
            self._stdin = process.stdin
            running.add(self)
            return process

        async def stop(self) -> None:
            await super().stop()
            if self._process is not None:
                await self._process.wait()
            running.discard(self)

    # what Server.handle_websocket starts for each browser: it takes the class from its module, with no option
    vars(library)["AppService"] = PlaygroundProcess

    class PlaygroundServer(library.Server):
        def initialize_logging(self) -> None:
            """textual-serve's logging, but warnings and errors only: not a line for every request."""
            super().initialize_logging()
            import logging

            logging.getLogger().setLevel(logging.WARNING)

        async def on_startup(self, app: Any) -> None:
            """No banner: it comes before the port is open (serve says the address once it is)."""

        async def on_shutdown(self, app: Any) -> None:
            """Stop every playground first: each one's end closes its browser's connection, which aiohttp
            then waits for (a browser left open made ctrl+c wait up to a minute)."""
            await asyncio.gather(*(playground.stop() for playground in list(running)))

        def serve(self, debug: bool = False) -> None:
            """textual-serve's own, but one line, the address, said once the server listens (aiohttp's hook
            for that, which textual-serve silences)."""
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers: ctrl+c still stops it
                loop.add_signal_handler(signal.SIGINT, self.request_exit)  # a clean stop, as textual-serve's
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            library.web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                                print=lambda _: print(f"nnplay: serving {title} at {link} (ctrl+c stops)", flush=True))

        async def handle_index(self, request: Any) -> Any:
            """The page, its scripts and its websocket at the address the browser used: with --host 0.0.0.0
            textual-serve would send ws://0.0.0.0:… to every browser, which reaches only its own machine.
            (The page is made without a pause after this, so browsers never see each other's address.)"""
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    server = PlaygroundServer(shlex.join(argv), host=host, port=port, title=title)
    try:
        server.serve()  # until ctrl+c (or SIGTERM)
    except OSError as error:  # the address was taken between the check and the start
        print(_bind_error(host, port, error), file=sys.stderr)
        return EXIT_USAGE
    print("nnplay: stopped serving", flush=True)
    return EXIT_OK
