"""The workbook's look, defined once: colours, named formats, and writing text safely.

Shared by every sheet the pipeline writes (the matrix and its Changes sheet, the templates).
"""

from __future__ import annotations

import math
from io import StringIO

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import CellRichStringTuple, Worksheet, _preserve_whitespace
from xlsxwriter.xmlwriter import XMLwriter

from ..words.excel import EXCEL_CELL_LIMIT, NOTICE_COLOUR, excel_length
from ..words.vocab import Assessment, Concern
from .textwidth import many_wrapped_lines, row_points

MAX_ROW_HEIGHT = 409  # points; Excel's own maximum

# Fill colours by concern code (the vocabulary's), as the team has always coloured the matrix.
FILLS = {c.code: c.fill for c in Concern.highest_first()}
# The charts' colours: the cells' hues (red, orange, yellow, green; blue, lilac, purple, grey),
# but as far apart in lightness as in hue, so that bars side by side are told apart printed in
# grey too (at least 15 apart in CIE L*; the cells' light fills are as little as 1 apart):
# darkest for the most concern, and for a concern not resolved.
CHART_FILLS = {
    Concern.HIGH.code: "#8E1A2E",  # L* 31
    Concern.MEDIUM.code: "#C65A0A",  # L* 51
    Concern.LOW.code: "#E0A800",  # L* 72
    Concern.NONE.code: "#D9EAD3",  # L* 91, the cells' own green
}
ASSESSMENT_CHART_FILLS = {
    Assessment.NOT_RESOLVED.code: "#5E1550",  # L* 22
    Assessment.RESOLVED.code: "#2A64A0",  # L* 41
    Assessment.PARTLY.code: "#A08CCB",  # L* 62
    Assessment.NA.code: "#CACACA",  # L* 81
}
NO_OUTCOME_CHART_FILL = "#FFFFFF"  # L* 100: nothing decided yet
HEADER_FILL = "#1F3864"
BORDER_COLOUR = "#A6A6A6"

# Named formats (xlsxwriter property dicts), defined once.
TITLE = {"bold": True, "font_size": 16}
SUBTITLE = {"font_size": 11, "font_color": "#404040"}
NOTICE = {"bold": True, "font_color": NOTICE_COLOUR, "text_wrap": True, "valign": "top"}
HOW_TO_READ = {"text_wrap": True, "valign": "top", "font_color": "#404040"}
HEADER = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": HEADER_FILL,
    "text_wrap": True,
    "valign": "vcenter",
    "align": "center",
    "border": 1,
    "border_color": BORDER_COLOUR,
}
CELL = {"text_wrap": True, "valign": "top", "border": 1, "border_color": BORDER_COLOUR}
KEY_CELL = {**CELL, "bold": True, "text_wrap": False}
OVERALL_CELL = {**CELL, "bold": True, "align": "center", "text_wrap": False}
SECTION = {"bold": True, "font_size": 12}
NUMBER = {"border": 1, "border_color": BORDER_COLOUR, "align": "center"}
TOTAL = {**NUMBER, "bold": True}
# A changed cell keeps its concern colour and gets a thick black frame: it survives printing in
# black and white, which a colour alone would not.
CHANGED_BORDER = {"border": 5, "border_color": "#000000"}


