#!/usr/bin/env bash
# The whole check on a fresh machine, as the README gives it: installs what
# the tests need (the package with its test extras; Debian's chromium for the
# browser tests, virtuoso-opensource for the remote store tests, npm to fetch
# axe-core and YASGUI from its registry, when they are missing), then runs the
# linter, the type checker and the test suite, its files side by side on every
# core (pytest-xdist; a file's tests stay together, so its module fixtures start
# once). Arguments go to pytest, e.g. `bash tests/run.sh -m library`.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian's chromium for the browser tests; Debian's Virtuoso 7 for the tests of
# Virtuoso as the remote store (tests/support/virtuoso_server.py starts it);
# npm to fetch axe-core, the accessibility engine the browser tests run in
# each page, and YASGUI for its browser test, from the npm registry once
# (tests/support/axe.py and yasgui.py keep them in ~/.cache/partnergraph; never
# a CDN, nothing kept in the repository).
missing=()
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium fonts-dejavu-core); fi
if ! command -v virtuoso-t >/dev/null 2>&1; then missing+=(virtuoso-opensource); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing Debian's ${missing[*]} for the tests"
  as_root=""
  if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get update -q
  $as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
python -m tests.support.axe >/dev/null
python -m tests.support.yasgui

echo "tests/run.sh: ruff"
python -m ruff check .
echo "tests/run.sh: mypy"
python -m mypy
echo "tests/run.sh: pytest"
python -m pytest --numprocesses auto --dist loadfile "$@"
