"""CSV data for a scenario (``[data] csv``): a header row, then one row per sample.

``read`` gives the input columns as numbers and the target column as numbers or, when any of
its cells is not a number, as labels (the scenario makes them classes). Every problem is one
``ScenarioError`` naming the file and, where there is one, the row and the column:

    points.csv: row 17, column 'x2': not a number: 'n/a'

Row numbers count the file's lines, as an editor shows them: the header is row 1, and blank
lines (skipped) still count; a quoted cell that spans lines is numbered by its first line.
Names and labels have their surrounding spaces removed (``x1, x2, label`` names ``x2``);
numbers may have spaces around them. Cells are separated by commas and may be quoted.

The file is checked before it is read: a missing file, a folder, a FIFO or a device, and a file
over ``MAX_CSV_BYTES`` are refused at once; then, before it is parsed, millions of lines or a huge
line (the csv module would take seconds and gigabytes). Reading stops as soon as the columns used
hold more numbers than a scenario may (``scenario.MAX_DATA_NUMBERS``), so a huge file is refused
quickly.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import itertools
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

import numpy as np

if TYPE_CHECKING:
    from _csv import Reader  # what csv.reader returns

MAX_CSV_BYTES = 50 * 1024 * 1024   # "50 MB"
MAX_LINE = 1_000_000               # characters
MAX_COLUMNS = 10_000               # in the header, used or not: checking each name is work
_SHOWN_CELL = 40                   # characters of a cell quoted in a message
_SHOWN_COLUMNS = 20                # column names listed in a message
_LINE_BREAK = re.compile(r"\r\n?|\n")  # as the csv module and io split lines (newline="")


class _Fail(Protocol):
    def __call__(self, problem: str) -> NoReturn: ...


@dataclass(frozen=True, eq=False)
class CsvData:
    """The columns a scenario asked for, one row per sample, in the file's order."""

    input_names: tuple[str, ...]
    inputs: np.ndarray                      # float, (rows, len(input_names))
    targets: np.ndarray | tuple[str, ...]   # float (rows,) when every target cell is a number, else the labels
    target_name: str


def read(path: Path, source: str, input_columns: list[str] | None = None,
         target_column: str | None = None) -> CsvData:
    """The CSV file at ``path`` (named ``source`` in messages). ``target_column`` defaults to the
    last column, ``input_columns`` to every other column. Row numbers in messages count the
    file's lines, the header being row 1. Raises ``nnplay.scenario.ScenarioError``."""
    fail = _failer(source)
    text = _text(path, fail)
    _check_lines(text, fail)
    reader = _reader(text)
    first = next(_rows(reader, text, fail), None)
    if first is None:
        fail("empty file (a CSV file needs a header row naming the columns, then one row per sample)")
    header_line, header = first
    names = _names(header, header_line, fail)
    target = _target(names, target_column, input_columns, fail)
    inputs = _inputs(names, input_columns, target, fail)
    from .scenario import MAX_DATA_NUMBERS, MAX_INPUTS  # csvdata is imported by scenario: late, not at the top
    if len(inputs) > MAX_INPUTS:
        fail(f"too large: {len(inputs):,} input columns (at most {MAX_INPUTS:,})")
    most_rows = MAX_DATA_NUMBERS // (len(inputs) + 1)
    starts, cells = _body(reader, text, most_rows, fail)
    if not cells:
        fail("no data: only a header row (then one row per sample)")
    if len(cells) > most_rows:
        fail(f"too large: more than {MAX_DATA_NUMBERS:,} numbers of data ({len(inputs) + 1} columns used, "
             f"so at most {most_rows:,} rows)")
    if any(len(record) != len(names) for record in cells):
        i = next(i for i, record in enumerate(cells) if len(record) != len(names))
        fail(f"row {starts[i]} has {len(cells[i])} cell{'s' if len(cells[i]) != 1 else ''}, "
             f"the header has {len(names)}")

    def column(name: str) -> list[str]:
        j = names[name]
        return [record[j] for record in cells]

    numbers = np.empty((len(cells), len(inputs)))
    for k, name in enumerate(inputs):
        numbers[:, k] = _numbers(column(name), name, starts, fail)
    raw_targets = column(target)
    targets = _floats(raw_targets)
    return CsvData(inputs, numbers, _labels(raw_targets, target, starts, fail) if targets is None
                   else _numbers(raw_targets, target, starts, fail, targets), target)


