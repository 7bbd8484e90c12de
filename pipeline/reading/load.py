"""Read one input workbook's contract sheet into a table of text, keeping Excel's row numbers,
and make the frames the rules and the merge read (`catalogue_frame`, `proposals_frame`).
`inputs.load_inputs` reads every input with it.

Each workbook is read once: one pass over its zip parts (`workbook_parts.look`) for what it
would cost to read, its sheets' used ranges, its template and whether it holds formulas, error
cells or long texts; python-calamine for the values (fast, reads cached formula values); and,
only in a workbook that pass flagged, one load by openpyxl for what calamine cannot tell (a
formula never calculated, a cell showing #REF!, a text too long for a cell).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import python_calamine as calamine
from xlsxwriter.utility import xl_col_to_name

from ..words.excel import excel_lengths
from ..words.frames import (
    ACTION,
    BAD_CO_SIGNER,
    CATALOGUE_HEADERS,
    CO_SIGNERS,
    CONCERN,
    DOC_KEY,
    DOCUMENT,
    FILE,
    FOR_DRAFTS,
    FOR_EXISTING,
    GROUP,
    KEY,
    NEEDS_TEXT,
    OPTIONAL_HEADERS,
    PRIORITY,
    PROPOSAL_HEADERS,
    PUBLIC,
    RESOLUTION,
    RESULT,
    ROW,
    SOURCE,
    SUBMITTER,
    TWICE_CO_SIGNER,
    length,
    typed,
)
from ..words.keys import parse_keys, typed_in_other_digits
from ..words.problems import WARNING, Code, Problem, quoted
from ..words.vocab import CO_SIGNER_LETTERS, DEFAULT_PUBLIC, RESULT_CODES, Action, Group, normalised
from .folders import (
    CATALOGUE_FILE,
    catalogue_files,
    competing,
)
from .workbook_parts import Parts, look, unreadable_cells

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Spec:
    """What one kind of input workbook must hold."""

    sheet: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


CATALOGUE_SPEC = Spec(
    "Resolutions",
    tuple(h for h in CATALOGUE_HEADERS if h not in OPTIONAL_HEADERS),
    tuple(h for h in CATALOGUE_HEADERS if h in OPTIONAL_HEADERS),
)
PROPOSALS_SPEC = Spec(
    "Proposals",
    tuple(h for h in PROPOSAL_HEADERS if h not in OPTIONAL_HEADERS),
    tuple(h for h in PROPOSAL_HEADERS if h in OPTIONAL_HEADERS),
)


@dataclass
class Table:
    """One input sheet as read: text cells under the contract's column names, plus `_row`."""

    file: str  # relative to the inputs folder, with forward slashes
    sheet: str
    header_row: int  # as Excel numbers it
    columns: dict[str, int]  # contract column -> 0-based column index in the sheet
    data: pd.DataFrame
    submitter: str | None = None  # the code of who tabled it: a regional group or a member state
    template: tuple[int, str] | None = None  # (version, conference) if made from our template
    group: Group = Group.REGION


def load_catalogue(inputs: Path) -> tuple[Table | None, list[Problem]]:
    """The catalogue, read; or why it cannot be."""
    found = catalogue_files(inputs)
    if len(found) > 1:
        return None, [competing(found, "catalogues", Code.CATALOGUE_TWICE)]
    path = found[0] if found else None
    if path is None:
        return None, [
            Problem(
                file=CATALOGUE_FILE,
                code=Code.CATALOGUE_MISSING,
                message="the catalogue of resolutions is missing; it must be in the inputs folder",
            )
        ]
    return read_table(path, path.name, CATALOGUE_SPEC)


@dataclass
class Grid:
    """A contract sheet as calamine reads it: every cell, with the header found."""

    sheet: str
    rows: list[list]  # the whole sheet from A1; merged values filled down
    header_index: int  # 0-based
    columns: dict[str, int]  # contract column -> 0-based column index
    parts: Parts  # what the one look into its zip found


def read_grid(path: Path, rel: str, spec: Spec) -> tuple[Grid | None, list[Problem]]:
    """Open a workbook, choose its sheet and find its header. None if the file is unusable."""

    def file_problem(message: str, code: Code) -> Problem:
        return Problem(file=rel, message=message, code=code)

    parts = look(path)
    if parts.cost:
        return None, [file_problem(parts.cost, Code.TOO_BIG)]
    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            sheet_name, problem = _choose_sheet(book, spec)
            if problem:
                return None, [file_problem(problem, Code.SHEET_MISSING)]
            costly = parts.extent_problem(sheet_name)
            if costly:
                return None, [Problem(rel, costly, Code.TOO_BIG, sheet=sheet_name)]
            sheet = book.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
    except PermissionError:
        return None, [
            file_problem(
                "cannot be read (permission denied); if another program has it open, close it",
                Code.UNREADABLE,
            )
        ]
    except calamine.PasswordError:
        return None, [
            file_problem("is protected by a password; save a copy without one", Code.UNREADABLE)
        ]
    except (calamine.CalamineError, OSError, ValueError) as exc:
        return None, [file_problem(_why_unreadable(path, exc), Code.UNREADABLE)]

    header, problems = find_header(rows, spec, rel, sheet_name)
    if header is None:
        return None, problems
    header_index, columns = header
    _fill_merged_down(rows, merged, header_index, columns.values())
    return Grid(sheet_name, rows, header_index, columns, parts), problems


