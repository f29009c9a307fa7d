"""Timing, statistics, machine description and the result records shared by the stage modules."""
from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["REPO", "MODEL_CACHE", "MACHINE_CACHE", "SPEECH_DIR", "Figure", "Stage", "Series", "measure", "series",
           "machine", "load_now", "overhead", "paired", "timed", "timed_cpu", "on_worker", "FirstToken"]

from tests.helpers.profiles import MACHINE_CACHE, MODEL_CACHE, REPO  # shared with the test suite

SPEECH_DIR = REPO / "tests" / "data" / "speech"  # the recordings the tests use (see its README)


@dataclass
class Series:
    """Repeated measurements of one quantity (warm-up excluded)."""

    values: list[float]
    unit: str

    @property
    def median(self) -> float:
        return float(statistics.median(self.values)) if self.values else float("nan")

    @property
    def spread(self) -> dict[str, float]:
        v = sorted(self.values)
        if not v:
            return {}
        q = statistics.quantiles(v, n=4) if len(v) >= 2 else [v[0], v[0], v[0]]
        return {"min": v[0], "max": v[-1], "p25": q[0], "p75": q[2],
                "stdev": statistics.stdev(v) if len(v) >= 2 else 0.0}

    def as_dict(self) -> dict[str, Any]:
        return {"median": self.median, "unit": self.unit, "n": len(self.values), "spread": self.spread,
                "values": [round(x, 6) for x in self.values]}


@dataclass
class Figure:
    """One reported number: a measured series, the target it is held against, and notes."""

    name: str
    series: Series
    target: str = ""  # e.g. "< 50 ms"; empty: no target
    met: bool | None = None
    note: str = ""
    higher_is_better: bool = False
    stat: str = "median"  # what the figure reports and the target is held against: "median" or "max"

    @property
    def value(self) -> float:
        if self.stat == "max":
            return max(self.series.values) if self.series.values else float("nan")
        return self.series.median

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, **self.series.as_dict(), "stat": self.stat, "value": self.value,
                "target": self.target, "met": self.met, "note": self.note}


@dataclass
class Stage:
    """A measured stage: its figures, the models it used and anything that went wrong."""

    name: str
    models: str = ""
    figures: list[Figure] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)  # os.getloadavg() when the stage ended

    def add(self, name: str, values: list[float] | Series, unit: str = "", *, target: str = "",
            check: Callable[[float], bool] | None = None, note: str = "", higher: bool = False,
            stat: str = "median") -> Figure:
        """``check`` is held against the median of ``values``, or their maximum with ``stat="max"``."""
        s = values if isinstance(values, Series) else Series([float(v) for v in values], unit)
        fig = Figure(name, s, target, None, note, higher, stat)
        if check is not None and s.values:
            fig.met = bool(check(fig.value))
        self.figures.append(fig)
        return fig

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "models": self.models, "seconds": round(self.seconds, 2),
                "loadavg_after": [round(x, 2) for x in self.load], "error": self.error, "info": self.info,
                "figures": [f.as_dict() for f in self.figures]}


def measure(fn: Callable[[], Any], *, reps: int, warmup: int = 1) -> tuple[list[float], list[Any]]:
    """Wall seconds of ``fn()`` over ``reps`` runs after ``warmup`` untimed runs; also the results."""
    for _ in range(warmup):
        fn()
    times, results = [], []
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        r = fn()
        times.append(time.perf_counter() - t0)
        results.append(r)
    return times, results


def series(values: list[float], unit: str) -> Series:
    return Series([float(v) for v in values], unit)


def overhead(ours: list[float], raw: list[float]) -> Series:
    """Per-repetition ratio ours/raw (runs interleaved, so load drifts hit both alike)."""
    return Series([a / b for a, b in zip(ours, raw) if b > 0], "x")


def load_now() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover
        return (0.0, 0.0, 0.0)


