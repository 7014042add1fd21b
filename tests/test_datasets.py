"""Generated data sets and the test split: deterministic, balanced, in the square, read from [data]."""

import numpy as np
import pytest

from nnplay import datasets
from nnplay.scenario import from_dict

CLASSES = [name for name, spec in datasets.GENERATORS.items() if spec.class_names is not None]
NET = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}]}
LINEAR = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 1, "activation": "linear"}]}


def scenario(data, network=NET, **tables):
    return from_dict({"data": data, "network": network, **tables})


def test_the_registry_holds_the_spec_kinds():
    assert set(datasets.NAMES) == {"circle", "xor", "gauss", "spiral", "moons", "plane", "sine"}
    assert set(CLASSES) == {"circle", "xor", "gauss", "spiral", "moons"}


@pytest.mark.parametrize("name", datasets.NAMES)
def test_same_keys_give_bit_identical_data_and_another_seed_other_data(name):
    x, t = datasets.generate(name, 150, 0.2, seed=7)
    x2, t2 = datasets.generate(name, 150, 0.2, seed=7)
    assert x.tobytes() == x2.tobytes() and t.tobytes() == t2.tobytes()
    y, u = datasets.generate(name, 150, 0.2, seed=8)
    assert not np.array_equal(x, y)


def test_no_global_random_state_is_used_or_changed():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    a = datasets.generate("circle", 50, 0.1, 3)
    assert np.array_equal(np.random.get_state()[1], before)
    np.random.seed(12345)
    assert np.array_equal(datasets.generate("circle", 50, 0.1, 3)[0], a[0])


@pytest.mark.parametrize("name", CLASSES)
@pytest.mark.parametrize("samples", [2, 7, 200])
def test_two_balanced_classes_of_the_right_shape(name, samples):
    x, t = datasets.generate(name, samples, 0.0, 1)
    assert x.shape == (samples, 2) and t.shape == (samples, 1)
    assert set(np.unique(t)) == {0.0, 1.0}
    assert abs(int(t.sum()) - samples / 2) <= 0.5


@pytest.mark.parametrize("name", datasets.NAMES)
def test_without_noise_every_input_lies_in_the_square(name):
    x, _ = datasets.generate(name, 500, 0.0, 2)
    assert np.all(np.abs(x) <= 1.0 + 1e-12)
    assert np.abs(x).max() > 0.8  # and fills it, not a corner of it


@pytest.mark.parametrize("name", datasets.NAMES)
def test_noise_moves_the_inputs_of_classes_and_the_targets_of_regression(name):
    x0, t0 = datasets.generate(name, 300, 0.0, 4)
    x1, t1 = datasets.generate(name, 300, 1.0, 4)
    if datasets.GENERATORS[name].class_names is None:
        assert np.array_equal(x0, x1)
        moved = t1 - t0
    else:
        assert np.array_equal(t0, t1)
        moved = x1 - x0
    assert 0.8 < moved.std() < 1.2  # standard deviation = noise, the data's scale being 1


def test_the_clean_data_say_what_they_are():
    x, t = datasets.generate("circle", 400, 0.0, 0)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[t[:, 0] == 1] <= 0.5) and np.all(r[t[:, 0] == 0] >= 0.7)
    x, t = datasets.generate("xor", 400, 0.0, 0)
    assert np.array_equal(t[:, 0] == 1, x[:, 0] * x[:, 1] < 0)
    x, t = datasets.generate("gauss", 400, 0.0, 0)
    assert x[t[:, 0] == 1].mean() > 0.4 and x[t[:, 0] == 0].mean() < -0.4
    x, t = datasets.generate("plane", 100, 0.0, 0)
    assert np.allclose(t[:, 0], (x[:, 0] + x[:, 1]) / 2)
    x, t = datasets.generate("sine", 100, 0.0, 0)
    assert np.allclose(t[:, 0], np.sin(np.pi * x[:, 0]))


def test_the_split_is_disjoint_covers_all_and_follows_the_seed():
    train, test = datasets.split(200, 60, 5)
    assert (len(train), len(test)) == (140, 60)
    assert not set(train) & set(test) and set(train) | set(test) == set(range(200))
    assert np.array_equal(datasets.split(200, 60, 5)[1], test)
    assert not np.array_equal(datasets.split(200, 60, 6)[1], test)


# -- read from [data] -----------------------------------------------------------


def test_generate_defaults_200_samples_no_noise_and_the_init_seed():
    s = scenario({"generate": "circle"}, init={"seed": 3})
    x, t = datasets.generate("circle", 200, 0.0, 3)
    assert np.array_equal(s.data.inputs, x) and np.array_equal(s.data.targets, t)
    assert s.data.class_names == ("outside", "inside") and s.data.output_names == ("P(inside)",)
    assert s.data.input_names == ("x1", "x2") and s.view == "decision-map" and s.classification


def test_data_seed_samples_and_noise_are_used():
    s = scenario({"generate": "moons", "samples": 31, "noise": 0.25, "data_seed": 9}, init={"seed": 3})
    assert np.array_equal(s.data.inputs, datasets.generate("moons", 31, 0.25, 9)[0])


def test_regression_generators_have_no_classes_and_their_view():
    s = scenario({"generate": "sine", "samples": 20}, LINEAR)
    assert s.view == "curve" and s.data.class_names is None and s.data.input_names == ("x1",)
    assert s.data.output_names == ("y",)
    s = scenario({"generate": "plane", "input_names": ["a", "b"]}, LINEAR)
    assert s.view == "decision-map" and s.data.input_names == ("a", "b")


