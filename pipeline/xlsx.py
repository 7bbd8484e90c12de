"""What python-calamine does not tell about a workbook, read from the file's XML parts.

calamine reads values fast but shows an uncalculated formula or an error cell as blank, and does
not read document properties. A quick look into the zip tells whether a slower look is needed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

#: Custom document properties that stamp a workbook made by `python -m pipeline templates`.
TEMPLATE_VERSION_PROPERTY = "IssuesMatrixTemplateVersion"
TEMPLATE_CONFERENCE_PROPERTY = "IssuesMatrixConference"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


@dataclass(frozen=True)
class Scan:
    formulas_or_errors: bool
    template: tuple[int, str] | None  # (version, conference)


def scan(path: Path) -> Scan:
    """Does any sheet hold a formula or an error cell, and which template made the workbook?"""
    try:
        with zipfile.ZipFile(path) as archive:
            suspicious = any(
                _formula_or_error(archive.read(name))
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
            properties = _custom_properties(archive)
    except (zipfile.BadZipFile, OSError, KeyError):
        return Scan(False, None)
    version = properties.get(TEMPLATE_VERSION_PROPERTY, "")
    template = None
    if version.isdigit():
        template = (int(version), properties.get(TEMPLATE_CONFERENCE_PROPERTY, ""))
    return Scan(suspicious, template)


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

    formulas = {(r, c): cell.value for r, c, cell in cells(False) if cell.data_type == "f"}
    problems = []
    for r, c, cell in cells(True):
        name = by_col[c]
        if cell.data_type == "e":
            value, code = str(cell.value), "cell-error"
            message = f"{name} shows the Excel error {value}; correct the formula or type the value"
        elif (r, c) in formulas and cell.value is None:
            value, code = str(formulas[(r, c)]), "formula-not-calculated"
            message = (
                f"{name} is a formula ({value}) with no saved result; "
                "open the workbook in Excel, let it calculate, and save it"
            )
        else:
            continue
        problems.append(Problem(rel, message, code, sheet, r, c, name, value))
    return problems
