"""The playground under hostile data and keys: it stays alive and shows the truth.

* names that look like markup are shown as written, in every pane and prompt;
* numbers too large for the network (inputs of 1e200, weights of 1e300, a run
  that diverges) are drawn as "inf" or "nan", never turned into a crash;
* a diverged run advises only what can bring it back;
* an error nnplay did not expect ends with one line, its traceback in a log;
* the slow views of a big data set (the landscape, the sweep) are made off the
  interface thread, so a key answers while they are being made;
* seeded random keys, flat out and with resizes, leave it alive and consistent;
* more: wrong values typed for a weight, a table of 10,000 rows, the help on top.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from textual import events
from textual.geometry import Size
from textual.widgets import Input
from textual.worker import WorkerFailed

from nnplay import explain, runfile
from nnplay import session as session_module
from nnplay.figures import padded_range, spaced
from nnplay.scenario import load, parse
from nnplay.session import SPEEDS, Session
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.nudge import agreement
from nnplay.tui.scales import bar_length, positions
from nnplay.tui.screen import PlaygroundScreen
from nnplay.tui.status import StatusLine
from nnplay.tui.table_view import TableView

from ..tui.conftest import playground, run_async, screen_text, text_of

CHARACTERS = {"space": " ", "full_stop": ".", "greater_than_sign": ">", "plus": "+", "minus": "-",
              "equals_sign": "=", "left_square_bracket": "[", "right_square_bracket": "]",
              "left_curly_bracket": "{", "right_curly_bracket": "}", "question_mark": "?"}


def send(app, key: str) -> None:
    """A key as the terminal sends it: queued, not awaited."""
    app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def press(pilot, *keys: str) -> None:
    """Pilot.press without its wait for the CPU to go idle after each key (a tenth of a second
    a key, a second while the training thread runs): each key is handled before the next, as
    the app hands it on to the focused widget, which hands it to the screen's binding.
    A key that opens a screen needs Pilot.press, which waits until the screen can take keys."""
    for key in keys:
        send(pilot.app, key)
        for _ in range(3):  # the messages of each hand-over, handled (two do; one more to be sure)
            await pilot.pause(0)


# -- names that look like markup ---------------------------------------------------------------------

# Rich and Textual markup that would crash (an unmatched closing tag), vanish (a style),
# or act (a click that quits) if a name were read as markup.
CLOSE, MISMATCH, STYLE, CLICK = "[/]", "[b]x[/i]", "[red]", "[@click=app.quit]q[/]"
NETWORK = '[network]\nlayers = [{{ units = 2, activation = "sigmoid" }}, {{ units = {outputs}, activation = "{out}" }}]\n'
LESSON = f'[[lesson]]\ntitle = "{CLOSE} lesson"\ntext = "{STYLE}great {CLOSE} page"\n'

MARKUP_SCENARIOS = {
    "table": (f'[scenario]\nname = "{CLOSE}"\n[data]\ninputs = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]\n'
              f'targets = [[0], [1], [1], [0]]\ninput_names = ["{CLOSE}", "{MISMATCH}", "{CLICK}"]\n'
              f'output_names = ["{STYLE}"]\n' + NETWORK.format(outputs=1, out="sigmoid") + LESSON),
    "decision-map": (f'[scenario]\nname = "{MISMATCH}"\n[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\n'
                     f'targets = [0, 1, 1, 0]\nclass_names = ["{STYLE}", "{CLOSE}"]\n'
                     f'input_names = ["{CLICK}", "{MISMATCH}"]\n' + NETWORK.format(outputs=2, out="softmax")
                     + '[training]\nloss = "cce"\n' + LESSON),
    "curve": (f'[scenario]\nname = "{CLICK}"\n[data]\ninputs = [[0], [0.5], [1]]\ntargets = [[0], [1], [0]]\n'
              f'input_names = ["{CLOSE}"]\noutput_names = ["{MISMATCH}"]\n' + NETWORK.format(outputs=1, out="linear")),
    "sentences": (f'[scenario]\nname = "{CLOSE}"\n[data]\nsentences = [["{STYLE}great film", 1], '
                  f'["{CLOSE} awful {MISMATCH} film", 0]]\noutput_names = ["{CLICK}"]\n'
                  + NETWORK.format(outputs=1, out="sigmoid") + LESSON),
}


@pytest.mark.slow
@pytest.mark.parametrize("view", MARKUP_SCENARIOS)
@run_async
async def test_names_that_look_like_markup_are_shown_as_written(write, view):
    scenario = load(str(write(MARKUP_SCENARIOS[view])))
    assert scenario.view == view
    app = PlaygroundApp(scenario)
    seen = []
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = playground(app)
        for key in "1234567":  # every tab of the small layout
            await press(pilot, key, "escape")  # escape: leave the sentence box the view tab focuses
            seen.append(screen_text(app))
        await pilot.resize_terminal(140, 45)
        for _ in range(5):  # every explain view, and back to the inspector
            await press(pilot, "v")
            seen.append(screen_text(app))
        if view == "decision-map":
            await press(pilot, "u")  # the per-unit maps
            seen.append(screen_text(app))
        if view == "sentences":
            await press(pilot, "t", *f"{CLOSE} great", "escape")
            seen.append(screen_text(app))
        await pilot.press("x")  # a notification that quotes the weight's name (a toast takes a while) …
        for _ in range(40):
            await pilot.pause(0.05)
            if "Pinned" in screen_text(app):
                break
        seen.append(screen_text(app))  # … and goes when a prompt opens over it
        await pilot.press("e")  # the prompt's question quotes it too
        seen.append(screen_text(app))
        await pilot.press(*CLOSE, "enter")  # a wrong value, quoted back in the prompt, which stays open
        seen.append(screen_text(app))
        await press(pilot, "escape")
        assert app.is_running and app.screen is screen
    shown = "\n".join(seen)
    label = screen.presenter.view_state(screen.frame).selected_label
    for name in (scenario.name, *scenario.data.input_names[:3], *scenario.data.output_names):
        assert name[:10] in shown, name  # the narrowest label keeps ten characters
    for text in (f"New value for {label}", f"Not a finite number: '{CLOSE}'"):
        assert text in shown, text
    # (the screenshot's text of a toast may lose a space between two of its spans: "w([/]→ h1)")
    assert f"Pinned {label}".replace(" ", "") in shown.replace(" ", "")
    if scenario.lessons:
        assert f"{CLOSE} lesson" in shown and f"{STYLE}great {CLOSE} page" in shown
    if scenario.data.sentences:
        assert f"{STYLE}great film" in shown and f"{CLOSE} awful {MISMATCH} film" in shown


# -- numbers too large for the network -----------------------------------------------------------

DIVERGING = ('[scenario]\nname = "boom"\n[data]\ninputs = [[0.0], [1.0], [2.0]]\ntargets = [[0.0], [2.0], [4.0]]\n'
             '[network]\nlayers = [{ units = 4, activation = "relu" }, { units = 1, activation = "linear" }]\n'
             '[training]\nlearning_rate = 50.0\nmomentum = 0.9\n')
THREE_INPUTS = ('[data]\ninputs = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]\ntargets = [[0], [1], [1], [0]]\n'
                + NETWORK.format(outputs=1, out="sigmoid"))


def session_with(scenario, inputs=None, weights=None, steps=0) -> Session:
    """A session on ``scenario`` with its inputs set to ±``inputs`` (+ where they were above 0.5:
    the loader would refuse them) or its weights to ±``weights``, after ``steps`` steps."""
    if inputs is not None:
        data = scenario.data
        scenario = replace(scenario, data=replace(data, inputs=np.where(data.inputs > 0.5, inputs, -inputs)))
    session = Session(scenario)
    if weights is not None:
        for i in range(session.network.n_params):
            session.set_param(i, weights if i % 2 else -weights)
    session.step(steps)
    return session


# each row: the state, and a number it must show as it is
HUGE_STATES = {
    "xor, inputs of ±1e308: the decision map's plane": (lambda: session_with(load("xor"), inputs=1e308), "1e308"),
    "spiral, inputs of ±1e200, one step: infinite activations":
        (lambda: session_with(load("spiral"), inputs=1e200, steps=1), "+inf"),
    "bump, inputs of ±1e200, one step: the curve": (lambda: session_with(load("bump"), inputs=1e200, steps=1), "-1e200"),
    "three inputs, inputs of ±1e200, one step: the table":
        (lambda: session_with(parse(THREE_INPUTS), inputs=1e200, steps=1), "+1e200"),
    "sentiment, weights of ±1e300": (lambda: session_with(load("sentiment"), weights=1e300), "1e+300"),
    "xor, weights of ±1.7e308: the sweep and the landscape around them":
        (lambda: session_with(load("xor"), weights=1.7e308, steps=1), "1.7e+308"),
    "a run that diverged: inf and nan in the loss history": (lambda: session_with(parse(DIVERGING), steps=200), "loss inf"),
}


async def visit_everything(app, pilot) -> str:
    """Every pane and view, on the screen's text after each: at 140x45 the explain views (v) and
    the modes, at 80x24 every tab."""
    seen = []

    async def look(*keys):
        await press(pilot, *keys)
        seen.append(screen_text(app))

    await pilot.resize_terminal(140, 45)
    for keys in (("space", "n"), ("g", "g"), ("g", "l", "u"), ("u", "l", "w", "v"), *[("v",)] * 4):
        await look(*keys)
    await pilot.resize_terminal(80, 24)
    for key in "1234567":
        await look(key, "escape")
    return "\n".join(seen)


@pytest.mark.slow
@pytest.mark.filterwarnings("error::RuntimeWarning")  # and say nothing on the terminal about them
@pytest.mark.parametrize("state", HUGE_STATES)
@run_async
async def test_numbers_too_large_for_the_network_are_drawn_as_they_are(state):
    make, expected = HUGE_STATES[state]
    session = make()
    app = PlaygroundApp(session.scenario, session=session)
    async with app.run_test() as pilot:
        shown = await visit_everything(app, pilot)
        assert app.is_running and app.screen is playground(app)
        loss = session.trainer.current_loss()
    assert expected in shown
    assert f"loss {loss:.6g}" in shown


@pytest.mark.parametrize("values", [[1e308, -1e308], [1.7e308] * 3, [np.nan, np.inf], [-np.inf, 3.0], [1e200] * 2, [5.0]])
def test_a_view_range_is_finite_and_wide_whatever_the_data(values):
    lo, hi = padded_range(np.array(values))
    assert lo < hi and np.isfinite(hi - lo)
    assert np.isfinite(spaced(lo, hi, 5)).all() and np.isfinite(spaced(-1.7e308, 1.7e308, 5)).all()


@pytest.mark.parametrize("value, lo, hi, cells, expected", [
    (0.5, 0.0, 1.0, 11, 5),
    (1.0, 1.0, 0.0, 11, 0),          # a reversed axis (rows count down)
    (2.0, 0.0, 1.0, 11, -1),         # off the axis
    (np.nan, 0.0, 1.0, 11, -1),
    (np.inf, 0.0, 1.0, 11, -1),
    (1e308, -1e308, 1e308, 11, -1),  # the axis is wider than any number: no place
    (0.3, 0.3, 0.3, 11, 0),          # a point of an axis
])
def test_a_number_that_is_not_finite_has_no_place_on_an_axis(value, lo, hi, cells, expected):
    assert positions([value, 0.0], lo, hi, cells)[0] == expected


@pytest.mark.parametrize("value, full, expected", [
    (0.5, 1.0, 4), (2.0, 1.0, 8), (-1.0, 1.0, 0), (np.inf, 1.0, 0), (np.nan, 1.0, 0), (1e308, 1e-300, 0), (1.0, 0.0, 0),
])
def test_a_bar_for_a_number_that_is_not_finite_is_empty(value, full, expected):
    assert bar_length(value, full, 8) == expected


@pytest.mark.parametrize("slope, gradient", [(np.nan, 1.0), (1.0, np.nan), (np.inf, 1.0), (np.inf, -np.inf)])
def test_the_nudge_check_does_not_count_digits_of_non_numbers(slope, gradient):
    assert agreement(slope, gradient) == ""


# -- a diverged run says what can bring it back ----------------------------------------------------


def loaded_after_diverging(tmp_path) -> Session:
    trained = session_with(parse(DIVERGING), steps=200)
    json_path, _ = runfile.save(tmp_path / "boom", trained.scenario, trained.trainer)
    loaded = runfile.load(json_path)
    return Session(loaded.scenario, trainer=loaded.trainer)


def edited_to_diverge(tmp_path) -> Session:
    session = Session(parse(DIVERGING))
    session.set_param(0, 1e300)
    return session


# each row: the diverged state, the step it diverged at, what the advice must say and must not
DIVERGED = {
    "inputs of 1e200: infinite before the first step": (
        lambda tmp_path: session_with(parse(DIVERGING), inputs=1e200), 0,
        ("no learning rate can help", "Scale the inputs down or lower init.scale"), ("([)", "(b)", "(0)")),
    "a weight set to 1e300 at step 0": (edited_to_diverge, 0, ("set it back (e) or reset (0)",), ("([)", "(b)")),
    "a run loaded at the step it diverged": (
        loaded_after_diverging, 77, ("cannot step back", "reset (0) starts it again from step 0"), ("([)", "(b)")),
    "a learning rate too large": (
        lambda tmp_path: session_with(parse(DIVERGING), steps=200), 77,
        ("Lower the learning rate ([) and step back (b) or reset (0)",), ()),
}


@pytest.mark.slow
@pytest.mark.parametrize("state", DIVERGED)
@run_async
async def test_a_diverged_run_advises_only_what_can_bring_it_back(state, tmp_path):
    make, step, says, never = DIVERGED[state]
    session = make(tmp_path)
    assert session.trainer.diverged_at == step
    for text in says:
        assert text in session.message
    for text in never:
        assert text not in session.message
    app = PlaygroundApp(session.scenario, session=session)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        assert " ".join(session.message.split()) in " ".join(text_of(app.screen.query_one(StatusLine)).split())  # from the start
        advice = session.divergence_advice()
        await pilot.press("r")
        assert not session.running
        assert f"The run diverged. {advice}"[:40] in screen_text(app)  # the toast wraps
        await pilot.press("b")
        assert session.trainer.step_count == (step - 1 if "(b)" in advice else step)
        await pilot.press("0")
        assert session.trainer.step_count == 0
        assert session.trainer.diverged == (state == "inputs of 1e200: infinite before the first step")


# -- an error nnplay did not expect ------------------------------------------------------------------


def broken_run_for(self, budget, started, taken_since_start):
    raise RuntimeError("a bug in the training thread")


def broken_step(self, n=1):
    raise RuntimeError("a bug behind a key,\nsaid on two lines")


def broken_frame(self):
    raise RuntimeError("a bug in both threads")


def broken_callback():
    raise RuntimeError("a bug in two places")


def in_two_places(app, monkeypatch) -> None:
    """The same bug in the app and in the screen at once: the second one meets it while the app is
    closing from the first (as a redraw queued by a resize does)."""
    app.call_later(broken_callback)
    app.screen.call_later(broken_callback)


def planted(method, bug, key):
    """A bug in the Session's ``method``, reached by ``key``."""
    def plant(app, monkeypatch):
        monkeypatch.setattr(Session, method, bug)
        send(app, key)
    return plant


