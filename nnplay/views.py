"""What the scenario views show, computed from a network and its parameters.

Pure NumPy, like the engine: the widgets only draw these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine.network import Network


# The views divide by the width of a range and space points over it: a range is kept within
# these bounds so that its width is a finite number too.
LIMIT = float(np.finfo(float).max) / 4


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


@dataclass(frozen=True)
class Curve:
    xs: np.ndarray        # (n,)
    ys: np.ndarray        # (n, outputs)


def curve(network: Network, params: np.ndarray, inputs: np.ndarray, points: int = 121) -> Curve:
    """The network's output over the input range (one input), a little beyond the data."""
    xs = np.linspace(*padded_range(inputs[:, 0]), points)
    with np.errstate(all="ignore"):
        ys = network.predict(params, xs.reshape(-1, 1))
    return Curve(xs, ys)


@dataclass(frozen=True)
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


def grid(network: Network, params: np.ndarray, inputs: np.ndarray, cols: int = 64, rows: int = 48) -> Grid:
    """The network's output over the input plane (two inputs)."""
    xlim, ylim, points = plane(inputs, cols, rows)
    with np.errstate(all="ignore"):
        out = network.predict(params, points)
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


def param_order(network: Network) -> list[int]:
    """Parameters layer by layer: each layer's weights, then its biases."""
    order: list[int] = []
    for w, b in zip(network.weight_slices, network.bias_slices):
        order.extend(range(w.start, w.stop))
        order.extend(range(b.start, b.stop))
    return order
