"""What every serving-engine client shares (pipelines/remote/http.py), against a real HTTP server on
127.0.0.1 that answers with the envelopes real engines use: each error is one line that quotes the
server and names the setting to fix, and the key never shows."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.errors import ModelUnavailable
from pipelines.remote import ServerConfig, list_models
from pipelines.remote.http import RemoteClient, error_detail
from tests.helpers.stub_http import ThreadedServer

KEY = "sk-live-0a1b2c3d4e5f6a7b8c9d"


class Canned:
    """Answers every request with ``self.answer`` = (status, body, content type)."""

    def __init__(self):
        self.answer = (200, "{}", "application/json")
        self.delay = 0.0
        self.seen: list[tuple[str, str]] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _any(self):
                n = int(self.headers.get("Content-Length", 0) or 0)
                if n:
                    self.rfile.read(n)
                canned.seen.append((self.command, self.path))
                if canned.delay:
                    threading.Event().wait(canned.delay)
                status, body, kind = canned.answer
                data = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            do_GET = do_POST = _any

        self.server = ThreadedServer(Handler)
        self.base_url = self.server.base_url

    def close(self):
        self.server.close()


@pytest.fixture
def canned():
    c = Canned()
    yield c
    c.close()


def client(canned, role="asr", key=KEY, **kw) -> RemoteClient:
    c = RemoteClient(ServerConfig(role, canned.base_url, "whisper-1", key, retries=0, **kw))
    c.endpoint = "/audio/transcriptions"
    return c


def failure(c: RemoteClient) -> str:
    with pytest.raises(ModelUnavailable) as e:
        c.call("POST", "audio/transcriptions", json={})
    msg = str(e.value)
    assert "\n" not in msg and KEY not in msg and KEY[:8] not in msg
    return msg


def test_error_envelopes_of_real_engines():
    assert error_detail('{"error": {"message": "The model `x` does not exist", "type": "invalid_request"}}') == \
        "The model `x` does not exist"  # OpenAI, vLLM, llama.cpp
    assert error_detail('{"error": "model not found"}') == "model not found"  # Ollama
    assert error_detail('{"detail": "Not Found"}') == "Not Found"  # FastAPI (faster-whisper-server, speaches)
    assert error_detail('{"detail": [{"loc": ["body", "model_name"], "msg": "Field required"}]}') == \
        "model_name: Field required"  # FastAPI's validation errors
    assert error_detail('{"message": "busy"}') == "busy"
    assert error_detail("<html>\n<b>Bad Gateway</b></html>") == "<html> <b>Bad Gateway</b></html>"


@pytest.mark.parametrize("status,body,words", [
    (401, '{"error": {"message": "Incorrect API key provided: sk-live-0a1b...8c9d"}}',
     ["refused the API key", "HTTP 401", "Incorrect API key provided", "Settings > Servers"]),
    (403, '{"detail": "Forbidden"}', ["refused the API key", "HTTP 403", "Forbidden"]),
    (404, '{"error": {"message": "model whisper-1 not found"}}',
     ["has no model 'whisper-1'", "servers.asr.model", "Test connection"]),
    (404, '{"detail": "Not Found"}', ["has no /audio/transcriptions endpoint", "servers.asr.base_url", "/v1"]),
    (413, "Request Entity Too Large", ["too large", "HTTP 413"]),
    (422, '{"detail": [{"loc": ["body", "model_name"], "msg": "Field required"}]}',
     ["another dialect", "model_name: Field required", "servers.asr.base_url"]),
    (429, '{"error": "slow down"}', ["rate limiting", "slow down", "servers.asr.retries"]),
    (500, '{"error": {"message": "CUDA out of memory"}}', ["failed (HTTP 500", "CUDA out of memory", "log"]),
])
def test_each_status_is_one_line_naming_the_fix(canned, status, body, words):
    canned.answer = (status, body, "application/json")
    msg = failure(client(canned))
    assert msg.startswith("the speech recognition server at http://127.0.0.1:")
    for w in words:
        assert w in msg, (w, msg)


def test_no_key_and_not_json_and_an_unreachable_host(canned):
    canned.answer = (401, '{"error": "unauthorized"}', "application/json")
    assert "wants an API key" in failure(client(canned, key=None))
    canned.answer = (200, "<!doctype html><title>Router admin</title>", "text/html")
    c = client(canned)
    with pytest.raises(ModelUnavailable) as e:
        c.json(c.call("GET", "models"))
    assert "not JSON" in str(e.value) and "Router admin" in str(e.value) and "servers.asr.base_url" in str(e.value)
    gone = RemoteClient(ServerConfig("tts", "http://127.0.0.1:9/v1", "m", retries=0))
    with pytest.raises(ModelUnavailable, match=r"cannot reach the speech synthesis server .*servers.tts.base_url"):
        gone.call("POST", "audio/speech", json={})


def test_models_are_listed_in_each_engines_shape(canned):
    cfg = ServerConfig("chat", canned.base_url, "", KEY)
    canned.answer = (200, json.dumps({"object": "list", "data": [{"id": "qwen2.5-72b"}, {"id": "llama"}]}),
                     "application/json")
    assert list_models(cfg) == ["qwen2.5-72b", "llama"]
    canned.answer = (200, json.dumps({"models": [{"name": "qwen2.5:7b", "model": "qwen2.5:7b"}]}), "application/json")
    assert list_models(cfg) == ["qwen2.5:7b"]
    canned.answer = (200, json.dumps({"model_path": "black-forest-labs/FLUX.2-klein-4B", "task_type": "T2I"}),
                     "application/json")
    assert list_models(cfg) == ["black-forest-labs/FLUX.2-klein-4B"]
    assert canned.seen[-1] == ("GET", "/v1/models")


def test_a_cancel_closes_a_request_the_server_is_still_working_on(canned):
    canned.delay = 5.0
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    import time

    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        client(canned).call("POST", "audio/transcriptions", json={}, cancel=cancel)
    assert time.perf_counter() - t0 < 2.0


def test_an_address_that_is_not_http_and_a_missing_model():
    from pipelines.errors import BadInput

    with pytest.raises(BadInput, match="servers.vlm.base_url"):
        RemoteClient(ServerConfig("vlm", "gpu-box:8000", "m"))
    with pytest.raises(ModelUnavailable, match="servers.embed.model"):
        RemoteClient(ServerConfig("embed", "http://gpu-box:8000/v1", " "))
    c = RemoteClient(ServerConfig("embed", "http://user:pw@gpu-box:8000/v1", "m", KEY))
    assert "pw" not in c.name and KEY not in repr(c) and c.where == "http://gpu-box:8000/v1"
