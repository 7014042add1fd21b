"""The small pictures the posts draw: rise over run closing in on the tangent, and the cost calculator's curves."""

import math

import numpy as np
import pytest

from nnplay import costs, explain, figures
from nnplay.explain import NUDGES
from nnplay.scenario import load


def trained(name, steps):
    t = load(name).make_trainer()
    t.step(steps)
    return t, t.snapshot()


def errors(nudge: explain.Nudge) -> np.ndarray:
    return np.array([abs(s.slope - nudge.gradient) for s in nudge.secants])


def rounding(nudge: explain.Nudge) -> float:
    """The most that rounding E(w ± h) to doubles can move the finest slope: a few ulps of E over 2h."""
    return 4 * np.finfo(float).eps * abs(nudge.loss) / nudge.finest.h


def closes_in_as_h_squared(nudge: explain.Nudge, err: np.ndarray) -> bool:
    """A hundred times smaller an error for each ten times smaller a nudge (h¹ would give 10, h³ 1000) down to
    h = 0.001; the finest nudge, where rounding starts to count, no worse."""
    ratios = err[:3] / err[1:4]
    return bool(np.all((ratios > 30) & (ratios < 300)) and err[4] <= err[3] / 30 + rounding(nudge))


def test_the_nudges_go_down_by_tens_from_a_secant_across_the_sweep():
    assert NUDGES[0] == 1 and all(a / b == pytest.approx(10) for a, b in zip(NUDGES, NUDGES[1:]))


def test_xor_secants_close_in_on_backprops_tangent_as_h_squared():
    """Sigmoids and bce: the loss is smooth in every parameter, so central differences err by about h² E'''/6."""
    t, snap = trained("xor", 200)
    for index in range(t.network.n_params):
        nudge = explain.nudge(snap, t.network, index)
        assert [s.h for s in nudge.secants] == list(NUDGES)
        err = errors(nudge)
        assert closes_in_as_h_squared(nudge, err), (index, err)


def test_spiral_secants_close_in_on_backprops_tangent():
    """Softmax and cce: smooth in an output weight (h²), while a hidden weight feeds ReLUs, whose kinks a wide
    nudge straddles: its secants still close in, and once ±h holds no kink, by h² too."""
    t, snap = trained("spiral", 100)
    network = t.network
    output = explain.nudge(snap, network, network.index_of(1, "W", (2, 1)))
    err = errors(output)
    assert closes_in_as_h_squared(output, err), err
    hidden = explain.nudge(snap, network, network.index_of(0, "W", (0, 0)))
    err = errors(hidden)
    assert np.all(np.diff(err) < 0), err  # every smaller nudge is closer
    assert err[-1] < 1e-6 * err[0] and err[-1] <= err[-2] / 30 + rounding(hidden)


def test_a_secant_is_rise_over_run_of_the_whole_set_loss():
    t, snap = trained("xor", 50)
    index = t.network.index_of(0, "W", (1, 0))
    s = explain.secant(snap, t.network, index, 0.1)
    p = snap.params.copy()
    losses = []
    for w in (snap.params[index] - 0.1, snap.params[index] + 0.1):
        p[index] = w
        losses.append(t.network.loss(p, snap.inputs, snap.targets, snap.settings.loss, snap.settings.l2))
    assert (s.loss_minus, s.loss_plus) == (losses[0], losses[1])
    assert s.slope == (losses[1] - losses[0]) / 0.2


def test_the_widest_secant_cuts_the_curve_it_is_drawn_on_at_its_ends():
    """The sweep spans w ± max(1, |w|): for |w| ≤ 1 its ends are w ± 1, the points the h = 1 secant joins."""
    t, snap = trained("bump", 50)
    index = t.network.index_of(0, "W", (0, 0))
    assert abs(snap.params[index]) <= 1
    nudge = explain.nudge(snap, t.network, index)
    widest = nudge.secants[0]
    assert nudge.sweep.values[[0, -1]] == pytest.approx(snap.params[index] + np.array([-1, 1]))
    assert (widest.loss_minus, widest.loss_plus) == pytest.approx((nudge.sweep.losses[0], nudge.sweep.losses[-1]),
                                                                  rel=1e-12)
    assert nudge.sweep.current == snap.params[index] and nudge.loss == snap.loss


