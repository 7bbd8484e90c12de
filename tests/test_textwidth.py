"""Text measurement and rich text: what column widths and row heights are made of."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_INPUTS
from pipeline.settings import Settings
from pipeline.words.excel import cut, excel_length
from pipeline.workbook import matrix_sheet
from pipeline.workbook.styles import RichTextSheet
from pipeline.workbook.textwidth import many_wrapped_lines, text_px, width_for, wrapped_lines

# Words, runs of spaces, line breaks, and characters of every width the tables know or not.
TEXT = st.text(
    alphabet=st.sampled_from([*"aiW mM  ·–\n-", "中", "😀", "é", "\u0301", "ÿ", "Ж"]),
    max_size=300,
)


@settings(max_examples=max(300, settings().max_examples))
@given(texts=st.lists(TEXT, max_size=12), width=st.sampled_from([3, 9, 18, 33, 70]))
def test_counting_a_column_at_once_counts_as_one_text_at_a_time(texts, width):
    assert many_wrapped_lines(texts, width).tolist() == [wrapped_lines(t, width) for t in texts]


def test_wrapping_counts_lines_as_words_fill_them():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("short", 33) == 1
    assert wrapped_lines("one\ntwo\n\nfour", 33) == 4  # a blank line is a line
    word = "abcdefghij"
    room_words = int((33 * 7) // (text_px(word + " ")))  # whole words per line, about
    assert wrapped_lines(" ".join([word] * room_words * 3), 33) in (3, 4)
    assert wrapped_lines("x" * 400, 10) > 400 * text_px("x") // 70  # broken inside the word


def test_a_column_fits_its_longest_text_on_one_line():
    for texts, bold in ((["NEW-CALLER-LOCATION", "Res. 64"], True), (["Medium concern"], True)):
        width = width_for(texts, bold=bold)
        assert all(wrapped_lines(t, width, bold) == 1 for t in texts)
        assert all(wrapped_lines(t, width - 1.5, bold) == 2 for t in texts[:1])


def test_excel_counts_astral_characters_twice_and_cut_never_splits_one():
    assert excel_length("abc") == 3
    assert excel_length("a😀b") == 4
    assert cut("a😀b", 2) == "a"
    assert cut("a😀b", 3) == "a😀"
    assert cut("abc", 10) == "abc"


def _shared_strings(build, path) -> list[str]:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(worksheet_class=RichTextSheet)
    build(book, sheet)
    book.close()
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/sharedStrings.xml").decode()
    return re.findall(r"<si>(.*?)</si>", xml, re.S)


TRICKY = [
    "MOD · High concern",
    '\nA & B <c> "quoted"\nDoc 1',
    " leading and trailing ",
    # No control characters: write_rich_string escapes them twice (once per run, again for
    # the shared string); test_render's as-typed test covers them.
    "emoji 😀 and Arabic العربية",
]


def test_fast_rich_text_is_the_xml_xlsxwriter_writes(tmp_path):
    def stock(book, sheet):
        bold, italic = book.add_format({"bold": True}), book.add_format({"italic": True})
        tokens = []
        for i, text in enumerate(TRICKY):
            tokens += [bold if i % 2 == 0 else italic, text]
        sheet.write_rich_string(0, 0, *tokens)

    def fast(book, sheet):
        bold, italic = book.add_format({"bold": True}), book.add_format({"italic": True})
        runs = [(bold if i % 2 == 0 else italic, text) for i, text in enumerate(TRICKY)]
        assert sheet.write_runs(0, 0, runs, None) == 0

    assert _shared_strings(fast, tmp_path / "a.xlsx") == _shared_strings(stock, tmp_path / "b.xlsx")


def test_a_run_in_the_cells_own_font_reads_back_as_plain_text(tmp_path):
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(worksheet_class=RichTextSheet)
    bold = book.add_format({"bold": True})
    sheet.write_runs(0, 0, [(bold, "MOD · Low concern"), (None, "\nSummary & more")], None)
    assert sheet.write_runs(1, 0, [(None, "x" * 32_768)], None) == -2  # over Excel's limit
    book.close()
    cell = openpyxl.load_workbook(path, rich_text=True).active["A1"].value
    assert [(getattr(p, "font", None) is not None, str(p)) for p in cell] == [
        (True, "MOD · Low concern"),
        (False, "\nSummary & more"),
    ]


def test_matrix_cell_heights_counted_by_column_match_wrapping_each_cell(validating):
    from pipeline.build import draft_view

    view = draft_view(Settings(inputs=SHIPPED_INPUTS, parallel=False))
    cells = [c for r in view.rows for c in r.cells]
    counted = matrix_sheet.cell_lines(cells, matrix_sheet.REGION_WIDTH)
    for cell, lines in zip(cells, counted, strict=True):
        text = "\n\n".join("\n".join([p.head, *p.lines]) for p in cell.proposals)
        assert lines == (wrapped_lines(text, matrix_sheet.REGION_WIDTH) if text else 0)
    assert sum(bool(c.proposals) for c in cells) > 50  # it counted the shipped cells
