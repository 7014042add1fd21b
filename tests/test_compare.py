"""nnplay compare (SPEC §2, §5) and the stopping rule behind --until-loss (Trainer.step_until)."""

import itertools
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from nnplay import compare
from nnplay.cli import main
from nnplay.scenario import load

from .test_cli import DIVERGING, on_a_terminal, run


def run_json(capsys, *argv) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0 and err == "", err
    return json.loads(out)


def first_below(history, level):
    """The first index whose value is below ``level``, by a plain loop (None if none is)."""
    for i, x in enumerate(history):
        if x is not None and x < level:
            return i
    return None


# -- the values and their combinations ---------------------------------------------


@pytest.mark.parametrize("text, values", [
    ("sgd,adam", ["sgd", "adam"]),
    (" 0.1 , 0.5,1 ", ["0.1", "0.5", "1"]),
    ("adam", ["adam"]),
    ('[{units = 4, activation = "tanh"}, {units = 1}],[{units = 8}]',
     ['[{units = 4, activation = "tanh"}, {units = 1}]', "[{units = 8}]"]),
    ("{ kind = \"step\", every = 100 },{kind=\"cosine\"},constant",
     ['{ kind = "step", every = 100 }', '{kind="cosine"}', "constant"]),
    ('"a,b",c', ['"a,b"', "c"]),
    ("'[x,',y", ["'[x,'", "y"]),  # a bracket inside quotes opens nothing
    (r'"a\",b",c', [r'"a\",b"', "c"]),  # an escaped quote does not end the string
    (r'"a\\",b', [r'"a\\"', "b"]),  # an escaped backslash does
    ("a,,b", ["a", "", "b"]),
])
def test_values_are_cut_at_top_level_commas(text, values):
    assert compare.split_values(text) == values


def test_combinations_are_the_cartesian_product_in_the_order_given():
    varied = [("a", ["1", "2"]), ("b", ["x", "y", "z"]), ("c", ["0"])]
    runs = compare.combinations(varied)
    assert runs == [(("a", a), ("b", b), ("c", c)) for a, b, c in itertools.product(["1", "2"], ["x", "y", "z"], ["0"])]
    assert [dict(run)["a"] for run in runs] == ["1"] * 3 + ["2"] * 3  # the first key changes slowest
    assert len(compare.combinations([("a", [str(i) for i in range(compare.MAX_RUNS)])])) == compare.MAX_RUNS
    with pytest.raises(ValueError, match=f"2 × 33 = 66 combinations, more than the {compare.MAX_RUNS}"):
        compare.combinations([("a", ["1", "2"]), ("b", [str(i) for i in range(33)])])


def test_compare_trains_every_combination_in_order_with_its_values(capsys):
    data = run_json(capsys, "compare", "xor", "--steps", "20", "--vary", "training.optimizer=sgd,adam,rmsprop",
                    "--vary", "training.learning_rate=0.1,0.5")
    assert data["scenario"] == "xor" and data["steps"] == 20
    assert [r["settings"] for r in data["runs"]] == [
        {"training.optimizer": optimizer, "training.learning_rate": rate}
        for optimizer, rate in itertools.product(["sgd", "adam", "rmsprop"], [0.1, 0.5])]
    histories = [tuple(r["loss_history"]) for r in data["runs"]]
    assert len(set(histories)) == 6  # six different runs, not one six times
    assert all(len(h) == 21 and r["steps"] == 20 for h, r in zip(histories, data["runs"]))


# -- the same initial weights -----------------------------------------------------


