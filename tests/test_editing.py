"""Editing the scenario in the playground, without Textual: the network and data editors' edits, their
refusals (the loader's words), the new run they start, and the scenario written back to a file."""

from __future__ import annotations

import os
import stat
import tomllib

import numpy as np
import pytest

from nnplay.playground import DataChoice, Edit, PastCurve, Playground
from nnplay.scenario import from_dict, load
from nnplay.session import Session


def playground(name: str = "xor") -> Playground:
    return Playground(Session(load(name)))


def edited(pg: Playground, layers, loss: str) -> Edit:
    edit = pg.network_edit(layers, loss)
    assert isinstance(edit, Edit), edit
    return edit


# -- the network -------------------------------------------------------------------------------------


def test_the_network_form_is_the_scenario_and_the_registries():
    form = playground("spiral").network_form()
    scenario = load("spiral")
    assert form.n_inputs == 2
    assert form.layers == tuple((layer.units, layer.activation) for layer in scenario.layers)
    assert form.loss == scenario.training.loss == "cce"
    assert "softmax" in form.activations and "relu" in form.activations and "cce" in form.losses


def test_a_network_edit_is_the_scenario_with_those_layers_and_says_what_changed():
    pg = playground("xor")
    edit = edited(pg, [(8, "sigmoid"), (8, "sigmoid"), (1, "sigmoid")], "bce")
    assert [(layer.units, layer.activation) for layer in edit.scenario.layers] == [(8, "sigmoid"), (8, "sigmoid"),
                                                                                    (1, "sigmoid")]
    assert edit.what == "network 2-2-1 → 2-8-8-1"
    assert edit.scenario.name == pg.scenario.name and edit.scenario.id == "xor"
    # the activations are named when they changed, and the loss
    edit = edited(pg, [(2, "tanh"), (1, "softmax")], "cce")
    assert edit.what == "network 2-2-1 (sigmoid, sigmoid) → 2-2-1 (tanh, softmax), loss bce → cce"


@pytest.mark.parametrize("layers, loss, problem", [
    ([(2, "softmax"), (1, "sigmoid")], "bce",
     "hidden 1: activation: softmax is only allowed on the output layer (the last one)"),
    ([(2, "sigmoid"), (1, "tanh")], "bce", "loss: bce needs a sigmoid or softmax output layer"),
    ([(2, "sigmoid"), (1, "sigmoid")], "cce", "loss: cce needs a softmax output layer"),
    ([(0, "sigmoid"), (1, "sigmoid")], "bce", "hidden 1: units: must be at least 1, got 0"),
    ([(2, "sigmoid"), (5000, "sigmoid"), (1, "sigmoid")], "bce", "hidden 2: units: too large"),
    ([(2, "sigmoid"), (1, "bogus")], "bce", "output: activation: unknown activation 'bogus'"),
])
def test_a_network_edit_that_does_not_fit_is_refused_with_the_loaders_reason(layers, loss, problem):
    result = playground("xor").network_edit(layers, loss)
    assert isinstance(result, str) and result.startswith(problem), result
    assert "\n" not in result


def test_an_edit_keeps_the_live_settings_and_the_seed():
    session = Session(load("xor"), seed=7)
    pg = Playground(session)
    session.change_learning_rate(+1)
    session.change_momentum(-1)
    session.next_batch_size()
    live = session.trainer.settings
    scenario = edited(pg, [(4, "tanh"), (1, "sigmoid")], "mse").scenario
    assert scenario.training.learning_rate == live.learning_rate != load("xor").training.learning_rate
    assert scenario.training.momentum == live.momentum and scenario.training.batch_size == live.batch_size
    assert scenario.training.loss == "mse"  # the one chosen in the editor
    assert scenario.init.seed == 7


def test_a_live_setting_the_edit_makes_invalid_goes_back_to_the_scenarios():
    session = Session(load("xor"))
    session.change_settings(batch_size=3)
    pg = Playground(session)
    fewer = {"data": {"inputs": [[0, 0], [1, 1]], "targets": [[0], [0]]}}  # two samples: a batch of 3 cannot be
    scenario, dropped = pg._build(fewer, pg.live_overrides())
    assert dropped == ("training.batch_size", "lesson")  # its lesson selects sample 4 too
    assert scenario.training.batch_size == load("xor").training.batch_size
    assert scenario.training.learning_rate == session.trainer.settings.learning_rate  # the others stay


