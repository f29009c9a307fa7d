"""Crash safety: the app is killed with SIGKILL while a reply streams and while an image is being
generated (and while settings are being saved). On restart the history passes PRAGMA
integrity_check, everything finished before the kill is there, the cut-off reply is marked
interrupted, settings load cleanly, and no temporary file is left in the profile."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipelines.history import HistoryStore
from pipelines.paths import Profile
from tests.helpers.run import REPO, sensorium

pytestmark = [pytest.mark.slow, pytest.mark.weights, pytest.mark.tiny, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

TEMP_MARKERS = (".tmp", ".part", ".pid")


def temp_files(root: Path) -> list[Path]:
    """Leftover temporary files anywhere in the profile (SQLite's own -wal/-shm are not temp files:
    they are part of the database until the next clean close)."""
    out = []
    for p in root.rglob("*"):
        name = p.name
        if name.endswith(("-wal", "-shm")):
            continue
        if any(m in name for m in TEMP_MARKERS) or name.startswith(".tmp"):
            out.append(p)
    return out


class Watch:
    """Reads a child's stdout/stderr on threads; ``wait_for`` blocks until a condition holds."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.out: list[str] = []
        self.err: list[str] = []
        self._threads = [threading.Thread(target=self._pump, args=(proc.stdout, self.out), daemon=True),
                         threading.Thread(target=self._pump, args=(proc.stderr, self.err), daemon=True)]
        for t in self._threads:
            t.start()

    @staticmethod
    def _pump(stream, sink):
        while True:
            chunk = stream.read1(256) if hasattr(stream, "read1") else stream.read(1)
            if not chunk:
                return
            sink.append(chunk.decode("utf-8", "replace"))

    def text(self, which="out") -> str:
        return "".join(self.out if which == "out" else self.err)

    def wait_for(self, cond, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"the process ended (rc {self.proc.returncode}) before {what}:\n"
                                     f"{self.text('err')[-2000:]}")
            time.sleep(0.05)
        self.proc.kill()
        raise AssertionError(f"timed out waiting for {what}:\n{self.text('err')[-2000:]}")

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        for t in self._threads:
            t.join(5)
        assert self.proc.returncode == -signal.SIGKILL


def popen(args: list[str], env: dict | None = None) -> subprocess.Popen:
    e = {k: v for k, v in os.environ.items() if k != "SENSORIUM_HOME"}
    e.update(env or {})
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=e)


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as c:
        return c.execute("PRAGMA integrity_check").fetchone()[0]


def restart(profile_dir: Path) -> tuple[Profile, HistoryStore]:
    """What the app does at start-up: open the history (streaming -> interrupted) and make the engine
    (which removes the temp files of dead processes)."""
    from pipelines.engine import Engine
    from pipelines.settings import load_settings

    profile = Profile.at(profile_dir)
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    loaded = load_settings(profile.settings_file)
    assert not loaded.problems, loaded.problems
    Engine(loaded.settings, profile, store=store)
    return profile, store


def test_kill9_during_a_streaming_reply(tmp_path):
    prof = tmp_path / "profile"
    first = sensorium("chat", "What is the capital of France?", "--max-tokens", "12", profile=prof, timeout=300)
    assert first.returncode == 0, first.stderr
    # the long reply streams to stdout (flushed per token); kill once it has flowed for a while, so
    # that part of it has been saved (every 0.5 s) and part has not
    p = popen([sys.executable, "-m", "desktop.launcher", "--profile-dir", str(prof), "chat",
               "Write a very long story about a dragon who learns to bake bread. Use many chapters.",
               "--conversation", "1", "--max-tokens", "3000"])
    w = Watch(p)
    w.wait_for(lambda: len(w.text().strip()) >= 1, 300, "the first token")
    t_first = time.monotonic()
    w.wait_for(lambda: time.monotonic() - t_first > 1.5 and len(w.text()) >= 40, 120, "the reply to flow")
    shown = w.text()
    w.kill9()

    assert integrity(prof / "data" / "history.sqlite3") == "ok"
    profile, store = restart(prof)
    try:
        assert store.integrity_ok()
        msgs = store.messages(1)
        assert [m.role for m in msgs] == ["user", "assistant", "user", "assistant"], msgs
        assert msgs[0].status == msgs[1].status == msgs[2].status == "complete"
        assert msgs[1].text.strip() == first.stdout.strip()  # the finished reply, exactly as shown
        cut = msgs[3]
        assert cut.status == "interrupted"
        assert cut.text and shown.startswith(cut.text[:20]), (cut.text[:80], shown[:80])
        assert store.search("dragon")  # the user's message is searchable
    finally:
        store.close()
    assert temp_files(prof) == []


