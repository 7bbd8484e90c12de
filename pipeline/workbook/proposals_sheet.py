"""The Proposals sheet: every proposal on its own row, with its full text, notes and source (the
team's sheet: no public edition has it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..words.excel import Page
from ..words.frames import (
    CO_SIGNERS,
    CONCERN,
    DOCUMENT,
    LONG_SHOWN,
    NOTES,
    RESOLUTION,
    SOURCE,
    SUMMARY,
)
from .printing import setup
from .styles import Formats, estimate_lines, row_height, write_text
from .textwidth import width_for

#: Excel keeps at most this many hyperlinks on a sheet: a document past it is plain text.
EXCEL_LINKS_LIMIT = 65_530
LINK = {"text_wrap": True, "valign": "top", "font_color": "#0563C1", "underline": 1}

# Chosen so that the shipped Proposals sheet prints one page wide on A3 (two on A4).
LONG_WIDTHS = {DOCUMENT: 18, SUMMARY: 62, CO_SIGNERS: 14, NOTES: 40, SOURCE: 34}
LONG_WRAPPED = (DOCUMENT, SUMMARY, CO_SIGNERS, NOTES, SOURCE)


def long_widths(long: pd.DataFrame) -> list[float]:
    """Column widths of the Proposals sheet: Resolution, Region, Action, Concern and Public fit
    their longest value (and their header beside its filter button) on one line; the other
    columns wrap."""
    widths = []
    for name in LONG_SHOWN:
        if name in LONG_WIDTHS:
            widths.append(LONG_WIDTHS[name])
            continue
        values = long[name].dropna().unique() if len(long) else []
        bold = name == RESOLUTION
        header = width_for([name], bold=True, button=True)
        widths.append(max(header, width_for(values, bold=bold)))
    return widths


def write_proposals(
    book, f: Formats, long: pd.DataFrame, page: Page, links: dict[str, str] | None = None
) -> None:
    """The long table (frames.LONG). Up to a hundred thousand rows: column lists, no per-cell
    wrapper calls, empty cells left unwritten, row heights measured once per distinct text.
    A Document whose cite has a web address (`links`, the view's) is a hyperlink to it: a
    matrix cell's rich text cannot hold one link per proposal, so the links are here."""
    sheet = book.add_worksheet("Proposals")
    widths = long_widths(long)
    for col, (name, width) in enumerate(zip(LONG_SHOWN, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, 0, col, name, f.header)
    lines = np.ones(len(long), dtype=int)
    for name in LONG_WRAPPED:
        lines = np.maximum(lines, estimate_lines(long[name], widths[LONG_SHOWN.index(name)]))
    lines = lines.tolist()
    concern_col = LONG_SHOWN.index(CONCERN)
    document_col = LONG_SHOWN.index(DOCUMENT)
    formats = [f.long_key, *[f.long_cell] * (len(LONG_SHOWN) - 1)]
    links = links or {}
    link_format = book.add_format(LINK) if links else None  # made only where it is used
    linked = 0
    write = sheet.write_string
    columns = [long[c].tolist() for c in LONG_SHOWN]
    for i, values in enumerate(zip(*columns, strict=True)):
        row = i + 1
        for col, value in enumerate(values):
            if value:
                if col == document_col and value in links and linked < EXCEL_LINKS_LIMIT:
                    sheet.write_url(row, col, links[value], link_format, string=value)
                    linked += 1
                    continue
                fmt = f.concern[value] if col == concern_col else formats[col]
                if write(row, col, value, fmt) == -2:  # inputs over the limit were rejected
                    raise AssertionError(f"text of {len(value)} characters at row {row + 1}")
        if lines[i] > 1:
            sheet.set_row(row, row_height(lines[i]))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(long), len(LONG_SHOWN) - 1)
    setup(sheet, page, widths, repeat_columns=1, header_row=0)
