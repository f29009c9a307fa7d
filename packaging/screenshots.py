"""Screenshots of the main window states under Xvfb (a real xcb window, the real X framebuffer).

    python packaging/screenshots.py OUT_DIR

Starts Xvfb itself when DISPLAY is unset. The window is the real one; the replies come from the
scripted engine in tests/fakes (so the pictures are reproducible and need no model weights).
States: empty, chatting, image answer with evidence, generation in progress, dark theme.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHAT_REPLY = (
    "Use slicing or `reversed()`:\n\n"
    "```python\nnumbers = [1, 2, 3]\nbackwards = numbers[::-1]      # a new list\nnumbers.reverse()              # in place\n```\n\n"
    "| way | new list? | speed |\n|---|---|---|\n| `[::-1]` | yes | fast |\n| `reverse()` | no | fastest |\n\n"
    "- **Slicing** keeps the original.\n- **`reverse()`** changes it and returns `None`.")
IMAGE_REPLY = ("It looks like **an astronaut** in a white space suit (62% sure), posing in front of an American "
               "flag; the classifier also considered *a person in a space suit* and *a rocket*.")


def main(argv: list[str]) -> int:
    from tests.helpers.xvfb import screenshot_main

    return screenshot_main(argv, __doc__, run)


def run(out: Path) -> int:
    import skimage.data
    from PIL import Image
    from PySide6.QtCore import QTimer

    from desktop.app import make_app
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.history import HistoryStore
    from pipelines.paths import Profile
    from pipelines.settings import Settings
    from tests.fakes.engine import FakeEngine
    from tests.helpers.xvfb import until as wait_for

    tmp = Path(tempfile.mkdtemp(prefix="sensorium-shots-"))
    profile = Profile.at(tmp / "profile").ensure()
    photo = tmp / "astronaut.jpg"
    Image.fromarray(skimage.data.astronaut()).save(photo, quality=92)
    painting = Image.fromarray(skimage.data.coffee()).resize((256, 171))
    app = make_app()
    settings = Settings()
    apply_theme(app, "light")
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = FakeEngine(settings, profile, store, token_delay=0.01, step_delay=0.25,
                        replies=[CHAT_REPLY, IMAGE_REPLY], picture=painting)
    for title in ("Trip to Lisbon: packing list", "Birthday card ideas", "Explain transformers simply"):
        cid = store.create_conversation(title)
        store.add_message(cid, "user", title)
    w = MainWindow(engine, settings, profile)
    w.move(0, 0)
    w.resize(1280, 800)
    w.show()
    shots: list[str] = []

    def shot(name: str) -> None:
        app.processEvents()
        img = app.primaryScreen().grabWindow(0)
        path = out / f"{name}.png"
        img.save(str(path))
        shots.append(str(path))
        print("saved", path, img.size().toTuple(), flush=True)

    def until(cond, then, timeout=20.0):
        wait_for(cond, then, timeout=timeout, settle_ms=400, poll_ms=50)

    idle = lambda: not w.controller.busy  # noqa: E731

    def s1():
        w.new_chat()
        shot("01-empty")
        w.send_text("How do I reverse a list in Python?")
        until(idle, s2)

    def s2():
        shot("02-chatting")
        w.new_chat()
        w.attach([str(photo)])
        w.message_bar.hide()
        w.input.edit.setPlainText("What is in this picture?")
        w.input.submit()
        until(idle, s3)

    def s3():
        w.view.select(w.view.items[-1])
        shot("03-image-answer")
        w.new_chat()
        w.input.draw_button.setChecked(True)
        w.input.params_button.setChecked(True)
        w.input.edit.setPlainText("a cup of coffee, oil painting, warm light")
        w.input.submit()
        until(lambda: w.view.items and w.view.items[-1].progress is not None
              and w.view.items[-1].progress.step >= 7, s4, timeout=30)

    def s4():
        shot("04-generating")
        until(idle, s5, timeout=60)

    def s5():
        w.input.params_button.setChecked(False)
        w.input.draw_button.setChecked(False)
        w.open_conversation(next(c.id for c in store.list_conversations()
                                 if c.title.startswith("How do I reverse")))
        w.set_theme("dark")  # (the screenshot profile's settings, not the user's)
        QTimer.singleShot(500, s6)

    def s6():
        shot("05-dark")
        target = next(c.id for c in store.list_conversations() if c.title.startswith("What is in"))
        w.open_conversation(target)  # its messages load off the GUI thread
        until(lambda: w.cid == target and bool(w.view.items) and w.view.items[0].attachments, s6b)

    def s6b():
        w.view.select(w.view.items[-1])
        QTimer.singleShot(500, s7)

    def s7():
        shot("06-dark-image-answer")
        w.close()
        app.quit()

    QTimer.singleShot(800, s1)
    app.exec()
    w.shutdown(10)  # joins the turn runner and the history worker (its purge on close) before the store closes
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(shots)} screenshots in {out}")
    return 0 if len(shots) == 6 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
