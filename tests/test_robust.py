"""Odd inputs, found by fuzzing: each kind handled in kind, with a clear line and no loss."""

from __future__ import annotations

import subprocess
import sys
import types
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from conftest import (
    CHECKOUT_ENV,
    REGION_HEADER,
    error_lines,
    stretch_cell,
    write_catalogue,
    write_region,
)
from pipeline.reading import load
from pipeline.words.keys import MAX_KEY_LENGTH, parse_key, parse_keys

APT = "regions/APT.xlsx:Proposals"
GOOD = [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""]


def validate(run, inputs):
    status, _, err = run("validate", "--inputs", inputs)
    return status, error_lines(err)


# Text over Excel's limit, counted as Excel counts.


def test_an_over_long_summary_is_an_error_naming_both_counts(inputs, run):
    path = write_region(inputs, "APT", [[64, "MOD", "Doc 1", "@@LONG@@", "Low", ""]])
    stretch_cell(path, "@@LONG@@", "x" * 40_000)
    assert validate(run, inputs) == (
        1,
        [
            f"{APT}!D4: Summary holds 40,000 characters, more than the 32,767 an Excel cell can "
            "hold; shorten it"
        ],
    )


def test_an_over_long_text_is_caught_even_if_the_reader_cuts_it(inputs, run, monkeypatch):
    path = write_region(inputs, "APT", [[64, "MOD", "Doc 1", "@@LONG@@", "Low", ""]])
    stretch_cell(path, "@@LONG@@", "y" * 40_000)

    class CuttingSheet:  # a reader that hands over only what an Excel cell holds
        def __init__(self, sheet):
            self.sheet = sheet
            self.merged_cell_ranges = sheet.merged_cell_ranges

        def to_python(self, **kwargs):
            rows = self.sheet.to_python(**kwargs)
            return [[v[:32_767] if isinstance(v, str) else v for v in row] for row in rows]

    class CuttingBook:
        def __init__(self, book):
            self.book = book
            self.sheet_names, self.sheets_metadata = book.sheet_names, book.sheets_metadata

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.book.__exit__(*exc)

        def get_sheet_by_name(self, name):
            return CuttingSheet(self.book.get_sheet_by_name(name))

    real = load.calamine
    reader = types.SimpleNamespace(
        **{name: getattr(real, name) for name in dir(real) if not name.startswith("_")}
    )
    reader.CalamineWorkbook = types.SimpleNamespace(
        from_path=lambda path: CuttingBook(real.CalamineWorkbook.from_path(path))
    )
    monkeypatch.setattr(load, "calamine", reader)
    assert validate(run, inputs)[1] == [
        f"{APT}!D4: Summary holds 40,000 characters, more than the 32,767 an Excel cell can hold; "
        "shorten it"
    ]


def test_an_over_long_catalogue_title_is_an_error(inputs, run):
    rows = [[2, "Mandates", "Study groups", "High", ""], [64, "@@LONG@@", "Internet", "High", ""]]
    path = write_catalogue(inputs, rows=rows)
    stretch_cell(path, "@@LONG@@", "t" * 32_768)
    assert validate(run, inputs)[1][-1] == (
        "resolutions.xlsx:Resolutions!B3: Title holds 32,768 characters, more than the 32,767 an "
        "Excel cell can hold; shorten it"
    )


def test_emoji_count_twice_as_excel_counts_them(inputs, run):
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", "😀" * 17_000, "Low", ""]])
    assert validate(run, inputs) == (
        1,
        [
            f"{APT}!D4: Summary holds 17,000 characters, which Excel counts as 34,000 (emoji and "
            "some other characters count twice), more than the 32,767 an Excel cell can hold; "
            "shorten it"
        ],
    )


