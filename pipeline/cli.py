"""The command line: parse, call the pipeline, print what happened. Exit 0, 1 or 2.

0: done. 1: the inputs are invalid, missing or unreadable (nothing written).
2: wrong usage, or the output cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build import DEFAULT_INPUTS, build, check
from .problems import InputsInvalid, PipelineError

EPILOG = """examples:
  python -m pipeline matrix
  python -m pipeline matrix --inputs inputs --output outputs/WTSA-24_Issues_Matrix.xlsx
  python -m pipeline validate --inputs inputs

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

    matrix = commands.add_parser(
        "matrix",
        help="validate the inputs and write the colour-coded matrix",
        description="Validate every input workbook and, if all are valid, write the matrix.",
        epilog="example:\n  python -m pipeline matrix --output outputs/draft.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate = commands.add_parser(
        "validate",
        help="check the inputs and list every problem, writing nothing",
        description="Check every input workbook and list every problem found. Writes nothing.",
        epilog="example:\n  python -m pipeline validate --inputs inputs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for sub in (matrix, validate):
        sub.add_argument(
            "--inputs",
            type=Path,
            default=DEFAULT_INPUTS,
            metavar="DIR",
            help="folder with resolutions.xlsx and regions/ (default: inputs)",
        )
    matrix.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="where to write the matrix (default: outputs/<conference>_Issues_"
        "Matrix.xlsx, or the output named in matrix.toml)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            checked = check(args.inputs)
            _print_warnings(checked.warnings)
            count = len(checked.proposals)
            print(
                f"All inputs are valid: {count} proposals from {len(checked.inputs.regions)} "
                f"regional groups on {len(checked.catalogue)} resolutions."
            )
        else:
            built = build(args.inputs, args.output)
            _print_warnings(built.warnings)
            print(
                f"Wrote {built.path}: {built.resolutions} resolutions × {built.regions} "
                f"regional groups, {built.proposals} proposals."
            )
        return 0
    except InputsInvalid as exc:
        for line in exc.report.lines():
            print(line, file=sys.stderr)
        _fail(exc)
        return exc.exit_status
    except PipelineError as exc:
        _fail(exc)
        return exc.exit_status
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for debugging
        if os.environ.get("PIPELINE_DEBUG"):
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


def _print_warnings(warnings) -> None:
    for problem in warnings:
        print(problem, file=sys.stderr)


def _fail(exc: PipelineError) -> None:
    print(f"Error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(f"Hint: {exc.hint}", file=sys.stderr)
