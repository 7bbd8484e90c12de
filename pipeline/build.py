"""The stages in order: load, validate, merge, render. The CLI, watch mode and the tests call these.

`check` loads and validates. `build`, `release` and `publish` take one path
(`checked_alongside`): the inputs are read once (`load`), and while the rules run over them all
(see `validate.alongside`), the matrix is merged once and rendered into files that take their
names only once the rules have passed. Invalid inputs never reach the output.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .checking import marked_copies
from .checking.validate import alongside, timed
from .matrix.merge import merge
from .matrix.outcomes import decided
from .matrix.view import matrix_view
from .reading.folders import REGIONS_DIR
from .reading.inputs import Inputs, load_inputs
from .reading.load import Table, catalogue_frame, derived, proposals_frame
from .reading.outcomes_book import outcomes_frame
from .settings import Settings
from .system.files import Staging, plain_reason, refuse_inside_inputs
from .system.progress import quiet
from .versions import releases
from .versions.changes import Changes, diff
from .versions.lock import release_lock
from .words import names, stamps
from .words.frames import CO_SIGNERS, GROUP, KEY, SUBMITTER
from .words.problems import (
    ERROR,
    WARNING,
    Code,
    InputsInvalid,
    OutputError,
    PipelineError,
    Problem,
    UsageError,
)
from .words.vocab import CO_SIGNER_LETTERS, Group
from .workbook.render import render_into

T = TypeVar("T")


@dataclass
class Loaded:
    """Every input as read, before validation."""

    inputs: Inputs
    catalogue: pd.DataFrame | None  # frames.READ_CATALOGUE
    proposals: pd.DataFrame  # frames.READ_PROPOSALS
    tables: dict[str, Table]
    latest: releases.Baseline | None  # the latest release, if any
    timings: dict[str, float] = field(default_factory=dict)
    outcomes: pd.DataFrame | None = None  # frames.READ_OUTCOMES, if outcomes.xlsx is there
    built: releases.Baseline | None = None  # the working matrix, where there is no release
    listing: releases.Listing | None = None  # the releases folder, listed once per command


@dataclass
class Checked:
    """Inputs that passed validation."""

    inputs: Inputs
    catalogue: pd.DataFrame
    proposals: pd.DataFrame
    warnings: list[Problem]
    empty: list[str] = field(default_factory=list)  # groups with no proposals yet (not_started)


@dataclass
class Built:
    path: Path | None  # the matrix written; None when a release found nothing new to file
    resolutions: int
    submitters: int  # the matrix's columns: regional groups and member states
    proposals: int
    warnings: list[Problem]
    timings: dict[str, float]
    changes: Changes | None = None
    release: int | None = None
    unchanged_since: str | None = None  # a release that was not made: the version it matches
    working: Path | None = None  # after a release: the working matrix, now the same
    send: Path | None = None  # after a release: the file to circulate
    outcomes: int | None = None  # resolutions with an outcome recorded, once there are any
    members: int = 0  # of the `submitters` columns, those of member states
    empty: list[str] = field(default_factory=list)  # groups with no proposals yet (not_started)


def load(settings: Settings, say: Callable[[str], None] = quiet) -> Loaded:
    """Read every input (problems found so far are in `inputs.report`) and the latest release
    (what the proposals are compared with for warnings, and by default for changes)."""
    inputs_dir = settings.inputs
    settings.require_inputs()
    say(f"reading the workbooks in {inputs_dir}")
    start = time.perf_counter()
    inputs = load_inputs(inputs_dir)
    catalogue = derived(catalogue_frame, inputs.catalogue) if inputs.catalogue else None
    proposals = proposals_frame(inputs.proposal_tables)
    outcomes = derived(outcomes_frame, inputs.outcomes) if inputs.outcomes else None
    tables = {
        t.file: t
        for t in [*inputs.proposal_tables, *filter(None, [inputs.catalogue, inputs.outcomes])]
    }
    listing = releases.listing(settings.releases, inputs.config.conference)
    latest = listing.latest()
    built = None if latest is not None else _last_built(settings, inputs.config)
    timings = {"load": time.perf_counter() - start}
    return Loaded(inputs, catalogue, proposals, tables, latest, timings, outcomes, built, listing)


def _last_built(settings: Settings, config) -> releases.Baseline | None:
    """The working matrix as last built, to tell a workbook emptied since from one never
    filled before the first release; one that cannot be read is no reason to stop a build."""
    path = settings.matrix_file(config.output_name)
    if not path.is_file():
        return None
    try:
        return releases.read(path, config.conference)
    except (PipelineError, OSError):
        return None


def mark_copies_or_stop(
    settings: Settings, loaded: Loaded, problems: list[Problem], outcome: str | None = None
) -> Checked:
    """Add the rules' problems to the report; raise InputsInvalid if there are errors.

    A failed check also writes copies of the workbooks with the problem cells marked, and a
    check with warnings only lists them; a clean check removes what an earlier run left. With
    `settings.strict`, warnings count as errors. `outcome` is what a failure means for the
    command ("no matrix was written").
    """
    report = loaded.inputs.report
    # A cell that could not be read (an Excel error, an uncalculated formula) reads as blank;
    # its read problem is the one to report, not a rule it then seems to break.
    unreadable = {(p.file, p.row, p.col) for p in report.problems if p.col is not None}
    report.extend(p for p in problems if (p.file, p.row, p.col) not in unreadable)
    report.extend(template_warnings(loaded.inputs))
    report.extend(coverage_warnings(loaded.inputs, loaded.latest, loaded.built))
    report.extend(names_warnings(loaded.inputs, loaded.proposals))
    if settings.strict:
        report.problems = [dataclasses.replace(p, severity=ERROR) for p in report.problems]
    if not report.ok:
        try:
            marked = marked_copies.mark(settings.inputs, report, settings.marked)
        except OutputError:
            marked = None  # the terminal lines still say everything
        raise InputsInvalid(report, marked, outcome)
    if report.warnings:
        marked_copies.list_warnings(report, settings.marked)
    else:
        marked_copies.clear(settings.marked)
    return Checked(
        loaded.inputs,
        loaded.catalogue,
        loaded.proposals,
        report.warnings,
        not_started(loaded.inputs, loaded.latest or loaded.built),
    )


def check(settings: Settings, say: Callable[[str], None] = quiet) -> Checked:
    """Load and validate every input. Raises InputsInvalid with every problem found.

    The rules run in this process, after the reading: a second process that imported Great
    Expectations while this one read (as `matrix` does while it lays out) made `validate`
    slower at every size measured, by the forked import's copying of memory and the frames
    sent to it (shipped inputs 3.34 against 3.06 s, 100,000 proposals 6.8 against 5.2 s).
    """
    loaded = load(settings, say)
    say(f"checking {len(loaded.proposals):,} proposals against the rules")
    problems, loaded.timings["validate"] = timed(
        loaded.catalogue, loaded.proposals, loaded.tables, loaded.outcomes
    )
    return mark_copies_or_stop(settings, loaded, problems)


def coverage_warnings(
    inputs: Inputs, latest: releases.Baseline | None, built: releases.Baseline | None = None
) -> list[Problem]:
    """A region that lost its proposals: an empty workbook, one with less than half of what
    it had in the latest release, or one whose workbook is gone. Likely an accident (an empty
    template copied over a full workbook), and the matrix would not show it otherwise. Before
    the first release, an emptied workbook is told by the matrix last `built`."""
    found = []
    before = latest.proposals[SUBMITTER].value_counts() if latest is not None else {}
    earlier = built.proposals[SUBMITTER].value_counts() if built is not None else {}
    for table in inputs.proposal_tables:
        count, had = len(table.data), int(before.get(table.submitter, 0))
        built_had = int(earlier.get(table.submitter, 0)) if latest is None else 0
        if count == 0 and (had or built_had):  # one never filled is said by `not_started`
            where = (
                f"release {latest.label}"
                if had
                else f"the matrix built on {built.date or built.label}"
            )
            found.append(
                Problem(
                    table.file,
                    "has no proposals; was an empty template copied over it? It had "
                    f"{had or built_had} in {where}.",
                    Code.REGION_EMPTY,
                    severity=WARNING,
                )
            )
        elif count < had / 2:
            found.append(
                Problem(
                    table.file,
                    f"has {count} proposal{'s' if count != 1 else ''}, less than half the {had} "
                    f"it had in release {latest.label}; were rows deleted by mistake?",
                    Code.REGION_HALVED,
                    severity=WARNING,
                )
            )
    # A region listed in matrix.toml without a workbook is an error already.
    present = {*inputs.submitter_codes, *inputs.config.regions, *inputs.config.members}
    members = (
        set(latest.proposals.loc[latest.proposals[GROUP] == Group.MEMBER.code, SUBMITTER])
        if latest is not None
        else set()
    )
    for region, had in before.items() if latest is not None else ():
        if region not in present:
            group = Group.MEMBER if region in members else Group.REGION
            found.append(
                Problem(
                    f"{group.folder}/{region}.xlsx",
                    f"is missing: {group.short} {region} had {had} proposals in release "
                    f"{latest.label}, and its column is now gone from the matrix",
                    Code.REGION_GONE,
                    severity=WARNING,
                )
            )
    return found


def names_warnings(inputs: Inputs, proposals: pd.DataFrame) -> list[Problem]:
    """One warning naming the codes a reader would meet without a name: columns and
    co-signers that neither the tool nor matrix.toml's [names] names."""
    signed = proposals[CO_SIGNERS].dropna().unique() if len(proposals) else []
    least, most = CO_SIGNER_LETTERS  # one that is not a code is an error of its own already
    co_signers = (c for text in signed for c in text.split(", "))
    valid = [c for c in co_signers if least <= len(c) <= most and c.isascii() and c.isalpha()]
    return names.unnamed([*inputs.submitter_codes, *valid], names.table(inputs.config.names))


