"""What changed: the pure comparison, releases, --since, the Changes sheet and marked cells."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import codes, write_region
from pipeline.system.files import atomic_write
from pipeline.versions.changes import diff
from pipeline.words.problems import OutputError

COLUMNS = ["key", "Resolution", "Region", "Group", "Action", "Concern", "Document", "Summary",
           "Co-signers", "Result", "Notes", "Source", "Public"]  # fmt: skip


def header_row(sheet) -> int:
    """The Matrix header's row: 2 under a row of groups (with member states), else 1."""
    return 2 if sheet["A2"].value == "Resolution" else 1


def table(*rows) -> pd.DataFrame:
    """rows: (region, key, action, concern, document, summary[, notes])."""
    records = []
    for i, (region, key, action, concern, document, summary, *notes) in enumerate(rows):
        label = key if key.startswith("NEW-") else f"Res. {key}"
        records.append(
            [
                key,
                label,
                region,
                "Regional group",
                action,
                concern,
                document,
                summary,
                "",
                "",
                notes[0] if notes else "",
                f"regions/{region}.xlsx:Proposals!row {4 + i}",
                "Yes",
            ]
        )
    return pd.DataFrame(records, columns=COLUMNS)


BASE = [
    ("APT", "64", "MOD", "Low", "Doc 37 Add.1", "IPv6 capacity"),
    ("APT", "2", "MOD", "Medium", "Doc 37 Add.2", "Mandates"),
    ("CEPT", "64", "NOC", "None", "", ""),
]


def test_identical_versions_have_no_changes():
    changes = diff(table(*BASE), table(*BASE), "v1 (2024-09-30)")
    assert changes.rows.empty
    assert changes.cells == frozenset()
    assert changes.summary == "No changes since v1 (2024-09-30)"


def test_added_and_removed_proposals():
    new = table(BASE[0], BASE[2], ("ATU", "NEW-AI", "ADD", "High", "Doc 39 Add.1", "AI lead"))
    changes = diff(table(*BASE), new, "v1 (2024-09-30)", order=["2", "64", "NEW-AI"])
    rows = changes.rows
    assert list(zip(rows["Change"], rows["Resolution"], rows["Region"], strict=True)) == [
        ("Removed", "Res. 2", "APT"),
        ("Added", "NEW-AI", "ATU"),
    ]
    added = rows.iloc[1]
    assert (added["Action before"], added["Action after"]) == ("", "ADD")
    assert (added["Summary before"], added["Summary after"]) == ("", "AI lead")
    assert rows.iloc[0]["Concern before"] == "Medium" and rows.iloc[0]["Concern after"] == ""
    assert changes.summary == "Changes since v1 (2024-09-30): 1 added, 0 changed, 1 removed"
    assert changes.cells == {("2", "APT"), ("NEW-AI", "ATU")}


@pytest.mark.parametrize(
    ("field", "index", "value"),
    [
        ("Action", 2, "SUP"),
        ("Concern", 3, "High"),
        ("Summary", 5, "IPv6 and more"),
        ("Notes", 6, "ask Ana"),
    ],
)
def test_each_field_change_is_reported_with_its_old_and_new_value(field, index, value):
    changed = [*BASE[0], ""]
    changed[index] = value
    changes = diff(table(*BASE), table(tuple(changed), *BASE[1:]), "v1")
    assert len(changes.rows) == 1
    row = changes.rows.iloc[0]
    assert (row["Change"], row["Changed fields"]) == ("Changed", field)
    old = [*BASE[0], ""][index]
    assert (row[f"{field} before"], row[f"{field} after"]) == (old, value)
    # Notes are not shown in the matrix cell, so a notes-only change leaves the cell unmarked.
    assert changes.cells == (frozenset() if field == "Notes" else {("64", "APT")})


def test_a_moved_row_is_not_a_change():
    moved = table(BASE[2], BASE[1], BASE[0])  # same proposals, other rows, other sources
    assert diff(table(*BASE), moved, "v1").rows.empty


def test_an_edited_document_reference_keeps_the_proposal_identity():
    edited = table(("APT", "64", "MOD", "Low", "Doc 37 Add.1(Rev.1)", "IPv6 capacity"), *BASE[1:])
    rows = diff(table(*BASE), edited, "v1").rows
    assert rows[
        ["Change", "Changed fields", "Document before", "Document after"]
    ].values.tolist() == [["Changed", "Document", "Doc 37 Add.1", "Doc 37 Add.1(Rev.1)"]]


def test_case_and_spacing_of_a_document_reference_do_not_break_identity():
    edited = table(("APT", "64", "MOD", "High", "doc 37  ADD.1", "IPv6 capacity"), *BASE[1:])
    row = diff(table(*BASE), edited, "v1").rows.iloc[0]
    assert (row["Change"], row["Changed fields"]) == ("Changed", "Concern, Document")


