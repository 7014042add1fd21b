"""The network editor (N): hidden layers added and removed, their units and every layer's activation, the loss.

It draws the form and reads it; what an edit means, and whether it fits (the
loader's rules), is the presenter's (``Playground.network_edit``, given as
``check``). The output layer's units are the data's: only its activation
can change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select

from ..playground import NetworkForm
from .editor import Editor

Layers = list[tuple[int, str]]


class NetworkEditor(Editor):
    AUTO_FOCUS = "Input, #add"

    def __init__(self, form: NetworkForm, check: Callable[[tuple[Layers, str]], Any]) -> None:
        super().__init__(check)
        self.form = form
        self.hidden: list[tuple[str, str]] = [(str(u), a) for u, a in form.layers[:-1]]  # as typed
        self.output_units, self.output_activation = form.layers[-1]
        self.loss = form.loss

    def fields(self) -> Iterator[Widget]:
        options = [(name, name) for name in self.form.activations]
        yield Label(f"The network: {self.form.n_inputs} inputs, the hidden layers, the output", classes="note")
        for i, (units, activation) in enumerate(self.hidden):
            with Horizontal(classes="row"):
                yield Label(f"hidden {i + 1}", classes="name")
                yield Input(units, type="integer", compact=True, id=f"units-{i}", tooltip="units")
                yield Select(options, value=activation, allow_blank=False, compact=True, id=f"activation-{i}")
                yield Button("remove", compact=True, id=f"remove-{i}")
        with Horizontal(classes="row"):
            yield Button("+ add a hidden layer", compact=True, id="add")
        with Horizontal(classes="row"):
            yield Label("output", classes="name")
            yield Label(f"{self.output_units} unit{'s' if self.output_units != 1 else ''}", classes="fixed")
            yield Select(options, value=self.output_activation, allow_blank=False, compact=True,
                         id="activation-output")
        with Horizontal(classes="row"):
            yield Label("loss", classes="name")
            yield Label("", classes="fixed")
            yield Select([(name, name) for name in self.form.losses], value=self.loss, allow_blank=False,
                         compact=True, id="loss")

    def _read(self) -> None:
        """The form as it is now, kept for a recompose (a layer added or removed)."""
        self.hidden = [(self.query_one(f"#units-{i}", Input).value,
                        str(self.query_one(f"#activation-{i}", Select).value)) for i in range(len(self.hidden))]
        self.output_activation = str(self.query_one("#activation-output", Select).value)
        self.loss = str(self.query_one("#loss", Select).value)

    async def pressed(self, button: str) -> None:
        if button != "add" and not button.startswith("remove-"):
            return
        self._read()
        if button == "add":  # like the last hidden layer, or the first ever
            self.hidden.append(self.hidden[-1] if self.hidden else ("2", self.form.activations[0]))
        else:
            del self.hidden[int(button.removeprefix("remove-"))]
        await self.recompose()
        self.query_one("#add" if button == "add" or not self.hidden else "#units-0").focus()

    def choice(self) -> tuple[Layers, str] | str:
        self._read()
        layers: Layers = []
        for i, (units, activation) in enumerate(self.hidden):
            try:
                layers.append((int(units), activation))
            except ValueError:
                return f"hidden {i + 1}: units: a whole number, got {units!r}"
        return [*layers, (self.output_units, self.output_activation)], self.loss
