"""The window: cold start to a visible window and memory with no model loaded (a fresh process
per repetition), and the GUI thread's longest stall while jobs run (a 10 ms heartbeat QTimer in
a real MainWindow driving the real Engine).

The stalls (issue 13's Done-when): each scenario runs at least ``RUNS`` times and the figure is the
longest stall of all runs (the median of the runs' longest stalls is beside it). The profile's
history holds ``HISTORY_SIZE`` conversations throughout, so every turn's list refresh reads and
shows that many. The scenarios: 20 PDF pages indexed (a new folder each run), a chat reply of ``LONG_REPLY_TOKENS`` tokens (the engine's
``chat.max_new_tokens``, and a prompt that makes the model write that long; the stage info says
how many tokens each reply really had), an image generated, an image described, and the list
refreshed the way the window does after a turn while another thread writes messages.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .common import REPO, Stage

__all__ = ["startup", "stalls", "fill_history", "RUNS", "LONG_REPLY_TOKENS", "HISTORY_SIZE"]

RUNS = 5  # at least this many runs per scenario
LONG_REPLY_TOKENS = 600
HISTORY_SIZE = 500
REFRESHES, REFRESH_EVERY_MS = 20, 50  # per history run: one refresh (and one message written) every 50 ms
ESSAY = ("Write a long, detailed essay about the history of the Roman Empire: its founding, its emperors, its wars, "
         "its daily life, its fall, and its legacy. Use many paragraphs.")


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


def fill_history(store, n: int) -> list[int]:
    """``n`` conversations of one question and one answer each, written through the store's API."""
    ids = []
    for i in range(n):
        cid = store.create_conversation(f"Conversation {i + 1}")
        store.add_message(cid, "user", f"Question number {i + 1}: what about topic {i % 37}?")
        store.add_message(cid, "assistant", f"Answer number {i + 1}, about topic {i % 37}.")
        ids.append(cid)
    return ids


