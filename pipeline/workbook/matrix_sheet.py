"""The Matrix sheet: a row per resolution, its overall concern (and the outcome, once there is
one) beside it, then a column per regional group (and member state), each cell the group's
proposals as rich text in the colour of its highest concern; then the team's analysis. It lays
out the view (view.py).

Column widths and row heights are counted here, as Excel will wrap the text, because
xlsxwriter cannot fit them itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..matrix.phrases import NO_PROPOSALS, NOT_PUBLIC_RESOLUTION
from ..matrix.view import Cell, Decision, MatrixView
from ..words.excel import EXCEL_CELL_LIMIT, Page, cut, excel_length
from ..words.frames import (
    ANALYSIS,
    ASSESSMENT,
    OUTCOME,
    OVERALL,
    PRIORITY,
    RESOLUTION,
    TITLE,
    TOPIC,
)
from ..words.vocab import PRIORITY_CODES, Assessment, Concern
from .printing import setup
from .styles import (
    CELL,
    CHANGED_BORDER,
    FILLS,
    Formats,
    RichTextSheet,
    estimate_lines,
    row_height,
    write_text,
)
from .textwidth import width_for, wrapped_lines

# Chosen so that the shipped matrix prints two pages wide on A3 at 8 pt, three on A4, Letter
# and Legal at 7 pt (with the analysis 40 wide, it took a fourth page on Letter).
WIDTHS = {TITLE: 30, TOPIC: 14, ANALYSIS: 38}
REGION_WIDTH = 33
MATRIX_FIXED = (RESOLUTION, TITLE, TOPIC, PRIORITY)
SEPARATOR = "\n\n"  # a blank line between proposals in one cell
MOST_LINES = 27  # Excel's tallest row, 409 points, holds 27 lines


def fit_fragments(fragments: list[tuple], pointer: str, limit: int = EXCEL_CELL_LIMIT) -> list:
    """Fit a cell's (format, text) parts into Excel's limit, counted as Excel counts (UTF-16
    units), ending with a visible pointer to where the full text is. Cut at the last proposal
    boundary before the limit, or inside the text if there is none near the end."""
    text = "".join(t for _, t in fragments)
    if excel_length(text) <= limit:
        return fragments
    room = limit - excel_length(pointer) - len(SEPARATOR)
    fitting = cut(text, room)
    end = fitting.rfind(SEPARATOR)
    if excel_length(fitting[: max(end, 0)]) < room // 2:
        end = len(fitting)  # no proposal boundary near the end: cut inside the text
    kept, used = [], 0
    for fmt, part in fragments:
        if used >= end:
            break
        piece = part[: end - used]
        used += len(part)
        if piece.rstrip():
            kept.append((fmt, piece))
    while kept and not kept[-1][1].rstrip():
        kept.pop()
    if kept:
        kept[-1] = (kept[-1][0], kept[-1][1].rstrip())
    return [*kept, (None, SEPARATOR + pointer)]


def cell_lines(cells: list[Cell], width: float) -> list[int]:
    """The wrapped lines of each matrix cell, counted all at once: each proposal is its first
    line and the lines of each of its own lines, and proposals are separated by a blank line.
    The same count as wrapping the cell's whole text."""
    texts, owners, heads = [], [], np.zeros(len(cells), dtype=int)
    for i, cell in enumerate(cells):
        heads[i] = 2 * len(cell.proposals) - 1 if cell.proposals else 0
        for proposal in cell.proposals:
            texts.extend(proposal.lines)
            owners.extend([i] * len(proposal.lines))
    if not texts:
        return heads.tolist()
    lines = estimate_lines(pd.Series(texts, dtype=object), width, MOST_LINES)
    return (heads + np.bincount(owners, weights=lines, minlength=len(cells)).astype(int)).tolist()


def _fragments(cell: Cell, f: Formats) -> list[tuple]:
    """A group's cell as rich text: a bold first line per proposal, the rest regular."""
    mark = cell.changed
    fragments: list[tuple] = [(f.mark, mark + ("\n" if cell.proposals else ""))] if mark else []
    for i, proposal in enumerate(cell.proposals):
        if i:
            fragments.append((None, SEPARATOR))
        fragments.append((f.head, proposal.head))
        if proposal.lines:
            fragments.append((None, "".join(f"\n{line}" for line in proposal.lines)))
    return fragments