def _reader(text: str) -> Reader:
    return csv.reader(io.StringIO(text, newline=""), strict=True)


def _rows(reader: Reader, text: str, fail: _Fail) -> Iterator[tuple[int, list[str]]]:
    """The records of ``reader``, a fresh reader of ``text``, but blank lines (skipped at C speed:
    a file may hold millions), each with the file line it starts on."""
    end = 0  # the line the last record ended on
    try:
        for record in filter(None, reader):
            end = reader.line_num
            joined = "".join(record)
            yield end - (len(_LINE_BREAK.findall(joined)) if "\n" in joined or "\r" in joined else 0), record
    except csv.Error as error:
        # the record it could not read starts on the first line after the last one that is not blank
        lines = itertools.islice(io.StringIO(text, newline=""), end, None)
        start = next((end + k for k, line in enumerate(lines, 1) if line.strip("\r\n")), end + 1)
        hint = " (a quote opened here is never closed)" if "end of data" in str(error) else ""
        fail(f"row {start}: cannot read it as CSV: {error}{hint}")


def _body(reader: Reader, text: str, most: int, fail: _Fail) -> tuple[Sequence[int], list[list[str]]]:
    """The records after the header, which ``reader`` (of ``text``) has just read, at most ``most`` + 1
    of them (enough to say there are too many), with the file line each starts on."""
    start = reader.line_num + 1
    with contextlib.suppress(csv.Error):
        cells = list(itertools.islice(filter(None, reader), most + 1))  # at C speed
        if reader.line_num == start + len(cells) - 1:
            return range(start, start + len(cells)), cells   # one line each, none blank: the common case
    # blank lines, cells over several lines or a CSV error: again, record by record, for the line numbers
    rows = _rows(_reader(text), text, fail)
    next(rows)  # the header
    numbered = list(itertools.islice(rows, most + 1))
    return [line for line, _ in numbered], [record for _, record in numbered]


def _failer(source: str) -> _Fail:
    def fail(problem: str) -> NoReturn:
        from .scenario import ScenarioError  # scenario imports csvdata: the one error class, imported late
        raise ScenarioError(source, "", problem)
    return fail


def _text(path: Path, fail: _Fail) -> str:
    """The file's text: checked with stat before it is opened (opening a FIFO would wait for a writer)."""
    try:
        info = path.stat()
    except OSError:
        fail("no such CSV file")
    if stat.S_ISDIR(info.st_mode):
        fail("a folder, not a CSV file")
    if not stat.S_ISREG(info.st_mode):
        fail("not a regular file (a CSV file is expected)")
    if info.st_size > MAX_CSV_BYTES:
        fail(_too_large(info.st_size))
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_CSV_BYTES + 1)  # never more, whatever it grew to since stat
    except OSError as error:
        fail(f"cannot read: {error.strerror or error}")
    if len(raw) > MAX_CSV_BYTES:
        fail(_too_large(len(raw)))
    try:
        return raw.decode("utf-8-sig")  # a byte order mark, as spreadsheets write, is fine
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        fail(f"row {line}: not UTF-8 text (byte {raw[error.start]:#04x}); save the file as UTF-8 CSV")


def _check_lines(text: str, fail: _Fail) -> None:
    """Refuse, before the csv module sees it, a file that would keep it busy for seconds or fill the
    memory: millions of lines (blank ones cost as much as rows), or one huge line (millions of cells)."""
    from .scenario import MAX_DATA_NUMBERS
    if text.count("\n") > MAX_DATA_NUMBERS or text.count("\r") > MAX_DATA_NUMBERS:
        fail(f"too large: more than {MAX_DATA_NUMBERS:,} lines (a scenario takes at most {MAX_DATA_NUMBERS:,} "
             "numbers of data)")
    lines = text.split("\n")
    if max(map(len, lines)) > MAX_LINE:  # at C speed; then which line, if it is not \r-separated lines
        for i, line in enumerate(lines):
            if len(line) > MAX_LINE and max(map(len, line.split("\r"))) > MAX_LINE:
                fail(f"row {i + 1}: too long: {len(line):,} characters (a line may have at most {MAX_LINE:,})")


def _too_large(size: int) -> str:
    return f"too large: {size / 2**20:.1f} MB (a CSV file may be at most {MAX_CSV_BYTES // 2**20} MB)"


