"""Starting a new conference: an inputs folder ready to fill (`python -m pipeline new`).

It holds a `matrix.toml` that names the conference, a catalogue with its instructions and
dropdowns, and a blank workbook for each regional group. The catalogue is blank, or starts from
an earlier conference's as that assembly left it: what it suppressed is gone, the drafts it
adopted are under their new numbers, and what it revised says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .checking.validate import validate
from .matrix.merge import order_catalogue
from .reading.folders import CATALOGUE_FILE, REGIONS_DIR, is_clutter
from .reading.load import catalogue_frame, load_catalogue
from .reading.matrix_toml import CONFIG_FILE, LIMITS, MatrixOptions, file_stem, load_config
from .reading.outcomes_book import load_outcomes, outcomes_frame
from .system.files import Staging, plain_reason
from .templates.books import catalogue_book, submitter_book
from .templates.plan import in_memory
from .words.frames import (
    ADOPTED_KEY,
    ANALYSIS,
    DOCUMENT,
    KEY,
    OUTCOME,
    PRIORITY,
    PUBLIC,
    TITLE,
    TOPIC,
    typed,
)
from .words.keys import dropdown_label, is_new
from .words.problems import InputsInvalid, Report, UsageError
from .words.vocab import Kind, Outcome, Public

#: The regional groups of ITU's assemblies: every new conference starts with a column each.
REGIONAL_GROUPS = ("APT", "ASMG", "ATU", "CEPT", "CITEL", "RCC")
#: What the catalogue carried over from an earlier conference adds to the right of its columns.
VERSION, HISTORY = "Version", "History"
_DRAFT_TITLE_END = " (draft new resolution)"


@dataclass
class Started:
    """What `new_conference` wrote, and what it did with the earlier catalogue."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    resolutions: int = 0  # in the new catalogue
    carried: dict[str, int] = field(default_factory=dict)  # how many, by what became of them
    left_out: list[str] = field(default_factory=list)  # drafts the earlier one never decided
    earlier: str = ""  # the conference the catalogue was carried over from


def new_conference(
    folder: Path, conference: str, made: dt.datetime, source: Path | None = None
) -> Started:
    """Create `folder` for `conference`, with the catalogue started from `source` if given.

    Refuses a folder that holds anything, and writes all the files or none of them.
    """
    folder = Path(folder)
    conference = " ".join(conference.split())
    _check_code(conference)
    _check_folder(folder)
    config = MatrixOptions(
        conference=conference, regions=REGIONAL_GROUPS, name=_full_name(conference)
    )
    started = Started(folder)
    rows: list[list] = []
    extra: list[str] = []
    if source is not None:
        rows, started = _carried_over(Path(source), started)
        extra = [VERSION, HISTORY]
    started.resolutions = len(rows)
    labels = [dropdown_label(str(row[0]), row[1]) for row in rows]

    with Staging() as staging:
        planned = {
            folder / CONFIG_FILE: settings_text(config).encode("utf-8"),
            folder / CATALOGUE_FILE: in_memory(catalogue_book, config, rows, extra, made),
        }
        for code in REGIONAL_GROUPS:
            planned[folder / REGIONS_DIR / f"{code}.xlsx"] = in_memory(
                submitter_book, code, config, labels, [], [], made
            )
        for path, data in planned.items():
            staging.add(path, exclusive=True).write_bytes(data)
        staging.commit()
    started.files = list(planned)
    return started


def _full_name(conference: str) -> str:
    kind = Kind.of(conference)
    return f"{kind.full_name} ({conference})" if kind else conference


def _check_code(conference: str) -> None:
    if not conference:
        raise UsageError(
            "the new conference needs a code, like PP-26",
            hint="For example: make new CONFERENCE=PP-26 INPUTS=pp26",
        )
    if len(conference) > LIMITS["conference"] or file_stem(conference) != conference:
        raise UsageError(
            f"the conference code '{conference[:60]}' may hold only letters, digits, dots, - "
            f"and _, at most {LIMITS['conference']} characters: it names the output files",
            hint="For example: PP-26, WTDC-25, WRC-27.",
        )


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"'{folder}' is a file, not a folder", hint="Choose a new folder name.")
    try:
        held = [p for p in folder.iterdir() if not is_clutter(p)] if folder.is_dir() else []
    except OSError as exc:
        raise UsageError(f"the folder '{folder}' cannot be read ({plain_reason(exc)})") from exc
    if held:
        names = ", ".join(sorted(p.name for p in held)[:3]) + (", ..." if len(held) > 3 else "")
        raise UsageError(
            f"the folder '{folder}' already holds {names}; a new conference starts in a new "
            "or empty folder, and nothing in this one was changed",
            hint="Choose another folder: make new CONFERENCE=PP-26 INPUTS=pp26",
        )


