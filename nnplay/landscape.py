"""The loss landscape as the papers draw it: the whole-set loss on a plane (or a line) through the current
parameters θ, at θ + a·d₁ + b·d₂. Pure NumPy, no interface.

Directions (SPEC §4):

* ``weights``: two weights, d₁ and d₂ the unit vectors of their parameters (everything else fixed);
* ``random``: two Gaussian directions in parameter space, filter-normalised (Li et al. 2017): for every
  unit, the slice of a direction feeding that unit (its column of W) is scaled to the norm of the unit's
  incoming weights; the biases get 0. Drawn from a seed, so the same run gives the same directions;
* ``pca``: the top two principal directions of the parameters along the run so far (orthonormal), each
  turned so that the run goes forward along it.

The grid's point a = b = 0 is θ itself (not θ + 0·d), so the surface's centre is the current loss to the bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .engine.network import Network
from .engine.trainer import Trainer
from .figures import Stopped

KINDS = ("weights", "random", "pca")
SIZES = (3, 201)       # the grid's points a side, odd so that it has a centre
SPANS = (1e-6, 1e6)    # the grid's half-width in units of the directions
PATH_POINTS = 400      # a headless run's path keeps at most this many parameter vectors
PCA_POINTS = 200       # the pca is of at most this many points of the path, evenly spaced (its SVD's cost grows
                       # with their square: 2,000 points of 2,410 parameters took seconds)
RANDOM_SPAN = 1.0      # Li et al.'s plots: [-1, 1] along filter-normalised directions


@dataclass(frozen=True, eq=False)
class Plane:
    kind: str                    # one of KINDS
    d1: np.ndarray               # (parameters,)
    d2: np.ndarray | None        # None: a line (1-D)
    labels: tuple[str, str]      # what the axes are called

    @property
    def orthonormal(self) -> bool:
        """Whether a point's coordinates on the plane are its dot products with the directions (unit vectors,
        pca): random directions are not, and a path projected onto them says little (SPEC: no path)."""
        return self.kind != "random"

    def project(self, theta: np.ndarray, points: np.ndarray) -> np.ndarray:
        """``points`` (k x parameters) as (a, b) on the plane through ``theta`` (k x 2; b = 0 on a line);
        empty for random directions."""
        points = np.asarray(points, dtype=float).reshape(-1, theta.size)
        if not self.orthonormal:
            return np.empty((0, 2))
        offsets = points - theta
        b = offsets @ self.d2 if self.d2 is not None else np.zeros(len(points))
        return np.column_stack([offsets @ self.d1, b])


def weight_plane(n_params: int, a: int, b: int | None, labels: tuple[str, str]) -> Plane:
    """The plane of two weights (a line along one when ``b`` is None)."""
    d1 = np.zeros(n_params)
    d1[a] = 1.0
    d2 = None
    if b is not None:
        d2 = np.zeros(n_params)
        d2[b] = 1.0
    return Plane("weights", d1, d2, labels)


def filter_normalised(network: Network, params: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """``direction`` with each unit's incoming slice (its column of W) scaled to the norm of that unit's
    incoming weights in ``params``, and the biases 0."""
    out = np.zeros_like(params, dtype=float)
    d_Ws, _ = network.unflatten(out)
    Ws, _ = network.unflatten(np.asarray(params, dtype=float))
    raw, _ = network.unflatten(np.asarray(direction, dtype=float))
    for W, d, r in zip(Ws, d_Ws, raw, strict=True):
        norms = np.linalg.norm(r, axis=0)
        d[...] = r * np.divide(np.linalg.norm(W, axis=0), norms, out=np.zeros_like(norms), where=norms > 0)
    return out


def random_plane(network: Network, params: np.ndarray, seed: int, dims: int = 2) -> Plane:
    """Two Gaussian directions drawn from ``seed``, filter-normalised at ``params`` (one on a line)."""
    rng = np.random.default_rng([seed, 12])  # 12: the issue that drew them, so they differ from the weights'
    d1, d2 = (filter_normalised(network, params, rng.standard_normal(network.n_params)) for _ in range(2))
    return Plane("random", d1, d2 if dims == 2 else None, ("random d₁", "random d₂"))


def pca_plane(path: np.ndarray, dims: int = 2) -> Plane:
    """The top principal directions of ``path`` (steps x parameters, oldest first; at most PCA_POINTS of them
    evenly spaced): orthonormal, each turned so that the path's start lies on its negative side. ValueError
    when the path does not move in as many directions."""
    path = np.asarray(path, dtype=float)
    if len(path) > PCA_POINTS:  # the first and the last among them
        path = path[np.unique(np.linspace(0, len(path) - 1, PCA_POINTS).round().astype(int))]
    centred = path - path.mean(axis=0)
    _, sv, vt = np.linalg.svd(centred, full_matrices=False)
    if len(sv) < dims or sv[dims - 1] <= 1e-12 * max(1.0, float(sv[0])):
        raise ValueError(f"pca needs a path that moves in {dims} direction{'s' if dims > 1 else ''}: "
                         "take a few steps first")
    directions = []
    for v in vt[:dims]:
        start = float((path[0] - path[-1]) @ v)
        directions.append(-v if start > 0 else v)
    return Plane("pca", directions[0], directions[1] if dims == 2 else None, ("pca d₁", "pca d₂"))


def axis(span: float, size: int) -> np.ndarray:
    """``size`` (odd) evenly spaced values over [−span, span], the middle one exactly 0."""
    half = size // 2
    return np.concatenate([-span * np.arange(half, 0, -1) / half, [0.0], span * np.arange(1, half + 1) / half])


def losses(network: Network, params: np.ndarray, X: np.ndarray, T: np.ndarray, loss: str, l2: float,
           plane: Plane, a_values: np.ndarray, b_values: np.ndarray,
           stop: Callable[[], bool] | None = None) -> np.ndarray:
    """The whole-set loss at θ + a·d₁ + b·d₂ for every a in ``a_values`` and b in ``b_values``:
    (len(a), len(b)), loss[i][j] at a[i], b[j] (b_values [0] on a line); at a = b = 0 θ itself.
    ``stop()`` is asked before each a."""
    theta = np.asarray(params, dtype=float)
    d2 = plane.d2 if plane.d2 is not None else np.zeros_like(theta)
    out = np.empty((len(a_values), len(b_values)))
    with np.errstate(all="ignore"):
        for i, a in enumerate(a_values):
            if stop is not None and stop():
                raise Stopped
            along = theta + a * plane.d1
            for j, b in enumerate(b_values):
                point = theta if a == 0 and b == 0 else along + b * d2
                out[i, j] = network.loss(point, X, T, loss, l2)
    return out


def find_param(labels: Sequence[str], text: str) -> int:
    """The parameter named ``text``: a weight as 'x1 -> h1' (or 'x1 → h1', or 'w(x1 → h1)'), a bias as
    'b(h1)', among ``labels`` (figures.param_label of every parameter). ValueError when there is none."""
    spaced = " → ".join(" ".join(part.split()) for part in text.replace("->", "→").split("→"))
    wanted = spaced if spaced.endswith(")") and spaced[:2] in ("w(", "b(") else f"w({spaced})"
    if wanted not in labels:
        raise ValueError(f"no weight {text.strip()!r} (expected a weight as 'FROM -> TO' or a bias as 'b(UNIT)', "
                         f"e.g. {labels[0][2:-1].replace(' → ', ' -> ')!r})")
    return labels.index(wanted)


@dataclass(frozen=True, eq=False)
class Landscape:
    plane: Plane
    a: np.ndarray          # (N,) offsets along d₁
    b: np.ndarray          # (N,) offsets along d₂ (one 0 on a line)
    losses: np.ndarray     # (len(a), len(b)): loss[i][j] at a[i], b[j]
    centre_loss: float     # the loss at θ itself (the grid's centre)
    path: np.ndarray       # (k, 2): the run's recent parameters projected (empty for random directions)


def fitting_span(projected: np.ndarray) -> float:
    """A half-width that holds the projected path with a margin (1 without one)."""
    finite = projected[np.isfinite(projected).all(axis=1)] if len(projected) else projected
    reach = float(np.abs(finite).max()) if finite.size else 0.0
    return 1.25 * reach if reach > 0 else 1.0


def make(network: Network, params: np.ndarray, X: np.ndarray, T: np.ndarray, loss: str, l2: float,
         plane: Plane, path: np.ndarray, size: int, span: float | None = None,
         stop: Callable[[], bool] | None = None) -> Landscape:
    """The landscape over ``plane`` through ``params``: ``size`` points a side over [−span, span] (by default
    the span that holds the projected ``path``, steps x parameters, or RANDOM_SPAN for random directions)."""
    projected = plane.project(params, path)
    if span is None:
        span = RANDOM_SPAN if plane.kind == "random" else fitting_span(projected)
    a = axis(span, size)
    b = axis(span, size) if plane.d2 is not None else np.zeros(1)
    out = losses(network, params, X, T, loss, l2, plane, a, b, stop)
    return Landscape(plane, a, b, out, float(out[size // 2, len(b) // 2]), projected)


def replay(trainer: Trainer, steps: int) -> np.ndarray:
    """Train ``trainer`` ``steps`` more steps (headless; as inspect does, a saved run carries on); its
    parameters along the way, oldest first: at most PATH_POINTS + 1, evenly spaced, the last the current ones."""
    end = trainer.step_count + steps
    every = max(1, -(-steps // PATH_POINTS))
    kept = [trainer.params.copy()]
    while trainer.step_count < end and not trainer.diverged:
        trainer.step(min(every, end - trainer.step_count))
        kept.append(trainer.params.copy())
    return np.array(kept)
