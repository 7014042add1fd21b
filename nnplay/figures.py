"""The figures the panes show, derived from the engine's state.

Pure NumPy, like the engine, and no Textual: the presenter (nnplay.playground)
and the session's training thread call these; the widgets only draw what they
return. Each function takes a snapshot (or the network, its parameters and the
data) and returns plain numbers:

* the scenario views: ``curve`` (one input), ``grid`` over the input ``plane``
  (two inputs), ``sentence_report`` (a typed sentence), ``unit_maps`` (each
  hidden unit over the plane);
* names: ``unit_names``, ``param_label``, ``param_order``;
* why it learns, for one weight: ``chain_rule`` (dE/dw = Σ δ_k · z_j over the
  batch, δ_k expanded, and the optimiser's next update), ``nudge`` (rise over
  run for h = 1 … 0.0001, secants closing in on backprop's tangent), ``loss_along`` (the loss as the weight
  sweeps), ``loss_surface`` / ``framed_surface`` (the loss over two weights);
* ``costs``: every loss of ``LOSSES`` and its derivative for one target and prediction, and
  ``cost_curves``: each as the prediction moves (the cost calculator's plot).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from . import landscape
from .engine import activations
from .engine.losses import EPS, LOSSES
from .engine.network import Network
from .engine.optimizers import HYPERS, OPTIMIZERS, Line, explain, reads
from .engine.phases import output_gradient
from .engine.schedules import Schedule
from .engine.trainer import Snapshot
from .landscape import Stopped

# The views divide by the width of a range and space points over it: a range is kept within
# these bounds so that its width is a finite number too.
LIMIT = float(np.finfo(float).max) / 4
# Points of the named inputs (the views' axes) as the network's inputs: the scenario's features,
# if any (Data.encode); the views are drawn over the named inputs, never over the features.
Encode = Callable[[np.ndarray], np.ndarray]


def _same(points: np.ndarray) -> np.ndarray:
    return points


def padded_range(values: np.ndarray, pad: float = 0.15) -> tuple[float, float]:
    """(lo, hi) around the finite ``values``, ``pad`` of their span wider on each side.

    Always finite and lo < hi, whatever the numbers (1e308, inf or nan): the
    views divide by hi − lo and space points between them.
    """
    finite = values[np.isfinite(values)]
    if not finite.size:
        return -1.0, 1.0
    lo, hi = (float(np.clip(v, -LIMIT / 2, LIMIT / 2)) for v in (finite.min(), finite.max()))
    span = hi - lo or max(1.0, abs(lo))
    return max(lo - pad * span, -LIMIT), min(hi + pad * span, LIMIT)


def spaced(lo: float, hi: float, points: int) -> np.ndarray:
    """``points`` evenly spaced values from ``lo`` to ``hi``, clipped to the finite range.

    np.linspace overflows to nan when hi − lo does (a weight of 1e308 swept by
    its own size); this stays finite whenever the ends are numbers.
    """
    lo, hi = (float(np.clip(v, -LIMIT, LIMIT)) for v in (lo, hi))
    return np.linspace(lo, hi, points)


@dataclass(frozen=True, eq=False)
class Curve:
    xs: np.ndarray        # (n,)
    ys: np.ndarray        # (n, outputs)


def curve(network: Network, params: np.ndarray, inputs: np.ndarray, points: int = 121,
          encode: Encode = _same) -> Curve:
    """The network's output over the input range (one named input), a little beyond the data."""
    xs = np.linspace(*padded_range(inputs[:, 0]), points)
    with np.errstate(all="ignore"):
        ys = network.predict(params, encode(xs.reshape(-1, 1)))
    return Curve(xs, ys)


@dataclass(frozen=True, eq=False)
class Grid:
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    values: np.ndarray    # (rows, cols, outputs); row 0 is the top (largest x2)


def plane(inputs: np.ndarray, cols: int, rows: int):
    """(xlim, ylim, points): the input plane a little beyond the data, ``rows`` x ``cols``
    points in reading order, the top row at the largest x2."""
    xlim, ylim = padded_range(inputs[:, 0]), padded_range(inputs[:, 1])
    gx, gy = np.meshgrid(np.linspace(xlim[0], xlim[1], cols), np.linspace(ylim[1], ylim[0], rows))
    return xlim, ylim, np.column_stack([gx.ravel(), gy.ravel()])


