"""The race table, under the loss plot while ghosts race the live run: a row a run.

Each row: the run (its colour's swatch, its name and what differs in its
settings as room allows: 'ghost 1 α 0'), its loss, the test set's loss (with a test set), its
accuracy (with classes), and "÷10 at": the first step its loss fell below a
tenth of its loss at the race's start. A ghost that diverged says at which
step in its loss column: "diverged (190)". The names tell the runs apart without colour (NO_COLOR), as the loss
plot's legend does.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..playground import ViewState
from ..session import Runner
from . import colors
from .colors import number
from .lossplot import race_name

LIVE_COLOUR = "cyan"  # the live run's curve's


class RaceTable(Static):
    def show(self, state: ViewState) -> None:
        race = state.frame.race
        self.display = bool(race)
        if race:
            self.update(self.table(race, state.frame.snapshot.test_loss is not None,
                                   state.frame.snapshot.accuracy is not None))

    def table(self, race: tuple[Runner, ...], test: bool, accuracy: bool) -> Table:
        ghosts = colors.palette(self.app.current_theme).ghosts
        table = Table(box=None, padding=(0, 0, 0, 1), pad_edge=False, expand=True, header_style="bold")
        # the run's name always shows (it tells the runs apart without colour); what differs, as room allows
        table.add_column("run", ratio=1, no_wrap=True, overflow="ellipsis", min_width=len("■ ghost 1"))
        table.add_column("loss", justify="right", no_wrap=True)
        if test:
            table.add_column("test", justify="right", no_wrap=True)
        if accuracy:
            table.add_column("acc", justify="right", no_wrap=True)
        table.add_column("÷10 at", justify="right", no_wrap=True)
        for runner in race:
            colour = LIVE_COLOUR if runner.number == 0 else colors.hex_(ghosts[runner.number - 1])
            name = Text.assemble(("■ ", colour), (race_name(runner), f"bold {colour}"), f" {runner.label}")
            if runner.diverged_at is not None:
                cells = [f"diverged ({runner.diverged_at})"] + ["—"] * (test + accuracy)
            else:
                cells = [number(runner.loss, ".3g")]
                if test:
                    cells.append("—" if runner.test_loss is None else number(runner.test_loss, ".3g"))
                if accuracy:
                    cells.append("—" if runner.accuracy is None else f"{100 * runner.accuracy:.0f}%")
            tenth = "—" if runner.diverged_at is not None else "not yet"  # a diverged run never will
            table.add_row(name, *cells, tenth if runner.tenth_at is None else str(runner.tenth_at))
        return table