#: Watch mode's last read of each workbook, by what identifies that version of the file (the
#: same as watch mode compares: identity, size, time): a save changes one workbook, and the
#: others need not be read again; and the frames made from what was read (`derived`). None
#: outside watch mode.
_READS: dict[tuple, tuple] | None = None


def remember_reads(on: bool = True) -> None:
    """From now on, a workbook whose identity, size and times are unchanged is not read again
    (or, with `on` false, every workbook is read, and nothing is kept)."""
    global _READS
    _READS = {} if on else None


def read_table(
    path: Path, rel: str, spec: Spec, submitter: str | None = None
) -> tuple[Table | None, list[Problem]]:
    """Read one workbook's contract sheet. Returns no table if the file cannot be used at all."""
    reads = _READS
    if reads is None:
        return _read_table(path, rel, spec, submitter)
    try:
        info = Path(path).stat()
        version = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        return _read_table(path, rel, spec, submitter)
    where = (str(path), rel, spec.columns, submitter)
    if where in reads and reads[where][0] == version:
        _, table, problems = reads[where]
    else:
        table, problems = _read_table(path, rel, spec, submitter)
        reads[where] = (version, table, problems)
    # Copies: a table's frame and its group are changed by those who read it.
    if table is not None:
        table = dataclasses.replace(table, data=table.data.copy())
    return table, list(problems)


def derived(make: Callable[[Table], pd.DataFrame], table: Table) -> pd.DataFrame:
    """`make(table)`; in watch mode, the frame made last time for this file, if its table is
    the same in every part (pickled: equal bytes are equal contents)."""
    reads = _READS
    if reads is None:
        return make(table)
    digest = hashlib.sha256(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)).digest()
    where = ("derived", make.__module__, make.__qualname__, table.file)
    if where not in reads or reads[where][0] != digest:
        reads[where] = (digest, make(table))
    return reads[where][1].copy()  # a copy: those who use a frame may add columns to it


def _read_table(
    path: Path, rel: str, spec: Spec, submitter: str | None = None
) -> tuple[Table | None, list[Problem]]:
    grid, problems = read_grid(path, rel, spec)
    if grid is None:
        return None, problems
    body = grid.rows[grid.header_index + 1 :]
    # Cell by cell: faster than pandas' string methods on columns of mixed types, at any size.
    frame = pd.DataFrame(
        {
            typed(name): pd.Series(
                [cell_text(r[i]) if i < len(r) else None for r in body], dtype=object
            )
            for name, i in grid.columns.items()
        }
    )
    first_row = grid.header_index + 2  # as Excel numbers it
    frame[ROW] = range(first_row, first_row + len(frame))
    subset = [typed(name) for name in grid.columns]
    frame = frame.dropna(how="all", subset=subset).reset_index(drop=True)
    for name in spec.columns:
        if typed(name) not in frame:
            frame[typed(name)] = None

    scan = grid.parts.scan
    table = Table(
        rel, grid.sheet, grid.header_index + 1, grid.columns, frame, submitter, scan.template
    )
    if scan.formulas_or_errors or scan.long_text:
        problems += unreadable_cells(
            path,
            rel,
            grid.sheet,
            table.header_row,
            grid.columns,
            formulas=scan.formulas_or_errors,
            long_text=scan.long_text,
        )
    return table, problems


