"""The Summary sheet, the workbook's first: what matters (the counts; after the assembly, the
concerns not resolved; each resolution of High concern with who proposes what on it), a link
to the matrix, then counts of proposals by submitter, action and concern (a total per group),
a chart, and how many proposals each country co-signed. It lays out the view's summary."""

from __future__ import annotations

from ..matrix import phrases
from ..matrix.summary import CountTable, Mention
from ..matrix.view import MatrixView
from ..words.excel import EXCEL_CELL_LIMIT, Page, cut, excel_length
from ..words.vocab import Concern
from .printing import setup
from .styles import CHART_FILLS, Formats, RichTextSheet, row_height, write_text
from .textwidth import width_for, wrapped_lines

SUMMARY_SHEET = "Summary"  # the sheet (not the column of that name)
_COLUMNS = 6
_LAST = _COLUMNS - 1
_MORE = " … (the rest is in the matrix)"


def write_summary(book, f: Formats, view: MatrixView, page: Page) -> None:
    """The Summary sheet of the view; it is the one the workbook opens at."""
    sheet = book.add_worksheet(SUMMARY_SHEET, worksheet_class=RichTextSheet)
    summary = view.summary
    labels = [label for label, _, _ in summary.by_action.rows + summary.by_action.totals]
    labels += [label for label, _ in summary.co_signed]
    widths = [max(22.0, width_for(labels, bold=True)), *[15.0] * (_COLUMNS - 1)]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    whole = sum(widths)
    row = 0

    def paragraph(text: str, fmt, lead: str = "") -> None:
        """A line merged over the sheet's width, so it wraps there; `lead` in bold before it."""
        nonlocal row
        room = EXCEL_CELL_LIMIT - excel_length(lead) - excel_length(_MORE)
        if excel_length(text) > room:  # only a summary of thousands of proposals gets here
            text = cut(text, room) + _MORE
        sheet.merge_range(row, 0, row, _LAST, "", fmt)
        if lead:
            # Through RichTextSheet, as every rich cell: xlsxwriter's write_rich_string escapes
            # control characters and _xHHHH_ literals, and the shared strings escape them again.
            if sheet.write_runs(row, 0, [(f.head, lead), (f.cell, text)], fmt) < 0:
                raise AssertionError(f"a summary cell at row {row + 1} could not be written")
        else:
            write_text(sheet, row, 0, text, fmt)
        sheet.set_row(row, row_height(wrapped_lines(lead + text, whole)))
        row += 1

    def mentions(title: str, found: tuple[Mention, ...], none: str) -> None:
        nonlocal row
        write_text(sheet, row, 0, title, f.section)
        row += 1
        for mention in found:
            paragraph(f": {mention.sentence}", f.long_cell, mention.lead)
        if not found:
            paragraph(none, f.long_cell)
        row += 1

    write_text(sheet, row, 0, view.title, f.title)
    row += 1
    write_text(sheet, row, 0, view.subtitle, f.subtitle)
    row += 1
    if view.notice:
        paragraph(view.notice, f.notice)
    for text in (summary.counts, summary.overall):
        paragraph(text, f.how_to_read)
    for text in summary.who:  # the names, before the sentences that use the codes
        paragraph(text, f.how_to_read)
    for text in filter(None, (view.outcomes_line, view.changes_line)):
        paragraph(text, f.changes_line)
    sheet.write_url(row, 0, "internal:'Matrix'!A1", f.link, "The matrix")
    sheet.merge_range(row, 1, row, _LAST, "", f.long_cell)
    write_text(sheet, row, 1, phrases.TO_THE_MATRIX, f.long_cell)
    row += 2
    if summary.open is not None:  # after the assembly: what it left open comes first
        mentions(summary.open_title, summary.open, summary.open_none)
    mentions(summary.high_title, summary.high, summary.high_none)

    row = _table(sheet, f, summary.by_action, row) + len(summary.by_action.rows)
    row += len(summary.by_action.totals) + 2
    header = _table(sheet, f, summary.by_concern, row)
    table = summary.by_concern
    below = header + len(table.rows) + len(table.totals) + 2
    below = _co_signed(sheet, f, summary.co_signed, below)

    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    first, last = header + 1, header + len(table.rows)
    for j, concern in enumerate(Concern.highest_first()):  # the table's columns, in order
        chart.add_series(
            {
                "name": [SUMMARY_SHEET, header, 1 + j],
                "categories": [SUMMARY_SHEET, first, 0, last, 0],
                "values": [SUMMARY_SHEET, first, 1 + j, last, 1 + j],
                "fill": {"color": CHART_FILLS[concern.code]},
                "border": {"color": "#595959"},
            }
        )
    chart.set_title({"name": table.title})
    chart.set_y_axis({"name": "Proposals", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 360})
    # Under the tables, not beside them: the sheet then prints on one page.
    sheet.insert_chart(below, 0, chart)
    setup(sheet, page, widths)
    sheet.activate()


def _table(sheet, f: Formats, table: CountTable, top: int) -> int:
    """A table of counts with its title at `top`; returns its header row."""
    write_text(sheet, top, 0, table.title, f.section)
    header = top + 1
    for col, name in enumerate([table.first, *table.columns, "Total"]):
        write_text(sheet, header, col, name, f.header)
    for i, (label, counts, total) in enumerate(table.rows):
        row = header + 1 + i
        write_text(sheet, row, 0, label, f.key)
        for j, count in enumerate(counts):
            sheet.write_number(row, 1 + j, count, f.number)
        sheet.write_number(row, 1 + len(counts), total, f.total)
    for k, (label, counts, total) in enumerate(table.totals):
        row = header + 1 + len(table.rows) + k
        write_text(sheet, row, 0, label, f.key)
        for j, count in enumerate(counts):
            sheet.write_number(row, 1 + j, count, f.total)
        sheet.write_number(row, 1 + len(counts), total, f.total)
    return header


def _co_signed(sheet, f: Formats, co_signed: tuple[tuple[str, int], ...], top: int) -> int:
    """How many proposals each country co-signed, most first; the row after it."""
    if not co_signed:
        return top
    write_text(sheet, top, 0, "Proposals co-signed, by country", f.section)
    write_text(sheet, top + 1, 0, "Country", f.header)
    write_text(sheet, top + 1, 1, "Proposals", f.header)
    for i, (who, count) in enumerate(co_signed):
        write_text(sheet, top + 2 + i, 0, who, f.key)
        sheet.write_number(top + 2 + i, 1, count, f.number)
    return top + 2 + len(co_signed) + 1
