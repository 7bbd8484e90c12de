"""The Changes sheet: what changed since the version the matrix was compared with."""

from __future__ import annotations

import pandas as pd

from .change_list import ChangeList
from .changes import CHANGED
from .frames import (
    AFTER,
    BEFORE,
    CHANGE,
    CHANGED_FIELDS,
    KEY,
    NOTES,
    OUTCOME_CHANGES,
    REGION,
    RESOLUTION,
    SOURCE,
    SUMMARY,
    TITLE,
    after,
    before,
)
from .phrases import concern_words
from .printing import Page, setup
from .styles import Formats, row_height, write_text
from .textwidth import wrapped_lines

WIDTHS = {CHANGE: 10, RESOLUTION: 13, REGION: 9, CHANGED_FIELDS: 16, before(SUMMARY): 45,
          after(SUMMARY): 45, before(NOTES): 30, after(NOTES): 30, SOURCE: 32}  # fmt: skip
DEFAULT_WIDTH = 13
_PARAGRAPH_COLUMNS = 10  # an explanation spans the first ten columns


def write_changes(book, f: Formats, changes: ChangeList, page: Page) -> None:
    sheet = book.add_worksheet("Changes")
    columns = list(changes.columns)
    widths = [WIDTHS.get(name, DEFAULT_WIDTH) for name in columns]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    paragraph = sum(widths[:_PARAGRAPH_COLUMNS])
    write_text(sheet, 0, 0, changes.heading, f.section)
    sheet.merge_range(1, 0, 1, _PARAGRAPH_COLUMNS - 1, changes.explanation, f.how_to_read)
    sheet.set_row(1, row_height(wrapped_lines(changes.explanation, paragraph)))
    if changes.since is None:
        setup(sheet, page, widths[:_PARAGRAPH_COLUMNS])
        return

    header = 3
    rows = changes.proposals
    _table(sheet, f, rows, columns, widths, header)
    last = header + len(rows)
    sheet.autofilter(header, 0, max(last, header + 1), len(columns) - 1)
    sheet.freeze_panes(header + 1, 3)

    top = _overall(sheet, f, changes.overall, last + 2, widths)
    _outcomes(sheet, f, changes.outcomes, top, widths)
    setup(sheet, page, widths, repeat_columns=3, header_row=header, landscape=True)


def _overall(sheet, f: Formats, overall: pd.DataFrame, top: int, widths) -> int:
    """Resolution, Title (over two columns), Before, After, under the proposals table."""
    if overall.empty:
        return top
    write_text(sheet, top, 0, "Overall concern of each resolution a change touched", f.section)
    write_text(sheet, top + 1, 1, RESOLUTION, f.header)
    sheet.merge_range(top + 1, 2, top + 1, 3, TITLE, f.header)
    write_text(sheet, top + 1, 4, BEFORE, f.header)
    write_text(sheet, top + 1, 5, AFTER, f.header)
    for i, rec in enumerate(overall.to_dict("records")):
        row = top + 2 + i
        differs = rec[BEFORE] != rec[AFTER]
        write_text(sheet, row, 0, CHANGED if differs else "", f.emphasis if differs else None)
        write_text(sheet, row, 1, rec[RESOLUTION], f.key)
        title = rec[TITLE] or ""
        sheet.merge_range(row, 2, row, 3, "", f.cell)
        write_text(sheet, row, 2, title, f.cell)
        sheet.set_row(row, row_height(wrapped_lines(title, widths[2] + widths[3])))
        for col, level in ((4, rec[BEFORE]), (5, rec[AFTER])):
            write_text(sheet, row, col, concern_words(level), f.overall.get(level, f.overall_none))
    return top + len(overall) + 3


def _outcomes(sheet, f: Formats, outcomes: pd.DataFrame, top: int, widths) -> None:
    """The outcomes recorded, changed or removed, field by field, under the rest."""
    if outcomes.empty:
        return
    write_text(sheet, top, 0, "Outcomes recorded, changed or removed", f.section)
    columns = [c for c in OUTCOME_CHANGES.columns if c != KEY]
    # Under the proposals' columns: where there are more, the last width serves the rest.
    widths = [widths[min(col, len(widths) - 1)] for col in range(len(columns))]
    _table(sheet, f, outcomes, columns, widths, top + 1)


def _table(sheet, f: Formats, rows: pd.DataFrame, columns: list[str], widths, header: int) -> None:
    """A header at row `header`, then a row per change, the fields that changed highlighted."""
    for col, name in enumerate(columns):
        write_text(sheet, header, col, name, f.header)
    sheet.set_row(header, 30)
    for i, rec in enumerate(rows.to_dict("records")):
        row = header + 1 + i
        changed = set(rec[CHANGED_FIELDS].split(", ")) if rec[CHANGE] == CHANGED else set()
        lines = 1
        for col, name in enumerate(columns):
            field = name.rsplit(" ", 1)[0]
            write_text(sheet, row, col, rec[name], f.emphasis if field in changed else f.cell)
            lines = max(lines, wrapped_lines(str(rec[name]), widths[col]))
        sheet.set_row(row, row_height(lines))
