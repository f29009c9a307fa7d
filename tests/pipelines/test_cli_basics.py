"""The console script: version, profile dirs, headless without Qt, one-line errors."""
from __future__ import annotations

import subprocess
import sys

from pipelines import __version__
from tests.helpers.run import REPO, sensorium


def test_version():
    r = sensorium("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"sensorium {__version__}"
    import tomllib

    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] == __version__


def test_headless_subcommand_never_imports_qt(tmp_path):
    code = (
        "import sys; from desktop.launcher import main; rc = main(['--profile-dir', sys.argv[1], 'models', '--json']);"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'torch', 'transformers'))];"
        "print('LOADED', bad); sys.exit(rc or (1 if bad else 0))"
    )
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "p")], capture_output=True, text=True,
                       cwd=REPO, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "LOADED []" in r.stdout


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
