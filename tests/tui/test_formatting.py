"""Numbers and axes as the panes print them."""

import math
import re

import pytest

from nnplay import explain
from nnplay.tui.chain_rule import update_text
from nnplay.tui.colors import NEGATIVE, NEUTRAL, POSITIVE, fmt, number, signed, text_on
from nnplay.tui.lossplot import ladder_ticks, log_ticks, placed_labels


@pytest.mark.parametrize("value,width,expected", [
    (0.62, 5, "+0.62"), (-0.0003, 5, "-3e-4"), (0.0031, 6, "+0.003"), (123.4, 6, "+123.4"),
    (1234567, 6, "+1.2e6"), (0, 5, "    0"), (math.nan, 5, "  nan"), (math.inf, 5, " +inf"), (1e-12, 6, "+1e-12"),
])
def test_fmt(value, width, expected):
    assert fmt(value, width) == expected


def test_fmt_never_lies_to_fit():
    # wider than asked rather than a wrong number
    assert fmt(1e-12, 5) == "+1e-12"
    for v in (0.5, -7.25, 3e-7, -4e11, 99.99):
        assert float(fmt(v, 8)) == pytest.approx(v, rel=0.05)


def test_colour_scale():
    assert signed(0.0, 1.0) == NEUTRAL
    assert signed(1.0, 1.0) == POSITIVE and signed(-5.0, 1.0) == NEGATIVE
    assert text_on((250, 250, 250)) == (0, 0, 0) and text_on((10, 10, 10)) == (255, 255, 255)


def test_log_ticks():
    positions, labels = log_ticks(-5.2, 0.1)
    assert labels == ["1e-05", "0.0001", "0.001", "0.01", "0.1", "1"]
    # between one and two decades (xor's run to 450 steps, 0.045 to 0.696): 1, 2, 5 times a power of ten, so the
    # lower decade is labelled too (linear round values, 0.2 0.4 0.6, left it bare)
    positions, labels = log_ticks(math.log10(0.045), math.log10(0.696))
    assert labels == ["0.05", "0.1", "0.2", "0.5"] and positions == pytest.approx([math.log10(v) for v in (0.05, 0.1, 0.2, 0.5)])
    assert log_ticks(math.log10(0.011), math.log10(0.99), most=3)[1] == ["0.02", "0.1", "0.5"]  # a small pane: every other
    positions, labels = log_ticks(-0.33, 0.12)  # less than a decade: round values inside it
    assert labels == ["0.6", "0.8", "1.0", "1.2"] and positions[2] == 0.0
    # a sliver of a decade (the loss plot after one step): each label its own, however close
    positions, labels = log_ticks(math.log10(0.6981), math.log10(0.69822))
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    assert all(math.log10(0.6981) <= p <= math.log10(0.69822) for p in positions)
    assert [float(label) for label in labels] == pytest.approx([10 ** p for p in positions], rel=1e-9)
    positions, labels = log_ticks(-31, 0)
    assert len(positions) <= 6 and labels[0] == "1e-31"


@pytest.mark.parametrize("value,spec,expected", [
    (-0.0, "+.4g", "0"), (0.0, "+.4g", "0"), (-0.0, "g", "0"), (-0.001, "+.2f", "0"), (-0.004, ".2f", "0"),
    (0.004, "+.2f", "0"), (-0.0, ".10g", "0"), (-1e-20, "+.4g", "-1e-20"), (-0.006, "+.2f", "-0.01"),
    (1.5, "+.3g", "+1.5"), (-2.5, ".6g", "-2.5"), (math.inf, "+.4g", "+inf"), (math.nan, "g", "nan"),
    (100, "g", "100"), (1e-5, ".3g", "1e-05"),
])
def test_a_number_that_rounds_to_zero_prints_as_0(value, spec, expected):
    assert number(value, spec) == expected


@pytest.mark.parametrize("value", [-0.0, -1e-300, -4e-7, -0.0049])
def test_no_formatter_prints_minus_zero(value):
    for spec in ("g", "+g", ".3g", "+.4g", ".2f", "+.2f", ".6g", "+.8g", ".10g", ".0f"):
        text = number(value, spec)
        assert not text.startswith(("-0", "+0")) or any(c in "123456789" for c in text.split("e")[0]), (spec, text)
    for width in range(4, 12):
        assert not re.fullmatch(r"[-+]0*\.?0*(e[-+]?\d+)?", fmt(value, width).strip()), width


def test_the_update_line_never_says_minus_zero():
    from nnplay.engine.optimizers import Line
    from nnplay.figures import Update

    def sgd(g: float, alpha: float, prev: float, value: float, batch: int, full: bool) -> Update:
        line = Line("Δw", "−η·g + α·Δw_prev", "−{η}·{g} + {α}·{Δw_prev}", {"η": 0.5, "g": g, "α": alpha, "Δw_prev": prev},
                    value)
        return Update("sgd", 0.5, g, batch, full, (line,))

    text = update_text(sgd(-0.0, 0.0, -0.0, -0.0, 4, True))
    assert text == "next update, sgd, with g = 0:\nΔw = −η·g + α·Δw_prev = −0.5·0 + 0·0 = 0"
    batch = update_text(sgd(0.25, 0.9, -0.125, -0.2375, 2, False))
    assert batch.startswith("next update, sgd, with g = +0.25 on the next batch of 2:") and batch.endswith("= −0.2375")
    brief = update_text(sgd(0.25, 0.9, -0.125, -0.2375, 2, False), brief=True)
    assert brief == "next update (sgd on the next batch of 2): Δw = −η·g + α·Δw_prev = −0.5·0.25 + 0.9·(−0.125) = −0.2375"


