"""Hostile scenario files and command lines, and nnplay's one-line answers.

Each row of a table is one attack: the file's text and the message nnplay must
give, through the loader (``load``) and through the commands (exit code 2, that
one line on stderr, nothing on stdout). To add an attack, add a row.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nnplay.cli import main
from nnplay.scenario import MAX_FILE_BYTES, ScenarioError, load
from nnplay.session import Session

from .conftest import XOR_DATA, XOR_NETWORK

XOR = XOR_DATA + XOR_NETWORK
LESSON = '[[lesson]]\ntitle = "A page"\ntext = "Some text."\n'
ESCAPE = "\x1b"


def network(*activations: str) -> str:
    """A [network] of one hidden sigmoid layer of 2 units and one output unit of each activation."""
    layers = ", ".join(f'{{ units = {units}, activation = "{act}" }}' for units, act in ((2, "sigmoid"), (1, *activations)))
    return f"[network]\nlayers = [{layers}]\n"


def data(inputs: str, targets: str) -> str:
    return f"[data]\ninputs = {inputs}\ntargets = {targets}\n"


def nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + "1" + closing * depth


NOT_PLAIN = "holds the control character {!r} at position {} (names and texts must be plain text)"
TOO_DEEP = "nested deeper than a scenario needs (at most 10 levels)"
TOO_LONG_INTEGER = "integer too long to read (more than 100 digits)"
DATA_TOO_LARGE = "too large: {} (at most 1,000,000,000,000 in size; scale the data down, e.g. to thousands or millions)"
NOT_PROBABILITIES = "bce needs a sigmoid or softmax output layer (the output layer is {}): it reads the outputs as probabilities"

REFUSED = [
    # what tomllib or Python itself would choke on (RecursionError, ValueError, quadratic memory)
    pytest.param("[data]\ninputs = " + "[" * 5000 + "]" * 5000 + "\n" + XOR_NETWORK,
                 f"data.inputs: {TOO_DEEP}", id="arrays nested 5,000 deep"),
    pytest.param(XOR + "[init]\nscheme = " + nested("{ a = ", "}", 5000) + "\n",
                 f"init.scheme: {TOO_DEEP}", id="inline tables nested 5,000 deep"),
    pytest.param(XOR + LESSON + LESSON + "action = " + nested("{ a = ", "}", 11) + "\n",
                 f"lesson[1].action: {TOO_DEEP}", id="nesting in the second lesson page"),
    pytest.param(XOR + "[training]\n" + "a." * 100_000 + "a = 1\n",
                 f"training.a: {TOO_DEEP}", id="a dotted key of 100,000 parts"),
    pytest.param(XOR + "[" + "a." * 100_000 + "a]\n",
                 f"a: {TOO_DEEP}", id="a table header of 100,000 parts"),
    pytest.param(XOR + "[init]\nseed = " + "1" * 5000 + "\n",
                 f"init.seed: {TOO_LONG_INTEGER}", id="an integer of 5,000 digits"),
    pytest.param(XOR + "[init]\nseed = 0x" + "f" * 5000 + "\n",
                 f"init.seed: {TOO_LONG_INTEGER}", id="a hexadecimal integer of 5,000 digits"),
    pytest.param(data("[[0, " + "9" * 5000 + "]]", "[[0]]") + XOR_NETWORK,
                 f"data.inputs: {TOO_LONG_INTEGER}", id="an integer of 5,000 digits in the data"),
    pytest.param(XOR + "[init]\nseed = " + "1" * 100 + "\n",
                 "init.seed: must be a whole number from 0 to 9223372036854775807, got " + "1" * 100,
                 id="an integer of 100 digits is read, and refused as a seed"),
    # numbers the engine cannot compute with
    pytest.param(XOR + '[init]\nscheme = "uniform"\nscale = 1e308\n',
                 "init.scale: too large: 1e+308 (at most 1,000,000,000,000 in size)", id="init scale 1e308"),
    pytest.param(XOR + "[training]\nlearning_rate = " + "1" + "0" * 50 + "\n",
                 "training.learning_rate: too large: 1e+50 (at most 1,000,000,000,000 in size)",
                 id="a learning rate of 10**50"),
    pytest.param(data("[[0, 0], [0, 1], [1, 0], [1, 1e308]]", "[[0], [1], [1], [0]]") + XOR_NETWORK,
                 "data.inputs[3][1]: " + DATA_TOO_LARGE.format("1e+308"), id="an input of 1e308"),
    pytest.param(data("[[0, 0], [0, 1]]", "[[-1e200], [1]]") + XOR_NETWORK,
                 "data.targets[0][0]: " + DATA_TOO_LARGE.format("-1e+200"), id="a target of -1e200"),
    pytest.param(data("[[0, 0], [0, 1]]", "[0, 2e12]") + XOR_NETWORK,
                 "data.targets[1]: " + DATA_TOO_LARGE.format("2e+12"), id="a flat target of 2e12"),
    # control characters would reach the terminal
    pytest.param('[scenario]\nname = "\\u001b[2J\\u001b[31mRED\\u0007"\n' + XOR,
                 "scenario.name: " + NOT_PLAIN.format(ESCAPE, 0), id="a name that clears the screen"),
    pytest.param('[scenario]\nsummary = "Fine\\u001b]0;owned\\u0007"\n' + XOR,
                 "scenario.summary: " + NOT_PLAIN.format(ESCAPE, 4), id="a summary that sets the terminal title"),
    pytest.param('[scenario]\nsummary = """two\nlines"""\n' + XOR,
                 "scenario.summary: must be one line", id="a summary of two lines"),
    pytest.param(XOR_DATA + 'input_names = ["x", "y\\u0007"]\n' + XOR_NETWORK,
                 "data.input_names[1]: " + NOT_PLAIN.format("\x07", 1), id="a bell in an input name"),
    pytest.param(XOR_DATA + 'input_names = ["x1", "gnp\\u202e.exe"]\n' + XOR_NETWORK,
                 "data.input_names[1]: " + NOT_PLAIN.format("\u202e", 3), id="a right-to-left override in a name"),
    pytest.param(XOR_DATA + 'output_names = ["\\u009b2J"]\n' + XOR_NETWORK,
                 "data.output_names[0]: " + NOT_PLAIN.format("\x9b", 0), id="a C1 control in an output name"),
    pytest.param(data("[[0, 0], [0, 1]]", "[0, 1]") + 'class_names = ["a", "b\\u007f"]\n' + XOR_NETWORK,
                 "data.class_names[1]: " + NOT_PLAIN.format("\x7f", 1), id="a delete in a class name"),
    pytest.param('[data]\nsentences = [["good", 1], ["bad \\u001b[2J", 0]]\n' + network("sigmoid"),
                 "data.sentences[1][0]: " + NOT_PLAIN.format(ESCAPE, 4), id="an escape in a sentence"),
    pytest.param(XOR + '[[lesson]]\ntitle = "Tab\\there"\ntext = "x"\n',
                 "lesson[0].title: " + NOT_PLAIN.format("\t", 3), id="a tab in a lesson title"),
    pytest.param(XOR + '[[lesson]]\ntitle = "t"\ntext = """\nline\n\\u001b[2J"""\n',
                 "lesson[0].text: " + NOT_PLAIN.format(ESCAPE, 5), id="an escape in a lesson text"),
    pytest.param(XOR + '[[lesson]]\ntitle = "t"\ntext = "x"\naction = { weight = "x1 -> \\u001b[2J" }\n',
                 "lesson[0].action.weight: " + NOT_PLAIN.format(ESCAPE, 6), id="an escape in a weight name"),
    # bce reads the outputs as probabilities
    pytest.param(XOR_DATA + network("linear") + '[training]\nloss = "bce"\n',
                 "training.loss: " + NOT_PROBABILITIES.format("linear"), id="bce on a linear output"),
    pytest.param(XOR_DATA + network("relu") + '[training]\nloss = "bce"\n',
                 "training.loss: " + NOT_PROBABILITIES.format("relu"), id="bce on a relu output"),
    pytest.param(XOR_DATA + network("tanh") + '[training]\nloss = "bce"\n',
                 "training.loss: " + NOT_PROBABILITIES.format("tanh"), id="bce on a tanh output"),
    pytest.param(data("[[0, 0], [0, 1], [1, 0], [1, 1]]", "[[5], [1], [-3], [0]]") + XOR_NETWORK + '[training]\nloss = "bce"\n',
                 "training.loss: bce needs targets from 0 to 1 (these go from -3 to 5)", id="bce targets of 5 and -3"),
    pytest.param(XOR_DATA + network("linear") + LESSON + 'action = { settings = { loss = "bce" } }\n',
                 "lesson[0].action.settings.loss: " + NOT_PROBABILITIES.format("linear"),
                 id="a lesson page switching to bce on a linear output"),
    pytest.param(XOR + LESSON + LESSON + LESSON + "action = { settings = { learning_rate = -1 } }\n",
                 "lesson[2].action.settings.learning_rate: must be greater than 0, got -1",
                 id="a lesson page's bad setting is named at the page"),
    # sizes beyond what the playground keeps usable
    pytest.param(data("[[" + ", ".join(["0"] * 1001) + "]]", "[[0]]") + XOR_NETWORK,
                 "data.inputs: too large: 1,001 inputs per row (at most 1,000)", id="1,001 inputs"),
    pytest.param('[data]\nsentences = [["' + " ".join(f"w{i}" for i in range(1001)) + '", 1]]\n' + network("sigmoid"),
                 "data.sentences: too large: 1,001 words in the vocabulary (at most 1,000: each is an input)",
                 id="a vocabulary of 1,001 words"),
    pytest.param(XOR_DATA + '[network]\nlayers = [{ units = 100, activation = "tanh" }, { units = 28, activation = "tanh" }, '
                 '{ units = 1, activation = "sigmoid" }]\n',
                 "network.layers[2].units: too large: 129 units in this layer and those before it (at most 128 in all layers together)",
                 id="129 units in all"),
    pytest.param(data("[[" + ", ".join(["0"] * 200) + "]]", "[[0]]") + '[network]\nlayers = [{ units = 100, activation = "tanh" }, '
                 '{ units = 1, activation = "sigmoid" }]\n',
                 "network.layers: too large: 20,201 parameters (at most 20,000)", id="20,201 parameters"),
    pytest.param(data("[" + ", ".join(["[0]"] * 8000) + "]", "[" + ", ".join(["0"] * 8000) + "]")
                 + '[network]\nlayers = [{ units = 127, activation = "tanh" }, { units = 1, activation = "linear" }]\n',
                 "network.layers: too large: 8,000 samples x 128 units is 1,024,000 unit values per pass over the data "
                 "(at most 1,000,000)", id="8,000 samples through 128 units (inspect took 15 GB at 300,000)"),
    # [data] generate, the test set and features: nothing in them is evaluated, no size gets through
    pytest.param('[data]\ngenerate = "__import__(\'os\').system(\'ls\')"\n' + XOR_NETWORK,
                 "data.generate: unknown generator \"__import__('os').system('ls')\" "
                 "(expected one of: circle, xor, gauss, spiral, moons, plane, sine)", id="code as a generator"),
    pytest.param('[data]\ngenerate = "' + "spiral" * 200_000 + '"\n' + XOR_NETWORK,
                 "data.generate: unknown generator '" + ("spiral" * 5)[:27] + "...' "
                 "(expected one of: circle, xor, gauss, spiral, moons, plane, sine)", id="a generator of 1.2 MB"),
    pytest.param('[data]\ngenerate = "circle"\nsamples = 1000000000000000000\n' + XOR_NETWORK,
                 "data.samples: must be a whole number from 2 to 100,000, got 1000000000000000000",
                 id="10^18 generated samples"),
    pytest.param('[data]\ngenerate = "circle"\nnoise = nan\n' + XOR_NETWORK,
                 "data.noise: must be a finite number, got nan", id="nan noise"),
    pytest.param('[data]\ngenerate = "circle"\ntest_fraction = inf\n' + XOR_NETWORK,
                 "data.test_fraction: must be a finite number, got inf", id="an infinite test fraction"),
    pytest.param('[data]\ngenerate = "circle"\nfeatures = ["x1", "__import__(\'os\').system(\'ls\')"]\n'
                 + XOR_NETWORK, "data.features[1]: unknown feature \"__import__('os').system('ls')\" (expected NAME, "
                 "NAME^2, A*B, sin(NAME) or cos(NAME) with NAME one of: x1, x2)", id="code as a feature"),
    pytest.param('[data]\ngenerate = "circle"\nfeatures = ["x1", "x1*' + "x1" * 500_000 + '"]\n' + XOR_NETWORK,
                 "data.features[1]: unknown feature 'x1*" + "x1" * 12 + "...' (expected NAME, NAME^2, A*B, sin(NAME) "
                 "or cos(NAME) with NAME one of: x1, x2)", id="a feature of a million characters"),
    pytest.param('[data]\ngenerate = "circle"\nfeatures = ["x1", "\\u001b[2J"]\n' + XOR_NETWORK,
                 "data.features[1]: " + NOT_PLAIN.format(ESCAPE, 0), id="an escape in a feature"),
    pytest.param('[data]\nsentences = [["good", 1], ["bad", 0]]\ntest_sentences = [["\\u001b[2J", 1]]\n'
                 + network("sigmoid"), "data.test_sentences[0][0]: " + NOT_PLAIN.format(ESCAPE, 0),
                 id="an escape in a test sentence"),
    pytest.param(XOR + "# " + "x" * MAX_FILE_BYTES + "\n",
                 "too large for a scenario file (more than 2 MB); large data belongs in a CSV file", id="a file over 2 MB"),
]


@pytest.mark.parametrize("text,expected", REFUSED)
def test_the_loader_refuses_in_one_line_naming_the_key(write, text, expected):
    path = write(text)
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert str(info.value) == f"{path}: {expected}"


@pytest.mark.parametrize("text,expected", REFUSED)
def test_the_commands_answer_exit_2_and_that_line(write, capsys, text, expected):
    path = write(text)
    assert main(["run", str(path)]) == 2
    assert capsys.readouterr() == ("", f"nnplay: {path}: {expected}\n")


ACCEPTED = [
    pytest.param(b"\xef\xbb\xbf" + XOR.encode(), "attack", id="a byte order mark"),
    pytest.param(XOR.replace("\n", "\r\n").encode(), "attack", id="Windows line endings"),
    pytest.param('[scenario]\nname = "' + "N" * 5000 + '"\n' + XOR, "N" * 5000, id="a name of 5,000 characters"),
    pytest.param('[scenario]\nname = "XOR ✓ 異或 إكس"\n' + XOR, "XOR ✓ 異或 إكس", id="a name in other scripts"),
    pytest.param("[scenario]\nname = '[[[[[[[[[[[[ " + "1" * 200 + "'\n" + XOR
                 + "# ]]]]]]]]]]]] [[[[[[[[[[[[[[ " + "1" * 200 + "\n"
                 + '[[lesson]]\ntitle = "{{{{{{{{{{{{{{"\ntext = """\n\\""" [[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j.k.l\n"""\n',
                 "[[[[[[[[[[[[ " + "1" * 200, id="brackets, dots and long digits inside strings and comments"),
]


