"""The project works from any folder, and its .venv is set up for the computer it is on.

The venvs here are fakes in tmp_path (a folder and a `python` that is a link, or a script that
hands over to the Python running the tests): nothing is downloaded and nothing is installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from pipeline import environment as E
from pipeline.checking.validate import suites_folder

WANTED = {"runtime": ["pandas>=2.2,<4", "openpyxl>=3.1,<4"], "dev": ["pytest>=8,<10"]}
HERE = E.this_python()


def fake_venv(tmp_path: Path, record: dict | None = None, *, python: str = "works") -> Path:
    """A .venv whose python works (a script running this Python), is a link to a Python that
    is not on this computer ("missing"), or is a Windows one, in Scripts/ ("windows")."""
    venv = tmp_path / ".venv"
    if python == "windows":
        (venv / "Scripts").mkdir(parents=True)
        (venv / "Scripts" / "python.exe").write_bytes(b"MZ\x90\x00")  # a Windows program
    else:
        (venv / "bin").mkdir(parents=True)
        program = venv / "bin" / "python"
        if python == "missing":
            program.symlink_to("/Users/colleague/.pyenv/versions/3.12.4/bin/python3.12")
        else:
            program.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
            program.chmod(0o755)
    if record is not None:
        (venv / E.RECORD).write_text(json.dumps(record), encoding="utf-8")
    return venv


def made_here(**changes) -> dict:
    return {**HERE, "runtime": E.digest(WANTED["runtime"]), **changes}


def decision(venv: Path, dev: bool = False) -> str:
    return E.decide(venv, WANTED, dev, E.probe(E.python_of(venv)))


def test_a_venv_set_up_here_is_left_alone(tmp_path):
    venv = fake_venv(tmp_path, made_here(dev=E.digest(WANTED["dev"])))
    assert E.probe(E.python_of(venv)) == HERE
    assert (decision(venv), decision(venv, dev=True)) == ("ok", "ok")
    said = []
    assert E.ensure(venv, dev=True, say=said.append, wanted=WANTED) == "ok"
    assert said == []


def test_no_venv_is_made(tmp_path):
    assert decision(tmp_path / ".venv") == "create"


def test_a_link_to_a_python_this_computer_lacks_is_another_computers_venv(tmp_path):
    venv = fake_venv(tmp_path, made_here(), python="missing")
    assert E.probe(E.python_of(venv)) is None
    assert decision(venv) == "replace"


@pytest.mark.skipif(os.name == "nt", reason="on Windows, Scripts/ is where a venv's Python is")
def test_a_venv_made_on_windows_is_replaced_here(tmp_path):
    venv = fake_venv(tmp_path, {**made_here(), "system": "Windows"}, python="windows")
    assert not (venv / "bin").exists()
    assert decision(venv) == "replace"


def test_a_venv_recorded_for_another_python_is_replaced(tmp_path):
    # Its python runs here (a link to a path both computers have, say), yet it is not the
    # Python, or the system, that the libraries in it were installed for.
    venv = fake_venv(tmp_path, made_here(python="cpython-3.99"))
    assert decision(venv) == "replace"
    elsewhere = "Linux" if HERE["system"] == "Darwin" else "Darwin"
    assert decision(fake_venv(tmp_path / "mac", made_here(system=elsewhere))) == "replace"


def test_a_changed_list_of_libraries_is_installed_again(tmp_path):
    venv = fake_venv(tmp_path, made_here(runtime=E.digest(["pandas>=2.1,<3"])))
    assert decision(venv) == "update"


def test_the_developers_libraries_are_installed_when_a_developers_command_needs_them(tmp_path):
    venv = fake_venv(tmp_path, made_here())
    assert (decision(venv), decision(venv, dev=True)) == ("ok", "dev")
    stale = fake_venv(tmp_path / "stale", made_here(dev=E.digest(["pytest>=7"])))
    assert decision(stale, dev=True) == "dev"


def test_a_venv_from_before_the_record_is_installed_into_again_not_replaced(tmp_path):
    # The Makefile's earlier .venv: this computer's, with no record (and an editable install).
    assert decision(fake_venv(tmp_path)) == "install"


def test_the_dependencies_are_read_from_pyproject():
    wanted = E.dependencies(REPO)
    assert "pandas>=2.2,<4" in wanted["runtime"] and "pytest>=8,<10" in wanted["dev"]
    assert not any("issues-matrix" in r for r in wanted["runtime"] + wanted["dev"])


def test_the_quick_check_is_run_by_the_venvs_own_python_and_answers_by_its_status(tmp_path):
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    wanted = E.dependencies(tmp_path)
    venv = fake_venv(tmp_path, {**HERE, "runtime": E.digest(wanted["runtime"])})
    check = [E.python_of(venv), "-I", "-S", REPO / "pipeline" / "environment.py", "--check"]

    def status(*more):
        return subprocess.run([*check, *more], cwd=tmp_path, timeout=60).returncode

    assert (status(), status("--dev")) == (0, 1)
    (venv / E.RECORD).write_text(json.dumps({**HERE, "runtime": "0" * 16}), encoding="utf-8")
    assert status() == 1


def test_without_the_internet_setting_up_says_so_in_two_lines_and_keeps_pips_words(
    tmp_path, monkeypatch, capsys
):
    # A library that is not installed, and an index that has nothing: pip has to download,
    # and cannot, as on a laptop offline.
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\ndependencies = ["issues-matrix-absent-lib>=1"]\n'
    )
    empty = tmp_path / "empty index"
    empty.mkdir()
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)  # none of this machine's pip settings
    monkeypatch.setenv("PIP_INDEX_URL", empty.as_uri())
    for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    venv = fake_venv(tmp_path, {**HERE, "runtime": E.digest(["pandas"])})
    before = (venv / E.RECORD).read_text(encoding="utf-8")

    assert E.main([]) == 2
    out, err = capsys.readouterr()
    assert out == E.CHANGED + "\n"
    assert err.splitlines() == [
        "Error: setting up .venv needs the Internet once, to download the libraries, and it "
        "could not reach it.",
        "Hint: connect to the Internet and run the command again; after that it works offline.",
        f"What pip said is in {Path('.venv') / E.LOG}.",
    ]
    assert "Traceback" not in err
    log = (venv / E.LOG).read_text(encoding="utf-8")
    assert "issues-matrix-absent-lib" in log and "(from versions: none)" in log
    # Nothing is recorded: the next command, online, installs again.
    assert (venv / E.RECORD).read_text(encoding="utf-8") == before


def test_the_rules_are_found_beside_the_package_and_inside_it(tmp_path):
    assert suites_folder() == REPO / "expectations"
    package = tmp_path / "site-packages" / "pipeline"
    (package / "expectations").mkdir(parents=True)
    (package / "expectations" / "proposals.json").write_text("{}")
    assert suites_folder(package) == package / "expectations"
    assert suites_folder(tmp_path / "nowhere" / "pipeline") is None


@pytest.mark.slow
def test_the_project_runs_from_a_folder_with_spaces_and_accents(tmp_path):
    """A copy of the project (no .venv, nothing installed from it) in a folder an analyst might
    have, as after moving or renaming it: the folder's own package and rules are used."""
    project = tmp_path / "Équipe politique" / "Issues Matrix (copie)"
    project.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("pipeline", "expectations", "inputs"):
        shutil.copytree(REPO / name, project / name, ignore=ignore)
    shutil.copy(REPO / "pyproject.toml", project)
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [sys.executable, "-c", "import pipeline.checking.validate as v; print(v.suites_folder())"],
        cwd=project, env=environ, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert run.stdout.strip() == str(project / "expectations")

    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "matrix"],
        cwd=project, env=environ, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "41 resolutions × 6 regional groups and 2 member states, 93 proposals." in result.stdout
    [matrix] = (project / "outputs").rglob("WTSA-24_Issues_Matrix.xlsx")
    assert matrix.stat().st_size > 10_000


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_new_without_a_conference_says_how_to_name_one():
    result = subprocess.run(
        ["make", "--no-print-directory", "new"], cwd=REPO, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == [
        "Error: make new needs the name of the conference.",
        "Hint: for example: make new CONFERENCE=PP-26 INPUTS=pp26 (add FROM=inputs to start "
        "from that folder's catalogue)",
    ]
