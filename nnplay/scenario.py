"""Scenario files: TOML in, a validated ``Scenario`` out.

Everything a learner can get wrong in a file is caught here and reported as
one ``ScenarioError`` whose message names the file, the key path and the
problem, with the allowed values or a did-you-mean where there are any:

    my.toml: network.layers[1].activation: unknown activation 'sigmoi' (expected one of: sigmoid, tanh, relu, linear, softmax)

The file is data: it is parsed with ``tomllib`` and nothing in it is ever
evaluated. Before tomllib sees the text, ``_check_text`` refuses what would
break tomllib or Python themselves (nesting thousands deep, integers of
thousands of digits), so even those get a key path. Every name and text the
loader accepts is free of control characters: they would reach the terminal.
The format is documented in docs/scenario-format.md.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from . import bagofwords, csvdata, datasets, features
from .engine import activations, initializers, losses, optimizers, phases, schedules
from .engine.network import LayerSpec, Network
from .engine.settings import Settings
from .engine.settings import problems as settings_problems
from .engine.trainer import Trainer
from .figures import unit_names
from .later import later

if TYPE_CHECKING:
    from . import tomlwriter
else:  # loaded when a scenario is changed (--set, an edit): the first frame does without it
    tomlwriter = later("nnplay.tomlwriter")

VIEWS = ("curve", "decision-map", "sentences", "table")
# What the playground keeps usable (opens in under 2 s, answers a key in about 0.5 s): it
# draws every input, every unit and every weight. Measured: docs/scenario-format.md.
MAX_INPUTS = 1_000      # data columns, or words of the vocabulary
MAX_UNITS = 128         # in all layers together, hidden and output
MAX_PARAMS = 20_000
MAX_DATA_NUMBERS = 1_000_000
MAX_UNIT_VALUES = 1_000_000  # samples x units: u, z and delta of every unit for every sample, each pass
MAX_SEED = 2**63 - 1
MAX_FILE_BYTES = 2 * 1024 * 1024   # "2 MB"; more data belongs in a CSV file
MAX_NESTING = 10                   # levels of arrays, inline tables or dotted key parts; a scenario needs 3
MAX_INTEGER_DIGITS = 100           # a seed needs 19
MAX_MAGNITUDE = 1e12               # any number; squared it stays far inside float64
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Unicode category Cc, and the bidirectional overrides and isolates that reorder how a line is shown
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # but tab and line break

_TABLES = ("scenario", "data", "network", "init", "training", "lesson")
EXPLAIN_VIEWS = ("inspector", "chain-rule", "nudge", "sweep", "landscape", "functions")
LANDSCAPE_LESSON_VIEWS = ("landscape-random", "landscape-pca")  # the landscape along those directions, 2-D
LESSON_VIEWS = EXPLAIN_VIEWS + ("unit-maps",) + LANDSCAPE_LESSON_VIEWS
MAX_LESSON_STEP = 10_000_000
MAX_GHOSTS = 3  # runs racing the live one in the playground, at most (a lesson's race too)
_TRAINING_KEYS = ("loss", "optimizer", "learning_rate", "momentum", "beta1", "beta2", "rho", "epsilon", "schedule",
                  "batch_size", "shuffle", "l2")
_KEYS = {
    "scenario": ("name", "summary", "view"),
    "data": ("inputs", "targets", "input_names", "output_names", "sentences", "class_names", "generate", "samples",
             "noise", "data_seed", "csv", "input_columns", "target_column", "test_fraction", "test_inputs",
             "test_targets", "test_sentences", "features"),
    "network": ("layers",),
    "layer": ("units", "activation"),
    "init": ("scheme", "scale", "seed"),
    "training": _TRAINING_KEYS,
    "lesson": ("title", "text", "action"),
    "action": ("run_to", "sample", "weight", "view", "settings", "reset", "race", "phase"),
    "action.settings": _TRAINING_KEYS,  # a lesson page may change any of them, checked as [training] is
}


def printable(text: str) -> str:
    """``text`` as it may be printed: unchanged, or as a Python literal when it holds control
    characters (they would steer the terminal) or shows nothing at all."""
    return repr(text) if _CONTROL.search(text) or not text.strip() else text


class ScenarioError(Exception):
    """A scenario that cannot be used, with where and why in one line."""

    def __init__(self, source: str, path: str, problem: str):
        self.source, self.path, self.problem = source, path, problem
        where = f"{printable(source)}: {printable(path)}: " if path else f"{printable(source)}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class InitSpec:
    scheme: str = "xavier"
    scale: float = 0.5
    seed: int = 0


@dataclass(frozen=True, eq=False)
class LessonAction:
    """What a lesson page does when it is shown (every field optional)."""

    reset: bool = False
    settings: tuple[tuple[str, object], ...] = ()   # training settings to change
    run_to: int | None = None                       # train (or step back) to this step
    sample: int | None = None                       # 0-based sample to select
    weight: int | None = None                       # flat index of the parameter to select
    view: str | None = None                         # an explain view, or "unit-maps"
    race: tuple[tuple[tuple[str, object], ...], ...] = ()  # ghosts to pin (after reset and settings), each
                                                            # the live settings with these changed
    phase: int | None = None                        # 0-based: the next iteration shown up to this phase (f)


@dataclass(frozen=True, eq=False)
class LessonPage:
    title: str
    text: str
    action: LessonAction | None = None


DATA_KINDS = ("numbers", "text")
# [data]: the keys that say where the data come from (exactly one is given), and the keys that only some of them use
_SOURCES = ("inputs", "sentences", "generate", "csv")
_NUMERIC = ("inputs", "generate", "csv")
_ONLY_WITH = {
    "targets": ("inputs",), "input_names": ("inputs", "generate"),
    "samples": ("generate",), "noise": ("generate",),
    "input_columns": ("csv",), "target_column": ("csv",),
    "test_inputs": _NUMERIC, "test_targets": _NUMERIC, "features": _NUMERIC, "test_sentences": ("sentences",),
}


@dataclass(frozen=True, eq=False)
class Data:
    """What the network learns from: the numbers it sees, and what they were written as."""

    kind: str                     # "numbers" (inputs and targets) or "text" (labelled sentences)
    inputs: np.ndarray            # encoded: what the network sees (a bag of words for text)
    targets: np.ndarray
    input_names: tuple[str, ...]  # for text, the vocabulary
    output_names: tuple[str, ...]
    sentences: tuple[tuple[str, int], ...] | None = None  # text: (sentence, class)
    class_names: tuple[str, ...] | None = None
    # the held-out test set (never trained on), encoded like inputs/targets; None without one
    test_inputs: np.ndarray | None = None
    test_targets: np.ndarray | None = None
    test_sentences: tuple[tuple[str, int], ...] | None = None
    # with [data] features: the named inputs before the features (inputs then holds the features,
    # input_names their names, such as "x1^2"); None without features
    raw_names: tuple[str, ...] | None = None
    raw_inputs: np.ndarray | None = None
    test_raw_inputs: np.ndarray | None = None

    @property
    def vocabulary(self) -> tuple[str, ...] | None:
        return self.input_names if self.kind == "text" else None

    @property
    def named_inputs(self) -> np.ndarray:
        """The training inputs as the data names them, before any features: what the views plot."""
        return self.inputs if self.raw_inputs is None else self.raw_inputs

    @property
    def named_input_names(self) -> tuple[str, ...]:
        """The names of ``named_inputs``: the views' axes."""
        return self.input_names if self.raw_names is None else self.raw_names

    @property
    def test_named_inputs(self) -> np.ndarray | None:
        """The test inputs as the data names them (``named_inputs``'s test set); None without a test set."""
        return self.test_inputs if self.raw_inputs is None else self.test_raw_inputs

    def encode(self, points: np.ndarray) -> np.ndarray:
        """``points`` of the named inputs as the network sees them: through the features, if any."""
        return points if self.raw_names is None else features.encode(self.input_names, self.raw_names, points)


