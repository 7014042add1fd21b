"""The playground's controller and the view computations (no Textual needed)."""

import time

import numpy as np
import pytest

from nnplay import figures
from nnplay.scenario import load
from nnplay.session import LEARNING_RATES, SPEEDS, Session


def test_frames_are_immutable_copies():
    session = Session(load("xor"))
    frame = session.frame()
    session.step(5)
    later = session.frame()
    assert frame.snapshot.step == 0 and later.snapshot.step == 5
    assert later.revision > frame.revision
    assert not np.array_equal(frame.snapshot.params, later.snapshot.params)
    with pytest.raises(ValueError):
        frame.snapshot.params[0] = 1.0
    assert len(later.loss_values) == 6


def test_learning_rate_ladder_and_speeds():
    session = Session(load("xor"))
    assert session.change_learning_rate(1) == 1.0
    assert session.change_learning_rate(1) == 2.0
    assert session.change_learning_rate(-1) == 1.0
    for _ in range(40):
        session.change_learning_rate(-1)
    assert session.trainer.settings.learning_rate == LEARNING_RATES[0]
    for _ in range(40):
        session.change_speed(1)
    assert session.speed is None and SPEEDS[-1] is None
    session.change_speed(-100)
    assert session.speed == SPEEDS[0]


def test_run_for_paces_slow_speeds_and_stops_on_divergence(tmp_path):
    session = Session(load("xor"))
    session.change_speed(SPEEDS.index(20) - session.speed_index)
    assert session.start() and session.running
    started = time.perf_counter() - 0.5  # as if the run had started half a second ago
    taken = session.run_for(0.01, started, 0)
    assert taken == 2  # due: 10 steps, at most speed // 10 per call
    session.change_speed(len(SPEEDS))
    assert session.run_for(0.05, time.perf_counter(), 0) > 10
    path = tmp_path / "boom.toml"
    path.write_text('[data]\ninputs = [[0.0], [1.0]]\ntargets = [[0.0], [2.0]]\n'
                    '[network]\nlayers = [{ units = 1, activation = "linear" }]\n[training]\nlearning_rate = 90.0\n')
    boom = Session(load(str(path)))
    boom.change_speed(len(SPEEDS))
    boom.start()
    boom.run_for(0.2, time.perf_counter(), 0)
    assert boom.trainer.diverged and not boom.running and "Diverged at step" in boom.message


def test_curve_and_grid_are_the_network_outputs():
    s = load("bump")
    t = s.make_trainer()
    curve = figures.curve(t.network, t.params, s.data.inputs, points=11)
    np.testing.assert_allclose(curve.ys, t.network.predict(t.params, curve.xs.reshape(-1, 1)))
    assert curve.xs[0] < 0 and curve.xs[-1] > 1
    x = load("xor")
    t = x.make_trainer()
    grid = figures.grid(t.network, t.params, x.data.inputs, cols=5, rows=4)
    assert grid.values.shape == (4, 5, 1)
    # row 0 is the top of the plane: the largest x2
    top_left = np.array([[grid.xlim[0], grid.ylim[1]]])
    np.testing.assert_allclose(grid.values[0, 0], t.network.predict(t.params, top_left)[0])


def test_sentence_report_pushes_are_leave_one_out_differences():
    s = load("sentiment")
    t = s.make_trainer()
    t.step(300)
    report = figures.sentence_report(t.network, t.params, s.data.vocabulary, "I loved the popcorn")
    assert report.unknown == ("popcorn",) and set(report.known) == {"i", "loved", "the"}
    vector, _, _ = s.encode("I loved the popcorn")
    p = t.network.predict(t.params, vector[None])[0, 0]
    assert report.probability == pytest.approx(p)
    without = s.encode("I the")[0]
    loved = dict(report.contributions)["loved"]
    assert loved == pytest.approx(p - t.network.predict(t.params, without[None])[0, 0])
    assert loved > 0  # after training, "loved" pushes towards positive
    assert abs(report.contributions[0][1]) >= abs(report.contributions[-1][1])
    empty = figures.sentence_report(t.network, t.params, s.data.vocabulary, "zzz qqq")
    assert empty.known == () and empty.contributions == () and 0 <= empty.probability <= 1


