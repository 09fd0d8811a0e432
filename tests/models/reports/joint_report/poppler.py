"""Reading a PDF as a reader's tools do: poppler's pdfinfo, pdftotext and pdftoppm (Debian's poppler-utils).

Without poppler the report tests skip with the reason, except with CI=true, where they fail: CI
installs poppler-utils, so a missing pdftotext there is a broken set-up, never a silent pass.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI

TOOLS = ("pdfinfo", "pdftotext", "pdftoppm")
#: pdftotext wraps right-to-left runs in these embedding controls: not part of the text.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f"))


def require_poppler() -> None:
    """Skip (fail under CI=true) unless pdfinfo, pdftotext and pdftoppm are on PATH."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not found (apt-get install poppler-utils)"
        if IN_CI:
            pytest.fail(f"the PDF report tests are required in CI: {reason}", pytrace=False)
        pytest.skip(reason)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=True)


@dataclass(frozen=True)
class ReadPdf:
    """A PDF as poppler reads it: its page count, each page's text (plain and laid out), and what
    poppler complained about (a page that lost its font shows up here)."""

    path: Path
    pages: int
    texts: tuple[str, ...]
    layouts: tuple[str, ...]
    complaints: str

    def page(self, number: int) -> str:
        """The text of page `number` (counted from 1)."""
        return self.texts[number - 1]

    def everything(self) -> str:
        """All the text, one space between words."""
        return squash(" ".join(self.texts))

    def pages_with(self, text: str) -> list[int]:
        return [n for n, page in enumerate(self.texts, start=1) if text in squash(page)]

    def contents(self) -> dict[str, int]:
        """The contents' lines, "Name ........ 12", as name → page (from the pages after the title)."""
        entries: dict[str, int] = {}
        for layout in self.layouts[1:6]:
            for line in layout.splitlines():
                match = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", line)
                if match:
                    entries[squash(match.group(1))] = int(match.group(2))
        return entries


def squash(text: str) -> str:
    """One space between words; none before Arabic combining marks (poppler splits them off)."""
    text = re.sub(r"\s+", " ", text.translate(BIDI_CONTROLS)).strip()
    return re.sub(r" (?=[\u064b-\u065f])", "", text)


def read_pdf(path: Path) -> ReadPdf:
    """Read `path` with poppler (one pdftotext run per mode; pages are split at form feeds)."""
    info = _run("pdfinfo", str(path))
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found, info.stdout
    pages = int(found.group(1))
    plain = _run("pdftotext", str(path), "-")
    layout = _run("pdftotext", "-layout", str(path), "-")
    texts = tuple(plain.stdout.translate(BIDI_CONTROLS).split("\f")[:pages])
    layouts = tuple(layout.stdout.translate(BIDI_CONTROLS).split("\f")[:pages])
    assert len(texts) == pages, (len(texts), pages)
    return ReadPdf(path, pages, texts, layouts, (info.stderr + plain.stderr + layout.stderr).strip())


def render_png(path: Path, page: int, target: Path, dpi: int = 60) -> Path:
    """Page `page` of the PDF as a PNG at `target` (pdftoppm, anti-aliased as a viewer shows it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = target.with_suffix("")
    _run(
        "pdftoppm",
        "-f",
        str(page),
        "-l",
        str(page),
        "-r",
        str(dpi),
        "-png",
        "-singlefile",
        str(path),
        str(stem),
    )
    return target
