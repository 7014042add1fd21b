"""The network diagram: units in columns, an edge for every weight, drawn in braille.

Each terminal cell holds 2 x 4 braille dots, so an edge is a line at four
times the vertical resolution of the text. The geometry (which dots each edge
covers) is computed once per size; a new frame only recolours the edges and
the nodes, and the strips of each line are cached until the next frame
(``CachedLines``).

Edges: blue for positive weights, orange for negative, fainter for smaller
|w|; where edges cross, the stronger one shows. Nodes show the selected
sample's activation z as a number on a background of its colour. The "+1"
node at the top of a column is the bias unit: its edges are the biases.
A layer too tall for the pane is elided: its first units, "⋮ N more", its last.
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

from ..session import Frame
from . import colors
from .cached_lines import CachedLines

NODE_WIDTH = 5
# braille dot (column, row) -> bit
_DOT = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (0, 3): 0x40, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (1, 3): 0x80}


@dataclass(frozen=True)
class Node:
    column: int          # 0 = inputs, k = output of layer k
    unit: int            # -1 for the bias unit
    x: int
    y: int


@dataclass(frozen=True)
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
    """Where every node and edge goes for one network at one size."""

    def __init__(self, shapes, input_names, output_names, network, width: int, height: int):
        self.width, self.height = width, height
        n_columns = len(shapes) + 1
        sizes = [shapes[0][0]] + [fan_out for _, fan_out in shapes]
        self.left = min(12, max(len(n) for n in input_names)) + 1
        self.right = min(14, max(len(n) for n in output_names)) + 1
        span = max(1, width - self.left - self.right - NODE_WIDTH)
        xs = [self.left + round(c * span / max(1, n_columns - 1)) for c in range(n_columns)]
        self.nodes: list[Node] = []
        self.elided: list[tuple[int, int, int]] = []   # (x, y, hidden count)
        self.visible: list[dict[int, Node]] = []
        for c, n in enumerate(sizes):
            has_bias = c < n_columns - 1
            room = max(3, height - 1) - has_bias
            if n <= room:
                shown, hidden = list(range(n)), 0
            else:
                keep = max(1, room - 2)
                shown, hidden = list(range(keep)) + [n - 1], n - keep - 1
            rows = len(shown) + has_bias + (1 if hidden else 0)
            ys = [int((i + 0.5) * height / rows) for i in range(rows)]
            column: dict[int, Node] = {}
            r = 0
            if has_bias:
                column[-1] = Node(c, -1, xs[c], ys[0])
                r = 1
            for unit in shown:
                if hidden and unit == n - 1:
                    self.elided.append((xs[c], ys[r], hidden))
                    r += 1
                column[unit] = Node(c, unit, xs[c], ys[r])
                r += 1
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
                                           target.x * 2 - 1, target.y * 4 + 2))
        self._rasterise()
        self.nodes_by_row: dict[int, list[Node]] = {}
        for node in self.nodes:
            self.nodes_by_row.setdefault(node.y, []).append(node)
        self.bias_param = {(e.layer + 1, e.target): e.param for e in self.edges if e.source < 0}

    def _rasterise(self) -> None:
        """Every cell an edge crosses, with its braille character, and which edges cross it.

        Cells are numbered in reading order; ``rows[y]`` is the range of the
        cells of line y, and (pair_cell, pair_edge) lists every crossing.
        """
        masks: dict[tuple[int, int], int] = {}
        crossings: set[tuple[tuple[int, int], int]] = set()
        for e, edge in enumerate(self.edges):
            n = max(abs(edge.x1 - edge.x0), abs(edge.y1 - edge.y0), 1)
            xs = np.rint(np.linspace(edge.x0, edge.x1, n + 1)).astype(int)
            ys = np.rint(np.linspace(edge.y0, edge.y1, n + 1)).astype(int)
            for x, y in zip(xs.tolist(), ys.tolist()):
                key = (y // 4, x // 2)
                if 0 <= key[0] < self.height and 0 <= key[1] < self.width:
                    masks[key] = masks.get(key, 0) | _DOT[(x % 2, y % 4)]
                    crossings.add((key, e))
        keys = sorted(masks)
        number = {key: i for i, key in enumerate(keys)}
        self.cell_x = [x for _, x in keys]
        self.cell_char = [chr(0x2800 + masks[key]) for key in keys]
        self.rows: dict[int, range] = {}
        for i, (row, _) in enumerate(keys):
            start = self.rows[row].start if row in self.rows else i
            self.rows[row] = range(start, i + 1)
        pairs = sorted((number[key], e) for key, e in crossings)
        self.pair_cell = np.array([c for c, _ in pairs], dtype=np.int64)
        self.pair_edge = np.array([e for _, e in pairs], dtype=np.int64)

    def winners(self, strength: np.ndarray) -> list[int]:
        """For each cell, the edge that shows there: the strongest of those crossing it."""
        if not len(self.pair_cell):
            return []
        order = np.lexsort((strength[self.pair_edge], self.pair_cell))
        cells = self.pair_cell[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = cells[1:] != cells[:-1]
        return self.pair_edge[order][last].tolist()

    def hit(self, x: int, y: int) -> int | None:
        """The parameter under cell (x, y): a node's bias, or the nearest edge."""
        for node in self.nodes:
            if node.y == y and node.x <= x < node.x + NODE_WIDTH and node.column > 0:
                return self._bias_of(node)
        px, py = x * 2 + 1, y * 4 + 2
        best, best_d = None, 6.0  # in dots: about a cell and a half
        for edge in self.edges:
            d = _distance(px, py, edge.x0, edge.y0, edge.x1, edge.y1)
            if d < best_d:
                best, best_d = edge.param, d
        return best

    def _bias_of(self, node: Node) -> int | None:
        return self.bias_param.get((node.column, node.unit))


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
        self.input_names = tuple(input_names)
        self.output_names = tuple(output_names)
        self.network = network
        self._geometry: Geometry | None = None

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
        """Where the nodes and edges go at this size (made again only when the size changes)."""
        w, h = max(self.size.width, 1), max(self.size.height, 1)
        g = self._geometry
        if g is None or (g.width, g.height) != (w, h):
            g = self._geometry = Geometry(self.network.shapes, self.input_names, self.output_names, self.network, w, h)
        return g

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # drawing -------------------------------------------------------------------

    def prepare(self) -> None:
        """Once per frame: the style of every edge cell and of the nodes of each column."""
        self._base = base = self.rich_style
        self._label_style = colors.style(colors.palette(self.app.current_theme).label)  # 4.5:1 on the theme
        self._combined: dict[Style | None, Style] = {None: base}
        g = self.geometry()
        if self.frame is None:
            return
        strength, styles = self._edge_styles(g, self.frame.snapshot.params)
        self._cell_styles = [styles[e] for e in g.winners(strength)]
        snap = self.frame.snapshot
        sample = min(self.sample, snap.inputs.shape[0] - 1)
        # the colour scale of each column's nodes: inputs as a whole, layers per sample (at least 1)
        self._column_scales = [max(colors.scale_of(snap.inputs), 1.0)] + [
            max(colors.scale_of(layer.z[sample]), 1.0) for layer in snap.layers]

    def _edge_styles(self, g: Geometry, params: np.ndarray) -> tuple[np.ndarray, list[Style]]:
        """Colour and strength of each edge: by sign and by |w| relative to its layer's largest."""
        values = np.array([params[e.param] for e in g.edges]) if g.edges else np.zeros(0)
        layers = np.array([e.layer for e in g.edges], dtype=int)
        scales = np.ones(len(self.network.shapes))
        for k in range(len(scales)):
            if np.any(layers == k):
                scales[k] = colors.scale_of(values[layers == k])
        styles = []
        for e, v in zip(g.edges, values.tolist()):
            if e.param == self.selected:
                styles.append(colors.style(colors.SELECTED, bold=True))
            else:
                styles.append(colors.style(colors.signed(v, scales[e.layer])))
        strength = np.abs(np.nan_to_num(values, nan=np.inf)) / (scales[layers] if len(layers) else 1.0)
        for i, e in enumerate(g.edges):
            if e.param == self.selected:
                strength[i] = np.inf
        return strength, styles

    def render_row(self, y: int) -> Strip:
        g = self.geometry()
        width = g.width
        if self.frame is None:
            return Strip.blank(width, self._base)
        cells: list[tuple[str, Style | None]] = [(" ", None)] * width
        cell_x, cell_char, cell_styles = g.cell_x, g.cell_char, self._cell_styles
        for i in g.rows.get(y, ()):
            cells[cell_x[i]] = (cell_char[i], cell_styles[i])
        snap = self.frame.snapshot
        sample = min(self.sample, snap.inputs.shape[0] - 1)
        for node in g.nodes_by_row.get(y, ()):
            if node.unit < 0:
                text, style = "  +1 ", self._label_style
            else:
                if node.column == 0:
                    value = float(snap.inputs[sample, node.unit])
                else:
                    value = float(snap.layers[node.column - 1].z[sample, node.unit])
                text = colors.fmt(value, NODE_WIDTH)
                style = colors.cell(value, self._column_scales[node.column])
                if self.selected is not None and node.column > 0 and g._bias_of(node) == self.selected:
                    style = style + Style(reverse=True, bold=True)
            for i, ch in enumerate(text):
                if 0 <= node.x + i < width:
                    cells[node.x + i] = (ch, style)
            if node.column == 0 and node.unit >= 0:
                self._label(cells, self.input_names[node.unit][: g.left - 1].rjust(g.left - 1), node.x - g.left)
            elif node.column == len(self.network.shapes) and node.unit >= 0:
                self._label(cells, " " + self.output_names[node.unit][: g.right - 1], node.x + NODE_WIDTH)
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

    def _label(self, cells, text: str, x: int) -> None:
        dim = self._label_style
        for i, ch in enumerate(text):
            if 0 <= x + i < len(cells):
                cells[x + i] = (ch, dim)

    # mouse -------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.frame is None:
            return
        param = self.geometry().hit(event.x, event.y)
        if param is not None:
            self.post_message(self.Selected(param))

