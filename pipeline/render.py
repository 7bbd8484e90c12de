"""Write the Issues Matrix workbook with xlsxwriter: Matrix, Proposals, Summary and Legend sheets.

Every text goes through `write_string`, so a summary that starts with `=` stays text. The file is
built under a temporary name beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from .changes import Changes
from .changes_sheet import write_changes
from .config import Config
from .files import Staged, cannot_write
from .merge import (
    ACTIONS,
    ANALYSIS,
    CONCERN_WORDS,
    CONCERNS,
    LONG_COLUMNS,
    MATRIX_FIXED,
    OVERALL,
    SEPARATOR,
    concern_column,
)
from .problems import OutputError
from .progress import quiet
from .releases import CONFERENCE_PROPERTY, DATE_PROPERTY, RELEASE_PROPERTY
from .styles import (
    EXCEL_CELL_LIMIT,
    FILLS,
    Formats,
    estimate_lines,
    row_height,
    wrapped_lines,
    write_text,
)

# Matrix layout: title block in rows 1-4, header in row 6 (0-based 5).
HEADER_ROW = 5
WIDTHS = {"Resolution": 13, "Title": 38, "Topic": 18, "Priority": 10, OVERALL: 13, ANALYSIS: 48}
REGION_WIDTH = 36
LONG_WIDTHS = {
    "Resolution": 13,
    "Region": 9,
    "Action": 8,
    "Concern": 10,
    "Document": 16,
    "Summary": 70,
    "Notes": 40,
    "Source": 34,
}

HOW_TO_READ_TEXT = (
    "How to read: one row per resolution, one column per regional group. Each cell gives the "
    "region's action (ADD a new resolution, MOD modify, SUP suppress, NOC no change), its concern "
    "for the open Internet, a summary and the ITU document. Colour shows the concern: red High, "
    "orange Medium, yellow Low, green None; an empty cell means the region made no proposal. "
    "Every proposal with its source is on the Proposals sheet; the Legend sheet explains the "
    "colours and columns."
)


@dataclass(frozen=True)
class MatrixData:
    """What the workbook shows: the merged matrix and the long table, with their context."""

    config: Config
    regions: list[str]
    matrix: pd.DataFrame
    proposals: pd.DataFrame  # merge.long_table
    generated: dt.datetime
    changes: Changes | None = None  # against the latest release or --since; None: nothing to
    release: int | None = None  # the version number, when this matrix is a release


def build_time() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH if set, so that the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch.strip() == "":
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise OutputError(
            f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{epoch}'",
            hint="Unset it, or set it to a whole number such as 1727740800.",
        ) from exc


def render_into(
    stage: Staged, data: MatrixData, timings: dict | None = None, say: Callable = quiet
) -> None:
    """Write the matrix into a staged file (it takes its place on `stage.commit()`).

    `timings`, if given, receives the seconds spent laying out the sheets ("render") and
    writing the file ("write").
    """
    timings = {} if timings is None else timings
    start = time.perf_counter()
    try:
        _build(stage.tmp, data, timings, say)  # looked up here, so a test can make it fail
    except OSError as exc:
        raise cannot_write(stage.path, exc) from exc
    timings["write"] = time.perf_counter() - start - timings.get("render", 0.0)


def _build(path: Path, data: MatrixData, timings: dict | None = None, say=quiet) -> None:
    start = time.perf_counter()
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    book.set_properties(
        {
            "title": data.config.matrix_title,
            "subject": f"Proposals to {data.config.conference}",
            "author": "Issues Matrix pipeline",
            "comments": data.config.notice,
            # A fixed creation time is what makes two builds of the same inputs identical.
            "created": data.generated.replace(tzinfo=None),
        }
    )
    # Which conference, release and day: what a later build checks before comparing with it.
    book.set_custom_property(CONFERENCE_PROPERTY, data.config.conference)
    book.set_custom_property(DATE_PROPERTY, data.generated.date().isoformat())
    if data.release is not None:
        book.set_custom_property(RELEASE_PROPERTY, data.release, "number_int")
    formats = Formats(book)
    say("laying out the Matrix sheet")
    _write_matrix(book, formats, data)
    titles = dict(zip(data.matrix["key"], data.matrix["Title"], strict=True))
    write_changes(book, formats, data.changes, titles)
    say(f"laying out the Proposals sheet ({len(data.proposals):,} rows)")
    _write_proposals(book, formats, data.proposals)
    _write_summary(book, formats, data)
    _write_legend(book, formats, data)
    if timings is not None:
        timings["render"] = time.perf_counter() - start
    say("saving the workbook")
    book.close()  # xlsxwriter writes the file's XML here


def shorten(text: str, pointer: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """Fit text into a cell, ending with a visible pointer to where the full text is."""
    if len(text) <= limit:
        return text
    room = limit - len(pointer) - len(SEPARATOR)
    cut = text.rfind(SEPARATOR, 0, room)
    if cut < room // 2:
        cut = room  # no proposal boundary near the end: cut inside the text
    return text[:cut].rstrip() + SEPARATOR + pointer


def _write_matrix(book, f: Formats, data: MatrixData) -> None:
    sheet = book.add_worksheet("Matrix")
    regions, matrix, config = data.regions, data.matrix, data.config
    columns = [*MATRIX_FIXED, *regions, OVERALL, ANALYSIS]
    widths = [WIDTHS.get(c, REGION_WIDTH) for c in columns]
    last_col = len(columns) - 1

    generated = data.generated.strftime("%d %B %Y, %H:%M UTC").lstrip("0")
    write_text(sheet, 0, 0, config.matrix_title, f.title)
    release = f"release v{data.release} · " if data.release is not None else ""
    write_text(
        sheet,
        1,
        0,
        f"{config.conference} · {release}generated {generated} · {len(matrix)} resolutions, "
        f"{len(regions)} regional groups, {len(data.proposals)} proposals",
        f.subtitle,
    )
    write_text(sheet, 2, 0, config.notice, f.notice)
    sheet.merge_range(3, 0, 3, min(last_col, 7), HOW_TO_READ_TEXT, f.how_to_read)
    sheet.set_row(
        3, row_height(wrapped_lines(HOW_TO_READ_TEXT, sum(widths[: min(last_col, 7) + 1])))
    )

    changes = data.changes
    if changes is None:
        changed_cells, since = frozenset(), ""
        write_text(
            sheet, 4, 0, "No earlier version to compare with: see the Changes sheet.", f.subtitle
        )
    else:
        changed_cells, since = changes.cells, changes.since
        marked = "; changed cells have a thick black border" if changed_cells else ""
        write_text(
            sheet, 4, 0, f"{changes.summary} (see the Changes sheet{marked}).", f.changes_line
        )

    for col, (name, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, HEADER_ROW, col, name, f.header)
    sheet.set_row(HEADER_ROW, 30)

    rows_of = _proposal_rows(data.proposals)
    first_region_col = len(MATRIX_FIXED)
    for i, rec in enumerate(matrix.to_dict("records")):
        row = HEADER_ROW + 1 + i
        lines = 1
        write_text(sheet, row, 0, rec["Resolution"], f.key)
        for col, name in enumerate(MATRIX_FIXED[1:], start=1):
            write_text(sheet, row, col, rec[name], f.cell)
            lines = max(lines, wrapped_lines(rec[name] or "", widths[col]))
        for j, region in enumerate(regions):
            col = first_region_col + j
            text, concern = rec[region], rec[concern_column(region)]
            fmt = f.concern[concern] if concern else f.cell
            if (rec["key"], region) in changed_cells:
                # Said in words as well as drawn, so it survives black-and-white printing.
                mark = f"Changed since {since}" + ("" if text else ": no proposal now")
                text = f"{mark}\n{text}" if text else mark
                fmt = f.changed[concern] if concern else f.changed_empty
            if text:
                first, last = rows_of.get((rec["key"], region), (0, 0))
                text = shorten(
                    text,
                    f"[Shortened to fit one Excel cell: the full text of all {region} proposals "
                    f"on {rec['Resolution']} is on the Proposals sheet, rows {first}-{last}.]",
                )
            write_text(sheet, row, col, text, fmt)
            lines = max(lines, wrapped_lines(text, widths[col]))
        overall = rec[OVERALL]
        col = first_region_col + len(regions)
        if overall:
            write_text(sheet, row, col, CONCERN_WORDS[overall], f.overall[overall])
        else:
            write_text(sheet, row, col, "No proposals", f.overall_none)
        write_text(sheet, row, col + 1, rec[ANALYSIS], f.cell)
        lines = max(lines, wrapped_lines(rec[ANALYSIS], widths[col + 1]))
        sheet.set_row(row, row_height(lines))

    last_row = HEADER_ROW + len(matrix)
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    sheet.autofilter(HEADER_ROW, 0, last_row, last_col)
    sheet.set_landscape()
    sheet.set_paper(8)  # A3
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer(f"&L{_escape_footer(config.matrix_title)}&CPage &P of &N&R{generated}")
    sheet.activate()


def _escape_footer(text: str) -> str:
    # Excel ignores a footer over 255 characters (xlsxwriter drops it with a warning).
    text = text if len(text) <= 80 else text[:79] + "…"
    return text.replace("&", "&&")


def _proposal_rows(long: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, region) -> first and last Excel row of its proposals on the Proposals sheet."""
    if long.empty:
        return {}
    rows = pd.Series(range(2, len(long) + 2), index=long.index)
    spans = rows.groupby([long["key"], long["Region"]]).agg(["min", "max"])
    return dict(
        zip(
            spans.index, zip(spans["min"].tolist(), spans["max"].tolist(), strict=True), strict=True
        )
    )


