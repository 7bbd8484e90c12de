"""How the Changes sheet's tables fit one page's width, each with widths of its own.

The proposals table gives the sheet its columns: each as wide as the longest word it can hold
(so that no word is broken mid-word) and its header, the prose columns sharing what room the
paper leaves at the legible size. A sheet column has one width for every row, so the tables
under it (the overall concerns, the outcomes) lay their own columns over the sheet's, each
spanning as many whole sheet columns as come closest to the width it needs.
"""

from __future__ import annotations

import math

import pandas as pd

from ..words.frames import (
    ACTION,
    ASSESSMENT,
    CHANGED_FIELDS,
    CONCERN,
    FIELDS,
    NOTES,
    OUTCOME,
    OUTCOME_FIELDS,
    PUBLIC,
    RESULT,
    SUMMARY,
)
from ..words.vocab import (
    ACTION_CODES,
    ASSESSMENT_CODES,
    CONCERN_CODES,
    OUTCOME_CODES,
    PUBLIC_CODES,
    RESULT_CODES,
)
from .printing import points
from .textwidth import width_for

#: The prose columns' least and most widths: they share the room the other columns leave.
PROSE = {SUMMARY: (24.0, 45.0), NOTES: (16.0, 30.0)}
#: No other column is made wider than this for a long word (a path, a long code): Excel
#: breaks such a word inside the cell rather than widen every row's page.
WIDEST_WORD = 32.0
#: The values a column can hold besides what the rows hold now: a narrower column would break
#: one of them when it comes.
_VOCABULARY = {
    ACTION: ACTION_CODES,
    CONCERN: CONCERN_CODES,
    PUBLIC: PUBLIC_CODES,
    RESULT: RESULT_CODES,
    OUTCOME: OUTCOME_CODES,
    ASSESSMENT: ASSESSMENT_CODES,
    CHANGED_FIELDS: tuple(f"{name}," for name in (*FIELDS, *OUTCOME_FIELDS)),
}
#: A narrower column is a worse fit than a wider one by this much: its words break.
_NARROW = 16
#: What widening the sheet by a unit costs, against a misfit of a unit squared: a column is
#: widened for a word rather than break it, unless a span that fits costs far more elsewhere.
_GROW = 400
#: Room a word is given beyond what Calibri's metrics say it needs: LibreOffice leaves a cell's
#: text a pixel or two less than Excel does, and broke "Assessment," in a column it just fits.
_SLACK = 0.5


def field(column: str) -> str:
    """``Summary`` for ``Summary before`` and ``Summary after``; a column's own name else."""
    name, _, side = column.rpartition(" ")
    return name if side in ("before", "after") and name else column


def header_width(name: str, button: bool) -> float:
    """The width that shows a header's words, each on a line of its own at most, with room for
    the filter button beside the last."""
    words = name.split()
    return max(width_for(words, bold=True), width_for(words[-1:], bold=True, button=button))


def word_width(column: str, values) -> float:
    """The width that holds the longest word of a column's values (and of its vocabulary), in
    bold for a field's before or after: the fields that changed are highlighted in bold."""
    # Each distinct value once: a column of codes has a few, whatever its rows.
    words = {word for value in pd.unique(pd.Series(values, dtype=object)) for word in
             str(value).split()}  # fmt: skip
    words.update(word for value in _VOCABULARY.get(field(column), ()) for word in value.split())
    bold = field(column) != column
    return min(WIDEST_WORD, width_for(words, bold=bold) + _SLACK)


def table_widths(columns: list[str], rows, button: bool = False) -> list[float]:
    """Each column's width for its header and its values' longest word; a prose column's
    least (`fit_prose` widens them). A field's before and after are as wide as each other,
    so that the two read as a pair."""
    widths = {}
    for name in columns:
        least = header_width(name, button)
        if field(name) in PROSE:
            widths[name] = max(least, PROSE[field(name)][0])
        else:
            widths[name] = max(least, word_width(name, rows.get(name, ())))
    pairs = {}
    for name, width in widths.items():
        pairs[field(name)] = max(pairs.get(field(name), 0.0), width)
    return [pairs[field(name)] for name in columns]


def fit_prose(columns: list[str], widths: list[float], room: float) -> list[float]:
    """The prose columns widened together, each from its least towards its most, as far as the
    columns stay within `room` points (`printing.points`): one page's width at the legible
    size (`printing.legible_room`), or the sheet columns a table is laid over."""
    prose = [i for i, name in enumerate(columns) if field(name) in PROSE]
    if not prose:
        return widths
    most = [max(widths[i], PROSE[field(columns[i])][1]) for i in prose]
    growth = points(most) - points([widths[i] for i in prose])
    spare = room - points(widths)
    share = 1.0 if growth <= 0 else min(1.0, max(0.0, spare / growth))
    fitted = list(widths)
    for i, top in zip(prose, most, strict=True):
        # To the half unit below: the sum never passes the room that was shared out.
        fitted[i] = math.floor((widths[i] + share * (top - widths[i])) * 2) / 2
    return fitted


def lay(
    grid: list[float], wanted: list[float], least: list[float] | None = None
) -> tuple[list[tuple[int, int]], list[float]]:
    """Lay columns of the `wanted` widths over sheet columns of the `grid` widths, left to
    right: each takes the whole sheet columns (first, last) that come closest to its width,
    too wide rather than too narrow. Where a column is narrower than its `least` (by default,
    its wanted width), the last sheet column it takes is widened to it: the page loses a
    little width rather than a word being broken. The spans, and the sheet columns' widths.

    Dynamic programming over (column, last sheet column), so the best of every way of laying
    the columns is found (in count × sheet columns² steps: a few hundred here)."""
    count, size = len(wanted), len(grid)
    if count > size:
        raise ValueError(f"{count} columns cannot be laid over {size}")
    least = wanted if least is None else least
    edge = [0.0]
    for width in grid:
        edge.append(edge[-1] + width)

    def misfit(width: float, j: int) -> float:
        need = wanted[j]
        cost = (need - width) ** 2 * _NARROW if width < need else (width - need) ** 2
        return cost + _GROW * max(0.0, least[j] - width)

    # best[j][e]: the least misfit of the first j columns, the j-th ending before sheet column e.
    best = [[math.inf] * (size + 1) for _ in range(count + 1)]
    came = [[0] * (size + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for j in range(1, count + 1):
        for end in range(j, size - (count - j) + 1):
            for start in range(j - 1, end):
                if best[j - 1][start] == math.inf:
                    continue
                cost = best[j - 1][start] + misfit(edge[end] - edge[start], j - 1)
                if cost < best[j][end]:
                    best[j][end], came[j][end] = cost, start
    end = min(range(count, size + 1), key=lambda e: best[count][e])
    laid = []
    for j in range(count, 0, -1):
        start = came[j][end]
        laid.append((start, end - 1))
        end = start
    laid.reverse()
    widened = list(grid)
    for (first, last), need in zip(laid, least, strict=True):
        widened[last] += max(0.0, need - sum(widened[first : last + 1]))
    return laid, widened


def span_widths(grid: list[float], laid: list[tuple[int, int]]) -> list[float]:
    """The width each laid column has: its sheet columns' together."""
    return [sum(grid[first : last + 1]) for first, last in laid]