def _why_unreadable(path: Path, exc: Exception) -> str:
    """Why a workbook cannot be opened, in the analyst's words, from what the file holds."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
        size = path.stat().st_size
    except OSError:
        return f"cannot be read ({_short(exc)})"
    if size == 0:
        return (
            "is empty (0 bytes): it was not saved completely; save your workbook again "
            "from Excel under this name"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # the container of Excel 97-2003 files...
        if "EncryptedPackage".encode("utf-16-le") in head:  # ...and of encrypted workbooks
            return "is protected by a password; save a copy without one"
        return (
            "is an Excel 97-2003 workbook (.xls) with an .xlsx name: open it in Excel and save "
            "it as .xlsx (File > Save As > Excel Workbook)"
        )
    if head.startswith(b"PK") and b"opendocument.spreadsheet" in head[:200]:
        return (
            "is an OpenDocument spreadsheet with an .xlsx name: save it as .xlsx "
            "(File > Save As > Excel 2007-365)"
        )
    if head.startswith(b"PK"):
        return (
            "is damaged: it cannot be opened as an Excel workbook; open it in Excel, which may "
            "offer to repair it, and save it again as .xlsx"
        )
    return (
        "is not an Excel workbook, whatever its name says; open it in the program that made "
        "it and save it as an Excel Workbook (.xlsx)"
    )


def _choose_sheet(book, spec: Spec) -> tuple[str, str | None]:
    names = book.sheet_names
    named = [n for n in names if n.strip().casefold() == spec.sheet.casefold()]
    if len(named) > 1:
        both = " and ".join(quoted(n) for n in named)
        return "", (
            f"has {len(named)} sheets named {spec.sheet}: {both}; keep the data in one of them "
            "and rename or delete the other"
        )
    if named:
        return named[0], None
    worksheets = [m.name for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    if len(worksheets) == 1:
        return worksheets[0], None
    listed = ", ".join(quoted(n) for n in names)
    return "", (
        f"has no sheet named '{spec.sheet}' (its sheets are {listed}); "
        f"rename the sheet that holds the data to '{spec.sheet}'"
    )


def _norm_header(value) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def find_header(
    rows: list[list], spec: Spec, rel: str, sheet: str
) -> tuple[tuple[int, dict[str, int]] | None, list[Problem]]:
    """The header row (0-based) and where each contract column is, or the problems why not.

    The header is the first row of the first ten that holds every required column name.
    """
    wanted = {name.casefold(): name for name in spec.columns}
    best: tuple[int, int] | None = None  # (matches, row index) of the nearest miss
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [_norm_header(v) for v in row]
        hits = {wanted[n] for n in names if n in wanted}
        if all(name in hits for name in spec.required):
            return _header_columns(names, index, spec, rel, sheet)
        if hits and (best is None or len(hits) > best[0]):
            best = (len(hits), index)

    if best is None:
        return None, [
            Problem(
                file=rel,
                sheet=sheet,
                code=Code.HEADER_MISSING,
                message=f"no header row in the first {HEADER_SEARCH_ROWS} rows; the header row "
                f"must name the columns {', '.join(spec.required)}",
            )
        ]
    index = best[1]
    names = [_norm_header(v) for v in rows[index]]
    problems = []
    for name in spec.required:
        if name.casefold() in names:
            continue
        hint = ""
        close = difflib.get_close_matches(name.casefold(), [n for n in names if n], n=1, cutoff=0.6)
        if close:
            hint = f" (is {quoted(rows[index][names.index(close[0])])} meant to be '{name}'?)"
        problems.append(
            Problem(
                file=rel,
                sheet=sheet,
                row=index + 1,
                code=Code.COLUMN_MISSING,
                message=f"missing column '{name}' in the header row{hint}",
            )
        )
    return None, problems


def _header_columns(names: list[str], index: int, spec: Spec, rel: str, sheet: str):
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for name in spec.columns:
        at = [i for i, n in enumerate(names) if n == name.casefold()]
        if not at:
            continue
        columns[name] = at[0]
        for extra in at[1:]:
            problems.append(
                Problem(
                    file=rel,
                    sheet=sheet,
                    row=index + 1,
                    col=extra,
                    field=name,
                    code=Code.COLUMN_TWICE,
                    message=f"a second column headed '{name}' (the first is column "
                    f"{xl_col_to_name(at[0])}); rename or delete one of them",
                )
            )
    # A header that nearly names an optional column means its values would be silently ignored.
    known = {n.casefold() for n in spec.columns}
    for name in spec.optional:
        if name in columns:
            continue
        for i, n in enumerate(names):
            if n and n not in known and difflib.get_close_matches(n, [name.casefold()], cutoff=0.8):
                problems.append(
                    Problem(
                        file=rel,
                        sheet=sheet,
                        row=index + 1,
                        col=i,
                        code=Code.COLUMN_NEAR_MISS,
                        severity=WARNING,
                        message=f"column {quoted(n)} is ignored; if it holds {name}, head it "
                        f"'{name}'",
                    )
                )
    if any(p.severity != WARNING for p in problems):
        return None, problems
    return (index, columns), problems


def _fill_merged_down(rows, merged, header_index: int, columns) -> None:
    """A value merged over several rows belongs to each of them, as the analyst sees it."""
    wanted = set(columns)
    for (r0, c0), (r1, _c1) in merged:
        if r1 <= header_index or c0 not in wanted or r0 >= len(rows):
            continue
        value = rows[r0][c0] if r0 > header_index else None
        if value in (None, ""):
            continue
        for r in range(max(r0 + 1, header_index + 1), min(r1 + 1, len(rows))):
            if c0 < len(rows[r]):
                rows[r][c0] = value


def cell_text(value) -> str | None:
    """A cell as the text the analyst sees (numbers without a trailing .0), or None if blank."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def catalogue_frame(table: Table) -> pd.DataFrame:
    """The catalogue with its keys and priorities normalised, ready to validate and merge
    (frames.READ_CATALOGUE)."""
    frame = table.data.copy()
    frame[KEY] = parse_keys(frame[typed(RESOLUTION)])
    frame[PRIORITY] = frame[typed(PRIORITY)].str.capitalize()
    frame[FILE] = table.file
    frame[PUBLIC] = publicity(frame[typed(PUBLIC)])
    return with_lengths(frame, CATALOGUE_SPEC)


