"""Write the Issues Matrix workbook with xlsxwriter: About, Matrix, Changes, Proposals, Summary
and Legend sheets.

Every text goes through `write_string` (or `write_rich_string`), so a summary that starts with
`=` stays text. The file is built under a temporary name beside the target and renamed into
place only when complete. Nothing in the workbook speaks of the tool: it is read by colleagues
who never run it.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xlsxwriter

from .changes import Changes
from .changes_sheet import write_changes
from .config import Config, Publishing
from .files import Staged
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
from .merge import NOT_PUBLIC, SEPARATOR, cell_parts
from .outcomes import shown_key
from .outcomes_sheet import OUTCOMES_SHEET, legend_sections, outcomes_line, write_outcomes
from .printing import Page, setup
from .progress import quiet
from .proposals_sheet import write_proposals
from .stamps import AUTHOR, CONFERENCE_PROPERTY, DATE_PROPERTY, RELEASE_PROPERTY, WORKBOOK_OPTIONS
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
from .summary_sheet import SUMMARY_SHEET, write_summary
from .textwidth import cut, excel_length, width_for, wrapped_lines
from .vocab import (
    PRIORITY_CODES,
    Action,
    Assessment,
    Concern,
    Group,
    Public,
    actions_in_short,
    colours_in_short,
    listed,
)

# Chosen so that the shipped matrix prints two pages wide on A3 at 8 pt and on A4 at 7 pt.
WIDTHS = {TITLE: 30, TOPIC: 14, ANALYSIS: 40}
REGION_WIDTH = 33
MATRIX_FIXED = (RESOLUTION, TITLE, TOPIC, PRIORITY)
NOT_PUBLIC_RESOLUTION = "(not public: this resolution is in no public edition)"
_WORDS = {c.code: c.words for c in Concern}
ABOUT_WIDTHS = (16, 100)
MOST_LINES = 27  # Excel's tallest row, 409 points, holds 27 lines

HOW_TO_READ = (
    "One row per resolution, one column per regional group. Each cell gives the region's "
    f"action ({actions_in_short()}) and its concern for the open Internet in bold, then a "
    f"summary and the ITU document. Colour shows the concern: {colours_in_short()}; an empty "
    "cell means the region made no proposal."
)
HOW_TO_READ_TEXT = (
    f"{HOW_TO_READ} Every proposal with its source is on the Proposals sheet; the Legend sheet "
    "explains the colours and columns."
)
HOW_TO_READ_PUBLIC = f"{HOW_TO_READ} The Legend sheet explains the colours and columns."
MEMBERS_TO_READ = (
    " Member states that table proposals of their own have a column each, after the regional "
    "groups; a row of headings says which columns are which."
)
FIRST_VERSION = (
    "This is the first version of the matrix: there is no earlier version to compare it with."
)
FIRST_PUBLISHED = "This is the first published version of the matrix."


@dataclass(frozen=True)
class Edition:
    """A public edition of a release: what it says of itself."""

    release: int
    as_of: dt.date  # the release's date
    publishing: Publishing
    since: str | None = None  # the earlier published version its changes are counted from

    @property
    def words(self) -> str:
        return f"Version {self.release} · as of {day(self.as_of)}"


@dataclass(frozen=True)
class MatrixData:
    """What the workbook shows: the merged matrix and the long table, with their context."""

    config: Config
    regions: list[str]
    matrix: pd.DataFrame
    long: pd.DataFrame  # merge.long_table: a row per proposal
    generated: dt.datetime
    changes: Changes | None = None  # against an earlier version; None: this is the first
    release: int | None = None  # the version number, when this matrix is a release
    public: Edition | None = None  # a public edition: nothing internal, and says so
    outcomes: pd.DataFrame | None = None  # outcomes.decided, once the assembly has decided
    members: tuple[str, ...] = ()  # those of `regions` that are member states, not groups

    @property
    def edition(self) -> str:
        """Which version this is, for the footer of every page."""
        if self.public is not None:
            return self.public.words
        when = day(self.generated)
        return (
            f"Release v{self.release} · {when}" if self.release is not None else f"Draft · {when}"
        )

    @property
    def groups(self) -> list[tuple[Group, list[str]]]:
        """The submitter columns by group: the regional groups', then the member states'."""
        members = [r for r in self.regions if r in self.members]
        regions = [r for r in self.regions if r not in self.members]
        return [(Group.REGION, regions), *([(Group.MEMBER, members)] if members else [])]

    @property
    def counts(self) -> str:
        """``41 resolutions, 6 regional groups, 2 member states, 90 proposals.``"""
        groups = ", ".join(group.count(len(codes)) for group, codes in self.groups)
        return f"{len(self.matrix)} resolutions, {groups}, {len(self.long)} proposals."

    @property
    def page(self) -> Page:
        config = self.config
        return Page(config.matrix_title, self.edition, config.notice, config.paper)

    @property
    def analysis(self) -> bool:
        """Whether the ISOC analysis column is shown (always, but in a public edition that
        does not publish it)."""
        return self.public is None or self.public.publishing.analysis


def day(moment: dt.date) -> str:
    return moment.strftime("%d %B %Y").lstrip("0")


def render_into(
    stage: Staged, data: MatrixData, timings: dict | None = None, say: Callable = quiet
) -> None:
    """Write the matrix into a staged file (it takes its place on `stage.commit()`).

    `timings`, if given, receives the seconds spent laying out the sheets ("render") and
    writing the file ("write").
    """
    timings = {} if timings is None else timings
    start = time.perf_counter()
    stage.write_bytes(workbook_bytes(data, timings, say))
    timings["write"] = time.perf_counter() - start - timings.get("render", 0.0)


def workbook_bytes(data: MatrixData, timings: dict | None = None, say=quiet) -> bytes:
    """The whole workbook, made in memory: nothing is on disk until it is complete."""
    buffer = io.BytesIO()
    _build(buffer, data, timings, say)
    return buffer.getvalue()


def _build(target, data: MatrixData, timings: dict | None = None, say=quiet) -> None:
    start = time.perf_counter()
    book = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    author = AUTHOR
    if data.public is not None and data.public.publishing.organisation:
        author = data.public.publishing.organisation
    book.set_properties(
        {
            "title": data.config.matrix_title,
            "subject": f"Proposals to {data.config.conference}",
            "author": author,
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
    _write_about(book, formats, data)
    say("laying out the Matrix sheet")
    _write_matrix(book, formats, data)
    titles = dict(zip(data.matrix[KEY], data.matrix[TITLE], strict=True))
    write_changes(book, formats, data.changes, titles, data.page, public=data.public is not None)
    if data.public is None:  # notes and sources stay with the team
        say(f"laying out the Proposals sheet ({len(data.long):,} rows)")
        write_proposals(book, formats, data)
    write_summary(book, formats, data)
    if data.outcomes is not None:
        write_outcomes(book, formats, data)
    _write_legend(book, formats, data)
    if timings is not None:
        timings["render"] = time.perf_counter() - start
    say("saving the workbook")
    book.close()  # xlsxwriter writes the file's XML here


def publisher_lines(publishing: Publishing) -> list[str]:
    """Who publishes a public edition, under which licence, where."""
    lines = []
    if publishing.organisation:
        lines.append(f"Published by {publishing.organisation}.")
    if publishing.licence:
        lines.append(f"Licence: {publishing.licence}.")
    if publishing.url:
        lines.append(f"Online: {publishing.url}")
    return lines


def changes_line(changes: Changes | None, public: bool = False) -> str:
    """The title block's line on what changed, in words a reader of the file can act on."""
    if changes is None:
        return FIRST_PUBLISHED if public else FIRST_VERSION
    if changes.empty:
        return f"{changes.summary}."
    framed = "; changed cells have a thick black frame" if changes.cells else ""
    return f"{changes.summary}{framed}. The Changes sheet lists every change."


