"""The scenario loader: every validation rule, text data, the bundled files."""

import contextlib
import copy
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnplay import tomlwriter
from nnplay.scenario import ScenarioError, bundled_names, from_dict, load, parse


def base():
    return {
        "data": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
        "network": {"layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]},
    }


def error(doc, source="my.toml"):
    with pytest.raises(ScenarioError) as info:
        from_dict(doc, source)
    return str(info.value)


def with_(path, value, doc=None):
    doc = copy.deepcopy(doc or base())
    *parents, last = path
    node = doc
    for key in parents:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[last] = value
    return doc


def test_the_spec_example_message():
    doc = base()
    doc["network"]["layers"][1]["activation"] = "sigmoi"
    assert error(doc) == ("my.toml: network.layers[1].activation: unknown activation 'sigmoi' "
                          "(expected one of: sigmoid, tanh, relu, linear, softmax)")


def test_defaults():
    s = from_dict(base(), "dir/my.toml")
    assert s.name == "my" and s.summary == "" and s.view == "decision-map"
    assert (s.init.scheme, s.init.scale, s.init.seed) == ("xavier", 0.5, 0)
    t = s.training
    assert (t.loss, t.learning_rate, t.momentum, t.batch_size, t.shuffle, t.l2) == ("mse", 0.1, 0.0, 0, True, 0.0)
    assert s.data.input_names == ("x1", "x2") and s.data.output_names == ("y",) and s.data.kind == "numbers"
    assert not s.classification


@pytest.mark.parametrize("n_inputs,view", [(1, "curve"), (2, "decision-map"), (3, "table")])
def test_default_view_from_the_data(n_inputs, view):
    doc = base()
    doc["data"]["inputs"] = [[0.0] * n_inputs, [1.0] * n_inputs]
    doc["data"]["targets"] = [[0], [1]]
    assert from_dict(doc).view == view


@pytest.mark.parametrize("path,value,expected", [
    (("trainig",), {}, "my.toml: trainig: unknown key 'trainig' (did you mean 'training'?)"),
    (("training", "learnig_rate"), 0.1, "my.toml: training.learnig_rate: unknown key 'learnig_rate' (did you mean 'learning_rate'?)"),
    (("network", "layers", 0, "unit"), 3, "my.toml: network.layers[0].unit: unknown key 'unit' (did you mean 'units'?)"),
    (("data", "zzz"), 3, "my.toml: data.zzz: unknown key 'zzz' (expected one of: inputs, targets, input_names, output_names, sentences, class_names, "
     "generate, samples, noise, data_seed, csv, input_columns, target_column, test_fraction, test_inputs, "
     "test_targets, test_sentences, features)"),
    (("training", "learning_rate"), True, "my.toml: training.learning_rate: expected a number, got a boolean (true)"),
    (("training", "learning_rate"), "fast", "my.toml: training.learning_rate: expected a number, got a string ('fast')"),
    (("network", "layers", 0, "units"), 2.0, "my.toml: network.layers[0].units: expected a whole number, got a number (2.0)"),
    (("training", "shuffle"), 1, "my.toml: training.shuffle: expected true or false, got a number (1)"),
    (("data", "inputs"), [], "my.toml: data.inputs: must not be empty"),
    (("data", "inputs"), [[0, 0], [0, 1], [1], [1, 1]], "my.toml: data.inputs[2]: has 1 numbers but data.inputs[0] has 2 (rows must all be the same length)"),
    (("data", "inputs"), [[0, 0], [0, math.nan], [1, 0], [1, 1]], "my.toml: data.inputs[1][1]: must be a finite number, got nan"),
    (("data", "targets"), [[0], [1], [1], [math.inf]], "my.toml: data.targets[3][0]: must be a finite number, got inf"),
    (("data", "targets"), [[0], [1], [1]], "my.toml: data.targets: has 3 rows but data.inputs has 4"),
    (("data", "targets"), [[0, 1], [1, 0], [1, 0], [0, 1]], "my.toml: network.layers: the output layer has 1 unit but the targets have 2 values per sample"),
    (("network", "layers", 1, "activation"), "softmax", None),
    (("network", "layers", 0, "activation"), "softmax", "my.toml: network.layers[0].activation: softmax is only allowed on the output layer (the last one)"),
    (("training", "loss"), "hinge", "my.toml: training.loss: unknown loss 'hinge' (expected one of: mse, sse, mae, bce, cce)"),
    (("init", "scheme"), "glorot", "my.toml: init.scheme: unknown scheme 'glorot' (expected one of: uniform, normal, xavier, he)"),
    (("training", "loss"), "cce", "my.toml: training.loss: cce needs a softmax output layer (the output layer is sigmoid): it reads the outputs as probabilities"),
    (("training", "learning_rate"), 0, "my.toml: training.learning_rate: must be greater than 0, got 0"),
    (("training", "learning_rate"), -0.5, "my.toml: training.learning_rate: must be greater than 0, got -0.5"),
    (("network", "layers", 0, "units"), 0, "my.toml: network.layers[0].units: must be at least 1, got 0"),
    (("network", "layers", 0, "units"), 128, "my.toml: network.layers[1].units: too large: 129 units in this layer and those before it (at most 128 in all layers together)"),
    (("network", "layers", 0, "units"), 4097, "my.toml: network.layers[0].units: too large: 4,097 units (at most 128 in all layers together)"),
    (("training", "momentum"), 1.0, "my.toml: training.momentum: must be at least 0 and less than 1, got 1"),
    (("training", "momentum"), -0.1, "my.toml: training.momentum: must be at least 0 and less than 1, got -0.1"),
    (("training", "batch_size"), 5, "my.toml: training.batch_size: 5 is larger than the data (4 samples)"),
    (("training", "batch_size"), -1, "my.toml: training.batch_size: must be 0 (full batch) or more, got -1"),
    (("training", "l2"), -1, "my.toml: training.l2: must be 0 or more, got -1"),
    (("init", "scale"), 0, "my.toml: init.scale: must be greater than 0, got 0"),
    (("init", "seed"), -3, "my.toml: init.seed: must be a whole number from 0 to 9223372036854775807, got -3"),
    (("scenario", "view"), "curve", "my.toml: scenario.view: 'curve' needs exactly one numeric input (this data has 2)"),
    (("scenario", "view"), "pie", "my.toml: scenario.view: unknown view 'pie' (expected one of: curve, decision-map, sentences, table)"),
    (("data", "input_names"), ["a"], "my.toml: data.input_names: has 1 names but there are 2 inputs"),
    (("network", "layers"), [], "my.toml: network.layers: must not be empty"),
    (("network", "layers"), "2-2-1", "my.toml: network.layers: expected an array, got a string ('2-2-1')"),
])
def test_each_rule_is_refused_with_its_message(path, value, expected):
    doc = with_(path, value)
    if expected is None:  # softmax on a one-unit output is allowed (if useless)
        from_dict(doc)
        return
    assert error(doc) == expected


def test_required_tables():
    doc = base()
    del doc["data"]
    assert error(doc) == "my.toml: data: missing: every scenario needs a [data] table"
    doc = base()
    del doc["network"]
    assert error(doc) == "my.toml: network: missing: every scenario needs a [network] table"
    doc = base()
    del doc["data"]["targets"]
    assert error(doc) == "my.toml: data.targets: missing: every input row needs a target"


def test_odd_keys_are_quoted_and_messages_stay_on_one_line():
    doc = base()
    doc["training"] = {"learning rate\n": 0.1}
    assert error(doc) == "my.toml: training.'learning rate\\n': unknown key 'learning rate\\n' (did you mean 'learning_rate'?)"


def test_inputs_and_sentences_together():
    doc = with_(("data", "sentences"), [["a b", 1]])
    assert error(doc) == ("my.toml: data: two kinds of data at once (inputs and sentences): "
                          "give only one of inputs, sentences, generate or csv")


def test_absurd_data_size():
    doc = base()
    doc["data"]["inputs"] = [[0.0] * 1001 for _ in range(1000)]
    doc["data"]["targets"] = [[0.0] for _ in range(1000)]
    assert error(doc) == "my.toml: data.inputs: too large: more than 1,000,000 numbers"


def test_toml_syntax_error_is_one_line():
    with pytest.raises(ScenarioError) as info:
        parse("[data\ninputs = 3", "bad.toml")
    message = str(info.value)
    assert message.startswith("bad.toml: not valid TOML: ") and "\n" not in message and "line 1" in message


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(ScenarioError, match=r"^nope\.toml: no such scenario file$"):
        load("nope.toml")
    with pytest.raises(ScenarioError, match=r"did you mean 'xor'\?"):
        load("xro")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match="not a text file"):
        load(str(binary))