def _write_proposals(book, f: Formats, long: pd.DataFrame) -> None:
    """The long table. Up to a hundred thousand rows: column lists, no per-cell wrapper calls,
    empty cells left unwritten, row heights estimated a column at a time."""
    sheet = book.add_worksheet("Proposals")
    widths = [LONG_WIDTHS[c] for c in LONG_COLUMNS]
    for col, (name, width) in enumerate(zip(LONG_COLUMNS, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, 0, col, name, f.header)
    lines = (
        np.maximum(*(estimate_lines(long[c], LONG_WIDTHS[c]) for c in ("Summary", "Notes")))
        if len(long)
        else []
    )
    concern_col = LONG_COLUMNS.index("Concern")
    formats = [f.long_cell] * len(LONG_COLUMNS)
    write = sheet.write_string
    columns = [long[c].tolist() for c in LONG_COLUMNS]
    for i, values in enumerate(zip(*columns, strict=True)):
        row = i + 1
        for col, value in enumerate(values):
            if value:
                fmt = f.concern[value] if col == concern_col else formats[col]
                if write(row, col, value, fmt) == -2:  # inputs over the limit were rejected
                    raise AssertionError(f"text of {len(value)} characters at row {row + 1}")
        if lines[i] > 1:
            sheet.set_row(row, row_height(int(lines[i])))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(long), len(LONG_COLUMNS) - 1)
    sheet.set_landscape()
    sheet.set_paper(8)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_footer("&CPage &P of &N")


