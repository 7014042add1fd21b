"""Every optimiser against an update written out by hand in NumPy (and PyTorch's, where it is installed),
peek against step, its state through rewinds, clones and saved runs, and the rules of its settings."""

import json

import numpy as np
import pytest

import nnplay
from nnplay import runfile
from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.engine.optimizers import HYPERS, OPTIMIZERS
from nnplay.scenario import ScenarioError

# the SPEC's formulas, written out one step at a time: each reference is a function of the gradient
# that keeps its own state and returns the update Δw (w ← w + Δw)


def reference_sgd(s):
    previous = 0.0

    def update(g):
        nonlocal previous
        previous = -s.learning_rate * g + s.momentum * previous
        return previous
    return update


def reference_nesterov(s):
    v = 0.0

    def update(g):
        nonlocal v
        v = s.momentum * v + g
        return -s.learning_rate * (g + s.momentum * v)
    return update


def reference_rmsprop(s):
    mean_square = 0.0
    eps = 1e-8 if s.epsilon is None else s.epsilon

    def update(g):
        nonlocal mean_square
        mean_square = s.rho * mean_square + (1 - s.rho) * g ** 2
        return -s.learning_rate * g / (np.sqrt(mean_square) + eps)
    return update


def reference_adam(s):
    m = v = 0.0
    t = 0
    eps = 1e-8 if s.epsilon is None else s.epsilon

    def update(g):
        nonlocal m, v, t
        t += 1
        m = s.beta1 * m + (1 - s.beta1) * g
        v = s.beta2 * v + (1 - s.beta2) * g ** 2
        m_hat = m / (1 - s.beta1 ** t)
        v_hat = v / (1 - s.beta2 ** t)
        return -s.learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return update


def reference_adagrad(s):
    total = 0.0
    eps = 1e-10 if s.epsilon is None else s.epsilon

    def update(g):
        nonlocal total
        total = total + g ** 2
        return -s.learning_rate * g / (np.sqrt(total) + eps)
    return update


REFERENCES = {"sgd": reference_sgd, "nesterov": reference_nesterov, "rmsprop": reference_rmsprop,
              "adam": reference_adam, "adagrad": reference_adagrad}

# hyper-parameters away from their defaults, so that a setting read from the wrong field shows
UNUSUAL = dict(momentum=0.7, beta1=0.8, beta2=0.95, rho=0.9)


def test_every_optimizer_has_a_reference():
    assert set(REFERENCES) == set(OPTIMIZERS)


def test_every_optimizer_names_its_record():
    for name, cls in OPTIMIZERS.items():
        assert cls.name == name and cls.formula and cls.keeps and cls.watch and cls.title
        assert cls.hypers[0] == "learning_rate" and set(cls.hypers) <= set(HYPERS)
        assert ("epsilon" in cls.hypers) == (cls.default_epsilon is not None)
    assert Settings().epsilon is None and OPTIMIZERS["adagrad"].default_epsilon == 1e-10
    assert all(getattr(Settings(), h.name) == h.default for h in HYPERS.values())


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("epsilon", [None, 1e-3])
def test_updates_follow_the_reference_and_peek_is_the_next_step(name, epsilon):
    rng = np.random.default_rng(4)
    grads = [rng.normal(size=7) * 10.0 ** rng.integers(-3, 2, size=7) for _ in range(20)]
    settings = Settings(optimizer=name, learning_rate=0.3, epsilon=epsilon, **UNUSUAL)
    optimizer = OPTIMIZERS[name](7)
    reference = REFERENCES[name](settings)
    for g in grads:
        expected = reference(g)
        peeked = optimizer.peek(g, settings, 0.3).copy()
        update = optimizer.step(g, settings, 0.3)
        np.testing.assert_allclose(update, expected, rtol=1e-13, atol=1e-300)
        np.testing.assert_array_equal(peeked, update)  # "the next update" is the update that happens


