"""One small bad workbook per rule, and the exact line (cell included) the analyst reads.

The `inputs` fixture's region workbooks have two note rows, the header on row 3, and data from
row 4; columns A Resolution, B Action, C Document, D Summary, E Concern, F Notes.
"""

from __future__ import annotations

import pytest
import xlsxwriter

from conftest import error_lines, stretch_cell, write_catalogue, write_region, write_sheet

GOOD = [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Low", ""]


def with_cells(**changes) -> list:
    row = list(GOOD)
    columns = {"resolution": 0, "action": 1, "document": 2, "summary": 3, "concern": 4, "notes": 5}
    for name, value in changes.items():
        row[columns[name]] = value
    return row


APT = "regions/APT.xlsx:Proposals"

RULES = [
    (
        "action_invalid",
        with_cells(action="MDO"),
        f"{APT}!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC",
    ),
    (
        "action_missing",
        with_cells(action=None),
        f"{APT}!B4: Action is empty; it must be one of ADD, MOD, SUP, NOC",
    ),
    (
        "resolution_missing",
        with_cells(resolution=None),
        f"{APT}!A4: Resolution is empty; every proposal needs the resolution it is about "
        "(like 64 or NEW-AI)",
    ),
    (
        "resolution_format",
        with_cells(resolution="Res. sixty-four"),
        f"{APT}!A4: Resolution 'Res. sixty-four' is not a resolution number (like 64 or Res. 64) "
        "or a draft new resolution key (like NEW-AI)",
    ),
    (
        "resolution_not_a_whole_number",
        with_cells(resolution=64.5),
        f"{APT}!A4: Resolution '64.5' is not a resolution number (like 64 or Res. 64) "
        "or a draft new resolution key (like NEW-AI)",
    ),
    (
        "resolution_unknown",
        with_cells(resolution="Res. 65"),
        f"{APT}!A4: Resolution 'Res. 65' is not in the catalogue (resolutions.xlsx); correct it, "
        "or add the resolution to the catalogue",
    ),
    (
        "draft_unknown",
        with_cells(resolution="NEW-QUANTUM", action="ADD"),
        f"{APT}!A4: Resolution 'NEW-QUANTUM' is not in the catalogue (resolutions.xlsx); "
        "correct it, or add the resolution to the catalogue",
    ),
    (
        "add_on_numbered",
        with_cells(action="add"),
        f"{APT}!B4: Action 'add' is only for draft new resolutions (NEW-...); Res. 64 already "
        "exists, so use MOD, SUP or NOC",
    ),
    (
        "mod_on_draft",
        with_cells(resolution="NEW-AI", action="MOD"),
        f"{APT}!B4: Action 'MOD' is only for existing resolutions; NEW-AI is a draft new "
        "resolution, so use ADD",
    ),
    (
        "concern_missing",
        with_cells(concern=None),
        f"{APT}!E4: Concern is empty; it must be High, Medium, Low or None (it may be left empty "
        "only for NOC)",
    ),
    (
        "concern_invalid",
        with_cells(concern="Severe"),
        f"{APT}!E4: Concern 'Severe' is not one of High, Medium, Low, None",
    ),
    (
        "summary_missing",
        with_cells(summary="   "),
        f"{APT}!D4: Summary is empty; say what the region proposes (it may be left empty only "
        "for NOC)",
    ),
]


def test_text_over_excel_cell_limit_is_an_input_error_not_truncated(inputs, run):
    path = write_region(inputs, "APT", [with_cells(summary="@@LONG@@")])
    stretch_cell(path, "@@LONG@@", "x" * 32_768)
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{APT}!D4: Summary holds 32,768 characters, more than the 32,767 an Excel cell can hold; "
        "shorten it"
    ]