def test_a_matrix_cell_of_emoji_is_shortened_by_excels_count_and_points_truly(
    inputs, run, tmp_path
):
    summaries = ["😀" * 9_000, "🙂" * 9_000]
    write_region(
        inputs, "APT", [[64, "MOD", f"Doc {i}", s, "Low", ""] for i, s in enumerate(summaries)]
    )
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    book = openpyxl.load_workbook(output)
    cell = book["Matrix"]["F4"].value  # Res. 64, APT
    assert len(cell.encode("utf-16-le")) // 2 <= 32_767
    assert cell.startswith("MOD · Low concern\n" + "😀" * 9_000)
    assert cell.endswith(
        "[Shortened to fit one Excel cell: the full text of all APT proposals on Res. 64 is on "
        "the Proposals sheet, rows 3-4.]"
    )
    proposals = book["Proposals"]
    assert [proposals["G3"].value, proposals["G4"].value] == summaries  # the pointer is true


def test_an_over_long_setting_is_an_error_not_a_failure(inputs, run):
    (inputs / "matrix.toml").write_text(f'title = "{"T" * 40_000}"\n')
    assert validate(run, inputs) == (
        1,
        [
            "matrix.toml, line 1: 'title' is 40,000 characters long, more than the 32,767 it may "
            "be; shorten it"
        ],
    )


# Matching in linear time.


def test_a_pathological_key_is_refused_at_once():
    zeros = "0" * 200_000 + "x"  # with competing parts, this took minutes
    assert parse_key(zeros) is None
    assert parse_keys(pd_series([zeros, "0" * (MAX_KEY_LENGTH - 3) + "64"])).tolist() == [
        None,
        "64",
    ]


def pd_series(values):
    import pandas as pd

    return pd.Series(values, dtype=object)


def test_a_pathological_key_in_a_workbook_gets_one_short_line(inputs, run):
    write_region(inputs, "APT", [["0" * 20_000 + "x", "MOD", "Doc 1", "s", "Low", ""]])
    status, lines = validate(run, inputs)
    assert status == 1
    assert lines == [
        f"{APT}!A4: Resolution '{'0' * 59}…' is not a resolution number (like 64 or Res. 64) or "
        "a draft new resolution key (like NEW-AI)"
    ]


def test_a_message_quotes_at_most_sixty_characters(inputs, run):
    write_region(inputs, "APT", [[64, "M" * 1_000, "Doc 1", "s", "Low", ""]])
    assert validate(run, inputs)[1] == [
        f"{APT}!B4: Action '{'M' * 59}…' is not one of ADD, MOD, SUP, NOC"
    ]


@pytest.mark.parametrize(("typed", "key"), [("٦٩", "69"), ("６４", "64"), ("Res. ٠٦٤", "64")])
def test_digits_of_any_script_are_read_as_the_number_and_kept_as_typed(
    inputs, run, tmp_path, typed, key
):
    write_region(inputs, "APT", [[typed, "MOD", "Doc 1", "s", "Low", ""]])
    write_catalogue(inputs, rows=[[n, "Title", "Topic", "High", ""] for n in (2, 64, 69)])
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    sheet = openpyxl.load_workbook(output)["Proposals"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "APT")
    assert row[0] == f"Res. {key}"
    assert row[10] == f"regions/APT.xlsx:Proposals!row 4 (Resolution typed as {typed})"


# What a workbook may cost.


def test_a_workbook_that_would_unpack_to_gigabytes_is_refused_and_never_copied(
    inputs, run, tmp_path
):
    path = inputs / "regions" / "APT.xlsx"
    write_region(inputs, "APT", [GOOD])
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w") as part,
    ):
        for _ in range(510):
            part.write(block)
    assert path.stat().st_size < 2_000_000
    assert validate(run, inputs) == (
        1,
        [
            "regions/APT.xlsx: would unpack to 510 MB, more than the 500 MB a workbook may; it "
            "is not read (a workbook of proposals is a few MB at most)"
        ],
    )
    marked = tmp_path / "outputs" / "WTSA-24" / "validation"
    assert sorted(p.name for p in marked.rglob("*") if p.is_file()) == ["index.txt"]


def test_a_stray_value_far_to_the_right_is_refused_before_reading(inputs, run):
    path = write_region(inputs, "APT", [GOOD] * 3)
    book = openpyxl.load_workbook(path)
    book.active["XFD400"] = "stray"
    book.save(path)
    assert validate(run, inputs) == (
        1,
        [
            f"{APT}: the used range is A1:XFD400, 400 rows by 16,384 columns, too big to read; "
            "something far to the right of or below your data makes Excel count everything in "
            "between: delete the columns and rows beyond your data, and save"
        ],
    )


