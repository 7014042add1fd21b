"""The chain rule for the selected weight, with the live numbers, on the batch the next step trains on.

    g = dE/dw_jk = Σ over the batch of δ_k · z_j
    δ_k = dE/dy · f'(u_k)                (an output unit)
    δ_k = f'(u_k) · Σ_m δ_m · w_km       (a hidden unit)
    Δw = −η · g + α · Δw_prev            (the optimiser's rule)
"""

from __future__ import annotations

from rich.text import Text

from ..figures import ChainRule, Update
from ..playground import ViewState
from .colors import fmt, number
from .live import LiveStatic

MAX_SAMPLES = 3  # rows of a larger batch: with the sum, δ and update lines it fits the explain pane (11 rows)


def update_text(update: Update) -> str:
    """The next update and what it is made of: one line, for the inspector and the chain rule."""
    on = "" if update.full_batch else f" (g on the next batch of {update.batch_size})"
    g = number(update.gradient, "+.4g")
    value = number(update.value, "+.4g")
    if update.optimizer == "sgd":
        return (f"next update{on}: Δw = −η·g + α·Δw_prev = −{number(update.learning_rate, 'g')}·({g}) + "
                f"{number(update.momentum, 'g')}·({number(update.previous, '+.4g')}) = {value}")
    return f"next update{on}: {update.optimizer}, {update.formula}, with g = {g}: Δw = {value}"


def shown_rows(rule: ChainRule) -> list[int]:
    """The batch's rows in the table: all of a batch one longer than MAX_SAMPLES (the line saying how many
    more would take as much room), else the first MAX_SAMPLES, and the expanded sample's among them."""
    n = len(rule.batch)
    rows = list(range(n if n <= MAX_SAMPLES + 1 else MAX_SAMPLES))
    if rule.row not in rows:
        rows[-1] = rule.row
    return rows


def chain_rule_text(rule: ChainRule, label: str, names, selected_sample: int) -> Text:
    k = rule.layer
    target = names[k + 1][rule.target]
    source = "+1" if rule.source is None else names[k][rule.source]
    z = "1" if rule.source is None else f"z_{source}"
    n = len(rule.batch)
    t = Text()
    t.append(f"{label} = {number(rule.weight, '+.6g')}   ", style="bold")
    if rule.update.full_batch:
        t.append(f"g = dE/dw = Σ over the {n} samples of δ_{target} · {z}\n")
    else:
        t.append(f"g = Σ over the next batch's {n} samples of δ_{target} · {z}\n")
    t.append(f"{'sample':>7} {z:>9} {'δ_' + target:>11} {'δ·' + z:>11}\n", style="bold")
    rows = shown_rows(rule)
    for r in rows:
        style = "reverse" if r == rule.row else ""
        t.append(f"{int(rule.batch[r]) + 1:>7} {fmt(rule.z_source[r], 9)} {fmt(rule.delta[r], 11)} "
                 f"{fmt(rule.products[r], 11)}\n", style=style)
    if n > len(rows):
        more = n - len(rows)
        t.append(f"{'…':>7} ({more} more sample{'s' if more > 1 else ''} of the batch)\n", style="dim")
    total = float(rule.products.sum())
    t.append(f"{'sum':>7} {'':9} {'':11} {fmt(total, 11)}", style="bold")
    if rule.l2_term:
        t.append(f"  + l2·w {number(rule.l2_term, '+.4g')}")
    t.append(f"  = g {number(rule.gradient, '+.6g')}\n", style="bold")
    s = f"{rule.sample + 1}"
    if selected_sample != rule.sample:
        s += f"; {selected_sample + 1} is not in the batch"
    d = number(rule.delta[rule.row], "+.4g")
    if rule.is_output and rule.dE_dy is not None and rule.f_prime is not None:
        t.append(f"δ_{target} (sample {s}) = dE/dy · f'(u) = {number(rule.dE_dy, '+.4g')} · "
                 f"{number(rule.f_prime, '.4g')} = {d}\n")
    elif rule.is_output:
        cce = f"; with cce that is (y − t)/{n}" if rule.loss == "cce" else ""
        t.append(f"δ_{target} (sample {s}) = Σ_m dE/dy_m · dy_m/du (softmax couples the outputs) = {d}{cce}\n")
    else:
        # a hidden unit's (never softmax: only the output layer may be)
        assert rule.next_deltas is not None and rule.next_weights is not None and rule.back_sum is not None
        assert rule.f_prime is not None
        terms = " + ".join(f"{number(dm, '+.3g')}·{number(w, '+.3g')}"
                           for dm, w in zip(rule.next_deltas[:4], rule.next_weights[:4]))
        etc = " + …" if len(rule.next_deltas) > 4 else ""
        f_prime = number(rule.f_prime, ".4g")
        t.append(f"δ_{target} (sample {s}) = f'(u) · Σ_m δ_m · w_{target}→m = {f_prime} · ({terms}{etc}) "
                 f"= {f_prime} · {number(rule.back_sum, '+.4g')} = {d}\n")
    t.append(update_text(rule.update), style="dim")
    return t


class ChainRuleView(LiveStatic):
    DEFAULT_CSS = """
    ChainRuleView { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        rule = state.explain
        if not isinstance(rule, ChainRule):
            return
        text = chain_rule_text(rule, state.selected_label, state.names, state.sample)
        self.show_text(text)
