"""The network diagram: units in columns, an edge for every weight, drawn in braille.

Each terminal cell holds 2 x 4 braille dots, so an edge is a line at four
times the vertical resolution of the text. The geometry (which dots each edge
covers) is computed once per size; a new frame only recolours the edges and
the nodes, and the strips of each line are cached until the next frame
(``CachedLines``).

Edges: blue for positive weights, orange for negative, fainter for smaller
|w|; a negative weight's edge is dashed, so its sign shows without colour
too (NO_COLOR). Where edges cross, the stronger one shows. Nodes show the
selected sample's activation z as a number on a background of its colour;
hidden units are named before it (h1, or h1.2 with several hidden layers:
``figures.unit_names``, as every pane names them). The "+1" node at the top
of a column is the bias unit: its edges are the biases. The selected weight
is pink, with its value beside its edge.

A layer too tall for the pane is elided ("⋮ N more" for each run of units
left out). The units shown are, in this order while they fit: the selected
weight's, the selected sample's non-zero inputs (a sentence's words), the
last unit, then the first ones.

With minibatches, the bottom line says whether the selected sample (whose
numbers the nodes show) is in the next batch.

During a walk's backward phase (``ViewState.flow``, made by the presenter), δ
flows back: the units whose δ is known show the selected sample's δ instead of
z (marked "δ" after the number), the weights of the layer the phase computed carry
w·δ back to the column before (coloured by its sign and size, dashed when
negative), and every other edge is faint and dotted, so the flowing edges stand
out without colour too; a line says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from ..figures import unit_names
from ..session import Frame
from . import colors
from .cached_lines import CachedLines

NODE_WIDTH = 5
# braille dot (column, row) -> bit
_DOT = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (0, 3): 0x40, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (1, 3): 0x80}
_DOTS = np.zeros((2, 4), dtype=np.uint8)
for (_column, _row), _bit in _DOT.items():
    _DOTS[_column, _row] = _bit
_BRAILLE = [chr(0x2800 + m) if m else " " for m in range(256)]
LIT = Style(bold=True, underline=True)  # the nodes of the layer a phase computes (f)
DASH = 4  # a negative weight's edge: DASH dots drawn, DASH left out, along its line
SOLID, DASHED, SPARSE = 0, 1, 2  # how an edge is drawn: every dot, its dashes, or one dot in DASH (faint)
FAINT = Style(color=colors.hex_(colors.NEUTRAL), dim=True)  # the edges δ does not flow along (backward phases)


@dataclass(frozen=True, eq=False)
class Node:
    column: int          # 0 = inputs, k = output of layer k
    unit: int            # -1 for the bias unit
    x: int               # where its number starts
    y: int
    name_width: int = 0  # the cells before x that its name takes (hidden units)

    @property
    def start(self) -> int:
        return self.x - self.name_width


@dataclass(frozen=True, eq=False)
class Edge:
    param: int           # flat parameter index
    layer: int           # the layer the weight belongs to (0-based)
    source: int          # unit in the column before, -1 = bias unit
    target: int
    x0: int              # in dots
    y0: int
    x1: int
    y1: int


class Geometry:
    """Where every node and edge goes for one network at one size.

    ``names``: the units' names per column (``figures.unit_names``);
    ``keep``: per column, the units to show first when it must be elided,
    most wanted first.
    """

    def __init__(self, shapes, names, network, width: int, height: int,
                 keep: tuple[tuple[int, ...], ...] = ()) -> None:
        self.width, self.height = width, height
        self.keep = keep  # the units asked for (``shown`` holds them, or as many as fit)
        n_columns = len(shapes) + 1
        sizes = [shapes[0][0]] + [fan_out for _, fan_out in shapes]
        self.shown = columns_shown(shapes, height, keep)
        self.left = min(12, max(len(n) for n in names[0])) + 1
        self.right = min(14, max(len(n) for n in names[-1])) + 1
        # hidden units carry their name before their number
        name_widths = [0] + [max(len(n) for n in names[c]) + 1 for c in range(1, n_columns - 1)] + [0]
        span = max(1, width - self.left - self.right - NODE_WIDTH)
        xs = [self.left + round(c * span / max(1, n_columns - 1)) for c in range(n_columns)]
        xs = [x + name_widths[c] if 0 < c < n_columns - 1 else x for c, x in enumerate(xs)]
        self.nodes: list[Node] = []
        self.elided: list[tuple[int, int, int]] = []   # (x, y, hidden count)
        self.visible: list[dict[int, Node]] = []
        for c, n in enumerate(sizes):
            has_bias = c < n_columns - 1
            shown = self.shown[c]
            rows: list[int | tuple[int, int]] = []  # a unit, or (first, count) of a run left out
            previous = -1
            for unit in shown + [n]:
                if unit > previous + 1:
                    rows.append((previous + 1, unit - previous - 1))
                if unit < n:
                    rows.append(unit)
                previous = unit
            ys = [int((i + 0.5) * height / (len(rows) + has_bias)) for i in range(len(rows) + has_bias)]
            column: dict[int, Node] = {}
            if has_bias:
                column[-1] = Node(c, -1, xs[c], ys[0])
            for row, y in zip(rows, ys[has_bias:]):
                if isinstance(row, tuple):
                    self.elided.append((xs[c], y, row[1]))
                else:
                    column[row] = Node(c, row, xs[c], y, name_widths[c])
            self.visible.append(column)
            self.nodes.extend(column.values())
        self.edges: list[Edge] = []
        for k in range(len(shapes)):
            for source in self.visible[k].values():
                for target in self.visible[k + 1].values():
                    if target.unit < 0:
                        continue
                    if source.unit < 0:
                        param = network.index_of(k, "b", (target.unit,))
                    else:
                        param = network.index_of(k, "W", (source.unit, target.unit))
                    self.edges.append(Edge(param, k, source.unit, target.unit,
                                           (source.x + NODE_WIDTH) * 2, source.y * 4 + 2,
                                           target.start * 2 - 1, target.y * 4 + 2))
        self.edge_of = {e.param: i for i, e in enumerate(self.edges)}
        self.edge_layer = np.array([e.layer for e in self.edges], dtype=np.intp)
        self._rasterise()
        self.nodes_by_row: dict[int, list[Node]] = {}
        for node in self.nodes:
            self.nodes_by_row.setdefault(node.y, []).append(node)
        self.bias_param = {(e.layer + 1, e.target): e.param for e in self.edges if e.source < 0}

    def _rasterise(self) -> None:
        """Every cell an edge crosses, and which edges cross it with which of its dots.

        Cells are numbered in reading order; ``rows[y]`` is the range of the
        cells of line y. Each crossing (pair) is a cell, an edge and the edge's
        dots in it: all of them (``pair_solid``) or those of its dashes
        (``pair_dashed``). Every dot of every edge at once, in NumPy.
        """
        ends = np.array([(e.x0, e.y0, e.x1, e.y1) for e in self.edges], dtype=np.int64).reshape(-1, 4)
        x0, y0, x1, y1 = ends.T
        n = np.maximum(np.maximum(np.abs(x1 - x0), np.abs(y1 - y0)), 1)   # steps along each edge
        edge = np.repeat(np.arange(len(ends)), n + 1)
        i = np.arange(len(edge)) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)  # the dot's place on its edge
        t = i / n[edge]
        x = np.rint(x0[edge] + (x1 - x0)[edge] * t).astype(np.int64)
        y = np.rint(y0[edge] + (y1 - y0)[edge] * t).astype(np.int64)
        inside = (x >= 0) & (y >= 0) & (x < 2 * self.width) & (y < 4 * self.height)
        x, y, i, edge = x[inside], y[inside], i[inside], edge[inside]
        dot = _DOTS[x % 2, y % 4]
        key = ((y // 4) * self.width + x // 2) * max(1, len(ends)) + edge   # (cell, edge), cells in reading order
        order = np.argsort(key, kind="stable")
        key, dot, dash = key[order], dot[order], ((i // DASH) % 2 == 0)[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
        pairs = key[first]
        cell_ids, self.pair_cell = np.unique(pairs // max(1, len(ends)), return_inverse=True)
        self.pair_edge = pairs % max(1, len(ends))
        self.pair_solid = np.bitwise_or.reduceat(dot, first) if len(first) else np.zeros(0, dtype=np.uint8)
        self.pair_dashed = (np.bitwise_or.reduceat(np.where(dash, dot, 0).astype(np.uint8), first)
                            if len(first) else np.zeros(0, dtype=np.uint8))
        sparse = (i % DASH == 0)[order]
        self.pair_sparse = (np.bitwise_or.reduceat(np.where(sparse, dot, 0).astype(np.uint8), first)
                            if len(first) else np.zeros(0, dtype=np.uint8))
        self.cell_x = (cell_ids % self.width).tolist()
        self.rows: dict[int, range] = {}
        lines = cell_ids // self.width
        for row in np.unique(lines).tolist():
            where = np.flatnonzero(lines == row)
            self.rows[row] = range(int(where[0]), int(where[-1]) + 1)
        self.cell_first = np.flatnonzero(np.r_[True, self.pair_cell[1:] != self.pair_cell[:-1]]) if len(pairs) else None

    def characters(self, pattern: np.ndarray) -> list[str]:
        """The braille character of each cell: the dots of the edges crossing it, each edge's as its
        ``pattern`` says (SOLID, DASHED or SPARSE; True is DASHED: a negative edge)."""
        if self.cell_first is None:
            return []
        kinds = np.asarray(pattern, dtype=np.intp)[self.pair_edge]
        dots = np.stack([self.pair_solid, self.pair_dashed, self.pair_sparse])[kinds, np.arange(len(kinds))]
        return [_BRAILLE[m] for m in np.bitwise_or.reduceat(dots, self.cell_first).tolist()]

    def winners(self, strength: np.ndarray) -> list[int]:
        """For each cell, the edge that shows there: the strongest of those crossing it (of equal ones, the
        last edge). The crossings are in cell order already, so this is a maximum over each cell's run."""
        if not len(self.pair_cell):
            return []
        s = np.nan_to_num(np.asarray(strength, dtype=float)[self.pair_edge], nan=np.inf)
        first = self.cell_first
        assert first is not None, "crossings have cells"
        strongest = np.repeat(np.maximum.reduceat(s, first), np.diff(np.r_[first, len(s)]))
        last = np.maximum.reduceat(np.where(s == strongest, np.arange(len(s)), -1), first)
        return self.pair_edge[last].tolist()

    def hit(self, x: int, y: int) -> int | None:
        """The parameter under cell (x, y): a node's bias, or the nearest edge."""
        for node in self.nodes:
            if node.y == y and node.start <= x < node.x + NODE_WIDTH and node.column > 0:
                return self._bias_of(node)
        px, py = x * 2 + 1, y * 4 + 2
        best, best_d = None, 6.0  # in dots: about a cell and a half
        for edge in self.edges:
            d = _distance(px, py, edge.x0, edge.y0, edge.x1, edge.y1)
            if d < best_d:
                best, best_d = edge.param, d
        return best

    def free(self, y: int, x: int, length: int) -> bool:
        """Whether cells x … x + length − 1 of line y are inside and clear of the nodes and the "⋮" lines."""
        if y < 0 or y >= self.height or x < 0 or x + length > self.width:
            return False
        spans = [(n.start, n.x + NODE_WIDTH) for n in self.nodes_by_row.get(y, ())]
        spans += [(ex, ex + NODE_WIDTH + 3) for ex, ey, _ in self.elided if ey == y]
        return all(x + length <= a or b <= x for a, b in spans)

    def _bias_of(self, node: Node) -> int | None:
        return self.bias_param.get((node.column, node.unit))


