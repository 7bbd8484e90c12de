"""Watch mode's memory of what each rule found, so that a save reruns only the rules it touched.

A rule's problems depend on nothing but the frame columns it reads (those its arguments and row
condition name, those its message quotes, and each row's file and row number), the suite
parameters it names, and where each file's columns are. Each rule's findings are kept under a
fingerprint of exactly those, so a save that edits a Summary reruns the two rules that read
Summary, not the whole suite: Great Expectations' cost is per rule, not per row. Outside watch
mode nothing is kept and every rule runs.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterator

import pandas as pd

from ..words.problems import Problem

#: Each suite's rules as last run: fingerprint -> the problems that rule found. Only the last
#: run is kept, so the memory never grows. None outside watch mode.
_MEMORY: dict[str, dict[bytes, list[Problem]]] | None = None

PARAMETER = "$PARAMETER"  # how a rule names a suite parameter (Great Expectations' syntax)


def remember_results(on: bool = True) -> None:
    """From now on, a rule whose fingerprint is unchanged since the last run is not run again
    (or, with `on` false, every rule runs again, and nothing is kept)."""
    global _MEMORY
    _MEMORY = {} if on else None


def findings(
    name: str,
    rules: list[dict],
    frame: pd.DataFrame,
    params: dict,
    where: list,
    quoted_columns: Callable[[dict], set[str] | None],
    run: Callable[[list[dict]], list[list[Problem]]],
) -> list[list[Problem]]:
    """The problems each of `rules` (of suite `name`) finds in `frame`, in order: remembered
    where its fingerprint is the last run's, found by `run` (given the other rules) where not.

    `where` locates the files' cells; `quoted_columns(rule)` names the columns the rule's
    message is filled from, or None if it cannot tell (the rule then depends on every column).
    """
    memory = _MEMORY
    if memory is None:
        return run(rules)
    digest = _column_digests(frame)
    keys = [
        _fingerprint(name, rule, frame, params, where, quoted_columns(rule), digest)
        for rule in rules
    ]
    last = memory.get(name, {})
    stale = [i for i, key in enumerate(keys) if key not in last]
    fresh = dict(zip(stale, run([rules[i] for i in stale]), strict=True)) if stale else {}
    found = [fresh[i] if i in fresh else last[key] for i, key in enumerate(keys)]
    memory[name] = dict(zip(keys, found, strict=True))
    return [list(problems) for problems in found]


def _column_digests(frame: pd.DataFrame) -> Callable[[str], bytes]:
    """Each column's digest, computed once when first asked: the pickled column (its values,
    their types, its dtype), so equal digests mean equal contents and no change is missed."""
    known: dict[str, bytes] = {}

    def digest(column: str) -> bytes:
        if column not in known:
            data = pickle.dumps(frame[column], protocol=pickle.HIGHEST_PROTOCOL)
            known[column] = hashlib.sha256(data).digest()
        return known[column]

    return digest


def _fingerprint(name, rule, frame, params, where, quoted, digest) -> bytes:
    columns = set(frame.columns)
    named = list(_strings(rule.get("kwargs", {})))
    # A string that names a column, or holds one's name (a row condition written as text):
    # counting a column too many costs a rerun, one too few would keep a stale finding.
    reads = {c for c in columns for s in named if c == s or c in s}
    reads |= columns if quoted is None else quoted & columns
    asked = set(_parameters(rule.get("kwargs", {})))
    used = {k: params[k] for k in sorted(asked)} if asked <= set(params) else params
    head = json.dumps([name, rule, used, where], sort_keys=True, default=str)
    hashed = hashlib.sha256(head.encode())
    for column in sorted(reads):
        hashed.update(column.encode() + b"\0" + digest(column))
    return hashed.digest()


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _parameters(value) -> Iterator[str]:
    """The suite parameters a rule's arguments name, as {"$PARAMETER": "name"}."""
    if isinstance(value, dict):
        if PARAMETER in value:
            yield str(value[PARAMETER])
        for item in value.values():
            yield from _parameters(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _parameters(item)
