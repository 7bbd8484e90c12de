"""What changed between two versions of the matrix: a pure comparison of two long tables.

A proposal keeps its identity across versions by region, resolution and document (by region,
resolution and action where it has no document). When an analyst edits the document reference
itself, the identity breaks; a removed and an added proposal that are alone on the same region
and resolution are then taken for one proposal whose document changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .merge import CONCERN_RANK, CONCERNS

FIELDS = ("Action", "Concern", "Document", "Summary", "Notes")
SHOWN = ("Action", "Concern", "Document", "Summary")  # the fields a matrix cell shows
ADDED, CHANGED, REMOVED = "Added", "Changed", "Removed"


@dataclass(frozen=True)
class Changes:
    """The difference between an earlier version (`since`) and now."""

    since: str  # how the earlier version is named: "v6 (2024-09-30)"
    rows: pd.DataFrame  # one row per added, changed or removed proposal
    resolutions: pd.DataFrame  # key, Resolution, Before, After: overall concern per resolution
    cells: frozenset[tuple[str, str]]  # (key, region) of matrix cells whose content changed

    def count(self, kind: str) -> int:
        return int((self.rows["Change"] == kind).sum())

    @property
    def summary(self) -> str:
        if self.rows.empty:
            return f"No changes since {self.since}"
        return (
            f"Changes since {self.since}: {self.count(ADDED)} added, "
            f"{self.count(CHANGED)} changed, {self.count(REMOVED)} removed"
        )


def diff(
    old: pd.DataFrame, new: pd.DataFrame, since: str, order: list[str] | None = None
) -> Changes:
    """Compare two long tables (columns key, Resolution, Region and the FIELDS, plus Source).

    Rows come in matrix order: `order` lists the resolution keys as the matrix does (by
    default, as they first appear in `new`, then `old`).
    """
    old, new = _with_identity(old), _with_identity(new)
    both = old.merge(new, on="_id", how="outer", suffixes=(" before", " after"), indicator=True)
    matched = both[both["_merge"] == "both"]
    matched = matched.assign(Region=matched["Region after"], key=matched["key after"])
    removed = old[old["_id"].isin(both.loc[both["_merge"] == "left_only", "_id"])]
    added = new[new["_id"].isin(both.loc[both["_merge"] == "right_only", "_id"])]

    # A lone removal and a lone addition on one region and resolution: the document was edited.
    group = ["Region", "key"]
    lone_old = removed[removed.groupby(group)["_id"].transform("size") == 1]
    lone_new = added[added.groupby(group)["_id"].transform("size") == 1]
    paired = lone_old.merge(lone_new, on=group, suffixes=(" before", " after"))
    removed = removed[~removed["_id"].isin(paired["_id before"])]
    added = added[~added["_id"].isin(paired["_id after"])]

    pairs = pd.concat([matched, paired], ignore_index=True)
    names = pd.Series("", index=pairs.index, dtype=object)
    for name in FIELDS:
        names += (pairs[f"{name} before"] != pairs[f"{name} after"]).map(
            {True: f"{name}, ", False: ""}
        )
    pairs = pairs.assign(**{"Changed fields": names.str.rstrip(", ")})
    pairs = pairs[pairs["Changed fields"] != ""]
    rows = pd.concat(
        [
            _side(added, ADDED, "after"),
            _pairs(pairs, group),
            _side(removed, REMOVED, "before"),
        ],
        ignore_index=True,
    )
    rows = _in_matrix_order(rows, new, old, order or [])

    # Notes are not in the matrix cell: a change of notes alone leaves the cell as it was.
    shown = rows["Change"] != CHANGED
    for name in SHOWN:
        shown |= rows[f"{name} before"] != rows[f"{name} after"]
    cells = frozenset(zip(rows.loc[shown, "key"], rows.loc[shown, "Region"], strict=True))
    return Changes(since, rows, _overall(old, new, rows), cells)


def _with_identity(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    for name in FIELDS:
        frame[name] = frame[name].fillna("").astype(str)
    document = frame["Document"].str.split().str.join(" ").str.casefold()
    which = document.where(document != "", "(no document) " + frame["Action"])
    base = frame["Region"] + "\x1f" + frame["key"] + "\x1f" + which
    # Identical identities (one document holding two actions, say) are matched in order.
    return frame.assign(_id=base + "\x1f" + base.groupby(base).cumcount().astype(str))


def _side(frame: pd.DataFrame, kind: str, when: str) -> pd.DataFrame:
    out = frame[["key", "Resolution", "Region"]].assign(Change=kind)
    for name in FIELDS:
        out[f"{name} {when}"] = frame[name]
    out["Changed fields"] = ""
    out["Source"] = frame["Source"]
    return out


def _pairs(pairs: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    out = pairs[group].assign(
        Resolution=pairs["Resolution after"], Change=CHANGED, Source=pairs["Source after"]
    )
    for name in FIELDS:
        out[f"{name} before"] = pairs[f"{name} before"]
        out[f"{name} after"] = pairs[f"{name} after"]
    out["Changed fields"] = pairs["Changed fields"]
    return out


def _in_matrix_order(
    rows: pd.DataFrame, new: pd.DataFrame, old: pd.DataFrame, order: list[str]
) -> pd.DataFrame:
    """Rows in the order of the current matrix; what is gone entirely comes last."""
    seen = pd.concat([new[["key", "Region"]], old[["key", "Region"]]], ignore_index=True)
    keys = {k: i for i, k in enumerate(dict.fromkeys([*order, *seen["key"]]))}
    regions = {r: i for i, r in enumerate(dict.fromkeys(seen["Region"]))}
    kinds = {ADDED: 0, CHANGED: 1, REMOVED: 2}
    rows = rows.assign(
        _k=rows["key"].map(keys), _r=rows["Region"].map(regions), _c=rows["Change"].map(kinds)
    )
    columns = ["Change", "key", "Resolution", "Region", "Changed fields"]
    columns += [f"{f} {when}" for f in FIELDS for when in ("before", "after")] + ["Source"]
    rows = rows.sort_values(["_k", "_r", "_c"], kind="stable").reset_index(drop=True)
    return rows.reindex(columns=columns).fillna("")


def _overall(old: pd.DataFrame, new: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The overall concern before and after, for each resolution a change touched."""
    keys = list(dict.fromkeys(rows["key"]))

    def highest(frame: pd.DataFrame) -> pd.Series:
        ranks = frame["Concern"].map(CONCERN_RANK)
        return ranks.groupby(frame["key"]).max().map(lambda r: CONCERNS[int(r)])

    labels = dict(zip(rows["key"], rows["Resolution"], strict=True))
    before, after = highest(old), highest(new)
    return pd.DataFrame(
        {
            "key": keys,
            "Resolution": [labels[k] for k in keys],
            "Before": [before.get(k, "") for k in keys],
            "After": [after.get(k, "") for k in keys],
        }
    )
