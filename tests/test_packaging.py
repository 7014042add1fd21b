"""Packaging: the wheel carries the scenarios, styles and type marker; the sdist carries the tests,
and they pass from it. Everything is built from a copy of the tree in a temporary folder."""

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                              ".hypothesis", "snapshot_report.html")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, sdist) built from a copy of the source tree, which stays untouched."""
    tmp = tmp_path_factory.mktemp("packaging")
    tree = tmp / "tree"
    shutil.copytree(ROOT, tree, ignore=SKIP)
    out = tmp / "dist"
    r = subprocess.run([sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(tree)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return next(out.glob("nnplay-*.whl")), next(out.glob("nnplay-*.tar.gz"))


def test_wheel_ships_scenarios_styles_and_the_type_marker(built):
    wheel, _ = built
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    for pattern in ("*.toml", "*.csv"):  # a scenario and the CSV data beside it
        for scenario in (ROOT / "scenarios").glob(pattern):
            assert f"nnplay/scenarios/{scenario.name}" in names
    assert {"nnplay/tui/app.tcss", "nnplay/py.typed"} <= names
    entry_points = next(archive.read(n) for n in names if n.endswith("entry_points.txt"))
    assert b"nnplay = nnplay.cli:main" in entry_points
    metadata = next(archive.read(n).decode() for n in names if n.endswith("METADATA"))
    assert "License-Expression: MIT" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in names) and any(n.endswith("licenses/NOTICE") for n in names)
    # exact pins belong in constraints.txt, not in what users install
    requirements = [line.split(";")[0] for line in metadata.splitlines() if line.startswith("Requires-Dist")]
    assert requirements and not any("==" in r for r in requirements), requirements


def test_sdist_holds_the_tests_and_they_pass_from_it(built, tmp_path):
    _, sdist = built
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    root = tmp_path / sdist.name.removesuffix(".tar.gz")
    for needed in ("LICENSE", "constraints.txt", "scenarios/xor.toml", "scenarios/penguins.csv", "tests/conftest.py",
                   "tests/tui/__snapshots__", "tests/engine/test_gradients.py"):
        assert f"{root.name}/{needed}" in names, needed
    # run from the unpacked sdist, as a packager would, with nothing but that tree to import nnplay from
    # (this checkout's editable install is hidden); the full suite: by hand, see the README
    run = ("import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in getattr(f, '__module__', '')];"
           "import pytest; raise SystemExit(pytest.main(['-q', '-p', 'no:cacheprovider', "
           "'tests/test_scenario.py', 'tests/test_lessons.py']))")
    r = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, timeout=300, cwd=root)
    assert r.returncode == 0, r.stdout[-3000:]