def settings_text(config: MatrixOptions) -> str:
    """The new conference's matrix.toml, every line explained."""
    kind = Kind.of(config.conference)
    mandate = kind.mandate if kind else "ITU"
    groups = ", ".join(f'"{code}"' for code in config.regions)
    return f"""\
# Settings for the Issues Matrix of {config.conference}. Every line is optional: delete one to
# get its default. Lines starting with # are explanations (or settings not in use yet).

# The conference: its code (in the title and the file names), its full name, and where and
# when it meets (remove the # in front of place and dates once you know them).
conference = "{config.conference}"
name = "{config.full_name}"
# place = "City"
# dates = "1-19 November 2026"

# Whose mandate its resolutions shape, as the Legend says ("could extend {mandate}'s mandate"):
# ITU-T for a WTSA, ITU-D for a WTDC, ITU-R for a WRC or an RA, ITU for a plenipotentiary.
mandate = "{mandate}"

# The title at the top of the matrix.
title = "{config.matrix_title}"

# The regional groups, one column each, left to right; each has its workbook in regions/.
# To add a group, add its code here and run make templates: it writes the blank workbook.
regions = [{groups}]

# Member States that table proposals of their own, one workbook each in members/:
# members = ["USA", "B"]

# The paper every sheet prints on: A3, A4, Letter or Legal.
paper = "{config.paper}"

# A line in red at the top of every page. Delete it once the matrix may be circulated.
notice = "Draft in preparation: positions are still being gathered."

# Links from each document cite to the document, in every edition: the address of a document
# with {{doc}} where its number goes ({{doc:4}}: in four digits), {{add}} the addendum's and
# {{rev}} the revision's; one address per form of cite, the first that fits is taken:
# document_url = ["https://www.itu.int/md/...-C-{{doc:4}}!A{{add}}/en",
#                 "https://www.itu.int/md/...-C-{{doc:4}}/en"]

# Names shown beside codes. The tool knows the six regional groups and some of ITU's country
# symbols (B Brazil, D Germany, J Japan); name any other code here, or rename one:
# [names]
# EACO = "East African Communications Organisation"

# What the public editions (make publish) say of themselves:
# [publish]
# organisation = "Our Internet policy team"
# licence = "CC BY 4.0"
# url = "https://example.org/issues-matrix/"
"""


def _carried_over(source: Path, started: Started) -> tuple[list[list], Started]:
    """The catalogue rows of `source` as its conference left them, and what became of each."""
    if not source.is_dir():
        raise UsageError(
            f"the folder to start from, '{source}', does not exist",
            hint="Give the inputs folder of an earlier conference: FROM=inputs",
        )
    earlier, problems = load_config(source)
    started.earlier = earlier.conference
    report = Report(list(problems))
    table, problems = load_catalogue(source)
    report.extend(problems)
    outcomes_table, problems = load_outcomes(source)
    report.extend(problems)
    catalogue = catalogue_frame(table) if table is not None else None
    outcomes = outcomes_frame(outcomes_table) if outcomes_table is not None else None
    if catalogue is not None:
        tables = {t.file: t for t in filter(None, [table, outcomes_table])}
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in (KEY,)})
        report.extend(validate(catalogue, empty, tables, outcomes))
    if not report.ok:
        raise InputsInvalid(
            Report([_in(source, p) for p in report.problems]),
            outcome=f"no folder was made (its catalogue would start from {source.as_posix()}/)",
        )

    decided = {}
    if outcomes is not None:
        decided = dict(zip(outcomes[KEY], zip(outcomes[OUTCOME], outcomes[ADOPTED_KEY],
                                              outcomes[typed(DOCUMENT)], strict=True),
                           strict=True))  # fmt: skip
    catalogue = order_catalogue(catalogue.drop_duplicates(KEY))
    rows = []
    for rec in catalogue.to_dict("records"):
        key = rec[KEY]
        outcome, adopted_as, document = decided.get(key, (None, None, None))
        what = _became(key, outcome)
        started.carried[what] = started.carried.get(what, 0) + 1
        if what in ("suppressed", "not adopted", "merged"):
            continue
        if what == "undecided draft":
            started.left_out.append(key)
            continue
        new_key, title = key, rec[TITLE]
        version, history = "", f"Unchanged at {earlier.conference}"
        if what == "adopted":
            new_key = adopted_as
            if title and title.casefold().endswith(_DRAFT_TITLE_END):
                title = title[: -len(_DRAFT_TITLE_END)]
            version = _version(document, earlier, revised=False)
            history = f"Adopted at {earlier.conference} (was {key})"
        elif what == "modified":
            version = _version(document, earlier, revised=True)
            history = f"Revised at {earlier.conference}"
        elif what == "no outcome":
            history = f"No outcome recorded at {earlier.conference}"
        hidden = Public.NO.code if rec[PUBLIC] == Public.NO.code else None
        rows.append([
            new_key, _text(title), _text(rec[TOPIC]), rec[PRIORITY], _text(rec[ANALYSIS]),
            hidden, version or None, history,
        ])  # fmt: skip
    rows = _numbered_first(rows)
    return rows, started


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _became(key: str, outcome: str | None) -> str:
    """What the earlier conference did with a resolution, in the words `Started` counts by."""
    if outcome is None:
        return "undecided draft" if is_new(key) else "no outcome"
    return {
        Outcome.ADOPTED.code: "adopted",
        Outcome.MODIFIED.code: "modified",
        Outcome.UNCHANGED.code: "unchanged",
        Outcome.SUPPRESSED.code: "suppressed",
        Outcome.NOT_ADOPTED.code: "not adopted",
        Outcome.MERGED.code: "merged",
    }[outcome]