def not_started(inputs: Inputs, latest: releases.Baseline | None) -> list[str]:
    """The groups whose workbooks hold no proposals yet and held none in the latest release:
    a new group, or a new conference, rather than a mistake."""
    before = set(latest.proposals[SUBMITTER]) if latest is not None else set()
    return [
        t.submitter
        for t in inputs.proposal_tables
        if len(t.data) == 0 and t.submitter not in before
    ]


def template_warnings(inputs: Inputs) -> list[Problem]:
    """Workbooks made from another version of our template, or for another conference."""
    conference = inputs.config.conference
    found = []
    for table in [*inputs.proposal_tables, *filter(None, [inputs.catalogue, inputs.outcomes])]:
        if table.template is None:
            continue
        version, made_for = table.template
        # Where `make templates` writes its new template: regions' at the top, members' apart.
        name = Path(table.file).name if table.file.startswith(f"{REGIONS_DIR}/") else table.file
        newer = f"{(Settings.outputs_for(conference) / 'templates').as_posix()}/{name}"
        current = stamps.TEMPLATE_VERSION
        if version < current:
            message = (
                f"made from template version {version}; version {current} is "
                f"available: run 'make templates' and move your rows into the new "
                f"{newer} with "
                f"'python -m pipeline templates --with-data'"
            )
        elif version > current:
            message = (
                f"made from template version {version}, newer than this pipeline's "
                f"({current}); update the pipeline"
            )
        elif made_for and made_for != conference:
            message = f"made from the template for {made_for}, but this matrix is for {conference}"
        else:
            continue
        found.append(Problem(table.file, message, Code.TEMPLATE_VERSION, severity=WARNING))
    return found