def stalls(ctx) -> Stage:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.app import make_app
    from desktop.controller import freeze_heap
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.events import Cancelled, Done, Failed, Token, Turn
    from pipelines.history import HistoryStore

    st = Stage("gui-stalls", models=ctx.gui_label)
    runs = max(RUNS, ctx.gui_reps)
    app = make_app([])
    settings, profile = ctx.engine_settings(), ctx.profile()
    apply_theme(app, "light")
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    t0 = time.perf_counter()
    history_ids = fill_history(store, HISTORY_SIZE)
    st.info["history"] = {"conversations": HISTORY_SIZE, "fill_seconds": round(time.perf_counter() - t0, 2)}
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
    freeze_heap()  # as the app does after start-up and after each model load (desktop/app.py, controller.py)

    gaps: list[float] = []
    last = [0.0]

    def tick():
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heart = QTimer(interval=10)
    heart.timeout.connect(tick)

    def watch(start, finished, timeout_s: float) -> dict:
        """Run ``start()`` under the heartbeat and the event loop until ``finished()``."""
        loop = QEventLoop()
        poll = QTimer(interval=20)
        poll.timeout.connect(lambda: loop.quit() if finished() else None)
        guard = QTimer(singleShot=True, interval=int(timeout_s * 1000))
        guard.timeout.connect(loop.quit)
        gaps.clear()
        last[0] = t0 = time.perf_counter()
        heart.start()
        poll.start()
        guard.start()
        start()
        loop.exec()
        heart.stop()
        poll.stop()
        guard.stop()
        g = sorted(gaps)
        return {"max": g[-1] if g else 0.0, "p99": g[int(0.99 * (len(g) - 1))] if g else 0.0,
                "seconds": time.perf_counter() - t0, "ticks": len(g), "finished": finished()}

    def turn(send, timeout_s: float) -> dict:
        w.new_chat()
        app.processEvents()
        box: dict = {"tokens": 0}

        def on_event(_rid, ev):
            if isinstance(ev, Token):
                box["tokens"] += 1
            elif isinstance(ev, (Done, Cancelled, Failed)):
                box["ev"] = ev

        w.turnEvent.connect(on_event)
        try:
            r = watch(send, lambda: "ev" in box and not w.controller.busy, timeout_s)
        finally:
            w.turnEvent.disconnect(on_event)
        if not isinstance(box.get("ev"), Done):
            raise RuntimeError(f"job did not finish: {box.get('ev')!r}")
        app.processEvents()
        r["token_events"] = box["tokens"]
        return r

    def new_tokens() -> int | None:
        with engine.chat_lease() as backend:
            return getattr(getattr(backend, "last_stats", None), "new_tokens", None)

    pick = random.Random(13)

    def refresh_run() -> dict:
        """Refresh the list the way the window does after a turn (its HistoryService), every 50 ms,
        while a worker thread writes a message into one of the conversations (it moves to the top)."""
        fired = [0]
        timer = QTimer(interval=REFRESH_EVERY_MS)
        ids = list(history_ids)

        def writer():
            for _ in range(REFRESHES):
                store.add_message(pick.choice(ids), "user", "one more question")
                time.sleep(REFRESH_EVERY_MS / 1000)

        def refresh():
            fired[0] += 1
            if fired[0] >= REFRESHES:
                timer.stop()
            w.history.refresh()

        timer.timeout.connect(refresh)
        thread = threading.Thread(target=writer, name="bench-history-writer")

        def start():
            thread.start()
            timer.start()

        r = watch(start, lambda: fired[0] >= REFRESHES and not w.history.busy and not thread.is_alive(), 30)
        thread.join()
        w.history.refresh()  # off the clock: the writer's last message may have come after the last refresh

        def shown() -> list:
            return [w.sidebar.list.model().id_at(i) for i in range(w.sidebar.list.count())]

        want = [c.id for c in store.list_conversations()]
        deadline = time.perf_counter() + 5
        while shown() != want and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.01)
        if shown() != want:
            raise RuntimeError("the conversation list did not show the store's conversations after the refreshes")
        r["rows"] = len(want)
        return r

    def measure(name: str, run_once, warm_up=None, **extra) -> list[dict]:
        """One untimed warm-up run through the window (the first turn's one-time costs on the GUI
        thread, such as importing the Markdown parser, are kept in the info), then ``runs`` runs."""
        warm = (warm_up or run_once)()
        results = [run_once() for _ in range(runs)]
        maxima = [r["max"] for r in results]
        st.add(f"longest GUI stall while {name}", maxima, "ms", target="< 50 ms", check=lambda v: v < 50,
               stat="max", note=extra.pop("note", ""))
        st.info[name] = {"max_gap_ms": round(max(maxima), 1), "median_of_run_max_ms": round(statistics.median(maxima), 1),
                         "warm_up_run_max_gap_ms": round(warm["max"], 1),
                         "p99_gap_ms": [round(r["p99"], 1) for r in results],
                         "job_seconds": [round(r["seconds"], 2) for r in results],
                         "ticks": [r["ticks"] for r in results], **extra}
        for key in ("rows", "new_tokens", "token_events"):
            if key in results[0]:
                st.info[name][key] = [r[key] for r in results]
        return results

    def long_reply() -> dict:
        r = turn(lambda: w.send_text(ESSAY), max(ctx.voice_timeout, 900))
        r["new_tokens"] = new_tokens()
        return r

    corpora = iter(range(1000))

    def index_run() -> dict:
        """Index a new folder of PDFs through the window (parse, embed and store on the job worker)."""
        from .stage_documents import _pdf_corpus

        folder = Path(tempfile.mkdtemp(prefix="sensorium-gui-docs-"))
        pages = _pdf_corpus(folder, files=4, pages=5, seed=next(corpora))
        box: dict = {}
        r = watch(lambda: box.update(job=w.knowledge.index([str(folder)])),
                  lambda: "job" in box and not box["job"].running, ctx.voice_timeout)
        r["pages"] = pages
        return r

    try:
        measure(f"the history list refreshes ({HISTORY_SIZE} conversations)", refresh_run,
                refreshes_per_run=REFRESHES)
        measure("documents are indexed (20 PDF pages a run)", index_run)
        for name, send in {
            "an image generates": lambda: w.send_text("a lighthouse at sunset", mode="draw"),
            "an image is described": lambda: w.send_text("What is in this picture?", images=[str(photo)]),
        }.items():
            measure(name, lambda send=send: turn(send, ctx.voice_timeout))
        short = engine.settings
        warm_up = turn(lambda: w.send_text("Hello! What is the capital of France?"), ctx.voice_timeout)
        engine.settings = short.replace("chat", max_new_tokens=LONG_REPLY_TOKENS)
        try:
            results = measure(f"a {LONG_REPLY_TOKENS}-token chat reply streams", long_reply, lambda: warm_up,
                              prompt=ESSAY)
        finally:
            engine.settings = short
        short_of = [r["new_tokens"] for r in results if (r["new_tokens"] or 0) < 0.9 * LONG_REPLY_TOKENS]
        if short_of:
            st.figures[-1].note = f"replies stopped short of {LONG_REPLY_TOKENS} tokens: {short_of}"
    finally:
        w.close()
        app.processEvents()
        w.shutdown(15.0)  # as the app does: the runner and the history worker end before the store closes
        store.close()
    return st
