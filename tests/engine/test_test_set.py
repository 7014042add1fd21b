"""The held-out test set: measured beside the training loss, never trained on (SPEC §4)."""

from dataclasses import replace

import numpy as np
import pytest

from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.engine.metrics import accuracy, confusion
from tests.engine.testsets import with_test_set


def without_test_set(scenario):
    return replace(scenario, data=replace(scenario.data, test_inputs=None, test_targets=None))


@pytest.mark.parametrize("name", ["xor", "bump", "spiral"])  # full batch (two losses) and minibatches
def test_the_test_set_never_changes_the_training(name):
    held_out = with_test_set(name, {"training.l2": 0.01})
    a, b = held_out.make_trainer(), without_test_set(held_out).make_trainer()
    for t in (a, b):
        t.step(150)
        t.change_settings(learning_rate=t.settings.learning_rate / 2)
        t.step(150)
    assert a.test_history is not None and b.test_history is None
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.loss_history(), b.loss_history())
    np.testing.assert_array_equal(a.snapshot().grad, b.snapshot().grad)
    assert b.test_loss_history() is None and b.current_test_loss() is None and b.snapshot().test_loss is None


def by_hand(params, network, X, T, loss, l2):
    """The loss written out: the forward pass layer by layer and SPEC §4's formulas, L2 included."""
    Ws, bs = network.unflatten(params)
    z = X
    for W, b, activation in zip(Ws, bs, network.activations):
        u = z @ W + b
        if activation == "sigmoid":
            z = 1 / (1 + np.exp(-u))
        elif activation == "relu":
            z = np.maximum(u, 0)
        elif activation == "softmax":
            e = np.exp(u - u.max(axis=1, keepdims=True))
            z = e / e.sum(axis=1, keepdims=True)
        else:
            assert activation == "linear"
            z = u
    y = z
    E = {"sse": lambda: 0.5 * np.sum((y - T) ** 2),
         "mse": lambda: np.mean((y - T) ** 2),
         "bce": lambda: np.mean(-(T * np.log(y) + (1 - T) * np.log(1 - y))),
         "cce": lambda: np.mean(-np.sum(T * np.log(y), axis=1))}[loss]()
    return E + 0.5 * l2 * sum(np.sum(W**2) for W in Ws)


@pytest.mark.parametrize("name", ["xor", "bump", "spiral"])
def test_the_test_loss_is_the_loss_function_on_the_test_set(name):
    scenario = with_test_set(name, {"training.l2": 0.01})
    t = scenario.make_trainer()
    s = t.settings
    for steps in (0, 40, 300):
        t.step(steps - t.step_count)
        expected = by_hand(t.params, t.network, t.X_test, t.T_test, s.loss, s.l2)
        assert t.current_test_loss() == pytest.approx(expected, rel=1e-12)
        assert t.snapshot().test_loss == t.current_test_loss()
        # the same function as the training loss, on the other samples, to the bit
        assert t.current_test_loss() == t.network.loss(t.params, t.X_test, t.T_test, s.loss, s.l2)
        np.testing.assert_array_equal(t.snapshot().test_outputs, t.network.predict(t.params, t.X_test))


def test_the_test_loss_is_measured_at_the_steps_the_loss_is_and_kept_exact():
    scenario = with_test_set("spiral")  # minibatches of 9
    eager = scenario.make_trainer()
    eager.step(400)
    whole, test = eager.loss_history(), eager.test_loss_history()
    assert test is not None and len(test) == len(whole) == 401 and np.isfinite(test).all()
    for every in (None, 16, "epoch"):
        lazy = scenario.make_trainer()
        lazy.loss_every = every
        lazy.step(400)
        assert lazy.test_history is not None
        held = [s for s in range(401) if lazy.history.holds(s)]
        assert held == [s for s in range(401) if lazy.test_history.holds(s)] and len(held) < 401
        for s in held:
            assert lazy.test_history.at(s) == test[s]
        assert lazy.current_test_loss() == test[400]
        for target in (333, 150, 2):  # rewinding measures the target again, exactly
            lazy.rewind(target)
            assert lazy.current_test_loss() == test[target]


