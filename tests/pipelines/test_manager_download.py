"""First-use downloads through the model manager: a lease of a hub model that is not on disk
downloads it with ``downloading`` status events (progress 0..1, "x / y MB"), the caller's
CancelToken stops it mid-file (the part is kept, the next try resumes with a Range request, no
model folder is ever marked complete half-way), failures are one line, and a turn's own token
reaches the download through the engine.

The files come from a real HTTP server on 127.0.0.1 (tests/helpers/httpserver.py), found through the
``models.hub_endpoint`` setting; the loaders are the manager's own injection point (what is tested
is the download, not a model library).
"""
from __future__ import annotations

import json
import re
import threading

import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import COMPLETE_MARKER, Catalog
from pipelines.devices import DeviceChoice
from pipelines.engine import Engine
from pipelines.errors import ModelUnavailable
from pipelines.events import Cancelled as CancelledEvent
from pipelines.events import Turn
from pipelines.manager import DownloadState, ModelManager
from pipelines.settings import Settings
from tests.helpers.httpserver import FileServer

MB = 2**20


def toy_entry(role: str, name: str, files: list[str], fmt: str, *, size_mb: float = 2, license: str = "MIT") -> str:
    """A catalog entry for a hub model at ``acme/NAME`` (TOML), served by a FileServer in these tests."""
    return (f'[[models]]\nrole = "{role}"\nname = "{name}"\nsource = "hub"\nrepo = "acme/{name}"\n'
            f'files = {json.dumps(files)}\nformat = "{fmt}"\nsize_mb = {size_mb}\nlicense = "{license}"\n')


TOY_CLIP = toy_entry("vision", "toy-clip", ["open_clip_config.json", "weights/open_clip_model.safetensors"], "open_clip")
TOML = ('[profiles.cpu-offline]\nvision = "toy-clip"\nchat = "toy-chat"\n' + TOY_CLIP
        + toy_entry("chat", "toy-chat", ["config.json", "model.safetensors"], "transformers", license="Apache-2.0"))
WEIGHTS = bytes(range(256)) * (8 * 1024)  # 2 MiB: about 32 network blocks of 64 KiB
FILES = {"open_clip_config.json": b'{"model_cfg": {}}', "open_clip_model.safetensors": WEIGHTS,
         "config.json": b'{"model_type": "toy"}', "model.safetensors": WEIGHTS}
CPU = DeviceChoice("cpu", "float32", "int8", "test")


def make(tmp_path, profile, url, *, allow=True, loads=None):
    path = tmp_path / "catalog.toml"
    path.write_text(TOML)
    s = Settings()
    s.models.hub_endpoint = url
    s.models.allow_downloads = allow
    s.models.download_timeout_s = 5.0
    s.models.hf_cache_dir = str(tmp_path / "no-hf-cache")
    catalog = Catalog.load(s, profile, path, gpu=False)
    loads = [] if loads is None else loads

    def loader(role):
        def load(resolved, device, settings, prof):
            loads.append((role, resolved.path))
            return object()
        return load

    return ModelManager(catalog, s, profile, loaders={"vision": loader("vision"), "chat": loader("chat")}, device=CPU)


def test_a_lease_downloads_with_progress_events_then_loads(profile, tmp_path):
    loads, events = [], []
    with FileServer(FILES) as srv:
        m = make(tmp_path, profile, srv.url, loads=loads)
        m.add_listener(events.append)
        with m.lease("vision"):
            pass
    vision = [e for e in events if e.role == "vision"]
    down = [e for e in vision if e.state == "downloading"]
    assert down and down[0].progress == 0.0 and down[-1].progress == 1.0
    fractions = [e.progress for e in down]
    assert fractions == sorted(fractions) and len(set(fractions)) > 5  # it moved, in steps
    assert all(re.fullmatch(r"downloading toy-clip: [\d,]+ / [\d,]+ MB", e.detail) for e in down), down[-1].detail
    assert len(down) <= len(WEIGHTS) // (64 * 1024) + 4  # about one event per block here, never more
    after = [e.state for e in vision[len(down):]]
    assert after == ["not-loaded", "loading", "ready"], after  # downloaded, then it loads
    assert "downloaded" in vision[len(down)].detail
    folder = profile.models_dir / "toy-clip"
    assert (folder / COMPLETE_MARKER).exists() and (folder / "weights/open_clip_model.safetensors").read_bytes() == WEIGHTS
    assert [role for role, _ in loads] == ["vision"]


