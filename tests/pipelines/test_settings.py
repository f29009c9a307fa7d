"""The typed settings schema: defaults, validation, atomic saves."""
from __future__ import annotations

import tomllib

import pytest

from pipelines.settings import SCHEMA, Settings, describe, load_settings, save_settings


def test_defaults_round_trip(tmp_path):
    path = tmp_path / "settings.toml"
    s = Settings()
    s.chat.temperature = 0.0
    s.models.trusted_files = ["/x/model.pth"]
    save_settings(s, path)
    loaded = load_settings(path)
    assert loaded.problems == []
    assert loaded.settings == s
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no temp file left


def test_missing_file_gives_defaults(tmp_path):
    loaded = load_settings(tmp_path / "none.toml")
    assert loaded.settings == Settings() and loaded.problems == []


def test_invalid_and_unknown_values_are_reported_and_replaced(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        '[chat]\ntemperature = "hot"\nmax_new_tokens = -5\ntop_p = 0.5\n'
        '[general]\ntheme = "purple"\nhistory_enabled = 1\n'
        '[device]\nidle_unload_minutes = 3\n'
        '[nonsense]\nx = 1\n[voice]\nbogus = true\n')
    loaded = load_settings(path)
    s = loaded.settings
    assert s.chat.temperature == Settings().chat.temperature
    assert s.chat.max_new_tokens == Settings().chat.max_new_tokens
    assert s.chat.top_p == 0.5
    assert s.general.theme == "system" and s.general.history_enabled is True
    assert s.device.idle_unload_minutes == 3.0 and isinstance(s.device.idle_unload_minutes, float)
    text = "\n".join(loaded.problems)
    for needle in ("chat.temperature", "chat.max_new_tokens", "general.theme", "choose one of",
                   "general.history_enabled", "[nonsense]", "voice.bogus"):
        assert needle in text
    assert all("\n" not in p for p in loaded.problems)


@pytest.mark.parametrize("content", ["this is = = not toml", "\xff\xfe garbage", "[chat]\ntemperature = nan\n"])
def test_broken_file_never_crashes(tmp_path, content):
    path = tmp_path / "settings.toml"
    path.write_bytes(content.encode("latin-1"))
    loaded = load_settings(path)
    assert loaded.settings.chat.temperature == Settings().chat.temperature
    assert loaded.problems


def test_every_setting_has_a_description():
    rows = describe()
    assert len(rows) > 40
    assert all(desc and desc[0].isupper() for *_, desc in rows)
    keys = [(sec, key) for sec, key, *_ in rows]
    assert len(keys) == len(set(keys))


def test_replace_validates():
    s = Settings().replace("chat", temperature=0.0)
    assert s.chat.temperature == 0.0
    with pytest.raises(ValueError):
        Settings().replace("chat", temperature=9.0)


def test_saved_file_is_plain_toml(tmp_path):
    path = tmp_path / "s.toml"
    save_settings(Settings(), path)
    data = tomllib.loads(path.read_text())
    assert set(data) == {"schema", "general", "device", "models", "chat", "imagegen", "voice", "documents", "memory",
                         "learning", "servers"}
    assert set(data["servers"]) == {"chat", "asr", "tts", "embed", "imagegen", "vlm"}
    assert data["servers"]["chat"]["use_server"] is False  # nothing leaves the machine by default
    assert data["schema"] == SCHEMA


def test_model_default_settings_are_unset_until_chosen(tmp_path):
    """Sampling and drawing values default to None, "the model's default" (its catalog entry's
    recommendation): absent from the file, set by writing a value, back to None by removing it."""
    s = Settings()
    assert (s.chat.temperature, s.chat.top_p) == (None, None)
    assert (s.imagegen.steps, s.imagegen.guidance, s.imagegen.width, s.imagegen.height) == (None,) * 4
    path = tmp_path / "settings.toml"
    save_settings(s, path)
    data = tomllib.loads(path.read_text())
    assert "temperature" not in data["chat"] and "steps" not in data["imagegen"]
    assert load_settings(path).settings == s
    path.write_text('[chat]\ntemperature = 0\n[imagegen]\nsteps = 4\nguidance = 0\nwidth = 640\n')
    loaded = load_settings(path)
    assert loaded.problems == []
    t = loaded.settings
    assert (t.chat.temperature, t.imagegen.steps, t.imagegen.guidance, t.imagegen.width) == (0.0, 4, 0.0, 640)
    assert isinstance(t.chat.temperature, float) and t.imagegen.height is None
    save_settings(t, path)
    assert load_settings(path).settings == t
    path.write_text('[imagegen]\nsteps = 0\nguidance = "strong"\n[chat]\ntop_p = 2.5\n')
    bad = load_settings(path)
    assert bad.settings.imagegen.steps is None and bad.settings.imagegen.guidance is None
    assert len(bad.problems) == 3 and all("using the model's default" in p for p in bad.problems)
    assert t.replace("imagegen", steps=None).imagegen.steps is None
    with pytest.raises(ValueError, match="imagegen.steps"):
        t.replace("imagegen", steps=1000)


