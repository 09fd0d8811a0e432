"""What the joint report says, as one frozen view object (`JointReport`), read from one session for one cycle.

`joint_report(session, cycle_name)` reads the data once (one snapshot of the database), runs the
same pure metrics the pages and command lines use (the compliance table on both bases, the
reporting table, the Alliance trend, what it takes next year) and keeps exact integers throughout.
The document only lays out what this object holds: it does no arithmetic on counts.

Two hooks read issue 14's closing of cycles (`models.cycles.closing`): `closed_snapshot()` (the
snapshot frozen at the close, or None while the cycle is open) and `changes_since_close()` (every
figure and status changed since); the document renders both cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from models.cycles import closing
from models.metrics.compliance import ALL, BASES, DEFAULT_BASIS, as_fraction, compliance_table
from models.metrics.exact import ceil_times
from models.metrics.headlines import what_it_takes
from models.metrics.reporting import reporting_summary, reporting_table
from models.metrics.service import BASIS_INDICATORS
from models.queries import (
    cycles_frame,
    dataset_status,
    first_reported_frame,
    indicator_growth,
    participants_frame,
    values_frame,
)
from models.reference import ANNUAL, published_identified_totals, read_public_figures

#: The examples of docs/metrics.md ("Worked examples") the method section works through, as
#: (previous year, year, previous value, value). Their status and required value are computed by
#: the compliance table itself, so the report can never disagree with the metric.
WORKED_EXAMPLES = (
    (2014, 2015, 100, 110),
    (2014, 2015, 1000, 1099),
    (2014, 2015, 33, 36),
    (2013, 2015, 100, 121),
    (2014, 2015, 0, 5),
)


class ReportError(LookupError):
    """A report that cannot be made (an unknown cycle); the message says why in plain words."""


@dataclass(frozen=True)
class Cycle:
    """The reporting cycle the report is for."""

    name: str
    kind: str
    deadline: dt.date
    first_year: int
    last_year: int

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years the cycle covers."""
        return tuple(range(self.first_year, self.last_year + 1))


@dataclass(frozen=True)
class Snapshot:
    """A closed cycle's frozen snapshot (issue 14): the SHA-256 of its canonical CSV, when and by whom."""

    sha256: str
    closed_at: dt.datetime
    closed_by: str
    data_version: int | None = None


@dataclass(frozen=True)
class Change:
    """A figure or status changed since the cycle was closed (issue 14).

    The fields are those of a `python -m models.metrics changes --since-close NAME --format json`
    row: `old`/`new` are counts for a figure, status codes ("met") for a status.
    """

    participant: str
    year: int
    basis: str
    old: int | str | None
    new: int | str | None
    changed_by: str
    changed_at: dt.datetime
    reason: str | None = None


@dataclass(frozen=True)
class Figures:
    """One row of the compliance table (a participant, or the Alliance, in one year on one basis).

    Counts are exact integers; `growth` is for showing only (the status is decided exactly).
    `participants` is set on Alliance rows: how many participants the figure covers.
    """

    year: int
    value: int | None
    previous_year: int | None
    previous_value: int | None
    gap_years: int | None
    required_value: int | None
    growth: float | None
    status: str
    progress: str | None
    path_value: int | None
    on_path: bool | None
    participants: int | None


@dataclass(frozen=True)
class AllianceYear:
    """The Alliance in one year on one basis.

    `total` is the plain total of every value reported that year, over `reporting` of `expected`
    participants (the trend line); `comparison` is the like-for-like (balanced panel) row that
    decides the Alliance's status; `path_value` is the 10% path from the first year's total.
    """

    year: int
    total: int | None
    reporting: int
    expected: int
    comparison: Figures
    path_value: int | None

    @property
    def panel(self) -> int | None:
        """Participants in the comparison (those reporting this year and the year before), if judged."""
        judged = self.comparison.status in ("met", "not_met")
        return self.comparison.participants if judged else None

    @property
    def thin(self) -> bool:
        """Whether the comparison covers fewer than half of the expected participants: then the
        report says so and shows no bare ✓."""
        return self.panel is not None and 2 * self.panel < self.expected


@dataclass(frozen=True)
class Requirement:
    """What a participant needs in `target_year` on one basis: at least `required_value`."""

    target_year: int
    from_year: int
    from_value: int
    gap_years: int
    required_value: int
    increase: int


@dataclass(frozen=True)
class ReportingStatus:
    """A participant's reporting for the cycle: on_time, late, incomplete or missing."""

    status: str
    years_covered: int
    years_reported: int
    missing_years: tuple[int, ...]
    reported_on: dt.date | None
    days_late: int | None


