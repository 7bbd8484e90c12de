"""How the matrix prints and how its columns fit, read back from the written workbook."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
import pytest

from conftest import SHIPPED_INPUTS, codes, write_catalogue, write_region, write_sheet
from pipeline.words.vocab import Assessment, Concern
from pipeline.workbook import printing
from pipeline.workbook.changes_layout import lay
from pipeline.workbook.matrix_sheet import page_spans
from pipeline.workbook.textwidth import DIGIT_PX, column_px, text_px, wrapped_lines

PAPER_CODES = {"A3": 8, "A4": 9, "Letter": 1, "Legal": 5}
LEGIBLE = {"A3": 8.0, "A4": 7.0, "Letter": 7.0, "Legal": 7.0}  # points, the README's promise
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


SHEET_NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def print_setup(path, title: str) -> dict:
    """How a sheet is set to print, as the file says it to Excel and LibreOffice: the
    pageSetup's attributes, whether it fits to pages (fitToPage) and its column breaks.
    What these print as is measured on LibreOffice's PDF in test_printed.py."""
    with zipfile.ZipFile(path) as archive:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        sheet_id = next(
            s.get(rel_ns) for s in book.iter(f"{{{SHEET_NS['s']}}}sheet") if s.get("name") == title
        )
        target = next(r.get("Target") for r in rels if r.get("Id") == sheet_id)
        root = ET.fromstring(archive.read("xl/" + target.removeprefix("/xl/")))
    fit = root.find("s:sheetPr/s:pageSetUpPr", SHEET_NS)
    return {
        **root.find("s:pageSetup", SHEET_NS).attrib,
        "fitToPage": fit is not None and fit.get("fitToPage") == "1",
        "breaks": [int(b.get("id")) for b in root.iterfind("s:colBreaks/s:brk", SHEET_NS)],
    }


@pytest.mark.parametrize(("paper", "scale", "pages"), [("A3", "73", 2), ("A4", "64", 3)])
def test_the_shipped_matrix_prints_legibly_on_a3_and_a4(shipped_matrices, paper, scale, pages):
    path = shipped_matrices(paper).path
    sheet = openpyxl.load_workbook(path)["Matrix"]
    # Set to print at a scale (11-point type at 73% is 8 points, at 64% 7), not fitted to
    # the page, and broken into pages wide: LibreOffice's PDF shows what it prints as.
    setup = print_setup(path, "Matrix")
    assert (setup["scale"], setup["fitToPage"], setup["orientation"]) == (scale, False, "landscape")
    assert setup["paperSize"] == str(PAPER_CODES[paper])
    assert len(setup["breaks"]) == pages - 1  # spread over pages wide, not shrunk onto one
    assert sheet.print_title_cols == "$A:$B"  # Resolution and Title on every page
    assert sheet.print_title_rows == "$1:$2"  # the row of groups and the header
    assert sheet.page_setup.pageOrder == "overThenDown"  # a row's pages follow each other
    # Each page names the groups over its columns: no merged heading spans a page break,
    # and a page that starts inside a group starts with its name.
    starts = [brk.id for brk in sheet.col_breaks.brk]
    header = codes(sheet[2])  # each submitter's code, its name under it
    assert header[:7] == [
        "Resolution", "Title", "Topic", "Priority", "Overall concern", "Outcome", "Assessment"
    ]  # fmt: skip
    assert header[7:15] == ["APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC", "USA", "B"]
    # What is said of a resolution as a whole prints on the page its topic and priority are on,
    # with the first groups, not on a later page of the band.
    assert header.index("Assessment") < starts[0] and header.index("APT") < starts[0]
    groups = {"Regional groups": (8, 13), "Member states": (14, 15)}  # H:M and N:O, 1-based
    for merged in sheet.merged_cells.ranges:
        assert not any(merged.min_col <= start < merged.max_col for start in starts), merged
    for start in starts:
        for name, (first, last) in groups.items():
            if first <= start + 1 <= last:
                assert sheet.cell(1, start + 1).value == name, (start, name)
    assert [sheet.cell(1, col).value for col in (8, 14)] == list(groups)