# -- text data ------------------------------------------------------------------

def sentences_doc(pairs, **data):
    doc = {"data": {"sentences": pairs, **data},
           "network": {"layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]},
           "training": {"loss": "bce"}}
    return doc


def test_bag_of_words_encoding_and_punctuation():
    s = from_dict(sentences_doc([["I loved it!", 1], ["Didn't love it, hated it.", 0]]))
    assert s.data.vocabulary == ("didn't", "hated", "i", "it", "love", "loved")
    np.testing.assert_array_equal(s.data.inputs, [[0, 0, 1, 1, 0, 1], [1, 1, 0, 1, 1, 0]])
    np.testing.assert_array_equal(s.data.targets, [[1], [0]])
    assert s.view == "sentences" and s.classification and s.data.output_names == ("P(positive)",)
    vector, known, unknown = s.encode("I LOVED the popcorn, truly")
    np.testing.assert_array_equal(vector, [0, 0, 1, 0, 0, 1])
    assert known == ["i", "loved"] and unknown == ["the", "popcorn", "truly"]
    vector, known, unknown = s.encode("zebra quokka")
    assert not vector.any() and known == [] and unknown == ["zebra", "quokka"]


@pytest.mark.parametrize("pairs,expected", [
    ([["...!", 1]], "my.toml: data.sentences[0][0]: the sentence '...!' has no words"),
    ([["good", 2]], "my.toml: data.sentences[0][1]: label 2 is not a class index (expected 0 to 1)"),
    ([["good", True]], "my.toml: data.sentences[0][1]: expected a whole number, got a boolean (true)"),
    ([["good"]], 'my.toml: data.sentences[0]: expected a pair ["a sentence", label], got an array'),
    ([], "my.toml: data.sentences: must not be empty"),
])
def test_sentence_rules(pairs, expected):
    assert error(sentences_doc(pairs)) == expected


def test_several_classes_become_one_hot_targets():
    doc = base()
    doc["data"]["targets"] = [0, 2, 1, 2]
    doc["data"]["class_names"] = ["a", "b", "c"]
    doc["network"]["layers"][1] = {"units": 3, "activation": "softmax"}
    doc["training"] = {"loss": "cce"}
    s = from_dict(doc)
    np.testing.assert_array_equal(s.data.targets, np.eye(3)[[0, 2, 1, 2]])
    assert s.data.output_names == ("a", "b", "c") and s.classification
    doc["data"]["targets"] = [0, 3, 1, 2]
    assert error(doc) == "my.toml: data.targets[1]: class 3 is not an index of data.class_names (expected 0 to 2)"


def test_a_flat_target_list_is_one_output_per_sample():
    doc = with_(("data", "targets"), [0, 1, 1, 0])
    np.testing.assert_array_equal(from_dict(doc).data.targets, [[0], [1], [1], [0]])


# -- the bundled scenarios ---------------------------------------------------------

def test_bundled_scenarios_are_there():
    assert {"bump", "sentiment", "xor", "spiral"} <= set(bundled_names())
    for name in bundled_names():
        s = load(name)
        assert s.summary and "\n" not in s.summary


def test_bundled_views():
    assert load("bump").view == "curve"
    assert load("xor").view == "decision-map"
    assert load("sentiment").view == "sentences"
    spiral = load("spiral")
    assert spiral.view == "decision-map" and spiral.layers[-1].activation == "softmax"
    assert spiral.training.loss == "cce" and spiral.layers[0].activation == "relu"
    assert spiral.data.targets.shape[1] == 3
    bump = load("bump")
    np.testing.assert_array_equal(bump.data.inputs[:, 0], [0, 0.5, 1])
    np.testing.assert_array_equal(bump.data.targets[:, 0], [0, 1, 0])


@pytest.mark.parametrize("name", ["bump", "sentiment", "xor", "spiral"])
def test_bundled_scenarios_converge(name):
    s = load(name)
    t = s.make_trainer()
    t.step(3000)
    h = t.loss_history()
    assert not t.diverged
    assert h[-1] <= h[0] / 10
    if s.classification:
        assert t.accuracy() == 1.0
    # visibly: not in the first handful of steps
    assert h[10] > h[0] / 10


def test_the_bump_starts_flat_and_ends_on_the_points():
    s = load("bump")
    t = s.make_trainer()
    xs = np.linspace(0, 1, 21).reshape(-1, 1)
    before = t.network.predict(t.params, xs)[:, 0]
    assert before.max() - before.min() < 0.25
    t.step(3000)
    np.testing.assert_allclose(t.network.predict(t.params, s.data.inputs)[:, 0], [0, 1, 0], atol=1e-3)


# -- whatever the document, only a ScenarioError or a scenario ------------------------

leaves = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
                   st.text(max_size=8), st.sampled_from(["sigmoid", "softmax", "cce", "bce", "he", "curve", "table", "a b", ""]))
