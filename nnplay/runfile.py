"""Saved runs: the scenario, the settings, the parameters and the loss history, as JSON.

A save writes two files: ``NAME.json`` (everything needed to carry on) and
``NAME.csv`` (``step,loss``, and ``test_loss`` with a test set, for a
spreadsheet or a plot). Both are written to
temporary files in the same folder first and then renamed into place, the
JSON last: a save leaves both files or neither, and a temporary file that a
killed save left behind is removed by a later save in that folder.

Loading trusts nothing. Only a regular file of at most 64 MB is read (about
three million steps of loss history; a FIFO or a device is refused before
reading), and every field is checked as strictly as a scenario file, with the
scenario's own rules (``scenario._Reader``). A broken or foreign file is one
``RunFileError`` line naming the file and the field:

    run.json: settings.batch_size: expected a whole number, got a number (1.5)

Numbers are always finite; ``null`` stands for a number that was not (a run
saved after it diverged), and only in params, the optimiser's state,
last_update and loss_history. In
loss_history, a ``null`` before the last entry is a step whose loss was not
measured (under minibatches the playground measures it every few epochs); the
CSV leaves those steps out. The
JSON constants NaN and Infinity, which nnplay never writes, are refused.
A run with a test set also has ``test_loss_history``, the test set's loss at
the same steps (its gaps where loss_history has them; ``null`` elsewhere is a
test loss that was not finite), and a folded history ``test_means`` beside
its blocks.

The JSON holds the scenario's own TOML text, so a saved run opens anywhere,
without the original file. The optimiser's state is ``optimizer: {name,
state}`` beside ``last_update``; a file saved before there were other
optimisers than sgd holds ``velocity`` instead (both, for sgd) and no
settings of the later optimisers, and still loads.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import stat
import sys
import time
import unicodedata
from dataclasses import fields
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from . import jsonnumbers
from .engine.history import LossHistory
from .engine.optimizers import OPTIMIZERS
from .engine.settings import plain
from .engine.trainer import Event, Settings, Trainer
from .scenario import MAX_SEED, Scenario, ScenarioError, _describe, _Reader, _shown, bundled_folder, parse

FORMAT = "nnplay-run"
VERSION = 1
BUNDLED = "bundled"  # scenario.folder of a bundled scenario: its CSV is in the bundled folder, wherever nnplay is
MAX_FILE_BYTES = 64 * 2**20
MAX_INTEGER_DIGITS = 30        # a seed has at most 19
MAX_NAME_CHARS = 40            # the scenario's part of a default file name
TEMPORARY_SUFFIX = ".nnplay-tmp"
STALE_TEMPORARY_SECONDS = 600  # no save takes this long: an older temporary file is a killed save's
SETTING_NAMES = tuple(f.name for f in fields(Settings))
_LATER_SETTINGS = ("optimizer", "beta1", "beta2", "rho", "epsilon", "schedule")  # not in files saved before them
_FIELDS = ("format", "version", "scenario", "seed", "step", "epoch", "position", "settings",
           "params", "loss_history", "events")
_OPTIMIZER_FIELDS = ("optimizer", "last_update")  # a file saved before other optimisers has "velocity" instead
_FOLDED = "loss_history_folded"  # only in a run so long that the playground averaged its early losses
_TEST = "test_loss_history"  # only in a run with a test set (and then _FOLDED has _TEST_MEANS)
_TEST_MEANS = "test_means"
_EVENT_FIELDS = ("step", "kind", "payload")
_EVENT_KINDS = ("settings", "param")


class RunFileError(Exception):
    """A saved run that cannot be read, with the file and the reason."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")


class LoadedRun(NamedTuple):
    scenario: Scenario
    trainer: Trainer
    note: str  # one line for the learner when the loaded run behaves unlike a fresh one, else ""


# -- saving ------------------------------------------------------------------------------


def default_name(scenario_name: str, step: int) -> str:
    """``nnplay-xor-step25``: the file name a save gets, in ASCII and short enough for any folder."""
    return f"nnplay-{slug(scenario_name) or 'run'}-step{step}"


