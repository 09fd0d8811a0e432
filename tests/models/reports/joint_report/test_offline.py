"""The report needs no browser and no system package at run time: only what `make run` installs.

It is made in a fresh interpreter with an empty PATH (no chromium, no poppler, no program at all)
and fontconfig pointed at nothing, under an audit hook that records any program started and any
file opened from the system's font folders; afterwards the process's memory map must show no
system text library (fontconfig, FreeType, Pango, Cairo, HarfBuzz: uharfbuzz carries its own).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from models.reports.joint_report import strings
from models.settings import PROJECT_ROOT
from tests.models.reports.joint_report.poppler import read_pdf

SCRIPT = r"""
import json, sys
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "/var/cache/fontconfig")
seen = []

def audit(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if path.startswith(FONT_FOLDERS):
            seen.append(f"opened {path}")
    elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"):
        seen.append(f"{event} {args[0]!r}")
    elif event == "ctypes.dlopen" and args[0] is not None:  # None: the process itself (symbol lookup)
        seen.append(f"dlopen {args[0]!r}")

sys.addaudithook(audit)
from models.__main__ import main
code = main(["report", "--database", sys.argv[1], "--cycle", "Report 2026", "--output", sys.argv[2]])
SYSTEM = ("/usr/lib", "/lib", "/usr/local/lib")
TEXT_LIBRARIES = ("libfontconfig", "libfreetype", "libpango", "libcairo", "libharfbuzz", "chrom")
with open("/proc/self/maps") as maps:
    mapped = {line.split()[-1] for line in maps if "/" in line}
libraries = sorted(p for p in mapped if p.startswith(SYSTEM) and any(n in p for n in TEXT_LIBRARIES))
print(json.dumps({"code": code, "seen": seen, "libraries": libraries}))
"""


def test_the_report_is_made_without_any_program_system_font_or_text_library(
    poppler: None, demo_db_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "offline.pdf"
    environment = {
        "PATH": "",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(PROJECT_ROOT),
        "VID_INSTANCE_DIR": str(tmp_path),
        "FONTCONFIG_FILE": str(tmp_path / "no-fonts.conf"),
        "FONTCONFIG_PATH": str(tmp_path / "no-fontconfig"),
        "LANG": "C.UTF-8",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, demo_db_url, str(output)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "seen": [], "libraries": []}
    read = read_pdf(output)
    assert read.complaints == ""
    assert all(strings.DEMO_MARK in page for page in read.texts)