@dataclass(frozen=True)
class ParticipantReport:
    """One participant's section: its rows on both bases, its reporting, what it takes next year."""

    code: str
    name: str
    joined_on: dt.date | None
    figures: Mapping[str, tuple[Figures, ...]]
    reporting: ReportingStatus | None  # None: not expected in this cycle (joined after its deadline)
    next_year: Mapping[str, Requirement | None]

    def row(self, basis: str, year: int) -> Figures | None:
        """The participant's row for a basis and year, or None when it has none (not yet joined)."""
        for figures in self.figures[basis]:
            if figures.year == year:
                return figures
        return None

    def latest(self, basis: str) -> Figures | None:
        """The latest row with a value on a basis, or None."""
        reported = [f for f in self.figures[basis] if f.value is not None]
        return reported[-1] if reported else None


@dataclass(frozen=True)
class YearCounts:
    """How the participants did in one year on one basis: met + not_met + no_baseline + missing = expected."""

    basis: str
    year: int
    expected: int
    reporting: int
    met: int
    not_met: int
    no_baseline: int
    missing: int


@dataclass(frozen=True)
class ReportingTotals:
    """The cycle's reporting: expected participants and how many were on time, late, incomplete, missing.

    completeness = (on_time + late) / expected; timeliness = on_time / expected.
    """

    expected: int
    on_time: int
    late: int
    incomplete: int
    missing: int

    @property
    def complete(self) -> int:
        """Participants that reported every covered year, on time or late (completeness' numerator)."""
        return self.on_time + self.late


@dataclass(frozen=True)
class PublishedTotal:
    """One of INTERPOL's published cumulative totals of identified victims, with its source."""

    date: str  # ISO date as far as the source gives it ("2013-01"), or "" when undated
    value: int
    approximate: bool
    source_title: str
    source_url: str


@dataclass(frozen=True)
class WorkedExample:
    """One of docs/metrics.md's worked examples, judged by the compliance table."""

    previous_year: int
    year: int
    previous_value: int
    value: int
    required_value: int
    status: str
    goal: Fraction

    @property
    def gap_years(self) -> int:
        return self.year - self.previous_year

    @property
    def sides(self) -> tuple[int, int, int, int]:
        """docs/metrics.md's whole-number check, value × d^gap ≥ previous × n^gap for 1 + g = n/d:
        (d^gap, value × d^gap, n^gap, previous × n^gap); for g = 10%, powers of 10 and 11."""
        ratio = 1 + self.goal
        d, n = ratio.denominator**self.gap_years, ratio.numerator**self.gap_years
        return d, self.value * d, n, self.previous_value * n


@dataclass(frozen=True)
class JointReport:
    """Everything the joint report of one cycle shows; built by `joint_report()`, drawn by `document`.

    `years` are the years the report covers: from the first year with any value up to the cycle's
    last year. `snapshot` and `changes_since_close` are issue 14's: None and () while the cycle is
    not closed (and until the hooks are wired).
    """

    cycle: Cycle
    as_at: dt.datetime
    data_version: int
    demonstration: bool
    goal: Fraction
    years: tuple[int, ...]
    participants: tuple[ParticipantReport, ...]
    alliance: Mapping[str, tuple[AllianceYear, ...]]
    counts: Mapping[tuple[str, int], YearCounts]
    reporting: ReportingTotals
    published: tuple[PublishedTotal, ...]
    examples: tuple[WorkedExample, ...]
    snapshot: Snapshot | None = None
    changes_since_close: tuple[Change, ...] = ()

    @property
    def closed(self) -> bool:
        return self.snapshot is not None

    def alliance_year(self, basis: str, year: int) -> AllianceYear | None:
        for row in self.alliance[basis]:
            if row.year == year:
                return row
        return None

    def revised(self, participant: str, year: int, basis: str) -> bool:
        """Whether this participant's figure for the year and basis changed since the close."""
        return any(
            c.participant == participant and c.year == year and c.basis == basis
            for c in self.changes_since_close
        )


# -- issue 14's hooks ---------------------------------------------------------------------------


def closed_snapshot(session: Session, cycle: str) -> Snapshot | None:
    """The snapshot frozen when `cycle` was closed (models.cycles.closing), or None while it is open."""
    for record in reversed(closing.list_snapshots(session)):
        if record.cycle == cycle:
            return Snapshot(record.sha256, record.closed_at, record.closed_by, record.data_version)
    return None


def changes_since_close(session: Session, cycle: str) -> tuple[Change, ...]:
    """Every figure and status changed since `cycle` was closed, oldest first (() while it is open)."""
    if closed_snapshot(session, cycle) is None:
        return ()
    return tuple(
        Change(c.participant, c.year, c.basis, c.old, c.new, c.changed_by, c.changed_at, c.reason)
        for c in closing.changes_since_close(session, cycle)
    )


