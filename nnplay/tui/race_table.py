"""The race table, under the loss plot while ghosts race the live run: a row a run.

Each row: the run (its colour's swatch, its name and what differs in its
settings as room allows: 'ghost 1 α 0'), its loss, the test set's loss (with a test set), its
accuracy (with classes), and "÷10 at": the first step its loss fell below a
tenth of its loss at the race's start. A ghost that diverged says at which
step in its loss column: "diverged (190)". While a race shows, this table is the loss plot's
legend (its swatches in the runs' colours): the runs' names (NAME_ROOM of them) come first, and a narrow
table leaves out accuracy, then the test loss, then "÷10 at" (the name and the loss stay). The
names tell the runs apart without colour (NO_COLOR), as the curves' end numbers do, and then each swatch is
its curve's marker (braille for the live run; •, ×, + for the ghosts).
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
    _shown: tuple[tuple[Runner, ...], bool, bool] = ((), False, False)

    def show(self, state: ViewState) -> None:
        race = state.frame.race
        self.display = bool(race)
        if race:
            self._shown = (race, state.frame.snapshot.test_loss is not None, state.frame.snapshot.accuracy is not None)
            self.refresh(layout=True)

    def render(self) -> Table:
        """Made at the width it is drawn at (the columns that fit it)."""
        return self.table(*self._shown)

    def table(self, race: tuple[Runner, ...], test: bool, accuracy: bool) -> Table:
        ghosts = colors.palette(self.app.current_theme).ghosts
        names = []
        columns: dict[str, list[str]] = {"loss": []}  # the numbers' columns, in the order shown
        if test:
            columns["test"] = []
        if accuracy:
            columns["acc"] = []
        columns["÷10 at"] = []
        for runner in race:
            colour = LIVE_COLOUR if runner.number == 0 else colors.hex_(ghosts[runner.number - 1])
            swatch = "■" if not self.app.no_color else "⢕" if runner.number == 0 else colors.GHOST_MARKERS[runner.number - 1]
            names.append(Text.assemble((f"{swatch} ", colour), (race_name(runner), f"bold {colour}"), f" {runner.label}"))
            diverged = runner.diverged_at is not None
            columns["loss"].append(f"diverged ({runner.diverged_at})" if diverged else number(runner.loss, ".3g"))
            if test:
                columns["test"].append("—" if diverged or runner.test_loss is None else number(runner.test_loss, ".3g"))
            if accuracy:
                columns["acc"].append("—" if diverged or runner.accuracy is None else f"{100 * runner.accuracy:.0f}%")
            tenth = "—" if diverged else "not yet"  # a diverged run never will
            columns["÷10 at"].append(tenth if runner.tenth_at is None else str(runner.tenth_at))
        # the table is the race's legend: the runs' names whole first; columns go, in DROP order, until they fit
        room = self.size.width or 1000
        longest = min(NAME_ROOM, max(name.cell_len for name in names))
        for dropped in DROP:
            if longest + sum(1 + max(len(header), *map(len, cells)) for header, cells in columns.items()) <= room:
                break
            columns.pop(dropped, None)
        table = Table(box=None, padding=(0, 0, 0, 1), pad_edge=False, expand=True, header_style="bold")
        # the run's name always shows (it tells the runs apart without colour); what differs, as room allows
        table.add_column("run", ratio=1, no_wrap=True, overflow="ellipsis", min_width=len("■ ghost 1"))
        for header in columns:
            table.add_column(header, justify="right", no_wrap=True)
        for i, name in enumerate(names):
            table.add_row(name, *(cells[i] for cells in columns.values()))
        return table


NAME_ROOM = len("■ ghost 1 ") + 12  # a run's name and as much of what differs, before a column stays
DROP = ("acc", "test", "÷10 at")  # the columns a narrow table leaves out first; the run and its loss stay
