"""Make tests/data/history-v1.sqlite3: a history database written by the schema-1 code.

The upgrade test (tests/pipelines/test_history.py) opens a copy of that file with today's
HistoryStore and checks that everything in it survives the migrations. The file must come from
the old code itself, not from today's, so this script takes ``pipelines/history.py`` (and the
``errors.py``/``events.py`` it imports) as they were at commit 098bb1b, the last commit with
schema 1, out of git into a temporary package and fills a store with it:

* four conversations, one of them soft-deleted, one titled from its first user message;
* messages of every role and of every status (``complete``, ``streaming`` (the app "died" while
  writing it), ``cancelled``, ``interrupted``, ``failed``);
* ratings +1 and -1, one with a comment; sentiment, intent, timings, models and meta fields;
* attachments (two files on one message, one on a reply);
* English and Chinese text, so both full-text tables (``unicode61`` and ``trigram``) have rows.

The clock is fixed, so the rows are the same on every run; the attachment file names contain a
random part, so the file's bytes differ. Attachment paths point into a temporary folder that is
removed afterwards: the test checks the stored paths and names, not the copied files.

Run from the repository root (needs git)::

    .venv/bin/python tests/data/make_history_v1.py [OUTPUT]   # default tests/data/history-v1.sqlite3
"""
from __future__ import annotations

import importlib
import itertools
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMIT = "098bb1b"  # the last commit whose history.py writes schema 1
MODULES = ("history", "errors", "events")


def load_v1(where: Path):
    """Import the schema-1 ``pipelines.history`` from git as package ``sensorium_v1``."""
    pkg = where / "sensorium_v1"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    for name in MODULES:
        source = subprocess.run(["git", "show", f"{COMMIT}:pipelines/{name}.py"], cwd=REPO, check=True,
                                capture_output=True, text=True).stdout
        (pkg / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(where))
    try:
        history = importlib.import_module("sensorium_v1.history")
        events = importlib.import_module("sensorium_v1.events")
    finally:
        sys.path.remove(str(where))
    assert history.SCHEMA_VERSION == 1
    return history, events


def fill(store, events, files: Path) -> None:
    photo = files / "beach photo.png"
    photo.write_bytes(b"\x89PNG fake image bytes of a beach")
    chart = files / "chart.jpg"
    chart.write_bytes(b"\xff\xd8\xff fake jpeg bytes of a chart")
    drawing = files / "cat.png"
    drawing.write_bytes(b"\x89PNG fake image bytes of a drawn cat")

    trip = store.create_conversation("Trip planning")
    store.add_message(trip, "system", "You are Sensorium, a helpful assistant.")
    store.add_message(trip, "user", "What should I pack for a beach holiday in Portugal?",
                      sentiment=events.Sentiment(0.4, "positive", "vader"), attachments=[photo, chart])
    good = store.add_message(
        trip, "assistant", "Sunscreen, swimwear and a light jacket for the evenings.", intent="chat",
        intent_reason="no picture words", intent_confidence=0.8, timings={"llm": 1.25},
        models={"chat": "smollm2-135m"}, meta={"tokens": 14})
    store.rate(good, 1, "short and useful")
    bad = store.add_message(trip, "assistant", "Bring snow boots.", intent="chat")
    store.rate(bad, -1)

    chinese = store.create_conversation()  # titled from its first user message
    store.add_message(chinese, "user", "我想去北京旅游，有什么推荐的景点吗？",
                      sentiment=events.Sentiment(0.1, "neutral", "snownlp"))
    store.add_message(chinese, "assistant", "推荐故宫、长城和颐和园。", intent="chat")
    cut = store.begin_message(chinese, intent="chat")
    store.update_message(cut, "天安门广场也")
    store.finish_message(cut, "天安门广场也", status="cancelled")

    drawings = store.create_conversation("Drawings")
    store.add_message(drawings, "user", "draw a cat wearing a hat")
    drawn = store.begin_message(drawings, intent="generate_image", intent_reason="asks to draw",
                                intent_confidence=0.95)
    store.finish_message(drawn, "Here is your cat.", attachments=[drawing],
                         meta={"prompt": "a cat wearing a hat", "seed": 42, "steps": 20})
    failed = store.begin_message(drawings, intent="generate_image")
    store.finish_message(failed, "", status="failed", meta={"error": "out of memory"})
    lost = store.begin_message(drawings)
    store.update_message(lost, "The zebra crossing")
    store.finish_message(lost, "The zebra crossing", status="interrupted")
    store.add_message(drawings, "user", "tell me about zebras")
    streaming = store.begin_message(drawings)  # never finished: the app "dies" here
    store.update_message(streaming, "Zebras are striped")

    gone = store.create_conversation("Deleted notes")
    store.add_message(gone, "user", "remember my secret password hint")
    store.delete_conversation(gone)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "tests" / "data" / "history-v1.sqlite3"
    with tempfile.TemporaryDirectory(prefix="sensorium-history-v1-") as tmp:
        root = Path(tmp)
        history, events = load_v1(root)
        files = root / "files"
        files.mkdir()
        db = root / "history.sqlite3"
        clock = itertools.count(1_700_000_001.0).__next__  # one second a step, the same on every run
        store = history.HistoryStore(db, root / "attachments", clock=clock)
        fill(store, events, files)
        store.close()  # checkpoints the WAL into the file (TRUNCATE); the streaming message stays as it is
        check = sqlite3.connect(db)
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT COUNT(*) FROM messages WHERE status = 'streaming'").fetchone()[0] == 1
        check.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(db.read_bytes())
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