def test_a_lesson_that_names_what_the_edit_removed_is_left_out():
    pg = playground("xor")  # its lesson names h1 -> xor
    edit = edited(pg, [(1, "sigmoid")], "bce")  # no hidden layer: no h1
    assert edit.dropped == ("lesson",) and edit.scenario.lessons == ()
    kept = edited(pg, [(3, "sigmoid"), (1, "sigmoid")], "bce")  # h1 is still there
    assert kept.dropped == () and len(kept.scenario.lessons) == len(pg.scenario.lessons)


def test_applying_an_edit_starts_a_new_run_from_step_0_with_the_old_curve_as_a_ghost():
    pg = playground("xor")
    pg.step(40)
    old = pg.session.frame()
    outcome = pg.apply(edited(pg, [(8, "sigmoid"), (8, "sigmoid"), (1, "sigmoid")], "bce"))
    new = outcome.open
    assert new is not None and new is not pg.session
    assert new.trainer.step_count == 0
    assert [layer.units for layer in new.scenario.layers] == [8, 8, 1]
    assert isinstance(outcome.past, PastCurve) and outcome.past.label == "before the edit"
    np.testing.assert_array_equal(outcome.past.steps, old.loss_steps)
    np.testing.assert_array_equal(outcome.past.values, old.loss_values)
    assert outcome.past.steps[-1] == 40
    text = "network 2-2-1 → 2-8-8-1: a new run from step 0"
    assert new.message.startswith(text)  # the status line's note
    assert outcome.notices[0].text.startswith(text)


def test_reset_after_an_edit_says_the_edited_network_and_data_stay():
    pg = playground("xor")
    assert pg.reset().notices[0].text == "Back to step 0 with the scenario's own settings."
    new = pg.apply(edited(pg, [(4, "sigmoid"), (1, "sigmoid")], "bce"))
    assert new.open is not None
    after = Playground(new.open, new.past, new.lesson_page)  # as the screen opens it
    for _ in range(2):  # and still after the first reset (the past is gone then)
        said = after.reset().notices[0].text
        assert said.startswith("Back to step 0 with the scenario's own settings; the edited network and data stay")
        assert "open the scenario again (o)" in said
        assert [layer.units for layer in after.session.scenario.layers] == [4, 1]


def test_the_ghost_is_in_the_loss_plots_state_until_reset():
    pg = playground("xor")
    past = PastCurve(np.array([0.0, 1.0]), np.array([0.7, 0.6]))
    pg = Playground(pg.session, past)
    assert pg.view_state(pg.session.frame()).past is past
    assert pg.view_state(pg.session.frame(), frozenset({"diagram"})).past is None  # the loss plot not drawn
    pg.reset()
    assert pg.view_state(pg.session.frame()).past is None


def test_a_scenario_without_its_toml_cannot_be_edited_and_says_so():
    pg = Playground(Session(from_dict(tomllib.loads(load("xor").text or ""), "x.toml")))
    assert pg.scenario.text is None
    assert pg.edit_problem() is not None
    assert pg.network_edit([(2, "sigmoid"), (1, "sigmoid")], "bce") == pg.edit_problem()
    assert pg.write("x.toml").notices[0].text == pg.edit_problem()


# -- the data ------------------------------------------------------------------------------------------


def test_the_data_form_offers_what_applies():
    xor = playground("xor").data_form()
    assert xor.generator is None and "circle" in xor.generators
    assert xor.menu == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert xor.features == ("x1", "x2") and xor.test_fraction == 0
    assert xor.data_seed == load("xor").init.seed
    assert "replaces" in xor.note
    sentiment = playground("sentiment").data_form()
    assert sentiment.generators == () and sentiment.menu == () and "Sentences" in sentiment.note
    digits = playground("digits").data_form()
    assert digits.generators == () and digits.menu == () and digits.note.startswith("64 inputs")


