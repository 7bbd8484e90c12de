"""One view of the matrix: everything an edition shows, built once from the configuration, the
merged frames, the outcomes, the changes and the edition (the team's, or a public one).

The workbook's sheets, the web page and the PDF only lay it out: each proposal's lines, each
phrase, each name beside its code and the summary up front are decided here, so the editions
cannot disagree. The choice between the team's edition and a public one is made here, once
(`Audience`): no writer asks which edition it is writing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..reading.documents import links
from ..reading.matrix_toml import MatrixOptions, Publishing
from ..versions.changes import Changes
from ..words.frames import DOCUMENT, KEY, TITLE
from ..words.names import Named, table
from ..words.vocab import Group, Wording
from . import phrases
from .change_list import PUBLIC_COLUMNS, TEAM_COLUMNS, ChangeList, change_list
from .outcomes import by_concern, by_submitter, high_not_resolved, shown_key
from .rows import Cell, Decision, Proposal, Row, Submitter, rows
from .summary import Summary, summary

__all__ = ["Cell", "Decision", "Edition", "MatrixView", "Proposal", "Row", "Submitter"]


@dataclass(frozen=True)
class Edition:
    """A public edition of a release: what it says of itself."""

    release: int
    as_of: dt.date  # the release's date
    publishing: Publishing
    since: str | None = None  # the earlier published version its changes are counted from

    @property
    def words(self) -> str:
        return f"Version {self.release} · as of {phrases.day(self.as_of)}"


@dataclass(frozen=True)
class Audience:
    """What differs between the team's edition and a public one."""

    public: bool
    how_to_read: str
    first_version: str  # the title block's line where there is no earlier version
    first_changes: str  # the Changes sheet's paragraph then
    full_text: str  # where a matrix cell shortened to fit Excel has its full text
    proposals_sheet: bool  # the team's notes and sources: never in a public edition
    change_columns: tuple[str, ...]  # the Changes sheet's columns: no notes or sources in public
    changes_title: str  # the list of changes' title where there is no earlier version
    first_heading: str  # the Changes sheet's first line then
    nothing_yet: str  # what the Changes sheet holds then, in a list of the sheets
    marks_internal: bool  # cells and titles may be marked not public: the Legend says what


TEAM_EDITION = Audience(
    public=False,
    how_to_read=phrases.HOW_TO_READ_TEAM,
    first_version=phrases.FIRST_VERSION,
    first_changes=phrases.FIRST_CHANGES,
    full_text="is on the Proposals sheet, rows {rows}",
    proposals_sheet=True,
    change_columns=TEAM_COLUMNS,
    changes_title=phrases.CHANGES_TITLE,
    first_heading=phrases.FIRST_HEADING,
    nothing_yet=phrases.NOTHING_YET,
    marks_internal=True,
)
PUBLIC_EDITION = Audience(
    public=True,
    how_to_read=phrases.HOW_TO_READ_PUBLIC,
    first_version=phrases.FIRST_PUBLISHED,
    first_changes=phrases.FIRST_PUBLISHED_CHANGES,
    full_text="is in the web page of this edition",
    proposals_sheet=False,
    change_columns=PUBLIC_COLUMNS,
    changes_title=phrases.CHANGES_TITLE_PUBLIC,
    first_heading=phrases.FIRST_PUBLISHED_HEADING,
    nothing_yet=phrases.NOTHING_PUBLISHED_YET,
    marks_internal=False,
)


@dataclass(frozen=True)
class MatrixView:
    title: str
    conference: str
    described: str  # "World Telecommunication Standardization Assembly (WTSA-24), New Delhi, ..."
    notice: str
    paper: str
    audience: Audience
    edition: str  # on every page: "Draft · 1 October 2024", "Version 3 · as of 14 October 2024"
    subtitle: str  # "WTSA-24 · release v3 · generated 14 October 2024, 09:00 UTC"
    publisher: tuple[str, ...]  # "Published by ...", "Licence: ...", "Online: ..."
    author: str  # who publishes it (a public edition), for its properties; "" for the team's
    licence: str
    url: str
    created: dt.datetime
    date: str  # the day it was made, ISO: for the workbook's properties
    as_of: str  # the day, in words
    release: int | None
    submitters: tuple[Submitter, ...]
    groups: tuple[tuple[Group, tuple[str, ...]], ...]  # the columns by group
    members: bool  # some columns are member states'
    names: tuple[Named, ...]  # every code a reader meets (columns, co-signers), named
    rows: tuple[Row, ...]
    analysis: bool  # the ISOC analysis column is shown
    decided: bool  # there are outcomes
    counts: str  # "41 resolutions, 6 regional groups, 2 member states, 93 proposals."
    outcomes_line: str
    changes_line: str
    how_to_read: str
    changed_mark: str  # what a changed cell's first line says in this edition
    wording: Wording  # the conference's words ("ITU-T's mandate", "the assembly")
    changes: ChangeList
    summary: Summary
    outcome_counts: OutcomeCounts | None
    proposals: pd.DataFrame  # frames.LONG: the Proposals sheet (the team's edition only)
    # Each document cite that links (matrix.toml's document_url) -> its web address; a cite
    # not here is plain text.
    links: dict[str, str]


@dataclass(frozen=True)
class OutcomeCounts:
    """The Outcomes sheet's tables (outcomes.py's counts)."""

    high_not_resolved: pd.DataFrame  # key, shown key, Title, Decided, Assessment, Summary
    by_concern: pd.DataFrame
    by_region: pd.DataFrame  # results by submitter, under the name the view's JSON has always had


