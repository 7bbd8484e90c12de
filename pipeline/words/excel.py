"""Excel's own rules, defined once: how it counts a text's length, the longest text a cell holds,
its paper codes, and the header and footer it prints on every page (which must stay within
Excel's limit, or it drops them).

Every wing reads these: the inputs are checked against them, and the workbook is written by them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The most a cell holds, in UTF-16 units, as Excel counts: an emoji counts twice.
EXCEL_CELL_LIMIT = 32_767
#: Paper sizes a matrix prints on: the name in matrix.toml -> Excel's paper code.
PAPERS = {"A3": 8, "A4": 9, "Letter": 1, "Legal": 5}
#: The colour of the notice, in the header of every printed page and atop every sheet.
NOTICE_COLOUR = "#9C0006"
_TITLE_IN_FOOTER = 80  # characters
#: Excel's limit for a header or footer, in UTF-16 units as it counts them: a longer one is
#: dropped from every page, by xlsxwriter without a word, so each is checked once built.
HEADING_LIMIT = 255
#: The longest edition a footer can name, for checking matrix.toml before any is made.
LONGEST_EDITION = "Version 9999 · as of 30 September 2024"  # a public one


@dataclass(frozen=True)
class Page:
    """What every printed page of one workbook says, and the paper it is printed on."""

    title: str
    edition: str  # "Release v3 · 14 October 2024" or "Draft · 28 November 2026"
    notice: str = ""
    paper: str = "A3"


def excel_length(text: str) -> int:
    """The length of a text as Excel counts it, in UTF-16 units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, units: int) -> str:
    """The longest start of `text` that is at most `units` long as Excel counts, never
    splitting a character."""
    if excel_length(text) <= units:
        return text
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def excel_lengths(texts):
    """`excel_length` of a pandas column of texts (missing stays missing); only texts that
    could pass Excel's limit are measured one by one."""
    lengths = texts.astype(object).str.len()
    long = lengths > EXCEL_CELL_LIMIT // 2  # up to here, even all-emoji text is within it
    if long.any():
        lengths[long] = texts[long].map(excel_length)
    return lengths.astype("float64")


def fits(built: str) -> bool:
    """Whether Excel keeps this header or footer (as `header` and `footer` build it)."""
    return excel_length(built) <= HEADING_LIMIT


def header(page: Page) -> str:
    """The notice, when there is one, at the top of every page in bold red."""
    if not page.notice:
        return ""
    return f'&C&"-,Bold"&K{NOTICE_COLOUR[1:]}{_escape(page.notice)}'


def footer(page: Page) -> str:
    """Title on the left, page number in the middle, edition and date on the right."""
    title = page.title
    if len(title) > _TITLE_IN_FOOTER:
        title = title[: _TITLE_IN_FOOTER - 1] + "…"
    return f"&L{_escape(title)}&CPage &P of &N&R{_escape(page.edition)}"


def _escape(text: str) -> str:
    return text.replace("&", "&&")
