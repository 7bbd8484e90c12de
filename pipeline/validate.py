"""Run the Great Expectations suites in `expectations/` and turn their findings into Problems.

Each suite runs once over all rows of its kind (every region's proposals together), and each
unexpected row is traced back, through `_file` and `_row`, to the cell the analyst must fix.
The message an analyst reads is part of the rule: it lives in the expectation's `meta`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

from .keys import KEY_RULE, label
from .load import Table
from .problems import InstallationError, Problem, quoted, size_words
from .textwidth import excel_length

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"


def validate(
    catalogue: pd.DataFrame | None, proposals: pd.DataFrame, tables: dict[str, Table]
) -> list[Problem]:
    """Every rule violation in the catalogue and the proposals.

    `catalogue` and `proposals` are the frames made by `load.catalogue_frame` and
    `load.proposals_frame`; `tables` maps each input file to its Table, to locate cells.
    """
    problems: list[Problem] = []
    params = {"resolution_pattern": KEY_RULE}
    if catalogue is not None and len(catalogue):
        problems += _run("catalogue", catalogue, params, tables)
    if len(proposals):
        skip = set()
        if catalogue is None:
            skip.add("resolution-unknown")  # reported once as a missing catalogue instead
        else:
            params["catalogue_keys"] = sorted(set(catalogue["key"].dropna()))
        problems += _run("proposals", proposals, params, tables, skip)
    return problems


class Pending:
    """`validate`, started now and collected with `result()`, so the matrix can be laid out
    while the rules run.

    Importing Great Expectations takes seconds of the run; on Linux, a forked process does
    that and the validation, on the second core, while this one merges and renders. Where
    Great Expectations is loaded already (watch mode), or fork is not available, or
    PIPELINE_PARALLEL=0, `result()` validates here instead. Nothing is written from the
    inputs before `result()` has said they are valid.
    """

    def __init__(self, catalogue, proposals, tables):
        self._args = (catalogue, proposals, tables)
        self._process = self._conn = None
        self.seconds = 0.0
        if _fork_worthwhile():
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._conn, child = context.Pipe(duplex=False)
            self._process = context.Process(target=_validate_in_child, args=(child, *self._args))
            with warnings.catch_warnings():  # numpy's idle BLAS threads make Python warn
                warnings.simplefilter("ignore", DeprecationWarning)
                self._process.start()
            child.close()

    def result(self) -> list[Problem]:
        if self._process is not None:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                message = ("lost",)  # the child died without a word: do it here instead
            finally:
                self.close()
            if message[0] == "ok":
                self.seconds = message[2]
                return message[1]
            if message[0] == "error":
                raise InstallationError(message[1], hint=message[2])
        start = time.perf_counter()
        problems = validate(*self._args)
        self.seconds = time.perf_counter() - start
        return problems

    def close(self) -> None:
        if self._process is not None:
            self._conn.close()
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
            self._process = None


def _fork_worthwhile() -> bool:
    return (
        sys.platform == "linux"
        and os.environ.get("PIPELINE_PARALLEL", "1") != "0"
        and "great_expectations" not in sys.modules
    )


def _validate_in_child(conn, catalogue, proposals, tables) -> None:
    try:
        start = time.perf_counter()
        problems = validate(catalogue, proposals, tables)
        conn.send(("ok", problems, time.perf_counter() - start))
    except InstallationError as exc:
        conn.send(("error", exc.message, exc.hint))
    except BaseException:  # the parent validates again, and reports for itself
        conn.send(("lost",))
    finally:
        conn.close()


def load_suite(name: str) -> dict:
    path = SUITES_DIR / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallationError(
            f"the validation rules {path} cannot be read ({exc})",
            hint="The expectations/ folder belongs to the project: restore it with git.",
        ) from exc


def warm_up() -> None:
    """Load Great Expectations now (for watch mode, which then keeps it loaded)."""
    _gx()


@functools.cache
def _gx():
    """Great Expectations, imported once and silenced: its bars and warnings are not for users."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    asset = context.data_sources.add_pandas("inputs").add_dataframe_asset("rows")
    return gx, asset.add_batch_definition_whole_dataframe("all rows")


def _run(
    name: str, frame: pd.DataFrame, params: dict, tables: dict[str, Table], skip=frozenset()
) -> list[Problem]:
    data = load_suite(name)
    rules = [e for e in data["expectations"] if e["meta"]["code"] not in skip]
    for index, rule in enumerate(rules):
        rule["meta"] = {**rule["meta"], "index": index}  # results come back in no fixed order
    frame = frame.reset_index(drop=True)
    frame["_id"] = range(len(frame))

    # Inputs are valid far more often than not: a first pass only asks which rules fail, which
    # costs half as much; only those rules run again to list the rows that break them.
    failed = [
        r for r in _validate(name, data, rules, frame, params, "BOOLEAN_ONLY") if not r.success
    ]
    if not failed:
        return []
    again = [rules[r.expectation_config.meta["index"]] for r in failed]
    complete = {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": ["_id"],
        "return_unexpected_index_query": False,
    }
    outcomes = _validate(name, data, again, frame, params, complete)

    problems: list[Problem] = []
    for outcome in sorted(outcomes, key=lambda r: r.expectation_config.meta["index"]):
        config = outcome.expectation_config
        if outcome.success:
            continue
        ids = [item["_id"] for item in outcome.result.get("unexpected_index_list") or []]
        rows = frame.iloc[ids]
        if config.type in (
            "expect_compound_columns_to_be_unique",
            "expect_column_values_to_be_unique",
        ):
            columns = config.kwargs.get("column_list") or [config.kwargs["column"]]
            problems += _duplicates(rows, columns, config.meta, tables)
        else:
            problems += [_problem(row, config.meta, tables) for row in rows.to_dict("records")]
    return problems


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
    for _, group in rows.sort_values(["_file", "_row"]).groupby(columns, sort=False, dropna=False):
        records = group.to_dict("records")
        first = records[0]["_row"]
        problems += [_problem(r, meta, tables, first_row=first) for r in records[1:]]
    return problems


def _problem(record: dict, meta: dict, tables: dict[str, Table], **extra) -> Problem:
    table = tables[record["_file"]]
    field = meta["column"]
    raw = record.get(field)
    key = record.get("key")
    text = "" if raw is None or raw != raw else str(raw)
    message = meta["message"].format(
        value=quoted(text),
        field=field,
        size=_size(text),
        key=quoted(label(key))[1:-1] if isinstance(key, str) else quoted(record.get("Resolution")),
        action_code=record.get("action_code"),
        document=f"document {record['Document']}"
        if _present(record.get("Document"))
        else "no document",
        **extra,
    )
    return Problem(
        file=table.file,
        sheet=table.sheet,
        row=int(record["_row"]),
        col=table.columns.get(field),
        field=field,
        value=text if text else None,
        code=meta["code"],
        message=message,
    )


def _size(text: str) -> str:
    return size_words(len(text), excel_length(text))


def _present(value) -> bool:
    return value is not None and value == value