def test_every_run_starts_from_the_same_weights_when_the_network_is_the_same(capsys, monkeypatch):
    starts = []
    measure = compare.result

    def spy(trainer, *args, **kwargs):
        starts.append(trainer.initial_params.copy())
        return measure(trainer, *args, **kwargs)

    monkeypatch.setattr(compare, "result", spy)
    data = run_json(capsys, "compare", "xor", "--steps", "0", "--vary", "training.optimizer=sgd,adam,nesterov",
                    "--vary", "training.momentum=0,0.9")
    assert len(starts) == 6 and all(np.array_equal(start, starts[0]) for start in starts)
    # the weights inspect shows at step 0, and the loss they give, are those of every run
    code, out, _ = run(capsys, "inspect", "xor")
    layers = json.loads(out)["layers"]
    Ws, bs = load("xor").network().unflatten(starts[0])
    assert all(np.array_equal(layer["W"], W) and np.array_equal(layer["b"], b) for layer, W, b in zip(layers, Ws, bs))
    assert len({r["loss_history"][0] for r in data["runs"]}) == 1 == len({len(r["loss_history"]) for r in data["runs"]})
    # another shape, other weights; --seed replaces the seed of every run
    starts.clear()
    data = run_json(capsys, "compare", "xor", "--steps", "0", "--seed", "3", "--vary",
                    'network.layers=[{units=2, activation="tanh"}, {units=1, activation="sigmoid"}],'
                    '[{units=3, activation="tanh"}, {units=1, activation="sigmoid"}]')
    assert [len(start) for start in starts] == [9, 13] and {r["seed"] for r in data["runs"]} == {3}
    assert data["runs"][0]["settings"]["network.layers"][0] == {"units": 2, "activation": "tanh"}


# -- the JSON equals run's -----------------------------------------------------------

SAME_AS_RUN = ["loss", "accuracy", "test_loss", "test_accuracy", "loss_history", "test_loss_history"]


@pytest.mark.parametrize("scenario, given, varied", [
    ("xor", [], [("training.optimizer", ["sgd", "adam"])]),
    # minibatches and a test set: the shuffle and both histories
    ("circle", ["training.batch_size=20"], [("training.learning_rate", ["0.1", "0.3"]),
                                            ("training.momentum", ["0", "0.9"])]),
])
def test_each_run_equals_run_json_with_its_values_to_the_bit(capsys, scenario, given, varied):
    common = ["--steps", "150", *(f"--set={s}" for s in given)]
    data = run_json(capsys, "compare", scenario, *common,
                    *(f"--vary={key}={','.join(values)}" for key, values in varied))
    runs = list(itertools.product(*(values for _, values in varied)))
    assert len(data["runs"]) == len(runs)
    for values, got in zip(runs, data["runs"]):
        alone = run_json(capsys, "run", scenario, *common,
                         *(f"--set={key}={value}" for (key, _), value in zip(varied, values)))
        assert {key: got[key] for key in SAME_AS_RUN} == {key: alone[key] for key in SAME_AS_RUN}
        assert got["steps"] == alone["steps"] and got["seed"] == alone["seed"]
    if scenario == "circle":
        assert all(len(r["test_loss_history"]) == 151 and r["test_accuracy"] is not None for r in data["runs"])


def test_the_tenth_step_is_the_first_below_a_tenth_of_the_start(capsys):
    data = run_json(capsys, "compare", "xor", "--steps", "600", "--vary", "training.learning_rate=0.5,1,0.05")
    tenth = [r["tenth_step"] for r in data["runs"]]
    assert tenth == [first_below(r["loss_history"], r["loss_history"][0] / 10) for r in data["runs"]]
    assert tenth[0] is not None and tenth[2] is None  # one that gets there and one that does not: both cases


# -- --until-loss ---------------------------------------------------------------------