def slug(name: str) -> str:
    """``name`` as a short ASCII file name part: lower case, runs of anything else as one '-' ('' for none)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:MAX_NAME_CHARS].strip("-")


def save(path: str | Path, scenario: Scenario, trainer: Trainer) -> tuple[Path, Path]:
    """Write NAME.json and NAME.csv (``path`` may name either, or neither extension)."""
    if scenario.text is None:
        raise ValueError("this scenario was not read from a file, so it cannot be saved with the run")
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".json", ".csv") else path
    json_path, csv_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".csv")
    trainer.current_loss()  # measured, so that the history reaches the current step
    history = trainer.history
    exact = history.exact()
    starts, counts, means = history.blocks()
    document: dict[str, object] = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {"name": scenario.name, "source": scenario.source, "toml": scenario.text,
                     "folder": BUNDLED if scenario.folder == bundled_folder() else str(scenario.folder)},
        "seed": trainer.seed,
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "position": trainer.position,
        "settings": trainer.settings.as_dict(),
        "params": jsonnumbers.array(trainer.params),
        "optimizer": {"name": trainer.optimizer.name,
                      "state": {key: jsonnumbers.array(value) if value.ndim else int(value)
                                for key, value in trainer.optimizer.state().items()}},
        "last_update": jsonnumbers.array(trainer.last_update),
        "loss_history": jsonnumbers.array(exact),
        "events": [{"step": e.step, "kind": e.kind,
                    "payload": plain(e.payload) if e.kind == "settings" else list(e.payload)} for e in trainer.events()],
    }
    test = trainer.test_history
    if test is not None:
        document[_TEST] = jsonnumbers.array(test.exact())
    if history.folded:
        folded: dict[str, object] = {
            "start": history.start,
            "blocks": [[int(a), int(c), jsonnumbers.number(m)] for a, c, m in zip(starts, counts, means)]}
        if test is not None:
            folded[_TEST_MEANS] = jsonnumbers.array(test.blocks()[2])
        document[_FOLDED] = folded
    text = json.dumps(document, allow_nan=False)
    if len(text) > MAX_FILE_BYTES:  # json.dumps writes ASCII: characters are bytes
        raise ValueError(f"the run is too long: its file would be {len(text) / 2**20:.0f} MB, "
                         f"and a saved run may be at most {MAX_FILE_BYTES // 2**20} MB")
    # the averaged early steps of a very long run: one row per block, at its middle step
    # (a block of unmeasured steps only has no mean: left out, as the gaps are); the steps measured
    # after them, the gaps left out; the test loss beside the loss
    xs, ys = history.curves(history.end + 1, *([] if test is None else [test]))
    blocks = int(np.isfinite(means).sum())  # the first points: the blocks' means at their middle steps
    columns = [[f"{x:.1f}" for x in xs[:blocks].tolist()] + [str(int(x)) for x in xs[blocks:].tolist()]]
    columns += [[repr(v) for v in losses.tolist()] for losses in ys]
    lines = ["step,loss" + ("" if test is None else ",test_loss")] + [",".join(row) for row in zip(*columns)]
    _remove_stale_temporaries(json_path.parent)
    _write_all([(csv_path, "\n".join(lines) + "\n"), (json_path, text)])
    return json_path, csv_path


def _write_all(files: list[tuple[Path, str]]) -> None:
    """Write every file or none: all to temporary files first, then renamed into place in order.

    A temporary file is created with mode 0666 for the umask to trim (mkstemp's
    would be 0600), so a saved run gets the permissions of any file the user makes.
    """
    temporaries: list[Path] = []
    placed: list[Path] = []
    try:
        for path, text in files:
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}{TEMPORARY_SUFFIX}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temporaries.append(temporary)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        for (path, _), temporary in zip(files, temporaries):
            os.replace(temporary, path)
            placed.append(path)
    except BaseException:
        for leftover in temporaries + placed:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files that a save killed half-way (kill -9, a power cut) left in ``folder``."""
    now = time.time()
    for leftover in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        try:
            info = leftover.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                leftover.unlink()
        except OSError:
            pass


# -- loading -----------------------------------------------------------------------------


