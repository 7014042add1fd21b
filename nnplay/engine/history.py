"""The loss history: the whole-set loss after every step, in bounded memory when asked.

Entry s is the loss on the whole training set after s steps. A headless run
keeps every entry (``nnplay run --json`` prints them all). The playground can
run for hours, so it gives a ``limit``: past it, the oldest half of the exact
entries is folded into block means, at most ``MAX_BLOCKS`` blocks of equal
width over the folded past. What stays is what the loss plot draws
(averages over the distant past, every step of the recent past) and what
stepping back needs: rewinding cuts the history at the step rewound to, and a
step whose entry was folded away has its loss measured again.

A step's loss may also not have been measured at all: under minibatches the
whole-set loss costs more than the step itself, so a trainer told to measure
it less often (``Trainer.loss_every``) leaves gaps. ``holds`` says which steps
have an exact entry; a gap reads as NaN in ``exact()`` and is left out of the
curve and the block means.

A held-out test set's loss is a second history ``beside`` the first: measured
at the same steps, cut and folded alike (``alike`` checks it), read at the
same points (``curves``).

Memory: at most ``limit`` floats (and flags) plus ``MAX_BLOCKS`` blocks, however long the run.
"""

from __future__ import annotations

import math

import numpy as np

MAX_BLOCKS = 4096
MIN_LIMIT = 1024


