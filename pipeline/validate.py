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
import warnings
from pathlib import Path

import pandas as pd

from .keys import KEY_PATTERN, label
from .load import Table
from .problems import InstallationError, Problem

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
_MAX_SHOWN = 60


def validate(
    catalogue: pd.DataFrame | None, proposals: pd.DataFrame, tables: dict[str, Table]
) -> list[Problem]:
    """Every rule violation in the catalogue and the proposals.

    `catalogue` and `proposals` are the frames made by `load.catalogue_frame` and
    `load.proposals_frame`; `tables` maps each input file to its Table, to locate cells.
    """
    problems: list[Problem] = []
    params = {"resolution_pattern": KEY_PATTERN}
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


def load_suite(name: str) -> dict:
    path = SUITES_DIR / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallationError(
            f"the validation rules {path} cannot be read ({exc})",
            hint="The expectations/ folder belongs to the project: restore it with git.",
        ) from exc


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
    data["expectations"] = [e for e in data["expectations"] if e["meta"]["code"] not in skip]
    gx, batch_definition = _gx()
    frame = frame.reset_index(drop=True)
    frame["_id"] = range(len(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        suite = gx.ExpectationSuite(**data)
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(
            suite,
            expectation_parameters=params,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": ["_id"],
                "return_unexpected_index_query": False,
            },
        )

    # Results come back in no fixed order; report problems in one cell in the suite's order.
    position = {e["meta"]["code"]: i for i, e in enumerate(data["expectations"])}
    problems: list[Problem] = []
    for outcome in sorted(
        result.results, key=lambda r: position[r.expectation_config.meta["code"]]
    ):
        config = outcome.expectation_config
        if outcome.exception_info.get("raised_exception"):
            raise InstallationError(
                f"validation rule {config.meta.get('code')} in expectations/{name}.json "
                f"could not run: {outcome.exception_info.get('exception_message')}"
            )
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
        value=_quoted(text),
        field=field,
        length=len(text),
        key=label(key) if isinstance(key, str) else _quoted(str(record.get("Resolution"))),
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


def _present(value) -> bool:
    return value is not None and value == value


def _quoted(text: str) -> str:
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 1] + "…"
    return f"'{text}'"
