"""Synthetic demonstration data: a deterministic generator, and loading or removing it as one unit.

The figures are invented. Every upload they come from is marked `synthetic`, so pages and exports
can say "Demonstration data — not real figures", and real data cannot be mixed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, func, select, tuple_
from sqlalchemy.orm import Session

from models.recording import CellValue, ChangeCounts, apply_changes, plan_changes
from models.reference import ANNUAL, CUMULATIVE
from models.tables import (
    AuditEvent,
    CycleSnapshot,
    Observation,
    ObservationRevision,
    Participant,
    ReportingCycle,
    Upload,
)

DEMO_SEED = 20121205
DEMO_FIRST_YEAR = 2012
DEMO_LAST_YEAR = 2025
DEMO_RECORDED_BY = "demo-generator"
DEMO_LABEL = "Demonstration data — not real figures"

# Victims identified per year across the Alliance, shaped after INTERPOL's published ICSE totals
# (about 3,000 identified by early 2013, 10,000 by January 2017, 30,000 by October 2022, 42,300
# later): the generated cumulative totals land in the same range. Invented, not a real series.
_ALLIANCE_ANNUAL = {
    2012: 760, 2013: 1100, 2014: 1400, 2015: 1750, 2016: 2150, 2017: 2550, 2018: 2850,
    2019: 3100, 2020: 3300, 2021: 3500, 2022: 3700, 2023: 3900, 2024: 4100, 2025: 4300,
}  # fmt: skip
_OPENING_STOCK = 2100  # identified before 2012, spread over participants


class DemoDataError(RuntimeError):
    """Demonstration data cannot be loaded or removed in the database's present state."""


@dataclass(frozen=True)
class DemoSubmission:
    """One synthetic report: a participant's values for a cycle, submitted on a given date, and the
    reason for its corrections (None when it corrects nothing)."""

    participant_code: str
    cycle_name: str
    submitted_on: dt.date
    values: tuple[CellValue, ...]
    reason: str | None = None


@dataclass(frozen=True)
class DemoCycle:
    """The parts of a reporting cycle the generator needs."""

    name: str
    deadline: dt.date
    first_year: int
    last_year: int


@dataclass
class DemoPlan:
    """The generated submissions, and the irregularities built in (for tests and documentation)."""

    submissions: list[DemoSubmission] = field(default_factory=list)
    missing: dict[str, list[int]] = field(default_factory=dict)
    filled_late: dict[str, list[int]] = field(default_factory=dict)
    revised: dict[str, int] = field(default_factory=dict)
    declining: list[str] = field(default_factory=list)


