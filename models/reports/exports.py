"""Every download goes through here: a frame to labelled CSV or XLSX bytes, safe to open in a spreadsheet.

- Figures awaiting review are labelled in every export that counts them: a column `figures_note`
  (before `data_note`) holding models.queries.INCLUDING_SUBMITTED_NOTE on every row.
- Demonstration data is labelled in every export: a last column `data_note` holding
  "Demonstration data — not real figures" on every row. A column (not a comment line) keeps the
  file a plain table that any CSV reader round-trips, and the label survives filtering and copying
  rows. Exports of real data have no such column.
- CSV is UTF-8 with a byte-order mark (so spreadsheet programs read names and dashes correctly),
  a header row, nulls as empty cells, numbers as plain numbers (`.` decimal point).
- XLSX: sheet "Data" with real numeric, date and boolean cells (never numbers as text), a bold,
  frozen, filterable header; sheet "About" with the title, the definitions of the columns, the
  basis, the selection, the generation time (UTC), the data version and whether the data is
  demonstration data.
- Spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
  return is written with a leading `'`, so it is shown, never executed. Numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from models.counting import FIGURES_NOTE_COLUMN
from models.demo import DEMO_LABEL
from models.queries import INCLUDING_SUBMITTED_NOTE, DatasetStatus
from models.reports.sheets import COMPLIANCE_CODES, ReportSheet
from models.reports.tabular import plain

# The one formula neutraliser and file namer live in models.text; re-exported for the pages.
from models.text import FORMULA_PREFIXES as FORMULA_PREFIXES
from models.text import neutralise as neutralise
from models.text import safe_file_name

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written: importing the app stays quick
    from openpyxl.worksheet.worksheet import Worksheet

DEMO_NOTE_COLUMN = "data_note"
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_GOAL = "at least 10% growth a year (Global Alliance operational goal); see docs/metrics.md"
_BASES = {
    "cumulative": "identified victims in ICSE up to the end of the year (the stock)",
    "annual": "victims identified during the year (the flow)",
}

#: What every exported column means. A test checks that every column the pages export is here.
DEFINITIONS: dict[str, str] = {
    "participant": "ISO 3166-1 alpha-3 code of the participant; ALL = the Alliance as a balanced panel.",
    "name": "Participant name; for ALL, the Alliance as a balanced panel.",
    "year": "Calendar year the value is for.",
    "basis": "cumulative = identified victims in ICSE up to the end of the year; "
    "annual = identified during the year.",
    "value": "The count reported for the year (empty: not reported).",
    "previous_year": "The latest earlier year with a value.",
    "previous_value": "The value of previous_year.",
    "gap_years": "year − previous_year.",
    "required_value": "Smallest whole count that meets the goal: ⌈previous_value × 1.1^gap_years⌉, exact.",
    "growth": "Annualised growth (value ÷ previous_value)^(1/gap_years) − 1, as a fraction (0.1 = 10%).",
    "status": 'The row\'s status; its codes are defined under "Codes" below.',
    "progress": 'Growth as a share of the 10% target; its codes are defined under "Codes" below.',
    "baseline_year": "The participant's first reported year, whatever range is shown: its 10% path's start.",
    "path_value": "Value had the participant grown exactly 10% a year since baseline_year (rounded up).",
    "on_path": "Whether value is at or above the 10% path, exactly.",
    "participants": "Alliance rows: how many participants the figure covers.",
    "total": "Sum of every value reported for the year.",
    "reporting": "How many participants reported a value for the year.",
    "expected_participants": "How many participants were expected to report for the year (registered by "
    'then, or reporting anyway): the N of an Alliance figure\'s "n of N".',
    "panel_value": "Alliance balanced panel: total of the participants that reported this year "
    "and the year before.",
    "panel_previous_value": "The same participants' total for the year before.",
    "panel": "How many participants are in the balanced panel.",
    "rank": "Position in the ranking shown, best first (participants without a figure to rank are left out).",
    "cycle": "Reporting cycle.",
    "kind": "stock_taking or biennial_report.",
    "deadline": "Date the reports of the cycle were due.",
    "first_year": "First calendar year the cycle covers.",
    "last_year": "Last calendar year the cycle covers.",
    "years_covered": "How many years the cycle covers.",
    "years_reported": "How many of them the participant reported (annual basis).",
    "missing_years": "Covered years without a value.",
    "reported_on": "Date the last covered year was first submitted.",
    "days_late": "Days after the deadline (late reports only).",
    "expected": "Participants that joined before the deadline.",
    "on_time": "Every covered year reported, the last first submitted by the deadline.",
    "late": "Every covered year reported, the last after the deadline.",
    "incomplete": "Some covered years reported, some not.",
    "missing": "No covered year reported.",
    "completeness_numerator": "on_time + late.",
    "completeness_denominator": "expected.",
    "completeness_pct": "completeness_numerator ÷ completeness_denominator, in percent (one decimal).",
    "timeliness_numerator": "on_time.",
    "timeliness_denominator": "expected.",
    "timeliness_pct": "timeliness_numerator ÷ timeliness_denominator, in percent (one decimal).",
    "indicator": "identified_victims (annual basis) or cumulative_identified (cumulative basis).",
    "old_value": "The previous accepted value of the cell (empty: first recorded).",
    "new_value": "The value recorded.",
    "recorded_at": "When the value was recorded (UTC).",
    "recorded_by": "Who recorded it (user or process).",
    "reason": "Reason given for the change.",
    "upload_id": "The upload the value came from.",
    "synthetic": "Whether the value is demonstration data.",
    "revised_after_close": "Whether the value was changed after its reporting cycle was closed (under a "
    "lock exception); the cycle's snapshot keeps the value as reported. See docs/metrics.md.",
    "revised_after_close_years": "The years of the row whose value was changed after their reporting "
    "cycle was closed (empty: none).",
    FIGURES_NOTE_COLUMN: "Present only in exports that count figures awaiting review: "
    f"{INCLUDING_SUBMITTED_NOTE} (the About sheet says whose). Public exports count accepted figures "
    "only and have no such column.",
    DEMO_NOTE_COLUMN: f"Present only in exports from a database holding demonstration data: {DEMO_LABEL} "
    "(blank on a row that says it is not, by its `synthetic` column).",
}
_PERCENT_FRACTION_COLUMNS = {"growth"}


@dataclass(frozen=True)
class ExportInfo:
    """What the About sheet says about an export, and how its file is named."""

    title: str
    data_version: int
    demo: bool
    generated_at: dt.datetime
    basis: str | None = None
    selection: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def export_info(
    status: DatasetStatus,
    title: str,
    basis: str | None = None,
    selection: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> ExportInfo:
    """An ExportInfo for the served database's current state, generated now (UTC)."""
    return ExportInfo(
        title=title,
        data_version=status.version,
        demo=status.demo,
        generated_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        basis=basis,
        selection=tuple((str(k), str(v)) for k, v in (selection or {}).items()),
    )


