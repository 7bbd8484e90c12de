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

import pandas as pd
import xlsxwriter

from .changes import Changes
from .changes_sheet import write_changes
from .config import Config, Publishing
from .files import Staged
from .frames import KEY, TITLE
from .legend_sheet import sheet_meanings, write_legend
from .matrix_sheet import write_matrix
from .outcomes_sheet import outcomes_line, write_outcomes
from .printing import Page, setup
from .progress import quiet
from .proposals_sheet import write_proposals
from .stamps import AUTHOR, CONFERENCE_PROPERTY, DATE_PROPERTY, RELEASE_PROPERTY, WORKBOOK_OPTIONS
from .styles import Formats, row_height, write_text
from .summary_sheet import write_summary
from .textwidth import wrapped_lines
from .vocab import Group, actions_in_short, colours_in_short

ABOUT_WIDTHS = (16, 100)

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
    write_matrix(book, formats, data)
    titles = dict(zip(data.matrix[KEY], data.matrix[TITLE], strict=True))
    write_changes(book, formats, data.changes, titles, data.page, public=data.public is not None)
    if data.public is None:  # notes and sources stay with the team
        say(f"laying out the Proposals sheet ({len(data.long):,} rows)")
        write_proposals(book, formats, data)
    write_summary(book, formats, data)
    if data.outcomes is not None:
        write_outcomes(book, formats, data)
    write_legend(book, formats, data)
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
    framed = (
        "; changed cells have a thick black frame" if changes.cells or changes.outcome_cells else ""
    )
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
    if config.described:  # the full name, place and dates, where matrix.toml gives them
        line(config.described, f.subtitle)
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
    for name, meaning in sheet_meanings(data):
        sheet.write_url(row, 0, f"internal:'{name}'!A1", f.link, name)
        write_text(sheet, row, 1, meaning, f.long_cell)
        sheet.set_row(row, row_height(wrapped_lines(meaning, text_width)))
        row += 1
    setup(sheet, data.page, list(ABOUT_WIDTHS))
    sheet.activate()
