"""The public web page of a matrix: one self-contained HTML file (styles and the filters'
script inline, nothing fetched from anywhere), made from a Jinja2 template with autoescaping,
so every analyst's text is shown as text. The PDF is printed from the same page.
"""

from __future__ import annotations

import jinja2

from .changes import ADDED, CHANGED, REMOVED
from .frames import (
    ACTION,
    ANALYSIS,
    ASSESSMENT,
    CHANGE,
    CHANGED_FIELDS,
    CO_SIGNERS,
    CONCERN,
    DECIDED,
    DOCUMENT,
    KEY,
    OVERALL,
    PRIORITY,
    PUBLIC,
    REGION,
    RESOLUTION,
    RESULT,
    SUMMARY,
    TITLE,
    TOPIC,
    after,
    before,
    region_concern,
)
from .merge import cell_parts
from .outcomes import shown_key
from .outcomes_sheet import outcomes_line
from .render import HOW_TO_READ, MatrixData, changes_line, day, publisher_lines
from .vocab import PRIORITY_CODES, Assessment, Concern, Result

_CSS = {c.code: f"c-{c.name.lower()}" for c in Concern}
_WORDS = {c.code: c.words for c in Concern}
_SYMBOLS = {ADDED: "+", CHANGED: "~", REMOVED: "−"}
_ASSESSED = {a.code: (a.words, f"a-{a.name.lower()}") for a in Assessment}
_RESULTS = {r.code: r.words for r in Result}


#: What the page's Order control sorts by, highest first: the script reads these codes from
#: the page, so the vocabulary stays the one place they are listed. Without scripts the rows
#: keep the catalogue's order.
SORTING = {
    "concern": [c.code for c in Concern.highest_first()],
    "priority": list(PRIORITY_CODES),
}


def anchor(key: str) -> str:
    """The page's anchor for a resolution: ``res-64``, ``res-new-ai``."""
    return "res-" + key.lower()