def labelled(frame: pd.DataFrame, info: ExportInfo) -> pd.DataFrame:
    """The frame as exported: text cells neutralised, plus the `data_note` column for demonstration data."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = pd.Series([neutralise(v) for v in out[column]], index=out.index, dtype=object)
    if info.demo and "synthetic" in out.columns:  # rows that say for themselves whether they are demo
        out[DEMO_NOTE_COLUMN] = [
            "" if value is False else DEMO_LABEL for value in out["synthetic"].astype(object)
        ]
    elif info.demo:
        out[DEMO_NOTE_COLUMN] = DEMO_LABEL
    return out


def file_name(stem: str, info: ExportInfo, extension: str) -> str:
    """e.g. vid-compliance-cumulative-2012-2025-demo.csv: lower case, safe characters only."""
    return safe_file_name("vid", stem.lower() or "export", "demo" if info.demo else "", extension=extension)


def csv_bytes(frame: pd.DataFrame, info: ExportInfo) -> bytes:
    """The frame as UTF-8 CSV (with byte-order mark), labelled and neutralised."""
    out = _csv_ready(labelled(frame, info))
    text = out.to_csv(index=False, lineterminator="\n")
    return ("\ufeff" + str(text)).encode("utf-8")


def csv_stream(chunks: Iterable[pd.DataFrame], info: ExportInfo, columns: list[str]) -> Iterator[bytes]:
    """A CSV of any length, piece by piece: the same bytes as `csv_bytes` of all the chunks at once
    (byte-order mark and header first, then each chunk's rows), in memory one chunk at a time."""
    header = labelled(pd.DataFrame(columns=columns), info)
    yield ("\ufeff" + str(header.to_csv(index=False, lineterminator="\n"))).encode("utf-8")
    for chunk in chunks:
        if chunk.empty:
            continue
        out = _csv_ready(labelled(chunk, info))
        yield str(out.to_csv(index=False, header=False, lineterminator="\n")).encode("utf-8")


def _csv_ready(out: pd.DataFrame) -> pd.DataFrame:
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype) or out[column].map(_is_datetime).any():
            out[column] = [_iso(v) for v in out[column]]
    return out


