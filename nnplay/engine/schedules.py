"""Learning-rate schedules: η at a step, from the base learning rate, one record each.

A schedule turns the base learning rate η (the scenario's, or the one last set
by hand) into the rate η(t) the step uses, where t counts the steps taken since
that base was set (or the schedule was): the first step after it uses η(0). So
a learning rate changed by hand is the new base from that step on, and the
schedule starts again from it.

In a scenario: ``schedule = { kind = "step", every = 500, factor = 0.5 }``.
``KINDS`` is the one record of each kind (its keys, its formula, its rate);
``problems`` holds every rule about a schedule's keys.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Schedule:
    """A schedule as the scenario writes it: its kind and the keys it gives (None: not given)."""

    kind: str = "constant"
    every: int | None = None
    factor: float | None = None
    steps: int | None = None
    floor: float | None = None

    @classmethod
    def of(cls, value: Schedule | Mapping[str, object] | str) -> Schedule:
        """A schedule from its table ({"kind": "step", "every": 500, "factor": 0.5}) or a kind's name."""
        if isinstance(value, Schedule):
            return value
        if isinstance(value, str):
            return cls(value)
        if not isinstance(value, Mapping):
            raise ValueError(f"schedule: expected a table or a kind's name, got {value!r}")
        unknown = set(value) - set(KEYS)
        if unknown:
            raise ValueError(f"schedule: unknown key {sorted(unknown)[0]!r} (expected one of: {', '.join(KEYS)})")
        return cls(**value)  # type: ignore[arg-type]

    def given(self) -> dict[str, int | float]:
        """The keys given besides the kind."""
        return {f.name: getattr(self, f.name) for f in fields(self)[1:] if getattr(self, f.name) is not None}

    def as_dict(self) -> dict[str, object]:
        """The table a scenario or a saved run writes."""
        return {"kind": self.kind, **self.given()}

    def value(self, key: str) -> float:
        """A key's value, or the kind's default for it."""
        given = getattr(self, key)
        return KINDS[self.kind].optional[key] if given is None else given

    def rate(self, base: float, t: int) -> float:
        """η(t): the learning rate ``t`` steps after ``base`` was set."""
        return KINDS[self.kind].rate(self, base, t)

    @property
    def constant(self) -> bool:
        return self.kind == "constant"

    def __str__(self) -> str:
        return " ".join([self.kind] + [f"{key}={value:g}" for key, value in self.given().items()])


def _step(s: Schedule, base: float, t: int) -> float:
    return base * s.value("factor") ** (t // s.value("every"))


def _exponential(s: Schedule, base: float, t: int) -> float:
    return base * s.value("factor") ** (t / s.value("every"))


def _cosine(s: Schedule, base: float, t: int) -> float:
    floor, steps = s.value("floor"), s.value("steps")
    return base * (floor + (1 - floor) * (1 + math.cos(math.pi * min(t, steps) / steps)) / 2)


@dataclass(frozen=True, eq=False)
class Kind:
    name: str
    formula: str                      # η(t), η the base learning rate
    required: tuple[str, ...]
    optional: dict[str, float]        # key: its default
    rate: Callable[[Schedule, float, int], float]
    meaning: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("constant", "η(t) = η", (), {}, lambda s, base, t: base, "the same learning rate at every step"),
    Kind("step", "η(t) = η · factor^⌊t / every⌋", ("every", "factor"), {}, _step,
         "multiplied by factor every `every` steps (PyTorch's StepLR)"),
    Kind("exponential", "η(t) = η · factor^(t / every)", ("factor",), {"every": 1}, _exponential,
         "a smooth decay by factor every `every` steps (every: 1 unless given; PyTorch's ExponentialLR)"),
    Kind("cosine", "η(t) = η · (floor + (1 − floor) · (1 + cos(π · min(t, steps) / steps)) / 2)", ("steps",),
         {"floor": 0.0}, _cosine,
         "half a cosine from η down to floor · η over `steps` steps, then floor · η (PyTorch's CosineAnnealingLR)"),
)}
NAMES = tuple(KINDS)

# every key a schedule may give besides its kind: (whole number?, its rule as (test, the message's words))
WHOLE = ("every", "steps")
_RULES: dict[str, tuple[Callable[[float], bool], str]] = {
    "every": (lambda v: v >= 1, "must be a whole number of steps from 1"),
    "factor": (lambda v: 0 < v <= 1, "must be greater than 0 and at most 1"),
    "steps": (lambda v: v >= 1, "must be a whole number of steps from 1"),
    "floor": (lambda v: 0 <= v <= 1, "must be a fraction of the learning rate from 0 to 1"),
}
KEYS = ("kind",) + tuple(_RULES)


def problems(schedule: Schedule) -> Iterator[tuple[str, str]]:
    """(key, what is wrong with it) for every problem of ``schedule``."""
    kind = KINDS.get(schedule.kind) if isinstance(schedule.kind, str) else None
    if kind is None:
        yield "kind", f"unknown schedule kind {schedule.kind!r} (expected one of: {', '.join(NAMES)})"
        return
    given = schedule.given()
    for key in kind.required:
        if key not in given:
            yield key, f"missing: a {kind.name} schedule needs {' and '.join(kind.required)}"
    for key, value in given.items():
        if key not in kind.required and key not in kind.optional:
            uses = ", ".join(kind.required + tuple(kind.optional)) or "no other key"
            yield key, f"not a key of a {kind.name} schedule (it takes {uses})"
        elif isinstance(value, bool) or not isinstance(value, int if key in WHOLE else (int, float)):
            yield key, f"must be a {'whole number' if key in WHOLE else 'number'}, got {value!r}"
        elif not (math.isfinite(value) and _RULES[key][0](value)):
            yield key, f"{_RULES[key][1]}, got {value:g}"
