"""How every sheet prints: on the paper chosen in matrix.toml, with one header and footer
everywhere, and type that stays legible.

A sheet that fits the page's width at a legible size prints one page wide. A wider one is not
shrunk further: it is printed at the smallest legible scale and spread over several pages
wide, each page starting at a whole column and repeating the sheet's first columns (the
Resolution and its title) and its header row, so that every page can be read on its own.
A list whose rows must be read across at a glance (the Changes sheet) prints one page wide
whatever its width, and fits its columns to the room a page has at the legible size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..words.excel import PAPERS, Page, excel_length, fits, footer, header
from .textwidth import column_px

#: Portrait page width and height in points.
PAGE_POINTS = {"A3": (841.89, 1190.55), "A4": (595.28, 841.89), "Letter": (612.0, 792.0),
               "Legal": (612.0, 1008.0)}  # fmt: skip
#: The smallest printed type: the matrix is read on paper in meetings.
LEGIBLE_POINTS = {"A3": 8.0, "A4": 7.0, "Letter": 7.0, "Legal": 7.0}
FONT_POINTS = 11  # the workbook's body text
SIDE_MARGIN = 0.4  # inches
TOP_MARGIN, HEADER_MARGIN = 0.75, 0.3
_WIDER = 7.6 / 7


@dataclass(frozen=True)
class Plan:
    """How one sheet prints: orientation, scale (None: fit to one page wide) and page breaks."""

    landscape: bool
    scale: int | None  # percent
    breaks: tuple[int, ...] = ()  # 0-based columns that start a new page


def _points(widths: list[float]) -> float:
    """The printed width of columns at full size. LibreOffice draws a column a little wider than
    Excel does (about 7.5 pixels per unit of width against Excel's 7): plan for the wider."""
    return sum(column_px(w) * _WIDER for w in widths) * 0.75


def points(widths: list[float]) -> float:
    """The printed width of columns of these widths, in points at full size."""
    return _points(widths)


def legible_room(paper: str, landscape: bool = True) -> float:
    """How wide columns may be together (in points at full size, as `points` counts) to print
    one page wide with the type no smaller than the legible size."""
    least = math.ceil(100 * LEGIBLE_POINTS[paper] / FONT_POINTS)
    return _printable(paper, landscape) * 100 / least


def _printable(paper: str, landscape: bool) -> float:
    width, height = PAGE_POINTS[paper]
    return (height if landscape else width) - 2 * SIDE_MARGIN * 72


def plan(
    widths: list[float],
    paper: str,
    repeat: int = 0,
    landscape: bool | None = None,
    one_page_wide: bool = False,
) -> Plan:
    """Fit columns of these widths on the paper: one page wide if that keeps the type legible
    (or if asked to, `one_page_wide`), else as many pages wide as needed at the legible scale,
    breaking between columns."""
    total = _points(widths)
    if landscape is None:  # portrait when the sheet fits the page's width at full size
        landscape = total > _printable(paper, False)
    room = _printable(paper, landscape)
    least = math.ceil(100 * LEGIBLE_POINTS[paper] / FONT_POINTS)
    if one_page_wide or total * least / 100 <= room:
        return Plan(landscape, None)
    repeated = _points(widths[:repeat])
    per_page = room * 100 / least - repeated
    breaks, used = [], 0.0
    for col in range(repeat, len(widths)):
        width = _points([widths[col]])
        if used and used + width > per_page:
            breaks.append(col)
            used = 0.0
        used += width
    return Plan(landscape, least, tuple(breaks))


def setup(
    sheet,
    page: Page,
    widths: list[float],
    repeat_columns: int = 0,
    header_row: int | None = None,
    landscape: bool | None = None,
    header_from: int | None = None,
    one_page_wide: bool = False,
) -> Plan:
    """Paper, orientation, scale, page breaks, repeated rows and columns, header and footer.

    The rows from `header_from` (when the header has a row of groups above it) to `header_row`
    are printed on every page."""
    chosen = plan(widths, page.paper, repeat_columns, landscape, one_page_wide)
    sheet.set_paper(PAPERS[page.paper])
    if chosen.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if chosen.scale is None:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(chosen.scale)
        sheet.set_v_pagebreaks(list(chosen.breaks))
        # The pages of one band of rows follow each other, so a row is read across in turn.
        sheet.print_across()
        if repeat_columns:
            sheet.repeat_columns(0, repeat_columns - 1)
    if header_row is not None:
        sheet.repeat_rows(header_row if header_from is None else header_from, header_row)
    sheet.set_margins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=TOP_MARGIN)
    for built, place, put in ((header(page), "header", sheet.set_header),
                              (footer(page), "footer", sheet.set_footer)):  # fmt: skip
        if not fits(built):  # matrix_toml.load_config refuses what would not fit
            raise AssertionError(f"a page {place} of {excel_length(built)} characters was built")
        put(built, {"margin": HEADER_MARGIN})
    return chosen