def generate_demo(participants: list[str], cycles: list[DemoCycle], seed: int = DEMO_SEED) -> DemoPlan:
    """Plausible synthetic counts for every participant, 2012-2025, as the submissions that report them.

    Deterministic for a given seed. Cumulative = previous cumulative + annual, also across
    unreported years. Built-in irregularities: missing years (some sent late in the next cycle),
    late submissions, corrected preliminary figures, and two participants whose counts decline.
    """
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    codes = sorted(participants)
    years = list(range(DEMO_FIRST_YEAR, DEMO_LAST_YEAR + 1))
    plan = DemoPlan()

    weights = {code: rng.lognormvariate(0.0, 1.0) for code in codes}
    drifts = {code: rng.gauss(0.0, 0.04) for code in codes}
    for code in rng.sample(codes, 2):
        drifts[code] = -0.22
        plan.declining.append(code)
    total_weight = sum(weights.values())

    annual: dict[str, dict[int, int]] = {}
    cumulative: dict[str, dict[int, int]] = {}
    for code in codes:
        share = weights[code] / total_weight
        stock = round(_OPENING_STOCK * share * rng.uniform(0.6, 1.4))
        annual[code], cumulative[code] = {}, {}
        for year in years:
            expected = _ALLIANCE_ANNUAL[year] * share * math.exp(drifts[code] * (year - DEMO_FIRST_YEAR))
            count = max(0, round(expected * rng.lognormvariate(0.0, 0.12)))
            stock += count
            annual[code][year] = count
            cumulative[code][year] = stock

    reporters = [code for code in codes if code not in plan.declining]
    gappy = rng.sample(reporters, 5)
    for code in gappy:
        plan.missing[code] = sorted(rng.sample(years[2:-1], rng.randint(1, 2)))
    for code in sorted(gappy)[:2]:
        plan.filled_late[code] = list(plan.missing[code])
    # One participant sends nothing for a whole cycle (Report 2020 covers 2018-2019).
    skipper = rng.choice([c for c in reporters if c not in plan.missing])
    plan.missing[skipper] = [2018, 2019]
    late_reporters = set(rng.sample(codes, 8))
    for code in rng.sample([c for c in codes if c not in plan.missing], 5):
        plan.revised[code] = rng.choice([y for y in years[1:-2] if y % 2 == 1])

    for cycle in sorted(cycles, key=lambda c: c.deadline):
        covered = [y for y in range(cycle.first_year, cycle.last_year + 1) if y in annual[codes[0]]]
        if not covered:
            continue
        for code in codes:
            send = [y for y in covered if y not in plan.missing.get(code, [])]
            reason = None  # only a correction has a reason: late figures are recorded for the first time
            # A year left out of the previous cycle arrives with this one.
            late = [y for y in plan.filled_late.get(code, []) if y < cycle.first_year and y not in send]
            if late and all(y >= cycle.first_year - 2 for y in late):
                send = late + send
            values: list[CellValue] = []
            for year in send:
                a, c = annual[code][year], cumulative[code][year]
                if plan.revised.get(code) == year and year == cycle.last_year:
                    # First sent as a preliminary undercount, corrected in the next cycle.
                    shortfall = max(1, round(a * 0.08))
                    a, c = max(0, a - shortfall), c - min(a, shortfall)
                values.append(CellValue(code, ANNUAL, year, a))
                values.append(CellValue(code, CUMULATIVE, year, c))
            revised_year = plan.revised.get(code)
            if revised_year is not None and revised_year == cycle.first_year - 1:
                values.append(CellValue(code, ANNUAL, revised_year, annual[code][revised_year]))
                values.append(CellValue(code, CUMULATIVE, revised_year, cumulative[code][revised_year]))
                reason = "Preliminary figure corrected after de-duplication (demonstration)"
            if not values:
                continue
            if code in late_reporters and rng.random() < 0.6:
                offset = rng.randint(3, 120)
            else:
                offset = -rng.randint(1, 75)
            submitted_on = cycle.deadline + dt.timedelta(days=offset)
            plan.submissions.append(DemoSubmission(code, cycle.name, submitted_on, tuple(values), reason))
    plan.submissions.sort(key=lambda s: (s.submitted_on, s.participant_code))
    return plan


def holds_demo_data(session: Session) -> bool:
    """Whether the database holds demonstration data."""
    return bool(session.scalar(select(exists().where(Upload.synthetic.is_(True)))))


def holds_real_data(session: Session) -> bool:
    """Whether the database holds any value that came from a real (not synthetic) upload."""
    real = select(ObservationRevision.id).join(Upload).where(Upload.synthetic.is_(False))
    return bool(session.scalar(select(exists(real))))


@dataclass(frozen=True)
class DemoLoadReport:
    """What loading the demonstration data did."""

    loaded: bool
    uploads: int
    counts: ChangeCounts
    message: str


