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
    in_file = {cell.value.cell: cell for cell in cells}

    def value(key: Key) -> tuple[int | None, str]:
        if key in in_file:
            return in_file[key].value.value, ""
        found = recorded.get(key)
        return found, " already recorded" if found is not None else ""

    warnings: list[tuple[int, int, Issue]] = []

    def warn(cell: FileCell, order: int, message: str) -> None:
        warnings.append((cell.row, order, Issue(cell.row, cell.column, cell.raw, message)))

    for cell in cells:
        participant, indicator, year = cell.value.cell
        current = cell.value.value
        previous, source = value((participant, indicator, year - 1))
        if not previous:
            continue
        name = COLUMN_OF[indicator]
        if current > 3 * previous:
            comparison = "more than three times"
        elif 3 * current < previous:
            comparison = "less than a third of"
        else:
            continue
        warn(
            cell,
            0,
            f"{name} {year} is {current:,}, {comparison} the {year - 1} figure{source} ({previous:,}): "
            "please check it.",
        )

    checked: set[tuple[str, int]] = set()
    for cell in cells:
        participant, indicator, year = cell.value.cell
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
            total, earlier, annual = (value(key)[0] for key in keys)
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
