"""The words of the domain, defined once: what a region may propose, how worrying it is, how
closely the team follows a resolution, what the assembly decided and whether each concern was
resolved.

Each term has its code (what is typed and stored), its words in the matrix, its meaning (for
the Legend and the templates' Instructions) and, where it is coloured, its fill. Everything
else reads them from here: the validation rules get the sets as suite parameters, the sheets
their words and colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Action(Enum):
    """What a region proposes to do with a resolution (ITU's change symbols)."""

    ADD = ("ADD", "a new resolution", "Add a draft new resolution (keys starting NEW-).", True,
           "proposes it")  # fmt: skip
    MOD = ("MOD", "modify", "Modify an existing resolution.", False, "proposes to modify it")
    SUP = ("SUP", "suppress", "Suppress (delete) an existing resolution.", False,
           "proposes to suppress it")  # fmt: skip
    NOC = ("NOC", "no change", "No change: keep the resolution as it is.", False,
           "proposes no change")  # fmt: skip

    def __init__(self, code: str, short: str, meaning: str, for_drafts: bool, proposes: str):
        self.code, self.short, self.meaning = code, short, meaning
        self.proposes = proposes  # the summary's sentences: "CEPT proposes to modify it"
        self.for_drafts = (
            for_drafts  # only for draft new resolutions (else only for those in force)
        )

    @property
    def needs_text(self) -> bool:
        """Whether a summary and a concern are required (not for "no change")."""
        return self is not Action.NOC


class Concern(Enum):
    """How worrying a proposal is for the open Internet, least to most."""

    NONE = ("None", "No concern", "#D9EAD3", "green",
            "No effect on the open Internet (an empty Concern for NOC means this).",
            "No effect on the open Internet.")  # fmt: skip
    LOW = ("Low", "Low concern", "#FFF2CC", "yellow", "A small effect on the open Internet.",
           "A small effect on the open Internet: mostly editorial, or within "
           "telecommunications.")  # fmt: skip
    MEDIUM = ("Medium", "Medium concern", "#FCE5CD", "orange",
              "Wording that could be read expansively; worth watching and engaging on.",
              "Wording that could be read expansively, or new study areas close to the "
              "Internet's own layers: worth watching and engaging on.")  # fmt: skip
    HIGH = ("High", "High concern", "#F4CCCC", "red",
            "The proposal could extend {mandate}'s mandate into areas handled by open, "
            "multistakeholder bodies (IETF, ICANN, the RIRs) or otherwise harm the open "
            "Internet.",
            "Would extend {mandate}'s mandate into areas handled by open, multistakeholder bodies "
            "(IETF, ICANN, the Regional Internet Registries), or bring Internet resources, "
            "naming, addressing or content under intergovernmental control.")  # fmt: skip

    def __init__(self, code: str, words: str, fill: str, colour: str, meaning: str, guidance: str):
        self.code, self.words, self.fill, self.colour = code, words, fill, colour
        self.meaning = meaning  # what the colour means (the Legend)
        self.guidance = guidance  # how to judge it (the templates' Instructions)

    @property
    def rank(self) -> int:
        return list(Concern).index(self)

    @classmethod
    def highest_first(cls) -> list[Concern]:
        return list(reversed(cls))


class Priority(Enum):
    """How closely the team follows a resolution."""

    HIGH = ("High", "Followed closely.")
    MEDIUM = ("Medium", "Followed.")
    LOW = ("Low", "Watched.")

    def __init__(self, code: str, meaning: str):
        self.code, self.meaning = code, meaning


class Public(Enum):
    """Whether a row (a proposal, a resolution) may leave the team in a public edition."""

    YES = ("Yes", "May be published (the default: an empty cell means Yes).")
    NO = ("No", "Internal: in the team's matrix, marked, and in no public edition.")

    def __init__(self, code: str, meaning: str):
        self.code, self.meaning = code, meaning


class Outcome(Enum):
    """What the conference decided on a resolution (the analyst's outcomes workbook)."""

    ADOPTED = ("ADOPTED", "Adopted as {target}", True, False, True,
               "A draft new resolution was adopted; 'Adopted as' gives its number.")  # fmt: skip
    MODIFIED = ("MODIFIED", "Modified", False, True, False, "The resolution was revised.")
    UNCHANGED = ("UNCHANGED", "Unchanged", False, True, False, "The resolution stays as it was.")
    SUPPRESSED = ("SUPPRESSED", "Suppressed", False, True, False,
                  "The resolution was suppressed (deleted).")  # fmt: skip
    NOT_ADOPTED = ("NOT ADOPTED", "Not adopted", True, False, False,
                   "A draft new resolution was dropped.")  # fmt: skip
    MERGED = ("MERGED", "Merged into {target}", True, True, True,
              "The text was folded into another resolution, which 'Adopted as' names.")  # fmt: skip

    def __init__(self, code, words, drafts: bool, existing: bool, target: bool, meaning: str):
        self.code, self.meaning = code, meaning
        self._words = words
        self.for_drafts, self.for_existing = drafts, existing  # which keys it may be given to
        self.needs_target = target  # 'Adopted as' is required (and allowed only then)

    def words(self, target: str = "") -> str:
        """``Adopted as Res. 101``, ``Modified``: what the matrix's Outcome cell says."""
        return self._words.format(target=target)


class Assessment(Enum):
    """Whether the concern a resolution raised was resolved, for the open Internet. Filled in
    cool colours, apart from the concerns' warm ones, and always said in words."""

    RESOLVED = ("Resolved", "#9FC5E8", "blue", "The concern was resolved: the text as adopted "
                "keeps to telecommunications and leaves the open Internet as it was.")  # fmt: skip
    PARTLY = ("Partly resolved", "#D9D2E9", "lilac",
              "Some of the concern remains in the text as adopted; worth following.")  # fmt: skip
    NOT_RESOLVED = ("Not resolved", "#8E7CC3", "purple",
                    "The concern remains in the text as adopted.")  # fmt: skip
    NA = ("n/a", "#EFEFEF", "grey", "There was no concern to resolve.")

    def __init__(self, code: str, fill: str, colour: str, meaning: str):
        self.code, self.fill, self.colour, self.meaning = code, fill, colour, meaning

    @property
    def words(self) -> str:
        return "Not applicable" if self is Assessment.NA else self.code


class Result(Enum):
    """What became of one region's proposal (the optional Result column)."""

    ACCEPTED = ("Accepted", "The {assembly} took the proposal as it was.")
    PARTLY = ("Partly accepted", "The {assembly} took part of the proposal.")
    NOT_ACCEPTED = ("Not accepted", "The {assembly} did not take the proposal.")
    WITHDRAWN = ("Withdrawn", "The region withdrew the proposal.")

    def __init__(self, code: str, meaning: str):
        self.code, self.meaning = code, meaning

    @property
    def words(self) -> str:
        """``Result: not accepted``: the last line of the proposal in its matrix cell."""
        return f"Result: {self.code.lower()}"


class Group(Enum):
    """Who tables proposals: a regional group's common proposals, or a Member State's own."""

    REGION = ("Regional group", "Regional groups", "regional group", "region", "regions", "APT")
    MEMBER = ("Member state", "Member states", "member state", "member state", "members", "USA")

    def __init__(self, code, plural, noun, short: str, folder: str, example: str):
        self.code, self.plural, self.noun = code, plural, noun
        self.short = short  # in messages about its files: "region APT", "member state USA"
        self.folder = folder  # its workbooks' folder in the inputs, and its matrix.toml list
        self.example = example  # a code, for messages: APT.xlsx

    def count(self, n: int) -> str:
        """``6 regional groups``, ``1 member state``."""
        return f"{n} {self.noun}{'s' if n != 1 else ''}"


class Kind(Enum):
    """The kinds of ITU conference whose resolutions a matrix follows, known by the letters
    that start the conference's code (WTSA-24, PP-26): the full name, whose mandate its
    resolutions shape, and what it is called in a sentence ("what the assembly decided")."""

    WTSA = ("WTSA", "World Telecommunication Standardization Assembly", "ITU-T", "assembly")
    WTDC = ("WTDC", "World Telecommunication Development Conference", "ITU-D", "conference")
    WRC = ("WRC", "World Radiocommunication Conference", "ITU-R", "conference")
    RA = ("RA", "Radiocommunication Assembly", "ITU-R", "assembly")
    PP = ("PP", "Plenipotentiary Conference", "ITU", "conference")

    def __init__(self, code: str, full_name: str, mandate: str, noun: str):
        self.code, self.full_name, self.mandate, self.noun = code, full_name, mandate, noun

    @classmethod
    def of(cls, conference: str) -> Kind | None:
        """The kind a conference code names (``PP-26`` -> PP), if it is one of ITU's."""
        letters = ""
        for char in conference.strip().upper():
            if not char.isalpha():
                break
            letters += char
        return next((kind for kind in cls if kind.code == letters), None)


@dataclass(frozen=True)
class Wording:
    """The words that depend on the conference, filled into the texts that name them: the
    vocabulary's meanings say ``{mandate}'s mandate`` and ``the {assembly}``."""

    mandate: str = "ITU-T"
    assembly: str = "assembly"

    def __call__(self, text: str) -> str:
        # Plain replacement, not str.format: a text may hold braces of its own.
        return text.replace("{mandate}", self.mandate).replace("{assembly}", self.assembly)


#: A co-signer's code: ITU's country symbols are 1 to 3 letters (B, USA).
CO_SIGNER_LETTERS = (1, 3)


def normalised(values, codes) -> object:
    """Typed values as the codes they mean, whatever their case and spacing (``not  adopted``
    is ``NOT ADOPTED``); anything else is kept as typed, to be reported."""
    wanted = {" ".join(code.split()).casefold(): code for code in codes}
    return values.map(
        lambda v: wanted.get(" ".join(v.split()).casefold(), v) if isinstance(v, str) else v
    )


ACTION_CODES = tuple(a.code for a in Action)
CONCERN_CODES = tuple(c.code for c in Concern)  # least to most worrying
PRIORITY_CODES = tuple(p.code for p in Priority)
PUBLIC_CODES = tuple(p.code for p in Public)
OUTCOME_CODES = tuple(o.code for o in Outcome)
ASSESSMENT_CODES = tuple(a.code for a in Assessment)
RESULT_CODES = tuple(r.code for r in Result)
#: The empty concern of an action that needs none (NOC) counts as this.
DEFAULT_CONCERN = Concern.NONE
#: An empty Public cell counts as this.
DEFAULT_PUBLIC = Public.YES


def listed(codes, last: str = ", ") -> str:
    """``ADD, MOD, SUP, NOC``, or with `last=" or "`: ``ADD, MOD, SUP or NOC``."""
    codes = list(codes)
    if len(codes) < 2:
        return "".join(codes)
    return ", ".join(codes[:-1]) + last + codes[-1]


def actions_in_short() -> str:
    """``ADD a new resolution, MOD modify, SUP suppress, NOC no change``."""
    return ", ".join(f"{a.code} {a.short}" for a in Action)


def colours_in_short() -> str:
    """``red High, orange Medium, yellow Low, green None``."""
    return ", ".join(f"{c.colour} {c.code}" for c in Concern.highest_first())


def words() -> dict[str, str]:
    """The lists the validation messages name, for `str.format`: ``{actions}`` and the like."""
    highest_first = [c.code for c in Concern.highest_first()]
    return {
        "actions": listed(ACTION_CODES),
        "actions_or": listed(ACTION_CODES, " or "),
        "draft_actions_or": listed((a.code for a in Action if a.for_drafts), " or "),
        "existing_actions_or": listed((a.code for a in Action if not a.for_drafts), " or "),
        "textless_actions_or": listed((a.code for a in Action if not a.needs_text), " or "),
        "concerns": listed(highest_first),
        "concerns_or": listed(highest_first, " or "),
        "priorities": listed(PRIORITY_CODES),
        "priorities_or": listed(PRIORITY_CODES, " or "),
        "public_or": listed(PUBLIC_CODES, " or "),
        "outcomes": listed(OUTCOME_CODES),
        "outcomes_or": listed(OUTCOME_CODES, " or "),
        "draft_outcomes_or": listed((o.code for o in Outcome if o.for_drafts), " or "),
        "existing_outcomes_or": listed((o.code for o in Outcome if o.for_existing), " or "),
        "target_outcomes": listed((o.code for o in Outcome if o.needs_target), " and "),
        "assessments": listed(ASSESSMENT_CODES),
        "assessments_or": listed(ASSESSMENT_CODES, " or "),
        "results_or": listed(RESULT_CODES, " or "),
    }


def suite_parameters() -> dict[str, list[str]]:
    """The value sets the validation rules check against, as Great Expectations parameters."""
    return {
        "action_codes": list(ACTION_CODES),
        "concern_codes": list(CONCERN_CODES),
        "priority_codes": list(PRIORITY_CODES),
        "public_codes": list(PUBLIC_CODES),
        "outcome_codes": list(OUTCOME_CODES),
        "assessment_codes": list(ASSESSMENT_CODES),
        "result_codes": list(RESULT_CODES),
    }
