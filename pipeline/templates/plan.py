"""Input templates: region workbooks with dropdowns and instructions, and a catalogue workbook.

Excel's own data validation prevents most of the mistakes the pipeline would otherwise report:
the dropdowns offer exactly the values the pipeline accepts, and every dropdown entry reads
back as the right key (see `keys.dropdown_label`).
"""

from __future__ import annotations

import collections
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..matrix.merge import order_catalogue
from ..reading.folders import (
    CATALOGUE_FILE,
    MEMBERS_DIR,
    REGIONS_DIR,
    find_catalogue,
    find_submitter_files,
    require_inputs,
)
from ..reading.load import (
    CATALOGUE_SPEC,
    PROPOSALS_SPEC,
    Spec,
    catalogue_frame,
    cell_text,
    load_catalogue,
    read_grid,
)
from ..reading.matrix_toml import load_config
from ..reading.outcomes_book import OUTCOMES_FILE, OUTCOMES_SPEC, outcome_files
from ..reading.workbook_parts import unreadable_cells
from ..system.files import atomic_write
from ..words.frames import KEY, TITLE
from ..words.keys import dropdown_label, parse_key
from ..words.problems import ERROR, Code, InputsInvalid, OutputError, Problem, Report
from ..words.vocab import ACTION_CODES, CONCERN_CODES, Group
from .books import catalogue_book, outcomes_book, submitter_book


@dataclass
class Written:
    path: Path
    rows: int  # rows copied from the existing workbook (0 for a blank template)
    source: str | None = None


@dataclass
class Templates:
    written: list[Written] = field(default_factory=list)