def test_the_data_choices_as_overrides_of_the_whole_data_table():
    pg = playground("xor")
    own = load("xor")
    # a test split of its own data: the data stay, the key is added
    table = pg.data_overrides(DataChoice(test_fraction=0.25, features=("x1", "x2")))["data"]
    assert table["test_fraction"] == 0.25 and table["inputs"] == own.data.inputs.tolist()
    assert "features" not in table  # the named inputs as they are need no key
    # features
    table = pg.data_overrides(DataChoice(features=("x1", "x2", "x1*x2", "sin(x1)")))["data"]
    assert table["features"] == ["x1", "x2", "x1*x2", "sin(x1)"] and "test_fraction" not in table
    # a generator replaces the inline data; a new seed is the seed + 1
    table = pg.data_overrides(DataChoice(generator="circle", samples=120, noise=0.3, features=("x1", "x2"),
                                         new_seed=True))["data"]
    assert table == {"generate": "circle", "samples": 120, "noise": 0.3, "data_seed": own.init.seed + 1}


def test_generated_data_keep_what_the_file_leaves_to_the_loader(monkeypatch):
    pg = playground("xor")
    text = pg.scenario.text or ""
    start, end = text.index("[data]"), text.index("[network]")
    generated = text[:start] + '[data]\ngenerate = "moons"\nnoise = 0.2\ntest_fraction = 0.3\n\n' + text[end:]
    monkeypatch.setattr(pg, "scenario", type(pg.scenario)(**{**pg.scenario.__dict__, "text": generated}))
    form = pg.data_form()
    assert form.generator == "moons" and form.noise == 0.2 and form.test_fraction == 0.3
    same = DataChoice("moons", form.samples, 0.2, 0.3, form.features)
    assert pg.data_overrides(same)["data"] == {"generate": "moons", "noise": 0.2, "test_fraction": 0.3}
    assert pg.data_edit(same) == "Nothing changed: change a field, or esc to leave the data as they are."
    again = pg.data_overrides(DataChoice("moons", form.samples, 0.2, 0.0, form.features, new_seed=True))["data"]
    assert again == {"generate": "moons", "noise": 0.2, "data_seed": form.data_seed + 1}  # no test split


def test_a_data_edit_applies_as_a_new_run():
    pg = playground("xor")
    edit = pg.data_edit(DataChoice(test_fraction=0.25, features=("x1", "x2")))
    assert isinstance(edit, Edit), edit
    assert edit.what == "data test_fraction 0.25"
    assert edit.scenario.data.test_inputs is not None and len(edit.scenario.data.test_inputs) == 1


def test_a_data_edit_the_loader_refuses_says_why_in_one_line():
    result = playground("xor").data_edit(DataChoice(test_fraction=1.5, features=("x1", "x2")))
    assert isinstance(result, str) and result.startswith("data.test_fraction: ") and "\n" not in result


# -- writing the scenario -------------------------------------------------------------------------------


def test_the_name_offered_is_the_scenarios_in_ascii(tmp_path):
    assert playground("xor").write_default() == "xor-edited.toml"
    path = tmp_path / "Ünïcode Net.toml"
    path.write_text(load("xor").text or "", encoding="utf-8")
    assert Playground(Session(load(str(path)))).write_default() == "unicode-net-edited.toml"


def test_the_name_offered_is_the_first_free_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pg = playground("xor")
    for expected in ("xor-edited.toml", "xor-edited-2.toml", "xor-edited-3.toml"):
        name = pg.write_default()
        assert name == expected and Playground.write_problem(name) is None
        outcome = pg.write(name)
        assert outcome.later is not None and outcome.later().notices[0].text.startswith("Wrote ")


def test_a_name_that_exists_or_is_not_toml_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.toml").write_text("")
    assert Playground.write_problem("taken.toml") == "taken.toml exists already: nothing is overwritten, choose another name."
    assert "ends in .toml" in (Playground.write_problem("net.txt") or "")
    assert Playground.write_problem("free.toml") is None and Playground.write_problem("  ") is None