values = st.recursive(leaves, lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children, max_size=5)), max_leaves=20)
keys = st.sampled_from(["scenario", "data", "network", "init", "training", "inputs", "targets", "layers", "units",
                        "activation", "sentences", "class_names", "loss", "batch_size", "view", "seed", "scale", "name"])


def _documents():
    def mutate(doc, path_choices, value):
        doc = copy.deepcopy(doc)
        node = doc
        for choice in path_choices[:-1]:
            if isinstance(node, dict) and node:
                node = node[sorted(node)[choice % len(node)]]
            elif isinstance(node, list) and node:
                node = node[choice % len(node)]
        if isinstance(node, dict) and node:
            node[sorted(node)[path_choices[-1] % len(node)]] = value
        elif isinstance(node, list) and node:
            node[path_choices[-1] % len(node)] = value
        return doc
    mutated = st.builds(mutate, st.just(base()), st.lists(st.integers(0, 10), min_size=1, max_size=5), values)
    arbitrary = st.dictionaries(keys, values, max_size=6)
    return st.one_of(mutated, arbitrary, values)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_any_document_gives_a_scenario_or_a_scenario_error(doc):
    try:
        s = from_dict(doc, "f.toml")
    except ScenarioError as e:
        assert str(e).startswith("f.toml: ") and "\n" not in str(e)
        return
    # a valid scenario must train without surprises
    t = s.make_trainer()
    t.step(2)
    t.snapshot()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_scenario_or_a_scenario_error(text):
    with contextlib.suppress(ScenarioError):
        parse(text, "f.toml")


