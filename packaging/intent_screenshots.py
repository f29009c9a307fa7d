"""Screenshots of how requests are understood, under Xvfb (a real xcb window, the real X framebuffer):
the "Did you mean…" question of an unsure request, and a reply with its "Not what I meant" menu open.

    python packaging/intent_screenshots.py OUT_DIR [light|dark]

Writes OUT_DIR/intent-question.png and OUT_DIR/not-what-i-meant.png (with ``dark``:
intent-question-dark.png and not-what-i-meant-dark.png). Starts Xvfb itself when DISPLAY is unset.
The window and the engine are the real ones, the replies come from the offline language model
(SmolLM2); the router is the real one made unsure about the request shown (tests/helpers/routers.py),
since today's router never is.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUESTION = "a cozy cabin in the woods, snow falling"
READINGS = (("generate_image", 0.51), ("chat", 0.43), ("search_images", 0.06))


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or (len(argv) == 2 and argv[1] not in ("light", "dark")):
        print(__doc__)
        return 2
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    theme = argv[1] if len(argv) == 2 else "light"
    from tests.helpers.xvfb import on_xcb_screen

    return on_xcb_screen(lambda: run(out, theme), 1280, 800)


def run(out: Path, theme: str) -> int:
    from PySide6.QtCore import QTimer

    from desktop.app import make_app
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore
    from pipelines.settings import Settings
    from tests.helpers.profiles import warm_profile_at
    from tests.helpers.routers import use_router
    from tests.helpers.xvfb import until as wait_for

    tmp = Path(tempfile.mkdtemp(prefix="sensorium-intent-shots-"))
    profile = warm_profile_at(tmp / "profile")
    app = make_app()
    settings = Settings()
    settings.general.theme = theme
    settings.device.device = "cpu"
    settings.chat.temperature = 0.0
    settings.chat.max_new_tokens = 60
    apply_theme(app, theme)
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    use_router(engine, {QUESTION: READINGS})
    w = MainWindow(engine, settings, profile)
    w.move(0, 0)
    w.resize(1180, 760)
    w.show()
    suffix = "" if theme == "light" else "-dark"
    shots: list[str] = []

    def shot(name: str) -> None:
        app.processEvents()
        img = app.primaryScreen().grabWindow(0).copy(w.frameGeometry())
        path = out / f"{name}{suffix}.png"
        img.save(str(path))
        shots.append(str(path))
        print("saved", path, img.size().toTuple(), flush=True)

    def until(cond, then):
        wait_for(cond, then, timeout=240.0, settle_ms=600, poll_ms=100)

    idle = lambda: not w.controller.busy  # noqa: E731

    def s1():
        w.send_text("What is a good name for a cat?")
        until(idle, s2)

    def s2():
        w.send_text(QUESTION)
        until(lambda: idle() and bool(w.view.items) and bool(w.view.items[-1].meta.get("question")), s3)

    def s3():
        w.message_bar.hide()
        shot("intent-question")
        bubble = w.view.bubble_for(w.view.items[-1])
        bubble.question.buttons[1].click()  # "Talk about it"
        until(lambda: idle() and not w.view.items[-1].meta.get("question"), s4)

    def s4():
        w.message_bar.hide()
        w.view.select(w.view.items[-1])
        button = w.view.bubble_for(w.view.items[-1]).correct_button
        button.setFocus()
        menu = button.menu()
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))  # as a click opens it, without its own loop
        QTimer.singleShot(300, lambda: (menu.setActiveAction(menu.actions()[1]), QTimer.singleShot(300, s5)))

    def s5():
        shot("not-what-i-meant")
        button = w.view.bubble_for(w.view.items[-1]).correct_button
        button.menu().close()
        w.close()
        app.quit()

    QTimer.singleShot(800, s1)
    QTimer.singleShot(600_000, app.quit)  # never hang
    app.exec()
    w.shutdown(10)
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(shots)} screenshots in {out}")
    return 0 if len(shots) == 2 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
