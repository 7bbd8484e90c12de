"""The summary every edition opens with: the counts; after the assembly, the two highest
concerns not resolved, first; and every resolution of the highest overall concern with who
proposed what on it, a sentence each. A reader who stops there knows what matters.

Built from the view's rows (view.py), so it says what the matrix under it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..words.frames import ACTION, CONCERN, SUBMITTER
from ..words.names import Named
from ..words.vocab import ACTION_CODES, Action, Assessment, Concern, Group
from . import phrases

if TYPE_CHECKING:  # only for the types: the view imports this module
    from .rows import Row, Submitter

#: How much of a proposal's summary a sentence quotes: the matrix under it has the rest.
SUMMARY_IN_SENTENCE = 200
#: The assessments that leave a concern open, most open first; then no outcome at all.
_OPEN = (Assessment.NOT_RESOLVED.code, Assessment.PARTLY.code, "")


def anchor(key: str) -> str:
    """A resolution's place in a web page or a PDF edition: ``res-64``, ``res-new-ai``."""
    return "res-" + key.lower()


@dataclass(frozen=True)
class Mention:
    """A resolution the summary names: ``Res. 64 (Internet Protocol address…)``, then a
    sentence."""

    key: str
    lead: str
    sentence: str

    @property
    def text(self) -> str:
        return f"{self.lead}: {self.sentence}"


@dataclass(frozen=True)
class CountTable:
    """Proposals counted by submitter and one field, with a total per row and per group."""

    title: str
    first: str  # the first column's heading: "Regional group", "Group or member state"
    columns: tuple[str, ...]  # the counted values' headings (a Total column follows)
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (submitter, counts, total)
    totals: tuple[tuple[str, tuple[int, ...], int], ...]  # per group, then for everyone


@dataclass(frozen=True)
class Summary:
    title: str
    counts: str  # "41 resolutions, 6 regional groups, 2 member states, 93 proposals."
    overall: str  # the resolutions by their overall concern
    who: tuple[str, ...]  # "Regional groups: APT (Asia-Pacific Telecommunity), ..."
    open_title: str
    open: tuple[Mention, ...] | None  # after the assembly only (None before)
    open_none: str  # what the summary says when nothing is open
    high_title: str
    high: tuple[Mention, ...]
    high_none: str
    by_action: CountTable
    by_concern: CountTable
    co_signed: tuple[tuple[str, int], ...]  # ("D (Germany)", proposals co-signed), most first

    def values(self) -> dict:
        """What a template shows of it (the web page's and the PDF's), each mention linked
        to its resolution's `anchor`."""

        def linked(found: tuple[Mention, ...]) -> list[dict]:
            return [
                {"anchor": anchor(m.key), "lead": m.lead, "sentence": m.sentence} for m in found
            ]

        return {
            "title": self.title,
            "overall": self.overall,
            "who": self.who,
            "open_title": self.open_title,
            "open": None if self.open is None else linked(self.open),
            "open_none": self.open_none,
            "high_title": self.high_title,
            "high": linked(self.high),
            "high_none": self.high_none,
        }


def summary(
    rows: Sequence[Row],
    submitters: Sequence[Submitter],
    counts: str,
    long: pd.DataFrame,
    decided: bool,
) -> Summary:
    groups = [(g, [s.code for s in submitters if s.group is g]) for g in Group]
    groups = [(g, codes) for g, codes in groups if codes]
    who = "regional group" if len(groups) == 1 else "group or member state"
    concerns = Concern.highest_first()
    return Summary(
        title=phrases.SUMMARY_TITLE,
        counts=counts,
        overall=_overall(rows),
        who=tuple(
            f"{group.plural}: {', '.join(s.shown for s in submitters if s.group is group)}."
            for group, _ in groups
        ),
        open_title=phrases.OPEN_TITLE,
        open=tuple(_open(rows)) if decided else None,
        open_none=phrases.ALL_RESOLVED,
        high_title=phrases.HIGH_TITLE,
        high=tuple(_high(rows)),
        high_none=phrases.NO_HIGH,
        by_action=_counts(
            f"Proposals by {who} and action", who, long, ACTION, ACTION_CODES, ACTION_CODES, groups
        ),
        by_concern=_counts(
            f"Proposals by {who} and concern",
            who,
            long,
            CONCERN,
            tuple(c.code for c in concerns),  # as the matrix is read, highest first
            tuple(c.words for c in concerns),
            groups,
        ),
        co_signed=_co_signed(rows),
    )