def machine(device: str) -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "python": sys.version.split()[0], "platform": platform.platform(), "machine": platform.machine(),
        "cpu_count": os.cpu_count(), "loadavg_start": [round(x, 2) for x in load_now()],
    }
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        info["cpu"] = names[0] if names else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except Exception:
        pass
    versions = {}
    for mod in ("torch", "transformers", "diffusers", "open_clip", "faster_whisper", "ctranslate2", "onnxruntime",
                "piper", "PySide6", "numpy"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", "?")
        except Exception:
            versions[mod] = None
    info["versions"] = versions
    try:
        import torch

        info["torch_threads"] = torch.get_num_threads()
        if device == "cuda" and torch.cuda.is_available():
            p = torch.cuda.get_device_properties(0)
            info["gpu"] = {"name": p.name, "memory_gb": round(p.total_memory / 2**30, 1),
                           "capability": f"{p.major}.{p.minor}", "cuda": torch.version.cuda}
    except Exception:
        pass
    return info


def paired(ours: Callable[[], Any], raw: Callable[[], Any], *, reps: int, warmup: int = 1
           ) -> tuple[list[Any], list[Any]]:
    """Run ``ours`` and ``raw`` alternately ``reps`` times after ``warmup`` rounds; each returns its
    own measurement (a float of seconds or a dict). Alternating spreads machine-load drift evenly,
    and the order flips every round (ours-raw, raw-ours, ...) so that neither always runs second,
    on caches the other warmed."""
    for _ in range(warmup):
        on_worker(ours)
        on_worker(raw)
    a, b = [], []
    for i in range(reps):
        for fn, out in ((ours, a), (raw, b)) if i % 2 == 0 else ((raw, b), (ours, a)):
            gc.collect()
            out.append(on_worker(fn))
    return a, b


def on_worker(fn: Callable[[], Any]) -> Any:
    """Call ``fn`` on a fresh worker thread and return its result (re-raising its error).

    The app runs every model call on a worker thread, so the baselines do too. It matters here:
    on a loaded 2-core machine torch's OpenMP team on the main thread made SmolLM2 decoding
    6-10x slower than the same ``generate`` on a worker thread (measured: 22 s vs 2 s for 24 tokens).
    """
    import threading

    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["r"] = fn()
        except BaseException as e:  # pragma: no cover
            box["e"] = e

    t = threading.Thread(target=target, name="bench-call")
    t.start()
    t.join()
    if "e" in box:
        raise box["e"]
    return box["r"]


def timed(fn: Callable[[], Any]) -> Callable[[], float]:
    def run() -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0
    return run


def timed_cpu(fn: Callable[[], Any]) -> Callable[[], tuple[float, float]]:
    """(wall seconds, CPU seconds of this process) of ``fn()``. The CPU time counts the work of every
    thread of ours (CTranslate2's and torch's pools included) and none of another process's, so an
    overhead ratio in CPU time stays put when something else is using the cores."""
    def run() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - t0, time.process_time() - c0
    return run


class BenchContext:
    """What the CPU and the GPU runs share: a fresh profile, the spoken question, a photo. A subclass
    sets ``m`` (the model paths) and ``_tmp`` (its scratch folder)."""

    m: object
    _tmp: Path

    def profile(self):
        from .models import bench_profile

        return bench_profile(Path(tempfile.mkdtemp(prefix="profile-", dir=self._tmp)))

    def question_audio(self):
        from .models import question_audio

        return question_audio(self.m)

    def photo(self) -> Path:
        from .stage_vision import make_photo_folder

        return make_photo_folder(1, self._tmp / "photo")[0]


class FirstToken:
    """A transformers streamer that notes when the first new token came: ``put()`` gets the prompt,
    then each new token (the plain ``generate`` baselines of the LM and VLM stages)."""

    def __init__(self):
        self.calls, self.first = 0, None

    def put(self, value):
        self.calls += 1
        if self.calls == 2 and self.first is None:
            self.first = time.perf_counter()

    def end(self):
        pass