@dataclass(frozen=True, eq=False)
class Scenario:
    name: str
    summary: str
    view: str
    source: str
    data: Data
    layers: tuple[LayerSpec, ...]
    init: InitSpec
    training: Settings
    lessons: tuple[LessonPage, ...] = ()
    text: str | None = None       # the TOML it was read from (saved with a run)
    id: str = ""                  # how the commands name it: a bundled name, else the file's path (source)
    folder: Path = Path()         # where its CSV file is found, absolute (saved with a run, so that it reloads anywhere)

    @property
    def classification(self) -> bool:
        """Accuracy is reported when the loss is a cross-entropy or the data has classes."""
        return (losses.LOSSES[self.training.loss].classification or self.data.kind == "text"
                or self.data.class_names is not None)

    def network(self) -> Network:
        return Network(self.data.inputs.shape[1], self.layers)

    @property
    def has_unit_maps(self) -> bool:
        """Whether per-unit maps can be drawn beside the decision map: two inputs (a map) and a hidden layer."""
        return self.view == "decision-map" and len(self.layers) >= 2

    def unit_names(self) -> list[tuple[str, ...]]:
        """Every column's unit names, as every pane and command names them: the inputs, h1 … (h1.1 … with
        several hidden layers), the outputs."""
        return unit_names(self.data.input_names, [layer.units for layer in self.layers], self.data.output_names)

    def make_trainer(self, seed: int | None = None) -> Trainer:
        """A fresh trainer; ``seed`` replaces [init].seed (and with it the shuffle)."""
        seed = self.init.seed if seed is None else seed
        net = self.network()
        params = net.init_params(self.init.scheme, self.init.scale, seed)
        return Trainer(net, self.data.inputs, self.data.targets, self.training, params, seed=seed,
                       classification=self.classification,
                       test_inputs=self.data.test_inputs, test_targets=self.data.test_targets)

    def encode(self, sentence: str) -> tuple[np.ndarray, list[str], list[str]]:
        """A new sentence as the network's input: (vector, known words, unknown words)."""
        if self.data.vocabulary is None:
            raise ValueError("this scenario has no sentences")
        return bagofwords.encode(sentence, self.data.vocabulary)


# -- finding scenarios ---------------------------------------------------------


def _bundled_dir():
    """The bundled scenarios: installed, the package nnplay.scenarios; in a source tree (a checkout, an
    unpacked sdist) that package is the top-level scenarios/ folder beside nnplay/."""
    try:
        return resources.files("nnplay.scenarios")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "scenarios"


def bundled_folder() -> Path:
    """The bundled scenarios' folder, as an absolute path (where a bundled scenario's CSV file is found)."""
    return Path(os.path.abspath(str(_bundled_dir())))


def bundled_names() -> list[str]:
    return sorted(p.name[:-5] for p in _bundled_dir().iterdir() if p.name.endswith(".toml"))


_SCENARIO_TABLE = re.compile(r"^\[scenario\][ \t]*\n(?:(?!\[).*\n)*", re.MULTILINE)


def bundled_summaries() -> list[tuple[str, str]]:
    """(name, summary) of every bundled scenario, for lists (``nnplay list``, the open picker), quickly: from
    the file's [scenario] table alone when it can be read on its own (digits' whole file takes 0.4 s to load),
    else from the whole scenario; one that does not load says why instead."""
    rows = []
    for name in bundled_names():
        text = (_bundled_dir() / f"{name}.toml").read_text(encoding="utf-8")
        table = _SCENARIO_TABLE.search(text)
        try:
            summary = tomllib.loads(table.group(0))["scenario"]["summary"] if table else None
        except (tomllib.TOMLDecodeError, KeyError):
            summary = None
        if not isinstance(summary, str) or _CONTROL.search(summary):
            try:
                summary = load(name).summary
            except ScenarioError as error:
                summary = f"(does not load: {error.problem})"
        rows.append((name, summary))
    return rows


