"""Hostile saved runs: files built to hang, exhaust or crash ``nnplay FILE.json`` and the load prompt (O).

Every attack is one row: the file (or an edit of a genuine saved run) and the
one line nnplay must answer with. The runs are saved in and loaded from the
test's own folder as ``run.json``, so the lines read exactly as a user sees them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from nnplay import runfile
from nnplay.cli import main
from nnplay.runfile import RunFileError
from nnplay.scenario import MAX_SEED, parse
from nnplay.tui.app import PlaygroundApp

from ..tui.conftest import run_async, screen_text
from .conftest import XOR_DATA, XOR_NETWORK

XOR = XOR_DATA + XOR_NETWORK + "[training]\nloss = \"bce\"\nlearning_rate = 0.5\n"
N_PARAMS = 9  # 2-2-1


@functools.cache
def _genuine_text() -> str:
    scenario = parse(XOR, "xor.toml")
    trainer = scenario.make_trainer(seed=1)
    trainer.step(3)
    trainer.change_settings(learning_rate=0.2)
    trainer.step(3)
    trainer.set_param(4, 0.5)
    trainer.step(4)
    with tempfile.TemporaryDirectory() as folder:
        json_path, _ = runfile.save(Path(folder) / "run", scenario, trainer)
        return json_path.read_text()


def genuine_run() -> dict:
    """A real saved run of XOR at step 10, with a settings event (step 3) and a weight edit (step 6)."""
    return json.loads(_genuine_text())


DELETE = object()


def edited(path: str, value) -> str:
    """A genuine run with the field at ``path`` (``settings.batch_size``, ``events[1].payload[0]``) set to ``value``.

    ``DELETE`` as the value removes the field. The JSON is written the way Python
    writes it, so float('inf') becomes the JSON constant Infinity.
    """
    doc = genuine_run()
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    parent = doc
    for key in keys[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[keys[-1]]
    else:
        parent[keys[-1]] = value
    return json.dumps(doc)


WIDER_XOR = XOR.replace("units = 2", "units = 3")

# (what the attacker does, the file's text, the line nnplay answers with after "run.json: ")
ATTACKS = [
    # not JSON at all, or not ours
    ("nested 100,000 deep", "[" * 100_000, "not a saved run: arrays or tables nested too deeply"),
    ("empty file", "", "the file is empty (a saved run is the JSON file that s writes)"),
    ("only spaces", " \n\t ", "the file is empty (a saved run is the JSON file that s writes)"),
    ("not UTF-8", b"\xff\xfe{\x00}", "not a text file (a saved run is UTF-8 JSON)"),
    ("cut short", '{"format": "nnplay-run",\n "version": 1, "sce', "not a saved run: broken JSON (Unterminated string starting at: line 2 column 16)"),
    ("an integer of 5,000 digits", '{"format": "nnplay-run", "step": ' + "9" * 5000 + "}",
     "not a saved run: a number too long to read"),
    ("a JSON array", "[1, 2, 3]", 'not an nnplay saved run (no "format": "nnplay-run")'),
    ("a JSON string", '"nnplay-run"', 'not an nnplay saved run (no "format": "nnplay-run")'),
    ("version as text", '{"format": "nnplay-run", "version": "1"}',
     "saved by another version of nnplay (file version: a string ('1'), this one reads 1)"),
    ("version true", '{"format": "nnplay-run", "version": true}',
     "saved by another version of nnplay (file version: a boolean (true), this one reads 1)"),
    # missing and foreign fields
    ("no params", edited("params", DELETE), "missing key 'params'"),
    ("a field of its own", edited("settings.learning_rat", 0.1), "settings.learning_rat: unknown key 'learning_rat' (did you mean 'learning_rate'?)"),
    ("an event without a step", edited("events[0].step", DELETE), "events[0]: missing key 'step'"),
    ("no scenario text", edited("scenario.toml", DELETE), "scenario: missing key 'toml'"),
    # settings: the same rules as a scenario's [training]
    ("batch size 1.5", edited("settings.batch_size", 1.5), "settings.batch_size: expected a whole number, got a number (1.5)"),
    ("batch size true", edited("settings.batch_size", True), "settings.batch_size: expected a whole number, got a boolean (true)"),
    ("batch size past the data", edited("settings.batch_size", 5), "settings.batch_size: 5 is larger than the data (4 samples)"),
    ("negative learning rate", edited("settings.learning_rate", -5), "settings.learning_rate: must be greater than 0, got -5"),
    ("learning rate Infinity", edited("settings.learning_rate", float("inf")), "settings.learning_rate: must be a finite number, got inf"),
    ("shuffle 'no'", edited("settings.shuffle", "no"), "settings.shuffle: expected true or false, got a string ('no')"),
    ("cce without softmax", edited("settings.loss", "cce"),
     "settings.loss: cce needs a softmax output layer (the output layer is sigmoid): it reads the outputs as probabilities"),
    # counters
    ("seed 2**70", edited("seed", 2**70), f"seed: must be a whole number from 0 to {MAX_SEED}, got {2**70}"),
    ("a seed of 40 digits", edited("seed", 10**39), "not a saved run: a number too long to read"),
    ("seed as text", edited("seed", "1"), "seed: expected a whole number, got a string ('1')"),
    ("step true", edited("step", True), "step: expected a whole number, got a boolean (true)"),
    ("a huge step", edited("step", 10**18),
     f"loss_history: has 11 numbers but a run at step {10**18} has {10**18 + 1} losses (one before the first step and one after each)"),
    ("more epochs than steps", edited("epoch", 11), "epoch: must be a whole number from 0 to 10, got 11"),
    ("position past the data", edited("position", 4), "position: must be a place in the epoch's samples from 0 to 3, got 4"),
    # numbers
    ("params of another network", edited("params", [0.1] * 13), f"params: has 13 numbers but this network has {N_PARAMS} parameters"),
    ("a word among the params", edited("params[2]", "x"), "params[2]: expected a number, got a string ('x')"),
    ("a boolean among the params", edited("params[2]", False), "params[2]: expected a number, got a boolean (false)"),
    ("Infinity among the params", edited("params[0]", float("inf")), "params[0]: must be a finite number, got inf"),
    ("NaN in the velocity", edited("optimizer.state.velocity[1]", float("nan")),
     "optimizer.state.velocity[1]: must be a finite number, got nan"),
    ("velocity true", edited("optimizer.state.velocity", True), "optimizer.state.velocity: expected an array, got a boolean (true)"),
    ("an optimiser of its own", edited("optimizer.name", "lbfgs"),
     "optimizer.name: unknown optimizer 'lbfgs' (expected one of: sgd, nesterov, rmsprop, adam, adagrad)"),
    ("another optimiser's state", edited("optimizer", {"name": "adam", "state": {}}),
     "optimizer.name: is 'adam' but settings.optimizer is 'sgd'"),
    ("no last update", edited("last_update", DELETE), "missing key 'last_update'"),
    # events
    ("event at step Infinity", edited("events[0].step", float("inf")), "events[0].step: expected a whole number, got a number (inf)"),
    ("event in the future editing weight 999", edited("events[1]", {"step": 20, "kind": "param", "payload": [999, 1.0]}),
     "events[1].step: must be a step of the saved run from 0 to 10, got 20"),
    ("weight 999", edited("events[1].payload[0]", 999), f"events[1].payload[0]: must be a parameter index from 0 to {N_PARAMS - 1}, got 999"),
    ("weight set to NaN", edited("events[1].payload[1]", float("nan")), "events[1].payload[1]: must be a finite number, got nan"),
    ("a weight edit without a value", edited("events[1].payload", [4]), "events[1].payload: expected [parameter index, value], got 1 items"),
    ("events out of order", edited("events[0].step", 8), "events[1].step: events must be in step order, but step 6 comes after step 8"),
    ("an unknown kind of event", edited("events[0].kind", "explode"),
     "events[0].kind: unknown event kind 'explode' (expected one of: settings, param)"),
    ("learning rate -5 from an event", edited("events[0].payload.learning_rate", -5),
     "events[0].payload.learning_rate: must be greater than 0, got -5"),
    ("shuffle 'no' from an event", edited("events[0].payload", {"shuffle": "no"}),
     "events[0].payload.shuffle: expected true or false, got a string ('no')"),
    ("batch size true from an event", edited("events[0].payload", {"batch_size": True}),
     "events[0].payload.batch_size: expected a whole number, got a boolean (true)"),
    ("events as a table", edited("events", {}), "events: expected an array, got a table"),
    # a long run's averaged early losses (loss_history_folded)
    ("folded history without blocks", edited("loss_history_folded", {"start": 4}),
     "loss_history_folded: missing key 'blocks'"),
    ("folded blocks that leave a gap", edited("loss_history_folded", {"start": 4, "blocks": [[0, 2, 0.5], [3, 1, 0.5]]}),
     "loss_history_folded.blocks[1][0]: must be 2, where the block before ends, got 3"),
    ("folded blocks short of the start", edited("loss_history_folded", {"start": 4, "blocks": [[0, 2, 0.5]]}),
     "loss_history_folded.blocks: cover 2 steps but start says 4"),
    ("folded, but every loss still exact", edited("loss_history_folded", {"start": 4, "blocks": [[0, 4, 0.5]]}),
     "loss_history: has 11 numbers but a run at step 10 has 7 losses (one before the first step and one after each, from step 4 on)"),
    # the scenario inside
    ("a scenario name that is a number", edited("scenario.name", 5), "scenario.name: expected a string, got a number (5)"),
    ("an invalid scenario", edited("scenario.toml", XOR.replace("units = 2", "units = 0")),
     "scenario.toml: the saved scenario is not valid: network.layers[0].units: must be at least 1, got 0"),
    ("a scenario that is not TOML", edited("scenario.toml", "[data"),
     "scenario.toml: the saved scenario is not valid: not valid TOML: Expected ']' at the end of a table declaration (at end of document)"),
    ("another network than the params", edited("scenario.toml", WIDER_XOR), f"params: has {N_PARAMS} numbers but this network has 13 parameters"),
]


@pytest.mark.parametrize("text,message", [row[1:] for row in ATTACKS], ids=[row[0] for row in ATTACKS])
def test_a_hostile_saved_run_is_one_line_naming_the_file_and_field(write, tmp_path, monkeypatch, text, message):
    write(text, "run.json")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RunFileError) as caught:
        runfile.load("run.json")
    assert str(caught.value) == f"run.json: {message}"


@contextmanager
def deadline(seconds: float):
    """Fail instead of hanging: the attacks below used to block or read forever."""
    def expired(signum, frame):
        pytest.fail(f"still reading after {seconds} s")  # not an exception that the code under test catches

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def make_fifo(path):
    os.mkfifo(path)


def make_zero_link(path):
    os.symlink("/dev/zero", path)


def make_folder(path):
    path.mkdir()


def make_huge_sparse_file(path):
    with open(path, "wb") as f:
        f.truncate(runfile.MAX_FILE_BYTES + 1)


# (what the attacker does, how run.json is made, the name given to nnplay, the line nnplay answers with)
NOT_FILES = [
    ("a FIFO", make_fifo, "run.json", "run.json: not a regular file (a saved run is a .json file saved with s)"),
    ("a link to /dev/zero", make_zero_link, "run.json", "run.json: not a regular file (a saved run is a .json file saved with s)"),
    ("a folder", make_folder, "run.json", "run.json: is a folder, not a saved run"),
    ("over 64 MB", make_huge_sparse_file, "run.json", "run.json: too large: a saved run is at most 64 MB"),
    ("nothing", lambda path: None, "run.json", "run.json: no such file"),
    ("a NUL in the name", lambda path: None, "run\0.json", "run\0.json: no such file"),
    ("a file taken for a folder", lambda path: path.write_text("{}"), "run.json/x.json", "run.json/x.json: cannot read: Not a directory"),
]


@pytest.mark.parametrize("make,name,message", [row[1:] for row in NOT_FILES], ids=[row[0] for row in NOT_FILES])
def test_anything_but_a_saved_file_is_refused_before_reading(tmp_path, monkeypatch, make, name, message):
    make(tmp_path / "run.json")
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    with deadline(5), pytest.raises(RunFileError) as caught:
        runfile.load(name)
    assert str(caught.value) == message
    assert time.perf_counter() - started < 0.5


def test_a_file_larger_than_it_says_is_read_no_further_than_the_limit(write, monkeypatch):
    path = write(json.dumps(genuine_run()) + " " * 2**21, "run.json")
    monkeypatch.setattr(runfile, "MAX_FILE_BYTES", 2**20)
    # its size says 10 bytes (as a file in /proc says 0)
    monkeypatch.setattr(os, "fstat", lambda fd, real=os.fstat: os.stat_result(real(fd)[:6] + (10,) + real(fd)[7:]))
    with pytest.raises(RunFileError, match=r"run\.json: too large: a saved run is at most 1 MB"):
        runfile.load(path)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["plain", "with a byte order mark"])
def test_a_genuine_run_loads_and_carries_on(write, prefix):
    path = write(prefix + json.dumps(genuine_run()).encode(), "run.json")
    scenario, trainer, note = runfile.load(path)
    assert trainer.step_count == 10 and note == ""
    assert [(e.step, e.kind) for e in trainer.events()] == [(3, "settings"), (6, "param")]
    assert trainer.step(5) == 5 and trainer.step_count == 15
    trainer.rewind(10)
    np.testing.assert_array_equal(trainer.params, genuine_run()["params"])


@pytest.mark.parametrize("field", ["params[0]", "loss_history[10]"])
def test_a_run_saved_after_it_diverged_says_so_on_load(write, field):
    path = write(edited(field, None), "run.json")  # null: how a save writes a number that is not finite
    _, trainer, note = runfile.load(path)
    assert trainer.diverged
    assert note == (f"{path} was saved after the run diverged, at step 10: a loaded run cannot step back past "
                    "the step it was saved at; reset (0) starts again from step 0.")


@pytest.mark.parametrize("text,message", [
    (edited("settings.batch_size", 1.5), "run.json: settings.batch_size: expected a whole number, got a number (1.5)"),
    ("[" * 100_000, "run.json: not a saved run: arrays or tables nested too deeply"),
], ids=["batch size 1.5", "nested 100,000 deep"])
def test_nnplay_file_json_answers_one_line_and_exit_2(write, tmp_path, monkeypatch, capsys, text, message):
    write(text, "run.json")
    monkeypatch.chdir(tmp_path)
    assert main(["run.json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"nnplay: {message}\n" and captured.out == ""


# -- saving: both files or neither, a name any folder takes, nothing left behind ------------------


def xor_at_step_3(name: str = "XOR"):
    scenario = parse(f"[scenario]\nname = {json.dumps(name)}\n" + XOR, "xor.toml")
    trainer = scenario.make_trainer()
    trainer.step(3)
    return scenario, trainer


@pytest.mark.parametrize("blocked", ["run.csv", "run.json"])
def test_a_save_that_fails_half_way_leaves_neither_file(tmp_path, blocked):
    (tmp_path / blocked).mkdir()  # a folder where one of the two files goes: that rename fails
    with pytest.raises(IsADirectoryError):
        runfile.save(tmp_path / "run", *xor_at_step_3())
    assert [p.name for p in tmp_path.iterdir()] == [blocked]


def test_a_run_too_long_to_load_again_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(runfile, "MAX_FILE_BYTES", 2**20)
    scenario = parse(XOR + "# " + "x" * 1_600_000, "xor.toml")  # the scenario's text is saved with the run
    trainer = scenario.make_trainer()
    with pytest.raises(ValueError, match=r"^the run is too long: its file would be 2 MB, and a saved run may be at most 1 MB$"):
        runfile.save(tmp_path / "run", scenario, trainer)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name,file_name", [
    ("x" * 5000, "nnplay-" + "x" * runfile.MAX_NAME_CHARS + "-step3"),
    ("Café au lait, à la française!", "nnplay-cafe-au-lait-a-la-francaise-step3"),
    ("../../etc/passwd", "nnplay-etc-passwd-step3"),
    ("情感", "nnplay-run-step3"),
    ("-" * 5000 + "z", "nnplay-z-step3"),
], ids=["5,000 characters", "accents", "a path", "no ASCII letters", "dashes"])
def test_any_scenario_name_gives_a_short_ascii_file_name_that_saves(tmp_path, name, file_name):
    assert runfile.default_name(name, 3) == file_name
    json_path, _ = runfile.save(tmp_path / file_name, *xor_at_step_3(name))
    assert runfile.load(json_path).scenario.name == name


def test_a_save_removes_the_temporary_files_a_killed_save_left(tmp_path):
    an_hour_ago = time.time() - 3600
    stale = tmp_path / f".run.json.0123456789abcdef{runfile.TEMPORARY_SUFFIX}"
    writing_now = tmp_path / f".other.json.fedcba9876543210{runfile.TEMPORARY_SUFFIX}"  # another save, under way
    not_ours = tmp_path / ".notes.json.tmp"
    for path in (stale, writing_now, not_ours):
        path.write_text("{")
    for path in (stale, not_ours):
        os.utime(path, (an_hour_ago, an_hour_ago))
    runfile.save(tmp_path / "run", *xor_at_step_3())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([writing_now.name, not_ours.name, "run.csv", "run.json"])


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_permissions_the_umask_gives(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        paths = runfile.save(tmp_path / "run", *xor_at_step_3())
    finally:
        os.umask(previous)
    assert [oct(stat.S_IMODE(path.stat().st_mode)) for path in paths] == [oct(mode), oct(mode)]


@pytest.mark.slow
@run_async
async def test_the_playground_saves_under_a_huge_name_and_tells_what_a_diverged_run_can_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "boom.json").write_text(edited("params[0]", None))
    scenario, _ = xor_at_step_3("x" * 5000)
    app = PlaygroundApp(scenario)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")  # used to fail: File name too long
        await app.workers.wait_for_complete()  # saving runs off the interface thread
        await pilot.pause()
        assert (tmp_path / f"nnplay-{'x' * runfile.MAX_NAME_CHARS}-step0.json").is_file()
        await pilot.press("O", *"boom.json", "enter")
        await pilot.pause()
        session = app.playground.session
        assert session.trainer.step_count == 10
        assert session.message == runfile.load("boom.json").note
        assert "boom.json was saved after the run diverged, at step 10" in screen_text(app)
