"""The text pictures of docs/data.md, drawn from the real generators.

    python docs/data_pictures.py        # prints every picture; tests/test_datasets.py checks the page has them

Classes: 'o' class 0, '+' class 1 (a cell holding both shows the later sample). Regression:
the plane's target as '-' (below -1/3), '.' (between) and '+' (above 1/3); the sine as its points.
"""

from __future__ import annotations

import numpy as np

from nnplay import datasets

COLS, ROWS, EDGE = 40, 16, 1.2  # the square [-1.2, 1.2]²: noise may carry a point past 1


def _cells(values: np.ndarray, count: int) -> np.ndarray:
    return np.clip(((values + EDGE) / (2 * EDGE) * count).astype(int), 0, count - 1)


def picture(name: str, samples: int = 200, noise: float = 0.0, seed: int = 0) -> str:
    """``name``'s data as COLS x ROWS characters, x1 to the right and x2 (sine: y) up, framed."""
    inputs, targets = datasets.generate(name, samples, noise, seed)
    t = targets[:, 0]
    if inputs.shape[1] == 1:
        points, marks = np.column_stack([inputs[:, 0], t]), np.full(len(t), "*")
    else:
        points = inputs
        if datasets.GENERATORS[name].class_names is not None:
            marks = np.where(t == 1, "+", "o")
        else:
            marks = np.where(t > 1 / 3, "+", np.where(t < -1 / 3, "-", "."))
    rows = [[" "] * COLS for _ in range(ROWS)]
    for (c, r), mark in zip(zip(_cells(points[:, 0], COLS), ROWS - 1 - _cells(points[:, 1], ROWS)), marks):
        rows[r][c] = mark
    frame = "+" + "-" * COLS + "+"
    return "\n".join([frame, *("|" + "".join(row) + "|" for row in rows), frame])


SHOWN = [(name, 0.0) for name in datasets.NAMES] + [("circle", 0.2)]


def main() -> None:
    for name, noise in SHOWN:
        print(f'generate = "{name}", noise = {noise:g}\n{picture(name, noise=noise)}\n')


if __name__ == "__main__":
    main()
