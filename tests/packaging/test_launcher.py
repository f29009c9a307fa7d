"""The launcher's smoke-test options: `sensorium --version` (cheap: no Qt, no model library) and
`sensorium --self-test` (the real window offscreen, a chat turn, a say -> transcribe round trip),
from the venv; and, when asked, the same from the built bundle in a clean environment."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, load

VERSION = load("recipes").project_version()
HEAVY = ("PySide6", "torch", "transformers", "ctranslate2", "onnxruntime", "faster_whisper", "piper", "diffusers")
# the venv's console script, running this checkout's code (PYTHONPATH wins over an editable install elsewhere)
SENSORIUM = Path(sys.executable).parent / "sensorium"
BUNDLE = REPO / "dist" / "sensorium" / "sensorium"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SENSORIUM_HOME")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def test_version_prints_the_project_version():
    r = subprocess.run([sys.executable, "-m", "desktop.launcher", "--version"], cwd=REPO, env=_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"sensorium {VERSION}"


def test_version_and_help_import_no_qt_and_no_model_library():
    code = ("import sys, json\nfrom desktop.launcher import main\n"
            "for argv in (['--version'], ['--help']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {list(HEAVY)!r})))")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "--self-test" in r.stdout
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []


def test_self_test_takes_no_command():
    r = subprocess.run([sys.executable, "-m", "desktop.launcher", "--self-test", "models"], cwd=REPO, env=_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--self-test takes no command" in r.stderr


def test_the_bundle_version_file_is_read_when_frozen(tmp_path):
    """Inside the bundle pipelines reads the VERSION file the spec writes (no package metadata there)."""
    (tmp_path / "VERSION").write_text("7.7.7\n")
    (tmp_path / "assets").mkdir()
    code = ("import sys; sys.frozen = True; sys._MEIPASS = sys.argv[1]\n"
            "import pipelines, pipelines.assets as a\nprint(pipelines.__version__, a.asset('icons'))")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=REPO, env=_env(), capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["7.7.7", str(tmp_path / "assets" / "icons")]


def _check_self_test_output(r: subprocess.CompletedProcess) -> list[str]:
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert lines[0].startswith(f"sensorium {VERSION} self-test")
    checks = [line.split()[:2] for line in lines[1:-1]]
    assert checks == [["ok", "window"], ["ok", "language"], ["ok", "chat"], ["ok", "say"], ["ok", "hear"]], lines
    hear = next(line for line in lines if line.split()[1] == "hear")
    assert "heard '" in hear and "/9 words" in hear
    assert lines[-1].startswith("self-test passed: 5 checks in ")
    return lines


@pytest.mark.weights
@pytest.mark.slow
def test_self_test_passes_from_the_venv(tmp_path):
    """The real app on the offline packs, as `sensorium --self-test` runs it: never the user's profile."""
    home = tmp_path / "home"
    home.mkdir()
    r = subprocess.run([str(SENSORIUM), "--self-test"], cwd=tmp_path,
                       env=_env(HOME=str(home), QT_QPA_PLATFORM="offscreen"),
                       capture_output=True, text=True, timeout=900)
    _check_self_test_output(r)
    assert not (home / ".local" / "share" / "sensorium").exists()  # no history written to the user's folders
    assert not (home / ".config" / "sensorium").exists()


@pytest.mark.opt_in
@pytest.mark.skipif(os.environ.get("SENSORIUM_TEST_BUNDLE") != "1" or not BUNDLE.exists(),
                    reason="opt-in: `make package`, then SENSORIUM_TEST_BUNDLE=1 runs the built bundle's smoke test")
def test_built_bundle_in_a_clean_environment(tmp_path):
    clean = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([str(BUNDLE), "--version"], env=clean, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == f"sensorium {VERSION}", r.stderr
    r = subprocess.run([str(BUNDLE), "--self-test"], env=clean, capture_output=True, text=True, timeout=900)
    _check_self_test_output(r)
