"""Public editions of the latest release: a web page, a tagged PDF and a public workbook, of
the same content, with nothing internal in them.

A public edition always shows a release (a version and a date): publishing stops if the
inputs have changed since the latest one. What leaves the team is only what may: no notes, no
sources or file names, no proposal or resolution whose Public cell says No, and no name of a
person or machine in a file's properties. Its changes are counted from the previous
*published* version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .build import Loaded, checked_alongside, load
from .editions import report, web
from .matrix.merge import merge, narrowed
from .matrix.outcomes import decided
from .matrix.view import Edition, MatrixView, matrix_view
from .reading.matrix_toml import MatrixOptions
from .settings import Settings
from .system.files import Staging
from .system.progress import quiet
from .versions import releases
from .versions.changes import Changes, diff
from .words.frames import KEY, NOTES, PUBLIC, SOURCE
from .words.problems import ERROR, WARNING, Code, InputsInvalid, PipelineError, Problem, Report
from .words.vocab import Public
from .workbook.render import workbook_bytes

PAGE = "index.html"


@dataclass(frozen=True)
class Published:
    folder: Path
    release: int
    as_of: dt.date
    since: str | None  # the previous published version its changes are counted from
    resolutions: int
    proposals: int
    held_back: int  # proposals that stay with the team
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()  # what the editions fail to say of themselves


#: The settings that say who publishes an edition, under which licence and where; and how each
#: reads in the example a warning gives.
_WHO_PUBLISHES = {
    "organisation": '"Your organisation"',
    "licence": '"CC BY 4.0"',
    "url": '"https://example.org/issues-matrix/"',
}


def unsaid(config: MatrixOptions) -> list[Problem]:
    """A warning if matrix.toml leaves out who publishes the editions, the licence or where:
    an edition nobody signs, that says nothing of how it may be reused, goes out unnoticed."""
    missing = [name for name in _WHO_PUBLISHES if not getattr(config.publish, name).strip()]
    if not missing:
        return []
    names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    example = " ".join(f"{name} = {_WHO_PUBLISHES[name]}" for name in missing)
    return [
        Problem(
            "matrix.toml",
            f"the public editions do not say {names}: add them under a [publish] line, "
            f"for example: [publish] {example}",
            Code.PUBLISH_UNSIGNED,
            severity=WARNING,
        )
    ]


def publish(settings: Settings, say: Callable[[str], None] = quiet) -> Published:
    """Write the public editions of the latest release into settings.published."""
    edition = public_view(settings, say)
    view = edition.view
    stem = f"{releases.file_stem(view.conference)}_Issues_Matrix_v{view.release}"
    folder = settings.published / stem
    say("writing the web page, the workbook and the PDF")
    html = web.page(view)
    files = (folder / PAGE, folder / f"{stem}.xlsx", folder / f"{stem}.pdf")
    with Staging() as staging:
        staging.add(files[0]).write_text(html)
        staging.add(files[1]).write_bytes(workbook_bytes(view))
        staging.add(files[2]).write_bytes(report.pdf(view))
        staging.commit()
    return Published(
        folder,
        edition.release,
        edition.as_of,
        edition.since,
        len(view.rows),
        len(view.proposals),
        edition.held_back,
        files,
        edition.warnings,
    )


@dataclass(frozen=True)
class PublicView:
    """The public view of the latest release, and what publishing says of it."""

    view: MatrixView
    release: int
    as_of: dt.date
    since: str | None
    held_back: int  # proposals that stay with the team
    warnings: tuple[Problem, ...]


def public_view(settings: Settings, say: Callable[[str], None] = quiet) -> PublicView:
    """The view the public editions of the latest release lay out: nothing internal in it.
    Refuses inputs that changed since that release, or that are not valid.

    The inputs are read, checked and merged once, on build's path (`build.checked_alongside`):
    the public edition is what is left of the team's merge when what stays with the team is
    taken out."""
    loaded = load(settings, say)
    warnings = unsaid(loaded.inputs.config)
    if warnings and settings.strict:  # refused before the rules run: nothing to validate for it
        report = Report([dataclasses.replace(p, severity=ERROR) for p in warnings])
        raise InputsInvalid(report, None, "nothing was published")
    latest = loaded.latest
    if latest is None:
        raise PipelineError(
            "there is no release to publish yet",
            hint="A public edition always shows a released version: run make release first.",
        )
    submitters = loaded.inputs.submitter_codes
    # Whether the inputs are still the release's is asked before the rules run: a refusal
    # that needs no validation should not wait seconds for Great Expectations to load.
    merged = None
    if loaded.inputs.report.ok:  # inputs already known to be wrong are listed in full below
        try:
            merged = merge(loaded.catalogue, loaded.proposals, submitters)
        except Exception:  # inputs that cannot even be merged: the rules below say what is wrong
            merged = None
    outcomes = decided(loaded.outcomes) if loaded.outcomes is not None else None
    if merged is not None:
        config = loaded.inputs.config
        now = releases.snapshot(config, submitters, loaded.catalogue, merged[1], 0, "", outcomes)
        if latest.snapshot is None or not releases.same_content(now, latest.snapshot):
            raise _changed_since(latest)

    def public() -> PublicView:
        if merged is None:  # valid inputs that would not merge: not the release's
            raise _changed_since(latest)
        return _public(settings, loaded, merged, outcomes, tuple(warnings), say)

    say(f"checking {len(loaded.proposals):,} proposals against the rules")
    view, _ = checked_alongside(settings, loaded, "nothing was published", public, say)
    return view


def _public(
    settings: Settings,
    loaded: Loaded,
    merged: tuple[pd.DataFrame, pd.DataFrame],
    outcomes: pd.DataFrame | None,
    warnings: tuple[Problem, ...],
    say: Callable[[str], None],
) -> PublicView:
    """The public view, from the team's matrix and long table (`merged`)."""
    config, latest = loaded.inputs.config, loaded.latest
    submitters = loaded.inputs.submitter_codes
    version = int(latest.snapshot["release"])
    as_of = dt.date.fromisoformat(latest.snapshot["date"])

    say("leaving out what stays with the team")
    matrix, long = merged
    shown = matrix[PUBLIC] == Public.YES.code
    public_keys = matrix.loc[shown, KEY]
    matrix, public_long = narrowed(
        matrix,
        long,
        submitters,
        shown,
        (long[PUBLIC] == Public.YES.code) & long[KEY].isin(public_keys),
    )
    public_long = _without_internal_fields(public_long)
    if outcomes is not None:  # the assembly's decisions are public, but not on a hidden row
        outcomes = outcomes[outcomes[KEY].isin(public_keys)].reset_index(drop=True)
    previous = _previous_published(settings, loaded.listing, config.conference, version)
    changes: Changes | None = None
    if previous is not None:
        changes = diff(
            previous.proposals,
            public_long,
            previous.label,
            list(matrix[KEY]),
            previous.outcomes,
            outcomes,
        )
    edition = Edition(version, as_of, config.publish, previous.label if previous else None)
    view = matrix_view(
        config=config,
        submitter_codes=submitters,
        members=tuple(loaded.inputs.member_codes),
        matrix=matrix,
        long=public_long,
        generated=settings.moment,
        changes=changes,
        release=version,
        edition=edition,
        outcomes=outcomes,
    )
    held_back = len(long) - len(public_long)
    return PublicView(view, version, as_of, edition.since, held_back, warnings)


