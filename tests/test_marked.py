"""Errors marked where the analyst works: copies with exactly the reported cells flagged."""

from __future__ import annotations

import hashlib

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font

from conftest import REGION_HEADER, error_lines, write_region, write_sheet
from pipeline.words.problems import Code

GOOD = [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""]
RED = "00FFC7CE"


def marks(path) -> dict[str, str]:
    """Cell -> comment text, for every cell that carries a comment or a red fill."""
    sheet = openpyxl.load_workbook(path)["Proposals"]
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            red = cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == RED
            if red or cell.comment:
                assert red and cell.comment, f"{cell.coordinate} is half marked"
                found[cell.coordinate] = cell.comment.text
    return found


def test_marked_copy_flags_exactly_the_reported_cells(inputs, run, tmp_path):
    source = write_region(inputs, "APT", [GOOD, [64, "MDO", "Doc 2", "x", "Severe", ""]])
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    copy = tmp_path / "outputs" / "WTSA-24" / "validation" / "regions" / "APT.xlsx"
    assert marks(copy) == {
        "B5": "• Action 'MDO' is not one of ADD, MOD, SUP, NOC",
        "E5": "• Concern 'Severe' is not one of High, Medium, Low, None",
    }
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert err.splitlines()[-2:] == [
        "Copies with these cells marked, to look at: outputs/WTSA-24/validation/regions/APT.xlsx",
        "The list of problems: outputs/WTSA-24/validation/index.txt",
    ]
    index = (tmp_path / "outputs" / "WTSA-24" / "validation" / "index.txt").read_text().splitlines()
    lines = error_lines(err)
    assert index[3 : 3 + len(lines)] == lines
    # Under the lines, what each kind of problem means, once per kind, in the lines' order.
    assert index[3 + len(lines) :] == [
        "",
        "What each kind of problem above means:",
        f"Unknown action: {Code.ACTION_INVALID.explanation}",
        f"Unknown concern: {Code.CONCERN_INVALID.explanation}",
    ]


def test_the_analysts_formatting_and_comments_are_kept(inputs, run, tmp_path):
    source = write_region(inputs, "APT", [[64, "MDO", "Doc 2", "x", "Low", ""]])
    book = openpyxl.load_workbook(source)
    sheet = book.active
    sheet.column_dimensions["D"].width = 55
    sheet["D4"].font = Font(italic=True, size=14)
    sheet["B4"].comment = Comment("check with Ana", "analyst")
    book.save(source)
    run("validate", "--inputs", inputs)
    copy = openpyxl.load_workbook(
        tmp_path / "outputs" / "WTSA-24" / "validation" / "regions" / "APT.xlsx"
    )
    sheet = copy["Proposals"]
    assert sheet.column_dimensions["D"].width == 55
    assert (sheet["D4"].font.italic, sheet["D4"].font.size) == (True, 14)
    assert sheet["B4"].comment.text == (
        "• Action 'MDO' is not one of ADD, MOD, SUP, NOC\n\n(Your comment: check with Ana)"
    )


def test_a_marked_copy_opens_on_a_sheet_saying_what_it_is(inputs, run, tmp_path):
    source = write_region(inputs, "APT", [[64, "MDO", "Doc 2", "x", "Low", ""]])
    run("validate", "--inputs", inputs)
    path = tmp_path / "outputs" / "WTSA-24" / "validation" / "regions" / "APT.xlsx"
    copy = openpyxl.load_workbook(path)
    assert copy.sheetnames == ["About this copy", "Proposals"]
    assert copy.active.title == "About this copy"
    about = copy["About this copy"]
    assert [about.cell(row=r, column=1).value for r in range(1, 6)] == [
        "About this copy",
        None,
        "This is a copy of your workbook, only for looking at the problems the Issues Matrix "
        "found: each cell with a problem is filled red and has a comment saying what is wrong.",
        f"Fix the problems in your own workbook, {source.as_posix()}, not in this copy: it is "
        "replaced or deleted the next time the matrix is built.",
        "Some features of your workbook may be missing from this copy: pictures (in a cell or "
        "over the cells), shapes, buttons and other controls, and some data validations "
        "(dropdowns) and conditional formats; a picture in a cell may show as #VALUE!. Your "
        "own workbook still has them all.",
    ]
    assert [s.sheet_view.tabSelected for s in copy.worksheets] == [True, False]
    assert marks(path) == {"B4": "• Action 'MDO' is not one of ADD, MOD, SUP, NOC"}


def test_problems_with_a_whole_file_are_a_comment_on_a1(inputs, run, tmp_path):
    header = [h for h in REGION_HEADER if h != "Concern"]
    write_sheet(inputs / "regions" / "CEPT.xlsx", [header, GOOD[:4]])
    run("validate", "--inputs", inputs)
    copy = tmp_path / "outputs" / "WTSA-24" / "validation" / "regions" / "CEPT.xlsx"
    assert marks(copy) == {"A1": "• missing column 'Concern' in the header row"}


