"""The Summary sheet: counts of proposals by submitter, action and concern (a total per group),
a chart, and how many proposals each country co-signed."""

from __future__ import annotations

import pandas as pd

from .frames import ACTION, CO_SIGNERS, CONCERN, REGION
from .printing import setup
from .styles import CHART_FILLS, Formats, write_text
from .textwidth import width_for
from .vocab import ACTION_CODES, Concern

SUMMARY_SHEET = "Summary"  # the sheet (not the column of that name)
_WORDS = {c.code: c.words for c in Concern}


def write_summary(book, f: Formats, data) -> None:
    """The Summary sheet of `data` (render.MatrixData): counts by column and group, with a
    chart, and how many proposals each country co-signed."""
    sheet = book.add_worksheet(SUMMARY_SHEET)
    long, regions = data.long, data.regions
    groups = data.groups
    widths = [max(22.0, width_for(regions, bold=True)), *[15.0] * 5]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # A total per group, and with member states one for everyone as well.
    totals = [(f"All {group.plural.lower()}", codes) for group, codes in groups]
    if len(groups) > 1:
        totals.append(("All proposals", list(regions)))
    who = "regional group" if len(groups) == 1 else "group or member state"

    def table(top: int, title: str, column: str, values: tuple[str, ...], labels) -> int:
        write_text(sheet, top, 0, title, f.section)
        header = top + 1
        for col, name in enumerate([who.capitalize(), *labels, "Total"]):
            write_text(sheet, header, col, name, f.header)
        counts = pd.crosstab(long[REGION], long[column]).reindex(
            index=regions, columns=list(values), fill_value=0
        )
        for i, region in enumerate(regions):
            write_text(sheet, header + 1 + i, 0, region, f.key)
            for j, value in enumerate(values):
                sheet.write_number(header + 1 + i, 1 + j, int(counts.at[region, value]), f.number)
            sheet.write_number(
                header + 1 + i, 1 + len(values), int(counts.loc[region].sum()), f.total
            )
        for k, (label, codes) in enumerate(totals):
            row = header + 1 + len(regions) + k
            part = counts.loc[codes]
            write_text(sheet, row, 0, label, f.key)
            for j, value in enumerate(values):
                sheet.write_number(row, 1 + j, int(part[value].sum()), f.total)
            sheet.write_number(row, 1 + len(values), int(part.to_numpy().sum()), f.total)
        return header

    table(0, f"Proposals by {who} and action", ACTION, ACTION_CODES, ACTION_CODES)
    concern_order = tuple(c.code for c in Concern.highest_first())  # as the matrix is read
    top = len(regions) + len(totals) + 3
    header = table(
        top,
        f"Proposals by {who} and concern",
        CONCERN,
        concern_order,
        [_WORDS[c] for c in concern_order],
    )
    below = header + len(regions) + len(totals) + 2
    below = _co_signed(sheet, f, long, below)

    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    first, last = header + 1, header + len(regions)
    for j, concern in enumerate(concern_order):
        chart.add_series(
            {
                "name": [SUMMARY_SHEET, header, 1 + j],
                "categories": [SUMMARY_SHEET, first, 0, last, 0],
                "values": [SUMMARY_SHEET, first, 1 + j, last, 1 + j],
                "fill": {"color": CHART_FILLS[concern]},
                "border": {"color": "#595959"},
            }
        )
    chart.set_title({"name": f"Proposals by {who} and concern"})
    chart.set_y_axis({"name": "Proposals", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 360})
    # Under the tables, not beside them: the sheet then prints on one page.
    sheet.insert_chart(below, 0, chart)
    setup(sheet, data.page, widths)


def _co_signed(sheet, f: Formats, long: pd.DataFrame, top: int) -> int:
    """How many proposals each country co-signed, most first; the row after it."""
    signed = long[CO_SIGNERS].fillna("")
    codes = signed[signed != ""].str.split(", ").explode()
    if codes.empty:
        return top
    counts = codes.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    write_text(sheet, top, 0, "Proposals co-signed, by country", f.section)
    write_text(sheet, top + 1, 0, "Country", f.header)
    write_text(sheet, top + 1, 1, "Proposals", f.header)
    for i, (code, count) in enumerate(counts.items()):
        write_text(sheet, top + 2 + i, 0, code, f.key)
        sheet.write_number(top + 2 + i, 1, int(count), f.number)
    return top + 2 + len(counts) + 1
