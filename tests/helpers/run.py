"""Run the real `sensorium` entry point: in a subprocess, or in this process (the same launcher,
parser, commands and error printing, without paying for a new interpreter and its imports)."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def sensorium(*args: str, profile: Path | None = None, env: dict | None = None, timeout: float = 300,
              extra_path: Path | None = None) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k != "SENSORIUM_HOME"}
    e.update(env or {})
    if extra_path is not None:
        e["PYTHONPATH"] = os.pathsep.join([str(extra_path), str(REPO)])
    cmd = [sys.executable, "-m", "desktop.launcher"]
    if profile is not None:
        cmd += ["--profile-dir", str(profile)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout, env=e, cwd=REPO)


def sensorium_here(*args: str, profile: Path | None = None) -> subprocess.CompletedProcess:
    """``desktop.launcher.main`` in this process, its stdout and stderr captured; the result looks
    like ``sensorium()``'s. For tests of what a command does; what a fresh process imports is
    test_cli_basics' business."""
    from desktop.launcher import main

    argv = [*(["--profile-dir", str(profile)] if profile is not None else []), *args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = main(argv)
        except SystemExit as e:  # argparse: usage errors
            rc = e.code if isinstance(e.code, int) else 2
    return subprocess.CompletedProcess(["sensorium", *argv], rc, out.getvalue(), err.getvalue())
