"""Input features (``[data] features``): the playground's fixed menu of transforms of the named inputs.

A feature is written ``NAME``, ``NAME^2``, ``A*B``, ``sin(NAME)`` or ``cos(NAME)``
(radians), NAME one of the data's input names. It is matched by a regular
expression built from those names, never evaluated. ``parse`` turns a list of
them into ``Feature`` records (or says which one is wrong and what was meant),
``encode`` computes them for any points of the named inputs: the data, the
test set, and the decision map's grid over the plane of the two named inputs.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

FORMS = "NAME, NAME^2, A*B, sin(NAME) or cos(NAME)"
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sin": np.sin, "cos": np.cos}
_SPACE = re.compile(r"\s*([*^()])\s*")   # spaces around the operators do not matter


@dataclass(frozen=True, eq=False)
class Feature:
    name: str       # as written in the canonical form: "x1^2", "x1*x2", "sin(x1)"
    kind: str       # "name", "square", "product" or a key of FUNCTIONS
    a: int          # index of the named input
    b: int = -1     # the second one of a product

    def values(self, raw: np.ndarray) -> np.ndarray:
        x = raw[:, self.a]
        if self.kind == "name":
            return x
        if self.kind == "square":
            return x * x
        if self.kind == "product":
            return x * raw[:, self.b]
        return FUNCTIONS[self.kind](x)


@functools.cache
def _pattern(raw_names: tuple[str, ...]) -> re.Pattern[str]:
    name = "|".join(re.escape(n) for n in sorted(raw_names, key=len, reverse=True))
    functions = "|".join(FUNCTIONS)
    return re.compile(rf"(?P<name>{name})|(?P<square>{name})\^2|(?P<a>{name})\*(?P<b>{name})"
                      rf"|(?P<function>{functions})\((?P<arg>{name})\)")


def parse_one(text: str, raw_names: tuple[str, ...]) -> Feature | None:
    """The feature ``text`` over the inputs ``raw_names``, or None when it is not on the menu."""
    match = _pattern(raw_names).fullmatch(_SPACE.sub(r"\1", text.strip()))
    if match is None:
        return None
    index = raw_names.index
    if match["name"] is not None:
        return Feature(match["name"], "name", index(match["name"]))
    if match["square"] is not None:
        return Feature(f"{match['square']}^2", "square", index(match["square"]))
    if match["a"] is not None:
        return Feature(f"{match['a']}*{match['b']}", "product", index(match["a"]), index(match["b"]))
    return Feature(f"{match['function']}({match['arg']})", match["function"], index(match["arg"]))


def problem(text: str, raw_names: tuple[str, ...], shown: str | None = None) -> str:
    """Why ``text`` is not a feature: the forms allowed, the names, a did-you-mean when one is close;
    ``shown`` is how the message writes ``text`` (a cut form of a long one)."""
    singles = raw_names[:20]
    menu = [m for n in singles for m in (n, f"{n}^2", *(f"{f}({n})" for f in FUNCTIONS))]
    menu += [f"{a}*{b}" for i, a in enumerate(singles) for b in singles[i + 1:]]
    # powers as Python or a spreadsheet writes them (x1**2, x1^ 2) are the menu's NAME^2 first
    close = difflib.get_close_matches(re.sub(r"\s*(\*\*|\^)\s*", "^", text), menu, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    names = ", ".join(raw_names[:10]) + (", …" if len(raw_names) > 10 else "")
    return f"unknown feature {text if shown is None else shown!r} ({hint}expected {FORMS} with NAME one of: {names})"


@functools.cache
def _features(names: tuple[str, ...], raw_names: tuple[str, ...]) -> tuple[Feature, ...]:
    out = []
    for name in names:
        feature = parse_one(name, raw_names)
        if feature is None:
            raise ValueError(problem(name, raw_names))
        out.append(feature)
    return tuple(out)


def encode(names: tuple[str, ...], raw_names: tuple[str, ...], raw: np.ndarray) -> np.ndarray:
    """The features ``names`` of the points ``raw`` (one column per named input in ``raw_names``)."""
    features = _features(tuple(names), tuple(raw_names))
    with np.errstate(all="ignore"):
        return np.column_stack([f.values(raw) for f in features]) if len(raw) else np.zeros((0, len(features)))