@pytest.mark.parametrize("given", [[], ["training.batch_size=2"]])  # full batches, then minibatches
def test_until_loss_stops_at_the_first_step_below_and_equals_run(capsys, given):
    sets = [f"--set={s}" for s in given]
    full = run_json(capsys, "run", "xor", "--steps", "3000", *sets)["loss_history"]
    level = (full[0] * min(full)) ** 0.5  # reached, and not at once
    n = first_below(full, level)
    assert n is not None and 0 < n < 3000
    alone = run_json(capsys, "run", "xor", "--steps", "3000", "--until-loss", repr(level), *sets)
    assert alone["until_loss_step"] == n == alone["steps"]
    h = alone["loss_history"]
    assert len(h) == n + 1 and h[n] < level and all(x >= level for x in h[:n])
    assert h == full[:n + 1]  # the same run, stopped there
    data = run_json(capsys, "compare", "xor", "--steps", "3000", "--until-loss", repr(level), *sets,
                    "--vary", "training.learning_rate=0.5,0.01")
    stopped, never = data["runs"]
    assert stopped["until_loss_step"] == n and stopped["loss_history"] == h and stopped["loss"] == h[-1]
    assert never["until_loss_step"] is None and len(never["loss_history"]) == 3001
    assert min(never["loss_history"]) >= level
    # without --until-loss, no such key
    assert "until_loss_step" not in run_json(capsys, "compare", "xor", "--steps", "5",
                                             "--vary", "training.momentum=0,0.5")["runs"][0]


def test_step_until_in_chunks_is_the_same_run_as_in_one_go():
    """The playground steps in chunks: stopping is the same wherever the chunks end."""
    for overrides in ({}, {"training.batch_size": 3, "training.optimizer": "adam", "training.learning_rate": 0.05}):
        whole = load("xor", overrides=overrides).make_trainer()
        whole.step(2000)
        history = whole.loss_history()
        level = float(history[0] * history.min()) ** 0.5  # reached, and not at once
        n = first_below(history, level)
        assert n is not None
        once = load("xor", overrides=overrides).make_trainer()
        assert once.step_until(level, 2000) == n == once.step_count
        chunked = load("xor", overrides=overrides).make_trainer()
        chunked.loss_every = None  # measured anyway while it looks for the level, and left as it was
        reached, chunks = None, 0
        while reached is None and chunks < 200:
            reached = chunked.step_until(level, 7)
            chunks += 1
        assert reached == n and chunked.loss_every is None
        np.testing.assert_array_equal(chunked.loss_history(), history[:n + 1])
        np.testing.assert_array_equal(chunked.params, once.params)
        # already below: it stays where it is
        assert chunked.step_until(level, 100) == n == chunked.step_count
        # a level never reached: every step taken, None
        never = load("xor", overrides=overrides).make_trainer()
        assert never.step_until(1e-300, 50) is None and never.step_count == 50


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "lots"])
@pytest.mark.parametrize("argv", [["run", "xor"], ["compare", "xor", "--vary", "training.momentum=0,0.5"]])
def test_until_loss_must_be_a_positive_number(capsys, argv, value):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, f"--until-loss={value}"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "argument --until-loss: " in err and repr(value) in err


# -- the table ---------------------------------------------------------------------------


def test_the_table_has_a_row_per_run_and_marks_the_lowest_loss(capsys):
    argv = ["compare", "circle", "--steps", "100", "--vary", "training.learning_rate=0.03,0.3",
            "--vary", "training.optimizer=sgd,adam"]
    code, out, err = run(capsys, *argv)
    data = run_json(capsys, *argv)
    assert code == 0 and err == "" and "\x1b" not in out
    title, header, *rows = out.splitlines()
    assert title.startswith("Circle: 4 runs of 100 steps, from the same initial weights (seed ")
    assert header.split() == ["training.learning_rate", "training.optimizer", "loss", "test", "loss", "accuracy",
                              "test", "accuracy", "÷10", "at", "step"]
    assert len(rows) == 4
    losses = [r["loss"] for r in data["runs"]]
    for row, r in zip(rows, data["runs"]):
        cells = row.split()
        assert cells[:2] == [str(r["settings"]["training.learning_rate"]), r["settings"]["training.optimizer"]]
        assert float(cells[2]) == pytest.approx(r["loss"], rel=1e-5)
        assert float(cells[3]) == pytest.approx(r["test_loss"], rel=1e-5)
        assert cells[4:8] == [f"{r['accuracy'] * 100:.1f}", "%", f"{r['test_accuracy'] * 100:.1f}", "%"]
        assert cells[8] == ("—" if r["tenth_step"] is None else str(r["tenth_step"]))
        assert row.endswith("← lowest loss") == (r["loss"] == min(losses))
    assert sum(row.endswith("← lowest loss") for row in rows) == 1


