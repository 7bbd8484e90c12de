"""Every phrase an edition prints, defined once: the workbook, the web page and the PDF take
them from here (through the view), so that they say the same thing in the same words.

The domain's own words (actions, concerns, outcomes...) are in vocab.py; here are the
sentences made of them, and dates as words.
"""

from __future__ import annotations

import datetime as dt

from ..words.vocab import Concern, actions_in_short, colours_in_short

_HIGH, _MEDIUM = Concern.HIGH.code, Concern.MEDIUM.code

#: Months in English whatever the computer's language: strftime's %B follows the locale (a
#: library that sets it gives "1 december 2026").
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

NO_PROPOSALS = "No proposals"  # a resolution nobody proposed anything on (its overall concern)
NO_PROPOSAL = "No proposal"  # one group's empty cell, where a cell must say something
CO_SIGNED_BY = "Co-signed by: "
#: The end of the first line of a proposal that stays with the team.
NOT_PUBLIC = " · not public"
NOT_PUBLIC_RESOLUTION = "(not public: this resolution is in no public edition)"
NO_OUTCOME = "No outcome recorded"
NO_PROPOSAL_NOW = ": no proposal now"

HOW_TO_READ = (
    "One row per resolution, one column per regional group. Each cell gives the region's "
    f"action ({actions_in_short()}) and its concern for the open Internet in bold, then a "
    f"summary and the ITU document. Colour shows the concern: {colours_in_short()}; an empty "
    "cell means the region made no proposal."
)
HOW_TO_READ_TEAM = (
    f"{HOW_TO_READ} Every proposal with its source is on the Proposals sheet; the Legend sheet "
    "explains the colours and columns."
)
HOW_TO_READ_PUBLIC = f"{HOW_TO_READ} The Legend sheet explains the colours and columns."
MEMBERS_TO_READ = (
    " Member states that table proposals of their own have a column each, after the regional "
    "groups; a row of headings says which columns are which."
)
FIRST_VERSION = (
    "This is the first version of the matrix: there is no earlier version to compare it with."
)
FIRST_PUBLISHED = "This is the first published version of the matrix."
CHANGES_TITLE = "Changes since the previous version"
CHANGES_TITLE_PUBLIC = "Changes since the previous published version"
FIRST_CHANGES = (
    "This is the first version of the matrix, so there is nothing to compare it with. Every "
    "later version lists here each proposal added, changed or removed since the version "
    "before it."
)
NOTHING_YET = "Nothing yet: this is the first version."
NOTHING_PUBLISHED_YET = "Nothing yet: this is the first published version."
FIRST_HEADING = "Changes: this is the first version"
FIRST_PUBLISHED_HEADING = "Changes: this is the first published version"
CHANGES_EXPLANATION = (
    "One row per proposal added, changed or removed; 'before' is {since}, 'after' is now, and "
    "the fields that changed are highlighted. A proposal is the same one in both versions when "
    "its region, resolution and document are (region, resolution and action if it has no "
    "document); an edited document reference shows as a change of Document when it is the "
    "region's only proposal on that resolution that moved."
)
FIRST_PUBLISHED_CHANGES = (
    "This is the first published version of the matrix. Every later published version lists "
    "here each proposal added, changed or removed since the one published before it."
)
DESCRIPTION = "Proposals to {conference}, and how much each concerns the open Internet."

# The PDF, a report: a block per resolution, a paragraph per proposal.
REPORT_HOW_TO_READ = (
    "Each resolution follows in the catalogue's order: its number and title, its topic and "
    "priority, and its overall concern for the open Internet (the highest of its proposals'). "
    "One paragraph per proposal then gives who tables it, the action "
    f"({actions_in_short()}) and its concern, the summary, the ITU document, the co-signers "
    "and, once known, the result. Resolutions nobody proposed anything on are listed together "
    "at the end."
)
REPORT_OUTCOMES = (
    " After the {assembly}, each resolution also says what it decided (the outcome) and "
    "whether the concern was resolved (the assessment)."
)
REPORT_COLOURS = f"Colour marks each concern, always named in words too: {colours_in_short()}."
REPORT_CHANGED = (
    " Proposals in a thick frame changed since the earlier published version; the changes are "
    "listed at the end."
)
RESOLUTIONS_TITLE = "The resolutions"
UNPROPOSED_TITLE = "Resolutions with no proposals"

# The summary up front.
SUMMARY_TITLE = "Summary"
TO_THE_MATRIX = "is on the Matrix sheet, next to this one; the About sheet says how to read it."
HIGH_TITLE = f"Resolutions of {_HIGH} concern"
OPEN_TITLE = f"{_HIGH} and {_MEDIUM} concerns not resolved"
NO_HIGH = f"No resolution is of {_HIGH} concern."
ALL_RESOLVED = f"Every {_HIGH} and {_MEDIUM} concern was resolved."
TITLE_IN_SENTENCE = 60  # characters of a title the summary's sentences quote


def day(moment: dt.date) -> str:
    """``1 December 2026``."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def day_and_time(moment: dt.datetime) -> str:
    """``1 October 2024, 00:00 UTC``."""
    return f"{day(moment)}, {moment:%H:%M} UTC"


def concern_words(code: str) -> str:
    """``High concern``, or ``No proposals`` for a resolution with none."""
    return next((c.words for c in Concern if c.code == code), NO_PROPOSALS)


def changed_since(since: str, gone: bool = False) -> str:
    """The first line of a changed cell, said in words as well as drawn, so it survives
    black-and-white printing: ``Changed since v2 (2024-10-01)``."""
    return f"Changed since {since}" + (NO_PROPOSAL_NOW if gone else "")


def co_signed(shown: list[str]) -> str:
    """``Co-signed by: D (Germany), G (United Kingdom)``, or nothing."""
    return CO_SIGNED_BY + ", ".join(shown) if shown else ""


def shortened(code: str, resolution: str, where: str) -> str:
    """The pointer that ends a matrix cell too long for Excel."""
    return (
        f"[Shortened to fit one Excel cell: the full text of all {code} proposals on "
        f"{resolution} {where}.]"
    )


def outcomes_line(recorded: int, resolutions: int, as_of: str) -> str:
    """``Outcomes as of 24 October 2024: recorded for 30 of 41 resolutions.``"""
    return f"Outcomes as of {as_of}: recorded for {recorded} of {resolutions} resolutions."


def publisher_lines(organisation: str, licence: str, url: str) -> tuple[str, ...]:
    """Who publishes a public edition, under which licence, where."""
    lines = []
    if organisation:
        lines.append(f"Published by {organisation}.")
    if licence:
        lines.append(f"Licence: {licence}.")
    if url:
        lines.append(f"Online: {url}")
    return tuple(lines)


def changes_line(summary: str | None, empty: bool, framed: bool, first: str) -> str:
    """The title block's line on what changed, in words a reader of the file can act on;
    `first` where there is no earlier version (`summary` None)."""
    if summary is None:
        return first
    if empty:
        return f"{summary}."
    frame = "; changed cells have a thick black frame" if framed else ""
    return f"{summary}{frame}. The Changes sheet lists every change."


def cut_at_word(text: str, most: int) -> str:
    """`text` cut at the last space before `most` characters, marked with …; whole if it fits."""
    if len(text) <= most:
        return text
    room = text[: most - 1]
    space = room.rfind(" ")
    return (room[:space] if space > most // 2 else room).rstrip(" ,;:") + "…"
