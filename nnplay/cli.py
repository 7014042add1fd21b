"""The ``nnplay`` command.

    nnplay [SCENARIO]                         the playground (Textual)
    nnplay list [--json]                      bundled scenarios
    nnplay run SCENARIO [--steps N] [--seed S] [--until-loss X] [--json]
    nnplay inspect SCENARIO [--steps K] [--seed S]
    nnplay gradcheck SCENARIO [--steps K] [--seed S]
    nnplay compare SCENARIO --vary KEY=V1,V2[,…] [--vary …] [--steps N] [--seed S] [--until-loss X] [--json]
    nnplay landscape SCENARIO [--steps K] [--directions random|pca|"A;B"] [--size N] [--span X] [--json]
    nnplay snapshot SCENARIO [--steps K] [--size WxH] [--view V] [--weight W] [-o FILE.svg]
    nnplay config [--json]                    the config file and the settings in effect
    nnplay serve [SCENARIO] [--host H] [--port P]   the playground in a web browser (textual-serve)

Every command that takes a SCENARIO also takes ``--set KEY=VALUE`` (repeatable); ``--seed`` and ``--set``
may also come before the command. Every error is one line on stderr starting ``nnplay:``.

Exit codes: 0 success, 1 gradcheck failed, 2 usage or scenario error,
3 the run diverged (compare: every run did). The headless commands that only compute (run, inspect,
gradcheck, compare, landscape, list) never import Textual; snapshot draws the playground, config checks
the keys against it.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import math
import os
import sys
import textwrap
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

# blas before the engine: it sets BLAS to one thread before NumPy loads
from . import __version__, blas  # noqa: F401
from .engine.pacing import Pace
from .engine.trainer import Trainer
from .exits import EXIT_DIVERGED, EXIT_GRADCHECK, EXIT_OK, EXIT_USAGE, diverged
from .later import later
from .scenario import (
    LESSON_VIEWS,
    MAX_SEED,
    Scenario,
    ScenarioError,
    bundled_folder,
    bundled_names,
    bundled_summaries,
    load,
    printable,
)

if TYPE_CHECKING:
    import json

    from . import compare, jsonnumbers, landscape
else:  # loaded when a command uses them: the playground does without them, and the shell waits for every import
    json, compare, jsonnumbers, landscape = (later(name) for name in ("json", "nnplay.compare", "nnplay.jsonnumbers",
                                                                      "nnplay.landscape"))

# Every command, with what it does in one line: nnplay --help lists them in this order. A new command adds its
# row here, its options in _parser and its line in _main.
COMMANDS = {
    "list": "the bundled scenarios, one line each (--json: as JSON)",
    "run": "train headless, then print the final loss, accuracy and steps/s (--json: every number)",
    "compare": "train every combination of the --vary settings from the same seed, and compare them in a table",
    "inspect": "the whole state after K steps, as JSON",
    "gradcheck": "backprop against central finite differences, for every parameter",
    "landscape": "the loss surface around the parameters after K steps, as CSV or JSON",
    "snapshot": "the playground's screen after K steps as an SVG picture, drawn headless (slides, docs)",
    "serve": "the playground in a web browser, through textual-serve (pip install 'nnplay[serve]')",
    "config": "the config file's path, the settings in effect (theme, speed, keys) and what it ignored",
}
NO_SCENARIO = ("list", "config")  # commands that read no scenario: a --seed before them is ignored, --set refused
GLOBAL_OPTIONS = ("--seed", "--set")  # the options that may come before a command (they take a value)
MAX_STEPS = 10_000_000


def _whole_number(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high:,}, got {n}")
        return n

    return parse


_steps = _whole_number(0, MAX_STEPS)
_seed = _whole_number(0, MAX_SEED)


def _setting(text: str) -> tuple[str, object]:
    """An argparse type: ``KEY=VALUE``, VALUE read as a TOML value (``_value``)."""
    key, equals, raw = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE (such as training.learning_rate=0.1), got {text!r}")
    return key.strip(), _value(raw)


def _value(raw: str) -> object:
    """A value given on the command line: a TOML value, or, when it is not one (a bare word:
    ``training.loss=bce``), that text as a string."""
    try:
        doc = tomllib.loads(f"v = {raw}")
    except tomllib.TOMLDecodeError:
        return raw
    return doc["v"] if doc.keys() == {"v"} else raw


def _vary(text: str) -> tuple[str, list[str]]:
    """An argparse type: ``KEY=V1,V2,…``, cut at the top-level commas (``compare.split_values``)."""
    key, equals, raw = text.partition("=")
    if not equals or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=V1,V2,… (such as training.optimizer=sgd,adam), got {text!r}")
    return key.strip(), compare.split_values(raw)


def _loss_level(text: str) -> float:
    """An argparse type: a loss to train down to, a positive finite number."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not (math.isfinite(x) and x > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return x