def test_a_file_that_cannot_be_opened_is_listed_but_not_copied(inputs, run, tmp_path):
    (inputs / "regions" / "ATU.xlsx").write_bytes(b"not a workbook")
    (inputs / "regions" / "RCC.csv").write_text("Resolution\n")
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    folder = tmp_path / "outputs" / "WTSA-24" / "validation"
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["index.txt"]
    assert err.splitlines()[-2:] == [
        "Hint: Each line above says what to do with that file or folder; then run again.",
        "The list of problems: outputs/WTSA-24/validation/index.txt",
    ]
    index = (folder / "index.txt").read_text().splitlines()
    assert index[3:5] == error_lines(err)
    assert index[5:7] == ["", "What each kind of problem above means:"]
    assert index[7:] == [
        f"Workbook cannot be read: {Code.UNREADABLE.explanation}",
        f"Not an Excel workbook: {Code.NOT_A_WORKBOOK.explanation}",
    ]


def test_warnings_alone_are_listed_without_copies(inputs, run, tmp_path, monkeypatch):
    write_region(inputs, "CEPT", [GOOD])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")  # 2024-09-30
    assert run("release", "--inputs", inputs)[0] == 0
    write_region(inputs, "CEPT", [])  # emptied since the release: worth a warning
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 0
    index = tmp_path / "outputs" / "WTSA-24" / "validation" / "index.txt"
    assert (
        index.read_text().splitlines()[2:3]
        == err.splitlines()
        == [
            "regions/CEPT.xlsx: warning: has no proposals; was an empty template copied over "
            "it? It had 1 in release v1 (2024-09-30)."
        ]
    )
    assert index.read_text().splitlines()[3:] == [
        "",
        "What each kind of problem above means:",
        f"Workbook emptied: {Code.REGION_EMPTY.explanation}",
    ]
    assert [p.name for p in index.parent.rglob("*")] == ["index.txt"]
    write_region(inputs, "CEPT", [GOOD])
    assert run("validate", "--inputs", inputs)[0] == 0
    assert not index.parent.exists()  # nothing left to look at


def test_stale_copies_go_once_their_problems_are_fixed(inputs, run, tmp_path):
    folder = tmp_path / "outputs" / "WTSA-24" / "validation"
    write_region(inputs, "APT", [[64, "MDO", "Doc 2", "x", "Low", ""]])
    write_region(inputs, "CEPT", [[64, "MOD", "Doc 2", "x", "Bad", ""]])
    run("validate", "--inputs", inputs)
    assert sorted(p.name for p in (folder / "regions").iterdir()) == ["APT.xlsx", "CEPT.xlsx"]

    write_region(inputs, "APT", [GOOD])  # APT fixed, CEPT still wrong
    assert run("validate", "--inputs", inputs)[0] == 1
    assert sorted(p.name for p in (folder / "regions").iterdir()) == ["CEPT.xlsx"]

    write_region(inputs, "CEPT", [GOOD])  # all fixed: nothing stale remains
    status, _, _ = run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert status == 0
    assert not folder.exists()


def test_stale_copies_of_member_and_outcome_workbooks_go_too(inputs, run, tmp_path):
    folder = tmp_path / "outputs" / "WTSA-24" / "validation"
    member = inputs / "members" / "USA.xlsx"
    write_sheet(member, [REGION_HEADER, [64, "MDO", "Doc 48", "x", "Low", ""]], above=2)
    outcome_header = ["Resolution", "Outcome", "Adopted as", "Assessment"]
    outcomes = inputs / "outcomes.xlsx"
    write_sheet(outcomes, [outcome_header, [64, "KEPT", "", "Resolved"]], sheet="Outcomes")
    assert run("validate", "--inputs", inputs)[0] == 1
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.xlsx")) == [
        "members/USA.xlsx",
        "outcomes.xlsx",
    ]
    write_sheet(member, [REGION_HEADER, GOOD], above=2)
    write_sheet(outcomes, [outcome_header, [64, "MODIFIED", "", "Resolved"]], sheet="Outcomes")
    assert run("validate", "--inputs", inputs)[0] == 0
    assert not folder.exists()


def test_clearing_leaves_files_it_did_not_write(inputs, run, tmp_path):
    folder = tmp_path / "outputs" / "WTSA-24" / "validation"
    folder.mkdir(parents=True)
    (folder / "my notes.txt").write_text("mine")
    assert run("validate", "--inputs", inputs)[0] == 0
    assert [p.name for p in folder.iterdir()] == ["my notes.txt"]


def test_marked_copies_are_never_written_into_the_inputs(inputs, run):
    write_region(inputs, "APT", [[64, "MDO", "Doc 2", "x", "Low", ""]])
    status, _, err = run("validate", "--inputs", inputs, "--marked", inputs / "checked")
    assert status == 2
    assert err.splitlines()[0] == (
        f"Error: --marked '{inputs / 'checked'}' is inside the inputs folder '{inputs}'"
    )
    assert not (inputs / "checked").exists()