def load(name_or_path: str, *, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A bundled scenario by name, or a scenario file by path; ``overrides`` as in ``parse``."""
    if not name_or_path.strip():
        raise ScenarioError(name_or_path, "", "no scenario given (a bundled name or a .toml file)")
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if not looks_like_path and name_or_path in bundled_names():
        text = (_bundled_dir() / f"{name_or_path}.toml").read_text(encoding="utf-8")
        return replace(parse(text, f"{name_or_path}.toml", default_name=name_or_path, overrides=overrides,
                             folder=bundled_folder()), id=name_or_path)
    path = Path(name_or_path)
    try:
        mode = path.stat().st_mode  # stat, not open: opening a FIFO would wait for a writer
    except OSError:
        if looks_like_path:
            raise ScenarioError(name_or_path, "", "no such scenario file") from None
        known = bundled_names()
        close = difflib.get_close_matches(name_or_path, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ScenarioError(name_or_path, "", f"no such bundled scenario or file ({hint}bundled: {', '.join(known)})") from None
    if stat.S_ISDIR(mode):
        raise ScenarioError(name_or_path, "", "a folder, not a scenario file")
    if not stat.S_ISREG(mode):
        raise ScenarioError(name_or_path, "", "not a regular file (a scenario is a .toml file)")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # never more, whatever the file claims to be
        _check_size(len(raw), name_or_path)
        text = raw.decode("utf-8-sig")  # a byte order mark, as some editors write, is fine
    except UnicodeDecodeError:
        raise ScenarioError(name_or_path, "", "not a text file (a scenario is UTF-8 TOML)") from None
    except OSError as error:
        raise ScenarioError(name_or_path, "", f"cannot read: {error.strerror or error}") from None
    return parse(text, name_or_path, default_name=path.stem, overrides=overrides)


def parse(text: str, source: str = "<scenario>", default_name: str | None = None,
          overrides: Mapping[str, Any] | None = None, folder: Path | None = None) -> Scenario:
    """A scenario from TOML ``text``; ``overrides`` set dotted keys (``"training.learning_rate": 0.5``)
    before it is checked, exactly like values written in the file. A CSV file it names is found in
    ``folder`` (default: the folder of ``source``)."""
    _check_size(len(text), source)
    _check_text(text, source)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(source, "", f"not valid TOML: {error}") from None
    if not overrides:
        return replace(from_dict(doc, source, default_name, folder), text=text)
    for key, value in overrides.items():
        _override(doc, key, value, source)
    scenario = from_dict(doc, source, default_name, folder)
    return replace(scenario, text=tomlwriter.dumps(doc))  # what a saved run reopens: the changed scenario


def _override(doc: dict, key: str, value: Any, source: str) -> None:
    """Set the dotted ``key`` of ``doc`` to ``value``, making the tables on the way."""
    parts = key.split(".")
    if not all(part.strip() for part in parts):
        raise ScenarioError(source, printable(key), "not a key path (like training.learning_rate)")
    table = doc
    for i, part in enumerate(parts[:-1]):
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            raise ScenarioError(source, printable(key), f"{'.'.join(parts[:i + 1])} is not a table")
    table[parts[-1]] = value


def from_dict(doc: Any, source: str = "<scenario>", default_name: str | None = None,
              folder: Path | None = None) -> Scenario:
    """Validate a parsed document; raise ScenarioError on the first problem. A CSV file it names is
    found in ``folder`` (default: the folder of ``source``)."""
    return _Reader(source, folder).scenario(doc, printable(default_name or Path(source).stem or "scenario"))


# -- before parsing: what would break tomllib or Python --------------------------


def _check_size(size: int, source: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ScenarioError(source, "", f"too large for a scenario file (more than {MAX_FILE_BYTES // 2**20} MB); "
                            "large data belongs in a CSV file")


_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_TOKEN = re.compile(rf"""
      (?<![A-Za-z0-9_-])(?P<dotted>{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART}){{{MAX_NESTING},}})   # a key of too many parts
    | "{{3}}(?:[^\\]|\\[\s\S])*?(?:"{{3,5}}|\Z)     # strings and comments, skipped whole
    | '{{3}}[\s\S]*?(?:'{{3,5}}|\Z)                # (an unclosed one runs to the end: scanned once)
    | "(?:[^"\\\n]|\\.)*+(?:"|$)
    | '[^'\n]*+(?:'|$)
    | \#[^\n]*+
    | (?P<integer>(?<![\w.+-])(?=[+-]?[0-9a-fA-Fxob_]{{{MAX_INTEGER_DIGITS + 1}}})
                  [+-]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)(?![\w.:+-]))   # a too long integer
    | [\[\]{{}}=\n]
