"""What the assembly decided: the optional outcomes workbook, read and made into the table the
matrix shows, and the counts of the Outcomes sheet (pure functions of dataframes).

`inputs/outcomes.xlsx`, sheet Outcomes, has one row per decided resolution: its Outcome
(vocab.Outcome), the number a draft was adopted as or the resolution a text was merged into,
the Assessment for the open Internet (vocab.Assessment), and what was decided.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .folders import competing, input_files
from .frames import (
    ADOPTED_AS,
    ADOPTED_KEY,
    ASSESSMENT,
    CONCERN,
    DECIDED,
    DOCUMENT,
    FILE,
    FOR_DRAFTS,
    FOR_EXISTING,
    INTO_ITSELF,
    KEY,
    NEEDS_TARGET,
    NEW_NUMBER,
    OPTIONAL_OUTCOME_HEADERS,
    OUTCOME,
    OUTCOME_HEADERS,
    OUTCOMES,
    OVERALL,
    REGION,
    RESOLUTION,
    RESULT,
    SUMMARY,
    TAKES_NO_TARGET,
    TITLE,
    typed,
)
from .keys import label, parse_keys
from .load import Spec, Table, read_table, with_lengths
from .problems import Problem
from .vocab import ASSESSMENT_CODES, OUTCOME_CODES, RESULT_CODES, Assessment, Concern, Outcome
from .vocab import normalised as as_codes

OUTCOMES_FILE = "outcomes.xlsx"
SPEC = Spec(
    "Outcomes",
    tuple(h for h in OUTCOME_HEADERS if h not in OPTIONAL_OUTCOME_HEADERS),
    OPTIONAL_OUTCOME_HEADERS,
)
#: A resolution with no outcome recorded, in the Outcomes sheet's counts.
UNDECIDED = "No outcome yet"
#: A proposal with no result typed, in the Outcomes sheet's counts.
UNKNOWN = "Not known yet"


def outcome_files(inputs: Path) -> list[Path]:
    """Every file that could be the outcomes workbook (more than one is a mistake)."""
    return input_files(inputs, Path(OUTCOMES_FILE).stem)


def load_outcomes(inputs: Path) -> tuple[Table | None, list[Problem]]:
    """The outcomes workbook, read, if there is one; or why it cannot be."""
    found = outcome_files(inputs)
    if len(found) > 1:
        return None, [competing(found, "outcomes workbooks", "outcomes-twice")]
    if not found:
        return None, []
    return read_table(found[0], found[0].name, SPEC)


def outcomes_frame(table: Table) -> pd.DataFrame:
    """The outcomes with their codes and keys read, and what each outcome asks of its row, for
    the rules (frames.READ_OUTCOMES)."""
    frame = table.data.copy()
    frame[KEY] = parse_keys(frame[typed(RESOLUTION)])
    frame[OUTCOME] = as_codes(frame[typed(OUTCOME)], OUTCOME_CODES)
    frame[ASSESSMENT] = as_codes(frame[typed(ASSESSMENT)], ASSESSMENT_CODES)
    frame[ADOPTED_KEY] = parse_keys(frame[ADOPTED_AS])
    frame[FILE] = table.file
    outcomes = {o.code: o for o in Outcome}
    for column, asks in (
        (FOR_DRAFTS, lambda o: o.for_drafts and not o.for_existing),
        (FOR_EXISTING, lambda o: o.for_existing and not o.for_drafts),
        (NEEDS_TARGET, lambda o: o.needs_target),
        (TAKES_NO_TARGET, lambda o: not o.needs_target),
        (NEW_NUMBER, lambda o: o is Outcome.ADOPTED),
    ):
        flags = frame[OUTCOME].map({c: asks(o) for c, o in outcomes.items()})
        frame[column] = flags.astype(object).where(flags.notna(), False)
    frame[INTO_ITSELF] = (frame[ADOPTED_KEY] == frame[KEY]) & frame[KEY].notna()
    frame[INTO_ITSELF] = frame[INTO_ITSELF].astype(object)
    return with_lengths(frame, SPEC)


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


def by_region(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """For each region, in column order: how many of its proposals had each result."""
    result = long[RESULT].where(long[RESULT] != "", UNKNOWN)
    table = pd.crosstab(long[REGION], result).reindex(index=regions, columns=RESULTS, fill_value=0)
    return table.rename_axis(index=REGION, columns=None).reset_index()


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
