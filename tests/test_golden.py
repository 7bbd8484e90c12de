"""The matrix built from the shipped inputs, compared cell by cell and format by format with
the golden workbook in tests/golden/ (made again, and the change reviewed, with make golden)."""

from __future__ import annotations

import difflib

import golden

from conftest import MATRIX_EPOCH


def test_the_shipped_matrix_matches_the_golden_workbook(shipped_matrix):
    assert MATRIX_EPOCH == golden.EPOCH  # the shared build is made at the golden's moment
    now, expected = golden.listing(shipped_matrix.path), golden.listing(golden.WORKBOOK)
    assert expected == golden.LISTING.read_text(encoding="utf-8").splitlines()
    difference = list(difflib.unified_diff(expected, now, "golden", "built", lineterm="", n=1))
    assert not difference, "\n".join(difference[:80])
    assert len(now) > 1_000  # every cell of six sheets: the comparison saw the workbook
