"""Blank templates for liaisons: a CSV, or an XLSX with data validation, a country list and instructions.

Whatever a template is made from (a participant code, the register's names), no cell of it is a
formula: text is neutralised (`models.text.neutralise`) and written as text.

The XLSX country drop-down holds every entry its instructions promise (`country_entries`): Excel
checks a typed country against that list, so the list is what may be typed, not only picked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping

from data_ingest.columns import COLUMNS, FIRST_YEAR
from data_ingest.countries import accepted_names
from models.text import neutralise

# Rows the XLSX validation covers: far more than one participant will ever send.
_VALIDATED_ROWS = 1000
#: The hidden sheet holding the country drop-down's entries, and the workbook name of their range:
#: a list typed into the rule itself may hold only 255 characters.
NAMES_SHEET = "Names"
COUNTRY_LIST = "CountryNames"

INSTRUCTIONS = (
    "How to fill in this template",
    "",
    "One row per country and calendar year, on the first sheet ('Figures'). Do not rename the columns.",
    "country: choose the participant from the drop-down list (e.g. Germany (DEU)), or type an entry of that "
    "list: the ISO code (DEU or DE), the name in English, French, Spanish or Arabic (Germany, Allemagne, "
    "Alemania, ألمانيا), a usual short form (UK, USA) or the country's own name (Deutschland). Codes and "
    "names are on the sheet Countries.",
    "year: the calendar year the figures are for, four digits (e.g. 2024). Not a future year.",
    "identified_victims: the number of child victims identified during that year.",
    "cumulative_total: the total number of identified victims up to the end of that year.",
    "Fill in at least one of the two counts. Whole numbers only; 1234 or 1,234 (not 1.234).",
    "A figure you do not have: leave the cell empty (or write n/a). An empty cell never counts as zero.",
    "A row with neither count is refused: delete the rows of years you have no figures for.",
    "notes: optional, any remark about the row.",
    "",
    "Every problem in the file is reported at once, with its row and column; a file with any problem",
    "changes nothing. Sending corrected figures later keeps the earlier ones in the history.",
    "The full description of the format is on the File format page of VID Monitor (/file-format).",
)


def template_years(today: dt.date) -> list[int]:
    """The years a prefilled template offers: the two calendar years before the current one."""
    return [today.year - 2, today.year - 1]


def template_csv(participant: str | None, today: dt.date) -> str:
    """A CSV template: the header, and with a participant one row per offered year."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    if participant is not None:
        for year in template_years(today):
            writer.writerow([neutralise(participant), year, "", "", ""])
    return buffer.getvalue()


def country_entries(participants: Mapping[str, str]) -> list[str]:
    """The country drop-down's entries: each participant's display form ('Germany (DEU)', by name),
    then, participant by participant, its codes and names (data_ingest.countries.accepted_names).
    Each entry names one participant; none appears twice (Excel compares them without case)."""
    accepted = accepted_names(participants)
    ordered = sorted(accepted, key=lambda code: (participants[code].casefold(), code))
    entries: list[str] = []
    seen: set[str] = set()
    for names in ([accepted[code][0] for code in ordered], *(accepted[code][1:] for code in ordered)):
        for name in names:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                entries.append(name)
    return entries


def template_xlsx(participants: Mapping[str, str], participant: str | None, today: dt.date) -> bytes:
    """An XLSX template: 'Figures' (header, validation of countries, years and whole non-negative
    counts; prefilled rows for a participant), 'Countries' (code, name), 'Instructions', and the
    hidden 'Names' (the country drop-down's entries)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    figures = workbook.active
    figures.title = "Figures"
    figures.append(list(COLUMNS))
    for cell in figures[1]:
        cell.font = Font(bold=True)
    figures.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (16, 8, 20, 18, 40), strict=True):
        figures.column_dimensions[letter].width = width
    if participant is not None:
        for year in template_years(today):
            figures.append([neutralise(participant), year])

    countries = workbook.create_sheet("Countries")
    countries.append(["code", "name"])
    countries["A1"].font = countries["B1"].font = Font(bold=True)
    ordered = sorted(participants.items(), key=lambda item: item[1])
    for code, name in ordered:
        countries.append([neutralise(code), neutralise(name)])
    countries.column_dimensions["B"].width = 32

    instructions = workbook.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True)
    instructions.column_dimensions["A"].width = 110

    names = workbook.create_sheet(NAMES_SHEET)
    names.sheet_state = "hidden"
    names.append(["Entries the country column accepts (its drop-down list)"])
    entries = country_entries(participants)
    for entry in entries:
        names.append([neutralise(entry)])
    workbook.defined_names[COUNTRY_LIST] = DefinedName(
        COUNTRY_LIST, attr_text=f"'{NAMES_SHEET}'!$A$2:$A${len(entries) + 1}"
    )

    last = _VALIDATED_ROWS + 1
    rules = []
    if entries:
        rules.append(
            (
                DataValidation(
                    type="list",
                    formula1=COUNTRY_LIST,
                    errorTitle="Country",
                    error="Choose a participant from the list, or type its code or one of its names that "
                    "the list holds (see the sheet Instructions).",
                ),
                f"A2:A{last}",
            )
        )
    rules += [
        (
            DataValidation(
                type="whole",
                operator="between",
                formula1=str(FIRST_YEAR),
                formula2=str(today.year),
                errorTitle="Year",
                error=f"A year from {FIRST_YEAR} to {today.year}, four digits.",
            ),
            f"B2:B{last}",
        ),
        (
            DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                errorTitle="Count",
                error="A whole number, zero or more. Leave the cell empty if not reported.",
            ),
            f"C2:D{last}",
        ),
    ]
    for rule, cells in rules:
        rule.showErrorMessage = True
        rule.allow_blank = True
        rule.add(cells)
        figures.add_data_validation(rule)

    for sheet in (figures, countries, instructions, names):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text: never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