def test_too_many_rows_are_refused_before_reading(inputs, run):
    path = write_region(inputs, "APT", [GOOD])
    book = openpyxl.load_workbook(path)
    book.active["A250001"] = "far below"
    book.save(path)
    assert validate(run, inputs)[1] == [
        f"{APT}: the used range reaches row 250,001 (A1:F250001), more than the 200,000 rows "
        "read; delete the rows below your data in Excel (even empty-looking ones) and save"
    ]


def test_the_extent_is_found_without_a_dimension_element(tmp_path):
    from pipeline.reading.workbook_parts import sheet_extent

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Proposals")
    sheet.write_string(0, 0, "a")
    sheet.write_string(9_999, 30, "far")
    book.close()
    with zipfile.ZipFile(path) as archive:
        parts = [(i, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in parts:
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(b'<dimension ref="A1:AE10000"/>', b"")
            archive.writestr(info, data)
    assert sheet_extent(path, "Proposals") == (10_000, 31)


# Faults of the machine.


def test_an_unreadable_regions_folder_is_one_plain_line(inputs, run, monkeypatch):
    real = Path.iterdir

    def iterdir(self):
        if self.name == "regions":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    status, out, err = run("validate", "--inputs", inputs)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"Error: the folder '{inputs / 'regions'}' cannot be read (permission denied)",
        "Hint: Check that you may open that folder (its permissions), then run again.",
    ]


def test_a_killed_run_leaves_no_temporary_file(tmp_path):
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from pipeline.system.files import Staged\n"
        "stage = Staged(Path(sys.argv[1]) / 'matrix.xlsx')\n"
        "stage.write_bytes(b'half a workbook' * 100_000)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, tmp_path], env=CHECKOUT_ENV, timeout=60, check=False
    )
    assert result.returncode == -9
    assert list(tmp_path.iterdir()) == []


# Two files or sheets for one role.


def test_two_catalogues_are_an_error_naming_both(inputs, run):
    write_catalogue(inputs).rename(inputs / "Resolutions.xlsm")
    write_catalogue(inputs)
    assert validate(run, inputs)[1] == [
        "resolutions.xlsx: there are 2 catalogues, Resolutions.xlsm and resolutions.xlsx; keep "
        "only one of them"
    ]


def test_two_sheets_named_proposals_are_an_error_naming_both(inputs, run):
    path = write_region(inputs, "APT", [GOOD])
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("proposals ")
    other.append(REGION_HEADER)
    book.save(path)
    assert validate(run, inputs)[1] == [
        "regions/APT.xlsx: has 2 sheets named Proposals: 'Proposals' and 'proposals '; keep the "
        "data in one of them and rename or delete the other"
    ]


def test_nothing_is_left_in_the_inputs_by_any_of_it(inputs, run):
    before = {p: p.read_bytes() for p in inputs.rglob("*") if p.is_file()}
    write_region(inputs, "APT", [["0" * 5_000 + "x", "M" * 100, None, None, None, None]])
    changed = {p: p.read_bytes() for p in inputs.rglob("*") if p.is_file()}
    run("matrix", "--inputs", inputs)
    assert {p: p.read_bytes() for p in inputs.rglob("*") if p.is_file()} == changed
    assert set(before) == set(changed)


def test_a_workbook_whose_formulas_another_reader_cannot_follow_is_a_clear_line(inputs, run):
    path = inputs / "regions" / "APT.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Proposals")
    sheet.write_row(0, 0, REGION_HEADER)
    sheet.write_row(1, 0, ["64", "MOD", "Doc 1"])
    sheet.write_formula(1, 3, '="text\x01"', None, "text")  # a control character: bad XML
    sheet.write_string(1, 4, "Low")
    book.close()
    status, lines = validate(run, inputs)
    assert status == 1
    assert len(lines) == 1
    assert lines[0].startswith(
        "regions/APT.xlsx: is damaged: some of its cells cannot be read to check them ("
    )
    assert lines[0].endswith("); open it in Excel, which may offer to repair it, and save it again")
