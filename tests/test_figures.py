"""The figures the panes show, against the engine's numbers."""

import numpy as np
import pytest

from nnplay import costs, explain, figures
from nnplay.engine.losses import LOSSES
from nnplay.figures import param_order
from nnplay.scenario import load


def trained(name, steps=37):
    s = load(name)
    t = s.make_trainer()
    t.step(steps)
    return s, t, t.snapshot()


@pytest.mark.parametrize("name", ["xor", "bump", "sentiment", "spiral"])
def test_chain_rule_product_is_backprops_gradient_for_every_parameter(name):
    s, t, snap = trained(name)
    for index in param_order(t.network):
        rule = explain.chain_rule(snap, t.network, index, sample=1)
        np.testing.assert_array_equal(rule.batch, snap.next_batch)
        assert float(rule.products.sum()) + rule.l2_term == pytest.approx(float(snap.next_grad[index]), rel=1e-9, abs=1e-15)
        assert rule.gradient == float(snap.next_grad[index])
        if len(rule.batch) == len(snap.inputs):  # full batch: the gradient of the loss on screen
            assert rule.gradient == pytest.approx(float(snap.grad[index]), rel=1e-9, abs=1e-15)
        np.testing.assert_allclose(rule.products, rule.delta * rule.z_source)


def minibatch_runs():
    """(trainer, snapshot) on minibatches: the spiral as it comes, and XOR after k (batch size 2)."""
    s = load("spiral")
    spiral = s.make_trainer()
    spiral.step(23)  # mid-epoch: 45 samples in batches of 9
    xor = load("xor").make_trainer()
    xor.step(7)
    xor.change_settings(batch_size=2)
    xor.step(3)  # the second batch of an epoch
    return [spiral, xor]


@pytest.mark.parametrize("which", [0, 1], ids=["spiral", "xor-after-k"])
def test_with_minibatches_the_chain_rule_sums_over_the_next_batch_and_its_update_happens(which):
    t = minibatch_runs()[which]
    for _ in range(6):  # across the end of an epoch too
        snap = t.snapshot()
        assert 0 < len(snap.next_batch) < len(snap.inputs)
        rules = {i: explain.chain_rule(snap, t.network, i, sample=int(snap.next_batch[-1]))
                 for i in param_order(t.network)}
        before = t.params.copy()
        t.step()
        for index, rule in rules.items():
            np.testing.assert_array_equal(rule.batch, snap.next_batch)
            # the table's rows are the batch's samples: their δ·z add up to the gradient the step uses
            assert float(rule.products.sum()) + rule.l2_term == pytest.approx(float(snap.next_grad[index]),
                                                                               rel=1e-9, abs=1e-15)
            assert rule.sample == snap.next_batch[-1] and rule.row == len(snap.next_batch) - 1
            # and "next update" is what the step added (to rounding: (w + Δw) − w)
            assert t.params[index] - before[index] == pytest.approx(rule.update.value, rel=1e-9, abs=1e-15)
            assert t.params[index] == before[index] + rule.update.value
            assert not rule.update.full_batch and rule.update.batch_size == len(snap.next_batch)


def test_a_sample_outside_the_batch_expands_the_batchs_first():
    spiral = minibatch_runs()[0]
    snap = spiral.snapshot()
    outside = next(i for i in range(len(snap.inputs)) if i not in snap.next_batch)
    rule = explain.chain_rule(snap, spiral.network, 0, sample=outside)
    assert rule.row == 0 and rule.sample == snap.next_batch[0]


@pytest.mark.parametrize("name", ["xor", "bump", "spiral"])
def test_the_expanded_delta_is_the_delta(name):
    s, t, snap = trained(name)
    for index in param_order(t.network):
        rule = explain.chain_rule(snap, t.network, index, sample=int(snap.next_batch[-1]))
        d = rule.delta[rule.row]
        if rule.is_output and rule.dE_dy is not None:
            assert rule.dE_dy * rule.f_prime == pytest.approx(d, rel=1e-9, abs=1e-15)
        elif not rule.is_output:
            assert rule.f_prime * rule.back_sum == pytest.approx(d, rel=1e-9, abs=1e-15)
            assert rule.back_sum == pytest.approx(float(rule.next_deltas @ rule.next_weights))


def test_softmax_output_delta_is_y_minus_t_over_the_batch():
    s, t, snap = trained("spiral")
    net = t.network
    index = net.index_of(1, "W", (0, 2))
    sample = int(snap.next_batch[4])
    rule = explain.chain_rule(snap, net, index, sample=sample)
    assert rule.dE_dy is None and rule.f_prime is None and rule.row == 4
    n = len(snap.next_batch)
    y = net.predict(snap.params, snap.inputs[sample:sample + 1])[0, 2]
    assert rule.delta[4] == pytest.approx((y - snap.targets[sample, 2]) / n)


def test_the_update_shown_is_the_update_applied():
    s = load("xor")
    t = s.make_trainer()
    t.step(12)
    snap = t.snapshot()
    index = t.network.index_of(0, "W", (1, 0))
    rule = explain.chain_rule(snap, t.network, index)
    before = t.params[index]
    t.step()
    assert t.params[index] - before == pytest.approx(rule.update.value, rel=1e-9)
    u = rule.update
    line = u.lines[-1]  # sgd's one line: Δw = −η·g + α·Δw_prev, with its numbers
    assert line.symbol == "Δw" and line.values["η"] == u.learning_rate and line.values["g"] == u.gradient
    assert u.full_batch and u.value == pytest.approx(-u.learning_rate * u.gradient
                                                     + line.values["α"] * line.values["Δw_prev"])


