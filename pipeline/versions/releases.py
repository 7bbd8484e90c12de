"""Numbered releases of the matrix, and the earlier versions a build is compared with.

A release is `<conference>_Issues_Matrix_v<N>_<date>.xlsx` in the releases folder, beside a JSON
snapshot of its proposals (and catalogue) that later builds compare against. A matrix someone
emailed can be compared with too: its Proposals sheet holds every proposal in full.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from ..reading.matrix_toml import MatrixOptions, file_stem
from ..reading.workbook_parts import custom_properties
from ..system.files import plain_reason
from ..words.frames import (
    ADOPTED_AS,
    ANALYSIS,
    ASSESSMENT,
    CO_SIGNERS,
    DECIDED,
    DOCUMENT,
    GROUP,
    KEY,
    LONG,
    LONG_SHOWN,
    OUTCOME,
    OUTCOMES,
    PRIORITY,
    PUBLIC,
    RESOLUTION,
    RESULT,
    SOURCE,
    SUMMARY,
    TITLE,
    TOPIC,
)
from ..words.keys import label, parse_keys
from ..words.problems import PipelineError
from ..words.stamps import CONFERENCE_PROPERTY, DATE_PROPERTY, RELEASE_PROPERTY
from ..words.vocab import DEFAULT_PUBLIC, Assessment, Group, Outcome

SNAPSHOT_FORMAT = "issues-matrix-snapshot"
MATRIX_SHEET = "Matrix"
#: What a field of an older snapshot, made before the field existed, meant.
_DEFAULTS = {PUBLIC: DEFAULT_PUBLIC.code, GROUP: Group.REGION.code}
#: Columns of the Proposals sheet that older matrices may lack.
_LATER_COLUMNS = (GROUP, CO_SIGNERS, RESULT, PUBLIC)
SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class Baseline:
    """An earlier version of the matrix: what it is called and the proposals it held."""

    label: str  # "v6 (2024-09-30)"
    proposals: pd.DataFrame  # the long table: key, Resolution, Region, fields, Source
    snapshot: dict | None = None  # the release's full snapshot, if it is a release
    outcomes: pd.DataFrame | None = None  # frames.OUTCOMES; None if it does not say
    shown: bool = False  # outcomes read from the Matrix sheet's cells (see fold_shown)
    date: str = ""  # the day it was made, as its properties say: "2024-09-30"


def release_path(folder: Path, conference: str, version: int, date: str) -> Path:
    return Path(folder) / f"{file_stem(conference)}_Issues_Matrix_v{version}_{date}.xlsx"


def _releases(folder: Path, conference: str) -> dict[int, list[Path]]:
    pattern = re.compile(
        rf"^{re.escape(file_stem(conference))}_Issues_Matrix_v(\d+)_\d{{4}}-\d{{2}}-\d{{2}}"
        r"\.(xlsx|json)$"
    )
    found: dict[int, list[Path]] = {}
    if Path(folder).is_dir():
        try:
            entries = sorted(Path(folder).iterdir())
        except OSError as exc:
            raise PipelineError(
                f"the releases folder '{folder}' cannot be read ({plain_reason(exc)})",
                hint="Check that you may open that folder (its permissions), then run again.",
            ) from exc
        for path in entries:
            match = pattern.match(path.name)
            if match:
                found.setdefault(int(match[1]), []).append(path)
    return found


@dataclass(frozen=True)
class Listing:
    """The releases folder as listed once, for one command: each release's files by version.
    A release reads the latest, numbers the next and may copy the latest workbook: all from
    this one listing, made while the release lock is held."""

    conference: str
    found: dict[int, list[Path]]

    def next_version(self) -> int:
        return max(self.found, default=0) + 1

    def of_version(self, version: int) -> Baseline | None:
        """Release `version`, read from its snapshot, if it is there."""
        found = [p for p in self.found.get(version, []) if p.suffix == ".json"]
        return read(found[0], self.conference) if found else None

    def latest_workbook(self) -> Path | None:
        """The newest release's workbook, if it is there."""
        if not self.found:
            return None
        return next((p for p in self.found[max(self.found)] if p.suffix == ".xlsx"), None)

    def latest(self) -> Baseline | None:
        """The newest release, read from its snapshot (or its workbook if that is gone)."""
        if not self.found:
            return None
        paths = sorted(self.found[max(self.found)], key=lambda p: p.suffix != ".json")
        return read(paths[0], self.conference)


def listing(folder: Path, conference: str) -> Listing:
    """The releases of `conference` in `folder`, listed (an absent folder holds none)."""
    return Listing(conference, _releases(folder, conference))


