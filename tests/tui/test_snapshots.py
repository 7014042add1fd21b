"""Pictures of the main screen: each bundled scenario at step 0 and after 50 steps.

Regenerate after an intended change with: pytest tests/tui/test_snapshots.py --snapshot-update
(and look at the report before committing the new pictures).
"""

import pytest

from .conftest import make_app, settled

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

SCENARIOS = ["bump", "sentiment", "spiral", "xor"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_step_0(snap_compare, name):
    assert snap_compare(make_app(name), terminal_size=(140, 45))


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_50_steps(snap_compare, name):
    assert snap_compare(make_app(name), press=["full_stop"] * 5, terminal_size=(140, 45))


def test_80x24_decision_map(snap_compare):
    assert snap_compare(make_app("xor"), press=["greater_than_sign", "greater_than_sign", "greater_than_sign", "2"],
                        terminal_size=(80, 24))


def test_help_screen(snap_compare):
    assert snap_compare(make_app("xor"), press=["question_mark"], terminal_size=(100, 40))


# the explain views, each on the weight h1 -> xor after 100 steps
@pytest.mark.parametrize("presses", [1, 2, 3, 4], ids=["chain-rule", "nudge", "sweep", "landscape"])
def test_explain_views(snap_compare, presses):
    keys = ["greater_than_sign"] + ["w"] * 6 + ["v"] * presses
    assert snap_compare(make_app("xor"), press=keys, terminal_size=(140, 45))


def test_unit_maps(snap_compare):
    assert snap_compare(make_app("spiral"), press=["greater_than_sign", "greater_than_sign", "u"], terminal_size=(140, 45))


def test_cost_calculator(snap_compare):
    assert snap_compare(make_app("sentiment"), press=["C", "0", ".", "9", "9", "7"], terminal_size=(120, 36))


def test_secants_of_the_nudge_check(snap_compare):
    """Rise over run on a curved loss: bump after 50 steps, its first weight."""
    assert snap_compare(make_app("bump"), press=["full_stop"] * 5 + ["v", "v"], terminal_size=(120, 40))


def test_cost_curves_of_three_classes(snap_compare):
    """−log p of the right class, and every other loss, as the probability it is given moves."""
    async def enter(pilot):
        await pilot.press("C")
        await pilot.pause()
        pilot.app.screen.query_one("#target").value = "0, 1, 0"
        pilot.app.screen.query_one("#prediction").value = "0.2, 0.7, 0.1"
        await pilot.press("end")  # the cursor after the numbers, none selected

    assert snap_compare(make_app("spiral"), run_before=enter, terminal_size=(120, 40))


def test_lesson_page(snap_compare):
    assert snap_compare(make_app("bump"), press=["right_curly_bracket"] * 3, terminal_size=(140, 45))


# one iteration phase by phase (f), after 100 steps, with the chain of functions in the explain pane: every
# phase of xor's 2 · 2 + 3
@pytest.mark.parametrize("phases", [1, 2, 3, 4, 5, 6, 7],
                         ids=["forward-layer-1", "forward-output", "loss", "backward-output", "backward-layer-1",
                              "gradients", "update"])
def test_phases(snap_compare, phases):
    keys = ["greater_than_sign"] + ["v"] * 5 + ["f"] * phases
    assert snap_compare(make_app("xor"), press=keys, terminal_size=(140, 45))


def landscape_after(keys):
    """A run_before: press ``keys``, then wait until the explain view's numbers are made (the fine grid too)."""
    async def run(pilot):
        await pilot.press(*keys)
        await settled(pilot)
    return run


# the landscape along each kind of directions (L), xor after 100 steps
# (two weights, the first kind, is test_explain_views[landscape])
@pytest.mark.parametrize("presses", [1, 2, 3, 4], ids=["random", "random-1d", "pca", "pca-1d"])
def test_landscape_directions(snap_compare, presses):
    assert snap_compare(make_app("xor"), run_before=landscape_after(["greater_than_sign"] + ["L"] * presses),
                        terminal_size=(140, 45))
