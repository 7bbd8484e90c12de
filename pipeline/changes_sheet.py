"""The Changes sheet: what changed since the version the matrix was compared with."""

from __future__ import annotations

import pandas as pd

from .changes import CHANGED, Changes
from .frames import (
    AFTER,
    BEFORE,
    CHANGE,
    CHANGED_FIELDS,
    CHANGES,
    KEY,
    NOTES,
    OUTCOME_CHANGES,
    PUBLIC_FIELDS,
    REGION,
    RESOLUTION,
    SOURCE,
    SUMMARY,
    TITLE,
    after,
    before,
)
from .printing import Page, setup
from .styles import Formats, row_height, write_text
from .textwidth import wrapped_lines
from .vocab import Concern

COLUMNS = [c for c in CHANGES.columns if c != KEY]
#: A public edition's Changes sheet: no notes, no sources, no Public flags.
PUBLIC_COLUMNS = [
    c
    for c in COLUMNS
    if c in (CHANGE, RESOLUTION, REGION, CHANGED_FIELDS) or c.rsplit(" ", 1)[0] in PUBLIC_FIELDS
]
WIDTHS = {CHANGE: 10, RESOLUTION: 13, REGION: 9, CHANGED_FIELDS: 16, before(SUMMARY): 45,
          after(SUMMARY): 45, before(NOTES): 30, after(NOTES): 30, SOURCE: 32}  # fmt: skip
DEFAULT_WIDTH = 13
_WORDS = {c.code: c.words for c in Concern}
FIRST_VERSION = (
    "This is the first version of the matrix, so there is nothing to compare it with. Every "
    "later version lists here each proposal added, changed or removed since the version "
    "before it."
)
FIRST_PUBLISHED = (
    "This is the first published version of the matrix. Every later published version lists "
    "here each proposal added, changed or removed since the one published before it."
)
EXPLANATION = (
    "One row per proposal added, changed or removed; 'before' is {since}, 'after' is now, and "
    "the fields that changed are highlighted. A proposal is the same one in both versions when "
    "its region, resolution and document are (region, resolution and action if it has no "
    "document); an edited document reference shows as a change of Document when it is the "
    "region's only proposal on that resolution that moved."
)
_PARAGRAPH_COLUMNS = 10  # an explanation spans the first ten columns


def write_changes(
    book,
    f: Formats,
    changes: Changes | None,
    titles: dict[str, str],
    page: Page,
    public: bool = False,
) -> None:
    sheet = book.add_worksheet("Changes")
    columns = PUBLIC_COLUMNS if public else COLUMNS
    widths = [WIDTHS.get(name, DEFAULT_WIDTH) for name in columns]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    paragraph = sum(widths[:_PARAGRAPH_COLUMNS])
    if changes is None:
        first = FIRST_PUBLISHED if public else FIRST_VERSION
        write_text(sheet, 0, 0, f"Changes: this is the first{' published' * public} version",
                   f.section)  # fmt: skip
        sheet.merge_range(1, 0, 1, _PARAGRAPH_COLUMNS - 1, first, f.how_to_read)
        sheet.set_row(1, row_height(wrapped_lines(first, paragraph)))
        setup(sheet, page, widths[:_PARAGRAPH_COLUMNS])
        return
    write_text(sheet, 0, 0, changes.summary, f.section)
    explanation = EXPLANATION.format(since=changes.since)
    sheet.merge_range(1, 0, 1, _PARAGRAPH_COLUMNS - 1, explanation, f.how_to_read)
    sheet.set_row(1, row_height(wrapped_lines(explanation, paragraph)))

    header = 3
    rows = changes.rows
    _table(sheet, f, rows, columns, widths, header)
    last = header + len(rows)
    sheet.autofilter(header, 0, max(last, header + 1), len(columns) - 1)
    sheet.freeze_panes(header + 1, 3)

    top = _overall(sheet, f, changes.resolutions, titles, last + 2, widths)
    _outcomes(sheet, f, changes.outcomes, top, widths)
    setup(sheet, page, widths, repeat_columns=3, header_row=header, landscape=True)


def _overall(
    sheet, f: Formats, overall: pd.DataFrame, titles: dict[str, str], top: int, widths
) -> int:
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
        title = titles.get(rec[KEY], "")
        sheet.merge_range(row, 2, row, 3, "", f.cell)
        write_text(sheet, row, 2, title, f.cell)
        sheet.set_row(row, row_height(wrapped_lines(title, widths[2] + widths[3])))
        for col, level in ((4, rec[BEFORE]), (5, rec[AFTER])):
            text = _WORDS.get(level, "No proposals")
            write_text(sheet, row, col, text, f.overall.get(level, f.overall_none))
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