def small_trainer(optimizer="sgd", batch_size=0, seed=5, **settings):
    rng = np.random.default_rng(1)
    X, T = rng.normal(size=(7, 2)), rng.uniform(0, 1, size=(7, 1))
    net = Network(2, [LayerSpec(3, "tanh"), LayerSpec(1, "sigmoid")])
    s = Settings(loss="bce", optimizer=optimizer, learning_rate=0.05, batch_size=batch_size, **(UNUSUAL | settings))
    return Trainer(net, X, T, s, net.init_params("normal", 0.5, 2), seed=seed)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_twenty_steps_of_training_follow_the_reference(name):
    t = small_trainer(name)
    reference = REFERENCES[name](t.settings)
    w = t.params.copy()
    for _ in range(20):
        w = w + reference(t.network.evaluate(w, t.X, t.T, "bce").grad)
        before = t.params.copy()
        t.step()
        np.testing.assert_allclose(t.params, w, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(t.snapshot().update, t.last_update)
        np.testing.assert_allclose(t.last_update, t.params - before, rtol=1e-12, atol=1e-15)
    assert not np.allclose(t.params, t.initial_params)


TORCH = {"sgd": lambda torch, p, s: torch.optim.SGD(p, lr=s.learning_rate, momentum=s.momentum, dampening=0),
         "nesterov": lambda torch, p, s: torch.optim.SGD(p, lr=s.learning_rate, momentum=s.momentum, nesterov=True),
         "rmsprop": lambda torch, p, s: torch.optim.RMSprop(p, lr=s.learning_rate, alpha=s.rho, eps=1e-8),
         "adam": lambda torch, p, s: torch.optim.Adam(p, lr=s.learning_rate, betas=(s.beta1, s.beta2), eps=1e-8),
         "adagrad": lambda torch, p, s: torch.optim.Adagrad(p, lr=s.learning_rate, eps=1e-10)}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_training_follows_torch_optim(name):
    """PyTorch's trajectory, its optimiser fed the gradient at its own parameters (torch is never a
    dependency: run with PYTHONPATH=. /work/main/.venv/bin/python -m pytest where it is installed)."""
    torch = pytest.importorskip("torch")
    t = small_trainer(name)
    p = torch.nn.Parameter(torch.tensor(t.params, dtype=torch.float64))
    optimizer = TORCH[name](torch, [p], t.settings)
    for _ in range(20):
        w = p.detach().numpy().copy()
        p.grad = torch.tensor(t.network.evaluate(w, t.X, t.T, "bce").grad, dtype=torch.float64)
        optimizer.step()
        t.step()
        np.testing.assert_allclose(t.params, p.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_is_one_value_that_round_trips(name):
    settings = Settings(optimizer=name, momentum=0.5)
    a = OPTIMIZERS[name](3)
    a.step(np.array([1.0, -2.0, 3.0]), settings, 0.1)
    b = OPTIMIZERS[name](3)
    b.load_state(a.state())
    clone = a.clone()
    g = np.array([0.5, 0.5, -1.0])
    expected = a.step(g, settings, 0.1).copy()
    np.testing.assert_array_equal(b.step(g, settings, 0.1), expected)
    np.testing.assert_array_equal(clone.step(g, settings, 0.1), expected)
    with pytest.raises(ValueError):
        b.load_state({key: np.zeros(4) for key in b.state()})
    with pytest.raises(ValueError):
        b.load_state({"nope": np.zeros(3)})


def test_adams_step_counter_is_state():
    adam = OPTIMIZERS["adam"](2)
    settings = Settings(optimizer="adam")
    for _ in range(3):
        adam.step(np.array([1.0, 2.0]), settings, 0.1)
    assert int(adam.state()["t"]) == 3 and adam.clone().t == 3
    with pytest.raises(ValueError, match="t: expected a whole number"):
        adam.load_state(adam.state() | {"t": np.array(-1)})
    adam.reset()
    assert adam.t == 0 and not adam.m.any()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("batch_size,l2,schedule", [(0, 0.0, "constant"), (2, 0.0, "constant"),
                                                    (3, 0.1, {"kind": "step", "every": 2, "factor": 0.5})])
def test_the_snapshots_next_batch_and_update_are_what_the_next_step_does(name, batch_size, l2, schedule):
    """What the screen calls "the next update" is the update that happens: its batch, its gradient, its η."""
    t = small_trainer(name, batch_size=batch_size, l2=l2, schedule=schedule)
    for _ in range(12):  # across epochs, with a smaller last batch
        snap = t.snapshot()
        before = t.params.copy()
        t.step()
        np.testing.assert_array_equal(snap.next_batch, t.snapshot().last_batch if batch_size else np.arange(7))
        np.testing.assert_array_equal(t.last_update, snap.next_update)
        np.testing.assert_array_equal(t.params, before + snap.next_update)


def recorded_run(t, plan):
    """Run ``plan`` (numbers of steps, or dicts of settings to change) on ``t``; the parameters, optimiser
    state and settings after every step and every change, by step (the last at each step)."""
    seen = {t.step_count: (t.params.copy(), t.optimizer.state(), t.settings)}
    for item in plan:
        if isinstance(item, dict):
            t.change_settings(**item)
            seen[t.step_count] = (t.params.copy(), t.optimizer.state(), t.settings)
        else:
            for _ in range(item):
                t.step()
                seen[t.step_count] = (t.params.copy(), t.optimizer.state(), t.settings)
    return seen


def assert_state(t, expected):
    params, state, settings = expected
    np.testing.assert_array_equal(t.params, params)
    assert t.settings == settings and t.optimizer.name == settings.optimizer
    assert set(t.optimizer.state()) == set(state)
    for key, value in state.items():
        np.testing.assert_array_equal(t.optimizer.state()[key], value)


@pytest.mark.parametrize("batch_size", [0, 3])
def test_rewind_across_optimizer_changes_is_exact(batch_size):
    t = small_trainer("sgd", batch_size=batch_size)
    plan = [70, {"optimizer": "adam", "learning_rate": 0.01}, 40, {"optimizer": "rmsprop"}, 30,
            {"beta1": 0.5, "optimizer": "adam"}, 10]
    seen = recorded_run(t, plan)
    end = t.step_count
    assert t.optimizer.name == "adam" and t.optimizer.t == 10  # a new optimiser starts from an empty state
    for target in (end - 1, 145, 140, 111, 110, 100, 70, 69, 3, 0):
        t.rewind(target)
        assert_state(t, seen[target])
    # and forward again, the same numbers: the changes were forgotten, so make them again
    t.rewind(0)
    again = recorded_run(t, plan)
    for step, state in seen.items():
        np.testing.assert_array_equal(again[step][0], state[0])


def test_step_back_before_an_optimizer_change_restores_the_old_optimizer():
    t = small_trainer("rmsprop")
    t.step(30)
    before = (t.params.copy(), t.optimizer.state(), t.settings)
    t.change_settings(optimizer="adam")
    assert not t.optimizer.state()["s"].any() and t.optimizer.state()["t"] == 0
    t.step(5)
    t.rewind(30, before_events=True)
    assert_state(t, before)
    fresh = small_trainer("rmsprop")
    fresh.step(31)
    t.step()
    np.testing.assert_array_equal(t.params, fresh.params)


def test_switching_starts_the_new_optimizer_as_a_fresh_one_would():
    t = small_trainer("sgd")
    t.step(25)
    t.change_settings(optimizer="adam", learning_rate=0.02)
    expected = OPTIMIZERS["adam"](t.network.n_params).step(t.snapshot().next_grad, t.settings, 0.02)
    np.testing.assert_array_equal(t.snapshot().next_update, expected)
    t.change_settings(optimizer="adam")  # the same optimiser again: its state stays
    t.step(3)
    t.change_settings(beta2=0.9)
    assert t.optimizer.t == 3


def test_reset_returns_to_the_scenarios_optimizer():
    t = small_trainer("adagrad")
    first = recorded_run(t, [5])
    t.change_settings(optimizer="nesterov")
    t.step(5)
    t.reset()
    assert t.optimizer.name == "adagrad"
    t.step(5)
    np.testing.assert_array_equal(t.params, first[5][0])


def test_a_saved_run_with_adam_carries_on_exactly(tmp_path):
    scenario = nnplay.load("spiral", overrides={"training.optimizer": "adam", "training.learning_rate": 0.01,
                                                "training.epsilon": 1e-7})
    t = scenario.make_trainer()
    t.step(30)
    t.change_settings(optimizer="rmsprop", rho=0.8)
    t.step(20)
    t.change_settings(optimizer="adam", beta1=0.7, epsilon=None)
    t.step(7)
    json_path, _ = runfile.save(tmp_path / "run", scenario, t)
    saved = json.loads(json_path.read_text())
    assert saved["optimizer"]["name"] == "adam" and saved["optimizer"]["state"]["t"] == 7
    assert "velocity" not in saved and saved["settings"]["epsilon"] is None
    loaded = runfile.load(json_path).trainer
    assert loaded.settings == t.settings and loaded.optimizer.t == 7
    np.testing.assert_array_equal(loaded.last_update, t.last_update)
    np.testing.assert_array_equal(loaded.snapshot().next_update, t.snapshot().next_update)
    t.step(40)
    loaded.step(40)
    np.testing.assert_array_equal(loaded.params, t.params)
    np.testing.assert_array_equal(loaded.optimizer.state()["s"], t.optimizer.state()["s"])
    np.testing.assert_array_equal(loaded.loss_history(), t.loss_history())
    assert loaded.events() == t.events()


def test_a_run_saved_before_other_optimizers_still_loads(tmp_path):
    """Files written with a ``velocity`` (sgd's state) and the settings of the time."""
    scenario = nnplay.load("xor")
    t = scenario.make_trainer()
    t.step(12)
    t.change_settings(learning_rate=0.3)
    t.step(8)
    json_path, _ = runfile.save(tmp_path / "run", scenario, t)
    doc = json.loads(json_path.read_text())
    old = {key: value for key, value in doc.items() if key not in ("optimizer", "last_update")}
    old["velocity"] = doc["optimizer"]["state"]["velocity"]
    old["settings"] = {key: doc["settings"][key]
                       for key in ("loss", "learning_rate", "momentum", "batch_size", "shuffle", "l2")}
    json_path.write_text(json.dumps(old))
    loaded = runfile.load(json_path).trainer
    assert loaded.settings == t.settings and loaded.optimizer.name == "sgd"
    t.step(10)
    loaded.step(10)
    np.testing.assert_array_equal(loaded.params, t.params)
    old["settings"]["optimizer"] = "adam"
    json_path.write_text(json.dumps(old))
    with pytest.raises(runfile.RunFileError, match=r"run\.json: velocity: is sgd's state, but settings.optimizer is 'adam'"):
        runfile.load(json_path)


def test_a_saved_optimizer_state_is_checked(tmp_path):
    scenario = nnplay.load("xor", overrides={"training.optimizer": "adam"})
    t = scenario.make_trainer()
    t.step(4)
    json_path, _ = runfile.save(tmp_path / "run", scenario, t)
    doc = json.loads(json_path.read_text())
    state = doc["optimizer"]["state"]
    for bad, message in [(dict(state, t=5), "optimizer.state.t: must be a whole number from 0 to 4, got 5"),
                         (dict(state, t=1.5), "optimizer.state.t: expected a whole number, got a number (1.5)"),
                         ({"m": state["m"], "t": 4}, "optimizer.state: missing key 's'"),
                         (dict(state, velocity=state["m"]), "optimizer.state.velocity: unknown key 'velocity'"),
                         (dict(state, s=state["s"][:3]), "optimizer.state.s: has 3 numbers but this network has 9")]:
        json_path.write_text(json.dumps(dict(doc, optimizer={"name": "adam", "state": bad})))
        with pytest.raises(runfile.RunFileError) as error:
            runfile.load(json_path)
        assert str(error.value).startswith(f"{json_path}: {message}")


def test_the_scenario_chooses_the_optimizer_and_its_settings():
    t = nnplay.load("xor", overrides={"training.optimizer": "nesterov", "training.momentum": 0.5}).make_trainer()
    assert t.optimizer.name == "nesterov" and t.settings.momentum == 0.5
    s = nnplay.load("xor", overrides={"training.optimizer": "adam", "training.beta1": 0.5, "training.beta2": 0.9,
                                      "training.epsilon": 1e-6, "training.rho": 0.5}).training
    assert (s.optimizer, s.beta1, s.beta2, s.epsilon, s.rho) == ("adam", 0.5, 0.9, 1e-6, 0.5)
    assert nnplay.load("xor").training.optimizer == "sgd"


@pytest.mark.parametrize("key,value,message", [
    ("optimizer", "adamw", "training.optimizer: unknown optimizer 'adamw' (expected one of: sgd, nesterov, rmsprop, adam, adagrad)"),
    ("optimizer", 1, "training.optimizer: expected a string, got a number (1)"),
    ("beta1", 1.0, "training.beta1: must be at least 0 and less than 1, got 1"),
    ("beta2", -0.1, "training.beta2: must be at least 0 and less than 1, got -0.1"),
    ("rho", 1, "training.rho: must be at least 0 and less than 1, got 1"),
    ("epsilon", 0, "training.epsilon: must be greater than 0, got 0"),
    ("epsilon", -1e-8, "training.epsilon: must be greater than 0, got -1e-08"),
    ("epsilon", "small", "training.epsilon: expected a number, got a string ('small')"),
    ("betta1", 0.9, "training.betta1: unknown key 'betta1' (did you mean 'beta1'?)"),
])
def test_the_optimizers_settings_are_checked(key, value, message):
    with pytest.raises(ScenarioError) as error:
        nnplay.load("xor", overrides={f"training.{key}": value})
    assert str(error.value) == f"xor.toml: {message}"


def test_the_trainer_refuses_what_the_loader_refuses():
    t = small_trainer()
    for changes, message in [({"optimizer": "lbfgs"}, "optimizer: unknown optimizer 'lbfgs'"),
                             ({"beta2": 1.0}, "beta2: must be at least 0 and less than 1, got 1"),
                             ({"epsilon": 0.0}, "epsilon: must be greater than 0, got 0")]:
        with pytest.raises(ValueError, match=message):
            t.change_settings(**changes)
    assert t.events() == [] and t.settings.optimizer == "sgd" and t.settings.beta2 == UNUSUAL["beta2"]
