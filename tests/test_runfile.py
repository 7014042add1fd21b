"""Saving and loading a run: round trip, carrying on, broken and foreign files, atomic writes."""

import json
import os

import numpy as np
import pytest

from nnplay import runfile
from nnplay.runfile import RunFileError
from nnplay.scenario import load


def saved(tmp_path, name="spiral", steps=57):
    s = load(name)
    t = s.make_trainer()
    t.step(20)
    t.change_settings(learning_rate=0.02)
    t.step(steps - 20)
    json_path, csv_path = runfile.save(tmp_path / "run", s, t)
    return s, t, json_path, csv_path


def test_round_trip_and_carrying_on_is_exact(tmp_path):
    s, t, json_path, csv_path = saved(tmp_path)
    scenario, loaded, note = runfile.load(json_path)
    assert note == ""
    assert scenario.name == s.name and loaded.step_count == 57 and loaded.epoch == t.epoch
    np.testing.assert_array_equal(loaded.params, t.params)
    np.testing.assert_array_equal(loaded.optimizer.state()["velocity"], t.optimizer.state()["velocity"])
    np.testing.assert_array_equal(loaded.loss_history(), t.loss_history())
    assert loaded.settings == t.settings and loaded.settings.learning_rate == 0.02
    # carrying on gives the same numbers as never having stopped (minibatches and all)
    t.step(100)
    loaded.step(100)
    np.testing.assert_array_equal(loaded.params, t.params)
    np.testing.assert_array_equal(loaded.loss_history(), t.loss_history())
    # and stepping back works down to the step it was loaded at
    loaded.rewind(60)
    with pytest.raises(ValueError, match="loaded at step 57"):
        loaded.rewind(10)


def test_csv_has_the_loss_history(tmp_path):
    s, t, json_path, csv_path = saved(tmp_path)
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "step,loss" and len(lines) == 59
    step, loss = lines[-1].split(",")
    assert int(step) == 57 and float(loss) == t.loss_history()[-1]


