"""A virtual X screen for real-window tests and screenshots: Xvfb, xdotool and a root-window grab."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

GRAB = ("import sys; from PySide6.QtGui import QGuiApplication; app = QGuiApplication(sys.argv[:1]); "
        "img = app.primaryScreen().grabWindow(0); sys.exit(0 if img.save(sys.argv[1]) else 1)")


class VirtualScreen:
    def __init__(self, width: int = 1280, height: int = 800):
        self.size = (width, height)
        self.proc: subprocess.Popen | None = None
        self.display = ""

    @staticmethod
    def available() -> bool:
        return shutil.which("Xvfb") is not None

    def __enter__(self) -> VirtualScreen:
        for n in range(90, 160):
            if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
                break
        self.proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", f"{self.size[0]}x{self.size[1]}x24",
                                      "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.display = f":{n}"
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{n}").exists():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def env(self, **extra: str) -> dict[str, str]:
        e = dict(os.environ)
        e.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb", **extra)
        return e

    def xdotool(self, *args: str, timeout: float = 30) -> str:
        r = subprocess.run(["xdotool", *args], capture_output=True, text=True, env=self.env(), timeout=timeout)
        return r.stdout.strip()

    def wait_for_window(self, name: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            wid = self.xdotool("search", "--onlyvisible", "--name", name)
            if wid:
                return wid.splitlines()[0]
            time.sleep(0.1)
        raise TimeoutError(f"no visible window named {name!r} after {timeout} s")

    def screenshot(self, path: Path) -> Path:
        subprocess.run([sys.executable, "-c", GRAB, str(path)], check=True, env=self.env(), timeout=60)
        return path


def on_xcb_screen(run, width: int = 1280, height: int = 800) -> int:
    """Run ``run()`` (a screenshot script's body) on the real xcb platform: on this display, or on a
    virtual X screen started for it when there is none."""
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    if os.environ.get("DISPLAY"):
        return run()
    with VirtualScreen(width, height) as screen:
        os.environ["DISPLAY"] = screen.display
        return run()


def screenshot_main(argv: list[str], doc: str | None, run, width: int = 1280, height: int = 800) -> int:
    """The entry of a screenshot script: ``argv`` is one output folder (made if missing), given to
    ``run(folder)`` on the Xvfb screen; anything else prints ``doc`` and returns 2."""
    if len(argv) != 1:
        print(doc)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    return on_xcb_screen(lambda: run(out), width, height)


def until(cond, then, *, timeout: float, settle_ms: int, poll_ms: int) -> None:
    """In a Qt event loop: call ``then`` ``settle_ms`` after ``cond()`` holds (polled every ``poll_ms``),
    or after ``timeout`` seconds anyway, saying so."""
    from PySide6.QtCore import QTimer

    t0 = time.monotonic()

    def poll() -> None:
        if cond():
            QTimer.singleShot(settle_ms, then)
        elif time.monotonic() - t0 > timeout:
            print("timed out waiting; continuing", flush=True)
            then()
        else:
            QTimer.singleShot(poll_ms, poll)
    poll()
