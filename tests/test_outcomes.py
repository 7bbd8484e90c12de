"""Outcomes: what the assembly decided, per resolution (outcomes.xlsx) and per proposal (the
Result column), in the matrix, on the Outcomes sheet, in the changes and the templates."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import REGION_HEADER, codes, error_lines, write_region, write_sheet
from pipeline.versions.changes import diff_outcomes
from pipeline.words.frames import OUTCOMES
from pipeline.words.vocab import Assessment

HEADER = ["Resolution", "Outcome", "Adopted as", "Assessment", "Summary", "Document"]
WITH_RESULT = [*REGION_HEADER, "Result"]


def write_outcomes(inputs, rows, header=HEADER):
    return write_sheet(inputs / "outcomes.xlsx", [header, *rows], sheet="Outcomes")


def build(run, inputs, tmp_path, monkeypatch, command="matrix"):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01
    output = tmp_path / "out" / "matrix.xlsx"
    status, out, err = run(command, "--inputs", inputs, "--output", output)
    assert status == 0, err
    return openpyxl.load_workbook(output), out


def column(sheet, name: str) -> int:
    return codes(sheet[1]).index(name) + 1


def test_mistakes_in_resolutions_and_outcomes_name_their_cells(inputs, run):
    write_outcomes(
        inputs,
        [
            [64, "MODIFIED", "", "Resolved", "Capacity building kept", "Res. 64 (Rev. 2024)"],
            ["Res. 64", "unchanged", "", "n/a", "", ""],
            ["NEW-AI", "MODIFIED", "", "Resolved", "", ""],
            [10, "ADOPTED", "Res. 120", "Resolved", "", ""],
            [77, "UNCHANGED", "", "Resolved", "", ""],
            [100, "KEPT", "", "Sort of", "", ""],
            ["NEW-DPI", "", "", "", "", ""],
            [2, "UNCHANGED", "Res. 101", "n/a", "", ""],
        ],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "outcomes.xlsx:Outcomes!A3: Res. 64 already has an outcome on row 2; keep one of the "
        "two rows",
        "outcomes.xlsx:Outcomes!B4: Outcome 'MODIFIED' is only for resolutions in force; NEW-AI "
        "is a draft new resolution, so its outcome is ADOPTED, NOT ADOPTED or MERGED",
        "outcomes.xlsx:Outcomes!B5: Outcome 'ADOPTED' is only for draft new resolutions "
        "(NEW-...); Res. 10 is already in force, so its outcome is MODIFIED, UNCHANGED, "
        "SUPPRESSED or MERGED",
        "outcomes.xlsx:Outcomes!A6: Resolution '77' is not in the catalogue (resolutions.xlsx); "
        "correct it, or add the resolution to the catalogue",
        "outcomes.xlsx:Outcomes!B7: Outcome 'KEPT' is not one of ADOPTED, MODIFIED, UNCHANGED, "
        "SUPPRESSED, NOT ADOPTED, MERGED",
        "outcomes.xlsx:Outcomes!D7: Assessment 'Sort of' is not one of Resolved, Partly "
        "resolved, Not resolved, n/a",
        "outcomes.xlsx:Outcomes!B8: Outcome is empty; it must be ADOPTED, MODIFIED, UNCHANGED, "
        "SUPPRESSED, NOT ADOPTED or MERGED",
        "outcomes.xlsx:Outcomes!D8: Assessment is empty; it must be Resolved, Partly resolved, "
        "Not resolved or n/a",
        "outcomes.xlsx:Outcomes!C9: Adopted as 'Res. 101' is only for ADOPTED and MERGED; clear "
        "it, or correct the Outcome",
    ]


def test_adopted_as_must_name_a_new_number_or_the_resolution_merged_into(inputs, run):
    write_outcomes(
        inputs,
        [
            ["NEW-AI", "ADOPTED", "Res. 64", "Resolved", "", ""],  # a number already in use
            ["NEW-DPI", "ADOPTED", "", "Resolved", "", ""],
            [2, "MERGED", "Res. 2", "Resolved", "", ""],
            [10, "MERGED", "soon", "Resolved", "", ""],
        ],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "outcomes.xlsx:Outcomes!C2: Adopted as 'Res. 64' is the number of a resolution already "
        "in the catalogue; a new resolution gets a number of its own (if the draft was folded "
        "into that resolution, its outcome is MERGED)",
        "outcomes.xlsx:Outcomes!C3: Adopted as is empty; an outcome of ADOPTED needs it: the "
        "number the draft was adopted as (like Res. 101), or the resolution the text was merged "
        "into",
        "outcomes.xlsx:Outcomes!C4: Adopted as 'Res. 2' is this row's own resolution; a text "
        "merged into another names that other resolution",
        "outcomes.xlsx:Outcomes!C5: Adopted as 'soon' is not a resolution (like Res. 101, or "
        "NEW-AI for a draft merged into another draft)",
    ]


def test_two_drafts_cannot_become_one_resolution(inputs, run):
    write_outcomes(
        inputs,
        [
            ["NEW-AI", "ADOPTED", "Res. 101", "Resolved", "", ""],
            ["NEW-DPI", "adopted", "101", "Resolved", "", ""],
            [64, "MERGED", "Res. 2", "Resolved", "", ""],  # merging into one target is fine
            [100, "MERGED", "Res. 2", "n/a", "", ""],
        ],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "outcomes.xlsx:Outcomes!C3: Adopted as '101' is already the number of the draft adopted "
        "on row 2; two drafts cannot become one resolution (if they were combined, one was "
        "MERGED into the other)"
    ]


def test_renumbered_drafts_and_outcomes_in_the_matrix(inputs, run, tmp_path, monkeypatch):
    write_outcomes(
        inputs,
        [
            ["NEW-AI", "Adopted", "Res. 101", "Not resolved", "ITU-T leads on AI", "Res. 101"],
            [64, "MODIFIED", "", "resolved", "", "Res. 64 (Rev. New Delhi, 2024)"],
        ],
    )
    book, out = build(run, inputs, tmp_path, monkeypatch)
    assert "Outcomes recorded for 2 of 6 resolutions." in out
    matrix = book["Matrix"]
    header = codes(matrix[1])
    # What the assembly decided sits beside the resolution's overall concern, before the
    # groups' columns, so that it prints on the page that shows the resolution.
    assert header == [
        "Resolution", "Title", "Topic", "Priority", "Overall concern", "Outcome", "Assessment",
        "APT", "CEPT", "ISOC analysis",
    ]  # fmt: skip
    keys = [matrix.cell(r, 1).value for r in range(2, matrix.max_row + 1)]
    assert keys == ["Res. 2", "Res. 10", "Res. 64", "Res. 100", "NEW-AI → Res. 101", "NEW-DPI"]
    ai, res64 = keys.index("NEW-AI → Res. 101") + 2, keys.index("Res. 64") + 2
    outcome, assessment = column(matrix, "Outcome"), column(matrix, "Assessment")
    assert matrix.cell(ai, outcome).value == "Adopted as Res. 101\nITU-T leads on AI\nRes. 101"
    assert matrix.cell(ai, assessment).value == "Not resolved"
    assert matrix.cell(ai, assessment).fill.fgColor.rgb == "FF" + Assessment.NOT_RESOLVED.fill[1:]
    assert matrix.cell(res64, outcome).value == "Modified\nRes. 64 (Rev. New Delhi, 2024)"
    assert matrix.cell(res64, assessment).value == "Resolved"
    assert matrix.cell(2, outcome).value is None  # Res. 2: no outcome recorded yet
    # The assessment colours are not the concern colours.
    concern_fills = {matrix.cell(r, column(matrix, "Overall concern")).fill.fgColor.rgb
                     for r in range(2, matrix.max_row + 1)}  # fmt: skip
    assert not concern_fills & {"FF" + a.fill[1:] for a in Assessment}
    about = [c.value for c in book["About"]["A"] if c.value]
    assert "Outcomes as of 1 October 2024: recorded for 2 of 6 resolutions." in about
    assert book.sheetnames == [
        "Summary", "Matrix", "About", "Changes", "Proposals", "Outcomes", "Legend",
    ]  # fmt: skip


def test_the_outcomes_sheet_against_a_hand_count(inputs, run, tmp_path, monkeypatch):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", "", "Accepted"],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "", "not accepted"],
        ],
        header=WITH_RESULT,
    )
    write_region(
        inputs,
        "CEPT",
        [
            ["Res. 2", "MOD", "Doc 40 Add.1", "Restructure study groups", "Low", "", "Withdrawn"],
            ["Res. 64", "NOC", "Doc 40 Add.2", "", "", "", ""],
        ],
        header=WITH_RESULT,
    )
    write_outcomes(
        inputs,
        [
            [64, "MODIFIED", "", "Resolved", "", ""],
            ["NEW-AI", "ADOPTED", "Res. 101", "Not resolved", "An ITU-T lead on AI", ""],
            [2, "UNCHANGED", "", "n/a", "", ""],
        ],
    )
    book, _ = build(run, inputs, tmp_path, monkeypatch)
    sheet = book["Outcomes"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    values = [row for row in values if row]
    # Overall concerns: Res. 2 Low, Res. 64 Low (Low and None), NEW-AI High; the rest none.
    # Proposals: APT 64 Low, APT NEW-AI High, CEPT 2 Low, CEPT 64 None.
    assert values == [
        ["High-concern resolutions not resolved"],
        ["Resolution", "Title", "Outcome", "Assessment", "What was decided"],
        ["NEW-AI → Res. 101", "Artificial intelligence standardization", "Adopted as Res. 101",
         "Not resolved", "An ITU-T lead on AI"],
        ["Resolutions by overall concern: was the concern resolved?"],
        ["Concern", "Resolved", "Partly resolved", "Not resolved", "Not applicable",
         "No outcome yet", "Total"],
        ["High concern", 0, 0, 1, 0, 0, 1],
        ["Medium concern", 0, 0, 0, 0, 0, 0],
        ["Low concern", 1, 0, 0, 1, 0, 2],
        ["No concern", 0, 0, 0, 0, 0, 0],
        ["All concerns", 1, 0, 1, 1, 0, 3],
        ["Proposals by their concern: was the concern resolved?"],
        ["Concern", "Resolved", "Partly resolved", "Not resolved", "Not applicable",
         "No outcome yet", "Total"],
        ["High concern", 0, 0, 1, 0, 0, 1],
        ["Medium concern", 0, 0, 0, 0, 0, 0],
        ["Low concern", 1, 0, 0, 1, 0, 2],
        ["No concern", 1, 0, 0, 0, 0, 1],
        ["All concerns", 2, 0, 1, 1, 0, 4],
        ["Results of each regional group's proposals"],
        ["Regional group", "Accepted", "Partly accepted", "Not accepted", "Withdrawn",
         "Not known yet", "Total"],
        ["APT", 1, 0, 1, 0, 0, 2],
        ["CEPT", 0, 0, 0, 1, 1, 2],
        ["All regional groups", 1, 0, 1, 1, 1, 4],
    ]  # fmt: skip
    assert len(sheet._charts) == 1  # the native chart, read back
    matrix = book["Matrix"]
    apt = column(matrix, "APT")
    cells = {matrix.cell(r, 1).value: matrix.cell(r, apt).value for r in range(2, 8)}
    assert cells["NEW-AI → Res. 101"].endswith("Doc 37 Add.2\nResult: not accepted")
    proposals = book["Proposals"]
    result = column(proposals, "Result")
    assert [proposals.cell(r, result).value for r in range(2, 6)] == [
        "Withdrawn", "Accepted", None, "Not accepted",
    ]  # fmt: skip


def test_a_result_must_be_one_of_the_four(inputs, run):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", "", "partly ACCEPTED"],
            ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "", "Won"],
        ],
        header=WITH_RESULT,
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/APT.xlsx:Proposals!G5: Result 'Won' is not one of Accepted, Partly accepted, "
        "Not accepted or Withdrawn (empty means not yet known)"
    ]


def test_outcome_changes_field_by_field():
    def table(*rows):
        return pd.DataFrame(
            [[k, f"Res. {k}", o, "", "", a, s, ""] for k, o, a, s in rows],
            columns=list(OUTCOMES.columns),
        )

    old = table(("2", "MODIFIED", "Resolved", "x"), ("10", "UNCHANGED", "n/a", ""))
    new = table(("64", "MODIFIED", "Resolved", ""), ("2", "MODIFIED", "Partly resolved", "y"))
    changes = diff_outcomes(old, new, ["2", "10", "64"])
    assert changes[["Change", "key", "Changed fields"]].values.tolist() == [
        ["Changed", "2", "Assessment, Summary"],
        ["Removed", "10", ""],
        ["Added", "64", ""],
    ]
    assert changes.loc[0, "Assessment before"] == "Resolved"
    assert changes.loc[0, "Assessment after"] == "Partly resolved"
    assert diff_outcomes(None, None, []).empty
    # A version that does not say what its outcomes were: nothing is known to have changed.
    assert diff_outcomes(None, new, []).empty
    assert diff_outcomes(old, None, []).empty


def test_a_release_lists_the_outcomes_that_changed(inputs, run, tmp_path, monkeypatch):
    write_outcomes(inputs, [[64, "MODIFIED", "", "Resolved", "", ""]])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    assert run("release", "--inputs", inputs)[0] == 0
    write_outcomes(
        inputs,
        [[64, "MODIFIED", "", "Partly resolved", "", ""], [2, "UNCHANGED", "", "n/a", "", ""]],
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728000000")
    status, out, err = run("release", "--inputs", inputs)
    assert status == 0, err
    assert "No changes to proposals since v1 (2024-10-01); 2 outcomes recorded, changed or " in out
    path = next((tmp_path / "outputs" / "WTSA-24" / "releases").glob("*_v2_*.xlsx"))
    sheet = openpyxl.load_workbook(path)["Changes"]
    rows = [[v for v in r if v not in (None, "")] for r in sheet.iter_rows(values_only=True)]
    start = rows.index(["Outcomes recorded, changed or removed"])
    assert rows[start + 2 :] == [  # in words, not the codes typed
        ["Added", "Res. 2", "Unchanged", "Not applicable"],
        ["Changed", "Res. 64", "Assessment", "Modified", "Modified", "Resolved",
         "Partly resolved"],
    ]  # fmt: skip


def test_a_changed_outcome_or_assessment_is_framed_like_a_changed_proposal(
    inputs, run, tmp_path, monkeypatch
):
    write_outcomes(
        inputs,
        [
            [64, "MODIFIED", "", "Resolved", "Capacity building kept", ""],
            [2, "UNCHANGED", "", "n/a", "", ""],
            [100, "MODIFIED", "", "Resolved", "", ""],
        ],
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    assert run("release", "--inputs", inputs)[0] == 0
    write_outcomes(
        inputs,
        [
            [64, "MODIFIED", "", "Partly resolved", "Capacity building kept", ""],  # assessed
            [2, "UNCHANGED", "", "n/a", "Kept as it was", ""],  # what was decided, in words
            [10, "MODIFIED", "", "Resolved", "", ""],  # recorded; Res. 100's is removed
        ],
    )
    book, out = build(run, inputs, tmp_path, monkeypatch)
    assert "No changes to proposals since v1 (2024-10-01); 4 outcomes recorded" in out
    matrix = book["Matrix"]
    rows = {matrix.cell(r, 1).value: r for r in range(2, matrix.max_row + 1)}
    outcome, assessment = column(matrix, "Outcome"), column(matrix, "Assessment")

    def framed(key: str) -> tuple[bool, bool]:
        cells = (matrix.cell(rows[key], outcome), matrix.cell(rows[key], assessment))
        for cell in cells:  # a frame is thick on all four sides, or thin on all
            sides = {cell.border.left.style, cell.border.right.style, cell.border.top.style,
                     cell.border.bottom.style}  # fmt: skip
            assert sides in ({"thick"}, {"thin"}), (key, cell.coordinate, sides)
        return tuple(cell.border.left.style == "thick" for cell in cells)

    assert framed("Res. 64") == (False, True)
    assert framed("Res. 2") == (True, False)
    assert framed("Res. 10") == (True, True)
    assert framed("Res. 100") == (True, True)  # no outcome now: the empty cells are framed
    assert framed("NEW-AI") == (False, False)
    # A framed cell keeps its words and its colour, as a framed proposal keeps its concern's.
    changed = matrix.cell(rows["Res. 64"], assessment)
    assert changed.value == "Partly resolved"
    assert changed.fill.fgColor.rgb == "FF" + Assessment.PARTLY.fill[1:]
    assert matrix.cell(rows["Res. 2"], outcome).value == "Unchanged\nKept as it was"
    assert matrix.cell(rows["Res. 100"], outcome).value is None
    # The proposals did not change: none of their cells is framed.
    for key, row in rows.items():
        for name in ("APT", "CEPT"):
            cell = matrix.cell(row, column(matrix, name))
            assert cell.border.left.style == "thin", (key, name)
    about = [c.value for c in book["About"]["A"] if c.value]
    assert any("changed cells have a thick black frame" in line for line in about)


def test_the_outcomes_template_offers_the_values_as_dropdowns(inputs, run, tmp_path):
    out = tmp_path / "templates"
    status, stdout, err = run("templates", "--inputs", inputs, "--out", out)
    assert status == 0, err
    assert "outcomes.xlsx: blank" in stdout
    sheet = openpyxl.load_workbook(out / "outcomes.xlsx")["Outcomes"]
    assert [c.value for c in sheet[4]] == HEADER
    lists = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists == {
        "A5": "Lists!$A$2:$A$7",
        "B5": '"ADOPTED,MODIFIED,UNCHANGED,SUPPRESSED,NOT ADOPTED,MERGED"',
        "D5": '"Resolved,Partly resolved,Not resolved,n/a"',
    }
    region = openpyxl.load_workbook(out / "APT.xlsx")["Proposals"]
    result = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in region.data_validations.dataValidation
        if v.type == "list"
    }["H5"]
    assert result == '"Accepted,Partly accepted,Not accepted,Withdrawn"'


def test_without_outcomes_the_matrix_is_as_it_was(shipped_inputs, run, tmp_path, monkeypatch):
    with_outcomes, _ = build(run, shipped_inputs, tmp_path / "a", monkeypatch)
    (shipped_inputs / "outcomes.xlsx").unlink()
    without, out = build(run, shipped_inputs, tmp_path / "b", monkeypatch)
    assert "Outcomes recorded" not in out
    assert "Outcomes" not in without.sheetnames
    top = 2  # the shipped matrix has member states: its header is under a row of groups
    header = [c.value for c in without["Matrix"][top]]
    assert "Outcome" not in header and "Assessment" not in header
    assert not any("Outcomes as of" in str(c.value) for c in without["About"]["A"])
    # Every other column is as it was, draft keys apart (NEW-AI, not NEW-AI → Res. 101).
    before, after = with_outcomes["Matrix"], without["Matrix"]
    before_header = [c.value for c in before[top]]
    for name in header[1:]:
        a, b = before_header.index(name) + 1, header.index(name) + 1
        assert [before.cell(r, a).value for r in range(top + 1, before.max_row + 1)] == [
            after.cell(r, b).value for r in range(top + 1, after.max_row + 1)
        ], name
    keys = [after.cell(r, 1).value for r in range(top + 1, after.max_row + 1)]
    assert "NEW-AI" in keys and not any("→" in k for k in keys)


def test_two_outcomes_workbooks_are_one_too_many(inputs, run):
    write_outcomes(inputs, [[64, "MODIFIED", "", "Resolved", "", ""]])
    shutil.copy(inputs / "outcomes.xlsx", inputs / "Outcomes.xlsm")
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "outcomes.xlsx: there are 2 outcomes workbooks, Outcomes.xlsm and outcomes.xlsx; keep "
        "only one of them"
    ]


@pytest.mark.parametrize("name", ["Outcome", "Assessment"])
def test_the_required_columns_of_the_outcomes_workbook(inputs, run, name):
    header = [h for h in HEADER if h != name]
    write_outcomes(inputs, [[64, "MODIFIED", "", "Resolved", ""]], header=header)
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert any(f"missing column '{name}'" in line for line in error_lines(err)), err
