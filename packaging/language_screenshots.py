"""Screenshots of the interface in English and in 简体中文 under Xvfb (a real xcb window, the real
X framebuffer): the main window with a conversation, Settings (Appearance, where the language is
chosen) and the first-run screen, for each language.

    python packaging/language_screenshots.py OUT_DIR

Writes OUT_DIR/{en,zh_CN}-{window,settings,first-run}.png. The window is the real one over the
scripted engine of tests/fakes (reproducible replies, no weights); the first-run screen checks this
computer with the real catalog. Needs the compiled translations (`make translations`).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TURNS = {
    "en": ("What should I pack for three days in Lisbon in May?",
           "For three days in Lisbon in May:\n\n- **Layers**: mornings are cool, afternoons warm (about 22 °C).\n"
           "- **Comfortable shoes**: the streets are steep and paved with slippery stone.\n"
           "- A light rain jacket, sunglasses and sunscreen.\n\nWould you like a checklist?"),
    "zh_CN": ("五月去里斯本三天，应该带些什么？",
              "五月在里斯本待三天，建议带上：\n\n- **分层衣物**：早晚凉，午后暖（约 22 °C）。\n"
              "- **舒适的鞋**：街道陡峭，石板路很滑。\n- 一件轻便雨衣、太阳镜和防晒霜。\n\n需要我列一张清单吗？"),
}
TITLES = {"en": ("Birthday card ideas", "Explain transformers simply"),
          "zh_CN": ("生日贺卡的点子", "简单解释一下 Transformer")}


def main(argv: list[str]) -> int:
    from tests.helpers.xvfb import screenshot_main

    return screenshot_main(argv, __doc__, run)


def run(out: Path) -> int:
    from PySide6.QtCore import QTimer

    from desktop.app import make_app
    from desktop.controller import Controller
    from desktop.firstrun import FirstRunDialog
    from desktop.i18n import Translations
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore
    from pipelines.paths import Profile
    from pipelines.settings import Settings
    from tests.fakes.engine import FakeEngine
    from tests.helpers.xvfb import until as wait_for

    app = make_app()
    apply_theme(app, "light")
    translations = Translations(app)
    shots: list[str] = []
    langs = list(TURNS)
    tmp = Path(tempfile.mkdtemp(prefix="sensorium-lang-shots-"))
    state: dict = {}

    def shot(name: str, widget=None) -> None:
        app.processEvents()
        # a dialog alone is grabbed as it renders itself (without a window manager, Xvfb leaves what is
        # under a frameless dialog's unpainted margins); the window is grabbed from the X framebuffer
        img = widget.grab() if widget is not None else app.primaryScreen().grabWindow(0)
        path = out / f"{name}.png"
        img.save(str(path))
        shots.append(str(path))
        print("saved", path, img.size().toTuple(), flush=True)

    def until(cond, then, timeout=20.0):
        wait_for(cond, then, timeout=timeout, settle_ms=400, poll_ms=50)

    def start(i: int) -> None:
        if i == len(langs):
            app.quit()
            return
        lang = langs[i]
        if not translations.apply(lang):
            print(f"no compiled translations for {lang}: run `make translations`", flush=True)
            app.quit()
            return
        profile = Profile.at(tmp / lang).ensure()
        settings = Settings()
        settings.general.language = lang
        store = HistoryStore(profile.history_db, profile.attachments_dir)
        question, reply = TURNS[lang]
        engine = FakeEngine(settings, profile, store, token_delay=0.005, replies=[reply])
        for title in TITLES[lang]:
            cid = store.create_conversation(title)
            store.add_message(cid, "user", title)
        w = MainWindow(engine, settings, profile, translations=translations)
        w.move(0, 0)
        w.resize(1280, 800)
        w.show()
        state.update(w=w, store=store, lang=lang, i=i, profile=profile, settings=settings)
        w.send_text(question)
        until(lambda: not w.controller.busy, window_done)

    def window_done() -> None:
        w, lang = state["w"], state["lang"]
        w.view.select(w.view.items[-1])
        QTimer.singleShot(300, lambda: (shot(f"{lang}-window"), open_settings()))

    def open_settings() -> None:
        w, lang = state["w"], state["lang"]
        dlg = w.open_settings()
        dlg.move(60, 40)
        dlg.page_list.setCurrentRow(dlg.page_list.count() - 1)  # Appearance: theme and language
        state["dlg"] = dlg
        QTimer.singleShot(600, lambda: (shot(f"{lang}-settings", dlg), dlg.close(), open_first_run()))

    def open_first_run() -> None:
        s = state["settings"]
        s.models.hf_cache_dir = str(tmp / "no-hf-cache")
        engine = Engine(s, state["profile"])
        controller = Controller(engine)
        dlg = FirstRunDialog(engine, controller, s, state["profile"])
        dlg.move(40, 30)
        dlg.show()
        state.update(first=dlg, first_controller=controller)
        until(lambda: dlg.pages.currentIndex() == 1, first_run_done, timeout=60)

    def first_run_done() -> None:
        lang = state["lang"]
        shot(f"{lang}-first-run")
        state["first"].close()
        state["first_controller"].shutdown()
        w = state["w"]
        w.close()
        w.shutdown(10)
        state["store"].close()
        start(state["i"] + 1)

    QTimer.singleShot(500, lambda: start(0))
    app.exec()
    translations.apply("en")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(shots)} screenshots in {out}")
    return 0 if len(shots) == 3 * len(langs) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
