"""Issue 12's learner report (fix12) outside the interface: the chain of functions' E, the landscape's colour
scale, the walk's status line and per-sample losses, a minibatch walk's sample."""

from __future__ import annotations

import numpy as np
import pytest

from nnplay.engine import losses

from .test_phases_ui import playground, state


@pytest.mark.parametrize("name, settings", [("xor", {}), ("xor", {"loss": "sse"}), ("xor", {"l2": 0.1}), ("spiral", {}),
                                            ("digits", {"batch_size": 9})])
def test_the_chain_of_functions_multiplies_back_from_one_E(name, settings):
    """dE/dy is the sample's own de/dy times its share of E (1/n of a mean, 1 of a sum), and E is the loss of the
    batch the δ are of: the walk's batch, the whole set outside a walk."""
    pg = playground(name, **settings)
    pg.set_explain("functions")
    n_layers = len(pg.session.network.layers)
    for _ in range(n_layers + 2):  # forward, the loss, the output deltas
        pg.phase_step()
    s = state(pg)
    it = s.phase.iteration
    if s.phase.row is None:  # a minibatch without sample 1: select the batch's first
        pg.sample = int(it.batch[0])
        s = state(pg)
    boxes = {b.name: b for b in s.chain}
    record = losses.LOSSES[s.frame.snapshot.settings.loss]
    n = len(it.batch)
    assert boxes["E"].values[0] == it.loss and boxes["E"].grad[0] == 1.0
    # with L2, E is more than the mean of the e: its box says so
    assert boxes["E"].made.endswith("+ ½λ‖w‖²") == bool(settings.get("l2"))
    assert boxes["e"].values[0] == it.sample_losses[s.phase.row]
    assert boxes["e"].grad[0] == (1.0 if record.summed else 1.0 / n)
    row = slice(s.phase.row, s.phase.row + 1)
    T = pg.session.trainer.T[it.batch]
    own = record.gradient(it.z[-1][row], T[row])[0]  # de/dy of this sample alone
    assert np.allclose(boxes["y"].grad, boxes["e"].grad[0] * own, rtol=1e-9, atol=0)
    # outside a walk: the whole set's E, each sample's share of it
    pg = playground(name, **settings)
    pg.set_explain("functions")
    s = state(pg)
    snap = s.frame.snapshot
    boxes = {b.name: b for b in s.chain}
    assert boxes["E"].values[0] == snap.loss
    assert boxes["e"].grad[0] == (1.0 if record.summed else 1.0 / len(snap.inputs))
    own = record.gradient(snap.outputs[:1], snap.targets[:1])[0]
    assert np.allclose(boxes["y"].grad, boxes["e"].grad[0] * own, rtol=1e-9, atol=0)


def test_a_running_landscapes_colour_scale_moves_when_it_can_no_longer_show_the_map():
    from nnplay.explain import colour_scale

    first = np.array([[0.693, 0.70], [0.69, 0.705]])
    scale, kept = colour_scale(first, None)
    assert not kept and scale == pytest.approx((np.log10(0.69), np.log10(0.705)))
    assert colour_scale(first * 1.001, scale) == (scale, True)  # a little off: kept, the same colour for the same loss
    trained = np.array([[0.003, 0.3], [0.01, 0.1]])  # the run went on: far below the first map
    moved, kept = colour_scale(trained, scale)
    assert not kept and moved == pytest.approx((np.log10(0.003), np.log10(0.3)))
    flat = np.array([[0.1, 0.1001], [0.1, 0.1002]])  # inside the scale, but a sliver of it: one flat colour
    assert colour_scale(flat, moved)[1] is False
    exact = np.array([[0.02, 0.3], [0.0, 0.1]])  # the current point trained to exactly 0 (the bump, running long)
    assert colour_scale(exact, None)[0] == pytest.approx((np.log10(0.02), np.log10(0.3)))


def walked(name: str, phases: int, **settings):
    pg = playground(name, **settings)
    for _ in range(phases):
        pg.phase_step()
    return pg, state(pg)


@pytest.mark.parametrize("name, width", [("xor", 118), ("circle", 118), ("circle", 138), ("penguins", 138)])
def test_during_a_walk_the_phases_numbers_outlast_the_accuracy_and_the_test_set(name, width):
    from nnplay.tui.status import status_text

    _, s = walked(name, 3)  # the loss: E on the batch
    text = status_text(name, s, width).plain
    assert "\n" not in text and "phase 3/7 · loss: each sample's, then E" in text
    assert f"E = {s.phase.iteration.loss:.6g} on " in text
    assert len(text) <= width and "…" not in text


def test_on_a_small_terminal_the_walk_takes_a_second_status_line_whole():
    from nnplay.tui.status import status_text

    pg, s = walked("xor", 4)
    first, second = status_text("XOR", s, 78).plain.split("\n")
    assert first.startswith("XOR│step 0│loss 0.698212 (bce)")
    assert second.startswith("phase 4/7 · backward: deltas of the output layer")
    pg.phase_step()
    pg.phase_step()  # the gradients: the selected weight's number, whole
    first, second = status_text("XOR", state(pg), 78).plain.split("\n")
    assert second.startswith("phase 6/7 · gradients") and state(pg).phase.note in second
    assert "…" not in second and len(second) <= 78
    assert "\n" not in status_text("XOR", state(playground()), 78).plain  # no walk: one line


def test_with_minibatches_the_status_line_says_the_loss_is_the_whole_sets():
    from nnplay.tui.status import status_text

    _, s = walked("xor", 3, batch_size=2)
    text = status_text("XOR", s, 300).plain
    assert "(bce, whole set)" in text and "E = " in text and " on 2 samples" in text
    assert "whole set" not in status_text("XOR", walked("xor", 3)[1], 300).plain  # full batch: the same set


def test_each_samples_own_loss_is_given_from_the_loss_phase_on():
    pg, s = walked("xor", 2)  # forward done, the loss not yet
    assert np.isnan(s.sample_loss)
    pg.phase_step()
    for sample in range(4):
        pg.sample = sample
        s = state(pg)
        assert s.sample_loss == s.phase.iteration.sample_losses[s.phase.row]
    assert np.mean(s.phase.iteration.sample_losses) == pytest.approx(s.phase.iteration.loss, rel=1e-12)
    plain = state(playground())  # outside a walk: the loss's own function on the sample's row
    snap = plain.frame.snapshot
    y, t = snap.outputs[0, 0], snap.targets[0, 0]
    assert plain.sample_loss == pytest.approx(-(t * np.log(y) + (1 - t) * np.log(1 - y)), rel=1e-9)



def test_a_minibatch_walk_starts_on_a_sample_of_its_batch_and_says_so():
    pg = playground("spiral")  # batches of 9 of 45 samples
    batch = list(pg.session.frame().snapshot.next_batch)
    outside = next(i for i in range(45) if i not in batch)
    pg.sample = outside
    outcome = pg.phase_step()
    assert pg.sample == batch[0] and state(pg).phase.row == 0
    assert [n.text for n in outcome.notices] == [
        f"Sample {outside + 1} is not in this step's batch of 9: showing sample {batch[0] + 1}, the batch's first."]
    assert not pg.phase_step().notices  # the next phase of the same walk: no word, and the learner's choice stays
    inside = batch[3]
    pg = playground("spiral")
    pg.sample = inside
    assert not pg.phase_step().notices and pg.sample == inside  # a sample of the batch is kept