def build(settings: Settings, say: Callable[[str], None] = quiet) -> Built:
    """Validate the inputs and write the matrix. Nothing is written if any input is invalid.

    The matrix is compared with `settings.since` (an earlier matrix or snapshot) if given, else
    with the latest release, if there is one.
    """
    return _produce(settings, say, releasing=False)


def release(settings: Settings, say: Callable[[str], None] = quiet) -> Built:
    """File the matrix as the next numbered release, with its snapshot; never overwrite one.

    The working matrix becomes a copy of the release, so the file an analyst sends from
    outputs/ never disagrees with it. If nothing has changed since the latest release, no new
    release is made, and the working matrix becomes a copy of that latest release.
    """
    # Serialised: two analysts releasing at once on a shared folder would both number theirs
    # from the same latest release. The inputs are read once the lock is held.
    # Refused before the lock is made: no lock file, nor releases folder, inside the inputs.
    _check_output_path(settings.inputs, settings.releases / "release.xlsx")
    with release_lock(settings.releases):
        return _produce(settings, say, releasing=True)


def _produce(settings: Settings, say: Callable[[str], None], releasing: bool) -> Built:
    loaded = load(settings, say)
    config = loaded.inputs.config
    working = settings.matrix_file(config.output_name)
    _check_output_path(settings.inputs, working)
    if releasing:
        _check_output_path(settings.inputs, settings.releases / "release.xlsx")
    outcome = "no release was made" if releasing else "no matrix was written"
    say(f"checking {len(loaded.proposals):,} proposals and laying out the matrix alongside")
    with Staging() as staging:
        built, checked = checked_alongside(
            settings,
            loaded,
            outcome,
            lambda: _lay_out(settings, loaded, releasing, staging, say),
            say,
        )
        staging.commit()
    built.warnings, built.empty = checked.warnings, checked.empty
    return built


def checked_alongside(
    settings: Settings,
    loaded: Loaded,
    outcome: str | None,
    make: Callable[[], T],
    say: Callable[[str], None] = quiet,
) -> tuple[T, Checked]:
    """`make()`, while the rules run over every table in one call (`validate.alongside`); then
    their verdict (`mark_copies_or_stop`). The one path from the inputs as read to what is
    made of them, for build, release and publish: what `make` writes must be staged, to be
    named only once this returns. Invalid inputs raise InputsInvalid, which supersedes any
    failure of `make`: inputs that turn out to be invalid may not even merge."""
    with alongside(
        loaded.catalogue, loaded.proposals, loaded.tables, loaded.outcomes, settings.parallel
    ) as rules:
        try:
            made = make()
        finally:
            say("finishing the checks")
            problems, loaded.timings["validate"] = rules()
            checked = mark_copies_or_stop(settings, loaded, problems, outcome)
    return made, checked