def test_the_nudge_check_gives_up_when_no_longer_wanted():
    t, snap = trained("xor", 0)
    with pytest.raises(figures.Stopped):
        explain.nudge(snap, t.network, 0, stop=lambda: True)


# -- the cost calculator's curves ---------------------------------------------------------------------------


def curves_of(target, prediction) -> tuple[costs.CostCurves, dict[str, costs.CostCurve]]:
    c = costs.cost_curves(target, prediction)
    return c, {curve.loss: curve for curve in c.curves}


@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_the_bce_curve_is_the_cross_entropy_of_the_target_entered(target):
    c, by = curves_of(target, 0.3)
    assert c.axis == "y" and c.current == 0.3 and c.xs.min() <= 0.3 <= c.xs.max()
    y = c.xs
    np.testing.assert_allclose(by["bce"].values, -(target * np.log(y) + (1 - target) * np.log(1 - y)), rtol=1e-12)
    np.testing.assert_allclose(by["mse"].values, (y - target) ** 2, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(by["sse"].values, (y - target) ** 2 / 2, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(by["mae"].values, abs(y - target), rtol=1e-12)
    assert "cce" not in by  # one output: no softmax's classes
    assert by["bce"].current == pytest.approx(-(target * math.log(0.3) + (1 - target) * math.log(0.7)), rel=1e-12)


def test_the_prediction_marked_is_the_tables():
    c, by = curves_of([0, 1, 0], [0.2, 0.7, 0.1])
    table = {cost.loss: cost.value for cost in costs.costs([0, 1, 0], [0.2, 0.7, 0.1])}
    assert {name: curve.current for name, curve in by.items()} == table


def test_with_classes_the_cross_entropy_is_minus_log_p_of_the_right_class():
    c, by = curves_of([0, 1, 0], [0.2, 0.7, 0.1])
    assert c.axis == "p(class 2)" and c.current == 0.7
    p = c.xs
    np.testing.assert_allclose(by["cce"].values, -np.log(p), rtol=1e-12)
    # the other classes share 1 − p as 0.2 : 0.1 do
    others = np.column_stack([(1 - p) * 2 / 3, (1 - p) / 3])
    np.testing.assert_allclose(by["mae"].values, (abs(p - 1) + others.sum(axis=1)) / 3, rtol=1e-12)
    assert set(by) == {"mse", "sse", "mae", "bce", "cce"}


def test_numbers_that_are_not_probabilities_get_the_curves_that_apply_centred_on_the_target():
    c, by = curves_of(3, 2.5)
    assert set(by) == {"mse", "sse", "mae"}
    assert c.xs[0] + c.xs[-1] == pytest.approx(6) and c.xs[0] < 2.5
    assert by["mse"].values.argmin() in (len(c.xs) // 2 - 1, len(c.xs) // 2, len(c.xs) // 2 + 1)


def test_several_outputs_that_are_not_probabilities_have_no_curve_and_say_why():
    c = costs.cost_curves([0, 1], [0.5, 0.2])
    assert c.curves == () and "one output" in c.note
    with pytest.raises(ValueError, match="same number"):
        costs.cost_curves([0, 1], [0.5])


@pytest.mark.parametrize("target, prediction", [(1e300, -1e300), (0, 1e200), (-1e300, 1e300)])
def test_huge_numbers_get_curves_over_a_finite_range(target, prediction):
    c, by = curves_of(target, prediction)
    assert np.all(np.isfinite(c.xs)) and c.xs[0] <= prediction <= c.xs[-1]
    # a curve for each loss the table gives a number (a square beyond the doubles has none)
    assert set(by) == {cost.loss for cost in costs.costs(target, prediction) if np.isfinite(cost.value)} >= {"mae"}


def test_numbers_whose_every_loss_overflows_have_no_curve():
    c = costs.cost_curves(-1e308, 1e308)  # mirrored about the target, 1e308 is beyond the doubles
    assert c.curves == () and not any(np.isfinite(cost.value) for cost in costs.costs(-1e308, 1e308))
