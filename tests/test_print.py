"""How the matrix prints and how its columns fit, read back from the written workbook."""

from __future__ import annotations

import itertools

import openpyxl
import pytest

from conftest import codes, write_catalogue, write_region
from pipeline import printing
from pipeline.matrix_sheet import page_spans
from pipeline.textwidth import DIGIT_PX, column_px, text_px, wrapped_lines

PAPER_CODES = {"A3": 8, "A4": 9, "Letter": 1, "Legal": 5}
TOOL_WORDS = ("make ", "python", "--", "outputs/", "inputs/", ".venv", "pipeline")


def build(run, inputs, tmp_path, paper=None, name="m.xlsx"):
    if paper:
        toml = inputs / "matrix.toml"
        text = toml.read_text() if toml.exists() else ""
        toml.write_text(f'paper = "{paper}"\n' + text)  # above any [publish] table
    output = tmp_path / name
    status, _, err = run("matrix", "--inputs", inputs, "--output", output)
    assert status == 0, err
    return openpyxl.load_workbook(output)


def widths(sheet) -> list[float]:
    """Every column's width up to the last used one, as Excel shows it in Column Width: the
    file stores it with the cell padding (5 pixels, in digits of 7 pixels) added."""
    found = {}
    for dim in sheet.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            found[col] = round(dim.width - 5 / 7, 2)
    return [found.get(col, 8.43) for col in range(1, sheet.max_column + 1)]


def printed_points(sheet, paper: str) -> list[float]:
    """The printed size of the body text on each page wide, from the file's own print set-up,
    and a check that every page's columns fit the paper at that size."""
    w = widths(sheet)
    landscape = sheet.page_setup.orientation == "landscape"
    page_w, page_h = printing.PAGE_POINTS[paper]
    room = (page_h if landscape else page_w) - 2 * printing.SIDE_MARGIN * 72
    # LibreOffice's columns are the wider: about 7.6 pixels per unit of width (measured).
    points = [column_px(x) * 7.6 / 7 * 0.75 for x in w]
    if sheet.page_setup.scale is None or sheet.sheet_properties.pageSetUpPr.fitToPage:
        return [11 * min(1.0, room / sum(points))]
    scale = sheet.page_setup.scale / 100
    repeat = len(sheet.print_title_cols.split(":")[0]) and (
        ord(sheet.print_title_cols.split(":")[1][1]) - ord("A") + 1
    )
    starts = [brk.id for brk in sheet.col_breaks.brk]
    bounds = [repeat, *starts, len(w)]
    for first, last in itertools.pairwise(bounds):
        page = sum(points[:repeat]) + sum(points[first:last])
        assert page * scale <= room, (first, last)
    return [11 * scale] * (len(bounds) - 1)


@pytest.mark.parametrize(("paper", "least", "pages"), [("A3", 8.0, 2), ("A4", 7.0, 3)])
def test_the_shipped_matrix_prints_legibly_on_a3_and_a4(
    shipped_inputs, run, tmp_path, paper, least, pages
):
    book = build(run, shipped_inputs, tmp_path, paper)
    sheet = book["Matrix"]
    sizes = printed_points(sheet, paper)
    assert min(sizes) >= least
    assert len(sizes) == pages  # spread over pages wide, not shrunk onto one
    assert sheet.print_title_cols == "$A:$B"  # Resolution and Title on every page
    assert sheet.print_title_rows == "$1:$2"  # the row of groups and the header
    assert sheet.page_setup.pageOrder == "overThenDown"  # a row's pages follow each other
    # Each page names the groups over its columns: no merged heading spans a page break,
    # and a page that starts inside a group starts with its name.
    starts = [brk.id for brk in sheet.col_breaks.brk]
    groups = {"Regional groups": (5, 10), "Member states": (11, 12)}  # E:J and K:L, 1-based
    for merged in sheet.merged_cells.ranges:
        assert not any(merged.min_col <= start < merged.max_col for start in starts), merged
    for start in starts:
        for name, (first, last) in groups.items():
            if first <= start + 1 <= last:
                assert sheet.cell(1, start + 1).value == name, (start, name)
    assert [sheet.cell(1, col).value for col in (5, 11)] == list(groups)
    submitters = ["APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC", "USA", "B"]
    assert codes(sheet[2])[4:12] == submitters


@pytest.mark.parametrize("paper", ["A3", "A4", "Letter", "Legal"])
def test_every_sheet_prints_on_the_chosen_paper_with_one_footer(inputs, run, tmp_path, paper):
    (inputs / "matrix.toml").write_text('title = "Tracker"\nnotice = "Internal"\n')
    book = build(run, inputs, tmp_path, paper)
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == PAPER_CODES[paper], sheet.title
        assert sheet.oddFooter.left.text == "Tracker", sheet.title
        assert sheet.oddFooter.center.text == "Page &P of &N", sheet.title
        assert sheet.oddFooter.right.text.startswith("Draft · "), sheet.title
        assert sheet.oddHeader.center.text == "Internal", sheet.title
        assert min(printed_points(sheet, paper)) >= 7.0, sheet.title
    assert book["Proposals"].print_title_rows == "$1:$1"
    assert book["Matrix"].page_setup.orientation == "landscape"
    assert book["Legend"].page_setup.orientation == (
        "portrait" if paper in ("A3",) else "landscape"
    )


