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
    assert set(data) == {"scenario", "steps", "seed", "loss", "accuracy", "diverged", "seconds", "steps_per_second", "loss_history"}
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
    assert json.loads(out)["accuracy"] is None


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
        assert err == f"{path}: network.layers[0].activation: unknown activation 'sigmoi' (expected one of: sigmoid, tanh, relu, linear, softmax)\n"


@pytest.mark.parametrize("argv", [["run"], ["run", "xor", "--steps", "-1"], ["run", "xor", "--steps", "lots"],
                                  ["inspect", "xor", "--seed", "-2"], ["frobnicate", "now"], ["run", "xor", "--bogus"]])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert "usage" in err or "no such" in err


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
        "for argv in (['list'], ['run', 'xor', '--steps', '20'], ['inspect', 'xor'], ['gradcheck', 'bump']):\n"
        "    assert main(argv) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext', 'plotext')]\n"
        "print('BAD', bad, file=sys.stderr) if bad else None\n"
        "sys.exit(1 if bad else 0)\n"
    )
    assert r.returncode == 0, r.stderr


def test_engine_session_and_presenter_import_no_ui_library():
    r = _python(
        "import sys, nnplay.engine, nnplay.scenario, nnplay.figures, nnplay.session, nnplay.playground\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext', 'textual_plotext')]\n"
        "sys.exit(str(bad) if bad else 0)\n"
    )
    assert r.returncode == 0, r.stderr


def test_python_dash_m_and_console_script():
    r = subprocess.run([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "30", "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["steps"] == 30 and r.stderr == ""


@pytest.mark.slow
def test_run_shows_a_progress_bar_on_a_terminal_only():
    import os
    import pty

    # on a pipe: nothing on stderr
    r = subprocess.run([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "20000"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == ""
    # on a terminal: Rich's progress bar (transient, so look at what was written)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nnplay", "run", "xor", "--steps", "200000"],
                            stdout=subprocess.PIPE, stderr=slave, text=True)
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
    assert proc.returncode == 0
    assert b"XOR" in written and b"loss" in written and "━".encode() in written


def test_run_inspect_and_gradcheck_carry_on_from_a_saved_run(capsys, tmp_path):
    """SPEC §2: saved at step 100, plus 50 steps, is the same as 150 steps without a stop."""
    from nnplay import runfile

    scenario = load("spiral")
    trainer = scenario.make_trainer()
    trainer.step(100)
    json_path, _ = runfile.save(tmp_path / "run", scenario, trainer)
    code, out, err = run(capsys, "run", str(json_path), "--steps", "50", "--json")
    _, whole, _ = run(capsys, "run", "spiral", "--steps", "150", "--json")
    carried, whole = json.loads(out), json.loads(whole)
    assert code == 0 and carried["steps"] == 150 and carried["loss"] == whole["loss"]
    assert carried["loss_history"] == whole["loss_history"]
    code, out, _ = run(capsys, "run", str(json_path), "--steps", "50")
    assert code == 0 and "50 steps (from step 100 to 150)" in out
    code, out, _ = run(capsys, "inspect", str(json_path), "--steps", "50")
    _, fresh, _ = run(capsys, "inspect", "spiral", "--steps", "150")
    assert code == 0 and json.loads(out)["layers"] == json.loads(fresh)["layers"]
    code, out, _ = run(capsys, "gradcheck", str(json_path))
    assert code == 0 and "checked at step 100" in out
    code, _, err = run(capsys, "run", str(json_path), "--seed", "3")
    assert code == 2 and err == "nnplay: --seed: a saved run carries on with the seed it was trained with\n"
    (tmp_path / "broken.json").write_text("{")
    code, _, err = run(capsys, "run", str(tmp_path / "broken.json"))
    assert code == 2 and err.count("\n") == 1 and "broken JSON" in err
