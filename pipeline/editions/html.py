"""What the two HTML editions, the web page and the PDF report, write alike, said once: the
Jinja2 environment of their templates (jinja/, whose shared.html holds the head and the links
both print), the class names their stylesheets colour by, and an outcome's and a change's
values. Each edition's own layout stays in its module; this one imports neither."""

from __future__ import annotations

import jinja2

from ..matrix import phrases
from ..matrix.change_list import ChangeList
from ..matrix.rows import Decision
from ..matrix.summary import anchor
from ..matrix.view import MatrixView
from ..words.frames import ANALYSIS
from ..words.vocab import Assessment, Concern

#: The class a concern's colour is given by (c-high), and an assessment's (a-positive).
CONCERN_CSS = {c.code: f"c-{c.name.lower()}" for c in Concern}
ASSESSED_CSS = {a.code: f"a-{a.name.lower()}" for a in Assessment}


def template(name: str) -> jinja2.Template:
    """A template of jinja/, escaping every value: an analyst's text is never markup."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.editions", "jinja"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(name)


def front(view: MatrixView) -> dict:
    """What both say of the edition first: its title, conference, date, who publishes it, the
    notice, the summary's values and the counts."""
    return {
        "title": view.title,
        "conference": view.conference,
        "edition": view.edition,
        "as_of_iso": view.date,
        "organisation": view.author,
        "url": view.url,
        "notice": view.notice,
        "described": view.described,
        "description": phrases.DESCRIPTION.format(conference=view.conference),
        "counts": view.counts,
        "summary": view.summary.values(),
        "outcomes_line": view.outcomes_line,
        "analysis": view.analysis,
        "analysis_header": ANALYSIS,
        "no_outcome": phrases.NO_OUTCOME,
    }


def outcome(decision: Decision | None, links: dict[str, str]) -> dict | None:
    """A resolution's outcome and its assessment, with the link to its document if any."""
    if decision is None:
        return None
    return {
        "decided": decision.decided,
        "summary": decision.summary,
        "document": decision.document,
        "link": links.get(decision.document, ""),
        "assessment": decision.assessment_words,
        "css": ASSESSED_CSS.get(decision.assessment, ""),
    }


def change_rows(changes: ChangeList) -> list[dict]:
    """A row per change, linked to its resolution's place in the edition."""
    return [
        {
            "kind": line.kind,
            "resolution": line.resolution,
            "anchor": anchor(line.key),
            "who": line.who,
            "fields": line.fields,
            "before": line.before,
            "after": line.after,
        }
        for line in changes.lines
    ]
