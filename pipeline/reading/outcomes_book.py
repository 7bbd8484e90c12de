"""The optional outcomes workbook, found and read: `inputs/outcomes.xlsx`, sheet Outcomes, one
row per decided resolution: its Outcome (vocab.Outcome), the number a draft was adopted as or
the resolution a text was merged into, the Assessment for the open Internet
(vocab.Assessment), and what was decided. `outcomes_frame` reads its codes and keys for the
rules (frames.READ_OUTCOMES); the table the matrix shows is `matrix.outcomes`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..words.frames import (
    ADOPTED_AS,
    ADOPTED_KEY,
    ASSESSMENT,
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
    RESOLUTION,
    TAKES_NO_TARGET,
    typed,
)
from ..words.keys import parse_keys
from ..words.problems import Code, Problem
from ..words.vocab import (
    ASSESSMENT_CODES,
    OUTCOME_CODES,
    Outcome,
)
from ..words.vocab import normalised as as_codes
from .folders import competing, input_files
from .load import Spec, Table, read_table, with_lengths

OUTCOMES_FILE = "outcomes.xlsx"
OUTCOMES_SPEC = Spec(
    "Outcomes",
    tuple(h for h in OUTCOME_HEADERS if h not in OPTIONAL_OUTCOME_HEADERS),
    OPTIONAL_OUTCOME_HEADERS,
)


def outcome_files(inputs: Path) -> list[Path]:
    """Every file that could be the outcomes workbook (more than one is a mistake)."""
    return input_files(inputs, Path(OUTCOMES_FILE).stem)


def load_outcomes(inputs: Path) -> tuple[Table | None, list[Problem]]:
    """The outcomes workbook, read, if there is one; or why it cannot be."""
    found = outcome_files(inputs)
    if len(found) > 1:
        return None, [competing(found, "outcomes workbooks", Code.OUTCOMES_TWICE)]
    if not found:
        return None, []
    return read_table(found[0], found[0].name, OUTCOMES_SPEC)


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
    return with_lengths(frame, OUTCOMES_SPEC)
