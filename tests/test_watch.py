"""Watch mode: rebuilds after a save (Excel's write-then-rename), keeps the last good matrix."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time

import openpyxl
import pytest

from conftest import CATALOGUE_ROWS, CHECKOUT_ENV, write_catalogue, write_region
from pipeline.build import build
from pipeline.settings import Settings
from pipeline.watch import watch

INTERVAL = 0.05


class Watcher:
    """watch() in a thread, its lines collected, stopped on request."""

    def __init__(self, inputs, output, environ=None):
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.builds = None
        settings = Settings.from_environment(
            environ or {}, inputs=inputs, output=output, outputs=output.parent
        )
        self.thread = threading.Thread(target=self._run, args=(settings,), daemon=True)
        self.thread.start()

    def _run(self, settings):
        self.builds = watch(settings, interval=INTERVAL, stop=self.stop, say=self.lines.append)

    def wait_for(self, count: int, text: str, timeout: float = 30.0) -> list[str]:
        """Wait until `count` lines containing `text` have been said."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines if text in line]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"no {count} x {text!r} in {self.lines}")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)


@pytest.fixture
def watching(inputs, tmp_path):
    watcher = Watcher(inputs, tmp_path / "m.xlsx")
    watcher.wait_for(1, "matrix updated")
    yield watcher
    watcher.close()


def save_like_excel(path, rows):
    """Write the new version to a temporary file beside it, then rename it over the old one."""
    draft = write_region(path.parent.parent.parent / "drafts", "APT", rows)
    tmp = path.parent / "9A1B2C3D"  # Excel's temporary files have names like this
    shutil.move(draft, tmp)
    os.replace(tmp, path)


def proposals(output) -> list[tuple]:
    sheet = openpyxl.load_workbook(output)["Proposals"]
    return [(row[0], row[1], row[3]) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_rebuilds_after_a_file_is_replaced(watching, inputs, tmp_path):
    output = tmp_path / "m.xlsx"
    assert len(proposals(output)) == 4
    save_like_excel(
        inputs / "regions" / "APT.xlsx",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6", "Low", ""],
            [2, "SUP", "Doc 37 Add.3", "Suppress", "None", ""],
        ],
    )
    lines = watching.wait_for(2, "matrix updated")
    assert lines[-1].split("] ", 1)[1].startswith("matrix updated in ")
    assert "s (4 proposals): " in lines[-1]
    assert ("Res. 2", "APT", "SUP") in proposals(output)
    assert sorted(p.name for p in (inputs / "regions").iterdir()) == ["APT.xlsx", "CEPT.xlsx"]


def test_a_member_workbook_saved_is_noticed(watching, inputs, tmp_path):
    (inputs / "members").mkdir()
    save_like_excel(inputs / "members" / "USA.xlsx", [[64, "NOC", "Doc 48 Add.1", "", "", ""]])
    lines = watching.wait_for(2, "matrix updated")
    assert "s (5 proposals): " in lines[-1]
    assert ("Res. 64", "USA", "NOC") in proposals(tmp_path / "m.xlsx")


def test_an_invalid_save_is_reported_and_the_last_good_matrix_stays(watching, inputs, tmp_path):
    output = tmp_path / "m.xlsx"
    good = output.read_bytes()
    save_like_excel(inputs / "regions" / "APT.xlsx", [[64, "MDO", "Doc 1", "x", "Low", ""]])
    watching.wait_for(1, "The last good matrix is unchanged.")
    assert "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC" in (
        watching.lines
    )
    assert output.read_bytes() == good


def test_lock_temporary_and_system_files_are_ignored(watching, inputs):
    names = ["~$APT.xlsx", "~WRL0001.tmp", "A1B2C3D4", "Thumbs.db", "desktop.ini", ".DS_Store"]
    clutter = [inputs / folder / name for folder in ("", "regions") for name in names]
    for path in clutter:
        path.write_bytes(b"left by Excel, Explorer or Finder")
    time.sleep(INTERVAL * 10)
    for path in clutter:
        path.unlink()
    time.sleep(INTERVAL * 10)
    assert len([line for line in watching.lines if "matrix updated" in line]) == 1


def test_stops_on_request(inputs, tmp_path):
    watcher = Watcher(inputs, tmp_path / "m.xlsx")
    watcher.wait_for(1, "matrix updated")
    started = time.monotonic()
    watcher.close()
    assert not watcher.thread.is_alive()
    assert time.monotonic() - started < 2
    assert watcher.builds == 1


