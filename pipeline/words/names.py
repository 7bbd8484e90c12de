"""The names of the codes a reader meets: each regional group's and member state's name beside
its code (``B`` is Brazil), in the column headings, the co-signers, the web page's filters and
the Legend.

The tool comes with the six regional groups and the ITU country symbols the shipped example
uses; `matrix.toml`'s ``[names]`` table adds codes or overrides these (config.py reads it). A code
nobody named is shown as the code alone, and `unnamed` lists such codes for one warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import WARNING, Code, Problem

#: The regional groups whose common proposals an ITU assembly receives, by the codes the
#: matrix's columns use; the names are the organisations' own.
REGIONAL_GROUPS = {
    "APT": "Asia-Pacific Telecommunity",
    "ASMG": "Arab Spectrum Management Group",
    "ATU": "African Telecommunications Union",
    "CEPT": "European Conference of Postal and Telecommunications Administrations",
    "CITEL": "Inter-American Telecommunication Commission",
    "RCC": "Regional Commonwealth in the field of Communications",
}

#: ITU's country symbols (the designations of Member States that ITU documents use: the Table
#: of geographical area symbols in the Preface to the Radio Regulations, and the ITU
#: Operational Bulletin's lists), here with the short form of each country's name. Only those
#: the shipped example uses, and CHN, which the README's examples name: the team adds others
#: under [names] in matrix.toml.
COUNTRY_SYMBOLS = {
    "ARG": "Argentina",
    "AUS": "Australia",
    "B": "Brazil",
    "CAN": "Canada",
    "CHN": "China",
    "D": "Germany",
    "F": "France",
    "G": "United Kingdom",
    "IND": "India",
    "J": "Japan",
    "KOR": "Republic of Korea",
    "MEX": "Mexico",
    "MLA": "Malaysia",
    "NZL": "New Zealand",
    "PRY": "Paraguay",
    "S": "Sweden",
    "SUI": "Switzerland",
    "URY": "Uruguay",
    "USA": "United States",
}

BUILT_IN = {**REGIONAL_GROUPS, **COUNTRY_SYMBOLS}


@dataclass(frozen=True)
class Named:
    """A code and the name it stands for ("" where nobody named it)."""

    code: str
    name: str = ""

    @property
    def shown(self) -> str:
        """``D (Germany)``, or the code alone."""
        return f"{self.code} ({self.name})" if self.name else self.code


def table(overrides: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The tool's names with matrix.toml's [names] over them."""
    return {**BUILT_IN, **dict(overrides)}


def named(code: str, names: dict[str, str]) -> Named:
    return Named(code, names.get(code, ""))


def unnamed(codes, names: dict[str, str]) -> list[Problem]:
    """One warning naming every code that has no name (in the order first met), or none."""
    missing = list(dict.fromkeys(c for c in codes if c and c not in names))
    if not missing:
        return []
    one = len(missing) == 1
    listed = ", ".join(missing[:-1]) + " and " + missing[-1] if not one else missing[0]
    shows, them = (
        ("it shows as a code", "its name") if one else ("they show as codes", "their names")
    )
    return [
        Problem(
            "matrix.toml",
            f"no name is known for {listed}, so {shows} alone; add {them} under a [names] line, "
            f'for example: [names] {missing[0]} = "its name"',
            Code.NAMES_MISSING,
            severity=WARNING,
        )
    ]