def publicity(typed_values: pd.Series) -> pd.Series:
    """Yes or No as typed, in any case; empty means Yes (anything else is kept, to be reported)."""
    return typed_values.str.capitalize().fillna(DEFAULT_PUBLIC.code).astype(object)


def with_lengths(frame: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Each input column's text length as Excel counts it, for the rule that it fits a cell
    (an emoji counts twice: a text can be within EXCEL_CELL_LIMIT characters and not fit)."""
    for name in spec.columns:
        frame[length(name)] = excel_lengths(frame[typed(name)])
    return frame


def proposals_frame(tables: list[Table]) -> pd.DataFrame:
    """Every region's proposals in one frame, normalised, each row knowing its file and row
    (frames.READ_PROPOSALS)."""
    columns = [*(typed(h) for h in PROPOSALS_SPEC.columns), ROW]
    parts = [
        t.data[columns].assign(
            **{
                SUBMITTER: t.submitter,
                GROUP: t.group.code,
                FILE: t.file,
                SOURCE: f"{t.file}:{t.sheet}!row " + t.data[ROW].astype(str),
            }
        )
        for t in tables
    ]
    if not parts:
        empty = [*columns, SUBMITTER, GROUP, FILE, SOURCE]
        parts = [pd.DataFrame({c: pd.Series(dtype=object) for c in empty})]
    frame = pd.concat(parts, ignore_index=True)
    resolution = frame[typed(RESOLUTION)]
    frame[KEY] = parse_keys(resolution)
    # A number typed in other digits (٦٩) is read as 69; what was typed stays on record.
    other = typed_in_other_digits(resolution)
    if other.any():
        note = " (Resolution typed as " + resolution.astype(str) + ")"
        frame.loc[other, SOURCE] = frame.loc[other, SOURCE] + note[other]
    frame[ACTION] = frame[typed(ACTION)].str.upper()
    frame[CONCERN] = frame[typed(CONCERN)].str.capitalize()
    frame[PUBLIC] = publicity(frame[typed(PUBLIC)])
    frame[RESULT] = normalised(frame[typed(RESULT)], RESULT_CODES)
    frame[CO_SIGNERS], frame[BAD_CO_SIGNER], frame[TWICE_CO_SIGNER] = co_signers(
        frame[typed(CO_SIGNERS)]
    )
    # Two proposals differ by document only if the reference differs beyond case and spacing.
    frame[DOC_KEY] = frame[DOCUMENT].str.split().str.join(" ").str.casefold().fillna("")
    # What each action asks of a row, from the vocabulary, for the rules that depend on it.
    actions = {a.code: a for a in Action}
    for column, asks in (
        (FOR_DRAFTS, lambda a: a.for_drafts),
        (FOR_EXISTING, lambda a: not a.for_drafts),
        (NEEDS_TEXT, lambda a: a.needs_text),
    ):
        frame[column] = frame[ACTION].map({c: asks(a) for c, a in actions.items()})
        frame[column] = frame[column].astype(object).where(frame[column].notna(), False)
    return with_lengths(frame, PROPOSALS_SPEC)


def co_signers(typed_values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Co-signers as typed (``aus; JPN,kor``) read as a list, ``AUS, JPN, KOR``; and, for the
    rules, the first entry that is not a code of 1 to 3 letters and the first named twice."""
    least, most = CO_SIGNER_LETTERS

    def read(text) -> tuple[str | None, str | None, str | None]:
        if not isinstance(text, str):
            return None, None, None
        codes = [part.strip() for part in text.replace(";", ",").split(",")]
        codes = [c for c in codes if c]
        bad = next(
            (c for c in codes if not (least <= len(c) <= most and c.isascii() and c.isalpha())),
            None,
        )
        upper = [c.upper() for c in codes]
        twice = next((c for i, c in enumerate(upper) if c in upper[:i]), None)
        return ", ".join(upper) or None, bad, twice

    # Few distinct lists among many proposals: each is read once.
    distinct = {text: read(text) for text in typed_values.dropna().unique()}
    parts = [typed_values.map(lambda t, i=i: distinct.get(t, (None,) * 3)[i]) for i in range(3)]
    return tuple(part.astype(object) for part in parts)