def _write_about(book, f: Formats, data: MatrixData) -> None:
    """The title block: what this workbook is, which version, how to read it."""
    sheet = book.add_worksheet("About")
    config, matrix = data.config, data.matrix
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

    line(config.matrix_title, f.title)
    if data.public is None:
        stamp = data.generated.strftime("%d %B %Y, %H:%M UTC").lstrip("0")
        version = f"release v{data.release}" if data.release is not None else "draft"
        line(f"{config.conference} · {version} · generated {stamp}", f.subtitle)
    else:
        line(f"{config.conference} · {data.public.words.lower()}", f.subtitle)
        for text in publisher_lines(data.public.publishing):
            line(text, f.subtitle)
    if config.notice:
        line(config.notice, f.notice, sum(ABOUT_WIDTHS))
    line(data.counts, f.subtitle)
    if data.outcomes is not None:
        as_of = data.public.as_of if data.public is not None else data.generated
        line(
            outcomes_line(data.outcomes, len(matrix), day(as_of)),
            f.changes_line,
            sum(ABOUT_WIDTHS),
        )
    line(changes_line(data.changes, data.public is not None), f.changes_line, sum(ABOUT_WIDTHS))
    row += 1
    line("How to read the matrix", f.section)
    how = HOW_TO_READ_TEXT if data.public is None else HOW_TO_READ_PUBLIC
    if data.members:
        how += MEMBERS_TO_READ
    line(how, f.how_to_read, sum(ABOUT_WIDTHS))
    row += 1
    line("The sheets", f.section)
    for name, meaning in _sheet_meanings(data):
        sheet.write_url(row, 0, f"internal:'{name}'!A1", f.link, name)
        write_text(sheet, row, 1, meaning, f.long_cell)
        sheet.set_row(row, row_height(wrapped_lines(meaning, text_width)))
        row += 1
    setup(sheet, data.page, list(ABOUT_WIDTHS))
    sheet.activate()


