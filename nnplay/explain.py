"""The explain views' numbers for one weight: why it learns, and what the loss does around it.

Pure NumPy, like nnplay.figures, and loaded when the learner first opens one of
these views (or a walk, or a landscape): the first frame does without them.

* ``chain_rule``: dE/dw = Σ δ_k · z_j over the next step's batch (``batch_pass``), δ_k expanded, and
  the optimiser's next update (figures.next_update); ``delta_flow``: δ flowing back along a layer's
  weights, for a walk's backward phase;
* ``nudge``: rise over run for h = 1 … 0.0001, secants closing in on backprop's tangent, on
  ``loss_along`` (the loss as the weight sweeps);
* ``loss_surface`` / ``framed_surface``: the loss over two weights, coloured on ``colour_scale``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import landscape
from .engine import activations
from .engine.network import Network
from .engine.phases import output_gradient
from .engine.trainer import Snapshot
from .figures import Stopped, Update, next_update, spaced


@dataclass(frozen=True, eq=False)
class ChainRule:
    """dE/dw for one weight (or bias) on the batch the next step trains on, term by term, and the update
    that step makes of it. With full batches the batch is the whole training set."""

    layer: int                 # 0-based layer of the weight
    kind: str                  # "W" or "b"
    source: int | None         # unit j in the column before (None for a bias)
    target: int                # unit k
    weight: float
    batch: np.ndarray          # the samples of the next step's batch (0-based indices into the training set)
    z_source: np.ndarray       # z_j for every sample of the batch (1 for a bias)
    delta: np.ndarray          # δ_k for every sample of the batch (the batch's loss: its mean over the batch)
    products: np.ndarray       # δ_k · z_j for every sample of the batch
    l2_term: float             # l2 · w (0 for biases)
    gradient: float            # Σ products + l2_term: backprop's dE/dw on the batch (Snapshot.next_grad)
    # δ_k of the selected sample (or, when the batch does not hold it, of the batch's first), expanded
    sample: int                # that sample, 0-based in the training set …
    row: int                   # … and its row in the batch
    is_output: bool
    loss: str                  # the loss's name
    dE_dy: float | None        # output unit: ∂E/∂y_k (None for softmax, whose units are coupled)
    f_prime: float | None      # f'(u_k) (None for softmax)
    next_deltas: np.ndarray | None   # hidden unit: δ of the units it feeds …
    next_weights: np.ndarray | None  # … and the weights w_km to them
    back_sum: float | None     # Σ_m δ_m · w_km
    update: Update             # what the next step adds to the weight for ``gradient``


@dataclass(frozen=True, eq=False)
class BatchPass:
    """One forward and backward pass over a batch, rows in the batch's order: each layer's u, z (``z[0]`` the
    inputs) and δ, and dE/dy at the output (NaN where a walk has not computed it yet)."""

    u: tuple[np.ndarray, ...]
    z: tuple[np.ndarray, ...]
    delta: tuple[np.ndarray, ...]
    dE_dy: np.ndarray


def batch_pass(snap: Snapshot, network: Network) -> BatchPass:
    """The pass of the batch the next step trains on (``Snapshot.next_batch``): with full batches the snapshot's
    own pass over the whole set, else one pass over the batch, as the step makes it."""
    settings = snap.settings
    batch = np.array(snap.next_batch)
    if len(batch) == snap.inputs.shape[0] and bool(np.all(batch == np.arange(len(batch)))):
        return BatchPass(tuple(lay.u for lay in snap.layers), (snap.inputs, *(lay.z for lay in snap.layers)),
                         tuple(lay.delta for lay in snap.layers),
                         output_gradient(settings.loss, snap.outputs, snap.targets))
    with np.errstate(all="ignore"):
        ev = network.evaluate(snap.params, snap.inputs[batch], snap.targets[batch], settings.loss, settings.l2)
    return BatchPass(tuple(ev.u), tuple(ev.z), tuple(ev.delta),
                     output_gradient(settings.loss, ev.z[-1], snap.targets[batch]))


@dataclass(frozen=True, eq=False)
class DeltaFlow:
    """δ flowing back along one layer's weights, for one sample (the diagram during a walk's backward phase):
    the phase computed ``layer``'s δ, and each of its weights w_jk carries w_jk · δ_k back to unit j of the
    column before, whose next phase sums them (Σ_k w_jk δ_k = dE/dz_j). Flat arrays are laid out like the
    parameters; NaN where the sample's numbers are not known (it is not in the batch)."""

    layer: int                            # 0-based: the layer whose deltas the phase computed
    carries: np.ndarray                   # bool: the weights (not the biases) of that layer
    carried: np.ndarray                   # w · δ on those weights, NaN elsewhere
    deltas: tuple[np.ndarray | None, ...]  # per layer, the sample's δ once known (None: not yet)