SHOWN_KEY = "shown key"


def matrix_view(
    *,
    config: MatrixOptions,
    submitter_codes: list[str],
    members: tuple[str, ...],
    matrix: pd.DataFrame,
    long: pd.DataFrame,
    generated: dt.datetime,
    changes: Changes | None = None,
    release: int | None = None,
    edition: Edition | None = None,
    outcomes: pd.DataFrame | None = None,
) -> MatrixView:
    """The view of a matrix (frames.matrix_frame) and its long table (frames.LONG); a public
    one with `edition`."""
    if edition is None:  # the one choice between the team's edition and a public one
        audience, author, licence, url = TEAM_EDITION, "", "", ""
        as_of = generated.date()
        version = f"release v{release}" if release is not None else "draft"
        subtitle = f"{config.conference} · {version} · generated {phrases.day_and_time(generated)}"
        words = phrases.day(as_of)
        footer = f"Release v{release} · {words}" if release is not None else f"Draft · {words}"
        publisher, analysis = (), True
    else:
        publishing = edition.publishing
        audience, author = PUBLIC_EDITION, publishing.organisation
        licence, url = publishing.licence, publishing.url
        as_of, footer = edition.as_of, edition.words
        # Not edition.words.lower(): that made "as of 1 december 2026".
        subtitle = f"{config.conference} · version {edition.release} · as of {phrases.day(as_of)}"
        publisher = phrases.publisher_lines(
            publishing.organisation, publishing.licence, publishing.url
        )
        analysis = publishing.analysis

    names = table(config.names)
    submitters = tuple(
        Submitter(code, names.get(code, ""), Group.MEMBER if code in members else Group.REGION)
        for code in submitter_codes
    )
    groups = tuple(
        (group, codes)
        for group in Group
        if (codes := tuple(s.code for s in submitters if s.group is group))
    )
    found = rows(
        matrix,
        long,
        submitters,
        names,
        changes.cells if changes is not None else frozenset(),
        lambda gone: phrases.changed_since(changes.since, gone),
        audience.full_text,
        outcomes,
        changes.outcome_cells if changes is not None else frozenset(),
    )
    signed = (n for r in found for c in r.cells for p in c.proposals for n in p.co_signers)
    co_signers = {n.code: n for n in signed}
    known = [*submitters, *(co_signers[c] for c in sorted(co_signers) if c not in submitter_codes)]
    counted = ", ".join(group.count(len(codes)) for group, codes in groups)
    counts = f"{len(matrix)} resolutions, {counted}, {len(long)} proposals."
    since = changes.since if changes is not None else None
    titles = dict(zip(matrix[KEY], matrix[TITLE].fillna(""), strict=True))
    return MatrixView(
        title=config.matrix_title,
        conference=config.conference,
        described=config.described,
        notice=config.notice,
        paper=config.paper,
        audience=audience,
        edition=footer,
        subtitle=subtitle,
        publisher=publisher,
        author=author,
        licence=licence,
        url=url,
        created=generated.replace(tzinfo=None),
        date=generated.date().isoformat(),
        as_of=phrases.day(as_of),
        release=release,
        submitters=submitters,
        groups=groups,
        members=bool(members),
        names=tuple(Named(n.code, n.name) for n in known),
        rows=found,
        analysis=analysis,
        decided=outcomes is not None,
        counts=counts,
        outcomes_line=""
        if outcomes is None
        else phrases.outcomes_line(len(outcomes), len(matrix), phrases.day(as_of)),
        changes_line=phrases.changes_line(
            None if changes is None else changes.summary,
            changes is not None and changes.empty,
            changes is not None and bool(changes.cells or changes.outcome_cells),
            audience.first_version,
        ),
        how_to_read=audience.how_to_read + (phrases.MEMBERS_TO_READ if members else ""),
        changed_mark=phrases.changed_since(since or "..."),
        wording=config.wording,
        changes=change_list(
            changes,
            titles,
            columns=audience.change_columns,
            first_title=audience.changes_title,
            first_heading=audience.first_heading,
            first=audience.first_changes,
        ),
        summary=summary(found, submitters, counts, long, outcomes is not None),
        outcome_counts=_outcome_counts(matrix, long, outcomes, submitter_codes),
        proposals=long,
        links=_links(config, long, outcomes),
    )


def _links(
    config: MatrixOptions, long: pd.DataFrame, outcomes: pd.DataFrame | None
) -> dict[str, str]:
    if not config.document_url:
        return {}
    found = links(config.document_url)
    cites = [*long[DOCUMENT], *([] if outcomes is None else outcomes[DOCUMENT])]
    return {c: url for c in sorted(set(cites)) if c and (url := found.address(c))}


def _outcome_counts(
    matrix: pd.DataFrame, long: pd.DataFrame, outcomes: pd.DataFrame | None, codes: list[str]
) -> OutcomeCounts | None:
    if outcomes is None:
        return None
    open_high = high_not_resolved(matrix, outcomes)
    open_high.insert(1, SHOWN_KEY, [shown_key(k, outcomes) for k in open_high[KEY]])
    return OutcomeCounts(open_high, by_concern(matrix, long, outcomes), by_submitter(long, codes))


def plain(value):
    """The view as plain values (dicts, lists, strings, numbers), for JSON: its golden file."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return [{k: plain(v) for k, v in r.items()} for r in value.to_dict("records")]
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Group):
        return value.code
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # vocab.Wording and the like
