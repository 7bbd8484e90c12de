"""Each input is read once. Counted here, by wrapping the readers, on the shipped inputs:

- `zip`: a zipfile.ZipFile opened on an input workbook by the pipeline's own code (openpyxl's
  own opening of the zip, inside its load, is not counted: it is part of `openpyxl`);
- `calamine`: python-calamine's CalamineWorkbook.from_path on an input workbook;
- `openpyxl`: openpyxl.load_workbook on an input workbook, read-only (to read cells calamine
  cannot tell), or `marking` (the full load that writes a marked copy of a failing workbook);
- merges (matrix.merge.merge) and listings of the releases folder (releases._releases).
"""

from __future__ import annotations

import threading
import traceback
import types
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from conftest import stretch_cell
from pipeline import build, publish
from pipeline.reading import load
from pipeline.versions import releases

#: The shipped inputs' workbooks, as each is named from the inputs folder.
SHIPPED = [
    "members/B.xlsx",
    "members/USA.xlsx",
    "outcomes.xlsx",
    "regions/APT.xlsx",
    "regions/ASMG.xlsx",
    "regions/ATU.xlsx",
    "regions/CEPT.xlsx",
    "regions/CITEL.xlsx",
    "regions/RCC.xlsx",
    "resolutions.xlsx",
]


class Reads:
    """What was opened, in order, for each input workbook; and the merges and listings."""

    def __init__(self, inputs: Path):
        self.inputs = inputs.resolve()
        self.opened: dict[str, list[str]] = defaultdict(list)
        self.merges = 0
        self.listings = 0
        self._lock = threading.Lock()  # two workbooks are read at once

    def clear(self) -> None:
        self.opened.clear()
        self.merges = self.listings = 0

    def note(self, path, what: str) -> None:
        if not isinstance(path, str | Path):
            return  # a stream: not an input workbook opened by name
        try:
            rel = Path(path).resolve().relative_to(self.inputs).as_posix()
        except ValueError:
            return  # a matrix, a release, a marked copy: not an input
        with self._lock:
            self.opened[rel].append(what)


@pytest.fixture
def reads(shipped_inputs, monkeypatch) -> Reads:
    counted = Reads(shipped_inputs)

    real_zip = zipfile.ZipFile.__init__

    def zip_init(self, file, *args, **kwargs):
        if not any("openpyxl" in frame.filename for frame in traceback.extract_stack()):
            counted.note(file, "zip")
        return real_zip(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", zip_init)

    real_load = openpyxl.load_workbook

    def load_workbook(filename, *args, **kwargs):
        counted.note(filename, "openpyxl" if kwargs.get("read_only") else "marking")
        return real_load(filename, *args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)

    real = load.calamine
    reader = types.SimpleNamespace(
        **{name: getattr(real, name) for name in dir(real) if not name.startswith("_")}
    )

    def from_path(path, *args, **kwargs):
        counted.note(path, "calamine")
        return real.CalamineWorkbook.from_path(path, *args, **kwargs)

    reader.CalamineWorkbook = types.SimpleNamespace(from_path=from_path)
    monkeypatch.setattr(load, "calamine", reader)

    def merge(*args, **kwargs):
        counted.merges += 1
        return real_merge(*args, **kwargs)

    real_merge = build.merge
    monkeypatch.setattr(build, "merge", merge)
    monkeypatch.setattr(publish, "merge", merge)

    real_listing = releases._releases

    def listing(*args, **kwargs):
        counted.listings += 1
        return real_listing(*args, **kwargs)

    monkeypatch.setattr(releases, "_releases", listing)
    return counted


def test_a_build_opens_each_workbook_once_then_calamine_reads_it(reads, run, tmp_path):
    assert run("matrix", "--inputs", reads.inputs, "--output", tmp_path / "m.xlsx")[0] == 0
    # No workbook shipped holds a formula, an error cell or a long text: openpyxl never loads.
    assert dict(reads.opened) == {name: ["zip", "calamine"] for name in SHIPPED}
    assert (reads.merges, reads.listings) == (1, 1)


def test_openpyxl_loads_a_workbook_once_for_formulas_and_long_texts_alike(reads, run):
    apt = reads.inputs / "regions" / "APT.xlsx"
    book = openpyxl.load_workbook(apt)
    sheet = book["Proposals"]
    header = next(r for r in range(1, 11) if any(c.value == "Summary" for c in sheet[r]))
    column = next(c.column_letter for c in sheet[header] if c.value == "Summary")
    sheet[f"{column}{header + 1}"] = "=UPPER(C5)"  # openpyxl saves no result for it
    sheet[f"{column}{header + 2}"] = "@@LONG@@"
    book.save(apt)
    stretch_cell(apt, "@@LONG@@", "t" * 40_000)
    reads.clear()

    status, _, err = run("validate", "--inputs", reads.inputs)

    assert status == 1
    assert [line.split(": ", 1)[0] for line in err.splitlines()[:2]] == [
        f"regions/APT.xlsx:Proposals!{column}{header + 1}",
        f"regions/APT.xlsx:Proposals!{column}{header + 2}",
    ]
    assert "is a formula (=UPPER(C5)) with no saved result" in err
    assert "holds 40,000 characters" in err
    # One read-only load told both; the marked copy of the failing workbook is a load of its own.
    assert reads.opened["regions/APT.xlsx"] == ["zip", "calamine", "openpyxl", "marking"]
    others = {name: reads.opened[name] for name in SHIPPED if name != "regions/APT.xlsx"}
    assert others == {name: ["zip", "calamine"] for name in others}


def test_a_release_lists_the_releases_folder_once_even_when_nothing_changed(reads, run, tmp_path):
    folder = tmp_path / "releases"
    command = ("release", "--inputs", reads.inputs, "--releases", folder)
    assert run(*command, "--output", tmp_path / "w.xlsx")[0] == 0
    assert (reads.merges, reads.listings) == (1, 1)
    reads.clear()
    # Nothing new: the latest is read, a next number is asked, and its workbook copied.
    status, out, _ = run(*command, "--output", tmp_path / "w.xlsx")
    assert status == 0 and "no new release was made" in out
    assert (reads.merges, reads.listings) == (1, 1)
    assert dict(reads.opened) == {name: ["zip", "calamine"] for name in SHIPPED}


def test_publish_reads_checks_and_merges_the_inputs_once(reads, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728864000")
    folder = tmp_path / "releases"
    assert run("release", "--inputs", reads.inputs, "--releases", folder)[0] == 0
    assert run("publish", "--inputs", reads.inputs, "--releases", folder)[0] == 0
    edit = openpyxl.load_workbook(reads.inputs / "regions" / "CEPT.xlsx")
    summary = next(c for c in edit["Proposals"]["D"][5:] if c.value)  # below the header
    summary.value = "Summed up again"
    edit.save(reads.inputs / "regions" / "CEPT.xlsx")
    assert run("release", "--inputs", reads.inputs, "--releases", folder)[0] == 0
    reads.clear()

    # v2's changes are counted from v1, as published: its snapshot found in the same listing.
    status, out, _ = run("publish", "--inputs", reads.inputs, "--releases", folder)

    assert status == 0 and "Published v2" in out and "changes since v1" in out
    assert (reads.merges, reads.listings) == (1, 1)
    assert dict(reads.opened) == {name: ["zip", "calamine"] for name in SHIPPED}
