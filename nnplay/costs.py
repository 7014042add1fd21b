"""The cost calculator's numbers: every loss of the registry, and its derivative, for one target and
prediction typed in (``costs``), and each as the prediction moves (``cost_curves``).

Pure NumPy, loaded when the learner first opens the calculator (C): the first frame does without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.losses import EPS, LOSSES
from .figures import padded_range, spaced


@dataclass(frozen=True, eq=False)
class Cost:
    loss: str
    value: float
    derivative: np.ndarray    # dE/dy for each output
    note: str = ""


def _output_for(loss_name: str, y: np.ndarray) -> tuple[str, np.ndarray]:
    """The output activation a loss is computed for in the cost calculator, and the pre-activation u
    that gives ``y``: a loss made for softmax outputs reads u (log y); any other reads y itself."""
    outputs = LOSSES[loss_name].outputs
    if outputs is not None and outputs[0] == "softmax" and "sigmoid" not in outputs:
        return "softmax", np.log(np.clip(y, EPS, None))
    return "linear", y


def _sample(target, prediction) -> tuple[np.ndarray, np.ndarray]:
    """One sample's target and prediction (numbers or vectors) as rows of the same shape, checked."""
    t = np.atleast_1d(np.asarray(target, dtype=float)).reshape(1, -1)
    y = np.atleast_1d(np.asarray(prediction, dtype=float)).reshape(1, -1)
    if t.shape != y.shape:
        raise ValueError("the target and the prediction need the same number of values")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("the numbers must be finite")
    return t, y


def _cost(name: str, t: np.ndarray, y: np.ndarray) -> Cost:
    """Loss ``name`` and its derivative for one sample (rows ``t`` and ``y``): nan and a note where it has none."""
    loss = LOSSES[name]
    with np.errstate(all="ignore"):
        problem = loss.prediction_problem(y, t)
        if problem is not None:
            return Cost(name, float("nan"), np.full(t.shape[1], np.nan), problem)
        note = "y clipped to [1e-12, 1 − 1e-12]" if loss.probabilities and not np.all((y > 0) & (y < 1)) else ""
        activation, u = _output_for(name, y)
        return Cost(name, loss.value(activation, u, y, t), loss.gradient(y, t)[0], note)


def costs(target, prediction) -> list[Cost]:
    """Every loss of ``LOSSES``, and its derivative dE/dy, for one sample: a target and a prediction
    (numbers or vectors). A loss that has no value for them has nan and a note that says why."""
    t, y = _sample(target, prediction)
    return [_cost(name, t, y) for name in LOSSES]


@dataclass(frozen=True, eq=False)
class CostCurve:
    loss: str
    values: np.ndarray    # E at each prediction of CostCurves.xs
    current: float        # E at the prediction entered: costs()' value


@dataclass(frozen=True, eq=False)
class CostCurves:
    """Every loss that has a value for the sample entered, as its prediction moves along one axis: the
    output itself (one output), or the probability p of the target's class, the other classes sharing
    1 − p as they do in the prediction entered (a probability for each class)."""

    axis: str             # what moves: "y" or "p(class k)"
    xs: np.ndarray        # its values, the entered one among them or between two
    current: float        # its value in the prediction entered
    curves: tuple[CostCurve, ...]
    note: str = ""        # why there are no curves


def cost_curves(target, prediction, points: int = 99) -> CostCurves:
    """``CostCurves`` for one sample, each point's loss computed as ``costs`` computes the entered one."""
    t, y = _sample(target, prediction)
    probabilities = bool(np.all((t >= 0) & (t <= 1)) and np.all((y >= 0) & (y <= 1)))
    if t.shape[1] == 1:
        axis, x, target_value = "y", float(y[0, 0]), float(t[0, 0])
        with np.errstate(over="ignore"):  # the mirror image of x beyond 1e308 is inf: dropped by padded_range
            mirror = target_value - 2 * (x / 2 - target_value / 2)
        # probabilities: most of (0, 1); other numbers: around the target, on both sides
        lo, hi = (min(0.01, x), max(0.99, x)) if probabilities else padded_range(np.array([x, target_value, mirror]), 0.25)
        xs = spaced(lo, hi, points)
        path = xs.reshape(-1, 1)
    elif probabilities and abs(float(y.sum()) - 1) < 1e-6:
        k = int(np.argmax(t[0]))
        axis, x = f"p(class {k + 1})", float(y[0, k])
        xs = spaced(min(0.01, x), max(0.99, x), points)
        others = np.delete(y[0], k)
        share = others / others.sum() if others.sum() > 0 else np.full(others.size, 1 / others.size)
        path = np.insert(np.outer(1 - xs, share), k, xs, axis=1)
    else:
        return CostCurves("y", np.empty(0), float("nan"), (), "curves for one output, or for a probability per class")
    curves = []
    for name in LOSSES:
        entered = _cost(name, t, y)
        if np.isfinite(entered.value):
            values = np.array([_cost(name, t, row.reshape(1, -1)).value for row in path])
            curves.append(CostCurve(name, values, entered.value))
    return CostCurves(axis, xs, x, tuple(curves))
