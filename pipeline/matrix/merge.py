"""Join the submitters' proposals to the catalogue: pure functions from dataframes to dataframes.

`merge` gives the matrix (one row per catalogue resolution, a concern column per submitter:
frames.matrix_frame) and the long table (every proposal on its own row, in the same order:
frames.LONG). It drops no proposal: the long table has exactly as many rows as the proposals it
was given. How a cell reads is the view's (view.py), which every edition lays out.
"""

from __future__ import annotations

import pandas as pd

from ..words.frames import (
    ACTION,
    ANALYSIS,
    CO_SIGNERS,
    CONCERN,
    DOCUMENT,
    GROUP,
    KEY,
    NOTES,
    OVERALL,
    PRIORITY,
    PUBLIC,
    RESOLUTION,
    RESULT,
    ROW,
    SOURCE,
    SUBMITTER,
    SUMMARY,
    TITLE,
    TOPIC,
    submitter_concern,
)
from ..words.keys import NEW_PREFIX, label
from ..words.vocab import CONCERN_CODES, DEFAULT_CONCERN, Action, Concern

_RANK = "_rank"  # what `prepare` adds: the concern as a number, for the highest


def order_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Numbered resolutions by number (2, 10, 100), then the drafts in catalogue order."""
    is_new = catalogue[KEY].str.startswith(NEW_PREFIX)
    number = pd.to_numeric(catalogue[KEY].where(~is_new), errors="coerce")
    ordered = catalogue.assign(_new=is_new, _number=number, _pos=range(len(catalogue)))
    ordered = ordered.sort_values(["_new", "_number", "_pos"], kind="stable")
    return ordered.drop(columns=["_new", "_number", "_pos"]).reset_index(drop=True)


def prepare(proposals: pd.DataFrame) -> pd.DataFrame:
    """Proposals as read, their concern settled (an action that needs no concern and has
    none, like NOC, counts as None)."""
    frame = proposals.copy()
    textless = [a.code for a in Action if not a.needs_text]
    frame[CONCERN] = frame[CONCERN].where(
        frame[CONCERN].notna() | ~frame[ACTION].isin(textless), DEFAULT_CONCERN.code
    )
    frame[_RANK] = frame[CONCERN].map({c.code: c.rank for c in Concern}).astype("int64")
    return frame


def merge(
    catalogue: pd.DataFrame, proposals: pd.DataFrame, submitters: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matrix and the long table, from the catalogue and the proposals as read.

    The matrix has one row per catalogue resolution, in matrix order (frames.matrix_frame): a
    concern column per submitter (empty where it made no proposal), and the overall
    concern. The long table has every proposal on its own row, in the same
    order (resolution, then submitter column, then row): frames.LONG.
    """
    cat, frame = order_catalogue(catalogue), prepare(proposals)
    return _matrix(cat, frame, submitters), _long(cat, frame, submitters)


def _matrix(cat: pd.DataFrame, frame: pd.DataFrame, submitters: list[str]) -> pd.DataFrame:
    frame = frame.sort_values([SUBMITTER, ROW], kind="stable")
    matrix = pd.DataFrame(
        {
            KEY: cat[KEY],
            RESOLUTION: cat[KEY].map(label),
            TITLE: cat[TITLE],
            TOPIC: cat[TOPIC],
            PRIORITY: cat[PRIORITY],
            PUBLIC: cat[PUBLIC],
        }
    )
    _count_concerns(matrix, frame, submitters)
    matrix[ANALYSIS] = cat[ANALYSIS].fillna("")
    return matrix


def _count_concerns(matrix: pd.DataFrame, frame: pd.DataFrame, submitters: list[str]) -> None:
    """Each submitter's concern for each resolution, and the overall one: the highest of its
    proposals in `frame` (which holds KEY, SUBMITTER and the concern's rank)."""
    cells = [frame[KEY], frame[SUBMITTER]]
    ranks = frame[_RANK].groupby(cells, sort=False).max().unstack(SUBMITTER)
    for code in submitters:
        rank = ranks[code] if code in ranks else pd.Series(dtype="float64")
        matrix[submitter_concern(code)] = matrix[KEY].map(rank).map(_concern_code)
    overall = frame.groupby(KEY)[_RANK].max()
    matrix[OVERALL] = matrix[KEY].map(overall).map(_concern_code)


def narrowed(
    matrix: pd.DataFrame,
    long: pd.DataFrame,
    submitters: list[str],
    resolutions: pd.Series,
    proposals: pd.Series,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What `merge` gives of only some of the resolutions and proposals, from what it gave of
    them all: `resolutions` marks the matrix rows kept, `proposals` the long table's. The rows
    keep their order, as a merge of fewer would order them; the concerns are counted again
    from the proposals kept (a public edition's, from the team's matrix), so nothing is
    merged twice."""
    kept = long[proposals.to_numpy()].reset_index(drop=True)
    part = matrix[resolutions.to_numpy()].reset_index(drop=True)
    ranks = kept[CONCERN].map({c.code: c.rank for c in Concern}).astype("int64")
    _count_concerns(part, kept.assign(**{_RANK: ranks}), submitters)
    return part, kept


def _long(cat: pd.DataFrame, frame: pd.DataFrame, submitters: list[str]) -> pd.DataFrame:
    order = {key: i for i, key in enumerate(cat[KEY])}
    submitter_order = {code: i for i, code in enumerate(submitters)}
    frame = frame.assign(
        _k=frame[KEY].map(order), _r=frame[SUBMITTER].map(submitter_order)
    ).sort_values(["_k", "_r", ROW], kind="stable")
    return pd.DataFrame(
        {
            KEY: frame[KEY],
            RESOLUTION: frame[KEY].map(label),
            SUBMITTER: frame[SUBMITTER],
            GROUP: frame[GROUP],
            ACTION: frame[ACTION],
            CONCERN: frame[CONCERN],
            DOCUMENT: frame[DOCUMENT].fillna(""),
            SUMMARY: frame[SUMMARY].fillna(""),
            CO_SIGNERS: frame[CO_SIGNERS].fillna(""),
            RESULT: frame[RESULT].fillna(""),
            NOTES: frame[NOTES].fillna(""),
            SOURCE: frame[SOURCE],
            PUBLIC: frame[PUBLIC],
        }
    ).reset_index(drop=True)


def _concern_code(rank) -> str:
    return "" if pd.isna(rank) else CONCERN_CODES[int(rank)]