def write_rich(sheet, row: int, col: int, fragments: list[tuple], fmt, f: Formats, props) -> None:
    if not fragments:
        sheet.write_blank(row, col, None, fmt)
        return
    merged: list[tuple] = []
    for part_fmt, text in fragments:  # neighbours in one font become one run
        if merged and merged[-1][0] is part_fmt:
            merged[-1] = (part_fmt, merged[-1][1] + text)
        else:
            merged.append((part_fmt, text))
    if len(merged) == 1:  # Excel's rich text needs two runs; one run is a plain or bold cell
        part_fmt, text = merged[0]
        write_text(
            sheet, row, col, text, fmt if part_fmt is None else f.whole(fmt, props, part_fmt)
        )
        return
    if sheet.write_runs(row, col, merged, fmt) < 0:
        raise AssertionError(f"a matrix cell at row {row + 1} could not be written")


def matrix_widths(view: MatrixView) -> list[float]:
    """Column widths of the Matrix sheet: the key and the overall concern fit their longest
    word on one line, and each header its filter button beside it; the prose columns wrap."""
    key_header = width_for([RESOLUTION], bold=True, least=10, button=True)
    keys = [row.shown_key for row in view.rows]
    key_width = min(30.0, max(key_header, width_for(keys, bold=True)))
    priority_header = width_for([PRIORITY], bold=True, least=8, button=True)
    priority = max(priority_header, width_for(PRIORITY_CODES, bold=True))
    overall = width_for([*(c.words for c in Concern), NO_PROPOSALS], bold=True, least=10)
    assessment = width_for([a.words for a in Assessment], bold=True, least=10)
    assessment = max(assessment, width_for([ASSESSMENT], bold=True, button=True))
    fixed = {RESOLUTION: key_width, PRIORITY: priority, OVERALL: overall, **WIDTHS}
    fixed[ASSESSMENT] = assessment
    return [fixed.get(c, REGION_WIDTH) for c in matrix_columns(view)]


def matrix_columns(view: MatrixView) -> list[str]:
    """The resolution, then what is said of it as a whole (its overall concern, and what the
    assembly decided), then the submitters' columns: printed, the first page of each band of
    rows holds the resolution with its concern and outcome, and later pages the other groups."""
    decided = [OUTCOME, ASSESSMENT] if view.decided else []
    submitters = [s.code for s in view.submitters]
    return [*MATRIX_FIXED, OVERALL, *decided, *submitters, *([ANALYSIS] if view.analysis else [])]


