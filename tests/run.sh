#!/usr/bin/env bash
# The whole check on a fresh machine, as the README gives it: installs what
# the tests need (the package with its test extras; Debian's chromium for the
# browser tests and npm to fetch YASGUI for one of them, when missing), then
# runs the linter, the type checker and the test suite, its files side by
# side on every core (pytest-xdist; a file's tests stay together, so its
# module fixtures start once). Arguments go to pytest, e.g.
# `bash tests/run.sh -m library`.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# Debian packages for what a command is missing: apt_install WHY PACKAGE...
apt_install() {
  local why=$1; shift
  echo "tests/run.sh: installing Debian's $1 $why"
  local as_root=""
  if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get update -q
  $as_root apt-get install -y -q --no-install-recommends "$@"
}

if ! command -v chromium >/dev/null 2>&1; then
  apt_install "for the browser tests" chromium fonts-dejavu-core
fi
# YASGUI for its browser test comes from the npm registry (npm pack, into
# ~/.cache/partnergraph), never from a CDN and not kept in the repository.
if ! command -v npm >/dev/null 2>&1; then
  apt_install "to fetch YASGUI for its browser test" npm
fi
python -m tests.support.yasgui

echo "tests/run.sh: ruff"
python -m ruff check .
echo "tests/run.sh: mypy"
python -m mypy
echo "tests/run.sh: pytest"
python -m pytest --numprocesses auto --dist loadfile "$@"