def _changed_since(latest: releases.Baseline) -> PipelineError:
    return PipelineError(
        f"the inputs have changed since the latest release, {latest.label}, and a public "
        "edition shows a released version",
        hint=f"File the inputs as the next version with make release, then run make publish; "
        f"or undo the edits to publish {latest.label} as it was.",
    )


def _without_internal_fields(long: pd.DataFrame) -> pd.DataFrame:
    """The long table with the notes, the sources and the Public flags emptied: a comparison
    of two public editions never mentions them."""
    return long.assign(**{NOTES: "", SOURCE: "", PUBLIC: Public.YES.code})


def _previous_published(
    settings: Settings, listing: releases.Listing, conference: str, version: int
):
    """The latest version published before `version` (an edition folder says so), as its
    release snapshot holds it, with what stayed with the team left out again."""
    pattern = re.compile(rf"^{re.escape(releases.file_stem(conference))}_Issues_Matrix_v(\d+)$")
    folder = settings.published
    earlier = []
    if folder.is_dir():
        earlier = [int(m[1]) for p in folder.iterdir() if (m := pattern.match(p.name))]
    earlier = [v for v in earlier if v < version]
    if not earlier:
        return None
    baseline = listing.of_version(max(earlier))
    if baseline is None:
        return None
    catalogue = baseline.snapshot.get("catalogue", [])
    hidden = {c[KEY] for c in catalogue if c.get(PUBLIC) == Public.NO.code}
    shown = baseline.proposals[
        (baseline.proposals[PUBLIC] != Public.NO.code) & ~baseline.proposals[KEY].isin(hidden)
    ]
    outcomes = baseline.outcomes
    if outcomes is not None:
        outcomes = outcomes[~outcomes[KEY].isin(hidden)].reset_index(drop=True)
    return releases.Baseline(
        baseline.label, _without_internal_fields(shown), baseline.snapshot, outcomes
    )
