"""nnplay snapshot: the playground's screen as an SVG, drawn headless; and the names pictures get."""

import html
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nnplay import runfile
from nnplay.cli import main
from nnplay.scenario import bundled_folder, load
from nnplay.snapshot import picture_name, write_new

SVG = "{http://www.w3.org/2000/svg}"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def svg_text(path: Path) -> str:
    """What the picture shows, as plain text, a line per screen row (parsed as XML: it must be valid)."""
    root = ET.parse(path).getroot()
    rows: dict[int, list[str]] = {}
    for element in root.iter(f"{SVG}text"):
        line = re.search(r"-line-(\d+)\)", element.get("clip-path") or "")
        if line:
            rows.setdefault(int(line[1]), []).append("".join(element.itertext()))
    return "\n".join(html.unescape("".join(rows[y])).replace("\xa0", " ").replace("\n", "") for y in sorted(rows))


def screen_size(path: Path) -> tuple[int, int]:
    """The screen's columns and rows, from the rectangle Rich clips the terminal to (a cell is 12.2 by 24.4)."""
    root = ET.parse(path).getroot()
    clip = next(c for c in root.iter(f"{SVG}clipPath") if c.get("id", "").endswith("-clip-terminal"))
    rect = clip.find(f"{SVG}rect")
    return round((float(rect.get("width")) + 1) / 12.2), round((float(rect.get("height")) + 1) / 24.4)


# -- names and writing (fast) ----------------------------------------------------------------------


def test_a_picture_is_named_after_the_bundled_scenario_or_the_files_stem_in_ascii(tmp_path):
    assert picture_name(load("xor"), 25) == "nnplay-xor-step25.svg"
    odd = tmp_path / "Mön Netz (v2)!.toml"
    shutil.copy(bundled_folder() / "xor.toml", odd)  # its [scenario] name is "XOR": the file's stem names it
    assert picture_name(load(str(odd)), 7) == "nnplay-mon-netz-v2-step7.svg"
    unnamed = tmp_path / "ü.toml"
    shutil.copy(bundled_folder() / "xor.toml", unnamed)
    assert picture_name(load(str(unnamed)), 0) == "nnplay-u-step0.svg"


def test_write_new_never_overwrites(tmp_path):
    first = write_new(tmp_path / "p.svg", "one")
    second = write_new(tmp_path / "p.svg", "two")
    third = write_new(tmp_path / "p.svg", "three")
    assert [first.name, second.name, third.name] == ["p.svg", "p-2.svg", "p-3.svg"]
    assert [p.read_text() for p in (first, second, third)] == ["one", "two", "three"]


def test_write_new_into_a_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_new(tmp_path / "gone" / "p.svg", "x")


@pytest.mark.parametrize("argv, message", [
    (["--view", "nudg"], "nnplay: --view: unknown view 'nudg' (did you mean 'nudge'? expected one of: inspector, "
                         "chain-rule, nudge, sweep, landscape, functions, unit-maps, landscape-random, landscape-pca)"),
    (["--view", "zzz"], "nnplay: --view: unknown view 'zzz' (expected one of: inspector, chain-rule, nudge, sweep, "
                        "landscape, functions, unit-maps, landscape-random, landscape-pca)"),
    (["--size", "140"], "nnplay: --size: expected COLUMNSxROWS such as 140x45, got '140'"),
    (["--size", "10x10"], "nnplay: --size: from 40x12 to 500x200, got 10x10"),
    (["--size", "140x4500"], "nnplay: --size: from 40x12 to 500x200, got 140x4500"),
    (["--weight", "x9 -> h1"], "nnplay: --weight: no weight 'x9 -> h1' (expected a weight as 'FROM -> TO' or a "
                               "bias as 'b(UNIT)', e.g. 'x1 -> h1')"),
])
def test_a_bad_option_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "snapshot", "xor", *argv)
    assert (code, out, err) == (2, "", message + "\n")
    assert not list(tmp_path.iterdir())  # nothing drawn, nothing written


LINE = """
[scenario]
name = "A line"
view = "decision-map"
[data]
inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
targets = [[0], [1], [1], [1]]
[network]
layers = [{ units = 1, activation = "sigmoid" }]
[training]
loss = "bce"
learning_rate = 0.5
"""


@pytest.mark.parametrize("name", ["bump", "line"], ids=["no decision map", "no hidden layer"])
def test_unit_maps_need_a_decision_map_and_a_hidden_layer(capsys, tmp_path, name):
    if name == "line":
        (tmp_path / "line.toml").write_text(LINE)
        name = str(tmp_path / "line.toml")
    code, _, err = run(capsys, "snapshot", name, "--view", "unit-maps")
    assert code == 2 and err == "nnplay: --view: unit-maps needs two inputs (a decision map) and a hidden layer\n"


# -- pictures (each drawn headless: about a second) -------------------------------------------------


