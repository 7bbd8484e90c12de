"""What changed between two versions of the matrix: a pure comparison of two long tables.

A proposal keeps its identity across versions by region, resolution and document (by region,
resolution and action where it has no document). When an analyst edits the document reference
itself, the identity breaks; a removed and an added proposal that are alone on the same region
and resolution are then taken for one proposal whose document changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..words.frames import (
    ACTION,
    ADOPTED_AS,
    AFTER,
    ASSESSMENT,
    BEFORE,
    CHANGE,
    CHANGED_FIELDS,
    CHANGED_RESOLUTIONS,
    CHANGES,
    CONCERN,
    DOCUMENT,
    FIELDS,
    GROUP,
    KEY,
    OUTCOME,
    OUTCOME_CHANGES,
    OUTCOME_FIELDS,
    RESOLUTION,
    SHOWN,
    SOURCE,
    SUBMITTER,
    SUMMARY,
    after,
    before,
)
from ..words.vocab import CONCERN_CODES, Concern, Group

ADDED, CHANGED, REMOVED = "Added", "Changed", "Removed"
_ID = "_id"
#: The matrix's two outcome cells and the outcome fields each shows.
OUTCOME_CELLS = {OUTCOME: (OUTCOME, ADOPTED_AS, SUMMARY, DOCUMENT), ASSESSMENT: (ASSESSMENT,)}


@dataclass(frozen=True)
class Changes:
    """The difference between an earlier version (`since`) and now."""

    since: str  # how the earlier version is named: "v6 (2024-09-30)"
    rows: pd.DataFrame  # one row per added, changed or removed proposal
    resolutions: pd.DataFrame  # key, Resolution, Before, After: overall concern per resolution
    cells: frozenset[tuple[str, str]]  # (key, region) of matrix cells whose content changed
    outcomes: pd.DataFrame = None  # frames.OUTCOME_CHANGES: outcomes recorded, changed, removed

    def __post_init__(self):
        if self.outcomes is None:
            object.__setattr__(self, "outcomes", _no_outcome_changes())

    def count(self, kind: str) -> int:
        return int((self.rows[CHANGE] == kind).sum())

    @property
    def summary(self) -> str:
        decided = len(self.outcomes)
        outcomes = f"; {decided} outcome{'s' * (decided != 1)} recorded, changed or removed" * bool(
            decided
        )
        if self.rows.empty:
            return (
                f"No changes to proposals since {self.since}{outcomes}"
                if decided
                else (f"No changes since {self.since}")
            )
        return (
            f"Changes since {self.since}: {self.count(ADDED)} added, "
            f"{self.count(CHANGED)} changed, {self.count(REMOVED)} removed{outcomes}"
        )

    @property
    def empty(self) -> bool:
        return self.rows.empty and self.outcomes.empty

    @property
    def outcome_cells(self) -> frozenset[tuple[str, str]]:
        """(key, Outcome or Assessment) of the matrix's outcome cells whose content changed: both
        of an outcome recorded or removed, and of a changed one those showing a changed field."""
        cells = set()
        for key, kind, fields in zip(
            self.outcomes[KEY], self.outcomes[CHANGE], self.outcomes[CHANGED_FIELDS], strict=True
        ):
            changed = set(fields.split(", ")) if kind == CHANGED else set(OUTCOME_FIELDS)
            cells.update((key, cell) for cell, shown in OUTCOME_CELLS.items() if changed & {*shown})
        return frozenset(cells)


def diff(
    old: pd.DataFrame,
    new: pd.DataFrame,
    since: str,
    order: list[str] | None = None,
    old_outcomes: pd.DataFrame | None = None,
    new_outcomes: pd.DataFrame | None = None,
) -> Changes:
    """Compare two long tables (frames.LONG): the changes (frames.CHANGES) and the overall
    concern of each resolution they touch (frames.CHANGED_RESOLUTIONS); and two outcome tables
    (frames.OUTCOMES), if either version has one (frames.OUTCOME_CHANGES).

    Rows come in matrix order: `order` lists the resolution keys as the matrix does (by
    default, as they first appear in `new`, then `old`).
    """
    old, new = _with_identity(old), _with_identity(new)
    sides = (before(""), after(""))
    both = old.merge(new, on=_ID, how="outer", suffixes=sides, indicator=True)
    matched = both[both["_merge"] == "both"]
    matched = matched.assign(
        **{
            GROUP: matched[after(GROUP)],
            SUBMITTER: matched[after(SUBMITTER)],
            KEY: matched[after(KEY)],
        }
    )
    removed = old[old[_ID].isin(both.loc[both["_merge"] == "left_only", _ID])]
    added = new[new[_ID].isin(both.loc[both["_merge"] == "right_only", _ID])]

    # A lone removal and a lone addition on one region and resolution: the document was edited.
    group = [GROUP, SUBMITTER, KEY]
    lone_old = removed[removed.groupby(group)[_ID].transform("size") == 1]
    lone_new = added[added.groupby(group)[_ID].transform("size") == 1]
    paired = lone_old.merge(lone_new, on=group, suffixes=sides)
    removed = removed[~removed[_ID].isin(paired[before(_ID)])]
    added = added[~added[_ID].isin(paired[after(_ID)])]

    pairs = pd.concat([matched, paired], ignore_index=True)
    names = pd.Series("", index=pairs.index, dtype=object)
    for name in FIELDS:
        names += (pairs[before(name)] != pairs[after(name)]).map({True: f"{name}, ", False: ""})
    pairs = pairs.assign(**{CHANGED_FIELDS: names.str.rstrip(", ")})
    pairs = pairs[pairs[CHANGED_FIELDS] != ""]
    rows = pd.concat(
        [_side(added, ADDED, after), _pairs(pairs, group), _side(removed, REMOVED, before)],
        ignore_index=True,
    )
    rows = _in_matrix_order(rows, new, old, order or [])

    # Notes are not in the matrix cell: a change of notes alone leaves the cell as it was.
    shown = rows[CHANGE] != CHANGED
    for name in SHOWN:
        shown |= rows[before(name)] != rows[after(name)]
    cells = frozenset(zip(rows.loc[shown, KEY], rows.loc[shown, SUBMITTER], strict=True))
    outcomes = diff_outcomes(old_outcomes, new_outcomes, order or list(new[KEY]))
    return Changes(since, rows, _overall(old, new, rows), cells, outcomes)


def diff_outcomes(
    old: pd.DataFrame | None, new: pd.DataFrame | None, order: list[str]
) -> pd.DataFrame:
    """Outcomes recorded (Added), changed or removed between two versions, field by field,
    in matrix order (frames.OUTCOME_CHANGES). An outcome is one resolution's: its key.

    None is a version that does not say what its outcomes were (one made before outcomes
    existed, or without outcomes.xlsx), not one without outcomes: nothing can be said to have
    changed against it, so only two versions that both know their outcomes are compared."""
    if old is None or new is None:
        return _no_outcome_changes()
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in (KEY, RESOLUTION, *OUTCOME_FIELDS)})
    old = empty if old is None else old[[KEY, RESOLUTION, *OUTCOME_FIELDS]].fillna("")
    new = empty if new is None else new[[KEY, RESOLUTION, *OUTCOME_FIELDS]].fillna("")
    both = old.merge(new, on=KEY, how="outer", suffixes=(before(""), after("")), indicator=True)
    kind = both["_merge"].map({"left_only": REMOVED, "right_only": ADDED, "both": CHANGED})
    names = pd.Series("", index=both.index, dtype=object)
    for name in OUTCOME_FIELDS:
        both[before(name)] = both[before(name)].fillna("")
        both[after(name)] = both[after(name)].fillna("")
        differs = (both[before(name)] != both[after(name)]) & (kind == CHANGED)
        names += differs.map({True: f"{name}, ", False: ""})
    rows = both.assign(
        **{
            CHANGE: kind.astype(object),
            RESOLUTION: both[after(RESOLUTION)].fillna(both[before(RESOLUTION)]),
            CHANGED_FIELDS: names.str.rstrip(", "),
        }
    )
    rows = rows[(rows[CHANGE] != CHANGED) | (rows[CHANGED_FIELDS] != "")]
    position = {k: i for i, k in enumerate(dict.fromkeys([*order, *rows[KEY]]))}
    rows = rows.assign(_k=rows[KEY].map(position)).sort_values("_k", kind="stable")
    return rows[list(OUTCOME_CHANGES.columns)].reset_index(drop=True)


def no_changes() -> Changes:
    """Nothing changed: every table empty, with its columns."""
    empty = [
        pd.DataFrame({c: pd.Series(dtype=object) for c in f.columns})
        for f in (CHANGES, CHANGED_RESOLUTIONS)
    ]
    return Changes("", *empty, frozenset(), _no_outcome_changes())


def _no_outcome_changes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTCOME_CHANGES.columns})


def _with_identity(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    for name in FIELDS:
        frame[name] = frame[name].fillna("").astype(str)
    document = frame[DOCUMENT].str.split().str.join(" ").str.casefold()
    which = document.where(document != "", "(no document) " + frame[ACTION])
    # The group is part of who made it: a member's proposal never pairs with a region's.
    group = frame[GROUP] if GROUP in frame else pd.Series(Group.REGION.code, index=frame.index)
    frame[GROUP] = group.fillna(Group.REGION.code).replace("", Group.REGION.code)
    base = frame[GROUP] + "\x1f" + frame[SUBMITTER] + "\x1f" + frame[KEY] + "\x1f" + which
    # Identical identities (one document holding two actions, say) are matched in order.
    return frame.assign(**{_ID: base + "\x1f" + base.groupby(base).cumcount().astype(str)})


def _side(frame: pd.DataFrame, kind: str, when) -> pd.DataFrame:
    out = frame[[KEY, RESOLUTION, SUBMITTER]].assign(**{CHANGE: kind})
    for name in FIELDS:
        out[when(name)] = frame[name]
    out[CHANGED_FIELDS] = ""
    out[SOURCE] = frame[SOURCE]
    return out


def _pairs(pairs: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    out = pairs[group].assign(
        **{
            RESOLUTION: pairs[after(RESOLUTION)],
            CHANGE: CHANGED,
            SOURCE: pairs[after(SOURCE)],
        }
    )
    for name in FIELDS:
        out[before(name)] = pairs[before(name)]
        out[after(name)] = pairs[after(name)]
    out[CHANGED_FIELDS] = pairs[CHANGED_FIELDS]
    return out


def _in_matrix_order(
    rows: pd.DataFrame, new: pd.DataFrame, old: pd.DataFrame, order: list[str]
) -> pd.DataFrame:
    """Rows in the order of the current matrix; what is gone entirely comes last."""
    seen = pd.concat([new[[KEY, SUBMITTER]], old[[KEY, SUBMITTER]]], ignore_index=True)
    keys = {k: i for i, k in enumerate(dict.fromkeys([*order, *seen[KEY]]))}
    regions = {r: i for i, r in enumerate(dict.fromkeys(seen[SUBMITTER]))}
    kinds = {ADDED: 0, CHANGED: 1, REMOVED: 2}
    rows = rows.assign(
        _k=rows[KEY].map(keys), _r=rows[SUBMITTER].map(regions), _c=rows[CHANGE].map(kinds)
    )
    rows = rows.sort_values(["_k", "_r", "_c"], kind="stable").reset_index(drop=True)
    return rows.reindex(columns=list(CHANGES.columns)).fillna("")


def _overall(old: pd.DataFrame, new: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The overall concern before and after, for each resolution a change touched."""
    keys = list(dict.fromkeys(rows[KEY]))
    ranks = {c.code: c.rank for c in Concern}

    def highest(frame: pd.DataFrame) -> pd.Series:
        found = frame[CONCERN].map(ranks)
        return found.groupby(frame[KEY]).max().map(lambda r: CONCERN_CODES[int(r)])

    labels = dict(zip(rows[KEY], rows[RESOLUTION], strict=True))
    earlier, now = highest(old), highest(new)
    return pd.DataFrame(
        {
            KEY: keys,
            RESOLUTION: [labels[k] for k in keys],
            BEFORE: [earlier.get(k, "") for k in keys],
            AFTER: [now.get(k, "") for k in keys],
        }
    )
