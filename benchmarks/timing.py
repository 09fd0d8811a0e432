"""Measuring: medians of repeated runs, peak memory, and the machine the figures come from."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(run: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> float:
    """The median wall time of `run` over `repeat` runs; `before` (untimed) prepares each run."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_bytes(run: Callable[[], Any], before: Callable[[], Any] | None = None) -> int:
    """The peak of memory allocated by Python and numpy during one run (tracemalloc)."""
    if before is not None:
        before()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@dataclass(frozen=True)
class Machine:
    """Where and when the figures were measured."""

    cores: int
    memory_gib: float
    cpu: str
    python: str
    commit: str
    date: str


def machine() -> Machine:
    memory = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) / 1024 / 1024
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        # The report itself does not count as a change to what was measured.
        unchanged = ["git", "diff", "--quiet", "HEAD", "--", ".", ":(exclude)docs/performance.md"]
        if subprocess.run(unchanged, cwd=ROOT, check=False).returncode:
            commit += " (with uncommitted changes)"
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return Machine(
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        memory_gib=round(memory, 1),
        cpu=cpu,
        python=platform.python_version(),
        commit=commit,
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )
