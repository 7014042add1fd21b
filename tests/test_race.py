"""Races in the playground: ghosts in lockstep with the live run, and running until the loss falls below X
(the session and the presenter; no Textual)."""

import numpy as np
import pytest

from nnplay.playground import Playground
from nnplay.scenario import load
from nnplay.session import GHOSTS, Session


def run_out(session: Session) -> None:
    """The training thread's loop, here: until it stops by itself."""
    session.train(lambda: False, lambda frame: None)


def test_ghosts_step_in_lockstep_each_as_a_separate_run_of_its_settings_would():
    session = Session(load("bump"))
    session.step(7)
    twin = session.trainer.clone()  # the state the ghost is pinned from
    assert session.pin_ghost() == 1
    session.change_momentum(-1)  # the live run changes; the ghost keeps 0.9
    session.step(1)
    session.step(30)
    session.run_to(80)
    assert session.trainer.step_count == 80
    ghost = session._ghosts[0].trainer
    assert ghost.step_count == 80 and ghost.settings.momentum == 0.9
    assert session.trainer.settings.momentum == 0.8
    twin.step(73)
    assert np.array_equal(ghost.params, twin.params)  # bit for bit
    assert not np.array_equal(ghost.params, session.trainer.params)


def test_running_flat_out_keeps_the_ghosts_in_step():
    session = Session(load("xor"))
    session.pin_ghost(learning_rate=2.0)
    session.pin_ghost(momentum=0.5)
    assert session.run_to(8000)  # many steps: the training thread, flat out
    run_out(session)
    assert session.trainer.step_count == 8000
    assert [g.trainer.step_count for g in session._ghosts] == [8000, 8000]
    frame = session.frame()
    assert [r.number for r in frame.race] == [0, 1, 2]
    assert [r.step for r in frame.race] == [8000] * 3
    assert frame.race[1].label == "η 2" and frame.race[2].label == "α 0.5"
    assert frame.race[0].label == "η 0.5, α 0.9"  # the live run: what differs from any ghost


def test_step_back_moves_every_run_and_stops_at_the_start_of_the_race():
    session = Session(load("bump"))
    session.step(20)
    session.pin_ghost(momentum=0.0)
    session.step(15)
    assert session.back(10) == 10
    assert session.trainer.step_count == 25 and session._ghosts[0].trainer.step_count == 25
    assert session.back(10) == 5  # not past the race's start
    assert session.trainer.step_count == session._ghosts[0].trainer.step_count == 20
    assert session.back(1) == 0 and session.race_start == 20
    # the live run's own change at the race's start is still undone by a step back, as without ghosts
    session.change_learning_rate(1)
    session.back(1)
    assert session.trainer.settings.learning_rate == 0.3
    assert session.trainer.step_count == 20


def test_restart_sends_every_run_to_step_0_with_its_own_settings():
    scenario = load("bump")
    session = Session(scenario)
    session.step(40)
    session.pin_ghost()
    session.change_settings(momentum=0.0, learning_rate=0.5)
    session.step(10)
    session.restart_race()
    assert session.race_start == 0
    session.step(25)
    for t, changes in ((session.trainer, {"momentum": 0.0, "learning_rate": 0.5}),
                       (session._ghosts[0].trainer, {})):
        fresh = scenario.make_trainer()
        if changes:
            fresh.change_settings(**changes)
        fresh.step(25)
        assert t.step_count == 25
        assert np.array_equal(t.params, fresh.params)


def test_clearing_the_ghosts_and_the_most_there_can_be():
    session = Session(load("xor"))
    for number in range(1, GHOSTS + 1):
        assert session.pin_ghost() == number
    with pytest.raises(ValueError, match="ctrl\\+g"):
        session.pin_ghost()
    assert session.ghosts == GHOSTS
    assert session.clear_ghosts() == GHOSTS
    assert session.ghosts == 0 and session.race_start is None and session.frame().race == ()
    session.step(3)
    assert session.back(3) == 3  # no race: back to step 0


def test_a_diverging_ghost_stops_and_the_live_run_goes_on():
    session = Session(load("bump"))
    session.pin_ghost(learning_rate=50.0)
    session.step(300)
    frame = session.frame()
    live, ghost = frame.race
    assert frame.snapshot.step == 300 and not frame.snapshot.diverged
    assert ghost.diverged_at is not None and ghost.step == ghost.diverged_at < 300
    assert ghost.loss_steps[-1] <= ghost.diverged_at  # its curve ends there


def test_the_tenth_column_is_the_first_step_below_a_tenth_of_the_start():
    session = Session(load("bump"))
    session.pin_ghost(momentum=0.0)
    session.step(400)
    live, ghost = session.frame().race
    history = session.trainer.loss_history()
    assert live.tenth_at is not None
    assert history[live.tenth_at] < history[0] / 10 <= history[live.tenth_at - 1]
    ghost_history = session._ghosts[0].trainer.loss_history()
    expected = np.flatnonzero(ghost_history < ghost_history[0] / 10)
    assert ghost.tenth_at == (int(expected[0]) if len(expected) else None)
    session.back(400 - live.tenth_at + 1)  # back before it: not found any more
    assert session.frame().race[0].tenth_at is None


@pytest.mark.parametrize("name, batch", [("bump", 0), ("circle", 16)])
def test_until_the_loss_falls_below_x_stops_at_exactly_the_first_step(name, batch):
    session = Session(load(name))
    if batch:
        session.change_settings(batch_size=batch)
    start = session.trainer.current_loss()
    x = start / 20
    assert session.run_until(x)
    run_out(session)
    t = session.trainer
    n = t.step_count
    assert not session.running and session.until is None
    assert t.history.at(n) < x <= t.history.at(n - 1)
    assert t.history.first_below(x, 1) == n
    assert session.frame().reached == f"Loss below {x:g} at step {n}."


def test_until_reports_each_ghost_and_a_loss_below_already():
    session = Session(load("bump"))
    session.pin_ghost(momentum=0.0)
    x = session.trainer.current_loss() / 10
    assert session.run_until(x)
    run_out(session)
    n = session.trainer.step_count
    assert session._ghosts[0].trainer.step_count == n
    assert session.message == f"Loss below {x:g} at step {n}; ghost 1: not yet."
    assert not session.run_until(1e9)
    assert "already" in session.message


def test_pausing_cancels_running_until_a_loss():
    session = Session(load("xor"))
    assert session.run_until(1e-9)
    session.pause()
    assert session.until is None and not session.running


# -- the presenter: keys G, ctrl+g, 0, b, U, and the lesson's race ---------------------------------

def playground(name: str = "bump") -> Playground:
    return Playground(Session(load(name)))


def texts(outcome) -> str:
    return " ".join(notice.text for notice in outcome.notices)


def test_the_fourth_pin_is_refused_with_a_notice():
    pg = playground()
    for number in range(1, GHOSTS + 1):
        assert f"Ghost {number} pinned at step 0" in texts(pg.pin_ghost())
    outcome = pg.pin_ghost()
    assert "3 ghosts race already" in texts(outcome) and outcome.notices[0].severity == "warning"
    assert pg.session.ghosts == GHOSTS
    assert "Cleared 3 ghosts" in texts(pg.clear_ghosts()) and pg.session.ghosts == 0
    assert "No ghosts race" in texts(pg.clear_ghosts())


def test_step_back_at_the_race_start_says_why_and_what_to_do():
    pg = playground()
    pg.step(10)
    pg.pin_ghost()
    pg.step(3)
    assert "started at step 10" in texts(pg.back(10)) and pg.session.trainer.step_count == 10
    assert "ctrl+g clears the ghosts, 0 restarts the race" in texts(pg.back(1))
    pg.momentum(-1)  # a change at the race's start: one step back undoes it, and says nothing
    assert texts(pg.back(1)) == "" and pg.session.trainer.settings.momentum == 0.9


def test_zero_restarts_the_race_and_without_ghosts_resets():
    pg = playground()
    pg.step(30)
    pg.pin_ghost()
    pg.momentum(-1)
    pg.step(5)
    assert "The race starts again" in texts(pg.reset())
    assert pg.session.trainer.step_count == 0 and pg.session.trainer.settings.momentum == 0.8
    assert pg.session.ghosts == 1 and pg.session._ghosts[0].trainer.settings.momentum == 0.9
    pg.clear_ghosts()
    assert "scenario's own settings" in texts(pg.reset()) and pg.session.trainer.settings.momentum == 0.9


def test_the_until_prompt_takes_a_positive_number_only():
    assert Playground.until_problem("") is None
    for wrong in ("0", "-1", "abc", "nan", "inf"):
        assert Playground.until_problem(wrong) == f"Not a positive number: {wrong!r}"
    assert Playground.until_problem("1e-3") is None
    pg = playground()
    outcome = pg.run_until("0.01")
    assert outcome.train and pg.session.until == 0.01
    assert not pg.run_until("abc").train  # (the prompt keeps a wrong value; nothing runs)


def test_the_lesson_race_page_races_momentum_against_plain_gradient_descent():
    pg = playground()
    index = next(i for i, page in enumerate(pg.scenario.lessons) if page.action and page.action.race)
    pg.step(12)
    pg.pin_ghost()  # the learner's own race goes: the page starts its own
    pg.lesson_index = index - 1
    outcome = pg.lesson(1)
    session = pg.session
    if outcome.train:
        run_out(session)
    assert session.trainer.settings.momentum == 0.9 and session.ghosts == 1
    assert session._ghosts[0].trainer.settings.momentum == 0.0
    live, ghost = session.frame().race
    assert (live.label, ghost.label) == ("α 0.9", "α 0")
    assert live.step == ghost.step == 400 and session.race_start == 0
    assert live.tenth_at == 218 and ghost.tenth_at is None  # what the page's text says
    pg.lesson_index = 1
    pg.lesson(-1)  # the first page resets: it starts without the race
    assert session.ghosts == 0


def test_an_edit_opens_a_new_run_without_the_ghosts_and_says_so():
    pg = playground()
    pg.pin_ghost()
    edit = pg.network_edit([(4, "sigmoid"), (1, "linear")], "sse")
    assert not isinstance(edit, str)
    outcome = pg.apply(edit)
    assert outcome.open is not None and outcome.open.ghosts == 0
    assert "the ghosts were cleared" in texts(outcome)
