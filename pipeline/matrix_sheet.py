"""The Matrix sheet: a row per resolution, its overall concern (and the outcome, once there is
one) beside it, then a column per regional group (and member state), each cell the region's
proposals as rich text in the colour of its highest concern; then the team's analysis.

Column widths and row heights are counted here, as Excel will wrap the text, because
xlsxwriter cannot fit them itself. `data` is a render.MatrixData.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import (
    ACTION,
    ANALYSIS,
    ASSESSMENT,
    CO_SIGNERS,
    CONCERN,
    DECIDED,
    DOCUMENT,
    KEY,
    OUTCOME,
    OVERALL,
    PRIORITY,
    PUBLIC,
    REGION,
    RESOLUTION,
    RESULT,
    SUMMARY,
    TITLE,
    TOPIC,
    region_concern,
)
from .merge import SEPARATOR, cell_parts
from .outcomes import shown_key
from .printing import setup
from .styles import (
    CELL,
    CHANGED_BORDER,
    EXCEL_CELL_LIMIT,
    FILLS,
    Formats,
    RichTextSheet,
    estimate_lines,
    row_height,
    write_text,
)
from .textwidth import cut, excel_length, width_for, wrapped_lines
from .vocab import PRIORITY_CODES, Assessment, Concern, Public

# Chosen so that the shipped matrix prints two pages wide on A3 at 8 pt, three on A4, Letter
# and Legal at 7 pt (with the analysis 40 wide, it took a fourth page on Letter).
WIDTHS = {TITLE: 30, TOPIC: 14, ANALYSIS: 38}
REGION_WIDTH = 33
MATRIX_FIXED = (RESOLUTION, TITLE, TOPIC, PRIORITY)
NOT_PUBLIC_RESOLUTION = "(not public: this resolution is in no public edition)"
_WORDS = {c.code: c.words for c in Concern}
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


def _cell_proposals(long: pd.DataFrame) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(key, region) -> the (first line, rest) of each of its proposals, in the cell's order."""
    if long.empty:
        return {}
    head, body = cell_parts(
        long[ACTION],
        long[CONCERN],
        long[SUMMARY],
        long[DOCUMENT],
        long[PUBLIC],
        long[RESULT],
        long[CO_SIGNERS],
    )
    cells: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, region, h, b in zip(long[KEY], long[REGION], head, body, strict=True):
        cells.setdefault((key, region), []).append((h, b))
    return cells


def cell_lines(long: pd.DataFrame, width: float) -> dict[tuple[str, str], int]:
    """(key, region) -> the wrapped lines of its matrix cell, counted a column at a time: each
    proposal is its first line, its summary's lines and its document's, and proposals are
    separated by a blank line. The same count as wrapping the cell's whole text."""
    if long.empty:
        return {}
    lines = pd.Series(1, index=long.index)  # the first line, which always fits
    signed = "Co-signed by: " + long[CO_SIGNERS].fillna("")
    for name, texts in ((SUMMARY, long[SUMMARY]), (DOCUMENT, long[DOCUMENT]),
                        (RESULT, long[RESULT]), (CO_SIGNERS, signed)):  # fmt: skip
        present = long[name].fillna("") != ""
        lines += np.where(present, estimate_lines(texts, width, MOST_LINES), 0)
    per_cell = lines.groupby([long[KEY], long[REGION]], sort=False).agg(["sum", "size"])
    counts = per_cell["sum"] + per_cell["size"] - 1
    return dict(zip(per_cell.index, counts.tolist(), strict=True))


def _fragments(parts: list[tuple[str, str]], mark: str, f: Formats) -> list[tuple]:
    """A region cell as rich text: a bold first line per proposal, the rest regular."""
    fragments: list[tuple] = [(f.mark, mark + ("\n" if parts else ""))] if mark else []
    for i, (head, body) in enumerate(parts):
        if i:
            fragments.append((None, SEPARATOR))
        fragments.append((f.head, head))
        if body:
            fragments.append((None, body))
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