def saved_runs(folder: str | Path = ".") -> list[str]:
    """The names of the ``.json`` files in ``folder`` (the runs saved there, and perhaps other JSON), newest first.

    Only regular files, and only names that print as they are (no control characters), as offers to type;
    none when the folder cannot be read.
    """
    found: list[tuple[float, str]] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                if entry.name.endswith(".json") and entry.name.isprintable() and entry.is_file(follow_symlinks=False):
                    found.append((entry.stat(follow_symlinks=False).st_mtime, entry.name))
    return [name for _, name in sorted(found, key=lambda item: (-item[0], item[1]))]



def load(path: str | Path) -> LoadedRun:
    """A saved run, ready to carry on, with a note for the learner when it needs one.

    Raises RunFileError, one line naming the file and the field, for anything else.
    """
    label = str(path)
    doc = _parse_json(_read_text(Path(path), label), label)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RunFileError(label, "not an nnplay saved run (no \"format\": \"nnplay-run\")")
    if doc.get("version") != VERSION or isinstance(doc.get("version"), bool):
        raise RunFileError(label, f"saved by another version of nnplay (file version: {_describe(doc.get('version'))}, "
                                  f"this one reads {VERSION})")
    try:
        scenario, trainer = _restore(doc, _Reader(label))
    except ScenarioError as error:
        raise RunFileError(label, f"{error.path}: {error.problem}" if error.path else error.problem) from None
    note = ""
    if trainer.diverged:
        note = (f"{label} was saved after the run diverged, at step {trainer.step_count}: a loaded run cannot "
                f"step back past the step it was saved at; reset (0) starts again from step 0.")
    return LoadedRun(scenario, trainer, note)


