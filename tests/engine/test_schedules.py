"""Learning-rate schedules: η at chosen steps, the trainer stepping with it, a learning rate set by hand as
the new base, rewinds and saved runs across them, PyTorch's schedulers, and the rules of a schedule."""

import json
import math

import numpy as np
import pytest

import nnplay
from nnplay import runfile
from nnplay.engine import LayerSpec, Network, Schedule, Settings, Trainer
from nnplay.engine.schedules import KINDS, problems
from nnplay.scenario import ScenarioError

STEP = Schedule("step", every=3, factor=0.5)
EXPONENTIAL = Schedule("exponential", factor=0.25, every=2)
COSINE = Schedule("cosine", steps=4, floor=0.1)


@pytest.mark.parametrize("schedule,t,expected", [
    (Schedule(), 0, 2.0), (Schedule(), 10_000, 2.0),
    (STEP, 0, 2.0), (STEP, 2, 2.0), (STEP, 3, 1.0), (STEP, 5, 1.0), (STEP, 6, 0.5), (STEP, 31, 2.0 / 2 ** 10),
    (EXPONENTIAL, 0, 2.0), (EXPONENTIAL, 1, 1.0), (EXPONENTIAL, 2, 0.5), (EXPONENTIAL, 5, 2.0 / 32),
    (Schedule("exponential", factor=0.5), 3, 0.25),  # every: 1 unless given
    (COSINE, 0, 2.0), (COSINE, 1, 2.0 * (0.1 + 0.9 * (1 + math.sqrt(0.5)) / 2)), (COSINE, 2, 2.0 * 0.55),
    (COSINE, 4, 0.2), (COSINE, 400, 0.2),
    (Schedule("cosine", steps=2), 1, 1.0), (Schedule("cosine", steps=2), 9, 0.0),  # floor: 0 unless given
])
def test_the_rate_at_chosen_steps(schedule, t, expected):
    assert schedule.rate(2.0, t) == pytest.approx(expected, rel=1e-15, abs=1e-300)


def tiny(schedule, learning_rate=0.5):
    X = np.array([[0.0, 1.0], [1.0, 0.5], [-1.0, 2.0]])
    T = np.array([[0.2], [0.9], [0.4]])
    net = Network(2, [LayerSpec(2, "tanh"), LayerSpec(1, "linear")])
    return Trainer(net, X, T, Settings(learning_rate=learning_rate, schedule=schedule),
                   net.init_params("normal", 0.5, 3))


def test_each_step_uses_the_rate_of_its_step():
    t = tiny(STEP)
    for step in range(8):
        snap = t.snapshot()
        eta = STEP.rate(0.5, step)
        assert t.learning_rate_now() == snap.current_learning_rate == eta
        np.testing.assert_array_equal(snap.next_update, snap.next_grad * -eta)  # sgd, no momentum
        t.step()
        np.testing.assert_array_equal(t.last_update, snap.next_update)


def test_a_learning_rate_set_by_hand_is_the_new_base_from_that_step():
    t = tiny(STEP)
    t.step(5)
    assert t.learning_rate_now() == 0.25
    t.change_settings(learning_rate=0.8)
    assert t.learning_rate_now() == 0.8  # what the learner set is the rate now …
    t.step(3)
    assert t.learning_rate_now() == 0.4  # … and the schedule goes on from it
    t.change_settings(schedule={"kind": "cosine", "steps": 10})  # a new schedule starts from its step too
    assert t.settings.schedule == Schedule("cosine", steps=10) and t.learning_rate_now() == 0.8
    t.step(10)
    assert t.learning_rate_now() == 0.0
    t.change_settings(momentum=0.5)  # another setting leaves the schedule's clock alone
    assert t.learning_rate_now() == 0.0


def test_rewind_across_learning_rate_and_schedule_changes_is_exact():
    t = tiny(COSINE)
    seen = {}
    plan = [7, {"learning_rate": 0.3}, 90, {"schedule": "constant"}, 5, {"schedule": STEP, "momentum": 0.5}, 70]
    for item in plan:  # the state after each step, and after the changes at a step
        if isinstance(item, dict):
            t.change_settings(**item)
            seen[t.step_count] = (t.params.copy(), t.learning_rate_now())
        else:
            for _ in range(item):
                t.step()
                seen[t.step_count] = (t.params.copy(), t.learning_rate_now())
    assert seen[7][1] == seen[97][1] == 0.3 and seen[96][1] == pytest.approx(0.3 * 0.1)
    for target in (171, 150, 103, 102, 97, 64, 8, 7, 2):
        t.rewind(target)
        np.testing.assert_array_equal(t.params, seen[target][0])
        assert t.learning_rate_now() == seen[target][1]
    t.step(60)  # the events after step 2 were forgotten: the scenario's cosine and nothing else
    expected = tiny(COSINE)
    expected.step(62)
    np.testing.assert_array_equal(t.params, expected.params)