def test_absurd_network_size():
    doc = base()
    doc["data"]["inputs"] = [[0.0] * 1000]
    doc["data"]["targets"] = [[0.0]]
    doc["network"]["layers"] = [{"units": 100, "activation": "tanh"}, {"units": 1, "activation": "linear"}]
    assert error(doc) == "my.toml: network.layers: too large: 100,201 parameters (at most 20,000)"


# -- [data]: generated data, the test set, features (one row per rule) ---------------------

GENERATED = {"generate": "circle", "samples": 10}
NUMBERS = base()["data"]


@pytest.mark.parametrize("data,expected", [
    ({"generate": "circl"}, "data.generate: unknown generator 'circl' "
                            "(expected one of: circle, xor, gauss, spiral, moons, plane, sine)"),
    ({"generate": 3}, "data.generate: expected a string, got a number (3)"),
    ({**GENERATED, "samples": 1}, "data.samples: must be a whole number from 2 to 100,000, got 1"),
    ({**GENERATED, "samples": 100_001}, "data.samples: must be a whole number from 2 to 100,000, got 100001"),
    ({**GENERATED, "samples": 20.5}, "data.samples: expected a whole number, got a number (20.5)"),
    ({**GENERATED, "noise": -0.1}, "data.noise: must be from 0 to 1 (a fraction of the data's scale), got -0.1"),
    ({**GENERATED, "noise": 1.5}, "data.noise: must be from 0 to 1 (a fraction of the data's scale), got 1.5"),
    ({**GENERATED, "data_seed": -1}, "data.data_seed: must be a whole number from 0 to 9223372036854775807, got -1"),
    ({**GENERATED, "test_fraction": 0}, "data.test_fraction: must be between 0 and 1 (the share of the samples "
                                        "held out), got 0"),
    ({**GENERATED, "test_fraction": 1.0}, "data.test_fraction: must be between 0 and 1 (the share of the samples "
                                          "held out), got 1.0"),
    ({**GENERATED, "test_fraction": 0.01}, "data.test_fraction: 0.01 of 10 samples leaves the test set empty"),
    ({**GENERATED, "test_fraction": 0.99}, "data.test_fraction: 0.99 of 10 samples leaves the training set empty"),
    ({**NUMBERS, "test_fraction": 0.5, "test_inputs": [[0, 0]]},
     "data.test_fraction: give either test_fraction (a split of the data) or test_inputs "
     "(a test set of your own), not both"),
    ({**NUMBERS, "generate": "xor"}, "data: two kinds of data at once (inputs and generate): "
                                     "give only one of inputs, sentences, generate or csv"),
    ({"generate": "xor", "csv": "points.csv"}, "data: two kinds of data at once (generate and csv): "
                                               "give only one of inputs, sentences, generate or csv"),
    ({"samples": 10}, "data: missing: give inputs and targets (numbers), sentences (text), "
                      "generate (a generated data set) or csv (a CSV file)"),
    ({**NUMBERS, "samples": 10}, "data.samples: not used with inputs (only with generate)"),
    ({**NUMBERS, "noise": 0.1}, "data.noise: not used with inputs (only with generate)"),
    ({**GENERATED, "targets": [0, 1]}, "data.targets: not used with generate (only with inputs)"),
    ({**GENERATED, "input_columns": ["x1"]}, "data.input_columns: not used with generate (only with csv)"),
    ({**GENERATED, "target_column": "y"}, "data.target_column: not used with generate (only with csv)"),
    ({**NUMBERS, "test_sentences": [["a", 1]]}, "data.test_sentences: not used with inputs (only with sentences)"),
    ({**NUMBERS, "test_inputs": [[0, 0]]}, "data.test_targets: missing: a test set needs both test_inputs and "
                                           "test_targets"),
    ({**NUMBERS, "test_targets": [[0]]}, "data.test_inputs: missing: a test set needs both test_inputs and "
                                         "test_targets"),
    ({**NUMBERS, "test_inputs": [[0, 0, 1]], "test_targets": [[0]]},
     "data.test_inputs: has 3 numbers per row but the data has 2 inputs"),
    ({**NUMBERS, "test_inputs": [[0, 0]], "test_targets": [[0], [1]]},
     "data.test_targets: has 2 rows but data.test_inputs has 1"),
    ({**NUMBERS, "test_inputs": [[0, 0]], "test_targets": [[0, 1]]},
     "data.test_targets: has 2 values per sample but the training targets have 1"),
    ({**NUMBERS, "test_inputs": [[0, math.inf]], "test_targets": [[0]]},
     "data.test_inputs[0][1]: must be a finite number, got inf"),
    ({**GENERATED, "class_names": ["a", "b", "c"]}, "data.class_names: 'circle' has 2 classes, got 3 names"),
    ({"generate": "plane", "class_names": ["a", "b"]},
     "data.class_names: not used with 'plane': a regression data set has no classes"),
    ({**GENERATED, "input_names": ["a"]}, "data.input_names: has 1 names but there are 2 inputs"),
    ({"generate": "circle", "samples": 100_000, "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)",
                                                               "sin(x2)", "cos(x1)", "cos(x2)", "x2*x1"]},
     "data.features: too large: 100,000 samples x 10 features is more than 1,000,000 numbers"),
])
def test_each_data_rule_is_refused_with_its_message(data, expected):
    assert error({**base(), "data": data}) == f"my.toml: {expected}"