DRIVER = r"""
import sys, threading, time
from pathlib import Path
from pipelines.engine import Engine
from pipelines.events import ImageOptions, ImageProgress, Turn, Done
from pipelines.history import HistoryStore
from pipelines.paths import Profile
from pipelines.settings import Settings, save_settings

profile = Profile.at(sys.argv[1]).ensure()
s = Settings()
s.device.device = "cpu"
s.models.imagegen = sys.argv[2]
s.imagegen.safety_checker = False
s.imagegen.preview_every = 1
save_settings(s, profile.settings_file)
store = HistoryStore(profile.history_db, profile.attachments_dir)
engine = Engine(s, profile, store=store)
events = list(engine.respond(Turn(text="a small red square", intent="generate_image",
                                  image_options=ImageOptions(width=64, height=64, steps=2, seed=1))))
assert isinstance(events[-1], Done), events[-1]
print("FIRST-DONE", events[-1].conversation_id, flush=True)

def keep_saving():  # the window saves settings while it works; a kill must never leave half a file
    i = 0
    while True:
        i += 1
        s.chat.system_prompt = "You are helpful. " * (1 + i % 300)
        save_settings(s, profile.settings_file)

threading.Thread(target=keep_saving, daemon=True).start()
turn = Turn(text="a big blue circle", intent="generate_image", conversation_id=events[-1].conversation_id,
            image_options=ImageOptions(width=256, height=256, steps=150, seed=2))
for ev in engine.respond(turn):
    if isinstance(ev, ImageProgress):
        print("STEP", ev.step, flush=True)
print("SECOND-DONE", flush=True)
"""


def test_kill9_during_image_generation_and_settings_saves(tmp_path, tiny_sd_dir):
    prof = tmp_path / "profile"
    p = popen([sys.executable, "-c", DRIVER, str(prof), str(tiny_sd_dir)], env={"PYTHONPATH": str(REPO)})
    w = Watch(p)
    w.wait_for(lambda: "FIRST-DONE" in w.text(), 300, "the first image")
    w.wait_for(lambda: w.text().count("STEP") >= 3, 300, "generation steps")
    w.kill9()
    assert "SECOND-DONE" not in w.text()

    assert integrity(prof / "data" / "history.sqlite3") == "ok"
    leftovers_before = temp_files(prof)
    profile, store = restart(prof)
    try:
        cid = store.list_conversations()[0].id
        msgs = store.messages(cid)
        assert [m.role for m in msgs] == ["user", "assistant", "user", "assistant"], msgs
        done, cut = msgs[1], msgs[3]
        assert done.status == "complete" and len(done.attachments) == 1 and Path(done.attachments[0]).is_file()
        assert cut.status == "interrupted" and not cut.attachments
    finally:
        store.close()
    # the finished image is there, and nothing half-written under a real name
    pngs = sorted(profile.images_dir.glob("*.png"))
    assert len(pngs) == 1
    from PIL import Image

    with Image.open(pngs[0]) as im:
        im.load()
    assert temp_files(prof) == [], f"left after restart (before: {leftovers_before})"