def _version(document: str | None, earlier: MatrixOptions, revised: bool) -> str:
    """``Rev. New Delhi, 2024``: from the final text's reference where it gives one, like
    ``Res. 64 (Rev. New Delhi, 2024)``, else from the earlier conference's place and year."""
    text = str(document or "").strip()
    start = text.rfind("(")
    if start >= 0 and text.endswith(")") and len(text) - start > 2:
        return text[start + 1 : -1].strip()
    year = _year(earlier.conference)
    where = ", ".join(part for part in (earlier.place, year) if part) or earlier.conference
    return f"Rev. {where}" if revised else where


def _year(conference: str) -> str:
    """``2024`` from ``WTSA-24``; empty if the code ends in no two-digit year."""
    tail = conference.rsplit("-", 1)[-1]
    return f"20{tail}" if len(tail) == 2 and tail.isdigit() else ""


def _numbered_first(rows: list[list]) -> list[list]:
    """Resolutions by number (the adopted drafts among them), then drafts in their order."""
    numbered = sorted((r for r in rows if not is_new(str(r[0]))), key=lambda r: int(r[0]))
    return numbered + [r for r in rows if is_new(str(r[0]))]


def _in(source: Path, problem):
    """A problem of the earlier conference's files, named with its folder."""
    from dataclasses import replace

    return replace(problem, file=f"{source.as_posix()}/{problem.file}")


def describe_started(started: Started, conference: str, source: Path | None) -> list[str]:
    """What `new` made, for the terminal."""
    folder = started.folder.as_posix()
    lines = [f"Started {conference} in {folder}/:"]
    for path in started.files:
        lines.append(f"  {path.relative_to(started.folder).as_posix()}")
    if source is None:
        lines.append("The catalogue is blank: add the resolutions the team tracks.")
    else:
        counts = started.carried
        parts = [
            f"{counts[k]} {k}" for k in ("modified", "unchanged", "adopted", "no outcome")
            if counts.get(k)
        ]  # fmt: skip
        dropped = [
            f"{counts[k]} {k}" for k in ("suppressed", "not adopted", "merged") if counts.get(k)
        ]
        lines.append(
            f"The catalogue starts from the one in {source.as_posix()}/, as {started.earlier} "
            "left it: "
            f"{started.resolutions} resolutions ({', '.join(parts) or 'none'})"
            + (f"; left out: {', '.join(dropped)}" if dropped else "")
            + "."
        )
        if started.left_out:
            lines.append(
                f"Left out too, as drafts with no outcome recorded: {', '.join(started.left_out)}."
                " Add them again if they are proposed anew."
            )
    lines.append(
        f"Next: fill in {folder}/{CATALOGUE_FILE} and the workbooks in {folder}/{REGIONS_DIR}/, "
        f"check {folder}/{CONFIG_FILE}, then build the matrix: make matrix INPUTS={folder} "
        f"(without make: python -m pipeline matrix --inputs {folder})"
    )
    return lines
