"""Every optimiser against an update written out by hand in NumPy, and its state round trip."""

import numpy as np
import pytest

from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.engine.optimizers import OPTIMIZERS


def reference_sgd(grads, settings):
    """Δw(t) = −η g + α Δw(t−1), the updates one after another."""
    velocity = np.zeros_like(grads[0])
    for g in grads:
        velocity = -settings.learning_rate * g + settings.momentum * velocity
        yield velocity


REFERENCES = {"sgd": reference_sgd}


def test_every_optimizer_has_a_reference():
    assert set(REFERENCES) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_updates_follow_the_reference_and_peek_is_the_next_step(name, momentum):
    rng = np.random.default_rng(4)
    grads = [rng.normal(size=7) for _ in range(20)]
    settings = Settings(learning_rate=0.3, momentum=momentum)
    optimizer = OPTIMIZERS[name](7)
    for g, expected in zip(grads, REFERENCES[name](grads, settings)):
        peeked = optimizer.peek(g, settings).copy()
        update = optimizer.step(g, settings)
        np.testing.assert_allclose(update, expected, rtol=1e-13, atol=1e-16)
        np.testing.assert_array_equal(peeked, update)  # "the next update" is the update that happens


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_is_one_value_that_round_trips(name):
    settings = Settings(learning_rate=0.1, momentum=0.5)
    a = OPTIMIZERS[name](3)
    a.step(np.array([1.0, -2.0, 3.0]), settings)
    b = OPTIMIZERS[name](3)
    b.load_state(a.state())
    clone = a.clone()
    g = np.array([0.5, 0.5, -1.0])
    expected = a.step(g, settings).copy()
    np.testing.assert_array_equal(b.step(g, settings), expected)
    np.testing.assert_array_equal(clone.step(g, settings), expected)
    with pytest.raises(ValueError):
        b.load_state({key: np.zeros(4) for key in b.state_names})
    with pytest.raises(ValueError):
        b.load_state({"nope": np.zeros(3)})


def test_the_trainer_adds_the_optimizers_update_to_the_parameters(xor_data):
    X, T = xor_data
    net = Network(2, [LayerSpec(3, "tanh"), LayerSpec(1, "sigmoid")])
    settings = Settings(loss="bce", learning_rate=0.5, momentum=0.8)
    start = net.init_params("normal", 0.5, 2)
    t = Trainer(net, X, T, settings, start)
    grads = []
    for _ in range(30):
        grads.append(net.evaluate(t.params, X, T, "bce").grad)
        before = t.params.copy()
        t.step()
        np.testing.assert_array_equal(t.snapshot().update, t.last_update)
        np.testing.assert_allclose(t.last_update, t.params - before, rtol=1e-12, atol=1e-15)
    expected = start.copy()
    for update in reference_sgd(grads, settings):
        expected = expected + update
    np.testing.assert_allclose(t.params, expected, rtol=1e-12)


@pytest.mark.parametrize("batch_size,l2", [(0, 0.0), (2, 0.0), (3, 0.1)])
def test_the_snapshots_next_batch_and_update_are_what_the_next_step_does(batch_size, l2):
    """What the screen calls "the next update" is the update that happens: its batch, its gradient."""
    rng = np.random.default_rng(1)
    X, T = rng.normal(size=(7, 2)), rng.uniform(0, 1, size=(7, 1))
    net = Network(2, [LayerSpec(3, "tanh"), LayerSpec(1, "sigmoid")])
    settings = Settings(loss="bce", learning_rate=0.5, momentum=0.8, batch_size=batch_size, l2=l2)
    t = Trainer(net, X, T, settings, net.init_params("normal", 0.5, 2), seed=5)
    for _ in range(12):  # across epochs, with a smaller last batch
        snap = t.snapshot()
        before = t.params.copy()
        t.step()
        np.testing.assert_array_equal(snap.next_batch, t.snapshot().last_batch if batch_size else np.arange(7))
        np.testing.assert_array_equal(t.last_update, snap.next_update)
        np.testing.assert_array_equal(t.params, before + snap.next_update)
