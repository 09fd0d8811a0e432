"""Reference data: the participant register, the indicators and the reporting cycles, seeded idempotently."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.settings import PROJECT_ROOT
from models.tables import AuditEvent, Indicator, Participant, ReportingCycle

REFERENCE_DIR = PROJECT_ROOT / "reference"
PARTICIPANTS_CSV = REFERENCE_DIR / "alliance-participants.csv"
PUBLIC_FIGURES_CSV = REFERENCE_DIR / "icse-public-figures.csv"

ANNUAL = "identified_victims"
CUMULATIVE = "cumulative_identified"
#: The Alliance goal: "increase the number of identified victims in the ICSE database by at least 10% yearly".
ALLIANCE_MIN_GROWTH = Decimal("0.10")

INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "code": ANNUAL,
        "name": "Victims identified during the year",
        "unit": "victims",
        "kind": "flow",
        "description": (
            "Number of child victims identified during the calendar year and recorded in INTERPOL's "
            "ICSE database (the annual flow)."
        ),
        "min_yearly_growth": ALLIANCE_MIN_GROWTH,
    },
    {
        "code": CUMULATIVE,
        "name": "Identified victims in ICSE, cumulative",
        "unit": "victims",
        "kind": "stock",
        "description": (
            "Total number of identified victims recorded in INTERPOL's ICSE database up to the end of "
            "the calendar year (the stock)."
        ),
        "min_yearly_growth": ALLIANCE_MIN_GROWTH,
    },
)

# From the Annex, "Governance and reporting": stock-taking by 1 April 2013, then a report by
# 1 July 2014 and every second year thereafter.
STOCK_TAKING_DEADLINE = dt.date(2013, 4, 1)
FIRST_REPORT_YEAR = 2014


class ReferenceDataError(ValueError):
    """Reference data that cannot be accepted; the message says why, in plain words."""


@dataclass(frozen=True)
class CycleSpec:
    """A reporting cycle as the Alliance text defines it."""

    name: str
    kind: str
    deadline: dt.date
    first_year: int
    last_year: int


def standard_cycles(today: dt.date) -> list[CycleSpec]:
    """The cycles the Annex sets out, up to the current year: stock-taking 2013, then biennial reports."""
    cycles = [CycleSpec("Stock-taking 2013", "stock_taking", STOCK_TAKING_DEADLINE, 2012, 2012)]
    for year in range(FIRST_REPORT_YEAR, today.year + 1, 2):
        cycles.append(CycleSpec(f"Report {year}", "biennial_report", dt.date(year, 7, 1), year - 2, year - 1))
    return cycles


@dataclass(frozen=True)
class ParticipantRecord:
    """One row of the participant register."""

    code: str
    name: str
    joined_on: dt.date
    source_title: str
    source_url: str


def read_participant_register(path: Path = PARTICIPANTS_CSV) -> list[ParticipantRecord]:
    """The participant register CSV (country, iso3, joined, source_title, source_url), validated."""
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                records.append(
                    validated_participant(
                        row["iso3"], row["country"], row["joined"], row["source_title"], row["source_url"]
                    )
                )
            except ReferenceDataError as exc:
                raise ReferenceDataError(f"{path.name}, row {line}: {exc}") from exc
    return records


def is_user_assigned(code: str) -> bool:
    """Whether an alpha-3 code is one ISO 3166-1 leaves to users: AAA-AAZ, QMA-QZZ, XAA-XZZ, ZZA-ZZZ."""
    if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
        return False
    return code.startswith(("AA", "X", "ZZ")) or (code[0] == "Q" and code[1] >= "M")


def validated_participant(
    code: str, name: str, joined_on: str | dt.date, source_title: str, source_url: str
) -> ParticipantRecord:
    """A participant record after checking the ISO code, the date and that the source is given."""
    code = code.strip().upper()
    if pycountry.countries.get(alpha_3=code) is None and not is_user_assigned(code):
        raise ReferenceDataError(
            f"{code!r} is not an ISO 3166-1 alpha-3 country code (nor one of the codes ISO leaves to users, "
            "such as XKX for Kosovo)"
        )
    if isinstance(joined_on, str):
        try:
            joined_on = dt.date.fromisoformat(joined_on.strip())
        except ValueError as exc:
            raise ReferenceDataError(f"joining date {joined_on!r} is not a date (YYYY-MM-DD)") from exc
    if not name.strip():
        raise ReferenceDataError("the participant needs a name")
    if not source_title.strip() or not source_url.strip():
        raise ReferenceDataError("the joining date needs a source (title and address)")
    return ParticipantRecord(code, name.strip(), joined_on, source_title.strip(), source_url.strip())


def read_public_figures(path: Path = PUBLIC_FIGURES_CSV) -> pd.DataFrame:
    """INTERPOL's published figures. Columns: date (text, may be empty), figure, value (int),
    approximate (bool), source_title, source_url."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype("int64")
    frame["approximate"] = frame["approximate"].str.lower().eq("true")
    return frame


IDENTIFIED_VICTIMS_FIGURE = "identified_victims_cumulative"


