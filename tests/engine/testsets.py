"""Scenarios with a held-out test set, made by hand (as [data] test_fraction or test_inputs would)."""

from dataclasses import replace

import numpy as np

from nnplay.scenario import Scenario

# the bump has three samples, all needed to train: its test points lie between them
BUMP_TEST = (np.array([[0.25], [0.75]]), np.array([[0.5], [0.5]]))


def with_test_set(scenario: Scenario) -> Scenario:
    """``scenario`` with every fourth sample (the 4th, 8th, …) moved from the training set to a test set,
    or for the three samples of ``bump`` a test set of two more."""
    d = scenario.data
    if len(d.inputs) < 4:
        return replace(scenario, data=replace(d, test_inputs=BUMP_TEST[0], test_targets=BUMP_TEST[1]))
    held = np.arange(len(d.inputs)) % 4 == 3
    data = replace(d, inputs=d.inputs[~held], targets=d.targets[~held],
                   test_inputs=d.inputs[held], test_targets=d.targets[held])
    return replace(scenario, data=data)


def held_out_everywhere(monkeypatch) -> None:
    """Every scenario that the commands load, and every saved run's scenario, gets ``with_test_set``:
    test sets in files, end to end, without [data] test_fraction (read by the loader's own work)."""
    from nnplay import cli, runfile

    parse, load = runfile.parse, cli.load
    monkeypatch.setattr(runfile, "parse", lambda *args, **kwargs: with_test_set(parse(*args, **kwargs)))
    monkeypatch.setattr(cli, "load", lambda *args, **kwargs: with_test_set(load(*args, **kwargs)))
