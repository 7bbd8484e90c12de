"""The PDF edition: a report to read on A4 paper, not the web page's grid squeezed onto it.

The summary comes first; then a block per resolution (number and title, topic and priority,
overall concern, outcome and assessment) with a paragraph per proposal; the resolutions nobody
proposed anything on, one line each, together at the end; then the changes. It lays out the
view (view.py) from a Jinja2 template of its own (jinja/report.html, with autoescaping: an
analyst's text is never markup), printed by WeasyPrint to a tagged PDF (PDF/UA) with its fonts
embedded. It imports none of the other editions' modules.
"""

from __future__ import annotations

from ..matrix import phrases
from ..matrix.rows import Cell, Row
from ..matrix.summary import anchor
from ..matrix.view import MatrixView
from ..words.problems import InstallationError
from ..words.vocab import Assessment, Concern
from .html import ASSESSED_CSS, CONCERN_CSS, change_rows, front, outcome, template


def html(view: MatrixView) -> str:
    """The report as the HTML WeasyPrint prints."""
    return template("report.html").render(report=values(view))


def pdf(view: MatrixView) -> bytes:
    """The report printed to a tagged PDF (PDF/UA), A4 portrait, fonts embedded."""
    try:
        import weasyprint
    except OSError as exc:  # the Pango library WeasyPrint draws text with is not installed
        raise InstallationError(
            f"the PDF cannot be made: WeasyPrint needs the Pango library ({exc})",
            hint="Install it: on Debian or Ubuntu, apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0; on a Mac, brew install pango.",
        ) from exc
    return weasyprint.HTML(string=html(view)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True
    )


def values(view: MatrixView) -> dict:
    """What the report shows, as plain values for the template."""
    blocks = [_block(row, view.links) for row in view.rows if _proposed(row)]
    unproposed = [_line(row, view.links) for row in view.rows if not _proposed(row)]
    say = view.wording
    return {
        **front(view),
        "publisher": [_publisher(line, view.url) for line in view.publisher],
        "decided": view.decided,
        "how_to_read": phrases.REPORT_HOW_TO_READ
        + (say(phrases.REPORT_OUTCOMES) if view.decided else ""),
        "colours": phrases.REPORT_COLOURS
        + (phrases.REPORT_CHANGED if view.changes.since is not None else ""),
        "concerns": [
            {"words": c.words, "css": CONCERN_CSS[c.code]} for c in Concern.highest_first()
        ],
        "fills": [{"css": CONCERN_CSS[c.code], "fill": c.fill} for c in Concern]
        + [{"css": ASSESSED_CSS[a.code], "fill": a.fill} for a in Assessment],
        "resolutions_title": phrases.RESOLUTIONS_TITLE,
        "blocks": blocks,
        "unproposed_title": phrases.UNPROPOSED_TITLE,
        "unproposed": unproposed,
        "who_heading": "Group or member state" if view.members else "Regional group",
        "changes": _changes(view),
    }


def _publisher(line: str, url: str) -> dict:
    """A line of who publishes the edition; the one ending in its web address links there."""
    if url and line.endswith(url):
        return {"text": line.removesuffix(url), "url": url}
    return {"text": line, "url": ""}


def _proposed(row: Row) -> bool:
    """Whether a resolution takes a block: someone proposes something on it, or a cell of it
    changed (a proposal withdrawn since the earlier version says so where it was)."""
    return any(c.proposals or c.changed for c in row.cells)


def _about(row: Row) -> str:
    """``Topic: Internet naming and addressing · Priority: High``."""
    topic = f"Topic: {row.topic}" if row.topic else ""
    priority = f"Priority: {row.priority}" if row.priority else ""
    return " · ".join(p for p in (topic, priority) if p)


def _block(row: Row, links: dict[str, str]) -> dict:
    """A resolution someone proposed something on: its line, then the proposals' paragraphs."""
    return {
        **_line(row, links),
        "overall_words": row.overall_words,
        "overall_css": CONCERN_CSS.get(row.overall, ""),
        "analysis": row.analysis,
        "cells": [_cell(cell, links) for cell in row.cells if cell.proposals or cell.changed],
    }


def _cell(cell: Cell, links: dict[str, str]) -> dict:
    return {
        "who": cell.submitter.shown,
        "changed": cell.changed,
        "proposals": [
            {
                "head": p.head,
                "css": CONCERN_CSS.get(p.concern, ""),
                "summary": p.summary,
                "document": p.document,
                "link": links.get(p.document, ""),
                "co_signers": p.signed,
                "result": p.result,
            }
            for p in cell.proposals
        ],
    }


def _line(row: Row, links: dict[str, str]) -> dict:
    """A resolution as one line: all there is of one nobody proposed anything on."""
    return {
        "anchor": anchor(row.key),
        "label": row.shown_key,
        "title": row.title,
        "about": _about(row),
        "outcome": outcome(row.decision, links),
    }


def _changes(view: MatrixView) -> dict:
    changes = view.changes
    if changes.since is None:
        return {"title": changes.title, "summary": view.changes_line, "rows": []}
    # The heading is the summary ("Changes since v1 (...): 0 added, 2 changed, 0 removed"):
    # a title above a line that begins with the same words read as the heading twice.
    return {"title": changes.summary, "summary": "", "rows": change_rows(changes)}