def published_identified_totals(figures: pd.DataFrame) -> pd.DataFrame:
    """INTERPOL's published cumulative totals of identified victims, oldest first, undated ones last
    (in file order, which the reference README keeps oldest first). Same columns as read_public_figures."""
    totals = figures[figures["figure"] == IDENTIFIED_VICTIMS_FIGURE]
    dated = totals[totals["date"] != ""].sort_values("date", kind="stable")
    undated = totals[totals["date"] == ""]
    return pd.concat([dated, undated]).reset_index(drop=True)


def iso3_country_name(code: str) -> str | None:
    """The ISO 3166-1 name of an alpha-3 code, or None when it is not one (for "not found" messages)."""
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        return None
    country = pycountry.countries.get(alpha_3=code.upper())
    return None if country is None else str(country.name)


@dataclass
class SeedReport:
    """What seeding added (zero everywhere when the database already had it all)."""

    participants: int = 0
    indicators: int = 0
    cycles: int = 0


def reference_missing(session: Session, today: dt.date | None = None) -> bool:
    """Whether any participant, indicator or standard cycle that seeding adds is missing."""
    today = today or utcnow().date()
    participants = set(session.scalars(select(Participant.code)))
    indicators = set(session.scalars(select(Indicator.code)))
    cycles = set(session.scalars(select(ReportingCycle.name)))
    return (
        any(record.code not in participants for record in read_participant_register())
        or any(spec["code"] not in indicators for spec in INDICATORS)
        or any(cycle.name not in cycles for cycle in standard_cycles(today))
    )


def seed_reference(session: Session, actor: str, today: dt.date | None = None) -> SeedReport:
    """Add whatever of the register, indicators and standard cycles is missing; never changes existing rows.

    Existing rows may have been edited on purpose (a moved deadline), so seeding only inserts.
    """
    today = today or utcnow().date()
    report = SeedReport()
    known_participants = set(session.scalars(select(Participant.code)))
    for record in read_participant_register():
        if record.code not in known_participants:
            session.add(Participant(**record.__dict__))
            report.participants += 1
    known_indicators = set(session.scalars(select(Indicator.code)))
    for spec in INDICATORS:
        if spec["code"] not in known_indicators:
            session.add(Indicator(**spec))
            report.indicators += 1
    known_cycles = set(session.scalars(select(ReportingCycle.name)))
    for cycle in standard_cycles(today):
        if cycle.name not in known_cycles:
            session.add(ReportingCycle(**cycle.__dict__))
            report.cycles += 1
    if report.participants or report.indicators or report.cycles:
        session.add(
            AuditEvent(
                actor=actor, action="reference.seed", subject="reference data", details=report.__dict__
            )
        )
    session.flush()
    return report


def add_participant(session: Session, record: ParticipantRecord, actor: str) -> Participant:
    """Register a new participant; refuses a code or name already registered."""
    if session.get(Participant, record.code) is not None:
        raise ReferenceDataError(f"{record.code} is already a registered participant")
    if session.scalar(select(func.count()).where(Participant.name == record.name)):
        raise ReferenceDataError(f"a participant named {record.name!r} is already registered")
    participant = Participant(**record.__dict__)
    session.add(participant)
    session.add(
        AuditEvent(
            actor=actor,
            action="participant.add",
            subject=record.code,
            details={"name": record.name, "joined_on": record.joined_on.isoformat()},
        )
    )
    session.flush()
    return participant


def add_cycle(session: Session, spec: CycleSpec, actor: str) -> ReportingCycle:
    """Add a reporting cycle; refuses a name already used or years out of order."""
    if spec.first_year > spec.last_year:
        raise ReferenceDataError("the first year covered must not be after the last")
    if spec.kind not in ("stock_taking", "biennial_report"):
        raise ReferenceDataError(f"unknown cycle kind {spec.kind!r}")
    if session.scalar(select(func.count()).where(ReportingCycle.name == spec.name)):
        raise ReferenceDataError(f"a cycle named {spec.name!r} already exists")
    cycle = ReportingCycle(**spec.__dict__)
    session.add(cycle)
    session.add(
        AuditEvent(
            actor=actor,
            action="cycle.add",
            subject=spec.name,
            details={
                "deadline": spec.deadline.isoformat(),
                "first_year": spec.first_year,
                "last_year": spec.last_year,
            },
        )
    )
    session.flush()
    return cycle


def move_cycle(session: Session, name: str, deadline: dt.date, actor: str, reason: str) -> ReportingCycle:
    """Change a cycle's deadline (e.g. an extension), recording the old and new dates and why."""
    cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == name))
    if cycle is None:
        raise ReferenceDataError(f"no reporting cycle named {name!r}")
    if not reason.strip():
        raise ReferenceDataError("moving a deadline needs a reason")
    old = cycle.deadline
    cycle.deadline = deadline
    session.add(
        AuditEvent(
            actor=actor,
            action="cycle.move",
            subject=name,
            details={"from": old.isoformat(), "to": deadline.isoformat(), "reason": reason.strip()},
        )
    )
    session.flush()
    return cycle
