"""Hostile files benchmark: files shaped to be slow, at two sizes each, against well-formed ones of a size.

The shapes are those of an independent attack (issue 12): JSON objects each with a key of their
own, an XLSX cell far to the right on every row, a CSV with thousands of empty headings, a CSV of
bad rows. Each goes through `data_ingest.load.load_file` as an upload would (a refused file is
recorded); the well-formed file of the same format and size is loaded into an empty database.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from benchmarks.ingest import YEARS, backend_engine, csv_file, synthetic_codes
from benchmarks.timing import median_seconds, peak_bytes
from data_ingest.load import load_file

REPEAT = 3


@dataclass(frozen=True)
class HostileResult:
    shape: str
    size: str
    file_bytes: int
    status: str
    seconds: float
    peak_bytes: int
    well_formed_bytes: int
    well_formed_seconds: float
    well_formed_peak_bytes: int

    @property
    def time_ratio(self) -> float:
        return self.seconds / self.well_formed_seconds

    @property
    def memory_ratio(self) -> float:
        return self.peak_bytes / self.well_formed_peak_bytes


def json_own_keys(objects: int) -> bytes:
    """`[{"k0": 1}, {"k1": 1}, ...]`: every object brings a column of its own."""
    return json.dumps([{f"k{i}": 1} for i in range(objects)]).encode()


def xlsx_far_right(rows: int) -> bytes:
    """A header, then one cell at column ZZZ on each of `rows` rows."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Figures")
    sheet.append(["country", "year", "identified_victims"])
    far = [None] * 18277 + [1]  # column ZZZ is the 18,278th
    for _ in range(rows):
        sheet.append(far)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_empty_headings(count: int) -> bytes:
    """`count` empty headings before `notes`, then `count` short rows."""
    rows = "".join(f"DEU,{2000 + i % 25},{i}\n" for i in range(count))
    return ("," * count + "notes\n" + rows).encode()


def csv_bad_rows(size: int) -> bytes:
    """About `size` bytes of rows that are wrong in every cell: an unknown country, a year, a count."""
    lines = ["country,year,identified_victims"]
    total, index = 0, 0
    while total < size:
        line = f"X{index},20x4,-{index}"
        lines.append(line)
        total += len(line) + 1
        index += 1
    return ("\n".join(lines) + "\n").encode()


def _rows_of(codes: list[str], rows: int) -> list[tuple[str, int, int, int]]:
    out = []
    for index, code in enumerate(codes):
        total = 100 + index % 400
        for offset, year in enumerate(YEARS):
            annual = 20 + (index % 50) + offset * 2
            total += annual
            out.append((code, year, annual, total))
            if len(out) == rows:
                return out
    return out


def well_formed_json(codes: list[str], size: int) -> bytes:
    rows = _rows_of(codes, size // 60 + 1)
    objects = [
        {"country": c, "year": y, "identified_victims": a, "cumulative_total": t} for c, y, a, t in rows
    ]
    text = json.dumps(objects)
    while len(text) > size and len(objects) > 1:  # trim to the size (a few objects at most)
        objects = objects[: max(1, int(len(objects) * size / len(text)))]
        text = json.dumps(objects)
    return text.encode()


def well_formed_xlsx(codes: list[str], size: int) -> bytes:
    from openpyxl import Workbook

    def book_of(rows: int) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Figures")
        sheet.append(["country", "year", "identified_victims", "cumulative_total"])
        for row in _rows_of(codes, rows):
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    rows = 1000
    content = book_of(rows)
    for _ in range(4):  # zipped size is nearly linear in rows: a few steps reach the size
        rows = max(1, int(rows * size / len(content)))
        content = book_of(rows)
    return content


def well_formed_csv(codes: list[str], size: int) -> bytes:
    content = csv_file(codes, size // 10 + 1)
    return content[: content.rfind(b"\n", 0, size) + 1]


SHAPES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("JSON, each object with a key of its own", "N = 8,000", lambda: json_own_keys(8000), "json"),
    ("JSON, each object with a key of its own", "N = 16,000", lambda: json_own_keys(16000), "json"),
    ("XLSX, one cell at column ZZZ on each row", "4,000 rows", lambda: xlsx_far_right(4000), "xlsx"),
    ("XLSX, one cell at column ZZZ on each row", "8,000 rows", lambda: xlsx_far_right(8000), "xlsx"),
    ("CSV, N empty headings before notes, N rows", "N = 8,000", lambda: csv_empty_headings(8000), "csv"),
    ("CSV, N empty headings before notes, N rows", "N = 16,000", lambda: csv_empty_headings(16000), "csv"),
    ("CSV of bad rows (every cell wrong)", "0.5 MB", lambda: csv_bad_rows(500_000), "csv"),
    ("CSV of bad rows (every cell wrong)", "1 MB", lambda: csv_bad_rows(1_000_000), "csv"),
]
WELL_FORMED = {"json": well_formed_json, "xlsx": well_formed_xlsx, "csv": well_formed_csv}


def run(repeat: int = REPEAT) -> list[HostileResult]:
    """Every shape at its two sizes, on SQLite (the database does little: the files are refused)."""
    codes = synthetic_codes(-(-100_000 // len(YEARS)))
    results = []
    with backend_engine("sqlite", None) as (engine, reset):
        for shape, size, build, file_format in SHAPES:
            hostile = build()
            good = WELL_FORMED[file_format](codes, len(hostile))
            name = f"bench.{file_format}"
            outcome: dict[str, str] = {}

            def send(
                content: bytes,
                kind: str,
                engine: Engine = engine,
                name: str = name,
                outcome: dict[str, str] = outcome,
            ) -> None:
                outcome[kind] = load_file(engine, content, name, user="bench").status

            memory = peak_bytes(lambda h=hostile: send(h, "hostile"), before=reset)
            good_memory = peak_bytes(lambda g=good: send(g, "good"), before=reset)
            assert outcome == {"hostile": "rejected", "good": "loaded"}, (shape, outcome)
            seconds = median_seconds(lambda h=hostile: send(h, "hostile"), repeat, before=reset)
            good_seconds = median_seconds(lambda g=good: send(g, "good"), repeat, before=reset)
            results.append(
                HostileResult(
                    shape, size, len(hostile), outcome["hostile"], seconds, memory, len(good), good_seconds,
                    good_memory,
                )
            )  # fmt: skip
    return results


def growth(results: list[HostileResult]) -> dict[str, float]:
    """Per shape, how much the time grows from its smaller to its larger file, per doubling of the size."""
    import math

    by_shape: dict[str, list[HostileResult]] = {}
    for result in results:
        by_shape.setdefault(result.shape, []).append(result)
    out = {}
    for shape, pair in by_shape.items():
        small, large = sorted(pair, key=lambda r: r.file_bytes)
        doublings = math.log2(large.file_bytes / small.file_bytes)
        out[shape] = (large.seconds / small.seconds) ** (1 / doublings)
    return out
