"""Plausibility checks: warnings (never errors) on figures a liaison would want to look at twice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from data_ingest.columns import COLUMN_OF
from data_ingest.report import Issue
from data_ingest.schemas import FileCell
from models.reference import ANNUAL, CUMULATIVE

Key = tuple[str, str, int]


def plausibility_warnings(cells: Sequence[FileCell], recorded: Mapping[Key, int]) -> list[Issue]:
    """Warnings for the file's values, compared with the file itself and with the recorded values.

    - a value more than three times, or less than a third of, the previous year's (same indicator);
    - a cumulative total that is not the previous year's total plus the year's identified victims.
    The file's own values take precedence over recorded ones. Ordered by row.
    """
    # Plain dicts and tuples, looked up inline: a large file has hundreds of thousands of values.
    in_file: dict[Key, FileCell] = {}
    in_values: dict[Key, int] = {}
    for cell in cells:
        given = cell.value
        key = given.cell
        in_file[key] = cell
        in_values[key] = given.value
    recorded_value = recorded.get

    def value(key: Key) -> int | None:
        found = in_values.get(key)
        return recorded_value(key) if found is None else found

    warnings: list[tuple[int, int, Issue]] = []

    def warn(cell: FileCell, order: int, message: str) -> None:
        warnings.append((cell.row, order, Issue(cell.row, cell.column, cell.raw, message)))

    for cell in cells:
        given = cell.value
        participant, indicator, year, current = (
            given.participant_code,
            given.indicator_code,
            given.year,
            given.value,
        )
        earlier_key = (participant, indicator, year - 1)
        previous = in_values.get(earlier_key)
        source = ""
        if previous is None:
            previous = recorded_value(earlier_key)
            source = " already recorded"
        if not previous:
            continue
        if current > 3 * previous:
            comparison = "more than three times"
        elif 3 * current < previous:
            comparison = "less than a third of"
        else:
            continue
        warn(
            cell,
            0,
            f"{COLUMN_OF[indicator]} {year} is {current:,}, {comparison} the {year - 1} figure{source} "
            f"({previous:,}): please check it.",
        )

    checked: set[tuple[str, int]] = set()
    for cell in cells:
        given = cell.value
        participant, indicator, year = given.cell
        # A cumulative total is also the starting point of the next year's.
        years = (year, year + 1) if indicator == CUMULATIVE else (year,)
        for checked_year in years:
            if (participant, checked_year) in checked:
                continue
            keys = (
                (participant, CUMULATIVE, checked_year),
                (participant, CUMULATIVE, checked_year - 1),
                (participant, ANNUAL, checked_year),
            )
            total, earlier, annual = value(keys[0]), value(keys[1]), value(keys[2])
            if total is None or earlier is None or annual is None:
                continue
            checked.add((participant, checked_year))
            if total == earlier + annual:
                continue
            anchor = next(in_file[key] for key in keys if key in in_file)
            warn(
                anchor,
                1,
                f"cumulative_total {checked_year} ({total:,}) is not cumulative_total {checked_year - 1} "
                f"({earlier:,}) plus identified_victims {checked_year} ({annual:,}) = {earlier + annual:,}: "
                "please check it.",
            )
    warnings.sort(key=lambda item: (item[0], item[1]))
    return [issue for _row, _order, issue in warnings]
