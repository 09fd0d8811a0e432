"""Locks: once a cycle is closed, the values of the years it covers change only under a lock exception.

The lock holds for every writer alike (a liaison's upload, a command-line load, the acceptance of a
submission): the secretariat grants itself an exception too, so every change after a close carries
a logged reason. Checks run inside the writer's unit of work (under the writer lock).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.accounts.users import Actor
from models.base import utcnow
from models.cycles import CycleError, actor_name, require_secretariat
from models.queries import ACCEPTED
from models.tables import (
    CycleSnapshot,
    LockException,
    ObservationRevision,
    Participant,
    ReportingCycle,
    Upload,
)
from models.text import REASON, TextError, check_text

#: How long a lock exception holds when no end date is given.
DEFAULT_EXCEPTION_DAYS = 30


@dataclass(frozen=True)
class ClosedCycle:
    """A closed cycle: its covered years and when it was (first) closed."""

    id: int
    name: str
    first_year: int
    last_year: int
    closed_at: dt.datetime

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


@dataclass(frozen=True)
class LockViolation:
    """Values of one participant in a closed cycle's years that may not change without an exception."""

    cycle: str
    participant: str
    years: tuple[int, ...]


def closed_cycles(session: Session) -> list[ClosedCycle]:
    """Every closed cycle, by deadline."""
    rows = session.execute(
        select(
            ReportingCycle.id,
            ReportingCycle.name,
            ReportingCycle.first_year,
            ReportingCycle.last_year,
            func.min(CycleSnapshot.closed_at),
        )
        .join(CycleSnapshot, CycleSnapshot.cycle_id == ReportingCycle.id)
        .group_by(ReportingCycle.id, ReportingCycle.name, ReportingCycle.first_year, ReportingCycle.last_year)
        .order_by(func.min(ReportingCycle.deadline), ReportingCycle.name)
    ).all()
    return [ClosedCycle(int(i), str(n), int(f), int(la), c) for i, n, f, la, c in rows]


def _exceptions(session: Session, today: dt.date) -> set[tuple[int, str]]:
    """(cycle id, participant) pairs holding an exception today."""
    rows = session.execute(
        select(LockException.cycle_id, LockException.participant_code).where(LockException.until >= today)
    )
    return {(int(cycle), str(participant)) for cycle, participant in rows}


def lock_violations(
    session: Session, changes: Iterable[tuple[str, int]], today: dt.date
) -> list[LockViolation]:
    """Which of the (participant, year) changes lie in a closed cycle's years without an exception today.

    One violation per cycle and participant, years ascending; empty when all may change.
    """
    wanted = set(changes)
    if not wanted:
        return []
    cycles = closed_cycles(session)
    if not cycles:
        return []
    allowed = _exceptions(session, today)
    found: dict[tuple[str, str], set[int]] = {}
    for cycle in cycles:
        for participant, year in wanted:
            if cycle.covers(year) and (cycle.id, participant) not in allowed:
                found.setdefault((cycle.name, participant), set()).add(year)
    return [
        LockViolation(cycle, participant, tuple(sorted(years)))
        for (cycle, participant), years in sorted(found.items())
    ]


#: How the lock problem begins (the API answers 409 for it, not 422).
LOCKED_PREFIX = "this would change values of a closed cycle: "


def lock_problem(violations: list[LockViolation]) -> str:
    """One message for all violations: names each cycle and says that a lock exception is needed."""
    parts = [
        f"{v.participant} {', '.join(str(y) for y in v.years)} (cycle {v.cycle!r} is closed)"
        for v in violations
    ]
    first = violations[0]
    return (
        f"{LOCKED_PREFIX}{'; '.join(parts)}. A lock exception is needed: the "
        f"secretariat grants one with python -m models cycles unlock --name {first.cycle!r} "
        f"--participant {first.participant} --reason TEXT"
    )


@dataclass(frozen=True)
class GrantedException:
    """A lock exception as granted."""

    cycle: str
    participant: str
    reason: str
    granted_by: str
    granted_at: dt.datetime
    until: dt.date


