"""The whole-set loss measured lazily under minibatches: fewer measurements, every figure still exact."""

import json

import numpy as np
import pytest

import nnplay
from nnplay import cli, runfile
from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.engine.history import LossHistory
from nnplay.session import LOSS_COST, LOSS_COST_FLAT_OUT, Session


def blobs_trainer(loss_every, n=60, batch=7, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    T = (X[:, :1] - X[:, 1:2] > 0).astype(float)
    net = Network(3, [LayerSpec(5, "tanh"), LayerSpec(1, "sigmoid")])
    settings = Settings(loss="bce", learning_rate=0.3, momentum=0.5, batch_size=batch, l2=0.01)
    return Trainer(net, X, T, settings, net.init_params("normal", 0.5, seed), seed=seed, loss_every=loss_every)


def test_measuring_less_often_changes_no_number():
    eager = blobs_trainer(1)
    eager.step(200)
    whole = eager.loss_history()
    for every in (None, 5):
        lazy = blobs_trainer(every)
        lazy.step(200)
        np.testing.assert_array_equal(lazy.params, eager.params)  # training itself is untouched
        held = [s for s in range(201) if lazy.history.holds(s)]
        expected = [0] if every is None else [0, *range(every, 201, every)]
        assert held == expected  # step 0 is measured when the first step() looks for a divergence
        for s in held:
            assert lazy.history.at(s) == whole[s]
        assert lazy.current_loss() == whole[200]  # reading measures, exactly
        with pytest.raises(ValueError, match="not measured after every step"):
            lazy.loss_history()


def test_gaps_and_full_batches_mix_exactly():
    eager, lazy = blobs_trainer(1), blobs_trainer(None)
    for t in (eager, lazy):
        t.step(30)
        t.change_settings(batch_size=0)  # full batch: the loss comes free, so every step is kept again
        t.step(20)
    whole = eager.loss_history()
    # step 30 by the event (the loss after it); 31 to 49 by the full-batch steps; 50 is read next
    assert [lazy.history.holds(s) for s in range(51)] == [s == 0 or 30 <= s < 50 for s in range(51)]
    assert lazy.current_loss() == whole[50]
    np.testing.assert_array_equal(lazy.history.exact()[30:], whole[30:])
    np.testing.assert_array_equal(lazy.params, eager.params)


def test_rewinding_a_lazy_run_is_exact():
    eager, lazy = blobs_trainer(1), blobs_trainer(None)
    eager.step(300)
    lazy.step(300)
    for target in (250, 123, 7):
        lazy.rewind(target)
        assert lazy.current_loss() == eager.history.at(target)
        ref = blobs_trainer(1)
        ref.step(target)
        np.testing.assert_array_equal(lazy.params, ref.params)


def test_a_history_with_gaps_plots_and_folds_only_what_was_measured():
    h = LossHistory(limit=1024)
    for step in range(0, 40_000, 10):
        h.record_at(step, float(step))
    assert h.holds(39_990) and not h.holds(39_991) and not h.complete
    starts, counts, means = h.blocks()
    assert counts.sum() == h.start  # the blocks still tile the folded past …
    for first, count, mean in zip(starts, counts, means):  # … and average the steps measured in them
        measured = [s for s in range(first, first + count) if s % 10 == 0]
        assert mean == pytest.approx(np.mean(measured))
    xs, ys = h.curve(100)
    np.testing.assert_allclose(ys, xs, atol=10)  # the loss was the step: each point within a gap of its step
    with pytest.raises(IndexError):
        h.at(39_985)


def test_run_without_json_measures_the_loss_only_where_it_prints_it(capsys, monkeypatch):
    measured = []
    original = Network.loss
    monkeypatch.setattr(Network, "loss", lambda self, *a, **k: measured.append(1) or original(self, *a, **k))
    assert cli.main(["run", "spiral", "--steps", "300"]) == 0
    text = capsys.readouterr().out
    assert len(measured) <= 2  # the loss at the start and at the end, not after each of the 300 steps
    measured.clear()
    assert cli.main(["run", "spiral", "--steps", "300", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(measured) >= 300 and len(out["loss_history"]) == 301
    # the figures printed without --json are those of the exact history
    assert f"loss {out['loss_history'][-1]:.6g} (from {out['loss_history'][0]:.6g} at step 0)" in text


def eager_twin(trainer_steps, scenario="spiral"):
    t = nnplay.load(scenario).make_trainer()
    t.step(trainer_steps)
    return t.loss_history()


def test_the_playground_measures_sparingly_and_plots_exact_losses():
    session = Session(nnplay.load("spiral"))  # minibatches of 9: 5 steps an epoch
    session.step(700)
    whole = eager_twin(700)
    frame = session.frame()
    t = session.trainer
    k = t.loss_every
    assert isinstance(k, int) and k >= LOSS_COST * 5 and k & (k - 1) == 0  # a power of two, at least LOSS_COST epochs
    held = [s for s in range(701) if t.history.holds(s)]
    assert held == [s for s in range(701) if s % k == 0 or s == 700]  # every k steps, and the state shown
    assert frame.snapshot.loss == whole[700]
    # every point of the loss plot is the exact loss at its step
    assert len(frame.loss_steps) >= 10
    np.testing.assert_array_equal(frame.loss_values, whole[frame.loss_steps.astype(int)])


def test_flat_out_the_playground_measures_more_sparingly_and_still_plots_exact_losses():
    """Flat out every step counts and the frames measure a point each: k is at least LOSS_COST_FLAT_OUT
    epochs (spiral: 5 steps an epoch), against LOSS_COST at a speed chosen; the points stay exact."""
    session = Session(nnplay.load("spiral"))
    session.step(40)
    at_a_speed = session.trainer.loss_every
    while session.speed is not None:
        session.change_speed(1)
    session.start()
    taken = 0
    while session.trainer.step_count < 2000:
        taken += session.run_for(0.01, 0.0, taken)
    session.pause()
    k = session.trainer.loss_every
    assert isinstance(k, int) and isinstance(at_a_speed, int)
    assert k >= LOSS_COST_FLAT_OUT * 5 > at_a_speed >= LOSS_COST * 5 and k & (k - 1) == 0
    frame = session.frame()
    steps = frame.loss_steps.astype(int)
    np.testing.assert_array_equal(frame.loss_values, eager_twin(int(steps[-1]))[steps])
    assert set(range(0, int(steps[-1]), k)) <= set(steps.tolist())  # every k steps, none left out


def test_a_saved_run_keeps_its_gaps_as_gaps(tmp_path):
    session = Session(nnplay.load("spiral"))
    session.step(300)
    session.frame()  # the state shown: its loss measured
    json_path, csv_path = session.save_later(tmp_path / "run")()
    loaded = runfile.load(str(json_path)).trainer
    whole = eager_twin(300)
    steps, losses = loaded.history.measured()
    assert list(steps) == [s for s in range(301) if session.trainer.history.holds(s)]
    np.testing.assert_array_equal(losses, whole[steps])
    rows = csv_path.read_text().split()[1:]
    assert [int(r.split(",")[0]) for r in rows] == list(steps)  # the CSV: the measured steps only
    loaded.step(50)  # and it carries on exactly
    assert loaded.current_loss() == eager_twin(350)[350]


@pytest.mark.parametrize("every", [1, 7, "epoch", None])
def test_a_lazily_measured_run_diverges_at_the_step_an_eager_run_names(every):
    # bump, too hot, one sample a step: the loss overflows while the parameters are still finite
    hot = {"training": {"learning_rate": 5.0, "batch_size": 1}}
    eager = nnplay.load("bump", overrides=hot).make_trainer()
    eager.step(1000)
    assert eager.diverged_at is not None and np.isfinite(eager.params).all()
    lazy = nnplay.load("bump", overrides=hot).make_trainer()
    lazy.loss_every = every
    taken = lazy.step(1000)
    assert lazy.diverged_at == eager.diverged_at == lazy.step_count == taken
    np.testing.assert_array_equal(lazy.params, eager.params)  # the state at that step
    assert not np.isfinite(lazy.current_loss())


def test_a_folded_block_of_unmeasured_steps_writes_no_csv_row(tmp_path):
    scenario = nnplay.load("spiral")
    t = scenario.make_trainer()
    t.loss_every = "epoch"  # 45 steps an epoch at batch size 1
    t.change_settings(batch_size=1)
    t.limit_history(1024)   # the early steps folded into blocks, some of them gaps only
    t.step(40000)
    json_path, csv_path = runfile.save(tmp_path / "run", scenario, t)
    rows = csv_path.read_text().split()[1:]
    assert rows and all(np.isfinite(float(r.split(",")[1])) for r in rows), [r for r in rows if "nan" in r][:3]
    assert runfile.load(str(json_path)).trainer.step_count == 40000


def test_a_snapshot_that_finds_the_divergence_shows_the_step_it_went_back_to():
    hot = {"training": {"learning_rate": 5.0, "batch_size": 1}}
    eager = nnplay.load("bump", overrides=hot).make_trainer()
    eager.step(1000)
    lazy = nnplay.load("bump", overrides=hot).make_trainer()
    lazy.loss_every = None
    lazy.advance(eager.diverged_at + 5)  # past the divergence, nothing measured (a replay's steps)
    snap = lazy.snapshot()  # measures: not finite, so back to the first such step
    assert snap.step == lazy.step_count == lazy.diverged_at == eager.diverged_at and snap.diverged
    np.testing.assert_array_equal(snap.params, eager.params)
    reference = eager.snapshot()  # every number of the snapshot is of that step's state
    for mine, theirs in zip(snap.layers, reference.layers):
        np.testing.assert_array_equal(mine.z, theirs.z)
        np.testing.assert_array_equal(mine.dW, theirs.dW)