def test_the_plan_breaks_between_whole_columns_and_repeats_the_first():
    wide = [20, 30, *[34] * 12]
    plan = printing.plan(wide, "A4", repeat=2, landscape=True)
    assert plan.scale == 64  # 7 pt type on A4
    assert plan.breaks and all(2 < b < len(wide) for b in plan.breaks)
    narrow = printing.plan([10, 20, 30], "A4")
    assert (narrow.scale, narrow.landscape) == (None, False)  # fits one page at full size


def test_no_sheet_of_the_matrix_or_the_templates_talks_about_the_tool(
    shipped_inputs, run, tmp_path
):
    books = {"matrix": build(run, shipped_inputs, tmp_path)}
    assert run("release", "--inputs", shipped_inputs)[0] == 0
    books["release"] = openpyxl.load_workbook(
        tmp_path / "outputs" / "WTSA-24" / "WTSA-24_Issues_Matrix.xlsx"
    )
    assert run("templates", "--inputs", shipped_inputs, "--out", tmp_path / "t")[0] == 0
    for name in ("APT.xlsx", "resolutions.xlsx"):
        books[name] = openpyxl.load_workbook(tmp_path / "t" / name)
    for label, book in books.items():
        for sheet in book.worksheets:
            texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
            texts += [c.comment.text for row in sheet.iter_rows() for c in row if c.comment]
            for dv in sheet.data_validations.dataValidation:
                texts += [dv.prompt or "", dv.error or ""]
            for part in (sheet.oddHeader, sheet.oddFooter):
                texts += [p.text or "" for p in (part.left, part.center, part.right)]
            for text in texts:
                found = [w for w in TOOL_WORDS if w in text.lower()]
                assert not found, f"{label} {sheet.title}: {text[:80]!r}"


def test_overall_concern_words_fit_their_column_on_one_line(built_shipped):
    sheet = built_shipped["Matrix"]
    header = [c.value for c in sheet[2]]  # under the row of groups
    col = header.index("Overall concern") + 1
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(col)].width
    for words in ("High concern", "Medium concern", "Low concern", "No concern"):
        assert wrapped_lines(words, width, bold=True) == 1
    assert width * DIGIT_PX >= text_px("Medium concern", bold=True)


@pytest.fixture
def built_shipped(shipped_inputs, run, tmp_path):
    return build(run, shipped_inputs, tmp_path)


def test_row_heights_follow_the_tallest_wrapped_cell(built_shipped):
    sheet = built_shipped["Matrix"]
    w = widths(sheet)
    for row in sheet.iter_rows(min_row=2):
        need = max(  # the header's bold text wraps sooner
            wrapped_lines(str(c.value or ""), w[c.column - 1], bold=bool(c.font.b))
            if c.alignment.wrap_text
            else 1
            for c in row
        )
        height = sheet.row_dimensions[row[0].row].height
        # At least every line; at most one spare line (15 points a line of 11-point text).
        assert need * 15 <= height <= (need + 1) * 15, (row[0].value, need, height)


def test_proposals_columns_fit_their_longest_key_region_action_and_concern(inputs, run, tmp_path):
    write_catalogue(
        inputs,
        rows=[[64, "IPv6", "Addressing", "High", ""], ["NEW-CALLER-LOCATION", "T", "E", "Low", ""]],
    )
    long_summary = "Handset-derived caller location for emergency calls, " * 6  # 318 chars
    write_region(
        inputs,
        "APT",
        [["NEW-CALLER-LOCATION", "ADD", "Doc 37 Add.19", long_summary.strip(), "Medium"]],
    )
    write_region(inputs, "CEPT", [[64, "NOC", "Doc 1", "", ""]])
    sheet = build(run, inputs, tmp_path)["Proposals"]
    w = dict(zip([c.value for c in sheet[1]], widths(sheet), strict=False))
    assert w["Resolution"] >= len("NEW-CALLER-LOCATION")  # in digits of the default font
    for name, longest, bold in (
        ("Resolution", "NEW-CALLER-LOCATION", True),
        ("Region", "Region", True),
        ("Action", "Action", True),
        ("Concern", "Concern", True),
        ("Concern", "Medium", False),
    ):
        assert column_px(w[name]) - 5 >= text_px(longest, bold), name
    # A summary that wraps gets the height of its lines: 318 characters in a column 62 digits
    # wide take at least four lines, whatever the font's exact widths.
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "NEW-CALLER-LOCATION")
    assert sheet.row_dimensions[row[0].row].height >= 4 * 15


def test_a_group_heading_is_cut_where_a_printed_page_starts():
    assert page_spans(4, 9, (9,)) == [(4, 8), (9, 9)]
    assert page_spans(4, 9, (4, 12)) == [(4, 9)]  # a page that starts with the group: one piece
    assert page_spans(10, 11, (6, 11)) == [(10, 10), (11, 11)]
    assert page_spans(2, 20, (5, 9, 14)) == [(2, 4), (5, 8), (9, 13), (14, 20)]
    assert page_spans(4, 3, (2,)) == []  # a group without columns
