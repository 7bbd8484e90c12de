"""The public web page of a matrix: one self-contained HTML file (styles and the filters'
script inline, nothing fetched from anywhere), made from a Jinja2 template with autoescaping,
so every analyst's text is shown as text. (The PDF has a layout of its own: report.py.)

It lays out the view (view.py), as the workbook does, and imports none of the workbook's
modules.
"""

from __future__ import annotations

from ..matrix import phrases
from ..matrix.summary import anchor
from ..matrix.view import MatrixView
from ..versions.changes import ADDED, CHANGED, REMOVED
from ..words.vocab import PRIORITY_CODES, Assessment, Concern
from .html import ASSESSED_CSS, CONCERN_CSS, change_rows, front, outcome, template

_SYMBOLS = {ADDED: "+", CHANGED: "~", REMOVED: "−"}


#: What the page's Order control sorts by, highest first: the script reads these codes from
#: the page, so the vocabulary stays the one place they are listed. Without scripts the rows
#: keep the catalogue's order.
SORTING = {
    "concern": [c.code for c in Concern.highest_first()],
    "priority": list(PRIORITY_CODES),
}


def page(view: MatrixView) -> str:
    """The web page of a public edition."""
    return template("page.html").render(page=values(view), sorting=SORTING)


def values(view: MatrixView) -> dict:
    """What the page shows, as plain values for the template."""
    rows = []
    for row in view.rows:
        cells = [
            {
                "submitter": cell.submitter.code,
                "label": cell.submitter.shown,
                "css": CONCERN_CSS.get(cell.concern, ""),
                "changed": cell.changed,
                "proposals": [
                    {
                        "head": p.head,
                        "summary": p.summary,
                        "document": p.document,
                        "link": view.links.get(p.document, ""),
                        "co_signers": p.signed,
                        "result": p.result,
                    }
                    for p in cell.proposals
                ],
            }
            for cell in row.cells
        ]
        rows.append(
            {
                "anchor": anchor(row.key),
                "label": row.shown_key,
                "title": row.title,
                "topic": row.topic,
                "priority": row.priority,
                "cells": cells,
                "submitters": " ".join(c.submitter.code for c in row.cells if c.proposals),
                "concerns": " ".join(
                    f"{c.submitter.code}:{c.concern}" for c in row.cells if c.concern
                ),
                "overall": row.overall,
                "overall_css": CONCERN_CSS.get(row.overall, ""),
                "overall_words": row.overall_words,
                "analysis": row.analysis,
                "outcome": outcome(row.decision, view.links),
            }
        )
    say = view.wording
    return {
        **front(view),
        "licence": view.licence,
        "publisher": view.publisher,
        "assembly": say.assembly,
        "groups": [{"words": group.plural, "span": len(codes)} for group, codes in view.groups]
        if view.members
        else [],
        "how_to_read": phrases.HOW_TO_READ,
        "concerns": [
            {
                "code": c.code,
                "words": c.words,
                "meaning": say(c.meaning),
                "css": CONCERN_CSS[c.code],
            }
            for c in Concern.highest_first()
        ],
        "changed_meaning": f"a thick frame and a first line '{view.changed_mark}': the cell's "
        "content changed since the earlier published version (the list under the matrix).",
        "submitters": [{"code": s.code, "name": s.name, "label": s.shown} for s in view.submitters],
        "topics": sorted({r["topic"] for r in rows if r["topic"]}),
        "outcomes": view.decided,
        "no_proposal": phrases.NO_PROPOSAL,
        "assessments": [
            {"words": a.words, "meaning": a.meaning, "css": ASSESSED_CSS[a.code], "fill": a.fill}
            for a in Assessment
        ],
        "rows": rows,
        "changes": _changes(view),
    }


def _changes(view: MatrixView) -> dict:
    changes = view.changes
    if changes.since is None:
        return {"title": changes.title, "summary": view.changes_line, "rows": []}
    rows = [{**row, "symbol": _SYMBOLS[row["kind"]]} for row in change_rows(changes)]
    return {
        "title": changes.title,
        "summary": f"{changes.summary}.",
        "since": changes.since,
        "rows": rows,
    }
