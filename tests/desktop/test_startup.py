"""The window appears before any model library is imported (checked in a fresh interpreter)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "diffusers", "open_clip", "faster_whisper", "TTS", "ctranslate2",
         "sentence_transformers", "onnxruntime")

SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from pipelines.paths import Profile
from pipelines.settings import load_settings
from desktop.app import make_app, create_window
from desktop.theme import apply_theme
profile = Profile.at(sys.argv[1]).ensure()
app = make_app()
settings = load_settings(profile.settings_file).settings
apply_theme(app, settings.general.theme)
w = create_window(settings, profile, [])
w.show()
for _ in range(20):
    app.processEvents()
shown = time.perf_counter() - t0
heavy = sorted(m for m in %r if m in sys.modules)
print(json.dumps({"visible": w.isVisible(), "heavy": heavy, "seconds": shown}))
w.close()
"""


def test_window_shows_before_model_libraries(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", SCRIPT % (HEAVY,), str(tmp_path / "profile")], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["visible"]
    assert result["heavy"] == [], f"imported at start-up: {result['heavy']}"
    print(f"window visible after {result['seconds']:.2f} s (the target is make bench's startup stage)")
