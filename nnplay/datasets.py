"""Generated data sets (``[data] generate``): the TensorFlow Playground's classics.

Each generator is one record of ``GENERATORS``: its description, its input
names, its class names (None for regression) and a small function that makes
the clean data from a NumPy ``Generator``. ``generate`` adds the noise and
mixes the samples, the same way for all of them, so the rules are written once:

* every data set lives in the square [-1, 1]² (one input: [-1, 1]), so the
  numbers on screen stay near 1;
* ``noise`` is a fraction of that scale: Gaussian noise of standard deviation
  ``noise`` on every input (classification: the points move, their class
  stays) or on the target (regression: the inputs stay exact);
* the same name, samples, noise and seed give bit-identical data (an own
  ``np.random.Generator``, never NumPy's global state).

docs/data.md shows a picture of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SAMPLES = 200          # the default
MAX_SAMPLES = 100_000
Make = Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True, eq=False)
class DataSet:
    description: str
    input_names: tuple[str, ...]
    class_names: tuple[str, ...] | None   # two classes (targets 0 and 1), or None: regression
    make: Make                            # (rng, samples) -> clean (inputs (n, d), targets (n,))


def _halves(n: int) -> tuple[int, int]:
    """Samples of class 0 and class 1: as even as ``n`` allows (class 0 gets the odd one)."""
    return n - n // 2, n // 2


def _circle(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    outside, inside = _halves(n)
    r = np.concatenate([rng.uniform(0.7, 1.0, outside), rng.uniform(0.0, 0.5, inside)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)]), np.repeat([0.0, 1.0], [outside, inside])


def _xor(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    same, opposite = _halves(n)
    size = rng.uniform(0.05, 1.0, (n, 2))                    # a margin of 0.05 along the axes
    sign = rng.choice([-1.0, 1.0], n)
    other = sign * np.repeat([1.0, -1.0], [same, opposite])  # class 1: x2's sign opposite x1's
    return size * np.column_stack([sign, other]), np.repeat([0.0, 1.0], [same, opposite])


def _gauss(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    low, high = _halves(n)
    centres = np.repeat([[-0.5, -0.5], [0.5, 0.5]], [low, high], axis=0)
    return centres + rng.normal(0.0, 0.15, (n, 2)), np.repeat([0.0, 1.0], [low, high])


def _spiral(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for label, count in enumerate(_halves(n)):
        s = np.arange(count) / max(count, 1)                # along the arm, centre outwards
        r, t = s, 1.75 * 2 * np.pi * s + label * np.pi      # the second arm half a turn on
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return np.concatenate(parts), np.repeat([0.0, 1.0], _halves(n))


def _moons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    upper, lower = _halves(n)
    a, b = rng.uniform(0.0, np.pi, upper), rng.uniform(0.0, np.pi, lower)
    points = np.concatenate([np.column_stack([np.cos(a), np.sin(a)]),
                             np.column_stack([1 - np.cos(b), 0.5 - np.sin(b)])])
    return (points - [0.5, 0.25]) / 1.5, np.repeat([0.0, 1.0], [upper, lower])  # into [-1, 1]²


def _plane(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-1.0, 1.0, (n, 2))
    return points, (points[:, 0] + points[:, 1]) / 2


def _sine(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, (n, 1))
    return x, np.sin(np.pi * x[:, 0])


GENERATORS: dict[str, DataSet] = {
    "circle": DataSet("a disc of one class inside a ring of the other", ("x1", "x2"), ("outside", "inside"), _circle),
    "xor": DataSet("the four quadrants: class 1 where x1 and x2 have opposite signs", ("x1", "x2"),
                   ("same", "opposite"), _xor),
    "gauss": DataSet("two Gaussian clouds, lower left and upper right", ("x1", "x2"),
                     ("lower left", "upper right"), _gauss),
    "spiral": DataSet("two spiral arms wound around each other", ("x1", "x2"), ("arm 1", "arm 2"), _spiral),
    "moons": DataSet("two interleaved half circles", ("x1", "x2"), ("upper moon", "lower moon"), _moons),
    "plane": DataSet("regression: y = (x1 + x2) / 2, a tilted plane", ("x1", "x2"), None, _plane),
    "sine": DataSet("regression: y = sin(pi x1), one period", ("x1",), None, _sine),
}
NAMES = tuple(GENERATORS)


def generate(name: str, samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``samples`` samples of the data set ``name``: (inputs (n, d), targets (n, 1)), in a mixed order."""
    spec = GENERATORS[name]
    rng = np.random.default_rng(seed)
    inputs, targets = spec.make(rng, samples)
    # drawn whatever the noise, so that another noise moves the same samples
    if spec.class_names is None:
        targets = targets + noise * rng.standard_normal(targets.shape)
    else:
        inputs = inputs + noise * rng.standard_normal(inputs.shape)
    order = rng.permutation(samples)  # the classes mixed, so that n and p meet both
    return inputs[order], targets[order].reshape(-1, 1)


def split(n: int, n_test: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows): ``n_test`` of ``n`` rows drawn from ``seed``, each set in the data's order.

    Its own stream of the seed, so the split does not depend on how the data were made."""
    test = np.random.default_rng([seed, 1]).permutation(n)[:n_test]
    held = np.zeros(n, dtype=bool)
    held[test] = True
    return np.flatnonzero(~held), np.flatnonzero(held)
