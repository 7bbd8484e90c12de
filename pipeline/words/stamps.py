"""What every workbook the pipeline writes carries, defined once: its document properties,
which later runs read back, and how xlsxwriter writes it."""

from __future__ import annotations

#: The author of every workbook (File > Properties), so no one's name or machine is in it.
AUTHOR = "Issues Matrix"
#: Custom document properties (File > Properties > Custom): which conference a matrix or a
#: template is for, which release and which day a matrix is, which template version made a
#: workbook. A later run reads them to compare with the right matrix and to warn about an
#: old template.
CONFERENCE_PROPERTY = "IssuesMatrixConference"
RELEASE_PROPERTY = "IssuesMatrixRelease"
DATE_PROPERTY = "IssuesMatrixDate"
TEMPLATE_VERSION_PROPERTY = "IssuesMatrixTemplateVersion"
#: Raise this when a template changes in a way analysts should pick up; workbooks made from
#: an older version still validate, with a warning that names the newer template.
TEMPLATE_VERSION = 2
#: Text stays text (a summary starting with "=" is no formula); the workbook is put together
#: in memory, so no temporary file is left on disk if a run stops.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "in_memory": True,
}