@pytest.mark.parametrize("lo,hi", [(0, 200), (0, 7), (0, 1), (0, 12345), (100, 150), (999_990, 1_000_010), (3, 3.5)])
def test_the_step_axis_has_whole_number_ticks(lo, hi):
    positions, labels = ladder_ticks(lo, hi, whole=True)
    assert 1 <= len(positions) <= 6
    assert all(p == int(p) and lo <= p <= hi for p in positions)
    assert labels == [str(int(p)) for p in positions]
    steps = {b - a for a, b in zip(positions, positions[1:])}
    assert len(steps) <= 1  # evenly spaced


def test_ticks_read_0_at_zero_and_follow_1_2_5():
    positions, labels = ladder_ticks(-1.24, 0.76, most=5)
    assert labels == ["-1.0", "-0.5", "0", "0.5"] and positions[2] == 0
    positions, labels = ladder_ticks(-0.0001, 0.00015, most=5)
    assert "0" in labels and not any(label.startswith("-0.0000") and float(label) == 0 for label in labels)
    assert ladder_ticks(2.0, 2.0) == ([2.0], ["2"])


def test_marker_labels_fit_and_do_not_overlap():
    markers = [(6, "l2 0.1"), (10, "loss mse"), (12, "η 1"), (50, "batch 4"), (98, "α 0.5")]
    placed = placed_labels(markers, 0, 100, 50)  # two steps a cell
    assert [step for step, *_ in placed] == [6, 10, 12, 50, 98]
    shown = {step: rest for step, *rest in placed}
    assert shown[98] == ["α 0.5", "right", 0]      # at the right edge: it ends at its line
    assert shown[50] == ["batch 4", "left", 0]
    assert shown[12] == ["η 1", "left", 0]
    assert shown[10] == ["loss mse", "left", 1]  # it would run into "η 1": the row below
    assert shown[6][0] == ""  # no room on either row: its line only
    assert placed_labels([(500, "late")], 0, 100, 50) == []


def test_the_status_line_names_the_loss_and_the_state_before_an_edit():
    from nnplay.playground import Playground
    from nnplay.scenario import load
    from nnplay.session import Session
    from nnplay.tui.status import status_text

    pg = Playground(Session(load("xor")))
    pg.step(10)
    pg.loss()
    line = status_text("XOR", pg.view_state(pg.session.frame())).plain
    assert "step 10 │" in line and f"loss {pg.session.trainer.current_loss():.6g} (mse)" in line
    pg.back(1)
    line = status_text("XOR", pg.view_state(pg.session.frame())).plain
    assert "step 10, before the edit (loss mse) │" in line and "(bce)" in line


def test_the_softmax_delta_line_names_the_batchs_n_and_only_for_cce():
    from nnplay import figures
    from nnplay.scenario import load
    from nnplay.tui.chain_rule import chain_rule_text

    s = load("spiral")
    t = s.make_trainer()
    t.step(3)
    names = figures.unit_names(s.data.input_names, [layer.units for layer in s.layers], s.data.output_names)
    index = t.network.index_of(1, "W", (0, 2))
    snap = t.snapshot()
    rule = explain.chain_rule(snap, t.network, index, sample=int(snap.next_batch[0]))
    text = chain_rule_text(rule, "w", names, rule.sample).plain
    assert f"with cce that is (y − t)/{len(snap.next_batch)}\n" in text and len(snap.next_batch) == 9
    t.change_settings(loss="mse")
    rule = explain.chain_rule(t.snapshot(), t.network, index, sample=rule.sample)
    assert "with cce" not in chain_rule_text(rule, "w", names, rule.sample).plain


def test_a_ranges_ends_differ_when_its_numbers_do():
    from nnplay.tui.scales import ends

    assert ends(0.69312, 0.69337) == ("0.6931", "0.6934")  # not "0.693" twice
    assert ends(7.16e-05, 7.1604e-05) == ("7.16e-05", "7.1604e-05")
    assert ends(0.1, 2.5) == ("0.1", "2.5") and ends(-0.0001, 0.0) == ("-0.0001", "0")
    assert ends(1.0, 1.0) == ("1", "1")


@pytest.mark.parametrize("optimizer", ["sgd", "nesterov", "rmsprop", "adam", "adagrad"])
def test_every_optimisers_update_fits_the_explain_panes_width(optimizer):
    from nnplay import figures
    from nnplay.scenario import load

    trainer = load("spiral", overrides={"training.optimizer": optimizer}).make_trainer()  # minibatches: the longest
    trainer.step(7)
    update = figures.next_update(trainer.snapshot(), 3)
    for width in (58, 76, 90, 134):  # the explain pane's text at 80 x 24 (and narrower), 120 x 40, 140 x 45, wider
        for brief in (False, True):
            text = update_text(update, width, brief)
            assert max(len(line) for line in text.split("\n")) <= width, (width, brief, text)
            assert text.endswith(f"= {update.value:+.4g}".replace("-", "−"))