def _old_settings_module(commit, tmp_path, monkeypatch):
    """pipelines/settings.py as it was at ``commit``, imported under another name."""
    import importlib.util
    import subprocess
    import sys

    from tests.helpers.run import REPO

    old_code = subprocess.run(["git", "show", f"{commit}:pipelines/settings.py"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout
    name = f"old_settings_{commit}"
    old_file = tmp_path / f"{name}.py"
    old_file.write_text(old_code)
    spec = importlib.util.spec_from_file_location(name, old_file)
    old = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, old)  # dataclasses look their module up there
    spec.loader.exec_module(old)
    return old


def test_a_schema_2_chat_server_moves_to_servers_chat(tmp_path, monkeypatch):
    """Schema 2 (873c2e0) kept the one remote server in [chat]; it loads as [servers.chat], with
    no problems, and the old keys are gone from the next save."""
    old = _old_settings_module("873c2e0", tmp_path, monkeypatch)
    path = tmp_path / "settings.toml"
    before = old.Settings()
    before.chat.backend, before.chat.remote_base_url, before.chat.remote_model = "remote", "http://box:8000/v1", "qwen"
    before.chat.max_new_tokens = 77
    old.save_settings(before, path)
    loaded = load_settings(path)
    assert loaded.problems == []
    s = loaded.settings
    assert (s.servers.chat.use_server, s.servers.chat.base_url, s.servers.chat.model) == (True, "http://box:8000/v1",
                                                                                       "qwen")
    assert s.server("chat") is s.servers.chat and s.server("asr") is None and s.chat.max_new_tokens == 77
    save_settings(s, path)
    data = tomllib.loads(path.read_text())
    assert data["schema"] == SCHEMA and "backend" not in data["chat"] and "remote_base_url" not in data["chat"]
    # a local chat with an address typed once keeps the address but stays local
    before.chat.backend = "local"
    old.save_settings(before, path)
    s = load_settings(path).settings
    assert s.servers.chat.base_url == "http://box:8000/v1" and s.server("chat") is None


def test_server_tables_are_checked_like_the_rest(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(f"schema = {SCHEMA}\n[servers.asr]\nuse_server = true\nbase_url = 'http://h:9/v1'\n"
                    "timeout_s = -3\nflavour = 1\n[servers.tts]\nbase_url = 7\n")
    loaded = load_settings(path)
    s = loaded.settings
    assert s.server("asr").base_url == "http://h:9/v1" and s.servers.asr.timeout_s == 60.0
    assert s.servers.imagegen.timeout_s == 600.0  # pictures take longer: a default of their own
    assert len(loaded.problems) == 3, loaded.problems
    assert any("servers.asr.timeout_s" in p for p in loaded.problems)
    assert any("servers.asr.flavour" in p for p in loaded.problems)
    assert any("servers.tts.base_url" in p for p in loaded.problems)
    assert Settings().replace("servers.vlm", use_server=True, base_url="http://x/v1").server("vlm").base_url == "http://x/v1"
    with pytest.raises(ValueError):
        Settings().replace("servers.chat", retries=99)


def test_a_file_saved_by_the_previous_version_gets_the_model_defaults(tmp_path, monkeypatch):
    """Schema 1 (the settings.py of 098bb1b, before the model defaults) wrote every value. Its
    built-in 25 steps at guidance 7 would keep SD-Turbo at ten times its steps for everyone who ever
    saved settings, so values equal to schema 1's defaults load as "the model's default"; a value
    the user changed is kept, and the file is written in the current schema from then on."""
    old = _old_settings_module("098bb1b", tmp_path, monkeypatch)
    path = tmp_path / "settings.toml"
    before = old.Settings()
    before.imagegen.height = 768  # a value the user chose
    before.chat.max_new_tokens = 99
    old.save_settings(before, path)
    assert "schema" not in tomllib.loads(path.read_text())
    loaded = load_settings(path)
    assert loaded.problems == []
    s = loaded.settings
    assert (s.chat.temperature, s.chat.top_p, s.imagegen.steps, s.imagegen.guidance, s.imagegen.width) == (None,) * 5
    assert s.imagegen.height == 768 and s.chat.max_new_tokens == 99
    save_settings(s, path)
    assert tomllib.loads(path.read_text())["schema"] == SCHEMA
    # in the current schema an explicit 25 steps is the user's choice and stays
    s.imagegen.steps = 25
    save_settings(s, path)
    assert load_settings(path).settings.imagegen.steps == 25
    path.write_text("schema = 7\n[imagegen]\nsteps = 3\n")
    newer = load_settings(path)
    assert newer.settings.imagegen.steps == 3 and len(newer.problems) == 1 and "schema 7" in newer.problems[0]
