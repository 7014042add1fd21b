"""nnplay.later: a module the first frame does without is imported on its first use, and only then."""

import subprocess
import sys

CODE = """
import sys, threading
from nnplay.later import later
colorsys = later("colorsys")
before = "colorsys" in sys.modules
found = []
threads = [threading.Thread(target=lambda: found.append(colorsys.rgb_to_hsv)) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
import colorsys as real
try:
    colorsys.no_such_name
except AttributeError as error:
    missing = str(error)
print(before, len(found), all(f is real.rgb_to_hsv for f in found), colorsys.rgb_to_hsv(1, 0, 0), missing, sep="|")
"""


def test_a_later_module_is_imported_on_first_use_from_any_thread():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True).stdout.split("|")
    assert out[:3] == ["False", "8", "True"]          # not imported until used; every thread got the real function
    assert out[3] == "(0.0, 1.0, 1)"                # it works as the module's own
    assert "no_such_name" in out[4]                  # a name the module lacks is an AttributeError, as it would be