def grid(network: Network, params: np.ndarray, inputs: np.ndarray, cols: int = 64, rows: int = 48,
         encode: Encode = _same) -> Grid:
    """The network's output over the input plane (two named inputs)."""
    xlim, ylim, points = plane(inputs, cols, rows)
    with np.errstate(all="ignore"):
        out = network.predict(params, encode(points))
    return Grid(xlim, ylim, out.reshape(rows, cols, -1))


@dataclass(frozen=True)
class SentenceReport:
    text: str
    probability: float                          # P(positive), or of the top class
    known: tuple[str, ...]
    unknown: tuple[str, ...]
    contributions: tuple[tuple[str, float], ...]  # (word, P with it - P without it), strongest first


def sentence_report(network: Network, params: np.ndarray, vocabulary: tuple[str, ...], text: str) -> SentenceReport:
    """P(positive) for ``text`` and how much each known word moved it (leave-one-out)."""
    from .bagofwords import encode

    vector, known, unknown = encode(text, vocabulary)
    index = {w: i for i, w in enumerate(vocabulary)}
    rows = [vector]
    for w in known:
        without = vector.copy()
        without[index[w]] = 0.0
        rows.append(without)
    with np.errstate(all="ignore"):
        out = network.predict(params, np.array(rows))
    p = out[:, -1] if out.shape[1] == 1 else out.max(axis=1)
    contributions = sorted(((w, float(p[0] - p[i + 1])) for i, w in enumerate(known)), key=lambda c: -abs(c[1]))
    return SentenceReport(text, float(p[0]), tuple(known), tuple(unknown), tuple(contributions))


def unit_names(input_names, layer_units, output_names) -> list[tuple[str, ...]]:
    """Names for the units of every column: the inputs, hidden layers h1.., and the outputs."""
    columns = [tuple(input_names)]
    hidden = layer_units[:-1]
    for k, units in enumerate(hidden):
        prefix = "h" if len(hidden) == 1 else f"h{k + 1}."
        columns.append(tuple(f"{prefix}{i + 1}" for i in range(units)))
    columns.append(tuple(output_names))
    return columns


def param_label(network: Network, names: list[tuple[str, ...]], index: int) -> str:
    """A weight as 'w(x2 → h1)', a bias as 'b(h1)': the unit names of ``names`` (unit_names)."""
    layer, kind, pos = network.locate(index)
    if kind == "W":
        return f"w({names[layer][pos[0]]} → {names[layer + 1][pos[1]]})"
    return f"b({names[layer + 1][pos[0]]})"


def param_labels(network: Network, names: list[tuple[str, ...]]) -> list[str]:
    """Every parameter's ``param_label``, in the network's flat order."""
    return [param_label(network, names, i) for i in range(network.n_params)]


def param_order(network: Network) -> list[int]:
    """Parameters layer by layer: each layer's weights, then its biases."""
    order: list[int] = []
    for w, b in zip(network.weight_slices, network.bias_slices):
        order.extend(range(w.start, w.stop))
        order.extend(range(b.start, b.stop))
    return order



SETTING_SYMBOLS = {name: hyper.symbol for name, hyper in HYPERS.items()}  # η, α, β1, β2, ρ, ε


def setting_text(key: str, value: object, optimizer: str = "sgd") -> str:
    """One setting as the loss plot's markers and the status line name it: 'loss mse', 'η 0.5', 'batch 16',
    'adam', 'β1 0.95', 'schedule step'; ε unset (None) is ``optimizer``'s own, and says its value."""
    if key == "batch_size":
        return "full batch" if value == 0 else f"batch {value}"
    if key == "optimizer":
        return str(value)
    if key == "schedule":
        return f"schedule {value.kind}" if isinstance(value, Schedule) else f"schedule {value}"
    if key == "epsilon" and value is None:
        value = OPTIMIZERS[optimizer].default_epsilon
    if isinstance(value, bool):
        return f"{key} {'on' if value else 'off'}"
    if isinstance(value, float):
        value = f"{value + 0.0:g}"  # + 0.0: never '-0'
    return f"{SETTING_SYMBOLS.get(key, key)} {value}"