def _sheet_meanings(data: MatrixData) -> list[tuple[str, str]]:
    changes = (
        "Nothing yet: this is the first version."
        if data.changes is None
        else f"Every proposal added, changed or removed since {data.changes.since}, field by "
        "field, and the overall concern of each resolution before and after."
    )
    if data.public is not None and data.changes is None:
        changes = "Nothing yet: this is the first published version."
    proposals = (
        "Proposals",
        "Every proposal on its own row, with its full text, the team's notes and the "
        "workbook row it came from; filter it by region, action or concern.",
    )
    return [
        (
            "Matrix",
            "The matrix: one row per resolution, one column per regional group"
            + (" and per member state." if data.members else "."),
        ),
        ("Changes", changes),
        *([proposals] if data.public is None else []),
        (SUMMARY_SHEET, "Counts of proposals by regional group, action and concern, with a chart."),
        *(
            [
                (
                    OUTCOMES_SHEET,
                    "What the assembly decided: which concerns were resolved, the "
                    "results of each group's proposals, with a chart, and the High concerns not "
                    "resolved.",
                )
            ]
            if data.outcomes is not None
            else []
        ),
        ("Legend", "What each colour, action, mark and column means."),
    ]


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


def _write_rich(sheet, row: int, col: int, fragments: list[tuple], fmt, f: Formats, props) -> None:
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


def matrix_widths(data: MatrixData) -> list[float]:
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


def matrix_columns(data: MatrixData) -> list[str]:
    decided = [OUTCOME, ASSESSMENT] if data.outcomes is not None else []
    return [*MATRIX_FIXED, *data.regions, OVERALL, *decided, *([ANALYSIS] if data.analysis else [])]


def _write_matrix(book, f: Formats, data: MatrixData) -> None:
    sheet = book.add_worksheet("Matrix", worksheet_class=RichTextSheet)
    regions, matrix = data.regions, data.matrix
    columns = matrix_columns(data)
    widths = matrix_widths(data)
    last_col = len(columns) - 1

    # With member states, a first header row names the groups over their columns.
    top = 1 if data.members else 0
    if top:
        for col in range(len(columns)):
            sheet.write_blank(0, col, None, f.header)
        first = len(MATRIX_FIXED)
        for group, codes in data.groups:
            if len(codes) > 1:
                sheet.merge_range(0, first, 0, first + len(codes) - 1, group.plural, f.header)
            elif codes:
                write_text(sheet, 0, first, group.plural, f.header)
            first += len(codes)
    header_lines = 1
    for col, (name, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, top, col, name, f.header)
        header_lines = max(header_lines, wrapped_lines(name, width, bold=True))
    sheet.set_row(top, row_height(header_lines) + 4)

    changes = data.changes
    changed_cells, since = (frozenset(), "") if changes is None else (changes.cells, changes.since)
    cells = _cell_proposals(data.long)
    counted = cell_lines(data.long, REGION_WIDTH)
    rows_of = _proposal_rows(data.long)
    first_region_col = len(MATRIX_FIXED)
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
        for j, region in enumerate(regions):
            col = first_region_col + j
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
            _write_rich(sheet, row, col, fragments, fmt, f, props)
            cell = counted.get((rec[KEY], region), 0)
            if mark:
                cell += wrapped_lines(mark, widths[col]) - (0 if cell else 1)
            lines = max(lines, cell)
        overall = rec[OVERALL]
        col = first_region_col + len(regions)
        if overall:
            write_text(sheet, row, col, _WORDS[overall], f.overall[overall])
        else:
            write_text(sheet, row, col, "No proposals", f.overall_none)
        if data.outcomes is not None:
            col += 1
            lines = max(lines, _write_outcome(sheet, row, col, outcomes.get(rec[KEY]), widths, f))
            col += 1
        if data.analysis:
            write_text(sheet, row, col + 1, rec[ANALYSIS], f.cell)
            lines = max(lines, wrapped_lines(rec[ANALYSIS], widths[col + 1]))
        sheet.set_row(row, row_height(lines))

    sheet.freeze_panes(top + 1, 1)
    sheet.autofilter(top, 0, top + len(matrix), last_col)
    setup(sheet, data.page, widths, repeat_columns=2, header_row=top, landscape=True, header_from=0)


