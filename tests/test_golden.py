"""The matrix built from the shipped inputs, compared cell by cell and format by format with
the golden workbook in tests/golden/ (made again, and the change reviewed, with make golden)."""

from __future__ import annotations

import difflib

import golden


def test_the_shipped_matrix_matches_the_golden_workbook(tmp_path, validating):
    built = tmp_path / "matrix.xlsx"
    golden.build(built)
    now, expected = golden.listing(built), golden.listing(golden.WORKBOOK)
    assert expected == golden.LISTING.read_text(encoding="utf-8").splitlines()
    difference = list(difflib.unified_diff(expected, now, "golden", "built", lineterm="", n=1))
    assert not difference, "\n".join(difference[:80])
    assert len(now) > 1_000  # every cell of six sheets: the comparison saw the workbook