def test_a_diverging_run_is_reported_in_its_row_and_the_others_go_on(capsys, tmp_path):
    path = tmp_path / "steep.toml"
    path.write_text(DIVERGING)
    code, out, err = run(capsys, "compare", str(path), "--steps", "200", "--vary", "training.learning_rate=50,0.01")
    assert code == 0 and err == ""
    boom, calm = out.splitlines()[2:]
    alone = run(capsys, "run", str(path), "--steps", "200")
    step = alone[2].split("diverged at step ")[1].split(":")[0]
    assert alone[0] == 3 and boom.split() == ["50", "diverged", "at", "step", step, "—"]
    assert calm.startswith("0.01") and calm.endswith("← lowest loss")
    data = run_json(capsys, "compare", str(path), "--steps", "200", "--vary", "training.learning_rate=50,0.01")
    assert [r["diverged"] for r in data["runs"]] == [True, False]
    assert data["runs"][0]["steps"] == int(step) and len(data["runs"][1]["loss_history"]) == 201
    # every run diverged: exit 3, as run's
    code, out, _ = run(capsys, "compare", str(path), "--steps", "200", "--vary", "training.learning_rate=50,80")
    assert code == 3 and out.count("diverged at step") == 2 and "lowest" not in out


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("vary, message", [
    (["training.learnig_rate=0.1,0.2"],
     "nnplay: --vary training.learnig_rate: unknown key 'learnig_rate' (did you mean 'learning_rate'?)"),
    (["training.optimizer=sgd,adamm"], "nnplay: --vary training.optimizer: unknown optimizer 'adamm' (expected "
                                       "one of: sgd, nesterov, rmsprop, adam, adagrad)"),
    (["training.learning_rate=0.1,-1"], "nnplay: --vary training.learning_rate: must be greater than 0, got -1"),
    (["network.layers=[{units = 2}],[{units = 1}]"], "nnplay: --vary network.layers[0]: missing key 'activation'"),
    (["training.momentum=0,0.5", "training.momentum=0.9"],
     "nnplay: --vary training.momentum: given twice (give all its values in one --vary KEY=V1,V2,…)"),
    (["training.momentum=0,,0.5"], "nnplay: --vary training.momentum: an empty value (values are cut at the commas "
                                   "outside brackets and quotes; quote a string holding a comma)"),
    ([f"training.learning_rate={','.join(str(i + 1) for i in range(9))}", "training.momentum=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7"],
     "nnplay: --vary training.learning_rate, training.momentum: 9 × 8 = 72 combinations, more than the 64 one "
     "compare trains (vary fewer values at once)"),
])
def test_vary_errors_name_the_key_in_one_line(capsys, vary, message):
    code, out, err = run(capsys, "compare", "xor", *(f"--vary={v}" for v in vary))
    assert code == 2 and out == "" and err == message + "\n"


def test_vary_and_set_of_one_key_clash_and_a_saved_run_is_refused(capsys, tmp_path):
    from nnplay import runfile

    code, _, err = run(capsys, "compare", "xor", "--set", "training.momentum=0", "--vary", "training.momentum=0,0.5")
    assert code == 2 and err == "nnplay: --vary training.momentum: also given with --set training.momentum: " \
                                "vary it or set it\n"
    scenario = load("xor")
    json_path, _ = runfile.save(tmp_path / "run", scenario, scenario.make_trainer())
    code, out, err = run(capsys, "compare", str(json_path), "--vary", "training.momentum=0,0.5")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"nnplay: compare: {json_path} is a saved run, and compare trains every run from step 0")