def xlsx_bytes(
    frame: pd.DataFrame,
    info: ExportInfo,
    definitions: Mapping[str, str] = DEFINITIONS,
    report: Sequence[ReportSheet] = (),
    codes: Mapping[str, Mapping[str, str]] = COMPLIANCE_CODES,
) -> bytes:
    """The frame as an XLSX workbook: the report sheets (if any) first, then a "Data" sheet of typed
    cells (the long, machine-readable table) and an "About" sheet.

    `codes`: for each coded column of `frame` (status, progress), every code it can hold and what
    it means; the About sheet defines exactly those, so its definitions match the column.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    out = labelled(frame, info)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for sheet in report:
        _report_sheet(book.create_sheet(sheet.name[:31]), sheet, info)
    data = book.create_sheet("Data")
    columns = [str(c) for c in out.columns]
    data.append(columns)
    for row in out.itertuples(index=False, name=None):
        data.append([_cell(v) for v in row])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(10, min(60, len(column) + 4))
        number_format = _number_format(column, out[out.columns[index - 1]])
        if number_format:
            for cell in data[letter][1:]:
                cell.number_format = number_format
        for cell in data[letter][1:]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text is text: never a formula
    data.freeze_panes = "A2"
    if columns:
        data.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(out) + 1)}"

    about = book.create_sheet("About")
    about.append(["VID Monitor export", info.title])
    about.append(["Generated (UTC)", info.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC")])
    about.append(["Data version", info.data_version])
    about.append(["Demonstration data", f"Yes: {DEMO_LABEL}" if info.demo else "No: reported data"])
    if info.basis:
        about.append(["Basis", f"{info.basis}: {_BASES.get(info.basis, info.basis)}"])
    about.append(["Goal", _GOAL])
    for key, value in info.selection:
        about.append([key, neutralise(value)])
    if report:
        about.append([])
        about.append(["Sheet", "What it shows"])
        for sheet in report:
            about.append([sheet.name, f"{sheet.title}. " + " ".join(sheet.notes)])
        about.append(["Data", "The same figures as one row per participant and year, for programs."])
        about.append([])
        about.append(["Symbol", "Meaning"])
        seen: set[str] = set()
        for sheet in report:
            for label, meaning in sheet.legend:
                if label not in seen:
                    seen.add(label)
                    about.append([label, meaning])
    about.append([])
    about.append(["Column", "Definition"])
    for column in columns:
        about.append([column, definitions.get(column, "")])
    coded = [column for column in columns if column in codes]
    if coded:
        about.append([])
        about.append(["Codes", "Column: code — meaning"])
        for column in coded:
            for code, meaning in codes[column].items():
                about.append([f"{column}: {code}", meaning])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 110
    book.properties.title = info.title
    book.properties.creator = "VID Monitor"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def about_codes(about: Worksheet) -> dict[str, set[str]]:
    """The codes an About sheet defines, per column (read back from "Codes"; tests use this)."""
    found: dict[str, set[str]] = {}
    in_codes = False
    for row in about.iter_rows(values_only=True):
        if row[0] == "Codes":
            in_codes = True
            continue
        if in_codes and row[0]:
            column, _, code = str(row[0]).partition(": ")
            found.setdefault(column, set()).add(code)
    return found


_HEADING_ROWS = 3  # title, subtitle, demonstration mark or blank; the header row follows


def _report_sheet(sheet: Worksheet, report: ReportSheet, info: ExportInfo) -> None:
    """Write one report sheet: heading, bold frozen header, body, widths to content, A4 landscape."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    subtitle = "; ".join(
        [
            *report.subtitle,
            f"data version {info.data_version}",
            info.generated_at.strftime("as at %Y-%m-%d %H:%M UTC"),
        ]
    )
    sheet.append([subtitle])
    sheet.append([DEMO_LABEL if info.demo else ""])
    if info.demo:
        sheet["A3"].font = Font(bold=True, color="B00020")
    sheet.append(list(report.header))
    header_row = _HEADING_ROWS + 1
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in report.rows:
        sheet.append([_cell(neutralise(v)) if isinstance(v, str) else _cell(v) for v in row])
    last_row = header_row + len(report.rows)
    for note in report.notes:
        sheet.append([])
        sheet.append([note])
    for index, title in enumerate(report.header, start=1):
        letter = get_column_letter(index)
        body = [sheet.cell(row=r, column=index).value for r in range(header_row, last_row + 1)]
        width = max(len(_shown(v)) for v in body) if body else len(title)
        sheet.column_dimensions[letter].width = max(6, min(60, width + 2))
        number_format = report.number_columns.get(title)
        for r in range(header_row + 1, last_row + 1):
            cell = sheet.cell(row=r, column=index)
            if number_format:
                cell.number_format = number_format
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3 if len(report.header) > 2 else 1).coordinate
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = f"{report.title} — page &P of &N"
    if info.demo:
        sheet.oddHeader.center.text = DEMO_LABEL


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _is_datetime(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    return value


def _cell(value: Any) -> Any:
    """A plain, typed cell value; timestamps as naive UTC (XLSX has no time zones)."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, dt.date):
        return value
    return plain(value)


def _number_format(column: str, series: pd.Series) -> str | None:
    if column in _PERCENT_FRACTION_COLUMNS:
        return "0.0%"
    if column.endswith("_pct"):
        return "0.0"
    if column in ("recorded_at",):
        return "yyyy-mm-dd hh:mm:ss"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "0"
    return None