def delta_flow(network: Network, params: np.ndarray, layer: int, deltas: tuple[np.ndarray | None, ...]) -> DeltaFlow:
    """The ``DeltaFlow`` of ``layer``, from one sample's δ of each layer (``deltas[layer]`` known)."""
    carries = np.zeros(network.n_params, dtype=bool)
    carried = np.full(network.n_params, np.nan)
    Ws, _ = network.unflatten(params)
    delta = deltas[layer]
    assert delta is not None
    carries[network.weight_slices[layer]] = True
    with np.errstate(all="ignore"):
        carried[network.weight_slices[layer]] = (Ws[layer] * delta[None, :]).ravel()
    for a in (carries, carried):
        a.flags.writeable = False
    return DeltaFlow(layer, carries, carried, deltas)


def chain_rule(snap: Snapshot, network: Network, index: int, sample: int = 0,
               numbers: BatchPass | None = None) -> ChainRule:
    """The chain rule for parameter ``index`` at the state of ``snap``, on the next step's batch: its pass
    ``numbers`` (a walk's, phase by phase), or by default ``batch_pass``."""
    layer, kind, pos = network.locate(index)
    settings = snap.settings
    batch = np.array(snap.next_batch)
    bp = numbers if numbers is not None else batch_pass(snap, network)
    us, zs, deltas = bp.u, bp.z, bp.delta
    target = pos[-1]
    if kind == "W":
        source = pos[0]
        z_source = zs[layer][:, source]
        l2_term = settings.l2 * float(snap.params[index])
    else:
        source = None
        z_source = np.ones(len(batch))
        l2_term = 0.0
    delta = deltas[layer][:, target]
    products = delta * z_source
    rows = np.flatnonzero(batch == sample)
    row = int(rows[0]) if rows.size else 0
    activation = network.activations[layer]
    is_output = layer == len(network.layers) - 1
    dE_dy = f_prime = back_sum = None
    next_deltas = next_weights = None
    derivative = activations.ACTIVATIONS[activation].derivative  # None for softmax: its units are coupled
    u, z = us[layer], zs[layer + 1]
    if derivative is not None:
        f_prime = float(derivative(u[row:row + 1, target:target + 1], z[row:row + 1, target:target + 1])[0, 0])
    if is_output:
        if activation != "softmax":
            # ∂E/∂y of this sample's output, with the loss's 1/n (or 1/(n·m)) of the batch inside
            dE_dy = float(bp.dE_dy[row, target])
    else:
        next_deltas = np.array(deltas[layer + 1][row])
        next_weights = np.array(snap.layers[layer + 1].W[target])
        back_sum = float(next_deltas @ next_weights)
    return ChainRule(
        layer=layer, kind=kind, source=source, target=target, weight=float(snap.params[index]),
        batch=batch, z_source=np.array(z_source), delta=np.array(delta), products=products,
        l2_term=l2_term, gradient=float(snap.next_grad[index]), sample=int(batch[row]), row=row,
        is_output=is_output, loss=settings.loss, dE_dy=dE_dy, f_prime=f_prime,
        next_deltas=next_deltas, next_weights=next_weights, back_sum=back_sum,
        update=next_update(snap, index),
    )


@dataclass(frozen=True, eq=False)
class Sweep:
    values: np.ndarray    # the weight's values
    losses: np.ndarray    # the whole-set loss at each
    current: float
    current_loss: float
    gradient: float       # the slope at the current value: downhill is −gradient


def sweep_range(w: float) -> tuple[float, float]:
    half = max(1.0, abs(w))
    return w - half, w + half



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


