"""The workbook's look, defined once: colours, named formats, and writing text safely.

Shared by every sheet the pipeline writes (the matrix and its Changes sheet, the templates).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .merge import CONCERNS

EXCEL_CELL_LIMIT = 32_767
MAX_ROW_HEIGHT = 409  # points; Excel's own maximum
LINE_HEIGHT = 15  # points per line of 11-point text

# Fill colours by concern, as the team has always coloured the matrix.
FILLS = {"High": "#F4CCCC", "Medium": "#FCE5CD", "Low": "#FFF2CC", "None": "#D9EAD3"}
HEADER_FILL = "#1F3864"
BORDER_COLOUR = "#A6A6A6"

# Named formats (xlsxwriter property dicts), defined once.
TITLE = {"bold": True, "font_size": 16}
SUBTITLE = {"font_size": 11, "font_color": "#404040"}
NOTICE = {"bold": True, "font_color": "#9C0006"}
HOW_TO_READ = {"italic": True, "text_wrap": True, "valign": "top", "font_color": "#404040"}
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
KEY_CELL = {**CELL, "bold": True}
OVERALL_CELL = {**CELL, "bold": True, "align": "center"}
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
        self.number, self.total = add(NUMBER), add(TOTAL)
        self.concern = {c: add({**CELL, "bg_color": FILLS[c]}) for c in CONCERNS}
        self.overall = {c: add({**OVERALL_CELL, "bg_color": FILLS[c]}) for c in CONCERNS}
        self.overall_none = add({**OVERALL_CELL, "bold": False, "font_color": "#808080"})
        self.changed = {c: add({**CELL, **CHANGED_BORDER, "bg_color": FILLS[c]}) for c in CONCERNS}
        self.changed_empty = add({**CELL, **CHANGED_BORDER})
        self.emphasis = add({**CELL, "bold": True, "bg_color": "#FFEB9C"})
        self.changes_line = add({"bold": True, "font_color": "#1F3864"})
        self.long_cell = add({"text_wrap": True, "valign": "top"})


def write_text(sheet, row: int, col: int, value, fmt=None) -> None:
    """Write a value as text (never a formula); an empty value leaves a formatted blank."""
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    if not text:
        sheet.write_blank(row, col, None, fmt)
        return
    if sheet.write_string(row, col, text, fmt) == -2:
        # Inputs over the limit are rejected and long matrix cells shortened before this point.
        raise AssertionError(f"text of {len(text)} characters reached a cell at row {row + 1}")


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at this column width (about one character per width unit)."""
    if not text:
        return 1
    per_line = max(1, int(width * 1.2) - 1)
    # Wrapping at word boundaries leaves each line a little short of full.
    return sum(
        1 if len(line) <= per_line else math.ceil(len(line) * 1.15 / per_line)
        for line in text.split("\n")
    )


def estimate_lines(texts: pd.Series, width: float) -> np.ndarray:
    """`wrapped_lines` for a whole column at once; texts with line breaks go one by one."""
    texts = texts.fillna("").astype(object)
    per_line = max(1, int(width * 1.2) - 1)
    lengths = texts.str.len().to_numpy(dtype=float)
    lines = np.where(lengths <= per_line, 1, np.ceil(lengths * 1.15 / per_line))
    breaks = texts.str.contains("\n", regex=False).to_numpy(dtype=bool)
    if breaks.any():
        lines[breaks] = [wrapped_lines(t, width) for t in texts[breaks]]
    return lines.astype(int)


def row_height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 3)
