"""The chain rule for the selected weight, with the live numbers.

    dE/dw_jk = Σ over the batch of δ_k · z_j
    δ_k = dE/dy · f'(u_k)                (an output unit)
    δ_k = f'(u_k) · Σ_m δ_m · w_km       (a hidden unit)
    Δw = −η · dE/dw + α · Δw_prev
"""

from __future__ import annotations

from rich.text import Text

from ..figures import ChainRule
from ..playground import ViewState
from .colors import fmt
from .live import LiveStatic

MAX_SAMPLES = 8


def chain_rule_text(rule: ChainRule, label: str, names, n_samples: int) -> Text:
    k = rule.layer
    target = names[k + 1][rule.target]
    source = "+1" if rule.source is None else names[k][rule.source]
    z = "1" if rule.source is None else f"z_{source}"
    t = Text()
    t.append(f"{label} = {rule.weight:+.6g}   ", style="bold")
    t.append(f"dE/dw = Σ over the {n_samples} samples of δ_{target} · {z}\n")
    t.append(f"{'sample':>7} {z:>9} {'δ_' + target:>11} {'δ·' + z:>11}\n", style="bold")
    rows = list(range(min(n_samples, MAX_SAMPLES)))
    if rule.sample not in rows:
        rows[-1] = rule.sample
    for s in rows:
        style = "reverse" if s == rule.sample else ""
        t.append(f"{s + 1:>7} {fmt(rule.z_source[s], 9)} {fmt(rule.delta[s], 11)} {fmt(rule.products[s], 11)}\n", style=style)
    if n_samples > len(rows):
        t.append(f"{'…':>7} ({n_samples - len(rows)} more samples)\n", style="dim")
    total = float(rule.products.sum())
    t.append(f"{'sum':>7} {'':9} {'':11} {fmt(total, 11)}", style="bold")
    if rule.l2_term:
        t.append(f"  + l2·w {rule.l2_term:+.4g}")
    t.append(f"  = dE/dw {rule.gradient:+.6g}\n", style="bold")
    s = rule.sample
    if rule.is_output and rule.dE_dy is not None:
        t.append(f"δ_{target} (sample {s + 1}) = dE/dy · f'(u) = {rule.dE_dy:+.4g} · {rule.f_prime:.4g} = {rule.delta[s]:+.4g}\n")
    elif rule.is_output:
        t.append(f"δ_{target} (sample {s + 1}) = Σ_m dE/dy_m · dy_m/du (softmax couples the outputs) = {rule.delta[s]:+.4g}"
                 f"; with cce that is (y − t)/n\n")
    else:
        assert rule.next_deltas is not None and rule.next_weights is not None  # a hidden unit's
        terms = " + ".join(f"{d:+.3g}·{v:+.3g}" for d, v in zip(rule.next_deltas[:4], rule.next_weights[:4]))
        more = " + …" if len(rule.next_deltas) > 4 else ""
        t.append(f"δ_{target} (sample {s + 1}) = f'(u) · Σ_m δ_m · w_{target}→m = {rule.f_prime:.4g} · ({terms}{more}) "
                 f"= {rule.f_prime:.4g} · {rule.back_sum:+.4g} = {rule.delta[s]:+.4g}\n")
    on = "" if rule.next_batch_size == len(rule.delta) else f" (g on the next {rule.next_batch_size} samples)"
    t.append(f"update{on}: Δw = −η·g + α·Δw_prev = −{rule.learning_rate:g}·({rule.next_gradient:+.4g}) + "
             f"{rule.momentum:g}·({rule.previous_update:+.4g}) = {rule.next_update:+.4g}", style="dim")
    return t


class ChainRuleView(LiveStatic):
    DEFAULT_CSS = """
    ChainRuleView { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        rule = state.explain
        if not isinstance(rule, ChainRule):
            return
        n = state.frame.snapshot.inputs.shape[0]
        self.show_content(chain_rule_text(rule, state.selected_label, state.names, n), (min(n, MAX_SAMPLES), rule.is_output))
