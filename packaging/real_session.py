"""Screenshots of the real app with the real offline models, driven like a person would.

    python packaging/real_session.py OUT_DIR

Starts Xvfb, launches `sensorium` (the same entry point as `make run`) on a fresh profile, types
questions with xdotool, waits for the offline language model to answer and grabs the X screen.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers.xvfb import VirtualScreen  # noqa: E402


def wait_for_replies(profile: Path, count: int, timeout: float) -> None:
    """Wait until the history holds ``count`` finished replies (the app writes each one at once)."""
    import sqlite3

    db = profile / "data" / "history.sqlite3"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                try:
                    n = con.execute("SELECT count(*) FROM messages WHERE role = 'assistant' "
                                    "AND status = 'complete'").fetchone()[0]
                except sqlite3.Error:
                    n = 0
            if n >= count:
                return
        time.sleep(0.5)
    raise TimeoutError(f"no reply number {count} after {timeout} s")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="sensorium-real-"))
    (profile / "settings.toml").write_text("[chat]\ntemperature = 0.0\nmax_new_tokens = 120\n")
    with VirtualScreen() as screen:
        t0 = time.perf_counter()
        app = subprocess.Popen([sys.executable, "-m", "desktop.launcher", "--profile-dir", str(profile)], cwd=REPO,
                               env=screen.env())
        try:
            wid = screen.wait_for_window("Sensorium", timeout=60)
            print(f"window visible after {time.perf_counter() - t0:.2f} s")
            time.sleep(1.5)
            screen.screenshot(out / "real-empty.png")
            screen.xdotool("windowfocus", wid)
            geo = screen.xdotool("getwindowgeometry", wid).split()
            w, h = (int(v) for v in geo[geo.index("Geometry:") + 1].split("x"))
            screen.xdotool("mousemove", "--window", wid, str(w // 2), str(h - 62), "click", "1")  # the input
            for n, question in enumerate(("What is the capital of France?",
                                          "Give me three tips for a good night's sleep, as a list."), 1):
                screen.xdotool("type", "--delay", "20", question)
                screen.xdotool("key", "Return")
                wait_for_replies(profile, n, timeout=180)
            time.sleep(1.0)
            screen.screenshot(out / "real-chatting.png")
            print("saved", out / "real-empty.png", out / "real-chatting.png")
        finally:
            app.terminate()
            app.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
