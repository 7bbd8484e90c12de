"""The dataframes that pass between stages, each column named once here, with one meaning.

Stages: load reads the workbooks into *read* frames (the cells as typed, and what the pipeline
makes of them); validate checks those; merge makes the *matrix* (a row per resolution) and the
*long table* (a row per proposal, the Proposals sheet); changes compares two long tables. The
tests check each stage's frame against its declaration here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# The headers of the input sheets, as analysts type them. A column that the pipeline
# normalises is kept, as typed, under its own name (see `typed`).
RESOLUTION = "Resolution"  # read: the key as typed; matrix and long table: as shown, "Res. 64"
ACTION = "Action"  # the action's code: ADD, MOD, SUP, NOC
DOCUMENT = "Document"
SUMMARY = "Summary"
CONCERN = "Concern"  # the concern's code: High, Medium, Low, None
NOTES = "Notes"
TITLE = "Title"
TOPIC = "Topic"
PRIORITY = "Priority"  # the priority's code: High, Medium, Low
ANALYSIS = "ISOC analysis"
PUBLIC = "Public"  # whether the row may be published: Yes or No (empty means Yes)
RESULT = "Result"  # what became of a proposal: Accepted, Partly accepted, ... (empty: unknown)
OUTCOME = "Outcome"  # what the assembly decided: ADOPTED, MODIFIED, ...
ADOPTED_AS = "Adopted as"  # read: as typed; the outcomes table: as shown, "Res. 101"
ASSESSMENT = "Assessment"  # whether the concern was resolved: Resolved, ..., n/a
CO_SIGNERS = "Co-signers"  # read: as typed; then "AUS, JPN, KOR": the members who signed

# What the pipeline adds.
KEY = "key"  # a resolution's one key: "64", "NEW-AI"
SUBMITTER = "Region"  # the submitter's code, from its workbook's name: a region's or a member's
GROUP = "Group"  # which kind of submitter: Regional group or Member state
SOURCE = "Source"  # where a proposal was typed: "regions/APT.xlsx:Proposals!row 7"
ROW = "_row"  # the row number Excel shows
FILE = "_file"  # the input file, relative to the inputs folder
DOC_KEY = "doc_key"  # the document reference, for telling proposals apart (case, spacing)
FOR_DRAFTS = "for drafts"  # the action is one for draft new resolutions
FOR_EXISTING = "for existing"  # the action is one for resolutions in force
NEEDS_TEXT = "needs text"  # the action needs a summary and a concern
ADOPTED_KEY = "adopted key"  # the key 'Adopted as' names: "101"
NEEDS_TARGET = "needs target"  # the outcome needs 'Adopted as' (ADOPTED, MERGED)
TAKES_NO_TARGET = "takes no target"  # the outcome is known and takes no 'Adopted as'
NEW_NUMBER = "new number"  # the outcome gives a draft a number of its own (ADOPTED)
INTO_ITSELF = "into itself"  # 'Adopted as' names the row's own resolution
DECIDED = "Decided"  # outcomes table: what the Outcome cell says, "Adopted as Res. 101"
BAD_CO_SIGNER = "bad co-signer"  # the first co-signer that is not a code of 1 to 3 letters
TWICE_CO_SIGNER = "co-signer twice"  # the first co-signer named twice
OVERALL = "Overall concern"
CHANGE = "Change"
CHANGED_FIELDS = "Changed fields"
BEFORE, AFTER = "Before", "After"

#: A proposal's fields, compared from one version to the next; those SHOWN are in its cell.
FIELDS = (ACTION, CONCERN, DOCUMENT, SUMMARY, CO_SIGNERS, RESULT, NOTES, PUBLIC)
SHOWN = (ACTION, CONCERN, DOCUMENT, SUMMARY, CO_SIGNERS, RESULT, PUBLIC)
#: The fields a public edition compares: what it shows.
PUBLIC_FIELDS = (ACTION, CONCERN, DOCUMENT, SUMMARY, CO_SIGNERS, RESULT)
#: An outcome's fields, compared from one version to the next.
OUTCOME_FIELDS = (OUTCOME, ADOPTED_AS, ASSESSMENT, SUMMARY, DOCUMENT)

_NORMALISED = (
    RESOLUTION, ACTION, CONCERN, PRIORITY, PUBLIC, RESULT, OUTCOME, ASSESSMENT, CO_SIGNERS,
)  # fmt: skip


def typed(header: str) -> str:
    """The read frame's column that holds this input column's cells as typed."""
    return f"{header} as typed" if header in _NORMALISED else header


def length(header: str) -> str:
    """The read frame's column that holds the length of this input column's texts as Excel
    counts it."""
    return f"length {header}"


def submitter_concern(submitter: str) -> str:
    """The matrix's column that holds a submitter's highest concern on each resolution."""
    return f"{submitter} concern"


def before(field: str) -> str:
    return f"{field} before"


def after(field: str) -> str:
    return f"{field} after"


@dataclass(frozen=True)
class Frame:
    """The columns a stage's frame has, and what it is."""

    name: str
    columns: tuple[str, ...]

    def check(self, frame: pd.DataFrame) -> None:
        """Raise AssertionError if `frame` has other columns than declared."""
        missing = [c for c in self.columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in self.columns]
        if missing or extra:
            raise AssertionError(f"{self.name}: missing {missing}, not declared {extra}")


