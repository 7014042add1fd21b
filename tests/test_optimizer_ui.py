"""The optimiser and the schedule in the playground: the explain pane's update, the markers, the status line, the
learning-rate overlay, the keys and prompts of the presenter (no Textual)."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import figures
from nnplay.engine import Schedule, optimizers
from nnplay.playground import Playground
from nnplay.scenario import ScenarioError, from_dict, load
from nnplay.session import Session

OPTIMIZERS = list(optimizers.OPTIMIZERS)


def bits(x: float) -> str:
    return float(x).hex()


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("scenario", ["xor", "spiral"])  # full batch; minibatches of 9
def test_the_update_explained_is_the_update_the_step_makes_bit_for_bit(name, scenario):
    overrides = {"training.optimizer": name, "training.learning_rate": 0.05, "training.momentum": 0.9,
                 "training.schedule": {"kind": "exponential", "factor": 0.99}}
    t = load(scenario, overrides=overrides).make_trainer()
    for steps in (0, 1, 6):  # an empty state (Adam's t = 0), then one that has history
        t.step(steps)
        snap = t.snapshot()
        before = t.params.copy()
        shown = [figures.next_update(snap, i) for i in range(t.network.n_params)]
        t.step(1)
        state = t.optimizer.state()  # what the step kept: the lines named after it show the same numbers
        for i, update in enumerate(shown):
            assert update.lines[-1].symbol == "Δw" and update.optimizer == name
            assert bits(update.value) == bits(snap.next_update[i])
            assert bits(t.params[i]) == bits(before[i] + update.value)
            assert update.learning_rate == snap.current_learning_rate
            by = {line.symbol: line.value for line in update.lines}
            for key, kept in state.items():
                shown_value = by["Δw" if key == "velocity" else key]  # sgd keeps its last update
                assert bits(shown_value) == bits(kept[i] if kept.ndim else kept), (key, i)
        assert not np.array_equal(t.params, before)


def test_each_optimiser_explains_what_it_keeps():
    t = load("xor", overrides={"training.optimizer": "adam"}).make_trainer()
    t.step(2)
    lines = figures.next_update(t.snapshot(), 0).lines
    assert [line.symbol for line in lines] == ["t", "m", "s", "1 − β1ᵗ", "1 − β2ᵗ", "m̂", "ŝ", "Δw"]
    by = {line.symbol: line for line in lines}
    assert by["t"].value == 3 and by["1 − β1ᵗ"].value == 1 - 0.9 ** 3
    assert by["m̂"].value == by["m"].value / by["1 − β1ᵗ"].value
    assert by["Δw"].values["m̂"] == by["m̂"].value and by["Δw"].values["ε"] == 1e-8
    expected = {"sgd": ["Δw"], "nesterov": ["v", "Δw"], "rmsprop": ["s", "Δw"], "adagrad": ["s", "Δw"]}
    for name, symbols in expected.items():
        t.change_settings(optimizer=name)
        t.step(1)
        lines = figures.next_update(t.snapshot(), 3).lines
        assert [line.symbol for line in lines] == symbols
        for line in lines:  # every number the formula names is given
            line.numbers.format(**line.values)


# -- lessons: a page may set any training setting -----------------------------------------------------

LESSON_BASE = {
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "network": {"layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]},
    "training": {"loss": "bce", "learning_rate": 0.5},
}


def lesson_with(settings: dict):
    return from_dict({**LESSON_BASE, "lesson": [{"title": "t", "text": "x", "action": {"settings": settings}}]}, "l.toml")


def test_a_lesson_page_sets_the_optimiser_its_numbers_and_the_schedule():
    settings = {"optimizer": "adam", "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "learning_rate": 0.01,
                "schedule": {"kind": "step", "every": 10, "factor": 0.5}, "shuffle": False}
    scenario = lesson_with(settings)
    pg = Playground(Session(scenario))
    pg.open()  # the first page acts
    s = pg.session.trainer.settings
    assert (s.optimizer, s.beta1, s.beta2, s.epsilon, s.learning_rate, s.shuffle) == ("adam", 0.8, 0.99, 1e-6, 0.01, False)
    assert s.schedule == Schedule("step", every=10, factor=0.5)
    pg.step(10)
    assert pg.session.trainer.snapshot().current_learning_rate == 0.005
    assert lesson_with({"rho": 0.5, "optimizer": "rmsprop"}).lessons[0].action.settings == (("rho", 0.5),
                                                                                          ("optimizer", "rmsprop"))


@pytest.mark.parametrize("settings,expected", [
    ({"beta1": 1.0}, "l.toml: lesson[0].action.settings.beta1: must be at least 0 and less than 1, got 1"),
    ({"optimizer": "adamw"}, "l.toml: lesson[0].action.settings.optimizer: unknown optimizer 'adamw'"),
    ({"epsilon": 0}, "l.toml: lesson[0].action.settings.epsilon: must be greater than 0, got 0"),
    ({"schedule": {"kind": "cosine"}}, "l.toml: lesson[0].action.settings.schedule.steps: missing"),
    ({"schedule": {"kind": "step", "every": 10, "factor": 2.0}},
     "l.toml: lesson[0].action.settings.schedule.factor: must be greater than 0 and at most 1, got 2"),
    ({"shuffle": "no"}, "l.toml: lesson[0].action.settings.shuffle: expected true or false"),
    ({"seed": 3}, "l.toml: lesson[0].action.settings.seed: unknown key 'seed'"),
])
def test_a_lesson_pages_settings_follow_the_training_rules(settings, expected):
    with pytest.raises(ScenarioError) as info:
        lesson_with(settings)
    assert str(info.value).startswith(expected)


# -- the key, the markers, the status line, the overlay -------------------------------------------------

def test_a_cycled_optimiser_is_recorded_so_stepping_back_across_it_is_exact():
    pg = Playground(Session(load("spiral")))  # minibatches
    trainer = pg.session.trainer
    pg.step(20)
    at_20 = trainer.params.copy()
    pg.optimizer()  # nesterov
    pg.step(5)
    pg.optimizer()  # rmsprop
    pg.step(5)
    at_30 = trainer.params.copy()
    assert trainer.settings.optimizer == "rmsprop"
    pg.back(10)  # to step 20, after the change made there
    assert trainer.step_count == 20 and trainer.settings.optimizer == "nesterov"
    assert np.array_equal(trainer.params, at_20)
    pg.step(5)  # (the change at step 25 was undone by stepping back over it): again
    pg.optimizer()
    pg.step(5)
    assert np.array_equal(trainer.params, at_30)  # the same numbers as the first time, bit for bit
    pg.back(10)
    pg.back(1)  # step 20 before the change
    assert trainer.step_count == 20 and trainer.settings.optimizer == "sgd" and not trainer.events()
    assert np.array_equal(trainer.params, at_20)


def test_markers_name_every_setting_and_an_unset_epsilon_by_its_value():
    pg = Playground(Session(load("xor")))
    session = pg.session
    session.change_settings(optimizer="adam")
    pg.step(1)
    session.change_settings(beta1=0.95, epsilon=None)
    pg.step(1)
    session.change_settings(optimizer="rmsprop", rho=0.9, epsilon=1e-6)
    pg.step(1)
    session.change_settings(epsilon=None, schedule=Schedule("step", every=10, factor=0.5))
    pg.step(1)
    session.change_settings(optimizer="adagrad", epsilon=None)
    markers = pg.view_state(session.frame()).markers
    assert markers == ((0, "adam"), (1, "β1 0.95, ε 1e-08"), (2, "rmsprop, ρ 0.9, ε 1e-06"),
                       (3, "ε 1e-08, schedule step"), (4, "adagrad, ε 1e-10"))


def test_the_status_line_shows_the_optimiser_and_eta_at_this_step():
    from nnplay.tui.status import status_text

    scenario = load("xor", overrides={"training.optimizer": "adam", "training.learning_rate": 0.04,
                                      "training.schedule": {"kind": "step", "every": 10, "factor": 0.5}})
    pg = Playground(Session(scenario))
    pg.step(25)
    state = pg.view_state(pg.session.frame())
    line = status_text("XOR", state).plain
    assert "│ adam │ η 0.01 (step schedule) │" in line and "momentum" not in line  # adam has no α
    width = len(line)
    while "η" in line:  # narrower: η goes before the optimiser's name
        width -= 1
        line = status_text("XOR", state, width).plain
    assert "│adam│" in line
    plain = Playground(Session(load("xor")))
    assert "│ sgd │ η 0.5 │ momentum 0.9 │" in status_text("XOR", plain.view_state(plain.session.frame())).plain


def learning_rate_at_every_step(trainer, until: int, changes: dict) -> list[float]:
    """η as the trainer gives it at steps 0 … until, making ``changes`` ({step: settings}) on the way."""
    rates = []
    for step in range(until + 1):
        if step in changes:
            trainer.change_settings(**changes[step])
        rates.append(trainer.learning_rate_now())
        trainer.step(1)
    return rates


def test_the_overlay_is_the_trainers_learning_rate_at_the_steps_shown():
    overrides = {"training.schedule": {"kind": "cosine", "steps": 30, "floor": 0.1}}
    changes = {12: {"learning_rate": 1.0}, 40: {"schedule": Schedule("step", every=7, factor=0.5)},
               45: {"momentum": 0.5}, 50: {"learning_rate": 0.2, "schedule": Schedule("exponential", factor=0.9)}}
    reference = learning_rate_at_every_step(load("xor", overrides=overrides).make_trainer(), 70, changes)
    pg = Playground(Session(load("xor", overrides=overrides)))
    for step in range(71):
        if step in changes:
            pg.session.change_settings(**changes[step])
        pg.step(1)
    pg.back(1)  # at step 70 (whose loss is the last the plot has)
    state = pg.view_state(pg.session.frame())
    assert state.learning_rates is not None
    steps, rates = state.learning_rates
    assert np.array_equal(steps, state.frame.loss_steps) and steps[-1] == 70
    assert rates.tolist() == [reference[int(step)] for step in steps]  # exactly: the same function
    assert pg.view_state(pg.session.frame(), frozenset({"view"})).learning_rates is None  # only for the loss plot


def test_the_overlay_shows_while_eta_varies_and_the_palette_toggles_it():
    pg = Playground(Session(load("xor")))
    pg.step(5)
    assert pg.view_state(pg.session.frame()).learning_rates is None  # constant: nothing to show
    pg.toggle_rate_overlay()
    assert pg.view_state(pg.session.frame()).learning_rates is not None
    pg.toggle_rate_overlay()
    pg.learning_rate(1)
    pg.step(5)
    assert pg.view_state(pg.session.frame()).learning_rates is None  # off stays off
    pg.rate_overlay = None
    steps, rates = pg.view_state(pg.session.frame()).learning_rates
    assert rates[0] == 0.5 and rates[-1] == 1.0


def test_a_prompted_setting_is_set_and_a_wrong_one_is_refused_in_one_line():
    pg = Playground(Session(load("xor", overrides={"training.optimizer": "adam"})))
    assert pg.setting_prompt("beta1")[1] == "0.9" and pg.setting_prompt("epsilon")[1] == "1e-08"
    assert pg.setting_problem("beta1", "1") == "beta1: must be at least 0 and less than 1, got 1"
    assert pg.setting_problem("beta1", "0.9.1") == "not a number: '0.9.1'"
    assert pg.setting_problem("schedule", "step every=10") == \
        "schedule.factor: missing: a step schedule needs every and factor"
    assert pg.setting_problem("schedule", "linear").startswith("schedule.kind: unknown schedule kind 'linear'")
    assert pg.setting_problem("beta1", " ") is None  # blank: nothing changes
    out = pg.set_setting("beta1", "2")
    assert out.notices[0].severity == "error" and pg.session.trainer.settings.beta1 == 0.9
    out = pg.set_setting("beta1", "0.5")
    assert out.redraw and out.notices[0].text == "Set β1 0.5" and pg.session.trainer.settings.beta1 == 0.5
    pg.set_setting("epsilon", "1")  # a whole number is a float setting's value too
    assert pg.session.trainer.settings.epsilon == 1.0 and isinstance(pg.session.trainer.settings.epsilon, float)
    pg.set_setting("schedule", "exponential factor=0.5 every=2")
    assert pg.session.trainer.settings.schedule == Schedule("exponential", every=2, factor=0.5)


@pytest.mark.parametrize("name,text,expected", [
    ("beta2", "true", "not a number: 'true'"),
    ("beta2", "[" * 5000, "not a number: '" + "[" * 5000 + "'"),
    ("beta2", "\x1b[2J", "not a number: '\\x1b[2J'"),  # escaped: it never reaches the terminal
    ("beta2", "1e400", "beta2: must be less than 1, got a number too large"),
    ("epsilon", "nan", "epsilon: must be greater than 0, got nan"),
    ("schedule", "step every=\x07 factor=0.5", "schedule.every: not a number: '\\x07'"),
    ("schedule", "\x1b[31m every=1", "schedule.kind: unknown schedule kind '\\x1b[31m'"),
    ("schedule", "step every=1 factor=0.5 speed=2", "schedule: unknown key 'speed'"),
    ("schedule", "step every=" + "9" * 5000 + " factor=0.5", "schedule.every: must be a whole number, got inf"),
])
def test_a_hostile_answer_gets_one_line(name, text, expected):
    pg = Playground(Session(load("xor")))
    problem = pg.setting_problem(name, text)
    assert problem is not None and problem.startswith(expected) and "\n" not in problem


def test_a_loaded_run_overlays_the_rates_it_was_trained_with(tmp_path):
    from nnplay import runfile

    scenario = load("bump", overrides={"training.schedule": {"kind": "step", "every": 4, "factor": 0.5}})
    pg = Playground(Session(scenario))
    pg.step(10)
    pg.learning_rate(1)  # a new base at step 10: the schedule starts again from it
    pg.optimizer()
    pg.step(10)
    saved = pg.view_state(pg.session.frame()).learning_rates
    json_path, _ = runfile.save(tmp_path / "run", pg.session.scenario, pg.session.trainer)
    loaded = runfile.load(json_path)
    again = Playground(Session(loaded.scenario, trainer=loaded.trainer))
    steps, rates = again.view_state(again.session.frame()).learning_rates
    assert saved is not None and np.array_equal(steps, saved[0]) and rates.tolist() == saved[1].tolist()
    assert rates[-1] == again.session.trainer.learning_rate_now() == 0.5 * 0.5 ** 2


def test_a_prompt_offers_the_value_as_it_is_so_enter_alone_changes_nothing():
    pg = Playground(Session(load("xor", overrides={"training.learning_rate": 0.123456789,
                                                   "training.schedule": {"kind": "exponential", "every": 7, "factor": 0.987654321}})))
    for name in ("learning_rate", "momentum", "schedule"):
        before = pg.session.trainer.settings
        pg.set_setting(name, pg.setting_prompt(name)[1])
        assert pg.session.trainer.settings == before, name