@pytest.mark.parametrize("text,name", ACCEPTED)
def test_odd_but_harmless_files_load(write, capsys, text, name):
    path = write(text)
    assert load(str(path)).name == name
    assert main(["run", str(path), "--steps", "3"]) == 0
    assert capsys.readouterr().out.startswith(f"{name}: 3 steps")


def test_a_name_the_terminal_cannot_show_is_escaped_not_an_error(write):
    path = write('[scenario]\nname = "Ωmega"\n' + XOR)
    done = subprocess.run([sys.executable, "-m", "nnplay", "run", str(path), "--steps", "1"], capture_output=True,
                          text=True, env={**os.environ, "PYTHONIOENCODING": "ascii"}, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("\\u03a9mega: 1 steps")


def test_lesson_texts_keep_line_breaks_and_tabs(write):
    path = write(XOR + '[[lesson]]\ntitle = "t"\ntext = """\nfirst\tline\r\nsecond line\n"""\n')
    assert load(str(path)).lessons[0].text == "first\tline\nsecond line"


def fifo(tmp_path) -> str:
    os.mkfifo(tmp_path / "pipe.toml")
    return str(tmp_path / "pipe.toml")


NOT_FILES = [
    pytest.param(lambda tmp: str(tmp), "{}: a folder, not a scenario file", id="a directory"),
    pytest.param(fifo, "{}: not a regular file (a scenario is a .toml file)", id="a FIFO (must not wait for a writer)"),
    pytest.param(lambda tmp: "/dev/zero", "{}: not a regular file (a scenario is a .toml file)",
                 id="/dev/zero (must not read forever)"),
    pytest.param(lambda tmp: "", "'': no scenario given (a bundled name or a .toml file)", id="an empty name"),
    pytest.param(lambda tmp: "\x1b[2J.toml", "'\\x1b[2J.toml': no such scenario file",
                 id="a missing file whose name clears the screen: shown escaped"),
]


@pytest.mark.parametrize("make,expected", NOT_FILES)
def test_what_is_not_a_scenario_file_is_answered_at_once(tmp_path, capsys, make, expected):
    name = make(tmp_path)
    assert main(["run", name]) == 2
    assert capsys.readouterr() == ("", "nnplay: " + expected.format(name) + "\n")


def test_a_file_name_with_control_characters_never_reaches_the_terminal_raw(tmp_path, capsys):
    path = tmp_path / "x\x1b[31m.toml"
    path.write_text(XOR, encoding="utf-8")
    for argv in (["run", str(path), "--steps", "3"], ["gradcheck", str(path)], ["inspect", str(path)]):
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err
    assert load(str(path)).name == "'x\\x1b[31m'"
    path.write_text("not toml", encoding="utf-8")
    assert main(["run", str(path)]) == 2
    assert capsys.readouterr().err.startswith("nnplay: " + repr(str(path)) + ": not valid TOML")


def test_an_argument_with_control_characters_is_quoted_in_the_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "xor", "\x1b[2J"])
    assert info.value.code == 2
    assert capsys.readouterr().err == "nnplay: run: 'unrecognized arguments: \\x1b[2J' (see nnplay run --help)\n"


