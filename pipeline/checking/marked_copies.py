"""Problems marked where the analyst works: copies of their workbooks with the cells flagged.

For every input with problems, `outputs/validation/<same relative path>` is a copy of the
analyst's workbook (openpyxl keeps their formatting) in which each offending cell is filled red
and carries a comment with the message; problems with the whole file go in a comment on A1. A
first sheet, "About this copy", says what the copy is and what openpyxl could not keep.
The analyst's own files are only read.
"""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..reading.folders import EXCEL_SUFFIXES, MEMBERS_DIR, REGIONS_DIR, is_clutter, is_system_file
from ..reading.workbook_parts import DAMAGED
from ..system.files import atomic_write
from ..words.problems import REFUSED_CODES, Problem, Report
from ..words.stamps import AUTHOR

INDEX = "index.txt"
MARK_FILL = "FFC7CE"  # Excel's light red for "bad" cells
MARK_FONT = "9C0006"
ABOUT_SHEET = "About this copy"


def about_lines(source: Path) -> list[str]:
    """What the first sheet of a marked copy says: openpyxl, which writes it, cannot keep every
    feature of a workbook, so the copy must never be taken for the analyst's own."""
    return [
        "This is a copy of your workbook, only for looking at the problems the Issues Matrix "
        "found: each cell with a problem is filled red and has a comment saying what is wrong.",
        f"Fix the problems in your own workbook, {source.as_posix()}, not in this copy: it is "
        "replaced or deleted the next time the matrix is built.",
        "Some features of your workbook may be missing from this copy: pictures (in a cell or "
        "over the cells), shapes, buttons and other controls, and some data validations "
        "(dropdowns) and conditional formats; a picture in a cell may show as #VALUE!. Your "
        "own workbook still has them all.",
    ]


@dataclass
class Marked:
    folder: Path
    copies: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.folder / INDEX


def mark(inputs_dir: Path, report: Report, folder: Path) -> Marked:
    """Write the marked copies and `index.txt` for a run with problems; drop stale copies."""
    clear(folder)
    marked = Marked(Path(folder))
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in report.errors:
        by_file[problem.file].append(problem)
    for rel, problems in by_file.items():
        source = Path(inputs_dir) / rel
        if source.suffix.lower() not in EXCEL_SUFFIXES or not source.is_file():
            continue  # not a workbook (a stray .csv, matrix.toml, a missing file): index only
        if any(p.code in REFUSED_CODES for p in problems):
            continue  # refused as a whole: opening it again could cost what reading it would
        if all(p.sheet is None and p.row is None for p in problems):
            continue  # about the file itself (a copy under another name): no cell to mark
        target = marked.folder / rel
        try:
            atomic_write(target, lambda s=source, p=problems: _mark_copy(s, p))
        except DAMAGED:  # openpyxl cannot open it (calamine could): it is in the index anyway
            continue
        marked.copies.append(target)
    lines = [
        "Problems found in the inputs, one per line (file:sheet!cell: what is wrong).",
        "Each workbook named here has a copy beside this file with those cells filled red and "
        "a comment on each; fix the cells in your own workbook, not in the copy.",
        "",
        *report.lines(),
        *_meanings(report),
    ]
    atomic_write(marked.index, lambda: ("\n".join(lines) + "\n").encode("utf-8"))
    return marked


def list_warnings(report: Report, folder: Path) -> Path:
    """For a run with warnings only: no marked copies, and the warnings in `index.txt`."""
    clear(folder)
    index = Path(folder) / INDEX
    lines = [
        "No errors; these warnings did not stop the matrix, but are worth a look.",
        "",
        *report.lines(),
        *_meanings(report),
    ]
    atomic_write(index, lambda: ("\n".join(lines) + "\n").encode("utf-8"))
    return index


def _meanings(report: Report) -> list[str]:
    """Under the lines, what each kind of problem in them means: a line says what is wrong
    where, this says why it matters and what to do about any of its kind."""
    return ["", "What each kind of problem above means:", *report.explanations()]


def clear(folder: Path) -> None:
    """Remove what `mark` wrote, and only that, so no stale copy outlives its problems.

    Only names an input can have are touched: index.txt, the catalogue, the outcomes,
    regions/<workbook> and members/<workbook>.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return
    candidates = [
        folder / INDEX,
        *folder.glob("*"),
        *(folder / REGIONS_DIR).glob("*"),
        *(folder / MEMBERS_DIR).glob("*"),
    ]
    for path in candidates:
        is_copy = path.suffix.lower() in EXCEL_SUFFIXES and (
            path.parent.name in (REGIONS_DIR, MEMBERS_DIR)
            or path.name.casefold().startswith(("resolutions.", "outcomes."))
        )
        if path.is_file() and not is_clutter(path) and (is_copy or path.name == INDEX):
            # A copy open in Excel cannot be removed on Windows: the matrix is still built.
            with contextlib.suppress(OSError):
                path.unlink()
    for empty in (folder / REGIONS_DIR, folder / MEMBERS_DIR, folder):
        if empty.is_dir() and all(is_system_file(p) for p in empty.iterdir()):
            # Opening a folder leaves Thumbs.db or .DS_Store in it; a lock file (a copy still
            # open) keeps the folder.
            with contextlib.suppress(OSError):
                for leftover in empty.iterdir():
                    leftover.unlink()
                empty.rmdir()


def _mark_copy(source: Path, problems: list[Problem]) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    messages: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for p in problems:
        sheet = p.sheet if p.sheet in book.sheetnames else book.sheetnames[0]
        row = p.row or 1
        col = (p.col if p.col is not None else 0) + 1
        messages[(sheet, row, col)].append(p.message)

    fill = PatternFill("solid", fgColor=MARK_FILL)
    for (sheet, row, col), texts in messages.items():
        cell = book[sheet].cell(row=row, column=col)
        text = "\n".join(f"• {t}" for t in texts)
        if cell.comment is not None:  # keep what the analyst wrote there
            text += f"\n\n(Your comment: {cell.comment.text})"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 40 + 18 * (len(text) // 45 + len(texts))
        cell.comment = comment
        cell.fill = fill
        old = cell.font
        cell.font = Font(
            name=old.name, size=old.size, italic=old.italic, bold=True, color=MARK_FONT
        )
    _add_about(book, source)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add_about(book, source: Path) -> None:
    """The copy's first sheet, shown when it opens, added after the marks so that a problem
    with the whole file still goes on the analyst's first sheet."""
    from openpyxl.styles import Alignment, Font

    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = False
    about = book.create_sheet(ABOUT_SHEET, 0)
    about["A1"] = ABOUT_SHEET
    about["A1"].font = Font(bold=True, size=14, color=MARK_FONT)
    for row, line in enumerate(about_lines(source), start=3):
        about.cell(row=row, column=1, value=line).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        about.row_dimensions[row].height = 48
    about.column_dimensions["A"].width = 100
    about.sheet_view.tabSelected = True
    book.active = 0
