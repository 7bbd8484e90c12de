"""What the assembly decided, as the matrix shows it: the valid outcomes made into the table
every edition reads (frames.OUTCOMES), a draft's shown key (``NEW-AI → Res. 101``), and the
counts of the Outcomes sheet and the summary. Pure functions of dataframes; the workbook is
read in `reading.outcomes_book`.
"""

from __future__ import annotations

import pandas as pd

from ..words.frames import (
    ADOPTED_AS,
    ADOPTED_KEY,
    ASSESSMENT,
    CONCERN,
    DECIDED,
    DOCUMENT,
    KEY,
    NEEDS_TARGET,
    OUTCOME,
    OUTCOMES,
    OVERALL,
    RESOLUTION,
    RESULT,
    SUBMITTER,
    SUMMARY,
    TITLE,
    typed,
)
from ..words.keys import label
from ..words.vocab import (
    ASSESSMENT_CODES,
    RESULT_CODES,
    Assessment,
    Concern,
    Outcome,
)

#: A resolution with no outcome recorded, in the Outcomes sheet's counts.
UNDECIDED = "No outcome yet"
#: A proposal with no result typed, in the Outcomes sheet's counts.
UNKNOWN = "Not known yet"


def decided(read: pd.DataFrame) -> pd.DataFrame:
    """The valid outcomes as the matrix shows them (frames.OUTCOMES): one row per resolution,
    its decision in words (``Adopted as Res. 101``)."""
    outcomes = {o.code: o for o in Outcome}
    target = read[ADOPTED_KEY].map(lambda k: label(k) if isinstance(k, str) else "")
    words = [
        outcomes[code].words(t) if code in outcomes else ""
        for code, t in zip(read[OUTCOME], target, strict=True)
    ]
    return pd.DataFrame(
        {
            KEY: read[KEY],
            RESOLUTION: read[KEY].map(label),
            OUTCOME: read[OUTCOME],
            ADOPTED_AS: target.where(read[NEEDS_TARGET].astype(bool), ""),
            DECIDED: words,
            ASSESSMENT: read[ASSESSMENT],
            SUMMARY: read[typed(SUMMARY)].fillna(""),
            DOCUMENT: read[typed(DOCUMENT)].fillna(""),
        },
        columns=list(OUTCOMES.columns),
    ).reset_index(drop=True)


def no_outcomes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOMES.columns})


def shown_key(key: str, outcomes: pd.DataFrame | None) -> str:
    """A resolution as the matrix names it: a draft adopted shows its number,
    ``NEW-AI → Res. 101``."""
    shown = label(key)
    if outcomes is None or not key.startswith("NEW-"):
        return shown
    hit = outcomes[(outcomes[KEY] == key) & (outcomes[OUTCOME] == Outcome.ADOPTED.code)]
    return f"{shown} → {hit[ADOPTED_AS].iloc[0]}" if len(hit) else shown


# The Outcomes sheet's counts ------------------------------------------------------------------

ASSESSED = [*ASSESSMENT_CODES, UNDECIDED]
RESULTS = [*RESULT_CODES, UNKNOWN]


def by_concern(matrix: pd.DataFrame, long: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """For each concern level, highest first: how many resolutions (by their overall concern)
    and how many proposals (by their own) ended in each assessment. Columns: Concern, then
    ``Resolutions <assessment>`` and ``Proposals <assessment>`` for each of `ASSESSED`."""
    assessed = outcomes.set_index(KEY)[ASSESSMENT]
    levels = [c.code for c in Concern.highest_first()]
    out = pd.DataFrame({CONCERN: levels})
    for what, frame, concern in (
        ("Resolutions", matrix[matrix[OVERALL] != ""], OVERALL),
        ("Proposals", long, CONCERN),
    ):
        assessment = frame[KEY].map(assessed).fillna(UNDECIDED)
        table = pd.crosstab(frame[concern], assessment).reindex(
            index=levels, columns=ASSESSED, fill_value=0
        )
        for name in ASSESSED:
            out[f"{what} {name}"] = table[name].to_numpy()
    return out


def by_submitter(long: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """For each submitter, in column order: how many of its proposals had each result."""
    result = long[RESULT].where(long[RESULT] != "", UNKNOWN)
    table = pd.crosstab(long[SUBMITTER], result).reindex(index=codes, columns=RESULTS, fill_value=0)
    return table.rename_axis(index=SUBMITTER, columns=None).reset_index()


def high_not_resolved(matrix: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The resolutions of High overall concern whose concern was not fully resolved: Not
    resolved first, then Partly resolved, then those with no outcome yet; in matrix order
    within each."""
    high = matrix[matrix[OVERALL] == Concern.HIGH.code][[KEY, TITLE]]
    joined = high.merge(outcomes, on=KEY, how="left")
    joined[ASSESSMENT] = joined[ASSESSMENT].fillna(UNDECIDED)
    joined[DECIDED] = joined[DECIDED].fillna("")
    joined[SUMMARY] = joined[SUMMARY].fillna("")
    order = {Assessment.NOT_RESOLVED.code: 0, Assessment.PARTLY.code: 1, UNDECIDED: 2}
    joined = joined[joined[ASSESSMENT].isin(order)]
    joined = joined.assign(_o=joined[ASSESSMENT].map(order), _p=range(len(joined)))
    joined = joined.sort_values(["_o", "_p"], kind="stable")
    return joined[[KEY, TITLE, DECIDED, ASSESSMENT, SUMMARY]].reset_index(drop=True)
