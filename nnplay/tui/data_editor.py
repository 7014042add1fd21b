"""The data editor (D): the generator, its samples and noise, a new data seed, the test split, the features.

It offers what the presenter's ``DataForm`` says applies to these data (a
generator and features only for one or two named numeric inputs; the form's
note says why in one line) and reads the choices into a ``DataChoice``; what
they mean, and whether they fit (the loader's rules), is the presenter's
(``Playground.data_edit``, given as ``check``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from ..playground import DataChoice, DataForm
from .editor import Editor
from .tick import Tick

OWN = "own"  # the generator select's value for the scenario's own data


class DataEditor(Editor):
    DEFAULT_CSS = """
    DataEditor Tick { height: 1; margin-left: 2; }
    DataEditor .features { margin-top: 1; }
    DataEditor #generator { width: 24; }
    """
    AUTO_FOCUS = "Select, Input"

    def __init__(self, form: DataForm, check: Callable[[DataChoice], Any]) -> None:
        super().__init__(check)
        self.form = form

    def fields(self) -> Iterator[Widget]:
        form = self.form
        yield Label(form.note, classes="note")
        if form.generators:
            own = [] if form.generator is not None else [("its own data", OWN)]
            with Horizontal(classes="row"):
                yield Label("generator", classes="name")
                yield Select([*own, *((name, name) for name in form.generators)],
                             value=form.generator or OWN, allow_blank=False, compact=True, id="generator")
            with Horizontal(classes="row generated"):
                yield Label("samples", classes="name")
                yield Input(str(form.samples), type="integer", compact=True, id="samples")
            with Horizontal(classes="row generated"):
                yield Label("noise", classes="name")
                yield Input(str(form.noise), type="number", compact=True, id="noise")
            yield Tick(f"regenerate with a new seed (data seed {form.data_seed} → {form.data_seed + 1})",
                           compact=True, id="new-seed", classes="generated")
        with Horizontal(classes="row"):
            yield Label("test fraction", classes="name")
            yield Input(f"{form.test_fraction:g}", type="number", compact=True, id="test-fraction",
                        tooltip="the share of the samples held out to test on; 0 for none")
        if form.menu:
            yield Label("features (what the network's input units are):", classes="features")
            for i, name in enumerate(form.menu):
                yield Tick(name, name in form.features, compact=True, id=f"feature-{i}")

    def on_mount(self) -> None:
        self._follow_generator()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._follow_generator()

    def _follow_generator(self) -> None:
        """Samples, noise and the seed are a generator's: off for the scenario's own data."""
        own = self._generator() is None
        for field in self.query(".generated"):
            field.disabled = own

    def _generator(self) -> str | None:
        if not self.form.generators:
            return None
        value = self.query_one("#generator", Select).value
        return None if value == OWN else str(value)

    def choice(self) -> DataChoice | str:
        form = self.form
        generator = self._generator()
        samples, noise, new_seed = form.samples, form.noise, False
        if generator is not None:
            try:
                samples = int(self.query_one("#samples", Input).value)
            except ValueError:
                return f"samples: a whole number, got {self.query_one('#samples', Input).value!r}"
            try:
                noise = float(self.query_one("#noise", Input).value)
            except ValueError:
                return f"noise: a number from 0 to 1, got {self.query_one('#noise', Input).value!r}"
            new_seed = self.query_one("#new-seed", Tick).value
        typed = self.query_one("#test-fraction", Input).value
        try:
            test_fraction = float(typed) if typed.strip() else 0.0
        except ValueError:
            return f"test fraction: a number from 0 up to 1 (0 for no test set), got {typed!r}"
        features = tuple(name for i, name in enumerate(form.menu) if self.query_one(f"#feature-{i}", Tick).value)
        return DataChoice(generator, samples, noise, test_fraction, features, new_seed)
