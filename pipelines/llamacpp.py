"""The language model role on llama.cpp: a GGUF chat model run in this process by llama.cpp's own
server (the ``xllamacpp`` wheel), with no dequantized copy.

``LlamaCppChat`` implements ``pipelines.llm.ChatBackend``. It starts an ``xllamacpp.Server`` on
127.0.0.1 (a free port) that answers only requests carrying a random key made for this process,
so other users of the machine cannot use it; it serves the model's own chat template from the
GGUF (ChatML when the file has none, as ``TransformersChat`` does). Replies stream from its
OpenAI-compatible ``/v1/chat/completions`` over httpx; tokens are counted with the same template
and tokenizer (``/apply-template`` then ``/tokenize``), exactly the prompt the server feeds the
model. Sampling follows ``GenerationParams`` as ``TransformersChat`` reads it: temperature 0 is
greedy, the model's recommended values fill what a request leaves unset, and the samplers run in
transformers' order (repetition penalty, temperature, top-k, top-p; llama.cpp's own min-p is off).
Stop strings are cut here (``_StopFilter``); on a stop string or a cancel the connection is
closed, which stops the server's generation.

llama.cpp's console log is silenced (it has no hook to route it into ``logging``); a file it
cannot load is reported in one line from what this module reads of the file. Starting the server
holds the GIL until the model is loaded (xllamacpp's constructor does not release it: about a
second for SmolLM2 here), so it belongs on a worker thread, as the model manager loads it; the
window's thread pauses meanwhile. Generation itself runs on llama.cpp's threads, without the GIL.

``choose_runtime`` decides which runtime runs a chat model (``chat.runtime``): on the CPU a GGUF
runs here; on a GPU the transformers path stays (the PyPI wheel of xllamacpp is CPU-only: its
CUDA, ROCm and Vulkan builds come from xllamacpp's own package index). ``llama_threads`` says how many threads.
xllamacpp and httpx are imported inside the functions that need them.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cancel import Cancelled, CancelToken
from .errors import BadInput, ModelUnavailable, Text
from .footprint import Footprint, file_footprint
from .llm import GenerationParams, GenerationStats, _relay, _StopFilter, sampling_defaults
from .remote.http import sse_events

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import ModelDefaults
    from .devices import DeviceChoice
    from .llm import ChatMessage

__all__ = ["RUNTIMES", "LlamaCppChat", "available", "choose_runtime", "llama_threads", "XLLAMACPP_PIN"]

log = logging.getLogger(__name__)

#: ``chat.runtime``: auto runs a GGUF with llama.cpp on the CPU, with transformers otherwise.
RUNTIMES = ("auto", "llama.cpp", "transformers")
XLLAMACPP_PIN = "xllamacpp==2026.10.11549"
#: transformers' sampling order (logits processors, then warpers), which llama.cpp runs when told
_SAMPLERS = ["penalties", "temperature", "top_k", "top_p"]
_GGUF_VERSIONS = (1, 2, 3)  # the GGUF versions llama.cpp reads


def available() -> bool:
    """xllamacpp is installed and its library loads on this machine."""
    try:
        import xllamacpp  # noqa: F401
    except Exception as e:  # ImportError, or a native library that does not load (OSError)
        log.debug("xllamacpp unavailable: %s", e)
        return False
    return True


def choose_runtime(setting: str, path: Path, device: DeviceChoice | None) -> str:
    """'llama.cpp' or 'transformers' for the chat model at ``path`` on ``device`` (``chat.runtime``)."""
    if setting not in RUNTIMES:
        raise BadInput("chat.runtime {setting} is not one of {choices}: fix it in Settings",
                       code="llamacpp.unknown_runtime", setting=repr(setting), choices=', '.join(RUNTIMES))
    gguf = Path(path).suffix.lower() == ".gguf"
    if setting == "transformers":
        return "transformers"
    if setting == "llama.cpp":
        if not gguf:
            raise ModelUnavailable("llama.cpp runs .gguf files and {name} is not one: choose a .gguf "
                                   "for models.chat or set chat.runtime to auto", code="llamacpp.needs_gguf",
                                   name=Path(path).name, role="chat")
        if not available():
            raise ModelUnavailable("chat.runtime is llama.cpp but xllamacpp is not installed or does not load: run "
                                   "`pip install {package}` or set chat.runtime to auto",
                                   code="llamacpp.not_installed", package=XLLAMACPP_PIN, role="chat")
        return "llama.cpp"
    cpu = device is None or device.device == "cpu"
    return "llama.cpp" if gguf and cpu and available() else "transformers"


def _physical_cores() -> int:
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
    except Exception:
        n = None
    logical = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(n or logical, logical))


def llama_threads(setting: int = 0, *, cores: int | None = None, omp_threads: str | None = None) -> int:
    """Threads for llama.cpp (reading the prompt and generating alike).

    ``device.cpu_threads`` when it is set; else ``OMP_NUM_THREADS`` when set, the variable torch and
    CTranslate2 follow too (test workers set it to 1, so that two workers do not fight over the
    cores); else the physical cores this process may use, less one (when there are two or more),
    left for what runs beside the reply: speech synthesis, audio, the window, other programs.
    llama.cpp's threads wait for one another at every step, so one thread that has to share its
    core slows them all. Measured on this project's 2-core machine with other work on it: a turn's
    new prompt (8 tokens after a cached system prompt) took 110-250 ms on 1 thread and 290-1,600 ms
    on 2; generation ran at 38-50 tokens/s on 1 thread and 1.7-4 on 2, which is still ten times
    what speech needs. Hyper-threads add nothing to this memory-bound work. ``cores`` and
    ``omp_threads`` are for tests (None: this machine's, and the environment's)."""
    if setting > 0:
        return int(setting)
    omp = os.environ.get("OMP_NUM_THREADS", "") if omp_threads is None else omp_threads
    if omp.strip().isdigit() and int(omp) > 0:
        return int(omp)
    n = _physical_cores() if cores is None else max(1, int(cores))
    return max(1, n - 1)


def _check_gguf(path: Path) -> None:
    """Raise ModelUnavailable (one line) for a file that is not a GGUF llama.cpp can read."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise ModelUnavailable("cannot read the language model {path} ({reason}): fix models.chat in Settings",
                               code="llamacpp.unreadable", path=path, reason=e.strerror,
                               role="chat") from None
    if head[:4] != b"GGUF":
        raise ModelUnavailable("{name} is not a GGUF file (it does not start with 'GGUF'): choose another "
                               "model file for models.chat", code="llamacpp.not_gguf", name=path.name, role="chat")
    version = int.from_bytes(head[4:8], "little")
    if version not in _GGUF_VERSIONS:
        raise ModelUnavailable("{name} is GGUF version {version}, which this llama.cpp cannot read (it reads "
                               "1-3): choose another model file for models.chat",
                               code="llamacpp.gguf_version", name=path.name, version=version, role="chat")


