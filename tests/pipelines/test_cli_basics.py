"""The console script: version, profile dirs, headless without Qt, one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines import __version__
from tests.helpers.run import REPO, sensorium

SPEECH = REPO / "tests" / "data" / "speech"


def test_version():
    r = sensorium("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"sensorium {__version__}"
    import tomllib

    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] == __version__


HEAVY = ("PySide6", "shiboken6", "torch", "transformers", "diffusers", "open_clip", "TTS", "sentence_transformers",
         "faster_whisper", "ctranslate2", "piper", "onnxruntime")


def _imports_of(tmp_path, *args: str) -> list[str]:
    """The heavy top-level modules a command imports, run in a fresh process."""
    code = (
        "import sys, json; from desktop.launcher import main; rc = main(['--profile-dir', sys.argv[1], *sys.argv[2:]]);"
        f"heavy = {HEAVY!r};"
        "print('LOADED', json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))); sys.exit(rc)"
    )
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p"), *args], capture_output=True, text=True,
                       cwd=REPO, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout.rsplit("LOADED ", 1)[1])


def test_headless_subcommand_never_imports_qt(tmp_path):
    assert _imports_of(tmp_path, "models", "--json") == []


@pytest.mark.weights
def test_each_command_imports_only_what_its_role_needs(tmp_path):
    """Speech recognition runs on CTranslate2 (VAD on onnxruntime) and Piper on onnxruntime: neither
    imports torch nor another role's library; chat needs torch and transformers, never diffusers."""
    assert _imports_of(tmp_path, "transcribe", str(SPEECH / "cards-001.wav"), "--json") == \
        ["ctranslate2", "faster_whisper", "onnxruntime"]
    assert _imports_of(tmp_path, "say", "Hello.", "-o", str(tmp_path / "hello.wav")) == ["onnxruntime", "piper"]


def test_profile_dir_and_env_var(tmp_path):
    p1 = tmp_path / "one"
    r = sensorium("history", "list", profile=p1)
    assert r.returncode == 0, r.stderr
    assert (p1 / "data" / "history.sqlite3").exists()
    p2 = tmp_path / "two"
    r = sensorium("history", "list", env={"SENSORIUM_HOME": str(p2)})
    assert r.returncode == 0, r.stderr
    assert (p2 / "data" / "history.sqlite3").exists()
    # the option wins over the variable
    p3 = tmp_path / "three"
    r = sensorium("history", "list", profile=p3, env={"SENSORIUM_HOME": str(p2 / "x")})
    assert (p3 / "data" / "history.sqlite3").exists() and not (p2 / "x").exists()


def test_profiles_share_the_machine_cache_unless_isolated(tmp_path):
    """Verified checksums (and converted weights) live in one machine-wide cache that every profile
    uses; --cache-dir (or SENSORIUM_CACHE_DIR) injects it, --isolated keeps them in the profile."""
    shared = tmp_path / "machine-cache"
    for name in ("a", "b"):
        r = sensorium("--cache-dir", str(shared), "models", "verify", "--json", profile=tmp_path / name)
        assert r.returncode == 0, r.stderr
        assert not (tmp_path / name / "cache" / "sha256-cache.json").exists()
    cached = json.loads((shared / "sha256-cache.json").read_text())
    assert any(k.endswith(".gguf") for k in cached) and any(k.endswith(".onnx") for k in cached)
    env = {"SENSORIUM_CACHE_DIR": str(tmp_path / "from-env")}
    r = sensorium("models", "verify", profile=tmp_path / "c", env=env)
    assert r.returncode == 0 and (tmp_path / "from-env" / "sha256-cache.json").is_file()
    r = sensorium("--isolated", "models", "verify", profile=tmp_path / "d", env=env)
    assert r.returncode == 0 and (tmp_path / "d" / "cache" / "sha256-cache.json").is_file()


def test_bad_settings_are_reported_not_fatal(tmp_path):
    p = tmp_path / "p"
    p.mkdir()
    (p / "settings.toml").write_text("[chat]\ntemperature = 'warm'\n")
    r = sensorium("models", "--json", profile=p)
    assert r.returncode == 0
    assert "chat.temperature" in r.stderr


def test_bad_input_is_one_line_without_traceback(tmp_path):
    for args in (["transcribe", str(tmp_path / "missing.wav")],
                 ["describe", str(tmp_path)],
                 ["history", "show", "999"],
                 ["models", "fetch", "vision", "no-such-model"]):
        r = sensorium(*args, profile=tmp_path / "p")
        assert r.returncode != 0, args
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)
        assert "Traceback" not in r.stderr