@pytest.mark.parametrize("paper", ["A3", "A4", "Letter", "Legal"])
def test_every_sheet_prints_on_the_chosen_paper_with_one_footer(inputs, run, tmp_path, paper):
    (inputs / "matrix.toml").write_text('title = "Tracker"\nnotice = "Internal"\n')
    book = build(run, inputs, tmp_path, paper)
    for sheet in book.worksheets:
        setup = print_setup(tmp_path / "m.xlsx", sheet.title)
        # One page wide (fitted to the width, never enlarged), or at a scale that keeps the
        # 11-point type legible, over pages wide; LibreOffice measures what either prints as.
        if setup["fitToPage"]:
            assert setup.get("fitToHeight") == "0" and not setup["breaks"], sheet.title
        else:
            assert 11 * int(setup["scale"]) / 100 >= LEGIBLE[paper], (sheet.title, setup)
            assert setup["breaks"], sheet.title
        assert int(sheet.page_setup.paperSize) == PAPER_CODES[paper], sheet.title
        assert sheet.oddFooter.left.text == "Tracker", sheet.title
        assert sheet.oddFooter.center.text == "Page &P of &N", sheet.title
        assert sheet.oddFooter.right.text.startswith("Draft · "), sheet.title
        assert sheet.oddHeader.center.text == "Internal", sheet.title
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
    shipped_matrix, shipped_release, run, tmp_path
):
    books = {"matrix": openpyxl.load_workbook(shipped_matrix.path)}
    books["release"] = openpyxl.load_workbook(
        shipped_release.outputs / "WTSA-24_Issues_Matrix.xlsx"
    )
    assert run("templates", "--inputs", SHIPPED_INPUTS, "--out", tmp_path / "t")[0] == 0
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


@pytest.fixture(scope="module")
def built_shipped(shipped_matrix):
    return openpyxl.load_workbook(shipped_matrix.path)


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


OUTCOMES_HEADER = ["Resolution", "Outcome", "Adopted as", "Assessment", "Summary", "Document"]
PUBLISHING = (
    '[publish]\norganisation = "Team"\nlicence = "CC BY 4.0"\nurl = "https://example.org/"\n'
)


def released_with_changes(run, inputs, tmp_path, monkeypatch) -> dict[str, openpyxl.Workbook]:
    """A second release, and its public edition, with proposals and outcomes changed since the
    first: the team's workbook and the public one."""
    (inputs / "matrix.toml").write_text(PUBLISHING)
    outcomes = inputs / "outcomes.xlsx"
    write_sheet(outcomes, [OUTCOMES_HEADER, [64, "MODIFIED", "", "Resolved", "Kept", ""],
                           [2, "UNCHANGED", "", "n/a", "", ""]], sheet="Outcomes")  # fmt: skip
    for day, epoch in ((1, "1727740800"), (2, "1727827200")):
        if day == 2:
            write_region(inputs, "APT", [
                [64, "MOD", "Doc 37 Add.1", "IPv6 capacity building", "Medium", ""],
                ["NEW-AI", "ADD", "Doc 37 Add.2", "ITU-T lead on AI", "High", "watch"],
                [2, "MOD", "Doc 37 Add.3(Rev.1)", "Study-group mandates, "
                 "Internet-related matters and telecommunication standardization "
                 "responsibilities, redrafted", "Low", "Heard at the APT preparatory meeting"],
            ])  # fmt: skip
            write_sheet(outcomes, [OUTCOMES_HEADER,
                                   [64, "MODIFIED", "", "Partly resolved", "Kept, narrowed",
                                    "Res. 64 (Rev. New Delhi, 2024)"],
                                   [10, "SUPPRESSED", "", "n/a", "", ""]],
                        sheet="Outcomes")  # fmt: skip
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        for command in ("release", "publish"):
            status, _, err = run(command, "--inputs", inputs)
            assert status == 0, err
    conference = tmp_path / "outputs" / "WTSA-24"
    return {
        "team": openpyxl.load_workbook(next((conference / "releases").glob("*_v2_*.xlsx"))),
        "public": openpyxl.load_workbook(
            next((conference / "publish").glob("*_v2/*.xlsx")), rich_text=False
        ),
    }


