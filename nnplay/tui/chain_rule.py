"""The chain rule for the selected weight, with the live numbers, on the batch the next step trains on.

    g = dE/dw_jk = Σ over the batch of δ_k · z_j
    δ_k = dE/dy · f'(u_k)                (an output unit)
    δ_k = f'(u_k) · Σ_m δ_m · w_km       (a hidden unit)
    then the optimiser's next update, line by line (sgd: Δw = −η·g + α·Δw_prev; Adam: m, s, m̂, ŝ, Δw …)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import ScrollableContainer

from ..figures import Update
from ..later import later
from ..playground import ViewState
from .colors import fmt, not_yet_known, number
from .live import LiveStatic

if TYPE_CHECKING:
    from .. import explain
else:  # loaded when first used: the first frame does without it
    explain = later("nnplay.explain")

MIN_SAMPLES = 3  # rows of a larger batch: with the sum, δ and update lines they fit the explain pane (11 rows)
                 # at most widths; where the pane has more rows (maximised, or a tab of a small terminal), more,
                 # and where the formulas wrap to more lines, fewer (one at least)
SUM_WIDTH = 29   # the table's columns before the products: the sample, z and δ
INDENT = "    "  # a formula's next line
GAP = "   "      # between two formulas on one line


def num(value: float, spec: str = "+.4g") -> str:
    """A number in a formula: the minus sign the formulas write (−η), never a hyphen."""
    return number(value, spec).replace("-", "−")


def factor(value: float, spec: str = ".3g") -> str:
    """A number multiplied in a formula: negative ones in parentheses, so signs never pile up (+ −3·−2)."""
    text = num(value, spec)
    return f"({text})" if text.startswith("−") else text


def formula(width: int | None, *parts: str) -> str:
    """The ``parts`` of a formula (its left side, then each "= …") joined by spaces, a line broken only
    between parts so that no line is wider than ``width`` (a part wider than the whole line wraps alone)."""
    lines = [parts[0]]
    for part in parts[1:]:
        if width is not None and len(lines[-1]) + 1 + len(part) > width:
            lines.append(INDENT + part)
        else:
            lines[-1] += " " + part
    return "\n".join(lines)


def update_text(update: Update, width: int | None = None, brief: bool = False) -> str:
    """The next update and what it is made of, for the inspector and the chain rule, in ``width`` cells: a
    formula for each quantity the optimiser computes (engine.optimizers.explain), symbol = formula = its
    numbers = value, the last Δw; short ones side by side where the width has room. ``brief``: Δw's alone,
    with its numbers, after 'next update' (the chain rule's pane has no room for Adam's eight lines)."""
    on = "" if update.full_batch else f" on the next batch of {update.batch_size}"
    lines = [] if brief else [formula(width, f"next update, {update.optimizer},", f"with g = {num(update.gradient)}{on}:")]
    shown = update.lines[-1:] if brief else update.lines
    joined = False  # the last line holds one formula of one line, and may take another
    for i, line in enumerate(shown):
        numbers = line.numbers.format(**{name: factor(value, ".4g") for name, value in line.values.items()})
        value = str(line.value) if isinstance(line.value, int) else num(line.value)  # a count (Adam's t): as it is
        symbol = f"next update ({update.optimizer}{on}): {line.symbol}" if brief else line.symbol
        parts = [symbol] + ([f"= {line.formula}"] if line.formula else []) + [f"= {numbers}", f"= {value}"]
        text = formula(width, *parts)
        last = i == len(shown) - 1  # Δw: on a line of its own
        if joined and not last and "\n" not in text and width is not None and len(lines[-1]) + len(GAP) + len(text) <= width:
            lines[-1] += GAP + text
        else:
            lines.append(text)
        joined = "\n" not in text
    return "\n".join(lines)


def shown_rows(rule: explain.ChainRule, most: int = MIN_SAMPLES) -> list[int]:
    """The batch's rows in the table: the first ``most``, and the expanded sample's among them."""
    rows = list(range(min(len(rule.batch), max(1, most))))
    if rule.row not in rows:
        rows[-1] = rule.row
    return rows


def chain_rule_text(rule: explain.ChainRule, label: str, names, selected_sample: int, width: int | None = None,
                    most: int = MIN_SAMPLES) -> Text:
    """The chain rule for one weight, its table showing ``most`` of the batch's rows at most."""
    k = rule.layer
    target = names[k + 1][rule.target]
    source = "+1" if rule.source is None else names[k][rule.source]
    z = "1" if rule.source is None else f"z_{source}"
    n = len(rule.batch)
    t = Text()
    t.append(f"{label} = {num(rule.weight, '+.6g')}   ", style="bold")
    if rule.update.full_batch:
        t.append(f"g = dE/dw = Σ over the {n} samples of δ_{target} · {z}\n")
    else:
        t.append(f"g = Σ over the next batch's {n} samples of δ_{target} · {z}\n")
    t.append(f"{'sample':>7} {z:>9} {'δ_' + target:>11} {'δ·' + z:>11}\n", style="bold")
    rows = shown_rows(rule, most)
    for r in rows:
        style = "reverse" if r == rule.row else ""
        cells = (fmt(rule.z_source[r], 9), fmt(rule.delta[r], 11), fmt(rule.products[r], 11))
        t.append(f"{int(rule.batch[r]) + 1:>7} " + " ".join(cells).replace("-", "−") + "\n", style=style)
    total = float(rule.products.sum())
    # over the rows left out too, and it says so (on its own line, the note would push the update out of sight)
    summed = "sum" if n == len(rows) else f"sum of all {n} ({n - len(rows)} not shown)"
    t.append(f"{summed:>{SUM_WIDTH}} {fmt(total, 11).replace('-', '−')}", style="bold")
    if rule.l2_term:
        t.append(f"  + l2·w {num(rule.l2_term)}")
    t.append(f"  = g {num(rule.gradient, '+.6g')}\n", style="bold")
    s = f"{rule.sample + 1}"
    if selected_sample != rule.sample:
        s += f"; {selected_sample + 1} is not in the batch"
    d = num(rule.delta[rule.row])
    if rule.is_output and rule.dE_dy is not None and rule.f_prime is not None:
        t.append(formula(width, f"δ_{target} (sample {s})", "= dE/dy · f'(u)",
                         f"= {factor(rule.dE_dy, '.4g')} · {factor(rule.f_prime, '.4g')}", f"= {d}") + "\n")
    elif rule.is_output:
        cce = f"; with cce that is (y − t)/{n}" if rule.loss == "cce" else ""
        t.append(f"δ_{target} (sample {s}) = Σ_m dE/dy_m · dy_m/du (softmax couples the outputs) = {d}{cce}\n")
    else:
        # a hidden unit's (never softmax: only the output layer may be)
        assert rule.next_deltas is not None and rule.next_weights is not None and rule.back_sum is not None
        assert rule.f_prime is not None
        terms = " + ".join(f"{factor(dm)}·{factor(w)}" for dm, w in zip(rule.next_deltas[:4], rule.next_weights[:4]))
        etc = " + …" if len(rule.next_deltas) > 4 else ""
        f_prime = factor(rule.f_prime, ".4g")
        t.append(formula(width, f"δ_{target} (sample {s})", f"= f'(u) · Σ_m δ_m · w_{target}→m",
                         f"= {f_prime} · ({terms}{etc})", f"= {f_prime} · {factor(rule.back_sum, '.4g')}",
                         f"= {d}") + "\n")
    t.append(update_text(rule.update, width, brief=True), style="dim")
    return t