def node_text(value: float, unknown: str | None = None) -> str:
    """A unit's value in its node's NODE_WIDTH cells; one whose exponent does not fit is 0 (3e-16) or
    "+huge" (1e300), never its first cells ('+3e-1'); NaN as ``unknown`` when given (not computed yet)."""
    text = colors.fmt(value, NODE_WIDTH, unknown)
    if len(text) > NODE_WIDTH:
        text = colors.fmt(0.0, NODE_WIDTH) if abs(value) < 1 else ("+huge" if value > 0 else "-huge")
    return text


def columns_shown(shapes, height: int, keep: tuple[tuple[int, ...], ...]) -> list[list[int]]:
    """The units drawn in each column of a diagram ``height`` lines high (``shown_units``); every
    column but the last has a line for its bias unit."""
    sizes = [shapes[0][0]] + [fan_out for _, fan_out in shapes]
    return [shown_units(n, max(3, height - 1) - (c < len(shapes)), keep[c] if c < len(keep) else ())
            for c, n in enumerate(sizes)]


def shown_units(n: int, room: int, keep: tuple[int, ...]) -> list[int]:
    """Which of a column's ``n`` units to draw in ``room`` lines, a line "⋮ N more" for each run left
    out: all when they fit, else those of ``keep`` (in order), the last, then the first ones, while they fit."""
    if n <= room:
        return list(range(n))
    chosen: set[int] = set()
    for unit in (*keep, n - 1, *range(n)):
        if len(chosen) >= room - 1:
            break
        if unit in chosen or not 0 <= unit < n:
            continue
        trial = sorted(chosen | {unit})
        gaps = (trial[0] > 0) + (trial[-1] < n - 1) + sum(b > a + 1 for a, b in zip(trial, trial[1:]))
        if len(trial) + gaps <= room:
            chosen.add(unit)
    return sorted(chosen)


