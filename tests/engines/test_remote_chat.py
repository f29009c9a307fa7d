"""The chat role on a real serving engine: llama.cpp's server (xllamacpp), started by the suite on
127.0.0.1 as a process of its own and stopped by PID, so it can be killed in the middle of a reply
and started again between turns. What our client says is compared with what the engine says to a
plain httpx request."""
from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler

import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.engine import Engine
from pipelines.errors import ModelUnavailable
from pipelines.events import Done, Failed, Token, Turn
from pipelines.history import HistoryStore
from pipelines.llm import ChatMessage, GenerationParams
from pipelines.remote import ServerConfig, list_models, open_role
from pipelines.settings import Settings
from tests.fixtures.servers import start_llama
from tests.helpers.run import sensorium
from tests.helpers.stub_http import ThreadedServer

pytestmark = pytest.mark.weights

SYSTEM = ChatMessage("system", "You are a helpful assistant. Answer briefly.")
FRANCE = [SYSTEM, ChatMessage("user", "What is the capital of France?")]
STORY = [SYSTEM, ChatMessage("user", "Tell me a long story about a dragon who learns to paint.")]
GREEDY = GenerationParams(temperature=0.0, max_new_tokens=40, seed=1)


def chat(engine_or_url, model: str = "smollm2", key: str | None = None, **kw):
    base = getattr(engine_or_url, "base_url", engine_or_url)
    return open_role(ServerConfig("chat", base, model, key, **kw))


def server_settings(engine, **kw) -> Settings:
    s = Settings().replace("servers.chat", use_server=True, base_url=engine.base_url, model=engine.model, **kw)
    return s.replace("chat", temperature=0.0, max_new_tokens=48)


@pytest.fixture
def server_engine(warm_profile):
    """An Engine whose chat role is the server (the router and everything else local)."""
    made = []

    def make(engine, **kw) -> Engine:
        store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
        e = Engine(server_settings(engine, **kw), warm_profile, store=store)
        made.append(e)
        return e

    yield make
    for e in made:
        e.manager.unload_all()
        e.store.close()


def test_stream_and_models_match_the_engine(llama_engine):
    client = chat(llama_engine)
    pieces = list(client.stream(FRANCE, GREEDY))
    with llama_engine.client() as plain:  # the plain call: the same request, no streaming
        r = plain.post("/v1/chat/completions", json={"model": "smollm2", "messages": [m.as_dict() for m in FRANCE],
                                                    "max_tokens": 40, "temperature": 0.0, "seed": 1})
        expected = r.json()["choices"][0]["message"]["content"]
    assert "Paris" in "".join(pieces) and len(pieces) >= 3
    assert "".join(pieces) == expected
    assert client.last_stats.stopped == "eos-or-length" and client.last_stats.new_tokens == len(pieces)
    assert list_models(ServerConfig("chat", llama_engine.base_url, "")) == ["smollm2"]
    client.close()


def test_command_line_against_a_server_someone_else_started(llama_engine, tmp_path):
    t0 = time.perf_counter()
    r = sensorium("chat", "What is the capital of France?", "--server", llama_engine.base_url,
                  "--server-model", "smollm2", "--temperature", "0", profile=tmp_path / "p")
    print(f"\nsensorium chat --server: {time.perf_counter() - t0:.2f} s (process start included)")
    assert r.returncode == 0, r.stderr
    assert "Paris" in r.stdout
    # the settings file was not touched: the next command is local again
    assert not (tmp_path / "p" / "settings.toml").exists() or "servers" not in (tmp_path / "p" / "settings.toml").read_text()
    bad = sensorium("chat", "Hi", "--server", "http://127.0.0.1:9/v1", "--server-model", "x", profile=tmp_path / "p")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "servers.chat.base_url" in bad.stderr


def test_cancel_closes_the_stream_and_the_server_serves_the_next(llama_engine):
    client = chat(llama_engine)
    cancel, got = CancelToken(), []
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        for piece in client.stream(STORY, GenerationParams(temperature=0.0, max_new_tokens=400), cancel=cancel):
            got.append(piece)
            if len(got) == 3:
                cancel.cancel()
    assert len(got) == 3 and time.perf_counter() - t0 < 30
    # the server has one slot (n_parallel 1): it answers at once only if it stopped the cancelled reply
    t1 = time.perf_counter()
    assert "Paris" in "".join(client.stream(FRANCE, GREEDY))
    print(f"\nnext reply after a cancel: {time.perf_counter() - t1:.2f} s")
    assert time.perf_counter() - t1 < 20
    client.close()


def test_a_server_killed_mid_reply_keeps_the_part_and_the_next_turn_works(server_engine, tmp_path):
    engine = start_llama(log_dir=tmp_path)
    try:
        e = server_engine(engine)
        e.settings.chat.max_new_tokens = 300
        seen = []
        for ev in e.respond(Turn(text="Tell me a long story about a dragon who learns to paint.", intent="chat")):
            seen.append(ev)
            if sum(isinstance(x, Token) for x in seen) == 4 and engine.alive:
                engine.kill()  # SIGKILL by PID: no goodbye, the connection just breaks
        failed = seen[-1]
        assert isinstance(failed, Failed), [type(x).__name__ for x in seen]
        assert "\n" not in failed.message and failed.role == "chat"
        assert "servers.chat" in failed.message or "server" in failed.message
        partial = "".join(x.text for x in seen if isinstance(x, Token))
        msg = e.store.get_message(seen[0].assistant_message_id)
        assert msg.status == "interrupted" and msg.text == partial and partial.strip()
        assert msg.meta["error"] == failed.message
        cid = seen[0].conversation_id

        # while it is down: one line, nothing stored as a reply, the conversation intact
        down = list(e.respond(Turn(text="Are you there?", intent="chat", conversation_id=cid)))
        assert isinstance(down[-1], Failed) and "cannot reach" in down[-1].message
        assert "servers.chat.base_url" in down[-1].message

        engine.restart()  # the same port
        again = list(e.respond(Turn(text="What is the capital of France?", intent="chat", conversation_id=cid)))
        assert isinstance(again[-1], Done), again[-1]
        assert "Paris" in again[-1].text
        texts = [m.text for m in e.store.messages(cid)]
        assert partial in texts  # nothing was lost
    finally:
        engine.stop()


