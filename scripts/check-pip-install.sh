#!/usr/bin/env bash
# Issue 18: checks the set-up line of the README, `pip install ./python`, as
# a user runs it: a fresh virtual environment and pip's build isolation (pip
# fetches maturin into a throw-away build environment). Then it codes the
# acceptance sentence. Needs the package index; not run by .ci/run, since
# test-python.sh already builds and tests the same wheel without isolation.
# On a machine whose cargo has built nothing yet the build takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$target"
venv="$(cd "$target" && pwd)/pip-check-venv"
rm -rf "$venv"
python3 -m venv "$venv"
trap 'rm -rf "$venv"' EXIT
start=$(date +%s)
echo "pip install ./python into a fresh environment (build isolation)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ./python
echo "installed in $(( $(date +%s) - start )) s"
# From another folder, so that the installed package is the one imported.
(cd / && "$venv/bin/python" -c "import annalist; events = annalist.code('Iran and Iraq signed a deal in Baghdad.')['events']; print(events); assert events")
echo "pip install ./python: passed"
