"""The command line: parse, call the pipeline, print what happened, and exit with a status.

0: done. 1: the inputs are invalid, missing or unreadable (nothing written).
2: wrong usage, or a fault of the machine (the output cannot be written, a file is locked).
3: a fault in the pipeline itself (said plainly; PIPELINE_DEBUG=1 shows the traceback).
130: stopped (Ctrl-C, or SIGTERM as a closing terminal sends). docs/exit-statuses.md says the same.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from .reading.matrix_toml import conference_of
from .settings import INPUTS, Settings, move_earlier_outputs
from .system.files import plain_reason, refuse_inside_inputs
from .system.progress import Progress
from .words.problems import InputsInvalid, PipelineError
from .words.vocab import Group

EPILOG = """examples:
  python -m pipeline matrix
  python -m pipeline matrix --inputs inputs --output outputs/WTSA-24/draft.xlsx
  python -m pipeline validate --inputs inputs
  python -m pipeline matrix --since "WTSA-24_Issues_Matrix (emailed).xlsx"
  python -m pipeline release
  python -m pipeline templates --with-data
  python -m pipeline publish
  python -m pipeline new --conference PP-26 --inputs pp26 --from inputs
  python -m pipeline clean

exit status: 0 done; 1 the inputs have problems (nothing written);
2 wrong usage or the output cannot be written."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and a hint, as for every other mistake
        self.exit(2, f"Error: {message}\nHint: run '{self.prog} --help' to see the options.\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m pipeline",
        description="Build the Issues Matrix from the region workbooks in the inputs folder.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )

    def command(name: str, summary: str, description: str, example: str):
        return commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    matrix = command(
        "matrix",
        "validate the inputs and write the colour-coded matrix",
        "Validate every input workbook and, if all are valid, write the matrix.",
        "python -m pipeline matrix --output outputs/draft.xlsx",
    )
    validate = command(
        "validate",
        "check the inputs and list every problem, writing no matrix",
        "Check every input workbook and list every problem found. Writes no matrix; copies of "
        "the workbooks with problems, the cells marked, go to outputs/<conference>/validation/.",
        "python -m pipeline validate --inputs inputs",
    )
    release = command(
        "release",
        "file the matrix as the next numbered version in outputs/<conference>/releases/",
        "Validate the inputs and file the matrix as the next numbered release, with a snapshot "
        "of its proposals that later builds compare with. Makes no new version if nothing "
        "changed; never overwrites a release.",
        "python -m pipeline release",
    )
    watch = command(
        "watch",
        "rebuild the matrix whenever an input workbook is saved",
        "Build the matrix, then rebuild it each time a workbook in the inputs folder is saved, "
        "printing the problems or 'matrix updated'. An invalid save leaves the last good "
        "matrix in place. Ctrl-C stops.",
        "python -m pipeline watch --output outputs/live.xlsx",
    )
    templates = command(
        "templates",
        "write input workbooks with dropdowns and instructions",
        "Write a template for every region (and the catalogue): the contract's columns, "
        "dropdowns that only accept valid values, and an Instructions sheet.",
        "python -m pipeline templates --with-data --out outputs/WTSA-24/templates",
    )
    publish = command(
        "publish",
        "write the public editions of the latest release: web page, PDF, workbook",
        "Write the latest release as a web page, a tagged PDF and a public workbook, into "
        "outputs/<conference>/publish/<conference>_Issues_Matrix_v<N>/, with nothing internal in "
        "them (no notes, no sources, nothing marked Public: No). Stops if the inputs changed "
        "since the latest release.",
        "python -m pipeline publish",
    )
    new = command(
        "new",
        "start a new conference: an inputs folder ready to fill",
        "Create a new inputs folder for a conference: matrix.toml, a catalogue of resolutions "
        "with its dropdowns, and a blank workbook for each of the six regional groups. The "
        "catalogue is blank, or starts from an earlier conference's (--from) as that "
        "conference left it: suppressed resolutions dropped, adopted drafts under their new "
        "numbers, revised ones marked. Never touches a folder that holds anything.",
        "python -m pipeline new --conference PP-26 --inputs pp26 --from inputs",
    )
    new.add_argument(
        "--conference", required=True, metavar="CODE", help="the conference's code, like PP-26"
    )
    new.add_argument(
        "--inputs", type=Path, required=True, metavar="DIR", help="the new folder, like pp26"
    )
    new.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=None,
        metavar="DIR",
        help="an earlier conference's inputs folder to start the catalogue from (its outcomes "
        "applied)",
    )
    command(
        "clean",
        "delete the built matrices in outputs/ (never releases, templates or inputs)",
        "Delete the working matrices in outputs/ and in each conference's folder there, which "
        "any command builds again. Releases, templates, marked copies, public editions and the "
        "inputs are never touched.",
        "python -m pipeline clean",
    )
    publish.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the public editions go (default: outputs/<conference>/publish)",
    )
    publish.add_argument(
        "--releases",
        type=Path,
        default=None,
        metavar="DIR",
        help="the folder of numbered releases (default: outputs/<conference>/releases)",
    )
    for sub in (matrix, validate, release, watch, templates, publish):
        sub.add_argument(
            "--inputs",
            type=Path,
            default=INPUTS,
            metavar="DIR",
            help="folder with resolutions.xlsx and regions/ (default: inputs)",
        )
    for sub in (matrix, validate, release, watch, publish):
        sub.add_argument(
            "--strict",
            action="store_true",
            help="treat warnings (an empty region workbook, say) as errors: nothing is written",
        )
    for sub in (matrix, validate, release, watch):
        sub.add_argument(
            "--marked",
            type=Path,
            default=None,
            metavar="DIR",
            help="where copies of the workbooks with problems, the cells marked, are written "
            "(default: outputs/<conference>/validation)",
        )
    for sub in (matrix, watch, release):
        sub.add_argument(
            "--output",
            type=Path,
            default=None,
            metavar="FILE",
            help="where to write the working matrix (default: outputs/<conference>/<conference>_"
            "Issues_Matrix.xlsx, or the output named in matrix.toml); a release copies itself "
            "there",
        )
    for sub in (matrix, watch):
        sub.add_argument(
            "--since",
            type=Path,
            default=None,
            metavar="FILE",
            help="compare with this earlier matrix (.xlsx, say one that was emailed) or release "
            "snapshot (.json) instead of the latest release",
        )
    for sub in (matrix, validate, release, watch):
        sub.add_argument(
            "--releases",
            type=Path,
            default=None,
            metavar="DIR",
            help="the folder of numbered releases (default: outputs/<conference>/releases)",
        )
    templates.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to write the templates (default: outputs/<conference>/templates)",
    )
    templates.add_argument(
        "--with-data",
        action="store_true",
        help="start each template with the rows of the existing workbook (which is only read)",
    )
    templates.add_argument(
        "--force",
        action="store_true",
        help="replace templates in --out even if someone has typed rows into them",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "clean":  # no settings: it reads no inputs, and the folder is outputs/
        from .clean import clean, report

        return report(*clean())
    _stop_cleanly_when_terminated()
    settings, progress = None, None
    try:
        settings = _settings(args)
        progress = Progress(enabled=settings.progress)
        return _run(args, settings, progress.stage)
    except InputsInvalid as exc:
        for line in exc.report.lines():
            print(line, file=sys.stderr)
        _fail(exc)
        if exc.marked is not None:
            if exc.marked.copies:
                copies = ", ".join(str(p) for p in exc.marked.copies)
                print(f"Copies with these cells marked, to look at: {copies}", file=sys.stderr)
            print(f"The list of problems: {exc.marked.index}", file=sys.stderr)
        return exc.exit_status
    except PipelineError as exc:
        _fail(exc)
        return exc.exit_status
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except OSError as exc:  # a fault of the machine (a disk, a folder) that no stage foresaw
        print(f"Error: {plain_reason(exc)}" + (f" ({exc.filename})" if exc.filename else ""),
              file=sys.stderr)  # fmt: skip
        return 2
    except Exception as exc:  # the one place for a bug of ours: said plainly, traceback kept
        if settings is not None and settings.debug:
            raise
        print(
            f"Error: an unexpected failure inside the pipeline ({type(exc).__name__}: {exc}).",
            file=sys.stderr,
        )
        print(
            "Hint: this is not a problem in your workbooks. Run again with PIPELINE_DEBUG=1 "
            "and send the output to the team that maintains the pipeline.",
            file=sys.stderr,
        )
        return 3
    finally:
        if progress is not None:
            progress.done()


def _settings(args) -> Settings:
    """The run's settings: the flags given, the environment's switches, the defaults."""
    values = {"inputs": args.inputs}
    if args.command != "new":  # each conference's outputs apart: outputs/WTSA-24/, outputs/PP-26/
        values["outputs"] = Settings.outputs_for(conference_of(Path(args.inputs)))
    out = "published" if args.command == "publish" else "templates"
    for flag, name in (
        ("output", "output"),
        ("marked", "marked"),
        ("releases", "releases"),
        ("since", "since"),
        ("out", out),
        ("strict", "strict"),
    ):
        if getattr(args, flag, None) is not None:
            values[name] = getattr(args, flag)
    settings = Settings.from_environment(**values)
    if args.command != "new":
        for line in move_earlier_outputs(settings, conference_of(settings.inputs)):
            print(line)
    for flag, path in (
        ("--marked", settings.marked),
        ("--out", settings.published if args.command == "publish" else settings.templates),
    ):
        refuse_inside_inputs(settings.inputs, path, flag)
    return settings


def _run(args, settings: Settings, say) -> int:
    # The stages (pandas and the rest) are imported only now: --help and a mistyped command
    # answer at once.
    from .build import build, check, release

    if args.command == "new":
        return _new(settings, args)
    if args.command == "templates":
        return _templates(settings, args)
    if args.command == "publish":
        return _publish(settings, say)
    if args.command == "watch":
        return _watch(settings)
    if args.command == "validate":
        checked = check(settings, say)
        _print_warnings(checked.warnings)
        count = len(checked.proposals)
        print(
            f"All inputs are valid: {count} proposals from "
            f"{_submitters(len(checked.inputs.submitter_codes), len(checked.inputs.member_codes))} "
            f"on {len(checked.catalogue)} resolutions."
        )
        _print_not_started(checked.empty, count, len(checked.catalogue))
    elif args.command == "release":
        built = release(settings, say)
        _print_warnings(built.warnings)
        if built.path is None:
            print(f"Nothing has changed since {built.unchanged_since}: no new release was made.")
            if built.working is not None:
                print(f"{built.working} is that release again.")
        else:
            print(f"Released v{built.release}: {built.path}")
            if built.outcomes is not None:
                print(f"Outcomes recorded for {built.outcomes} of {built.resolutions} resolutions.")
            if built.changes is None:
                print("The first release: there is no earlier one to compare it with.")
            else:
                print(_changes_line(built))
            print(f"{built.working} is now the same as v{built.release}.")
        if built.send is not None:
            print(f"The file to send: {built.send}")
    else:
        built = build(settings, say)
        _print_warnings(built.warnings)
        print(
            f"Wrote {built.path}: {built.resolutions:,} resolutions × "
            f"{_submitters(built.submitters, built.members)}, {built.proposals:,} proposals."
        )
        if built.outcomes is not None:
            print(f"Outcomes recorded for {built.outcomes} of {built.resolutions} resolutions.")
        _print_not_started(built.empty, built.proposals, built.resolutions)
        print(_changes_line(built))
    return 0


def _print_not_started(empty: list[str], proposals: int, resolutions: int) -> None:
    """Groups with nothing in them yet, said plainly: a start, not a mistake."""
    if proposals == 0:
        catalogue = "the catalogue lists no resolutions and " if resolutions == 0 else ""
        print(f"There is nothing in the matrix yet: {catalogue}no workbook holds a proposal.")
    elif empty:
        have = "has" if len(empty) == 1 else "have"
        print(f"{' and '.join([', '.join(empty[:-1]), empty[-1]] if len(empty) > 1 else empty)} "
              f"{have} no proposals yet.")  # fmt: skip


def _stop_cleanly_when_terminated() -> None:
    """A run that is asked to stop (SIGTERM, as a closing terminal or a timeout sends) stops
    as on Ctrl-C: what it had begun writing is removed on the way out."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum, frame):
    raise KeyboardInterrupt


def _submitters(columns: int, members: int) -> str:
    """``6 regional groups``, or ``6 regional groups and 2 member states``."""
    regions = Group.REGION.count(columns - members)
    return f"{regions} and {Group.MEMBER.count(members)}" if members else regions


def _changes_line(built) -> str:
    if built.changes is None:
        return "No earlier version to compare with (make release files one)."
    return f"{built.changes.summary}."


def _watch(settings: Settings) -> int:
    from .watch import watch

    settings.require_inputs()
    try:
        watch(settings, say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("Stopped watching.")
    return 0


def _publish(settings: Settings, say) -> int:
    from .publish import publish

    published = publish(settings, say)
    _print_warnings(published.warnings)
    since = f"changes since {published.since}" if published.since else "the first published"
    print(
        f"Published v{published.release} (as of {published.as_of.isoformat()}, {since}): "
        f"{published.resolutions} resolutions, {published.proposals} proposals; "
        f"{published.held_back} kept back, not public."
    )
    for path in published.files:
        print(f"  {path}")
    return 0


def _new(settings: Settings, args) -> int:
    from .conference import describe_started, new_conference

    started = new_conference(settings.inputs, args.conference, settings.moment, args.source)
    print("\n".join(describe_started(started, " ".join(args.conference.split()), args.source)))
    return 0


def _templates(settings: Settings, args) -> int:
    from .templates.plan import lines_written, write_templates

    result = write_templates(
        settings.inputs,
        settings.templates,
        settings.moment,
        with_data=args.with_data,
        force=args.force,
    )
    print("\n".join(lines_written(result, settings.templates)))
    inputs = settings.inputs.as_posix()
    print(
        f"Copy a template into {inputs}/regions/ (a member state's into {inputs}/members/, the "
        f"catalogue and the outcomes into {inputs}/) under the same name to use it."
    )
    return 0


def _print_warnings(warnings) -> None:
    for problem in warnings:
        print(problem, file=sys.stderr)


def _fail(exc: PipelineError) -> None:
    print(f"Error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"Hint: {exc.hint}", file=sys.stderr)