def matrix_widths(data) -> list[float]:
    """Column widths of the Matrix sheet: the key and the overall concern fit their longest
    word on one line, and each header its filter button beside it; the prose columns wrap."""
    key_header = width_for([RESOLUTION], bold=True, least=10, button=True)
    keys = [shown_key(k, data.outcomes) for k in data.matrix[KEY]]
    key_width = min(30.0, max(key_header, width_for(keys, bold=True)))
    priority_header = width_for([PRIORITY], bold=True, least=8, button=True)
    priority = max(priority_header, width_for(PRIORITY_CODES, bold=True))
    overall = width_for([*_WORDS.values(), "No proposals"], bold=True, least=10)
    assessment = width_for([a.words for a in Assessment], bold=True, least=10)
    assessment = max(assessment, width_for([ASSESSMENT], bold=True, button=True))
    fixed = {RESOLUTION: key_width, PRIORITY: priority, OVERALL: overall, **WIDTHS}
    fixed[ASSESSMENT] = assessment
    return [fixed.get(c, REGION_WIDTH) for c in matrix_columns(data)]


def matrix_columns(data) -> list[str]:
    """The resolution, then what is said of it as a whole (its overall concern, and what the
    assembly decided), then the submitters' columns: printed, the first page of each band of
    rows holds the resolution with its concern and outcome, and later pages the other groups."""
    decided = [OUTCOME, ASSESSMENT] if data.outcomes is not None else []
    return [*MATRIX_FIXED, OVERALL, *decided, *data.regions, *([ANALYSIS] if data.analysis else [])]


def write_matrix(book, f: Formats, data) -> None:
    sheet = book.add_worksheet("Matrix", worksheet_class=RichTextSheet)
    regions, matrix = data.regions, data.matrix
    columns = matrix_columns(data)
    widths = matrix_widths(data)
    last_col = len(columns) - 1

    top = 1 if data.members else 0  # with member states, a row of groups above the header
    header_lines = 1
    for col, (name, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, top, col, name, f.header)
        header_lines = max(header_lines, wrapped_lines(name, width, bold=True))
    sheet.set_row(top, row_height(header_lines) + 4)

    changes = data.changes
    changed_cells, since = (frozenset(), "") if changes is None else (changes.cells, changes.since)
    changed_outcomes = frozenset() if changes is None else changes.outcome_cells
    cells = _cell_proposals(data.long)
    counted = cell_lines(data.long, REGION_WIDTH)
    rows_of = _proposal_rows(data.long)
    at = {name: col for col, name in enumerate(columns)}
    outcomes = {} if data.outcomes is None else data.outcomes.set_index(KEY).to_dict("index")
    for i, rec in enumerate(matrix.to_dict("records")):
        row = top + 1 + i
        lines = 1
        write_text(sheet, row, 0, shown_key(rec[KEY], data.outcomes), f.key)
        for col, name in enumerate(MATRIX_FIXED[1:], start=1):
            text = rec[name] or ""
            if name == TITLE and rec[PUBLIC] == Public.NO.code:
                text = f"{text}\n{NOT_PUBLIC_RESOLUTION}"  # stays with the team, all of it
            write_text(sheet, row, col, text, f.cell)
            lines = max(lines, wrapped_lines(text, widths[col]))
        for region in regions:
            col = at[region]
            concern = rec[region_concern(region)]
            fmt = f.concern[concern] if concern else f.cell
            props = {**CELL, "bg_color": FILLS[concern]} if concern else CELL
            mark = ""
            if (rec[KEY], region) in changed_cells:
                # Said in words as well as drawn, so it survives black-and-white printing.
                mark = f"Changed since {since}" + ("" if rec[region] else ": no proposal now")
                fmt = f.changed[concern] if concern else f.changed_empty
                props = {**props, **CHANGED_BORDER}
            fragments = _fragments(cells.get((rec[KEY], region), []), mark, f)
            if fragments:
                first, last = rows_of.get((rec[KEY], region), (0, 0))
                where = (
                    f"is on the Proposals sheet, rows {first}-{last}"
                    if data.public is None
                    else "is in the web page of this edition"
                )
                fragments = fit_fragments(
                    fragments,
                    f"[Shortened to fit one Excel cell: the full text of all {region} proposals "
                    f"on {rec[RESOLUTION]} {where}.]",
                )
            write_rich(sheet, row, col, fragments, fmt, f, props)
            cell = counted.get((rec[KEY], region), 0)
            if mark:
                cell += wrapped_lines(mark, widths[col]) - (0 if cell else 1)
            lines = max(lines, cell)
        overall = rec[OVERALL]
        col = at[OVERALL]
        if overall:
            write_text(sheet, row, col, _WORDS[overall], f.overall[overall])
        else:
            write_text(sheet, row, col, "No proposals", f.overall_none)
        if data.outcomes is not None:
            col = at[OUTCOME]
            framed = (
                (rec[KEY], OUTCOME) in changed_outcomes,
                (rec[KEY], ASSESSMENT) in changed_outcomes,
            )
            lines = max(
                lines, _write_outcome(sheet, row, col, outcomes.get(rec[KEY]), widths, f, framed)
            )
        if data.analysis:
            col = at[ANALYSIS]
            write_text(sheet, row, col, rec[ANALYSIS], f.cell)
            lines = max(lines, wrapped_lines(rec[ANALYSIS], widths[col]))
        sheet.set_row(row, row_height(lines))

    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, top + len(matrix), last_col)
    printed = setup(
        sheet, data.page, widths, repeat_columns=2, header_row=top, landscape=True, header_from=0
    )
    if top:
        _write_groups(sheet, f, data, columns, printed.breaks)


