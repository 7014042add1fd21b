"""The f key through the presenter: each phase shows what the iteration has computed and no more, the update is
the step's own, b goes back to before the iteration, space finishes it as a plain step does, and the status
line names the phase."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnplay
from nnplay.playground import Playground
from nnplay.scenario import load
from nnplay.session import Session
from nnplay.tui.status import status_text


def playground(name: str = "xor", **settings) -> Playground:
    session = Session(load(name))
    if settings:
        session.change_settings(**settings)
    return Playground(session)


def state(pg: Playground):
    return pg.view_state(pg.session.frame())


def walk(pg: Playground, phases: int):
    for _ in range(phases):
        pg.phase_step()
    return state(pg)


def test_forward_fills_layer_by_layer_and_nothing_else():
    pg = playground()
    before = pg.session.frame().snapshot
    s = walk(pg, 1)
    assert s.phase is not None and s.phase.text == "phase 1/7 · forward: layer 1"
    first, out = s.frame.snapshot.layers
    assert np.array_equal(first.z, before.layers[0].z) and np.array_equal(first.u, before.layers[0].u)
    assert np.isnan(out.z).all() and np.isnan(first.delta).all() and np.isnan(out.delta).all()
    assert np.isnan(first.dW).all() and np.isnan(s.frame.snapshot.next_update).all()
    assert s.update is None  # the inspector's next update: not known yet
    assert pg.session.trainer.step_count == 0


def test_backward_fills_from_the_output_and_the_gradients_are_the_steps():
    pg = playground()
    before = pg.session.frame().snapshot
    s = walk(pg, 4)
    assert s.phase.text == "phase 4/7 · backward: deltas of the output layer"
    first, out = s.frame.snapshot.layers
    assert np.array_equal(out.delta, before.layers[1].delta) and np.isnan(first.delta).all()
    assert np.isnan(first.dW).all()
    s = walk(pg, 1)
    assert s.phase.text == "phase 5/7 · backward: deltas of layer 1"
    assert np.array_equal(s.frame.snapshot.layers[0].delta, before.layers[0].delta)
    s = walk(pg, 1)
    assert s.phase.phase.kind == "gradients"
    assert np.array_equal(s.frame.snapshot.grad, before.next_grad)  # full batch: the gradient on screen
    index = pg.selected
    assert s.phase.note == f"dE/d{pg.label(index)} = Σ δ·z = {before.next_grad[index]:+.6g}"


def test_the_loss_phase_gives_each_samples_loss_and_the_batchs():
    pg = playground()
    s = walk(pg, 3)
    it = s.phase.iteration
    assert s.phase.phase.kind == "loss" and s.phase.note == f"E = {it.loss:.6g} on 4 samples"
    assert it.loss == pg.session.trainer.current_loss()  # full batch, no l2: the whole set's loss
    assert len(it.sample_losses) == 4 and math.isclose(it.sample_losses.mean(), it.loss)


@pytest.mark.parametrize("name, settings", [("xor", {}), ("xor", {"optimizer": "adam"}),
                                            ("spiral", {"optimizer": "adam", "batch_size": 16})])
def test_the_update_phase_is_the_step_and_equals_a_plain_step(name, settings):
    pg = playground(name, **settings)
    pg.step(2)
    plain = nnplay.load(name).make_trainer()
    if settings:
        plain.change_settings(**settings)
    plain.step(3)
    it = walk(pg, 6).phase.iteration
    assert pg.session.trainer.step_count == 2
    s = walk(pg, 1)
    assert s.phase.phase.kind == "update" and s.phase.text.startswith("phase 7/7")
    t = pg.session.trainer
    assert t.step_count == 3
    assert np.array_equal(t.params, plain.params) and np.array_equal(t.last_update, it.update)
    assert np.array_equal(s.frame.snapshot.params, plain.params)  # the state after the step, shown as it is


def test_space_finishes_the_iteration_as_space_alone_does():
    pg, alone = playground(), playground()
    walk(pg, 4)
    pg.step(1)
    alone.step(1)
    assert np.array_equal(pg.session.trainer.params, alone.session.trainer.params)
    assert state(pg).phase is None  # the walk is over


@pytest.mark.parametrize("phases", [1, 5, 6, 7])
def test_b_goes_back_to_before_the_iteration_exactly(phases):
    pg = playground(optimizer="adam")
    pg.step(3)
    t = pg.session.trainer
    params, state_before = t.params.copy(), {k: v.copy() for k, v in t.optimizer.state().items()}
    walk(pg, phases)
    pg.back(1)
    assert t.step_count == 3 and np.array_equal(t.params, params)
    assert all(np.array_equal(v, state_before[k]) for k, v in t.optimizer.state().items())
    assert state(pg).phase is None


def test_f_after_the_update_starts_the_next_iteration():
    pg = playground()
    walk(pg, 7)
    s = walk(pg, 1)
    assert s.phase.text == "phase 1/7 · forward: layer 1" and s.phase.iteration.step == 1


def test_a_sample_outside_the_batch_stays_unknown():
    pg = playground("spiral")  # batches of 9 of 45 samples
    batch = pg.session.frame().snapshot.next_batch
    walk(pg, 1)  # (the walk starts on a sample of its batch: the learner then picks one outside it, n / p)
    pg.sample = next(i for i in range(45) if i not in batch)
    s = walk(pg, 1)
    assert s.phase.row is None
    assert np.isnan(s.frame.snapshot.layers[0].z[pg.sample]).all()
    assert not np.isnan(s.frame.snapshot.layers[0].z[batch]).any()


def test_the_status_line_names_the_phase():
    pg = playground()
    s = walk(pg, 5)
    text = status_text("XOR", s, 200).plain
    assert "phase 5/7 · backward: deltas of layer 1" in text
    assert "phase" not in status_text("XOR", state(playground()), 200).plain


def test_the_chain_of_functions_during_a_walk():
    pg = playground()
    pg.set_explain("functions")
    before = pg.session.frame().snapshot
    boxes = walk(pg, 2).chain
    assert [b.name for b in boxes] == ["x", "u1", "z1", "u2", "y", "e", "E"]
    assert np.array_equal(boxes[4].values, before.layers[1].z[0])  # y of sample 1, known after forward 2
    assert np.isnan(boxes[5].values).all() and np.isnan(boxes[3].grad).all()  # the loss and δ: not yet
    s = walk(pg, 3)  # backward to layer 1
    boxes = s.chain
    assert boxes[5].values[0] == s.phase.iteration.sample_losses[0]  # sample 1's own loss
    assert np.array_equal(boxes[1].grad, before.layers[0].delta[0])  # δ1 of sample 1
    W2 = pg.session.network.unflatten(before.params)[0][1]
    assert np.array_equal(boxes[2].grad, before.layers[1].delta[0] @ W2.T)  # dE/dz1 = δ2 · W2ᵀ


def test_a_lesson_page_goes_to_its_phase():
    pg = playground()
    page = next(i for i, p in enumerate(pg.scenario.lessons) if p.title == "Deltas flowing back")
    pg.lesson(page)  # from the first page
    s = state(pg)
    assert s.phase is not None and s.phase.text == "phase 5/7 · backward: deltas of layer 1"
    assert pg.explain_mode == "functions"


def test_not_yet_known_replaces_each_nan_and_keeps_the_styles():
    from rich.text import Text

    from nnplay.tui.colors import fmt, not_yet_known

    text = Text("g = ")
    text.append("+nan", style="bold")
    text.append(" · 0.5 = −nan, nanny")
    out = not_yet_known(text, "·")
    assert out.plain == "g =    · · 0.5 =    ·, nanny"  # each NaN in its own width; a word is left alone
    assert out.spans[0].style == "bold" and out.plain[out.spans[0].start:out.spans[0].end] == "   ·"
    assert fmt(float("nan"), 6, "·") == "     ·" and fmt(float("nan"), 6) == "   nan"
