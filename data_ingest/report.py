"""What an ingest tells the person who sent the file: problems found, and what the file did or would do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from models.recording import Change

Status = Literal["loaded", "unchanged", "rejected", "valid"]

# The upload row keeps at most this many entries of each kind; error_count keeps the true total.
STORED_ISSUES_LIMIT = 1000


@dataclass(frozen=True)
class Issue:
    """One problem (error) or point to check (warning) in a file.

    `row` is the row number a spreadsheet shows (header = 1; JSON: position of the object, from 1),
    None for a problem with the whole file. `column` is the heading as written in the file.
    `value` is the cell as the file holds it.
    """

    row: int | None
    column: str | None
    value: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}

    def located(self, file: str, prefix: str = "") -> str:
        """The issue as `FILE:ROW:COLUMN: message` ("-" where the file as a whole is meant)."""
        row = "-" if self.row is None else str(self.row)
        column = self.column if self.column else "-"
        return f"{file}:{row}:{column}: {prefix}{self.message}"


@dataclass(frozen=True)
class IngestReport:
    """The outcome for one file: the same object feeds the command line, its JSON and the web page.

    `status`: loaded (values changed), unchanged (all values equal the current ones), rejected
    (errors: nothing changed), valid (dry run without errors: nothing written).
    `changes` has one entry per cell in the file, in file order (including unchanged cells).
    """

    file: str
    status: Status
    rows: int
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    changes: tuple[Change, ...] = field(default=(), repr=False)
    notes: tuple[dict[str, Any], ...] = ()
    file_format: str | None = None
    layout: str | None = None
    participant_code: str | None = None
    upload_id: int | None = None
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The `--json` shape: file, status, rows, inserted, revised, unchanged, errors, warnings,
        `notes` (the file's notes column: row, country, year, note) and `changes` (the cells
        inserted or revised, with old and new values)."""
        return {
            "file": self.file,
            "status": self.status,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
            "notes": list(self.notes),
            "changes": [
                {
                    "country": change.participant_code,
                    "year": change.year,
                    "indicator": change.indicator_code,
                    "old": change.old_value,
                    "new": change.new_value,
                }
                for change in self.changes
                if change.kind != "unchanged"
            ],
        }

    def summary(self) -> str:
        """One line for people: what happened to the file."""
        counts = f"{self.inserted} new, {self.revised} revised, {self.unchanged} unchanged"
        values = self.inserted + self.revised + self.unchanged  # a row holds one or two values
        rows = f"{self.rows} row{'s' if self.rows != 1 else ''}, {values} value{'s' if values != 1 else ''}"
        if self.status == "rejected":
            errors = len(self.errors)
            return f"{self.file}: rejected, {errors} error{'s' if errors != 1 else ''}; nothing was changed"
        if self.status == "valid":
            return f"{self.file}: valid (dry run, nothing written), {rows}: would be {counts}"
        return f"{self.file}: {self.status}, {rows}: {counts}"


def stored_report(
    errors: tuple[Issue, ...], warnings: tuple[Issue, ...], notes: list[dict[str, Any]]
) -> dict[str, Any]:
    """The report kept on the upload row (bounded: a garbage file must not bloat the database)."""
    report: dict[str, Any] = {
        "errors": [issue.as_dict() for issue in errors[:STORED_ISSUES_LIMIT]],
        "warnings": [issue.as_dict() for issue in warnings[:STORED_ISSUES_LIMIT]],
    }
    if len(errors) > STORED_ISSUES_LIMIT:
        report["errors_not_stored"] = len(errors) - STORED_ISSUES_LIMIT
    if len(warnings) > STORED_ISSUES_LIMIT:
        report["warnings_not_stored"] = len(warnings) - STORED_ISSUES_LIMIT
    if notes:
        report["notes"] = notes[:STORED_ISSUES_LIMIT]
    return report