PROPOSAL_HEADERS = (
    RESOLUTION, ACTION, DOCUMENT, SUMMARY, CONCERN, NOTES, PUBLIC, RESULT, CO_SIGNERS,
)  # fmt: skip
CATALOGUE_HEADERS = (RESOLUTION, TITLE, TOPIC, PRIORITY, ANALYSIS, PUBLIC)
OUTCOME_HEADERS = (RESOLUTION, OUTCOME, ADOPTED_AS, ASSESSMENT, SUMMARY, DOCUMENT)
#: The headers a workbook may leave out.
OPTIONAL_HEADERS = (NOTES, PUBLIC, RESULT, CO_SIGNERS)
#: ... and those the outcomes workbook may leave out.
OPTIONAL_OUTCOME_HEADERS = (SUMMARY, DOCUMENT)

#: Every region's proposals as read (load.proposals_frame): what validate checks.
READ_PROPOSALS = Frame(
    "proposals as read",
    (
        *(typed(h) for h in PROPOSAL_HEADERS),
        ROW,
        SUBMITTER,
        GROUP,
        FILE,
        SOURCE,
        KEY,
        ACTION,
        CONCERN,
        PUBLIC,
        RESULT,
        CO_SIGNERS,
        BAD_CO_SIGNER,
        TWICE_CO_SIGNER,
        DOC_KEY,
        FOR_DRAFTS,
        FOR_EXISTING,
        NEEDS_TEXT,
        *(length(h) for h in PROPOSAL_HEADERS),
    ),
)
#: The catalogue as read (load.catalogue_frame).
READ_CATALOGUE = Frame(
    "catalogue as read",
    (
        *(typed(h) for h in CATALOGUE_HEADERS),
        ROW,
        FILE,
        KEY,
        PRIORITY,
        PUBLIC,
        *(length(h) for h in CATALOGUE_HEADERS),
    ),
)
#: The outcomes workbook as read (outcomes.outcomes_frame).
READ_OUTCOMES = Frame(
    "outcomes as read",
    (
        *(typed(h) for h in OUTCOME_HEADERS),
        ROW,
        FILE,
        KEY,
        OUTCOME,
        ASSESSMENT,
        ADOPTED_KEY,
        FOR_DRAFTS,
        FOR_EXISTING,
        NEEDS_TARGET,
        TAKES_NO_TARGET,
        NEW_NUMBER,
        INTO_ITSELF,
        *(length(h) for h in OUTCOME_HEADERS),
    ),
)
#: A row per proposal, in matrix order (merge.merge's long table): the Proposals sheet, the
#: snapshots.
LONG = Frame(
    "long table",
    (
        KEY,
        RESOLUTION,
        SUBMITTER,
        GROUP,
        ACTION,
        CONCERN,
        DOCUMENT,
        SUMMARY,
        CO_SIGNERS,
        RESULT,
        NOTES,
        SOURCE,
        PUBLIC,
    ),
)
#: A row per decided resolution (outcomes.decided): the matrix's Outcome and Assessment.
OUTCOMES = Frame(
    "outcomes",
    (KEY, RESOLUTION, OUTCOME, ADOPTED_AS, DECIDED, ASSESSMENT, SUMMARY, DOCUMENT),
)
#: The long table's columns as the Proposals sheet and the snapshots show them.
LONG_SHOWN = LONG.columns[1:]
#: The overall concern of each resolution a change touched (changes.diff).
CHANGED_RESOLUTIONS = Frame("changed resolutions", (KEY, RESOLUTION, BEFORE, AFTER))
#: A row per proposal added, changed or removed (changes.diff).
CHANGES = Frame(
    "changes",
    (
        CHANGE,
        KEY,
        RESOLUTION,
        SUBMITTER,
        CHANGED_FIELDS,
        *(f(field) for field in FIELDS for f in (before, after)),
        SOURCE,
    ),
)
#: A row per outcome recorded, changed or removed (changes.diff_outcomes).
OUTCOME_CHANGES = Frame(
    "outcome changes",
    (
        CHANGE,
        KEY,
        RESOLUTION,
        CHANGED_FIELDS,
        *(f(field) for field in OUTCOME_FIELDS for f in (before, after)),
    ),
)


def matrix_frame(regions: list[str]) -> Frame:
    """A row per resolution (merge.merge): its concern per region, and overall."""
    return Frame(
        "matrix",
        (
            KEY,
            RESOLUTION,
            TITLE,
            TOPIC,
            PRIORITY,
            PUBLIC,
            *(submitter_concern(r) for r in regions),
            OVERALL,
            ANALYSIS,
        ),
    )