def _distance(px, py, x0, y0, x1, y1) -> float:
    dx, dy = x1 - x0, y1 - y0
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length2))
    cx, cy = x0 + t * dx, y0 + t * dy
    return float(((px - cx) ** 2 + (py - cy) ** 2) ** 0.5)


class NetworkDiagram(CachedLines, can_focus=True):
    """Draws a ``ViewState``'s network; posts ``Selected`` when a weight or unit is clicked."""

    DEFAULT_CSS = """
    NetworkDiagram {
        width: 1fr;
        height: 1fr;
        min-height: 5;
    }
    """

    class Selected(Message):
        def __init__(self, param: int) -> None:
            super().__init__()
            self.param = param

    def __init__(self, input_names, output_names, network, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = unit_names(input_names, [fan_out for _, fan_out in network.shapes], output_names)
        self.network = network
        self._geometry: Geometry | None = None
        self._keep: tuple[tuple[int, ...], ...] = ()
        self._lit: int | None = None  # the column a walk's phase lights
        self._inputs_scale: tuple[np.ndarray | None, float] = (None, 1.0)  # (the inputs, their colour scale)

    @property
    def frame(self) -> Frame | None:
        return None if self.state is None else self.state.frame

    @property
    def sample(self) -> int:
        return 0 if self.state is None else self.state.sample

    @property
    def selected(self) -> int | None:
        return None if self.state is None else self.state.selected

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda theme: self.invalidate())

    def on_focus(self) -> None:
        self.invalidate()

    def on_blur(self) -> None:
        self.invalidate()

    def geometry(self) -> Geometry:
        """Where the nodes and edges go at this size (made again only when the size changes, or when
        a layer is elided and the units it must keep change)."""
        w, h = max(self.size.width, 1), max(self.size.height, 1)
        g = self._geometry
        if g is not None and (g.width, g.height) == (w, h) and g.keep != self._keep:
            if not g.elided or g.shown == columns_shown(self.network.shapes, h, self._keep):
                g.keep = self._keep  # the same units shown: the same picture
            else:
                g = None
        if g is None or (g.width, g.height) != (w, h):
            g = self._geometry = Geometry(self.network.shapes, self.names, self.network, w, h, self._keep)
        return g

    def _units_to_keep(self) -> tuple[tuple[int, ...], ...]:
        """Per column, the units an elided layer shows first: the selected weight's, then in the
        inputs the selected sample's non-zero ones (a sentence's words)."""
        keep: list[list[int]] = [[] for _ in range(len(self.network.shapes) + 1)]
        state = self.state
        if state is None:
            return ()
        if state.selected_at is not None:
            layer, kind, pos = state.selected_at
            if kind == "W":
                keep[layer].append(pos[0])
            keep[layer + 1].append(pos[-1])
        inputs = state.frame.snapshot.inputs
        keep[0].extend(np.flatnonzero(inputs[min(state.sample, len(inputs) - 1)]).tolist())
        return tuple(tuple(units) for units in keep)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # drawing -------------------------------------------------------------------

    def prepare(self) -> None:
        """Once per frame: the character and style of every edge cell, the nodes' colour scales, and
        the texts beside the picture (the selected weight's value, the next batch)."""
        self._base = base = self.rich_style
        self._combined: dict[Style | None, Style] = {None: base}
        self._keep = self._units_to_keep()
        g = self.geometry()
        self._texts: dict[int, list[tuple[int, str, Style]]] = {}
        if self.frame is None:
            return
        snap = self.frame.snapshot
        phase = self.state.phase if self.state is not None else None
        # a walk through the phases lights the column of the layer its phase computes (forward or backward)
        self._lit = phase.phase.layer + 1 if phase is not None and phase.phase.layer is not None else None
        params = snap.params
        which = [e.param for e in g.edges]
        values = params[which] if g.edges else np.zeros(0)
        flow = self.state.flow if self.state is not None else None
        self._deltas: tuple[np.ndarray | None, ...] = flow.deltas if flow is not None else ()
        if flow is not None and g.edges:  # δ flows back along one layer's weights: they carry w·δ
            carries, carried = flow.carries[which], flow.carried[which]
            strength, styles = self._flow_styles(g, carries, carried)
            pattern = np.where(carries, np.where(carried < 0, DASHED, SOLID), SPARSE)
        else:
            strength, styles = self._edge_styles(g, values)
            pattern = np.where(values < 0, DASHED, SOLID)
        self._cell_styles = [styles[e] for e in g.winners(strength)]
        self._cell_chars = g.characters(pattern)
        sample = min(self.sample, snap.inputs.shape[0] - 1)
        # the colour scale of each column's nodes: inputs as a whole, layers per sample (at least 1); the deltas
        # shown during a walk's backward phases on one scale, so that their sizes compare across layers
        delta_scale = colors.scale_of(*(d for d in self._deltas if d is not None))
        if self._inputs_scale[0] is not snap.inputs:  # the data is the same array from frame to frame
            self._inputs_scale = (snap.inputs, max(colors.scale_of(snap.inputs), 1.0))
        self._column_scales = [self._inputs_scale[1]] + [
            delta_scale if self._shows_delta(k + 1) else max(colors.scale_of(layer.z[sample]), 1.0)
            for k, layer in enumerate(snap.layers)]
        selected = g.edge_of.get(self.selected) if self.selected is not None else None
        if selected is not None:
            self._place(g, g.edges[selected], f" {colors.fmt(float(params[g.edges[selected].param]), 7).strip()} ",
                        colors.style(colors.SELECTED, bold=True))
        n = snap.inputs.shape[0]
        if len(snap.next_batch) < n:
            inside = "in" if np.isin(sample, snap.next_batch) else "not in"
            text = f" sample {sample + 1}: {inside} the next batch "
            self._line(g, text, (g.height - 1, 0))
        if flow is not None:  # what the marks mean, shorter where the long one finds no room
            for text in (f" δ: sample {sample + 1}'s deltas · edges: w·δ flowing back ", " δ: deltas · edges: w·δ "):
                if self._line(g, text, (0, g.height - 1)):
                    break

    def _line(self, g: Geometry, text: str, lines: tuple[int, ...]) -> bool:
        """``text`` at the right end of the first of ``lines`` where it is clear of the nodes and other texts
        (False when there is none)."""
        for y in lines:
            if y not in self._texts and g.free(y, g.width - len(text), len(text)):
                self._texts[y] = [(g.width - len(text), text, Style(italic=True))]
                return True
        return False

    def _shows_delta(self, column: int) -> bool:
        """Whether the nodes of ``column`` show δ (a walk's backward phase, once that layer's δ is known)."""
        return 0 < column <= len(self._deltas) and self._deltas[column - 1] is not None

    def _flow_styles(self, g: Geometry, carries: np.ndarray, carried: np.ndarray) -> tuple[np.ndarray, list[Style]]:
        """Colour and strength of each edge while δ flows back: an edge that carries w·δ by its sign and size
        (relative to the largest carried; grey while unknown), above every other edge, which is faint."""
        scale = colors.scale_of(carried[carries])
        rgb = colors.signed_rgb(carried, scale)
        rgb[~np.isfinite(carried)] = colors.NEUTRAL
        styles = [style if on else FAINT for style, on in zip(_styles(rgb), carries.tolist())]
        strength = np.where(carries, 1.0 + np.nan_to_num(np.abs(carried), nan=0.0) / scale, 0.0)
        return self._select(g, strength, styles)

    def _place(self, g: Geometry, edge: Edge, text: str, style: Style) -> None:
        """``text`` on the line of ``edge``, near its middle and clear of the nodes."""
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            x = round((edge.x0 + (edge.x1 - edge.x0) * t) / 2) - len(text) // 2
            y = int((edge.y0 + (edge.y1 - edge.y0) * t) // 4)
            if g.free(y, x, len(text)):
                self._texts.setdefault(y, []).append((x, text, style))
                return

    def _edge_styles(self, g: Geometry, values: np.ndarray) -> tuple[np.ndarray, list[Style]]:
        """Colour and strength of each edge: by sign and by |w| relative to its layer's largest."""
        layers = g.edge_layer
        scales = np.ones(len(self.network.shapes))
        for k in range(len(scales)):
            if np.any(layers == k):
                scales[k] = colors.scale_of(values[layers == k])
        styles = _styles(colors.signed_rgb(values, scales[layers]))
        strength = np.abs(np.nan_to_num(values, nan=np.inf)) / (scales[layers] if len(layers) else 1.0)
        return self._select(g, strength, styles)

    def _select(self, g: Geometry, strength: np.ndarray, styles: list[Style]) -> tuple[np.ndarray, list[Style]]:
        """The selected weight's edge, if it is drawn, in the selection's colour and above every other."""
        selected = g.edge_of.get(self.selected) if self.selected is not None else None
        if selected is not None:
            styles[selected] = colors.style(colors.SELECTED, bold=True)
            strength[selected] = np.inf
        return strength, styles

    def render_row(self, y: int) -> Strip:
        g = self.geometry()
        width = g.width
        if self.frame is None:
            return Strip.blank(width, self._base)
        cells: list[tuple[str, Style | None]] = [(" ", None)] * width
        style: Style | None
        cell_x, cell_chars, cell_styles = g.cell_x, self._cell_chars, self._cell_styles
        for i in g.rows.get(y, ()):
            cells[cell_x[i]] = (cell_chars[i], cell_styles[i])
        for x, text, text_style in self._texts.get(y, ()):
            self._label(cells, text, x, text_style)
        snap = self.frame.snapshot
        sample = min(self.sample, snap.inputs.shape[0] - 1)
        for node in g.nodes_by_row.get(y, ()):
            style = None
            if node.unit < 0:
                text = "  +1 "
            else:
                if node.column == 0:
                    value = float(snap.inputs[sample, node.unit])
                elif self._shows_delta(node.column):
                    value = float(self._deltas[node.column - 1][node.unit])  # type: ignore[index]
                else:
                    value = float(snap.layers[node.column - 1].z[sample, node.unit])
                text = node_text(value, self.state.unknown if self.state is not None else None)
                style = colors.cell(value, self._column_scales[node.column],
                                    unknown=self.state.unknown if self.state is not None else None)
                if node.column == self._lit:  # the layer the phase being shown computes
                    style = style + LIT
                if self.selected is not None and node.column > 0 and g._bias_of(node) == self.selected:
                    style = style + Style(reverse=True, bold=True)
            for i, ch in enumerate(text):
                if 0 <= node.x + i < width:
                    cells[node.x + i] = (ch, style)
            if node.unit < 0:
                continue
            name = self.names[node.column][node.unit]
            if node.column == 0:
                self._label(cells, name[: g.left - 1].rjust(g.left - 1), node.x - g.left)
            elif node.column == len(self.network.shapes):
                self._label(cells, " " + name[: g.right - 1], node.x + NODE_WIDTH)
            else:
                self._label(cells, name.rjust(node.name_width - 1) + " ", node.start)
            if self._shows_delta(node.column):  # the number is δ, not z: "+0.12δ", over the cell after it
                self._label(cells, "δ", node.x + NODE_WIDTH)
        for x, yy, hidden in g.elided:
            if yy == y:
                self._label(cells, f"⋮{hidden} more"[: NODE_WIDTH + 3], x)
        return Strip(self._segments(cells), width)

    def _segments(self, cells: list[tuple[str, Style | None]]) -> list[Segment]:
        """Runs of equal style become one segment, on the widget's own style (the theme)."""
        combined, base = self._combined, self._base
        out: list[Segment] = []
        run: list[str] = []
        current = cells[0][1] if cells else None
        for ch, style in cells:
            if style is not current:
                full = combined.get(current)
                if full is None:
                    full = combined[current] = base + current
                out.append(Segment("".join(run), full))
                run = []
                current = style
            run.append(ch)
        if run:
            full = combined.get(current)
            if full is None:
                full = combined[current] = base + current
            out.append(Segment("".join(run), full))
        return out

    @staticmethod
    def _label(cells, text: str, x: int, style: Style | None = None) -> None:
        """``text`` over the cells from ``x`` (the widget's own text style unless told)."""
        for i, ch in enumerate(text):
            if 0 <= x + i < len(cells):
                cells[x + i] = (ch, style)

    # mouse -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.frame is None:
            return
        param = self.geometry().hit(event.x, event.y)
        if param is not None:
            self.post_message(self.Selected(param))


def _styles(rgb: np.ndarray) -> list[Style]:
    """The text style of each of the colours ``rgb`` (n x 3), made once per colour."""
    if not len(rgb):
        return []
    packed = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
    unique, which = np.unique(packed, return_inverse=True)
    made = [colors.style((p >> 16, (p >> 8) & 255, p & 255)) for p in unique.tolist()]
    return [made[i] for i in which.ravel().tolist()]