class LossHistory:
    def __init__(self, limit: int | None = None):
        self.limit = limit
        self.start = 0                     # the step of the first exact entry
        self._values = np.empty(1024)      # exact entries for steps start, start + 1, …
        self._measured = np.ones(1024, dtype=bool)  # False: a gap, that step's loss was not measured
        self._n = 0
        # the folded past: block i averages the steps [starts[i], starts[i] + counts[i])
        self._starts = np.empty(0, dtype=np.int64)
        self._counts = np.empty(0, dtype=np.int64)
        self._means = np.empty(0)
        self._width = 1                    # the steps a whole block covers (see _fold)

    @classmethod
    def of(cls, values, start: int = 0, blocks=None, limit: int | None = None) -> LossHistory:
        """A history holding exact ``values`` from step ``start`` on, after the folded ``blocks``
        (starts, counts, means), as a saved run stores them. A NaN before the last value is a gap (a
        step whose loss was not measured): a non-finite loss ends a run, so only the last can be one."""
        h = cls(limit)
        values = np.asarray(values, dtype=float)
        h._values = np.concatenate([values, np.empty(max(1024, len(values)))])
        h._measured = np.ones(len(h._values), dtype=bool)
        h._measured[: max(0, len(values) - 1)] = ~np.isnan(values[:-1])
        h._n = len(values)
        h.start = start
        if blocks is not None:
            starts, counts, means = blocks
            h._starts = np.array(starts, dtype=np.int64)
            h._counts = np.array(counts, dtype=np.int64)
            h._means = np.array(means, dtype=float)
            if len(h._counts):
                h._width = 1 << int(h._counts.max() - 1).bit_length()
        return h

    def copy(self) -> LossHistory:
        return self.beside(self.exact(), self._means)

    def beside(self, values, means=None) -> LossHistory:
        """Another loss measured at the same steps as this one (the test set's beside the training
        set's): the same start, blocks and gaps, with ``values`` as the exact entries and ``means``
        as the blocks' (None: no blocks). Two such histories, recorded and cut alike, stay alike."""
        values = np.asarray(values, dtype=float)
        means = np.empty(0) if means is None else np.asarray(means, dtype=float)
        if len(values) != self._n or len(means) != len(self._means):
            raise ValueError(f"expected {self._n} losses and {len(self._means)} block means beside this history, "
                             f"got {len(values)} and {len(means)}")
        other = LossHistory.of(values, self.start, (self._starts, self._counts, means), self.limit)
        other._measured[: self._n] = self._measured[: self._n]
        return other

    @property
    def limit(self) -> int | None:
        """The most exact entries kept (None: all of them)."""
        return self._limit

    @limit.setter
    def limit(self, limit: int | None) -> None:
        if limit is not None and limit < MIN_LIMIT:
            raise ValueError(f"a history limit below {MIN_LIMIT} entries folds too often")
        self._limit = limit

    # -- reading -----------------------------------------------------------------------

    @property
    def end(self) -> int:
        """The step whose loss is recorded next: every step before it has an entry (exact or folded)."""
        return self.start + self._n

    @property
    def folded(self) -> bool:
        """Whether some early steps are only kept as block means."""
        return self.start > 0

    def holds(self, step: int) -> bool:
        """Whether the exact loss after ``step`` steps is kept (measured, and not folded away)."""
        return self.start <= step < self.end and bool(self._measured[step - self.start])

    @property
    def complete(self) -> bool:
        """Whether every step from ``start`` on was measured: no gaps."""
        return bool(self._measured[: self._n].all())

    def at(self, step: int) -> float:
        if not self.holds(step):
            raise IndexError(f"no exact loss recorded for step {step}")
        return float(self._values[step - self.start])

    def exact(self) -> np.ndarray:
        """Read-only view of the exact entries: steps ``start`` to ``end - 1`` (NaN in a gap)."""
        view = self._values[: self._n]
        view.flags.writeable = False
        return view

    def first_below(self, threshold: float, since: int = 0) -> int | None:
        """The first step from ``since`` on whose exact loss is below ``threshold``, or None. Only the exact
        losses are looked at (not the steps folded into averages, nor those left unmeasured, NaN): the
        "÷10 at" of ``nnplay compare`` and of a race, and where each ghost got below X."""
        lo = max(since, self.start) - self.start
        hits = np.flatnonzero(self.exact()[lo:] < threshold)
        return None if not len(hits) else self.start + lo + int(hits[0])

    def blocks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The folded past as (first steps, step counts, mean losses)."""
        return self._starts.copy(), self._counts.copy(), self._means.copy()

    def measured(self) -> tuple[np.ndarray, np.ndarray]:
        """The exact entries that were measured: (steps, losses), the gaps left out."""
        measured = self._measured[: self._n]
        return np.arange(self.start, self.end)[measured], self._values[: self._n][measured]

    def alike(self, other: LossHistory) -> bool:
        """Whether ``other`` holds losses at the same steps as this one, folded into the same blocks."""
        n = self._n
        return (other.start, other._n) == (self.start, n) and np.array_equal(other._starts, self._starts) \
            and np.array_equal(other._counts, self._counts) and np.array_equal(other._measured[:n], self._measured[:n])

    def curve(self, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """At most ``max_points`` points of the whole history, spread evenly over its steps: (steps, losses).

        Each point is an exact loss at the step it is drawn at (the last one measured in its
        stretch of steps, so the current one is always the last point); only the folded past of a
        very long run gives block means, at the blocks' middle steps.
        """
        xs, (ys,) = self.curves(max_points)
        return xs, ys

    def curves(self, max_points: int, *beside: LossHistory) -> tuple[np.ndarray, list[np.ndarray]]:
        """``curve`` of this history, and the losses of the histories ``beside`` it (see ``beside()``)
        at the same steps: (steps, [losses, losses beside…])."""
        if not all(self.alike(other) for other in beside):
            raise ValueError("a history beside this one must be measured at the same steps")
        measured = self._measured[: self._n]
        kept = np.isfinite(self._means)  # a block of gaps alone has no mean
        xs = np.concatenate([(self._starts + (self._counts - 1) / 2)[kept],
                             np.arange(self.start, self.end)[measured].astype(float)])
        ys = [np.concatenate([h._means[kept], h._values[: h._n][measured]]) for h in (self, *beside)]
        if len(xs) <= max_points:
            return xs, ys
        width = -(-self.end // max(1, max_points))
        bins = (xs // width).astype(np.int64)
        last = np.flatnonzero(np.diff(bins, append=bins[-1] + 1))  # the last point in each bin
        return xs[last], [y[last] for y in ys]

    # -- writing -----------------------------------------------------------------------

    def record(self, value: float) -> None:
        """The loss after step ``end``."""
        if self._n == len(self._values):
            self._values = np.concatenate([self._values, np.empty(len(self._values))])
            self._measured = np.concatenate([self._measured, np.ones(len(self._measured), dtype=bool)])
        self._values[self._n] = value
        self._measured[self._n] = True
        self._n += 1
        while self.limit is not None and self._n > self.limit:
            self._fold()

    def record_at(self, step: int, value: float) -> None:
        """The loss after ``step`` steps, the steps from ``end`` up to it left as gaps (not measured)."""
        while self.end < step:
            self.record(math.nan)
            self._measured[self._n - 1] = False
        self.record(value)

    def truncate(self, end: int) -> None:
        """Forget every step from ``end`` on (rewinding): folded blocks are cut there too."""
        if end >= self.end:
            return
        if end >= self.start:
            self._n = end - self.start
            return
        keep = self._starts < end
        self._starts, self._counts, self._means = self._starts[keep], self._counts[keep], self._means[keep]
        if len(self._counts):
            self._counts[-1] = min(self._counts[-1], end - self._starts[-1])
        self.start, self._n = end, 0

    def _fold(self) -> None:
        """The oldest half of the exact entries joins the folded past.

        Every block of the folded past covers the steps [k·W, (k+1)·W) for one k
        (a block cut by a rewind covers part of that), with W a power of two
        doubled whenever more than MAX_BLOCKS blocks would be needed: the plot
        sees the distant past evenly, at a resolution that coarsens as the run
        grows.
        """
        assert self.limit is not None
        cut = self.start + self.limit // 2
        while -(-cut // self._width) > MAX_BLOCKS:
            self._width *= 2
        folded = cut - self.start
        starts = np.concatenate([self._starts, np.arange(self.start, cut, dtype=np.int64)])
        counts = np.concatenate([self._counts, np.ones(folded, dtype=np.int64)])
        # a block's mean is over the steps measured in it (a block of gaps alone has a NaN mean)
        measured = self._measured[:folded]
        weights = np.concatenate([self._counts * np.isfinite(self._means), measured])
        sums = np.concatenate([np.where(np.isfinite(self._means), self._means, 0.0) * self._counts,
                               np.where(measured, self._values[:folded], 0.0)])
        first = np.flatnonzero(np.diff(starts // self._width, prepend=-1))  # where each block begins
        self._starts = starts[first]
        self._counts = np.add.reduceat(counts, first)
        with np.errstate(invalid="ignore"):
            self._means = np.add.reduceat(sums, first) / np.add.reduceat(weights, first)
        self._values[: self._n - folded] = self._values[folded : self._n]
        self._measured[: self._n - folded] = self._measured[folded : self._n]
        self._n -= folded
        self.start = cut
