"""Changes, counts and messages you can trust: a comparison reports only what changed, and a
blank workbook copied over a full one is said plainly (issue 21)."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest
import python_calamine
import xlsxwriter

from conftest import error_lines, write_region
from pipeline.checking.validate import load_suite

RELEASES = ("outputs", "WTSA-24", "releases")
V1 = "WTSA-24_Issues_Matrix_v1_2024-10-01"


def release_v1(run, inputs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01
    status, _, err = run("release", "--inputs", inputs)
    assert status == 0, err
    return inputs.parent.joinpath(*RELEASES)


def compare(run, inputs, since, output):
    status, out, err = run("matrix", "--inputs", inputs, "--output", output, "--since", since)
    assert status == 0, err
    return out.splitlines()[-1], openpyxl.load_workbook(output)["Changes"]["A1"].value


def set_assessment(inputs, resolution: str, assessment: str) -> None:
    book = openpyxl.load_workbook(inputs / "outcomes.xlsx")
    sheet = book["Outcomes"]
    row = next(r for r in sheet.iter_rows(min_row=5) if str(r[0].value).startswith(resolution))
    row[3].value = assessment
    book.save(inputs / "outcomes.xlsx")


def test_the_same_inputs_have_no_changes_since_the_release_in_any_form(
    shipped_inputs, run, tmp_path, monkeypatch
):
    releases = release_v1(run, shipped_inputs, monkeypatch)
    emailed = tmp_path / "Downloads" / "matrix from Ana.xlsx"
    emailed.parent.mkdir()
    shutil.copy(releases / f"{V1}.xlsx", emailed)
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json", emailed):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        label = "v1 (2024-10-01)"
        assert (line, sheet) == (f"No changes since {label}.", f"No changes since {label}")


def test_an_outcome_changed_since_a_release_workbook_is_the_only_change(
    shipped_inputs, run, tmp_path, monkeypatch
):
    releases = release_v1(run, shipped_inputs, monkeypatch)
    set_assessment(shipped_inputs, "Res. 1 ", "Partly resolved")
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json"):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        assert line == (
            "No changes to proposals since v1 (2024-10-01); 1 outcome recorded, changed or removed."
        )
        assert sheet == line.rstrip(".")
        book = openpyxl.load_workbook(tmp_path / "now.xlsx")["Changes"]
        rows = [[v for v in r if v not in (None, "")] for r in book.iter_rows(values_only=True)]
        start = rows.index(["Outcomes recorded, changed or removed"])
        assert [r[:7] for r in rows[start + 2 :]] == [
            ["Changed", "Res. 1", "Assessment", "Modified", "Modified", "Resolved",
             "Partly resolved"],
        ]  # fmt: skip


def test_a_matrix_made_before_outcomes_does_not_make_every_outcome_new(
    shipped_inputs, run, tmp_path, monkeypatch
):
    kept = tmp_path / "outcomes.xlsx"
    shutil.move(shipped_inputs / "outcomes.xlsx", kept)
    releases = release_v1(run, shipped_inputs, monkeypatch)
    shutil.move(kept, shipped_inputs / "outcomes.xlsx")
    for since in (releases / f"{V1}.xlsx", releases / f"{V1}.json"):
        line, sheet = compare(run, shipped_inputs, since, tmp_path / "now.xlsx")
        assert (line, sheet) == (
            "No changes since v1 (2024-10-01).",
            "No changes since v1 (2024-10-01)",
        )


def test_an_outcome_for_drafts_on_a_numbered_resolution_is_one_error(shipped_inputs, run):
    book = openpyxl.load_workbook(shipped_inputs / "outcomes.xlsx")
    sheet = book["Outcomes"]
    sheet.append(["Res. 98", "ADOPTED", None, "Resolved", None, None])
    book.save(shipped_inputs / "outcomes.xlsx")
    status, _, err = run("validate", "--inputs", shipped_inputs)
    assert status == 1
    assert error_lines(err) == [
        f"outcomes.xlsx:Outcomes!B{sheet.max_row}: Outcome 'ADOPTED' is only for draft new "
        "resolutions (NEW-...); Res. 98 is already in force, so its outcome is MODIFIED, "
        "UNCHANGED, SUPPRESSED or MERGED",
    ]


def test_a_proposal_reports_the_cause_not_what_follows_from_it(inputs, run):
    write_region(
        inputs,
        "APT",
        [
            ["NEW-XYZ", "MOD", "Doc 37 Add.1", "Something", "Low", ""],
            [64, "MODIFY", "Doc 37 Add.2", "", "", ""],
            ["Res. 64x", "ADD", "Doc 37 Add.3", "Something else", "Low", ""],
        ],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/APT.xlsx:Proposals!A4: Resolution 'NEW-XYZ' is not in the catalogue "
        "(resolutions.xlsx); correct it, or add the resolution to the catalogue",
        "regions/APT.xlsx:Proposals!B5: Action 'MODIFY' is not one of ADD, MOD, SUP, NOC",
        "regions/APT.xlsx:Proposals!A6: Resolution 'Res. 64x' is not a resolution number (like "
        "64 or Res. 64) or a draft new resolution key (like NEW-AI)",
    ]


@pytest.mark.parametrize("suite", ["proposals", "catalogue", "outcomes"])
def test_the_rules_a_rule_follows_from_are_rules_of_its_suite(suite):
    rules = load_suite(suite)["expectations"]
    codes = {r["meta"]["code"] for r in rules}
    unknown = {c for r in rules for c in r["meta"].get("after", ()) if c not in codes}
    assert unknown == set()
    assert any(r["meta"].get("after") for r in rules)


def test_a_blank_catalogue_is_said_once_and_the_rows_it_strands_counted(
    shipped_inputs, run, tmp_path
):
    status, _, err = run("templates", "--inputs", shipped_inputs, "--out", tmp_path / "blank")
    assert status == 0, err
    shutil.copy(tmp_path / "blank" / "resolutions.xlsx", shipped_inputs / "resolutions.xlsx")
    status, _, err = run("validate", "--inputs", shipped_inputs)
    assert status == 1
    stranded = "name resolutions the catalogue does not have, since it is empty"
    assert error_lines(err) == [
        f"members/B.xlsx: 3 proposals {stranded}",
        f"members/USA.xlsx: 5 proposals {stranded}",
        f"outcomes.xlsx: 32 outcomes {stranded}",
        f"regions/APT.xlsx: 13 proposals {stranded}",
        f"regions/ASMG.xlsx: 14 proposals {stranded}",
        f"regions/ATU.xlsx: 14 proposals {stranded}",
        f"regions/CEPT.xlsx: 14 proposals {stranded}",
        f"regions/CITEL.xlsx: 14 proposals {stranded}",
        f"regions/RCC.xlsx: 16 proposals {stranded}",
        "resolutions.xlsx: holds no resolutions: was a blank template copied over it? Every "
        "proposal and outcome names a resolution it must list: restore it from a backup or an "
        "earlier copy, or fill in its rows",
    ]


def test_a_blank_template_over_a_workbook_before_any_release_is_a_warning(
    shipped_inputs, run, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01
    assert run("matrix", "--inputs", shipped_inputs)[0] == 0
    status, _, err = run("templates", "--inputs", shipped_inputs, "--out", tmp_path / "blank")
    assert status == 0, err
    shutil.copy(tmp_path / "blank" / "APT.xlsx", shipped_inputs / "regions" / "APT.xlsx")
    shutil.copy(tmp_path / "blank" / "members" / "B.xlsx", shipped_inputs / "members" / "B.xlsx")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728000000")  # 2024-10-04
    status, out, err = run("matrix", "--inputs", shipped_inputs)
    assert status == 0, err
    emptied = "has no proposals; was an empty template copied over it?"
    assert [line for line in (out + err).splitlines() if "has no proposals" in line] == [
        f"members/B.xlsx: warning: {emptied} It had 3 in the matrix built on 2024-10-01.",
        f"regions/APT.xlsx: warning: {emptied} It had 13 in the matrix built on 2024-10-01.",
    ]


def test_a_member_states_proposal_is_said_to_be_the_member_states(shipped_inputs, run):
    book = openpyxl.load_workbook(shipped_inputs / "members" / "USA.xlsx")
    book["Proposals"]["D5"] = None
    book.save(shipped_inputs / "members" / "USA.xlsx")
    book = openpyxl.load_workbook(shipped_inputs / "regions" / "APT.xlsx")
    book["Proposals"]["D6"] = None
    book.save(shipped_inputs / "regions" / "APT.xlsx")
    status, _, err = run("validate", "--inputs", shipped_inputs)
    assert status == 1
    textless = "(it may be left empty only for NOC)"
    assert error_lines(err) == [
        f"members/USA.xlsx:Proposals!D5: Summary is empty; say what the member state proposes "
        f"{textless}",
        f"regions/APT.xlsx:Proposals!D6: Summary is empty; say what the region proposes {textless}",
    ]


def test_a_member_states_template_speaks_of_the_member_state(shipped_inputs, run, tmp_path):
    status, _, err = run("templates", "--inputs", shipped_inputs, "--out", tmp_path / "t")
    assert status == 0, err
    book = openpyxl.load_workbook(tmp_path / "t" / "members" / "USA.xlsx")
    rows = {r[0]: r[1] for r in book["Instructions"].iter_rows(values_only=True) if r[0]}
    assert rows["Summary"] == (
        "What the member state proposes, in a sentence or two. Required except for NOC."
    )
    assert rows["Document"] == (
        "The ITU document, like Doc 37 Add.12. Two proposals from one member state on one "
        "resolution need different documents."
    )
    prompts = {v.promptTitle: v.prompt for v in book["Proposals"].data_validations.dataValidation}
    assert prompts["Summary"] == (
        "What the member state proposes, in a sentence or two. May be empty for NOC."
    )


# Pasted from Word: U+0001, and U+000B (Word's line break); the literal text of an escape Excel
# writes for a character; what Excel would take for a formula, or a text prefix; emoji outside
# the Basic Multilingual Plane.
SPECIAL_SUMMARY = "=SUM(A1) pasted from Word:\x01 one\x0btwo _x0041_ 😀"
SPECIAL_TITLE = "'Quoted _x0041_ title\x0bwith a break \x01 😀"
# How the shared strings must hold them: each character escaped once, the literal kept.
ESCAPED = {
    SPECIAL_SUMMARY: "=SUM(A1) pasted from Word:_x0001_ one_x000B_two _x005F_x0041_ 😀",
    SPECIAL_TITLE: "'Quoted _x005F_x0041_ title_x000B_with a break _x0001_ 😀",
}


def rewrite(path, edit) -> None:
    """Write a workbook again with xlsxwriter (openpyxl refuses control characters, which
    Excel and xlsxwriter keep), after `edit` has changed its rows."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    edit(rows)
    book = xlsxwriter.Workbook(path)
    out = book.add_worksheet(sheet.title)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                out.write_string(r, c, value)
            elif value is not None:
                out.write(r, c, value)
    book.close()