def test_a_malformed_or_missing_vary_is_a_usage_error(capsys):
    for argv in (["compare", "xor", "--vary", "training.momentum"], ["compare", "xor"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "--vary" in err and "Traceback" not in err


def test_one_value_is_a_table_of_one_run_and_a_tie_marks_no_best(capsys):
    data = run_json(capsys, "compare", "xor", "--steps", "10", "--vary", "training.optimizer=adam")
    assert [r["settings"] for r in data["runs"]] == [{"training.optimizer": "adam"}]
    code, out, _ = run(capsys, "compare", "xor", "--steps", "10", "--vary", "training.optimizer=adam")
    assert code == 0 and len(out.splitlines()) == 3 and "←" not in out
    # at step 0 every run has the same loss: none is better
    code, out, _ = run(capsys, "compare", "xor", "--steps", "0", "--vary", "training.momentum=0,0.5")
    assert code == 0 and len(out.splitlines()) == 4 and "←" not in out


# -- through the shell ------------------------------------------------------------------------


def test_piped_compare_has_no_escape_codes_and_nothing_on_stderr(capsys):
    argv = ["compare", "bump", "--steps", "300", "--vary", "training.optimizer=sgd,adam,rmsprop", "--until-loss", "0.05"]
    r = subprocess.run([sys.executable, "-m", "nnplay", *argv], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "" and "\x1b" not in r.stdout
    title, header, *rows = r.stdout.splitlines()
    assert "at most (until the loss is below 0.05)" in title and header.endswith("below 0.05 at step")
    # with --until-loss the best is the first below it (the final losses are all about 0.05)
    steps = [run["until_loss_step"] for run in run_json(capsys, *argv)["runs"]]
    reached = [s for s in steps if s is not None]
    assert len(set(reached)) == 2 and None in steps  # two get there at different steps, one does not
    assert [row.endswith("← first below 0.05") for row in rows] == [s == min(reached) for s in steps]
    assert [row.split()[-5 if s == min(reached) else -1] for row, s in zip(rows, steps)] == \
        [str(s) if s is not None else "—" for s in steps]


@pytest.mark.slow
def test_compare_on_a_terminal_shows_a_progress_bar_and_a_rich_table():
    code, text = on_a_terminal("compare", "xor", "--steps", "50000", "--vary", "training.optimizer=sgd,adam",
                               stdout_too=True)
    assert code == 0
    assert "XOR 1/2" in text and "XOR 2/2" in text and "━" in text  # the bar, over both runs
    assert "━━" in text and "optimizer" in text and "◀ best: lowest loss" in text  # Rich's table


@pytest.mark.parametrize("columns", ["80", "100"])
def test_compare_on_a_narrow_terminal_cuts_no_number_and_names_settings_short(columns, monkeypatch):
    argv = ["compare", "bump", "--steps", "300", "--until-loss", "0.01", "--vary", "training.optimizer=sgd,adam",
            "--vary", "training.learning_rate=0.1,0.5", "--vary", "training.momentum=0,0.9"]
    piped = subprocess.run([sys.executable, "-m", "nnplay", *argv], capture_output=True, text=True, timeout=120)
    assert "training.learning_rate" in piped.stdout and "← first below 0.01" in piped.stdout  # plain: as it was
    rows = [line.split() for line in piped.stdout.splitlines()[2:]]
    monkeypatch.setenv("COLUMNS", columns)
    code, written = on_a_terminal(*argv, stdout_too=True)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", written.split("Bump: 8 runs")[-1])  # the table, without its styles
    assert code == 0 and "…" not in text
    lines = [line for line in text.splitlines() if line.startswith((" sgd", " adam"))]
    assert len(lines) == len(rows) == 8
    for line, row in zip(lines, rows):
        assert line.split()[:6] == row[:6]  # the settings and every number whole, on one line
    assert "◀ best: first below 0.01" in text and "trainin" not in text