def test_l2_term_is_included():
    s = load("xor")
    t = s.make_trainer()
    t.change_settings(l2=0.05)
    t.step(3)
    snap = t.snapshot()
    rule = explain.chain_rule(snap, t.network, 0)
    assert rule.l2_term == pytest.approx(0.05 * snap.params[0])
    assert rule.gradient == pytest.approx(float(snap.grad[0]))
    assert float(rule.products.sum()) + rule.l2_term == pytest.approx(rule.gradient)
    bias = explain.chain_rule(snap, t.network, t.network.n_weights)
    assert bias.l2_term == 0 and np.all(bias.z_source == 1)


@pytest.mark.parametrize("name", ["xor", "sentiment", "spiral"])
def test_nudge_slope_agrees_with_backprop(name):
    s, t, snap = trained(name)
    for index in param_order(t.network)[:12]:
        nudge = explain.nudge(snap, t.network, index)
        assert nudge.loss == snap.loss
        assert nudge.slope == pytest.approx(nudge.gradient, rel=1e-4, abs=1e-8)


def test_sweep_passes_through_the_current_loss_and_goes_downhill():
    s, t, snap = trained("bump", 50)
    index = t.network.index_of(1, "b", (0,))
    sweep = explain.loss_along(snap, t.network, index, points=61)
    middle = len(sweep.values) // 2
    assert sweep.values[middle] == pytest.approx(sweep.current)
    assert sweep.losses[middle] == pytest.approx(snap.loss, rel=1e-12)
    # a small step against the gradient lowers the loss
    step = -1e-3 * np.sign(sweep.gradient)
    p = snap.params.copy()
    p[index] += step
    assert t.network.loss(p, snap.inputs, snap.targets, "sse") < snap.loss
    # the output bias enters sse as a parabola: its minimum is where dE/db = 0
    best = sweep.values[np.argmin(sweep.losses)]
    assert np.sign(best - sweep.current) == -np.sign(sweep.gradient)


def test_surface_at_the_current_point_is_the_loss():
    s, t, snap = trained("xor", 20)
    surface = explain.loss_surface(snap, t.network, 0, 1, cols=5, rows=3)
    assert surface.losses[1, 2] == pytest.approx(snap.loss, rel=1e-12)
    assert surface.a_values[2] == pytest.approx(snap.params[0]) and surface.b_values[1] == pytest.approx(snap.params[1])
    assert surface.b_values[0] > surface.b_values[-1]


def test_costs_for_a_confident_mistake():
    good = {c.loss: c for c in costs.costs(0, 0.003)}
    bad = {c.loss: c for c in costs.costs(0, 0.997)}
    assert good["bce"].value == pytest.approx(-np.log(0.997))
    assert bad["bce"].value == pytest.approx(-np.log(0.003))
    assert bad["bce"].derivative[0] == pytest.approx(1 / 0.003)
    assert bad["mse"].value == pytest.approx(0.997 ** 2) and bad["mse"].derivative[0] == pytest.approx(2 * 0.997)
    assert bad["mae"].value == pytest.approx(0.997) and bad["mae"].derivative[0] == 1
    assert bad["sse"].value == pytest.approx(0.5 * 0.997 ** 2)
    assert np.isnan(bad["cce"].value) and "probabilities" in bad["cce"].note
    vector = {c.loss: c for c in costs.costs([0, 1, 0], [0.2, 0.7, 0.1])}
    assert vector["cce"].value == pytest.approx(-np.log(0.7))
    np.testing.assert_allclose(vector["cce"].derivative, [0, -1 / 0.7, 0])
    with pytest.raises(ValueError):
        costs.costs([0, 1], [0.5])


def test_unit_maps_are_the_hidden_activations_on_the_plane():
    s, t, snap = trained("spiral", 10)
    maps = figures.unit_maps(t.network, snap.params, snap.inputs, cols=6, rows=4)
    assert len(maps) == 16 and maps[3][:2] == (0, 3)
    from nnplay.figures import padded_range
    (x0, _), (_, y1) = padded_range(snap.inputs[:, 0]), padded_range(snap.inputs[:, 1])
    Ws, bs = t.network.unflatten(snap.params)
    z = np.maximum(np.array([[x0, y1]]) @ Ws[0] + bs[0], 0)
    assert maps[3][2][0, 0] == pytest.approx(z[0, 3])


def test_the_cost_calculator_lists_every_loss_of_the_engine():
    assert [c.loss for c in costs.costs([0, 1], [0.3, 0.7])] == list(LOSSES)
    outside = {c.loss: c for c in costs.costs(2, 0.5)}
    assert outside["bce"].note == LOSSES["bce"].prediction_problem(np.array([[0.5]]), np.array([[2.0]]))
    assert np.isnan(outside["bce"].value) and np.isfinite(outside["mse"].value)


def test_the_next_update_is_the_optimisers():
    s, t, snap = trained("spiral", 5)
    index = t.network.index_of(0, "W", (1, 2))
    rule = explain.chain_rule(snap, t.network, index)
    assert rule.update.value == float(snap.next_update[index])
