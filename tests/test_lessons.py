"""The [[lesson]] format: validation, the bundled lessons, and what their pages claim."""

import copy

import numpy as np
import pytest

from nnplay.scenario import LESSON_VIEWS, ScenarioError, bundled_names, from_dict, load

BASE = {
    "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
    "network": {"layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]},
    "training": {"loss": "bce"},
}


def with_lesson(*pages):
    doc = copy.deepcopy(BASE)
    doc["lesson"] = list(pages)
    return doc


def error(doc):
    with pytest.raises(ScenarioError) as info:
        from_dict(doc, "l.toml")
    return str(info.value)


def test_a_lesson_page_with_every_action():
    s = from_dict(with_lesson({"title": " One ", "text": "Some text.\n", "action": {
        "reset": True, "run_to": 40, "sample": 2, "weight": "x2 -> h1", "view": "chain-rule",
        "settings": {"momentum": 0.5, "learning_rate": 0.2}}}, {"title": "Two", "text": "More."}))
    first, second = s.lessons
    assert first.title == "One" and first.text == "Some text." and second.action is None
    a = first.action
    net = s.network()
    assert a.reset and a.run_to == 40 and a.sample == 1 and a.view == "chain-rule"
    assert a.weight == net.index_of(0, "W", (1, 0))
    assert dict(a.settings) == {"momentum": 0.5, "learning_rate": 0.2}
    assert a.race == ()


def test_a_race_is_a_list_of_settings_to_change():
    s = from_dict(with_lesson({"title": "t", "text": "x", "action": {"race": [{"momentum": 0.0}, {}]}}))
    assert [dict(entry) for entry in s.lessons[0].action.race] == [{"momentum": 0.0}, {}]


def test_weight_names():
    net = from_dict(BASE).network()
    for name, expected in [("+1 -> y", net.index_of(1, "b", (0,))), ("h2 → y", net.index_of(1, "W", (1, 0))),
                           ("x1->h2", net.index_of(0, "W", (0, 1)))]:
        s = from_dict(with_lesson({"title": "t", "text": "x", "action": {"weight": name}}))
        assert s.lessons[0].action.weight == expected


@pytest.mark.parametrize("page,expected", [
    ({"title": "t"}, "l.toml: lesson[0]: missing key 'text'"),
    ({"title": "t", "text": "x", "actoin": {}}, "l.toml: lesson[0].actoin: unknown key 'actoin' (did you mean 'action'?)"),
    ({"title": "t", "text": "x", "action": {"view": "movie"}},
     "l.toml: lesson[0].action.view: unknown view 'movie' (expected one of: " + ", ".join(LESSON_VIEWS) + ")"),
    ({"title": "t", "text": "x", "action": {"run_to": -1}}, "l.toml: lesson[0].action.run_to: must be a step from 0 to 10,000,000, got -1"),
    ({"title": "t", "text": "x", "action": {"sample": 5}}, "l.toml: lesson[0].action.sample: must be a sample number from 1 to 4, got 5"),
    ({"title": "t", "text": "x", "action": {"weight": "x1 -> y"}}, "no weight 'x1 -> y' in this network"),
    ({"title": "t", "text": "x", "action": {"weight": "h1"}}, "expected 'FROM -> TO' with unit names"),
    ({"title": "t", "text": "x", "action": {"settings": {"momentum": 1.5}}},
     "l.toml: lesson[0].action.settings.momentum: must be at least 0 and less than 1, got 1.5"),
    ({"title": "t", "text": "x", "action": {"settings": {"loss": "cce"}}}, "cce needs a softmax output layer"),
    ({"title": "t", "text": "x", "action": {"reset": "yes"}}, "l.toml: lesson[0].action.reset: expected true or false"),
    ({"title": "t", "text": "x", "action": {"race": [{"momentum": 0.0}] * 4}},
     "l.toml: lesson[0].action.race: at most 3 ghosts race the live run, got 4"),
    ({"title": "t", "text": "x", "action": {"race": [{}, {"momentum": -1}]}},
     "l.toml: lesson[0].action.race[1].momentum: must be at least 0 and less than 1, got -1"),
    ({"title": "t", "text": "x", "action": {"race": [{"momentom": 0.5}]}},
     "l.toml: lesson[0].action.race[0].momentom: unknown key 'momentom' (did you mean 'momentum'?)"),
    ({"title": "t", "text": "x", "action": {"race": {"momentum": 0.5}}},
     "l.toml: lesson[0].action.race: expected an array"),
])
def test_lesson_rules(page, expected):
    assert expected in error(with_lesson(page))


def test_unit_maps_need_two_inputs():
    doc = with_lesson({"title": "t", "text": "x", "action": {"view": "unit-maps"}})
    doc["data"] = {"inputs": [[0], [1]], "targets": [[0], [1]]}
    assert "'unit-maps' needs exactly two inputs" in error(doc)


def test_every_bundled_scenario_has_a_lesson():
    for name in bundled_names():
        lessons = load(name).lessons
        assert len(lessons) >= 4, name
        assert all(page.title and page.text for page in lessons)


def test_the_bump_lesson_tells_the_truth():
    s = load("bump")
    pages = {page.title: page for page in s.lessons}
    t = s.make_trainer()
    t.step(150)
    flat = t.network.predict(t.params, s.data.inputs)[:, 0]
    assert np.ptp(flat) < 0.1 and abs(flat.mean() - 1 / 3) < 0.05  # "a nearly flat line at the mean"
    t.step(pages["The curve bends"].action.run_to - 150)
    bent = t.network.predict(t.params, s.data.inputs)[:, 0]
    assert bent[1] > bent[0] + 0.2 and bent[1] > bent[2] + 0.1  # "bends up in the middle"
    t.step(pages["Touching the points"].action.run_to - t.step_count)
    np.testing.assert_allclose(t.network.predict(t.params, s.data.inputs)[:, 0], [0, 1, 0], atol=0.01)
    race = pages["Momentum against plain gradient descent"].action
    plain = s.make_trainer()
    plain.change_settings(**{**dict(race.settings), **dict(race.race[0])})
    plain.step(race.run_to)
    still = plain.network.predict(plain.params, s.data.inputs)[:, 0]
    assert np.ptp(still) < 0.05 and abs(plain.current_loss() - 0.333) < 0.0005  # "the ghost is still at 0.333"
    live = s.make_trainer()
    live.change_settings(**dict(race.settings))
    live.step(race.run_to)
    h = live.loss_history()
    tenth = int(np.flatnonzero(h < h[0] / 10)[0])
    assert tenth == 218  # "its loss is below a tenth of its start at step 218"
    assert abs(h[50] - 1 / 3) < 0.01 and abs(plain.loss_history()[50] - 1 / 3) < 0.01  # "both reach 1/3 … then crawl"


def test_the_other_lessons_tell_the_truth():
    s = load("xor")
    t = s.make_trainer()
    t.step(200)
    assert t.current_loss() > 0.6  # the plateau
    t.step(300)
    assert t.accuracy() == 1.0 and t.current_loss() < 0.05  # then the drop, by step 500
    s = load("sentiment")
    t = s.make_trainer()
    t.step(300)
    assert t.accuracy() == 1.0  # "after 300 steps every training sentence is on the right side"
    # "the gradient of an input weight is delta times the input, and the input is 0 for absent words"
    from nnplay.explain import chain_rule

    snap = t.snapshot()
    page = next(p for p in s.lessons if p.title == "Words learn weights")
    rule = chain_rule(snap, t.network, page.action.weight)
    loved = s.data.vocabulary.index("loved")
    has = snap.inputs[:, loved] == 1
    assert has.any() and (~has).any()
    assert np.all(rule.products[~has] == 0) and np.all(rule.products[has] != 0)


def test_the_lessons_weight_counts_are_the_networks():
    """Every count of weights a lesson quotes is recomputed: the random plane moves the weights, not the biases."""
    import re

    from nnplay import landscape

    s = load("spiral")
    t = s.make_trainer()
    page = next(p for p in s.lessons if p.action.view == "landscape-random")
    weights, biases = map(int, re.search(r"all (\d+) weights.*?the (\d+) biases", page.text, re.S).groups())
    plane = landscape.random_plane(t.network, t.params, 0)
    moved = np.flatnonzero(plane.d1)
    assert len(moved) == weights == np.flatnonzero(plane.d2).size
    assert weights + biases == t.network.n_params
    for name, quoted in (("overfit", r"(\d+) weights and biases for 30 points"),):
        scenario = load(name)
        text = " ".join(p.text for p in scenario.lessons)
        assert int(re.search(quoted, text).group(1)) == scenario.make_trainer().network.n_params
    four = load("overfit", overrides={"network.layers": [{"units": 4, "activation": "tanh"},
                                                         {"units": 4, "activation": "tanh"},
                                                         {"units": 1, "activation": "sigmoid"}]})
    text = " ".join(p.text for p in four.lessons)
    assert int(re.search(r"2-4-4-1: (\d+) weights and biases", text).group(1)) == four.make_trainer().network.n_params


# -- digits: the bundled scenario at the size learners grow into ---------------------------------------

def test_digits_is_the_uci_data_at_its_size():
    s = load("digits")
    assert s.data.inputs.shape == (1797, 64) and s.data.targets.shape == (1797, 10)
    assert s.data.inputs.min() == 0 and s.data.inputs.max() == 1
    assert np.all(np.isin(s.data.inputs * 16, np.arange(17)))  # the 0..16 counts, divided by 16
    assert s.data.input_names == tuple(f"r{i}c{j}" for i in range(8) for j in range(8))
    assert s.data.class_names == tuple(str(d) for d in range(10))
    assert np.bincount(s.data.targets.argmax(axis=1)).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert [(layer.units, layer.activation) for layer in s.layers] == [(32, "sigmoid"), (10, "softmax")]
    assert s.training.loss == "cce"
    assert "CC BY 4.0" in s.summary and "CC BY 4.0" in s.lessons[0].text  # the source credited


@pytest.mark.slow
def test_digits_converges_from_its_default_seed():
    """The bundled rule (SPEC §3): the loss falls at least 10x and every training digit is right within 3,000 steps."""
    s = load("digits")
    t = s.make_trainer()
    t.step(3000)
    h = t.loss_history()
    assert not t.diverged and h[-1] <= h[0] / 10 and h[10] > h[0] / 10
    assert t.accuracy() == 1.0
    assert h[-1] < h[0] / 100  # the last page: "hundreds of times smaller"


def test_the_digits_lesson_tells_the_truth():
    s = load("digits")
    pages = {page.title: page for page in s.lessons}
    blank = [s.data.input_names.index(name) for name in ("r0c0", "r4c0", "r4c7")]
    assert np.all(s.data.inputs[:, blank] == 0)  # "blank in every one of the 1,797 digits"
    assert s.data.inputs.any(axis=0).sum() == 61  # and only those three
    t = s.make_trainer()
    W0 = t.snapshot().layers[0].W.copy()
    t.step(56)
    assert t.epoch == 0
    t.step(1)
    assert t.epoch == 1  # "reshuffled every epoch (57 steps)"
    t.step(pages["Minibatches of 32"].action.run_to - 57)
    snap = t.snapshot()
    assert np.all(snap.layers[0].dW[blank] == 0)  # "the gradient is exactly 0"
    np.testing.assert_array_equal(snap.layers[0].W[blank], W0[blank])  # "keep their first random values"
    assert not np.array_equal(snap.layers[0].W, W0)


# -- a page that goes to a phase of the next iteration (f) ---------------------------------------------


@pytest.mark.parametrize("value, index", [(1, 0), (7, 6), ("forward 2", 1), ("loss", 2), ("backward", 3),
                                          ("backward 1", 4), ("gradients", 5), (" update ", 6)])
def test_a_page_goes_to_a_phase_by_number_or_name(value, index):
    s = from_dict(with_lesson({"title": "t", "text": "x", "action": {"phase": value}}))
    assert s.lessons[0].action.phase == index


@pytest.mark.parametrize("value, expected", [
    (0, "l.toml: lesson[0].action.phase: must be a phase number from 1 to 7 or a phase's name, got 0"),
    (8, "l.toml: lesson[0].action.phase: must be a phase number from 1 to 7 or a phase's name, got 8"),
    ("backward 3", "l.toml: lesson[0].action.phase: no phase 'backward 3' in this network's iteration (expected one "
                   "of: forward 1, forward 2, loss, backward 2, backward 1, gradients, update, or a number from 1 to 7)"),
    (True, "l.toml: lesson[0].action.phase: expected a whole number, got"),
])
def test_phase_rules(value, expected):
    assert expected in error(with_lesson({"title": "t", "text": "x", "action": {"phase": value}}))


def test_a_phase_and_a_run_to_are_not_one_page():
    assert "a page goes to a phase of the next iteration or runs to a step, not both" in error(
        with_lesson({"title": "t", "text": "x", "action": {"phase": 2, "run_to": 10}}))


def test_the_xor_deltas_page_goes_to_the_deltas_of_layer_1():
    page = next(p for p in load("xor").lessons if p.title == "Deltas flowing back")
    assert page.action.phase == 4 and page.action.view == "functions"
