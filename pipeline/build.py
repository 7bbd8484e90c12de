"""The stages in order: load, validate, merge, render. The CLI and the tests call these."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import annotate, releases, templates
from .changes import Changes, diff
from .files import atomic_write
from .load import Inputs, catalogue_frame, load_inputs, proposals_frame
from .merge import long_table, merge
from .problems import WARNING, InputsInvalid, OutputError, PipelineError, Problem, UsageError
from .render import MatrixData, build_time, write_workbook
from .validate import validate

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUTPUT_DIR = Path("outputs")


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


def check(inputs_dir: Path, marked_dir: Path | None = None) -> Checked:
    """Load and validate every input. Raises InputsInvalid with every problem found.

    With `marked_dir`, a failed check also writes copies of the workbooks with the problem
    cells marked there, and a passed check removes such copies left by an earlier run.
    """
    inputs_dir = Path(inputs_dir)
    if not inputs_dir.is_dir():
        raise PipelineError(
            f"the inputs folder '{inputs_dir}' does not exist",
            hint="Run the command from the project folder, or give the folder with --inputs.",
        )
    timings: dict[str, float] = {}
    start = time.perf_counter()
    inputs = load_inputs(inputs_dir)
    catalogue = catalogue_frame(inputs.catalogue) if inputs.catalogue else None
    proposals = proposals_frame(inputs.regions)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    tables = {t.file: t for t in [*inputs.regions, *filter(None, [inputs.catalogue])]}
    # A cell that could not be read (an Excel error, an uncalculated formula) reads as blank;
    # its read problem is the one to report, not a rule it then seems to break.
    unreadable = {(p.file, p.row, p.col) for p in inputs.report.problems if p.col is not None}
    inputs.report.extend(
        p
        for p in validate(catalogue, proposals, tables)
        if (p.file, p.row, p.col) not in unreadable
    )
    inputs.report.extend(template_warnings(inputs))
    timings["validate"] = time.perf_counter() - start
    if not inputs.report.ok:
        marked = None
        if marked_dir is not None:
            try:
                marked = annotate.mark(inputs_dir, inputs.report, marked_dir)
            except OutputError:
                marked = None  # the terminal lines still say everything
        raise InputsInvalid(inputs.report, marked)
    if marked_dir is not None:
        annotate.clear(marked_dir)
    return Checked(inputs, catalogue, proposals, inputs.report.warnings, timings)


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


def default_output(inputs_dir: Path, checked: Checked | None = None) -> Path:
    from .config import load_config

    config = checked.inputs.config if checked else load_config(Path(inputs_dir))[0]
    return DEFAULT_OUTPUT_DIR / config.output_name


def _assemble(checked: Checked, timings: dict[str, float]):
    """Merge: the matrix and the long table, checked to hold every proposal."""
    start = time.perf_counter()
    regions = checked.inputs.region_codes
    matrix = merge(checked.catalogue, checked.proposals, regions)
    long = long_table(checked.catalogue, checked.proposals, regions)
    timings["merge"] = time.perf_counter() - start
    if len(long) != len(checked.proposals):  # the promise that nothing is lost, checked
        raise AssertionError(f"{len(checked.proposals)} proposals in, {len(long)} out")
    return regions, matrix, long


def build(
    inputs_dir: Path,
    output: Path | None = None,
    marked_dir: Path | None = None,
    since: Path | None = None,
    releases_dir: Path = releases.DEFAULT_DIR,
) -> Built:
    """Validate the inputs and write the matrix. Nothing is written if any input is invalid.

    The matrix is compared with `since` (an earlier matrix or snapshot) if given, else with
    the latest release in `releases_dir`, if there is one.
    """
    inputs_dir = Path(inputs_dir)
    if output is not None:
        _check_output_path(inputs_dir, Path(output))
    checked = check(inputs_dir, marked_dir)
    output = Path(output) if output is not None else default_output(inputs_dir, checked)
    _check_output_path(inputs_dir, output)
    generated = build_time()
    conference = checked.inputs.config.conference
    baseline = (
        releases.read(since, conference)
        if since is not None
        else releases.latest(releases_dir, conference)
    )

    timings = dict(checked.timings)
    regions, matrix, long = _assemble(checked, timings)
    changes = (
        diff(baseline.proposals, long, baseline.label, list(matrix["key"])) if baseline else None
    )

    start = time.perf_counter()
    data = MatrixData(checked.inputs.config, regions, matrix, long, generated, changes)
    write_workbook(output, data)
    timings["render+write"] = time.perf_counter() - start
    return Built(output, len(matrix), len(regions), len(long), checked.warnings, timings, changes)


def release(
    inputs_dir: Path,
    releases_dir: Path = releases.DEFAULT_DIR,
    marked_dir: Path | None = None,
) -> Built:
    """File the matrix as the next numbered release, with its snapshot; never overwrite one.

    If nothing has changed since the latest release, no new release is made.
    """
    inputs_dir, releases_dir = Path(inputs_dir), Path(releases_dir)
    _check_output_path(inputs_dir, releases_dir / "release.xlsx")
    checked = check(inputs_dir, marked_dir)
    config = checked.inputs.config
    generated = build_time()
    timings = dict(checked.timings)
    regions, matrix, long = _assemble(checked, timings)
    counts = (len(matrix), len(regions), len(long), checked.warnings, timings)

    previous = releases.latest(releases_dir, config.conference)
    version = releases.next_version(releases_dir, config.conference)
    date = generated.date().isoformat()
    snapshot = releases.snapshot(config, regions, checked.catalogue, long, version, date)
    changes = (
        diff(previous.proposals, long, previous.label, list(matrix["key"])) if previous else None
    )
    if previous is not None:
        same = (
            releases.same_content(snapshot, previous.snapshot)
            if previous.snapshot
            else changes.rows.empty
        )
        if same:
            return Built(None, *counts, changes, unchanged_since=previous.label)

    path = releases.release_path(releases_dir, config.conference, version, date)
    data = MatrixData(config, regions, matrix, long, generated, changes, version)
    write_workbook(path, data, exclusive=True)
    text = json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write(
        path.with_suffix(".json"), lambda tmp: tmp.write_text(text, "utf-8"), exclusive=True
    )
    return Built(path, *counts, changes, release=version)


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
    try:
        inside = output.resolve().is_relative_to(inputs_dir.resolve())
    except OSError:
        inside = False
    if inside:
        raise UsageError(
            f"the output '{output}' is inside the inputs folder '{inputs_dir}'",
            hint="Inputs are never written to; write the matrix to outputs/ instead.",
        )