# each row: the bug, planted and reached; the function it is in (a bug in a pane: tests/tui/test_behaviour.py)
BUGS = {
    "the training thread": (planted("run_for", broken_run_for, "r"), "broken_run_for"),
    "a key's action": (planted("step", broken_step, "space"), "broken_step"),
    "both threads at once": (planted("frame", broken_frame, "r"), "broken_frame"),
    "two parts of the app at once": (in_two_places, "broken_callback"),
}


@pytest.mark.slow
@pytest.mark.parametrize("where", BUGS)
def test_an_unexpected_error_ends_with_one_line_and_its_traceback_in_a_log(where, monkeypatch, capsys):
    plant, function = BUGS[where]
    app = PlaygroundApp(load("xor"))

    async def go():
        async with app.run_test(size=(140, 45)) as pilot:
            plant(app, monkeypatch)
            await pilot.pause(0.2)

    with pytest.raises((RuntimeError, WorkerFailed)):  # run_test raises the app's error again, for tests
        asyncio.run(go())
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("nnplay: unexpected error: RuntimeError: a bug") and app.crash_log in lines[0]
    log = Path(app.crash_log)
    text = log.read_text()
    log.unlink()
    assert text.startswith("Traceback") and f"in {function}" in text and "RuntimeError: a bug" in text


