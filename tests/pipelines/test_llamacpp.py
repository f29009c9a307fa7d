"""The language model on llama.cpp (pipelines.llamacpp): the real SmolLM2 GGUF served by the real
xllamacpp server on 127.0.0.1, once per test run (the ``smollm2_llamacpp`` fixture)."""
from __future__ import annotations

import httpx
import pytest

from pipelines.cancel import Cancelled, CancelToken
from pipelines.catalog import ResolvedModel
from pipelines.devices import DeviceChoice
from pipelines.errors import BadInput, ModelUnavailable
from pipelines.llamacpp import LlamaCppChat, choose_runtime, llama_threads
from pipelines.llm import ChatBackend, ChatMessage, GenerationParams, fit_context, load
from pipelines.settings import ChatSettings, Settings, from_dict

from ..fixtures.llm import CPU
from .test_llm import _conversation

SYSTEM = ChatSettings().system_prompt  # the project's default system prompt
FRANCE = [ChatMessage("system", SYSTEM), ChatMessage("user", "What is the capital of France?")]
GREEDY = GenerationParams(temperature=0, max_new_tokens=30)
STORY = [ChatMessage("system", SYSTEM),
         ChatMessage("user", "Write a long story about a dragon who learns to bake bread.")]
CUDA = DeviceChoice(device="cuda", dtype="float16", ctranslate2_compute="float16", reason="tests")


# ---- fast: no model (test_llm.py checks that importing pipelines.llamacpp is cheap) -----------
def test_runtime_setting_is_validated(tmp_path):
    assert Settings().chat.runtime == "auto"
    loaded = from_dict({"chat": {"runtime": "vulkan"}})
    assert loaded.settings.chat.runtime == "auto"
    assert loaded.problems == ["invalid value 'vulkan' for chat.runtime (choose one of auto, llama.cpp, transformers); "
                               "using default 'auto'"]
    assert Settings().replace("chat", runtime="llama.cpp").chat.runtime == "llama.cpp"
    with pytest.raises(ValueError, match="chat.runtime"):
        Settings().replace("chat", runtime="cuda")
    with pytest.raises(BadInput, match="chat.runtime"):
        choose_runtime("cuda", tmp_path / "m.gguf", CPU)


def test_auto_runs_a_gguf_with_llama_cpp_on_the_cpu_only(tmp_path):
    gguf, folder = tmp_path / "model.Q4_K_M.gguf", tmp_path / "hf-folder"
    assert choose_runtime("auto", gguf, CPU) == "llama.cpp"
    assert choose_runtime("auto", gguf, CUDA) == "transformers"  # the PyPI wheel is CPU-only
    assert choose_runtime("auto", folder, CPU) == "transformers"
    assert choose_runtime("transformers", gguf, CPU) == "transformers"
    assert choose_runtime("llama.cpp", gguf, CUDA) == "llama.cpp"
    with pytest.raises(ModelUnavailable, match="set chat.runtime to auto"):
        choose_runtime("llama.cpp", folder, CPU)


def test_threads():
    assert llama_threads(3, cores=8) == 3  # device.cpu_threads wins
    assert llama_threads(0, cores=8, omp_threads="1") == 1  # test workers: one thread each
    assert llama_threads(0, cores=8, omp_threads="") == 7  # one core left for speech, audio and the rest
    assert llama_threads(0, cores=2, omp_threads="") == 1
    assert llama_threads(0, cores=1, omp_threads="junk") == 1
    assert 1 <= llama_threads() <= 512


@pytest.mark.weights
def test_a_bad_gguf_is_one_line(smollm2_gguf, tmp_path):
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_text("these are not weights")
    cut = tmp_path / "cut-short.gguf"
    with open(smollm2_gguf, "rb") as f:
        cut.write_bytes(f.read(2_000_000))  # a download cut short: the header is right, the rest is missing
    for path, says in ((not_gguf, "is not a GGUF file"), (cut, "llama.cpp could not load cut-short.gguf"),
                       (tmp_path / "missing.gguf", "not found")):
        with pytest.raises(ModelUnavailable) as e:
            LlamaCppChat(path)
        assert says in str(e.value) and "\n" not in str(e.value) and e.value.role == "chat"
        assert "models.chat" in str(e.value)


# ---- the real SmolLM2 GGUF on llama.cpp -------------------------------------------------------
@pytest.mark.weights
def test_streams_paris_with_the_default_system_prompt(smollm2_llamacpp):
    b = smollm2_llamacpp
    assert isinstance(b, ChatBackend) and b.context_window == 8192 and b.quantization == "Q4_1"
    pieces = list(b.stream(FRANCE, GREEDY))
    answer = "".join(pieces)
    print(f"\nllama.cpp SmolLM2: {answer!r} in {len(pieces)} pieces, {b.last_stats}")
    assert "Paris" in answer and len(pieces) >= 3  # streamed, not one lump
    assert b.last_stats.stopped == "eos-or-length" and b.last_stats.new_tokens >= len(pieces)
    assert b.last_stats.prompt_tokens == b.count_tokens(FRANCE)  # our count is the server's count
    assert list(b.stream(FRANCE, GREEDY)) == pieces  # greedy is deterministic