def load_demo(session: Session, today: dt.date | None = None) -> DemoLoadReport:
    """Load the demonstration data into a database holding no observations.

    Does nothing when demo data is already there; refuses (DemoDataError) when real data is.
    Submissions dated after `today` are left out, as they could not have been received yet.
    """
    if holds_demo_data(session):
        return DemoLoadReport(False, 0, ChangeCounts(0, 0, 0), "demonstration data is already loaded")
    if session.scalar(select(func.count()).select_from(Observation)):
        raise DemoDataError(
            "the database holds real data; demonstration data is only loaded into an empty database"
        )
    participants = list(session.scalars(select(Participant.code)))
    cycles = [
        DemoCycle(c.name, c.deadline, c.first_year, c.last_year)
        for c in session.scalars(select(ReportingCycle))
    ]
    if not participants or not cycles:
        raise DemoDataError("load the reference data first (python -m models init-db)")
    today = today or dt.datetime.now(dt.UTC).date()
    plan = generate_demo(participants, cycles)
    inserted = revised = unchanged = uploads = 0
    for submission in plan.submissions:
        if submission.submitted_on > today:
            continue
        content = _canonical_csv(submission).encode("utf-8")
        received_at = dt.datetime.combine(submission.submitted_on, dt.time(9, 0), tzinfo=dt.UTC)
        changes = plan_changes(session, submission.values)
        counts = ChangeCounts.of(changes)
        # The reason is the corrections' alone: the values recorded for the first time carry none.
        reason = submission.reason if counts.revised else None
        upload = Upload(
            original_name=f"demo-{submission.participant_code}-{submission.cycle_name.replace(' ', '-')}.csv",
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            file_format="generated",
            layout="long",
            uploaded_by=DEMO_RECORDED_BY,
            participant_code=submission.participant_code,
            received_at=received_at,
            submitted_on=submission.submitted_on,
            outcome="loaded" if counts.inserted or counts.revised else "unchanged",
            reason=reason,
            rows_total=len({v.year for v in submission.values}),
            inserted_count=counts.inserted,
            revised_count=counts.revised,
            unchanged_count=counts.unchanged,
            error_count=0,
            report={"errors": [], "warnings": [], "note": DEMO_LABEL},
            synthetic=True,
            # Demonstration figures stand for what a secretariat has accepted (docs/metrics.md).
            review_status="accepted" if counts.inserted or counts.revised else None,
            reviewed_by=DEMO_RECORDED_BY if counts.inserted or counts.revised else None,
            reviewed_at=received_at if counts.inserted or counts.revised else None,
        )
        session.add(upload)
        session.flush()
        first_recordings = [change for change in changes if change.kind != "revise"]
        corrections = [change for change in changes if change.kind == "revise"]
        apply_changes(session, first_recordings, upload, DEMO_RECORDED_BY, received_at)
        apply_changes(session, corrections, upload, DEMO_RECORDED_BY, received_at, reason)
        inserted, revised, unchanged = (
            inserted + counts.inserted,
            revised + counts.revised,
            unchanged + counts.unchanged,
        )
        uploads += 1
    session.add(
        AuditEvent(
            actor=DEMO_RECORDED_BY,
            action="demo.load",
            subject="demonstration data",
            details={"uploads": uploads, "inserted": inserted, "revised": revised, "seed": DEMO_SEED},
        )
    )
    session.flush()
    return DemoLoadReport(
        True,
        uploads,
        ChangeCounts(inserted, revised, unchanged),
        f"loaded demonstration data: {uploads} synthetic submissions, {inserted} values, {revised} revisions",
    )


def remove_demo(session: Session, actor: str) -> int:
    """Delete every synthetic value, revision and upload; returns how many uploads were removed.

    Only demonstration data may be deleted: the database refuses to delete real revisions.
    """
    synthetic_uploads = select(Upload.id).where(Upload.synthetic.is_(True))
    cells = (
        select(
            ObservationRevision.participant_code, ObservationRevision.indicator_code, ObservationRevision.year
        )
        .where(ObservationRevision.upload_id.in_(synthetic_uploads))
        .distinct()
    )
    keys = [tuple(row) for row in session.execute(cells)]
    cell = tuple_(Observation.participant_code, Observation.indicator_code, Observation.year)
    for start in range(0, len(keys), 500):
        session.execute(delete(Observation).where(cell.in_(keys[start : start + 500])))
    session.execute(delete(ObservationRevision).where(ObservationRevision.upload_id.in_(synthetic_uploads)))
    session.execute(delete(CycleSnapshot).where(CycleSnapshot.demonstration.is_(True)))
    deleted = session.scalars(delete(Upload).where(Upload.synthetic.is_(True)).returning(Upload.id))
    removed = len(deleted.all())
    session.add(
        AuditEvent(
            actor=actor, action="demo.remove", subject="demonstration data", details={"uploads": removed}
        )
    )
    session.flush()
    return removed


def _canonical_csv(submission: DemoSubmission) -> str:
    """The submission as the long-layout CSV a liaison would have sent (for its hash and size)."""
    rows: dict[int, dict[str, int]] = {}
    for value in submission.values:
        rows.setdefault(value.year, {})[value.indicator_code] = value.value
    lines = ["country,year,identified_victims,cumulative_total"]
    for year in sorted(rows):
        row = rows[year]
        lines.append(f"{submission.participant_code},{year},{row.get(ANNUAL, '')},{row.get(CUMULATIVE, '')}")
    return "\n".join(lines) + "\n"
