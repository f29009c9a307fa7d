"""The one typed settings schema.

Every setting is declared once, here, with its default and a description. Settings are stored
as TOML. Loading never crashes: unknown keys and invalid values are reported (as one-line
problems) and replaced by defaults. Saving is atomic (temp file + ``os.replace``).

A setting declared with ``setting(None, ..., kind=float)`` is optional: None means "the model's
default" (what the chosen model's catalog entry recommends, e.g. SD-Turbo's 2 steps). TOML has no
null, so such a setting is simply absent from the file until the user picks a value; removing
the line (or choosing "Model default" in the window) goes back to the model's value.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA", "SERVER_ROLES", "Settings", "ServerSettings", "LoadedSettings", "load_settings", "save_settings",
           "describe", "setting"]


def setting(default: Any, description: str, *, choices: tuple | None = None,
            min: float | None = None, max: float | None = None, kind: type | None = None) -> Any:
    """One setting. ``default`` None makes it optional ("the model's default"); ``kind`` (int, float
    or str) then says what a value must be."""
    if default is None and kind not in (int, float, str):
        raise TypeError("an optional setting (default None) needs kind=int, float or str")
    meta = {"description": description, "choices": choices, "min": min, "max": max,
            "kind": kind or type(default), "optional": default is None}
    if isinstance(default, (list, dict)):
        factory: Any = lambda d=default: type(d)(d)  # noqa: E731 - a fresh list/dict per instance
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


ROLES = ("asr", "vision", "vlm", "chat", "imagegen", "tts", "embed")


@dataclass
class GeneralSettings:
    theme: str = setting("system", "Window theme.", choices=("system", "light", "dark"))
    language: str = setting("system", "Interface language: system follows the computer's locale (Chinese when it "
                                      "is Chinese, else English).", choices=("system", "en", "zh_CN"))
    history_enabled: bool = setting(True, "Keep conversations in the local history database.")
    speak_replies: bool = setting(False, "Read replies aloud when the turn was typed.")
    ask_when_unsure: bool = setting(True, "When a request could mean two things (draw it, or talk about it), ask "
                                          "which one instead of guessing.")


@dataclass
class DeviceSettings:
    device: str = setting("auto", "Where models run: auto picks cuda, then mps, then cpu.",
                          choices=("auto", "cuda", "mps", "cpu"))
    dtype: str = setting("auto", "Numeric precision: auto is fp16/bf16 on a GPU and fp32 on the CPU.",
                         choices=("auto", "float32", "float16", "bfloat16"))
    gpu_memory_budget_gb: float = setting(0.0, "GPU memory the models may use together (0 = all).", min=0.0)
    idle_unload_minutes: float = setting(0.0, "Unload a model after this many idle minutes (0 = never).", min=0.0)
    cpu_threads: int = setting(0, "CPU threads for inference (0 = all cores).", min=0, max=512)


@dataclass
class ModelSettings:
    profile: str = setting("auto", "Catalog profile: auto chooses gpu when CUDA is present, else cpu-offline.",
                           choices=("auto", "cpu-offline", "gpu"))
    asr: str = setting("", "Speech recognition model: a catalog name or a CTranslate2 folder ('' = profile default).")
    vision: str = setting("", "Image understanding model: a catalog name or an open_clip local-dir folder.")
    vlm: str = setting("", "Vision-language model for image questions: a catalog name or a transformers "
                           "image-text-to-text folder (safetensors).")
    chat: str = setting("", "Language model: a catalog name, a transformers folder or a .gguf file.")
    imagegen: str = setting("", "Image generation model: a catalog name or a diffusers folder.")
    tts: str = setting("", "Speech synthesis model: a catalog name, a Piper .onnx or a Coqui folder.")
    embed: str = setting("", "Text embedding model: a catalog name or a sentence-transformers folder.")
    allow_downloads: bool = setting(False, "Allow downloading models from the Hugging Face hub.")
    hub_endpoint: str = setting("https://huggingface.co", "Hugging Face hub address used for downloads.")
    hf_cache_dir: str = setting("", "Hugging Face cache to look in ('' = the default ~/.cache/huggingface/hub).")
    download_timeout_s: float = setting(30.0, "Seconds without data before a download gives up.", min=1.0)
    trusted_files: list = setting([], "Pickle weight files (.pt, .pth, .bin, .ckpt) you trust to load.")


@dataclass
class ChatSettings:
    runtime: str = setting("auto", "What runs a local model: auto uses llama.cpp for a .gguf file on the CPU (fast, "
                                   "no converted copy) and transformers otherwise.",
                           choices=("auto", "llama.cpp", "transformers"))
    system_prompt: str = setting(
        "You are Sensorium, a helpful assistant running on the user's own computer. "
        "Answer clearly and briefly.", "The system prompt.")
    temperature: float | None = setting(
        None, "Sampling temperature (0 = greedy, deterministic; unset = the model's recommended value, e.g. 0.2 "
              "for SmolLM2, 0.7 for Qwen2.5).", min=0.0, max=2.0, kind=float)
    top_p: float | None = setting(None, "Nucleus sampling threshold (unset = the model's recommended value).",
                                  min=0.0, max=1.0, kind=float)
    max_new_tokens: int = setting(256, "Longest reply in tokens.", min=1, max=32768)
    context_tokens: int = setting(0, "Context window in tokens (0 = the model's own).", min=0)
    adapt_tone: bool = setting(True, "Answer more gently when the user sounds upset.")


@dataclass
class ImageGenSettings:
    width: int | None = setting(None, "Image width in pixels, rounded to a multiple of 8 (unset = the model's size, "
                                      "512 for the catalog's models).", min=64, max=2048, kind=int)
    height: int | None = setting(None, "Image height in pixels, rounded to a multiple of 8 (unset = the model's "
                                       "size).", min=64, max=2048, kind=int)
    steps: int | None = setting(None, "Denoising steps (unset = the model's default: 2 for SD-Turbo, 25 for SD "
                                      "1.5).", min=1, max=150, kind=int)
    guidance: float | None = setting(None, "Classifier-free guidance scale (unset = the model's default: 0 for "
                                           "SD-Turbo, 7 for SD 1.5).", min=0.0, max=30.0, kind=float)
    negative_prompt: str = setting("blurry, low quality", "What the image should not show.")
    scheduler: str = setting("default", "Sampler.", choices=("default", "ddim", "euler", "euler_a", "dpm++", "lms", "pndm"))
    strength: float = setting(0.6, "How much an input image is changed (img2img).", min=0.0, max=1.0)
    best_of: int = setting(1, "Generate this many and keep them ranked by CLIP prompt similarity.", min=1, max=8)
    safety_checker: bool = setting(True, "Run the model's safety checker when it has one.")
    preview_every: int = setting(2, "Show a live preview every N steps (0 = off).", min=0, max=50)


@dataclass
class DocumentSettings:
    top_k: int = setting(4, "Passages of your documents given to the language model for one answer.", min=1, max=20)
    chunk_chars: int = setting(900, "Characters in one indexed passage of a document (a change re-indexes the "
                               "documents the next time they are added).", min=200, max=8000)
    min_score: float = setting(0.25, "Passages less similar to the question than this are not used (0 to 1).",
                               min=0.0, max=1.0)
    answer: str = setting("auto", "How a question about your documents is answered: written by the language model "
                                  "from the passages, or the sentences that answer it, quoted with their sources. "
                                  "Automatic quotes for chat models too small to write from passages (their catalog "
                                  "entry says so) and lets the others write.", choices=("auto", "write", "quote"))


@dataclass
class MemorySettings:
    enabled: bool = setting(True, "Use what you asked Sensorium to remember, and offer to remember the facts and "
                            "preferences you state (off pauses memory: nothing is used or offered).")
    max_in_prompt: int = setting(6, "Most memories put into the prompt of one reply.", min=1, max=50)


@dataclass
class LearningSettings:
    use_adapter: bool = setting(True, "Answer with the adapter learned from your ratings, when one passed its "
                                "evaluation (Learn from my ratings in the Tools menu).")
    method: str = setting("auto", "How to learn: auto uses DPO when replies are rated both ways (a good and a bad "
                          "reply to the same message), else supervised fine-tuning on the good replies.",
                          choices=("auto", "dpo", "sft"))
    epochs: int = setting(3, "Passes over the ratings when learning.", min=1, max=50)
    learning_rate: float = setting(5e-4, "Learning rate of the adapter.", min=1e-6, max=1e-1)
    lora_rank: int = setting(8, "Rank of the LoRA adapter (larger learns more, and is bigger).", min=1, max=128)
    beta: float = setting(0.1, "DPO's beta: how far the adapter may move from the model without it.",
                          min=0.01, max=5.0)
    max_steps: int = setting(0, "Most training steps (0 = every rating in every pass).", min=0, max=100000)


@dataclass
class VoiceSettings:
    tts_engine: str = setting("piper", "Speech synthesis engine.", choices=("piper", "coqui"))
    voice: str = setting("", "Voice (engine specific; '' = the model's default).")
    language: str = setting("", "Speech language ('' = detect).")
    vad: bool = setting(True, "Ignore silence and noise (voice activity detection).")
    word_timestamps: bool = setting(False, "Record the time of each word.")
    file_beam_size: int = setting(5, "Whisper beam size for audio files (transcribe, an attached recording): "
                                     "5, faster-whisper's default, is chosen for accuracy.", min=1, max=10)
    turn_beam_size: int = setting(1, "Whisper beam size for spoken turns: 1 (greedy) is chosen for latency, "
                                     "which counts against the voice-to-voice target.", min=1, max=10)
    mode: str = setting("push-to-talk", "How the microphone is used.", choices=("push-to-talk", "hands-free"))
    end_silence_ms: int = setting(500, "Silence that ends an utterance in hands-free mode when the words so far "
                                       "do not tell (200 ms after a finished sentence, this plus 400 ms when "
                                       "you trail off).", min=100, max=5000)
    barge_in: bool = setting(True, "Speaking over a reply interrupts it (after about a quarter second of your "
                                   "words; a cough or the assistant's own voice does not).")
    echo_cancellation: bool = setting(True, "Remove the assistant's own voice from the microphone, so that replies "
                                            "played on speakers do not interrupt themselves (on whenever barge-in "
                                            "is on; switch it off with a headset).")
    input_device: str = setting("", "The microphone Sensorium listens with (empty: the system default).")
    output_device: str = setting("", "The speaker replies are played on (empty: the system default).")


#: The roles that can run on a serving engine (image understanding, CLIP, has no OpenAI endpoint).
SERVER_ROLES = ("chat", "asr", "tts", "embed", "imagegen", "vlm")


@dataclass
class ServerSettings:
    """One role's serving engine: an OpenAI-compatible server (llama.cpp's server, vLLM, SGLang,
    Ollama, speaches...). Its API key is kept in the OS keyring, per server address."""

    use_server: bool = setting(False, "Run this role on the server below instead of on this computer.")
    base_url: str = setting("", "The server's OpenAI-compatible address, e.g. http://gpu-box:8000/v1.")
    model: str = setting("", "The model to ask the server for (Test connection lists the ones it offers).")
    timeout_s: float = setting(60.0, "Seconds to wait for the server (to connect, and between pieces of its "
                                     "answer) before giving up with a message.", min=1.0, max=3600.0)
    retries: int = setting(2, "Times to try again, with a growing pause, when a request fails before the "
                              "server began answering (refused connection, 429, 502-504); a reply that has "
                              "started is never sent twice.", min=0, max=10)


def _server(timeout_s: float) -> Any:
    return field(default_factory=lambda: ServerSettings(timeout_s=timeout_s), metadata={"nested": True})


@dataclass
class ServersSettings:
    """``[servers.<role>]``: which roles run on a serving engine (none by default: nothing leaves
    the machine unless a role names a server)."""

    chat: ServerSettings = _server(120.0)
    asr: ServerSettings = _server(60.0)
    tts: ServerSettings = _server(60.0)
    embed: ServerSettings = _server(30.0)
    imagegen: ServerSettings = _server(600.0)
    vlm: ServerSettings = _server(120.0)


@dataclass
class Settings:
    general: GeneralSettings = field(default_factory=GeneralSettings)
    device: DeviceSettings = field(default_factory=DeviceSettings)
    models: ModelSettings = field(default_factory=ModelSettings)
    chat: ChatSettings = field(default_factory=ChatSettings)
    imagegen: ImageGenSettings = field(default_factory=ImageGenSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    documents: DocumentSettings = field(default_factory=DocumentSettings)
    memory: MemorySettings = field(default_factory=MemorySettings)
    learning: LearningSettings = field(default_factory=LearningSettings)
    servers: ServersSettings = field(default_factory=ServersSettings)

    def section(self, name: str) -> Any:
        """A section by name; a dotted name is a table inside one (``servers.chat``)."""
        obj: Any = self
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj

    def server(self, role: str) -> ServerSettings | None:
        """The serving engine this role uses, or None when it runs on this computer."""
        if role not in SERVER_ROLES:
            return None
        s = getattr(self.servers, role)
        return s if s.use_server and s.base_url.strip() else None

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)

    def replace(self, section: str, **changes: Any) -> Settings:
        """A copy with some values of one section changed (validated like a load)."""
        data = self.to_dict()
        table = data
        for part in section.split("."):
            table = table[part]
        table.update(changes)
        loaded = from_dict(data)
        if loaded.problems:
            raise ValueError(loaded.problems[0])
        return loaded.settings


@dataclass
class LoadedSettings:
    settings: Settings
    problems: list[str]


def _check(value: Any, default: Any, meta: dict) -> tuple[bool, Any]:
    """Return (ok, coerced value)."""
    if meta.get("optional"):
        if value is None:
            return (True, None)
        default = meta["kind"]()  # a value of the setting's kind to check against
    if isinstance(default, bool):
        return (isinstance(value, bool), value)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return (False, value)
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return (False, value)
        value = float(value)
        if value != value:  # NaN
            return (False, value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            return (False, value)
    elif isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return (False, value)
    if meta.get("choices") and value not in meta["choices"]:
        return (False, value)
    if meta.get("min") is not None and value < meta["min"]:
        return (False, value)
    if meta.get("max") is not None and value > meta["max"]:
        return (False, value)
    return (True, value)


#: The settings file's format; ``schema = N`` heads the file. Files without it are schema 1, from
#: before the model defaults, and spell out every value. Schema 2 kept the one remote server in
#: [chat] (backend, remote_base_url, remote_model); schema 3 has a [servers.<role>] table per role.
SCHEMA = 3
#: Schema 1 wrote every setting, so a value equal to that version's built-in default was the
#: default, not a choice: it becomes "the model's default" now that these settings have one
#: (otherwise SD-Turbo would keep 25 steps at guidance 7 for everyone who ever saved settings).
_SCHEMA1_DEFAULTS = {("chat", "temperature"): 0.7, ("chat", "top_p"): 0.95, ("imagegen", "width"): 512,
                     ("imagegen", "height"): 512, ("imagegen", "steps"): 25, ("imagegen", "guidance"): 7.0}
#: Schema 2's chat server keys and where they live now.
_SCHEMA2_SERVER = {"remote_base_url": "base_url", "remote_model": "model"}


def _upgrade(data: Any) -> Any:
    """A settings file's tables in today's schema (``data`` is not changed)."""
    if not isinstance(data, dict):
        return data
    schema = data.get("schema", 1)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema >= SCHEMA:
        return data
    data = dict(data, schema=SCHEMA)
    if schema < 2:
        for (section, key), old in _SCHEMA1_DEFAULTS.items():
            values = data.get(section)
            if isinstance(values, dict) and key in values and values[key] == old and not isinstance(values[key], bool):
                data[section] = {k: v for k, v in values.items() if k != key}
    chat = data.get("chat")
    if isinstance(chat, dict) and ({"backend"} | set(_SCHEMA2_SERVER)) & set(chat):
        server = {new: chat[old] for old, new in _SCHEMA2_SERVER.items() if old in chat}
        server["use_server"] = chat.get("backend") == "remote"
        data["chat"] = {k: v for k, v in chat.items() if k != "backend" and k not in _SCHEMA2_SERVER}
        servers = dict(data.get("servers") or {}) if isinstance(data.get("servers"), dict) else {}
        servers["chat"] = {**server, **(servers.get("chat") or {})}
        data["servers"] = servers
    return data


def _fill(obj: Any, name: str, values: dict, problems: list[str]) -> None:
    """Set ``obj``'s fields from a TOML table, checking each value; a nested table fills a nested section."""
    known = {f.name: f for f in fields(obj)}
    for key, v in values.items():
        f = known.get(key)
        if f is None:
            problems.append(f"unknown setting {name}.{key} ignored")
            continue
        default = getattr(obj, key)
        if f.metadata.get("nested"):
            if isinstance(v, dict):
                _fill(default, f"{name}.{key}", v, problems)
            else:
                problems.append(f"[{name}.{key}] is not a table; using defaults")
            continue
        ok, coerced = _check(v, default, dict(f.metadata))
        if ok:
            setattr(obj, key, coerced)
        else:
            hint = f" (choose one of {', '.join(f.metadata['choices'])})" if f.metadata.get("choices") else ""
            fallback = "the model's default" if default is None else f"default {default!r}"
            problems.append(f"invalid value {v!r} for {name}.{key}{hint}; using {fallback}")