def grant_exception(
    session: Session,
    actor: Actor | str,
    cycle_name: str,
    participant: str,
    reason: str,
    until: dt.date | None = None,
    now: dt.datetime | None = None,
) -> GrantedException:
    """Let `participant`'s values in the closed cycle's years change until `until` (inclusive;
    default DEFAULT_EXCEPTION_DAYS from today). Secretariat only; logged. Raises CycleError."""
    require_secretariat(session, actor, "grant lock exceptions")
    now = now or utcnow()
    try:
        reason = check_text(reason, REASON)
    except TextError as exc:
        raise CycleError(str(exc)) from exc
    if not reason:
        raise CycleError("say why the exception is granted (--reason)")
    cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == cycle_name))
    if cycle is None:
        raise CycleError(f"no reporting cycle named {cycle_name!r}")
    if not any(c.id == cycle.id for c in closed_cycles(session)):
        raise CycleError(f"{cycle_name!r} is not closed: its values are not locked")
    code = participant.strip().upper()
    if session.get(Participant, code) is None:
        raise CycleError(f"{participant!r} is not a registered participant")
    until = until or (now.date() + dt.timedelta(days=DEFAULT_EXCEPTION_DAYS))
    if until < now.date():
        raise CycleError(f"the end date {until.isoformat()} is in the past")
    row = LockException(
        cycle_id=cycle.id,
        participant_code=code,
        reason=reason,
        granted_by=actor_name(actor),
        granted_at=now,
        until=until,
    )
    session.add(row)
    record_event(
        session,
        actor_name(actor),
        "cycle.unlock",
        cycle_name,
        {"participant": code, "reason": reason, "until": until.isoformat()},
    )
    session.flush()
    return GrantedException(cycle_name, code, reason, actor_name(actor), now, until)


def lock_exceptions_frame(session: Session) -> pd.DataFrame:
    """Every lock exception granted, newest first.

    Columns: cycle, participant, reason, granted_by, granted_at (UTC), until (date).
    """
    rows = session.execute(
        select(
            ReportingCycle.name,
            LockException.participant_code,
            LockException.reason,
            LockException.granted_by,
            LockException.granted_at,
            LockException.until,
        )
        .join(ReportingCycle, ReportingCycle.id == LockException.cycle_id)
        .order_by(LockException.granted_at.desc(), LockException.id.desc())
    ).all()
    return pd.DataFrame(rows, columns=["cycle", "participant", "reason", "granted_by", "granted_at", "until"])


REVISED_AFTER_CLOSE = "revised after close"


def revised_after_close(session: Session, participant: str | None = None) -> pd.DataFrame:
    """Values changed after their cycle was closed: what pages and exports mark "revised after close".

    Columns: participant, indicator, year, cycle, changed_at (UTC, the latest accepted change after
    the close), closed_at (UTC, when the cycle was first closed). One row per cell, by participant,
    indicator and year.
    """
    columns = ["participant", "indicator", "year", "cycle", "changed_at", "closed_at"]
    cycles = closed_cycles(session)
    rows: dict[tuple[str, str, int], tuple[str, dt.datetime, dt.datetime]] = {}
    for cycle in cycles:
        query = (
            select(
                ObservationRevision.participant_code,
                ObservationRevision.indicator_code,
                ObservationRevision.year,
                func.max(ObservationRevision.recorded_at),
            )
            .join(Upload, Upload.id == ObservationRevision.upload_id)
            .where(
                Upload.review_status.in_(ACCEPTED),
                ObservationRevision.year.between(cycle.first_year, cycle.last_year),
                func.coalesce(Upload.reviewed_at, ObservationRevision.recorded_at) > cycle.closed_at,
            )
            .group_by(
                ObservationRevision.participant_code,
                ObservationRevision.indicator_code,
                ObservationRevision.year,
            )
        )
        if participant is not None:
            query = query.where(ObservationRevision.participant_code == participant)
        for code, indicator, year, changed_at in session.execute(query):
            rows[(str(code), str(indicator), int(year))] = (cycle.name, changed_at, cycle.closed_at)
    return pd.DataFrame([(*key, *row) for key, row in sorted(rows.items())], columns=columns)