@dataclass(frozen=True)
class Merged:
    """The inputs merged, and compared with the earlier version."""

    matrix: pd.DataFrame  # frames.matrix_frame
    long: pd.DataFrame  # frames.LONG
    outcomes: pd.DataFrame | None  # frames.OUTCOMES, once there is an outcomes workbook
    changes: Changes | None  # None: there is no earlier version


def _merged(settings: Settings, loaded: Loaded, releasing: bool) -> Merged:
    """Merge and compare: a release with the latest release, a matrix with `settings.since`
    if given, else with the latest release too."""
    config, timings = loaded.inputs.config, loaded.timings
    start = time.perf_counter()
    matrix, long = merge(loaded.catalogue, loaded.proposals, loaded.inputs.submitter_codes)
    outcomes = decided(loaded.outcomes) if loaded.outcomes is not None else None
    timings["merge"] = time.perf_counter() - start
    if len(long) != len(loaded.proposals):  # the promise that nothing is lost, checked
        raise AssertionError(f"{len(loaded.proposals)} proposals in, {len(long)} out")

    start = time.perf_counter()
    since = settings.since if not releasing else None
    baseline = releases.read(since, config.conference) if since is not None else loaded.latest
    changes = (
        diff(
            baseline.proposals,
            long,
            baseline.label,
            list(matrix[KEY]),
            baseline.outcomes,
            releases.fold_shown(outcomes) if baseline.shown and outcomes is not None else outcomes,
        )
        if baseline
        else None
    )
    timings["compare"] = time.perf_counter() - start
    return Merged(matrix, long, outcomes, changes)


def _view(settings: Settings, loaded: Loaded, merged: Merged, version: int | None):
    """The team's view of the matrix (view.py), which the workbook lays out. Its time counts
    as the merge's: it is what the editions are made of."""
    start = time.perf_counter()
    view = matrix_view(
        config=loaded.inputs.config,
        submitter_codes=loaded.inputs.submitter_codes,
        members=tuple(loaded.inputs.member_codes),
        matrix=merged.matrix,
        long=merged.long,
        generated=settings.moment,
        changes=merged.changes,
        release=version,
        outcomes=merged.outcomes,
    )
    loaded.timings["merge"] = loaded.timings.get("merge", 0.0) + time.perf_counter() - start
    return view


def draft_view(settings: Settings, say: Callable[[str], None] = quiet):
    """The view `build` lays out, without writing anything but the checks' marked copies:
    for the golden view and the tests. Invalid inputs raise InputsInvalid, as in `build`."""
    loaded = load(settings, say)
    merged, _ = checked_alongside(
        settings, loaded, None, lambda: _merged(settings, loaded, releasing=False), say
    )
    return _view(settings, loaded, merged, None)


def _lay_out(
    settings: Settings, loaded: Loaded, releasing: bool, staging: Staging, say: Callable
) -> Built:
    """Merge, compare and render into staged files (release, snapshot, working matrix): what
    is named once the inputs are known to be valid."""
    config, timings = loaded.inputs.config, loaded.timings
    working = settings.matrix_file(config.output_name)
    submitters = loaded.inputs.submitter_codes
    merged = _merged(settings, loaded, releasing)
    matrix, long, outcomes, changes = merged.matrix, merged.long, merged.outcomes, merged.changes
    built = Built(working, len(matrix), len(submitters), len(long), [], timings, changes)
    built.outcomes = None if outcomes is None else len(outcomes)
    built.members = len(loaded.inputs.member_codes)

    if not releasing:
        render_into(staging.add(working), _view(settings, loaded, merged, None), timings, say)
        return built

    previous = loaded.latest
    version = loaded.listing.next_version()
    date = settings.moment.date().isoformat()
    snapshot = releases.snapshot(
        config, submitters, loaded.catalogue, long, version, date, outcomes
    )
    if previous is not None and (
        releases.same_content(snapshot, previous.snapshot) if previous.snapshot else changes.empty
    ):
        built.path, built.unchanged_since = None, previous.label
        latest = loaded.listing.latest_workbook()
        if latest is not None:
            try:
                staging.add(working).write_bytes(latest.read_bytes())
            except OSError as exc:
                raise PipelineError(f"cannot read {latest} ({plain_reason(exc)})") from exc
            built.working, built.send = working, latest
        return built
    path = releases.release_path(settings.releases, config.conference, version, date)
    filed = staging.add(path, exclusive=True)
    render_into(filed, _view(settings, loaded, merged, version), timings, say)
    text = json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    staging.add(path.with_suffix(".json"), exclusive=True).write_text(text)
    # Named last: a release that could not be filed leaves the working matrix as it was.
    staging.add(working).write_bytes(filed.read_bytes())
    built.path, built.release, built.working, built.send = path, version, working, path
    return built


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
