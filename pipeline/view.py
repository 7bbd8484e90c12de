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

from . import phrases
from .change_list import PUBLIC_COLUMNS, TEAM_COLUMNS, ChangeList, change_list
from .changes import Changes
from .config import Config, Publishing
from .frames import (
    ACTION,
    ANALYSIS,
    ASSESSMENT,
    CO_SIGNERS,
    CONCERN,
    DECIDED,
    DOCUMENT,
    KEY,
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
from .names import Named, named, table
from .outcomes import by_concern, by_region, high_not_resolved, shown_key
from .summary import Summary, summary
from .vocab import Assessment, Concern, Group, Public, Result, Wording


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
)


@dataclass(frozen=True)
class Submitter(Named):
    """A column of the matrix: a regional group or a member state."""

    group: Group = Group.REGION

    @property
    def heading(self) -> str:
        """The column heading: the code, and its name on a line below."""
        return f"{self.code}\n{self.name}" if self.name else self.code


@dataclass(frozen=True)
class Proposal:
    """One proposal as a cell shows it: a first line (``MOD · High concern``), then its lines."""

    submitter: Named
    action: str  # vocab.Action's code: ITU's change symbols are shown as they are
    concern: str  # vocab.Concern's code
    head: str  # "MOD · High concern", "· not public" after it for one that stays with the team
    summary: str
    document: str
    co_signers: tuple[Named, ...]
    result: str  # "Result: not accepted", or ""
    internal: bool

    @property
    def signed(self) -> str:
        return phrases.co_signed([n.shown for n in self.co_signers])

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines under the first: the summary, the document, the co-signers, the result."""
        return tuple(t for t in (self.summary, self.document, self.signed, self.result) if t)


@dataclass(frozen=True)
class Cell:
    """One submitter's proposals on one resolution."""

    submitter: Named
    concern: str  # the highest of its proposals' concerns; "" for no proposal
    proposals: tuple[Proposal, ...]
    changed: str  # "Changed since v2 (2024-10-01)" where its content changed; else ""
    shortened: str  # how a cell too long for Excel ends: where its full text is


@dataclass(frozen=True)
class Decision:
    """What the assembly decided on a resolution, and whether its concern was resolved."""

    decided: str  # "Adopted as Res. 101", "Modified"
    summary: str
    document: str
    assessment: str  # vocab.Assessment's code
    assessment_words: str


@dataclass(frozen=True)
class Row:
    key: str
    resolution: str  # "Res. 64", "NEW-AI"
    shown_key: str  # "NEW-AI → Res. 101" once the draft was adopted
    title: str
    topic: str
    priority: str
    internal: bool  # the whole resolution stays with the team
    overall: str  # the highest concern of its proposals (a code), or ""
    overall_words: str  # "High concern", "No proposals"
    decision: Decision | None
    analysis: str
    cells: tuple[Cell, ...]


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

    @property
    def public(self) -> bool:
        return self.audience.public


@dataclass(frozen=True)
class OutcomeCounts:
    """The Outcomes sheet's tables (outcomes.py's counts)."""

    high_not_resolved: pd.DataFrame  # key, shown key, Title, Decided, Assessment, Summary
    by_concern: pd.DataFrame
    by_region: pd.DataFrame


SHOWN_KEY = "shown key"


def matrix_view(
    *,
    config: Config,
    regions: list[str],
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
        for code in regions
    )
    groups = tuple(
        (group, codes)
        for group in Group
        if (codes := tuple(s.code for s in submitters if s.group is group))
    )
    rows = _rows(matrix, long, submitters, names, changes, outcomes, audience)
    signed = (n for r in rows for c in r.cells for p in c.proposals for n in p.co_signers)
    co_signers = {n.code: n for n in signed}
    known = [*submitters, *(co_signers[c] for c in sorted(co_signers) if c not in regions)]
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
        rows=rows,
        analysis=analysis,
        decided=outcomes is not None,
        counts=counts,
        outcomes_line=""
        if outcomes is None
        else phrases.outcomes_line(len(outcomes), len(matrix), phrases.day(as_of)),
        changes_line=phrases.changes_line(
            None if changes is None else changes.summary,
            changes is not None and changes.empty,
            changes is not None and bool(changes.cells),
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
        summary=summary(rows, submitters, counts, long, outcomes is not None),
        outcome_counts=_outcome_counts(matrix, long, outcomes, regions),
        proposals=long,
    )