class LlamaCppChat:
    """A GGUF chat model run by llama.cpp in this process (see the module docstring).

    ``context_tokens`` > 0 sets the window; 0 takes the model's own (llama.cpp allocates the whole
    window's cache when it loads). ``threads``: ``device.cpu_threads`` (``llama_threads``).
    ``defaults``: the catalog entry's sampling values (``sampling`` adds ``FALLBACK_SAMPLING`` for
    the rest, as in ``TransformersChat``). ``read_timeout``: seconds without a byte from the server
    mid-reply. A server that went away is started again by the next call; ``close`` is final.
    """

    runtime = "llama.cpp"
    device = "cpu"
    device_name = "cpu"  # the manager's status line

    def __init__(self, gguf: str | Path, *, name: str | None = None, context_tokens: int = 0, threads: int = 0,
                 defaults: ModelDefaults | None = None, read_timeout: float = 300.0):
        t0 = time.perf_counter()
        self.path = Path(gguf).expanduser()
        if not self.path.is_file():
            raise ModelUnavailable("language model not found at {path}: fix models.chat in Settings",
                                   code="llamacpp.not_found", path=self.path,
                                   role="chat")
        _check_gguf(self.path)
        self.name = name or self.path.stem
        self.threads = llama_threads(threads)
        self.sampling = sampling_defaults(None, defaults)
        self._n_ctx = max(0, int(context_tokens or 0))
        self._read_timeout = float(read_timeout)
        self._key = secrets.token_urlsafe(32)  # per process: the server refuses requests without it
        self._lock = threading.Lock()  # guards starting and stopping the server
        self._server: Any = None
        self._client: Any = None
        self._base = ""
        self._closed = False
        self.context_window = 0
        self.quantization = ""
        self.last_stats: GenerationStats | None = None
        self.last_params: GenerationParams | None = None
        with self._lock:
            self._start()
        self.load_seconds = time.perf_counter() - t0

    # ---- the server ----------------------------------------------------------------------------
    def _start(self) -> None:
        """Start the server (the caller holds the lock) and read its context window."""
        import httpx

        try:
            import xllamacpp as xlc
        except Exception as e:
            raise ModelUnavailable("xllamacpp does not load ({kind}: {detail}): "
                                   "run `pip install {package}` or set chat.runtime to transformers",
                                   code="llamacpp.does_not_load", kind=type(e).__name__,
                                   detail=' '.join(str(e).split())[:120], package=XLLAMACPP_PIN,
                                   role="chat", model=self.name) from None
        p = xlc.CommonParams()
        p.model.path = str(self.path)
        p.model_alias = {self.name}
        p.hostnames = ["127.0.0.1"]  # this machine only
        p.port = 0  # a free port; listening_address says which
        p.api_keys = [self._key]
        p.n_ctx = self._n_ctx  # 0: the model's own
        p.n_parallel = 1  # one reply at a time; a second request waits for it
        p.n_gpu_layers = 0  # the CPU (a CUDA build of xllamacpp would otherwise take the GPU)
        p.fit_params = False  # it loads the model a second time to fit GPU memory, of no use on the CPU
        p.cpuparams.n_threads = p.cpuparams_batch.n_threads = self.threads
        p.cache_ram_mib = 0  # no prompt cache in RAM besides the slot's own (that one stays: it reuses the history)
        p.endpoint_slots = False  # /slots would show the conversation
        p.ui = False
        p.verbosity = 0  # silent: no console output (llama.cpp has no hook to route it into logging)
        p.sampling.min_p = 0.0  # transformers has no min-p
        try:
            server = xlc.Server(p)
        except Exception as e:
            log.warning("llama.cpp could not load %s: %s", self.path, e)
            raise ModelUnavailable("llama.cpp could not load {name} (damaged, cut short, or a model "
                                   "architecture this llama.cpp does not know): choose another .gguf for models.chat, "
                                   "or set chat.runtime to transformers", code="llamacpp.load_failed",
                                   name=self.path.name, role="chat", model=self.name) from None
        self._server = server
        self._base = server.listening_address.rstrip("/")
        self._client = httpx.Client(
            base_url=self._base, headers={"Authorization": f"Bearer {self._key}"}, trust_env=False,
            timeout=httpx.Timeout(connect=10.0, read=self._read_timeout, write=30.0, pool=10.0))
        try:
            props = self._client.get("/props").json()
            self.context_window = int(props["default_generation_settings"]["n_ctx"])
            self.quantization = str(props.get("model_ftype") or "")  # e.g. Q4_1
        except Exception as e:
            self._stop()
            raise ModelUnavailable("the llama.cpp server for {name} started but did not answer ({kind}):"
                                   " try again, or set chat.runtime to transformers",
                                   code="llamacpp.server_silent", name=self.name, kind=type(e).__name__, role="chat",
                                   model=self.name) from None

    def _stop(self) -> None:
        """Close the client and stop the server (the caller holds the lock); frees the model."""
        client, self._client = self._client, None
        server, self._server = self._server, None
        if client is not None:
            client.close()
        del server  # xllamacpp stops its threads and frees the model when the object goes

    def _ready(self) -> Any:
        """The HTTP client of a running server, restarting one that died (a failed earlier reply)."""
        with self._lock:
            if self._closed:
                raise ModelUnavailable("the language model {name} was unloaded: send your message again",
                                       code="llamacpp.unloaded", name=self.name,
                                       role="chat", model=self.name)
            if self._server is None:
                log.info("restarting the llama.cpp server for %s", self.name)
                self._start()
            return self._client

    def _died(self, text: Text) -> ModelUnavailable:
        with self._lock:
            self._stop()  # the next call starts a fresh server
        return ModelUnavailable.from_text(text, role="chat", model=self.name)

    # ---- tokens --------------------------------------------------------------------------------
    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Prompt tokens: the model's chat template with the generation prompt, tokenized as the
        server tokenizes a chat request (special tokens parsed, BOS added when the model adds one)."""
        import httpx

        if not messages:
            raise BadInput("there is nothing to answer: the conversation has no messages",
                           code="chat.no_messages")
        client = self._ready()
        try:
            prompt = self._post(client, "/apply-template", {"messages": [m.as_dict() for m in messages]})["prompt"]
            return len(self._post(client, "/tokenize", {"content": prompt, "add_special": True})["tokens"])
        except httpx.TransportError:
            raise self._died(Text.of(
                "llamacpp.died_counting", "llama.cpp stopped answering while counting tokens: send your message "
                "again (the model reloads), or set chat.runtime to transformers if it keeps happening")) from None
        except (httpx.HTTPStatusError, KeyError, ValueError) as e:
            raise ModelUnavailable("llama.cpp could not count the conversation's tokens ({kind}): try "
                                   "again, or set chat.runtime to transformers",
                                   code="llamacpp.count_failed", kind=type(e).__name__, role="chat",
                                   model=self.name) from None

    @staticmethod
    def _post(client: Any, path: str, body: dict) -> dict:
        resp = client.post(path, json=body)
        resp.raise_for_status()
        return resp.json()

    # ---- generation ----------------------------------------------------------------------------
    def _body(self, messages: Sequence[ChatMessage], params: GenerationParams) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": [m.as_dict() for m in messages], "stream": True, "max_tokens": params.max_new_tokens,
            "stream_options": {"include_usage": True}, "min_p": 0.0,
            "repeat_penalty": float(params.repetition_penalty or 1.0)}
        if body["repeat_penalty"] != 1.0:  # over the whole context, as transformers does (llama.cpp: the last 64)
            body["repeat_last_n"] = max(64, self.context_window)
        if params.greedy:
            body.update(temperature=0.0, top_k=1)
        else:
            assert params.temperature is not None and params.top_p is not None  # with_defaults filled them
            body.update(temperature=float(params.temperature), top_p=float(params.top_p),
                        top_k=int(params.top_k or 0), samplers=_SAMPLERS)
            if params.seed is not None:
                body["seed"] = int(params.seed) & 0xFFFFFFFF  # llama.cpp seeds are 32-bit
        return body

    def stream(self, messages: Sequence[ChatMessage], params: GenerationParams | None = None,
               cancel: CancelToken | None = None) -> Iterator[str]:
        import httpx

        params = (params or GenerationParams()).with_defaults(self.sampling)
        if cancel is not None:
            cancel.raise_if_cancelled()
        if not messages:
            raise BadInput("there is nothing to answer: the conversation has no messages",
                           code="chat.no_messages")
        self.last_params = params
        client = self._ready()
        t0 = time.perf_counter()
        stopped, pieces, finished = "eos-or-length", 0, False
        usage: dict[str, Any] = {}
        stop = _StopFilter(params.stop)

        def texts(events: Iterator[str]) -> Iterator[str]:
            nonlocal pieces, usage, finished
            for event in events:
                if event == "[DONE]":
                    finished = True
                    return
                text, usage = self._delta(event, usage)
                if text:
                    pieces += 1
                    yield text

        try:
            with client.stream("POST", "/v1/chat/completions", json=self._body(messages, params)) as resp:
                if resp.status_code != 200:
                    resp.read()
                    stopped = "error"
                    raise self._refused(resp.status_code, resp.text)
                # leaving the with-block early (cancelled, a stop string) closes the connection: the server stops
                stopped = yield from _relay(texts(sse_events(resp.iter_lines())), stop, cancel)
                if stopped == "eos-or-length" and not finished:
                    stopped = "error"  # the stream ended without its last line: the server went away
        except GeneratorExit:
            stopped = "closed"
            raise
        except ModelUnavailable:  # the server said it failed
            stopped = "error"
            raise
        except httpx.TransportError:  # refused, reset, cut short or timed out
            stopped = "cancelled" if cancel is not None and cancel.cancelled else "error"
        finally:
            self.last_stats = GenerationStats(int(usage.get("prompt_tokens", 0)),
                                              int(usage.get("completion_tokens", pieces)),
                                              time.perf_counter() - t0, stopped)
        if stopped == "cancelled":
            raise Cancelled()
        if stopped == "error":
            if pieces:
                raise self._died(Text.of(
                    "llamacpp.died_mid_reply", "llama.cpp stopped answering in the middle of the reply: send your "
                    "message again (the model reloads), or set chat.runtime to transformers if it keeps happening"))
            raise self._died(Text.of(
                "llamacpp.died_before_reply", "llama.cpp stopped answering before the reply started: send your "
                "message again (the model reloads), or set chat.runtime to transformers if it keeps happening"))

    def _delta(self, data: str, usage: dict) -> tuple[str, dict]:
        """(the text of one streamed chunk, the usage so far)."""
        try:
            obj = json.loads(data)
        except ValueError:
            obj = {"error": "the stream held something that is not JSON"}
        if not isinstance(obj, dict) or obj.get("error"):
            err = obj.get("error") if isinstance(obj, dict) else obj
            msg = err.get("message", err) if isinstance(err, dict) else err
            raise ModelUnavailable("llama.cpp stopped the reply with an error ({detail}): "
                                   "try again, or start a new conversation", code="llamacpp.reply_error",
                                   detail=' '.join(str(msg).split())[:160], role="chat", model=self.name)
        usage = obj.get("usage") or usage
        choices = obj.get("choices") or [{}]
        text = (choices[0].get("delta") or {}).get("content")
        return (text if isinstance(text, str) else ""), usage

    def _refused(self, status: int, text: str) -> Exception:
        try:
            err = json.loads(text).get("error") or {}
        except (ValueError, AttributeError):
            err = {}
        if isinstance(err, dict) and err.get("type") == "exceed_context_size_error":
            return BadInput("the conversation is {count} tokens, more than the "
                            "model's {context_window}-token window: start a new conversation or shorten the "
                            "message", code="chat.context_overflow",
                            count=err.get('n_prompt_tokens', 'too many'), context_window=self.context_window)
        detail = err.get("message", "") if isinstance(err, dict) else ""
        return ModelUnavailable("llama.cpp refused the request (HTTP {status}: {detail})"
                                ": try again, or set chat.runtime to transformers", code="llamacpp.refused",
                                status=status, detail=' '.join(str(detail).split())[:160], role="chat", model=self.name)

    # ---- memory --------------------------------------------------------------------------------
    def footprint(self) -> Footprint:
        """The GGUF's size in RAM (llama.cpp maps the quantized weights as they are)."""
        return file_footprint([self.path], on_device=False)

    def close(self) -> None:
        """Stop the server and free the model; the port is closed when this returns."""
        with self._lock:
            self._closed = True
            self._stop()

    @property
    def server(self) -> Any:
        """The running ``xllamacpp.Server`` (None once closed), for llama.cpp's own library calls."""
        return self._server

    @property
    def address(self) -> str:
        """The server's http://127.0.0.1:PORT ('' once closed); it answers only this object's key."""
        return self._base if self._server is not None else ""

    def __repr__(self) -> str:  # never shows the key
        return (f"LlamaCppChat({self.name!r}, threads={self.threads}, context_window={self.context_window}, "
                f"{self.address or 'closed'})")
