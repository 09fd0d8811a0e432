"""What an ingest tells the person who sent the file: problems found, and what the file did or would do.

A file can hold any number of problems, so what is kept is bounded: the first ERRORS_KEPT errors
in full and a count per column of all of them (`ProblemLog`); the upload row keeps the first
STORED_ISSUES_LIMIT; a browser is shown the first few per column (`by_column`). Every text from
the file is made safe to show and to store (`models.text.shown`) as an Issue is made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from models.metrics.reporting import CycleStanding
from models.recording import Change
from models.text import neutralise, shown

Status = Literal["loaded", "unchanged", "rejected", "valid"]

#: Errors kept in full for one file; beyond, they are only counted (per column). A file with this
#: many problems is the wrong file: the first ones say what to correct.
ERRORS_KEPT = 10_000
# The upload row keeps at most this many entries of each kind; error_count keeps the true total.
STORED_ISSUES_LIMIT = 1000
#: How many problems of each column a browser is shown; the download has them all.
SHOWN_PER_COLUMN = 5
WHOLE_FILE = "(whole file)"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem (error) or point to check (warning) in a file.

    `row` is the row number a spreadsheet shows (header = 1; JSON: position of the object, from 1),
    None for a problem with the whole file. `column` is the heading as written in the file.
    `value` is the cell as the file holds it. Texts are kept as they may be shown: a NUL or a
    broken character from the file becomes U+FFFD.
    """

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __post_init__(self) -> None:
        if self.column is not None:
            object.__setattr__(self, "column", shown(self.column))
        if self.value is not None:
            object.__setattr__(self, "value", shown(self.value))
        object.__setattr__(self, "message", shown(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}

    def located(self, file: str, prefix: str = "") -> str:
        """The issue as `FILE:ROW:COLUMN: message` ("-" where the file as a whole is meant)."""
        row = "-" if self.row is None else str(self.row)
        column = self.column if self.column else "-"
        return f"{shown(file)}:{row}:{column}: {prefix}{self.message}"


ColumnCounts = tuple[tuple[str | None, int], ...]


@dataclass(frozen=True)
class Problems:
    """Problems found: the first ones in full (`kept`), and how many there were per column."""

    kept: tuple[Issue, ...] = ()
    counts: ColumnCounts = ()

    @property
    def total(self) -> int:
        return sum(count for _column, count in self.counts)


class ProblemLog:
    """Collects problems as they are found: the first ERRORS_KEPT in full, all of them counted per column."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = ERRORS_KEPT if limit is None else limit
        self.kept: list[Issue] = []
        self.counts: dict[str | None, int] = {}
        self.total = 0

    def add(self, issue: Issue) -> None:
        self.total += 1
        self.counts[issue.column] = self.counts.get(issue.column, 0) + 1
        if len(self.kept) < self.limit:
            self.kept.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.add(issue)

    def merge(self, problems: Problems) -> None:
        """Add problems collected elsewhere (a reader's), keeping their counts."""
        for column, count in problems.counts:
            self.counts[column] = self.counts.get(column, 0) + count
            self.total += count
        room = max(0, self.limit - len(self.kept))
        self.kept.extend(problems.kept[:room])

    @property
    def full(self) -> bool:
        """Whether no further problem would be kept in full (callers may skip building one)."""
        return len(self.kept) >= self.limit

    def freeze(self) -> Problems:
        return Problems(tuple(self.kept), tuple(self.counts.items()))


def problems_of(issues: Sequence[Issue]) -> Problems:
    """Problems holding exactly these issues (a short list: nothing beyond the limit to count)."""
    log = ProblemLog(limit=len(issues))
    log.extend(issues)
    return log.freeze()


@dataclass(frozen=True)
class ColumnProblems:
    """The problems of one column: how many, and the first few."""

    column: str
    count: int
    first: tuple[Issue, ...]


def by_column(
    issues: Sequence[Issue], counts: ColumnCounts | None = None, first: int = SHOWN_PER_COLUMN
) -> list[ColumnProblems]:
    """Issues grouped by column, in the order columns first have one: each with its count (from
    `counts`, the true totals, when given) and its first `first` issues."""
    shown_issues: dict[str | None, list[Issue]] = {}
    found: dict[str | None, int] = {}
    for issue in issues:
        found[issue.column] = found.get(issue.column, 0) + 1
        kept = shown_issues.setdefault(issue.column, [])
        if len(kept) < first:
            kept.append(issue)
    totals = dict(counts) if counts is not None else found
    order = list(shown_issues) + [column for column in totals if column not in shown_issues]
    return [
        ColumnProblems(
            column or WHOLE_FILE,
            totals.get(column, found.get(column, 0)),
            tuple(shown_issues.get(column, ())),
        )
        for column in order
    ]


@dataclass(frozen=True)
class IngestReport:
    """The outcome for one file: the same object feeds the command line, its JSON and the web page.

    `status`: loaded (values changed), unchanged (all values equal the current ones), rejected
    (errors: nothing changed), valid (dry run without errors: nothing written).
    `errors` are the first ERRORS_KEPT errors; `error_count` counts them all, `error_counts` per
    column. `changes` has one entry per cell in the file, in file order (including unchanged
    cells). `cycle`: the reporting cycle the file counts for and whether it arrived by its deadline
    (None when rejected, or when no cycle covers its latest year).
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
    error_count: int = -1
    error_counts: ColumnCounts = ()
    cycle: CycleStanding | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", shown(self.file))
        if self.error_count < 0:
            object.__setattr__(self, "error_count", len(self.errors))
        if not self.error_counts and self.errors:
            object.__setattr__(self, "error_counts", problems_of(self.errors).counts)

    def as_dict(self) -> dict[str, Any]:
        """The `--json` shape: file, status, rows, inserted, revised, unchanged, errors (the first
        ERRORS_KEPT), error_count (all of them), warnings, `notes` (the file's notes column: row,
        country, year, note), `changes` (the cells inserted or revised, with old and new values) and
        `cycle` (CycleStanding.as_dict, or null)."""
        return {
            "file": self.file,
            "status": self.status,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "errors": [issue.as_dict() for issue in self.errors],
            "error_count": self.error_count,
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
            "cycle": None if self.cycle is None else self.cycle.as_dict(),
        }

    def summary(self) -> str:
        """One line for people: what happened to the file."""
        counts = f"{self.inserted} new, {self.revised} revised, {self.unchanged} unchanged"
        values = self.inserted + self.revised + self.unchanged  # a row holds one or two values
        rows = f"{self.rows} row{'s' if self.rows != 1 else ''}, {values} value{'s' if values != 1 else ''}"
        if self.status == "rejected":
            errors = self.error_count
            listed = f" (the first {len(self.errors):,} are listed)" if errors > len(self.errors) else ""
            return (
                f"{self.file}: rejected, {errors:,} error{'s' if errors != 1 else ''}{listed}; "
                "nothing was changed"
            )
        if self.status == "valid":
            return f"{self.file}: valid (dry run, nothing written), {rows}: would be {counts}"
        return f"{self.file}: {self.status}, {rows}: {counts}"

    def cycle_line(self) -> str | None:
        """Which reporting cycle the file counts for and whether it arrived on time, for people."""
        if self.status == "rejected":
            return None
        if self.cycle is None:
            return f"{self.file}: counts for no reporting cycle yet (none covers the latest year it holds)"
        return f"{self.file}: counts for {self.cycle.text()}"


def stored_report(report: IngestReport) -> dict[str, Any]:
    """The report kept on the upload row (bounded: a garbage file must not bloat the database).

    Keys: errors, warnings (the first STORED_ISSUES_LIMIT of each), errors_not_stored and
    warnings_not_stored (how many more there were), error_columns ([column, count] for every error),
    notes, and cycle (CycleStanding.as_dict) when the file counts for one.
    """
    errors, warnings, notes = report.errors, report.warnings, list(report.notes)
    stored: dict[str, Any] = {
        "errors": [issue.as_dict() for issue in errors[:STORED_ISSUES_LIMIT]],
        "warnings": [issue.as_dict() for issue in warnings[:STORED_ISSUES_LIMIT]],
    }
    if report.error_count > STORED_ISSUES_LIMIT:
        stored["errors_not_stored"] = report.error_count - min(len(errors), STORED_ISSUES_LIMIT)
    if len(warnings) > STORED_ISSUES_LIMIT:
        stored["warnings_not_stored"] = len(warnings) - STORED_ISSUES_LIMIT
    if report.error_counts:
        stored["error_columns"] = [[column, count] for column, count in report.error_counts]
    if notes:
        stored["notes"] = notes[:STORED_ISSUES_LIMIT]
    if report.cycle is not None:
        stored["cycle"] = report.cycle.as_dict()
    return stored


ISSUE_CSV_COLUMNS = ("kind", "row", "column", "value", "message")


def issues_csv(errors: Iterable[Issue], warnings: Iterable[Issue], note: str | None = None) -> bytes:
    """Errors and warnings as a CSV file (UTF-8 with byte-order mark, formulas neutralised).

    Columns: kind (error or warning), row, column, value, message. `note` (e.g. that only the first
    problems were kept) goes in a last row of kind `note`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ISSUE_CSV_COLUMNS)
    for kind, issues in (("error", errors), ("warning", warnings)):
        for issue in issues:
            cells = (kind, issue.row, issue.column, issue.value, issue.message)
            writer.writerow(["" if cell is None else neutralise(cell) for cell in cells])
    if note:
        writer.writerow(["note", "", "", "", neutralise(note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
