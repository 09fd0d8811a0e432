"""The shipped fonts: the committed files are the ones fetch.sh pins, each with its licence."""

from __future__ import annotations

import hashlib

from models.reports.joint_report.pdf import FONT_DIR, FONTS
from models.settings import PROJECT_ROOT

LICENSES = PROJECT_ROOT / "assets" / "licenses"


def test_every_font_matches_its_checksum_in_sha256sums() -> None:
    sums = {}
    for line in (FONT_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        sums[name.removeprefix("./")] = digest
    used = {file for styles in FONTS.values() for file in styles.values()}
    assert used == set(sums) == {p.name for p in FONT_DIR.glob("*.ttf")}
    for name, digest in sums.items():
        assert hashlib.sha256((FONT_DIR / name).read_bytes()).hexdigest() == digest, name


def test_the_fetch_script_copies_the_same_fonts_and_their_licences() -> None:
    script = (FONT_DIR / "fetch.sh").read_text(encoding="utf-8")
    for name in (p.name for p in FONT_DIR.glob("*.ttf")):
        assert name in script
    for licence in ("noto-fonts-LICENSE.txt", "dejavu-fonts-LICENSE.txt"):
        assert licence in script
        assert (LICENSES / licence).is_file()
    assert "SIL Open Font License" in (LICENSES / "noto-fonts-LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream" in (LICENSES / "dejavu-fonts-LICENSE.txt").read_text(encoding="utf-8")