def test_the_written_scenario_loads_back_to_the_same_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = Session(load("xor"), seed=3)
    pg = Playground(session)
    pg.step(25)
    new = pg.apply(edited(pg, [(4, "tanh"), (3, "relu"), (1, "sigmoid")], "mse")).open
    assert new is not None
    new.change_learning_rate(+1)  # a live setting, at step 0: written as the scenario's
    new.change_momentum(-1)
    live = Playground(new)
    outcome = live.write("shared.toml")
    assert not (tmp_path / "shared.toml").exists()  # written by later, off the interface thread
    assert outcome.later is not None
    said = outcome.later().notices[0].text
    written = tmp_path / "shared.toml"
    assert said == f"Wrote {written}: nnplay shared.toml opens it"  # settings changed at step 0 only: it replays
    assert live.unreplayed() is None and "\n" not in live.write_question()
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~_umask()
    trainer = load("shared.toml").make_trainer()
    assert trainer.settings == new.trainer.settings and trainer.seed == 3
    new.step(50)
    trainer.step(50)
    np.testing.assert_array_equal(trainer.params, new.trainer.params)  # bit for bit
    np.testing.assert_array_equal(trainer.history.exact()[1], new.trainer.history.exact()[1])


def test_a_run_changed_after_step_0_is_written_with_the_live_settings_and_says_it_does_not_replay(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pg = playground("xor")
    pg.step(100)
    pg.learning_rate(+1)  # ] at step 100
    lr = pg.session.trainer.settings.learning_rate
    line = (f"η {lr:g} at step 100: the file starts with the settings as they are now, so it does not replay "
            "this run")
    assert pg.unreplayed() == line
    assert pg.write_question().split("\n") == [line, "Write the scenario as it is now (its edits, the live settings) to:"]
    outcome = pg.write("changed.toml")
    assert outcome.later is not None
    notice = outcome.later().notices[0]
    assert notice.text == f"Wrote {tmp_path / 'changed.toml'}: nnplay changed.toml opens it; {line}."
    assert notice.severity == "warning"
    assert load("changed.toml").training.learning_rate == lr  # the live settings, as before
    pg.step(10)
    pg.edit_weight("2.5")  # a weight edited, later: counted, and the weights named
    said = pg.unreplayed() or ""
    assert said.startswith(f"η {lr:g} at step 100 (and 1 later change): ") and "the scenario's own weights" in said


def test_a_weight_edited_at_step_0_is_not_in_the_file_and_says_so():
    pg = playground("xor")
    pg.edit_weight("2.5")
    assert "at step 0" in (pg.unreplayed() or "") and "the scenario's own weights" in (pg.unreplayed() or "")


def test_a_file_made_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = playground("xor").write("race.toml")
    (tmp_path / "race.toml").write_text("mine")
    assert outcome.later is not None
    notice = outcome.later().notices[0]
    assert notice.severity == "error" and notice.text.startswith("Could not write race.toml")
    assert (tmp_path / "race.toml").read_text() == "mine"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_written_csv_scenario_names_its_csv_file_from_where_it_is_written(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "points.csv").write_text("x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    (folder / "points.toml").write_text(
        '[data]\ncsv = "points.csv"\ninput_columns = ["x1", "x2"]\ntarget_column = "label"\n'
        '[network]\nlayers = [{ units = 2, activation = "sigmoid" }, { units = 1, activation = "sigmoid" }]\n'
        '[training]\nloss = "bce"\n')
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    pg = Playground(Session(load(str(folder / "points.toml"))))
    outcome = pg.write("mine.toml")
    assert outcome.later is not None and outcome.later().notices[0].severity == "information"
    assert tomllib.loads((out / "mine.toml").read_text())["data"]["csv"] == os.path.join("..", "data", "points.csv")
    np.testing.assert_array_equal(load("mine.toml").data.inputs, pg.scenario.data.inputs)


def test_a_bundled_csv_scenario_is_edited_and_written_with_its_csv_found(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the bundled scenarios' folder
    pg = playground("penguins")
    output = pg.network_form().layers[-1]
    edit = pg.network_edit([(5, "tanh"), output], pg.network_form().loss)
    assert isinstance(edit, Edit), edit
    np.testing.assert_array_equal(edit.scenario.data.inputs, pg.scenario.data.inputs)
    outcome = pg.write("mine.toml")
    assert outcome.later is not None and outcome.later().notices[0].severity == "information"
    np.testing.assert_array_equal(load("mine.toml").data.inputs, pg.scenario.data.inputs)
