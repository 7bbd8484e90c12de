"""Reading the workbooks: which sheet, which header row, which rows, which files."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from conftest import REGION_HEADER, error_lines, write_region, write_sheet
from pipeline.reading.inputs import load_inputs
from pipeline.reading.load import (
    PROPOSALS_SPEC,
    cell_text,
    proposals_frame,
    read_table,
)
from pipeline.words import frames as F

ROW = [64, "MOD", "Doc 1", "Summary", "Low", "a note"]


def read(path):
    return read_table(path, f"regions/{path.name}", PROPOSALS_SPEC, submitter=path.stem)


@pytest.mark.parametrize("above", [0, 1, 9])
def test_header_is_found_below_title_rows(tmp_path, above):
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [REGION_HEADER, ROW], above=above))
    assert problems == []
    assert table.header_row == above + 1
    assert table.data[F.ROW].tolist() == [above + 2]


def test_header_below_row_ten_is_not_found(tmp_path):
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [REGION_HEADER, ROW], above=10))
    assert table is None
    assert [str(p) for p in problems] == [
        "regions/APT.xlsx:Proposals: no header row in the first 10 rows; the header row must "
        "name the columns Resolution, Action, Document, Summary, Concern"
    ]


def test_headers_match_case_and_space_insensitively_in_any_order_with_extra_columns(tmp_path):
    header = ["  concern ", "Owner", "SUMMARY", "resolution", "Document", "ACTION", "Notes  "]
    row = ["High", "Ana", "Text", "Res. 2", "Doc 9", "mod", "n"]
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [header, row]))
    assert problems == []
    assert table.columns == {
        "Resolution": 3,
        "Action": 5,
        "Document": 4,
        "Summary": 2,
        "Concern": 0,
        "Notes": 6,
    }
    record = table.data.iloc[0]
    typed = [record[F.typed(c)] for c in (F.RESOLUTION, F.ACTION, F.CONCERN)]
    assert typed == ["Res. 2", "mod", "High"]
    assert "Owner" not in table.data


def test_notes_column_is_optional(tmp_path):
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [REGION_HEADER[:5], ROW[:5]]))
    assert problems == []
    assert table.data[F.NOTES].isna().all()


def test_a_near_miss_of_an_optional_column_is_a_warning(tmp_path):
    header = [*REGION_HEADER[:5], "Note"]
    _, problems = read(write_sheet(tmp_path / "APT.xlsx", [header, ROW]))
    assert [str(p) for p in problems] == [
        "regions/APT.xlsx:Proposals!F1: warning: column 'note' is ignored; if it holds Notes, "
        "head it 'Notes'"
    ]


def test_a_column_headed_twice_names_both(tmp_path):
    header = [*REGION_HEADER[:5], "Summary"]
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [header, ROW]))
    assert table is None
    assert [str(p) for p in problems] == [
        "regions/APT.xlsx:Proposals!F1: a second column headed 'Summary' (the first is column D);"
        " rename or delete one of them"
    ]


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    rows = [REGION_HEADER, ROW, [None] * 6, ["  ", "", None, None, None, None], ROW]
    table, _ = read(write_sheet(tmp_path / "APT.xlsx", rows, above=2))
    assert table.data[F.ROW].tolist() == [4, 7]


def test_a_row_with_text_only_in_an_extra_column_is_blank(tmp_path):
    rows = [[*REGION_HEADER, "Owner"], ROW, [None] * 6 + ["Ana"]]
    table, _ = read(write_sheet(tmp_path / "APT.xlsx", rows))
    assert table.data[F.ROW].tolist() == [2]


def test_none_na_and_null_are_text_not_missing(tmp_path):
    rows = [REGION_HEADER, [64, "NOC", "N/A", "NA", "None", "null"]]
    table, _ = read(write_sheet(tmp_path / "APT.xlsx", rows))
    record = table.data.iloc[0]
    assert (record[F.DOCUMENT], record[F.SUMMARY], record[F.typed(F.CONCERN)], record[F.NOTES]) == (
        "N/A",
        "NA",
        "None",
        "null",
    )


def test_numbers_read_as_the_analyst_sees_them():
    assert cell_text(64.0) == "64"
    assert cell_text(64.5) == "64.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.date(2024, 10, 15)) == "2024-10-15"
    assert cell_text(dt.datetime(2024, 10, 15, 9, 30)) == "2024-10-15 09:30:00"
    assert cell_text("  text  ") == "text"
    assert cell_text("   ") is None


def test_sheet_named_proposals_is_chosen_among_several(tmp_path):
    path = write_sheet(tmp_path / "APT.xlsx", [["Scratch"]], sheet="Notes")
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Proposals")
    sheet.append(REGION_HEADER)
    sheet.append(ROW)
    book.save(path)
    table, problems = read(path)
    assert problems == []
    assert (table.sheet, len(table.data)) == ("Proposals", 1)


def test_a_single_sheet_is_used_whatever_its_name(tmp_path):
    table, problems = read(write_sheet(tmp_path / "APT.xlsx", [REGION_HEADER, ROW], sheet="Sheet1"))
    assert problems == []
    assert table.sheet == "Sheet1"


def test_several_sheets_without_proposals_is_an_error_naming_them(tmp_path):
    path = write_sheet(tmp_path / "APT.xlsx", [REGION_HEADER, ROW], sheet="Sheet1")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Sheet2")
    book.save(path)
    table, problems = read(path)
    assert table is None
    assert [str(p) for p in problems] == [
        "regions/APT.xlsx: has no sheet named 'Proposals' (its sheets are 'Sheet1', 'Sheet2'); "
        "rename the sheet that holds the data to 'Proposals'"
    ]


def test_a_value_merged_down_several_rows_belongs_to_each(tmp_path):
    rows = [REGION_HEADER, ROW, [None, "MOD", "Doc 2", "Second", "High", None]]
    path = write_sheet(tmp_path / "APT.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("A2:A3")
    book.save(path)
    table, problems = read(path)
    assert problems == []
    assert table.data[F.typed(F.RESOLUTION)].tolist() == ["64", "64"]


def _damaged(path):
    write_sheet(path, [REGION_HEADER, ROW])
    path.write_bytes(path.read_bytes()[:400])


def _renamed_ods(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda p: p.write_bytes(b""),
            "is empty (0 bytes): it was not saved completely; save your workbook again from "
            "Excel under this name",
        ),
        (
            lambda p: p.write_bytes(b"this is not a zip file"),
            "is not an Excel workbook, whatever its name says; open it in the program that made "
            "it and save it as an Excel Workbook (.xlsx)",
        ),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
            "is an Excel 97-2003 workbook (.xls) with an .xlsx name: open it in Excel and save "
            "it as .xlsx (File > Save As > Excel Workbook)",
        ),
        (
            _damaged,
            "is damaged: it cannot be opened as an Excel workbook; open it in Excel, which may "
            "offer to repair it, and save it again as .xlsx",
        ),
        (
            _renamed_ods,
            "is an OpenDocument spreadsheet with an .xlsx name: save it as .xlsx "
            "(File > Save As > Excel 2007-365)",
        ),
    ],
    ids=["zero-bytes", "not-a-zip", "xls-renamed", "damaged", "ods-renamed"],
)
def test_an_unreadable_workbook_is_named_and_explained_in_plain_words(tmp_path, make, words):
    path = tmp_path / "APT.xlsx"
    make(path)
    table, problems = read(path)
    assert table is None
    assert [str(p) for p in problems] == [f"regions/APT.xlsx: {words}"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "ATU.xls",
            "is an Excel 97-2003 workbook: open it in Excel and save it as .xlsx "
            "(File > Save As > Excel Workbook)",
        ),
        (
            "ATU.ods",
            "is an OpenDocument spreadsheet: save it as .xlsx (File > Save As > Excel 2007-365)",
        ),
        (
            "ATU.csv",
            "is a CSV file, not a workbook: open it in Excel and save it as .xlsx (Excel Workbook)",
        ),
        (
            "ATU.txt",
            "is not an Excel workbook (.xlsx or .xlsm), so its proposals would be lost; save it "
            "as an Excel Workbook (.xlsx) or move it out of regions/",
        ),
    ],
)
def test_a_file_in_another_format_says_how_to_convert_it(inputs, run, name, words):
    (inputs / "regions" / name).write_bytes(b"data")
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, error_lines(err)) == (1, [f"regions/{name}: {words}"])


@pytest.mark.parametrize(
    "name", ["APT - Copy.xlsx", "APT (1).xlsx", "Copy of APT.xlsx", "APT_old.xlsx", "apt v2.xlsx"]
)
def test_a_stray_copy_is_to_be_moved_aside_never_renamed_over_the_original(inputs, run, name):
    write_region(inputs, name.removesuffix(".xlsx"), [ROW])
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        f"regions/{name}: looks like a copy of the APT workbook; move it into a sub-folder such "
        "as regions/old/ (sub-folders are not read) or delete it"
    ]
    # the problem is the file's name, not a cell: a marked copy of it would show nothing
    assert "Copies with these cells marked" not in err
    assert not (inputs.parent / "outputs" / "WTSA-24" / "validation" / "regions").exists()


def test_a_copy_named_in_matrix_toml_is_a_region_of_its_own(inputs, run):
    write_region(inputs, "APT-2", [ROW[:5]])
    (inputs / "matrix.toml").write_text(
        'regions = ["APT", "APT-2", "CEPT"]\n[names]\nAPT-2 = "A second APT"\n'
    )
    status, out, err = run("validate", "--inputs", inputs)
    assert (status, err) == (0, "")
    assert "from 3 regional groups" in out


def test_a_sheet_name_with_spaces_is_quoted_as_excel_writes_it(inputs, run):
    write_sheet(
        inputs / "regions" / "APT.xlsx",
        [REGION_HEADER, [64, "MDO", "d", "s", "Low"]],
        sheet="Application Form",
    )
    _, _, err = run("validate", "--inputs", inputs)
    assert error_lines(err) == [
        "regions/APT.xlsx:'Application Form'!B2: Action 'MDO' is not one of ADD, MOD, SUP, NOC"
    ]


def test_lock_and_hidden_files_are_ignored_other_files_are_errors(inputs, run):
    regions = inputs / "regions"
    (regions / "~$APT.xlsx").write_bytes(b"lock")
    (regions / ".DS_Store").write_bytes(b"mac")
    (regions / "old").mkdir()
    (regions / "ATU.csv").write_text("Resolution,Action\n64,MOD\n")
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/ATU.csv: is a CSV file, not a workbook: open it in Excel and save it as .xlsx "
        "(Excel Workbook)"
    ]


def test_region_code_is_the_upper_cased_file_stem(inputs):
    (inputs / "regions" / "CEPT.xlsx").rename(inputs / "regions" / "cept.xlsx")
    loaded = load_inputs(inputs)
    assert loaded.submitter_codes == ["APT", "CEPT"]
    assert set(proposals_frame(loaded.proposal_tables)[F.SUBMITTER]) == {"APT", "CEPT"}


def test_two_workbooks_for_one_region_is_an_error(inputs, run):
    write_region(inputs, "apt", [ROW[:5]]).rename(inputs / "regions" / "apt.xlsm")
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert error_lines(err) == [
        "regions/APT.xlsx: region APT already has the workbook regions/apt.xlsm; "
        "keep only one of them"
    ]


def test_source_names_file_sheet_and_row(inputs):
    frame = proposals_frame(load_inputs(inputs).proposal_tables)
    F.READ_PROPOSALS.check(frame)  # the stage's frame is as declared
    assert frame[F.SOURCE].tolist()[:2] == [
        "regions/APT.xlsx:Proposals!row 4",
        "regions/APT.xlsx:Proposals!row 5",
    ]


def test_a_missing_regions_folder_says_what_to_create_not_to_fix_workbooks(inputs, run):
    for path in (inputs / "regions").iterdir():
        path.unlink()
    (inputs / "regions").rmdir()
    status, _, err = run("validate", "--inputs", inputs)
    assert status == 1
    assert err.splitlines() == [
        "regions/: the folder of region workbooks is missing: create a folder named regions in "
        "the inputs folder and put one workbook per region in it",
        "Error: 1 problem in 1 file.",
        "Hint: Each line above says what to do with that file or folder; then run again.",
        "The list of problems: outputs/WTSA-24/validation/index.txt",
    ]


ASIDE = "move it into a sub-folder such as {folder}/old/ (sub-folders are not read) or delete it"


def copy_line(folder: str, name: str, code: str, beside: bool = True) -> str:
    aside = ASIDE.format(folder=folder)
    if beside:
        return f"{folder}/{name}: looks like a copy of the {code} workbook; {aside}"
    return (
        f"{folder}/{name}: looks like a copy of the {code} workbook, and there is no "
        f"{folder}/{code}.xlsx: if it is the one to use, rename it {code}.xlsx; if not, {aside}"
    )


COPY_NAMES = [
    ("APT (2).xlsx", "APT"),
    ("APT - Copy.xlsx", "APT"),
    ("Copy of CEPT.xlsx", "CEPT"),
    ("APT_final_v3.xlsx", "APT"),
    ("APT final.xlsx", "APT"),
    ("CEPT-v2.xlsx", "CEPT"),
    ("CEPT 2024-10-01.xlsx", "CEPT"),
    ("CEPT 20241001.xlsx", "CEPT"),
    ("APT v3.xlsx", "APT"),
    ("APT old.xlsx", "APT"),
    ("APT backup.xlsx", "APT"),
    ("APT draft.xlsx", "APT"),
    ("APT rev2.xlsx", "APT"),
    ("Copie de APT.xlsx", "APT"),
    ("CEPT copia.xlsx", "CEPT"),
    ("CEPT ancien.xlsx", "CEPT"),
    ("CEPT définitif.xlsx", "CEPT"),
]


@pytest.mark.parametrize("listed", [False, True], ids=["no list", "regions list"])
@pytest.mark.parametrize(("name", "code"), COPY_NAMES)
def test_a_copy_under_any_decoration_is_named_as_a_copy(inputs, run, name, code, listed):
    if listed:
        (inputs / "matrix.toml").write_text('regions = ["APT", "CEPT"]\n')
    write_region(inputs, name.removesuffix(".xlsx"), [ROW])
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, error_lines(err)) == (1, [copy_line("regions", name, code)])


@pytest.mark.parametrize("listed", [False, True], ids=["no list", "regions list"])
@pytest.mark.parametrize("name", ["RCC_final_v3.xlsx", "RCC 2024-10-01.xlsx", "RCC (2).xlsx"])
def test_a_copy_whose_original_is_not_there_is_never_a_column_of_its_own(
    inputs, run, tmp_path, name, listed
):
    if listed:
        (inputs / "matrix.toml").write_text('regions = ["APT", "CEPT"]\n')
    write_region(inputs, name.removesuffix(".xlsx"), [ROW])
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert (status, error_lines(err)) == (1, [copy_line("regions", name, "RCC", beside=False)])
    assert not (tmp_path / "m.xlsx").exists()


@pytest.mark.parametrize(
    ("name", "code", "beside"),
    [("Copy of USA.xlsx", "USA", True), ("USA_old_v2.xlsx", "USA", True),
     ("FRA final.xlsx", "FRA", False)],
)  # fmt: skip
def test_a_copy_of_a_member_states_workbook_is_named_as_one(inputs, run, name, code, beside):
    write_sheet(inputs / "members" / "USA.xlsx", [REGION_HEADER, ROW], above=2)
    write_sheet(inputs / "members" / name, [REGION_HEADER, ROW], above=2)
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, error_lines(err)) == (1, [copy_line("members", name, code, beside)])


@pytest.mark.parametrize("name", ["EU-27.xlsx", "APT-2.xlsx"])
def test_a_code_with_a_number_of_its_own_is_listed_not_a_copy(inputs, run, name):
    (inputs / "matrix.toml").write_text(
        f'regions = ["APT", "CEPT", "{name[:-5]}"]\n[names]\n{name[:-5]} = "A group"\n'
    )
    write_region(inputs, name.removesuffix(".xlsx"), [ROW[:5]])
    status, _, err = run("validate", "--inputs", inputs)
    assert (status, err) == (0, "")