# Fourteen linear layers with weights up to 1e12: the output is about 1e180, its square
# infinite. Twelve: the loss is finite (1e303) but the first update is not.
def deep_linear(n_layers: int) -> str:
    layers = ", ".join(['{ units = 1, activation = "linear" }'] * n_layers)
    return (data("[[1e12, 1e12], [0, 1], [1, 0], [1, 1]]", "[[0], [1], [1], [0]]")
            + f'[network]\nlayers = [{layers}]\n[init]\nscheme = "uniform"\nscale = 1e12\n')


DIVERGED_AT_0 = ("nnplay: attack: the run diverged at step 0: the loss is NaN or infinite before any training, "
                 "so the data or the initial weights are too large (scale the data down or give [init] a smaller scale)\n")
DIVERGED_AT_1 = ("nnplay: attack: the run diverged at step 1: the loss or a parameter became NaN or infinite; "
                 "try a smaller learning rate (it was 0.1)\n")


@pytest.mark.parametrize("command", ["run", "inspect", "gradcheck"])
@pytest.mark.parametrize("n_layers,steps,message", [
    pytest.param(14, "0", DIVERGED_AT_0, id="infinite at step 0, no step taken"),
    pytest.param(14, "5", DIVERGED_AT_0, id="infinite at step 0, asked for 5 steps"),
    pytest.param(12, "5", DIVERGED_AT_1, id="infinite after the first update"),
])
def test_a_diverged_run_is_exit_3_and_one_line_for_every_command(write, capsys, command, n_layers, steps, message):
    path = write(deep_linear(n_layers))
    assert main([command, str(path), "--steps", steps]) == 3
    assert capsys.readouterr().err == message


LOSS_CHANGES = [
    pytest.param(XOR_DATA + network("linear"), "bce", NOT_PROBABILITIES.format("linear"), ["mse", "sse", "mae"],
                 id="bce on a linear output"),
    pytest.param(data("[[0, 0], [0, 1], [1, 0], [1, 1]]", "[[5], [1], [-3], [0]]") + XOR_NETWORK, "bce",
                 "bce needs targets from 0 to 1 (these go from -3 to 5)", ["mse", "sse", "mae"], id="bce targets of 5 and -3"),
    pytest.param(XOR, "cce", "cce needs a softmax output layer (the output layer is sigmoid): it reads the outputs as probabilities", ["bce", "mse", "sse", "mae"],
                 id="cce on a sigmoid output"),
]


@pytest.mark.parametrize("text,loss,message,offered", LOSS_CHANGES)
def test_the_python_api_and_the_loss_key_obey_the_loaders_rule(write, text, loss, message, offered):
    scenario = load(str(write(text)))
    with pytest.raises(ValueError) as info:
        scenario.make_trainer().change_settings(loss=loss)
    assert str(info.value) == f"loss: {message}"
    assert Session(scenario).compatible_losses() == offered
