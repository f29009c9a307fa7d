"""A screenshot of the Settings screen's Voice page under Xvfb (a real xcb window, the real X framebuffer).

    python packaging/settings_screenshot.py OUT.png [light|dark]

Starts Xvfb itself when DISPLAY is unset. The dialog is the real one over a SettingsService in a
temporary profile; the device lists are sample names (these machines have no audio devices) and the
microphone is ``pipelines.voice.FileSource`` playing a real recording from tests/data/speech, so the
level meter moves.
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
    from tests.helpers.xvfb import on_xcb_screen

    return on_xcb_screen(lambda: run(out, theme), 1100, 760)


def run(out: Path, theme: str) -> int:
    import numpy as np
    from PySide6.QtCore import QTimer

    from desktop.app import make_app
    from desktop.settings_dialog import SettingsDialog
    from desktop.settings_service import SettingsService
    from desktop.theme import apply_theme
    from pipelines.settings import Settings
    from pipelines.voice import FileSource
    from tests.fakes.audio import speech

    app = make_app()
    apply_theme(app, theme)
    settings = Settings()
    settings.general.theme = theme
    settings.voice.input_device = "USB Headset Microphone"
    service = SettingsService(settings, Path(tempfile.mkdtemp(prefix="sensorium-settings-")) / "settings.toml")
    voice = np.concatenate([speech(REPO / "tests" / "data" / "speech" / "cards-001.wav")] * 20)
    dlg = SettingsDialog(service, input_devices=lambda: ["Built-in Microphone", "USB Headset Microphone"],
                         output_devices=lambda: ["Built-in Speakers", "USB Headset", "HDMI Audio"],
                         open_level_source=lambda name: FileSource(voice),
                         api_key_status=lambda s, role: False, set_api_key=lambda s, key, role: None)
    dlg.move(40, 30)
    dlg.show()
    dlg.page_list.setCurrentRow(1)  # Voice
    state = {"saved": False}

    def shot():
        if dlg.meter.level < 0.2:  # wait for a spoken word, so the meter shows a level
            QTimer.singleShot(30, shot)
            return
        app.processEvents()
        img = app.primaryScreen().grabWindow(0).copy(dlg.frameGeometry())
        out.parent.mkdir(parents=True, exist_ok=True)
        state["saved"] = img.save(str(out))
        print("saved", out, img.size().toTuple(), "meter level", round(dlg.meter.level, 2), flush=True)
        dlg.close()
        app.quit()

    QTimer.singleShot(1200, shot)
    QTimer.singleShot(20000, app.quit)  # never hang
    app.exec()
    return 0 if state["saved"] else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
