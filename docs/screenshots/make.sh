#!/bin/sh
# The README's pictures, drawn by `nnplay snapshot` (headless, 140 x 45, the same picture ctrl+s saves).
# Run it after a change that alters what they show:  sh docs/screenshots/make.sh
# (with the project's .venv if there is one, else PYTHON, else python3; constraints.txt's versions draw
# them as the snapshot tests do). Then look at them: rsvg-convert -o x.png x.svg.
set -eu
unset NO_COLOR  # the pictures are in colour, whatever this terminal prefers
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x "$here/../../.venv/bin/python" ]; then python="$here/../../.venv/bin/python"; fi
snapshot() { "$python" -m nnplay snapshot "$@"; }

# the top of the README: the bump's curve bent into a bump, and the loss along one weight
snapshot bump --steps 250 --weight "x -> h1" --view sweep -o "$here/bump.svg"
# "The playground": XOR solved, the chain rule for a weight of the output layer
snapshot xor --steps 450 --weight "h1 -> xor" --view chain-rule -o "$here/xor.svg"