@pytest.mark.parametrize(("rule", "row", "line"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_reports_the_exact_cell(inputs, run, rule, row, line):
    write_region(inputs, "APT", [row])
    status, out, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [line]
    assert out == ""


def test_noc_may_leave_concern_and_summary_empty(inputs, run):
    write_region(inputs, "APT", [with_cells(action="NOC", summary=None, concern=None)])
    status, out, _ = run("validate", "--inputs", inputs)
    assert status == 0, out


def test_a_mistyped_noc_is_one_problem_not_three(inputs, run):
    write_region(inputs, "APT", [with_cells(action="NCO", summary=None, concern=None)])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [f"{APT}!B4: Action 'NCO' is not one of ADD, MOD, SUP, NOC"]


def test_values_are_trimmed_and_case_insensitive(inputs, run):
    write_region(
        inputs,
        "APT",
        [with_cells(action="  mod ", concern="HIGH"), ["new-ai", "Add", "Doc 1", "x", "none", ""]],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 0, err


def test_duplicate_proposal_names_both_rows(inputs, run):
    write_region(
        inputs, "APT", [GOOD, with_cells(concern="High"), with_cells(document="doc 37  ADD.1")]
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{APT}!A5: the same proposal (Res. 64 MOD, document Doc 37 Add.1) is already on row 4; "
        "delete one of the two rows",
        f"{APT}!A6: the same proposal (Res. 64 MOD, document doc 37  ADD.1) is already on row 4; "
        "delete one of the two rows",
    ]


def test_same_resolution_and_action_in_another_document_is_not_a_duplicate(inputs, run):
    write_region(inputs, "APT", [GOOD, with_cells(document="Doc 37 Add.9")])
    assert run("validate", "--inputs", inputs)[0] == 0


def test_same_proposal_in_two_regions_is_not_a_duplicate(inputs, run):
    write_region(inputs, "APT", [GOOD])
    write_region(inputs, "CEPT", [GOOD])
    assert run("validate", "--inputs", inputs)[0] == 0


def test_every_problem_of_every_file_is_reported_at_once_in_file_and_cell_order(inputs, run):
    write_region(inputs, "CEPT", [with_cells(action="XXX", concern="Severe")])
    write_region(inputs, "APT", [GOOD, with_cells(resolution=999, document="d2")])
    write_catalogue(inputs, rows=[[64, "IPv6", "Internet", "Urgent", ""]])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{APT}!A5: Resolution '999' is not in the catalogue (resolutions.xlsx); correct it, "
        "or add the resolution to the catalogue",
        "regions/CEPT.xlsx:Proposals!B4: Action 'XXX' is not one of ADD, MOD, SUP, NOC",
        "regions/CEPT.xlsx:Proposals!E4: Concern 'Severe' is not one of High, Medium, Low, None",
        "resolutions.xlsx:Resolutions!D2: Priority 'Urgent' is not one of High, Medium, Low",
    ]
    assert err.splitlines()[-4:] == [
        "Error: 4 problems in 3 files.",  # validate writes no matrix, so none is missing
        "Hint: Correct the cells named above in your workbooks, save them, and run again.",
        "Copies with these cells marked, to look at: outputs/WTSA-24/validation/regions/APT.xlsx, "
        "outputs/WTSA-24/validation/regions/CEPT.xlsx, outputs/WTSA-24/validation/resolutions.xlsx",
        "The list of problems: outputs/WTSA-24/validation/index.txt",
    ]


CAT = "resolutions.xlsx:Resolutions"


@pytest.mark.parametrize(
    ("rule", "row", "line"),
    [
        (
            "title_missing",
            [7, None, "Cooperation", "Low", ""],
            f"{CAT}!B8: Title is empty; give the resolution's title",
        ),
        (
            "topic_missing",
            [7, "ISO", None, "Low", ""],
            f"{CAT}!C8: Topic is empty; give the subject area (like Internet governance)",
        ),
        (
            "priority_missing",
            [7, "ISO", "Cooperation", None, ""],
            f"{CAT}!D8: Priority is empty; it must be High, Medium or Low",
        ),
        (
            "priority_invalid",
            [7, "ISO", "Cooperation", "Top", ""],
            f"{CAT}!D8: Priority 'Top' is not one of High, Medium, Low",
        ),
        (
            "resolution_format",
            ["Rec. 7", "ISO", "Cooperation", "Low", ""],
            f"{CAT}!A8: Resolution 'Rec. 7' is not a resolution number (like 64 or Res. 64) or a "
            "draft new resolution key (like NEW-AI)",
        ),
        (
            "duplicate",
            ["Res. 64 (Rev. Geneva, 2022)", "IPv6 again", "Internet", "Low", ""],
            f"{CAT}!A8: Res. 64 is already listed on row 4; keep one row per resolution",
        ),
    ],
    ids=lambda v: v if (isinstance(v, str) and "_" in v) or v == "duplicate" else "",
)
def test_each_catalogue_rule_reports_the_exact_cell(inputs, run, rule, row, line):
    from conftest import CATALOGUE_ROWS

    write_catalogue(inputs, rows=[*CATALOGUE_ROWS, row])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [line]


def test_priority_is_case_insensitive(inputs, run):
    write_catalogue(
        inputs,
        rows=[
            [64, "IPv6", "Internet", " high ", ""],
            [2, "SG", "SG", "LOW", ""],
            ["NEW-AI", "AI", "AI", "medium", ""],
        ],
    )
    assert run("validate", "--inputs", inputs)[0] == 0


def test_formula_without_saved_result_is_reported_not_read_as_blank(inputs, run):
    # openpyxl writes formulas without a cached result, as many scripts and converters do.
    write_region(inputs, "APT", [with_cells(concern='=IF(1=1,"High","Low")')])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f'{APT}!E4: Concern is a formula (=IF(1=1,"High","Low")) with no saved result; '
        "open the workbook in Excel, let it calculate, and save it",
    ]


def test_formula_with_saved_result_is_read_by_its_value(inputs, run, tmp_path):
    path = inputs / "regions" / "APT.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Proposals")
    ws.write_row(0, 0, ["Resolution", "Action", "Document", "Summary", "Concern"])
    ws.write_row(1, 0, [64, "MOD", "Doc 1", "Summary"])
    ws.write_formula(1, 4, '=IF(1=1,"High","Low")', None, "High")
    book.close()
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert status == 0, err
    import openpyxl

    matrix = openpyxl.load_workbook(tmp_path / "m.xlsx")["Proposals"]
    concerns = {(r[1], r[0]): r[4] for r in matrix.iter_rows(min_row=2, values_only=True)}
    assert concerns[("APT", "Res. 64")] == "High"


def test_cell_showing_an_excel_error_is_reported(inputs, run):
    write_region(inputs, "APT", [with_cells(summary="#REF!")])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{APT}!D4: Summary shows the Excel error #REF!; correct the formula or type the value"
    ]


def test_catalogue_missing_is_one_line_not_one_per_proposal(inputs, run):
    (inputs / "resolutions.xlsx").unlink()
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "resolutions.xlsx: the catalogue of resolutions is missing; it must be in the inputs folder"
    ]


def test_missing_column_names_the_file_and_column(inputs, run):
    write_sheet(
        inputs / "regions" / "APT.xlsx",
        [["Resolution", "Action", "Document", "Summary", "Concerns"], GOOD[:5]],
    )
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"{APT}!row 1: missing column 'Concern' in the header row "
        "(is 'Concerns' meant to be 'Concern'?)"
    ]