def _write_summary(book, f: Formats, data: MatrixData) -> None:
    sheet = book.add_worksheet("Summary")
    long, regions = data.proposals, data.regions
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 5, 15)

    def table(top: int, title: str, column: str, values: tuple[str, ...], labels) -> int:
        write_text(sheet, top, 0, title, f.section)
        header = top + 1
        for col, name in enumerate(["Regional group", *labels, "Total"]):
            write_text(sheet, header, col, name, f.header)
        counts = pd.crosstab(long["Region"], long[column]).reindex(
            index=regions, columns=list(values), fill_value=0
        )
        for i, region in enumerate(regions):
            write_text(sheet, header + 1 + i, 0, region, f.key)
            for j, value in enumerate(values):
                sheet.write_number(header + 1 + i, 1 + j, int(counts.at[region, value]), f.number)
            sheet.write_number(
                header + 1 + i, 1 + len(values), int(counts.loc[region].sum()), f.total
            )
        total_row = header + 1 + len(regions)
        write_text(sheet, total_row, 0, "All regional groups", f.key)
        for j, value in enumerate(values):
            sheet.write_number(total_row, 1 + j, int(counts[value].sum()), f.total)
        sheet.write_number(total_row, 1 + len(values), int(counts.to_numpy().sum()), f.total)
        return header

    table(0, "Proposals by regional group and action", "Action", ACTIONS, ACTIONS)
    concern_order = tuple(reversed(CONCERNS))  # High first, as the matrix is read
    top = len(regions) + 4
    header = table(
        top,
        "Proposals by regional group and concern",
        "Concern",
        concern_order,
        [CONCERN_WORDS[c] for c in concern_order],
    )

    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    first, last = header + 1, header + len(regions)
    for j, concern in enumerate(concern_order):
        chart.add_series(
            {
                "name": ["Summary", header, 1 + j],
                "categories": ["Summary", first, 0, last, 0],
                "values": ["Summary", first, 1 + j, last, 1 + j],
                "fill": {"color": FILLS[concern]},
                "border": {"color": "#595959"},
            }
        )
    chart.set_title({"name": "Proposals by regional group and concern"})
    chart.set_y_axis({"name": "Proposals", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 360})
    sheet.insert_chart(0, 7, chart)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)