def _write_outcome(sheet, row: int, col: int, outcome: dict | None, widths, f: Formats) -> int:
    """The Outcome cell (the decision in bold, then what was decided and the document) and the
    Assessment cell (in words, in its colour); the lines the Outcome cell wraps to."""
    if outcome is None:
        sheet.write_blank(row, col, None, f.cell)
        sheet.write_blank(row, col + 1, None, f.cell)
        return 1
    rest = "".join(f"\n{outcome[name]}" for name in (SUMMARY, DOCUMENT) if outcome[name])
    fragments = [(f.head, outcome[DECIDED]), *([(None, rest)] if rest else [])]
    _write_rich(sheet, row, col, fragments, f.cell, f, CELL)
    assessment = next(a for a in Assessment if a.code == outcome[ASSESSMENT])
    write_text(sheet, row, col + 1, assessment.words, f.assessment[assessment.code])
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


def _write_legend(book, f: Formats, data: MatrixData) -> None:
    sheet = book.add_worksheet("Legend")
    widths = [24, 100]
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    row = 0

    def section(title: str, items) -> None:
        nonlocal row
        write_text(sheet, row, 0, title, f.section)
        row += 1
        for label, meaning, fmt in items:
            write_text(sheet, row, 0, label, fmt or f.key)
            write_text(sheet, row, 1, meaning, f.cell)
            sheet.set_row(
                row,
                row_height(
                    max(wrapped_lines(meaning, widths[1]), wrapped_lines(label, widths[0], True))
                ),
            )
            row += 1
        row += 1

    section(
        "Colours (concern for the open Internet)",
        [
            *((c.words, c.meaning, f.concern[c.code]) for c in Concern.highest_first()),
            (
                "(empty, no colour)",
                "The regional group made no proposal on this resolution.",
                f.cell,
            ),
            (
                "Changed since ...",
                "A thick black frame, and a first line 'Changed since v6 (date)': the cell's "
                "content changed since the earlier version named on the About sheet. The "
                "Changes sheet lists each change.",
                f.changed_empty,
            ),
            *(
                []
                if data.public is not None
                else [
                    (
                        NOT_PUBLIC.strip(" ·"),
                        f"At the end of a proposal's first line ('MOD · High concern{NOT_PUBLIC}')"
                        ": the proposal stays with the team (its Public cell says "
                        f"{Public.NO.code}) and is in no public edition. A resolution marked so "
                        "under its title is in no public edition at all.",
                        None,
                    )
                ]
            ),
        ],
    )
    section("Actions", [(a.code, a.meaning, None) for a in Action])
    section(
        "Matrix columns",
        [
            (
                RESOLUTION,
                "Res. N for a resolution in force; NEW-... for a draft new resolution.",
                None,
            ),
            (TITLE, "The resolution's title.", None),
            (TOPIC, "The subject area.", None),
            (
                PRIORITY,
                f"How closely the team follows the resolution ({listed(PRIORITY_CODES)}).",
                None,
            ),
            (
                ", ".join(data.regions) or "Regions",
                "One column per regional group. Each proposal starts with a bold line, its "
                "action and concern, followed by its summary and ITU document (then, if "
                "given, the countries that co-signed it, and its result once the assembly has "
                "decided); several "
                "proposals are separated by a blank line and the cell takes the colour of the "
                "highest concern.",
                None,
            ),
            (OVERALL, "The highest concern of any proposal on the resolution.", None),
            *legend_sections(f, data.outcomes is not None)["columns"],
            *([(ANALYSIS, "The team's analysis of the areas of concern.", None)] * data.analysis),
        ],
    )
    for title, items in legend_sections(f, data.outcomes is not None)["sections"]:
        section(title, items)
    section("Other sheets", [(name, meaning, None) for name, meaning in _sheet_meanings(data)])
    setup(sheet, data.page, widths)