# Rise over run: the nudges h of the nudge check, from a secant across the sweep to one on the tangent
NUDGES = (1.0, 0.1, 0.01, 0.001, 0.0001)


@dataclass(frozen=True, eq=False)
class Secant:
    """The line through (w − h, E(w − h)) and (w + h, E(w + h)): its slope is rise over run."""

    h: float
    loss_minus: float     # E(w − h)
    loss_plus: float      # E(w + h)

    @property
    def slope(self) -> float:
        """(E(w + h) − E(w − h)) / 2h: central differences, whose error shrinks as h² for a smooth loss."""
        return (self.loss_plus - self.loss_minus) / (2 * self.h)


@dataclass(frozen=True, eq=False)
class Nudge:
    """The nudge check: a secant for each nudge h of ``NUDGES`` (largest first), closing in on backprop's
    tangent, and the loss along the weight they are drawn on."""

    secants: tuple[Secant, ...]
    loss: float           # E(w)
    gradient: float       # backprop's dE/dw: the tangent's slope
    sweep: Sweep          # the loss as the weight sweeps: the curve the secants cut

    @property
    def finest(self) -> Secant:
        """The smallest nudge: the one a gradient check makes."""
        return self.secants[-1]

    @property
    def slope(self) -> float:
        return self.finest.slope


def _loss_with(network: Network, params: np.ndarray, X, T, loss: str, l2: float, index: int, value: float) -> float:
    p = np.array(params, dtype=float)
    p[index] = value
    with np.errstate(all="ignore"):
        return network.loss(p, X, T, loss, l2)


def secant(snap: Snapshot, network: Network, index: int, h: float) -> Secant:
    """Nudge one weight by ±h, the others fixed, and see how the whole-set loss moves."""
    s = snap.settings
    w = float(snap.params[index])
    minus = _loss_with(network, snap.params, snap.inputs, snap.targets, s.loss, s.l2, index, w - h)
    plus = _loss_with(network, snap.params, snap.inputs, snap.targets, s.loss, s.l2, index, w + h)
    return Secant(h, minus, plus)


def nudge(snap: Snapshot, network: Network, index: int, nudges: tuple[float, ...] = NUDGES,
          stop: Callable[[], bool] | None = None) -> Nudge:
    """Rise over run for each of ``nudges``, on the loss along the weight (``loss_along``, which asks
    ``stop()`` before each of its losses)."""
    sweep = loss_along(snap, network, index, stop=stop)
    return Nudge(tuple(secant(snap, network, index, h) for h in nudges), snap.loss, float(snap.grad[index]), sweep)


def log_range(losses: np.ndarray) -> tuple[float, float]:
    """The lowest and highest finite positive loss, as log10 (0 and 1 when there is none). A loss of exactly 0
    (the bump's current point, trained to the last bit) is left out: on a log scale it would stretch the range
    over hundreds of decades and paint every other loss in one colour; it takes the dark end's."""
    positive = losses[np.isfinite(losses) & (losses > 0)]
    if not positive.size:
        return 0.0, 1.0
    values = np.log10(positive)
    return float(values.min()), float(values.max())


def colour_scale(losses: np.ndarray, kept: tuple[float, float] | None) -> tuple[tuple[float, float], bool]:
    """A landscape's log colour scale (log10 of the losses at its dark and bright ends), and whether it is
    ``kept`` (the running run's scale so far). The kept scale stays while it can still show this map, so that a
    colour means the same loss from map to map; the map's own range replaces it when the map leaves it by more
    than an eighth of its width or covers less than a quarter of it (as training moves on, the map would
    otherwise become one or two flat colours, without contours)."""
    own = log_range(losses)
    if kept is None:
        return own, False
    lo, hi = kept
    width = hi - lo
    fits = width > 0 and own[0] >= lo - width / 8 and own[1] <= hi + width / 8 and own[1] - own[0] >= width / 4
    return (kept, True) if fits else (own, False)


@dataclass(frozen=True, eq=False)
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
    plane = landscape.weight_plane(network.n_params, index_a, index_b, ("", ""))
    out = landscape.losses(network, snap.params, snap.inputs, snap.targets, s.loss, s.l2, plane,
                           a_values - wa, b_values - wb, stop=stop).T
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