def _names(header: list[str], line: int, fail: _Fail) -> dict[str, int]:
    """The header's column names, in order, each with its position."""
    from .scenario import printable
    if len(header) > MAX_COLUMNS:
        fail(f"row {line}: too many columns: {len(header):,} (at most {MAX_COLUMNS:,})")
    names: dict[str, int] = {}
    for j, name in enumerate(cell.strip() for cell in header):
        if not name:
            fail(f"row {line}, column {j + 1}: the header gives this column no name")
        if printable(name) != name:
            fail(f"row {line}, column {j + 1}: the column's name holds a control character: {_shown(name)}")
        if name in names:
            fail(f"row {line}: two columns are named {name!r} (columns {names[name] + 1} and {j + 1})")
        names[name] = j
    if len(names) < 2:
        only = next(iter(names))
        hint = " (are its cells separated by commas?)" if any(sep in only for sep in ";\t|") else ""
        fail(f"only one column, {only!r}: a CSV file needs input columns and a target column{hint}")
    return names


def _column(name: str, names: dict[str, int], fail: _Fail) -> str:
    if name in names:
        return name
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(itertools.islice(names, _SHOWN_COLUMNS))
    if len(names) > _SHOWN_COLUMNS:
        listed += f" and {len(names) - _SHOWN_COLUMNS:,} more"
    fail(f"no column {_shown(name)}{hint}; the header has: {listed}")


def _target(names: dict[str, int], target_column: str | None, input_columns: list[str] | None, fail: _Fail) -> str:
    if target_column is None:
        target = next(reversed(names))
        if input_columns is not None and target in input_columns:
            fail(f"column {target!r} is the target (the last column, unless target_column names another) "
                 "and also an input column")
        return target
    target = _column(target_column, names, fail)
    if input_columns is not None and target in input_columns:
        fail(f"column {target!r} is the target column and also an input column")
    return target


def _inputs(names: dict[str, int], input_columns: list[str] | None, target: str, fail: _Fail) -> tuple[str, ...]:
    if input_columns is None:
        return tuple(name for name in names if name != target)
    if not input_columns:
        fail("no input columns given")
    chosen = tuple(_column(name, names, fail) for name in input_columns)
    seen: set[str] = set()
    for name in chosen:
        if name in seen:
            fail(f"input column {name!r} is given twice")
        seen.add(name)
    return chosen


def _floats(cells: list[str]) -> np.ndarray | None:
    """The cells as numbers, or None if any is not one."""
    try:
        return np.fromiter(map(float, cells), dtype=float, count=len(cells))
    except ValueError:
        return None


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _numbers(cells: list[str], name: str, starts: Sequence[int], fail: _Fail, values: np.ndarray | None = None) -> np.ndarray:
    """The cells of column ``name`` as finite numbers of a size a scenario allows (``values``: already
    converted); the first that is not one is named with its row."""
    from .scenario import MAX_MAGNITUDE
    if values is None:
        values = _floats(cells)
    if values is None:
        i = next(i for i, cell in enumerate(cells) if not _is_number(cell))
        fail(f"row {starts[i]}, column {name!r}: not a number: {_shown(cells[i])}")
    finite = np.isfinite(values)
    if not finite.all():
        i = int(np.argmin(finite))
        fail(f"row {starts[i]}, column {name!r}: not a finite number: {_shown(cells[i])}")
    large = np.abs(values) > MAX_MAGNITUDE
    if large.any():
        i = int(np.argmax(large))
        fail(f"row {starts[i]}, column {name!r}: too large: {_shown(cells[i])} "
             f"(at most {MAX_MAGNITUDE:,.0f} in size; scale the data down)")
    return values


def _labels(cells: list[str], name: str, starts: Sequence[int], fail: _Fail) -> tuple[str, ...]:
    from .scenario import printable
    labels = tuple(cell.strip() for cell in cells)
    bad = [label for label in set(labels) if printable(label) != label]  # each label checked once
    if bad:
        i = min(labels.index(label) for label in bad)
        if not labels[i]:
            fail(f"row {starts[i]}, column {name!r}: no label (the target column's cells are numbers or labels)")
        fail(f"row {starts[i]}, column {name!r}: the label holds a control character: {_shown(labels[i])}")
    return labels


def _shown(cell: str) -> str:
    """A cell as a message quotes it: a Python literal (control characters escaped), cut short."""
    return repr(cell) if len(cell) <= _SHOWN_CELL else repr(cell[:_SHOWN_CELL]) + "…"
