#!/usr/bin/env bash
# Issue 18: builds the Python package from source (maturin, one abi3 wheel)
# into a virtual environment and runs its pytest suite, which compares its
# records with the binary's. Needs no ../shared data: the Tehran Times test
# is skipped without it. The wheel build dominates the run time; the
# environment is kept under the cargo target folder and reused, and cargo
# reuses what it built there.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
venv="$(cd "$target" && pwd)/py-venv"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# The build backend runs the maturin command, which must be on PATH.
export PATH="$venv/bin:$PATH"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.5,<2" pytest pandas

start=$(date +%s)
# No build isolation: the environment's maturin builds the wheel, so that a
# run needs the package index only for the three tools above.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-build-isolation --force-reinstall --no-deps ./python
echo "annalist wheel built from source and installed in $(( $(date +%s) - start )) s"

# From the repository root, so that python/annalist (the sources, without
# the native module) is not the package imported.
"$venv/bin/python" -m pytest -q python/tests