def write_templates(
    inputs_dir: Path,
    out_dir: Path,
    made: dt.datetime,
    with_data: bool = False,
    force: bool = False,
) -> Templates:
    """Write a template for every region, and one for the catalogue, into `out_dir`.

    With `with_data`, each template starts with the rows of the existing workbook (which is
    only read). Nothing is written if the catalogue or a workbook to copy cannot be read, or
    if a template already in `out_dir` holds rows the new one would not (someone typed into
    it), unless `force`.
    """
    inputs_dir, out_dir = Path(inputs_dir), Path(out_dir)
    require_inputs(inputs_dir)
    report = Report()
    config, problems = load_config(inputs_dir)
    report.extend(problems)

    catalogue, problems = load_catalogue(inputs_dir)
    # Without a catalogue yet, the templates are written all the same, the catalogue's blank.
    report.extend(p for p in problems if p.code != Code.CATALOGUE_MISSING)
    catalogue_path = find_catalogue(inputs_dir)

    files, problems = find_submitter_files(inputs_dir / REGIONS_DIR, config)
    # A group listed without a workbook yet is what a template is for.
    report.extend(
        p for p in problems
        if p.code not in (Code.REGIONS_MISSING, Code.REGIONS_EMPTY, Code.REGION_FILE_MISSING)
    )  # fmt: skip
    member_files, problems = find_submitter_files(inputs_dir / MEMBERS_DIR, config, Group.MEMBER)
    report.extend(p for p in problems if p.code != Code.REGION_FILE_MISSING)
    members = [c for c in (list(config.members) or list(member_files)) if c not in files]
    codes = list(config.regions) or list(files)
    if not codes:
        report.add(
            Problem(
                "matrix.toml",
                "no regions are known: list them in matrix.toml "
                '(regions = ["APT", ...]) or put their workbooks in regions/',
                Code.REGIONS_UNKNOWN,
            )
        )

    copies: dict[str, list[list]] = {}
    extras: dict[str, list[str]] = {}
    if with_data:
        for code, path in files.items():
            copies[code], extras[code], problems = _rows_to_copy(
                path, f"{REGIONS_DIR}/{path.name}", PROPOSALS_SPEC
            )
            report.extend(problems)
        for code, path in member_files.items():
            if code in members:
                rel = f"{MEMBERS_DIR}/{path.name}"
                key = f"{MEMBERS_DIR}/{code}"
                copies[key], extras[key], problems = _rows_to_copy(path, rel, PROPOSALS_SPEC)
                report.extend(problems)
        if catalogue_path is not None:
            rows, extra, problems = _rows_to_copy(
                catalogue_path, catalogue_path.name, CATALOGUE_SPEC
            )
            copies[CATALOGUE_FILE], extras[CATALOGUE_FILE] = rows, extra
            report.extend(problems)
        for found in outcome_files(inputs_dir)[:1]:
            rows, extra, problems = _rows_to_copy(found, found.name, OUTCOMES_SPEC)
            copies[OUTCOMES_FILE], extras[OUTCOMES_FILE] = rows, extra
            report.extend(problems)
    if not report.ok:
        raise InputsInvalid(report)

    titles = {}
    if catalogue is not None:
        frame = order_catalogue(catalogue_frame(catalogue).dropna(subset=[KEY]))
        frame = frame.drop_duplicates(KEY)
        titles = dict(zip(frame[KEY], frame[TITLE], strict=True))
    labels = [dropdown_label(key, title) for key, title in titles.items()]
    planned = {out_dir / f"{code}.xlsx": (PROPOSALS_SPEC, copies.get(code, [])) for code in codes}
    for code in members:
        planned[out_dir / MEMBERS_DIR / f"{code}.xlsx"] = (
            PROPOSALS_SPEC,
            copies.get(f"{MEMBERS_DIR}/{code}", []),
        )
    planned[out_dir / CATALOGUE_FILE] = (CATALOGUE_SPEC, copies.get(CATALOGUE_FILE, []))
    planned[out_dir / OUTCOMES_FILE] = (OUTCOMES_SPEC, copies.get(OUTCOMES_FILE, []))
    if not force:
        sources = {out_dir / f"{code}.xlsx": files[code] for code in codes if code in files}
        for code in members:
            if code in member_files:
                sources[out_dir / MEMBERS_DIR / f"{code}.xlsx"] = member_files[code]
        if catalogue_path is not None:
            sources[out_dir / CATALOGUE_FILE] = catalogue_path
        for found in outcome_files(inputs_dir)[:1]:
            sources[out_dir / OUTCOMES_FILE] = found
        _refuse_to_overwrite_typed_rows(planned, out_dir, sources)

    result = Templates()
    for code in codes:
        rows = [_as_dropdown_values(r, titles) for r in copies.get(code, [])]
        path = out_dir / f"{code}.xlsx"
        atomic_write(
            path,
            lambda code=code, rows=rows: in_memory(
                submitter_book, code, config, labels, rows, extras.get(code, []), made
            ),
        )
        source = f"{REGIONS_DIR}/{files[code].name}" if code in copies else None
        result.written.append(Written(path, len(rows), source))
    for code in members:
        key = f"{MEMBERS_DIR}/{code}"
        rows = [_as_dropdown_values(r, titles) for r in copies.get(key, [])]
        path = out_dir / MEMBERS_DIR / f"{code}.xlsx"
        atomic_write(
            path,
            lambda code=code, rows=rows, key=key: in_memory(
                submitter_book, code, config, labels, rows, extras.get(key, []), made, Group.MEMBER
            ),
        )
        source = f"{MEMBERS_DIR}/{member_files[code].name}" if key in copies else None
        result.written.append(Written(path, len(rows), source))
    rows = copies.get(CATALOGUE_FILE, [])
    path = out_dir / CATALOGUE_FILE
    atomic_write(
        path,
        lambda: in_memory(catalogue_book, config, rows, extras.get(CATALOGUE_FILE, []), made),
    )
    result.written.append(Written(path, len(rows), CATALOGUE_FILE if rows else None))
    rows = [_as_dropdown_key(r, titles) for r in copies.get(OUTCOMES_FILE, [])]
    path = out_dir / OUTCOMES_FILE
    atomic_write(
        path,
        lambda: in_memory(outcomes_book, config, labels, rows, extras.get(OUTCOMES_FILE, []), made),
    )
    result.written.append(Written(path, len(rows), OUTCOMES_FILE if rows else None))
    return result


