"""Saved runs: the scenario, the settings, the parameters and the loss history, as JSON.

A save writes two files: ``NAME.json`` (everything needed to carry on) and
``NAME.csv`` (``step,loss``, for a spreadsheet or a plot). Each is written to
a temporary file in the same folder and renamed into place, so an
interrupted save never leaves a broken file behind. Loading checks the file
completely and reports a broken or foreign one as one ``RunFileError`` line.

The JSON holds the scenario's own TOML text, so a saved run opens anywhere,
without the original file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from .engine.trainer import Event, Settings, Trainer
from .scenario import Scenario, ScenarioError, parse

FORMAT = "nnplay-run"
VERSION = 1


class RunFileError(Exception):
    """A saved run that cannot be read, with the file and the reason."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _number(x: float):
    return float(x) if math.isfinite(x) else None


def save(path: str | Path, scenario: Scenario, trainer: Trainer) -> tuple[Path, Path]:
    """Write NAME.json and NAME.csv (``path`` may name either, or neither extension)."""
    if scenario.text is None:
        raise ValueError("this scenario was not read from a file, so it cannot be saved with the run")
    path = Path(path)
    base = path.with_suffix("") if path.suffix in (".json", ".csv") else path
    json_path, csv_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".csv")
    history = trainer.loss_history()
    document = {
        "format": FORMAT,
        "version": VERSION,
        "scenario": {"name": scenario.name, "source": scenario.source, "toml": scenario.text},
        "seed": trainer.seed,
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "position": trainer.position,
        "settings": asdict(trainer.settings),
        "params": [_number(v) for v in trainer.params],
        "velocity": [_number(v) for v in trainer.optimizer.state()["velocity"]],
        "loss_history": [_number(v) for v in history],
        "events": [{"step": e.step, "kind": e.kind,
                    "payload": e.payload if e.kind == "settings" else list(e.payload)} for e in trainer.events()],
    }
    _atomic_write(json_path, json.dumps(document))
    lines = ["step,loss"] + [f"{i},{v!r}" for i, v in enumerate(history.tolist())]
    _atomic_write(csv_path, "\n".join(lines) + "\n")
    return json_path, csv_path


def load(path: str | Path) -> tuple[Scenario, Trainer]:
    """A saved run, ready to carry on. Raises RunFileError for anything else."""
    label = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFileError(label, "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunFileError(label, f"cannot read it ({error.__class__.__name__})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise RunFileError(label, f"not a saved run: broken JSON ({error.msg} at line {error.lineno})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise RunFileError(label, "not an nnplay saved run (no \"format\": \"nnplay-run\")")
    if doc.get("version") != VERSION:
        raise RunFileError(label, f"saved by another version of nnplay (file version {doc.get('version')!r}, this one reads {VERSION})")
    try:
        return _load(doc, label)
    except RunFileError:
        raise
    except ScenarioError as error:
        raise RunFileError(label, f"its scenario is not valid: {error.problem} (at {error.path or 'the top'})") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise RunFileError(label, f"a saved run with missing or wrong fields ({error.__class__.__name__}: {error})") from None


def _floats(values, what: str, label: str) -> np.ndarray:
    if not isinstance(values, list) or not all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
        raise RunFileError(label, f"{what}: expected a list of numbers")
    return np.array([math.nan if v is None else float(v) for v in values])


def _load(doc: dict, label: str) -> tuple[Scenario, Trainer]:
    meta = doc["scenario"]
    scenario = parse(meta["toml"], source=str(meta["source"]), default_name=str(meta["name"]))
    seed = doc["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise RunFileError(label, "seed: expected a whole number >= 0")
    trainer = scenario.make_trainer(seed)
    names = {f.name for f in fields(Settings)}
    raw = doc["settings"]
    if not isinstance(raw, dict) or set(raw) != names:
        raise RunFileError(label, "settings: expected " + ", ".join(sorted(names)))
    settings = Settings(**raw)
    events = []
    for e in doc["events"]:
        if e["kind"] == "settings":
            payload = dict(e["payload"])
            if not set(payload) <= names:
                raise RunFileError(label, "events: unknown setting")
        elif e["kind"] == "param":
            index, value = e["payload"]
            payload = (int(index), float(value))
        else:
            raise RunFileError(label, f"events: unknown kind {e['kind']!r}")
        events.append(Event(int(e["step"]), e["kind"], payload))
    step, epoch, position = (doc[k] for k in ("step", "epoch", "position"))
    for key, value in (("step", step), ("epoch", epoch), ("position", position)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RunFileError(label, f"{key}: expected a whole number >= 0")
    params = _floats(doc["params"], "params", label)
    velocity = _floats(doc["velocity"], "velocity", label)
    history = _floats(doc["loss_history"], "loss_history", label)
    if len(params) != trainer.network.n_params:
        raise RunFileError(label, f"params: {len(params)} numbers, but this network has {trainer.network.n_params} parameters")
    if position >= trainer.n_samples:
        raise RunFileError(label, "position: beyond the end of the data")
    trainer.restore(step=step, epoch=epoch, position=position, params=params,
                    optimizer={"velocity": velocity}, last_update=velocity,
                    settings=settings, history=history, events=events)
    return scenario, trainer
