"""Write the Issues Matrix workbook with xlsxwriter: Summary (it opens there), Matrix, About,
Changes, Proposals, Outcomes and Legend sheets, each laying out the view (view.py).

Every text goes through `write_string` (or `write_rich_string`), so a summary that starts with
`=` stays text. The file is built under a temporary name beside the target and renamed into
place only when complete. Nothing in the workbook speaks of the tool: it is read by colleagues
who never run it.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import xlsxwriter

from ..matrix.view import MatrixView
from ..system.files import Staged
from ..system.progress import quiet
from ..words.excel import Page
from ..words.stamps import (
    AUTHOR,
    CONFERENCE_PROPERTY,
    DATE_PROPERTY,
    RELEASE_PROPERTY,
    WORKBOOK_OPTIONS,
)
from .changes_sheet import write_changes
from .legend_sheet import sheet_meanings, write_legend
from .matrix_sheet import write_matrix
from .outcomes_sheet import write_outcomes
from .printing import setup
from .proposals_sheet import write_proposals
from .styles import Formats, row_height, write_text
from .summary_sheet import write_summary
from .textwidth import wrapped_lines

ABOUT_WIDTHS = (16, 100)


def render_into(
    stage: Staged, view: MatrixView, timings: dict | None = None, say: Callable = quiet
) -> None:
    """Write the matrix into a staged file (it takes its place on `stage.commit()`).

    `timings`, if given, receives the seconds spent laying out the sheets ("render") and
    writing the file ("write").
    """
    timings = {} if timings is None else timings
    start = time.perf_counter()
    stage.write_bytes(workbook_bytes(view, timings, say))
    timings["write"] = time.perf_counter() - start - timings.get("render", 0.0)


def workbook_bytes(view: MatrixView, timings: dict | None = None, say=quiet) -> bytes:
    """The whole workbook, made in memory: nothing is on disk until it is complete."""
    buffer = io.BytesIO()
    _build(buffer, view, timings, say)
    return buffer.getvalue()


def _build(target, view: MatrixView, timings: dict | None = None, say=quiet) -> None:
    start = time.perf_counter()
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    book.set_properties(
        {
            "title": view.title,
            "subject": f"Proposals to {view.conference}",
            "author": view.author or AUTHOR,
            "comments": view.notice,
            # A fixed creation time is what makes two builds of the same inputs identical.
            "created": view.created,
        }
    )
    # Which conference, release and day: what a later build checks before comparing with it.
    book.set_custom_property(CONFERENCE_PROPERTY, view.conference)
    book.set_custom_property(DATE_PROPERTY, view.date)
    if view.release is not None:
        book.set_custom_property(RELEASE_PROPERTY, view.release, "number_int")
    formats = Formats(book)
    page = Page(view.title, view.edition, view.notice, view.paper)
    write_summary(book, formats, view, page)  # first: a reader who stops there knows what matters
    say("laying out the Matrix sheet")
    write_matrix(book, formats, view, page)
    _write_about(book, formats, view, page)
    write_changes(book, formats, view.changes, page)
    if view.audience.proposals_sheet:
        say(f"laying out the Proposals sheet ({len(view.proposals):,} rows)")
        write_proposals(book, formats, view.proposals, page, view.links)
    if view.outcome_counts is not None:
        write_outcomes(book, formats, view, page)
    write_legend(book, formats, view, page)
    if timings is not None:
        timings["render"] = time.perf_counter() - start
    say("saving the workbook")
    book.close()  # xlsxwriter writes the file's XML here


def _write_about(book, f: Formats, view: MatrixView, page: Page) -> None:
    """The title block: what this workbook is, which version, how to read it."""
    sheet = book.add_worksheet("About")
    sheet.set_column(0, 0, ABOUT_WIDTHS[0])
    sheet.set_column(1, 1, ABOUT_WIDTHS[1])
    text_width = ABOUT_WIDTHS[1]
    row = 0

    def line(text: str, fmt, height_from: float | None = None) -> None:
        nonlocal row
        if height_from is None:
            write_text(sheet, row, 0, text, fmt)
        else:  # a paragraph: merged over both columns so it wraps at the sheet's width
            sheet.merge_range(row, 0, row, 1, "", fmt)
            write_text(sheet, row, 0, text, fmt)
            sheet.set_row(row, row_height(wrapped_lines(text, height_from)))
        row += 1

    line(view.title, f.title)
    line(view.subtitle, f.subtitle)
    for text in view.publisher:
        line(text, f.subtitle)
    if view.described:  # the full name, place and dates, where matrix.toml gives them
        line(view.described, f.subtitle)
    if view.notice:
        line(view.notice, f.notice, sum(ABOUT_WIDTHS))
    line(view.counts, f.subtitle)
    if view.outcomes_line:
        line(view.outcomes_line, f.changes_line, sum(ABOUT_WIDTHS))
    line(view.changes_line, f.changes_line, sum(ABOUT_WIDTHS))
    row += 1
    line("How to read the matrix", f.section)
    line(view.how_to_read, f.how_to_read, sum(ABOUT_WIDTHS))
    row += 1
    line("The sheets", f.section)
    for name, meaning in sheet_meanings(view):
        sheet.write_url(row, 0, f"internal:'{name}'!A1", f.link, name)
        write_text(sheet, row, 1, meaning, f.long_cell)
        sheet.set_row(row, row_height(wrapped_lines(meaning, text_width)))
        row += 1
    setup(sheet, page, list(ABOUT_WIDTHS))