def test_two_edited_documents_on_one_resolution_are_removed_and_added():
    old = table(BASE[0], ("APT", "64", "SUP", "Low", "Doc 37 Add.9", "Drop it"))
    new = table(
        ("APT", "64", "MOD", "Low", "Doc 37 Add.5", "IPv6 capacity"),
        ("APT", "64", "SUP", "Low", "Doc 37 Add.6", "Drop it"),
    )
    rows = diff(old, new, "v1").rows
    assert sorted(rows["Change"]) == ["Added", "Added", "Removed", "Removed"]


def test_without_documents_identity_is_region_resolution_and_action():
    old = table(("CEPT", "64", "NOC", "None", "", ""), ("CEPT", "2", "MOD", "Low", "", "x"))
    new = table(("CEPT", "64", "NOC", "None", "", "Keep"), ("CEPT", "2", "SUP", "Low", "", "x"))
    rows = diff(old, new, "v1").rows
    assert rows[["Resolution", "Change", "Changed fields"]].values.tolist() == [
        ["Res. 64", "Changed", "Summary"],
        ["Res. 2", "Changed", "Action"],  # alone on CEPT/Res. 2: paired despite the new action
    ]


def test_unicode_and_long_summaries_are_compared_in_full():
    long_text = "Révision – 中文 – " + "x" * 30_000
    old = table(("APT", "64", "MOD", "Low", "Doc 1", long_text))
    new = table(("APT", "64", "MOD", "Low", "Doc 1", long_text + "!"))
    row = diff(old, new, "v1").rows.iloc[0]
    assert (row["Summary before"], row["Summary after"]) == (long_text, long_text + "!")
    assert diff(old, old.copy(), "v1").rows.empty


def test_overall_concern_before_and_after_per_touched_resolution():
    new = table(("APT", "64", "MOD", "High", "Doc 37 Add.1", "IPv6 capacity"), *BASE[1:])
    overall = diff(table(*BASE), new, "v1").resolutions
    assert overall.values.tolist() == [["64", "Res. 64", "Low", "High"]]


# Releases and the matrix, end to end.


def release(run, inputs, *extra):
    status, out, err = run("release", "--inputs", inputs, *extra)
    assert status == 0, err
    return out


def matrix(run, inputs, output, *extra):
    status, out, err = run("matrix", "--inputs", inputs, "--output", output, *extra)
    assert status == 0, err
    return out, openpyxl.load_workbook(output)


def marked_cells(book) -> dict[str, str]:
    """Matrix cells with the changed mark: cell -> first line. Checks border and text agree."""
    sheet = book["Matrix"]
    found = {}
    for row in sheet.iter_rows(min_row=header_row(sheet) + 1):
        for cell in row:
            thick = cell.border.left.style == "thick"
            text = str(cell.value or "")
            assert thick == text.startswith("Changed since"), cell.coordinate
            if thick:
                found[cell.coordinate] = text.split("\n")[0]
    return found


def releases_dir(tmp_path):
    return sorted(p.name for p in (tmp_path / "outputs" / "WTSA-24" / "releases").iterdir())


