"""The f key through the presenter: each phase shows what the iteration has computed and no more, the update is
the step's own, b goes back to before the iteration, space finishes it as a plain step does, and the status
line names the phase; in a backward phase the diagram is given the δ flowing back along one layer's weights; the
chain rule reads the walk's numbers, the nudge, sweep and landscape the state before the iteration."""

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
    assert s.phase.note == f"sample {pg.sample + 1} is not in the batch"  # why it shows nothing
    pg.sample = int(batch[0])
    assert state(pg).phase.note == ""


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


# -- δ flowing back along the diagram's edges (the backward phases) ------------------------------------------

@pytest.mark.parametrize("phases, layer", [(4, 1), (5, 0)])
def test_a_backward_phase_carries_its_deltas_along_its_layers_weights(phases, layer):
    pg = playground()
    pg.step(100)
    s = walk(pg, phases)
    it, flow = s.phase.iteration, s.flow
    assert flow is not None and flow.layer == layer
    net = pg.session.network
    assert [net.locate(int(i))[:2] for i in np.flatnonzero(flow.carries)] == [(layer, "W")] * net.shapes[layer][0] \
        * net.shapes[layer][1]  # that layer's weights, every one, and no bias
    Ws, _ = net.unflatten(s.frame.snapshot.params)
    delta = it.delta[layer][0]  # sample 1's δ, as the phases module computed it
    for j, k in np.ndindex(*Ws[layer].shape):
        assert flow.carried[net.index_of(layer, "W", (j, k))] == Ws[layer][j, k] * delta[k]
    assert np.isnan(flow.carried[~flow.carries]).all()
    assert np.array_equal(flow.deltas[layer], delta)
    # the layers above keep theirs, those below are not known yet
    assert all((d is not None) == (k >= layer) for k, d in enumerate(flow.deltas))


def test_no_flow_outside_the_backward_phases():
    pg = playground()
    assert state(pg).flow is None
    for phase in range(1, 8):
        s = walk(pg, 1)
        assert (s.flow is not None) == (phase in (4, 5))


def test_a_sample_outside_the_batch_carries_nothing_known():
    pg = playground("spiral")
    batch = pg.session.frame().snapshot.next_batch
    walk(pg, 1)  # (the walk starts on a sample of its batch: the learner then picks one outside it)
    pg.sample = next(i for i in range(45) if i not in batch)
    flow = walk(pg, 4).flow  # backward: deltas of the output layer
    assert flow.carries.any() and np.isnan(flow.carried).all() and np.isnan(flow.deltas[-1]).all()


# -- the explain views during a walk -------------------------------------------------------------------------

def test_the_chain_rule_during_a_walk_reads_the_walks_batch_and_numbers():
    pg = playground("spiral")  # minibatches: the chain rule makes a pass over the batch of its own outside a walk
    pg.step(30)
    pg.select(pg.session.network.index_of(0, "W", (1, 3)))
    pg.set_explain("chain-rule")
    s = walk(pg, 2)  # forward done, no δ yet
    it, rule = s.phase.iteration, s.explain
    assert np.array_equal(rule.batch, it.batch)
    assert np.array_equal(rule.z_source, pg.session.trainer.X[it.batch][:, 1])
    assert np.isnan(rule.delta).all() and math.isnan(rule.gradient)  # not computed yet: not shown
    s = walk(pg, 3)  # back to layer 1
    rule = s.explain
    assert np.array_equal(rule.delta, it.delta[0][:, 3]) and math.isnan(rule.gradient)
    assert np.array_equal(rule.next_deltas, it.delta[1][rule.row])
    s = walk(pg, 1)  # the gradients
    rule = s.explain
    assert rule.gradient == it.grad[pg.selected] and math.isclose(rule.products.sum() + rule.l2_term, rule.gradient)


def made(pg: Playground):
    """The view state once the slow view asked for is made (as the screen's worker makes it)."""
    job = pg.take_job()
    if job is not None:
        assert pg.made(job.key, job.run(lambda: False))
    return state(pg)


@pytest.mark.parametrize("mode", ["nudge", "sweep"])
def test_the_views_around_the_weight_show_the_state_before_the_iteration_and_say_so(mode):
    pg = playground()
    pg.step(100)
    whole = pg.session.frame().snapshot  # the state before the iteration, its whole-set gradient known
    pg.set_explain(mode)
    walk(pg, 2)  # asked for during the walk, before its gradients: still the state's own numbers
    s = made(pg)
    assert s.walk_note == "before this iteration"
    gradient = s.explain.gradient
    assert gradient == whole.grad[pg.selected]  # (the walk's snapshot has none yet: NaN)
    assert (s.explain.loss if mode == "nudge" else s.explain.current_loss) == whole.loss
    pg.back(1)  # the walk dropped: the same state, the same numbers, no note
    s = made(pg)
    assert s.walk_note == "" and s.explain.gradient == gradient


def test_the_landscape_during_a_walk_is_the_state_before_it():
    pg = playground()
    pg.step(100)
    pg.next_landscape()  # random directions
    centre = pg.session.trainer.current_loss()
    walk(pg, 3)
    s = made(pg)
    surface, _ = s.landscape
    rows, cols = surface.losses.shape
    assert s.walk_note == "before this iteration" and surface.losses[rows // 2, cols // 2] == centre


def test_no_note_on_the_views_that_show_the_walks_numbers():
    pg = playground()
    for mode in ("inspector", "chain-rule", "functions"):
        pg.set_explain(mode)
        assert walk(pg, 1).walk_note == ""
    pg.set_explain("nudge")
    s = walk(pg, 4)  # phases 4 to 7
    assert s.phase.phase.kind == "update" and s.walk_note == ""  # after the update: the state shown is the step's own
