"""The language model role: real SmolLM2 (offline pack), a tiny random Llama, and a real
OpenAI-compatible server on 127.0.0.1 that runs a real model."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import ResolvedModel
from pipelines.errors import BadInput, ModelUnavailable, UntrustedFile
from pipelines.llm import (
    ChatBackend,
    ChatMessage,
    GenerationParams,
    TransformersChat,
    _StopFilter,
    fit_context,
    gguf_cache_dir,
    load,
)
from pipelines.remote import ServerConfig, config_for, open_role
from pipelines.remote.chat import OpenAIChat
from pipelines.remote.http import sse_events

from ..fixtures.llm import CPU

FRANCE = [ChatMessage("user", "What is the capital of France?")]
GREEDY = GenerationParams(temperature=0, max_new_tokens=30)
STORY = [ChatMessage("user", "Write a long story about a dragon who learns to bake bread.")]


# ---- fast: no model -------------------------------------------------------------------------
def test_import_is_cheap():
    code = ("import sys, pipelines.llm, pipelines.llamacpp; "
            "heavy = [m for m in ('torch', 'transformers', 'httpx', 'xllamacpp') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == ""


def test_typed_inputs_are_checked():
    with pytest.raises(BadInput):
        ChatMessage("robot", "hi")
    with pytest.raises(BadInput):
        GenerationParams(max_new_tokens=0)
    assert GenerationParams(temperature=0).greedy


def test_stop_filter_cuts_across_pieces():
    f = _StopFilter(("STOP",))
    out = "".join(f.feed(p) for p in ["abc S", "TO", "P and more"]) + f.flush()
    assert out == "abc " and f.hit
    f = _StopFilter(())
    assert f.feed("x") == "x"


def test_sse_parser():
    lines = [": keep-alive", "data: {\"a\": 1}", "", "event: x", "data: line1", "data: line2", "", "data: [DONE]"]
    assert list(sse_events(lines)) == ['{"a": 1}', "line1\nline2", "[DONE]"]


def test_gguf_cache_key_changes_with_the_file(tmp_path):
    g = tmp_path / "m.gguf"
    g.write_bytes(b"GGUF" + b"\0" * 10)
    a = gguf_cache_dir(g, tmp_path / "conv")
    assert a == gguf_cache_dir(g, tmp_path / "conv") and a.parent == tmp_path / "conv"
    assert gguf_cache_dir(g, tmp_path / "conv", "bfloat16") != a
    g.write_bytes(b"GGUF" + b"\0" * 11)
    assert gguf_cache_dir(g, tmp_path / "conv") != a


def chat_client(base_url, model, key=None, **kw):
    return OpenAIChat(ServerConfig("chat", base_url, model, key, **kw))


def test_a_chat_server_needs_an_address_and_a_model(settings):
    assert config_for(settings, "chat") is None  # local by default
    s = settings.replace("servers.chat", use_server=True, base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ModelUnavailable, match="servers.chat.model"):
        open_role(config_for(s, "chat"), settings=s)
    with pytest.raises(BadInput, match="servers.chat.base_url"):
        chat_client("ftp://x", "m")


def test_connection_refused_is_one_line_without_the_key():
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    key = "sk-secret-0123456789abcdef"
    backend = chat_client(f"http://127.0.0.1:{port}/v1", "m", key, timeout_s=2, retries=1)
    t0 = time.perf_counter()
    with pytest.raises(ModelUnavailable) as e:
        list(backend.stream(FRANCE, GREEDY))
    msg = str(e.value)
    assert time.perf_counter() - t0 >= 0.3  # tried again once, after a pause
    assert "\n" not in msg and "connection refused" in msg and "servers.chat.base_url" in msg
    assert key not in msg and key not in repr(backend) and "sk-secret" not in msg
    backend.close()


# ---- tiny random Llama ------------------------------------------------------------------------
@pytest.mark.tiny
def test_tiny_backend_streams_and_counts(tiny_lm):
    assert isinstance(tiny_lm, ChatBackend)
    n1 = tiny_lm.count_tokens([ChatMessage("user", "Hello")])
    n2 = tiny_lm.count_tokens([ChatMessage("user", "Hello, how are you today? " * 5)])
    assert 0 < n1 < n2
    a = "".join(tiny_lm.stream(FRANCE, GenerationParams(temperature=0, max_new_tokens=12)))
    b = "".join(tiny_lm.stream(FRANCE, GenerationParams(temperature=0, max_new_tokens=12)))
    assert a == b and tiny_lm.last_stats.new_tokens <= 12
    s1 = "".join(tiny_lm.stream(FRANCE, GenerationParams(temperature=1.0, max_new_tokens=12, seed=7)))
    s2 = "".join(tiny_lm.stream(FRANCE, GenerationParams(temperature=1.0, max_new_tokens=12, seed=7)))
    assert s1 == s2  # a seed makes sampling repeatable


@pytest.mark.tiny
def test_worker_errors_reach_the_caller(tiny_lm, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("generate exploded")

    monkeypatch.setattr(tiny_lm.model, "generate", boom)
    with pytest.raises(RuntimeError, match="generate exploded"):
        list(tiny_lm.stream(FRANCE, GREEDY))
    assert tiny_lm.last_stats.stopped == "error"


@pytest.mark.tiny
def test_chatml_fallback_when_the_tokenizer_has_no_template(tiny_lm_dir, tmp_path):
    d = tmp_path / "no-template"
    d.mkdir()
    for f in tiny_lm_dir.iterdir():
        if f.name == "chat_template.jinja":
            continue
        if f.name == "tokenizer_config.json":
            cfg = json.loads(f.read_text())
            cfg.pop("chat_template", None)
            (d / f.name).write_text(json.dumps(cfg))
        else:
            (d / f.name).write_bytes(f.read_bytes())
    backend = TransformersChat(d, device=CPU)
    assert backend.fallback_template
    ids = backend._encode([ChatMessage("user", "Hello")])
    assert "<|im_start|>assistant" in backend.tokenizer.decode(ids)
    assert isinstance("".join(backend.stream(FRANCE, GenerationParams(temperature=0, max_new_tokens=5))), str)


@pytest.mark.tiny
def test_pickle_only_folder_is_refused(tiny_lm_dir, tmp_path, settings):
    d = tmp_path / "pickled"
    d.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        (d / name).write_bytes((tiny_lm_dir / name).read_bytes())
    (d / "pytorch_model.bin").write_bytes(b"not loaded: refused before anything opens it")
    with pytest.raises(UntrustedFile) as e:
        TransformersChat(d, device=CPU)
    assert "pytorch_model.bin" in str(e.value) and "models.trusted_files" in str(e.value)
    resolved = ResolvedModel("chat", "pickled", d, "transformers", "user-path")
    with pytest.raises(UntrustedFile):
        load(resolved, CPU, settings, tmp_path / "conv")


@pytest.mark.tiny
def test_load_factory_for_a_folder(tiny_lm_dir, tmp_path, settings):
    s = settings.replace("chat", context_tokens=200)
    backend = load(ResolvedModel("chat", "tiny", tiny_lm_dir, "transformers", "user-path"), CPU, s, tmp_path)
    assert backend.name == "tiny" and backend.context_window == 200 and backend.load_info.source == "folder"
    with pytest.raises(ModelUnavailable):
        load(ResolvedModel("chat", "x", tiny_lm_dir, "piper", "user-path"), CPU, settings, tmp_path)


def _conversation(pairs: int) -> list[ChatMessage]:
    out = []
    for i in range(pairs):
        out.append(ChatMessage("user", f"Question {i}: tell me about the quick brown fox and the lazy dog."))
        out.append(ChatMessage("assistant", f"Answer {i}: the quick brown fox jumps over the lazy dog."))
    out.append(ChatMessage("user", "And finally: how are you today?"))
    return out


@pytest.mark.tiny
def test_fit_context_drops_oldest_pairs(tiny_lm):
    system = "You are a tiny assistant."
    history = _conversation(12)
    everything = tiny_lm.count_tokens([ChatMessage("system", system), *history])
    max_new = 40
    budget = everything // 2
    fit = fit_context(system, history, tiny_lm, max_new, budget=budget)
    assert fit.messages[0] == ChatMessage("system", system)
    assert fit.messages[-1] == history[-1]
    assert fit.dropped_count == len(fit.dropped) > 0 and fit.dropped_count % 2 == 0  # whole pairs
    assert fit.dropped == history[: fit.dropped_count]  # the oldest ones
    assert fit.messages[1:] == history[fit.dropped_count:]
    assert fit.tokens == tiny_lm.count_tokens(fit.messages) <= budget
    # it kept as much as fits: one more pair would not
    more = [fit.messages[0], *history[fit.dropped_count - 2:]]
    assert tiny_lm.count_tokens(more) > budget
    # nothing dropped when it all fits, and the window minus the reply is the default budget
    fit_all = fit_context(system, history, tiny_lm, max_new, budget=everything)
    assert fit_all.dropped_count == 0 and fit_all.tokens == everything
    fit_window = fit_context(system, history, tiny_lm, tiny_lm.context_window - budget)
    assert fit_window.budget == budget and fit_window.tokens <= budget


@pytest.mark.tiny
def test_fit_context_truncates_an_overlong_message_in_the_middle(tiny_lm):
    long = "BEGINNING " + "the lazy dog sleeps " * 200 + " THE END"
    history = [ChatMessage("user", "hi"), ChatMessage("assistant", "hello"), ChatMessage("user", long)]
    fit = fit_context("Be brief.", history, tiny_lm, 50, budget=120)
    assert fit.truncated and fit.tokens <= 120
    assert fit.messages[0].role == "system" and len(fit.messages) == 2
    kept = fit.messages[1].content
    assert kept.startswith("BEGINNING") and kept.endswith("THE END") and "[...]" in kept
    assert len(kept) < len(long)
    assert fit.dropped == history[:2]
    with pytest.raises(BadInput, match="chat.max_new_tokens"):
        fit_context("Be brief.", history, tiny_lm, tiny_lm.context_window + 1)
    with pytest.raises(BadInput, match="system prompt"):
        fit_context("word " * 300, history, tiny_lm, 50, budget=60)


# ---- the real SmolLM2 pack --------------------------------------------------------------------
@pytest.mark.weights
def test_smollm2_answers_paris_deterministically(smollm2):
    pieces1 = list(smollm2.stream(FRANCE, GREEDY))
    pieces2 = list(smollm2.stream(FRANCE, GREEDY))
    answer = "".join(pieces1)
    print(f"\nSmolLM2: {answer!r} in {len(pieces1)} pieces, {smollm2.last_stats}")
    assert "Paris" in answer
    assert pieces1 == pieces2
    assert len(pieces1) >= 3  # streamed, not one lump
    assert smollm2.context_window == 8192
    assert 20 < smollm2.count_tokens(FRANCE) < 60


@pytest.mark.weights
def test_smollm2_stop_string(smollm2):
    answer = "".join(smollm2.stream(FRANCE, GenerationParams(temperature=0, max_new_tokens=30, stop=("Paris",))))
    assert "Paris" not in answer and "capital" in answer
    assert smollm2.last_stats.stopped == "stop-string"


@pytest.mark.weights
def test_smollm2_cancel_stops_within_a_few_tokens(smollm2):
    cancel = CancelToken()
    got = []
    t_cancel = None
    with pytest.raises(Cancelled):
        for piece in smollm2.stream(STORY, GenerationParams(temperature=0, max_new_tokens=200), cancel=cancel):
            got.append(piece)
            if len(got) == 3:
                t_cancel = time.perf_counter()
                cancel.cancel()
    elapsed = time.perf_counter() - t_cancel
    stats = smollm2.last_stats
    print(f"\ncancelled after {len(got)} pieces; {stats.new_tokens} tokens generated; {elapsed * 1000:.0f} ms")
    assert len(got) == 3 and stats.stopped == "cancelled"
    assert stats.new_tokens < 10  # stopped within a few tokens of the third piece, not 200
    # the model is free again at once
    assert "Paris" in "".join(smollm2.stream(FRANCE, GREEDY))
    # an already-cancelled token never starts generating
    with pytest.raises(Cancelled):
        list(smollm2.stream(FRANCE, GREEDY, cancel=cancel))


@pytest.mark.weights
def test_gguf_cache_makes_the_second_load_fast(smollm2, smollm2_gguf, llm_converted_dir, settings):
    cache = gguf_cache_dir(smollm2_gguf, llm_converted_dir)
    assert smollm2.load_info.cache_dir == cache
    for name in ("model.safetensors", "config.json", "tokenizer.json", "sensorium-converted.json"):
        assert (cache / name).is_file(), name
    meta = json.loads((cache / "sensorium-converted.json").read_text())
    assert meta["dtype"] == "float32"  # converted from this file or the same bytes elsewhere (keyed by sha256)
    assert not list(llm_converted_dir.glob(".tmp-*"))  # no half-written conversion left behind
    mtime = (cache / "model.safetensors").stat().st_mtime_ns
    resolved = ResolvedModel("chat", "smollm2-135m-instruct", smollm2_gguf, "gguf", "package")
    t0 = time.perf_counter()
    # on the CPU, auto runs a GGUF with llama.cpp (test_llamacpp.py): the converted copy is transformers'
    again = load(resolved, CPU, settings.replace("chat", runtime="transformers"), llm_converted_dir)
    seconds = time.perf_counter() - t0
    print(f"\nGGUF dequantize + save took {meta['convert_seconds']:.1f}s once; load from the cache {seconds:.2f}s")
    try:
        assert again.load_info.source == "gguf-cache" and again.load_info.weights_dir == cache
        assert (cache / "model.safetensors").stat().st_mtime_ns == mtime  # read, not rewritten
        assert "Paris" in "".join(again.stream(FRANCE, GREEDY))
    finally:
        again.close()


# ---- a real OpenAI-compatible server on 127.0.0.1 ---------------------------------------------
class ChatServer:
    """Serves POST /v1/chat/completions (stream=true) by running a TransformersChat; checks a
    bearer key, answers 404 for unknown models, and stops generating when the client goes away."""

    def __init__(self, backend, model: str, key: str | None):
        self.backend, self.model, self.key = backend, model, key
        self.disconnects = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _json(self, status, obj):
                body = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": "no such endpoint"}})
                auth = self.headers.get("Authorization", "")
                if server.key and auth != f"Bearer {server.key}":
                    given = auth.removeprefix("Bearer ")
                    return self._json(401, {"error": {"message": f"Incorrect API key provided: {given}",
                                                      "type": "invalid_request_error"}})
                if body.get("model") != server.model:
                    return self._json(404, {"error": {"message": f"The model `{body.get('model')}` does not exist"}})
                params = GenerationParams(temperature=body.get("temperature", 1.0), top_p=body.get("top_p", 1.0),
                                          max_new_tokens=body.get("max_tokens", 64), seed=body.get("seed"),
                                          stop=tuple(body.get("stop") or ()))
                messages = [ChatMessage(m["role"], m["content"]) for m in body["messages"]]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                cancel = CancelToken()
                try:
                    for piece in server.backend.stream(messages, params, cancel=cancel):
                        chunk = {"object": "chat.completion.chunk", "model": server.model,
                                 "choices": [{"index": 0, "delta": {"content": piece}}]}
                        try:
                            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                            self.wfile.flush()
                        except OSError:
                            server.disconnects += 1
                            cancel.cancel()
                    self.wfile.write(b"data: [DONE]\n\n")
                except Cancelled:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.weights
def test_openai_chat_against_a_real_server(smollm2, settings):
    key = "sk-test-9f8e7d6c5b4a39281716"
    with ChatServer(smollm2, "smollm2", key) as server:
        s = settings.replace("servers.chat", use_server=True, base_url=server.base_url, model="smollm2")
        s = s.replace("chat", context_tokens=2048)
        remote = open_role(config_for(s, "chat", key), settings=s)
        assert isinstance(remote, ChatBackend) and remote.context_window == 2048
        pieces = list(remote.stream(FRANCE, GREEDY))
        local = "".join(smollm2.stream(FRANCE, GREEDY))
        assert "Paris" in "".join(pieces) and "".join(pieces) == local and len(pieces) >= 3
        assert remote.count_tokens(FRANCE) > 5  # estimated
        fit = fit_context("Be brief.", _conversation(100), remote, 256)
        assert fit.dropped_count > 0 and fit.tokens <= 2048 - 256

        # cancel: the client closes the stream, the server notices and stops generating
        cancel = CancelToken()
        got = []
        with pytest.raises(Cancelled):
            for piece in remote.stream(STORY, GenerationParams(temperature=0, max_new_tokens=200), cancel=cancel):
                got.append(piece)
                if len(got) == 2:
                    cancel.cancel()
        assert len(got) == 2
        deadline = time.time() + 10
        while smollm2.last_stats.stopped != "cancelled" and time.time() < deadline:
            time.sleep(0.05)
        assert smollm2.last_stats.stopped == "cancelled" and smollm2.last_stats.new_tokens < 60
        remote.close()

        # a wrong key: 401, one line, and neither key appears (the server echoes what it got)
        wrong = "sk-wrong-aaaaaaaaaaaaaaaaaaaa"
        bad = chat_client(server.base_url, "smollm2", wrong)
        with pytest.raises(ModelUnavailable) as e:
            list(bad.stream(FRANCE, GREEDY))
        msg = str(e.value)
        print(f"\n401 -> {msg}")
        assert "401" in msg and "API key" in msg and "\n" not in msg
        assert wrong not in msg and key not in msg and "sk-wrong" not in msg
        nokey = chat_client(server.base_url, "smollm2", None)
        with pytest.raises(ModelUnavailable, match="wants an API key"):
            list(nokey.stream(FRANCE, GREEDY))

        # an unknown model: 404 naming the setting to fix
        missing = chat_client(server.base_url, "gpt-nonexistent", key)
        with pytest.raises(ModelUnavailable) as e:
            list(missing.stream(FRANCE, GREEDY))
        assert "404" in str(e.value) and "servers.chat.model" in str(e.value) and key not in str(e.value)
        for b in (bad, nokey, missing):
            b.close()


@pytest.mark.tiny
def test_gguf_conversion_is_atomic_and_cached(tiny_lm_dir, tmp_path, monkeypatch):
    """The cache logic with the real save/rename code; transformers' GGUF reader is swapped for
    the tiny model so this runs in a second (the real dequantize is tested with SmolLM2)."""
    import transformers

    fake = tmp_path / "tiny.gguf"
    fake.write_bytes(b"GGUF fake")
    calls = []
    real_model, real_tok = transformers.AutoModelForCausalLM.from_pretrained, transformers.AutoTokenizer.from_pretrained

    def model_from(path, *a, gguf_file=None, **kw):
        if gguf_file:
            calls.append(gguf_file)
            return real_model(str(tiny_lm_dir), *a, **kw)
        return real_model(path, *a, **kw)

    def tok_from(path, *a, gguf_file=None, **kw):
        return real_tok(str(tiny_lm_dir) if gguf_file else path, *a, **kw)

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", model_from)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", tok_from)
    conv = tmp_path / "converted"
    cache = gguf_cache_dir(fake, conv)

    def crash(*a, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(transformers.PreTrainedModel, "save_pretrained", crash)
    with pytest.raises(OSError, match="disk full"):
        TransformersChat(fake, device=CPU, converted_dir=conv)
    assert not cache.exists() and list(conv.iterdir()) == []  # nothing half-written left
    monkeypatch.undo()
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", model_from)
    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", tok_from)

    first = TransformersChat(fake, device=CPU, converted_dir=conv)
    assert first.load_info.source == "gguf-converted" and (cache / "sensorium-converted.json").is_file()
    second = TransformersChat(fake, device=CPU, converted_dir=conv)
    assert second.load_info.source == "gguf-cache" and len(calls) == 2  # the crash + the one conversion
    out = GenerationParams(temperature=0, max_new_tokens=6)
    assert "".join(first.stream(FRANCE, out)) == "".join(second.stream(FRANCE, out))
    # a replaced GGUF gets a fresh conversion and the stale one is removed
    fake.write_bytes(b"GGUF fake, version 2")
    third = TransformersChat(fake, device=CPU, converted_dir=conv)
    assert third.load_info.source == "gguf-converted" and not cache.exists()
    assert [p.name for p in conv.iterdir()] == [third.load_info.cache_dir.name]


@pytest.mark.weights
def test_gguf_parsed_once_reads_the_same_file_as_the_stock_reader(smollm2_gguf):
    """The conversion's fast GGUF reading (one shared reader, plain-ndarray views, a cached name map)
    sees exactly the fields and tensors gguf's own reader sees, and puts gguf back afterwards."""
    import gguf
    import gguf.gguf_reader as reader_mod
    import numpy as np

    from pipelines.llm import _gguf_parsed_once

    stock = gguf.GGUFReader(smollm2_gguf)
    orig = (gguf.GGUFReader, gguf.get_tensor_name_map, reader_mod.np)
    with _gguf_parsed_once():
        fast = gguf.GGUFReader(smollm2_gguf)
        assert gguf.GGUFReader(str(smollm2_gguf)) is fast  # the tokenizer, config and weights share it
        assert type(fast.data) is np.ndarray
        arch = next(k for k, v in gguf.MODEL_ARCH_NAMES.items() if v == "llama")
        assert gguf.get_tensor_name_map(arch, 30) is gguf.get_tensor_name_map(arch, 30)
    assert (gguf.GGUFReader, gguf.get_tensor_name_map, reader_mod.np) == orig
    assert list(fast.fields) == list(stock.fields)
    for name in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "llama.block_count", "general.architecture"):
        a, b = fast.fields[name], stock.fields[name]
        assert a.types == b.types and all(np.array_equal(x, y) for x, y in zip(a.parts, b.parts)), name
    assert [(t.name, t.tensor_type, tuple(t.shape)) for t in fast.tensors] == \
           [(t.name, t.tensor_type, tuple(t.shape)) for t in stock.tensors]
    assert all(np.array_equal(a.data, b.data) for a, b in zip(fast.tensors, stock.tensors))
