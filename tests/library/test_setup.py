"""The README's one test command sets up a fresh machine by itself: CI runs
exactly that command, and it installs Debian's chromium, virtuoso-opensource
and npm when the machine has none, fetches axe-core and YASGUI with npm, then
runs the linter, the type checker and the tests.

The script runs for real here, with the programs it calls replaced by ones
that write down how they were called: installing chromium for real needs a
machine without it (the closing note of the change says where that was done)."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from tests.support.processes import REPO

CALLS = "calls.txt"


def readme_test_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- test-command", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return block.strip()


def recorder(folder: Path, name: str) -> None:
    path = folder / name
    path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{folder / CALLS}"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run_setup(tmp_path: Path, *, present: tuple[str, ...]) -> list[str]:
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("python", "apt-get", "sudo", *present):
        recorder(folder, name)
    (folder / "dirname").symlink_to("/usr/bin/dirname")
    (folder / "id").write_text("#!/bin/sh\necho 0\n", encoding="utf-8")
    (folder / "id").chmod(0o755)
    done = subprocess.run(["/bin/bash", str(REPO / "tests" / "run.sh"), "-k", "nothing"],
                          env={"PATH": str(folder), "HOME": os.environ.get("HOME", "/root")},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return (folder / CALLS).read_text(encoding="utf-8").splitlines()


def test_ci_runs_exactly_the_readmes_test_command_and_installs_nothing_itself():
    assert readme_test_command() == "bash tests/run.sh"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -c "$command"' in ci and "apt-get" not in ci and "pip install" not in ci


def test_the_test_command_installs_chromium_when_the_machine_has_none(tmp_path):
    calls = run_setup(tmp_path, present=("virtuoso-t", "npm"))
    installs = [c for c in calls if c.startswith("apt-get install")]
    assert len(installs) == 1 and " chromium" in installs[0], calls
    assert "virtuoso" not in installs[0] and " npm" not in installs[0]
    assert calls[0].startswith("python -m pip install") and "[test]" in calls[0]
    assert [c.split()[2] for c in calls if c.startswith("python -m ") and "pip" not in c] == \
        ["tests.support.axe", "tests.support.yasgui", "ruff", "mypy", "pytest"]


def test_the_test_command_installs_virtuoso_when_the_machine_has_none(tmp_path):
    calls = run_setup(tmp_path, present=("chromium", "npm"))
    installs = [c for c in calls if c.startswith("apt-get install")]
    assert len(installs) == 1 and installs[0].endswith(" virtuoso-opensource"), calls


def test_the_test_command_installs_npm_for_axe_core_when_the_machine_has_none(tmp_path):
    calls = run_setup(tmp_path, present=("chromium", "virtuoso-t"))
    installs = [c for c in calls if c.startswith("apt-get install")]
    assert len(installs) == 1 and installs[0].endswith(" npm"), calls


def test_the_test_command_leaves_an_installed_chromium_virtuoso_and_npm_alone(tmp_path):
    calls = run_setup(tmp_path, present=("chromium", "virtuoso-t", "npm"))
    assert not any(c.startswith("apt-get") for c in calls), calls
    assert calls[-1].startswith("python -m pytest --numprocesses auto")