def page(data: MatrixData) -> str:
    """The web page of a public edition."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "web"),
        autoescape=True,  # every text from a workbook is escaped: a summary is never markup
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("page.html").render(page=view(data), sorting=SORTING)


def view(data: MatrixData) -> dict:
    """What the page shows, as plain values for the template."""
    edition, config = data.public, data.config
    long = data.long
    head, _ = cell_parts(
        long[ACTION], long[CONCERN], long[SUMMARY], long[DOCUMENT], long[PUBLIC], long[RESULT]
    )  # its first line; the rest is laid out by the template
    cells: dict[tuple[str, str], list[dict]] = {}
    for key, region, h, summary, document, result, signed in zip(
        long[KEY],
        long[REGION],
        head,
        long[SUMMARY],
        long[DOCUMENT],
        long[RESULT],
        long[CO_SIGNERS],
        strict=True,
    ):
        cells.setdefault((key, region), []).append(
            {
                "head": h,
                "summary": summary,
                "document": document,
                "co_signers": f"Co-signed by: {signed}" if signed else "",
                "result": _RESULTS.get(result),
            }
        )
    outcomes = {} if data.outcomes is None else data.outcomes.set_index(KEY).to_dict("index")
    changed = data.changes.cells if data.changes is not None else frozenset()
    since = data.changes.since if data.changes is not None else ""
    rows = []
    for rec in data.matrix.to_dict("records"):
        row_cells, concerns = [], []
        for region in data.regions:
            level = rec[region_concern(region)]
            proposals = cells.get((rec[KEY], region), [])
            mark = ""
            if (rec[KEY], region) in changed:
                mark = f"Changed since {since}" + ("" if proposals else ": no proposal now")
            if level:
                concerns.append(f"{region}:{level}")
            row_cells.append(
                {
                    "region": region,
                    "css": _CSS.get(level, ""),
                    "changed": mark,
                    "proposals": proposals,
                }
            )
        rows.append(
            {
                "anchor": anchor(rec[KEY]),
                "label": shown_key(rec[KEY], data.outcomes),
                "title": rec[TITLE],
                "topic": rec[TOPIC] or "",
                "priority": rec[PRIORITY] or "",
                "cells": row_cells,
                "regions": " ".join(r for r in data.regions if cells.get((rec[KEY], r))),
                "concerns": " ".join(concerns),
                "overall": rec[OVERALL],
                "overall_css": _CSS.get(rec[OVERALL], ""),
                "overall_words": _WORDS.get(rec[OVERALL], "No proposals"),
                "analysis": rec[ANALYSIS],
                "outcome": _outcome(outcomes.get(rec[KEY])),
            }
        )
    say = config.wording
    return {
        "title": config.matrix_title,
        "conference": config.conference,
        "edition": edition.words,
        "as_of_iso": edition.as_of.isoformat(),
        "organisation": edition.publishing.organisation,
        "licence": edition.publishing.licence,
        "url": edition.publishing.url,
        "publisher": publisher_lines(edition.publishing),
        "notice": config.notice,
        "assembly": say.assembly,
        "described": config.described,
        "description": f"Proposals to {config.conference}, and how much each concerns the "
        "open Internet.",
        "counts": data.counts,
        "groups": [{"words": group.plural, "span": len(codes)} for group, codes in data.groups]
        if data.members
        else [],
        "how_to_read": HOW_TO_READ,
        "concerns": [
            {"code": c.code, "words": c.words, "meaning": say(c.meaning), "css": _CSS[c.code]}
            for c in Concern.highest_first()
        ],
        "changed_meaning": "a thick frame and a first line 'Changed since ...': the cell's "
        "content changed since the earlier published version (the list under the matrix).",
        "regions": list(data.regions),
        "topics": sorted({r["topic"] for r in rows if r["topic"]}),
        "analysis": data.analysis,
        "analysis_header": ANALYSIS,
        "outcomes": data.outcomes is not None,
        "outcomes_line": outcomes_line(data.outcomes, len(data.matrix), day(edition.as_of))
        if data.outcomes is not None
        else "",
        "assessments": [
            {"words": a.words, "meaning": a.meaning, "css": _ASSESSED[a.code][1], "fill": a.fill}
            for a in Assessment
        ],
        "rows": rows,
        "changes": _changes(data),
    }


def _outcome(outcome: dict | None) -> dict | None:
    """An Outcome cell and its Assessment, for the template."""
    if outcome is None:
        return None
    words, css = _ASSESSED.get(outcome[ASSESSMENT], ("", ""))
    return {
        "decided": outcome[DECIDED],
        "summary": outcome[SUMMARY],
        "document": outcome[DOCUMENT],
        "assessment": words,
        "css": css,
    }


def _changes(data: MatrixData) -> dict:
    changes = data.changes
    title = "Changes since the previous published version"
    if changes is None:
        return {"title": title, "summary": changes_line(None, public=True), "rows": []}
    rows = []
    for rec in changes.rows.to_dict("records"):
        fields = rec[CHANGED_FIELDS].split(", ") if rec[CHANGE] == CHANGED else [ACTION, SUMMARY]
        rows.append(
            {
                "kind": rec[CHANGE],
                "symbol": _SYMBOLS[rec[CHANGE]],
                "resolution": rec[RESOLUTION],
                "anchor": anchor(rec[KEY]),
                "region": rec[REGION],
                "fields": rec[CHANGED_FIELDS] or "the whole proposal",
                "before": "; ".join(f"{f}: {rec[before(f)]}" for f in fields if rec[before(f)]),
                "after": "; ".join(f"{f}: {rec[after(f)]}" for f in fields if rec[after(f)]),
            }
        )
    for rec in changes.outcomes.to_dict("records"):
        fields = rec[CHANGED_FIELDS].split(", ") if rec[CHANGE] == CHANGED else [DECIDED]
        fields = [f for f in fields if f != DECIDED] or ["Outcome", ASSESSMENT]
        rows.append(
            {
                "kind": rec[CHANGE],
                "symbol": _SYMBOLS[rec[CHANGE]],
                "resolution": rec[RESOLUTION],
                "anchor": anchor(rec[KEY]),
                "region": "Outcome",
                "fields": rec[CHANGED_FIELDS] or "the whole outcome",
                "before": "; ".join(f"{f}: {rec[before(f)]}" for f in fields if rec[before(f)]),
                "after": "; ".join(f"{f}: {rec[after(f)]}" for f in fields if rec[after(f)]),
            }
        )
    return {
        "title": f"Changes since {changes.since}",
        "summary": f"{changes.summary}.",
        "since": changes.since,
        "rows": rows,
    }
