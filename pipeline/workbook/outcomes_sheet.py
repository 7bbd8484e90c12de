"""The Outcomes sheet, and what the other sheets say about outcomes: which concerns the assembly
resolved, how each group's proposals fared, and the High concerns left open, first."""

from __future__ import annotations

import pandas as pd

from ..matrix.outcomes import ASSESSED, RESULTS, UNDECIDED
from ..matrix.view import SHOWN_KEY, MatrixView
from ..words.excel import Page
from ..words.frames import ASSESSMENT, DECIDED, OUTCOME, SUBMITTER, SUMMARY, TITLE
from ..words.vocab import Assessment, Concern, Outcome, Result
from .printing import setup
from .styles import ASSESSMENT_CHART_FILLS, NO_OUTCOME_CHART_FILL, Formats, row_height, write_text
from .textwidth import wrapped_lines

OUTCOMES_SHEET = "Outcomes"
WIDTHS = [16.0, 34.0, 16.0, 16.0, 16.0, 16.0, 12.0]
_ASSESSED_WORDS = {a.code: a.words for a in Assessment}


def legend_sections(f: Formats, with_outcomes: bool) -> dict[str, list]:
    """The Legend's lines on outcomes: the matrix columns, then sections of their own."""
    if not with_outcomes:
        return {"columns": [], "sections": []}
    return {
        "columns": [
            (
                OUTCOME,
                "What the {assembly} decided, in bold, then what was decided and the final "
                "text's document. A draft adopted under a number shows it beside its key "
                "(NEW-AI → Res. 101). Empty: no outcome recorded yet.",
                None,
            ),
            (
                ASSESSMENT,
                "Whether the concern was resolved for the open Internet, in words and in its "
                "own colours (see below).",
                None,
            ),
        ],
        "sections": [
            ("Outcomes", [(o.code, o.meaning, None) for o in Outcome]),
            (
                "Assessment (whether the concern was resolved)",
                [(a.words, a.meaning, f.assessment[a.code]) for a in Assessment],
            ),
            (
                "Results of proposals (the last line of a proposal in its cell)",
                [(r.words, r.meaning, None) for r in Result],
            ),
        ],
    }


def write_outcomes(book, f: Formats, view: MatrixView, page: Page) -> None:
    """The Outcomes sheet of a view with outcomes."""
    sheet = book.add_worksheet(OUTCOMES_SHEET)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    counts = view.outcome_counts
    row = _high_not_resolved(sheet, f, counts.high_not_resolved)

    concerns = counts.by_concern
    labels = [_ASSESSED_WORDS.get(name, name) for name in ASSESSED]
    words = {c.code: c.words for c in Concern}
    chart_header = row
    for what, title in (
        ("Resolutions", "Resolutions by overall concern: was the concern resolved?"),
        ("Proposals", "Proposals by their concern: was the concern resolved?"),
    ):
        table = pd.DataFrame(
            {
                label: concerns[f"{what} {name}"]
                for label, name in zip(labels, ASSESSED, strict=True)
            }
        )
        table.index = [words[c] for c in concerns["Concern"]]
        header = _counts(sheet, f, row, title, "Concern", table, "All concerns")
        if what == "Resolutions":
            chart_header = header
        row = header + len(table) + 3

    results = counts.by_region.set_index(SUBMITTER)
    results.columns = list(RESULTS)
    who, everyone = (
        ("Regional group", "All regional groups")
        if not view.members
        else ("Group or member state", "All")
    )
    title = (
        "Results of each regional group's proposals"
        if not view.members
        else "Results of the proposals of each group and member state"
    )
    row = _counts(sheet, f, row, title, who, results, everyone) + len(results) + 3

    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    first, last = chart_header + 1, chart_header + len(concerns)
    for j, name in enumerate(ASSESSED):
        chart.add_series(
            {
                "name": [OUTCOMES_SHEET, chart_header, 1 + j],
                "categories": [OUTCOMES_SHEET, first, 0, last, 0],
                "values": [OUTCOMES_SHEET, first, 1 + j, last, 1 + j],
                "fill": {"color": ASSESSMENT_CHART_FILLS.get(name, NO_OUTCOME_CHART_FILL)},
                "border": {"color": "#595959"},
            }
        )
    chart.set_title({"name": "Resolutions by overall concern and assessment"})
    chart.set_x_axis({"name": "Resolutions", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})  # highest concern on top, as in the table
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    sheet.insert_chart(row, 0, chart)
    setup(sheet, page, WIDTHS)


def _high_not_resolved(sheet, f: Formats, rows: pd.DataFrame) -> int:
    """The first table: High-concern resolutions whose concern was not (fully) resolved."""
    write_text(sheet, 0, 0, "High-concern resolutions not resolved", f.section)
    if rows.empty:
        write_text(sheet, 1, 0, "Every High-concern resolution had its concern resolved.", f.cell)
        return 4
    header = 1
    for col, name in enumerate(["Resolution", TITLE, OUTCOME, ASSESSMENT]):
        write_text(sheet, header, col, name, f.header)
    sheet.merge_range(header, 4, header, 6, "What was decided", f.header)
    decided_width = sum(WIDTHS[4:])
    for i, rec in enumerate(rows.to_dict("records")):
        row = header + 1 + i
        write_text(sheet, row, 0, rec[SHOWN_KEY], f.key)
        write_text(sheet, row, 1, rec[TITLE] or "", f.cell)
        write_text(sheet, row, 2, rec[DECIDED], f.cell)
        code = rec[ASSESSMENT]
        fmt = f.assessment.get(code, f.overall_none)
        write_text(sheet, row, 3, _ASSESSED_WORDS.get(code, UNDECIDED), fmt)
        sheet.merge_range(row, 4, row, 6, "", f.cell)
        write_text(sheet, row, 4, rec[SUMMARY], f.cell)
        lines = max(
            wrapped_lines(rec[TITLE] or "", WIDTHS[1]),
            wrapped_lines(rec[DECIDED], WIDTHS[2]),
            wrapped_lines(rec[SUMMARY], decided_width),
        )
        sheet.set_row(row, row_height(lines))
    return header + len(rows) + 3


def _counts(sheet, f: Formats, top: int, title: str, first: str, table, total: str) -> int:
    """A table of counts with row and column totals; returns its header row."""
    write_text(sheet, top, 0, title, f.section)
    header = top + 1
    for col, name in enumerate([first, *table.columns, "Total"]):
        write_text(sheet, header, col, str(name), f.header)
    sheet.set_row(header, row_height(2))
    for i, (name, values) in enumerate(table.iterrows()):
        write_text(sheet, header + 1 + i, 0, str(name), f.key)
        for j, value in enumerate(values):
            sheet.write_number(header + 1 + i, 1 + j, int(value), f.number)
        sheet.write_number(header + 1 + i, 1 + len(table.columns), int(values.sum()), f.total)
    bottom = header + 1 + len(table)
    write_text(sheet, bottom, 0, total, f.key)
    for j, name in enumerate(table.columns):
        sheet.write_number(bottom, 1 + j, int(table[name].sum()), f.total)
    sheet.write_number(bottom, 1 + len(table.columns), int(table.to_numpy().sum()), f.total)
    return header