def test_rewind_events_and_step_back_keep_both_histories_exact():
    scenario = with_test_set("xor")
    t = scenario.make_trainer()
    t.step(100)
    t.change_settings(learning_rate=0.2, l2=0.05)  # l2 changes the test loss at this very step
    t.step(50)
    t.set_param(0, 1.5)
    t.step(50)
    whole, test = t.loss_history().copy(), t.test_loss_history().copy()
    t.rewind(150)
    np.testing.assert_array_equal(t.test_loss_history(), test[:151])
    t.step(50)  # replayed with the edit: the same numbers
    np.testing.assert_array_equal(t.test_loss_history(), test)
    t.rewind(100, before_events=True)  # this step, before the change of settings
    assert t.settings.l2 == 0 and t.current_test_loss() != test[100]
    fresh = scenario.make_trainer()
    fresh.step(100)
    assert t.current_test_loss() == fresh.current_test_loss()
    np.testing.assert_array_equal(t.loss_history(), whole[:100].tolist() + [fresh.current_loss()])
    t.step(30)
    fresh.step(30)
    np.testing.assert_array_equal(t.test_loss_history(), fresh.test_loss_history())
    assert t.history.alike(t.test_history)


def test_a_long_run_folds_the_test_history_alike():
    scenario = with_test_set("xor")
    eager = scenario.make_trainer()
    eager.step(3000)
    test = eager.test_loss_history()
    t = scenario.make_trainer()
    t.limit_history(1024)
    t.step(3000)
    assert t.history.folded and t.history.alike(t.test_history)
    xs, ys, test_ys = t.loss_curves(200)
    assert len(xs) == len(ys) == len(test_ys) <= 200
    exact = xs == np.round(xs)  # exact steps (folded blocks give means at their middles)
    np.testing.assert_array_equal(test_ys[exact], test[xs[exact].astype(int)])
    assert t.clone().test_history.alike(t.history)


def test_a_diverged_test_loss_is_recorded_like_the_loss():
    net = Network(1, [LayerSpec(4, "relu"), LayerSpec(1, "linear")])
    X, T = np.array([[0.0], [1.0], [2.0]]), np.array([[0.0], [2.0], [4.0]])
    t = Trainer(net, X, T, Settings(learning_rate=50.0, momentum=0.9), net.init_params("xavier", 0.5, 0),
                test_inputs=np.array([[3.0]]), test_targets=np.array([[6.0]]))
    t.step(1000)
    assert t.diverged
    whole, test = t.loss_history(), t.test_loss_history()
    assert len(test) == len(whole) == t.diverged_at + 1
    assert not np.isfinite(whole[-1]) and not np.isfinite(test[-1]) and np.isfinite(test[:-1]).all()


def test_confusion_rows_are_true_classes_and_its_diagonal_is_the_accuracy():
    # one output: class 1 above 0.5, as accuracy reads it
    outputs = np.array([[0.5], [0.51], [0.2], [0.9], [0.1]])
    targets = np.array([[0.0], [1.0], [1.0], [0.0], [0.0]])
    c = confusion(outputs, targets)
    np.testing.assert_array_equal(c, [[2, 1], [1, 1]])
    assert np.trace(c) / c.sum() == accuracy(outputs, targets)
    # several outputs: the largest names the class
    outputs = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1], [0.2, 0.5, 0.3]])
    targets = np.eye(3)[[0, 2, 2, 1]]
    c = confusion(outputs, targets)
    np.testing.assert_array_equal(c, [[1, 0, 0], [0, 1, 0], [0, 1, 1]])
    assert np.trace(c) / c.sum() == accuracy(outputs, targets)


def test_the_snapshot_reports_the_test_set_for_classes_only():
    t = with_test_set("spiral").make_trainer()
    t.step(200)
    snap = t.snapshot()
    assert snap.confusion.sum() == t.n_samples and snap.test_confusion.sum() == len(t.X_test)
    assert np.trace(snap.test_confusion) / len(t.X_test) == snap.test_accuracy
    assert np.trace(snap.confusion) / t.n_samples == snap.accuracy
    np.testing.assert_array_equal(snap.test_confusion.sum(axis=1), t.T_test.sum(axis=0))  # rows: the true classes
    regression = with_test_set("bump").make_trainer().snapshot()
    assert regression.test_loss is not None and regression.test_outputs is not None
    assert regression.test_accuracy is regression.confusion is regression.test_confusion is None


@pytest.mark.parametrize("every", [1, 7, None])
def test_a_lazily_measured_divergence_records_the_test_loss_at_the_step_it_goes_back_to(every):
    hot = {"training": {"learning_rate": 5.0, "batch_size": 1}}  # bump: the loss overflows before the weights
    scenario = with_test_set("bump", hot)
    eager = scenario.make_trainer()
    eager.step(1000)
    lazy = scenario.make_trainer()
    lazy.loss_every = every
    lazy.step(1000)
    assert lazy.diverged_at == eager.diverged_at is not None and lazy.history.alike(lazy.test_history)
    assert lazy.test_history.end == lazy.diverged_at + 1
    np.testing.assert_array_equal(lazy.current_test_loss(), eager.test_loss_history()[-1])