def test_no_temporary_files_are_left_and_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    s, t, json_path, csv_path = saved(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.csv", "run.json"]
    before = json_path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    t.step(5)
    with pytest.raises(OSError):
        runfile.save(tmp_path / "run", s, t)
    assert json_path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.csv", "run.json"]


def test_truncated_file(tmp_path):
    s, t, json_path, _ = saved(tmp_path)
    text = json_path.read_text()
    json_path.write_text(text[: len(text) // 2])
    with pytest.raises(RunFileError, match=r"run\.json: not a saved run: broken JSON"):
        runfile.load(json_path)


@pytest.mark.parametrize("content,message", [
    ('{"hello": "world"}', "not an nnplay saved run"),
    ("[1, 2, 3]", "not an nnplay saved run"),
    ('{"format": "nnplay-run", "version": 99}', "saved by another version"),
    ('{"format": "nnplay-run", "version": 1}', "x.json: missing key 'scenario'"),
    ("", "x.json: the file is empty"),
])
def test_foreign_files(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(RunFileError, match=message):
        runfile.load(path)


def test_tampered_fields(tmp_path):
    s, t, json_path, _ = saved(tmp_path, "xor", 10)
    doc = json.loads(json_path.read_text())
    for key, value, message in [("params", [1.0, 2.0], "params: has 2 numbers but this network has 9 parameters"),
                                ("params", "x", "params: expected an array"),
                                ("step", -1, "step: must be 0 or more"),
                                ("loss_history", [0.5], r"loss_history: has 1 number but a run at step 20 has 21 losses \(one before the first step"),
                                ("settings", {"loss": "mse"}, "settings: missing key 'learning_rate'")]:
        bad = dict(doc, **{key: value})
        json_path.write_text(json.dumps(bad))
        with pytest.raises(RunFileError, match=message):
            runfile.load(json_path)
    bad = dict(doc, scenario=dict(doc["scenario"], toml="[data]\ninputs = 3"))
    json_path.write_text(json.dumps(bad))
    with pytest.raises(RunFileError, match=r"run\.json: scenario\.toml: the saved scenario is not valid: network: missing"):
        runfile.load(json_path)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(RunFileError, match="no such file"):
        runfile.load(tmp_path / "nope.json")
    path = tmp_path / "bin.json"
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(RunFileError, match="not a text file"):
        runfile.load(path)


def test_a_diverged_run_saves_and_loads(tmp_path):
    path = tmp_path / "boom.toml"
    path.write_text('[data]\ninputs = [[0.0], [1.0]]\ntargets = [[0.0], [2.0]]\n'
                    '[network]\nlayers = [{ units = 1, activation = "linear" }]\n[training]\nlearning_rate = 90.0\n')
    s = load(str(path))
    t = s.make_trainer()
    t.step(500)
    assert t.diverged
    json_path, _ = runfile.save(tmp_path / "boom-run", s, t)
    json.loads(json_path.read_text())  # valid JSON: no NaN literals
    _, loaded, note = runfile.load(json_path)
    assert loaded.diverged and loaded.step_count == t.step_count
    assert f"saved after the run diverged, at step {t.step_count}" in note and "reset (0)" in note


def test_cli_opens_a_saved_run_or_says_why_not(tmp_path, capsys):
    from nnplay.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nnplay: ") and "not an nnplay saved run" in err and "Traceback" not in err


def test_a_run_switched_to_full_batch_mid_epoch_carries_on_exactly(tmp_path):
    # a full-batch step is a whole epoch: the next minibatch starts a fresh one, loaded or not
    s = load("xor")
    t = s.make_trainer()
    t.change_settings(batch_size=1)
    t.step(1)
    t.change_settings(batch_size=0)
    t.step(2)
    json_path, _ = runfile.save(tmp_path / "run", s, t)
    _, loaded, _ = runfile.load(json_path)
    assert (loaded.position, loaded.epoch, loaded.step_count) == (t.position, t.epoch, 3) == (0, 2, 3)
    for trainer in (t, loaded):
        trainer.change_settings(batch_size=1)
        trainer.step(7)
    np.testing.assert_array_equal(loaded.params, t.params)
    np.testing.assert_array_equal(loaded.loss_history(), t.loss_history())


def test_a_run_so_long_its_early_losses_were_averaged_saves_and_loads(tmp_path):
    """The playground folds the distant past of a long run's loss history into averages:
    the save holds them, the load restores them, and carrying on is exact."""
    s = load("xor")
    t = s.make_trainer()
    t.limit_history(2048)
    t.step(10_000)
    assert t.history.folded
    json_path, csv_path = runfile.save(tmp_path / "long", s, t)
    rows = csv_path.read_text().splitlines()[1:]
    assert len(rows) == len(t.history.blocks()[0]) + len(t.history.exact())
    steps = [float(row.split(",")[0]) for row in rows]
    assert steps == sorted(steps) and steps[0] == 0.5 and steps[-1] == 10_000
    loaded = runfile.load(json_path).trainer
    assert loaded.history.start == t.history.start and loaded.history.end == 10_001
    np.testing.assert_array_equal(loaded.history.exact(), t.history.exact())
    for a, b in zip(loaded.history.blocks(), t.history.blocks()):
        np.testing.assert_array_equal(a, b)
    t.step(100)
    loaded.step(100)
    np.testing.assert_array_equal(loaded.params, t.params)
    np.testing.assert_array_equal(loaded.history.exact(), t.history.exact())


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_permissions_of_any_new_file(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        _, _, json_path, csv_path = saved(tmp_path, "xor", 30)
    finally:
        os.umask(old)
    assert oct(json_path.stat().st_mode & 0o777) == oct(mode)
    assert oct(csv_path.stat().st_mode & 0o777) == oct(mode)


def test_saved_runs_lists_the_json_files_newest_first(tmp_path):
    _, _, old_json, _ = saved(tmp_path, "xor", 30)
    os.utime(old_json, (1, 1))
    runfile.save(tmp_path / "later", load("xor"), load("xor").make_trainer())
    (tmp_path / "folder.json").mkdir()  # not a file
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "bad\x1bname.json").write_text("{}")  # a name that would reach the terminal
    assert runfile.saved_runs(tmp_path) == ["later.json", "run.json"]
    assert runfile.saved_runs(tmp_path / "missing") == []


def test_a_run_with_a_test_set_saves_its_test_losses_and_carries_on_exactly(tmp_path):
    from tests.engine.testsets import with_test_set

    s = with_test_set("spiral")  # minibatches
    t = s.make_trainer()
    t.step(30)
    t.change_settings(l2=0.01)
    t.step(27)
    json_path, csv_path = runfile.save(tmp_path / "run", s, t)
    loaded = runfile.load(json_path).trainer
    np.testing.assert_array_equal(loaded.test_loss_history(), t.test_loss_history())
    rows = [line.split(",") for line in csv_path.read_text().splitlines()]
    assert rows[0] == ["step", "loss", "test_loss"] and len(rows) == 59
    assert [float(v) for v in rows[-1][1:]] == [t.current_loss(), t.current_test_loss()]
    t.step(100)
    loaded.step(100)
    np.testing.assert_array_equal(loaded.test_loss_history(), t.test_loss_history())
    assert loaded.history.alike(loaded.test_history)
    # the file and the scenario must agree on having a test set
    doc = json.loads(json_path.read_text())
    scenario = doc["scenario"]
    without = scenario["toml"].replace("test_fraction = 0.25\n", "")
    assert without != scenario["toml"]
    json_path.write_text(json.dumps(dict(doc, scenario=dict(scenario, toml=without))))
    with pytest.raises(RunFileError, match="run.json: test_loss_history: the scenario has no test set"):
        runfile.load(json_path)
    for value, message in [([0.5], r"test_loss_history: has 1 number but a run at step 57 has 58 losses"),
                           (["x"] * 58, r"test_loss_history\[0\]: expected a number, got a string")]:
        json_path.write_text(json.dumps(dict(doc, test_loss_history=value)))
        with pytest.raises(RunFileError, match=message):
            runfile.load(json_path)
    del doc["test_loss_history"]
    json_path.write_text(json.dumps(doc))
    with pytest.raises(RunFileError, match=r"run.json: missing key 'test_loss_history' \(the scenario has a test set\)"):
        runfile.load(json_path)


def test_a_long_run_with_a_test_set_keeps_its_folded_test_losses(tmp_path):
    from tests.engine.testsets import with_test_set

    s = with_test_set("xor")
    t = s.make_trainer()
    t.limit_history(1024)
    t.step(5000)
    json_path, csv_path = runfile.save(tmp_path / "long", s, t)
    assert len(json.loads(json_path.read_text())["loss_history_folded"]["test_means"]) == len(t.history.blocks()[0])
    loaded = runfile.load(json_path).trainer
    assert loaded.test_history.alike(t.test_history)
    for a, b in zip(loaded.test_history.blocks(), t.test_history.blocks()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.test_history.exact(), t.test_history.exact())
    rows = csv_path.read_text().splitlines()[1:]
    xs, (_, test) = t.history.curves(10**6, t.test_history)
    assert [float(row.split(",")[2]) for row in rows] == test.tolist()


CSV_SCENARIO = """[data]
csv = "points.csv"
target_column = "label"
test_fraction = 0.25
[network]
layers = [{ units = 3, activation = "tanh" }, { units = 1, activation = "sigmoid" }]
[training]
loss = "bce"
learning_rate = 0.5
batch_size = 4
"""


def csv_points(folder) -> None:
    rng = np.random.default_rng(4)
    rows = [f"{x:.4f},{y:.4f},{'in' if x * x + y * y < 0.5 else 'out'}" for x, y in rng.uniform(-1, 1, (24, 2))]
    (folder / "points.csv").write_text("x1,x2,label\n" + "\n".join(rows) + "\n")


def carries_on_exactly(scenario, json_path, elsewhere, monkeypatch) -> None:
    """Saved at step 30: loaded from ``elsewhere`` (the current folder there) and carried on 50 steps, the
    same numbers as 80 steps without a stop."""
    trainer = scenario.make_trainer()
    trainer.step(30)
    runfile.save(json_path, scenario, trainer)
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = runfile.load(json_path).trainer
    trainer.step(50)
    loaded.step(50)
    np.testing.assert_array_equal(loaded.params, trainer.params)
    np.testing.assert_array_equal(loaded.loss_history(), trainer.loss_history())
    np.testing.assert_array_equal(loaded.test_loss_history(), trainer.test_loss_history())


def test_a_run_on_a_csv_file_loads_from_any_folder(tmp_path, monkeypatch):
    """A scenario file naming a CSV beside it, saved in one folder and loaded from another: the CSV is
    found where the scenario was (the saved run keeps that folder, absolute)."""
    folder = tmp_path / "design"
    folder.mkdir()
    csv_points(folder)
    (folder / "points.toml").write_text(CSV_SCENARIO)
    (tmp_path / "saves").mkdir()
    monkeypatch.chdir(folder)
    scenario = load("points.toml")  # a path relative to the current folder, as a learner types it
    carries_on_exactly(scenario, tmp_path / "saves" / "run.json", tmp_path / "elsewhere", monkeypatch)
    assert json.loads((tmp_path / "saves" / "run.json").read_text())["scenario"]["folder"] == str(folder)


def test_a_run_of_a_bundled_csv_scenario_loads_from_any_folder(tmp_path, monkeypatch):
    """A bundled scenario's CSV is in the bundled folder, wherever nnplay is installed: the saved run says
    'bundled' and finds it there, from any current folder."""
    from nnplay import scenario as scenarios

    bundled = tmp_path / "installed"
    bundled.mkdir()
    csv_points(bundled)
    (bundled / "points.toml").write_text(CSV_SCENARIO)
    monkeypatch.setattr(scenarios, "_bundled_dir", lambda: bundled)
    (tmp_path / "saves").mkdir()
    monkeypatch.chdir(tmp_path / "saves")
    scenario = load("points")
    json_path = tmp_path / "saves" / "run.json"
    carries_on_exactly(scenario, json_path, tmp_path / "elsewhere", monkeypatch)
    assert json.loads(json_path.read_text())["scenario"]["folder"] == "bundled"


def test_a_saved_runs_folder_is_checked(tmp_path):
    _, t, json_path, _ = saved(tmp_path, "xor")
    doc = json.loads(json_path.read_text())
    for folder, message in [("relative/path", r"scenario.folder: expected an absolute path or 'bundled'"),
                            (3, r"scenario.folder: expected a string")]:
        json_path.write_text(json.dumps(dict(doc, scenario=dict(doc["scenario"], folder=folder))))
        with pytest.raises(RunFileError, match=message):
            runfile.load(json_path)
    del doc["scenario"]["folder"]  # a run saved before the folder was: the scenario's source's folder
    json_path.write_text(json.dumps(doc))
    assert runfile.load(json_path).trainer.step_count == t.step_count == 57


def test_a_saved_run_of_penguins_loads_from_any_folder(tmp_path, monkeypatch):
    """The bundled CSV scenario, saved in one folder and carried on from another, bit for bit."""
    (tmp_path / "saves").mkdir()
    monkeypatch.chdir(tmp_path / "saves")
    json_path = tmp_path / "saves" / "penguins.json"
    carries_on_exactly(load("penguins"), json_path, tmp_path / "elsewhere", monkeypatch)
    assert json.loads(json_path.read_text())["scenario"]["folder"] == "bundled"
