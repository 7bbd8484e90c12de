"""Everything under the inputs folder, read once: matrix.toml, the catalogue, every proposals
workbook (the regional groups', then the member states'), and the outcomes workbook if there is
one. Each workbook is read as `load.read_table` reads it: one pass over its zip parts, calamine
for its values, and openpyxl at most once, only for cells calamine cannot tell.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..words.problems import Code, Report
from ..words.vocab import Group
from .folders import MEMBERS_DIR, REGIONS_DIR, code_clashes, competing, find_submitter_files
from .load import PROPOSALS_SPEC, Table, load_catalogue, read_table
from .matrix_toml import MatrixOptions, load_config
from .outcomes_book import OUTCOMES_SPEC, outcome_files


@dataclass
class Inputs:
    config: MatrixOptions
    catalogue: Table | None
    proposal_tables: list[Table]  # every proposals workbook: the groups', then the members'
    submitter_codes: list[str]  # the matrix's submitter columns, in order: regions, then members
    report: Report = field(default_factory=Report)
    member_codes: list[str] = field(default_factory=list)  # those of them that are members
    outcomes: Table | None = None  # the assembly's decisions, once there are any


def load_inputs(inputs: Path) -> Inputs:
    """Read everything under `inputs`. Every problem found is in the returned report."""
    report = Report()
    config, config_problems = load_config(inputs)
    report.extend(config_problems)

    catalogue, problems = load_catalogue(inputs)
    report.extend(problems)

    submitter_files, problems = find_submitter_files(inputs / REGIONS_DIR, config)
    report.extend(problems)
    member_files, problems = find_submitter_files(inputs / MEMBERS_DIR, config, Group.MEMBER)
    report.extend(problems)
    report.extend(code_clashes(submitter_files, member_files))
    member_files = {c: p for c, p in member_files.items() if c not in submitter_files}
    files = [
        *((code, path, Group.REGION) for code, path in submitter_files.items()),
        *((code, path, Group.MEMBER) for code, path in member_files.items()),
    ]
    found = outcome_files(inputs)
    outcomes_file = found[0] if len(found) == 1 else None

    def read(item):
        code, path, group = item
        table, problems = read_table(
            path, f"{group.folder}/{path.name}", PROPOSALS_SPEC, submitter=code
        )
        if table is not None:
            table.group = group
        return table, problems

    # calamine reads without holding Python's lock, so two workbooks can be read at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(read, files)
        outcomes = pool.submit(_read_outcomes, outcomes_file)
        results = list(results)
    tables = []
    for table, problems in results:
        report.extend(problems)
        if table is not None:
            tables.append(table)
    if len(found) > 1:
        report.extend([competing(found, "outcomes workbooks", Code.OUTCOMES_TWICE)])
    outcomes_table, problems = outcomes.result()
    report.extend(problems)
    codes = [*submitter_files, *member_files]
    return Inputs(config, catalogue, tables, codes, report, list(member_files), outcomes_table)


def _read_outcomes(path: Path | None):
    return read_table(path, path.name, OUTCOMES_SPEC) if path is not None else (None, [])
