"""``nnplay compare``: every combination of the varied settings, and the numbers of its table.

The command (``nnplay.cli``) loads a scenario for each combination, through the
same overrides as ``--set``, trains each from the seed, and prints what this
module makes of the trainers: one row per run. Nothing here draws (no Rich), so
the numbers can be tested and used from Python without a terminal.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .engine.optimizers import reads
from .engine.trainer import Trainer

MAX_RUNS = 64  # the combinations one compare trains: 4 × 4 × 4, a table that still fits a screen
_CLOSE = {"[": "]", "{": "}"}


def split_values(text: str) -> list[str]:
    """``V1,V2,…`` cut at its top-level commas: none inside brackets, braces or quotes, so that an
    array or an inline table (``[{units = 4}],[{units = 8}]``) is one value; each value stripped."""
    values, start, open_, quote = [], 0, [], ""
    for i, c in enumerate(text):
        if quote:
            if c == quote and not (quote == '"' and _escaped(text, i)):
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in _CLOSE:
            open_.append(_CLOSE[c])
        elif open_ and c == open_[-1]:
            open_.pop()
        elif c == "," and not open_:
            values.append(text[start:i].strip())
            start = i + 1
    values.append(text[start:].strip())
    return values


def _escaped(text: str, i: int) -> bool:
    """Whether the character at ``i`` follows an odd number of backslashes (escaped, in a TOML basic string)."""
    backslashes = len(text[:i]) - len(text[:i].rstrip("\\"))
    return backslashes % 2 == 1


def combinations(varied: Sequence[tuple[str, Sequence[str]]]) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of the varied values, as (key, value) pairs in the order the keys were given;
    the first key's values change slowest (a cartesian product). ValueError past ``MAX_RUNS``."""
    count = math.prod(len(values) for _, values in varied)
    if count > MAX_RUNS:
        sizes = " × ".join(str(len(values)) for _, values in varied)
        raise ValueError(f"{sizes} = {count} combinations, more than the {MAX_RUNS} one compare trains "
                         "(vary fewer values at once)")
    keys = [key for key, _ in varied]
    return [tuple(zip(keys, values)) for values in itertools.product(*(values for _, values in varied))]


@dataclass(frozen=True, eq=False)
class Result:
    """What one run of a comparison ended with."""

    steps: int
    seed: int
    loss: float
    accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    diverged_at: int | None
    until_step: int | None  # the step whose loss was below --until-loss (None: none was, or not asked)
    tenth_step: int | None
    loss_history: np.ndarray | None  # kept when asked for (the JSON), else None: a long run's is large
    test_loss_history: np.ndarray | None


def result(trainer: Trainer, until_step: int | None = None, histories: bool = True) -> Result:
    """The numbers of a trained run (``trainer`` measured the loss after every step; "÷10 at" is the first
    step below a tenth of the loss at step 0); ``histories``:
    keep its loss histories too."""
    snap = trainer.snapshot()
    history = trainer.loss_history()
    return Result(steps=trainer.step_count, seed=trainer.seed, loss=snap.loss, accuracy=snap.accuracy,
                  test_loss=snap.test_loss, test_accuracy=snap.test_accuracy, diverged_at=trainer.diverged_at,
                  until_step=until_step, tenth_step=trainer.history.first_below(history[0] / 10),
                  loss_history=history if histories else None,
                  test_loss_history=trainer.test_loss_history() if histories else None)


@dataclass(frozen=True, eq=False)
class Table:
    """The comparison as text cells: a header, one row per run, which columns hold numbers (right
    aligned) and which rows are the best (marked in the last column: ``_best``)."""

    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    best: list[bool]


def table(runs: Sequence[tuple[tuple[str, str], ...]], results: Sequence[Result], until: float | None,
          optimizers: Sequence[str] | None = None) -> Table:
    """One row per run: the varied values as given ("(unused)" for a setting its optimiser, of ``optimizers``,
    does not read: ``optimizers.reads``), the final loss (or where it diverged), the test loss, the accuracy and
    the test accuracy where any run has them, the step the loss fell below a tenth of its start, and with
    ``until`` the step it fell below that; "—" where there is none."""
    keys = [key for key, _ in runs[0]]
    if optimizers is not None:
        runs = [tuple((key, value if reads(optimizer, key.rsplit(".", 1)[-1]) else "(unused)") for key, value in run)
                for run, optimizer in zip(runs, optimizers, strict=True)]
    columns: list[tuple[str, list[str]]] = [
        ("loss", [f"{r.loss:.6g}" if r.diverged_at is None else f"diverged at step {r.diverged_at}" for r in results])]
    if any(r.test_loss is not None for r in results):
        columns.append(("test loss", [_number(r.test_loss) for r in results]))
    if any(r.accuracy is not None for r in results):
        columns.append(("accuracy", [_percent(r.accuracy) for r in results]))
    if any(r.test_accuracy is not None for r in results):
        columns.append(("test accuracy", [_percent(r.test_accuracy) for r in results]))
    columns.append(("÷10 at step", [_step(r.tenth_step) for r in results]))
    if until is not None:
        columns.append((f"below {until:g} at step", [_step(r.until_step) for r in results]))
    best, mark = _best(results, until)
    rows = [[value for _, value in run] + [cells[i] for _, cells in columns] + [mark if best[i] else ""]
            for i, run in enumerate(runs)]
    return Table(headers=keys + [name for name, _ in columns] + [""], rows=rows,
                 numeric=[False] * len(keys) + [True] * len(columns) + [False], best=best)


def _best(results: Sequence[Result], until: float | None) -> tuple[list[bool], str]:
    """The best runs and what makes them so: with ``until``, the first below it, if any run got there
    (their final losses are all about ``until``); else the lowest final loss of the runs that did not
    diverge. None when every run is as good as the best (a tie, or one run)."""
    reached = [r.until_step for r in results if r.until_step is not None]
    if reached:
        best, mark = [r.until_step == min(reached) for r in results], f"← first below {until:g}"
    else:
        finished = [r.loss for r in results if r.diverged_at is None and math.isfinite(r.loss)]
        best = [r.diverged_at is None and bool(finished) and r.loss == min(finished) for r in results]
        mark = "← lowest loss"
    return ([False] * len(results) if all(best) else best), mark


def short_headers(headers: Sequence[str]) -> list[str]:
    """Each setting's header by the last part of its key (``training.optimizer``: ``optimizer``) when no other
    header ends the same; a shorter table for a terminal."""
    last = [header.rsplit(".", 1)[-1] for header in headers]
    return [short if last.count(short) == 1 else header for header, short in zip(headers, last)]


def plain(t: Table) -> list[str]:
    """The table as aligned lines of plain text (for a pipe or a file)."""
    widths = [max(len(cell) for cell in column) for column in zip(t.headers, *t.rows)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(w) if right else cell.ljust(w)
                         for cell, w, right in zip(cells, widths, t.numeric)).rstrip()

    return [line(t.headers)] + [line(row) for row in t.rows]


def _number(x: float | None) -> str:
    return "—" if x is None else f"{x:.6g}"


def _percent(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def _step(step: int | None) -> str:
    return "—" if step is None else str(step)
