"""Rewind replays a number of steps bounded by how far back it goes, not by the length of the run."""

import numpy as np
import pytest

from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.engine.timeline import CHECKPOINT_EVERY

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
T = np.array([[0], [1], [1], [0]], dtype=float)
RUN = 40_003
DISTANCES = (1, 10, 100, 1_000, 5_000, 10_000, 20_000, 39_000)


def xor_trainer():
    net = Network(2, [LayerSpec(4, "sigmoid"), LayerSpec(1, "sigmoid")])
    return Trainer(net, X, T, Settings(loss="bce", learning_rate=0.5, momentum=0.9), net.init_params("uniform", 0.5, 1))


@pytest.mark.parametrize("budget", [64, 200])
def test_a_rewind_replays_at_most_a_fraction_of_its_distance_and_lands_exactly(budget):
    t = xor_trainer()
    t.timeline.max_checkpoints = budget  # a small budget: the thinning is exercised within a short run
    expected = {}
    for target in sorted(RUN - d for d in DISTANCES):
        t.step(target - t.step_count)
        expected[target] = (t.params.copy(), t.current_loss())
    t.step(RUN - t.step_count)
    assert len(t.timeline.checkpoints) <= budget
    replayed = []
    for d in DISTANCES:
        c = t.clone()
        c.advance = lambda steps, advance=c.advance: (replayed.append(steps), advance(steps))[1]
        replayed.clear()
        c.rewind(RUN - d)
        params, loss = expected[RUN - d]
        np.testing.assert_array_equal(c.params, params)
        assert c.current_loss() == loss
        # within one checkpoint interval near the present, and a fraction of the distance further back
        assert sum(replayed) <= max(CHECKPOINT_EVERY, d * (0.25 if budget == 64 else 0.1)), (d, sum(replayed))