def sheet_widths(sheet) -> dict[int, float]:
    """1-based column -> its width as Excel shows it."""
    w = widths(sheet)
    return {col: w[col - 1] for col in range(1, len(w) + 1)}


def tables(sheet) -> dict[str, tuple[range, list[tuple[str, int, int]]]]:
    """The Changes sheet's tables: the rows of each (its header first) and its columns (name,
    first and last sheet column, 1-based, as its header cells are merged)."""
    merged = {(m.min_row, m.min_col): m.max_col for m in sheet.merged_cells.ranges}
    titles = {"proposals": 3}  # the proposals table's header is row 4, under the explanation
    for row in range(1, sheet.max_row + 1):
        value = sheet.cell(row, 1).value
        if value == "Overall concern of each resolution a change touched":
            titles["overall"] = row
        elif value == "Outcomes recorded, changed or removed":
            titles["outcomes"] = row
    ends = [*sorted(titles.values())[1:], sheet.max_row + 1]
    found = {}
    for (name, title), end in zip(sorted(titles.items(), key=lambda t: t[1]), ends, strict=True):
        header = title + 1
        columns = [
            (cell.value, cell.column, merged.get((header, cell.column), cell.column))
            for cell in sheet[header]
            if cell.value
        ]
        found[name] = (range(header, end), columns)
    return found


@pytest.mark.parametrize("edition", ["team", "public"])
def test_the_changes_sheet_prints_one_page_wide_each_table_with_widths_of_its_own(
    inputs, run, tmp_path, monkeypatch, edition
):
    sheet = released_with_changes(run, inputs, tmp_path, monkeypatch)[edition]["Changes"]
    # One page wide, nothing repeated at the side, in landscape.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth in (None, 1), sheet.page_setup.fitToHeight) == (True, 0)
    assert not sheet.print_title_cols and not sheet.col_breaks.brk
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet["A1"].value.startswith("Changes since v1 (")
    # Every word of every cell of each table fits its column (merged columns together), in
    # the cell's own font: no word is broken mid-word.
    found = tables(sheet)
    assert set(found) == {"proposals", "overall", "outcomes"}
    col_width = sheet_widths(sheet)
    width = {}
    for name, (rows, columns) in found.items():
        for title, first, last in columns:
            px = sum(column_px(col_width[c]) for c in range(first, last + 1))
            width[name, title] = px
            for row in rows:
                cell = sheet.cell(row, first)
                for word in str(cell.value or "").split():
                    assert text_px(word, bool(cell.font.b)) <= px - 5, (name, title, row, word)
    proposals = {title: (first, last) for title, first, last in found["proposals"][1]}
    assert all(first == last for first, last in proposals.values())  # unmerged: it filters
    # The outcomes table has widths of its own, not the proposals' columns above it: its
    # Changed fields hold "Assessment," (it sat in the 9-wide Region column, "Assessmen/t"),
    # its summaries are as wide as the proposals' (they sat in Document after's 13).
    titles = [title for title, *_ in found["outcomes"][1]]
    assert titles[:4] == ["Change", "Resolution", "Changed fields", "Outcome before"]
    assert width["outcomes", "Changed fields"] - 5 >= text_px("Assessment,")
    assert width["outcomes", "Summary before"] >= width["proposals", "Summary before"]
    assert width["overall", "Before"] - 5 >= text_px("Medium concern", bold=True)
    fields = next(first for title, first, _ in found["outcomes"][1] if title == "Changed fields")
    changed = [sheet.cell(row, fields).value for row in found["outcomes"][0]][1:]
    assert "Assessment, Summary, Document" in changed
    # How large its type prints, fitted to the page's width, is measured on LibreOffice's PDF
    # (test_printed.py).


