"""The Changes sheet: what changed since the version the matrix was compared with."""

from __future__ import annotations

import pandas as pd

from ..matrix.change_list import ChangeList
from ..matrix.phrases import NO_PROPOSALS, concern_words
from ..versions.changes import CHANGED
from ..words.excel import Page
from ..words.frames import (
    AFTER,
    BEFORE,
    CHANGE,
    CHANGED_FIELDS,
    KEY,
    OUTCOME_CHANGES,
    RESOLUTION,
    TITLE,
)
from ..words.vocab import Concern
from .changes_layout import fit_prose, lay, span_widths, table_widths
from .printing import legible_room, points, setup
from .styles import Formats, row_height, write_text
from .textwidth import width_for, wrapped_lines

OUTCOME_COLUMNS = [c for c in OUTCOME_CHANGES.columns if c != KEY]
#: The overall concerns' table: a resolution's title wraps in this width.
TITLE_WIDTH = 30
_PARAGRAPH_COLUMNS = 10  # an explanation spans the first ten columns


def write_changes(book, f: Formats, changes: ChangeList, page: Page) -> None:
    sheet = book.add_worksheet("Changes")
    columns = list(changes.columns)
    rows = changes.proposals
    widths = table_widths(columns, rows, button=True)
    # The tables under the proposals' lay their own columns over the sheet's (see
    # changes_layout), widening a sheet column where one of theirs needs it; then the prose
    # columns share the room the page has left.
    overall = changes.overall
    overall_laid, widths = _overall_columns(overall, widths) if len(overall) else ([], widths)
    decided = changes.outcomes
    decided_laid, widths = _outcome_columns(decided, widths) if len(decided) else ([], widths)
    widths = fit_prose(columns, widths, legible_room(page.paper))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    write_text(sheet, 0, 0, changes.heading, f.section)
    explanation = changes.explanation
    if changes.since is None:
        paragraph = sum(widths[:_PARAGRAPH_COLUMNS])
        sheet.merge_range(1, 0, 1, _PARAGRAPH_COLUMNS - 1, explanation, f.how_to_read)
        sheet.set_row(1, row_height(wrapped_lines(explanation, paragraph)))
        setup(sheet, page, widths[:_PARAGRAPH_COLUMNS])
        return
    # Over the whole table: it wraps at the printed page's width.
    sheet.merge_range(1, 0, 1, len(columns) - 1, explanation, f.how_to_read)
    sheet.set_row(1, row_height(wrapped_lines(explanation, sum(widths))))

    header = 3
    _table(sheet, f, rows, columns, [(c, c) for c in range(len(columns))], widths, header)
    last = header + len(rows)
    sheet.autofilter(header, 0, max(last, header + 1), len(columns) - 1)
    sheet.freeze_panes(header + 1, 3)

    top = _overall(sheet, f, overall, last + 2, overall_laid, widths)
    _outcomes(sheet, f, decided, top, decided_laid, widths)
    # One page wide, so that a change is read across its row on one page; nothing is cut.
    setup(sheet, page, widths, header_row=header, landscape=True, one_page_wide=True)


def _overall(sheet, f: Formats, overall: pd.DataFrame, top: int, laid, widths) -> int:
    """Resolution, Title, Before, After, under the proposals table."""
    if overall.empty:
        return top
    write_text(sheet, top, 0, "Overall concern of each resolution a change touched", f.section)
    for span, name in zip(laid[1:], (RESOLUTION, TITLE, BEFORE, AFTER), strict=True):
        _put(sheet, top + 1, span, name, f.header)
    title_width = span_widths(widths, laid)[2]
    for i, rec in enumerate(overall.to_dict("records")):
        row = top + 2 + i
        differs = rec[BEFORE] != rec[AFTER]
        _put(sheet, row, laid[0], CHANGED if differs else "", f.emphasis if differs else None)
        _put(sheet, row, laid[1], rec[RESOLUTION], f.key)
        title = rec[TITLE] or ""
        _put(sheet, row, laid[2], title, f.cell)
        sheet.set_row(row, row_height(wrapped_lines(title, title_width)))
        for span, level in ((laid[3], rec[BEFORE]), (laid[4], rec[AFTER])):
            _put(sheet, row, span, concern_words(level), f.overall.get(level, f.overall_none))
    return top + len(overall) + 3


def _overall_columns(overall: pd.DataFrame, grid: list[float]):
    """The overall concerns' columns over the sheet's (`lay`): the mark, the resolution (bold,
    on one line), the title, and the concern before and after (bold, on one line)."""
    levels = [*(c.words for c in Concern), NO_PROPOSALS]
    wanted = [
        width_for([CHANGED]),
        width_for([*overall[RESOLUTION], RESOLUTION], bold=True),
        TITLE_WIDTH,
        width_for(levels, bold=True),
        width_for(levels, bold=True),
    ]
    return lay(grid, wanted)


def _outcomes(sheet, f: Formats, outcomes: pd.DataFrame, top: int, laid, widths) -> None:
    """The outcomes recorded, changed or removed, field by field, under the rest."""
    if outcomes.empty:
        return
    write_text(sheet, top, 0, "Outcomes recorded, changed or removed", f.section)
    _table(sheet, f, outcomes, OUTCOME_COLUMNS, laid, span_widths(widths, laid), top + 1)


def _outcome_columns(outcomes: pd.DataFrame, grid: list[float]):
    """The outcomes' columns over the sheet's (`lay`), with widths of their own: each as wide
    as its words, the summaries sharing what is left."""
    least = table_widths(OUTCOME_COLUMNS, outcomes)
    return lay(grid, fit_prose(OUTCOME_COLUMNS, least, points(grid)), least)


def _table(sheet, f: Formats, rows: pd.DataFrame, columns: list[str], laid, widths, header: int):
    """A header at row `header`, then a row per change, the fields that changed highlighted;
    each column over the sheet's columns `laid` gives it, `widths` wide."""
    pairs = zip(columns, widths, strict=True)
    lines = max(wrapped_lines(name, width, bold=True) for name, width in pairs)
    for col, name in enumerate(columns):
        _put(sheet, header, laid[col], name, f.header)
    sheet.set_row(header, row_height(max(2, lines)))
    for i, rec in enumerate(rows.to_dict("records")):
        row = header + 1 + i
        changed = set(rec[CHANGED_FIELDS].split(", ")) if rec[CHANGE] == CHANGED else set()
        lines = 1
        for col, name in enumerate(columns):
            field = name.rsplit(" ", 1)[0]
            _put(sheet, row, laid[col], rec[name], f.emphasis if field in changed else f.cell)
            lines = max(lines, wrapped_lines(str(rec[name]), widths[col]))
        sheet.set_row(row, row_height(lines))


def _put(sheet, row: int, span: tuple[int, int], value, fmt) -> None:
    """A value in the sheet columns first..last of `span`, merged when they are several."""
    first, last = span
    if last > first:
        sheet.merge_range(row, first, row, last, "", fmt)
    write_text(sheet, row, first, value, fmt)
