"""Issue 11's fixes outside the interface: the race labels' one rule, compare's unused settings."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from nnplay.engine.optimizers import HYPERS, OPTIMIZERS
from nnplay.engine.settings import Settings
from nnplay.figures import settings_difference
from nnplay.playground import Playground
from nnplay.scenario import load
from nnplay.session import Session


def test_a_run_is_labelled_by_the_settings_its_optimiser_reads():
    live = Settings(optimizer="adam", momentum=0.9)
    sgd = Settings(optimizer="sgd", momentum=0.0)
    # live adam does not read α: its label does not name it, even though the ghost's differs
    assert settings_difference(live, [sgd]) == "adam"
    assert settings_difference(sgd, [live], live) == "sgd, α 0"
    # a ghost nesterov whose α equals live's: live (adam) does not read α, so the ghost's label names it
    nesterov = Settings(optimizer="nesterov", momentum=0.9)
    assert settings_difference(nesterov, [live], live) == "nesterov, α 0.9"
    # two sgd runs with the same α: not named
    assert settings_difference(Settings(learning_rate=0.5), [Settings()], Settings()) == "η 0.5"


def test_compare_marks_a_varied_setting_the_runs_optimiser_ignores():
    r = subprocess.run([sys.executable, "-m", "nnplay", "compare", "xor", "--steps", "5", "--vary",
                        "training.optimizer=sgd,adam", "--vary", "training.beta1=0.9,0.5"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    rows = [line.split()[:2] for line in r.stdout.splitlines()[2:]]
    assert rows == [["sgd", "(unused)"], ["sgd", "(unused)"], ["adam", "0.9"], ["adam", "0.5"]]


def test_raising_eta_under_a_schedule_says_the_base_changed_and_the_schedule_starts_again():
    pg = Playground(Session(load("bump")))
    session = pg.session
    session.change_settings(learning_rate=0.5, schedule={"kind": "step", "every": 10, "factor": 0.25})
    pg.step(25)
    assert session.trainer.learning_rate_now() == pytest.approx(0.5 / 16)
    [notice] = pg.learning_rate(1).notices
    assert notice.text == "Base η 0.5 → 1: the step schedule starts again from it (η now 1)"
    assert session.trainer.learning_rate_now() == 1.0
    session.change_settings(schedule="constant")
    assert pg.learning_rate(1).notices[0].text == "Learning rate η = 2"


def test_the_watch_words_of_rmsprop_and_adagrad_say_what_their_first_steps_do():
    settings = Settings(optimizer="rmsprop", learning_rate=0.01)
    grad = np.array([1e-3, 1.0, 50.0])
    rmsprop = OPTIMIZERS["rmsprop"](3)
    first = np.abs(rmsprop.step(grad, settings, 0.01))
    assert first == pytest.approx(0.01 / math.sqrt(1 - settings.rho), rel=1e-3)  # 10·η at ρ 0.99, not about η
    assert "η/√(1 − ρ)" in OPTIMIZERS["rmsprop"].watch and "10·η" in OPTIMIZERS["rmsprop"].watch
    adagrad = OPTIMIZERS["adagrad"](3)
    first = np.abs(adagrad.step(grad, Settings(optimizer="adagrad"), 0.1))
    assert first == pytest.approx(0.1, rel=1e-6)
    later = np.abs(adagrad.step(grad, Settings(optimizer="adagrad"), 0.1))
    assert (later < first).all()
    watch = OPTIMIZERS["adagrad"].watch
    assert "first step is η" in watch and "larger η than sgd" not in watch  # its usual η are sgd's
    assert OPTIMIZERS["adagrad"].usual_learning_rates == OPTIMIZERS["sgd"].usual_learning_rates


@pytest.mark.parametrize("key", ["beta1", "learning_rate"])
def test_a_number_too_large_is_refused_as_too_large_not_inf(key):
    problem = HYPERS[key].problem(float("1e400"))
    assert problem is not None and "too large" in problem and "inf" not in problem