# -- assembling ---------------------------------------------------------------------------------


def joint_report(session: Session, cycle_name: str) -> JointReport:
    """The joint report of the cycle named `cycle_name`, from what the session's database holds now.

    Raises ReportError for an unknown cycle (the message lists the known ones).
    """
    cycles = cycles_frame(session)
    match = cycles[cycles["name"] == cycle_name]
    if match.empty:
        known = ", ".join(str(name) for name in cycles["name"])
        raise ReportError(f"no reporting cycle named {cycle_name!r} (known: {known})")
    first = match.iloc[0]
    cycle = Cycle(
        str(first["name"]),
        str(first["kind"]),
        pd.Timestamp(first["deadline"]).date(),
        int(first["first_year"]),
        int(first["last_year"]),
    )
    status = dataset_status(session)
    register = participants_frame(session)
    values = {basis: values_frame(session, BASIS_INDICATORS[basis]) for basis in BASES}
    goal = as_fraction(indicator_growth(session, BASIS_INDICATORS[DEFAULT_BASIS]))
    growth = {basis: indicator_growth(session, BASIS_INDICATORS[basis]) for basis in BASES}

    reported_years = [int(y) for frame in values.values() for y in frame["year"] if y <= cycle.last_year]
    first_year = min([*reported_years, cycle.first_year])
    years = tuple(range(first_year, cycle.last_year + 1))
    tables = {
        basis: compliance_table(values[basis], register, growth[basis], basis, first_year, cycle.last_year)
        for basis in BASES
    }

    reporting = reporting_table(cycles, register, first_reported_frame(session, ANNUAL))
    reporting = reporting[reporting["cycle"] == cycle.name]
    totals = reporting_summary(cycles[cycles["name"] == cycle.name], reporting)

    names = dict(zip(register["code"].astype(str), register["name"].astype(str), strict=True))
    joined = dict(zip(register["code"].astype(str), register["joined_on"], strict=True))
    codes = set(reporting["participant"].astype(str))
    for table in tables.values():
        codes |= set(table.loc[table["participant"] != ALL, "participant"].astype(str))
    by_reporting = {str(row["participant"]): _reporting_status(row) for _, row in reporting.iterrows()}
    rows = {basis: _rows_by_participant(table) for basis, table in tables.items()}
    # what_it_takes() filters the table it is given: hand it each participant's rows only, so that a
    # hundred participants cost a hundred small look-ups, not a hundred scans of the whole table
    own = {
        basis: {str(code): group for code, group in table.groupby("participant", sort=False)}
        for basis, table in tables.items()
    }
    participants = tuple(
        sorted(
            (
                ParticipantReport(
                    code=code,
                    name=names.get(code, code),
                    joined_on=joined.get(code),
                    figures=MappingProxyType({basis: rows[basis].get(code, ()) for basis in BASES}),
                    reporting=by_reporting.get(code),
                    next_year=MappingProxyType(
                        {
                            basis: _requirement(
                                own[basis].get(code), code, growth[basis], cycle.last_year + 1
                            )
                            for basis in BASES
                        }
                    ),
                )
                for code in codes
            ),
            key=lambda p: (p.name.casefold(), p.code),
        )
    )
    summary = totals.iloc[0] if len(totals) else None
    return JointReport(
        cycle=cycle,
        as_at=status.updated_at,
        data_version=status.version,
        demonstration=status.demo,
        goal=goal,
        years=years,
        participants=participants,
        alliance=MappingProxyType(
            {
                basis: _alliance(tables[basis], rows[basis].get(ALL, ()), years, growth[basis])
                for basis in BASES
            }
        ),
        counts=MappingProxyType(
            {(basis, year): _counts(tables[basis], basis, year) for basis in BASES for year in years}
        ),
        reporting=ReportingTotals(
            *(int(summary[k]) if summary is not None else 0 for k in ReportingTotals.__dataclass_fields__)
        ),
        published=tuple(
            PublishedTotal(
                str(r.date), int(r.value), bool(r.approximate), str(r.source_title), str(r.source_url)
            )
            for r in published_identified_totals(read_public_figures()).itertuples(index=False)
        ),
        examples=worked_examples(goal),
        snapshot=closed_snapshot(session, cycle.name),
        changes_since_close=changes_since_close(session, cycle.name),
    )