def read(path: Path, conference: str) -> Baseline:
    """An earlier version: a release snapshot (.json) or any matrix workbook (.xlsx)."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(
            f"the matrix to compare with, '{path}', does not exist",
            hint="Give the path of an earlier matrix (.xlsx) or release snapshot (.json).",
        )
    if path.suffix.lower() == ".json":
        return _read_snapshot(path, conference)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, conference)
    raise PipelineError(
        f"'{path}' is not an Issues Matrix: compare with an .xlsx matrix or a .json snapshot"
    )


def _not_a_matrix(path: Path, why: str) -> PipelineError:
    return PipelineError(
        f"'{path}' is not an Issues Matrix: {why}",
        hint="Compare with a matrix this pipeline wrote (outputs/ or outputs/releases/).",
    )


def _check_conference(path: Path, found: str, conference: str) -> None:
    if not found:
        raise _not_a_matrix(path, "its properties do not say which conference it is for")
    if found != conference:
        raise PipelineError(
            f"'{path}' is the matrix for {found}, not {conference}",
            hint=f"Compare with an earlier {conference} matrix.",
        )


def _read_workbook(path: Path, conference: str) -> Baseline:
    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            if "Proposals" not in book.sheet_names:
                raise _not_a_matrix(path, "it has no Proposals sheet")
            rows = book.get_sheet_by_name("Proposals").to_python(skip_empty_area=False)
            cells = (
                book.get_sheet_by_name(MATRIX_SHEET).to_python(skip_empty_area=False)
                if MATRIX_SHEET in book.sheet_names
                else []
            )
    except calamine.CalamineError as exc:
        raise _not_a_matrix(path, f"it cannot be opened as a workbook ({exc})") from exc
    header = [str(v).strip() for v in rows[0]] if rows else []
    # Matrices made before the Result and Public columns lack them.
    required = [c for c in LONG_SHOWN if c not in _LATER_COLUMNS]
    if [h for h in header if h not in _LATER_COLUMNS][: len(required)] != required:
        raise _not_a_matrix(
            path, f"its Proposals sheet does not have the columns {', '.join(required)}"
        )
    properties = custom_properties(path)
    _check_conference(path, properties.get(CONFERENCE_PROPERTY, ""), conference)
    at = {name: header.index(name) for name in LONG_SHOWN if name in header}
    frame = pd.DataFrame(
        [
            [("" if i >= len(r) or r[i] is None else str(r[i])) for i in at.values()]
            for r in rows[1:]
        ],
        columns=list(at),
        dtype=object,
    )
    for name in (RESULT, CO_SIGNERS):
        if name not in frame:
            frame[name] = ""
    frame = frame[(frame != "").any(axis=1)]
    frame.insert(0, KEY, parse_keys(frame[RESOLUTION]))
    frame = _everything_public_unless_said(frame)
    outcomes = shown_outcomes(cells)
    date = properties.get(DATE_PROPERTY, "")
    version = properties.get(RELEASE_PROPERTY, "")
    if version.isdigit():
        label = f"v{version} ({date})"
    else:
        label = f"{path.name} ({date})" if date else path.name
    return Baseline(
        label,
        frame.reset_index(drop=True),
        outcomes=outcomes,
        shown=outcomes is not None,
        date=date,
    )


def shown_outcomes(cells: list[list]) -> pd.DataFrame | None:
    """The outcomes a matrix workbook shows in its Matrix sheet's Outcome and Assessment
    columns (frames.OUTCOMES, with Summary and Document folded as `fold_shown` does), or None
    for a matrix without those columns: one made before outcomes were recorded, which does
    not say what they were."""
    header = next(
        (i for i, r in enumerate(cells[:5]) if r and str(r[0]).strip() == RESOLUTION), None
    )
    names = [str(v).strip() for v in cells[header]] if header is not None else []
    if OUTCOME not in names or ASSESSMENT not in names:
        return None
    at, judged = names.index(OUTCOME), names.index(ASSESSMENT)
    assessments = {a.words: a.code for a in Assessment}
    found = []
    for r in cells[header + 1 :]:
        text = str(r[at]).strip() if at < len(r) and r[at] is not None else ""
        if not text or not str(r[0]).strip():
            continue
        # A draft adopted under a number is shown as "NEW-AI → Res. 101".
        shown = str(r[0]).split("→")[0].strip()
        first, _, rest = text.partition("\n")
        code, target = _outcome_of(first)
        found.append(
            {
                RESOLUTION: shown,
                OUTCOME: code,
                ADOPTED_AS: target,
                DECIDED: first,
                ASSESSMENT: assessments.get(str(r[judged]).strip(), str(r[judged]).strip()),
                SUMMARY: rest,
                DOCUMENT: "",
            }
        )
    frame = pd.DataFrame(found, columns=list(OUTCOMES.columns)[1:], dtype=object)
    frame.insert(0, KEY, parse_keys(frame[RESOLUTION]) if len(frame) else [])
    frame[RESOLUTION] = frame[KEY].map(label)
    return frame


def _outcome_of(words: str) -> tuple[str, str]:
    """The outcome's code and its target from the words the Outcome cell starts with."""
    for outcome in Outcome:
        if outcome.needs_target:
            start = outcome.words("")
            if words.startswith(start):
                return outcome.code, words[len(start) :].strip()
        elif words == outcome.words():
            return outcome.code, ""
    return words, ""