def _write_legend(book, f: Formats, data: MatrixData) -> None:
    sheet = book.add_worksheet("Legend")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 100)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    row = 0

    def section(title: str, items) -> None:
        nonlocal row
        write_text(sheet, row, 0, title, f.section)
        row += 1
        for label, meaning, fmt in items:
            write_text(sheet, row, 0, label, fmt or f.key)
            write_text(sheet, row, 1, meaning, f.cell)
            sheet.set_row(row, row_height(wrapped_lines(meaning, 100)))
            row += 1
        row += 1

    section(
        "Colours (concern for the open Internet)",
        [
            (
                "High concern",
                "The proposal could extend ITU-T's mandate into areas handled by open, "
                "multistakeholder bodies (IETF, ICANN, the RIRs) or otherwise harm the open "
                "Internet.",
                f.concern["High"],
            ),
            (
                "Medium concern",
                "Wording that could be read expansively; worth watching and engaging on.",
                f.concern["Medium"],
            ),
            ("Low concern", "A small effect on the open Internet.", f.concern["Low"]),
            (
                "No concern",
                "No effect on the open Internet (an empty Concern for NOC means this).",
                f.concern["None"],
            ),
            (
                "(empty, no colour)",
                "The regional group made no proposal on this resolution.",
                f.cell,
            ),
            (
                "Changed since ...",
                "A thick black frame, and a first line 'Changed since v6 (date)': the cell's "
                "content changed since the version the matrix was compared with (see the "
                "Changes sheet).",
                f.changed_empty,
            ),
        ],
    )
    section(
        "Actions",
        [
            ("ADD", "Add a draft new resolution (keys starting NEW-).", None),
            ("MOD", "Modify an existing resolution.", None),
            ("SUP", "Suppress (delete) an existing resolution.", None),
            ("NOC", "No change: keep the resolution as it is.", None),
        ],
    )
    section(
        "Matrix columns",
        [
            (
                "Resolution",
                "Res. N for a resolution in force; NEW-... for a draft new resolution.",
                None,
            ),
            ("Title", "The resolution's title, from the catalogue (resolutions.xlsx).", None),
            ("Topic", "The subject area, from the catalogue.", None),
            ("Priority", "How closely the team follows the resolution (High, Medium, Low).", None),
            (
                ", ".join(data.regions) or "Regions",
                "One column per regional group: the action, the "
                "concern, the summary and the ITU document of each proposal; several proposals are "
                "separated by a blank line and the cell takes the colour of the highest concern.",
                None,
            ),
            (OVERALL, "The highest concern of any proposal on the resolution.", None),
            (ANALYSIS, "The team's analysis of the areas of concern, from the catalogue.", None),
        ],
    )
    section(
        "Other sheets",
        [
            (
                "Changes",
                "Every proposal added, changed or removed since the latest release (or the "
                "matrix given with --since), field by field, and the overall concern of each "
                "resolution before and after.",
                None,
            ),
            (
                "Proposals",
                "Every proposal on its own row with its full text and the workbook row it "
                "came from; filter it by region, action or concern.",
                None,
            ),
            (
                "Summary",
                "Counts of proposals by regional group, action and concern, with a chart.",
                None,
            ),
        ],
    )
