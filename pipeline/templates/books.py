"""The template workbooks themselves: a region's (or a member state's), the catalogue's and
the outcomes', each with dropdowns that offer exactly the values the pipeline accepts, an input
message on every column, and an Instructions sheet in the analysts' words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from ..reading.folders import CATALOGUE_FILE
from ..reading.load import CATALOGUE_SPEC, PROPOSALS_SPEC, Spec, cell_text
from ..reading.matrix_toml import MatrixOptions
from ..reading.outcomes_book import OUTCOMES_FILE, OUTCOMES_SPEC
from ..words.excel import PAPERS
from ..words.frames import (
    ACTION,
    ADOPTED_AS,
    ANALYSIS,
    ASSESSMENT,
    CO_SIGNERS,
    CONCERN,
    DOCUMENT,
    NOTES,
    OUTCOME,
    PRIORITY,
    PUBLIC,
    RESOLUTION,
    RESULT,
    SUMMARY,
    TITLE,
    TOPIC,
)
from ..words.stamps import (
    AUTHOR,
    CONFERENCE_PROPERTY,
    TEMPLATE_VERSION,
    TEMPLATE_VERSION_PROPERTY,
    WORKBOOK_OPTIONS,
)
from ..words.vocab import (
    ACTION_CODES,
    CONCERN_CODES,
    DEFAULT_CONCERN,
    PRIORITY_CODES,
    PUBLIC_CODES,
    RESULT_CODES,
    Action,
    Assessment,
    Concern,
    Group,
    Outcome,
    Result,
    Wording,
    actions_in_short,
    words,
)
from ..workbook.styles import FILLS, HEADER, row_height
from ..workbook.textwidth import wrapped_lines

HEADER_ROW = 3  # 0-based: the header is on row 4, under the notes
VALIDATED_ROWS = 2000  # rows below the header that carry the dropdowns
# Long prose wraps; a dropdown label (key and title) stays on one line, cut at the cell edge.
WRAPPED = (SUMMARY, NOTES, TITLE, ANALYSIS)
WIDTHS = {
    RESOLUTION: 46, ACTION: 10, DOCUMENT: 18, SUMMARY: 60, CONCERN: 11, NOTES: 40,
    TITLE: 60, TOPIC: 24, PRIORITY: 10, ANALYSIS: 60, PUBLIC: 9, RESULT: 16, OUTCOME: 15,
    ADOPTED_AS: 14, ASSESSMENT: 16, CO_SIGNERS: 18,
}  # fmt: skip
_W = words()
_TEXTLESS = _W["textless_actions_or"]

INPUT_MESSAGES = {  # (title, message); Excel allows 32 and 255 characters
    RESOLUTION: "Pick the resolution from the list. A draft new resolution is NEW-... . If one "
                "is missing, it must first be added to the catalogue of resolutions; then a new "
                "template offers it.",
    ACTION: f"{actions_in_short()}.",
    DOCUMENT: "The ITU document, like Doc 37 Add.12.",
    SUMMARY: f"What the region proposes, in a sentence or two. May be empty for {_TEXTLESS}.",
    CONCERN: f"For the open Internet: {_W['concerns_or']}. May be empty for {_TEXTLESS} (it "
             f"then counts as {DEFAULT_CONCERN.code}).",
    NOTES: "Anything for the team. Shown on the matrix's Proposals sheet only; never "
           "published.",
    PUBLIC: "No keeps this row out of every published edition (it stays in the team's "
            "matrix, marked not public). Empty means Yes.",
    TITLE: "The resolution's title.",
    TOPIC: "The subject area, like Internet governance.",
    PRIORITY: f"How closely the team follows it: {_W['priorities_or']}.",
    ANALYSIS: "The areas of concern. May be empty.",
    RESULT: f"After the {{assembly}}: {_W['results_or']}. Empty until it is known.",
    OUTCOME: f"What the {{assembly}} decided: {_W['outcomes_or']}.",
    ADOPTED_AS: f"For {_W['target_outcomes']} only: the new number (Res. 101), or the "
                "resolution the text was merged into.",
    ASSESSMENT: f"For the open Internet: {_W['assessments_or']}.",
    CO_SIGNERS: "Optional: the members who signed it, as country codes of 1 to 3 letters, "
                "separated by commas: AUS, JPN, KOR.",
}  # fmt: skip
OUTCOME_MESSAGES = {  # the outcomes workbook's Summary and Document say other things
    SUMMARY: "What the {assembly} decided, in a sentence or two.",
    DOCUMENT: "The final text, like Res. 64 (Rev. New Delhi, 2024).",
}


PUBLIC_GUIDANCE = (
    f"Optional: {_W['public_or']}. No for a row that must not be published yet (a position "
    "heard at a preparatory meeting, say): it stays in the team's matrix, marked not public, "
    "and is left out of every published edition. Empty means Yes."
)
PUBLIC_DROPDOWN = (list(PUBLIC_CODES), f"Public must be {_W['public_or']}, or empty for Yes.")
RESULT_DROPDOWN = (list(RESULT_CODES), f"Result must be {_W['results_or']}, or empty.")
CO_SIGNERS_GUIDANCE = (
    "Optional: the members who signed the proposal, as ITU country codes of 1 to 3 letters "
    "(AUS, B, J), separated by commas or semicolons. Each code once. Shown in the matrix cell "
    "with their names (Co-signed by: AUS (Australia), J (Japan)) and counted on the Summary "
    "sheet."
)
RESULT_GUIDANCE = (
    f"Optional, after the {{assembly}}: {_W['results_or']}. Empty while it is not known. It "
    "ends the proposal in its matrix cell (Result: not accepted) and is counted on the "
    "Outcomes sheet."
)


def _stamp(book, config: MatrixOptions, kind: str, made: dt.datetime) -> None:
    book.set_properties({
        "created": made.replace(tzinfo=None),
        "title": f"{config.conference} {kind} template",
        "subject": f"Issues Matrix input for {config.conference}",
        "author": AUTHOR,
        "keywords": f"Issues Matrix template v{TEMPLATE_VERSION}; {config.conference}",
    })  # fmt: skip
    book.set_custom_property(TEMPLATE_VERSION_PROPERTY, TEMPLATE_VERSION, "number_int")
    book.set_custom_property(CONFERENCE_PROPERTY, config.conference)


def version_line(config: MatrixOptions) -> str:
    return f"Template version {TEMPLATE_VERSION} for {config.conference} (Issues Matrix)."


def _sheet(
    book,
    spec: Spec,
    name: str,
    notes: tuple[str, str],
    rows: list[list],
    extra: list[str],
    lists: dict[str, tuple[str | list[str], str]],
    paper: str,
    say: Wording,
    messages: dict[str, str] | None = None,
):
    """The data sheet: two note lines, the header on row 4 (frozen), the copied rows.

    Every contract column gets an input message; those in `lists` (column -> (source, error
    message)) also get a dropdown that stops any other value. One validation per cell: Excel
    repairs a workbook whose validations overlap.
    """
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "note": book.add_format({"italic": True, "font_color": "#404040"}),
        "header": book.add_format(HEADER),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "top": book.add_format({"valign": "top"}),
        "date": book.add_format({"valign": "top", "num_format": "yyyy-mm-dd"}),
    }
    sheet = book.add_worksheet(name)
    sheet.write_string(0, 0, notes[0], fmt["title"])
    sheet.write_string(1, 0, notes[1], fmt["note"])
    header = [*spec.columns, *extra]
    widths = [WIDTHS.get(title, 18) for title in header]
    for col, (title, width) in enumerate(zip(header, widths, strict=True)):
        sheet.set_column(col, col, width, fmt["wrap"] if title in WRAPPED else fmt["top"])
        sheet.write_string(HEADER_ROW, col, title, fmt["header"])
    sheet.set_row(HEADER_ROW, 20)
    for i, row in enumerate(rows):
        lines = max(
            wrapped_lines(cell_text(v) or "", w) if title in WRAPPED else 1
            for v, w, title in zip(row, widths, header, strict=False)
        )
        if lines > 1:
            sheet.set_row(HEADER_ROW + 1 + i, row_height(lines))
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date | dt.datetime):
                sheet.write_datetime(HEADER_ROW + 1 + i, col, value, fmt["date"])
            elif isinstance(value, bool | int | float):
                sheet.write(HEADER_ROW + 1 + i, col, value)
            else:
                sheet.write_string(HEADER_ROW + 1 + i, col, str(value))
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    sheet.set_paper(PAPERS[paper])
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    last = HEADER_ROW + max(VALIDATED_ROWS, len(rows) + 500)
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(len(rows), 1), len(header) - 1)
    messages = {
        **INPUT_MESSAGES,
        **(OUTCOME_MESSAGES if spec is OUTCOMES_SPEC else {}),
        **(messages or {}),
    }
    for col, title in enumerate(spec.columns):
        rule = {"validate": "any", "input_title": title, "input_message": say(messages[title])}
        if title in lists:
            source, error = lists[title]
            rule.update(
                validate="list",
                source=source,
                error_type="stop",
                error_title=f"Not a valid {title}",
                error_message=error,
            )
        sheet.data_validation(HEADER_ROW + 1, col, last, col, rule)
    sheet.activate()
    return sheet, last


def submitter_book(
    path: Path,
    code: str,
    config: MatrixOptions,
    labels: list[str],
    rows: list[list],
    extra: list[str],
    made: dt.datetime,
    group: Group = Group.REGION,
) -> None:
    book = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    _stamp(book, config, f"{code} {group.short}", made)
    who = code if group is Group.REGION else f"Member state {code}"
    notes = (
        f"{who}: proposals to {config.conference}",
        f"One row per proposal; choose Resolution, Action and Concern from the dropdowns. "
        f"Keep the file name {code}.xlsx: it says which {group.short} this is. "
        f"{version_line(config)}",
    )
    dropdowns = {
        RESOLUTION: _resolution_dropdown(labels),
        ACTION: (list(ACTION_CODES), f"The action must be {_W['actions_or']}."),
        CONCERN: (
            [c.code for c in Concern.highest_first()],
            f"The concern must be {_W['concerns_or']}.",
        ),
        PUBLIC: PUBLIC_DROPDOWN,
        RESULT: RESULT_DROPDOWN,
    }
    # A member state's workbook speaks of the member state, not of a region.
    summary = INPUT_MESSAGES[SUMMARY].replace("the region", f"the {group.short}")
    sheet, last = _sheet(
        book, PROPOSALS_SPEC, "Proposals", notes, rows, extra, dropdowns, config.paper,
        config.wording, {SUMMARY: summary},
    )  # fmt: skip
    _lists(book, labels)
    concern = PROPOSALS_SPEC.columns.index(CONCERN)
    _fill_by_value(book, sheet, concern, last, {level: FILLS[level] for level in CONCERN_CODES})
    _instructions(book, config, code, made, group=group)
    book.close()


def _resolution_dropdown(labels: list[str]) -> tuple[str, str]:
    return (
        f"=Lists!$A$2:$A${max(2, len(labels) + 1)}",
        "Pick a resolution from the list. If it is missing, it must first be added to the "
        "catalogue of resolutions; a new template then offers it.",
    )


def _lists(book, labels: list[str]) -> None:
    """The hidden sheet the Resolution dropdown reads (Excel caps an inline list at 255
    characters; a range has no such limit)."""
    lists = book.add_worksheet("Lists")
    lists.write_string(0, 0, "Resolutions offered in the Resolution dropdown (from the catalogue)")
    for i, label in enumerate(labels):
        lists.write_string(1 + i, 0, label)
    lists.set_column(0, 0, 100)
    lists.hide()


def _fill_by_value(book, sheet, column: int, last: int, fills: dict[str, str]) -> None:
    """A cell of `column` takes the fill of the value typed in it, as the matrix shows it."""
    for value, fill in fills.items():
        sheet.conditional_format(HEADER_ROW + 1, column, last, column, {
            "type": "cell", "criteria": "==", "value": f'"{value}"',
            "format": book.add_format({"bg_color": fill}),
        })  # fmt: skip


def outcomes_book(
    path: Path,
    config: MatrixOptions,
    labels: list[str],
    rows: list[list],
    extra: list[str],
    made: dt.datetime,
) -> None:
    book = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    _stamp(book, config, "outcomes", made)
    notes = (
        f"Outcomes of {config.conference}: what the {config.wording.assembly} decided",
        f"One row per decided resolution; choose Resolution, Outcome and Assessment from the "
        f"dropdowns. Keep the file name {OUTCOMES_FILE}. {version_line(config)}",
    )
    dropdowns = {
        RESOLUTION: _resolution_dropdown(labels),
        OUTCOME: ([o.code for o in Outcome], f"The outcome must be {_W['outcomes_or']}."),
        ASSESSMENT: (
            [a.code for a in Assessment],
            f"The assessment must be {_W['assessments_or']}.",
        ),
    }
    sheet, last = _sheet(
        book, OUTCOMES_SPEC, "Outcomes", notes, rows, extra, dropdowns, config.paper, config.wording
    )
    _lists(book, labels)
    column = OUTCOMES_SPEC.columns.index(ASSESSMENT)
    _fill_by_value(book, sheet, column, last, {a.code: a.fill for a in Assessment})
    _instructions(book, config, None, made, outcomes=True)
    book.close()


def catalogue_book(
    path: Path, config: MatrixOptions, rows: list[list], extra: list[str], made: dt.datetime
) -> None:
    book = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    _stamp(book, config, "catalogue", made)
    notes = (
        f"Catalogue of tracked resolutions for {config.conference}",
        f"One row per resolution; drafts as NEW-... keys. Keep the file name "
        f"{CATALOGUE_FILE}. {version_line(config)}",
    )
    dropdowns = {
        PRIORITY: (list(PRIORITY_CODES), f"The priority must be {_W['priorities_or']}."),
        PUBLIC: PUBLIC_DROPDOWN,
    }
    _sheet(
        book,
        CATALOGUE_SPEC,
        "Resolutions",
        notes,
        rows,
        extra,
        dropdowns,
        config.paper,
        config.wording,
    )
    _instructions(book, config, None, made)
    book.close()


def _instructions(
    book,
    config: MatrixOptions,
    code: str | None,
    made: dt.datetime,
    outcomes: bool = False,
    group: Group = Group.REGION,
) -> None:
    sheet = book.add_worksheet("Instructions")
    sheet.set_paper(PAPERS[config.paper])
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    bold = book.add_format({"bold": True, "valign": "top"})
    head = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100, wrap)
    what = f"the {code} workbook" if code else "the catalogue"
    name = f"{code}.xlsx" if code else CATALOGUE_FILE
    if outcomes:
        what, name = "the outcomes", OUTCOMES_FILE
    sections = [
        (
            f"How to fill in {what} for {config.conference}",
            [
                ("Version", f"{version_line(config)} Made on {made.date().isoformat()}."),
                (
                    "The file name",
                    f"Keep it {name}: the name is how the matrix knows "
                    + (
                        f"that these are {group.short} {code}'s proposals."
                        if code
                        else "the outcomes."
                        if outcomes
                        else "the catalogue."
                    ),
                ),
            ],
        ),
    ]
    if code:
        sections += [
            (
                "Columns (sheet Proposals, header on row 4)",
                [
                    (
                        RESOLUTION,
                        "Pick it from the dropdown. Typed by hand, these all mean "
                        "Resolution 64: 64, Res. 64, Res 64, Resolution 64, Res. 64 (Rev. Geneva, "
                        "2022). A draft new resolution has a key NEW- plus letters, digits and "
                        "hyphens, like NEW-AI; it must be in the catalogue like any other.",
                    ),
                    (ACTION, f"{_W['actions_or']} (see below)."),
                    (
                        DOCUMENT,
                        "The ITU document, like Doc 37 Add.12. Two proposals from one "
                        f"{group.short} on one resolution need different documents.",
                    ),
                    (
                        SUMMARY,
                        f"What the {group.short} proposes, in a sentence or two. Required "
                        f"except for {_TEXTLESS}.",
                    ),
                    (
                        CONCERN,
                        f"{_W['concerns_or']}. Required except for {_TEXTLESS}, where empty "
                        f"means {DEFAULT_CONCERN.code}.",
                    ),
                    (
                        NOTES,
                        "Optional. Anything for the team; shown on the matrix's Proposals "
                        "sheet, not in the matrix cells, and never published.",
                    ),
                    (PUBLIC, PUBLIC_GUIDANCE),
                    (RESULT, RESULT_GUIDANCE),
                    (CO_SIGNERS, CO_SIGNERS_GUIDANCE),
                ],
            ),
            ("Actions", [(a.code, a.meaning) for a in Action]),
            ("Results", [(r.code, r.meaning) for r in Result]),
            (
                "How to judge the concern",
                [(c.code, c.guidance) for c in Concern.highest_first()],
            ),
        ]
    elif outcomes:
        sections += [
            (
                "Columns (sheet Outcomes, header on row 4)",
                [
                    (
                        RESOLUTION,
                        "Pick it from the dropdown: the resolution as the matrix knows it, a "
                        "draft new resolution by its NEW- key. One row per resolution.",
                    ),
                    (OUTCOME, f"{_W['outcomes_or']} (see below)."),
                    (
                        ADOPTED_AS,
                        f"For {_W['target_outcomes']} only, and required for them: the number "
                        "a draft was adopted as (Res. 101; not a number the catalogue already "
                        "has), or the resolution a text was merged into.",
                    ),
                    (ASSESSMENT, f"{_W['assessments_or']} (see below)."),
                    (SUMMARY, "Optional: what the {assembly} decided, in a sentence or two."),
                    (DOCUMENT, "Optional: the final text, like Res. 64 (Rev. New Delhi, 2024)."),
                ],
            ),
            (
                "Outcomes",
                [
                    (
                        o.code,
                        o.meaning
                        + (
                            " Only for draft new resolutions (NEW-)."
                            if o.for_drafts and not o.for_existing
                            else " Only for resolutions in force."
                            if o.for_existing and not o.for_drafts
                            else ""
                        ),
                    )
                    for o in Outcome
                ],
            ),
            ("Assessment", [(a.code, a.meaning) for a in Assessment]),
        ]
    else:
        sections += [
            (
                "Columns (sheet Resolutions, header on row 4)",
                [
                    (RESOLUTION, "The number, like 64, or a draft key, like NEW-AI."),
                    (TITLE, "The resolution's title."),
                    (TOPIC, "The subject area, like Internet governance."),
                    (PRIORITY, f"{_W['priorities_or']}: how closely the team follows it."),
                    (ANALYSIS, "The areas of concern; may be empty."),
                    (PUBLIC, PUBLIC_GUIDANCE),
                ],
            ),
        ]
    sections.append(
        (
            "When it is checked",
            [
                (
                    "Problems",
                    "Every workbook is checked before the matrix is made. Each problem is "
                    "reported with its sheet and cell, like Proposals!B7: Action 'MDO' is not "
                    f"one of {_W['actions']}. Correct the cell here, save, and it is checked "
                    "again; nothing reaches the matrix until every workbook is valid.",
                ),
                (
                    "Nothing is lost",
                    "Every row typed here appears in the matrix, word for word, or is reported "
                    "as a problem.",
                ),
            ],
        )
    )
    row = 0
    for title, items in sections:
        sheet.write_string(row, 0, title, head)
        row += 1
        for label, text in items:
            text = config.wording(text)  # "the assembly", "ITU-T's mandate": the conference's
            sheet.write_string(row, 0, label, bold)
            sheet.write_string(row, 1, text, wrap)
            sheet.set_row(row, row_height(wrapped_lines(text, 100)))
            row += 1
        row += 1