def _lead(row: Row) -> str:
    title = phrases.cut_at_word(row.title, phrases.TITLE_IN_SENTENCE)
    return f"{row.shown_key} ({title})" if title else row.shown_key


def _overall(rows: Sequence[Row]) -> str:
    """``By their overall concern, the 41 resolutions are 9 High, ...; 6 have no proposals.``"""
    found = [sum(r.overall == c.code for r in rows) for c in Concern.highest_first()]
    parts = [f"{n} {c.code}" for n, c in zip(found, Concern.highest_first(), strict=True)]
    none = len(rows) - sum(found)
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    ending = f"; {none} {'has' if none == 1 else 'have'} no proposals" if none else ""
    return f"By their overall concern, the {len(rows)} resolutions are {listed}{ending}."


def _high(rows: Sequence[Row]):
    """Each resolution of High overall concern: who proposes what, the most worrying first."""
    # Looked up once: an enum's members are slow to search a hundred thousand times.
    ranks = {c.code: c.rank for c in Concern}
    concern_words = {c.code: c.words for c in Concern}
    verbs = {a.code: a.proposes for a in Action}
    high, quoted_from = Concern.HIGH.code, Concern.MEDIUM.rank
    for row in rows:
        if row.overall != high:
            continue
        proposals = [p for cell in row.cells for p in cell.proposals]
        proposals.sort(key=lambda p: -ranks[p.concern])  # stable: column order within a level
        parts = []
        for p in proposals:
            words = concern_words[p.concern]
            if ranks[p.concern] >= quoted_from and p.summary:
                quoted = phrases.cut_at_word(p.summary, SUMMARY_IN_SENTENCE)
                words += f": {quoted.removesuffix('.')}"  # the sentence's own stop ends it
            if p.internal:
                words += phrases.NOT_PUBLIC
            parts.append(f"{p.submitter.code} {verbs[p.action]} ({words})")
        sentence = "; ".join(parts) + "."
        if row.decision is not None:
            decision = row.decision
            sentence += f" Outcome: {decision.decided}; {decision.assessment_words.lower()}."
        yield _mention(row, sentence)


def _open(rows: Sequence[Row]):
    """The two highest concerns the assembly left open, the highest first; within each, not
    resolved, then partly resolved, then no outcome yet; in matrix order."""
    wanted = (Concern.HIGH.code, Concern.MEDIUM.code)
    found = [
        r
        for r in rows
        if r.overall in wanted and (r.decision.assessment if r.decision else "") in _OPEN
    ]
    found.sort(
        key=lambda r: (
            wanted.index(r.overall),
            _OPEN.index(r.decision.assessment if r.decision else ""),
        )
    )
    for row in found:
        state = row.decision.assessment_words.lower() if row.decision else "no outcome recorded"
        sentence = f"{row.overall_words}, {state}."
        if row.decision is not None:
            what = row.decision.decided
            if row.decision.summary:
                what += f": {row.decision.summary.rstrip('. ')}"
            sentence += f" {what}."
        yield _mention(row, sentence)


def _mention(row: Row, sentence: str) -> Mention:
    return Mention(row.key, _lead(row), sentence)


def _counts(
    title: str,
    who: str,
    long: pd.DataFrame,
    column: str,
    values: tuple[str, ...],
    labels: tuple[str, ...],
    groups: list[tuple[Group, list[str]]],
) -> CountTable:
    submitters = [code for _, codes in groups for code in codes]
    counts = pd.crosstab(long[SUBMITTER], long[column]).reindex(
        index=submitters, columns=list(values), fill_value=0
    )

    def line(label: str, codes: list[str]) -> tuple[str, tuple[int, ...], int]:
        part = counts.loc[codes]
        found = tuple(int(part[v].sum()) for v in values)
        return label, found, sum(found)

    totals = [(f"All {group.plural.lower()}", codes) for group, codes in groups]
    if len(groups) > 1:
        totals.append(("All proposals", submitters))
    return CountTable(
        title,
        who.capitalize(),
        labels,
        tuple(line(code, [code]) for code in submitters),
        tuple(line(label, codes) for label, codes in totals),
    )


def _co_signed(rows: Sequence[Row]) -> tuple[tuple[str, int], ...]:
    """How many proposals each country co-signed, most first (then by code)."""
    found: dict[Named, int] = {}
    for row in rows:
        for cell in row.cells:
            for p in cell.proposals:
                for n in p.co_signers:
                    found[n] = found.get(n, 0) + 1
    ordered = sorted(found.items(), key=lambda item: (-item[1], item[0].code))
    return tuple((n.shown, count) for n, count in ordered)
