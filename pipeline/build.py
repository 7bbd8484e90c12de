"""The stages in order: load, validate, merge, render. The CLI, watch mode and the tests call these.

`check` loads and validates. `build` and `release` overlap the two slow halves of a run: while
the rules run (see `validate.Pending`), the matrix is merged and rendered into a temporary file,
which takes its place only once the rules have passed. Invalid inputs never reach the output.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import annotate, releases, templates
from .changes import Changes, diff
from .files import Staged, describe, refuse_inside_inputs
from .load import REGIONS_DIR, Inputs, Table, catalogue_frame, load_inputs, proposals_frame
from .merge import merge_both
from .problems import (
    ERROR,
    WARNING,
    InputsInvalid,
    OutputError,
    PipelineError,
    Problem,
    UsageError,
)
from .progress import quiet
from .render import MatrixData, build_time, render_into
from .validate import Pending, validate

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUTPUT_DIR = Path("outputs")


@dataclass
class Loaded:
    """Every input as read, before validation."""

    inputs: Inputs
    catalogue: pd.DataFrame | None
    proposals: pd.DataFrame
    tables: dict[str, Table]
    latest: releases.Baseline | None  # the latest release, if any
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Checked:
    """Inputs that passed validation, ready to merge."""

    inputs: Inputs
    catalogue: pd.DataFrame
    proposals: pd.DataFrame
    warnings: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Built:
    path: Path | None  # None when a release found nothing new to file
    resolutions: int
    regions: int
    proposals: int
    warnings: list[Problem]
    timings: dict[str, float]
    changes: Changes | None = None
    release: int | None = None
    unchanged_since: str | None = None  # a release that was not made: the version it matches
    working: Path | None = None  # after a release: the working matrix, now the same


def load(
    inputs_dir: Path,
    say: Callable[[str], None] = quiet,
    releases_dir: Path = releases.DEFAULT_DIR,
) -> Loaded:
    """Read every input (problems found so far are in `inputs.report`) and the latest release
    (what the proposals are compared with for warnings, and by default for changes)."""
    inputs_dir = Path(inputs_dir)
    if not inputs_dir.is_dir():
        raise PipelineError(
            f"the inputs folder '{inputs_dir}' does not exist",
            hint="Run the command from the project folder, or give the folder with --inputs.",
        )
    say(f"reading the workbooks in {inputs_dir}")
    start = time.perf_counter()
    inputs = load_inputs(inputs_dir)
    catalogue = catalogue_frame(inputs.catalogue) if inputs.catalogue else None
    proposals = proposals_frame(inputs.regions)
    tables = {t.file: t for t in [*inputs.regions, *filter(None, [inputs.catalogue])]}
    latest = releases.latest(releases_dir, inputs.config.conference)
    timings = {"load": time.perf_counter() - start}
    return Loaded(inputs, catalogue, proposals, tables, latest, timings)


def verdict(
    inputs_dir: Path,
    loaded: Loaded,
    problems: list[Problem],
    marked_dir: Path | None,
    strict: bool = False,
    outcome: str | None = None,
) -> Checked:
    """Add the rules' problems to the report; raise InputsInvalid if there are errors.

    With `marked_dir`, a failed check also writes copies of the workbooks with the problem
    cells marked there, and a check with warnings only lists them there; a clean check
    removes what an earlier run left. With `strict`, warnings count as errors. `outcome` is
    what a failure means for the command ("no matrix was written").
    """
    report = loaded.inputs.report
    # A cell that could not be read (an Excel error, an uncalculated formula) reads as blank;
    # its read problem is the one to report, not a rule it then seems to break.
    unreadable = {(p.file, p.row, p.col) for p in report.problems if p.col is not None}
    report.extend(p for p in problems if (p.file, p.row, p.col) not in unreadable)
    report.extend(template_warnings(loaded.inputs))
    report.extend(coverage_warnings(loaded.inputs, loaded.latest))
    if strict:
        report.problems = [dataclasses.replace(p, severity=ERROR) for p in report.problems]
    if not report.ok:
        marked = None
        if marked_dir is not None:
            try:
                marked = annotate.mark(inputs_dir, report, marked_dir)
            except OutputError:
                marked = None  # the terminal lines still say everything
        raise InputsInvalid(report, marked, outcome)
    if marked_dir is not None:
        if report.warnings:
            annotate.list_warnings(report, marked_dir)
        else:
            annotate.clear(marked_dir)
    return Checked(
        loaded.inputs, loaded.catalogue, loaded.proposals, report.warnings, loaded.timings
    )


def check(
    inputs_dir: Path,
    marked_dir: Path | None = None,
    say: Callable[[str], None] = quiet,
    releases_dir: Path = releases.DEFAULT_DIR,
    strict: bool = False,
) -> Checked:
    """Load and validate every input. Raises InputsInvalid with every problem found."""
    loaded = load(inputs_dir, say, releases_dir)
    say(f"checking {len(loaded.proposals):,} proposals against the rules")
    start = time.perf_counter()
    problems = validate(loaded.catalogue, loaded.proposals, loaded.tables)
    loaded.timings["validate"] = time.perf_counter() - start
    return verdict(inputs_dir, loaded, problems, marked_dir, strict)


def coverage_warnings(inputs: Inputs, latest: releases.Baseline | None) -> list[Problem]:
    """A region that lost its proposals: an empty workbook, one with less than half of what
    it had in the latest release, or one whose workbook is gone. Likely an accident (an empty
    template copied over a full workbook), and the matrix would not show it otherwise."""
    found = []
    before = latest.proposals["Region"].value_counts() if latest is not None else {}
    for table in inputs.regions:
        count, had = len(table.data), int(before.get(table.region, 0))
        if count == 0:
            found.append(
                Problem(
                    table.file,
                    "has no proposals; was an empty template copied over it?"
                    + (f" It had {had} in release {latest.label}." if had else ""),
                    "region-empty",
                    severity=WARNING,
                )
            )
        elif count < had / 2:
            found.append(
                Problem(
                    table.file,
                    f"has {count} proposal{'s' if count != 1 else ''}, less than half the {had} "
                    f"it had in release {latest.label}; were rows deleted by mistake?",
                    "region-halved",
                    severity=WARNING,
                )
            )
    # A region listed in matrix.toml without a workbook is an error already.
    present = {*inputs.region_codes, *inputs.config.regions}
    for region, had in before.items() if latest is not None else ():
        if region not in present:
            found.append(
                Problem(
                    f"{REGIONS_DIR}/{region}.xlsx",
                    f"is missing: region {region} had {had} proposals in release "
                    f"{latest.label}, and its column is now gone from the matrix",
                    "region-gone",
                    severity=WARNING,
                )
            )
    return found


def template_warnings(inputs: Inputs) -> list[Problem]:
    """Workbooks made from another version of our template, or for another conference."""
    conference = inputs.config.conference
    found = []
    for table in [*inputs.regions, *filter(None, [inputs.catalogue])]:
        if table.template is None:
            continue
        version, made_for = table.template
        newer = Path(table.file).name
        if version < templates.TEMPLATE_VERSION:
            message = (
                f"made from template version {version}; version {templates.TEMPLATE_VERSION} is "
                f"available: run 'make templates' and move your rows into the new "
                f"outputs/templates/{newer} with "
                f"'python -m pipeline templates --with-data'"
            )
        elif version > templates.TEMPLATE_VERSION:
            message = (
                f"made from template version {version}, newer than this pipeline's "
                f"({templates.TEMPLATE_VERSION}); update the pipeline"
            )
        elif made_for and made_for != conference:
            message = f"made from the template for {made_for}, but this matrix is for {conference}"
        else:
            continue
        found.append(Problem(table.file, message, "template-version", severity=WARNING))
    return found


def _speculate(
    inputs_dir: Path,
    loaded: Loaded,
    marked_dir: Path | None,
    work: Callable,
    say: Callable,
    strict: bool,
    outcome: str,
):
    """Run `work()` while the inputs are validated; the verdict comes before its outcome.

    `work` may fail on inputs that turn out to be invalid (a resolution no catalogue has
    cannot be merged): then the problems are what the analyst needs to see, not the failure.
    """
    say(f"checking {len(loaded.proposals):,} proposals and laying out the matrix alongside")
    pending = Pending(loaded.catalogue, loaded.proposals, loaded.tables)
    try:
        try:
            result, failure = work(), None
        except Exception as exc:  # re-raised below, once the inputs are known to be valid
            result, failure = None, exc
        say("finishing the checks")
        problems = pending.result()
        loaded.timings["validate"] = pending.seconds
        checked = verdict(inputs_dir, loaded, problems, marked_dir, strict, outcome)
        if failure is not None:
            raise failure
        return checked, result
    finally:
        pending.close()


def _assemble(loaded: Loaded, timings: dict[str, float]):
    """Merge: the matrix and the long table, checked to hold every proposal."""
    start = time.perf_counter()
    regions = loaded.inputs.region_codes
    matrix, long = merge_both(loaded.catalogue, loaded.proposals, regions)
    timings["merge"] = time.perf_counter() - start
    if len(long) != len(loaded.proposals):  # the promise that nothing is lost, checked
        raise AssertionError(f"{len(loaded.proposals)} proposals in, {len(long)} out")
    return regions, matrix, long


def _compare(baseline, long: pd.DataFrame, matrix: pd.DataFrame, timings: dict) -> Changes | None:
    start = time.perf_counter()
    changes = (
        diff(baseline.proposals, long, baseline.label, list(matrix["key"])) if baseline else None
    )
    timings["compare"] = timings.get("compare", 0.0) + time.perf_counter() - start
    return changes


def build(
    inputs_dir: Path,
    output: Path | None = None,
    marked_dir: Path | None = None,
    since: Path | None = None,
    releases_dir: Path = releases.DEFAULT_DIR,
    say: Callable[[str], None] = quiet,
    strict: bool = False,
) -> Built:
    """Validate the inputs and write the matrix. Nothing is written if any input is invalid.

    The matrix is compared with `since` (an earlier matrix or snapshot) if given, else with
    the latest release in `releases_dir`, if there is one.
    """
    inputs_dir = Path(inputs_dir)
    loaded = load(inputs_dir, say, releases_dir)
    config, timings = loaded.inputs.config, loaded.timings
    output = Path(output) if output is not None else DEFAULT_OUTPUT_DIR / config.output_name
    _check_output_path(inputs_dir, output)
    generated = build_time()
    staged: list[Staged] = []

    def work():
        start = time.perf_counter()
        baseline = releases.read(since, config.conference) if since is not None else loaded.latest
        timings["compare"] = time.perf_counter() - start
        regions, matrix, long = _assemble(loaded, timings)
        changes = _compare(baseline, long, matrix, timings)
        staged.append(Staged(output))
        data = MatrixData(config, regions, matrix, long, generated, changes)
        render_into(staged[-1], data, timings, say)
        return regions, matrix, long, changes

    try:
        checked, (regions, matrix, long, changes) = _speculate(
            inputs_dir, loaded, marked_dir, work, say, strict, "no matrix was written"
        )
        staged[0].commit()
    finally:
        for stage in reversed(staged):  # the last made first: it may sit in a folder made first
            stage.discard()
    return Built(output, len(matrix), len(regions), len(long), checked.warnings, timings, changes)


def release(
    inputs_dir: Path,
    releases_dir: Path = releases.DEFAULT_DIR,
    marked_dir: Path | None = None,
    say: Callable[[str], None] = quiet,
    strict: bool = False,
    output: Path | None = None,
) -> Built:
    """File the matrix as the next numbered release, with its snapshot; never overwrite one.

    The working matrix (`output`, by default the one `build` writes) becomes a copy of the
    release, so the file an analyst sends from outputs/ never disagrees with it. If nothing
    has changed since the latest release, no new release is made, and the working matrix
    becomes a copy of that latest release.
    """
    inputs_dir, releases_dir = Path(inputs_dir), Path(releases_dir)
    _check_output_path(inputs_dir, releases_dir / "release.xlsx")
    loaded = load(inputs_dir, say, releases_dir)
    config, timings = loaded.inputs.config, loaded.timings
    working = Path(output) if output is not None else DEFAULT_OUTPUT_DIR / config.output_name
    _check_output_path(inputs_dir, working)
    generated = build_time()
    staged: list[Staged] = []

    def copy_to_working(content: bytes) -> None:
        staged.append(Staged(working))
        staged[-1].write_bytes(content)

    def work():
        regions, matrix, long = _assemble(loaded, timings)
        previous = loaded.latest
        version = releases.next_version(releases_dir, config.conference)
        date = generated.date().isoformat()
        snapshot = releases.snapshot(config, regions, loaded.catalogue, long, version, date)
        changes = _compare(previous, long, matrix, timings)
        counts = (len(matrix), len(regions), len(long))
        if previous is not None and (
            releases.same_content(snapshot, previous.snapshot)
            if previous.snapshot
            else changes.rows.empty
        ):
            latest = releases.latest_workbook(releases_dir, config.conference)
            if latest is not None:
                try:
                    copy_to_working(latest.read_bytes())
                except OSError as exc:
                    raise PipelineError(f"cannot read {latest} ({describe(exc)})") from exc
            return counts, changes, None, previous.label
        path = releases.release_path(releases_dir, config.conference, version, date)
        staged.append(Staged(path, exclusive=True))
        data = MatrixData(config, regions, matrix, long, generated, changes, version)
        render_into(staged[-1], data, timings, say)
        staged.append(Staged(path.with_suffix(".json"), exclusive=True))
        text = json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        staged[-1].write_text(text)
        copy_to_working(staged[0].read_bytes())  # committed last: a failed release leaves it
        return counts, changes, version, None

    try:
        checked, (counts, changes, version, unchanged) = _speculate(
            inputs_dir, loaded, marked_dir, work, say, strict, "no release was made"
        )
        for stage in staged:
            stage.commit()
    finally:
        for stage in reversed(staged):  # the last made first: it may sit in a folder made first
            stage.discard()
    path = staged[0].path if version is not None else None
    copied = next((s.path for s in staged if s.path == working), None)
    return Built(path, *counts, checked.warnings, timings, changes, version, unchanged, copied)


def _check_output_path(inputs_dir: Path, output: Path) -> None:
    if output.suffix.lower() != ".xlsx":
        raise UsageError(
            f"the output '{output}' must be an .xlsx file",
            hint="For example: --output outputs/WTSA-24_Issues_Matrix.xlsx",
        )
    if output.is_dir():
        raise UsageError(
            f"the output '{output}' is a folder", hint="Give a file name ending in .xlsx."
        )
    refuse_inside_inputs(inputs_dir, output, "the output")