def fold_shown(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Outcomes as a matrix cell shows them: the Summary and the Document on lines below the
    decision, which cannot be told apart once written; to compare with `shown_outcomes`."""
    rest = [
        "\n".join(v for v in (s, d) if v)
        for s, d in zip(outcomes[SUMMARY].fillna(""), outcomes[DOCUMENT].fillna(""), strict=True)
    ]
    return outcomes.assign(**{SUMMARY: rest, DOCUMENT: ""})


def _read_snapshot(path: Path, conference: str) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _not_a_matrix(path, f"it cannot be read as a snapshot ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise _not_a_matrix(path, "it is not a release snapshot")
    _check_conference(path, data.get("conference", ""), conference)
    columns = list(LONG.columns)
    frame = pd.DataFrame(data.get("proposals", []), columns=columns, dtype=object).fillna("")
    label = f"v{data.get('release')} ({data.get('date')})"
    outcomes = data.get("outcomes")
    if outcomes is not None:
        outcomes = pd.DataFrame(outcomes, columns=list(OUTCOMES.columns), dtype=object).fillna("")
    return Baseline(label, _everything_public_unless_said(frame), data, outcomes)


def _everything_public_unless_said(frame: pd.DataFrame) -> pd.DataFrame:
    """An earlier version made before the Public and Group columns: all of it was public, and
    every column a regional group's."""
    for name, default in _DEFAULTS.items():
        if name not in frame:
            frame[name] = default
        frame[name] = frame[name].where(frame[name] != "", default)
    return frame


def snapshot(
    config: MatrixOptions,
    submitters: list[str],
    catalogue: pd.DataFrame,
    long: pd.DataFrame,
    release: int,
    date: str,
    outcomes: pd.DataFrame | None = None,
) -> dict:
    """Everything a later build needs to compare with this release, as plain JSON."""
    found = {}
    if outcomes is not None:
        found["outcomes"] = outcomes[list(OUTCOMES.columns)].fillna("").to_dict("records")
    return {
        "format": SNAPSHOT_FORMAT,
        "format_version": SNAPSHOT_VERSION,
        "conference": config.conference,
        "title": config.matrix_title,
        "release": release,
        "date": date,
        "regions": list(submitters),  # the key snapshots were written with from the first
        "catalogue": [
            {
                KEY: r[KEY],
                TITLE: _text(r[TITLE]),
                TOPIC: _text(r[TOPIC]),
                PRIORITY: _text(r[PRIORITY]),
                ANALYSIS: _text(r[ANALYSIS]),
                PUBLIC: _text(r[PUBLIC]),
            }
            for r in catalogue.to_dict("records")
        ],
        "proposals": long[list(LONG.columns)].fillna("").to_dict("records"),
        **found,
    }


def same_content(a: dict, b: dict) -> bool:
    """Would a release of `a` show anything that `b` did not? Dates, numbers and sources aside.

    A proposal's source (its row in the workbook) moves when rows are inserted above it; that
    is not a change anyone would want a new version for.
    """

    def content(s: dict) -> tuple:
        proposals = sorted(
            tuple(p.get(c, "") or _DEFAULTS.get(c, "") for c in LONG.columns if c != SOURCE)
            for p in s.get("proposals", [])
        )
        catalogue = sorted(
            tuple(sorted({PUBLIC: DEFAULT_PUBLIC.code, **c}.items()))
            for c in s.get("catalogue", [])
        )
        outcomes = sorted(tuple(sorted(o.items())) for o in s.get("outcomes") or [])
        return s.get("title"), s.get("regions"), proposals, catalogue, outcomes, "outcomes" in s

    return content(a) == content(b)


def _text(value) -> str:
    return "" if value is None or value != value else str(value)
