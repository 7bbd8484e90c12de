"""Run the Great Expectations suites (expectations/, shipped as `pipeline/expectations`) and turn
their findings into Problems.

Each suite runs once over all rows of its kind (every region's proposals together), and each
unexpected row is traced back, through its file and row, to the cell the analyst must fix. The
message an analyst reads is part of the rule: it lives in the expectation's `meta`, with the
vocabulary's words filled in. The value sets and key patterns are suite parameters.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import multiprocessing
import os
import string
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..reading.folders import CATALOGUE_FILE
from ..reading.load import Table
from ..words import vocab
from ..words.excel import EXCEL_CELL_LIMIT, excel_length
from ..words.frames import (
    ACTION,
    BAD_CO_SIGNER,
    DOCUMENT,
    FILE,
    GROUP,
    KEY,
    OUTCOME,
    RESOLUTION,
    ROW,
    TWICE_CO_SIGNER,
    typed,
)
from ..words.keys import DRAFT_RULE, KEY_RULE, NUMBER_RULE, label
from ..words.problems import Code, InstallationError, Problem, quoted, size_words
from . import recall

_ID = "_id"
_GROUPS = {g.code: g for g in vocab.Group}


def validate(
    catalogue: pd.DataFrame | None,
    proposals: pd.DataFrame,
    tables: dict[str, Table],
    outcomes: pd.DataFrame | None = None,
) -> list[Problem]:
    """Every rule violation in the catalogue, the proposals and the outcomes.

    `catalogue`, `proposals` and `outcomes` are the frames made by `load.catalogue_frame`,
    `load.proposals_frame` and `outcomes.outcomes_frame` (frames.READ_CATALOGUE,
    READ_PROPOSALS, READ_OUTCOMES); `tables` maps each input file to its Table, to locate cells.
    """
    problems: list[Problem] = []
    params = {
        "resolution_pattern": KEY_RULE,
        "draft_key_pattern": DRAFT_RULE,
        "number_key_pattern": NUMBER_RULE,
        "only_false": [False],
        "cell_limit": EXCEL_CELL_LIMIT,
        **vocab.suite_parameters(),
    }
    # An empty catalogue would make every row "not in the catalogue": said once, and the rows
    # counted per file, so that the cause is not lost among a hundred lines.
    empty = catalogue is not None and not len(catalogue)
    if catalogue is not None:
        params["catalogue_keys"] = sorted(set(catalogue[KEY].dropna()))
        if len(catalogue):
            problems += _run("catalogue", catalogue, params, tables)
    if len(proposals):
        skip = set()
        if catalogue is None or empty:
            skip.add(Code.RESOLUTION_UNKNOWN)  # reported once as a missing catalogue instead
        problems += _run("proposals", proposals, params, tables, skip)
        if empty:
            problems += _named_in_vain(proposals, "proposal")
    if outcomes is not None and len(outcomes):
        skip = set() if catalogue is not None else {Code.RESOLUTION_UNKNOWN, Code.ADOPTED_AS_TAKEN}
        if empty:
            skip.add(Code.RESOLUTION_UNKNOWN)
        params.setdefault("catalogue_keys", [])
        problems += _run("outcomes", outcomes, params, tables, skip)
        if empty:
            problems += _named_in_vain(outcomes, "outcome")
    # A new conference's catalogue is empty too, until rows name what it should hold.
    if any(p.code == Code.RESOLUTION_UNKNOWN for p in problems) and empty:
        problems.append(_empty_catalogue(tables))
    return problems


def _empty_catalogue(tables: dict[str, Table]) -> Problem:
    stem = Path(CATALOGUE_FILE).stem
    file = next((f for f in tables if "/" not in f and Path(f).stem == stem), CATALOGUE_FILE)
    return Problem(
        file,
        "holds no resolutions: was a blank template copied over it? Every proposal and outcome "
        "names a resolution it must list: restore it from a backup or an earlier copy, or fill "
        "in its rows",
        Code.CATALOGUE_EMPTY,
    )


def _named_in_vain(frame: pd.DataFrame, noun: str) -> list[Problem]:
    """One line per file: how many of its rows name a resolution, which an empty catalogue
    cannot have (rows whose resolution cannot be read are reported on their own)."""
    counts = frame.loc[frame[KEY].notna(), FILE].value_counts(sort=False)
    return [
        Problem(
            file,
            f"{count} {noun}{'s' * (count != 1)} name{'s' * (count == 1)} "
            f"resolution{'s' * (count != 1)} the catalogue does not have, since it is empty",
            Code.RESOLUTION_UNKNOWN,
        )
        for file, count in counts.items()
    ]


def timed(catalogue, proposals, tables, outcomes=None) -> tuple[list[Problem], float]:
    start = time.perf_counter()
    return validate(catalogue, proposals, tables, outcomes), time.perf_counter() - start


# What the second process validates: left here by the first just before it forks, so that
# the frames are inherited, not copied through a pipe.
_INHERITED: tuple = ()


def _validate_inherited() -> tuple[list[Problem], float]:
    return timed(*_INHERITED)


@contextlib.contextmanager
def alongside(
    catalogue, proposals, tables, outcomes=None, parallel: bool = True
) -> Iterator[Callable[[], tuple[list[Problem], float]]]:
    """Validation, started now; the callable given waits for it and returns the problems and
    the seconds it took. Nothing may be written from the inputs before it has answered.

    Importing Great Expectations takes seconds of a run: a second process does that and the
    validation, on the second core, while this one lays out the matrix. On Linux it is forked
    and inherits the frames; on Windows and macOS, which cannot fork safely, it is spawned and
    the frames are sent to it. Where Great Expectations is loaded already (watch mode), or
    `parallel` is off, the callable validates here instead.
    """
    global _INHERITED
    method = _start_method() if parallel else None
    if method is None:
        yield lambda: timed(catalogue, proposals, tables, outcomes)
        return
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        if method == "fork":
            _INHERITED = (catalogue, proposals, tables, outcomes)
            try:
                with warnings.catch_warnings():  # numpy's idle BLAS threads make Python warn
                    warnings.simplefilter("ignore", DeprecationWarning)
                    future = pool.submit(_validate_inherited)  # the fork happens here
            finally:
                _INHERITED = ()
        else:
            # A problem points at a cell through its table's file, sheet and columns, never
            # its rows: the rows go to the other process once, in the frames.
            located = {name: replace(t, data=t.data.iloc[:0]) for name, t in tables.items()}
            future = pool.submit(timed, catalogue, proposals, located, outcomes)

        def result() -> tuple[list[Problem], float]:
            try:
                return future.result()
            except BrokenProcessPool:  # the second process died: validate here instead
                return timed(catalogue, proposals, tables, outcomes)

        yield result


def _start_method() -> str | None:
    """How to start the second process: "fork" on Linux, "spawn" elsewhere (fork is missing on
    Windows and unsafe on macOS), or None to validate here, where Great Expectations is loaded
    already. Tests force each."""
    if "great_expectations" in sys.modules:
        return None
    if sys.platform == "linux":
        return "fork"
    return "spawn"


def suites_folder(package: Path = Path(__file__).parents[1]) -> Path | None:
    """Where the rules are: inside the package once installed (the wheel ships expectations/
    as pipeline/expectations), beside it in the project folder. Found by path, not imported,
    so that nothing depends on where the folder was when something was installed."""
    for folder in (package / "expectations", package.parent / "expectations"):
        if (folder / "proposals.json").is_file():
            return folder
    return None


_RESTORE = (
    "The expectations/ folder belongs to the project: restore it with git, or install the "
    "pipeline again."
)


def load_suite(name: str) -> dict:
    """Suite `name`, its problem codes (each rule's `code` and `after`) made Codes."""
    folder = suites_folder()
    try:
        if folder is None:
            raise FileNotFoundError("there is no expectations/ folder beside pipeline/")
        data = json.loads((folder / f"{name}.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallationError(
            f"the validation rules {name}.json cannot be read ({exc})", hint=_RESTORE
        ) from exc
    for rule in data["expectations"]:
        meta = rule["meta"]
        meta["code"] = _suite_code(name, meta["code"])
        if "after" in meta:
            meta["after"] = [_suite_code(name, code) for code in meta["after"]]
    return data


def _suite_code(name: str, code: str) -> Code:
    """A code a suite names, which problems.Code must list: a rule whose problem had no title
    or explanation is a fault of ours, caught before any rule runs."""
    try:
        return Code(code)
    except ValueError:
        raise InstallationError(
            f"the validation rules {name}.json name the problem code {quoted(code)}, which the "
            "pipeline does not know",
            hint=_RESTORE,
        ) from None


def warm_up() -> None:
    """Load Great Expectations now (for watch mode, which then keeps it loaded)."""
    _gx()


@functools.cache
def _gx():
    """Great Expectations, imported once and silenced: its bars and warnings are not for users."""
    # What the library reads from the environment: it sends no usage statistics (the pipeline
    # works offline) and shows no progress bars.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    # Importing it makes some 175,000 objects that live as long as the process: Python's cycle
    # collector, run over and over among them as they are made, cost a tenth of the import or
    # more (0.3 to 0.6 s of a validator's 2.5 to 3 s here). Off meanwhile, then those objects
    # set aside from its later passes (gc.freeze: never collected, which they would not be).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

        logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("inputs").add_dataframe_asset("rows")
        batches = asset.add_batch_definition_whole_dataframe("all rows")
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return gx, batches


def _run(
    name: str, frame: pd.DataFrame, params: dict, tables: dict[str, Table], skip=frozenset()
) -> list[Problem]:
    data = load_suite(name)
    rules = [e for e in data["expectations"] if e["meta"]["code"] not in skip]
    where = sorted((t.file, t.sheet or "", sorted(t.columns.items())) for t in tables.values())
    found = recall.findings(
        name,
        rules,
        frame,
        params,
        where,
        _quoted_columns,
        lambda some: _run_suite(name, data, some, frame, params, tables),
    )
    return _causes_only([p for problems in found for p in problems], rules)


def _run_suite(name, data, rules, frame, params, tables) -> list[list[Problem]]:
    """The problems each rule finds, in the order of `rules`."""
    # Results come back in no fixed order: each rule carries its place.
    rules = [{**r, "meta": {**r["meta"], "index": i}} for i, r in enumerate(rules)]
    found: list[list[Problem]] = [[] for _ in rules]
    frame = frame.reset_index(drop=True)
    frame[_ID] = range(len(frame))

    # Inputs are valid far more often than not: a first pass only asks which rules fail, which
    # costs half as much; only those rules run again to list the rows that break them.
    failed = [
        r for r in _validate(name, data, rules, frame, params, "BOOLEAN_ONLY") if not r.success
    ]
    if not failed:
        return found
    again = [rules[r.expectation_config.meta["index"]] for r in failed]
    complete = {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [_ID],
        "return_unexpected_index_query": False,
    }
    for outcome in _validate(name, data, again, frame, params, complete):
        config = outcome.expectation_config
        if outcome.success:
            continue
        ids = [item[_ID] for item in outcome.result.get("unexpected_index_list") or []]
        rows = frame.iloc[ids]
        if config.type in (
            "expect_compound_columns_to_be_unique",
            "expect_column_values_to_be_unique",
        ):
            columns = config.kwargs.get("column_list") or [config.kwargs["column"]]
            problems = _duplicates(rows, columns, config.meta, tables)
        else:
            problems = [_problem(row, config.meta, tables) for row in rows.to_dict("records")]
        found[config.meta["index"]] = problems
    return found


def _causes_only(problems: list[Problem], rules: list[dict]) -> list[Problem]:
    """Without the problems that only follow from another on the same row (a rule's meta
    names the rules it comes `after`): fixing the cause fixes them, and they cannot be fixed
    on their own."""
    after = {r["meta"]["code"]: set(r["meta"].get("after", ())) for r in rules}
    found = {(p.file, p.row, p.code) for p in problems}
    return [
        p
        for p in problems
        if not any((p.file, p.row, cause) in found for cause in after.get(p.code, ()))
    ]


def _validate(name: str, data: dict, rules: list[dict], frame, params: dict, result_format):
    """Run `rules` of suite `name` over `frame`; a rule that cannot run is a fault of ours."""
    gx, batch_definition = _gx()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        suite = gx.ExpectationSuite(**{**data, "expectations": rules})
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, expectation_parameters=params, result_format=result_format)
    for outcome in result.results:
        if outcome.exception_info.get("raised_exception"):
            config = outcome.expectation_config
            raise InstallationError(
                f"validation rule {config.meta.get('code')} in expectations/{name}.json "
                f"could not run: {outcome.exception_info.get('exception_message')}"
            )
    return result.results


def _duplicates(rows: pd.DataFrame, columns: list[str], meta: dict, tables) -> list[Problem]:
    """For each group of identical rows, one problem per row after the first, naming the first."""
    problems = []
    for _, group in rows.sort_values([FILE, ROW]).groupby(columns, sort=False, dropna=False):
        records = group.to_dict("records")
        first = records[0][ROW]
        problems += [_problem(r, meta, tables, first_row=first) for r in records[1:]]
    return problems


#: The columns `_problem` fills each placeholder of a message from (beyond the rule's own
#: column, which {value} and {size} quote): what a remembered finding depends on (recall.py).
PLACEHOLDER_COLUMNS = {
    "key": (KEY, typed(RESOLUTION)),
    "action": (ACTION,),
    "outcome": (OUTCOME,),
    "bad": (BAD_CO_SIGNER,),
    "twice": (TWICE_CO_SIGNER,),
    "document": (DOCUMENT,),
    "group": (GROUP,),
}
#: Placeholders that quote no row: the rule's column name, the first of duplicate rows (one
#: of the rows the rule reads), Excel's limit, the vocabulary's words.
CONSTANT_PLACEHOLDERS = frozenset({"field", "first_row", "cell_limit", *vocab.words()})


def _quoted_columns(rule: dict) -> set[str] | None:
    """The columns a rule's problems quote, or None for a placeholder not known here."""
    field = rule["meta"]["column"]
    columns = {FILE, ROW, typed(field)}
    for _, placeholder, _, _ in string.Formatter().parse(rule["meta"]["message"]):
        base = (placeholder or "").split(".")[0].split("[")[0]
        if not base or base in CONSTANT_PLACEHOLDERS or base in ("value", "size"):
            continue
        if base not in PLACEHOLDER_COLUMNS:
            return None
        columns.update(PLACEHOLDER_COLUMNS[base])
    return columns


def _problem(record: dict, meta: dict, tables: dict[str, Table], **extra) -> Problem:
    table = tables[record[FILE]]
    field = meta["column"]  # the input column to point at, as its header names it
    raw = record.get(typed(field))
    key = record.get(KEY)
    text = "" if raw is None or raw != raw else str(raw)
    document = record.get(DOCUMENT)
    message = meta["message"].format(
        value=quoted(text),
        field=field,
        size=size_words(len(text), excel_length(text)),
        key=quoted(label(key))[1:-1]
        if isinstance(key, str)
        else quoted(record.get(typed(RESOLUTION))),
        action=record.get(ACTION),
        outcome=record.get(OUTCOME),
        bad=quoted(str(record.get(BAD_CO_SIGNER))),
        twice=record.get(TWICE_CO_SIGNER),
        document=f"document {document}" if _present(document) else "no document",
        group=_GROUPS.get(record.get(GROUP), vocab.Group.REGION).short,
        cell_limit=f"{EXCEL_CELL_LIMIT:,}",
        **vocab.words(),
        **extra,
    )
    return Problem(
        file=table.file,
        sheet=table.sheet,
        row=int(record[ROW]),
        col=table.columns.get(field),
        field=field,
        value=text if text else None,
        code=Code(meta["code"]),  # Great Expectations may hand back the meta as plain text
        message=message,
    )


def _present(value) -> bool:
    return value is not None and value == value
