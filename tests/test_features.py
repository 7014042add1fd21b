"""Input features: the menu, their values, their names, and the views drawn over the named inputs."""

import numpy as np
import pytest

from nnplay import features, figures
from nnplay.scenario import ScenarioError, from_dict
from nnplay.session import Session

RAW = ("x1", "x2")
NET = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]}


@pytest.mark.parametrize("text,name,expected", [
    ("x1", "x1", lambda a, b: a),
    ("x2^2", "x2^2", lambda a, b: b * b),
    ("x1*x2", "x1*x2", lambda a, b: a * b),
    ("x2 * x1", "x2*x1", lambda a, b: b * a),
    ("sin(x1)", "sin(x1)", lambda a, b: np.sin(a)),
    (" cos( x2 ) ", "cos(x2)", lambda a, b: np.cos(b)),
])
def test_each_form_is_computed_right_and_named_canonically(text, name, expected):
    raw = np.array([[0.5, -2.0], [3.0, 0.25], [-1.5, 1.0]])
    feature = features.parse_one(text, RAW)
    assert feature is not None and feature.name == name
    assert np.allclose(feature.values(raw), expected(raw[:, 0], raw[:, 1]))


def test_names_with_operator_like_characters_are_matched_whole_never_evaluated():
    raw_names = ("a", "a*b", "b")
    assert features.parse_one("a*b", raw_names).kind == "name"       # the longest name first
    assert features.parse_one("a*b^2", raw_names).kind == "square"
    assert features.parse_one("__import__('os')", raw_names) is None
    assert features.parse_one("x1**2", RAW) is None and features.parse_one("exp(x1)", RAW) is None


def test_encode_gives_one_column_per_feature_in_order():
    raw = np.array([[2.0, 3.0], [-1.0, 0.5]])
    out = features.encode(("x1*x2", "x1", "x2^2"), RAW, raw)
    assert np.array_equal(out, [[6.0, 2.0, 9.0], [-0.5, -1.0, 0.25]])


def test_unknown_feature_message_has_the_forms_and_a_did_you_mean():
    assert features.problem("x1^3", RAW) == ("unknown feature 'x1^3' (did you mean 'x1^2'? expected NAME, NAME^2, "
                                             "A*B, sin(NAME) or cos(NAME) with NAME one of: x1, x2)")
    # a power written as Python writes it is the square, not the product x1*x2 it is closest to letter by letter
    assert "did you mean 'x1^2'?" in features.problem("x1**2", RAW)


def circle_with(feature_names, **data):
    return from_dict({"data": {"generate": "circle", "samples": 40, "features": feature_names, **data},
                      "network": NET})


def test_features_replace_the_inputs_and_keep_the_named_ones():
    s = circle_with(["x1^2", "x2^2", "x1*x2"], test_fraction=0.25)
    d = s.data
    assert d.input_names == ("x1^2", "x2^2", "x1*x2") and d.raw_names == ("x1", "x2")
    x1, x2 = d.raw_inputs[:, 0], d.raw_inputs[:, 1]
    assert np.array_equal(d.inputs, np.column_stack([x1 * x1, x2 * x2, x1 * x2]))
    t1, t2 = d.test_raw_inputs[:, 0], d.test_raw_inputs[:, 1]
    assert np.array_equal(d.test_inputs, np.column_stack([t1 * t1, t2 * t2, t1 * t2]))
    assert s.network().n_inputs == 3
    assert s.view == "decision-map"  # from the two named inputs, not the three features


def test_without_features_the_raw_fields_are_none():
    d = from_dict({"data": {"generate": "circle"}, "network": NET}).data
    assert d.raw_names is None and d.raw_inputs is None and d.test_raw_inputs is None
    assert d.named_inputs is d.inputs


def test_the_decision_map_is_drawn_over_the_named_inputs_through_the_features():
    s = circle_with(["x1^2", "x2^2"])
    t = s.make_trainer()
    g = figures.grid(t.network, t.params, s.data.named_inputs, cols=5, rows=4, encode=s.data.encode)
    assert g.xlim == figures.padded_range(s.data.raw_inputs[:, 0])  # the plane of x1 and x2
    _, _, points = figures.plane(s.data.raw_inputs, 5, 4)
    want = t.network.predict(t.params, points ** 2)
    assert np.allclose(g.values.reshape(20, -1), want)
    frame = Session(s).frame()  # what the playground draws
    assert frame.grid.xlim == g.xlim and frame.grid.values.shape[-1] == 1


def test_the_curve_and_unit_maps_go_through_the_features_too():
    s = from_dict({"data": {"generate": "sine", "samples": 30, "features": ["x1", "sin(x1)"]},
                   "network": {"layers": [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}})
    assert s.view == "curve"
    t = s.make_trainer()
    c = figures.curve(t.network, t.params, s.data.named_inputs, points=7, encode=s.data.encode)
    xs = c.xs.reshape(-1, 1)
    assert np.allclose(c.ys, t.network.predict(t.params, np.column_stack([xs, np.sin(xs)])))
    s = circle_with(["x1", "x2", "x1*x2"])
    t = s.make_trainer()
    maps = figures.unit_maps(t.network, t.params, s.data.named_inputs, cols=3, rows=2, encode=s.data.encode)
    assert len(maps) == 3 and maps[0][2].shape == (2, 3)


@pytest.mark.parametrize("value,path,problem", [
    (["x1", "x1^3"], "data.features[1]", "unknown feature 'x1^3' (did you mean 'x1^2'? expected NAME, NAME^2, "
                                          "A*B, sin(NAME) or cos(NAME) with NAME one of: x1, x2)"),
    (["x1", "x1 "], "data.features[1]", "'x1' is listed twice"),
    ([], "data.features", "must not be empty"),
    ("x1", "data.features", "expected an array, got a string ('x1')"),
])
def test_bad_features_are_refused_in_one_line(value, path, problem):
    with pytest.raises(ScenarioError) as info:
        circle_with(value)
    assert (info.value.path, info.value.problem) == (path, problem)


def test_features_are_not_for_text():
    with pytest.raises(ScenarioError, match=r"data.features: not used with sentences \(only with inputs or generate or csv\)"):
        from_dict({"data": {"sentences": [["a b", 1]], "features": ["a"]},
                   "network": {"layers": [{"units": 1, "activation": "sigmoid"}]}})


def test_an_inline_test_set_is_written_in_the_named_inputs_and_encoded_too():
    s = from_dict({"data": {"inputs": [[1, 2], [3, 4]], "targets": [0, 1], "features": ["x1*x2", "x2^2"],
                            "test_inputs": [[5, 6]], "test_targets": [1]}, "network": NET})
    assert np.array_equal(s.data.test_raw_inputs, [[5, 6]]) and np.array_equal(s.data.test_inputs, [[30, 36]])
    assert np.array_equal(s.data.inputs, [[2, 4], [12, 16]])