def write_matrix(book, f: Formats, view: MatrixView, page: Page) -> None:
    sheet = book.add_worksheet("Matrix", worksheet_class=RichTextSheet)
    columns = matrix_columns(view)
    widths = matrix_widths(view)
    last_col = len(columns) - 1
    at = {name: col for col, name in enumerate(columns)}
    headings = list(columns)
    for submitter in view.submitters:  # the code, and its name below it
        headings[at[submitter.code]] = submitter.heading

    top = 1 if view.members else 0  # with member states, a row of groups above the header
    header_lines = 1
    for col, (name, width) in enumerate(zip(headings, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, top, col, name, f.header)
        header_lines = max(header_lines, wrapped_lines(name, width, bold=True))
    sheet.set_row(top, row_height(header_lines) + 4)

    counted = iter(cell_lines([c for r in view.rows for c in r.cells], REGION_WIDTH))
    for i, rec in enumerate(view.rows):
        row = top + 1 + i
        lines = 1
        write_text(sheet, row, 0, rec.shown_key, f.key)
        title = f"{rec.title}\n{NOT_PUBLIC_RESOLUTION}" if rec.internal else rec.title
        for col, text in enumerate((title, rec.topic, rec.priority), start=1):
            write_text(sheet, row, col, text, f.cell)  # the title of one not public stays
            lines = max(lines, wrapped_lines(text, widths[col]))  # with the team, all of it
        for cell in rec.cells:
            col = at[cell.submitter.code]
            concern = cell.concern
            fmt = f.concern[concern] if concern else f.cell
            props = {**CELL, "bg_color": FILLS[concern]} if concern else CELL
            if cell.changed:  # a frame, and the mark in words, which survives grey printing
                fmt = f.changed[concern] if concern else f.changed_empty
                props = {**props, **CHANGED_BORDER}
            fragments = _fragments(cell, f)
            if cell.proposals:
                fragments = fit_fragments(fragments, cell.shortened)
            write_rich(sheet, row, col, fragments, fmt, f, props)
            found = next(counted)
            if cell.changed:
                found += wrapped_lines(cell.changed, widths[col]) - (0 if found else 1)
            lines = max(lines, found)
        col = at[OVERALL]
        if rec.overall:
            write_text(sheet, row, col, rec.overall_words, f.overall[rec.overall])
        else:
            write_text(sheet, row, col, rec.overall_words, f.overall_none)
        if view.decided:
            col = at[OUTCOME]
            framed = (rec.outcome_changed, rec.assessment_changed)
            lines = max(lines, _write_outcome(sheet, row, col, rec.decision, widths, f, framed))
        if view.analysis:
            col = at[ANALYSIS]
            write_text(sheet, row, col, rec.analysis, f.cell)
            lines = max(lines, wrapped_lines(rec.analysis, widths[col]))
        sheet.set_row(row, row_height(lines))

    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, top + len(view.rows), last_col)
    printed = setup(
        sheet, page, widths, repeat_columns=2, header_row=top, landscape=True, header_from=0
    )
    if top:
        _write_groups(sheet, f, view, columns, printed.breaks)


def _write_groups(sheet, f: Formats, view, columns: list[str], breaks: tuple[int, ...]) -> None:
    """The first header row: each group's name over its columns, once on each printed page the
    group spans (a merged cell prints on one page only)."""
    for col in range(len(columns)):
        sheet.write_blank(0, col, None, f.header)
    first = columns.index(view.submitters[0].code)
    for group, codes in view.groups:
        for start, end in page_spans(first, first + len(codes) - 1, breaks):
            if end > start:
                sheet.merge_range(0, start, 0, end, group.plural, f.header)
            else:
                write_text(sheet, 0, start, group.plural, f.header)
        first += len(codes)


def page_spans(first: int, last: int, breaks: tuple[int, ...]) -> list[tuple[int, int]]:
    """The columns first..last cut where a printed page starts: (start, end) of each piece."""
    spans = []
    for brk in (b for b in breaks if first < b <= last):
        spans.append((first, brk - 1))
        first = brk
    return [*spans, (first, last)] if first <= last else spans


def _write_outcome(
    sheet, row: int, col: int, decision: Decision | None, widths, f, framed=(False, False)
) -> int:
    """The Outcome cell (the decision in bold, then what was decided and the document) and the
    Assessment cell (in words, in its colour); the lines the Outcome cell wraps to. A cell
    that changed since the compared version (`framed`: the Outcome's, the Assessment's) has
    the thick frame of a changed proposal, which printing in black and white keeps."""
    outcome_fmt, outcome_props = (
        (f.changed_empty, {**CELL, **CHANGED_BORDER}) if framed[0] else (f.cell, CELL)
    )
    if decision is None:
        sheet.write_blank(row, col, None, outcome_fmt)
        sheet.write_blank(row, col + 1, None, f.changed_empty if framed[1] else f.cell)
        return 1
    rest = "".join(f"\n{text}" for text in (decision.summary, decision.document) if text)
    fragments = [(f.head, decision.decided), *([(None, rest)] if rest else [])]
    write_rich(sheet, row, col, fragments, outcome_fmt, f, outcome_props)
    formats = f.assessment_changed if framed[1] else f.assessment
    write_text(sheet, row, col + 1, decision.assessment_words, formats[decision.assessment])
    return wrapped_lines(decision.decided + rest, widths[col])