def test_a_saved_run_keeps_its_schedule_and_its_clock(tmp_path):
    scenario = nnplay.load("spiral", overrides={"training.schedule": {"kind": "step", "every": 20, "factor": 0.5}})
    t = scenario.make_trainer()
    t.step(30)
    t.change_settings(learning_rate=0.05)
    t.step(25)
    json_path, _ = runfile.save(tmp_path / "run", scenario, t)
    doc = json.loads(json_path.read_text())
    assert doc["settings"]["schedule"] == {"kind": "step", "every": 20, "factor": 0.5}
    loaded = runfile.load(json_path).trainer
    assert loaded.settings == t.settings and loaded.learning_rate_now() == t.learning_rate_now() == 0.025
    t.step(30)
    loaded.step(30)
    np.testing.assert_array_equal(loaded.params, t.params)


def test_schedules_follow_torchs_schedulers():
    torch = pytest.importorskip("torch")
    p = [torch.nn.Parameter(torch.zeros(1))]

    def rates(make):
        optimizer = torch.optim.SGD(p, lr=0.4)
        scheduler = make(optimizer)
        out = []
        for _ in range(50):
            out.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return out

    sched = torch.optim.lr_scheduler
    for ours, theirs in [(Schedule("step", every=7, factor=0.3), lambda o: sched.StepLR(o, 7, 0.3)),
                         (Schedule("exponential", factor=0.9), lambda o: sched.ExponentialLR(o, 0.9)),
                         (Schedule("cosine", steps=50, floor=0.25), lambda o: sched.CosineAnnealingLR(o, 50, 0.1))]:
        np.testing.assert_allclose([ours.rate(0.4, t) for t in range(50)], rates(theirs), rtol=1e-12)


def test_every_kind_is_one_record():
    assert set(KINDS) == {"constant", "step", "exponential", "cosine"}
    for kind in KINDS.values():
        assert kind.formula.startswith("η(t) = ") and kind.meaning
        assert list(problems(Schedule(kind.name, **{key: 1 for key in kind.required}))) == []
    assert str(STEP) == "step every=3 factor=0.5" and STEP.as_dict() == {"kind": "step", "every": 3, "factor": 0.5}
    assert Schedule.of(STEP.as_dict()) == STEP and Schedule.of("constant") == Schedule()
    with pytest.raises(ValueError, match="schedule: unknown key 'evry'"):
        Schedule.of({"kind": "step", "evry": 3})
    with pytest.raises(ValueError, match="schedule: expected a table or a kind's name, got 5"):
        Settings(schedule=5)


def test_the_scenario_gives_the_schedule():
    s = nnplay.load("xor", overrides={"training.schedule": {"kind": "cosine", "steps": 100, "floor": 0.5}}).training
    assert s.schedule == Schedule("cosine", steps=100, floor=0.5)
    assert nnplay.load("xor").training.schedule == Schedule()
    assert nnplay.load("xor", overrides={"training.schedule": "constant"}).training.schedule == Schedule()
    t = nnplay.load("xor", overrides={"training.schedule.kind": "exponential", "training.schedule.factor": 0.5}).make_trainer()
    t.step(2)
    assert t.learning_rate_now() == 0.25 * t.settings.learning_rate


@pytest.mark.parametrize("schedule,message", [
    ({"kind": "linear"}, "schedule.kind: unknown schedule kind 'linear' (expected one of: constant, step, exponential, cosine)"),
    ({"every": 5}, "schedule: missing key 'kind' (one of: constant, step, exponential, cosine)"),
    ("cosine", "schedule.steps: missing: a cosine schedule needs steps"),
    ({"kind": "step", "factor": 0.5}, "schedule.every: missing: a step schedule needs every and factor"),
    ({"kind": "step", "every": 0, "factor": 0.5}, "schedule.every: must be a whole number of steps from 1, got 0"),
    ({"kind": "step", "every": 2.5, "factor": 0.5}, "schedule.every: expected a whole number, got a number (2.5)"),
    ({"kind": "step", "every": 5, "factor": 0}, "schedule.factor: must be greater than 0 and at most 1, got 0"),
    ({"kind": "exponential", "factor": 1.5}, "schedule.factor: must be greater than 0 and at most 1, got 1.5"),
    ({"kind": "cosine", "steps": 10, "floor": -0.5}, "schedule.floor: must be a fraction of the learning rate from 0 to 1, got -0.5"),
    ({"kind": "cosine", "steps": 10, "factor": 0.5}, "schedule.factor: not a key of a cosine schedule (it takes steps, floor)"),
    ({"kind": "constant", "every": 10}, "schedule.every: not a key of a constant schedule (it takes no other key)"),
    ({"kind": "step", "every": 5, "factr": 0.5}, "schedule.factr: unknown key 'factr' (did you mean 'factor'?)"),
    (5, "schedule: expected a table, got a number (5)"),
])
def test_a_bad_schedule_is_one_line(schedule, message):
    with pytest.raises(ScenarioError) as error:
        nnplay.load("xor", overrides={"training.schedule": schedule})
    assert str(error.value) == f"xor.toml: training.{message}"


def test_the_trainer_refuses_a_bad_schedule():
    t = tiny(Schedule())
    with pytest.raises(ValueError, match="schedule.factor: must be greater than 0 and at most 1, got 2"):
        t.change_settings(schedule=Schedule("exponential", factor=2.0))
    assert t.events() == []