# -- a big data set: the slow views are made off the interface thread ---------------------------------


def big_bump(rows: int) -> Session:
    """Bump with ``rows`` samples (1 input, 1 target): the loader allows a million numbers."""
    scenario = load("bump")
    x = np.linspace(0.0, 1.0, rows).reshape(-1, 1)
    return Session(replace(scenario, data=replace(scenario.data, inputs=x, targets=np.sin(3 * x) ** 2)))


# each row: the view's key presses from the inspector, the function that makes its numbers (held back
# by the test until it has pressed keys), and what the view says while it is made
SLOW_VIEWS = {
    "nudge": (2, "loss_along", "computing the loss as"),  # its secants are drawn on the loss along the weight
    "sweep": (3, "loss_along", "computing the loss as"),
    "landscape": (4, "framed_surface", "computing the loss over"),
}


@pytest.mark.slow
@pytest.mark.parametrize("view", SLOW_VIEWS)
@run_async
async def test_a_slow_view_of_a_big_data_set_is_made_while_the_keys_answer(view, monkeypatch):
    presses, maker, computing = SLOW_VIEWS[view]
    monkeypatch.setattr(session_module, "LANDSCAPE_WORK", 20_000_000)  # a small grid: a quick test
    made = threading.Event()  # the numbers may be made: until then the view is still being computed
    original = getattr(explain, maker)

    def held_back(*args, **kwargs):
        made.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(explain, maker, held_back)
    session = big_bump(100_000)
    app = PlaygroundApp(session.scenario, session=session)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        await press(pilot, *["v"] * presses, "n")
        assert computing in screen_text(app) and screen.presenter.sample == 1  # the key answered
        first = screen.presenter.selected
        await press(pilot, "w")  # another weight: its numbers replace those being made
        assert computing in screen_text(app) and screen.presenter.selected != first
        made.set()
        for _ in range(200):
            await pilot.pause(0.02)
            if screen.presenter.view_state(screen.frame).computing is False:
                break
        state = screen.presenter.view_state(screen.frame)
        shown = screen_text(app)
        params = session.trainer.params
        if view == "sweep":
            assert state.explain.current == params[screen.presenter.selected]
            assert f"E as {state.selected_label} sweeps" in shown
        elif view == "nudge":
            assert state.explain.sweep.current == params[screen.presenter.selected]
            assert f"Nudge {state.selected_label}" in shown
        else:
            surface, path = state.landscape
            assert surface.current == (params[screen.presenter.selected], params[screen.presenter.second_axis()])
            assert f"{state.selected_label} →" in shown  # the axis under the map
        assert computing not in shown