def _refuse_to_overwrite_typed_rows(
    planned: dict[Path, tuple[Spec, list]], out_dir: Path, sources: dict[Path, Path]
) -> None:
    """A template in `out_dir` that holds rows the new one would not have: someone typed
    into it, and replacing it would lose their work. Rows that its input workbook (`sources`)
    holds too are not lost: `make templates-with-data` copied them there, and they are safe
    in the inputs."""
    typed = []
    for path, (spec, new_rows) in planned.items():
        if not path.exists():
            continue
        old_rows, _, problems = _rows_to_copy(path, path.name, spec)
        if problems and not old_rows:
            if any(p.code == Code.UNREADABLE for p in problems):
                typed.append(f"{path.name} (it cannot be read to check)")
            continue
        width = len(spec.columns)
        kept = collections.Counter(_row_key(r[:width]) for r in new_rows)
        lost = collections.Counter(_row_key(r[:width]) for r in old_rows) - kept
        if lost and path in sources:  # read only when needed: most templates hold no rows
            inputs_rows, _, _ = _rows_to_copy(sources[path], sources[path].name, spec)
            lost -= collections.Counter(_row_key(r[:width]) for r in inputs_rows)
        if lost:
            count = sum(lost.values())
            typed.append(f"{path.name} ({count} row{'s' if count != 1 else ''})")
    if typed:
        raise OutputError(
            f"{', '.join(typed)} in {out_dir} hold{'s' if len(typed) == 1 else ''} rows that "
            "a new template would not have (typed or copied into it); no template was written",
            hint="If those rows are yours, move the workbook into the inputs folder first; to "
            "replace the templates anyway, run: make templates FORCE=1",
        )


def _row_key(row: list) -> tuple:
    """A row as compared for typed data: the resolution as its key, the rest as text."""
    texts = [cell_text(v) for v in row]
    if texts:
        texts[0] = parse_key(texts[0]) or texts[0]
    return tuple(texts)


def in_memory(write, *args) -> bytes:
    """A workbook `write(target, *args)` makes, as bytes."""
    buffer = io.BytesIO()
    write(buffer, *args)
    return buffer.getvalue()


def _rows_to_copy(path: Path, rel: str, spec: Spec) -> tuple[list[list], list[str], list[Problem]]:
    """Every non-blank row under the header: contract columns first, then any other columns."""
    grid, problems = read_grid(path, rel, spec)
    problems = [p for p in problems if p.severity == ERROR]
    if grid is None:
        return [], [], problems
    header = grid.rows[grid.header_index]
    known = set(grid.columns.values())
    extra_cols = [i for i, v in enumerate(header) if i not in known and cell_text(v)]
    extra_names = [cell_text(header[i]) for i in extra_cols]
    if grid.parts.scan.formulas_or_errors:
        # An uncalculated formula reads as blank: copying it would lose what the analyst sees.
        every = {**grid.columns, **dict(zip(extra_names, extra_cols, strict=True))}
        unreadable = unreadable_cells(path, rel, grid.sheet, grid.header_index + 1, every)
        if unreadable:
            return [], [], problems + unreadable
    rows = []
    for raw in grid.rows[grid.header_index + 1 :]:

        def at(i, raw=raw):
            return raw[i] if i is not None and i < len(raw) else None

        contract = [cell_text(at(grid.columns.get(name))) for name in spec.columns]
        others = [at(i) for i in extra_cols]
        if any(v is not None for v in contract) or any(cell_text(v) for v in others):
            rows.append(contract + [None if cell_text(v) is None else v for v in others])
    return rows, extra_names, problems


def _as_dropdown_key(row: list, titles: dict[str, str]) -> list:
    """A copied row with its resolution as the dropdown offers it, if it is one."""
    row = list(row)
    key = parse_key(row[0])
    if key in titles:
        row[0] = dropdown_label(key, titles[key])
    return row


def _as_dropdown_values(row: list, titles: dict[str, str]) -> list:
    """Write copied values as the dropdowns offer them, where they are valid; others as typed."""
    row = _as_dropdown_key(row, titles)
    if row[1] and row[1].upper() in ACTION_CODES:
        row[1] = row[1].upper()
    if row[4] and row[4].capitalize() in CONCERN_CODES:
        row[4] = row[4].capitalize()
    return row


def lines_written(result: Templates, out_dir: Path) -> list[str]:
    """What was written, one line per template, for the terminal."""
    lines = []
    for item in result.written:
        what = f"{item.rows} rows copied from {item.source}" if item.source else "blank"
        name = (
            item.path.relative_to(out_dir).as_posix()
            if item.path.is_relative_to(out_dir)
            else item.path.name
        )
        lines.append(f"  {name}: {what}")
    return [f"Wrote {len(result.written)} templates to {out_dir}:", *lines]