class Formats:
    """The workbook's formats, each created once."""

    def __init__(self, book):
        add = book.add_format
        self.title, self.subtitle, self.notice = add(TITLE), add(SUBTITLE), add(NOTICE)
        self.how_to_read, self.header = add(HOW_TO_READ), add(HEADER)
        self.cell, self.key, self.section = add(CELL), add(KEY_CELL), add(SECTION)
        self.label = add({**CELL, "bold": True})  # a key that may wrap: the Legend's
        self.number, self.total = add(NUMBER), add(TOTAL)
        self.concern = {c: add({**CELL, "bg_color": fill}) for c, fill in FILLS.items()}
        self.overall = {c: add({**OVERALL_CELL, "bg_color": fill}) for c, fill in FILLS.items()}
        self.overall_none = add({**OVERALL_CELL, "bold": False, "font_color": "#808080"})
        self.assessment = {a.code: add({**OVERALL_CELL, "bg_color": a.fill}) for a in Assessment}
        self.changed = {
            c: add({**CELL, **CHANGED_BORDER, "bg_color": fill}) for c, fill in FILLS.items()
        }
        self.changed_empty = add({**CELL, **CHANGED_BORDER})
        self.assessment_changed = {
            a.code: add({**OVERALL_CELL, **CHANGED_BORDER, "bg_color": a.fill}) for a in Assessment
        }
        self.emphasis = add({**CELL, "bold": True, "bg_color": "#FFEB9C"})
        self.changes_line = add({"bold": True, "font_color": HEADER_FILL, "text_wrap": True,
                                 "valign": "top"})  # fmt: skip
        self.long_cell = add({"text_wrap": True, "valign": "top"})
        self.long_key = add({"bold": True, "valign": "top"})
        self.link = add({"font_color": "#0563C1", "underline": 1, "bold": True, "valign": "top"})
        # Fonts for parts of a rich-text cell: a proposal's first line, and a "changed" mark.
        self.head = add({"bold": True})
        self.mark = add({"bold": True, "italic": True})
        self.plain = add({})
        self._fonts = {
            id(self.head): {"bold": True},
            id(self.mark): {"bold": True, "italic": True},
            id(self.plain): {},
        }
        self._variants: dict[tuple[int, int], object] = {}
        self._add = add

    def whole(self, cell_format, properties: dict, font):
        """A cell format whose whole text is in `font` (one of the rich-text fonts above): for
        a cell that has a single run, which Excel's rich text cannot hold."""
        key = (id(cell_format), id(font))
        if key not in self._variants:
            self._variants[key] = self._add({**properties, **self._fonts[id(font)]})
        return self._variants[key]


class RichTextSheet(Worksheet):
    """A worksheet that writes rich-text cells fast: a matrix of a hundred thousand proposals
    has a hundred thousand bold first lines, and xlsxwriter's `write_rich_string` spends most
    of its time describing the same few fonts again for every run.
    """

    def write_runs(self, row: int, col: int, runs: list[tuple], cell_format) -> int:
        """Write (font, text) runs as one cell. Each text is non-empty; a run whose font is
        None is in the cell's own font (its XML says no font: a third smaller)."""
        if self._check_dimensions(row, col):
            return -1
        raw = "".join(text for _, text in runs)
        if excel_length(raw) > self.xls_strmax:
            return -2
        # Most cells need no escaping at all: look once at the whole text, not at every run.
        # Control characters and _xHHHH_ literals are left alone: xlsxwriter escapes every
        # shared string, rich ones included, as it writes it (escaped here too, they doubled).
        markup = "&" in raw or "<" in raw or ">" in raw
        parts = []
        for font, text in runs:
            space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
            data = _ESCAPE._escape_data(text) if markup else text
            described = self._font(font) if font is not None else ""
            parts.append(f"<r>{described}<t{space}>{data}</t></r>")
        index = self.str_table._get_shared_string_index("".join(parts))
        self.table[row][col] = CellRichStringTuple(index, cell_format, raw)
        return 0

    def _font(self, xf_format) -> str:
        cache = self.__dict__.setdefault("_font_xml", {})
        found = cache.get(id(xf_format))
        if found is None:
            writer, self.rstring = self.rstring, XMLwriter()
            self.rstring._set_filehandle(StringIO())
            try:
                self._write_font(xf_format)
                found = (xf_format, self.rstring.fh.getvalue())  # the format is kept alive,
            finally:  # so its id is never reused
                self.rstring = writer
            cache[id(xf_format)] = found
        return found[1]


_ESCAPE = XMLwriter()


def write_text(sheet, row: int, col: int, value, fmt=None) -> None:
    """Write a value as text (never a formula); an empty value leaves a formatted blank."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if not text:
        sheet.write_blank(row, col, None, fmt)
        return
    if excel_length(text) > EXCEL_CELL_LIMIT or sheet.write_string(row, col, text, fmt) == -2:
        # Inputs over the limit are rejected and long matrix cells shortened before this point.
        raise AssertionError(f"text of {len(text)} characters reached a cell at row {row + 1}")


def estimate_lines(texts: pd.Series, width: float, most: int = 27) -> np.ndarray:
    """`wrapped_lines` for a whole column at once (see `textwidth.many_wrapped_lines`)."""
    return many_wrapped_lines(texts.fillna("").astype(object).tolist(), width, most=most)


def row_height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, row_points(lines))
