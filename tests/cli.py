"""Running a command line in the test process: `main(argv)` with its own standard streams, as a shell would.

Same code as `python -m ...`, without starting an interpreter (a second or more per call). Only what
needs a real process (a closed pipe, a kill, what importing does to a fresh interpreter) starts one.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import chdir, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from models.cli import Main


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


def invoke(main: Main, *args: str, stdin: str = "", cwd: Path | str | None = None) -> Result:
    """`main(args)` with standard input `stdin` (not a terminal: read, never prompted) and its
    output collected; in `cwd` if given. argparse's usage errors come back as exit status 2."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")  # .buffer, for binary output
    err = io.StringIO()
    previous_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with chdir(cwd or os.getcwd()), redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        sys.stdin = previous_stdin
    out.flush()
    data = out.buffer.getvalue()  # type: ignore[attr-defined]
    return Result(code, data.decode("utf-8", errors="replace"), err.getvalue(), data)
