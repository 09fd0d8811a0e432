"""What the joint report says, read from one session for one cycle into its view object (`view.JointReport`).

`joint_report(session, cycle_name)` reads the data once (one snapshot of the database), runs the
same pure metrics the pages and command lines use (the compliance table on both bases, the
reporting table, the Alliance trend, each year's headline counts, what it takes next year) and
keeps exact integers throughout. The document only lays out what the view holds: it does no
arithmetic on counts.

Two hooks read issue 14's closing of cycles (`models.cycles.closing`): `closed_snapshot()` (the
snapshot frozen at the close, or None while the cycle is open) and `changes_since_close()` (every
figure and status changed since); the document renders both cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from models.cycles import closing
from models.metrics.compliance import ALL, BASES, DEFAULT_BASIS, as_fraction, compliance_table
from models.metrics.exact import ceil_times
from models.metrics.headlines import YearHeadline, what_it_takes, year_headline
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
from models.reports.joint_report.view import (
    AllianceYear,
    Change,
    Cycle,
    Figures,
    JointReport,
    ParticipantReport,
    PublishedTotal,
    ReportingStatus,
    ReportingTotals,
    Requirement,
    Snapshot,
    WorkedExample,
    YearCounts,
)

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
    # each year's counts (who met, who reported, of how many) as the pages count them
    headlines = {basis: {year: year_headline(tables[basis], year) for year in years} for basis in BASES}

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
                basis: _alliance(
                    tables[basis], rows[basis].get(ALL, ()), years, growth[basis], headlines[basis]
                )
                for basis in BASES
            }
        ),
        counts=MappingProxyType(
            {(basis, year): _counts(headlines[basis][year], basis) for basis in BASES for year in years}
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
    table: pd.DataFrame,
    comparison: Sequence[Figures],
    years: Sequence[int],
    growth: Any,
    headlines: Mapping[int, YearHeadline],
) -> tuple[AllianceYear, ...]:
    participants = table[table["participant"] != ALL]
    reported = participants[participants["value"].notna()]
    totals = {int(y): sum(int(v) for v in group) for y, group in reported.groupby("year")["value"]}
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
                reporting=headlines[year].reporting,
                expected=headlines[year].expected,
                comparison=by_year[year],
                path_value=path.get(year),
            )
        )
    return tuple(out)


def _counts(headline: YearHeadline, basis: str) -> YearCounts:
    h = headline
    return YearCounts(basis, h.year, h.expected, h.reporting, h.met, h.not_met, h.no_baseline, h.missing)


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