# -- random keys, flat out -------------------------------------------------------------------------

# every key of the playground but q, and keys it does not know; e, O, o, C, t and ? open prompts and
# screens that the other keys then type into, escape and enter close
PLAYGROUND_KEYS = [key for binding in PlaygroundScreen.BINDINGS for key in binding.key.split(",") if key != "q"]
NOISE = ["a", "d", "h", "j", "y", "z", "Q", "Z", "tab", "enter", "escape", "escape", "up", "down", "backspace"]
SIZES = [(140, 45), (120, 40), (80, 24), (60, 20), (30, 10)]
KEYS_PER_RUN = int(os.environ.get("NNPLAY_RANDOM_KEYS", "50"))


def resize(app, width: int, height: int) -> None:
    """Pilot.resize_terminal without its wait for an idle CPU, which never comes while training."""
    size = Size(width, height)
    app._driver._size = size  # as Pilot does, for the headless driver
    app.post_message(events.Resize(size, size))


def assert_consistent(trainer) -> None:
    """The loss history: an entry for every step measured (with minibatches the playground measures
    once an epoch), the current one included, finite unless the run diverged, and each equal to the
    loss of the state that step replays to."""
    trainer.current_loss()
    steps, losses = trainer.history.measured()
    history = dict(zip(steps.tolist(), losses.tolist()))
    assert trainer.history.end == trainer.step_count + 1 and steps[-1] == trainer.step_count
    if not trainer.diverged:
        assert np.isfinite(losses[steps >= trainer.first_step]).all()
    for wanted in sorted({trainer.first_step, (trainer.first_step + trainer.step_count) // 2, trainer.step_count}):
        step = int(steps[steps <= wanted][-1])  # the last one measured
        replay = trainer.clone()
        replay.rewind(step)
        s = replay.settings
        with np.errstate(all="ignore"):
            loss = trainer.network.loss(replay.params, trainer.X, trainer.T, s.loss, s.l2)
        assert loss == pytest.approx(history[step], rel=1e-9, nan_ok=True), step


@pytest.mark.slow
@pytest.mark.parametrize("name, seed", [("bump", 1), ("sentiment", 2), ("spiral", 3), ("xor", 4)])
@run_async
async def test_random_keys_while_it_runs_flat_out(name, seed, tmp_path, monkeypatch):
    """Seeded random keys, resizes among them, while the run goes flat out: the playground lives,
    raises nothing, and its loss history stays true.

    In CI, 50 keys a scenario (a few seconds each); for a long hunt by hand, more keys and other seeds:
        NNPLAY_RANDOM_KEYS=20000 NNPLAY_RANDOM_SEED=7 pytest tests/hostile/test_playground.py -k random_keys
    """
    seed += int(os.environ.get("NNPLAY_RANDOM_SEED", "0"))
    monkeypatch.chdir(tmp_path)  # s saves a run here
    rng = random.Random(seed)
    app = PlaygroundApp(load(name))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        screen.session.change_speed(len(SPEEDS))  # flat out
        await press(pilot, "r")
        for _ in range(KEYS_PER_RUN):
            if rng.random() < 0.05:
                resize(app, *rng.choice(SIZES))
            send(app, rng.choice(PLAYGROUND_KEYS + NOISE))
            await asyncio.sleep(rng.choice([0, 0.002, 0.01, 0.03]))  # a burst now and then
        for _ in range(4):
            await press(pilot, "escape")  # out of any prompt or screen
        screen = playground(app)  # o and enter may have opened another
        screen.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.crash is None
        assert_consistent(screen.session.trainer)


# -- more attacks ------------------------------------------------------------------------------------

# typed for a weight (e): none is a finite number, so the weight stays and a line says why
NOT_A_WEIGHT = ["nan", "-inf", "9" * 400, "0x10", "[/]", "1,5"]


@pytest.mark.slow
@run_async
async def test_a_wrong_value_typed_for_a_weight_changes_nothing_and_says_so():
    app = PlaygroundApp(load("xor"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        before = screen.session.trainer.params.copy()
        await pilot.press("e")
        for text in NOT_A_WEIGHT:
            app.screen.query_one(Input).value = text
            await press(pilot, "enter")  # the editor stays open, saying why
            said = text_of(app.screen.query_one("#problem"))  # wrapped to the prompt's width
            assert app.screen is not screen and "".join(said.split()) == "".join(f"Not a finite number: {text!r}".split())
        await press(pilot, "escape")
        assert app.screen is screen
        np.testing.assert_array_equal(screen.session.trainer.params, before)


@pytest.mark.slow
@run_async
async def test_a_table_of_ten_thousand_rows_draws_those_around_the_selected_sample():
    scenario = parse(THREE_INPUTS)
    x = np.random.default_rng(0).random((10_000, 3))
    session = Session(replace(scenario, data=replace(scenario.data, inputs=x, targets=(x[:, :1] > 0.5).astype(float))))
    app = PlaygroundApp(session.scenario, session=session)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        screen.carry_out(screen.presenter.set_sample(5_000))
        await pilot.pause()
        table = screen.query_one(TableView)
        assert table.virtual_size.height == 2 + 10_000  # the key, the header and every sample: it scrolls
        lines = [table.render_line(y).text for y in range(table.size.height)]
        rows = [int(line[1:].split()[0]) for line in lines[2:] if line.strip()]
        assert 5001 in rows and rows == list(range(rows[0], rows[0] + len(rows)))  # the selected one in view


@pytest.mark.slow
@run_async
async def test_under_the_help_the_playground_draws_nothing_until_it_is_back_on_top(monkeypatch):
    drawn = []
    original = PlaygroundScreen.show_frame
    monkeypatch.setattr(PlaygroundScreen, "show_frame", lambda self, frame, *a, **k: (drawn.append(frame), original(self, frame, *a, **k)))
    app = PlaygroundApp(load("xor"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        screen.session.change_speed(len(SPEEDS))
        await press(pilot, "r")
        await pilot.press("question_mark")
        drawn.clear()
        await pilot.pause(0.3)  # frames come, and wait
        assert drawn == [] and screen.session.running
        await press(pilot, "escape")
        assert drawn and drawn[0].snapshot.step > 0  # the latest that came meanwhile
        screen.pause()
