"""One iteration phase by phase: every number equals the step's own, bit for bit (forward z per layer, the
deltas, the gradient, the update), for full batches and minibatches and every optimiser, and the trainer is
left as it was."""

import numpy as np
import pytest

import nnplay
from nnplay.engine.optimizers import OPTIMIZERS
from nnplay.engine.phases import Phase, iteration, phase_index, phases


def _trainer(name, steps=3, **settings):
    t = nnplay.load(name).make_trainer()
    if settings:
        t.change_settings(**settings)
    t.step(steps)
    return t


def _check_against_step(t):
    """The iteration's numbers against the trainer's after the step it describes."""
    before = t.params.copy()
    it = iteration(t)
    assert np.array_equal(t.params, before)  # computing it moved nothing
    snap = t.snapshot()
    assert np.array_equal(it.batch, snap.next_batch)
    assert np.array_equal(it.grad, snap.next_grad)
    assert np.array_equal(it.update, snap.next_update)
    t.step(1)
    buf = t._buffers_for(len(it.batch))  # the step's own arrays, as it left them
    for k in range(len(it.u)):
        assert np.array_equal(it.u[k], buf.u[k])
        assert np.array_equal(it.z[k], buf.z[k])
        assert np.array_equal(it.delta[k], buf.delta[k])
    assert np.array_equal(it.grad, t.grad)
    assert np.array_equal(it.update, t.last_update)
    assert np.array_equal(before + it.update, t.params)
    return it


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_xor_every_optimizer_equals_the_step(optimizer):
    t = _trainer("xor", optimizer=optimizer)
    it = _check_against_step(t)
    snap_before = nnplay.load("xor").make_trainer()
    snap_before.change_settings(optimizer=optimizer)
    snap_before.step(3)
    snap = snap_before.snapshot()  # full batch: the forward pass is the snapshot's, to the bit
    for k, layer in enumerate(snap.layers):
        assert np.array_equal(it.z[k], layer.z)
        assert np.array_equal(it.delta[k], layer.delta)
    assert it.loss == snap.loss
    assert np.isclose(it.sample_losses.mean(), it.loss)  # bce: the mean of each sample's


@pytest.mark.parametrize("optimizer, steps, size", [("sgd", 1, 16), ("adam", 4, 16), ("adam", 5, 13)])
def test_spiral_minibatch_softmax_equals_the_step(optimizer, steps, size):
    t = _trainer("spiral", steps=steps, batch_size=16, optimizer=optimizer)
    it = _check_against_step(t)
    assert len(it.batch) == size  # at step 5, the epoch's shorter last batch (45 samples in batches of 16)
    assert np.isclose(it.sample_losses.mean(), it.loss)  # cce, no l2: the mean of each sample's


def test_dE_dz_is_delta_times_the_weights():
    t = _trainer("xor")
    it = iteration(t)
    W2 = t.network.unflatten(t.params)[0][1]
    assert np.array_equal(it.dE_dz[0], it.delta[1] @ W2.T)
    # sigmoid output: δ = dE/dy · y(1 − y) (bce: its gradient, clipped, agrees to rounding)
    y = it.z[-1]
    assert np.allclose(it.dE_dz[-1] * y * (1 - y), it.delta[-1])


def test_the_phases_in_order():
    p = phases(2)
    assert [x.kind for x in p] == ["forward", "forward", "loss", "backward", "backward", "gradients", "update"]
    assert [x.layer for x in p] == [0, 1, None, 1, 0, None, None]
    assert p[4].title(2) == "backward: deltas of layer 1"
    assert p[3].title(2) == "backward: deltas of the output layer"
    assert Phase("forward", 0).title(2) == "forward: layer 1"


@pytest.mark.parametrize("name, index", [("forward", 0), ("forward 2", 1), ("loss", 2), ("backward", 3),
                                         ("backward 1", 4), ("gradients", 5), ("update", 6),
                                         ("backward 3", None), ("sideways", None), ("loss 1", None), ("", None)])
def test_phase_names(name, index):
    assert phase_index(2, name) == index
