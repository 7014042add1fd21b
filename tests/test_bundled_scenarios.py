"""The bundled scenarios with a test set (issue 10): circle and overfit, headless, and the numbers
their lessons quote (SPEC section 3: a scenario with a test set is judged on the training set, and
its lesson says what the test set shows)."""

import json
import tomllib

import numpy as np
import pytest

import nnplay
from nnplay.cli import main


def run_json(capsys, *argv):
    assert main(["run", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def lesson(name):
    return {page.title: page for page in nnplay.load(name).lessons}


def said(page):
    """A page's text as the pane shows it: its line breaks joined."""
    return " ".join(page.text.split())


def trained(name, steps=3000, overrides=None, settings=None):
    t = nnplay.load(name, overrides=overrides).make_trainer()
    if settings:
        t.change_settings(**settings)
    t.step(steps)
    return t


def percent(fraction):
    return f"{round(100 * fraction)} %"


def hidden(*units, activation="tanh"):
    """A network.layers override: these hidden layers and the bundled scenarios' one sigmoid output."""
    return [*({"units": n, "activation": activation} for n in units), {"units": 1, "activation": "sigmoid"}]


def test_list_shows_them(capsys):
    assert main(["list"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "circle" in lines and "overfit" in lines
    assert "test" in lines["circle"] and "test loss" in lines["overfit"]


# -- circle ---------------------------------------------------------------------------------------


def test_circle_is_generated_with_noise_and_a_test_split():
    s = nnplay.load("circle")
    data = tomllib.loads(s.text or "")["data"]
    assert data["generate"] == "circle" and data["noise"] > 0 and 0 < data["test_fraction"] < 1
    assert s.data.test_inputs is not None and len(s.data.test_inputs) == len(s.data.inputs) == 100
    assert s.classification and s.view == "decision-map"


def test_circle_converges_and_reports_a_test_accuracy(capsys):
    out = run_json(capsys, "circle")
    h = out["loss_history"]
    assert not out["diverged"] and len(h) == len(out["test_loss_history"]) == 3001
    assert h[-1] <= h[0] / 10 and h[10] > h[0] / 10  # visibly: not in the first handful of steps
    assert out["accuracy"] == 1.0
    assert out["test_accuracy"] is not None and 0.5 < out["test_accuracy"] <= 1.0
    assert np.array(out["test_confusion"]).sum() == 100


@pytest.mark.slow  # a dozen 3,000-step runs
def test_the_circle_lesson_tells_the_truth():
    pages = lesson("circle")
    assert trained("circle", 110).accuracy() == 1.0  # "by step 110 every training point is on its side"
    t = trained("circle")
    snap, test = t.snapshot(), t.test_loss_history()
    text = said(pages["The test set"])
    assert snap.accuracy == 1.0 and "100 %" in text
    right = int(np.trace(snap.test_confusion))
    assert percent(snap.test_accuracy) in text and f"({right} of {len(t.X_test)})" in text
    assert test[-1] <= 1.01 * test.min()  # the test loss fell all the way
    text = said(pages["Lines into a circle"])
    assert percent(trained("circle", overrides={"network.layers": hidden(2)}).accuracy()) in text  # 87 %
    assert trained("circle", overrides={"network.layers": hidden(3)}).accuracy() == 1.0  # "3 do it"
    text = said(pages["More noise, or features"])
    noisy = trained("circle", overrides={"data.noise": 0.2})
    noisy_test = noisy.test_loss_history()
    assert "noise to 0.2" in text and percent(noisy.accuracy()) in text and noisy.accuracy() < 1
    assert percent(noisy.snapshot().test_accuracy) in text
    assert abs(int(np.argmin(noisy_test)) - 120) <= 12 and noisy_test[-1] > 2 * noisy_test.min()
    one_unit = trained("circle", overrides={"data.features": ["x1^2", "x2^2"], "network.layers": hidden()})
    assert one_unit.accuracy() == 1.0 and percent(one_unit.snapshot().test_accuracy) in text.split("unit draws")[1]


# -- overfit --------------------------------------------------------------------------------------


def test_overfit_shows_its_test_minimum_and_rise_in_run_json(capsys):
    """The issue's "Done when": the test loss reaches a minimum well before the end and ends at least
    1.3x above it while the training loss keeps falling; and it converges as SPEC section 3 asks."""
    out = run_json(capsys, "overfit")
    train, test = np.array(out["loss_history"]), np.array(out["test_loss_history"])
    assert len(train) == len(test) == 3001 and not out["diverged"]
    best = int(np.argmin(test))
    assert 50 <= best <= 1000
    assert test[-1] >= 1.3 * test[best]
    assert np.all(np.diff(train[best::50]) < 0)  # the training loss falls all the way, seen every 50 steps
    assert train[-1] <= train[0] / 10 and train[10] > train[0] / 10 and out["accuracy"] == 1.0
    assert out["test_accuracy"] < 1.0


@pytest.mark.slow
def test_the_overfit_lesson_tells_the_truth():
    pages = lesson("overfit")
    s = nnplay.load("overfit")
    assert len(s.data.inputs) == 30 and len(s.data.test_inputs) == 270
    assert f"{s.network().n_params} weights and biases" in said(pages["Too big for too few points"])
    t = trained("overfit")
    train, test = t.loss_history(), t.test_loss_history()
    text = said(pages["Two curves"])
    assert pages["Two curves"].action.run_to == 3000
    assert f"from {train[0]:.2f} to {train[-1]:.3f}; the test loss falls to {test.min():.2f}, then climbs to {test[-1]:.1f}" in text
    assert test[-1] / test.min() > 10 and "over ten times its lowest" in text
    stop = pages["The moment to stop"]
    best = int(np.argmin(test))
    assert abs(stop.action.run_to - best) <= 0.1 * best and f"step {stop.action.run_to} " in said(stop)
    final_test_accuracy = t.snapshot().test_accuracy
    t.rewind(stop.action.run_to)
    assert f"({test.min():.2f}), with {percent(t.snapshot().test_accuracy)}" in said(stop)
    assert f"{percent(final_test_accuracy)} right by step 3000, while training reaches 100 %" in said(stop)

    decay = pages["Weight decay"]
    assert decay.action.reset and decay.action.run_to == 3000
    decayed = trained("overfit", settings=dict(decay.action.settings))
    d_test = decayed.test_loss_history()
    assert d_test[-1] / d_test.min() < 1.3 < test[-1] / test.min()  # the rise shrinks
    assert f"({d_test.min():.2f} at its lowest, {d_test[-1]:.2f} at step 3000)" in said(decay)
    assert f"{percent(decayed.snapshot().test_accuracy)} of the" in said(decay)
    assert f"training stops at {percent(decayed.accuracy())}" in said(decay) and decayed.accuracy() < 1

    fewer = pages["Fewer units"]
    assert "Press N and try 4 units in each hidden layer" in said(fewer)
    assert fewer.action.reset and fewer.action.run_to == 3000  # the big network's whole run, the ghost after N
    assert [layer.units for layer in s.layers] == [16, 16, 1]
    small = trained("overfit", overrides={"network.layers": hidden(4, 4)})
    s_test = small.test_loss_history()
    assert f"{small.network.n_params} weights and biases" in said(fewer)
    assert s_test[-1] / s_test.min() < test[-1] / test.min() and s_test[-1] < test[-1] / 2
    assert f"to {s_test[-1]:.1f} by step 3000 instead of {test[-1]:.1f}" in said(fewer)
    assert f"{percent(small.snapshot().test_accuracy)} of the test points end right, and training stops at {percent(small.accuracy())}" in said(fewer)


# (In the playground, every lesson page fitting its pane at 140x45 and 120x40 is tests/tui/test_behaviour.py's
# check, which runs over every bundled scenario.)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2, 4, 5])
def test_overfit_is_not_the_luck_of_one_seed(seed):
    """The same 30 points from other starting weights: the same story, a test minimum and a rise."""
    t = nnplay.load("overfit").make_trainer(seed=seed)
    t.step(3000)
    train, test = t.loss_history(), t.test_loss_history()
    best = int(np.argmin(test))
    assert 50 <= best <= 1000 and test[-1] >= 1.3 * test[best] and t.accuracy() == 1.0
    assert train[-1] <= train[0] / 10
