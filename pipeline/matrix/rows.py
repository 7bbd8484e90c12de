"""The matrix's rows as every edition shows them: each resolution with its shown key, its
decision, and each submitter's cell as structured proposal lines (first line, summary,
document, co-signers with their names, result), the changed mark and where a shortened
cell's full text is. Part of the view (view.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..words.frames import (
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
    RESOLUTION,
    RESULT,
    SUBMITTER,
    SUMMARY,
    TITLE,
    TOPIC,
    submitter_concern,
)
from ..words.names import Named, named
from ..words.vocab import Assessment, Concern, Group, Public, Result
from . import phrases
from .outcomes import shown_key


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
    # whether the Outcome cell and the Assessment cell changed since the compared version
    # (both, for an outcome recorded or removed): they are framed as a changed proposal is
    outcome_changed: bool = False
    assessment_changed: bool = False


def rows(
    matrix: pd.DataFrame,
    long: pd.DataFrame,
    submitters: tuple[Submitter, ...],
    names: dict[str, str],
    changed: frozenset[tuple[str, str]],
    mark: Callable[[bool], str],
    full_text: str,
    outcomes: pd.DataFrame | None,
    changed_outcomes: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[Row, ...]:
    """A row per resolution of the matrix (frames.matrix_frame), its cells from the long
    table (frames.LONG). `changed` are the (key, submitter) cells whose content changed, whose
    first line is `mark(gone)`; `full_text` says where a cell shortened to fit Excel has its
    full text (``{rows}``: its rows on the Proposals sheet). `changed_outcomes` are the (key,
    Outcome or Assessment) cells whose content changed (changes.Changes.outcome_cells)."""
    cells = _proposals(long, names)
    spans = _spans(long)
    decisions = {} if outcomes is None else outcomes.set_index(KEY).to_dict("index")
    assessed = {a.code: a.words for a in Assessment}
    by_code = {s.code: Named(s.code, s.name) for s in submitters}
    found = []
    for rec in matrix.to_dict("records"):
        key = rec[KEY]
        row_cells = []
        for submitter in submitters:
            code = submitter.code
            proposals = cells.get((key, code), ())
            changed_mark = mark(not proposals) if (key, code) in changed else ""
            shortened = ""
            if proposals:
                first, last = spans[(key, code)]
                where = full_text.format(rows=f"{first}-{last}")
                shortened = phrases.shortened(code, rec[RESOLUTION], where)
            row_cells.append(
                Cell(
                    by_code[code], rec[submitter_concern(code)], proposals, changed_mark, shortened
                )
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
        found.append(
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
                outcome_changed=(key, OUTCOME) in changed_outcomes,
                assessment_changed=(key, ASSESSMENT) in changed_outcomes,
            )
        )
    return tuple(found)


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
    columns = [long[c].tolist() for c in (KEY, SUBMITTER, ACTION, CONCERN, SUMMARY, DOCUMENT)]
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
    for i, cell in enumerate(zip(long[KEY].tolist(), long[SUBMITTER].tolist(), strict=True)):
        first = spans.get(cell, (i + 2,))[0]
        spans[cell] = (first, i + 2)
    return spans
