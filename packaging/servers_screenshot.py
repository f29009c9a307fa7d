"""A screenshot of Models > where a role runs, connected to a real llama.cpp server, under Xvfb.

    python packaging/servers_screenshot.py OUT.png [light|dark]

Starts llama.cpp's server (xllamacpp, tests/fixtures/servers.py) on 127.0.0.1 with the offline
SmolLM2, opens the real main window on a temporary profile, selects the chat role in Models, types
the server's address, presses Test connection and waits for the server's model list.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2) or (len(argv) == 2 and argv[1] not in ("light", "dark")):
        print(__doc__)
        return 2
    out = Path(argv[0]).resolve()
    theme = argv[1] if len(argv) == 2 else "dark"
    from tests.fixtures.servers import start_llama
    from tests.helpers.xvfb import on_xcb_screen

    server = start_llama(alias="smollm2")
    try:
        return on_xcb_screen(lambda: run(out, theme, server.base_url), 1180, 760)
    finally:
        server.stop()


def run(out: Path, theme: str, base_url: str) -> int:
    from PySide6.QtCore import Qt, QTimer

    from desktop.app import make_app
    from desktop.theme import apply_theme
    from desktop.window import MainWindow
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore
    from pipelines.paths import Profile
    from pipelines.settings import Settings

    app = make_app()
    apply_theme(app, theme)
    settings = Settings()
    settings.general.theme = theme
    profile = Profile.at(tempfile.mkdtemp(prefix="sensorium-servers-"))
    store = HistoryStore(profile.history_db, profile.attachments_dir)
    engine = Engine(settings, profile, store=store)
    w = MainWindow(engine, settings, profile)
    w.resize(1100, 720)
    w.move(10, 10)
    w.show()
    dlg = w.open_models()
    dlg.move(60, 40)
    state = {"saved": False, "step": 0}

    def step():
        if dlg.table.rowCount() == 0:
            QTimer.singleShot(100, step)
            return
        if state["step"] == 0:
            row = next(i for i in range(dlg.table.rowCount())
                       if dlg.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == "chat")
            dlg.table.selectRow(row)
            dlg.servers.where.setCurrentIndex(1)
            dlg.servers.address.setText(base_url)
            dlg.servers.test.click()
            state["step"] = 1
        if not dlg.servers.state.text().startswith(("Connected", "Not connected")):
            QTimer.singleShot(100, step)
            return
        QTimer.singleShot(400, shot)

    def shot():
        app.processEvents()
        img = app.primaryScreen().grabWindow(0).copy(dlg.frameGeometry())
        out.parent.mkdir(parents=True, exist_ok=True)
        state["saved"] = img.save(str(out))
        print("saved", out, img.size().toTuple(), "|", dlg.servers.state.text(), flush=True)
        dlg.close()
        w.close()
        app.quit()

    QTimer.singleShot(800, step)
    QTimer.singleShot(60000, app.quit)  # never hang
    app.exec()
    engine.manager.unload_all()
    store.close()
    return 0 if state["saved"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
