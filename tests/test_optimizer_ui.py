"""The optimiser and the schedule in the playground: the explain pane's update, the markers, the status line, the
learning-rate overlay, the keys and prompts of the presenter (no Textual)."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay import figures
from nnplay.engine import optimizers
from nnplay.scenario import load

OPTIMIZERS = list(optimizers.OPTIMIZERS)


def bits(x: float) -> str:
    return float(x).hex()


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("scenario", ["xor", "spiral"])  # full batch; minibatches of 9
def test_the_update_explained_is_the_update_the_step_makes_bit_for_bit(name, scenario):
    overrides = {"training.optimizer": name, "training.learning_rate": 0.05, "training.momentum": 0.9,
                 "training.schedule": {"kind": "exponential", "factor": 0.99}}
    t = load(scenario, overrides=overrides).make_trainer()
    for steps in (0, 1, 6):  # an empty state (Adam's t = 0), then one that has history
        t.step(steps)
        snap = t.snapshot()
        before = t.params.copy()
        shown = [figures.next_update(snap, i) for i in range(t.network.n_params)]
        t.step(1)
        for i, update in enumerate(shown):
            assert update.lines[-1].symbol == "Δw" and update.optimizer == name
            assert bits(update.value) == bits(snap.next_update[i])
            assert bits(t.params[i]) == bits(before[i] + update.value)
            assert update.learning_rate == snap.current_learning_rate
        assert not np.array_equal(t.params, before)


def test_each_optimiser_explains_what_it_keeps():
    t = load("xor", overrides={"training.optimizer": "adam"}).make_trainer()
    t.step(2)
    lines = figures.next_update(t.snapshot(), 0).lines
    assert [line.symbol for line in lines] == ["t", "m", "s", "1 − β1ᵗ", "1 − β2ᵗ", "m̂", "ŝ", "Δw"]
    by = {line.symbol: line for line in lines}
    assert by["t"].value == 3 and by["1 − β1ᵗ"].value == 1 - 0.9 ** 3
    assert by["m̂"].value == by["m"].value / by["1 − β1ᵗ"].value
    assert by["Δw"].values["m̂"] == by["m̂"].value and by["Δw"].values["ε"] == 1e-8
    expected = {"sgd": ["Δw"], "nesterov": ["v", "Δw"], "rmsprop": ["s", "Δw"], "adagrad": ["s", "Δw"]}
    for name, symbols in expected.items():
        t.change_settings(optimizer=name)
        t.step(1)
        lines = figures.next_update(t.snapshot(), 3).lines
        assert [line.symbol for line in lines] == symbols
        for line in lines:  # every number the formula names is given
            line.numbers.format(**line.values)