def test_a_server_restarted_between_turns(server_engine, tmp_path):
    engine = start_llama(log_dir=tmp_path)
    try:
        e = server_engine(engine)
        first = list(e.respond(Turn(text="What is the capital of France?", intent="chat")))
        assert isinstance(first[-1], Done) and "Paris" in first[-1].text
        assert first[-1].models["chat"] == f"smollm2 @ http://127.0.0.1:{engine.port}/v1"
        pid = engine.pid
        engine.stop()
        engine.restart()
        assert engine.pid != pid
        # the client kept a connection to the old process: the next turn still gets through
        second = list(e.respond(Turn(text="And the capital of Italy?", intent="chat",
                                     conversation_id=first[-1].conversation_id)))
        assert isinstance(second[-1], Done), second[-1]
        assert second[-1].text.strip()
    finally:
        engine.stop()


def test_a_wrong_or_missing_key(tmp_path):
    key = "sk-local-7c1d0e9f8a2b4c6d"
    engine = start_llama(api_key=key, log_dir=tmp_path)
    try:
        assert "Paris" in "".join(chat(engine, key=key).stream(FRANCE, GREEDY))
        wrong = "sk-wrong-5e4d3c2b1a0f9e8d"
        with pytest.raises(ModelUnavailable) as e:
            list(chat(engine, key=wrong).stream(FRANCE, GREEDY))
        msg = str(e.value)
        print(f"\nwrong key -> {msg}")
        assert "401" in msg and "refused the API key" in msg and "Settings > Servers" in msg
        assert wrong not in msg and "sk-wrong" not in msg and "\n" not in msg
        with pytest.raises(ModelUnavailable, match="wants an API key"):
            list(chat(engine).stream(FRANCE, GREEDY))
        with pytest.raises(ModelUnavailable, match="401"):
            list_models(ServerConfig("chat", engine.base_url, "", "sk-nope"))
        # the command line: SENSORIUM_API_KEY is the key for the server its --server names
        args = ("chat", "What is the capital of France?", "--server", engine.base_url, "--server-model", "smollm2",
                "--temperature", "0")
        r = sensorium(*args, profile=tmp_path / "p", env={"SENSORIUM_API_KEY": key})
        assert r.returncode == 0 and "Paris" in r.stdout, r.stderr
        r = sensorium(*args, profile=tmp_path / "p", env={"SENSORIUM_API_KEY": ""})
        assert r.returncode != 0 and r.stderr.count("\n") == 1 and "SENSORIUM_API_KEY" in r.stderr, r.stderr
    finally:
        engine.stop()


class _Stub:
    """A scripted server for the faults a real engine cannot be made to show on demand: a slow
    answer, a 503 then an answer, a 429 with Retry-After."""

    def __init__(self):
        self.script: list = []  # per request: ("slow", seconds) | ("status", code, headers) | ("ok", pieces)
        self.requests = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.requests += 1
                step = stub.script.pop(0) if stub.script else ("ok", ["Hello", " there", "."])
                if step[0] == "slow":
                    time.sleep(step[1])
                    step = ("ok", ["late"])
                if step[0] == "status":
                    body = json.dumps({"error": {"message": f"busy ({step[1]})"}}).encode()
                    self.send_response(step[1])
                    for k, v in step[2].items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                for piece in step[1]:
                    chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b'data: {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}\n\n')
                self.wfile.write(b"data: [DONE]\n\n")
                self.close_connection = True

        self.server = ThreadedServer(Handler)
        self.base_url = self.server.base_url

    def close(self):
        self.server.close()


@pytest.fixture
def stub():
    s = _Stub()
    yield s
    s.close()


def test_a_slow_server_names_the_timeout_setting(stub):
    stub.script = [("slow", 3.0)]
    client = chat(stub.base_url, "m", timeout_s=1.0, retries=0)
    t0 = time.perf_counter()
    with pytest.raises(ModelUnavailable) as e:
        list(client.stream(FRANCE, GREEDY))
    assert time.perf_counter() - t0 < 2.5
    assert "did not answer within 1 s" in str(e.value) and "servers.chat.timeout_s" in str(e.value)


def test_busy_answers_are_tried_again_with_backoff(stub):
    stub.script = [("status", 503, {}), ("status", 429, {"Retry-After": "1"})]
    client = chat(stub.base_url, "m", retries=2)
    t0 = time.perf_counter()
    assert "".join(client.stream(FRANCE, GREEDY)) == "Hello there."
    assert stub.requests == 3 and time.perf_counter() - t0 >= 1.0  # Retry-After was honoured
    stub.script = [("status", 503, {})] * 3
    with pytest.raises(ModelUnavailable) as e:
        list(chat(stub.base_url, "m", retries=1).stream(FRANCE, GREEDY))
    assert "HTTP 503" in str(e.value) and "busy (503)" in str(e.value)
    # a 500 is an answer, not a "not now": it is not sent twice
    before = stub.requests
    stub.script = [("status", 500, {})]
    with pytest.raises(ModelUnavailable, match="HTTP 500"):
        list(chat(stub.base_url, "m", retries=3).stream(FRANCE, GREEDY))
    assert stub.requests == before + 1
