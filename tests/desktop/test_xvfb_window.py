"""`sensorium` with no command opens a real window on an X screen (what `make run` does)."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from PIL import Image, ImageStat

from tests.helpers.run import REPO
from tests.helpers.xvfb import VirtualScreen

pytestmark = [pytest.mark.xvfb,
              pytest.mark.skipif(not VirtualScreen.available(), reason="xvfb tier: Xvfb is not installed")]


def test_app_opens_a_real_window(tmp_path):
    with VirtualScreen() as screen:
        t0 = time.perf_counter()
        app = subprocess.Popen([sys.executable, "-m", "desktop.launcher", "--profile-dir", str(tmp_path / "p")],
                               cwd=REPO, env=screen.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wid, windows = None, []
        try:
            wid = screen.wait_for_window("Sensorium", timeout=60)
            shown = time.perf_counter() - t0
            time.sleep(1.0)  # let it paint
            geometry = screen.xdotool("getwindowgeometry", wid)
            shot = screen.screenshot(tmp_path / "window.png")
            assert app.poll() is None, "the app exited"
        except TimeoutError:  # say what is on the screen instead, and what the app printed
            windows = [screen.xdotool("getwindowname", w) for w in screen.xdotool("search", "--name", ".").split()]
        finally:
            app.terminate()
            out = app.communicate(timeout=20)[0].decode(errors="replace")
    assert wid is not None, f"no visible window named 'Sensorium' after 60 s; the app printed:\n{out}\n" \
        f"windows on the screen: {windows!r}"
    print(f"window visible after {shown:.2f} s; {geometry.splitlines()[-1].strip()}")
    img = Image.open(shot).convert("L")
    assert img.size == (1280, 800)
    assert ImageStat.Stat(img).stddev[0] > 10, "the screen is blank"
    assert app.returncode in (0, -15), out
    assert "Traceback" not in out, out
    assert (tmp_path / "p" / "data" / "history.sqlite3").exists()