def test_two_softmax_outputs_take_one_hot_targets_and_class_names_may_be_renamed():
    net = {"layers": [{"units": 3, "activation": "tanh"}, {"units": 2, "activation": "softmax"}]}
    s = scenario({"generate": "xor", "samples": 10, "class_names": ["a", "b"]}, net, training={"loss": "cce"})
    x, t = datasets.generate("xor", 10, 0.0, 0)
    assert np.array_equal(s.data.targets, np.eye(2)[t[:, 0].astype(int)])
    assert s.data.output_names == ("a", "b")


@pytest.mark.parametrize("data", [{"generate": "spiral"},
                                  {"inputs": [[float(i)] for i in range(200)], "targets": list(range(200))}])
def test_test_fraction_holds_out_its_share_of_the_rows(data):
    s = scenario({**data, "test_fraction": 0.3}, NET if "generate" in data else LINEAR)
    assert (len(s.data.inputs), len(s.data.test_inputs)) == (140, 60)
    assert len(s.data.targets) == 140 and len(s.data.test_targets) == 60
    every = np.concatenate([s.data.inputs, s.data.test_inputs])
    whole = scenario(data, NET if "generate" in data else LINEAR).data
    # the same rows, none twice, and each with its own target
    assert sorted(map(tuple, every)) == sorted(map(tuple, whole.inputs))
    pairs = {tuple(x) + tuple(t) for x, t in zip(whole.inputs, whole.targets)}
    assert all(tuple(x) + tuple(t) in pairs for x, t in zip(s.data.test_inputs, s.data.test_targets))


def test_the_split_follows_data_seed_and_the_trainer_gets_the_test_set():
    a = scenario({"generate": "gauss", "test_fraction": 0.5, "data_seed": 1})
    b = scenario({"generate": "gauss", "test_fraction": 0.5, "data_seed": 1})
    assert np.array_equal(a.data.test_inputs, b.data.test_inputs)
    trainer = a.make_trainer()
    assert np.array_equal(trainer.X_test, a.data.test_inputs) and len(trainer.X) == 100


def test_the_batch_size_is_checked_against_the_training_set():
    data = {"generate": "circle", "samples": 10, "test_fraction": 0.5}
    assert scenario(data, training={"batch_size": 5}).training.batch_size == 5
    with pytest.raises(Exception, match="6 is larger than the data \\(5 samples\\)"):
        scenario(data, training={"batch_size": 6})


def test_an_inline_test_set():
    s = scenario({"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [0, 1, 1, 0],
                  "test_inputs": [[0.1, 0.9], [0.9, 0.9]], "test_targets": [1, 0]})
    assert np.array_equal(s.data.test_inputs, [[0.1, 0.9], [0.9, 0.9]])
    assert np.array_equal(s.data.test_targets, [[1.0], [0.0]]) and len(s.data.inputs) == 4


def test_inline_test_sentences_ignore_words_the_training_set_lacks():
    s = scenario({"sentences": [["good film", 1], ["bad film", 0]],
                  "test_sentences": [["a good day", 1], ["bad", 0]]},
                 {"layers": [{"units": 1, "activation": "sigmoid"}]})
    assert s.data.input_names == ("bad", "film", "good")
    assert np.array_equal(s.data.test_inputs, [[0, 0, 1], [1, 0, 0]])
    assert s.data.test_sentences == (("a good day", 1), ("bad", 0))
    assert np.array_equal(s.data.test_targets, [[1.0], [0.0]])


def test_sentences_split_before_the_vocabulary_is_made():
    pairs = [[f"word{i} common", i % 2] for i in range(10)]
    s = scenario({"sentences": pairs, "test_fraction": 0.2}, {"layers": [{"units": 1, "activation": "sigmoid"}]})
    assert len(s.data.sentences) == 8 and len(s.data.test_sentences) == 2
    held = {text.split()[0] for text, _ in s.data.test_sentences}
    assert not held & set(s.data.input_names) and "common" in s.data.input_names
    assert s.data.test_inputs.shape == (2, len(s.data.input_names))


def test_the_data_page_shows_the_pictures_the_generators_draw():
    import importlib.util
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    spec = importlib.util.spec_from_file_location("data_pictures", docs / "data_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (docs / "data.md").read_text()
    for name, noise in module.SHOWN:
        assert module.picture(name, noise=noise) in page, name


def test_a_scenario_text_written_back_makes_the_same_data():
    from nnplay.scenario import parse

    text = '[data]\ngenerate = "moons"\nsamples = 50\ntest_fraction = 0.2\n' \
           '[network]\nlayers = [{ units = 1, activation = "sigmoid" }]\n[init]\nseed = 4\n'
    changed = parse(text, "m.toml", overrides={"data.noise": 0.3, "data.features": ["x1", "x1*x2"]})
    again = parse(changed.text, "m.toml")  # what a saved run or "write the scenario" reopens
    for field in ("inputs", "targets", "test_inputs", "test_targets", "raw_inputs", "test_raw_inputs"):
        assert getattr(again.data, field).tobytes() == getattr(changed.data, field).tobytes()
    assert again.data.input_names == ("x1", "x1*x2")
    assert not np.array_equal(changed.data.raw_inputs, parse(text, "m.toml").data.inputs)  # the noise is in