def test_cancel_stops_mid_file_keeps_the_part_and_the_next_lease_resumes(profile, tmp_path):
    loads, events = [], []
    token = CancelToken()

    def cancel_part_way(ev):
        if ev.state == "downloading" and (ev.progress or 0) > 0.25:
            token.cancel()

    with FileServer(FILES) as srv:
        m = make(tmp_path, profile, srv.url, loads=loads)
        m.add_listener(events.append)
        m.add_listener(cancel_part_way)
        with pytest.raises(Cancelled):
            with m.lease("vision", cancel=token):
                pass
        folder = profile.models_dir / "toy-clip"
        part = folder / "weights/open_clip_model.safetensors.part"
        assert not (folder / COMPLETE_MARKER).exists() and not (folder / "weights/open_clip_model.safetensors").exists()
        assert 0 < part.stat().st_size < len(WEIGHTS)
        assert m.catalog.status("vision").status == "needs-download" and loads == []
        last = events[-1]
        assert last.state == "not-loaded" and "cancelled" in last.detail and "resumes" in last.detail
        m.remove_listener(cancel_part_way)
        kept = part.stat().st_size
        with m.lease("vision"):
            pass
        ranges = [rng for path, rng in srv.requests if path.endswith("open_clip_model.safetensors")]
    assert ranges[-1] == f"bytes={kept}-"  # resumed where it stopped
    assert (folder / "weights/open_clip_model.safetensors").read_bytes() == WEIGHTS and not part.exists()
    assert [role for role, _ in loads] == ["vision"]


def test_a_failed_download_is_one_line_and_marks_the_role_failed(profile, tmp_path):
    events = []
    m = make(tmp_path, profile, "http://127.0.0.1:9")  # nothing listens there
    m.add_listener(events.append)
    with pytest.raises(ModelUnavailable) as e:
        m.preload("vision")
    assert "cannot download" in str(e.value) and "\n" not in str(e.value)
    assert events[-1].state == "failed" and events[-1].detail == str(e.value)
    assert "loading" not in [ev.state for ev in events]
    assert not (profile.models_dir / "toy-clip" / COMPLETE_MARKER).exists()


def test_without_permission_a_lease_downloads_nothing(profile, tmp_path):
    events = []
    with FileServer(FILES) as srv:
        m = make(tmp_path, profile, srv.url, allow=False)
        m.add_listener(events.append)
        with pytest.raises(ModelUnavailable, match="not downloaded"):
            m.preload("vision")
        assert srv.requests == [] and not [e for e in events if e.state == "downloading"]


def test_download_on_request_reports_bytes_and_loads_nothing(profile, tmp_path):
    loads, seen = [], []
    with FileServer(FILES) as srv:
        m = make(tmp_path, profile, srv.url, allow=False, loads=loads)  # an explicit download needs no permission
        r = m.download("vision", progress=seen.append)
        assert r.path == profile.models_dir / "toy-clip" and m.catalog.status("vision").status == "ready"
        asked = len(srv.requests)
        m.download("vision")  # on disk now: checked, not downloaded again
        assert len(srv.requests) == asked
    assert all(isinstance(s, DownloadState) and s.role == "vision" for s in seen)
    done = [s.done for s in seen]
    assert done == sorted(done)
    size = len(WEIGHTS) + len(FILES["open_clip_config.json"])
    assert (seen[-1].done, seen[-1].total) == (size, size) and seen[-1].fraction == 1.0
    assert loads == [] and not m.is_loaded("vision")


def test_a_turn_cancelled_during_its_models_download_ends_cancelled(profile, tmp_path):
    token = CancelToken()

    def cancel_part_way(ev):
        if ev.role == "chat" and ev.state == "downloading" and (ev.progress or 0) > 0.25:
            token.cancel()

    with FileServer(FILES) as srv:
        m = make(tmp_path, profile, srv.url)
        m.add_listener(cancel_part_way)
        engine = Engine(m.settings, profile, manager=m, catalog=m.catalog)
        events = list(engine.respond(Turn(text="Hello there", intent="chat"), token))
    assert isinstance(events[-1], CancelledEvent), events[-1]
    folder = profile.models_dir / "toy-chat"
    assert not (folder / COMPLETE_MARKER).exists() and 0 < (folder / "model.safetensors.part").stat().st_size < len(WEIGHTS)


def test_cancel_during_a_stalled_connection_is_cancelled_not_a_network_error(tmp_path):
    from pipelines.download import download_file

    token = CancelToken()
    with FileServer(FILES) as srv:
        srv.stall.add("open_clip_config.json")  # headers, then nothing

        def cancel_once_asked():
            while not srv.requests:
                token.wait(0.01)
            token.cancel()

        helper = threading.Thread(target=cancel_once_asked)
        helper.start()
        with pytest.raises(Cancelled):
            download_file(f"{srv.url}/acme/toy/resolve/main/open_clip_config.json", tmp_path / "c.json",
                          timeout=2.0, cancel=token)
        helper.join()