def _rows(
    matrix: pd.DataFrame,
    long: pd.DataFrame,
    submitters: tuple[Submitter, ...],
    names: dict[str, str],
    changes: Changes | None,
    outcomes: pd.DataFrame | None,
    audience: Audience,
) -> tuple[Row, ...]:
    cells = _proposals(long, names)
    spans = _spans(long)
    changed = changes.cells if changes is not None else frozenset()
    decisions = {} if outcomes is None else outcomes.set_index(KEY).to_dict("index")
    assessed = {a.code: a.words for a in Assessment}
    by_code = {s.code: Named(s.code, s.name) for s in submitters}
    rows = []
    for rec in matrix.to_dict("records"):
        key = rec[KEY]
        row_cells = []
        for submitter in submitters:
            code = submitter.code
            proposals = cells.get((key, code), ())
            mark = ""
            if (key, code) in changed:
                mark = phrases.changed_since(changes.since, gone=not proposals)
            shortened = ""
            if proposals:
                first, last = spans[(key, code)]
                where = audience.full_text.format(rows=f"{first}-{last}")
                shortened = phrases.shortened(code, rec[RESOLUTION], where)
            row_cells.append(
                Cell(by_code[code], rec[region_concern(code)], proposals, mark, shortened)
            )
        decided = decisions.get(key)
        decision = None
        if decided is not None:
            decision = Decision(
                decided[DECIDED],
                decided[SUMMARY],
                decided[DOCUMENT],
                decided[ASSESSMENT],
                assessed.get(decided[ASSESSMENT], ""),
            )
        rows.append(
            Row(
                key=key,
                resolution=rec[RESOLUTION],
                shown_key=shown_key(key, outcomes),
                title=rec[TITLE] or "",
                topic=rec[TOPIC] or "",
                priority=rec[PRIORITY] or "",
                internal=rec[PUBLIC] == Public.NO.code,
                overall=rec[OVERALL],
                overall_words=phrases.concern_words(rec[OVERALL]),
                decision=decision,
                analysis=rec[ANALYSIS],
                cells=tuple(row_cells),
            )
        )
    return tuple(rows)


def _proposals(long: pd.DataFrame, names: dict[str, str]) -> dict[tuple[str, str], tuple]:
    """(key, submitter) -> its proposals, in the long table's order."""
    concern_words = {c.code: c.words for c in Concern}
    results = {r.code: r.words for r in Result}
    known: dict[str, Named] = {}

    def name(code: str) -> Named:
        if code not in known:
            known[code] = named(code, names)
        return known[code]

    cells: dict[tuple[str, str], list[Proposal]] = {}
    columns = [long[c].tolist() for c in (KEY, REGION, ACTION, CONCERN, SUMMARY, DOCUMENT)]
    extra = [long[c].tolist() for c in (CO_SIGNERS, RESULT, PUBLIC)]
    for key, code, action, concern, text, document, signed, result, public in zip(
        *columns, *extra, strict=True
    ):
        internal = public == Public.NO.code
        head = f"{action} · {concern_words[concern]}" + (phrases.NOT_PUBLIC if internal else "")
        co_signers = tuple(name(c) for c in signed.split(", ")) if signed else ()
        cells.setdefault((key, code), []).append(
            Proposal(
                name(code),
                action,
                concern,
                head,
                text,
                document,
                co_signers,
                results.get(result, ""),
                internal,
            )
        )
    return {cell: tuple(found) for cell, found in cells.items()}


def _spans(long: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int]]:
    """(key, submitter) -> the first and last Excel row of its proposals on the Proposals
    sheet (under its header row: the long table's position + 2)."""
    spans: dict[tuple[str, str], tuple[int, int]] = {}
    for i, cell in enumerate(zip(long[KEY].tolist(), long[REGION].tolist(), strict=True)):
        first = spans.get(cell, (i + 2,))[0]
        spans[cell] = (first, i + 2)
    return spans


def _outcome_counts(
    matrix: pd.DataFrame, long: pd.DataFrame, outcomes: pd.DataFrame | None, regions: list[str]
) -> OutcomeCounts | None:
    if outcomes is None:
        return None
    open_high = high_not_resolved(matrix, outcomes)
    open_high.insert(1, SHOWN_KEY, [shown_key(k, outcomes) for k in open_high[KEY]])
    return OutcomeCounts(open_high, by_concern(matrix, long, outcomes), by_region(long, regions))


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
