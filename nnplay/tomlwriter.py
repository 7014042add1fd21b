"""A parsed scenario back to TOML text: what ``tomllib.loads`` reads back to the same document.

The standard library reads TOML but does not write it. A scenario is plain
data (tables, arrays of tables, strings, numbers, booleans, arrays and inline
tables), so a small writer does: top-level tables as ``[name]``, arrays of
tables as ``[[name]]``, anything deeper inline. Strings are written with
escapes (JSON's escapes are TOML's), floats with ``repr`` (every digit).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def dumps(doc: dict[str, Any]) -> str:
    lines: list[str] = []
    plain = {k: v for k, v in doc.items() if not _is_table(v) and not _is_array_of_tables(v)}
    lines += [f"{_key(k)} = {dumps_value(v)}" for k, v in plain.items()]
    for name, value in doc.items():
        if _is_table(value):
            lines += ["", f"[{_key(name)}]"] + [f"{_key(k)} = {dumps_value(v)}" for k, v in value.items()]
        elif _is_array_of_tables(value):
            for table in value:
                lines += ["", f"[[{_key(name)}]]"] + [f"{_key(k)} = {dumps_value(v)}" for k, v in table.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def dumps_value(value: Any) -> str:
    """One TOML value (a string, number, boolean, array or inline table), as tomllib reads it back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):  # JSON escapes all TOML needs but DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(dumps_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {dumps_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise TypeError(f"TOML has no value like {value!r}")
