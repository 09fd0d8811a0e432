"""The joint report's frozen view object, `JointReport`, and the parts it is made of (no database here).

`data.joint_report()` builds one from a session and a cycle name; `document` and `workbook` draw it.
Counts are exact integers throughout; the document does no arithmetic on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


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
    """Everything the joint report of one cycle shows; built by `data.joint_report()`, drawn by `document`.

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
