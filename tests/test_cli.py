"""The commands: output, JSON shapes (SPEC section 5) and exit codes."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from nnplay.cli import main
from nnplay.scenario import load

DIVERGING = textwrap.dedent("""
    [data]
    inputs = [[0.0], [1.0], [2.0]]
    targets = [[0.0], [2.0], [4.0]]
    [network]
    layers = [{ units = 4, activation = "relu" }, { units = 1, activation = "linear" }]
    [training]
    learning_rate = 50.0
    momentum = 0.9
""")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == sorted(names) and {"bump", "sentiment", "xor", "spiral"} <= set(names)
    assert any("XOR truth table" in line for line in lines)


def test_run_prints_loss_accuracy_and_speed(capsys):
    code, out, err = run(capsys, "run", "xor", "--steps", "3000")
    assert code == 0
    assert "3000 steps" in out and "steps/s" in out and "accuracy 100.0 %" in out
    code, out, err = run(capsys, "run", "bump", "--steps", "10")
    assert "accuracy" not in out


def test_run_json_shape(capsys):
    code, out, err = run(capsys, "run", "xor", "--steps", "200", "--seed", "4", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["scenario", "steps", "seed", "loss", "accuracy", "test_loss", "test_accuracy", "diverged",
                          "seconds", "steps_per_second", "loss_history", "test_loss_history", "confusion",
                          "test_confusion"]
    assert data["test_loss"] is data["test_accuracy"] is data["test_loss_history"] is data["test_confusion"] is None
    # rows the true class, columns the predicted one; the diagonal is the accuracy
    confusion = np.array(data["confusion"])
    assert confusion.shape == (2, 2) and confusion.sum() == 4 and confusion.trace() / 4 == data["accuracy"]
    assert confusion.sum(axis=1).tolist() == [2, 2]  # XOR: two samples of each class
    assert data["scenario"] == "xor" and data["steps"] == 200 and data["seed"] == 4 and data["diverged"] is False
    assert len(data["loss_history"]) == 201
    assert data["loss_history"][-1] == data["loss"]
    assert 0 <= data["accuracy"] <= 1 and data["seconds"] > 0 and data["steps_per_second"] > 0
    # the same as the engine gives for that seed, to the last bit
    t = load("xor").make_trainer(seed=4)
    t.step(200)
    assert data["loss_history"] == t.loss_history().tolist()


def test_run_json_regression_has_null_accuracy(capsys):
    code, out, err = run(capsys, "run", "bump", "--steps", "5", "--json")
    data = json.loads(out)
    assert data["accuracy"] is data["confusion"] is data["test_confusion"] is None


def test_run_until_loss_says_where_the_loss_fell_below(capsys):
    code, out, err = run(capsys, "run", "xor", "--until-loss", "0.01", "--json")
    data = json.loads(out)
    n = data["until_loss_step"]
    assert code == 0 and n == data["steps"] == len(data["loss_history"]) - 1 and data["loss"] < 0.01
    code, out, err = run(capsys, "run", "xor", "--until-loss", "0.01")
    assert code == 0 and err == "" and f"XOR: {n} steps in " in out and f"loss below 0.01 at step {n}\n" in out
    # not reached: every step taken, and said so
    code, out, err = run(capsys, "run", "xor", "--steps", "100", "--until-loss", "1e-9")
    assert code == 0 and "XOR: 100 steps in " in out and "loss not below 1e-09 in 100 steps\n" in out
    # below already at the start: step 0, nothing trained
    code, out, err = run(capsys, "run", "xor", "--until-loss", "5", "--json")
    data = json.loads(out)
    assert data["until_loss_step"] == data["steps"] == 0 and len(data["loss_history"]) == 1


def test_seed_replaces_the_scenario_seed(capsys):
    _, a, _ = run(capsys, "run", "xor", "--steps", "50", "--json")
    _, b, _ = run(capsys, "run", "xor", "--steps", "50", "--json", "--seed", "6")
    _, c, _ = run(capsys, "run", "xor", "--steps", "50", "--json", "--seed", "7")
    a, b, c = (json.loads(x) for x in (a, b, c))
    assert a["seed"] == 6 and a["loss_history"] == b["loss_history"] != c["loss_history"]


def test_inspect_shape_and_values(capsys):
    code, out, err = run(capsys, "inspect", "xor", "--steps", "10")
    assert code == 0
    data = json.loads(out)
    assert {"scenario", "step", "epoch", "loss", "inputs", "targets", "next_batch", "layers"} <= set(data)
    assert data["scenario"] == "xor" and data["step"] == 10 and data["epoch"] == 10
    assert data["inputs"] == [[0, 0], [0, 1], [1, 0], [1, 1]] and data["targets"] == [[0], [1], [1], [0]]
    assert [l["units"] for l in data["layers"]] == [2, 1]
    l0, l1 = data["layers"]
    assert set(l0) == {"units", "activation", "W", "b", "dW", "db", "u", "z", "delta", "next_update_W", "next_update_b"}
    assert np.array(l0["W"]).shape == (2, 2) and np.array(l1["W"]).shape == (2, 1)
    assert np.array(l0["u"]).shape == (4, 2) and np.array(l1["delta"]).shape == (4, 1)
    # consistent with the engine, at full precision
    t = load("xor").make_trainer()
    t.step(10)
    snap = t.snapshot()
    assert data["loss"] == snap.loss
    assert l0["W"] == snap.layers[0].W.tolist() and l1["dW"] == snap.layers[1].dW.tolist()
    # u = z_prev W + b
    np.testing.assert_allclose(np.array(data["inputs"]) @ np.array(l0["W"]) + l0["b"], l0["u"], rtol=1e-12)
    np.testing.assert_allclose(np.array(l0["z"]).T @ np.array(l1["delta"]), l1["dW"], rtol=1e-12)


@pytest.mark.parametrize("name,steps", [("xor", 10), ("spiral", 7), ("spiral", 5)])  # spiral: minibatches of 9 of 45
def test_inspect_next_batch_and_update_are_what_the_next_step_does(capsys, name, steps):
    """SPEC §5: inspect at K+1 minus inspect at K equals next_update, for the samples of next_batch."""
    _, now, _ = run(capsys, "inspect", name, "--steps", str(steps))
    _, then, _ = run(capsys, "inspect", name, "--steps", str(steps + 1))
    now, then = json.loads(now), json.loads(then)
    t = load(name).make_trainer()
    t.step(steps)
    expected_batch = t.next_batch().tolist()
    t.step(1)
    assert now["next_batch"] == expected_batch and len(now["next_batch"]) == (9 if name == "spiral" else 4)
    if name == "spiral":
        assert now["next_batch"] == t.snapshot().last_batch.tolist()
    for a, b in zip(now["layers"], then["layers"]):
        # the step adds the update: W(K) + update == W(K+1), bit for bit
        assert (np.array(a["W"]) + np.array(a["next_update_W"])).tolist() == b["W"]
        assert (np.array(a["b"]) + np.array(a["next_update_b"])).tolist() == b["b"]


def test_inspect_text_scenario_encodes_words(capsys):
    code, out, err = run(capsys, "inspect", "sentiment")
    data = json.loads(out)
    s = load("sentiment")
    assert np.array(data["inputs"]).shape == (len(s.data.sentences), len(s.data.vocabulary))
    assert set(np.unique(data["inputs"])) <= {0.0, 1.0}


@pytest.mark.parametrize("name", ["xor", "bump", "sentiment", "spiral"])
def test_gradcheck_passes_on_the_bundled_scenarios(capsys, name):
    code, out, err = run(capsys, "gradcheck", name, "--steps", "50")
    assert code == 0, out
    assert "worst relative error" in out and "OK" in out


def test_gradcheck_fails_on_a_wrong_gradient(capsys, monkeypatch):
    from nnplay.engine import network
    real = network.Network.evaluate

    def broken(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        result.grad[0] *= 1.5
        return result

    monkeypatch.setattr(network.Network, "evaluate", broken)
    code, out, err = run(capsys, "gradcheck", "xor")
    assert code == 1 and "FAILED" in out and "layers[0].W[0,0]" in out


def test_divergence_exit_3_one_line(capsys, tmp_path):
    path = tmp_path / "boom.toml"
    path.write_text(DIVERGING)
    code, out, err = run(capsys, "run", str(path), "--steps", "500", "--json")
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "diverged at step" in lines[0] and "smaller learning rate" in lines[0]
    data = json.loads(out)  # still valid JSON: no NaN literals
    assert data["diverged"] is True and data["steps"] < 500
    assert len(data["loss_history"]) == data["steps"] + 1
    step = int(lines[0].split("diverged at step ")[1].split(":")[0])
    assert step == data["steps"]
    code, out, err = run(capsys, "inspect", str(path), "--steps", "500")
    assert code == 3 and json.loads(out)["step"] == step


def test_scenario_error_is_one_line_exit_2(capsys, tmp_path):
    path = tmp_path / "my.toml"
    path.write_text(DIVERGING.replace('"relu"', '"sigmoi"'))
    for argv in (["run", str(path)], ["inspect", str(path)], ["gradcheck", str(path)], [str(path)]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err == (f"nnplay: {path}: network.layers[0].activation: unknown activation 'sigmoi' (expected one of: "
                       "sigmoid, tanh, relu, linear, softmax)\n")


@pytest.mark.parametrize("argv", [["run"], ["run", "xor", "--steps", "-1"], ["run", "xor", "--steps", "lots"],
                                  ["inspect", "xor", "--seed", "-2"], ["frobnicate", "now"], ["run", "xor", "--bogus"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert err.startswith("nnplay: ") and err.count("\n") == 1  # one line


def test_unknown_scenario_exit_2(capsys):
    code, out, err = run(capsys, "run", "xro")
    assert code == 2 and "did you mean 'xor'?" in err and "Traceback" not in err


def test_subcommand_names_win_and_files_are_paths(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.toml").write_text(load_text("xor"))
    code, out, err = run(capsys, "run", "run.toml", "--steps", "5", "--json")
    assert code == 0 and json.loads(out)["scenario"] == "run.toml"


def load_text(name):
    from importlib import resources
    return (resources.files("nnplay.scenarios") / f"{name}.toml").read_text()


def _python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_headless_commands_do_not_import_textual():
    r = _python(
        "import sys\n"
        "from nnplay.cli import main\n"
        "for argv in (['list'], ['run', 'xor', '--steps', '20'], ['inspect', 'xor'], ['gradcheck', 'bump'],\n"
        "             ['compare', 'xor', '--steps', '20', '--vary', 'training.optimizer=sgd,adam']):\n"
        "    assert main(argv) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext', 'plotext')]\n"
        "print('BAD', bad, file=sys.stderr) if bad else None\n"
        "sys.exit(1 if bad else 0)\n"
    )
    assert r.returncode == 0, r.stderr


def test_engine_session_and_presenter_import_no_ui_library():
    r = _python(
        "import sys, nnplay.engine, nnplay.scenario, nnplay.figures, nnplay.session, nnplay.playground, nnplay.compare\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext', 'textual_plotext')]\n"
        "sys.exit(str(bad) if bad else 0)\n"
    )
    assert r.returncode == 0, r.stderr


def test_python_dash_m_and_console_script():
    r = subprocess.run([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "30", "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["steps"] == 30 and r.stderr == ""


def on_a_terminal(*argv: str, stdout_too: bool = False) -> tuple[int, str]:
    """Run ``nnplay ARGV`` with stderr (and with ``stdout_too`` stdout) on a terminal: the exit code and all
    that was written there (a transient progress bar too)."""
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nnplay", *argv],
                            stdout=slave if stdout_too else subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    written = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        written += chunk
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, written.decode()


@pytest.mark.slow
def test_run_shows_a_progress_bar_on_a_terminal_only():
    # on a pipe: nothing on stderr
    r = subprocess.run([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "20000"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == ""
    # on a terminal: Rich's progress bar (transient, so look at what was written)
    code, written = on_a_terminal("run", "xor", "--steps", "200000")
    assert code == 0
    assert "XOR" in written and "loss" in written and "━" in written


@pytest.mark.parametrize("held_out", [False, True])
def test_run_inspect_and_gradcheck_carry_on_from_a_saved_run(capsys, tmp_path, held_out):
    """SPEC §2: saved at step 100, plus 50 steps, is the same as 150 steps without a stop (with a test set too)."""
    from nnplay import runfile
    from tests.engine.testsets import test_set_keys, with_test_set

    scenario = with_test_set("spiral") if held_out else load("spiral")
    same = [f"--set={key}={value}" for key, value in test_set_keys("spiral").items()] if held_out else []
    trainer = scenario.make_trainer()
    trainer.step(100)
    json_path, _ = runfile.save(tmp_path / "run", scenario, trainer)
    code, out, err = run(capsys, "run", str(json_path), "--steps", "50", "--json")
    _, whole, _ = run(capsys, "run", "spiral", *same, "--steps", "150", "--json")
    carried, whole = json.loads(out), json.loads(whole)
    assert code == 0 and carried["steps"] == 150 and carried["loss"] == whole["loss"]
    assert carried["loss_history"] == whole["loss_history"]
    assert carried["test_loss_history"] == whole["test_loss_history"] and carried["test_confusion"] == whole["test_confusion"]
    assert (whole["test_loss_history"] is not None) == held_out
    code, out, _ = run(capsys, "run", str(json_path), "--steps", "50")
    assert code == 0 and "50 steps (from step 100 to 150)" in out
    code, out, _ = run(capsys, "inspect", str(json_path), "--steps", "50")
    _, fresh, _ = run(capsys, "inspect", "spiral", *same, "--steps", "150")
    assert code == 0 and json.loads(out)["layers"] == json.loads(fresh)["layers"]
    code, out, _ = run(capsys, "gradcheck", str(json_path))
    assert code == 0 and "checked at step 100" in out
    code, _, err = run(capsys, "run", str(json_path), "--seed", "3")
    assert code == 2 and err == "nnplay: --seed: a saved run carries on with the seed it was trained with\n"
    (tmp_path / "broken.json").write_text("{")
    code, _, err = run(capsys, "run", str(tmp_path / "broken.json"))
    assert code == 2 and err.count("\n") == 1 and "broken JSON" in err


def test_run_reports_the_test_set(capsys, tmp_path):
    """SPEC §2, §5: with a test set (in the file, or given by --set), run ends with the test loss and accuracy,
    and --json has them all."""
    from tests.engine.testsets import test_set_file, test_set_keys, with_test_set

    spiral = str(test_set_file(tmp_path, "spiral"))
    code, out, _ = run(capsys, "run", spiral, "--steps", "300", "--json")
    data = json.loads(out)
    t = with_test_set("spiral").make_trainer()
    t.step(300)
    snap = t.snapshot()
    assert code == 0 and data["test_loss_history"] == t.test_loss_history().tolist()
    assert len(data["test_loss_history"]) == 301 and data["test_loss"] == data["test_loss_history"][-1] == snap.test_loss
    assert data["test_accuracy"] == snap.test_accuracy and data["accuracy"] == snap.accuracy
    assert data["confusion"] == snap.confusion.tolist() and data["test_confusion"] == snap.test_confusion.tolist()
    assert np.sum(data["test_confusion"]) == len(t.X_test) and np.sum(data["confusion"]) == t.n_samples
    code, out, _ = run(capsys, "run", spiral, "--steps", "300")
    lines = out.splitlines()
    first = data["test_loss_history"][0]
    right = round(snap.test_accuracy * len(t.X_test))
    assert lines[-2:] == [f"test loss {snap.test_loss:.6g} (from {first:.6g} at step 0)",
                          f"test accuracy {snap.test_accuracy * 100:.1f} % on the test set ({right} of {len(t.X_test)})"]
    given = [f"--set={key}={value}" for key, value in test_set_keys("bump").items()]
    code, out, _ = run(capsys, "run", "bump", *given, "--steps", "50", "--json")  # regression: a test loss, no classes
    data = json.loads(out)
    assert len(data["test_loss_history"]) == 51 and data["test_accuracy"] is data["test_confusion"] is None


def test_set_changes_the_scenario_on_every_command(capsys, monkeypatch):
    """--set KEY=VALUE: VALUE a TOML value, or a bare word as a string; the same as load(overrides=)."""
    code, out, _ = run(capsys, "run", "xor", "--steps", "40", "--json",
                       "--set", "training.learning_rate=0.25", "--set", "training.loss=mse", "--set", "init.seed=3")
    t = load("xor", overrides={"training.learning_rate": 0.25, "training.loss": "mse", "init.seed": 3}).make_trainer()
    t.step(40)
    assert code == 0 and json.loads(out)["loss_history"] == t.loss_history().tolist()
    assert json.loads(out)["seed"] == 3
    # a TOML array, and a quoted string, as values
    code, out, _ = run(capsys, "inspect", "xor", "--set", 'network.layers=[{units = 3, activation = "tanh"}, '
                       '{units = 1, activation = "sigmoid"}]', "--set", 'scenario.name="X O R"')
    layers = json.loads(out)["layers"]
    assert code == 0 and [(layer["units"], layer["activation"]) for layer in layers] == [(3, "tanh"), (1, "sigmoid")]
    code, out, _ = run(capsys, "gradcheck", "bump", "--set", "training.l2=0.5", "--steps", "5")
    assert code == 0 and "OK" in out
    opened = []
    import nnplay.tui.app
    monkeypatch.setattr(nnplay.tui.app, "run_app", lambda scenario, **kw: opened.append(scenario) or 0)
    assert main(["bump", "--set", "training.momentum=0.5"]) == 0
    assert opened[0].training.momentum == 0.5 and "momentum = 0.5" in opened[0].text  # as s saves it


def test_the_playground_starts_without_the_garbage_collector_and_turns_it_back_on(monkeypatch, capsys):
    """The start-up's objects live as long as the app: not collected as they come (the app turns the
    collector on after its first frame); a scenario that fails to load turns it on again as well."""
    import gc

    import nnplay.tui.app

    during = []
    monkeypatch.setattr(nnplay.tui.app, "run_app", lambda scenario, **kw: during.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    assert main(["xor"]) == 0 and during == [False] and gc.isenabled()
    assert main(["no-such-scenario"]) == 2 and gc.isenabled()
    capsys.readouterr()


@pytest.mark.parametrize("argv, message", [
    (["run", "xor", "--set", "training.learning_rate=-1"],
     "nnplay: --set training.learning_rate: must be greater than 0, got -1"),
    (["inspect", "xor", "--set", "training.learnig_rate=0.1"],
     "nnplay: --set training.learnig_rate: unknown key 'learnig_rate' (did you mean 'learning_rate'?)"),
    (["gradcheck", "xor", "--set", "training.loss=cce"],
     "nnplay: --set training.loss: cce needs a softmax output layer (the output layer is sigmoid): "
     "it reads the outputs as probabilities"),
    (["xor", "--set", "network.layers=[{units = 2}]"], "nnplay: --set network.layers[0]: missing key 'activation'"),
    (["run", "xor", "--set", "training.momentum=lots"],
     "nnplay: --set training.momentum: expected a number, got a string ('lots')"),
    # a value that clashes with the rest of the file: the key where it shows, and the --set behind it
    (["run", "xor", "--set", "data.inputs=[[0, 1]]"], "nnplay: xor.toml: data.targets: has 4 rows but data.inputs has 1 "
                                                     "(after --set data.inputs)"),
])
def test_set_errors_name_the_key(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err == message + "\n"


def test_set_is_refused_for_a_saved_run_and_without_a_value(capsys, tmp_path):
    from nnplay import runfile

    scenario = load("xor")
    json_path, _ = runfile.save(tmp_path / "run", scenario, scenario.make_trainer())
    for argv in (["run", str(json_path)], [str(json_path)]):
        code, _, err = run(capsys, *argv, "--set", "training.learning_rate=0.1")
        assert code == 2 and err == ("nnplay: --set training.learning_rate: a saved run carries on with the scenario "
                                     "and settings it was saved with (--set changes a scenario: a bundled name or a "
                                     ".toml file)\n")
    with pytest.raises(SystemExit):
        main(["run", "xor", "--set", "training.learning_rate"])
    assert "--set: expected KEY=VALUE" in capsys.readouterr().err


def test_set_from_the_shell():
    r = subprocess.run([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "10", "--json",
                        "--set", "training.loss=mse", "--set", "training.momentum=0"],
                       capture_output=True, text=True, timeout=120)
    t = load("xor", overrides={"training.loss": "mse", "training.momentum": 0}).make_trainer()
    t.step(10)
    assert r.returncode == 0 and json.loads(r.stdout)["loss_history"] == t.loss_history().tolist()


CIRCLE = """[scenario]
name = "Circle"
[data]
generate = "circle"
samples = 120
noise = 0.1
test_fraction = 0.25
data_seed = 5
[network]
layers = [{ units = 4, activation = "tanh" }, { units = 1, activation = "sigmoid" }]
[training]
loss = "bce"
learning_rate = 0.5
batch_size = 10
"""


def test_run_json_of_a_generated_scenario_with_a_test_split_end_to_end(tmp_path):
    """A scenario file with generated data and a test split, through the installed command (another process):
    both histories, both confusion matrices; --set data.noise changes the data it makes, and only that."""
    path = tmp_path / "circle.toml"
    path.write_text(CIRCLE)

    def run_json(*extra: str) -> dict:
        done = subprocess.run([sys.executable, "-m", "nnplay", "run", str(path), "--steps", "200", "--json", *extra],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stderr == ""
        return json.loads(done.stdout)

    data = run_json()
    scenario = load(str(path))
    n_train, n_test = len(scenario.data.inputs), len(scenario.data.test_inputs)
    assert (n_train, n_test) == (90, 30)
    assert len(data["loss_history"]) == len(data["test_loss_history"]) == 201
    assert data["test_loss"] == data["test_loss_history"][-1] and data["loss"] == data["loss_history"][-1]
    confusion, test_confusion = np.array(data["confusion"]), np.array(data["test_confusion"])
    assert confusion.shape == test_confusion.shape == (2, 2)
    assert confusion.sum() == n_train and test_confusion.sum() == n_test
    assert np.trace(test_confusion) / n_test == data["test_accuracy"]
    assert np.trace(confusion) / n_train == data["accuracy"]
    # rows are the true classes: the test set's class counts
    np.testing.assert_array_equal(test_confusion.sum(axis=1), np.bincount(scenario.data.test_targets[:, 0].astype(int),
                                                                          minlength=2))
    noisy = run_json("--set", "data.noise=0.3")
    other = load(str(path), overrides={"data.noise": 0.3}).data
    assert not np.array_equal(other.inputs, scenario.data.inputs)  # the same seed, other points
    assert (len(other.inputs), len(other.test_inputs)) == (n_train, n_test)
    assert noisy["loss_history"][0] != data["loss_history"][0] and noisy["test_loss_history"] != data["test_loss_history"]
    trainer = load(str(path), overrides={"data.noise": 0.3}).make_trainer()
    trainer.step(200)
    assert noisy["test_loss_history"] == trainer.test_loss_history().tolist()  # the same as the file with noise = 0.3


# -- the command line itself: --help, misspelt commands, nnplay: errors, list --json, options before a command ----


def usage_error(capsys, *argv) -> str:
    """The one line a usage error writes (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == "" and err.count("\n") == 1
    return err.rstrip("\n")


def test_help_lists_every_command_one_line_each(capsys):
    from nnplay.cli import COMMANDS

    with pytest.raises(SystemExit) as info:
        main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    rows = [line.split(None, 1) for line in out.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    listed = {row[0]: row[1] for row in rows if row[0] in COMMANDS}
    assert listed == dict(COMMANDS) and len(COMMANDS) >= 7 and "config" in listed
    assert out.startswith("usage: nnplay [SCENARIO]") and "nnplay COMMAND" in out


@pytest.mark.parametrize("argv, line", [
    (["rnu", "xor"], "nnplay: unknown command 'rnu' (did you mean 'run'?)"),
    (["lst"], "nnplay: unknown command 'lst' (did you mean 'list'?)"),
    (["ins", "xor", "--steps", "3"], "nnplay: unknown command 'ins' (did you mean 'inspect'?)"),  # the start of one
    (["--seed", "5", "gradchek", "xor"], "nnplay: unknown command 'gradchek' (did you mean 'gradcheck'?)"),
    (["frobnicate", "now"], "nnplay: unknown command 'frobnicate' (commands: list, run, compare, inspect, gradcheck, "
                            "landscape, snapshot, serve, config; or a scenario: nnplay list)"),
])
def test_a_misspelt_command_gets_a_did_you_mean(capsys, argv, line):
    assert usage_error(capsys, *argv).startswith(line)


def test_a_scenario_named_like_a_command_still_opens(capsys, tmp_path, monkeypatch):
    """Only a word that is no scenario is taken for a misspelt command: a bundled name, a file (with or without
    .toml) opens; a word far from every command is a scenario that is not found (with its own did-you-mean)."""
    import nnplay.tui.app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "rnu").write_text(load_text("xor"))
    opened = []
    monkeypatch.setattr(nnplay.tui.app, "run_app", lambda scenario, **kw: opened.append(scenario.id) or 0)
    assert main(["rnu"]) == 0 and main(["./lst.toml"]) == 2  # a path: not a command, whatever it looks like
    assert "lst.toml: no such scenario file" in capsys.readouterr().err
    assert main(["xor", "--seed", "3"]) == 0 and main(["--seed", "3", "spiral"]) == 0
    assert opened == ["rnu", "xor", "spiral"]
    code, out, err = run(capsys, "xr")
    assert code == 2 and err.startswith("nnplay: xr: no such bundled scenario or file (did you mean 'xor'?")


def test_every_kind_of_error_starts_with_nnplay(capsys, tmp_path):
    """argparse's, a scenario's, a saved run's, a divergence, an unknown command: one line each, nnplay: first,
    and a scenario error keeps the file: key: problem of SPEC §2 after it."""
    bad = tmp_path / "my.toml"
    bad.write_text(DIVERGING.replace('"relu"', '"sigmoi"'))
    boom = tmp_path / "boom.toml"
    boom.write_text(DIVERGING)
    (tmp_path / "broken.json").write_text("{")
    lines = [usage_error(capsys, "run", "xor", "--steps", "lots"), usage_error(capsys, "run"),
             usage_error(capsys, "--seed", "x"), usage_error(capsys, "list", "extra"),
             usage_error(capsys, "lst"), usage_error(capsys, "--set", "training.momentum=0", "list")]
    for argv, code in ((["run", str(bad)], 2), ([str(bad)], 2), (["run", str(tmp_path / "broken.json")], 2),
                       (["run", str(boom), "--steps", "300"], 3), (["landscape", "xor", "--directions", "a;b"], 2)):
        got, out, err = run(capsys, *argv)
        assert got == code and err.count("\n") == 1, err
        lines.append(err.rstrip("\n"))
    assert all(line.startswith("nnplay: ") for line in lines), lines
    assert lines[0] == "nnplay: run: argument --steps: expected a whole number, got 'lots' (see nnplay run --help)"
    assert lines[1] == "nnplay: run: the following arguments are required: scenario (see nnplay run --help)"
    assert lines[5] == "nnplay: list: --set changes a scenario, and list reads none"
    assert f"nnplay: {bad}: network.layers[0].activation: unknown activation 'sigmoi'" in lines[6]
    assert "diverged at step" in lines[9]


def test_list_json(capsys):
    code, out, err = run(capsys, "list", "--json")
    rows = json.loads(out)
    _, text, _ = run(capsys, "list")
    assert code == 0 and err == ""
    assert [row["name"] for row in rows] == [line.split()[0] for line in text.splitlines()]
    for row, line in zip(rows, text.splitlines()):
        assert set(row) == {"name", "summary", "path"} and line.endswith(row["summary"])
        assert load(row["path"]).summary == row["summary"]  # the bundled file itself, to copy and edit


def test_options_before_the_command(capsys):
    """nnplay --seed 5 list works (list reads no scenario: the seed changes nothing); before a command that
    trains, --seed and --set are as after it."""
    _, listed, _ = run(capsys, "list")
    code, out, err = run(capsys, "--seed", "5", "list")
    assert code == 0 and err == "" and out == listed
    assert run(capsys, "--seed=5", "list", "--json")[0] == 0
    _, before, _ = run(capsys, "--seed", "5", "--set", "training.momentum=0.5", "run", "xor", "--steps", "20", "--json")
    _, after, _ = run(capsys, "run", "xor", "--steps", "20", "--json", "--seed", "5", "--set", "training.momentum=0.5")
    before, after = json.loads(before), json.loads(after)
    assert before["seed"] == 5 and before["loss_history"] == after["loss_history"]
    _, other, _ = run(capsys, "run", "xor", "--steps", "20", "--json", "--seed", "5")
    assert json.loads(other)["loss_history"] != before["loss_history"]  # the --set before it counted


def test_config_command_prints_the_path_the_settings_and_what_it_ignored(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, err = run(capsys, "config")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == f"config file: {tmp_path}/nnplay/config.toml (there is none: the defaults apply)"
    assert "  theme  textual-dark" in lines and "  speed  100 steps a second" in lines and "ignored" not in out
    (tmp_path / "nnplay").mkdir()
    (tmp_path / "nnplay" / "config.toml").write_text('theme = "nord"\nspeed = "flat out"\n[keys]\nstep = "j"\n'
                                                     'back = "q"\n')
    code, out, err = run(capsys, "config")
    lines = out.splitlines()
    assert code == 0 and err == "" and lines[0] == f"config file: {tmp_path}/nnplay/config.toml"
    assert "* theme  nord" in lines and "* speed  flat out" in lines
    rows = {line[2:].split()[0]: line for line in lines if line[2:].split()[:1] in (["step"], ["back"], ["step_10"])}
    assert rows["step"].startswith("* step ") and rows["step"].split()[2] == "j"
    assert rows["back"].startswith("  back ") and rows["back"].split()[1] == "b"  # ignored: q is quit's
    assert rows["step_10"].split()[1] == "."
    assert lines[-2:] == ["ignored (1):", f"{tmp_path}/nnplay/config.toml: keys.back: 'q' is already the key of quit "
                                          "(remap quit too, or choose another key); ignored"]
    code, out, err = run(capsys, "config", "--json")
    data = json.loads(out)
    assert code == 0 and data["path"] == f"{tmp_path}/nnplay/config.toml" and data["exists"] is True
    assert (data["theme"], data["speed"], data["changed"]) == ("nord", "flat out", ["speed", "step", "theme"])
    assert data["keys"]["step"] == ["j"] and data["keys"]["speed_up"] == ["+", "="] and len(data["ignored"]) == 1
    assert "nord" in data["themes"]
    assert usage_error(capsys, "config", "now") == "nnplay: config: unrecognized arguments: now (see nnplay config --help)"


def test_the_errors_on_a_real_stderr():
    """Through the installed command: one line, nnplay: first, exit 2."""
    r = subprocess.run([sys.executable, "-m", "nnplay", "rnu", "xor"], capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (2, "", "nnplay: unknown command 'rnu' (did you mean 'run'?)\n")
