"""The sentences view: type a sentence, see P(positive) and the words that pushed it.

The push of a word is P(sentence) minus P(sentence without that word): how
much that one input unit moves the output, with everything else as it is.
Words the network never saw are listed and ignored. With several classes
(softmax), P is the top class's, and the training sentences show the
predicted class by name. A training sentence is ✓ when the class its outputs
mean (``engine.metrics.classes``, the one rule) is its label.
"""

from __future__ import annotations

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input

from ..engine import metrics
from ..figures import SentenceReport
from ..playground import ViewState
from . import colors
from .live import LiveStatic
from .scales import bar_length, window

BAR = 20
MAX_ROWS = 50  # training sentences drawn, around the selected one


def _probability_bar(p: float) -> Text:
    filled = bar_length(p, 1.0, BAR)
    text = Text("█" * filled, style=colors.style(colors.POSITIVE))
    text.append("█" * (BAR - filled), style=colors.style(colors.NEGATIVE))
    return text


class SentencesView(VerticalScroll):
    DEFAULT_CSS = """
    SentencesView { width: 1fr; height: 1fr; }
    SentencesView Input { margin: 0 0 1 0; }
    SentencesView #report { height: auto; }
    SentencesView #training { height: auto; }
    """

    class Changed(Message):
        """The learner typed: the app answers with a report in the next ViewState."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        """Enter in the sentence box: the learner is done typing, the keys go back to the playground."""

    def __init__(self, sentences, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sentences = tuple(sentences)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type a sentence, e.g. I loved the acting", id="sentence")
        yield LiveStatic(id="report")
        yield LiveStatic(id="training")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        several = snap.outputs.shape[1] > 1
        self.query_one("#report", LiveStatic).show_text(self._report(state.sentence, several))
        rows = window(state.sample, len(self.sentences), MAX_ROWS)
        predicted = metrics.classes(snap.outputs[rows.start : rows.stop]).tolist()
        truth = metrics.classes(snap.targets[rows.start : rows.stop]).tolist()
        names = state.names[-1] if state.names else ()  # the output units: for several, the classes
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("training sentence")
        table.add_column("label", justify="right")
        table.add_column("prediction" if several else "P(positive)", justify="right")
        for i, cls, right in zip(rows, predicted, (p == t for p, t in zip(predicted, truth))):
            text, label = self.sentences[i]
            mark = "✓" if right else "✗"
            style = "reverse" if i == state.sample else ""
            if several:
                p = float(snap.outputs[i, cls])
                shown = Text(f"{_name(names, cls)} {p:.3f} {mark}",
                             style=colors.style(colors.CLASS_COLOURS[cls % len(colors.CLASS_COLOURS)]))
                table.add_row(Text(text, style=style), _name(names, label), shown)
            else:
                p = float(snap.outputs[i, 0])
                shown = Text(f"{p:.3f} {mark}", style=colors.style(colors.signed(p - 0.5, 0.5)))
                table.add_row(Text(text, style=style), str(label), shown)
        content: RenderableType = table
        if len(rows) < len(self.sentences):
            note = Text(f"sentences {rows.start + 1} to {rows.stop} of {len(self.sentences):,} (n / p: next / previous)",
                        style="dim")
            content = Group(table, note)
        self.query_one("#training", LiveStatic).show_content(content, (len(rows), len(rows) < len(self.sentences)))

    @staticmethod
    def _report(report: SentenceReport | None, several: bool) -> Text:
        """The typed sentence: its probability (of the top class, for several), and the words that pushed it."""
        what = "P(top class)" if several else "P(positive)"
        out = Text()
        if report is None or not report.text.strip():
            out.append(f"{what} for your own sentence appears here as you type.", style="dim")
            return out
        out.append(f"{what} = {report.probability:.3f}  ")
        out.append_text(_probability_bar(report.probability))
        if not several:
            positive = metrics.classes(np.array([[report.probability]]))[0] == 1
            out.append("  positive" if positive else "  negative", style="bold")
        if report.contributions:
            out.append("\nwords: ")
            for word, push in report.contributions:
                out.append(f"{word} ", style=colors.style(colors.signed(push, 0.5), bold=True))
                out.append(f"{colors.number(push, '+.2f')}  ", style="dim")
        if report.unknown:
            out.append(f"\nunknown words (ignored): {', '.join(report.unknown)}", style="italic")
        if not report.known:
            out.append("\nno word the network knows: this is what it says about nothing at all", style="italic")
        return out


def _name(names, cls: int) -> str:
    return str(names[cls]) if cls < len(names) else str(cls)
