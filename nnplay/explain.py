"""Why it learns: the numbers behind one weight, from the engine's own state.

Pure NumPy, like the engine. Each function takes a snapshot (or the network,
its parameters and the data) and returns plain numbers for a view to print:

* ``chain_rule``: dE/dw = Σ δ_k · z_j over the batch, with δ_k expanded, and
  the update Δw = −η·g + α·Δw_prev;
* ``nudge``: the slope of the loss found by nudging w (rise over run) next
  to backprop's gradient;
* ``loss_along``: the loss as one weight sweeps around its value;
* ``loss_surface``: the loss over two weights;
* ``costs``: every loss and its derivative for one target and prediction;
* ``unit_maps``: each hidden unit's output over the input plane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .engine import activations, losses
from .engine.network import Network
from .engine.trainer import Snapshot
from .views import plane, spaced


@dataclass(frozen=True)
class ChainRule:
    """dE/dw for one weight (or bias), term by term."""

    layer: int                 # 0-based layer of the weight
    kind: str                  # "W" or "b"
    source: int | None         # unit j in the column before (None for a bias)
    target: int                # unit k
    weight: float
    z_source: np.ndarray       # z_j for every sample (1 for a bias)
    delta: np.ndarray          # δ_k for every sample
    products: np.ndarray       # δ_k · z_j for every sample
    l2_term: float             # l2 · w (0 for biases)
    gradient: float            # Σ products + l2_term: backprop's dE/dw
    # δ_k of the selected sample, expanded
    sample: int
    is_output: bool
    dE_dy: float | None        # output unit: ∂E/∂y_k (None for softmax, whose units are coupled)
    f_prime: float | None      # f'(u_k) (None for softmax)
    next_deltas: np.ndarray | None   # hidden unit: δ of the units it feeds …
    next_weights: np.ndarray | None  # … and the weights w_km to them
    back_sum: float | None     # Σ_m δ_m · w_km
    # the update
    learning_rate: float
    momentum: float
    previous_update: float
    next_update: float         # −η·g + α·Δw_prev, with g the whole-set gradient


def chain_rule(snap: Snapshot, network: Network, index: int, sample: int = 0) -> ChainRule:
    """The chain rule for parameter ``index`` at the state of ``snap``."""
    layer, kind, pos = network.locate(index)
    settings = snap.settings
    target = pos[-1]
    lay = snap.layers[layer]
    if kind == "W":
        source = pos[0]
        z_source = snap.inputs[:, source] if layer == 0 else snap.layers[layer - 1].z[:, source]
        l2_term = settings.l2 * float(snap.params[index])
    else:
        source = None
        z_source = np.ones(snap.inputs.shape[0])
        l2_term = 0.0
    delta = lay.delta[:, target]
    products = delta * z_source
    gradient = float(products.sum()) + l2_term
    s = min(sample, snap.inputs.shape[0] - 1)
    is_output = layer == len(snap.layers) - 1
    dE_dy = f_prime = back_sum = None
    next_deltas = next_weights = None
    if lay.activation != "softmax":
        f_prime = float(activations.ACTIVATIONS[lay.activation].derivative(lay.u[s:s + 1, target:target + 1],
                                               lay.z[s:s + 1, target:target + 1])[0, 0])
    if is_output:
        if lay.activation != "softmax":
            # ∂E/∂y of this sample's output, with the loss's 1/n (or 1/(n·m)) inside
            g = losses.gradient_wrt_output(settings.loss, snap.outputs, snap.targets)
            dE_dy = float(g[s, target])
    else:
        after = snap.layers[layer + 1]
        next_deltas = np.array(after.delta[s])
        next_weights = np.array(after.W[target])
        back_sum = float(next_deltas @ next_weights)
    previous = float(snap.update[index])
    return ChainRule(
        layer=layer, kind=kind, source=source, target=target, weight=float(snap.params[index]),
        z_source=np.array(z_source), delta=np.array(delta), products=products, l2_term=l2_term,
        gradient=gradient, sample=s, is_output=is_output, dE_dy=dE_dy, f_prime=f_prime,
        next_deltas=next_deltas, next_weights=next_weights, back_sum=back_sum,
        learning_rate=settings.learning_rate, momentum=settings.momentum, previous_update=previous,
        next_update=-settings.learning_rate * gradient + settings.momentum * previous,
    )


@dataclass(frozen=True)
class Nudge:
    h: float
    loss_minus: float     # E(w − h)
    loss: float           # E(w)
    loss_plus: float      # E(w + h)
    slope: float          # (E(w + h) − E(w − h)) / 2h
    gradient: float       # backprop's dE/dw


def _loss_with(network: Network, params: np.ndarray, X, T, loss: str, l2: float, index: int, value: float) -> float:
    p = np.array(params, dtype=float)
    p[index] = value
    with np.errstate(all="ignore"):
        return network.loss(p, X, T, loss, l2)


def nudge(snap: Snapshot, network: Network, index: int, h: float = 1e-4) -> Nudge:
    """Rise over run: nudge one weight by ±h and see how the whole-set loss moves."""
    s = snap.settings
    w = float(snap.params[index])
    minus = _loss_with(network, snap.params, snap.inputs, snap.targets, s.loss, s.l2, index, w - h)
    plus = _loss_with(network, snap.params, snap.inputs, snap.targets, s.loss, s.l2, index, w + h)
    return Nudge(h, minus, snap.loss, plus, (plus - minus) / (2 * h), float(snap.grad[index]))


@dataclass(frozen=True)
class Sweep:
    values: np.ndarray    # the weight's values
    losses: np.ndarray    # the whole-set loss at each
    current: float
    current_loss: float
    gradient: float       # the slope at the current value: downhill is −gradient


def sweep_range(w: float) -> tuple[float, float]:
    half = max(1.0, abs(w))
    return w - half, w + half


class Stopped(Exception):
    """A slow computation given up half-way: its ``stop()`` said the answer is no longer wanted."""


def loss_along(snap: Snapshot, network: Network, index: int, points: int = 61,
               stop: Callable[[], bool] | None = None) -> Sweep:
    """The whole-set loss as weight ``index`` sweeps around its value, the others fixed.

    One loss per point, each over the whole data set: ``stop()`` is asked before each.
    """
    s = snap.settings
    w = float(snap.params[index])
    values = spaced(*sweep_range(w), points)
    p = np.array(snap.params, dtype=float)
    out = np.empty(points)
    with np.errstate(all="ignore"):
        for i, v in enumerate(values):
            if stop is not None and stop():
                raise Stopped
            p[index] = v
            out[i] = network.loss(p, snap.inputs, snap.targets, s.loss, s.l2)
    return Sweep(values, out, w, snap.loss, float(snap.grad[index]))


@dataclass(frozen=True)
class Surface:
    a_values: np.ndarray  # (cols,) the first weight's values
    b_values: np.ndarray  # (rows,) the second weight's values, top row first (largest)
    losses: np.ndarray    # (rows, cols)
    current: tuple[float, float]


def loss_surface(snap: Snapshot, network: Network, index_a: int, index_b: int,
                 cols: int = 40, rows: int = 20, around: tuple[float, float] | None = None,
                 half: tuple[float, float] | None = None, stop: Callable[[], bool] | None = None) -> Surface:
    """The whole-set loss over two weights, the others fixed at their current values.

    ``cols`` x ``rows`` losses, each over the whole data set: ``stop()`` is asked before each row.
    """
    s = snap.settings
    wa, wb = float(snap.params[index_a]), float(snap.params[index_b])
    ca, cb = around or (wa, wb)
    ha, hb = half or (max(1.0, abs(wa)), max(1.0, abs(wb)))
    a_values = spaced(ca - ha, ca + ha, cols)
    b_values = spaced(cb + hb, cb - hb, rows)
    p = np.array(snap.params, dtype=float)
    out = np.empty((rows, cols))
    with np.errstate(all="ignore"):
        for r, b in enumerate(b_values):
            if stop is not None and stop():
                raise Stopped
            p[index_b] = b
            for c, a in enumerate(a_values):
                p[index_a] = a
                out[r, c] = network.loss(p, snap.inputs, snap.targets, s.loss, s.l2)
    return Surface(a_values, b_values, out, (wa, wb))


def framed_surface(snap: Snapshot, network: Network, index_a: int, index_b: int, path: np.ndarray,
                   cols: int = 48, rows: int = 24,
                   stop: Callable[[], bool] | None = None) -> Surface:
    """The loss over two weights, framed to hold the whole ``path`` (steps x 2) and the current point.

    Only the path's finite points count: a run that diverged is framed on the way it went.
    """
    finite = path[np.isfinite(path).all(axis=1)]
    if not len(finite):
        finite = path[-1:]  # nowhere finite: a surface of nan, drawn as such
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    centre = lo / 2 + hi / 2  # halves first: lo + hi may overflow
    half = np.maximum((hi / 2 - lo / 2) * 1.3, np.maximum(0.5, np.abs(centre) * 0.25))
    return loss_surface(snap, network, index_a, index_b, cols=cols, rows=rows,
                        around=(float(centre[0]), float(centre[1])), half=(float(half[0]), float(half[1])), stop=stop)


@dataclass(frozen=True)
class Cost:
    loss: str
    value: float
    derivative: np.ndarray    # dE/dy for each output
    note: str = ""


def costs(target, prediction) -> list[Cost]:
    """Every loss, and its derivative dE/dy, for one sample: a target and a prediction (numbers or vectors)."""
    t = np.atleast_1d(np.asarray(target, dtype=float)).reshape(1, -1)
    y = np.atleast_1d(np.asarray(prediction, dtype=float)).reshape(1, -1)
    if t.shape != y.shape:
        raise ValueError("the target and the prediction need the same number of values")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("the numbers must be finite")
    out = []
    with np.errstate(all="ignore"):
        for name in ("mse", "sse", "mae"):
            out.append(Cost(name, losses.value(name, "linear", y, y, t), losses.gradient_wrt_output(name, y, t)[0]))
        if np.all((t >= 0) & (t <= 1)) and np.all((y >= 0) & (y <= 1)):
            note = "" if np.all((y > 0) & (y < 1)) else "y clipped to [1e-12, 1 − 1e-12]"
            out.append(Cost("bce", losses.value("bce", "linear", y, y, t), losses.gradient_wrt_output("bce", y, t)[0], note))
        else:
            out.append(Cost("bce", float("nan"), np.full(t.shape[1], np.nan), "needs numbers in [0, 1]"))
        if t.shape[1] >= 2 and np.all(y > 0) and abs(y.sum() - 1) < 1e-6 and np.all(t >= 0):
            value = float(-(t * np.log(y)).sum())
            out.append(Cost("cce", value, losses.gradient_wrt_output("cce", y, t)[0]))
        else:
            out.append(Cost("cce", float("nan"), np.full(t.shape[1], np.nan),
                            "needs two or more probabilities that add up to 1"))
    return out


def unit_maps(network: Network, params: np.ndarray, inputs: np.ndarray, cols: int = 24, rows: int = 12):
    """For two inputs: every hidden unit's activation z over the input plane.

    Returns [(layer, unit, values (rows, cols))] for the hidden layers, top row
    = the largest x2, on the same plane as the decision map.
    """
    _, _, points = plane(inputs, cols, rows)
    Ws, bs = network.unflatten(params)
    with np.errstate(all="ignore"):
        _, zs = network.forward(Ws, bs, points)
    maps = []
    for k in range(len(network.layers) - 1):
        z = zs[k + 1]
        for unit in range(z.shape[1]):
            maps.append((k, unit, z[:, unit].reshape(rows, cols)))
    return maps