def _write_groups(sheet, f: Formats, data, columns: list[str], breaks: tuple[int, ...]) -> None:
    """The first header row: each group's name over its columns, once on each printed page the
    group spans (a merged cell prints on one page only)."""
    for col in range(len(columns)):
        sheet.write_blank(0, col, None, f.header)
    first = columns.index(data.regions[0])
    for group, codes in data.groups:
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
    sheet, row: int, col: int, outcome: dict | None, widths, f: Formats, framed=(False, False)
) -> int:
    """The Outcome cell (the decision in bold, then what was decided and the document) and the
    Assessment cell (in words, in its colour); the lines the Outcome cell wraps to. A cell
    that changed since the compared version (`framed`: the Outcome's, the Assessment's) has
    the thick frame of a changed proposal, which printing in black and white keeps."""
    outcome_fmt, outcome_props = (
        (f.changed_empty, {**CELL, **CHANGED_BORDER}) if framed[0] else (f.cell, CELL)
    )
    if outcome is None:
        sheet.write_blank(row, col, None, outcome_fmt)
        sheet.write_blank(row, col + 1, None, f.changed_empty if framed[1] else f.cell)
        return 1
    rest = "".join(f"\n{outcome[name]}" for name in (SUMMARY, DOCUMENT) if outcome[name])
    fragments = [(f.head, outcome[DECIDED]), *([(None, rest)] if rest else [])]
    write_rich(sheet, row, col, fragments, outcome_fmt, f, outcome_props)
    assessment = next(a for a in Assessment if a.code == outcome[ASSESSMENT])
    formats = f.assessment_changed if framed[1] else f.assessment
    write_text(sheet, row, col + 1, assessment.words, formats[assessment.code])
    return wrapped_lines(outcome[DECIDED] + rest, widths[col])


def _proposal_rows(long: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, region) -> first and last Excel row of its proposals on the Proposals sheet."""
    if long.empty:
        return {}
    rows = pd.Series(range(2, len(long) + 2), index=long.index)
    spans = rows.groupby([long[KEY], long[REGION]]).agg(["min", "max"])
    return dict(
        zip(
            spans.index, zip(spans["min"].tolist(), spans["max"].tolist(), strict=True), strict=True
        )
    )
