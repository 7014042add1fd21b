"""The presenter without Textual: a Session and a Playground, the actions called as the keys call them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnplay import explain, figures
from nnplay.playground import PANES, Outcome, Playground
from nnplay.scenario import EXPLAIN_VIEWS, load, parse
from nnplay.session import SPEEDS, Session

DIVERGING = ('[data]\ninputs = [[0.0], [1.0], [2.0]]\ntargets = [[0.0], [2.0], [4.0]]\n'
             '[network]\nlayers = [{ units = 4, activation = "relu" }, { units = 1, activation = "linear" }]\n'
             '[training]\nlearning_rate = 50.0\nmomentum = 0.9\n')


def playground(name: str = "xor") -> Playground:
    return Playground(Session(load(name)))


def state(pg: Playground, panes=None):
    return pg.view_state(pg.session.frame(), panes)


def made(pg: Playground):
    """The view state once the slow view asked for is made (as the screen's worker makes it)."""
    first = state(pg)
    job = pg.take_job()
    if job is None:
        return first
    assert first.computing
    assert pg.made(job.key, job.run(lambda: False))
    again = state(pg)
    assert not again.computing and pg.take_job() is None
    return again


def test_v_cycles_the_explain_views_and_asks_for_their_layout():
    pg = playground()
    seen = []
    for _ in EXPLAIN_VIEWS:
        outcome = pg.next_explain()
        assert outcome.layout and set(outcome.restyle) == set(PANES)
        seen.append(pg.explain_mode)
    assert seen == list(EXPLAIN_VIEWS[1:]) + [EXPLAIN_VIEWS[0]]


def test_the_chain_rule_is_backprops_gradient_and_the_optimisers_update():
    pg = playground()
    pg.step(10)
    for _ in range(6):
        pg.weight(1)  # the weight h1 -> xor (after 4 weights, 2 biases)
    pg.next_explain()
    s = state(pg)
    snap = s.frame.snapshot
    assert s.selected_label == "w(h1 → xor)" and s.explain_mode == "chain-rule"
    assert isinstance(s.explain, explain.ChainRule)
    assert s.explain.gradient == pytest.approx(snap.grad[pg.selected])
    assert s.explain.update == s.update and s.update.value == snap.next_update[pg.selected]
    before = pg.session.trainer.params[pg.selected]
    pg.step(1)
    assert pg.session.trainer.params[pg.selected] - before == pytest.approx(s.update.value, rel=1e-12)


@pytest.mark.parametrize("name,keys", [("spiral", 0), ("xor", 2)], ids=["spiral", "xor-after-k"])
def test_with_minibatches_the_chain_rule_is_the_next_batchs(name, keys):
    pg = playground(name)
    pg.step(7)
    for _ in range(keys):
        pg.batch_size()  # xor: 1, then 2
    pg.set_explain("chain-rule")
    pg.weight(3)
    for _ in range(5):
        s = state(pg)
        snap, rule = s.frame.snapshot, s.explain
        assert 0 < len(rule.batch) < len(snap.inputs)
        np.testing.assert_array_equal(rule.batch, snap.next_batch)
        assert float(rule.products.sum()) + rule.l2_term == pytest.approx(snap.next_grad[pg.selected], abs=1e-15)
        before = pg.session.trainer.params.copy()
        pg.step(1)
        after = pg.session.trainer.params
        assert after[pg.selected] - before[pg.selected] == pytest.approx(s.update.value, rel=1e-9, abs=1e-15)
        np.testing.assert_array_equal(after, before + snap.next_update)


def test_the_nudge_check_has_both_slopes():
    pg = playground()
    pg.set_explain("nudge")
    nudge = made(pg).explain  # made off the interface thread, with the loss along the weight its secants cut
    assert isinstance(nudge, explain.Nudge) and nudge.slope == pytest.approx(nudge.gradient, rel=1e-4)
    assert nudge.sweep.current == pg.session.trainer.params[pg.selected]


def test_only_the_panes_drawn_get_their_figures():
    pg = playground("spiral")
    pg.set_explain("chain-rule")
    pg.toggle_unit_maps()
    s = state(pg, frozenset({"diagram"}))
    assert s.explain is None and s.unit_maps is None
    s = state(pg)
    assert s.explain is not None and len(s.unit_maps) == 16


def test_the_sweep_and_the_landscape_are_made_off_the_interface_thread():
    pg = playground("bump")
    pg.step(100)
    pg.set_explain("sweep")
    s = made(pg)
    assert s.explain.losses[len(s.explain.values) // 2] == pytest.approx(s.frame.snapshot.loss)
    pg.pin()
    pg.weight(1)
    pg.set_explain("landscape")
    s = made(pg)
    assert pg.session.landscape_pair == (pg.selected, pg.pinned)  # the training thread makes it while running
    surface, path = s.landscape
    assert len(path) == 101  # steps 0 to 100 of both weights
    trainer = pg.session.trainer
    a, b = pg.selected, pg.pinned
    assert path[-1] == (trainer.params[a], trainer.params[b]) == surface.current
    assert path[0] == (trainer.initial_params[a], trainer.initial_params[b])
    assert s.landscape_labels == (pg.label(a), pg.label(b))
    pg.set_explain("inspector")
    assert pg.session.landscape_pair is None


def test_a_slow_view_replaced_meanwhile_is_dropped():
    pg = playground("bump")
    pg.set_explain("sweep")
    state(pg)
    first = pg.take_job()
    pg.weight(1)
    state(pg)  # the sweep of another weight replaces the one being made
    second = pg.take_job()
    assert second is not None and second.key != first.key
    assert not pg.made(first.key, first.run(lambda: False))
    assert state(pg).computing and pg.take_job() is None  # the second is still being made: not asked again
    assert pg.made(second.key, second.run(lambda: False))
    s = state(pg)
    assert not s.computing and s.explain.current == pg.session.trainer.params[pg.selected]


def test_a_stopped_slow_view_gives_nothing():
    pg = playground("bump")
    pg.set_explain("sweep")
    state(pg)
    assert pg.take_job().run(lambda: True) is None


def test_the_views_are_exact_under_step_back():
    pg = playground("spiral")
    pg.step(100)
    pg.weight(1)
    pg.pin()
    pg.weight(1)
    pg.set_explain("chain-rule")
    first = state(pg).explain
    pg.set_explain("landscape")
    surface, path = made(pg).landscape
    pg.step(10)
    pg.momentum(1)
    pg.step(10)
    pg.back(10)
    pg.back(10)
    assert pg.session.trainer.step_count == 100
    again_surface, again_path = made(pg).landscape
    np.testing.assert_array_equal(again_surface.losses, surface.losses)
    assert again_path == path
    pg.set_explain("chain-rule")
    again = state(pg).explain
    np.testing.assert_array_equal(again.products, first.products)
    assert again.gradient == first.gradient and again.update == first.update


def test_editing_a_weight_updates_everything_and_step_back_undoes_it():
    pg = playground()
    trainer = pg.session.trainer
    pg.step(10)
    before_loss = trainer.current_loss()
    question, offered = pg.edit_prompt()
    assert question.startswith(f"New value for {pg.label(pg.selected)} (now ") and float(offered) == trainer.params[pg.selected]
    assert pg.edit_weight("2.5") == Outcome(redraw=True)
    assert trainer.params[pg.selected] == 2.5 and state(pg).frame.snapshot.loss != before_loss
    pg.step(1)
    pg.back(1)
    assert trainer.params[pg.selected] == 2.5  # back to step 10, edit included
    pg.back(1)
    assert trainer.step_count == 10 and trainer.params[pg.selected] != 2.5  # step 10, before the edit
    pg.back(1)
    assert trainer.step_count == 9 and trainer.params[pg.selected] != 2.5
    for text in ("banana", "nan", "-inf", "[/]"):
        outcome = pg.edit_weight(text)
        assert [(n.text, n.severity) for n in outcome.notices] == [(f"Not a finite number: {text!r}", "error")]
        assert not outcome.redraw
    assert pg.edit_weight("  ") == pg.edit_weight(None) == Outcome()
    assert trainer.step_count == 9


def test_a_weight_set_too_large_diverges_and_says_so():
    pg = Playground(Session(parse(DIVERGING)))
    outcome = pg.edit_weight("1e300")
    assert pg.session.trainer.diverged
    assert [(n.title, n.severity) for n in outcome.notices] == [("Diverged", "warning")]
    assert "set it back (e)" in outcome.notices[0].text


def test_hyper_parameters_live_and_recorded():
    pg = playground("spiral")
    trainer = pg.session.trainer
    pg.step(10)
    assert pg.momentum(1).notices[0].text == "Momentum α = 0.95"
    pg.momentum(-1)
    assert pg.momentum(-1).redraw and trainer.settings.momentum == 0.8
    assert pg.batch_size().notices[0].text == "Batch size: 16"  # after 9 (not on the ladder): the next size up
    pg.batch_size()
    pg.batch_size()
    assert trainer.settings.batch_size in (0, 32)
    assert pg.loss().notices[0].text == "Loss: mse" and trainer.settings.loss == "mse"  # after cce, for softmax
    pg.step(10)
    changed = trainer.params.copy()
    pg.back(10)
    assert trainer.step_count == 10 and trainer.settings.loss == "mse"
    pg.back(1)
    assert trainer.settings.loss == "cce" and trainer.settings.momentum == 0.9 and trainer.settings.batch_size == 9
    pg.step(1)
    assert not np.array_equal(trainer.params, changed)


def test_speed_and_learning_rate():
    pg = playground()
    speed = pg.session.speed_index
    assert pg.speed(1).notices[0].text == f"Run speed: {SPEEDS[speed + 1]} steps per second"
    pg.speed(len(SPEEDS))
    assert pg.speed(0).notices[0].text == "Run speed: flat out"
    assert pg.learning_rate(1).notices[0].text == "Learning rate η = 1"
    assert pg.session.trainer.settings.learning_rate == 1.0


def test_sample_weight_mode_and_log_scale_are_the_learners_choices():
    pg = playground()
    frame = pg.session.frame()
    assert pg.set_sample(2).restyle == ("diagram", "view", "activations", "gradients", "explain")
    pg.set_sample(-3)
    assert pg.sample == 3  # wraps around
    assert pg.weight(-1).restyle == ("diagram", "gradients", "explain") and pg.selected == pg.order[-1]
    assert [pg.next_mode().restyle and pg.mode for _ in range(3)] == ["weights", "updates", "gradients"]
    assert pg.toggle_log_scale().restyle == ("loss",) and not pg.log_scale
    pg.select(pg.order[3])
    s = pg.view_state(frame)
    assert (s.sample, s.selected, s.log_scale) == (3, pg.order[3], False)
    assert pg.session.trainer.step_count == 0 and pg.session.frame().revision == frame.revision


def test_run_pause_and_a_step_while_running_to_a_step():
    pg = playground()
    outcome = pg.run_pause()
    assert outcome.train and outcome.redraw and pg.session.running
    assert pg.run_pause() == Outcome(redraw=True) and not pg.session.running
    pg.session.run_to(30_000)  # a run to a step, in the background
    assert pg.session.running and pg.session.stop_at == 30_000
    outcome = pg.step(10)  # ten more than where it was going
    assert pg.session.stop_at == 30_010 and outcome.train


def test_a_diverged_run_does_not_start():
    pg = Playground(Session(parse(DIVERGING)))
    outcome = pg.step(100)
    assert pg.session.trainer.diverged and outcome.notices[0].title == "Diverged"
    outcome = pg.run_pause()
    assert not outcome.train and not pg.session.running
    assert outcome.notices[0].text == f"The run diverged. {pg.session.divergence_advice()}"
    assert outcome.notices[0].severity == "warning"
    assert pg.reset().notices[0].text == "Back to step 0 with the scenario's own settings."
    assert not pg.session.trainer.diverged


def test_unit_maps_toggle():
    pg = playground("spiral")
    outcome = pg.toggle_unit_maps()
    assert outcome.layout and pg.show_unit_maps and len(state(pg).unit_maps) == 16
    pg.toggle_unit_maps()
    assert not pg.show_unit_maps and state(pg).unit_maps is None
    bump = playground("bump")
    outcome = bump.toggle_unit_maps()
    assert not bump.show_unit_maps and outcome.notices[0].text == "Per-unit maps need two inputs and a hidden layer."


def test_lesson_pages_apply_their_actions():
    pg = playground("xor")
    lessons = pg.scenario.lessons
    assert state(pg).lesson == (lessons[0], 0, len(lessons))
    pg.step(3)
    assert pg.lesson(-1) == Outcome()  # already on the first page
    outcome = pg.lesson(1)
    assert outcome.lesson_turned and outcome.redraw and pg.lesson_index == 1 and pg.sample == 3
    pg.lesson(1)
    assert pg.explain_mode == "chain-rule" and pg.selected == lessons[2].action.weight
    assert state(pg).lesson[1] == 2
    for _ in range(10):
        pg.lesson(1)
    assert pg.lesson_index == len(lessons) - 1
    assert pg.session.trainer.step_count == 500 and pg.explain_mode == "inspector" and not pg.session.running
    pg.lesson(-1)
    assert pg.lesson_index == len(lessons) - 2


def test_the_first_lesson_page_is_not_applied_on_opening():
    pg = playground("xor")
    assert pg.lesson_index == 0 and pg.explain_mode == "inspector"
    pg.step(5)
    pg.lesson(1)
    pg.lesson(-1)  # turned back to: its action (reset) is applied
    assert pg.session.trainer.step_count == 0


def test_a_scenario_without_a_lesson_says_so():
    pg = Playground(Session(parse(DIVERGING)))
    assert pg.panes == PANES[:-1] and state(pg).lesson is None
    assert pg.lesson(1).notices[0].text == "This scenario has no lesson."


@pytest.mark.slow
def test_a_long_run_to_trains_in_the_background():
    scenario = parse(load("xor").text + '\n[[lesson]]\ntitle = "go"\ntext = "far"\naction = { run_to = 30000 }\n')
    pg = Playground(Session(scenario))
    for _ in range(len(scenario.lessons) - 1):
        outcome = pg.lesson(1)
    assert outcome.train and pg.session.running
    frames = []
    pg.session.train(lambda: False, frames.append)  # the training thread's loop, here
    assert pg.session.trainer.step_count == 30000 and not pg.session.running
    assert frames[-1].snapshot.step == 30000 and not frames[-1].running


def test_while_running_the_training_thread_makes_the_landscape():
    pg = playground("xor")
    pg.set_explain("landscape")
    made(pg)
    pair = pg.session.landscape_pair
    assert pair == (pg.selected, pg.second_axis())
    pg.session.change_speed(len(SPEEDS))
    pg.run_pause()
    frames = []
    pg.session.train(lambda: len(frames) > 0 and frames[-1].snapshot.step > 2000 or pg.session.pause(), frames.append)
    # the training thread made one for the state it reached (at most a second old)
    running = [f for f in frames if f.landscape is not None]
    assert running and running[-1].landscape[0] == pair
    surface, path = running[-1].landscape[1]
    steps, values = pg.session.trainer.trajectory(list(pair), since=0)
    assert path[-1] in [tuple(v) for v in values.tolist()] and path[-1] == surface.current


def test_save_and_load(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pg = playground("sentiment")
    pg.step(100)
    later = pg.save().later
    params = pg.session.trainer.params.copy()
    pg.step(1)  # the state saved is the one when s was pressed
    outcome = later()
    saved = tmp_path / "nnplay-sentiment-step100.json"
    assert outcome.notices[0].text == "Saved nnplay-sentiment-step100.json and nnplay-sentiment-step100.csv"
    assert json.loads(saved.read_text())["step"] == 100
    pg.reset()
    bad = pg.load("nope.json")
    assert bad.open is None and bad.notices[0].severity == "error" and "nope.json" in bad.notices[0].text
    assert pg.load("  ") == Outcome()
    loaded = pg.load(f" {saved.name} ").open
    assert loaded is not None and loaded.trainer.step_count == 100
    np.testing.assert_array_equal(loaded.trainer.params, params)


def test_a_save_that_fails_says_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nnplay-xor-step0.json").mkdir()  # in the way of the file
    outcome = playground().save().later()
    assert outcome.notices[0].severity == "error" and outcome.notices[0].text.startswith("Could not save: ")


def test_a_typed_sentence_is_reported():
    pg = playground("sentiment")
    assert set(pg.type_sentence("i loved zebras").restyle) == set(PANES)
    report = state(pg).sentence
    assert report.unknown == ("zebras",) and report.known == ("i", "loved")
    assert playground("xor").type_sentence("hello") and state(playground("xor")).sentence is None


def test_the_decision_map_size_sets_the_grid():
    pg = playground("xor")
    assert pg.set_grid(10, 7).redraw
    assert pg.session.frame().grid.values.shape[:2] == (7, 10)
    assert not pg.set_grid(10, 7).redraw


@pytest.mark.parametrize("name,at", [("xor", 10), ("spiral", 64), ("bump", 0)])
def test_step_back_right_after_an_edit_lands_on_this_step_before_it(name, at):
    pg = playground(name)
    trainer = pg.session.trainer
    pg.step(at)
    before = state(pg)
    params, settings = trainer.params.copy(), trainer.settings
    pg.learning_rate(1)
    pg.loss()
    pg.edit_weight("2.5")
    pg.batch_size()
    edited = state(pg)
    assert edited.step_note == "" and edited.markers[-1][0] == at
    assert not np.array_equal(trainer.params, params) and trainer.settings != settings
    pg.back(1)
    s = state(pg)
    # the same step, exactly as it was before the edits: parameters, settings, loss, the next update
    assert trainer.step_count == at and s.frame.snapshot.step == at
    np.testing.assert_array_equal(trainer.params, params)
    assert trainer.settings == settings and s.frame.snapshot.loss == before.frame.snapshot.loss
    np.testing.assert_array_equal(s.frame.snapshot.next_update, before.frame.snapshot.next_update)
    assert s.step_note.startswith("before the edit (") and figures.param_label(
        trainer.network, list(pg.names), pg.selected) + " = 2.5" in s.step_note
    assert s.markers == () and trainer.events() == []
    pg.back(1)  # and on to the step before
    assert trainer.step_count == max(0, at - 1) and state(pg).step_note == ""
    if at:
        pg.step(1)
        np.testing.assert_array_equal(trainer.params, params)  # the edits are forgotten, like undo
        pg.learning_rate(1)
        pg.run_to(at - 1)  # a lesson's "run to" the step before goes there, not to this step before the edit
        assert trainer.step_count == at - 1


def test_a_loaded_runs_first_step_has_no_before_its_edits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pg = playground("xor")
    pg.step(2)
    pg.loss()  # bce -> mse, at the step it is saved at
    pg.save().later()
    again = Playground(pg.load("nnplay-xor-step2.json").open)
    trainer = again.session.trainer
    params, settings = trainer.params.copy(), trainer.settings
    outcome = again.back(1)  # the state before the switch was never saved: it stays as loaded, and says why
    assert trainer.step_count == 2 and trainer.settings == settings and settings.loss == "mse"
    np.testing.assert_array_equal(trainer.params, params)
    assert state(again).step_note == "" and "loaded at step 2" in outcome.notices[0].text
    assert state(again).markers == ((2, "loss mse"),)  # the switch is still marked on the loss plot


def test_settings_and_edits_leave_labelled_markers_for_the_loss_plot():
    pg = playground("xor")
    pg.step(10)
    pg.loss()
    pg.step(5)
    pg.learning_rate(1)
    pg.momentum(-1)
    pg.edit_weight("-0")
    pg.step(5)
    pg.batch_size()
    markers = state(pg).markers
    label = pg.label(pg.selected)
    assert markers == ((10, "loss mse"), (15, f"η 1, α 0.8, {label} = 0"), (20, "batch 1"))
    assert state(pg, frozenset({"diagram"})).markers == ()  # only for the loss plot
    pg.back(6)
    assert state(pg).markers == ((10, "loss mse"),)  # stepping back past a change forgets it


def test_the_lesson_opens_with_its_first_pages_action(tmp_path, monkeypatch):
    scenario = parse(load("xor").text.replace('action = { reset = true, view = "inspector" }',
                                              'action = { run_to = 30, view = "chain-rule", sample = 3 }'))
    pg = Playground(Session(scenario))
    outcome = pg.open()
    assert outcome.redraw and outcome.layout and not outcome.train and not outcome.lesson_turned
    assert pg.session.trainer.step_count == 30 and pg.explain_mode == "chain-rule" and pg.sample == 2
    # a saved run opens as saved: the page's choices, not its run to
    monkeypatch.chdir(tmp_path)
    pg.step(5)
    pg.save().later()
    loaded = pg.load("nnplay-xor-step35.json").open
    again = Playground(loaded)
    again.open()
    assert loaded.trainer.step_count == 35 and again.explain_mode == "chain-rule"
    assert playground("xor").open().redraw and Playground(Session(parse(DIVERGING))).open() == Outcome()
    edited = playground("xor")
    edited.edit_weight("3")  # a run given edited (or trained) opens as it is
    edited.open()
    assert edited.session.trainer.params[edited.selected] == 3 and len(edited.session.trainer.events()) == 1


def test_after_an_edit_the_lesson_stays_on_its_page_without_its_run():
    """The page asked for the edit (circle's last page: raise the noise with D): the new run opens on it, at step
    0 with the page's view, not on page 1 whose text describes the run before the edit."""
    from nnplay.playground import DataChoice, Edit

    pg = Playground(Session(load("circle")))
    pg.open()
    for _ in range(len(pg.scenario.lessons) - 1):
        pg.lesson(1)
    page = pg.lesson_index
    assert page == len(pg.scenario.lessons) - 1 and pg.session.trainer.step_count > 0
    edit = pg.data_edit(DataChoice(generator="circle", samples=200, noise=0.2, test_fraction=0.5, features=("x1", "x2")))
    assert isinstance(edit, Edit), edit
    outcome = pg.apply(edit)
    assert outcome.open is not None and outcome.lesson_page == page
    new = Playground(outcome.open, outcome.past, outcome.lesson_page)
    new.open()
    assert new.lesson_index == page and new.session.trainer.step_count == 0
    state = new.view_state(new.session.frame())
    assert state.lesson is not None and state.lesson[1] == page