def csv_scenario(tmp_path, rows, data=None, layers=None, folder="data"):
    """A scenario file in tmp_path/folder naming points.csv beside it."""
    where = tmp_path / folder
    where.mkdir(exist_ok=True)
    (where / "points.csv").write_text("\n".join(rows) + "\n")
    network = layers or [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]
    doc = {"data": {"csv": "points.csv", **(data or {})}, "network": {"layers": network}}
    path = where / "s.toml"
    path.write_text(tomlwriter.dumps(doc))
    return path


LABELLED = ["x1,x2,label", "0,0,no", "0,1,yes", "1,0,yes", "1,1,no"]


def test_a_csv_file_is_found_beside_the_scenario_and_its_labels_become_sorted_classes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not the scenario's folder
    s = load(str(csv_scenario(tmp_path, LABELLED)))
    assert s.data.input_names == ("x1", "x2") and s.data.class_names == ("no", "yes")
    assert np.array_equal(s.data.inputs, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(s.data.targets, [[0], [1], [1], [0]]) and s.classification
    assert s.view == "decision-map" and s.data.output_names == ("P(yes)",)


def test_class_names_give_the_order_of_the_labels(tmp_path):
    s = load(str(csv_scenario(tmp_path, LABELLED, {"class_names": ["yes", "no"]})))
    assert np.array_equal(s.data.targets, [[1], [0], [0], [1]])


def test_numeric_targets_are_regression_or_with_class_names_class_indices(tmp_path):
    rows = ["a,b,y", "0,0,0.5", "0,1,1.5", "1,0,1", "1,1,0"]
    linear = [{"units": 2, "activation": "tanh"}, {"units": 1, "activation": "linear"}]
    s = load(str(csv_scenario(tmp_path, rows, layers=linear)))
    assert np.array_equal(s.data.targets, [[0.5], [1.5], [1], [0]]) and s.data.class_names is None
    rows = ["a,b,y", "0,0,0", "0,1,2", "1,0,1", "1,1,0"]
    softmax = [{"units": 2, "activation": "tanh"}, {"units": 3, "activation": "softmax"}]
    s = load(str(csv_scenario(tmp_path, rows, {"class_names": ["p", "q", "r"]}, softmax)))
    assert np.array_equal(s.data.targets, np.eye(3)[[0, 2, 1, 0]])


def test_columns_features_and_the_split_apply_to_csv_data(tmp_path):
    rows = ["id,x1,x2,label"] + [f"{i},{i / 10},{1 - i / 10},{'ab'[i % 2]}" for i in range(10)]
    path = csv_scenario(tmp_path, rows, {"input_columns": ["x1", "x2"], "target_column": "label",
                                         "test_fraction": 0.3, "features": ["x1", "x1*x2"]})
    d = load(str(path)).data
    assert d.raw_names == ("x1", "x2") and d.input_names == ("x1", "x1*x2")
    assert (len(d.inputs), len(d.test_inputs)) == (7, 3)
    assert np.allclose(d.test_inputs[:, 1], d.test_raw_inputs[:, 0] * d.test_raw_inputs[:, 1])


@pytest.mark.parametrize("rows,data,expected", [
    (["x,y", "0,a", "1,a"], {}, "data.csv: the target column 'y' has one label, 'a': classes need at least two"),
    (LABELLED, {"class_names": ["yes", "maybe"]},
     "data.class_names: the target column 'label' has the label 'no', not one of data.class_names"),
    (["x,y", "0,0", "1,2"], {"class_names": ["p", "q"]},
     "data.class_names: the target column 'y' holds 2, not a class index (expected 0 to 1) nor a label"),
    (["x,y", "0,0", "1,0.5"], {"class_names": ["p", "q"]},
     "data.class_names: the target column 'y' holds 0.5, not a class index (expected 0 to 1) nor a label"),
    (LABELLED, {"input_names": ["a", "b"]}, "data.input_names: not used with csv (only with inputs or generate)"),
])
def test_csv_rules(tmp_path, rows, data, expected):
    path = csv_scenario(tmp_path, rows, data)
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert str(info.value) == f"{path}: {expected}"


def test_csv_errors_name_the_csv_file_the_row_and_the_column(tmp_path):
    path = csv_scenario(tmp_path, ["x1,x2,label", "0,0,a", "0,n/a,b"])
    with pytest.raises(ScenarioError) as info:
        load(str(path))
    assert str(info.value) == f"{path.parent / 'points.csv'}: row 3, column 'x2': not a number: 'n/a'"


def test_a_lesson_may_show_unit_maps_over_two_named_inputs_with_more_features():
    doc = {**base(), "data": {"generate": "xor", "features": ["x1", "x2", "x1*x2"]},
           "lesson": [{"title": "t", "text": "x", "action": {"view": "unit-maps"}}]}
    assert from_dict(doc).lessons[0].action.view == "unit-maps"


def test_a_pass_over_the_test_set_is_bounded_like_one_over_the_training_set():
    doc = {"data": {"generate": "circle", "samples": 100_000, "test_fraction": 0.9},
           "network": {"layers": [{"units": 11, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]}}
    assert error(doc) == ("my.toml: network.layers: too large: 90,000 samples x 12 units is 1,080,000 unit values "
                          "per pass over the data (at most 1,000,000)")
    doc["data"]["test_fraction"] = 0.5
    assert len(from_dict(doc).data.test_inputs) == 50_000


def test_bundled_summaries_are_the_scenarios_own_read_quickly_or_say_why_not(monkeypatch, tmp_path):
    from nnplay import scenario as module

    assert module.bundled_summaries() == [(name, load(name).summary) for name in module.bundled_names()]
    (tmp_path / "good.toml").write_text('[scenario]\nsummary = "fine"\n[data]\ninputs = [[0]]\ntargets = [0]\n'
                                        '[network]\nlayers = [{ units = 1, activation = "linear" }]\n')
    # no [scenario] table of its own at the top: read whole, and it does not load
    (tmp_path / "broken.toml").write_text('[data]\ninputs = [[0]]\n[scenario]\nsummary = 3\n')
    monkeypatch.setattr(module, "_bundled_dir", lambda: tmp_path)
    rows = dict(module.bundled_summaries())
    assert rows["good"] == "fine"
    assert rows["broken"].startswith("(does not load: ") and "network" in rows["broken"]