def test_unit_names_and_parameter_labels():
    s = load("spiral")
    net = s.network()
    names = figures.unit_names(s.data.input_names, [l.units for l in s.layers], s.data.output_names)
    assert names[0] == ("x1", "x2") and names[1][0] == "h1" and names[2] == ("red", "green", "blue")
    assert figures.param_label(net, names, net.index_of(0, "W", (1, 3))) == "w(x2 → h4)"
    assert figures.param_label(net, names, net.index_of(1, "b", (2,))) == "b(blue)"
    order = figures.param_order(net)
    assert sorted(order) == list(range(net.n_params)) and order[:2] == [0, 1]


def test_the_landscape_path_comes_from_kept_parameters_not_a_replay(monkeypatch):
    from nnplay import session as session_module
    from nnplay.engine.trainer import Trainer

    monkeypatch.setattr(Trainer, "trajectory", lambda *a, **k: pytest.fail("replayed"))
    session = Session(load("spiral"))
    trainer = session.trainer
    a, b = 0, 5
    reference = trainer.clone()
    expected = [tuple(reference.params[[a, b]])]
    for _ in range(150):
        reference.step(1)
        expected.append(tuple(reference.params[[a, b]]))
    session.step(150)  # by hand: every step kept
    _, path = session.landscape(a, b)
    assert path == expected
    session.change_momentum(-1)   # an edit at step 150: the point of that step is the edited state
    session.step(3000)            # more than the path shows: the first points are let go
    _, path = session.landscape(a, b)
    steps = [step for step, _ in session._path]
    assert steps[-1] == 3150 and steps[0] >= 3150 - session_module.PATH_STEPS
    assert len(path) == len(steps) <= session_module.PATH_POINTS + 1
    assert path[-1] == tuple(trainer.params[[a, b]])
    session.back(100)             # stepping back forgets the points after the step it lands on
    _, path = session.landscape(a, b)
    assert [step for step, _ in session._path][-1] == 3050 and path[-1] == tuple(trainer.params[[a, b]])
    session.reset()
    _, path = session.landscape(a, b)
    assert path == [tuple(trainer.params[[a, b]])]


def test_the_landscape_grid_is_coarser_for_a_big_network_on_big_data(tmp_path):
    rng = np.random.default_rng(0)
    rows = ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in rng.integers(0, 17, (1797, 64)))
    path = tmp_path / "digits.toml"
    path.write_text(f"[data]\ninputs = [{rows}]\ntargets = [{', '.join(str(t) for t in rng.integers(0, 10, 1797))}]\n"
                    f"class_names = [{', '.join(repr(str(i)) for i in range(10))}]\n"
                    '[network]\nlayers = [{ units = 32, activation = "sigmoid" }, { units = 10, activation = "softmax" }]\n'
                    '[training]\nloss = "cce"\nbatch_size = 32\n', encoding="utf-8")
    from nnplay.session import LANDSCAPE_GRID, LANDSCAPE_WORK

    assert Session(load("spiral")).landscape_grid() == LANDSCAPE_GRID  # the bundled sizes: the whole grid
    big = Session(load(str(path)))
    cols, rows_ = big.landscape_grid()
    assert (cols, rows_) < LANDSCAPE_GRID and cols * rows_ * 1797 * big.network.n_params <= LANDSCAPE_WORK * 1.1
    assert cols / rows_ == pytest.approx(2, rel=0.2)  # the same shape, coarser


def test_saving_copies_the_state_at_once_and_writes_it_later(tmp_path):
    import json

    session = Session(load("xor"))
    session.step(10)
    write = session.save_later(tmp_path / "run")
    session.step(5)
    json_path, _ = write()
    assert json.loads(json_path.read_text())["step"] == 10


def test_frames_carry_the_test_loss_at_the_loss_steps():
    from tests.engine.testsets import with_test_set

    assert Session(load("xor")).frame().test_loss_values is None
    scenario = with_test_set("spiral")  # minibatches: the loss is measured every k steps
    session = Session(scenario)
    session.step(700)
    frame = session.frame()
    eager = scenario.make_trainer()
    eager.step(700)
    steps = frame.loss_steps.astype(int)
    assert frame.test_loss_values is not None and len(frame.test_loss_values) == len(steps) >= 10
    np.testing.assert_array_equal(frame.test_loss_values, eager.test_loss_history()[steps])
    np.testing.assert_array_equal(frame.loss_values, eager.loss_history()[steps])
    assert frame.test_loss_values[-1] == frame.snapshot.test_loss