def _size(text: str) -> int:
    """An argparse type: the landscape's points a side, odd (its centre is the current point)."""
    n = _whole_number(*landscape.SIZES)(text)
    if n % 2 == 0:
        raise argparse.ArgumentTypeError(f"must be odd, so that the grid has a centre, got {n}")
    return n


def _span(text: str) -> float:
    """An argparse type: the landscape's half-width, a positive number in landscape.SPANS."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    low, high = landscape.SPANS
    if not low <= x <= high:  # nan fails too
        raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g}, got {text!r}")
    return x


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", type=_setting, action="append", default=[], metavar="KEY=VALUE",
                   help="set a scenario key, as if written in the file (repeatable): "
                        "--set training.learning_rate=0.1 --set training.loss=mse")


def _load(name: str, settings: list[tuple[str, object]], flags: Mapping[str, str] | None = None) -> Scenario:
    """The scenario ``name`` with the ``--set`` values; a problem they cause names ``--set KEY`` (or the
    option ``flags`` says gave that key: ``--vary``)."""
    if not settings:
        return load(name)
    overrides = dict(settings)
    flags = flags or {}
    try:
        return load(name, overrides=overrides)
    except ScenarioError as error:
        path = error.path
        for key in overrides:
            if path == key or path.startswith((f"{key}.", f"{key}[")):
                raise ScenarioError("nnplay", f"{flags.get(key, '--set')} {path}", error.problem) from None
        # a value that clashes with the file elsewhere (data.inputs against data.targets): where, and after what
        given = " ".join(f"{flags.get(key, '--set')} {key}" for key in overrides)
        raise ScenarioError(error.source, path, f"{error.problem} (after {given})") from None


def _usage_error(message: str):
    """A usage error: one line on stderr, exit 2 (as argparse's own errors: SystemExit)."""
    print(f"nnplay: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        """argparse's error as one line starting nnplay: (not usage, then "nnplay run: error: …")."""
        command = self.prog.removeprefix("nnplay").strip()
        # printable: the message may quote an argument holding control characters
        _usage_error(f"{command + ': ' if command else ''}{printable(message)} (see {self.prog} --help)")


def _commands_table() -> str:
    width = max(map(len, COMMANDS))
    return "\n".join(["commands:", *(f"  {name:<{width}}  {what}" for name, what in COMMANDS.items())])


def _add_playground_arguments(p: argparse.ArgumentParser) -> None:
    """What the playground opens, for ``nnplay`` and ``nnplay serve`` alike."""
    p.add_argument("scenario", nargs="?", default="xor",
                   help="bundled scenario name, .toml file, or a run saved with s (.json) (default: xor)")
    p.add_argument("--seed", type=_seed, help="replace the scenario's [init].seed")
    _add_set(p)


def _parser(command: str | None) -> argparse.ArgumentParser:
    if command is None:
        p = _ArgumentParser(
            prog="nnplay",
            usage="nnplay [SCENARIO] [--seed S] [--set KEY=VALUE …]\n       nnplay COMMAND …   (nnplay COMMAND --help "
                  "for its options)",
            description="A terminal playground that makes how a neural network learns visible.\n\n" + _commands_table(),
            epilog="\n".join(textwrap.wrap(
                "SCENARIO is a bundled name (nnplay list), a .toml file or a run saved with s (.json). A command's "
                "name wins over a scenario's: ./run.toml is the file. --seed and --set may also come before a "
                "command. Exit codes: 0 success, 1 gradcheck failed, 2 usage or scenario error, 3 the run diverged.",
                100)),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_playground_arguments(p)
        p.add_argument("--version", action="version", version=f"nnplay {__version__}")
        return p
    p = _ArgumentParser(prog=f"nnplay {command}", description=COMMANDS[command][0].upper() + COMMANDS[command][1:])
    if command in NO_SCENARIO:
        p.add_argument("--json", action="store_true", help="as one JSON value")
        return p
    if command == "serve":
        from . import serve

        p.description = ("The playground in a web browser, through textual-serve (pip install 'nnplay[serve]'): "
                         "one playground for every browser that opens the page, until ctrl+c.")
        _add_playground_arguments(p)
        serve.add_arguments(p)
        return p
    p.add_argument("scenario", help="bundled scenario name or .toml file" if command == "compare" else
                   "bundled scenario name, .toml file, or a run saved with s (.json) to carry on from")
    trains = command in ("run", "compare")
    default_steps = 3000 if trains else 0
    p.add_argument("--steps", type=_steps, default=default_steps, help=f"training steps (default {default_steps})")
    p.add_argument("--seed", type=_seed, help="replace the scenario's [init].seed (and the minibatch shuffle)")
    _add_set(p)
    if command == "compare":
        p.description = ("Train every combination of the varied settings from the same seed (the same initial "
                         "weights where the network is the same) and compare them in a table.")
        p.add_argument("--vary", type=_vary, action="append", required=True, metavar="KEY=V1,V2",
                       help="a scenario key and the values to try, as --set takes them, cut at the commas outside "
                            "brackets and quotes (repeatable: every combination is trained): "
                            "--vary training.optimizer=sgd,adam --vary training.learning_rate=0.1,0.5")
    if trains:
        p.add_argument("--until-loss", type=_loss_level, metavar="X",
                       help="stop after the first step whose loss on the whole training set is below X "
                            "(--steps is then the most it trains)")
        p.add_argument("--json", action="store_true", help="print one JSON object at the end")
    if command == "run":
        p.description = "Train headless and report the final loss, accuracy and speed."
    elif command == "inspect":
        p.description = "Print the full state after K steps as JSON."
    elif command == "landscape":
        p.description = ("The whole-set loss on a plane through the parameters after K steps, at theta + a*d1 + b*d2 "
                         "on an N x N grid over [-span, span]^2, as CSV (a, b, loss) or JSON.")
        p.add_argument("--directions", default="random", metavar='random|pca|"A;B"',
                       help="random (filter-normalised, Li et al. 2017), pca (of the run's path), or two weights "
                            '"FROM -> TO;FROM -> TO" (default random)')
        p.add_argument("--size", type=_size, default=25, help="points a side, odd (default 25)")
        p.add_argument("--span", type=_span, help="the grid's half-width along each direction "
                                                  "(default: 1 for random directions, else one that holds the run's path)")
        p.add_argument("--json", action="store_true", help="one JSON object instead of CSV")
    elif command == "gradcheck":
        p.description = "Check backprop against central finite differences for every parameter."
    elif command == "snapshot":  # the options are checked by nnplay.snapshot, each problem in one line
        from .snapshot import SIZE

        p.description = ("The playground's screen after K steps as an SVG picture, drawn headless (for slides and "
                         "docs): the same picture ctrl+s saves in the playground.")
        p.add_argument("--size", default="{}x{}".format(*SIZE), metavar="WxH",
                       help="the screen in columns x rows (default %(default)s)")
        p.add_argument("--view", metavar="V", help="what the Explain pane shows, as a lesson page names it: "
                       f"{', '.join(LESSON_VIEWS)} (unit-maps: the per-unit maps beside a decision map)")
        p.add_argument("--weight", metavar='"FROM -> TO"', help="the weight to select, as 'h1 -> xor', or a bias as 'b(h1)'")
        p.add_argument("-o", "--output", metavar="FILE.svg",
                       help="where to write it, replacing that file; - for stdout (default: nnplay-SCENARIO-stepK.svg "
                            "in the current folder, as ctrl+s names it, with -2, -3 … rather than replace a file; "
                            "the name is printed)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a name a terminal cannot show is written as \u escapes, not an error
            stream.reconfigure(errors="backslashreplace")
    try:
        return _main(argv)
    except ScenarioError as error:  # the file, the key and the problem, after nnplay: (once)
        print(error if error.source == "nnplay" else f"nnplay: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("nnplay: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (nnplay inspect xor | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # never a traceback for a user
        print(f"nnplay: unexpected error: {printable(f'{type(error).__name__}: {error}')}", file=sys.stderr)
        return EXIT_USAGE


def _words(argv: list[str]) -> list[int]:
    """Where the words are (not options, nor the values of --seed and --set)."""
    found, i = [], 0
    while i < len(argv):
        if argv[i] in GLOBAL_OPTIONS:
            i += 1
        elif not argv[i].startswith("-") or argv[i] == "-":
            found.append(i)
        i += 1
    return found


def _is_scenario(word: str) -> bool:
    """Whether ``word`` names a scenario (as ``load`` reads it): a path, a bundled name or a file there."""
    return word.endswith((".toml", ".json")) or "/" in word or "\\" in word or word in bundled_names() \
        or os.path.lexists(word)


def _unknown_command(argv: list[str], words: list[int]) -> str | None:
    """Why the first word is a misspelt command rather than a scenario, or None: it is not a scenario and it
    is close to a command (or the start of one), or other words follow it. (After an option that is not
    --seed or --set, argparse says what is wrong.)"""
    if not words or _is_scenario(word := argv[words[0]]):
        return None
    before = argv[:words[0]]
    if not all(t.partition("=")[0] in GLOBAL_OPTIONS or (i and before[i - 1] in GLOBAL_OPTIONS)
               for i, t in enumerate(before)):
        return None
    starts = [name for name in COMMANDS if name.startswith(word)]
    close = starts if len(starts) == 1 else difflib.get_close_matches(word, list(COMMANDS), n=1)
    if close:
        return f"unknown command {word!r} (did you mean {close[0]!r}?)"
    if len(words) > 1:
        return f"unknown command {word!r} (commands: {', '.join(COMMANDS)}; or a scenario: nnplay list)"
    return None


def _main(argv: list[str]) -> int:
    words = _words(argv)
    at = words[0] if words else len(argv)
    command = argv[at] if words and argv[at] in COMMANDS else None
    if command is None:
        if (why := _unknown_command(argv, words)) is not None:
            _usage_error(why)
        return _playground(_parser(None).parse_args(argv))
    before, after = argv[:at], argv[at + 1:]
    if command in NO_SCENARIO:  # options before it: checked, a --seed ignored (it reads no scenario), --set refused
        if _parser(None).parse_args(before).set:
            _usage_error(f"{command}: --set changes a scenario, and {command} reads none")
        args = _parser(command).parse_args(after)
        return _list(args.json) if command == "list" else _config(args.json)
    args = _parser(command).parse_args([*before, *after])
    if command == "compare":
        return _compare(args)
    if command == "snapshot":
        from . import snapshot

        return snapshot.command(args, _scenario_or_run(args))
    if command == "serve":
        return _serve(args)
    started = _start(args)
    if isinstance(started, int):
        return started
    scenario, trainer = started
    if command == "run":
        return _run(scenario, trainer, args)
    if command == "inspect":
        return _inspect(scenario, trainer, args)
    if command == "landscape":
        return _landscape(scenario, trainer, args)
    return _gradcheck(scenario, trainer, args)


def _scenario_or_run(args, playground: bool = False):
    """The scenario SCENARIO names, or for a run saved with s (a .json file) the loaded run; or the exit code
    of why not (the playground's --seed is the seed of the scenarios opened from a saved run)."""
    if not args.scenario.endswith(".json"):
        return _load(args.scenario, args.set)
    return _load_run(args, playground)


def _start(args) -> tuple[Scenario, Trainer] | int:
    """A fresh trainer for a scenario, or a saved run's (a .json file saved with s), to carry on from."""
    loaded = _scenario_or_run(args)
    if isinstance(loaded, int):
        return loaded
    if isinstance(loaded, Scenario):
        return loaded, loaded.make_trainer(args.seed)
    if loaded.note:
        print(f"nnplay: {printable(loaded.note)}", file=sys.stderr)
    return loaded.scenario, loaded.trainer


def _load_run(args, playground: bool = False):
    """A saved run (a .json file saved with s) to carry on from, or the exit code of why not (the
    playground's --seed is the seed of the scenarios opened from it)."""
    from .runfile import RunFileError
    from .runfile import load as load_run

    if args.seed is not None and not playground:
        print("nnplay: --seed: a saved run carries on with the seed it was trained with", file=sys.stderr)
        return EXIT_USAGE
    if args.set:
        print(f"nnplay: --set {args.set[0][0]}: a saved run carries on with the scenario and settings it was "
              "saved with (--set changes a scenario: a bundled name or a .toml file)", file=sys.stderr)
        return EXIT_USAGE
    try:
        return load_run(args.scenario)
    except RunFileError as error:
        print(f"nnplay: {printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE


def _playground(args) -> int:
    # The start-up's objects (modules, classes, Textual's machinery, the first screen) all live as long as
    # the app: collecting garbage among them as they come is wasted on the import the learner waits for (4 %
    # of its instructions). The app turns the collector back on, those objects frozen, after its first frame.
    gc.disable()
    try:
        opened = _open(args)
        if isinstance(opened, int):
            return opened
        scenario, loaded = opened
        session = None
        if loaded is not None:
            from .session import Session

            session = Session(scenario, trainer=loaded.trainer, note=loaded.note)  # the note: on the status line
        from .tui.app import run_app  # Textual is imported only for the playground

        return run_app(scenario, seed=args.seed, session=session)
    finally:
        gc.enable()  # (the app has turned it on already, unless it never started)


def _open(args):
    """The playground's scenario and, for a run saved from the playground (s), the loaded run; or the exit
    code of why not. A bad file fails here, before the interface opens or is served."""
    loaded = _scenario_or_run(args, playground=True)
    if isinstance(loaded, int):
        return loaded
    return (loaded, None) if isinstance(loaded, Scenario) else (loaded.scenario, loaded)


def _serve(args) -> int:
    opened = _open(args)
    if isinstance(opened, int):
        return opened
    from . import serve

    return serve.serve(serve.command(args.scenario, args.seed, args.set), args.host, args.port, opened[0].name)


def _list(as_json: bool) -> int:
    rows = bundled_summaries()
    if as_json:
        folder = bundled_folder()
        print(json.dumps([{"name": name, "summary": summary, "path": str(folder / f"{name}.toml")}
                          for name, summary in rows]))
        return EXIT_OK
    width = max(len(name) for name, _ in rows)
    for name, summary in rows:
        print(f"{name:<{width}}  {summary}")
    return EXIT_OK


def _config(as_json: bool) -> int:
    """The config file's path, the settings in effect and what it ignored (exit 0: problems are reported)."""
    from . import config
    from .tui.app import config_choices  # the playground's own actions, themes and speeds

    settings = config.read(config_choices())
    print(json.dumps(config.as_json(settings)) if as_json else "\n".join(config.report(settings)))
    return EXIT_OK


Show = Callable[[int, Trainer], None]  # after a chunk of training: the steps done so far, the trainer


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int, str], Show] | None]:
    """On a terminal, a Rich progress bar on stderr over ``total`` steps: gives ``bar(offset, label)``, a
    ``Show`` for one run whose steps start ``offset`` steps into the bar; None when piped (nothing shown)."""
    if not sys.stderr.isatty() or total < 2:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("loss {task.fields[loss]}"), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as progress:
        task = progress.add_task(label, total=total, loss="…")

        def bar(offset: int, label: str) -> Show:
            def show(done: int, trainer: Trainer) -> None:
                progress.update(task, completed=offset + done, description=label,
                                loss=f"{trainer.current_loss():.4g}")
            return show

        yield bar


def _train(trainer: Trainer, steps: int, until: float | None, show: Show | None = None) -> tuple[float, int | None]:
    """Train ``steps`` steps, stopping early on divergence and, with ``until``, after the first step whose
    whole-set loss is below it (``Trainer.step_until``); with ``show``, in chunks of about 50 ms, calling
    it after each. Return the seconds it took and the step whose loss was below ``until`` (or None)."""
    start = time.perf_counter()
    pace = Pace(0.05, first=100)  # about 20 updates of the bar a second
    done, reached = 0, None
    while True:
        t0 = time.perf_counter()
        want = steps - done if show is None else min(pace.size, steps - done)
        if until is None:
            taken = trainer.step(want)
        else:
            before = trainer.step_count
            reached = trainer.step_until(until, want)
            taken = trainer.step_count - before
        done += taken
        if show is not None:
            show(done, trainer)
        if reached is not None or done >= steps or taken < want:  # below until, done, or diverged
            return time.perf_counter() - start, reached
        pace.took(taken, time.perf_counter() - t0)


def _run(scenario: Scenario, trainer: Trainer, args) -> int:
    seed = trainer.seed
    start = trainer.step_count  # a saved run carries on from where it was saved
    if not args.json:
        # only the first and the last loss are printed: under minibatches, measuring the whole-set
        # loss after every step would cost far more than the steps (the bar measures its own)
        trainer.loss_every = None
    with _progress(args.steps, scenario.name) as bar:
        seconds, reached = _train(trainer, args.steps, args.until_loss, bar and bar(0, scenario.name))
    steps = trainer.step_count
    snap = trainer.snapshot()  # the numbers at the end: losses, accuracies, confusion matrices
    rate = (steps - start) / seconds if seconds > 0 else 0.0
    test = trainer.test_history
    if args.json:
        out = {
            "scenario": scenario.id,
            "steps": steps,
            "seed": seed,
            "loss": jsonnumbers.number(snap.loss),
            "accuracy": snap.accuracy,
            "test_loss": None if snap.test_loss is None else jsonnumbers.number(snap.test_loss),
            "test_accuracy": snap.test_accuracy,
            "diverged": trainer.diverged,
            "seconds": seconds,
            "steps_per_second": rate,
            "loss_history": jsonnumbers.array(trainer.history.exact()),
            "test_loss_history": None if test is None else jsonnumbers.array(test.exact()),
            # null for regression (no classes), and test_confusion without a test set
            "confusion": None if snap.confusion is None else snap.confusion.tolist(),
            "test_confusion": None if snap.test_confusion is None else snap.test_confusion.tolist(),
        }
        if trainer.history.folded:  # a saved run so long that the playground averaged its early losses
            out["loss_history_start"] = trainer.history.start
        if args.until_loss is not None:
            out["until_loss_step"] = reached
        print(json.dumps(out))
    else:
        carried = f" (from step {start} to {steps})" if start else ""
        print(f"{scenario.name}: {steps - start} steps{carried} in {seconds:.3f} s ({rate:,.0f} steps/s)")
        print(f"loss {snap.loss:.6g} (from {trainer.history.at(start):.6g} at step {start})")
        if args.until_loss is not None:
            print(_until_line(args.until_loss, reached, steps - start))
        if snap.accuracy is not None:
            print(_accuracy_line(snap.accuracy, trainer.n_samples, "accuracy", "the training set"))
        if test is not None and snap.test_loss is not None:
            print(f"test loss {snap.test_loss:.6g} (from {test.at(start):.6g} at step {start})")
        if snap.test_accuracy is not None and trainer.X_test is not None:
            print(_accuracy_line(snap.test_accuracy, len(trainer.X_test), "test accuracy", "the test set"))
    return EXIT_DIVERGED if diverged(scenario, trainer) else EXIT_OK


def _until_line(until: float, reached: int | None, steps: int) -> str:
    if reached is None:
        return f"loss not below {until:g} in {steps} steps"
    return f"loss below {until:g} at step {reached}"


def _compare(args) -> int:
    """Train every combination of the ``--vary`` values and print the table, or the JSON (SPEC §5)."""
    if args.scenario.endswith(".json"):
        print(f"nnplay: compare: {printable(args.scenario)} is a saved run, and compare trains every run from step 0 "
              "of a scenario (a bundled name or a .toml file)", file=sys.stderr)
        return EXIT_USAGE
    given = [key for key, _ in args.set]
    varied: list[str] = []
    for key, values in args.vary:
        if key in varied or key in given:
            raise ScenarioError("nnplay", f"--vary {key}", "given twice (give all its values in one --vary KEY=V1,V2,…)"
                                if key in varied else f"also given with --set {key}: vary it or set it")
        if not all(values):
            raise ScenarioError("nnplay", f"--vary {key}", "an empty value (values are cut at the commas outside "
                                "brackets and quotes; quote a string holding a comma)")
        varied.append(key)
    try:
        runs = compare.combinations(args.vary)
    except ValueError as error:
        raise ScenarioError("nnplay", f"--vary {', '.join(varied)}", str(error)) from None
    flags = dict.fromkeys(varied, "--vary")
    # every combination is checked before any is trained
    scenarios = [_load(args.scenario, [*args.set, *((key, _value(text)) for key, text in run)], flags) for run in runs]
    results, starts = [], []
    name = scenarios[0].name
    with _progress(args.steps * len(runs), f"{name} 1/{len(runs)}") as bar:
        for i, scenario in enumerate(scenarios):
            trainer = scenario.make_trainer(args.seed)
            starts.append(trainer.initial_params)
            _, reached = _train(trainer, args.steps, args.until_loss, bar and bar(i * args.steps,
                                                                                  f"{name} {i + 1}/{len(runs)}"))
            results.append(compare.result(trainer, reached, histories=args.json))
    if args.json:
        print(json.dumps({"scenario": scenarios[0].id, "steps": args.steps,
                          "runs": [_compare_json(run, r, args.until_loss) for run, r in zip(runs, results)]}))
    else:
        same = all(start.shape == starts[0].shape and (start == starts[0]).all() for start in starts)
        seeds = ", ".join(str(seed) for seed in sorted({r.seed for r in results}))
        until = "" if args.until_loss is None else f" at most (until the loss is below {args.until_loss:g})"
        _print_table(f"{name}: {len(runs)} runs of {args.steps} steps{until}, from "
                     f"{'the same' if same else 'different'} initial weights (seed {seeds})",
                     compare.table(runs, results, args.until_loss, [s.training.optimizer for s in scenarios]))
    return EXIT_DIVERGED if all(r.diverged_at is not None for r in results) else EXIT_OK


def _compare_json(run: tuple[tuple[str, str], ...], r: compare.Result, until: float | None) -> dict:
    out = {
        "settings": {key: _value(text) for key, text in run},
        "steps": r.steps,
        "seed": r.seed,
        "loss": jsonnumbers.number(r.loss),
        "accuracy": r.accuracy,
        "test_loss": None if r.test_loss is None else jsonnumbers.number(r.test_loss),
        "test_accuracy": r.test_accuracy,
        "diverged": r.diverged_at is not None,
        "tenth_step": r.tenth_step,
    }
    if until is not None:
        out["until_loss_step"] = r.until_step
    out["loss_history"] = None if r.loss_history is None else jsonnumbers.array(r.loss_history)
    out["test_loss_history"] = None if r.test_loss_history is None else jsonnumbers.array(r.test_loss_history)
    return out


def _print_table(title: str, table: compare.Table) -> None:
    """The comparison: a Rich table on a terminal, plain aligned text when piped."""
    if not sys.stdout.isatty():
        print(title)
        print("\n".join(compare.plain(table)))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # on a terminal: a setting by its last part when that is unambiguous, a number never cut (its header
    # wraps to its width instead), and the best rows marked short, the reason under the table
    mark = next((row[-1] for row, best in zip(table.rows, table.best) if best), "")
    grid = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False,
                 caption=Text(f"◀ best: {mark.removeprefix('← ')}") if mark else None, caption_justify="left")
    columns = list(zip(*table.rows)) if table.rows else [()] * len(table.headers)
    settings = table.numeric.index(True)  # the varied settings' columns come first
    headers = compare.short_headers(table.headers[:settings]) + table.headers[settings:]
    for header, right, cells in zip(headers[:-1], table.numeric, columns):
        width = max((len(cell) for cell in cells), default=1)
        if right:
            header = "\n".join(textwrap.wrap(header, max(width, 4), break_long_words=False))
        grid.add_column(Text(header), justify="right" if right else "left", no_wrap=right, overflow="fold",
                        min_width=width)
    grid.add_column("", no_wrap=True, min_width=1)
    for row, best in zip(table.rows, table.best):
        grid.add_row(*map(Text, row[:-1]), "◀" if best else "", style="bold green" if best else None)
    Console().print(grid)


def _accuracy_line(acc: float, n: int, label: str, where: str) -> str:
    return f"{label} {acc * 100:.1f} % on {where} ({round(acc * n)} of {n})"


def _inspect(scenario: Scenario, trainer: Trainer, args) -> int:
    trainer.step(args.steps)  # the engine computes under np.errstate(all="ignore") itself
    snap = trainer.snapshot()
    out = {
        "scenario": scenario.id,
        "step": snap.step,
        "epoch": snap.epoch,
        "loss": jsonnumbers.number(snap.loss),
        "inputs": jsonnumbers.array(snap.inputs),
        "targets": jsonnumbers.array(snap.targets),
        "next_batch": snap.next_batch.tolist(),
        "layers": [
            {
                "units": layer.units,
                "activation": layer.activation,
                "W": jsonnumbers.array(layer.W),
                "b": jsonnumbers.array(layer.b),
                "dW": jsonnumbers.array(layer.dW),
                "db": jsonnumbers.array(layer.db),
                "u": jsonnumbers.array(layer.u),
                "z": jsonnumbers.array(layer.z),
                "delta": jsonnumbers.array(layer.delta),
                "next_update_W": jsonnumbers.array(update_W),
                "next_update_b": jsonnumbers.array(update_b),
            }
            for layer, update_W, update_b in zip(snap.layers, *trainer.network.unflatten(snap.next_update))
        ],
    }
    print(json.dumps(out, indent=1))
    return EXIT_DIVERGED if diverged(scenario, trainer) else EXIT_OK


def _landscape(scenario: Scenario, trainer: Trainer, args) -> int:
    from .figures import param_labels

    network = trainer.network
    labels = param_labels(network, scenario.unit_names())
    kind = args.directions.strip()
    pair: list[int] = []
    if kind not in ("random", "pca"):
        parts = kind.split(";")
        try:
            if len(parts) != 2:
                raise ValueError(f"expected random, pca or two weights as \"FROM -> TO;FROM -> TO\", got {kind!r}")
            pair = [landscape.find_param(labels, part) for part in parts]
        except ValueError as error:
            print(f"nnplay: --directions: {printable(str(error))}", file=sys.stderr)
            return EXIT_USAGE
        if pair[0] == pair[1]:
            print(f"nnplay: --directions: two different weights, got {labels[pair[0]]} twice", file=sys.stderr)
            return EXIT_USAGE
    path = landscape.replay(trainer, args.steps)
    if diverged(scenario, trainer):
        return EXIT_DIVERGED
    params = trainer.params.copy()
    if kind == "random":
        plane = landscape.random_plane(network, params, trainer.seed)
    elif kind == "pca":
        try:
            plane = landscape.pca_plane(path)
        except ValueError as error:
            print(f"nnplay: --directions pca: {error}", file=sys.stderr)
            return EXIT_USAGE
    else:
        plane = landscape.weight_plane(network.n_params, pair[0], pair[1], (labels[pair[0]], labels[pair[1]]))
    s = trainer.settings
    surface = landscape.make(network, params, trainer.X, trainer.T, s.loss, s.l2, plane, path, args.size, args.span)
    if args.json:
        directions = kind if kind in ("random", "pca") else ";".join(labels[i] for i in pair)
        print(json.dumps({
            "scenario": scenario.id, "step": trainer.step_count, "directions": directions,
            "a": surface.a.tolist(), "b": surface.b.tolist(), "loss": jsonnumbers.array(surface.losses),
            "centre_loss": jsonnumbers.number(surface.centre_loss), "path": surface.path.tolist()}))
        return EXIT_OK
    print("a,b,loss")
    for i, a in enumerate(surface.a.tolist()):
        for j, b in enumerate(surface.b.tolist()):
            loss = float(surface.losses[i, j])
            print(f"{a!r},{b!r},{loss!r}" if math.isfinite(loss) else f"{a!r},{b!r},")  # not finite: left empty
    return EXIT_OK


def _param_name(network, index: int) -> str:
    layer, kind, pos = network.locate(index)
    return f"layers[{layer}].{kind}[{','.join(map(str, pos))}]"


def _gradcheck(scenario: Scenario, trainer: Trainer, args) -> int:
    from .engine import gradcheck

    trainer.step(args.steps)
    if diverged(scenario, trainer):
        return EXIT_DIVERGED
    s = trainer.settings
    result = gradcheck.check(trainer.network, trainer.params, trainer.X, trainer.T, s.loss, s.l2)
    i = result.worst_index
    ok = result.worst <= gradcheck.TOLERANCE
    print(f"{printable(scenario.id)}: {trainer.network.n_params} parameters checked at step {trainer.step_count} "
          f"(central differences, h = {gradcheck.STEP:g} · max(1, |w|))")
    print(f"worst relative error {result.worst:.3g} at {_param_name(trainer.network, i)}: "
          f"backprop {float(result.analytic[i])!r}, finite differences {float(result.numeric[i])!r}")
    print(f"{'OK' if ok else 'FAILED'}: tolerance {gradcheck.TOLERANCE:g}")
    return EXIT_OK if ok else EXIT_GRADCHECK
