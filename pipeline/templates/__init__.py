"""Input templates: blank or pre-filled workbooks with dropdowns and instructions, for the
groups, the member states, the catalogue and the outcomes."""
