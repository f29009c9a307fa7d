"""Child process of the start-up benchmark: what ``sensorium`` does up to the first visible window
(the launcher's imports, settings, theme, engine with history, MainWindow), then it reports when
the window was exposed, its RSS with no model loaded, and which heavy libraries were imported."""
from __future__ import annotations

import json
import sys
import time


def main() -> None:
    profile_dir = sys.argv[1]
    from pipelines import cli  # the console script's own first import
    from pipelines.paths import Profile
    from pipelines.settings import load_settings

    del cli
    profile = Profile.at(profile_dir).ensure()
    loaded = load_settings(profile.settings_file)
    from desktop.app import build_engine, make_app
    from desktop.theme import apply_theme

    app = make_app([])
    settings = loaded.settings
    apply_theme(app, settings.general.theme)
    engine, _cleanup = build_engine(settings, profile)
    from desktop.window import MainWindow

    window = MainWindow(engine, settings, profile, startup_problems=[f"settings: {p}" for p in loaded.problems])
    window.show()
    deadline = time.time() + 30
    while not (window.isVisible() and window.windowHandle() is not None and window.windowHandle().isExposed()):
        app.processEvents()
        if time.time() > deadline:
            break
    app.processEvents()  # the first paint
    shown = time.time()
    import psutil

    rss = psutil.Process().memory_info().rss
    heavy = sorted(m for m in ("torch", "transformers", "diffusers", "open_clip", "faster_whisper", "TTS",
                               "ctranslate2", "onnxruntime", "sentence_transformers") if m in sys.modules)
    print(json.dumps({"shown": shown, "rss": rss, "heavy": heavy, "visible": window.isVisible(),
                      "modules": len(sys.modules)}), flush=True)
    window.close()
    engine.store.close()


if __name__ == "__main__":
    main()