def from_dict(data: Any) -> LoadedSettings:
    """Settings from tables in the current schema (a ``schema`` key, if any, is checked)."""
    problems: list[str] = []
    settings = Settings()
    if not isinstance(data, dict):
        return LoadedSettings(settings, ["settings file is not a table; using defaults"])
    if "schema" in data:
        schema = data["schema"]
        if schema != SCHEMA or isinstance(schema, bool):
            problems.append(f"settings schema {schema!r} is not the one this version writes ({SCHEMA}); "
                            "reading it as that")
        data = {k: v for k, v in data.items() if k != "schema"}
    sections = {f.name: f for f in fields(Settings)}
    for name, value in data.items():
        if name not in sections:
            problems.append(f"unknown section [{name}] ignored")
            continue
        if not isinstance(value, dict):
            problems.append(f"[{name}] is not a table; using defaults")
            continue
        _fill(getattr(settings, name), name, value, problems)
    return LoadedSettings(settings, problems)


def load_settings(path: Path) -> LoadedSettings:
    """Read settings; a missing file gives defaults, a broken file gives defaults and a problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LoadedSettings(Settings(), [])
    except OSError as e:
        return LoadedSettings(Settings(), [f"cannot read {path}: {e.strerror}; using defaults"])
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        return LoadedSettings(Settings(), [f"{path} is not valid TOML ({e}); using defaults"])
    return from_dict(_upgrade(data))


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically: a crash leaves either the old file or the new one, never half of one."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update({sec: {k: v for k, v in values.items() if v is not None}  # None: the model's default, left out
                 for sec, values in settings.to_dict().items()})
    text = tomli_w.dumps(data)
    fd, tmp = tempfile.mkstemp(prefix=f".settings.pid{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def describe() -> list[tuple[str, str, Any, str]]:
    """(section, key, default, description) for every setting: for docs and the Settings dialog. A
    nested table's section is dotted (``servers.chat``)."""
    out: list[tuple[str, str, Any, str]] = []

    def walk(name: str, obj: Any) -> None:
        for f in fields(obj):
            value = getattr(obj, f.name)
            if f.metadata.get("nested"):
                walk(f"{name}.{f.name}", value)
            else:
                out.append((name, f.name, value, f.metadata["description"]))

    s = Settings()
    for sec in fields(Settings):
        walk(sec.name, getattr(s, sec.name))
    return out
