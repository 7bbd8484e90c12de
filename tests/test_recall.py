"""Watch mode's memory of the rules' findings (pipeline/checking/recall.py): after any edit, the
same problems, in the same order, as validating from nothing; and only the rules that read what
changed run again."""

from __future__ import annotations

import openpyxl
import pytest

from pipeline.build import load
from pipeline.checking import recall, validate
from pipeline.settings import Settings
from pipeline.words.frames import FILE, GROUP, ROW, SUMMARY


def edit(path, *cells: tuple[int, str, object]) -> None:
    """Type each (row, column, value): row 1 is the first under the header."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = next(r for r in sheet.iter_rows() if r[0].value == "Resolution")
    names = [c.value for c in header]
    for row, column, value in cells:
        sheet.cell(row=header[0].row + row, column=names.index(column) + 1).value = value
    book.save(path)


def delete_row(path, resolution) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    row = next(r[0].row for r in sheet.iter_rows() if r[0].value == resolution)
    sheet.delete_rows(row)
    book.save(path)


@pytest.fixture
def rules_run(monkeypatch, validating):
    """The codes of the rules each suite ran, in order, since the list was last cleared."""
    ran: list[tuple[str, str]] = []
    real = validate._run_suite

    def recorded(name, data, rules, *args):
        ran.extend((name, r["meta"]["code"]) for r in rules)
        return real(name, data, rules, *args)

    monkeypatch.setattr(validate, "_run_suite", recorded)
    monkeypatch.setattr(recall, "_MEMORY", {})
    return ran


def findings(settings) -> list:
    loaded = load(settings)
    return validate.validate(loaded.catalogue, loaded.proposals, loaded.tables, loaded.outcomes)


def from_nothing(settings) -> list:
    memory, recall._MEMORY = recall._MEMORY, None
    try:
        return findings(settings)
    finally:
        recall._MEMORY = memory


APT, USA = "regions/APT.xlsx", "members/USA.xlsx"
CATALOGUE, OUTCOMES = "resolutions.xlsx", "outcomes.xlsx"
# Saves, each kept: the inputs grow more wrong, then are put partly right. The placeholders of
# the messages are what a stale finding would get wrong: {key}, {document}, {bad}, {group}.
SAVES = [
    {APT: [(1, "Action", "ADD")]},  # ADD on Res. 2: "Action 'ADD' is only for draft ...; Res. 2"
    {APT: [(1, "Resolution", 64)]},  # the same problem, now naming Res. 64
    # APT's second proposal made the same as its first, on the same document: a duplicate...
    {APT: [(2, "Resolution", 64), (2, "Action", "ADD"), (2, "Document", "Doc 37 Add.1")]},
    {APT: [(2, "Document", "doc 37   ADD.1")]},  # ...the same document still, named otherwise
    {USA: [(2, "Summary", None), (2, "Co-signers", "AUS, 12X")]},
    {USA: [(2, "Co-signers", "AUS, 13Y"), (2, "Concern", "Very high")]},
    {CATALOGUE: [(3, "Title", None)], OUTCOMES: [(1, "Outcome", "MODIFED")]},
    {APT: [(1, "Action", "MOD")], OUTCOMES: [(1, "Outcome", "MODIFIED")]},  # put right
]


@pytest.mark.slow
def test_after_every_save_the_problems_are_those_found_from_nothing(shipped_inputs, rules_run):
    settings = Settings(inputs=shipped_inputs, outputs=shipped_inputs.parent / "outputs")
    assert findings(settings) == from_nothing(settings) == []
    messages = set()
    for number, save in enumerate(SAVES, start=1):
        for name, cells in save.items():
            edit(shipped_inputs / name, *cells)
        remembered = findings(settings)
        assert remembered == from_nothing(settings), f"after save {number}: {save}"
        messages |= {p.message for p in remembered}
    # The saves did make the messages whose placeholders a stale finding would get wrong.
    assert {
        "Action 'ADD' is only for draft new resolutions (NEW-...); Res. 2 already exists, so "
        "use MOD, SUP or NOC",
        "Action 'ADD' is only for draft new resolutions (NEW-...); Res. 64 already exists, so "
        "use MOD, SUP or NOC",
        "the same proposal (Res. 64 ADD, document Doc 37 Add.1) is already on row 6; delete one "
        "of the two rows",
        "the same proposal (Res. 64 ADD, document doc 37   ADD.1) is already on row 6; delete "
        "one of the two rows",
        "Co-signers 'AUS, 12X': '12X' is not a country code of 1 to 3 letters (like AUS, or B for "
        "Brazil); separate the codes with commas",
        "Co-signers 'AUS, 13Y': '13Y' is not a country code of 1 to 3 letters (like AUS, or B for "
        "Brazil); separate the codes with commas",
        "Summary is empty; say what the member state proposes (it may be left empty only for NOC)",
    } <= messages


def test_a_summary_edited_reruns_only_the_rules_that_read_summaries(shipped_inputs, rules_run):
    settings = Settings(inputs=shipped_inputs, outputs=shipped_inputs.parent / "outputs")
    findings(settings)
    assert len(rules_run) == sum(
        len(validate.load_suite(s)["expectations"]) for s in ("catalogue", "proposals", "outcomes")
    )
    rules_run.clear()
    edit(shipped_inputs / APT, (1, "Summary", "Edited"))
    assert findings(settings) == []
    assert rules_run == [("proposals", "summary-missing"), ("proposals", "too-long")]
    assert from_nothing(settings) == []

    rules_run.clear()  # a resolution left out of the catalogue: the rules that name it rerun
    delete_row(shipped_inputs / "resolutions.xlsx", 48)
    remembered = findings(settings)
    assert ("proposals", "resolution-unknown") in rules_run
    assert ("outcomes", "resolution-unknown") in rules_run
    assert ("proposals", "summary-missing") not in rules_run
    assert remembered == from_nothing(settings)
    assert {p.code for p in remembered} == {"resolution-unknown"}


def test_a_rule_that_quotes_an_unknown_placeholder_depends_on_every_column():
    rule = {"meta": {"column": "Summary", "message": "Summary {value} is like {something}"}}
    assert validate._quoted_columns(rule) is None
    rule["meta"]["message"] = "Summary {value} of {group}; one of {actions}"
    assert validate._quoted_columns(rule) == {FILE, ROW, SUMMARY, GROUP}
