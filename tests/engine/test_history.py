"""The loss history: exact while small, folded into even blocks in bounded memory when asked."""

import numpy as np
import pytest

from nnplay.engine.history import MAX_BLOCKS, LossHistory


def filled(n, limit=None, seed=0):
    values = np.random.default_rng(seed).random(n)
    h = LossHistory(limit)
    for v in values:
        h.record(v)
    return h, values


def test_without_a_limit_every_entry_is_kept():
    h, values = filled(5000)
    assert not h.folded and h.end == 5000 and h.start == 0
    np.testing.assert_array_equal(h.exact(), values)
    assert h.at(4999) == values[-1]
    with pytest.raises(ValueError):
        h.exact()[0] = 1.0


def test_a_limit_bounds_memory_and_keeps_every_step_accounted_for():
    h, values = filled(300_000, limit=1024)
    starts, counts, means = h.blocks()
    assert len(h.exact()) <= 1024 and len(starts) <= MAX_BLOCKS
    # the blocks tile the folded past, in order, and the recent past is exact
    assert starts[0] == 0 and np.array_equal(starts[1:], starts[:-1] + counts[:-1]) and starts[-1] + counts[-1] == h.start
    np.testing.assert_array_equal(h.exact(), values[h.start:])
    # each block is the mean of the steps it covers, and all of them but the last one have the same width
    width = counts[0]
    assert np.all(counts[:-1] == width) and width & (width - 1) == 0
    expected = np.array([values[s:s + c].mean() for s, c in zip(starts, counts)])
    np.testing.assert_allclose(means, expected, rtol=1e-9)


def test_the_curve_of_a_folded_history_is_the_curve_of_the_whole():
    values = 1 / (1 + np.arange(200_000) / 1000)  # a falling loss
    h, whole = LossHistory(limit=2048), LossHistory()
    for v in values:
        h.record(v)
        whole.record(v)
    xs, ys = h.curve(100)
    wx, wy = whole.curve(100)
    assert len(xs) <= 100 and xs[0] < 2000 and xs[-1] == 199_999
    # the whole history's points are exact losses at their steps; the folded one's agree but for the blocks' width
    np.testing.assert_array_equal(wy, values[wx.astype(int)])
    np.testing.assert_allclose(np.interp(wx, xs, ys), wy, rtol=0.02)


def test_truncate_cuts_exact_and_folded_past():
    h, values = filled(20_000, limit=1024)
    start = h.start
    h.truncate(h.end - 10)
    assert h.end == 19_990 and h.at(19_989) == values[19_989]
    h.truncate(5000)  # into the folded past: nothing exact is left, the blocks end at 5000
    starts, counts, _ = h.blocks()
    assert h.start == h.end == 5000 < start and starts[-1] + counts[-1] == 5000 and not h.holds(4999)
    for v in values[5000:20_000]:
        h.record(v)
    assert h.end == 20_000 and h.at(19_999) == values[19_999]


def test_copy_and_of_keep_everything():
    h, _ = filled(10_000, limit=1024)
    again = LossHistory.of(h.exact(), h.start, h.blocks(), limit=h.limit)
    np.testing.assert_array_equal(again.curve(50)[1], h.curve(50)[1])
    for other in (again, h.copy()):
        assert other.end == h.end and other.start == h.start
        np.testing.assert_array_equal(other.exact(), h.exact())
        for a, b in zip(other.blocks(), h.blocks()):
            np.testing.assert_array_equal(a, b)
        other.record(5.0)
        assert h.end == 10_000


def test_a_limit_too_small_to_fold_is_refused():
    with pytest.raises(ValueError, match="folds too often"):
        LossHistory(10)
