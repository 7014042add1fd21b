"""Backprop checked against central finite differences, parameter by parameter.

    numeric_i  = (E(w + h_i e_i) - E(w - h_i e_i)) / 2h_i,   h_i = h · max(1, |w_i|)
    rel. error = |analytic_i - numeric_i| / max(|analytic_i| + |numeric_i|, floor)

The step grows with the weight: at w = 1e11 a step of 1e-5 is below the
rounding of w itself, and the nudge would change nothing.

The floor keeps a gradient that is 0 on both sides (a dead ReLU, a weight
from an input that is always 0) from dividing rounding noise by nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

STEP = 1e-5
FLOOR = 1e-6
TOLERANCE = 1e-4


@dataclass(frozen=True, eq=False)
class GradCheck:
    analytic: np.ndarray
    numeric: np.ndarray
    relative_error: np.ndarray

    @property
    def worst_index(self) -> int:
        return int(np.argmax(self.relative_error))

    @property
    def worst(self) -> float:
        return float(self.relative_error.max())


def numeric_gradient(network: Network, params, X, T, loss: str, l2: float = 0.0, h: float = STEP) -> np.ndarray:
    p = np.array(params, dtype=float)
    grad = np.empty_like(p)
    for i in range(p.size):
        old = p[i]
        step = h * max(1.0, abs(old))
        p[i] = old + step
        plus = network.loss(p, X, T, loss, l2)
        p[i] = old - step
        minus = network.loss(p, X, T, loss, l2)
        p[i] = old
        grad[i] = (plus - minus) / (2 * step)
    return grad


def check(network: Network, params, X, T, loss: str, l2: float = 0.0, h: float = STEP) -> GradCheck:
    with np.errstate(all="ignore"):
        analytic = network.evaluate(params, X, T, loss, l2).grad
        numeric = numeric_gradient(network, params, X, T, loss, l2, h)
    error = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), FLOOR)
    error[~np.isfinite(error)] = np.inf
    return GradCheck(analytic, numeric, error)
