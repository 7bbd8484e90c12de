"""What python-calamine does not tell about a workbook, read from the file's XML parts.

calamine reads values fast but shows an uncalculated formula or an error cell as blank, and does
not read document properties. A quick look into the zip tells whether a slower look is needed.
It also tells, before anything is unpacked, whether a workbook would cost more to read than any
real one does: a small file can unpack to gigabytes, or stretch a sheet to 16,384 columns.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
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


def scan(path: Path) -> Scan:
    """Does any sheet hold a formula or an error cell, or a text that may be longer than a cell
    can hold, and which template made the workbook?"""
    try:
        with zipfile.ZipFile(path) as archive:
            suspicious = long_text = False
            for name in archive.namelist():
                is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                if not is_sheet and not name.endswith("sharedStrings.xml"):
                    continue
                xml = archive.read(name)
                suspicious = suspicious or (is_sheet and _formula_or_error(xml))
                long_text = long_text or _may_hold_long_text(xml)
            properties = _custom_properties(archive)
    except (zipfile.BadZipFile, OSError, KeyError):
        return Scan(False, None)
    version = properties.get(TEMPLATE_VERSION_PROPERTY, "")
    template = None
    if version.isdigit():
        template = (int(version), properties.get(CONFERENCE_PROPERTY, ""))
    return Scan(suspicious, template, long_text)


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


def cost_problem(path: Path) -> str | None:
    """Why this workbook would cost more to unpack than any real workbook does, if it would."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip at all: the reader says so in its own words
    if len(parts) > MAX_PARTS:
        return f"is made of {len(parts):,} parts, more than any real workbook; it is not read"
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        return (
            f"would unpack to {unpacked / 2**20:,.0f} MB, more than the {MAX_UNPACKED // 2**20} "
            "MB a workbook may; it is not read (a workbook of proposals is a few MB at most)"
        )
    return None


def extent_problem(path: Path, sheet: str) -> str | None:
    """Why this sheet's used range is too big to read, if it is: every cell of the range costs
    memory, and a single value far to the right or below stretches it."""
    extent = sheet_extent(path, sheet)
    if extent is None:
        return None
    rows, cols = extent
    end = f"{_column_name(cols)}{rows}"
    if rows > MAX_ROWS:
        return (
            f"the used range reaches row {rows:,} (A1:{end}), more than the {MAX_ROWS:,} rows "
            "read; delete the rows below your data in Excel (even empty-looking ones) and save"
        )
    if rows * cols > MAX_CELLS:
        return (
            f"the used range is A1:{end}, {rows:,} rows by {cols:,} columns, too big to read; "
            "something far to the right of or below your data makes Excel count everything in "
            "between: delete the columns and rows beyond your data, and save"
        )
    return None


def sheet_extent(path: Path, sheet: str) -> tuple[int, int] | None:
    """(last row, last column) of a sheet's used range, from its `<dimension>` element, or from
    its cells where it has none; None if the workbook cannot tell."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return None
            with archive.open(part) as stream:
                head = stream.read(1 << 16)
                found = _DIMENSION.search(head)
                if found and found[2]:
                    last_col, last_row = (found[3], found[4]) if found[3] else (found[1], found[2])
                    return int(last_row), _column_number((last_col or b"A").decode())
                return _cells_extent(head, stream)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, ET.ParseError):
        return None


def _cells_extent(head: bytes, stream) -> tuple[int, int]:
    """The furthest row and column any cell names, reading the sheet a megabyte at a time."""
    rows = cols = 0
    carry = b""
    chunk = head
    while chunk:
        data = carry + chunk
        for match in _CELL_REF.finditer(data):
            rows = max(rows, int(match[2]))
            cols = max(cols, _column_number(match[1].decode()))
        carry = data[-256:]  # a cell tag cut at the chunk's end is found whole next time
        chunk = stream.read(1 << 20)
    return rows, cols


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part that holds the sheet of this name."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rel_id = next(
        (
            s.get(f"{_REL_NS}id")
            for s in workbook.iter(f"{_MAIN_NS}sheet")
            if s.get("name") == sheet
        ),
        None,
    )
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
    return None


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


def long_text_problems(
    path: Path, rel: str, sheet: str, header_row: int, columns: dict[str, int]
) -> list[Problem]:
    """Cells in `columns` whose text is longer than an Excel cell may hold, measured as Excel
    measures (UTF-16 units), read with openpyxl: whatever another reader hands over, the
    length in the file is what counts, and a longer text must never pass cut short."""
    import openpyxl

    by_col = {i: name for name, i in columns.items()}
    found = []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except DAMAGED as exc:
        return [Problem(rel, DAMAGED_CELLS.format(why=_why(exc)), Code.UNREADABLE)]
    try:
        rows = book[sheet].iter_rows(
            min_row=header_row + 1, min_col=min(by_col) + 1, max_col=max(by_col) + 1
        )
        for row in rows:
            for cell in row:
                col = getattr(cell, "column", None)
                if col is None or col - 1 not in by_col or not isinstance(cell.value, str):
                    continue
                units = excel_length(cell.value)
                if units > EXCEL_CELL_LIMIT:
                    name = by_col[col - 1]
                    size = size_words(len(cell.value), units)
                    found.append(
                        Problem(
                            rel,
                            f"{name} holds {size}, more than the {EXCEL_CELL_LIMIT:,} an Excel "
                            "cell can hold; shorten it",
                            Code.TOO_LONG,
                            sheet,
                            cell.row,
                            col - 1,
                            name,
                            quoted(cell.value),
                        )
                    )
    except DAMAGED as exc:
        return [Problem(rel, DAMAGED_CELLS.format(why=_why(exc)), Code.UNREADABLE)]
    finally:
        book.close()
    return found


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


def cell_value_problems(
    path: Path, rel: str, sheet: str, header_row: int, columns: dict[str, int]
) -> list[Problem]:
    """Formula cells with no saved result and cells showing an Excel error, in `columns`.

    calamine reads both as blank, which would silently drop what the analyst sees. openpyxl
    can tell them apart, slowly, so it is asked only about workbooks that `scan` flagged.
    `header_row` is as Excel numbers it; `columns` maps a header to its 0-based column.
    """
    import openpyxl

    by_col = {i: name for name, i in columns.items()}
    first, last = min(by_col), max(by_col)
    start = header_row + 1

    def cells(data_only: bool):
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
        try:
            ws = book[sheet]
            for row in ws.iter_rows(min_row=start, min_col=first + 1, max_col=last + 1):
                for cell in row:
                    if getattr(cell, "column", None) is None:
                        continue
                    col = cell.column - 1
                    if col in by_col:
                        yield cell.row, col, cell
        finally:
            book.close()

    try:
        formulas = {(r, c): cell.value for r, c, cell in cells(False) if cell.data_type == "f"}
        values = list(cells(True))
    except DAMAGED as exc:
        return [Problem(rel, DAMAGED_CELLS.format(why=_why(exc)), Code.UNREADABLE)]
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