def test_the_analysts_round_release_edit_compare_release(
    shipped_inputs, run, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")  # 2024-09-30
    assert release(run, shipped_inputs).splitlines() == [
        "Released v1: outputs/WTSA-24/releases/WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx",
        "Outcomes recorded for 32 of 41 resolutions.",
        "The first release: there is no earlier one to compare it with.",
        "outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx is now the same as v1.",
        "The file to send: outputs/WTSA-24/releases/WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx",
    ]
    assert (tmp_path / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx").read_bytes() == (
        tmp_path / "outputs" / "WTSA-24" / "releases" / "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx"
    ).read_bytes()
    # One changed concern (APT, Res. 2), one new proposal (CEPT, Res. 64), one deleted row (RCC).
    apt = openpyxl.load_workbook(shipped_inputs / "regions" / "APT.xlsx")
    apt["Proposals"]["E6"] = "High"
    apt.save(shipped_inputs / "regions" / "APT.xlsx")
    cept = openpyxl.load_workbook(shipped_inputs / "regions" / "CEPT.xlsx")
    cept["Proposals"].append(["Res. 64", "MOD", "Doc 40 Add.15", "More IPv6 reporting.", "Low"])
    cept.save(shipped_inputs / "regions" / "CEPT.xlsx")
    rcc = openpyxl.load_workbook(shipped_inputs / "regions" / "RCC.xlsx")
    rcc["Proposals"].delete_rows(21)  # NEW-POLICY-MARKET, RCC's only proposal on it
    rcc.save(shipped_inputs / "regions" / "RCC.xlsx")

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728259200")  # 2024-10-07
    out, book = matrix(run, shipped_inputs, tmp_path / "m.xlsx")
    assert out.splitlines()[1:3] == [
        "Outcomes recorded for 32 of 41 resolutions.",
        "Changes since v1 (2024-09-30): 1 added, 1 changed, 1 removed.",
    ]
    changes = [
        list(r)
        for r in book["Changes"].iter_rows(min_row=5, max_row=7, max_col=8, values_only=True)
    ]
    assert changes == [
        ["Changed", "Res. 2", "APT", "Concern", "MOD", "MOD", "Medium concern", "High concern"],
        ["Added", "Res. 64", "CEPT", None, None, "MOD", None, "Low concern"],
        ["Removed", "NEW-POLICY-MARKET", "RCC", None, "ADD", None, "Medium concern", None],
    ]
    assert book["Changes"]["A8"].value is None  # exactly three
    assert book["About"]["A5"].value == (
        "Outcomes as of 7 October 2024: recorded for 32 of 41 resolutions."
    )
    assert book["About"]["A6"].value == (
        "Changes since v1 (2024-09-30): 1 added, 1 changed, 1 removed; changed cells have a "
        "thick black frame. The Changes sheet lists every change."
    )
    top = header_row(book["Matrix"])
    header = codes(book["Matrix"][top])
    # A draft adopted under a number shows it: "NEW-POLICY-MARKET → Res. 108".
    rows = {c.value.split(" → ")[0]: c.row for c in book["Matrix"]["A"] if c.row > top}

    def cell(resolution, region):
        return f"{chr(ord('A') + header.index(region))}{rows[resolution]}"

    assert marked_cells(book) == {
        cell("Res. 2", "APT"): "Changed since v1 (2024-09-30)",
        cell("Res. 64", "CEPT"): "Changed since v1 (2024-09-30)",
        cell("NEW-POLICY-MARKET", "RCC"): "Changed since v1 (2024-09-30): no proposal now",
    }
    assert release(run, shipped_inputs).splitlines()[0] == (
        "Released v2: outputs/WTSA-24/releases/WTSA-24_Issues_Matrix_v2_2024-10-07.xlsx"
    )
    assert releases_dir(tmp_path) == [
        "WTSA-24_Issues_Matrix_v1_2024-09-30.json",
        "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx",
        "WTSA-24_Issues_Matrix_v2_2024-10-07.json",
        "WTSA-24_Issues_Matrix_v2_2024-10-07.xlsx",
    ]


def test_releasing_twice_without_change_makes_no_new_version(inputs, run, tmp_path):
    release(run, inputs)
    before = {p: p.read_bytes() for p in (tmp_path / "outputs" / "WTSA-24" / "releases").iterdir()}
    write_region(
        inputs,
        "APT",
        [
            [None] * 6,  # a blank row moves every source: not a change
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "watch"],
        ],
    )
    working = tmp_path / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx"
    working.write_bytes(b"a draft built since")
    lines = release(run, inputs).splitlines()
    assert lines[0].startswith("Nothing has changed since v1 (")
    assert lines[0].endswith("): no new release was made.")
    assert lines[1:] == [
        "outputs/WTSA-24/WTSA-24_Issues_Matrix.xlsx is that release again.",
        "The file to send: outputs/WTSA-24/releases/"
        + next(p.name for p in before if p.suffix == ".xlsx"),
    ]
    assert {
        p: p.read_bytes() for p in (tmp_path / "outputs" / "WTSA-24" / "releases").iterdir()
    } == before
    assert working.read_bytes() == next(v for p, v in before.items() if p.suffix == ".xlsx")


def test_a_catalogue_edit_alone_is_a_new_release(inputs, run, tmp_path):
    release(run, inputs)
    book = openpyxl.load_workbook(inputs / "resolutions.xlsx")
    book.active["E2"] = "New analysis"
    book.save(inputs / "resolutions.xlsx")
    assert release(run, inputs).startswith("Released v2: ")