def _value(value: Any) -> Any:
    """A cell as Python: None for a null (pd.NA, NaN), numpy scalars as int/float/bool."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _figures(record: Mapping[str, Any]) -> Figures:
    v = {k: _value(record[k]) for k in Figures.__dataclass_fields__}
    ints = ("value", "previous_year", "previous_value", "gap_years", "required_value", "path_value")
    return Figures(
        year=int(v["year"]),
        **{k: None if v[k] is None else int(v[k]) for k in ints},
        growth=v["growth"],
        status=str(v["status"]),
        progress=None if v["progress"] is None else str(v["progress"]),
        on_path=v["on_path"],
        participants=None if v["participants"] is None else int(v["participants"]),
    )


def _rows_by_participant(table: pd.DataFrame) -> dict[str, tuple[Figures, ...]]:
    out: dict[str, list[Figures]] = {}
    for record in table.to_dict("records"):
        out.setdefault(str(record["participant"]), []).append(_figures(record))
    return {code: tuple(sorted(rows, key=lambda f: f.year)) for code, rows in out.items()}


def _alliance(
    table: pd.DataFrame, comparison: Sequence[Figures], years: Sequence[int], growth: Any
) -> tuple[AllianceYear, ...]:
    participants = table[table["participant"] != ALL]
    reported = participants[participants["value"].notna()]
    totals = {int(y): sum(int(v) for v in group) for y, group in reported.groupby("year")["value"]}
    reporting = reported.groupby("year").size().to_dict()
    expected = participants.groupby("year").size().to_dict()
    by_year = {f.year: f for f in comparison}
    start = next((y for y in years if y in totals), None)
    path: dict[int, int] = {}
    if start is not None:
        later = np.array([y - start for y in years if y >= start], dtype=np.int64)
        base = np.full(len(later), totals[start], dtype=np.int64)
        path = dict(
            zip(
                [y for y in years if y >= start],
                (int(v) for v in ceil_times(base, 1 + as_fraction(growth), later)),
                strict=True,
            )
        )
    out = []
    for year in years:
        if year not in by_year:
            continue
        out.append(
            AllianceYear(
                year=year,
                total=totals.get(year),
                reporting=int(reporting.get(year, 0)),
                expected=int(expected.get(year, 0)),
                comparison=by_year[year],
                path_value=path.get(year),
            )
        )
    return tuple(out)


def _counts(table: pd.DataFrame, basis: str, year: int) -> YearCounts:
    rows = table[(table["participant"] != ALL) & (table["year"] == year)]
    counts = rows["status"].value_counts()
    return YearCounts(
        basis=basis,
        year=year,
        expected=len(rows),
        reporting=int(rows["value"].notna().sum()),
        met=int(counts.get("met", 0)),
        not_met=int(counts.get("not_met", 0)),
        no_baseline=int(counts.get("no_baseline", 0)),
        missing=int(counts.get("missing", 0)),
    )


def _reporting_status(row: pd.Series) -> ReportingStatus:
    missing = str(row["missing_years"] or "")
    reported_on = _value(row["reported_on"])
    days_late = _value(row["days_late"])
    return ReportingStatus(
        status=str(row["status"]),
        years_covered=int(row["years_covered"]),
        years_reported=int(row["years_reported"]),
        missing_years=tuple(int(y) for y in missing.split(", ") if y),
        reported_on=pd.Timestamp(reported_on).date() if reported_on is not None else None,
        days_late=None if days_late is None else int(days_late),
    )


def _requirement(table: pd.DataFrame | None, code: str, growth: Any, target_year: int) -> Requirement | None:
    found = None if table is None else what_it_takes(table, code, growth, target_year)
    if found is None:
        return None
    return Requirement(
        found.target_year,
        found.from_year,
        found.from_value,
        found.gap_years,
        found.required_value,
        found.increase,
    )


def worked_examples(goal: Fraction) -> tuple[WorkedExample, ...]:
    """docs/metrics.md's worked examples (WORKED_EXAMPLES), each judged by the compliance table."""
    codes = [f"X{index:02d}" for index in range(len(WORKED_EXAMPLES))]
    values = pd.DataFrame(
        [
            row
            for code, (before, year, previous, value) in zip(codes, WORKED_EXAMPLES, strict=True)
            for row in ((code, before, previous), (code, year, value))
        ],
        columns=["participant", "year", "value"],
    )
    register = pd.DataFrame({"code": codes, "joined_on": [dt.date(2000, 1, 1)] * len(codes)})
    table = compliance_table(values, register, goal, DEFAULT_BASIS, aggregate=False).set_index(
        ["participant", "year"]
    )
    out = []
    for code, (before, year, previous, value) in zip(codes, WORKED_EXAMPLES, strict=True):
        row = table.loc[(code, year)]
        out.append(
            WorkedExample(before, year, previous, value, int(row["required_value"]), str(row["status"]), goal)
        )
    return tuple(out)
