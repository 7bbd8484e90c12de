"""The merge on plain dataframes: order, several proposals, highest concern, no proposal; and
how the view (view.py) reads a cell from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.matrix.merge import merge as merge_both
from pipeline.matrix.view import matrix_view
from pipeline.reading.matrix_toml import MatrixOptions
from pipeline.words import frames as F


def merge(catalogue, proposals, submitters):
    matrix, long = merge_both(catalogue, proposals, submitters)
    F.matrix_frame(submitters).check(matrix)  # each stage's frame is as declared
    F.LONG.check(long)
    return matrix


def long_table(catalogue, proposals, submitters):
    return merge_both(catalogue, proposals, submitters)[1]


def cells(catalogue, proposals, submitters) -> list[dict]:
    """Each resolution's cells as the view has them: {region: [(first line, lines), ...]}."""
    matrix, long = merge_both(catalogue, proposals, submitters)
    view = matrix_view(
        config=MatrixOptions(),
        submitter_codes=submitters,
        members=(),
        matrix=matrix,
        long=long,
        generated=dt.datetime(2024, 10, 1, tzinfo=dt.UTC),
    )
    return [
        {c.submitter.code: [(p.head, list(p.lines)) for p in c.proposals] for c in row.cells}
        for row in view.rows
    ]


def catalogue(*keys: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            F.KEY: list(keys),
            F.TITLE: [f"Title {k}" for k in keys],
            F.TOPIC: ["Topic"] * len(keys),
            F.PRIORITY: ["High"] * len(keys),
            F.ANALYSIS: [None] * len(keys),
            F.PUBLIC: ["Yes"] * len(keys),
        }
    )


def proposals(*rows) -> pd.DataFrame:
    """rows: (region, key, action, concern, summary, document)."""
    frame = pd.DataFrame(
        rows, columns=[F.SUBMITTER, F.KEY, F.ACTION, F.CONCERN, F.SUMMARY, F.DOCUMENT]
    )
    frame[F.NOTES] = None
    frame[F.PUBLIC] = "Yes"
    frame[F.RESULT] = None
    frame[F.GROUP] = "Regional group"
    frame[F.CO_SIGNERS] = None
    frame[F.ROW] = range(4, 4 + len(frame))
    frame[F.SOURCE] = frame[F.SUBMITTER] + ".xlsx row " + frame[F.ROW].astype(str)
    return frame


def test_numbered_resolutions_sort_by_number_then_drafts_in_catalogue_order():
    cat = catalogue("NEW-ZETA", "100", "10", "NEW-ALPHA", "2")
    matrix = merge(cat, proposals(), ["APT"])
    assert matrix["Resolution"].tolist() == [
        "Res. 2",
        "Res. 10",
        "Res. 100",
        "NEW-ZETA",
        "NEW-ALPHA",
    ]


def test_a_cell_shows_action_concern_summary_and_document():
    rows = proposals(("APT", "64", "MOD", "High", "Text", "Doc 38 Add.7"))
    matrix = merge(catalogue("64"), rows, ["APT"])
    assert cells(catalogue("64"), rows, ["APT"]) == [
        {"APT": [("MOD · High concern", ["Text", "Doc 38 Add.7"])]}
    ]
    assert matrix.loc[0, "APT concern"] == "High"


def test_several_proposals_share_a_cell_separated_by_a_blank_line_with_the_highest_concern():
    rows = proposals(
        ("RCC", "64", "MOD", "Medium", "Report on IPv6", "Doc 42 Add.11"),
        ("RCC", "64", "MOD", "High", "ITU as IPv6 registry", "Doc 42 Add.10"),
        ("RCC", "64", "MOD", "Low", "Editorial", None),
    )
    matrix = merge(catalogue("64"), rows, ["RCC"])
    assert cells(catalogue("64"), rows, ["RCC"]) == [
        {
            "RCC": [
                ("MOD · Medium concern", ["Report on IPv6", "Doc 42 Add.11"]),
                ("MOD · High concern", ["ITU as IPv6 registry", "Doc 42 Add.10"]),
                ("MOD · Low concern", ["Editorial"]),
            ]
        }
    ]
    assert matrix.loc[0, "RCC concern"] == "High"
    assert matrix.loc[0, "Overall concern"] == "High"


def test_noc_without_concern_counts_as_none_and_may_have_no_summary():
    rows = proposals(("CEPT", "64", "NOC", None, None, "Doc 40 Add.2"))
    matrix = merge(catalogue("64"), rows, ["CEPT"])
    assert cells(catalogue("64"), rows, ["CEPT"]) == [
        {"CEPT": [("NOC · No concern", ["Doc 40 Add.2"])]}
    ]
    assert matrix.loc[0, "CEPT concern"] == "None"


def test_a_region_without_proposals_gets_an_empty_cell_and_overall_takes_the_row_maximum():
    rows = proposals(
        ("APT", "2", "MOD", "Low", "a", "d1"), ("CEPT", "2", "MOD", "Medium", "b", "d2")
    )
    matrix = merge(catalogue("2", "7"), rows, ["APT", "ATU", "CEPT"])
    first, second = matrix.to_dict("records")
    assert first["ATU concern"] == ""
    assert first["Overall concern"] == "Medium"
    assert [second[f"{r} concern"] for r in ("APT", "ATU", "CEPT")] == ["", "", ""]
    assert second["Overall concern"] == ""
    shown = cells(catalogue("2", "7"), rows, ["APT", "ATU", "CEPT"])
    assert [list(map(len, row.values())) for row in shown] == [[1, 0, 1], [0, 0, 0]]


def test_long_table_keeps_every_proposal_in_matrix_order():
    rows = proposals(
        ("CEPT", "NEW-AI", "ADD", "Low", "c", "d"),
        ("APT", "64", "MOD", "High", "a", "d"),
        ("CEPT", "2", "NOC", None, None, None),
        ("APT", "2", "MOD", "None", "b", "d"),
        ("APT", "2", "SUP", "Low", "b2", "d2"),
    )
    long = long_table(catalogue("NEW-AI", "64", "2"), rows, ["CEPT", "APT"])
    assert len(long) == len(rows)
    assert list(zip(long["Resolution"], long["Region"], long["Action"], strict=True)) == [
        ("Res. 2", "CEPT", "NOC"),
        ("Res. 2", "APT", "MOD"),
        ("Res. 2", "APT", "SUP"),
        ("Res. 64", "APT", "MOD"),
        ("NEW-AI", "CEPT", "ADD"),
    ]
    assert long["Concern"].tolist() == ["None", "None", "Low", "High", "Low"]


def test_merge_does_not_change_its_inputs():
    cat, rows = catalogue("2"), proposals(("APT", "2", "NOC", None, None, None))
    before = (cat.copy(), rows.copy())
    merge(cat, rows, ["APT"])
    long_table(cat, rows, ["APT"])
    pd.testing.assert_frame_equal(cat, before[0])
    pd.testing.assert_frame_equal(rows, before[1])
