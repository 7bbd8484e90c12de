"""The Legend sheet: what each colour, action, mark and column means, who each code is, and
what each sheet holds (the About sheet lists the same)."""

from __future__ import annotations

from ..matrix.phrases import NOT_PUBLIC, changed_since
from ..matrix.view import MatrixView
from ..words.excel import Page
from ..words.frames import ANALYSIS, OVERALL, PRIORITY, RESOLUTION, TITLE, TOPIC
from ..words.vocab import PRIORITY_CODES, Action, Concern, Group, Public, listed
from .outcomes_sheet import OUTCOMES_SHEET, legend_sections
from .printing import setup
from .styles import Formats, row_height, write_text
from .summary_sheet import SUMMARY_SHEET
from .textwidth import wrapped_lines


def sheet_meanings(view: MatrixView) -> list[tuple[str, str]]:
    """(sheet, what it holds) for each sheet of the workbook, in the workbook's order, for the
    About and Legend sheets."""
    changes = view.changes
    if changes.since is None:
        held = view.audience.nothing_yet
    else:
        held = (
            f"Every proposal added, changed or removed since {changes.since}, field by "
            "field, and the overall concern of each resolution before and after."
        )
    proposals = (
        "Proposals",
        "Every proposal on its own row, with its full text, the team's notes and the "
        "workbook row it came from; filter it by region, action or concern.",
    )
    say = view.wording
    meanings = [
        (
            SUMMARY_SHEET,
            "What matters first: the counts, "
            + ("the concerns not resolved, " if view.decided else "")
            + "each resolution of High concern with who proposes what on it; then counts of "
            "proposals by regional group, action and concern, with a chart.",
        ),
        (
            "Matrix",
            "The matrix: one row per resolution, one column per regional group"
            + (" and per member state." if view.members else "."),
        ),
        ("About", "What this workbook is, which version, and how to read the matrix."),
        ("Changes", held),
        *([proposals] if view.audience.proposals_sheet else []),
        *(
            [
                (
                    OUTCOMES_SHEET,
                    "What the {assembly} decided: which concerns were resolved, the "
                    "results of each group's proposals, with a chart, and the High concerns not "
                    "resolved.",
                )
            ]
            if view.decided
            else []
        ),
        ("Legend", "What each colour, action, mark and column means, and who each code is."),
    ]
    return [(name, say(meaning)) for name, meaning in meanings]


def write_legend(book, f: Formats, view: MatrixView, page: Page) -> None:
    sheet = book.add_worksheet("Legend")
    widths = [24, 100]
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    row = 0
    say = view.wording  # the conference's words: "ITU-T's mandate", "the assembly"

    def section(title: str, items) -> None:
        nonlocal row
        write_text(sheet, row, 0, title, f.section)
        row += 1
        for label, meaning, fmt in items:
            meaning = say(meaning)
            write_text(sheet, row, 0, label, fmt or f.label)
            write_text(sheet, row, 1, meaning, f.cell)
            sheet.set_row(
                row,
                row_height(
                    max(wrapped_lines(meaning, widths[1]), wrapped_lines(label, widths[0], True))
                ),
            )
            row += 1
        row += 1

    section(
        "Colours (concern for the open Internet)",
        [
            *((c.words, c.meaning, f.concern[c.code]) for c in Concern.highest_first()),
            (
                "(empty, no colour)",
                "The regional group (or member state) made no proposal on this resolution."
                if view.members
                else "The regional group made no proposal on this resolution.",
                f.cell,
            ),
            (
                changed_since("..."),
                f"A thick black frame, and a first line '{view.changed_mark}': the cell's "
                + (
                    f"content changed since {view.changes.since}, the earlier version this one "
                    "is compared with. The Changes sheet lists each change. An Outcome or "
                    "Assessment cell that changed has the frame alone."
                    if view.changes.since
                    else "content changed since the earlier version this one is compared with "
                    "(there is none yet: this is the first version)."
                ),
                f.changed_empty,
            ),
            *(
                []
                if not view.audience.marks_internal
                else [
                    (
                        NOT_PUBLIC.strip(" ·"),
                        f"At the end of a proposal's first line ('MOD · High concern{NOT_PUBLIC}')"
                        ": the proposal stays with the team (its Public cell says "
                        f"{Public.NO.code}) and is in no public edition. A resolution marked so "
                        "under its title is in no public edition at all.",
                        None,
                    )
                ]
            ),
        ],
    )
    section("Actions", [(a.code, a.meaning, None) for a in Action])
    section(
        "Matrix columns",
        [
            (
                RESOLUTION,
                "Res. N for a resolution in force; NEW-... for a draft new resolution.",
                None,
            ),
            (TITLE, "The resolution's title.", None),
            (TOPIC, "The subject area.", None),
            (
                PRIORITY,
                f"How closely the team follows the resolution ({listed(PRIORITY_CODES)}).",
                None,
            ),
            (OVERALL, "The highest concern of any proposal on the resolution.", None),
            *legend_sections(f, view.decided)["columns"],
            (
                _columns_label(view),
                _columns_meaning(view) + " Each proposal starts with a bold line, its "
                "action and concern, followed by its summary and ITU document (then, if "
                "given, the countries that co-signed it, and its result once the {assembly} has "
                "decided); several "
                "proposals are separated by a blank line and the cell takes the colour of the "
                "highest concern.",
                None,
            ),
            *([(ANALYSIS, "The team's analysis of the areas of concern.", None)] * view.analysis),
        ],
    )
    for title, items in legend_sections(f, view.decided)["sections"]:
        section(title, items)
    section(
        "Who is who (regional groups, member states and co-signers)",
        [(n.code, n.name or "(no name given)", None) for n in view.names],
    )
    section("Other sheets", [(name, meaning, None) for name, meaning in sheet_meanings(view)])
    setup(sheet, page, widths)


def _columns_label(view: MatrixView) -> str:
    """``Regional groups and member states``."""
    plurals = [g.plural for g, _ in view.groups] or [Group.REGION.plural]
    return " and ".join([plurals[0], *(p.lower() for p in plurals[1:])])


def _columns_meaning(view: MatrixView) -> str:
    """``One column per regional group or member state: APT, ..., USA and B.``"""
    codes = [s.code for s in view.submitters]
    who = "regional group or member state" if view.members else "regional group"
    return f"One column per {who}: {listed(codes, ' and ')}." if codes else f"One column per {who}."
