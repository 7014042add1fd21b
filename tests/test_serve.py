"""``nnplay serve`` without a browser: its URL line, its address, its errors, and the command each
browser's playground runs. (tests/browser/ opens it in headless Chromium.)"""

from __future__ import annotations

import asyncio
import shlex
import socket
import subprocess
import sys
import urllib.request

import pytest

from nnplay import cli, serve
from nnplay.scenario import bundled_folder
from tests.serving import free_port, start_server, stop_server

XOR = (bundled_folder() / "xor.toml").read_text()


def _needs_textual_serve():
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'nnplay[serve]')")


def test_by_default_this_machine_only_on_port_8000_and_the_playground_s_scenario():
    args = cli._parser("serve").parse_args([])
    assert (args.host, args.port, args.scenario, args.seed, args.set) == ("127.0.0.1", 8000, "xor", None, [])


@pytest.mark.slow
def test_it_says_its_url_serves_the_page_listens_on_127_0_0_1_only_and_stops_on_ctrl_c(tmp_path):
    _needs_textual_serve()
    port = free_port()
    server = start_server(["xor", "--port", str(port)], tmp_path)
    try:
        assert server.first_line == f"nnplay: serving XOR at http://127.0.0.1:{port} (ctrl+c stops)\n"
        with urllib.request.urlopen(server.url, timeout=10) as response:
            page = response.read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        # a browser that reached it by another name is sent to that name, not to the address it listens on
        asked = urllib.request.Request(server.url, headers={"Host": f"classroom.example:{port}"})
        with urllib.request.urlopen(asked, timeout=10) as response:
            assert f'"ws://classroom.example:{port}/ws"' in response.read().decode()
        own = serve.url("0.0.0.0", port).removeprefix("http://").rpartition(":")[0]
        if own.count(".") == 3 and not own.startswith("127."):  # this machine has an address on a network
            with socket.socket() as elsewhere, pytest.raises(ConnectionRefusedError):
                elsewhere.connect((own, port))
    finally:
        output = stop_server(server)
    assert server.returncode == 0
    assert output == "nnplay: stopped serving\n"  # and no traceback, no request log


@pytest.mark.slow
def test_the_playground_it_serves_opens_a_scenario_given_relative_to_the_folder_and_ctrl_c_ends_it(tmp_path):
    """A file called ``run`` in the current folder: the server checks it, and each browser's playground
    (a process in the same folder) opens that file, not the command ``run``. ctrl+c while the browser is
    connected ends the playground and closes the browser's connection (the server does not wait for the
    browser to leave), with nothing but the one line."""
    _needs_textual_serve()
    import aiohttp

    (tmp_path / "run").write_text(XOR.replace('name = "XOR"', 'name = "Relkid"'))
    port = free_port()
    server = start_server(["run", "--port", str(port), "--seed", "3"], tmp_path)

    async def browse() -> tuple[bytes, aiohttp.WSMsgType, str]:
        seen = b""
        async with aiohttp.ClientSession() as session, session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=120&height=40") as ws:
            message = await ws.receive(timeout=20)
            while message.type == aiohttp.WSMsgType.BINARY and b"Relkid" not in seen:
                seen += message.data
                message = await ws.receive(timeout=20)
            stopping = asyncio.create_task(asyncio.to_thread(stop_server, server))  # ctrl+c, the browser still there
            while message.type == aiohttp.WSMsgType.BINARY:
                message = await ws.receive(timeout=20)
            return seen, message.type, await stopping

    try:
        seen, end, output = asyncio.run(browse())
    finally:
        if server.poll() is None:
            stop_server(server)
    assert server.first_line.startswith("nnplay: serving Relkid at ")
    assert b"Relkid" in seen, f"the served playground did not show the scenario; server output:\n{output}"
    assert end == aiohttp.WSMsgType.CLOSE
    assert (server.returncode, output) == (0, "nnplay: stopped serving\n")


def test_each_browser_s_playground_is_this_python_with_the_same_scenario_and_flags(tmp_path, monkeypatch):
    settings = [
        ("training.learning_rate", 0.25),
        ("training.loss", "bce"),  # given as a bare word: a string
        ("network.layers", [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]),
        ("scenario.name", "it's \"XOR\" $HOME `ls` ;"),  # what a shell would read
    ]
    argv = serve.command("xor", 5, settings)
    assert argv[:3] == [sys.executable, "-m", "nnplay"]
    # textual-serve runs the command through the shell: the shell gives back exactly these words
    echoed = subprocess.run(["sh", "-c", "printf '%s\\0' " + shlex.join(argv)], capture_output=True, text=True, check=True)
    assert echoed.stdout.split("\0")[:-1] == argv
    # and the playground reads them as what was checked before serving: the same scenario, seed and values
    served = cli._parser(None).parse_args(argv[3:])
    assert (served.scenario, served.seed, served.set) == ("xor", 5, settings)


def test_a_scenario_file_named_like_a_command_is_given_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run").write_text(XOR)
    assert serve.command("run", None, [])[3:] == ["./run"]  # not the command run
    assert serve.command("xor", None, [])[3:] == ["xor"]  # bundled
    assert serve.command("my scenarios/a b.toml", None, [])[3:] == ["my scenarios/a b.toml"]  # a path already
    assert cli._load("./run", []).name == cli._load("run", []).name == "XOR"


def test_without_textual_serve_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import textual_serve now fails
    assert cli.main(["serve", "xor"]) == 2
    assert capsys.readouterr().err == "nnplay: serve needs textual-serve: pip install 'nnplay[serve]'\n"


@pytest.mark.parametrize("args, message", [
    (["nosuch.toml"], "nosuch.toml: no such scenario file"),
    (["xor", "--set", "training.learning_rate=-1"], "nnplay: --set training.learning_rate: must be greater than 0, got -1"),
    (["run.json", "--set", "training.learning_rate=1"], "nnplay: --set training.learning_rate: a saved run carries on"),
])
def test_a_bad_scenario_fails_before_anything_is_served(args, message, monkeypatch, capsys):
    served = []
    monkeypatch.setattr(serve, "serve", lambda *given: served.append(given) or 0)
    assert cli.main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert served == []


def test_a_port_in_use_or_an_unknown_host_is_one_line_and_exit_2(capsys):
    _needs_textual_serve()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "xor", "--port", str(port)]) == 2
        assert capsys.readouterr().err == (f"nnplay: cannot listen on 127.0.0.1 port {port}: the port is in use "
                                           "(another server, or another nnplay serve): try --port with another number\n")
    assert cli.main(["serve", "--host", "no-such-host.invalid"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnplay: --host no-such-host.invalid: unknown host (") and err.count("\n") == 1


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_port_out_of_range_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(["serve", "--port", port])
    assert exit.value.code == 2
    assert "argument --port" in capsys.readouterr().err


def test_the_url_names_an_address_others_can_reach():
    assert serve.url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert serve.url("::1", 8001) == "http://[::1]:8001"
    own = serve.url("0.0.0.0", 8002)
    assert own.endswith(":8002") and "0.0.0.0" not in own