@pytest.mark.weights
def test_greedy_equals_llama_cpps_own_completion(smollm2_llamacpp):
    b = smollm2_llamacpp
    for messages, n in ((FRANCE, 30), (STORY, 24)):
        ours = "".join(b.stream(messages, GenerationParams(temperature=0, max_new_tokens=n)))
        plain = b.server.handle_chat_completions({"messages": [m.as_dict() for m in messages], "temperature": 0,
                                                  "max_tokens": n})
        assert ours == plain["choices"][0]["message"]["content"] and ours


@pytest.mark.weights
def test_seeded_sampling_repeats_and_stop_strings_cut(smollm2_llamacpp):
    b = smollm2_llamacpp
    sampled = GenerationParams(temperature=1.0, top_p=0.95, seed=7, max_new_tokens=16)
    assert "".join(b.stream(STORY, sampled)) == "".join(b.stream(STORY, sampled))
    assert b.last_params.temperature == 1.0 and b.last_params.top_k == 0  # transformers' fallback: top-k off
    answer = "".join(b.stream(FRANCE, GenerationParams(temperature=0, max_new_tokens=30, stop=("Paris",))))
    assert "Paris" not in answer and "capital" in answer and b.last_stats.stopped == "stop-string"


@pytest.mark.weights
def test_cancel_after_the_first_piece(smollm2_llamacpp):
    b = smollm2_llamacpp
    cancel = CancelToken()
    got = []
    with pytest.raises(Cancelled):
        for piece in b.stream(STORY, GenerationParams(temperature=0, max_new_tokens=400), cancel=cancel):
            got.append(piece)
            cancel.cancel()
    assert len(got) == 1 and b.last_stats.stopped == "cancelled" and b.last_stats.new_tokens < 5
    # the connection was closed, so the server dropped that reply: the next one is answered at once
    assert "Paris" in "".join(b.stream(FRANCE, GREEDY))
    with pytest.raises(Cancelled):  # an already-cancelled token never starts a request
        list(b.stream(FRANCE, GREEDY, cancel=cancel))


@pytest.mark.weights
def test_fit_context_counts_what_the_server_feeds_the_model(smollm2_llamacpp):
    b = smollm2_llamacpp
    history = _conversation(10)
    everything = b.count_tokens([ChatMessage("system", SYSTEM), *history])
    budget = everything // 3
    fit = fit_context(SYSTEM, history, b, 40, budget=budget)
    assert fit.dropped_count > 0 and fit.dropped_count % 2 == 0 and fit.messages[-1] == history[-1]
    assert fit.tokens == b.count_tokens(fit.messages) <= budget
    assert b.count_tokens([fit.messages[0], *history[fit.dropped_count - 2:]]) > budget  # one more pair: too long
    list(b.stream(fit.messages, GenerationParams(temperature=0, max_new_tokens=1)))
    assert b.last_stats.prompt_tokens == fit.tokens  # exactly the prompt the model read
    long = [ChatMessage("user", "BEGINNING " + "the lazy dog sleeps " * 400 + " THE END")]
    cut = fit_context(SYSTEM, long, b, 50, budget=120)
    assert cut.truncated and cut.tokens <= 120 and cut.messages[1].content.startswith("BEGINNING")
    with pytest.raises(BadInput, match="window"):  # more than the whole window: the server's refusal, in one line
        list(b.stream([ChatMessage("user", "word " * 9000)], GREEDY))


@pytest.mark.weights
def test_the_server_dying_mid_reply_is_one_line_and_the_next_reply_restarts_it(smollm2_llamacpp):
    b = smollm2_llamacpp
    reply = b.stream(STORY, GenerationParams(temperature=0, max_new_tokens=200))
    assert next(reply)
    with b._lock:  # the server goes away under a reply (here: stopped from outside)
        b._stop()
    with pytest.raises(ModelUnavailable, match="stopped answering in the middle of the reply") as e:
        list(reply)
    assert "\n" not in str(e.value) and b.last_stats.stopped == "error"
    assert "Paris" in "".join(b.stream(FRANCE, GREEDY))  # a fresh server
    assert b.address.startswith("http://127.0.0.1:")


@pytest.mark.weights
def test_load_on_the_cpu_makes_no_converted_copy_and_close_frees_the_port(smollm2_gguf, tmp_path):
    settings = Settings()
    resolved = ResolvedModel("chat", "smollm2-135m-instruct", smollm2_gguf, "gguf", "package")
    backend = load(resolved, CPU, settings, tmp_path / "converted")
    try:
        assert isinstance(backend, LlamaCppChat) and not (tmp_path / "converted").exists()
        address = backend.address
        assert httpx.get(f"{address}/health", timeout=5).status_code == 200
        # the server answers only this process's key
        assert httpx.post(f"{address}/v1/chat/completions", json={"messages": [FRANCE[1].as_dict()]},
                          timeout=5).status_code == 401
        assert str(backend).count("127.0.0.1") == 1 and backend._key not in repr(backend)
    finally:
        backend.close()
    assert backend.server is None and backend.address == ""
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{address}/health", timeout=5)
    with pytest.raises(ModelUnavailable, match="unloaded"):  # closed stays closed: no server starts again
        list(backend.stream(FRANCE, GREEDY))