class ChainRuleView(LiveStatic):
    DEFAULT_CSS = """
    ChainRuleView { width: 1fr; height: auto; }
    """

    _state: ViewState | None = None

    def show(self, state: ViewState) -> None:
        rule = state.explain
        if not isinstance(rule, explain.ChainRule):
            return
        self._state = state
        width = self.content_size.width
        text = chain_rule_text(rule, state.selected_label, state.names, state.sample, width or None)
        room = self._room()
        spare = room - self._lines(text) if room else 0
        # every row the pane has room for (the sum checks by hand), down to one where the lines after the table
        # would otherwise leave the pane (a narrow one wraps the formulas): the update stays in sight
        if (spare > 0 and len(rule.batch) > MIN_SAMPLES) or spare < 0:
            text = chain_rule_text(rule, state.selected_label, state.names, state.sample, width or None,
                                   max(1, MIN_SAMPLES + spare))
        self.show_text(text if state.unknown is None else not_yet_known(text, state.unknown))

    def _room(self) -> int:
        """The rows of the pane it scrolls in (0 before it is laid out)."""
        pane = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        return pane.scrollable_content_region.height if pane is not None else 0

    def _lines(self, text: Text) -> int:
        width = self.content_size.width
        return len(text.wrap(self.app.console, width)) if width > 0 else 0

    def on_resize(self) -> None:
        """The lines are broken for the width: shown before it had one (just switched to), or resized."""
        if self._state is not None:
            self.show(self._state)