def cells_as_excel_shows(path) -> dict[str, list[str]]:
    """Every text cell of every sheet, its _xHHHH_ escapes read as Excel reads them."""
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        return {
            name: [v for row in book.get_sheet_by_name(name).to_python() for v in row if v]
            for name in book.sheet_names
        }


def test_special_text_reaches_every_sheet_and_the_public_workbook_as_typed(
    shipped_inputs, run, monkeypatch
):
    def apt(rows):  # APT's first proposal, on Res. 2, co-signers on lines of their own
        header = next(i for i, r in enumerate(rows) if r[0] == "Resolution")
        assert rows[header + 1][0] == 2
        rows[header + 1][3] = SPECIAL_SUMMARY
        rows[header + 1][7] = "aus;\x0bJ,\x0bKOR"

    def catalogue(rows):
        next(r for r in rows if r[0] == 2)[1] = SPECIAL_TITLE

    releases = release_v1(run, shipped_inputs, monkeypatch)
    assert run("publish", "--inputs", shipped_inputs)[0] == 0
    rewrite(shipped_inputs / "regions" / "APT.xlsx", apt)
    rewrite(shipped_inputs / "resolutions.xlsx", catalogue)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1728000000")  # 2024-10-04
    status, out, err = run("release", "--inputs", shipped_inputs)
    assert status == 0, err
    assert "Changes since v1 (2024-10-01): 0 added, 1 changed, 0 removed." in out
    status, _, err = run("publish", "--inputs", shipped_inputs)
    assert status == 0, err
    public = releases.parent / "publish" / "WTSA-24_Issues_Matrix_v2"
    internal = cells_as_excel_shows(releases / "WTSA-24_Issues_Matrix_v2_2024-10-04.xlsx")
    published = cells_as_excel_shows(public / "WTSA-24_Issues_Matrix_v2.xlsx")

    cell = (
        f"Changed since v1 (2024-10-01)\nMOD · Medium concern\n{SPECIAL_SUMMARY}\n"
        "Doc 37 Add.1\nCo-signed by: AUS (Australia), J (Japan), KOR (Republic of Korea)\n"
        "Result: partly accepted"
    )
    for book in (internal, published):
        assert cell in book["Matrix"]
        assert SPECIAL_TITLE in book["Matrix"]
        # The Changes sheet: the proposal changed since v1, its title naming the row.
        assert SPECIAL_SUMMARY in book["Changes"]
        assert SPECIAL_TITLE in book["Changes"]
        assert SPECIAL_TITLE in book["Outcomes"]
    proposals = internal["Proposals"]
    assert SPECIAL_SUMMARY in proposals
    assert proposals[proposals.index(SPECIAL_SUMMARY) + 1] == "AUS, J, KOR"
    assert "Proposals" not in published  # notes and sources stay with the team

    for path in (
        releases / "WTSA-24_Issues_Matrix_v2_2024-10-04.xlsx",
        public / "WTSA-24_Issues_Matrix_v2.xlsx",
    ):
        with zipfile.ZipFile(path) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        for escaped in ESCAPED.values():
            assert escaped in strings
        assert "_x005F_x0001_" not in strings and "_x005F_x000B_" not in strings