def _read_text(path: Path, label: str) -> str:
    """The file's text; anything but a regular file of a sane size is refused before reading."""
    try:
        # non-blocking, so that opening a FIFO returns at once (and fstat then refuses it)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the name, which no file has
        raise RunFileError(label, "no such file") from None
    except OSError as error:
        raise RunFileError(label, f"cannot read: {error.strerror or error}") from None
    too_large = f"too large: a saved run is at most {MAX_FILE_BYTES // 2**20} MB"
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise RunFileError(label, "is a folder, not a saved run")
        if not stat.S_ISREG(info.st_mode):
            raise RunFileError(label, "not a regular file (a saved run is a .json file saved with s)")
        if info.st_size > MAX_FILE_BYTES:
            raise RunFileError(label, too_large)
        with open(fd, "rb", closefd=False) as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the size may lie (a file in /proc) or grow
    except OSError as error:
        raise RunFileError(label, f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise RunFileError(label, too_large)
    if not data.strip():
        raise RunFileError(label, "the file is empty (a saved run is the JSON file that s writes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RunFileError(label, "not a text file (a saved run is UTF-8 JSON)") from None


def _short_integer(digits: str) -> int:
    """An integer as JSON writes it, refused when longer than any count or seed (whose values end up in messages)."""
    if len(digits) > MAX_INTEGER_DIGITS:
        raise ValueError(digits)
    return int(digits)


def _parse_json(text: str, label: str) -> Any:
    try:
        return json.loads(text, parse_int=_short_integer)
    except RecursionError:
        raise RunFileError(label, "not a saved run: arrays or tables nested too deeply") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise RunFileError(label, f"not a saved run: broken JSON ({error.msg}: {where})") from None
    except ValueError:  # the only other: from _short_integer
        raise RunFileError(label, "not a saved run: a number too long to read") from None


def _required(read: _Reader, table: Any, path: str, allowed: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """A table with the keys ``allowed``, and perhaps some of ``optional``."""
    table = read.table(table, path, allowed + optional)
    for key in allowed:
        if key not in table:
            read.fail(path, f"missing key '{key}'")
    return table


def _whole(read: _Reader, value: Any, path: str, low: int, high: int, what: str) -> int:
    number = read.integer(value, path)
    if not low <= number <= high:
        read.fail(path, f"must be {what} from {low} to {high}, got {number}")
    return number


def _numbers(read: _Reader, value: Any, path: str, count: int, why: str) -> np.ndarray:
    """``count`` numbers, each finite or null (a number that was not finite: the run diverged)."""
    items = read.array(value, path, nonempty=False)
    if len(items) != count:
        read.fail(path, f"has {len(items)} number{'s' if len(items) != 1 else ''} but {why}")
    if all(type(v) is float and math.isfinite(v) for v in items):  # the usual file, quickly
        return np.array(items, dtype=float)
    return np.array([math.nan if v is None else read.number(v, f"{path}[{i}]", largest=sys.float_info.max)
                     for i, v in enumerate(items)])


def _history(read: _Reader, doc: dict, step: int, with_test: bool) -> tuple[LossHistory, LossHistory | None]:
    """The loss after every step: exact, or (a very long run) exact from ``start`` on after averaged blocks;
    and ``with_test``, the test set's loss beside it."""
    start, blocks = 0, None
    test_means = None
    if _FOLDED in doc:
        folded = _required(read, doc[_FOLDED], _FOLDED, ("start", "blocks"), optional=(_TEST_MEANS,))
        start = _whole(read, folded["start"], f"{_FOLDED}.start", 1, step, "a step of the saved run")
        rows = read.array(folded["blocks"], f"{_FOLDED}.blocks")
        starts: list[int] = []
        counts: list[int] = []
        means: list[float] = []
        for i, row in enumerate(rows):
            where = f"{_FOLDED}.blocks[{i}]"
            if not isinstance(row, list) or len(row) != 3:
                read.fail(where, f"expected [first step, steps, mean loss], got {_describe(row)}")
            end = starts[-1] + counts[-1] if starts else 0
            first = read.integer(row[0], f"{where}[0]")
            if first != end:
                read.fail(f"{where}[0]", f"must be {end}, where the block before ends, got {first}")
            starts.append(first)
            counts.append(_whole(read, row[1], f"{where}[1]", 1, start - end, "a number of steps within the folded part"))
            means.append(math.nan if row[2] is None else read.number(row[2], f"{where}[2]"))
        if sum(counts) != start:
            read.fail(f"{_FOLDED}.blocks", f"cover {sum(counts)} steps but start says {start}")
        blocks = (starts, counts, means)
        if with_test:
            if _TEST_MEANS not in folded:
                read.fail(_FOLDED, f"missing key '{_TEST_MEANS}' (the scenario has a test set)")
            test_means = _numbers(read, folded[_TEST_MEANS], f"{_FOLDED}.{_TEST_MEANS}", len(means),
                                  "there is one for each block")
        elif _TEST_MEANS in folded:
            read.fail(f"{_FOLDED}.{_TEST_MEANS}", "the scenario has no test set")
    n = step + 1 - start
    why = (f"a run at step {step} has {n} losses (one before the first step and one after each"
           + (f", from step {start} on)" if start else ")"))
    history = LossHistory.of(_numbers(read, doc["loss_history"], "loss_history", n, why), start, blocks)
    if not with_test:
        if _TEST in doc:
            read.fail(_TEST, "the scenario has no test set")
        return history, None
    if _TEST not in doc:
        read.fail("", f"missing key '{_TEST}' (the scenario has a test set)")
    return history, history.beside(_numbers(read, doc[_TEST], _TEST, n, why), test_means)


def _optimizer(read: _Reader, doc: dict, name: str, n_params: int, step: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The optimiser's state and the last update: ``optimizer: {name, state}`` and ``last_update``, or in a file
    saved before other optimisers, ``velocity`` (sgd's state, which is also its last update)."""
    why = f"this network has {n_params} parameters"
    if "optimizer" not in doc and "velocity" in doc:
        velocity = _numbers(read, doc["velocity"], "velocity", n_params, why)
        if name != "sgd":
            read.fail("velocity", f"is sgd's state, but settings.optimizer is {name!r}")
        return {"velocity": velocity}, velocity
    for key in _OPTIMIZER_FIELDS:
        if key not in doc:
            read.fail("", f"missing key '{key}'")
    table = _required(read, doc["optimizer"], "optimizer", ("name", "state"))
    saved = read.choice(table["name"], "optimizer.name", "optimizer", tuple(OPTIMIZERS))
    if saved != name:
        read.fail("optimizer.name", f"is {saved!r} but settings.optimizer is {name!r}")
    keeps = OPTIMIZERS[name].state_names
    counters = OPTIMIZERS[name].counters
    state = _required(read, table["state"], "optimizer.state", keeps + counters)
    arrays = {key: _numbers(read, state[key], f"optimizer.state.{key}", n_params, why) for key in keeps}
    counts = {key: np.array(_whole(read, state[key], f"optimizer.state.{key}", 0, step, "a whole number"))
              for key in counters}
    return arrays | counts, _numbers(read, doc["last_update"], "last_update", n_params, why)


def _restore(doc: dict, read: _Reader) -> tuple[Scenario, Trainer]:
    """Check every field of a saved run (raising ScenarioError) and carry on from it."""
    doc = _required(read, doc, "", _FIELDS, optional=(_FOLDED, _TEST, "velocity") + _OPTIMIZER_FIELDS)
    meta = _required(read, doc["scenario"], "scenario", ("name", "source", "toml"), optional=("folder",))
    name = read.string(meta["name"], "scenario.name")
    source = read.string(meta["source"], "scenario.source")
    folder = None  # (a file saved before the folder was: the source's folder)
    if "folder" in meta:
        saved = read.string(meta["folder"], "scenario.folder")
        folder = bundled_folder() if saved == BUNDLED else Path(saved)
        if not folder.is_absolute():
            read.fail("scenario.folder", f"expected an absolute path or '{BUNDLED}', got {_shown(saved)!r}")
    toml = meta["toml"]  # a scenario file's text: parse() checks it like a file's
    if not isinstance(toml, str):
        read.fail("scenario.toml", f"expected a string, got {_describe(toml)}")
    try:
        scenario = parse(toml, source=source, default_name=name, folder=folder)
    except ScenarioError as error:
        inner = f"{error.path}: {error.problem}" if error.path else error.problem
        read.fail("scenario.toml", f"the saved scenario is not valid: {inner}")
    seed = _whole(read, doc["seed"], "seed", 0, MAX_SEED, "a whole number")
    trainer = scenario.make_trainer(seed)
    n_samples, n_params = trainer.n_samples, trainer.network.n_params

    required = tuple(name for name in SETTING_NAMES if name not in _LATER_SETTINGS)
    settings = read.training(_required(read, doc["settings"], "settings", required, optional=_LATER_SETTINGS),
                             scenario.layers, trainer.T, path="settings")
    step = read.integer(doc["step"], "step")
    if step < 0:
        read.fail("step", f"must be 0 or more, got {step}")
    epoch = _whole(read, doc["epoch"], "epoch", 0, step, "a whole number")
    position = _whole(read, doc["position"], "position", 0, n_samples - 1, "a place in the epoch's samples")
    params = _numbers(read, doc["params"], "params", n_params, f"this network has {n_params} parameters")
    optimizer, last_update = _optimizer(read, doc, settings.optimizer, n_params, step)
    history, test_history = _history(read, doc, step, trainer.X_test is not None)

    events: list[Event] = []
    saved_settings = settings.as_dict()
    for where, raw in read.records(doc["events"], "events", _EVENT_FIELDS, _EVENT_FIELDS, nonempty=False):
        at = _whole(read, raw["step"], f"{where}.step", 0, step, "a step of the saved run")
        if events and at < events[-1].step:
            read.fail(f"{where}.step", f"events must be in step order, but step {at} comes after step {events[-1].step}")
        kind = read.choice(raw["kind"], f"{where}.kind", "event kind", _EVENT_KINDS)
        if kind == "settings":
            changes = read.table(raw["payload"], f"{where}.payload", SETTING_NAMES)
            merged = read.training(dict(saved_settings, **changes), scenario.layers, trainer.T, f"{where}.payload")
            payload: object = {key: getattr(merged, key) for key in changes}
        else:
            pair = read.array(raw["payload"], f"{where}.payload")
            if len(pair) != 2:
                read.fail(f"{where}.payload", f"expected [parameter index, value], got {len(pair)} items")
            index = _whole(read, pair[0], f"{where}.payload[0]", 0, n_params - 1, "a parameter index")
            payload = (index, read.number(pair[1], f"{where}.payload[1]"))
        events.append(Event(at, kind, payload))

    trainer.restore(step=step, epoch=epoch, position=position, params=params,
                    optimizer=optimizer, last_update=last_update,
                    settings=settings, history=history, events=events, test_history=test_history)
    return scenario, trainer
