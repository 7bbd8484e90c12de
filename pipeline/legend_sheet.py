"""The Legend sheet: what each colour, action, mark and column means, and what each sheet
holds (the About sheet lists the same)."""

from __future__ import annotations

from .frames import ANALYSIS, OVERALL, PRIORITY, RESOLUTION, TITLE, TOPIC
from .merge import NOT_PUBLIC
from .outcomes_sheet import OUTCOMES_SHEET, legend_sections
from .printing import setup
from .styles import Formats, row_height, write_text
from .summary_sheet import SUMMARY_SHEET
from .textwidth import wrapped_lines
from .vocab import PRIORITY_CODES, Action, Concern, Public, listed


def sheet_meanings(data) -> list[tuple[str, str]]:
    """(sheet, what it holds) for each sheet of the workbook, for the About and Legend sheets."""
    changes = (
        "Nothing yet: this is the first version."
        if data.changes is None
        else f"Every proposal added, changed or removed since {data.changes.since}, field by "
        "field, and the overall concern of each resolution before and after."
    )
    if data.public is not None and data.changes is None:
        changes = "Nothing yet: this is the first published version."
    proposals = (
        "Proposals",
        "Every proposal on its own row, with its full text, the team's notes and the "
        "workbook row it came from; filter it by region, action or concern.",
    )
    say = data.config.wording
    meanings = [
        (
            "Matrix",
            "The matrix: one row per resolution, one column per regional group"
            + (" and per member state." if data.members else "."),
        ),
        ("Changes", changes),
        *([proposals] if data.public is None else []),
        (SUMMARY_SHEET, "Counts of proposals by regional group, action and concern, with a chart."),
        *(
            [
                (
                    OUTCOMES_SHEET,
                    "What the {assembly} decided: which concerns were resolved, the "
                    "results of each group's proposals, with a chart, and the High concerns not "
                    "resolved.",
                )
            ]
            if data.outcomes is not None
            else []
        ),
        ("Legend", "What each colour, action, mark and column means."),
    ]
    return [(name, say(meaning)) for name, meaning in meanings]


def write_legend(book, f: Formats, data) -> None:
    """The Legend sheet of `data` (render.MatrixData)."""
    sheet = book.add_worksheet("Legend")
    widths = [24, 100]
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    row = 0
    say = data.config.wording  # the conference's words: "ITU-T's mandate", "the assembly"

    def section(title: str, items) -> None:
        nonlocal row
        write_text(sheet, row, 0, title, f.section)
        row += 1
        for label, meaning, fmt in items:
            meaning = say(meaning)
            write_text(sheet, row, 0, label, fmt or f.key)
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
                "The regional group made no proposal on this resolution.",
                f.cell,
            ),
            (
                "Changed since ...",
                "A thick black frame, and a first line 'Changed since v6 (date)': the cell's "
                "content changed since the earlier version named on the About sheet. The "
                "Changes sheet lists each change.",
                f.changed_empty,
            ),
            *(
                []
                if data.public is not None
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
            (
                ", ".join(data.regions) or "Regions",
                "One column per regional group. Each proposal starts with a bold line, its "
                "action and concern, followed by its summary and ITU document (then, if "
                "given, the countries that co-signed it, and its result once the {assembly} has "
                "decided); several "
                "proposals are separated by a blank line and the cell takes the colour of the "
                "highest concern.",
                None,
            ),
            (OVERALL, "The highest concern of any proposal on the resolution.", None),
            *legend_sections(f, data.outcomes is not None)["columns"],
            *([(ANALYSIS, "The team's analysis of the areas of concern.", None)] * data.analysis),
        ],
    )
    for title, items in legend_sections(f, data.outcomes is not None)["sections"]:
        section(title, items)
    section("Other sheets", [(name, meaning, None) for name, meaning in sheet_meanings(data)])
    setup(sheet, data.page, widths)
