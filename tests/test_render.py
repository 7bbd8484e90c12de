"""The written matrix, read back with openpyxl: values, fills, layout, print set-up, safety."""

from __future__ import annotations

import errno
import os
import warnings
import zipfile

import openpyxl
import pytest

from conftest import (
    MATRIX_EPOCH,
    REGION_HEADER,
    error_lines,
    fixed_settings,
    working_in,
    write_catalogue,
    write_region,
    write_small_inputs,
)
from pipeline.system import files
from pipeline.workbook import matrix_sheet, styles

HEADER_ROW = 1  # as Excel numbers it
FILL = {"High": "FFF4CCCC", "Medium": "FFFCE5CD", "Low": "FFFFF2CC", "None": "FFD9EAD3"}


@pytest.fixture(scope="module")
def small_matrix(tmp_path_factory, validating):
    """The matrix of the `inputs` fixture's folder, built once for the tests that only read it
    (1 October 2024, as `built` below)."""
    from pipeline.build import build

    work = tmp_path_factory.mktemp("small")
    write_small_inputs(work / "inputs")
    with working_in(work):
        return build(fixed_settings(work, MATRIX_EPOCH, output=work / "matrix.xlsx")).path


@pytest.fixture
def built(inputs, run, tmp_path, monkeypatch):
    """The same matrix in this test's folder, with its inputs, to build over."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01 00:00 UTC
    output = tmp_path / "out" / "matrix.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    return output


def rows(sheet, first: int) -> list[list]:
    return [list(r) for r in sheet.iter_rows(min_row=first, values_only=True)]


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_sheets_title_block_and_header(small_matrix):
    book = openpyxl.load_workbook(small_matrix)
    assert book.sheetnames == ["Summary", "Matrix", "About", "Changes", "Proposals", "Legend"]
    assert book.active.title == "Summary"  # it opens at the summary, the matrix next to it
    about = book["About"]
    assert [about[f"A{r}"].value for r in range(1, 5)] == [
        "WTSA-24 Issues Matrix",
        "WTSA-24 · draft · generated 1 October 2024, 00:00 UTC",
        "6 resolutions, 2 regional groups, 4 proposals.",
        "This is the first version of the matrix: there is no earlier version to compare it with.",
    ]
    assert about["A6"].value == "How to read the matrix"
    assert about["A7"].value.startswith("One row per resolution, one column per regional group.")
    links = [c.hyperlink.location for c in about["A"] if c.hyperlink]
    assert links == [f"'{name}'!A1" for name in book.sheetnames]
    ws = book["Matrix"]
    assert [c.value for c in ws[HEADER_ROW]] == [
        "Resolution",
        "Title",
        "Topic",
        "Priority",
        "Overall concern",
        "APT\nAsia-Pacific Telecommunity",
        "CEPT\nEuropean Conference of Postal and Telecommunications Administrations",
        "ISOC analysis",
    ]


def test_a_notice_is_under_the_title_and_on_every_printed_page(inputs, run, tmp_path):
    (inputs / "matrix.toml").write_text('notice = "Draft & not for circulation"\n')
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    book = openpyxl.load_workbook(output)
    assert book["About"]["A3"].value == "Draft & not for circulation"
    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text == "Draft && not for circulation", sheet.title
        assert sheet.oddHeader.center.font == "-,Bold"
        assert sheet.oddHeader.center.color == "9C0006"


def test_matrix_values_and_fills(small_matrix):
    ws = openpyxl.load_workbook(small_matrix)["Matrix"]
    body = rows(ws, HEADER_ROW + 1)
    assert [r[0] for r in body] == ["Res. 2", "Res. 10", "Res. 64", "Res. 100", "NEW-AI", "NEW-DPI"]
    res2, res10, res64 = body[0], body[1], body[2]
    assert res2[1:4] == ["Study group responsibility and mandates", "Study groups", "High"]
    assert res2[4:] == [
        "Low concern",
        None,
        "MOD · Low concern\nRestructure study groups\nDoc 40 Add.1",
        "Mandates",
    ]
    assert res64[4:7] == [
        "Low concern",
        "MOD · Low concern\nIPv6 capacity building\nDoc 37 Add.1",
        "NOC · No concern\nDoc 40 Add.2",
    ]
    assert res10[4:7] == ["No proposals", None, None]

    r64 = HEADER_ROW + 3
    assert fill(ws[f"F{r64}"]) == FILL["Low"]
    assert fill(ws[f"G{r64}"]) == FILL["None"]
    assert fill(ws[f"E{r64}"]) == FILL["Low"]
    ai = HEADER_ROW + 5
    assert (ws[f"F{ai}"].value.split("\n")[0], fill(ws[f"F{ai}"])) == (
        "ADD · High concern",
        FILL["High"],
    )
    r10 = HEADER_ROW + 2
    assert fill(ws[f"F{r10}"]) is None and fill(ws[f"E{r10}"]) is None
    assert ws[f"F{r64}"].alignment.wrap_text is True
    assert ws[f"E{r64}"].alignment.wrap_text is not True  # the overall concern never wraps


def test_the_first_line_of_each_proposal_is_bold_the_rest_regular(small_matrix):
    ws = openpyxl.load_workbook(small_matrix, rich_text=True)["Matrix"]
    cell = ws[f"F{HEADER_ROW + 3}"].value  # APT on Res. 64
    assert [(bool(getattr(part, "font", None) and part.font.b), str(part)) for part in cell] == [
        (True, "MOD · Low concern"),
        (False, "\nIPv6 capacity building\nDoc 37 Add.1"),
    ]
    only_head = ws[f"G{HEADER_ROW + 3}"]  # CEPT's NOC with a document: two runs as well
    assert [str(p) for p in only_head.value] == ["NOC · No concern", "\nDoc 40 Add.2"]


def test_several_proposals_in_a_cell_each_start_in_bold(inputs, run, tmp_path):
    write_region(
        inputs,
        "APT",
        [
            [64, "MOD", "Doc 1", "First", "Low", ""],
            [64, "NOC", None, None, None, ""],
        ],
    )
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    cell = openpyxl.load_workbook(output, rich_text=True)["Matrix"][f"F{HEADER_ROW + 3}"].value
    runs = [(bool(getattr(p, "font", None) and p.font.b), str(p)) for p in cell]
    assert runs == [
        (True, "MOD · Low concern"),
        (False, "\nFirst\nDoc 1\n\n"),
        (True, "NOC · No concern"),
    ]


def test_a_cell_with_only_a_first_line_is_written_bold(inputs, run, tmp_path):
    write_region(inputs, "APT", [[64, "NOC", None, None, None, ""]])
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    cell = openpyxl.load_workbook(output)["Matrix"][f"F{HEADER_ROW + 3}"]
    assert (cell.value, cell.font.b, fill(cell)) == ("NOC · No concern", True, FILL["None"])


def test_matrix_layout_and_printing(small_matrix):
    ws = openpyxl.load_workbook(small_matrix)["Matrix"]
    assert ws.freeze_panes == "B2"  # the header row and the Resolution column, nothing more
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW + 6}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 8  # A3, the default
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddFooter.left.text == "WTSA-24 Issues Matrix"
    assert ws.oddFooter.center.text == "Page &P of &N"
    assert ws.oddFooter.right.text == "Draft · 1 October 2024"
    assert ws.column_dimensions["F"].width > 30
    # Rows with wrapped text are given a height, or LibreOffice draws them over each other.
    assert ws.row_dimensions[HEADER_ROW + 3].height >= 3 * 15


def test_proposals_sheet_has_one_row_per_input_proposal(small_matrix):
    ws = openpyxl.load_workbook(small_matrix)["Proposals"]
    assert [c.value for c in ws[1]] == [
        "Resolution",
        "Region",
        "Group",
        "Action",
        "Concern",
        "Document",
        "Summary",
        "Co-signers",
        "Result",
        "Notes",
        "Source",
        "Public",
    ]
    assert rows(ws, 2) == [
        [
            "Res. 2",
            "CEPT",
            "Regional group",
            "MOD",
            "Low",
            "Doc 40 Add.1",
            "Restructure study groups",
            None,
            None,
            None,
            "regions/CEPT.xlsx:Proposals!row 4",
            "Yes",
        ],
        [
            "Res. 64",
            "APT",
            "Regional group",
            "MOD",
            "Low",
            "Doc 37 Add.1",
            "IPv6 capacity building",
            None,
            None,
            None,
            "regions/APT.xlsx:Proposals!row 4",
            "Yes",
        ],
        [
            "Res. 64",
            "CEPT",
            "Regional group",
            "NOC",
            "None",
            "Doc 40 Add.2",
            None,
            None,
            None,
            None,
            "regions/CEPT.xlsx:Proposals!row 5",
            "Yes",
        ],
        [
            "NEW-AI",
            "APT",
            "Regional group",
            "ADD",
            "High",
            "Doc 37 Add.2",
            "ITU-T lead on AI",
            None,
            None,
            "watch",
            "regions/APT.xlsx:Proposals!row 5",
            "Yes",
        ],
    ]
    assert fill(ws["E5"]) == FILL["High"]  # the Concern column
    assert ws.auto_filter.ref == "A1:L5"
    assert ws.freeze_panes == "B2"


def test_summary_counts_and_chart(small_matrix):
    ws = openpyxl.load_workbook(small_matrix)["Summary"]
    values = rows(ws, 1)
    action = next(
        i for i, r in enumerate(values) if r[0] == "Proposals by regional group and action"
    )
    assert values[action + 1][:6] == ["Regional group", "ADD", "MOD", "SUP", "NOC", "Total"]
    assert values[action + 2][:6] == ["APT", 1, 1, 0, 0, 2]
    assert values[action + 3][:6] == ["CEPT", 0, 1, 0, 1, 2]
    assert values[action + 4][:6] == ["All regional groups", 1, 2, 0, 1, 4]
    concern = next(
        i for i, r in enumerate(values) if r[0] == "Proposals by regional group and concern"
    )
    assert values[concern + 1][:6] == [
        "Regional group",
        "High concern",
        "Medium concern",
        "Low concern",
        "No concern",
        "Total",
    ]
    assert values[concern + 2][:6] == ["APT", 1, 0, 1, 0, 2]
    assert values[concern + 3][:6] == ["CEPT", 0, 0, 1, 1, 2]
    with zipfile.ZipFile(small_matrix) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and '<c:grouping val="stacked"/>' in chart
    assert all(colour[1:] in chart for colour in styles.CHART_FILLS.values())


def test_legend_explains_colours_actions_and_columns(small_matrix):
    ws = openpyxl.load_workbook(small_matrix)["Legend"]
    labels = {r[0]: r[1] for r in rows(ws, 1) if r[0]}
    for name in (
        "High concern",
        "Medium concern",
        "Low concern",
        "No concern",
        "ADD",
        "MOD",
        "SUP",
        "NOC",
        "Overall concern",
        "ISOC analysis",
        "Proposals",
    ):
        assert labels.get(name), name
    high = next(c for c in ws["A"] if c.value == "High concern")
    assert fill(high) == FILL["High"]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+44 20 7946 0000", "-1", "@SUM(A1)", "http://example.org"]
)
def test_text_that_looks_like_a_formula_is_written_as_text(inputs, run, tmp_path, text):
    path = write_region(inputs, "APT", [[64, "MOD", text, text, "Low", text]])
    book = openpyxl.load_workbook(path)
    for cell in book.active[4][2:6:]:
        if cell.value == text:
            cell.data_type = "s"  # typed as text in Excel, not as a formula
    book.save(path)
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    book = openpyxl.load_workbook(output)
    cell = book["Proposals"]["F3"]  # Res. 64 APT comes after Res. 2 CEPT
    assert (cell.value, cell.data_type) == (text, "s")
    matrix_cell = book["Matrix"][f"F{HEADER_ROW + 3}"]
    assert matrix_cell.data_type == "s"
    assert matrix_cell.value == f"MOD · Low concern\n{text}\n{text}"


def test_unicode_survives(inputs, run, tmp_path):
    text = "Résolution – 中文 – العربية – русский"
    write_region(inputs, "APT", [[64, "MOD", "Doc 1", text, "Low", ""]])
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    assert openpyxl.load_workbook(output)["Proposals"]["G3"].value == text  # Summary


def test_a_matrix_cell_too_long_for_excel_is_shortened_with_a_pointer(inputs, run, tmp_path):
    summaries = [c * 20_000 for c in "abc"]
    write_region(
        inputs, "APT", [[64, "MOD", f"Doc {i}", s, "Low", ""] for i, s in enumerate(summaries)]
    )
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    book = openpyxl.load_workbook(output)
    cell = book["Matrix"][f"F{HEADER_ROW + 3}"].value
    assert len(cell) <= 32_767
    assert cell.startswith("MOD · Low concern\n" + "a" * 20_000 + "\nDoc 0\n\n")
    assert cell.endswith(
        "\n\n[Shortened to fit one Excel cell: the full text of all APT proposals on Res. 64 is "
        "on the Proposals sheet, rows 3-5.]"
    )
    full = [r[6] for r in rows(book["Proposals"], 3)][:3]  # the Summary column
    assert full == summaries


def test_shorten_cuts_inside_text_when_there_is_no_proposal_boundary():
    text = "".join(
        t for _, t in matrix_sheet.fit_fragments([(None, "x" * 40_000)], "[see Proposals]", 1_000)
    )
    assert len(text) <= 1_000
    assert text == "x" * (1_000 - len("[see Proposals]") - 2) + "\n\n[see Proposals]"


def test_same_inputs_and_source_date_epoch_give_identical_bytes(inputs, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", first)[0] == 0
    assert run("matrix", "--inputs", inputs, "--output", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    props = openpyxl.load_workbook(first).properties
    assert props.created.isoformat() == "2024-10-01T00:00:00"


def test_invalid_source_date_epoch_is_a_clear_error(inputs, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status, _, err = run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")
    assert status == 2
    assert err.splitlines()[0] == (
        "Error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'"
    )


def test_invalid_inputs_leave_the_existing_matrix_byte_identical(built, inputs, run):
    before = built.read_bytes()
    write_region(inputs, "APT", [[64, "MDO", "Doc 1", "x", "Low", ""]])
    status, out, _ = run("matrix", "--inputs", inputs, "--output", built)
    assert status == 1
    assert out == ""
    assert built.read_bytes() == before


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (errno.ENOSPC, "Error: the disk is full: free some space and run again (writing {path})"),
        (errno.EROFS, "Error: the disk is read-only: write somewhere else (writing {path})"),
        (
            errno.ENAMETOOLONG,
            "Error: the path is too long: choose a shorter folder or file name (writing {path})",
        ),
    ],
)
def test_a_failed_write_is_one_plain_line_and_leaves_the_old_matrix(
    built, inputs, run, monkeypatch, error, line
):
    before = built.read_bytes()

    def fail(fd, data, offset):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(files.os, "pwrite", fail)
    status, out, err = run("matrix", "--inputs", inputs, "--output", built)
    assert (status, out) == (2, "")
    assert err.splitlines() == [line.format(path=built)]  # nothing after it: no traceback
    assert built.read_bytes() == before
    assert sorted(p.name for p in built.parent.iterdir()) == ["matrix.xlsx"]


def test_an_output_that_cannot_be_written_exits_2(inputs, run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    status, _, err = run("matrix", "--inputs", inputs, "--output", blocker / "m.xlsx")
    assert status == 2
    assert err.splitlines()[0].startswith(f"Error: cannot write in the folder {blocker} (")


def test_output_inside_the_inputs_folder_is_refused(inputs, run):
    status, _, err = run("matrix", "--inputs", inputs, "--output", inputs / "regions" / "X.xlsx")
    assert status == 2
    assert err.splitlines()[0] == (
        f"Error: the output '{inputs / 'regions' / 'X.xlsx'}' is inside the inputs folder "
        f"'{inputs}'"
    )
    assert not (inputs / "regions" / "X.xlsx").exists()


def test_inputs_are_never_modified(inputs, run, tmp_path):
    files = sorted(p for p in inputs.rglob("*") if p.is_file())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    assert run("matrix", "--inputs", inputs, "--output", tmp_path / "m.xlsx")[0] == 0
    assert sorted(p for p in inputs.rglob("*") if p.is_file()) == files
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_errors_in_catalogue_and_regions_together_write_nothing(inputs, run, tmp_path):
    write_catalogue(inputs, rows=[[64, None, "T", "High", ""]])
    output = tmp_path / "m.xlsx"
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 1
    assert not output.exists()
    assert "resolutions.xlsx:Resolutions!B2: Title is empty; give the resolution's title" in (
        error_lines(err)
    )


def test_a_long_title_fits_the_footer_without_warnings(inputs, run, tmp_path):
    title = "WTSA-24 Issues Matrix & notes " * 12
    (inputs / "matrix.toml").write_text(f'title = "{title}"\n')
    output = tmp_path / "m.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns, and drops the footer, over 255 chars
        status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    book = openpyxl.load_workbook(output)
    assert book["About"]["A1"].value == title.strip()
    assert book["Matrix"].oddFooter.left.text == title[:79].replace("&", "&&") + "…"


def test_validation_alongside_rendering_still_guards_the_output(inputs, run, tmp_path, monkeypatch):
    from pipeline.checking import validate

    forked = []
    real = validate.ProcessPoolExecutor

    def spy(*args, **kwargs):
        forked.append(kwargs["mp_context"].get_start_method())
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "_start_method", lambda: "fork")
    monkeypatch.setattr(validate, "ProcessPoolExecutor", spy)
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    before = output.read_bytes()

    write_region(
        inputs,
        "APT",
        [[64, "MDO", "Doc 1", "x", "Low", ""], ["NEW-XX", "ADD", "d", "x", "Low", ""]],
    )
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 1
    assert error_lines(err) == [
        "regions/APT.xlsx:Proposals!B4: Action 'MDO' is not one of ADD, MOD, SUP, NOC",
        "regions/APT.xlsx:Proposals!A5: Resolution 'NEW-XX' is not in the catalogue "
        "(resolutions.xlsx); correct it, or add the resolution to the catalogue",
    ]
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".m.")) == []
    assert forked == ["fork", "fork"]


TYPED = "a\x01b\x0bc _x0041_ tab\there 😀 مرحبا =1+1"


def test_text_reaches_the_matrix_and_proposals_exactly_as_typed(inputs, run, tmp_path):
    import xlsxwriter  # openpyxl refuses control characters; Excel and xlsxwriter keep them

    path = inputs / "regions" / "ATU.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Proposals")
    for row, values in enumerate([["Note"], ["Note"], REGION_HEADER,
                                  [64, "MOD", "Doc 9", TYPED, "Low", ""]]):  # fmt: skip
        for col, value in enumerate(values):
            sheet.write_string(row, col, str(value)) if isinstance(value, str) else sheet.write(
                row, col, value
            )
    book.close()
    output = tmp_path / "m.xlsx"
    assert run("matrix", "--inputs", inputs, "--output", output)[0] == 0
    book = openpyxl.load_workbook(output, rich_text=False)
    matrix = [c.value for row in book["Matrix"].iter_rows() for c in row if c.value]
    proposals = [c.value for row in book["Proposals"].iter_rows() for c in row]
    summary = next(v for v in proposals if isinstance(v, str) and v.startswith("a"))
    # openpyxl leaves the _xHHHH_ escapes as they are: the two sheets must read the same.
    assert [v for v in matrix if isinstance(v, str) and "Doc 9" in v] == [
        f"MOD · Low concern\n{summary}\nDoc 9"
    ]
    with zipfile.ZipFile(output) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    # Each as xlsxwriter writes a typed control and a typed literal escape, never twice.
    assert strings.count("a_x0001_b_x000B_c _x005F_x0041_ tab\there") == 2
    assert "_x005F_x0001_" not in strings