def test_a_table_is_laid_over_the_sheets_columns_widening_one_rather_than_break_a_word():
    # Each column over the whole sheet columns closest to its width, too wide rather than
    # too narrow: 18 over two of 10, 12 over the 30 (not squeezed into a 10).
    assert lay([10, 10, 30, 10], [18, 12, 10]) == ([(0, 1), (2, 2), (3, 3)], [10, 10, 30, 10])
    # Three columns over three sheet columns: the narrow ones are widened to fit.
    assert lay([9, 9, 45], [12, 12, 20]) == ([(0, 0), (1, 1), (2, 2)], [12, 12, 45])
    # A column that wants more than its least takes the wider span when it can.
    laid, grid = lay([10, 10, 10, 10], [10, 25], least=[10, 12])
    assert (laid, grid) == ([(0, 0), (1, 3)], [10, 10, 10, 10])


CHART_NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


def chart_series(path) -> dict[str, dict[str, str]]:
    """Each chart of a workbook, by title: its series' names and fill colours (RRGGBB)."""
    charts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/charts/chart"):
                continue
            root = ET.fromstring(archive.read(name))
            title = "".join(t.text for t in root.find("c:chart/c:title", CHART_NS).iter(
                f"{{{CHART_NS['a']}}}t"))  # fmt: skip
            charts[title] = {
                ser.find("c:tx//c:v", CHART_NS).text: ser.find(
                    "c:spPr/a:solidFill/a:srgbClr", CHART_NS
                ).get("val")
                for ser in root.iter(f"{{{CHART_NS['c']}}}ser")
            }
    return charts


def lightness_chroma_hue(rgb: str) -> tuple[float, float, float]:
    """CIE L*, C* and hue angle (degrees) of an sRGB colour, D65."""

    def linear(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(rgb[i : i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    a_star, b_star = 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
    hue = math.degrees(math.atan2(b_star, a_star)) % 360
    return 116 * f(y) - 16, math.hypot(a_star, b_star), hue


def hue_turn(one: float, other: float) -> float:
    """How far apart two hue angles are, in degrees (0 to 180)."""
    turn = abs(one - other) % 360
    return min(turn, 360 - turn)


def test_chart_colours_are_told_apart_in_colour_and_in_grey(shipped_matrix):
    charts = chart_series(shipped_matrix.path)
    summary = charts["Proposals by group or member state and concern"]
    outcomes = charts["Resolutions by overall concern and assessment"]
    assert list(summary) == ["High concern", "Medium concern", "Low concern", "No concern"]
    assert list(outcomes) == [
        "Resolved", "Partly resolved", "Not resolved", "Not applicable", "No outcome yet"
    ]  # fmt: skip
    for chart in (summary, outcomes):
        for (one, first), (other, second) in itertools.combinations(chart.items(), 2):
            (l1, c1, h1), (l2, c2, h2) = lightness_chroma_hue(first), lightness_chroma_hue(second)
            # Printed in grey, what is left is lightness: 15 in CIE L* (a sixth of black to
            # white) stays a clear step after a photocopier. The old fills were 1 to 10 apart
            # (Medium and Low 3.4; Not applicable and No outcome yet 5.6).
            assert abs(l1 - l2) >= 15, (one, other, round(l1), round(l2))
            # In colour, two coloured series differ in hue too, by 20 degrees at least.
            if c1 >= 10 and c2 >= 10:
                assert hue_turn(h1, h2) >= 20, (one, other, round(h1), round(h2))
    # The charts keep the cells' hues, so a bar reads as the cell it counts.
    pairs = [(c.fill, summary[c.words]) for c in Concern]
    pairs += [(a.fill, outcomes[a.words]) for a in Assessment]
    for fill, bar in pairs:
        (_, cell_chroma, cell_hue), (_, bar_chroma, bar_hue) = (
            lightness_chroma_hue(fill[1:]),
            lightness_chroma_hue(bar),
        )
        if cell_chroma < 10:  # a grey stays a grey
            assert bar_chroma < 10, (fill, bar)
        else:
            assert hue_turn(cell_hue, bar_hue) <= 35, (fill, bar)
