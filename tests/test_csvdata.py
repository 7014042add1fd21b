"""CSV data (nnplay.csvdata.read): the happy path, the default columns, and one test per error,
its message asserted whole (row numbers count the file's lines, the header is row 1)."""

import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nnplay import csvdata
from nnplay.csvdata import read
from nnplay.scenario import ScenarioError, load

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def write(tmp_path, text: str | bytes, name="points.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def error(path, input_columns=None, target_column=None, source="points.csv") -> str:
    with pytest.raises(ScenarioError) as info:
        read(path, source, input_columns, target_column)
    return str(info.value)


# -- the happy path ------------------------------------------------------------------------------

def test_numbers_names_and_string_labels(tmp_path):
    path = write(tmp_path, "x1,x2,label\n0.5,-1,red\n2e-3, 7 ,blue\n-0,3.25,red\n")
    data = read(path, "points.csv", ["x1", "x2"], "label")
    assert data.input_names == ("x1", "x2") and data.target_name == "label"
    assert data.inputs.dtype == np.float64 and data.inputs.shape == (3, 2)
    assert data.inputs.tolist() == [[0.5, -1.0], [0.002, 7.0], [0.0, 3.25]]
    assert data.targets == ("red", "blue", "red")


def test_numeric_targets_are_an_array(tmp_path):
    path = write(tmp_path, "x,y\n0,0\n0.5,1\n1,0\n")
    data = read(path, "bump.csv", None, None)
    assert isinstance(data.targets, np.ndarray) and data.targets.shape == (3,)
    assert data.targets.tolist() == [0.0, 1.0, 0.0]
    assert data.inputs.tolist() == [[0.0], [0.5], [1.0]]


def test_one_label_makes_the_target_column_labels(tmp_path):
    """Targets are numbers only when every cell is one: 1, 2 and 'many' are three labels."""
    data = read(write(tmp_path, "x,n\n0,1\n1,2\n2,many\n"), "p.csv", None, None)
    assert data.targets == ("1", "2", "many")


def test_default_columns_target_last_inputs_every_other(tmp_path):
    path = write(tmp_path, "a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    data = read(path, "p.csv", None, None)
    assert data.input_names == ("a", "b", "c") and data.target_name == "d"
    assert data.inputs.tolist() == [[1, 2, 3], [5, 6, 7]] and data.targets.tolist() == [4, 8]


def test_default_inputs_around_a_named_target(tmp_path):
    data = read(write(tmp_path, "a,b,c\n1,2,3\n"), "p.csv", None, "b")
    assert data.input_names == ("a", "c") and data.inputs.tolist() == [[1, 3]] and data.targets.tolist() == [2]


def test_chosen_inputs_in_the_order_given_other_columns_ignored(tmp_path):
    path = write(tmp_path, "id,x2,x1,note,label\n7,2,1,anything at all,yes\n8,4,3,,no\n")
    data = read(path, "p.csv", ["x1", "x2"], None)
    assert data.input_names == ("x1", "x2") and data.inputs.tolist() == [[1, 2], [3, 4]]
    assert data.targets == ("yes", "no")


def test_spaces_bom_quotes_crlf_and_blank_lines(tmp_path):
    text = '\ufeff x1 , x2 ,"label"\r\n\r\n"1.5", 2 , red \r\n3,4,"blue"\r\n\r\n'
    data = read(write(tmp_path, text), "p.csv", None, None)
    assert data.input_names == ("x1", "x2") and data.target_name == "label"
    assert data.inputs.tolist() == [[1.5, 2], [3, 4]] and data.targets == ("red", "blue")


def test_no_final_line_break(tmp_path):
    data = read(write(tmp_path, "x1,x2,label\n1,2,a\n3,4,b"), "p.csv", None, None)
    assert data.targets == ("a", "b")


# -- errors: the cells -----------------------------------------------------------------------------

def test_the_spec_example_row_and_column(tmp_path):
    lines = ["x1,x2,label"] + [f"{i},{i},a" for i in range(15)] + ["1,n/a,b", "2,2,a"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert error(path) == "points.csv: row 17, column 'x2': not a number: 'n/a'"


def test_row_numbers_count_blank_lines_and_lines_inside_quotes(tmp_path):
    # a label over lines 3 and 4; a blank line 5; the bad cell on line 6
    path = write(tmp_path, 'x1,x2,label\n1,2,a\n3,4,"two\nlines"\n\n5,oops,b\n')
    assert error(path) == "points.csv: row 6, column 'x2': not a number: 'oops'"
    path = write(tmp_path, '\n\nx1,x2,label\n1,?,a\n')  # blank lines before the header count too
    assert error(path) == "points.csv: row 4, column 'x2': not a number: '?'"
    path = write(tmp_path, 'x1,x2,label\r\n1,2,"a\r\nb\rc"\r\n\r\n3,bad,c\r\n')  # any line ends, in cells too
    assert error(path) == "points.csv: row 6, column 'x2': not a number: 'bad'"
    path = write(tmp_path, 'x1,x2,label\r1,2,a\r3,bad,c\r')
    assert error(path) == "points.csv: row 3, column 'x2': not a number: 'bad'"


def test_empty_and_long_cells_are_quoted_short(tmp_path):
    assert error(write(tmp_path, "x1,x2,y\n1,,2\n")) == "points.csv: row 2, column 'x2': not a number: ''"
    long = "z" * 100
    assert error(write(tmp_path, f"x1,x2,y\n1,{long},2\n")) == f"points.csv: row 2, column 'x2': not a number: '{'z' * 40}'…"


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e400"])
def test_not_finite(tmp_path, cell):
    assert error(write(tmp_path, f"x1,x2,y\n1,2,3\n4,{cell},6\n")) == f"points.csv: row 3, column 'x2': not a finite number: '{cell}'"


def test_not_finite_target(tmp_path):
    assert error(write(tmp_path, "x1,y\n1,2\n4,NaN\n")) == "points.csv: row 3, column 'y': not a finite number: 'NaN'"


def test_too_large_a_number(tmp_path):
    assert error(write(tmp_path, "x1,y\n1,2\n2e12,3\n")) == \
        "points.csv: row 3, column 'x1': too large: '2e12' (at most 1,000,000,000,000 in size; scale the data down)"


def test_a_label_with_a_control_character(tmp_path):
    path = write(tmp_path, "x1,x2,label\n1,2,red\n3,4,\x1b[31mblue\n")
    assert error(path) == r"points.csv: row 3, column 'label': the label holds a control character: '\x1b[31mblue'"


def test_a_missing_label(tmp_path):
    path = write(tmp_path, "x1,x2,label\n1,2,red\n3,4,  \n")
    assert error(path) == "points.csv: row 3, column 'label': no label (the target column's cells are numbers or labels)"


def test_an_unused_column_may_hold_anything(tmp_path):
    data = read(write(tmp_path, "note,x,y\n\x1b[2J,1,2\n"), "p.csv", ["x"], "y")
    assert data.inputs.tolist() == [[1]]


# -- errors: the shape -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    assert error(write(tmp_path, text)) == \
        "points.csv: empty file (a CSV file needs a header row naming the columns, then one row per sample)"


@pytest.mark.parametrize("text", ["x1,x2,y\n", "x1,x2,y\n\n\n", "x1,x2,y"])
def test_header_only(tmp_path, text):
    assert error(write(tmp_path, text)) == "points.csv: no data: only a header row (then one row per sample)"


@pytest.mark.parametrize("row,message", [
    ("1,2", "row 3 has 2 cells, the header has 3"),
    ("1,2,3,4", "row 3 has 4 cells, the header has 3"),
    ("1", "row 3 has 1 cell, the header has 3"),
])
def test_ragged_row(tmp_path, row, message):
    assert error(write(tmp_path, f"x1,x2,y\n1,2,3\n{row}\n5,6,7\n")) == f"points.csv: {message}"


def test_ragged_row_after_lines_inside_quotes(tmp_path):
    path = write(tmp_path, 'x1,x2,y\n1,2,"a\nb"\n1,2\n')
    assert error(path) == "points.csv: row 4 has 2 cells, the header has 3"


def test_duplicate_header_names(tmp_path):
    assert error(write(tmp_path, "x1,x2,x1,y\n1,2,3,4\n")) == "points.csv: row 1: two columns are named 'x1' (columns 1 and 3)"


def test_a_column_without_a_name(tmp_path):
    assert error(write(tmp_path, "x1,,y\n1,2,3\n")) == "points.csv: row 1, column 2: the header gives this column no name"


def test_control_characters_in_a_header(tmp_path):
    assert error(write(tmp_path, "x1,x\u202e2,y\n1,2,3\n")) == \
        r"points.csv: row 1, column 2: the column's name holds a control character: 'x\u202e2'"


def test_one_column(tmp_path):
    assert error(write(tmp_path, "y\n1\n")) == \
        "points.csv: only one column, 'y': a CSV file needs input columns and a target column"
    assert error(write(tmp_path, "x1;x2;y\n1;2;3\n")) == ("points.csv: only one column, 'x1;x2;y': a CSV file needs "
                                                           "input columns and a target column (are its cells separated by commas?)")


def test_csv_syntax_errors_name_their_row(tmp_path):
    path = write(tmp_path, "x1,x2,y\n1,2,3\n1,2," + "9" * 200_000 + "\n")
    assert error(path) == "points.csv: row 3: cannot read it as CSV: field larger than field limit (131072)"
    path = write(tmp_path, 'x1,x2,y\n1,2,3\n4,"5,6\n7,8,9\n')
    assert error(path) == ("points.csv: row 3: cannot read it as CSV: unexpected end of data "
                           "(a quote opened here is never closed)")
    path = write(tmp_path, 'x1,x2,y\n1,2,3\n\n4,"5"x,6\n')
    assert error(path) == "points.csv: row 4: cannot read it as CSV: ',' expected after '\"'"


# -- errors: the columns asked for ---------------------------------------------------------------------

def test_a_missing_column_with_a_did_you_mean(tmp_path):
    path = write(tmp_path, "x1,x2,label\n1,2,a\n")
    assert error(path, ["x1", "x2"], "lable") == \
        "points.csv: no column 'lable' (did you mean 'label'?); the header has: x1, x2, label"
    assert error(path, ["x1", "weight"], None) == "points.csv: no column 'weight'; the header has: x1, x2, label"


def test_a_missing_column_lists_a_long_header_shortly(tmp_path):
    names = [f"c{i}" for i in range(30)]
    path = write(tmp_path, ",".join(names) + "\n" + ",".join("1" * 30) + "\n")
    assert error(path, ["zzz"]) == f"points.csv: no column 'zzz'; the header has: {', '.join(names[:20])} and 10 more"


def test_target_also_an_input(tmp_path):
    path = write(tmp_path, "x1,x2,y\n1,2,3\n")
    assert error(path, ["x1", "y"], "y") == "points.csv: column 'y' is the target column and also an input column"
    assert error(path, ["x1", "y"], None) == ("points.csv: column 'y' is the target (the last column, unless "
                                              "target_column names another) and also an input column")


def test_input_columns_twice_or_none(tmp_path):
    path = write(tmp_path, "x1,x2,y\n1,2,3\n")
    assert error(path, ["x1", "x1"]) == "points.csv: input column 'x1' is given twice"
    assert error(path, []) == "points.csv: no input columns given"


def test_too_many_numbers_refused_without_reading_them_all(tmp_path, monkeypatch):
    monkeypatch.setattr("nnplay.scenario.MAX_DATA_NUMBERS", 30)
    path = write(tmp_path, "x1,x2,y\n" + "1,2,3\n" * 11)
    assert error(path) == "points.csv: too large: more than 30 numbers of data (3 columns used, so at most 10 rows)"
    assert read(write(tmp_path, "x1,x2,y\n" + "1,2,3\n" * 10), "p.csv").inputs.shape == (10, 2)
    assert read(write(tmp_path, "x1,x2,y\n" + "1,2,3\n" * 15), "p.csv", ["x1"]).inputs.shape == (15, 1)


def test_too_many_columns_in_the_header(tmp_path):
    width = csvdata.MAX_COLUMNS + 1
    path = write(tmp_path, ",".join(f"c{i}" for i in range(width)) + "\n" + ",".join(["1"] * width) + "\n")
    assert error(path) == f"points.csv: row 1: too many columns: {width:,} (at most {csvdata.MAX_COLUMNS:,})"


def test_too_many_input_columns(tmp_path, monkeypatch):
    monkeypatch.setattr("nnplay.scenario.MAX_INPUTS", 3)
    path = write(tmp_path, "a,b,c,d,e\n1,2,3,4,5\n")
    assert error(path) == "points.csv: too large: 4 input columns (at most 3)"
    assert error(path, ["a", "b", "c", "d"], "e") == "points.csv: too large: 4 input columns (at most 3)"
    assert read(path, "p.csv", ["a", "b", "c"], "e").input_names == ("a", "b", "c")


def test_too_many_lines_refused_before_parsing(tmp_path, monkeypatch):
    """Blank lines cost the csv module as much as rows: millions of them are refused by a count."""
    monkeypatch.setattr("nnplay.scenario.MAX_DATA_NUMBERS", 10)
    for text in ("x,y\n1,2\n" + "\n" * 10, "x,y\r1,2\r" + "\r" * 10):
        assert error(write(tmp_path, text)) == \
            "points.csv: too large: more than 10 lines (a scenario takes at most 10 numbers of data)"
    assert read(write(tmp_path, "x,y\r\n1,2\r\n" + "\r\n" * 7), "p.csv").inputs.tolist() == [[1]]


def test_a_huge_line_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(csvdata, "MAX_LINE", 20)
    path = write(tmp_path, "x,y\n1,2\n" + ",".join(["7"] * 11) + "\n")
    assert error(path) == "points.csv: row 3: too long: 21 characters (a line may have at most 20)"
    # lines ended by \r alone are lines too
    assert read(write(tmp_path, "x,y\r" + "1,2\r" * 10), "p.csv").inputs.shape == (10, 1)


# -- errors: the file ----------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    assert error(tmp_path / "nowhere.csv") == "points.csv: no such CSV file"


def test_a_folder(tmp_path):
    assert error(tmp_path) == "points.csv: a folder, not a CSV file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    assert error(tmp_path / "pipe.csv") == "points.csv: not a regular file (a CSV file is expected)"


def test_over_50_mb_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    with path.open("wb") as file:
        file.truncate(csvdata.MAX_CSV_BYTES + 1)  # sparse: nothing written

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")
    monkeypatch.setattr(Path, "open", no_open)
    assert error(path) == "points.csv: too large: 50.0 MB (a CSV file may be at most 50 MB)"


def test_not_utf8_names_its_row(tmp_path):
    path = write(tmp_path, "x1,x2,label\n1,2,red\n3,4,caf\xe9\n".encode("latin-1"))
    assert error(path) == "points.csv: row 3: not UTF-8 text (byte 0xe9); save the file as UTF-8 CSV"


def test_unreadable(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who reads anything")
        assert error(path) == "points.csv: cannot read: Permission denied"
    finally:
        path.chmod(0o644)


def test_the_source_is_printed_safely(tmp_path):
    assert error(tmp_path / "x.csv", source="bad\x1b[2J.csv") == r"'bad\x1b[2J.csv': no such CSV file"


# -- the bundled CSV scenario --------------------------------------------------------------------------

def test_the_bundled_penguins_csv_reads_as_its_scenario_asks():
    data_table = tomllib.loads((SCENARIOS / "penguins.toml").read_text(encoding="utf-8"))["data"]
    path = SCENARIOS / data_table["csv"]
    data = read(path, "penguins.csv", data_table["input_columns"], data_table["target_column"])
    assert data.input_names == ("bill_length_mm", "bill_depth_mm") and data.target_name == "species"
    assert data.inputs.shape == (274, 2)
    assert sorted(set(data.targets)) == ["Adelie", "Gentoo"]  # string labels: the classes
    assert (data.targets.count("Adelie"), data.targets.count("Gentoo")) == (151, 123)
    assert data.inputs[0].tolist() == [39.1, 18.7]  # the first penguin of the palmerpenguins data
    # in mm, as the lesson says: lengths of 32 to 60, depths of 13 to 22
    assert data.inputs.min(axis=0).tolist() == [32.1, 13.1] and data.inputs.max(axis=0).tolist() == [59.6, 21.5]
    # every measurement column is there, for the lesson's "try other columns"
    for column in ("flipper_length_mm", "body_mass_g"):
        assert read(path, "penguins.csv", [column], "species").inputs.shape == (274, 1)


def test_the_penguins_scenario_converges_and_its_lesson_tells_the_truth():
    """Through the scenario loader (needs [data] csv wired in nnplay/scenario.py)."""
    s = load("penguins")
    assert s.data.class_names == ("Adelie", "Gentoo") and s.data.output_names == ("P(Gentoo)",)
    assert s.data.input_names == ("bill_length_mm", "bill_depth_mm")
    assert len(s.data.inputs) + len(s.data.test_inputs) == 274 and len(s.data.test_inputs) > 0
    pages = {page.title: page for page in s.lessons}
    t = s.make_trainer()

    def test_loss():
        return t.network.loss(t.params, s.data.test_inputs, s.data.test_targets, "bce")

    # "Numbers in their own units": small weights keep tanh off its flat ends; weights of 0.5 do not
    slope = 1 - np.tanh(t.snapshot().layers[0].u) ** 2
    steep = load("penguins", overrides={"init.scale": 0.5}).make_trainer()
    assert slope.mean() > 0.2 and (1 - np.tanh(steep.snapshot().layers[0].u) ** 2).mean() < 1e-3
    # "Training and test": by its step both losses have fallen together
    start, start_test = t.current_loss(), test_loss()
    t.step(pages["Training and test"].action.run_to)
    assert t.current_loss() < start / 10 and test_loss() < start_test / 10
    # "Surer, not righter": every training penguin right within a few hundred steps, the loss still falling
    assert t.accuracy() == 1.0
    at = t.current_loss()
    t.step(pages["Surer, not righter"].action.run_to - t.step_count)
    assert t.accuracy() == 1.0 and t.current_loss() < at / 5
    # the bundled rule (SPEC §3): the loss falls at least 10x, visibly, and every training sample is right
    h = t.loss_history()
    assert t.step_count == 3000 and h[-1] <= h[0] / 10 and h[10] > h[0] / 10 and not t.diverged
    # "Try other columns": flippers of about 200 mm stall the same network near 0.69
    other = load("penguins", overrides={"data.input_columns": ["flipper_length_mm", "bill_depth_mm"]}).make_trainer()
    other.step(3000)
    assert other.current_loss() > 0.65 and other.accuracy() < 0.6
