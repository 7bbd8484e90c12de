"""Document cites as links: the parts of a cite like ``Doc 37 Add.12`` and the web address
matrix.toml's ``document_url`` patterns make of them.

A pattern is a web address with placeholders for the parts of a cite: ``{doc}`` the document's
number, ``{add}`` the addendum's, ``{rev}`` the revision's; ``{doc:4}`` writes the number with
at least four digits, zeros in front (``0037``), as ITU's addresses do. A cite links by the
first pattern that uses exactly the parts it has, so ``Doc 37 Add.12`` is never sent to the
page of Doc 37 itself; a cite no pattern fits (``Res. 1 (Rev. New Delhi, 2024)``, ``TD 12``)
stays plain text.

Both a cite and a pattern are read in one pass, character by character: no regular
expression, so the time is linear in the text whatever it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..words.problems import quoted

#: The placeholders a pattern may use, and what each stands for (matrix_toml.py's messages and
#: the README name them).
PLACEHOLDERS = {
    "doc": "the document's number",
    "add": "the addendum's number",
    "rev": "the revision's number",
}
#: The words a cite may name each part by, in any case, with or without a full stop.
_LABELS = {
    "doc": "doc",
    "document": "doc",
    "add": "add",
    "addendum": "add",
    "rev": "rev",
    "revision": "rev",
}
#: What may stand between the words and numbers of a cite: ``Doc 37(Rev.1)``, ``Doc.37 Add.12``.
_SEPARATORS = frozenset(" \t.()")
#: A cite longer than this is no cite (a summary typed into the Document column, say).
MAX_CITE = 100
#: Longer addresses are not links: Excel refuses hyperlinks past 2,079 characters.
MAX_URL = 2_000
#: At most this many digits a placeholder pads to ({doc:4}).
MAX_WIDTH = 9
#: Characters a web address may hold as written in a pattern (RFC 3986's, less the braces,
#: which are the placeholders'); anything else (a space, a quote, < or >) is refused.
URL_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
EXAMPLE = "https://www.itu.int/md/T22-WTSA.24-C-{doc:4}/en"
#: How long a pattern may be, and how many matrix.toml may list.
PATTERN_LIMIT = 1_000
PATTERNS_LIMIT = 10


@dataclass(frozen=True)
class Placeholder:
    name: str  # one of PLACEHOLDERS
    width: int = 0  # pad with zeros to this many digits


@dataclass(frozen=True)
class Pattern:
    """A document_url pattern, read: its literal pieces and placeholders, in order."""

    pieces: tuple[str | Placeholder, ...]

    @property
    def uses(self) -> frozenset[str]:
        return frozenset(p.name for p in self.pieces if isinstance(p, Placeholder))

    def address(self, parts: dict[str, str]) -> str:
        return "".join(
            p if isinstance(p, str) else parts[p.name].zfill(p.width) for p in self.pieces
        )


def read_pattern(text: str) -> tuple[Pattern | None, str]:
    """The pattern `text` holds, or None and what is wrong with it, in the words of a message
    that follows "'document_url' ..."."""
    lowered = text.lower()
    scheme = next((s for s in ("https://", "http://") if lowered.startswith(s)), "")
    if not scheme:
        return None, "must be a web address starting with https:// (or http://)"
    host_end = len(text)
    for i in range(len(scheme), len(text)):
        if text[i] in "/?#{":
            host_end = i
            break
    if host_end == len(scheme) or text[host_end : host_end + 1] == "{":
        return None, "must name its web site after https://, before any placeholder"
    pieces: list[str | Placeholder] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "{":
            end = text.find("}", i + 1)
            inner = text[i + 1 : end] if end != -1 else ""
            if end == -1 or "{" in inner:
                return None, "has a { that is not closed by a }"
            placeholder, problem = _placeholder(inner)
            if placeholder is None:
                return None, problem
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(placeholder)
            i = end + 1
            continue
        if char == "}":
            return None, "has a } that closes no {"
        if char not in URL_CHARACTERS:
            if char.isspace():
                return None, "cannot hold a space: a web address has none (write %20 for one)"
            return None, f"cannot hold {char!r}, which no web address has"
        literal.append(char)
        i += 1
    if literal:
        pieces.append("".join(literal))
    pattern = Pattern(tuple(pieces))
    if "doc" not in pattern.uses:
        return None, "must use {doc}, the place of the document's number"
    return pattern, ""


def patterns_setting(value) -> tuple[tuple[str, ...], list[str]]:
    """matrix.toml's document_url (a text, or a list of texts tried in turn) as patterns, and
    what is wrong with it, in messages that name the setting (matrix_toml.py adds the line)."""
    example = f'document_url = "{EXAMPLE}"'
    if isinstance(value, str):
        texts, many = [value], False
    elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        texts, many = value, True
    else:
        return (), [
            f"'document_url' must be a web address in double quotes, like {example}, or a "
            "list of them in brackets, tried in turn"
        ]
    if len(texts) > PATTERNS_LIMIT:
        return (), [f"'document_url' lists {len(texts)} addresses, more than {PATTERNS_LIMIT}"]
    problems, patterns = [], []
    for number, text in enumerate(texts, start=1):
        which = f"address {number} of 'document_url'" if many else "'document_url'"
        text = text.strip()
        if len(text) > PATTERN_LIMIT:
            problems.append(
                f"{which} is {len(text):,} characters long, more than the {PATTERN_LIMIT:,} "
                "it may be; shorten it"
            )
            continue
        pattern, problem = read_pattern(text)
        if pattern is None:
            reads = f" (it reads: {quoted(text)})" if text else ""
            problems.append(f"{which} {problem}, like {example}{reads}")
        else:
            patterns.append(text)
    return tuple(patterns), problems


def _placeholder(inner: str) -> tuple[Placeholder | None, str]:
    name, colon, width = inner.partition(":")
    if name not in PLACEHOLDERS:
        known = ", ".join(f"{{{n}}} ({words})" for n, words in PLACEHOLDERS.items())
        return None, f"has the placeholder {{{inner}}}, which is none of {known}"
    if not colon:
        return Placeholder(name), ""
    if not (width.isascii() and width.isdigit() and 1 <= int(width) <= MAX_WIDTH):
        return None, (
            f"has {{{inner}}}: after the colon comes how many digits to pad the number to, "
            f"1 to {MAX_WIDTH}, like {{{name}:4}}"
        )
    return Placeholder(name, int(width)), ""


def cite_parts(cite: str) -> dict[str, str] | None:
    """``Doc 37 Add.12`` -> {doc: 37, add: 12}; None for a text that is not such a cite. Each
    part once, each a word (Doc, Add, Rev, or Document, Addendum, Revision) then a number."""
    if len(cite) > MAX_CITE:
        return None
    tokens: list[str] = []
    current = ""
    for char in cite:
        if char in _SEPARATORS:
            if current:
                tokens.append(current)
            current = ""
        elif char.isascii() and char.isalnum():
            # A change from letters to digits ends a word: "Add12" is "Add" and "12".
            if current and current[-1].isdigit() != char.isdigit():
                tokens.append(current)
                current = ""
            current += char
        else:  # a dash, a slash, a comma, a letter of another script: no cite of ours
            return None
    if current:
        tokens.append(current)
    if len(tokens) % 2 or not tokens:
        return None
    parts: dict[str, str] = {}
    for label, number in zip(tokens[::2], tokens[1::2], strict=True):
        part = _LABELS.get(label.lower())
        if part is None or part in parts or not number.isdigit():
            return None
        parts[part] = number.lstrip("0") or "0"
    return parts if tokens and _LABELS.get(tokens[0].lower()) == "doc" else None


@dataclass(frozen=True)
class Links:
    """The document_url patterns, in order: a cite's web address, if one fits it."""

    patterns: tuple[Pattern, ...] = ()

    def address(self, cite: str) -> str:
        """The web address of `cite`, or "" when no pattern fits it."""
        if not self.patterns:
            return ""
        parts = cite_parts(cite)
        if parts is None:
            return ""
        for pattern in self.patterns:
            if pattern.uses == parts.keys():
                url = pattern.address(parts)
                return url if len(url) <= MAX_URL else ""
        return ""


def links(patterns: tuple[str, ...]) -> Links:
    """The Links of matrix.toml's patterns (matrix_toml.py has checked them)."""
    read = (read_pattern(p)[0] for p in patterns)
    return Links(tuple(p for p in read if p is not None))
