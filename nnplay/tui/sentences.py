"""The sentences view: type a sentence, see P(positive) and the words that pushed it.

The push of a word is P(sentence) minus P(sentence without that word): how
much that one input unit moves the output, with everything else as it is.
Words the network never saw are listed and ignored.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

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

    def __init__(self, sentences, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sentences = tuple(sentences)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type a sentence, e.g. I loved the acting", id="sentence")
        yield Static(id="report")
        yield LiveStatic(id="training")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def show(self, state: ViewState) -> None:
        report = state.sentence
        out = Text()
        if report is None or not report.text.strip():
            out.append("P(positive) for your own sentence appears here as you type.", style="dim")
        else:
            out.append(f"P(positive) = {report.probability:.3f}  ")
            out.append_text(_probability_bar(report.probability))
            out.append("  positive" if report.probability >= 0.5 else "  negative", style="bold")
            if report.contributions:
                out.append("\nwords: ")
                for word, push in report.contributions:
                    out.append(f"{word} ", style=colors.style(colors.signed(push, 0.5), bold=True))
                    out.append(f"{push:+.2f}  ", style="dim")
            if report.unknown:
                out.append(f"\nunknown words (ignored): {', '.join(report.unknown)}", style="italic")
            if not report.known:
                out.append("\nno word the network knows: this is what it says about nothing at all", style="italic")
        self.query_one("#report", Static).update(out)
        snap = state.frame.snapshot
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("training sentence")
        table.add_column("label", justify="right")
        table.add_column("P(positive)", justify="right")
        rows = window(state.sample, len(self.sentences), MAX_ROWS)
        for i in rows:
            text, label = self.sentences[i]
            p = float(snap.outputs[i, -1])
            right = (p >= 0.5) == (label == 1)
            style = "reverse" if i == state.sample else ""
            table.add_row(Text(text, style=style), str(label),
                          Text(f"{p:.3f} {'✓' if right else '✗'}", style=colors.style(colors.signed(p - 0.5, 0.5))))
        if len(rows) < len(self.sentences):
            note = Text(f"sentences {rows.start + 1} to {rows.stop} of {len(self.sentences):,} (n / p: next / previous)",
                        style="dim")
            table = Group(table, note)
        self.query_one("#training", LiveStatic).show_content(table, (len(rows), len(rows) < len(self.sentences)))
