"""The workbook editions (the team's circulated matrix and the public one), laid out from the
view with xlsxwriter: one module per sheet, the styles, how each sheet prints, and how wide text
is in Calibri."""
