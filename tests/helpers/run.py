"""Run the real `sensorium` entry point in a subprocess."""
from __future__ import annotations

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