def test_a_save_reruns_only_the_rules_of_what_changed_and_every_change_shows(
    inputs, tmp_path, monkeypatch
):
    from pipeline.checking import recall, validate

    ran = []
    real = validate._run_suite

    def recorded(name, *args):
        ran.append(name)
        return real(name, *args)

    monkeypatch.setattr(validate, "_run_suite", recorded)
    monkeypatch.setattr(recall, "_MEMORY", None)
    watcher = Watcher(inputs, tmp_path / "m.xlsx")
    try:
        watcher.wait_for(1, "matrix updated")
        assert ran == ["catalogue", "proposals"]

        ran.clear()  # a region saved: the catalogue's rules found nothing new to say
        save_like_excel(inputs / "regions" / "APT.xlsx", [[64, "MDO", "Doc 1", "x", "Low", ""]])
        watcher.wait_for(1, "The last good matrix is unchanged.")
        assert ran == ["proposals"]
        assert "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC" in (
            watcher.lines
        )

        ran.clear()  # the catalogue saved without Res. 64: every workbook's rows are checked
        write_catalogue(inputs, [r for r in CATALOGUE_ROWS if r[0] != 64])
        watcher.wait_for(2, "The last good matrix is unchanged.")
        assert ran == ["catalogue", "proposals"]
        assert (
            "regions/CEPT.xlsx:Proposals!A5: Resolution 'Res. 64' is not in the catalogue "
            "(resolutions.xlsx); correct it, or add the resolution to the catalogue"
        ) in watcher.lines

        ran.clear()  # the region put right: its rows are checked again, and the matrix shows it
        save_like_excel(
            inputs / "regions" / "APT.xlsx", [[2, "SUP", "Doc 37 Add.3", "Suppress", "None", ""]]
        )
        write_catalogue(inputs)
        watcher.wait_for(2, "matrix updated")
        assert ("Res. 2", "APT", "SUP") in proposals(tmp_path / "m.xlsx")
    finally:
        watcher.close()


def test_a_save_reads_only_the_saved_workbook_again(inputs, tmp_path, monkeypatch):
    from pipeline.reading import load

    read = []
    real = load.read_grid

    def recorded(path, rel, spec):
        read.append(rel)
        return real(path, rel, spec)

    monkeypatch.setattr(load, "read_grid", recorded)
    monkeypatch.setattr(load, "_READS", None)
    watcher = Watcher(inputs, tmp_path / "m.xlsx")
    try:
        watcher.wait_for(1, "matrix updated")
        assert sorted(read) == ["regions/APT.xlsx", "regions/CEPT.xlsx", "resolutions.xlsx"]
        read.clear()
        save_like_excel(
            inputs / "regions" / "APT.xlsx", [[2, "SUP", "Doc 37 Add.3", "Suppress", "None", ""]]
        )
        watcher.wait_for(2, "matrix updated")
        assert read == ["regions/APT.xlsx"]
        assert ("Res. 2", "APT", "SUP") in proposals(tmp_path / "m.xlsx")
        assert ("Res. 64", "APT", "MOD") not in proposals(tmp_path / "m.xlsx")
    finally:
        watcher.close()


FIXED = {"SOURCE_DATE_EPOCH": "1727740800"}  # every build the same moment: byte-identical files


def save_cell(path, sheet, cell, value) -> None:
    """Edit one cell and save as Excel does: a new file, renamed over the old one."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    draft = path.with_name("~$draft.xlsx")  # a name watch mode ignores, as Excel's own
    book.save(draft)
    os.replace(draft, path)


@pytest.mark.slow
def test_every_save_is_seen_and_rebuilt_as_a_cold_build_writes_it(shipped_inputs, tmp_path):
    output = tmp_path / "watched.xlsx"
    edits = [  # every kind of input
        lambda: save_cell(shipped_inputs / "regions/APT.xlsx", "Proposals", "D6", "Edited"),
        lambda: save_cell(shipped_inputs / "members/USA.xlsx", "Proposals", "E5", "High"),
        lambda: save_cell(shipped_inputs / "resolutions.xlsx", "Resolutions", "B7", "Retitled"),
        lambda: save_cell(shipped_inputs / "outcomes.xlsx", "Outcomes", "D5", "Not resolved"),
        lambda: (shipped_inputs / "matrix.toml").write_text(
            (shipped_inputs / "matrix.toml")
            .read_text()
            .replace('title = "WTSA-24 Issues Matrix"', 'title = "Matrix watched"')
        ),
    ]
    watcher = Watcher(shipped_inputs, output, FIXED)
    stages = []
    try:
        watcher.wait_for(1, "matrix updated")
        stages.append(output.read_bytes())
        for count, change in enumerate(edits, start=2):
            change()
            watcher.wait_for(count, "matrix updated")
            stages.append(output.read_bytes())
            shutil.copytree(shipped_inputs, tmp_path / f"inputs {count}")
    finally:
        watcher.close()
    assert [line for line in watcher.lines if "Error" in line or "unchanged" in line] == []
    digests = [hashlib.sha256(stage).hexdigest() for stage in stages]
    assert len(set(digests)) == len(digests)  # each save changed the matrix

    # Watch mode remembers nothing now: each stage built from nothing, in this process...
    for count, watched in enumerate(stages[1:], start=2):
        cold = tmp_path / f"cold {count}.xlsx"
        settings = Settings.from_environment(
            FIXED, inputs=tmp_path / f"inputs {count}", output=cold, outputs=tmp_path
        )
        build(settings)
        assert cold.read_bytes() == watched, f"after save {count - 1}"
    # ...and the last by a whole `python -m pipeline matrix`, as make matrix runs it.
    cold = tmp_path / "cold process.xlsx"
    subprocess.run(
        [sys.executable, "-m", "pipeline", "matrix", "--inputs", tmp_path / f"inputs {count}",
         "--output", cold],
        check=True, capture_output=True, cwd=tmp_path, env={**CHECKOUT_ENV, **FIXED},
    )  # fmt: skip
    assert cold.read_bytes() == stages[-1]
    book = openpyxl.load_workbook(cold)
    assert book["About"]["A1"].value == "Matrix watched"