def test_a_released_matrix_shows_its_version_and_its_snapshot_holds_every_proposal(
    inputs, run, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")
    release(run, inputs)
    folder = tmp_path / "outputs" / "WTSA-24" / "releases"
    book = openpyxl.load_workbook(folder / "WTSA-24_Issues_Matrix_v1_2024-09-30.xlsx")
    assert book["About"]["A2"].value.startswith("WTSA-24 · release v1 · generated 30 September")
    assert book["Matrix"].oddFooter.right.text == "Release v1 · 30 September 2024"
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props == {
        "IssuesMatrixConference": "WTSA-24",
        "IssuesMatrixDate": "2024-09-30",
        "IssuesMatrixRelease": 1,
    }
    snapshot = json.loads((folder / "WTSA-24_Issues_Matrix_v1_2024-09-30.json").read_text())
    assert (snapshot["release"], snapshot["date"], snapshot["conference"]) == (
        1,
        "2024-09-30",
        "WTSA-24",
    )
    assert snapshot["proposals"][0] == {
        "key": "2",
        "Resolution": "Res. 2",
        "Region": "CEPT",
        "Group": "Regional group",
        "Action": "MOD",
        "Concern": "Low",
        "Document": "Doc 40 Add.1",
        "Summary": "Restructure study groups",
        "Co-signers": "",
        "Result": "",
        "Notes": "",
        "Source": "regions/CEPT.xlsx:Proposals!row 4",
        "Public": "Yes",
    }
    assert len(snapshot["proposals"]) == 4


def test_an_existing_release_is_never_overwritten(tmp_path):
    target = tmp_path / "v1.xlsx"
    target.write_bytes(b"the circulated release")
    with pytest.raises(OutputError, match="already exists and is never overwritten"):
        atomic_write(target, lambda: b"new", exclusive=True)
    assert target.read_bytes() == b"the circulated release"
    assert [p.name for p in tmp_path.iterdir()] == ["v1.xlsx"]


def test_since_an_emailed_matrix(inputs, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727654400")
    matrix(run, inputs, tmp_path / "sent.xlsx")
    emailed = tmp_path / "Downloads" / "WTSA-24 matrix (from Ana).xlsx"
    emailed.parent.mkdir()
    shutil.copy(tmp_path / "sent.xlsx", emailed)
    write_region(
        inputs,
        "CEPT",
        [["Res. 2", "MOD", "Doc 40 Add.1", "Restructure study groups", "Medium", ""]],
    )
    out, book = matrix(run, inputs, tmp_path / "now.xlsx", "--since", emailed)
    assert out.splitlines()[1] == (
        "Changes since WTSA-24 matrix (from Ana).xlsx (2024-09-30): 0 added, 1 changed, 1 removed."
    )
    assert book["Changes"]["A1"].value == out.splitlines()[1].rstrip(".")
    assert [r[:4] for r in book["Changes"].iter_rows(min_row=5, max_row=6, values_only=True)] == [
        ("Changed", "Res. 2", "CEPT", "Concern"),
        ("Removed", "Res. 64", "CEPT", None),
    ]


def test_without_an_earlier_version_the_sheet_says_so_and_nothing_is_marked(inputs, run, tmp_path):
    _, book = matrix(run, inputs, tmp_path / "m.xlsx")
    assert book["Changes"]["A1"].value == "Changes: this is the first version"
    assert book["Changes"]["A2"].value.startswith(
        "This is the first version of the matrix, so there is nothing to compare it with."
    )
    assert book["About"]["A4"].value == (
        "This is the first version of the matrix: there is no earlier version to compare it with."
    )
    assert marked_cells(book) == {}


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (
            lambda d: d / "missing.xlsx",
            "Error: the matrix to compare with, '{path}', does not exist",
        ),
        (
            lambda d: (d / "notes.txt").write_text("x") and d / "notes.txt",
            "Error: '{path}' is not an Issues Matrix: compare with an .xlsx matrix or a .json "
            "snapshot",
        ),
        (
            lambda d: write_region(d, "APT", [[64, "MOD", "Doc 1", "x", "Low", ""]]),
            "Error: '{path}' is not an Issues Matrix: its Proposals sheet does not have the "
            "columns Resolution, Region, Action, Concern, Document, Summary, Notes, Source",
        ),
        (
            lambda d: (d / "broken.xlsx").write_bytes(b"not a zip") and d / "broken.xlsx",
            "Error: '{path}' is not an Issues Matrix: it cannot be opened as a workbook (",
        ),
    ],
    ids=["missing", "not-a-workbook", "a-region-workbook", "corrupt"],
)
def test_a_wrong_file_for_since_is_a_clear_error(inputs, run, tmp_path, make_file, message):
    path = make_file(tmp_path)
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output, "--since", path)
    assert status == 1
    assert err.splitlines()[0].startswith(message.format(path=path))
    assert not output.exists()


def test_a_matrix_from_another_conference_is_a_clear_error(inputs, run, tmp_path):
    (inputs / "matrix.toml").write_text('conference = "PP-22"\n')
    matrix(run, inputs, tmp_path / "pp22.xlsx")
    (inputs / "matrix.toml").unlink()
    status, _, err = run(
        "matrix",
        "--inputs",
        inputs,
        "--output",
        tmp_path / "m.xlsx",
        "--since",
        tmp_path / "pp22.xlsx",
    )
    assert status == 1
    assert err.splitlines()[0] == (
        f"Error: '{tmp_path / 'pp22.xlsx'}' is the matrix for PP-22, not WTSA-24"
    )
