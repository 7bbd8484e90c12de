"""The shipped WTSA-24 example: it meets the contract and builds a correct matrix."""

from __future__ import annotations

import collections

import openpyxl
import pytest

from conftest import SHIPPED_INPUTS, all_rows, codes

REGIONS = ["APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC"]
MEMBERS = ["USA", "B"]  # illustrative member states


def typed_rows(path, sheet):
    """The rows under the header as an analyst sees them in Excel, read without the pipeline."""
    rows = [list(r) for r in all_rows(path, sheet)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Resolution")
    header = rows[header_at]
    body = [dict(zip(header, r, strict=False)) for r in rows[header_at + 1 :]]
    return rows[:header_at], [r for r in body if any(v not in (None, "") for v in r.values())]


@pytest.fixture(scope="module")
def shipped(shipped_matrix):
    """The shared build of the shipped inputs, and its workbook read once for this module."""
    return shipped_matrix, openpyxl.load_workbook(shipped_matrix.path)


def test_shipped_data_set_covers_the_contract():
    _, catalogue = typed_rows(SHIPPED_INPUTS / "resolutions.xlsx", "Resolutions")
    keys = [str(r["Resolution"]) for r in catalogue]
    assert len(keys) >= 25
    assert sum(k.startswith("NEW-") for k in keys) == 8
    proposals = []
    for folder, code in [*(("regions", c) for c in REGIONS), *(("members", c) for c in MEMBERS)]:
        notes, rows = typed_rows(SHIPPED_INPUTS / folder / f"{code}.xlsx", "Proposals")
        assert any("ILLUSTRATIVE EXAMPLE" in str(cell) for row in notes for cell in row), code
        proposals += [dict(r, region=code) for r in rows]
    assert sum(bool(p.get("Co-signers")) for p in proposals) >= 5  # some were co-signed
    assert len(proposals) >= 60
    assert {p["Action"] for p in proposals} == {"ADD", "MOD", "SUP", "NOC"}
    assert {p["Concern"] for p in proposals} >= {"High", "Medium", "Low", "None"}
    per_cell = collections.Counter((p["region"], str(p["Resolution"])) for p in proposals)
    assert max(per_cell.values()) >= 2  # some region makes several proposals on one resolution


def test_every_shipped_proposal_reaches_the_proposals_sheet(shipped):
    built, book = shipped
    typed = collections.Counter()
    for folder, submitters in (("regions", REGIONS), ("members", MEMBERS)):
        for code in submitters:
            _, rows = typed_rows(SHIPPED_INPUTS / folder / f"{code}.xlsx", "Proposals")
            typed.update((code, r["Action"], r["Document"], r["Summary"] or None) for r in rows)
    header = [c.value for c in book["Proposals"][1]]
    at = [header.index(name) for name in ("Region", "Action", "Document", "Summary")]
    written = collections.Counter(
        tuple(r[i] for i in at) for r in book["Proposals"].iter_rows(min_row=2, values_only=True)
    )
    assert written == typed
    assert built.proposals == sum(typed.values())


def test_shipped_matrix_is_labelled_illustrative_and_ordered(shipped):
    built, book = shipped
    assert book["About"]["A3"].value.startswith("ILLUSTRATIVE EXAMPLE")
    ws = book["Matrix"]
    assert ws.oddHeader.center.text.startswith("ILLUSTRATIVE EXAMPLE")  # on every page
    header = codes(ws[2])  # under the row of groups
    assert header[7:15] == REGIONS + MEMBERS
    assert ws["H1"].value == "Regional groups" and ws["N1"].value == "Member states"
    keys = [r[0] for r in ws.iter_rows(min_row=3, max_col=1, values_only=True)]
    assert len(keys) == built.resolutions
    numbers = [int(k.split()[1]) for k in keys if k.startswith("Res. ")]
    assert numbers == sorted(numbers)
    drafts = [k for k in keys if k.startswith("NEW-")]
    assert keys == [f"Res. {n}" for n in numbers] + drafts
    assert drafts[0] == "NEW-AI → Res. 101"  # adopted under that number (illustrative)


def test_shipped_cell_with_two_proposals_shows_both_and_the_higher_concern(shipped):
    _, book = shipped
    ws = book["Matrix"]
    header = codes(ws[2])
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "Res. 64")
    rcc = row[header.index("RCC")]
    assert rcc.value.count("MOD · ") == 2
    assert "\n\n" in rcc.value
    assert rcc.fill.fgColor.rgb == "FFF4CCCC"  # High, the higher of High and Medium
    assert row[header.index("Overall concern")].value == "High concern"
