"""Join the regions' proposals to the catalogue: pure functions from dataframes to dataframes.

`merge` gives the matrix (one row per catalogue resolution, one text and one concern column per
region); `long_table` gives every proposal on its own row, in the same order. Neither drops a
proposal: the long table has exactly as many rows as the proposals it was given.
"""

from __future__ import annotations

import pandas as pd

from .keys import NEW_PREFIX, label

#: Concern levels from least to most worrying; a cell with several proposals takes the highest.
CONCERNS = ("None", "Low", "Medium", "High")
CONCERN_RANK = {name: rank for rank, name in enumerate(CONCERNS)}
CONCERN_WORDS = {
    "High": "High concern",
    "Medium": "Medium concern",
    "Low": "Low concern",
    "None": "No concern",
}
ACTIONS = ("ADD", "MOD", "SUP", "NOC")
SEPARATOR = "\n\n"  # a blank line between proposals in one cell

MATRIX_FIXED = ("Resolution", "Title", "Topic", "Priority")
OVERALL = "Overall concern"
ANALYSIS = "ISOC analysis"
LONG_COLUMNS = (
    "Resolution",
    "Region",
    "Action",
    "Concern",
    "Document",
    "Summary",
    "Notes",
    "Source",
)


def concern_column(region: str) -> str:
    return f"{region} concern"


def order_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Numbered resolutions by number (2, 10, 100), then the drafts in catalogue order."""
    is_new = catalogue["key"].str.startswith(NEW_PREFIX)
    number = pd.to_numeric(catalogue["key"].where(~is_new), errors="coerce")
    ordered = catalogue.assign(_new=is_new, _number=number, _pos=range(len(catalogue)))
    ordered = ordered.sort_values(["_new", "_number", "_pos"], kind="stable")
    return ordered.drop(columns=["_new", "_number", "_pos"]).reset_index(drop=True)


def cell_parts(
    action: pd.Series, concern: pd.Series, summary: pd.Series, document: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """How a proposal reads in a matrix cell: its first line (``MOD · High concern``), shown in
    bold, and the rest (the summary and the document, each on its own line, if given)."""

    def line(values: pd.Series) -> pd.Series:
        present = values.notna() & (values.astype(object) != "")
        return ("\n" + values.where(present)).fillna("")

    head = action + " · " + concern.map(CONCERN_WORDS)
    return head, line(summary) + line(document)


def prepare(proposals: pd.DataFrame) -> pd.DataFrame:
    """Proposals with their concern settled (an empty NOC concern means None) and cell text."""
    frame = proposals.copy()
    frame["concern_level"] = frame["concern_level"].where(
        frame["concern_level"].notna() | (frame["action_code"] != "NOC"), "None"
    )
    frame["rank"] = frame["concern_level"].map(CONCERN_RANK).astype("int64")
    head, body = cell_parts(
        frame["action_code"], frame["concern_level"], frame["Summary"], frame["Document"]
    )
    frame["text"] = head + body
    return frame


def merge(catalogue: pd.DataFrame, proposals: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The matrix: one row per catalogue resolution, in matrix order.

    Columns: key, Resolution (as shown), Title, Topic, Priority, one text column per region,
    one `<region> concern` column per region (empty where the region made no proposal),
    Overall concern, ISOC analysis.
    """
    return _matrix(order_catalogue(catalogue), prepare(proposals), regions)


def long_table(
    catalogue: pd.DataFrame, proposals: pd.DataFrame, regions: list[str]
) -> pd.DataFrame:
    """Every proposal on its own row, in matrix order (resolution, then region column, then row)."""
    return _long(order_catalogue(catalogue), prepare(proposals), regions)


def merge_both(
    catalogue: pd.DataFrame, proposals: pd.DataFrame, regions: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`merge` and `long_table` together, preparing the proposals once for both."""
    cat, frame = order_catalogue(catalogue), prepare(proposals)
    return _matrix(cat, frame, regions), _long(cat, frame, regions)


def _matrix(cat: pd.DataFrame, frame: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(["region", "_row"], kind="stable")
    matrix = pd.DataFrame(
        {
            "key": cat["key"],
            "Resolution": cat["key"].map(label),
            "Title": cat["Title"],
            "Topic": cat["Topic"],
            "Priority": cat["priority_level"],
        }
    )
    cells = [frame["key"], frame["region"]]
    # Summing "text + separator" joins each cell's proposals in one vectorised step (a Python
    # join per group is several times slower at a hundred thousand proposals).
    joined = (frame["text"].astype(object) + SEPARATOR).groupby(cells, sort=False).sum()
    texts = joined.str[: -len(SEPARATOR)].unstack("region")
    ranks = frame["rank"].groupby(cells, sort=False).max().unstack("region")
    for region in regions:
        text = texts[region] if region in texts else pd.Series(dtype=object)
        rank = ranks[region] if region in ranks else pd.Series(dtype="float64")
        matrix[region] = matrix["key"].map(text).astype(object).fillna("")
        matrix[concern_column(region)] = matrix["key"].map(rank).map(_concern_name)
    overall = frame.groupby("key")["rank"].max()
    matrix[OVERALL] = matrix["key"].map(overall).map(_concern_name)
    matrix[ANALYSIS] = cat[ANALYSIS].fillna("")
    return matrix


def _long(cat: pd.DataFrame, frame: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    order = {key: i for i, key in enumerate(cat["key"])}
    region_order = {region: i for i, region in enumerate(regions)}
    frame = frame.assign(
        _k=frame["key"].map(order), _r=frame["region"].map(region_order)
    ).sort_values(["_k", "_r", "_row"], kind="stable")
    return pd.DataFrame(
        {
            "key": frame["key"],
            "Resolution": frame["key"].map(label),
            "Region": frame["region"],
            "Action": frame["action_code"],
            "Concern": frame["concern_level"],
            "Document": frame["Document"].fillna(""),
            "Summary": frame["Summary"].fillna(""),
            "Notes": frame["Notes"].fillna(""),
            "Source": frame["source"],
        }
    ).reset_index(drop=True)


def _concern_name(rank) -> str:
    return "" if pd.isna(rank) else CONCERNS[int(rank)]
