"""Screenshots of documents, citations, memory and learning in the real window under Xvfb, over the
real Engine (MiniLM embeddings, SmolLM2 replies, offline packs) with a fresh profile:

    python packaging/knowledge_screenshots.py OUT_DIR

Writes OUT_DIR/{documents,citations,memory-card,memory,learning-progress,learning}.png: the Documents
dialog after indexing tests/data/docs; an ask_documents reply with its passages in the side panel; a
remembered memory in the Memory dialog; the learning dialog training a real adapter from 30 stored
pairs of ratings (16 DPO steps: a few minutes on a CPU), then its real before/after table and verdict.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str]) -> int:
    from tests.helpers.xvfb import screenshot_main

    return screenshot_main(argv, __doc__, run)


def run(out: Path) -> int:
    from desktop.app import make_app
    from desktop.learning_ui import LearnDialog
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.events import Turn
    from pipelines.history import HistoryStore
    from pipelines.paths import Profile
    from pipelines.settings import Settings

    app = make_app()
    apply_theme(app, "light")

    def wait(cond, timeout=180.0):
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there in time")
            app.processEvents()
            time.sleep(0.02)
        settle = time.monotonic() + 0.5
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.02)

    def shot(name, widget=None):
        app.processEvents()
        img = widget.grab() if widget is not None else app.primaryScreen().grabWindow(0)
        img.save(str(out / f"{name}.png"))
        print("saved", out / f"{name}.png", img.size().toTuple(), flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="sensorium-knowledge-shots-"))
    profile = Profile.at(tmp).ensure()
    settings = Settings()
    settings.device.device = "cpu"
    settings.chat.temperature = 0.0
    settings.chat.max_new_tokens = 60
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    w = MainWindow(engine, settings, profile)
    w.move(0, 0)
    w.resize(1280, 800)
    w.show()

    # documents: the test corpus, indexed through the window
    docs = REPO / "tests" / "data" / "docs"
    job = w.knowledge.index([str(p) for p in sorted(docs.iterdir()) if p.suffix in (".md", ".txt", ".html",
                                                                                       ".pdf", ".docx")])
    wait(lambda: not job.running, 300)
    dlg = w.open_documents()
    dlg.move(120, 80)
    wait(lambda: dlg.tree.topLevelItemCount() > 0)
    shot("documents", dlg)
    dlg.close()

    # citations: a question answered from the documents, its passages in the side panel
    from desktop.messages import MessageItem

    q = "How often do solar panels need cleaning?"
    w.turns._submit(Turn(text=q, intent="ask_documents"), MessageItem(role="user", text=q, status="pending"),
                    MessageItem(role="assistant", status="streaming", meta={"prompt": q}))
    wait(lambda: not w.controller.busy and w.view.items[-1].status != "streaming", 300)
    w.splitter.setSizes([220, 640, 420])
    wait(lambda: True)
    shot("citations")

    # memory: a stated preference, remembered from its card, then the Memory dialog
    w.new_chat()
    w.send_text("Please call me Lin.")

    def answered() -> bool:  # this message's reply is in and done (not the last chat's, still on screen)
        items = w.view.items
        return (len(items) >= 2 and items[-2].text == "Please call me Lin." and items[-1].role == "assistant"
                and items[-1].status not in ("pending", "streaming") and not w.controller.busy)
    wait(answered, 300)
    reply = w.view.items[-1]
    bubble = w.view.bubble_for(reply)
    print("proposals:", [m.text for m in (reply.meta.get("memory") or {}).get("proposals", [])], reply.intent,
          reply.text[:80], sorted(reply.meta), flush=True)
    for card in [c for c in bubble.memory_cards if c is not None]:
        card.remember_button.click()
    wait(lambda: all(c is None or c.state == "remembered" for c in bubble.memory_cards), 30)
    w.view.select(reply)
    mem = w.open_memory()
    mem.move(560, 140)
    wait(lambda: mem.list.count() > 0, 30)
    shot("memory-card")
    shot("memory", mem)
    mem.close()

    # learning: a real run of the dialog on ratings stored in the history (the style set of the tests,
    # 30 pairs of a good and a bad reply to the same message), a short one: 16 steps
    from tests.helpers.ratings import style_ratings

    for p in style_ratings(30).pairs:
        cid = store.create_conversation(p.prompt)
        store.add_message(cid, "user", p.prompt)
        store.rate(store.add_message(cid, "assistant", p.chosen), 1)
        store.rate(store.add_message(cid, "assistant", p.rejected), -1)
    settings.learning.epochs, settings.learning.max_steps = 1, 16
    learn = LearnDialog(w.knowledge, w)
    learn.show()
    wait(lambda: learn.counts is not None or bool(learn._problem))
    learn.start()
    wait(lambda: learn.job is not None and learn.last is not None and learn.last.stage == "training", 300)
    shot("learning-progress", learn)
    wait(lambda: learn.result is not None and learn.job is None, 1200)
    shot("learning", learn)
    learn.close()

    w.close()
    w.shutdown(20)
    store.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
