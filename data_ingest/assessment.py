"""A prepared file against the database as it is now: its errors, warnings, changes, cycle and report.

`data_ingest.load` assesses a file for a preview (in a read session) and again when recording it
(under the writer lock), so both decide from what is current: the demonstration data, the values
the file changes, the locks of closed cycles and whether a correction gives its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_ingest.checks import plausibility_warnings
from data_ingest.report import ColumnCounts, IngestReport, Issue, ProblemLog, Status, problems_of
from data_ingest.schemas import ValidatedFile, received_on_errors
from models.base import utcnow
from models.cycles.locks import lock_problem, lock_violations
from models.demo import holds_demo_data
from models.metrics.reporting import CycleStanding, cycle_standing
from models.recording import Change, ChangeCounts, current_values_of, plan_changes
from models.tables import ReportingCycle

if TYPE_CHECKING:  # data_ingest.load imports this module at run time
    from data_ingest.load import PreparedFile

DEMO_DATA_MESSAGE = (
    "This database still holds the demonstration data, and real figures are never mixed with it, so "
    "nothing can be loaded yet. The secretariat removes the demonstration data (command: "
    "python -m data_ingest demo --remove); then send the file again."
)


def with_errors(
    validated: ValidatedFile, first: Sequence[Issue], later: Sequence[Issue] = ()
) -> ValidatedFile:
    """The validated file with more errors: `first` before its own, `later` merged in by row."""
    if not first and not later:
        return validated
    counts: dict[str | None, int] = dict(validated.error_counts or problems_of(validated.errors).counts)
    for column, count in problems_of([*first, *later]).counts:
        counts[column] = counts.get(column, 0) + count
    body = sorted([*validated.errors, *later], key=lambda issue: issue.row or 0)  # stable: header first
    limit = ProblemLog().limit
    return replace(
        validated,
        errors=(*first, *body)[:limit],
        error_count=validated.error_count + len(first) + len(later),
        error_counts=tuple(counts.items()),
    )


@dataclass(frozen=True)
class Assessment:
    """A prepared file against the database as it is now: its errors, warnings, changes and cycle."""

    validated: ValidatedFile
    warnings: tuple[Issue, ...]
    changes: list[Change]
    cycle: CycleStanding | None


def assess(
    session: Session,
    prepared: PreparedFile,
    *,
    received_on: dt.date,
    received_on_given: bool,
    dry_run: bool,
    reason: str | None,
    corrections_need_reason: bool,
) -> Assessment:
    """What recording `prepared` would do, decided from the database as it is now (see Assessment)."""
    validated = prepared.validated
    first = (
        [Issue(None, None, None, DEMO_DATA_MESSAGE)] if prepared.readable and holds_demo_data(session) else []
    )
    later = received_on_errors(validated, received_on) if received_on_given else []
    validated = with_errors(validated, first, later)
    if validated.errors:
        return Assessment(validated, (), [], None)
    values = list({cell.value.cell: cell.value for cell in validated.cells}.values())
    # Read under the writer lock when recording: these are the values the file changes, as they are now.
    recorded = current_values_of(session, validated.participants)
    warnings = tuple(plausibility_warnings(validated.cells, recorded))
    changes = plan_changes(session, values, recorded)
    # A closed cycle's years are locked for every writer; decided under the writer lock when recording.
    violations = lock_violations(
        session,
        {(c.participant_code, c.year) for c in changes if c.kind != "unchanged"},
        utcnow().date(),
    )
    if violations:
        refused = with_errors(validated, [Issue(None, None, None, lock_problem(violations))])
        return Assessment(refused, (), [], None)
    revised = ChangeCounts.of(changes).revised
    if corrections_need_reason and not dry_run and revised and not reason:
        refused = with_errors(validated, [Issue(None, None, None, correction_message(revised))])
        return Assessment(refused, (), [], None)
    return Assessment(validated, warnings, changes, _cycle_of(session, validated, received_on))


def _cycle_of(session: Session, validated: ValidatedFile, received_on: dt.date) -> CycleStanding | None:
    latest = validated.latest_year
    if latest is None:
        return None
    rows = session.execute(
        select(
            ReportingCycle.name, ReportingCycle.deadline, ReportingCycle.first_year, ReportingCycle.last_year
        )
    ).all()
    cycles = pd.DataFrame(rows, columns=["name", "deadline", "first_year", "last_year"])
    return cycle_standing(cycles, latest, received_on)


def ingest_report(
    prepared: PreparedFile, assessment: Assessment, *, dry_run: bool, upload_id: int | None = None
) -> IngestReport:
    """The report of an assessed file: rejected (it has errors), valid (a dry run), loaded or unchanged."""
    validated = assessment.validated
    counts = ChangeCounts.of(assessment.changes)
    status: Status
    if validated.errors:
        status = "rejected"
    elif dry_run:
        status = "valid"
    else:
        status = "loaded" if counts.inserted or counts.revised else "unchanged"
    only = next(iter(validated.participants)) if len(validated.participants) == 1 else None
    error_counts: ColumnCounts = validated.error_counts or problems_of(validated.errors).counts
    return IngestReport(
        file=prepared.filename,
        status=status,
        rows=validated.rows,
        inserted=counts.inserted,
        revised=counts.revised,
        unchanged=counts.unchanged,
        errors=validated.errors,
        warnings=assessment.warnings,
        changes=tuple(assessment.changes),
        file_format=prepared.file_format,
        layout=validated.layout,
        participant_code=only,
        dry_run=dry_run,
        notes=tuple(validated.notes),
        upload_id=upload_id,
        error_count=validated.error_count,
        error_counts=error_counts,
        cycle=assessment.cycle,
    )


def correction_message(revised: int) -> str:
    values = "1 value" if revised == 1 else f"{revised} values"
    return (
        f"This file changes {values} already recorded: a correction needs a reason (--reason on the "
        "command line, the Reason box on the upload page). Nothing was recorded."
    )