""", re.VERBOSE | re.MULTILINE)
_HEADER = re.compile(r"\[(\[?)([^\]\n]*)\]\]?")


def _key_path(*keys: str) -> str:
    return ".".join(re.sub(r"[ \t]*\.[ \t]*", ".", key.strip()) for key in keys if key.strip())


def _check_text(text: str, source: str) -> None:
    """Refuse, naming the key, what tomllib or Python cannot read: arrays or inline tables
    nested thousands deep (RecursionError), dotted keys of thousands of parts (quadratic
    memory), integers of thousands of digits (ValueError). A small scan that skips strings
    and comments; the key is the table header and the key at the top level."""
    table, key, depth, line_start, header_end = "", "", 0, 0, 0
    arrays_of_tables: dict[str, int] = {}

    def refuse(problem: str, *keys: str) -> NoReturn:
        raise ScenarioError(source, _key_path(*keys), problem)

    for token in _TOKEN.finditer(text):
        in_header = token.start() < header_end
        if token["dotted"]:  # named by its first part, under the table it is in (or is)
            first = re.match(_KEY_PART, token["dotted"])[0]  # type: ignore[index]  # it matched just now
            refuse(f"nested deeper than a scenario needs (at most {MAX_NESTING} levels)",
                   *([first] if in_header else [table, key, first]))
        if token["integer"]:
            refuse(f"integer too long to read (more than {MAX_INTEGER_DIGITS} digits)", table, key)
        if in_header:
            continue  # the brackets of a [table] header are not nesting
        mark = token.group()
        if mark == "\n" and depth == 0:
            key, line_start = "", token.end()
        elif mark == "=" and depth == 0 and not key:
            key = text[line_start:token.start()]
        elif mark == "[" and depth == 0 and not key and (header := _HEADER.match(text, token.start())):
            table, header_end = _key_path(header[2]), header.end()
            if header[1]:  # [[name]]: one more table in the array
                arrays_of_tables[table] = arrays_of_tables.get(table, -1) + 1
                table = f"{table}[{arrays_of_tables[table]}]"
        elif mark in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                refuse(f"nested deeper than a scenario needs (at most {MAX_NESTING} levels)", table, key)
        elif mark in ("]", "}"):
            depth = max(0, depth - 1)


# -- validation ---------------------------------------------------------------


def _shown(text: str) -> str:
    """``text`` cut to 30 characters for a message."""
    return text if len(text) <= 30 else text[:27] + "..."


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_shown(value)!r})"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


_SCALE_HINT = "; scale the data down, e.g. to thousands or millions"


def _choices(kind: str, value: Any, allowed: tuple[str, ...]) -> str:
    return f"unknown {kind} {_shown(value)!r} (expected one of: {', '.join(allowed)})"


class _Reader:
    """Walks a parsed document, keeping the key path for the messages."""

    def __init__(self, source: str, folder: Path | None = None):
        self.source = source
        self.folder = Path(source).parent if folder is None else folder  # where a CSV file is found

    def fail(self, path: str, problem: str) -> NoReturn:
        raise ScenarioError(self.source, path, problem)

    # primitive checks

    def table(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(path, f"expected a table, got {_describe(value)}")
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(allowed)}"
                shown = key if _BARE_KEY.fullmatch(key) else repr(key)
                self.fail(f"{path}.{shown}" if path else shown, f"unknown key {shown if shown != key else repr(key)} ({hint})")
        return value

    def string(self, value: Any, path: str, nonempty: bool = True, lines: bool = False) -> str:
        """A string for a name or a text: one line of plain text, or with ``lines`` a text that
        may also hold line breaks and tabs. Control characters would reach the terminal."""
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {_describe(value)}")
        if nonempty and not value.strip():
            self.fail(path, "must not be empty")
        control = (_CONTROL_IN_TEXT if lines else _CONTROL).search(value)
        if control and control.group() == "\n":
            self.fail(path, "must be one line")
        if control:
            self.fail(path, f"holds the control character {control.group()!r} at position {control.start()} "
                      "(names and texts must be plain text)")
        return value

    def number(self, value: Any, path: str, hint: str = "", largest: float = MAX_MAGNITUDE) -> float:
        """A finite number of at most ``largest`` in size (a saved run's parameters may be larger
        than any scenario number: they were on their way to diverge)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"expected a number, got {_describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(path, f"must be a finite number, got {value!r}")
        if abs(value) > largest:
            shown = f"{value:.3g}" if abs(value) <= sys.float_info.max else "over 1e308"  # an int (from_dict)
            self.fail(path, f"too large: {shown} (at most {largest:,.0f} in size{hint})")
        return float(value)

    def integer(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a whole number, got {_describe(value)}")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"expected true or false, got {_describe(value)}")
        return value

    def choice(self, value: Any, path: str, kind: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {_describe(value)}")
        if value not in allowed:
            self.fail(path, _choices(kind, value, allowed))
        return value

    def array(self, value: Any, path: str, nonempty: bool = True) -> list:
        if not isinstance(value, list):
            self.fail(path, f"expected an array, got {_describe(value)}")
        if nonempty and not value:
            self.fail(path, "must not be empty")
        return value

    def records(self, value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...],
                nonempty: bool = True) -> list[tuple[str, dict]]:
        """An array of tables with ``required`` keys: [(key path, table)]."""
        out = []
        for i, item in enumerate(self.array(value, path, nonempty)):
            where = f"{path}[{i}]"
            table = self.table(item, where, allowed)
            for key in required:
                if key not in table:
                    self.fail(where, f"missing key '{key}'")
            out.append((where, table))
        return out

    def names(self, value: Any, path: str, count: int, what: str) -> tuple[str, ...]:
        items = self.array(value, path)
        out = tuple(self.string(v, f"{path}[{i}]") for i, v in enumerate(items))
        if len(out) != count:
            self.fail(path, f"has {len(out)} names but there are {count} {what}")
        return out

    def matrix(self, value: Any, path: str) -> np.ndarray:
        """A non-empty, rectangular array of arrays of finite numbers."""
        rows = self.array(value, path)
        if len(rows) > MAX_DATA_NUMBERS:
            self.fail(path, f"too large: more than {MAX_DATA_NUMBERS:,} numbers")
        width = None
        out = []
        for i, row in enumerate(rows):
            row = self.array(row, f"{path}[{i}]")
            if width is None:
                width = len(row)
            elif len(row) != width:
                self.fail(f"{path}[{i}]", f"has {len(row)} numbers but {path}[0] has {width} (rows must all be the same length)")
            if (i + 1) * width > MAX_DATA_NUMBERS:
                self.fail(path, f"too large: more than {MAX_DATA_NUMBERS:,} numbers")
            out.append([self.number(v, f"{path}[{i}][{j}]", _SCALE_HINT) for j, v in enumerate(row)])
        return np.array(out, dtype=float)

    # the document

    def scenario(self, doc: Any, default_name: str) -> Scenario:
        doc = self.table(doc, "", _TABLES)
        for required in ("data", "network"):
            if required not in doc:
                self.fail(required, f"missing: every scenario needs a [{required}] table")
        meta = self.table(doc.get("scenario", {}), "scenario", _KEYS["scenario"])
        name = self.string(meta["name"], "scenario.name") if "name" in meta else default_name
        summary = self.string(meta["summary"], "scenario.summary", nonempty=False) if "summary" in meta else ""

        data_table = self.table(doc["data"], "data", _KEYS["data"])
        network = self.table(doc["network"], "network", _KEYS["network"])
        layers = self.layers(network)
        init = self.init(self.table(doc.get("init", {}), "init", _KEYS["init"]))  # its seed is the data's default
        data = self.data(data_table, layers[-1].units, init.seed)
        inputs, targets = data.inputs, data.targets

        n_named = data.named_inputs.shape[1]  # the views plot the named inputs (features are computed from them)
        view = self.default_view(n_named, data.kind == "text")
        if "view" in meta:
            view = self.choice(meta["view"], "scenario.view", "view", VIEWS)
            self.check_view(view, n_named, data.kind == "text")

        n_params = Network(inputs.shape[1], layers).n_params
        if n_params > MAX_PARAMS:
            self.fail("network.layers", f"too large: {n_params:,} parameters (at most {MAX_PARAMS:,})")
        n_rows = max(len(inputs), 0 if data.test_inputs is None else len(data.test_inputs))  # a pass over either set
        n_values = n_rows * sum(layer.units for layer in layers)
        if n_values > MAX_UNIT_VALUES:
            self.fail("network.layers", f"too large: {n_rows:,} samples x {n_values // n_rows} units is "
                      f"{n_values:,} unit values per pass over the data (at most {MAX_UNIT_VALUES:,})")

        training = self.training(self.table(doc.get("training", {}), "training", _KEYS["training"]),
                                 layers, targets)
        names = unit_names(data.input_names, [layer.units for layer in layers], data.output_names)
        lessons = self.lessons(doc.get("lesson", []), names, layers, targets, training, n_named)
        return Scenario(name=name, summary=summary, view=view, source=self.source, data=data,
                        layers=layers, init=init, training=training, lessons=lessons, id=self.source,
                        folder=Path(os.path.abspath(self.folder)))

    def layers(self, network: dict) -> tuple[LayerSpec, ...]:
        if "layers" not in network:
            self.fail("network.layers", "missing: list the layers, hidden first and output last, "
                      "e.g. layers = [{ units = 2, activation = \"sigmoid\" }, { units = 1, activation = \"sigmoid\" }]")
        records = self.records(network["layers"], "network.layers", _KEYS["layer"], ("units", "activation"))
        out = []
        total = 0
        for i, (path, layer) in enumerate(records):
            units = self.integer(layer["units"], f"{path}.units")
            if units < 1:
                self.fail(f"{path}.units", f"must be at least 1, got {units}")
            total += units
            if total > MAX_UNITS:
                so_far = f"{units:,} units" if total == units else f"{total:,} units in this layer and those before it"
                self.fail(f"{path}.units", f"too large: {so_far} (at most {MAX_UNITS} in all layers together)")
            act = self.choice(layer["activation"], f"{path}.activation", "activation", activations.NAMES)
            if act == "softmax" and i != len(records) - 1:
                self.fail(f"{path}.activation", "softmax is only allowed on the output layer (the last one)")
            out.append(LayerSpec(units, act))
        return tuple(out)

    def data(self, data: dict, n_outputs: int, init_seed: int) -> Data:
        kinds = [key for key in _SOURCES if key in data]
        if not kinds:
            self.fail("data", "missing: give inputs and targets (numbers), sentences (text), "
                      "generate (a generated data set) or csv (a CSV file)")
        if len(kinds) > 1:
            self.fail("data", f"two kinds of data at once ({' and '.join(kinds)}): give only one of "
                      f"{', '.join(_SOURCES[:-1])} or {_SOURCES[-1]}")
        kind = kinds[0]
        for key, users in _ONLY_WITH.items():
            if key in data and kind not in users:
                self.fail(f"data.{key}", f"not used with {kind} (only with {' or '.join(users)})")
        class_names = None
        if "class_names" in data:
            items = self.array(data["class_names"], "data.class_names")
            class_names = tuple(self.string(v, f"data.class_names[{i}]") for i, v in enumerate(items))
            if len(class_names) < 2:
                self.fail("data.class_names", "needs at least two classes")
            if len(set(class_names)) != len(class_names):
                self.fail("data.class_names", "names must be different")
        seed = self.seed(data["data_seed"], "data.data_seed") if "data_seed" in data else init_seed
        fraction = None
        if "test_fraction" in data:
            own = [key for key in ("test_inputs", "test_targets", "test_sentences") if key in data]
            if own:
                self.fail("data.test_fraction", f"give either test_fraction (a split of the data) or {own[0]} "
                          "(a test set of your own), not both")
            fraction = self.number(data["test_fraction"], "data.test_fraction")
            if not 0 < fraction < 1:
                self.fail("data.test_fraction", f"must be between 0 and 1 (the share of the samples held out), "
                          f"got {data['test_fraction']!r}")

        if kind == "sentences":
            n_classes = len(class_names) if class_names else 2
            pairs = self.sentences(data["sentences"], "data.sentences", n_classes)
            test_pairs = (self.sentences(data["test_sentences"], "data.test_sentences", n_classes)
                          if "test_sentences" in data else None)
            if fraction is not None:
                train, test = self.split(len(pairs), fraction, seed)
                pairs, test_pairs = tuple(pairs[i] for i in train), tuple(pairs[i] for i in test)
            vocab = bagofwords.vocabulary(t for t, _ in pairs)
            if len(vocab) > MAX_INPUTS:
                self.fail("data.sentences", f"too large: {len(vocab):,} words in the vocabulary "
                          f"(at most {MAX_INPUTS:,}: each is an input)")
            n_sentences = len(pairs) + len(test_pairs or ())
            if n_sentences * len(vocab) > MAX_DATA_NUMBERS:
                self.fail("data.sentences", f"too large: {n_sentences} sentences x {len(vocab)} words "
                          f"is more than {MAX_DATA_NUMBERS:,} numbers")
            inputs = bagofwords.encode_all([t for t, _ in pairs], vocab)
            targets = self.class_targets([label for _, label in pairs], n_classes, n_outputs, "data.sentences")
            test_inputs = test_targets = None
            if test_pairs is not None:  # words the training sentences do not have are not inputs: left out
                test_inputs = bagofwords.encode_all([t for t, _ in test_pairs], vocab)
                test_targets = self.class_targets([label for _, label in test_pairs], n_classes, n_outputs,
                                                  "data.test_sentences")
            named = Data("text", inputs, targets, vocab, (), pairs, class_names, test_inputs, test_targets,
                         test_pairs)
        else:
            named = self.numbers(kind, data, class_names, n_outputs, seed)
            if "test_inputs" in data or "test_targets" in data:
                named = self.own_test_set(data, named, n_outputs)
            elif fraction is not None:
                train, test = self.split(len(named.inputs), fraction, seed)
                named = replace(named, inputs=named.inputs[train], targets=named.targets[train],
                                test_inputs=named.inputs[test], test_targets=named.targets[test])
            if "features" in data:
                named = self.features(data["features"], named)
            sizes = [a.size for a in (named.inputs, named.targets, named.test_inputs, named.test_targets)
                     if a is not None]
            if sum(sizes) > MAX_DATA_NUMBERS:
                self.fail("data", f"too large: more than {MAX_DATA_NUMBERS:,} numbers")

        targets = named.targets
        if targets.shape[1] != n_outputs:
            self.fail("network.layers", f"the output layer has {n_outputs} unit{'s' if n_outputs != 1 else ''} "
                      f"but the targets have {targets.shape[1]} value{'s' if targets.shape[1] != 1 else ''} per sample")
        class_names = named.class_names
        if class_names is not None and n_outputs == len(class_names):
            output_names = class_names
        elif class_names is not None or kind == "sentences":
            output_names = (f"P({class_names[1]})" if class_names else "P(positive)",)
        else:
            output_names = ("y",) if n_outputs == 1 else tuple(f"y{i + 1}" for i in range(n_outputs))
        if "output_names" in data:
            output_names = self.names(data["output_names"], "data.output_names", n_outputs, "output units")
        return replace(named, output_names=output_names)

    def sentences(self, value: Any, path: str, n_classes: int) -> tuple[tuple[str, int], ...]:
        pairs = []
        for i, item in enumerate(self.array(value, path)):
            where = f"{path}[{i}]"
            if not isinstance(item, list) or len(item) != 2:
                self.fail(where, f'expected a pair ["a sentence", label], got {_describe(item)}')
            text = self.string(item[0], f"{where}[0]")
            if not bagofwords.words(text):
                self.fail(f"{where}[0]", f"the sentence {text!r} has no words")
            label = self.integer(item[1], f"{where}[1]")
            if not 0 <= label < n_classes:
                self.fail(f"{where}[1]", f"label {label} is not a class index (expected 0 to {n_classes - 1})")
            pairs.append((text, label))
        return tuple(pairs)

    def numbers(self, kind: str, data: dict, class_names: tuple[str, ...] | None, n_outputs: int,
                seed: int) -> Data:
        """Numeric data, before any test split or features: inputs, targets, names and classes."""
        if kind == "csv":
            inputs, targets, input_names, class_names = self.csv(data, class_names, n_outputs)
        elif kind == "generate":
            name = self.choice(data["generate"], "data.generate", "generator", datasets.NAMES)
            spec = datasets.GENERATORS[name]
            samples = self.integer(data["samples"], "data.samples") if "samples" in data else datasets.SAMPLES
            if not 2 <= samples <= datasets.MAX_SAMPLES:
                self.fail("data.samples", f"must be a whole number from 2 to {datasets.MAX_SAMPLES:,}, got {samples}")
            noise = self.number(data["noise"], "data.noise") if "noise" in data else 0.0
            if not 0 <= noise <= 1:
                self.fail("data.noise", f"must be from 0 to 1 (a fraction of the data's scale), got {data['noise']!r}")
            inputs, values = datasets.generate(name, samples, noise, seed)
            if spec.class_names is None:
                if class_names is not None:
                    self.fail("data.class_names", f"not used with '{name}': a regression data set has no classes")
                targets = values
            else:
                if class_names is not None and len(class_names) != len(spec.class_names):
                    self.fail("data.class_names", f"'{name}' has {len(spec.class_names)} classes, "
                              f"got {len(class_names)} names")
                class_names = class_names or spec.class_names
                targets = self.class_targets(values[:, 0].astype(int).tolist(), len(class_names), n_outputs,
                                             "data.generate")
            input_names = spec.input_names
        else:
            inputs = self.matrix(data["inputs"], "data.inputs")
            if inputs.shape[1] > MAX_INPUTS:
                self.fail("data.inputs", f"too large: {inputs.shape[1]:,} inputs per row (at most {MAX_INPUTS:,})")
            if "targets" not in data:
                self.fail("data.targets", "missing: every input row needs a target")
            targets = self.targets(data["targets"], "data.targets", "data.inputs", len(inputs), class_names,
                                   n_outputs)
            if inputs.size + targets.size > MAX_DATA_NUMBERS:
                self.fail("data", f"too large: more than {MAX_DATA_NUMBERS:,} numbers")
            input_names = tuple(f"x{i + 1}" for i in range(inputs.shape[1]))
        if "input_names" in data:
            input_names = self.names(data["input_names"], "data.input_names", inputs.shape[1], "inputs")
        return Data("numbers", inputs, targets, input_names, (), None, class_names)

    def csv(self, data: dict, class_names: tuple[str, ...] | None,
            n_outputs: int) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...] | None]:
        """(inputs, targets, input names, class names) from the CSV file ``data.csv`` names, relative
        to the scenario's folder: labels in the target column are classes (sorted unless class_names
        gives them), numbers are targets (class indices with class_names)."""
        path = self.folder / self.string(data["csv"], "data.csv")
        columns = None
        if "input_columns" in data:
            items = self.array(data["input_columns"], "data.input_columns")
            columns = [self.string(v, f"data.input_columns[{i}]") for i, v in enumerate(items)]
        target = self.string(data["target_column"], "data.target_column") if "target_column" in data else None
        table = csvdata.read(path, str(path), columns, target)  # (it refuses more than MAX_INPUTS input columns)
        column = f"the target column {table.target_name!r}"
        if isinstance(table.targets, tuple):
            found = sorted(set(table.targets))
            if class_names is None:
                if len(found) < 2:
                    self.fail("data.csv", f"{column} has one label, {found[0]!r}: classes need at least two")
                class_names = tuple(found)
            unknown = [label for label in found if label not in class_names]
            if unknown:
                self.fail("data.class_names", f"{column} has the label {_shown(unknown[0])!r}, "
                          f"not one of data.class_names")
            index = {name: i for i, name in enumerate(class_names)}
            labels = [index[label] for label in table.targets]
        elif class_names is not None:
            values = table.targets
            wrong = (values != np.round(values)) | (values < 0) | (values >= len(class_names))
            if wrong.any():
                self.fail("data.class_names", f"{column} holds {values[np.argmax(wrong)]:g}, not a class index "
                          f"(expected 0 to {len(class_names) - 1}) nor a label")
            labels = values.astype(int).tolist()
        else:
            return table.inputs, table.targets.reshape(-1, 1), table.input_names, None
        return (table.inputs, self.class_targets(labels, len(class_names), n_outputs, "data.csv"),
                table.input_names, class_names)

    def targets(self, value: Any, path: str, inputs_path: str, n_rows: int, class_names: tuple[str, ...] | None,
                n_outputs: int) -> np.ndarray:
        """The targets of ``n_rows`` inputs: class indices with class_names, else numbers (a flat list: one each)."""
        raw = self.array(value, path)
        if len(raw) != n_rows:
            self.fail(path, f"has {len(raw)} rows but {inputs_path} has {n_rows}")
        if class_names is not None:
            labels = []
            for i, v in enumerate(raw):
                label = self.integer(v, f"{path}[{i}]")
                if not 0 <= label < len(class_names):
                    self.fail(f"{path}[{i}]", f"class {label} is not an index of data.class_names "
                              f"(expected 0 to {len(class_names) - 1})")
                labels.append(label)
            return self.class_targets(labels, len(class_names), n_outputs, path)
        if all(not isinstance(v, list) for v in raw):
            return np.array([[self.number(v, f"{path}[{i}]", _SCALE_HINT)] for i, v in enumerate(raw)])
        return self.matrix(raw, path)

    def own_test_set(self, data: dict, named: Data, n_outputs: int) -> Data:
        """``named`` with the test set written in test_inputs and test_targets."""
        for key in ("test_inputs", "test_targets"):
            if key not in data:
                self.fail(f"data.{key}", "missing: a test set needs both test_inputs and test_targets")
        inputs = self.matrix(data["test_inputs"], "data.test_inputs")
        width = named.inputs.shape[1]
        if inputs.shape[1] != width:
            self.fail("data.test_inputs", f"has {inputs.shape[1]} numbers per row but the data has {width} inputs")
        targets = self.targets(data["test_targets"], "data.test_targets", "data.test_inputs", len(inputs),
                               named.class_names, n_outputs)
        if targets.shape[1] != named.targets.shape[1]:
            self.fail("data.test_targets", f"has {targets.shape[1]} values per sample but the training targets "
                      f"have {named.targets.shape[1]}")
        return replace(named, test_inputs=inputs, test_targets=targets)

    def split(self, n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """(training rows, test rows) of ``n`` samples, ``fraction`` of them (rounded) held out."""
        n_test = math.floor(n * fraction + 0.5)
        if not 0 < n_test < n:
            empty = "test" if n_test == 0 else "training"
            self.fail("data.test_fraction", f"{fraction!r} of {n} samples leaves the {empty} set empty")
        return datasets.split(n, n_test, seed)

    def features(self, value: Any, named: Data) -> Data:
        """``named`` with the listed features as its inputs, its named inputs kept as raw_*."""
        raw_names = named.input_names
        items = self.array(value, "data.features")
        if len(items) > MAX_INPUTS:
            self.fail("data.features", f"too large: {len(items):,} features (at most {MAX_INPUTS:,}: each is an input)")
        names: list[str] = []
        for i, item in enumerate(items):
            path = f"data.features[{i}]"
            text = self.string(item, path)
            feature = features.parse_one(text, raw_names)
            if feature is None:
                self.fail(path, features.problem(text, raw_names, _shown(text)))
            if feature.name in names:
                self.fail(path, f"'{feature.name}' is listed twice")
            names.append(feature.name)
        rows = len(named.inputs) + (0 if named.test_inputs is None else len(named.test_inputs))
        if rows * (len(names) + named.targets.shape[1]) > MAX_DATA_NUMBERS:
            self.fail("data.features", f"too large: {rows:,} samples x {len(names)} features "
                      f"is more than {MAX_DATA_NUMBERS:,} numbers")
        encoded = tuple(names)
        test_inputs = None if named.test_inputs is None else features.encode(encoded, raw_names, named.test_inputs)
        return replace(named, inputs=features.encode(encoded, raw_names, named.inputs), input_names=encoded,
                       test_inputs=test_inputs, raw_names=raw_names, raw_inputs=named.inputs,
                       test_raw_inputs=named.test_inputs)

    def class_targets(self, labels: list[int], n_classes: int, n_outputs: int, path: str) -> np.ndarray:
        """Class indices as targets: one-hot for several outputs, the index itself for one output."""
        if n_outputs == 1:
            if n_classes != 2:
                self.fail("network.layers", f"{n_classes} classes need {n_classes} output units (softmax), not 1")
            return np.array(labels, dtype=float).reshape(-1, 1)
        if n_outputs != n_classes:
            self.fail("network.layers", f"the output layer has {n_outputs} units but there are {n_classes} classes")
        return np.eye(n_classes)[labels]

    def default_view(self, n_inputs: int, text: bool) -> str:
        if text:
            return "sentences"
        return {1: "curve", 2: "decision-map"}.get(n_inputs, "table")

    def check_view(self, view: str, n_inputs: int, text: bool) -> None:
        if view == "sentences" and not text:
            self.fail("scenario.view", "'sentences' needs text data (data.sentences)")
        if view == "curve" and (text or n_inputs != 1):
            self.fail("scenario.view", f"'curve' needs exactly one numeric input (this data has {n_inputs})")
        if view == "decision-map" and (text or n_inputs != 2):
            self.fail("scenario.view", f"'decision-map' needs exactly two numeric inputs (this data has {n_inputs})")

    def init(self, init: dict) -> InitSpec:
        spec = InitSpec()
        scheme = self.choice(init["scheme"], "init.scheme", "scheme", initializers.SCHEMES) if "scheme" in init else spec.scheme
        scale = spec.scale
        if "scale" in init:
            scale = self.number(init["scale"], "init.scale")
            if scale <= 0:
                self.fail("init.scale", f"must be greater than 0, got {init['scale']!r}")
        seed = self.seed(init["seed"], "init.seed") if "seed" in init else spec.seed
        return InitSpec(scheme, scale, seed)

    def seed(self, value: Any, path: str) -> int:
        seed = self.integer(value, path)
        if not 0 <= seed <= MAX_SEED:
            self.fail(path, f"must be a whole number from 0 to {MAX_SEED}, got {seed}")
        return seed

    def training(self, training: dict, layers: tuple[LayerSpec, ...], targets: np.ndarray,
                 path: str = "training") -> Settings:
        """The [training] table (or any table of the same settings: a lesson's, a saved run's),
        each problem reported at ``path``.KEY: the types here, the rules in engine/settings.py."""
        readers: dict[str, Callable[[Any, str], Any]] = {
            "loss": lambda v, p: self.choice(v, p, "loss", losses.NAMES),
            "optimizer": lambda v, p: self.choice(v, p, "optimizer", optimizers.NAMES),
            "epsilon": lambda v, p: None if v is None else self.number(v, p),  # a saved run's null: unset
            "schedule": self.schedule, "batch_size": self.integer, "shuffle": self.boolean,
        }  # the others are numbers
        settings = Settings(**{key: readers.get(key, self.number)(value, f"{path}.{key}")
                               for key, value in training.items()})
        for key, problem in settings_problems(settings, layers[-1].activation, targets):
            self.fail(f"{path}.{key}", problem)
        return settings

    def schedule(self, value: Any, path: str) -> schedules.Schedule:
        """A schedule's table (``{ kind = "step", every = 500, factor = 0.5 }``) or a kind's name; the types
        here, its rules in engine/schedules.py."""
        if isinstance(value, str):
            value = {"kind": value}
        table = self.table(value, path, schedules.KEYS)
        if "kind" not in table:
            self.fail(path, f"missing key 'kind' (one of: {', '.join(schedules.NAMES)})")
        kind = self.choice(table["kind"], f"{path}.kind", "schedule kind", schedules.NAMES)
        read: dict[str, Any] = {key: (self.integer if key in schedules.WHOLE else self.number)(v, f"{path}.{key}")
                                for key, v in table.items() if key != "kind"}
        return schedules.Schedule(kind, **read)

    def lessons(self, pages: Any, names, layers, targets: np.ndarray, training: Settings,
                n_named: int) -> tuple[LessonPage, ...]:
        out = []
        for path, page in self.records(pages, "lesson", _KEYS["lesson"], ("title", "text"), nonempty=False):
            title = self.string(page["title"], f"{path}.title")
            text = self.string(page["text"], f"{path}.text", lines=True)
            action = None
            if "action" in page:
                action = self.action(page["action"], f"{path}.action", names, layers, targets, training, n_named)
            out.append(LessonPage(title.strip(), text.strip(), action))
        return tuple(out)

    def action(self, raw: Any, path: str, names, layers, targets: np.ndarray, training: Settings,
               n_named: int) -> LessonAction:
        act = self.table(raw, path, _KEYS["action"])
        n_samples = len(targets)
        reset = self.boolean(act["reset"], f"{path}.reset") if "reset" in act else False
        run_to = sample = weight = view = None
        if "run_to" in act:
            run_to = self.integer(act["run_to"], f"{path}.run_to")
            if not 0 <= run_to <= MAX_LESSON_STEP:
                self.fail(f"{path}.run_to", f"must be a step from 0 to {MAX_LESSON_STEP:,}, got {run_to}")
        if "sample" in act:
            sample = self.integer(act["sample"], f"{path}.sample")
            if not 1 <= sample <= n_samples:
                self.fail(f"{path}.sample", f"must be a sample number from 1 to {n_samples}, got {sample}")
            sample -= 1
        if "weight" in act:
            weight = self.weight_name(act["weight"], f"{path}.weight", names, layers)
        if "view" in act:
            view = self.choice(act["view"], f"{path}.view", "view", LESSON_VIEWS)
            if view == "unit-maps" and n_named != 2:
                self.fail(f"{path}.view", f"'unit-maps' needs exactly two inputs (this data has {n_named})")
        settings: tuple[tuple[str, object], ...] = ()
        if "settings" in act:
            table = self.table(act["settings"], f"{path}.settings", _KEYS["action.settings"])
            settings = self.lesson_settings(table, f"{path}.settings", layers, targets, training)
        race = []
        if "race" in act:
            entries = self.records(act["race"], f"{path}.race", _KEYS["action.settings"], ())
            if len(entries) > MAX_GHOSTS:
                self.fail(f"{path}.race", f"at most {MAX_GHOSTS} ghosts race the live run, got {len(entries)}")
            race = [self.lesson_settings(table, where, layers, targets, training) for where, table in entries]
        phase = self.lesson_phase(act["phase"], f"{path}.phase", len(layers)) if "phase" in act else None
        if phase is not None and run_to is not None:
            self.fail(f"{path}.phase", "a page goes to a phase of the next iteration or runs to a step, not both "
                      "(run_to trains in the background)")
        return LessonAction(reset=reset, settings=settings, run_to=run_to, sample=sample, weight=weight, view=view,
                            race=tuple(race), phase=phase)

    def lesson_phase(self, value: Any, path: str, n_layers: int) -> int:
        """A phase of one iteration (engine.phases): its number from 1, or its name ('forward 2', 'loss',
        'backward 1', 'gradients', 'update'; a bare 'forward' or 'backward' is its first); 0-based."""
        every = phases.phases(n_layers)
        if isinstance(value, str):
            index = phases.phase_index(n_layers, value.strip())
            if index is None:
                names = ", ".join(p.kind if p.layer is None else f"{p.kind} {p.layer + 1}" for p in every)
                self.fail(path, f"no phase {value!r} in this network's iteration (expected one of: {names}, "
                                f"or a number from 1 to {len(every)})")
            return index
        number = self.integer(value, path)
        if not 1 <= number <= len(every):
            self.fail(path, f"must be a phase number from 1 to {len(every)} or a phase's name, got {number}")
        return number - 1

    def lesson_settings(self, table: dict, path: str, layers, targets: np.ndarray,
                        training: Settings) -> tuple[tuple[str, object], ...]:
        """A lesson's settings to change (``action.settings``, each of ``action.race``), checked by the rules
        of [training]."""
        merged = self.training({"shuffle": training.shuffle, **table}, layers, targets, path)
        return tuple((key, getattr(merged, key)) for key in table)

    def weight_name(self, value: Any, path: str, names, layers) -> int:
        """'x1 -> h1' (a weight) or '+1 -> h1' (a bias) to a flat parameter index."""
        text = self.string(value, path)
        parts = [p.strip() for p in re.split(r"->|→", text)]
        if len(parts) != 2 or not all(parts):
            self.fail(path, f"expected 'FROM -> TO' with unit names, e.g. '{names[0][0]} -> {names[1][0]}', got {text!r}")
        source, target = parts
        network = Network(len(names[0]), layers)
        for k in range(len(layers)):
            if target in names[k + 1]:
                i = names[k + 1].index(target)
                if source == "+1":
                    return network.index_of(k, "b", (i,))
                if source in names[k]:
                    return network.index_of(k, "W", (names[k].index(source), i))
        every = [f"{a} -> {b}" for k in range(len(layers)) for a in ("+1",) + names[k][:1] for b in names[k + 1][:1]]
        units = "; ".join(", ".join(column) for column in names)
        self.fail(path, f"no weight {text!r} in this network (units: {units}; e.g. {', '.join(every[:3])})")