@pytest.mark.slow
def test_the_picture_is_valid_svg_at_the_step_and_size_asked(capsys, tmp_path):
    out_file = tmp_path / "x.svg"
    code, out, err = run(capsys, "snapshot", "xor", "--steps", "25", "--size", "100x30", "-o", str(out_file))
    assert (code, out, err) == (0, "", "")
    text = svg_text(out_file)
    assert re.search(r"\bstep 25 ?│", text) and not re.search(r"\bstep 0 ?│", text)
    assert screen_size(out_file) == (100, 30)
    assert len(text.splitlines()) == 30
    code, _, _ = run(capsys, "snapshot", "xor", "--steps", "25", "-o", str(out_file))  # -o replaces the file
    assert code == 0 and screen_size(out_file) == (140, 45)


@pytest.mark.slow
def test_same_command_same_svg_and_the_default_name_never_overwrites(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = run(capsys, "snapshot", "xor", "--steps", "3")
    second = run(capsys, "snapshot", "xor", "--steps", "3")
    assert first == (0, "nnplay-xor-step3.svg\n", "") and second == (0, "nnplay-xor-step3-2.svg\n", "")
    assert (tmp_path / "nnplay-xor-step3.svg").read_bytes() == (tmp_path / "nnplay-xor-step3-2.svg").read_bytes()


@pytest.mark.slow
def test_many_steps_train_in_the_background_and_the_picture_waits_for_them(capsys, tmp_path):
    out_file = tmp_path / "x.svg"
    code, _, _ = run(capsys, "snapshot", "xor", "--steps", "30000", "-o", str(out_file))
    text = svg_text(out_file)
    assert code == 0 and "step 30000 │" in text and "paused" in text


@pytest.mark.slow
def test_the_weight_and_a_slow_view_are_shown_made(capsys, tmp_path):
    out_file = tmp_path / "x.svg"
    code, _, _ = run(capsys, "snapshot", "xor", "--steps", "100", "--weight", "h1 -> xor", "--view", "landscape",
                     "-o", str(out_file))
    text = svg_text(out_file)
    assert code == 0 and "6 Explain: loss over two weights" in text
    assert "w(h1 → xor)" in text and "refining" not in text and "computing" not in text


@pytest.mark.slow
def test_stdout_and_a_saved_run_carried_on(capsys, tmp_path):
    scenario = load("xor")
    trainer = scenario.make_trainer()
    trainer.step(5)
    json_path, _ = runfile.save(tmp_path / "run", scenario, trainer)
    code, out, err = run(capsys, "snapshot", str(json_path), "--steps", "2", "-o", "-")
    assert code == 0 and out.startswith("<svg") and err == ""
    (tmp_path / "out.svg").write_text(out)
    assert "step 7 │" in svg_text(tmp_path / "out.svg")


@pytest.mark.parametrize("where", ["missing-folder/x.svg", "."])
def test_an_unwritable_output_is_one_line_and_exit_2(capsys, tmp_path, where):
    # said before anything is trained or drawn: a million steps would take minutes
    code, out, err = run(capsys, "snapshot", "xor", "--steps", "1000000", "-o", str(tmp_path / where))
    assert code == 2 and out == "" and err.startswith("nnplay: -o: cannot write ") and err.count("\n") == 1


def test_the_readmes_pictures_are_the_ones_make_sh_draws_with_nnplay_snapshot():
    root = Path(__file__).resolve().parents[1]
    folder = root / "docs" / "screenshots"
    script = (folder / "make.sh").read_text()
    made = set(re.findall(r'^snapshot .*-o "\$here/([\w.-]+\.svg)"$', script, re.MULTILINE))
    shown = set(re.findall(r"!\[[^\]]*\]\(docs/screenshots/([^)]+)\)", (root / "README.md").read_text()))
    assert made and shown == made  # every picture the README shows is drawn by the script, and no other
    assert {p.name for p in folder.iterdir()} == made | {"make.sh"}  # no stale picture lies beside them
    for name in made:
        assert ET.parse(folder / name).getroot().tag == f"{SVG}svg"


@pytest.mark.slow
def test_a_run_that_diverges_is_drawn_and_exits_3_as_every_command_does(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "boom.toml").write_text(
        "[data]\ninputs = [[0.0], [1.0], [2.0]]\ntargets = [[0.0], [2.0], [4.0]]\n"
        "[network]\nlayers = [{ units = 4, activation = \"relu\" }, { units = 1, activation = \"linear\" }]\n"
        "[training]\nlearning_rate = 50.0\nmomentum = 0.9\n")
    code, out, err = run(capsys, "snapshot", "boom.toml", "--steps", "200")
    step = int(re.fullmatch(r"nnplay-boom-step(\d+)\.svg\n", out)[1])
    assert code == 3 and step < 200
    assert err.startswith(f"nnplay: boom: the run diverged at step {step}: ") and err.count("\n") == 1
    assert "DIVERGED" in svg_text(tmp_path / out.strip())
