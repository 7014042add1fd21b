"""The figures the panes show, derived from the engine's state.

Pure NumPy, like the engine, and no Textual: the presenter (nnplay.playground)
and the session's training thread call these; the widgets only draw what they
return. Each function takes a snapshot (or the network, its parameters and the
data) and returns plain numbers:

* the scenario views: ``curve`` (one input), ``grid`` over the input ``plane``
  (two inputs), ``sentence_report`` (a typed sentence), ``unit_maps`` (each
  hidden unit over the plane);
* names: ``unit_names``, ``param_label``, ``param_order``;
* ``next_update``: what the next step adds to one weight, line by line.

The explain views' numbers (the chain rule, the nudge check, the sweep, the loss over two weights) are
in nnplay.explain, the cost calculator's in nnplay.costs: the first frame does without them, and the shell
waits for every import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from .engine.network import Network
from .engine.optimizers import HYPERS, OPTIMIZERS, Line, explain, reads
from .engine.schedules import Schedule
from .engine.trainer import Snapshot

# The views divide by the width of a range and space points over it: a range is kept within
# these bounds so that its width is a finite number too.
LIMIT = float(np.finfo(float).max) / 4
# Points of the named inputs (the views' axes) as the network's inputs: the scenario's features,
# if any (Data.encode); the views are drawn over the named inputs, never over the features.
Encode = Callable[[np.ndarray], np.ndarray]


class Stopped(Exception):
    """A slow figure (a landscape, a sweep) is no longer wanted: ``stop()`` said so."""


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


@dataclass(frozen=True, eq=False)
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
