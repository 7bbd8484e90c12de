"""What python-calamine does not tell about a workbook, read from the file's XML parts.

calamine reads values fast but shows an uncalculated formula or an error cell as blank, and does
not read document properties. One pass over the zip (`look`) tells whether a slower look is
needed, and which template made the workbook. It also tells, before anything is unpacked,
whether a workbook would cost more to read than any real one does: a small file can unpack to
gigabytes, or stretch a sheet to 16,384 columns. The slower look (`unreadable_cells`) is one
load by openpyxl, of the workbooks that pass said it has something to tell.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..words.excel import EXCEL_CELL_LIMIT, excel_length
from ..words.problems import Code, Problem, quoted, size_words
from ..words.stamps import CONFERENCE_PROPERTY, TEMPLATE_VERSION_PROPERTY

#: What openpyxl raises on a workbook whose XML it cannot follow (calamine may read past it).
DAMAGED = (ET.ParseError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            zipfile.BadZipFile, OSError)  # fmt: skip
DAMAGED_CELLS = (
    "is damaged: some of its cells cannot be read to check them ({why}); open it in Excel, "
    "which may offer to repair it, and save it again"
)

#: What one workbook may cost. Real ones are far below: the 100,000-proposal benchmark's
#: workbooks unpack to about 2 MB each.
MAX_UNPACKED = 500 * 1024 * 1024  # bytes, all parts together
MAX_PARTS = 10_000
MAX_ROWS = 200_000
MAX_CELLS = 5_000_000  # rows times columns of the used range

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{1,3})?(\d+)?(?::([A-Za-z]{1,3})(\d+))?\""
)
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]{0,200}?r=\"([A-Z]{1,3})(\d{1,7})\"")
_STRING_START = re.compile(rb"<(?:\w+:)?(?:si|c)[\s>/]")

_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@dataclass(frozen=True)
class Scan:
    formulas_or_errors: bool
    template: tuple[int, str] | None  # (version, conference)
    long_text: bool = False  # a text may be over Excel's limit: look at every cell


@dataclass(frozen=True)
class Parts:
    """What one pass over a workbook's zip found: all a read needs besides calamine's values.

    The pass stops at `cost` if the workbook is too costly to unpack; `extents` then is empty.
    """

    cost: str | None  # why it would cost more to unpack than any real workbook, if it would
    extents: dict[str, tuple[int, int] | None]  # each sheet's (last row, last column)
    scan: Scan

    def extent_problem(self, sheet: str) -> str | None:
        """Why this sheet's used range is too big to read, if it is: every cell of the range
        costs memory, and a single value far to the right or below stretches it."""
        extent = self.extents.get(sheet)
        if extent is None:
            return None
        rows, cols = extent
        end = f"{_column_name(cols)}{rows}"
        if rows > MAX_ROWS:
            return (
                f"the used range reaches row {rows:,} (A1:{end}), more than the {MAX_ROWS:,} "
                "rows read; delete the rows below your data in Excel (even empty-looking ones) "
                "and save"
            )
        if rows * cols > MAX_CELLS:
            return (
                f"the used range is A1:{end}, {rows:,} rows by {cols:,} columns, too big to "
                "read; something far to the right of or below your data makes Excel count "
                "everything in between: delete the columns and rows beyond your data, and save"
            )
        return None


#: What a file that is not a zip at all tells: nothing (the reader says why in its own words).
NOTHING = Parts(None, {}, Scan(False, None))


def look(path: Path) -> Parts:
    """Open the workbook's zip once: its cost, before anything is unpacked; then each sheet's
    used range, whether any sheet holds a formula or an error cell or a text that may be
    longer than a cell can hold, and which template made the workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            cost = _cost_problem(archive.infolist())
            if cost:
                return Parts(cost, {}, NOTHING.scan)
            return _look_inside(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        return NOTHING


def _cost_problem(parts: list[zipfile.ZipInfo]) -> str | None:
    if len(parts) > MAX_PARTS:
        return f"is made of {len(parts):,} parts, more than any real workbook; it is not read"
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        return (
            f"would unpack to {unpacked / 2**20:,.0f} MB, more than the {MAX_UNPACKED // 2**20} "
            "MB a workbook may; it is not read (a workbook of proposals is a few MB at most)"
        )
    return None


def _look_inside(archive: zipfile.ZipFile) -> Parts:
    # Each finding fails on its own, as each was once a look of its own: a damaged sheet
    # leaves its extent unknown, not the template that made the workbook.
    try:
        sheets = _sheet_parts(archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ET.ParseError):
        sheets = {}
    extents: dict[str, tuple[int, int] | None] = dict.fromkeys(sheets)
    # Each part is unpacked once and let go: the extents and the scan read the same bytes.
    for sheet, part in sheets.items():
        if not _scanned(part):
            with contextlib.suppress(zipfile.BadZipFile, zlib.error, OSError, KeyError, ValueError):
                extents[sheet] = _extent(archive.read(part))
    try:
        suspicious = long_text = False
        for name in archive.namelist():
            if not _scanned(name):
                continue
            xml = archive.read(name)
            for sheet in (s for s, part in sheets.items() if part == name):
                extents[sheet] = _extent(xml)
            suspicious = suspicious or (_is_sheet(name) and _formula_or_error(xml))
            long_text = long_text or _may_hold_long_text(xml)
        properties = _custom_properties(archive)
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError):
        return Parts(None, extents, NOTHING.scan)
    version = properties.get(TEMPLATE_VERSION_PROPERTY, "")
    template = None
    if version.isdigit():
        template = (int(version), properties.get(CONFERENCE_PROPERTY, ""))
    return Parts(None, extents, Scan(suspicious, template, long_text))


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _scanned(name: str) -> bool:
    """Is this a part the scan reads whole (a sheet, or the shared strings)?"""
    return _is_sheet(name) or name.endswith("sharedStrings.xml")


