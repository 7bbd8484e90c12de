"""What changed since the version compared with, as the editions show it: the values in the
vocabulary's words (``Modified``, ``Not applicable``, ``High concern``), not its codes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..versions.changes import CHANGED, Changes, no_changes
from ..words.frames import (
    ACTION,
    ADOPTED_AS,
    ASSESSMENT,
    CHANGE,
    CHANGED_FIELDS,
    CHANGES,
    CONCERN,
    DECIDED,
    KEY,
    OUTCOME,
    PUBLIC_FIELDS,
    RESOLUTION,
    SUBMITTER,
    SUMMARY,
    TITLE,
    after,
    before,
)
from ..words.vocab import Assessment, Concern, Outcome
from . import phrases

#: Who an outcome's change is about, in a list of changes that names a submitter for the rest.
OUTCOME_WHO = "Outcome"
#: The columns of the changes an edition shows: the team's all of them; a public one no notes,
#: no sources, no Public flags.
TEAM_COLUMNS = tuple(c for c in CHANGES.columns if c != KEY)
PUBLIC_COLUMNS = tuple(
    c
    for c in TEAM_COLUMNS
    if c in (CHANGE, RESOLUTION, SUBMITTER, CHANGED_FIELDS) or c.rsplit(" ", 1)[0] in PUBLIC_FIELDS
)


@dataclass(frozen=True)
class ChangeLine:
    """One change, in words, for a list of them (the web page's)."""

    kind: str  # changes.ADDED, CHANGED or REMOVED
    key: str
    resolution: str
    who: str  # the submitter's code, or "Outcome"
    fields: str  # what changed: "Summary, Concern", "the whole proposal"
    before: str
    after: str


@dataclass(frozen=True)
class ChangeList:
    """What changed since the version compared with."""

    since: str | None  # "v2 (2024-10-01)"; None: there is no earlier version
    summary: str  # "Changes since v2 (2024-10-01): 1 added, ..."; "" with no earlier version
    title: str  # the list's title
    heading: str  # the Changes sheet's first line: the summary, or that this is the first
    explanation: str  # how to read the list, or what a later version will list
    proposals: pd.DataFrame  # frames.CHANGES, in words
    overall: pd.DataFrame  # frames.CHANGED_RESOLUTIONS (codes, for the colours), and the Title
    outcomes: pd.DataFrame  # frames.OUTCOME_CHANGES, in words
    columns: tuple[str, ...]  # the columns of `proposals` the edition shows
    lines: tuple[ChangeLine, ...]


def change_list(
    changes: Changes | None,
    titles: dict[str, str],
    *,
    columns: tuple[str, ...],
    first_title: str,
    first_heading: str,
    first: str,
) -> ChangeList:
    """The changes in words; `titles` by key, for the overall concern's table. Where there is
    no earlier version, the list is titled `first_title` and the sheet says `first_heading`
    and `first`."""
    if changes is None:
        empty = no_changes()
        return ChangeList(
            None,
            "",
            first_title,
            first_heading,
            first,
            empty.rows,
            empty.resolutions,
            empty.outcomes,
            columns,
            (),
        )
    proposals = _proposals_in_words(changes.rows)
    outcomes = _outcomes_in_words(changes.outcomes)
    overall = changes.resolutions.assign(**{TITLE: changes.resolutions[KEY].map(titles)})
    lines = []
    for rec in proposals.to_dict("records"):
        fields = rec[CHANGED_FIELDS].split(", ") if rec[CHANGE] == CHANGED else [ACTION, SUMMARY]
        lines.append(_line(rec, rec[SUBMITTER], fields, "the whole proposal"))
    for rec in outcomes.to_dict("records"):
        fields = rec[CHANGED_FIELDS].split(", ") if rec[CHANGE] == CHANGED else []
        fields = [f for f in fields if f != DECIDED] or [OUTCOME, ASSESSMENT]
        lines.append(_line(rec, OUTCOME_WHO, fields, "the whole outcome"))
    return ChangeList(
        changes.since,
        changes.summary,
        f"Changes since {changes.since}",
        changes.summary,
        phrases.CHANGES_EXPLANATION.format(since=changes.since),
        proposals,
        overall,
        outcomes,
        columns,
        tuple(lines),
    )


def _line(rec: dict, who: str, fields: list[str], whole: str) -> ChangeLine:
    return ChangeLine(
        rec[CHANGE],
        rec[KEY],
        rec[RESOLUTION],
        who,
        rec[CHANGED_FIELDS] or whole,
        "; ".join(f"{f}: {rec[before(f)]}" for f in fields if rec[before(f)]),
        "; ".join(f"{f}: {rec[after(f)]}" for f in fields if rec[after(f)]),
    )


def _proposals_in_words(rows: pd.DataFrame) -> pd.DataFrame:
    words = {c.code: c.words for c in Concern}
    return rows.assign(
        **{
            side(CONCERN): rows[side(CONCERN)].map(lambda v: words.get(v, v))
            for side in (before, after)
        }
    )


def _outcomes_in_words(rows: pd.DataFrame) -> pd.DataFrame:
    """``Adopted as Res. 101`` for ADOPTED, ``Not applicable`` for n/a."""
    outcomes = {o.code: o for o in Outcome}
    assessed = {a.code: a.words for a in Assessment}
    found = {}
    for side in (before, after):
        found[side(OUTCOME)] = [
            outcomes[code].words(target) if code in outcomes else code
            for code, target in zip(rows[side(OUTCOME)], rows[side(ADOPTED_AS)], strict=True)
        ]
        found[side(ASSESSMENT)] = rows[side(ASSESSMENT)].map(lambda v: assessed.get(v, v))
    return rows.assign(**found)