def settings_difference(settings, others, live=None) -> str:
    """The settings of ``settings`` named in its race label, in the markers' words (``setting_text``: 'α 0',
    'η 0.5, full batch'); 'same settings' when none is. A setting is named when ``settings``' optimiser reads it
    (``reads``) and it differs from those of any of ``others`` or, against the ``live`` run's settings (a
    ghost's label), the live run's optimiser does not read it (live adam, a ghost nesterov: its α)."""
    keys = [f.name for f in fields(settings) if reads(settings.optimizer, f.name) and any(
        getattr(settings, f.name) != getattr(o, f.name) for o in others)
        or live is not None and reads(settings.optimizer, f.name) and not reads(live.optimizer, f.name)]
    return ", ".join(setting_text(key, getattr(settings, key), settings.optimizer) for key in keys) or "same settings"


def event_labels(events, network: Network, names: list[tuple[str, ...]], optimizer: str) -> list[tuple[int, str]]:
    """(step, label) for the steps at which settings changed or weights were edited (engine Events), oldest
    first: 'loss mse', 'η 1, α 0.5', 'adam', 'w(x1 → h1) = 2.5'. The changes made at one step are one label,
    each setting and weight with the value it was left at. ``optimizer``: the run's before the events (an unset
    ε is the default of the optimiser of its step)."""
    steps: dict[int, dict] = {}
    optimizers: dict[int, str] = {}  # the optimiser after each step's changes
    for event in events:
        changes = steps.setdefault(event.step, {})
        if event.kind == "settings":
            changes.update(event.payload)
            optimizer = event.payload.get("optimizer", optimizer)
        else:
            index, value = event.payload
            changes[index] = value
        optimizers[event.step] = optimizer
    labels = []
    for step, changes in steps.items():
        parts = [setting_text(key, value, optimizers[step]) if isinstance(key, str)
                 else f"{param_label(network, names, key)} = {value + 0.0:g}" for key, value in changes.items()]
        labels.append((step, ", ".join(parts)))
    return labels


@dataclass(frozen=True)
class Update:
    """What the next step adds to one parameter, and what it is made of: the optimiser's own lines
    (engine.optimizers.explain), the last one Δw."""

    optimizer: str             # its name (engine.optimizers)
    learning_rate: float       # η at this step (the schedule's)
    gradient: float            # g: dE/dw on the next step's batch, L2 included (Snapshot.next_grad) …
    batch_size: int            # … of this many samples …
    full_batch: bool           # … the whole training set, or not
    lines: tuple[Line, ...]    # each quantity the optimiser computes for this parameter, the last Δw

    @property
    def value(self) -> float:
        """Δw of the next step: Snapshot.next_update, bit for bit."""
        return self.lines[-1].value


def next_update(snap: Snapshot, index: int) -> Update:
    """The update the next step makes to parameter ``index``, exactly (the optimiser's own step, on a copy)."""
    s = snap.settings
    g = float(snap.next_grad[index])
    lines = explain(snap.optimizer_state, index, g, s, snap.current_learning_rate)
    return Update(s.optimizer, snap.current_learning_rate, g, len(snap.next_batch),
                  len(snap.next_batch) == len(snap.inputs), lines)


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


@dataclass(frozen=True)
class Secant:
    """The line through (w − h, E(w − h)) and (w + h, E(w + h)): its slope is rise over run."""

    h: float
    loss_minus: float     # E(w − h)
    loss_plus: float      # E(w + h)

    @property
    def slope(self) -> float:
        """(E(w + h) − E(w − h)) / 2h: central differences, whose error shrinks as h² for a smooth loss."""
        return (self.loss_plus - self.loss_minus) / (2 * self.h)


@dataclass(frozen=True)
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


def unit_maps(network: Network, params: np.ndarray, inputs: np.ndarray, cols: int = 24, rows: int = 12,
              encode: Encode = _same):
    """For two inputs: every hidden unit's activation z over the input plane.

    Returns [(layer, unit, values (rows, cols))] for the hidden layers, top row
    = the largest x2, on the same plane as the decision map.
    """
    _, _, points = plane(inputs, cols, rows)
    Ws, bs = network.unflatten(params)
    with np.errstate(all="ignore"):
        _, zs = network.forward(Ws, bs, encode(points))
    maps = []
    for k in range(len(network.layers) - 1):
        z = zs[k + 1]
        for unit in range(z.shape[1]):
            maps.append((k, unit, z[:, unit].reshape(rows, cols)))
    return maps