def _may_hold_long_text(xml: bytes) -> bool:
    """Could a string (a shared one, or one in a cell) be over Excel's limit? A text takes at
    least one byte of XML for each UTF-16 unit Excel counts, so only a stretch of more than
    EXCEL_CELL_LIMIT bytes between two strings or cells can hold one."""
    if len(xml) <= EXCEL_CELL_LIMIT:
        return False
    previous = 0
    for match in _STRING_START.finditer(xml):
        if match.start() - previous > EXCEL_CELL_LIMIT:
            return True
        previous = match.start()
    return len(xml) - previous > EXCEL_CELL_LIMIT


def sheet_extent(path: Path, sheet: str) -> tuple[int, int] | None:
    """(last row, last column) of a sheet's used range, from its `<dimension>` element, or from
    its cells where it has none; None if the workbook cannot tell."""
    return look(path).extents.get(sheet)


def _extent(xml: bytes) -> tuple[int, int]:
    found = _DIMENSION.search(xml, 0, 1 << 16)
    if found and found[2]:
        last_col, last_row = (found[3], found[4]) if found[3] else (found[1], found[2])
        return int(last_row), _column_number((last_col or b"A").decode())
    return _cells_extent(xml)


def _cells_extent(xml: bytes) -> tuple[int, int]:
    """The furthest row and column any cell names."""
    rows = cols = 0
    for match in _CELL_REF.finditer(xml):
        rows = max(rows, int(match[2]))
        cols = max(cols, _column_number(match[1].decode()))
    return rows, cols


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The zip part that holds each sheet, by the sheet's name."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str | None, str] = {}
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        targets.setdefault(rel.get("Id"), rel.get("Target", ""))
    parts = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        name, rel_id = sheet.get("name"), sheet.get(f"{_REL_NS}id")
        if name in parts or rel_id not in targets:
            continue
        target = targets[rel_id]
        parts[name] = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
    return parts


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_name(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name or "A"


def _why(exc: Exception) -> str:
    return str(exc).splitlines()[0][:100] if str(exc).strip() else type(exc).__name__


def custom_properties(path: Path) -> dict[str, str]:
    """The workbook's custom document properties (File > Properties > Custom), as text."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _custom_properties(archive)
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}


def _custom_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    if "docProps/custom.xml" not in archive.namelist():
        return {}
    try:
        root = ET.fromstring(archive.read("docProps/custom.xml"))
    except ET.ParseError:
        return {}
    return {
        prop.get("name"): "".join(prop.itertext()).strip()
        for prop in root.iter(f"{_CUSTOM_NS}property")
    }


# A formula element (<f>, <f t="shared" .../>, with or without a namespace prefix) or an error
# cell (t="e"). Plain substring tests: a regular expression is ten times slower on big sheets,
# and a false alarm only costs the slower, exact look.
_MARKERS = (b"<f>", b"<f ", b":f>", b":f ", b't="e"')


def _formula_or_error(xml: bytes) -> bool:
    return any(marker in xml for marker in _MARKERS)


def unreadable_cells(
    path: Path,
    rel: str,
    sheet: str,
    header_row: int,
    columns: dict[str, int],
    formulas: bool = True,
    long_text: bool = False,
) -> list[Problem]:
    """What calamine cannot tell of the cells in `columns`, asked of openpyxl in one load of
    the workbook: formula cells with no saved result and cells showing an Excel error (with
    `formulas`), and texts longer than a cell may hold (with `long_text`).

    calamine reads the first two as blank, which would silently drop what the analyst sees,
    and a reader may hand over a long text cut short. openpyxl can tell, slowly, so it is
    asked only about workbooks whose parts (`look`) said it might have something to tell.
    `header_row` is as Excel numbers it; `columns` maps a header to its 0-based column.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except DAMAGED as exc:
        return [_damaged(rel, exc)]
    try:
        found = []
        if formulas:
            found += _cell_value_problems(book, rel, sheet, header_row, columns)
        if long_text:
            found += _long_text_problems(book, rel, sheet, header_row, columns)
        return found
    finally:
        book.close()


def _damaged(rel: str, exc: Exception) -> Problem:
    return Problem(rel, DAMAGED_CELLS.format(why=_why(exc)), Code.UNREADABLE)


def _cells(book, sheet: str, header_row: int, by_col: dict[int, str], data_only: bool):
    """(row, 0-based column, cell) of each cell in `by_col`'s columns below the header, as
    openpyxl reads them with or without the values saved for formulas. A read-only workbook
    reads its sheets only when asked, as the book's `data_only` then says: one load gives both
    readings (openpyxl's private flag; a second load of the file would cost as much again)."""
    book._data_only = data_only
    rows = book[sheet].iter_rows(
        min_row=header_row + 1, min_col=min(by_col) + 1, max_col=max(by_col) + 1
    )
    for row in rows:
        for cell in row:
            if getattr(cell, "column", None) is None:
                continue
            col = cell.column - 1
            if col in by_col:
                yield cell.row, col, cell


def _long_text_problems(
    book, rel: str, sheet: str, header_row: int, columns: dict[str, int]
) -> list[Problem]:
    """Cells in `columns` whose text is longer than an Excel cell may hold, measured as Excel
    measures (UTF-16 units), read with openpyxl: whatever another reader hands over, the
    length in the file is what counts, and a longer text must never pass cut short."""
    by_col = {i: name for name, i in columns.items()}
    found = []
    try:
        for row, col, cell in _cells(book, sheet, header_row, by_col, data_only=True):
            if not isinstance(cell.value, str):
                continue
            units = excel_length(cell.value)
            if units > EXCEL_CELL_LIMIT:
                name = by_col[col]
                size = size_words(len(cell.value), units)
                found.append(
                    Problem(
                        rel,
                        f"{name} holds {size}, more than the {EXCEL_CELL_LIMIT:,} an Excel "
                        "cell can hold; shorten it",
                        Code.TOO_LONG,
                        sheet,
                        row,
                        col,
                        name,
                        quoted(cell.value),
                    )
                )
    except DAMAGED as exc:
        return [_damaged(rel, exc)]
    return found


def _cell_value_problems(
    book, rel: str, sheet: str, header_row: int, columns: dict[str, int]
) -> list[Problem]:
    by_col = {i: name for name, i in columns.items()}
    try:
        formulas = {
            (r, c): cell.value
            for r, c, cell in _cells(book, sheet, header_row, by_col, data_only=False)
            if cell.data_type == "f"
        }
        values = list(_cells(book, sheet, header_row, by_col, data_only=True))
    except DAMAGED as exc:
        return [_damaged(rel, exc)]
    problems = []
    for r, c, cell in values:
        name = by_col[c]
        if cell.data_type == "e":
            value, code = str(cell.value), Code.CELL_ERROR
            message = f"{name} shows the Excel error {value}; correct the formula or type the value"
        elif (r, c) in formulas and cell.value is None:
            value, code = str(formulas[(r, c)]), Code.FORMULA_NOT_CALCULATED
            message = (
                f"{name} is a formula ({quoted(value)[1:-1]}) with no saved result; "
                "open the workbook in Excel, let it calculate, and save it"
            )
        else:
            continue
        problems.append(Problem(rel, message, code, sheet, r, c, name, value))
    return problems
