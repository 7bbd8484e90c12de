"""Resolution keys: the many ways an analyst writes "Resolution 64", reduced to one key.

`64`, `064`, `64.0`, `Res. 64`, `Res 64`, `Resolution 64` and `Res. 64 (Rev. Geneva, 2022)` all
give the key ``64``, and so do digits of any script (`٦٤`, `６４`): they are read as the numbers
they are, as Python's `int()` reads them. A draft new resolution is ``NEW-<NAME>`` (letters,
digits, hyphens), upper-cased.

The pattern is matched in time linear in the text: no two of its parts can match the same
characters, so there is nothing to backtrack over, and text longer than any key is refused
before it is tried.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: No spelling of a key is longer (a dropdown entry, key and shortened title, is about 100).
MAX_KEY_LENGTH = 500

_NUMBERED = r"(?:res(?:olution)?\.?\s*)?(?P<number>\d+)(?:\.0+)?(?:\s*\([^()]*\))?"
_NEW = r"(?P<new>new-[a-z0-9]+(?:-[a-z0-9]+)*)"
# The templates' dropdowns offer "Res. 64 — Internet Protocol address allocation ...": a key,
# a spaced dash, then the title, which is there for the analyst and ignored here.
_TITLE = r"(?:\s+[-–—]\s.*)?"

#: Every accepted spelling, case-insensitive. Given to Great Expectations as a suite
#: parameter, so the rule the suite checks and the parser below can never disagree.
KEY_PATTERN = rf"(?i)^(?=[\s\S]{{0,{MAX_KEY_LENGTH}}}\Z)\s*(?:{_NUMBERED}|{_NEW}){_TITLE}\s*\Z"
#: The same pattern without named groups, for Great Expectations (pandas warns about groups).
KEY_RULE = re.sub(r"\(\?P<\w+>", "(?:", KEY_PATTERN)
DROPDOWN_SEPARATOR = " — "
_DROPDOWN_TITLE_LENGTH = 80
_KEY_RE = re.compile(KEY_PATTERN)

NEW_PREFIX = "NEW-"
#: What a key (as `parse_key` gives it) looks like: a draft's, or a number's. For the rules.
DRAFT_RULE = f"^{re.escape(NEW_PREFIX)}"
NUMBER_RULE = "^[0-9]+$"


def parse_key(value: object) -> str | None:
    """The normalised key of one cell's text, or None if it is not a resolution key."""
    if value is None:
        return None
    match = _KEY_RE.match(str(value))
    if not match:
        return None
    if match["number"] is not None:
        return number_key(match["number"])
    return match["new"].upper()


def number_key(digits: str) -> str:
    """Digits of any script as the number they are, without leading zeros: ``٠٦٩`` -> ``69``.
    (Not `int()`, which refuses more than 4,300 digits.)"""
    if not digits.isascii():
        digits = "".join(str(unicodedata.decimal(c)) for c in digits)
    return digits.lstrip("0") or "0"


def parse_keys(values: pd.Series) -> pd.Series:
    """Vectorised `parse_key`: one key (or missing) per value.

    A hundred thousand proposals name a few thousand resolutions, each in a few spellings:
    each distinct spelling is parsed once.
    """
    values = values.astype(object)
    spellings = pd.Series(values.dropna().unique(), dtype=object)
    parts = spellings.str.extract(KEY_PATTERN)
    numbers = [number_key(d) if isinstance(d, str) else None for d in parts["number"]]
    drafts = [d.upper() if isinstance(d, str) else None for d in parts["new"]]
    keys = [n or d for n, d in zip(numbers, drafts, strict=True)]
    known = dict(zip(spellings, keys, strict=True))
    found = values.map(known).astype(object)
    return found.where(found.notna(), None)


def typed_in_other_digits(values: pd.Series) -> pd.Series:
    """Which values give a resolution number written in digits other than 0-9 (the typed
    text is then worth keeping beside the number it was read as)."""
    values = values.astype(object)
    spellings = pd.Series(values.dropna().unique(), dtype=object)
    numbers = spellings.str.extract(KEY_PATTERN)["number"]
    other = numbers.notna() & ~numbers.fillna("").map(str.isascii)
    known = dict(zip(spellings, other, strict=True))
    return values.map(known).fillna(False).astype(bool)


def is_new(key: str) -> bool:
    return key.startswith(NEW_PREFIX)


def label(key: str) -> str:
    """How a key is shown in the matrix: ``Res. 64`` or the draft's ``NEW-AI``."""
    return key if is_new(key) else f"Res. {key}"


def dropdown_label(key: str, title: str | None) -> str:
    """A template dropdown entry: the key as the matrix shows it, then the (shortened) title."""
    title = " ".join(str(title or "").split())
    if len(title) > _DROPDOWN_TITLE_LENGTH:
        title = title[: _DROPDOWN_TITLE_LENGTH - 1].rstrip() + "…"
    return f"{label(key)}{DROPDOWN_SEPARATOR}{title}" if title else label(key)
