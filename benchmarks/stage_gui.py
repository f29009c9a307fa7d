"""The window: cold start to a visible window and memory with no model loaded (a fresh process
per repetition), and the GUI thread's longest stall while jobs run (a 10 ms heartbeat QTimer in
a real MainWindow driving the real Engine)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import REPO, Stage

__all__ = ["startup", "stalls"]


def _env() -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def startup(ctx) -> Stage:
    st = Stage("startup", models="none loaded (the window appears before any model library is imported)")
    env = _env()
    st.info["qpa"] = env.get("QT_QPA_PLATFORM", "xcb/wayland")
    times, rss, heavy = [], [], []
    for i in range(ctx.startup_reps + 1):  # the first run warms the file cache: not counted
        with tempfile.TemporaryDirectory(prefix="sensorium-start-") as d:
            t0 = time.time()
            out = subprocess.run([sys.executable, "-m", "benchmarks.startup_child", str(Path(d) / "profile")],
                                 cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
            if out.returncode != 0:
                raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "child failed")
            r = json.loads(out.stdout.strip().splitlines()[-1])
        if i == 0:
            continue
        times.append(r["shown"] - t0)
        rss.append(r["rss"] / 2**20)
        heavy = r["heavy"]
    st.info["heavy_modules_at_start"] = heavy
    st.add("cold start to visible window (new process)", [t * 1000 for t in times], "ms", target="< 1500 ms",
           check=lambda v: v < 1500)
    st.add("memory after start, no model loaded (RSS)", rss, "MiB", target="< 400 MB",
           check=lambda v: v * 2**20 < 400e6)
    return st


def stalls(ctx) -> Stage:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.app import make_app
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.events import Cancelled, Done, Failed, Turn
    from pipelines.history import HistoryStore

    st = Stage("gui-stalls", models=ctx.gui_label)
    app = make_app([])
    settings, profile = ctx.engine_settings(), ctx.profile()
    apply_theme(app, "light")
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    photo = ctx.photo()
    # warm up off the heartbeat: loading models imports torch & co. once per process
    for turn in (Turn(text="Hello there"), Turn(text="a tiny square", intent="generate_image"),
                 Turn(text="What is in this picture?", images=(str(photo),))):
        for _ev in engine.respond(turn):
            pass
    w = MainWindow(engine, settings, profile)
    w.resize(1100, 760)
    w.show()
    app.processEvents()

    gaps: list[float] = []
    last = [0.0]

    def tick():
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heart = QTimer(interval=10)
    heart.timeout.connect(tick)

    def job(send) -> dict:
        box: dict = {}

        def on_event(_rid, ev):
            if isinstance(ev, (Done, Cancelled, Failed)):
                box["ev"] = ev

        w.turnEvent.connect(on_event)
        loop = QEventLoop()
        poll = QTimer(interval=20)
        poll.timeout.connect(lambda: loop.quit() if "ev" in box and not w.controller.busy else None)
        gaps.clear()
        last[0] = time.perf_counter()
        heart.start()
        poll.start()
        t0 = time.perf_counter()
        send()
        guard = QTimer(singleShot=True, interval=int(ctx.voice_timeout * 1000))
        guard.timeout.connect(loop.quit)
        guard.start()
        loop.exec()
        heart.stop()
        poll.stop()
        guard.stop()
        w.turnEvent.disconnect(on_event)
        if not isinstance(box.get("ev"), Done):
            raise RuntimeError(f"job did not finish: {box.get('ev')!r}")
        app.processEvents()
        g = sorted(gaps)
        return {"max": g[-1] if g else 0.0, "p99": g[int(0.99 * (len(g) - 1))] if g else 0.0,
                "seconds": time.perf_counter() - t0, "ticks": len(g)}

    jobs = {
        "a chat reply streams": lambda: w.send_text("Hello! What is the capital of France?"),
        "an image generates": lambda: w.send_text("a lighthouse at sunset", mode="draw"),
        "an image is described": lambda: w.send_text("What is in this picture?", images=[str(photo)]),
    }
    try:
        for name, send in jobs.items():
            runs = [job(send) for _ in range(ctx.gui_reps)]
            st.add(f"longest GUI stall while {name}", [r["max"] for r in runs], "ms", target="< 50 ms",
                   check=lambda v: v < 50)
            st.info[name] = {"p99_gap_ms": [round(r["p99"], 1) for r in runs],
                             "job_seconds": [round(r["seconds"], 2) for r in runs],
                             "ticks": [r["ticks"] for r in runs]}
    finally:
        w.close()
        app.processEvents()
        store.close()
    return st
