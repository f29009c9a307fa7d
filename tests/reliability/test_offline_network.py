"""Offline mode opens no socket: the window starting up and a chat turn in it (an audit hook refuses
and records every connect and name lookup; the command line is covered in tests/pipelines)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers.run import REPO
from tests.pipelines.test_no_network import GUARD

pytestmark = [pytest.mark.slow, pytest.mark.weights]

HOOK = GUARD.split("from desktop.launcher import main", 1)[0]

WINDOW = HOOK + r"""
from PySide6.QtCore import QTimer
from desktop.app import build_engine, make_app
from desktop.window import MainWindow
from pipelines.events import Done, Failed
from pipelines.settings import load_settings
from tests.helpers.profiles import warm_profile_at

import json
from pathlib import Path
# the test run's warm caches (converted weights), so the GGUF is not converted again
profile = warm_profile_at(Path(sys.argv[1]))
app = make_app([])
settings = load_settings(profile.settings_file).settings
settings.chat.max_new_tokens = 8
engine, _ = build_engine(settings, profile)
w = MainWindow(engine, settings, profile)
w.show()
result = {}

def on_event(_rid, ev):
    if isinstance(ev, (Done, Failed)):
        result["final"] = type(ev).__name__ + ": " + (getattr(ev, "text", "") or getattr(ev, "message", ""))
        QTimer.singleShot(50, app.quit)

w.turnEvent.connect(on_event)
QTimer.singleShot(200, lambda: w.send_text("Hello! What is the capital of France?"))
QTimer.singleShot(240000, app.quit)
app.exec()
w.controller.wait_idle(15000)
w.close()
engine.store.close()
print("RESULT", json.dumps(result), flush=True)
"""


def test_window_start_up_and_a_chat_turn_open_no_socket(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.pop("SENSORIUM_HOME", None)
    r = subprocess.run([sys.executable, "-c", WINDOW, str(tmp_path / "profile")], capture_output=True, text=True,
                       cwd=REPO, timeout=300, env=env)
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("NETWORK-ATTEMPTS"))
    attempts = json.loads(line.split(" ", 1)[1])
    assert r.returncode == 0, r.stderr[-2000:]
    result = json.loads(next(ln for ln in r.stdout.splitlines() if ln.startswith("RESULT")).split(" ", 1)[1])
    assert result.get("final", "").startswith("Done"), result
    assert attempts == []
