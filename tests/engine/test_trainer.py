"""The trainer: the update rule, determinism, rewind, divergence, bounded memory."""

import warnings

import numpy as np
import pytest

from nnplay.engine import LayerSpec, Network, Settings, Trainer, timeline
from nnplay.engine import trainer as trainer_module


def make(X, T, layers=((2, "sigmoid"), (1, "sigmoid")), seed=3, **settings):
    net = Network(X.shape[1], [LayerSpec(u, a) for u, a in layers])
    params = net.init_params("uniform", 0.5, seed)
    defaults = dict(loss="bce", learning_rate=0.5, momentum=0.9)
    defaults.update(settings)
    return Trainer(net, X, T, Settings(**defaults), params, seed=seed, classification=True)


def blobs(n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    T = (X[:, :1] + X[:, 1:] > 0).astype(float)
    return X, T


def test_one_step_is_momentum_gradient_descent(xor_data):
    X, T = xor_data
    t = make(*xor_data, momentum=0.9, learning_rate=0.5)
    net = t.network
    w0 = t.params.copy()
    g0 = net.evaluate(w0, X, T, "bce").grad
    t.step()
    np.testing.assert_allclose(t.params, w0 - 0.5 * g0, rtol=0, atol=0)
    g1 = net.evaluate(t.params, X, T, "bce").grad
    dw1 = t.params - w0
    w1 = t.params.copy()
    t.step()
    # Delta w(t) = -eta dE/dw + alpha Delta w(t-1)
    np.testing.assert_allclose(t.params - w1, -0.5 * g1 + 0.9 * dw1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(t.snapshot().update, -0.5 * g1 + 0.9 * dw1, rtol=1e-12, atol=1e-15)


def test_l2_weight_decay_in_the_step(xor_data):
    X, T = xor_data
    t = make(*xor_data, momentum=0.0, l2=0.1)
    w0 = t.params.copy()
    g0 = t.network.evaluate(w0, X, T, "bce").grad
    nw = t.network.n_weights
    t.step()
    expected = w0 - 0.5 * g0
    expected[:nw] -= 0.5 * 0.1 * w0[:nw]
    np.testing.assert_allclose(t.params, expected, rtol=1e-12)


def test_history_is_the_whole_set_loss_after_each_step():
    X, T = blobs()
    for batch in (0, 6, 7):
        t = make(X, T, batch_size=batch)
        expected = [t.network.loss(t.params, X, T, "bce")]
        for _ in range(12):
            t.step()
            expected.append(t.network.loss(t.params, X, T, "bce"))
        h = t.loss_history()
        assert len(h) == 13
        np.testing.assert_array_equal(h, expected)
        assert t.current_loss() == expected[-1] == t.snapshot().loss


def test_same_seed_same_numbers_other_seed_other_numbers():
    X, T = blobs()
    a, b, c = make(X, T, batch_size=5, seed=7), make(X, T, batch_size=5, seed=7), make(X, T, batch_size=5, seed=8)
    for t in (a, b, c):
        t.step(300)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.loss_history(), b.loss_history())
    assert not np.array_equal(a.params, c.params)


def test_minibatches_cover_each_sample_once_per_epoch():
    X, T = blobs(n=10)
    t = make(X, T, batch_size=3)  # batches of 3, 3, 3, 1
    seen = []
    for _ in range(4):
        t.step()
        seen.extend(t.snapshot().last_batch.tolist())
    assert sorted(seen) == list(range(10))
    assert t.epoch == 1 and t.step_count == 4
    t.step(4)
    assert t.epoch == 2


def test_shuffle_false_keeps_the_order():
    X, T = blobs(n=6)
    t = make(X, T, batch_size=2, shuffle=False)
    batches = []
    for _ in range(3):
        t.step()
        batches.append(t.snapshot().last_batch.tolist())
    assert batches == [[0, 1], [2, 3], [4, 5]]


def _state(t):
    return (t.params.copy(), t.optimizer.state()["velocity"], t.step_count, t.epoch, t.loss_history().copy(), t.settings)


def _assert_same_state(a, b):
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[2:4] == b[2:4]
    np.testing.assert_array_equal(a[4], b[4])
    assert a[5] == b[5]


@pytest.mark.parametrize("batch", [0, 7])
def test_rewind_lands_on_exactly_the_first_pass(batch):
    X, T = blobs()
    t = make(X, T, batch_size=batch)
    states = {}
    for target in (0, 1, 63, 64, 65, 137, 500):
        t.step(target - t.step_count)
        states[target] = _state(t)
    t.step(300)
    for target in (500, 137, 65, 64, 63, 1, 0):
        t.rewind(target)
        _assert_same_state(_state(t), states[target])
    # and forward again from the start gives the same run
    t.step(500)
    _assert_same_state(_state(t), states[500])


def test_rewind_replays_settings_changes_and_weight_edits():
    X, T = blobs()
    t = make(X, T, batch_size=6)
    t.step(40)
    t.change_settings(learning_rate=0.1, momentum=0.5)
    t.step(30)
    t.set_param(3, 0.25)
    edited = _state(t)
    t.step(30)
    t.change_settings(batch_size=0)
    t.step(20)
    final = _state(t)
    t.rewind(70)
    _assert_same_state(_state(t), edited)
    assert t.params[3] == 0.25
    # the future was discarded: the settings are those of step 70
    assert t.settings.learning_rate == 0.1 and t.settings.batch_size == 6
    t.step(30)
    t.change_settings(batch_size=0)
    t.step(20)
    _assert_same_state(_state(t), final)
    t.rewind(39)
    assert t.settings.learning_rate == 0.5


def test_switching_between_minibatches_and_full_batch_replays_exactly():
    """A full-batch step is a whole epoch: the next minibatch starts a fresh epoch, so a run that
    mixes them is the same on replay (and after a save) as on the first pass."""
    X, T = blobs()
    t = make(X, T, batch_size=6)
    t.step(2)  # mid-epoch
    t.change_settings(batch_size=0)
    t.step(3)
    assert t.position == 0
    t.change_settings(batch_size=6)
    t.step(5)
    first = _state(t)
    t.rewind(1)
    t.step(1)
    t.change_settings(batch_size=0)
    t.step(3)
    t.change_settings(batch_size=6)
    t.step(5)
    _assert_same_state(_state(t), first)


def test_an_edit_changes_the_current_loss_entry(xor_data):
    X, T = xor_data
    t = make(*xor_data)
    t.step(5)
    before = t.current_loss()
    t.set_param(0, 3.0)
    after = t.current_loss()
    assert after != before
    assert after == t.network.loss(t.params, X, T, "bce")
    assert len(t.loss_history()) == 6


def test_reset_restores_step_zero_and_the_scenario_settings(xor_data):
    t = make(*xor_data)
    first = _state(t)
    t.step(100)
    t.change_settings(learning_rate=2.0)
    t.reset()
    _assert_same_state(_state(t), first)


def test_settings_changes_are_checked(xor_data):
    t = make(*xor_data)
    for bad in (dict(learning_rate=0), dict(momentum=1.0), dict(batch_size=5), dict(loss="cce"), dict(l2=-1), dict(nope=1)):
        with pytest.raises(ValueError):
            t.change_settings(**bad)
    assert t.settings.learning_rate == 0.5


@pytest.mark.parametrize("batch", [0, 2])
def test_divergence_stops_the_run_without_warnings(xor_data, batch):
    X, T = xor_data
    net = Network(2, [LayerSpec(4, "relu"), LayerSpec(1, "linear")])
    t = Trainer(net, X, T, Settings(loss="mse", learning_rate=1e6, momentum=0.9, batch_size=batch),
                net.init_params("normal", 1.0, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        taken = t.step(1000)
        snap = t.snapshot()
    assert t.diverged and snap.diverged
    assert taken < 1000 and t.step_count == taken == t.diverged_at
    h = t.loss_history()
    assert len(h) == t.step_count + 1
    assert not np.isfinite(h[-1]) or not np.isfinite(t.params).all()
    assert np.all(np.isfinite(h[:-1]))
    assert t.step(10) == 0
    # stepping back recovers a finite state, and a smaller learning rate trains on
    t.rewind(0)
    assert not t.diverged
    t.change_settings(learning_rate=0.01)
    assert t.step(50) == 50 and np.isfinite(t.current_loss())


def test_snapshot_is_consistent_and_read_only(xor_data):
    X, T = xor_data
    t = make(*xor_data)
    t.step(25)
    snap = t.snapshot()
    full = t.network.evaluate(t.params, X, T, "bce")
    np.testing.assert_array_equal(snap.grad, full.grad)
    np.testing.assert_array_equal(snap.layers[0].dW, full.grad[:4].reshape(2, 2))
    np.testing.assert_array_equal(snap.layers[1].z, snap.outputs)
    np.testing.assert_array_equal(snap.layers[0].z, full.z[1])
    np.testing.assert_array_equal(snap.layers[1].delta, full.delta[1])
    # dE/dW = z_prev^T delta, the chain rule the views explain
    np.testing.assert_allclose(snap.layers[1].dW, snap.layers[0].z.T @ snap.layers[1].delta, rtol=1e-12)
    assert snap.step == 25 and snap.epoch == 25 and snap.loss == t.loss_history()[-1]
    with pytest.raises(ValueError):
        snap.layers[0].W[0, 0] = 1.0
    t.step()
    assert snap.step == 25 and t.snapshot() is not snap and t.snapshot() is t.snapshot()


def test_memory_stays_bounded(monkeypatch, xor_data):
    monkeypatch.setattr(trainer_module, "CHECKPOINT_EVERY", 4)
    t = make(*xor_data)
    t.timeline.max_checkpoints = 16
    t.step(20_000)
    assert len(t.timeline.checkpoints) <= 16
    steps = [c.step for c in t.timeline.checkpoints]
    assert steps[0] == 0 and steps == sorted(steps) and steps[-1] == 20_000
    # spread geometrically: a rewind replays a number of steps that grows with its distance, not with the run
    for distance in (1, 10, 100, 1000, 10_000, 19_999):
        target = 20_000 - distance
        replayed = target - max(s for s in steps if s <= target)
        assert replayed <= 2 * distance + 8, (distance, replayed)
    assert t.loss_history().nbytes <= 8 * 20_001
    # and rewinding into the thinned past is still exact
    fresh = make(*xor_data)
    fresh.step(5_003)
    t.rewind(5_003)
    np.testing.assert_array_equal(t.params, fresh.params)


@pytest.mark.slow
@pytest.mark.parametrize("target", [600, 1000, 1001, 3000, 9000, 12_000])
def test_rewind_across_settings_events_with_minibatches_is_the_first_pass(monkeypatch, xor_data, target):
    """Past the checkpoint thinning, a rewind replays the events from an older checkpoint:
    the whole loss history and the parameters must be those of the first pass."""
    monkeypatch.setattr(timeline, "MAX_CHECKPOINTS", 8)

    def first_pass():
        t = make(*xor_data, batch_size=2)
        t.step(1000)
        t.change_settings(learning_rate=0.2, loss="mse")
        t.step(5000)
        t.set_param(2, 0.75)
        t.step(7000)
        return t

    reference = first_pass()
    history, params = reference.loss_history().copy(), reference.params.copy()
    t = first_pass()
    assert 1000 not in [c.step for c in t.timeline.checkpoints]  # the event's own checkpoint was thinned away
    t.rewind(target)
    np.testing.assert_array_equal(t.loss_history(), history[: target + 1])
    # forward again, redoing the events the rewind discarded
    for step, change in ((1000, lambda: t.change_settings(learning_rate=0.2, loss="mse")),
                         (6000, lambda: t.set_param(2, 0.75))):
        if step > target:  # events up to the target stay in the history; later ones were discarded
            t.step(step - t.step_count)
            change()
    t.step(13_000 - t.step_count)
    np.testing.assert_array_equal(t.loss_history(), history)
    np.testing.assert_array_equal(t.params, params)
    assert t.current_loss() == history[-1]


@pytest.mark.slow
def test_a_bounded_history_folds_the_past_and_rewinds_exactly(xor_data):
    limit = 4096
    t = make(*xor_data, batch_size=2)
    t.limit_history(limit)
    full = make(*xor_data, batch_size=2)
    t.step(50_000)
    full.step(50_000)
    whole = full.loss_history()
    h = t.history
    assert h.folded and h.end == 50_001 and len(h.exact()) <= limit
    np.testing.assert_array_equal(h.exact(), whole[h.start:])  # the recent past, every step exactly
    starts, counts, means = h.blocks()
    assert counts.sum() == h.start and np.array_equal(starts, np.concatenate([[0], np.cumsum(counts)[:-1]]))
    assert (means * counts).sum() == pytest.approx(whole[: h.start].sum(), rel=1e-12)
    with pytest.raises(ValueError, match="only kept as averages"):
        t.loss_history()
    # the plot sees the whole run
    xs, ys = t.loss_curve(400)
    assert len(xs) <= 400 and xs[0] < 200 and xs[-1] > 49_800
    # rewinding into the folded past measures the loss there again, exactly, and goes on exactly
    t.rewind(1234)
    assert t.current_loss() == whole[1234] and t.history.end == 1235
    t.step(50_000 - 1234)
    np.testing.assert_array_equal(t.params, full.params)
    np.testing.assert_array_equal(t.history.exact(), whole[t.history.start:])


def test_loss_curve_downsamples(xor_data):
    t = make(*xor_data)
    t.step(999)
    xs, ys = t.loss_curve(100)
    assert len(xs) <= 100 and len(xs) == len(ys)
    h = t.loss_history()
    # exact losses at steps spread over the whole run, the current one last
    np.testing.assert_array_equal(ys, h[xs.astype(int)])
    assert xs[0] < 10 and xs[-1] == 999 and np.all(np.diff(xs) <= 20)
    xs, ys = t.loss_curve(5000)
    np.testing.assert_array_equal(ys, h)


def test_clone_is_independent_and_identical(xor_data):
    t = make(*xor_data)
    t.step(30)
    c = t.clone()
    np.testing.assert_array_equal(c.params, t.params)
    c.step(10)
    assert t.step_count == 30 and c.step_count == 40
    t.step(10)
    np.testing.assert_array_equal(c.params, t.params)
    c.rewind(5)
    assert t.step_count == 40


def test_trajectory_is_the_params_at_each_step():
    X, T = blobs()
    t = make(X, T, batch_size=6)
    recorded = [t.params[[0, 5]].copy()]
    for i in range(40):
        if i == 20:
            t.change_settings(learning_rate=0.1)
        t.step()
        recorded.append(t.params[[0, 5]].copy())
    steps, values = t.trajectory([0, 5], since=10)
    np.testing.assert_array_equal(steps, np.arange(10, 41))
    np.testing.assert_array_equal(values, np.array(recorded[10:]))
    assert t.step_count == 40  # the trainer itself did not move
