"""Device selection: cuda if available, else mps, else cpu, with a dtype per device.

Each role asks with the runtime that executes it (``backend``): ``torch`` (transformers,
diffusers, open_clip, Coqui), ``ctranslate2`` (faster-whisper) or ``onnxruntime`` (Piper). Only
the torch backend imports torch: a CTranslate2 or ONNX role asks its own runtime, so
``sensorium transcribe`` never pays for importing torch. Runtimes are imported inside the
functions, so that importing this module is free. This is the one place that reports free GPU
memory.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DeviceChoice", "BACKENDS", "select_device", "free_gpu_memory", "describe_device", "cpu_threads",
           "quiet_blas", "ctranslate2_isa", "tune_cpu_runtimes"]


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cuda", "mps" or "cpu"
    dtype: str  # "float16", "bfloat16" or "float32"
    ctranslate2_compute: str  # compute_type for CTranslate2 (faster-whisper)
    reason: str = ""

    @property
    def is_gpu(self) -> bool:
        return self.device in ("cuda", "mps")

    def torch_dtype(self):
        import torch

        return getattr(torch, self.dtype)


BACKENDS = ("torch", "ctranslate2", "onnxruntime")


def _nvidia_driver_present() -> bool:
    """An NVIDIA GPU with its kernel driver loaded (Linux), without importing any runtime."""
    from .cuda_libs import nvidia_driver_present

    return nvidia_driver_present()


def _cuda_available(backend: str = "torch") -> bool:
    try:
        if backend == "ctranslate2":
            # CTranslate2 opens the CUDA 12 cuBLAS (the gpu extra) on its first GPU product: load
            # it first, and without it the GPU is of no use to CTranslate2
            from .cuda_libs import preload_cuda_libs

            if not preload_cuda_libs().ok:
                return False
            import ctranslate2

            return ctranslate2.get_cuda_device_count() > 0
        if backend == "onnxruntime":
            import onnxruntime

            return "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # broken driver or runtime: behave as if there were no GPU
        return False


def _why_no_cuda(backend: str) -> str:
    """Why a runtime cannot use the NVIDIA GPU that is there, and what to do (one clause)."""
    if backend == "ctranslate2":
        from .cuda_libs import preload_cuda_libs

        libs = preload_cuda_libs()
        if not libs.ok:
            return f"NVIDIA GPU found, but {libs.summary()}"
        return "NVIDIA GPU found, but CTranslate2 sees no CUDA device (check the driver with nvidia-smi)"
    if backend == "onnxruntime":
        return ("NVIDIA GPU found, but this onnxruntime (the CPU build that comes with piper-tts) has no CUDA "
                "provider; install onnxruntime-gpu to run Piper voices on the GPU")
    return "NVIDIA GPU found, but torch cannot use it (`sensorium doctor` says why)"


def _mps_available(backend: str = "torch") -> bool:
    if backend != "torch":  # CTranslate2 and Piper's onnxruntime build have no Metal backend
        return False
    import sys

    if sys.platform != "darwin":
        return False
    import torch

    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def select_device(preference: str = "auto", dtype: str = "auto", *, backend: str = "torch") -> DeviceChoice:
    """Pick the device for a role run by ``backend`` (one of BACKENDS). ``preference`` is
    auto|cuda|mps|cpu; an unavailable choice falls back to cpu, with the reason."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}")
    device, reason = "cpu", "no GPU found"
    # no NVIDIA driver: no runtime can see a CUDA GPU, so none is imported to ask
    cuda = preference in ("auto", "cuda") and (backend == "torch" or _nvidia_driver_present()) \
        and _cuda_available(backend)
    if cuda:
        device, reason = "cuda", "CUDA GPU found"
    elif preference in ("auto", "mps") and _mps_available(backend):
        device, reason = "mps", "Apple GPU found"
    elif preference == "cpu":
        reason = "CPU chosen in settings"
    elif preference != "auto":
        reason = f"{preference} requested in settings but not available to {backend}; using the CPU"
    if device == "cpu" and preference in ("auto", "cuda") and _nvidia_driver_present():
        reason = f"{_why_no_cuda(backend)}; using the CPU"
    if dtype == "auto":
        if device == "cuda" and backend == "torch":
            import torch

            dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        elif device == "cuda":
            dtype = "float16"
        elif device == "mps":
            dtype = "float16"
        else:
            dtype = "float32"
    if device == "cuda":
        compute = "int8_float16" if dtype == "float32" else "float16"
    else:
        compute = "int8"
    return DeviceChoice(device=device, dtype=dtype, ctranslate2_compute=compute, reason=reason)


def free_gpu_memory() -> tuple[int, int] | None:
    """(free, total) bytes on the current CUDA device, or None without CUDA."""
    import torch

    if not _cuda_available():
        return None
    free, total = torch.cuda.mem_get_info()
    return int(free), int(total)


def describe_device(choice: DeviceChoice) -> str:
    if choice.device == "cuda":
        import torch

        name = torch.cuda.get_device_name(0)
        mem = free_gpu_memory()
        if mem:
            return f"{name} ({mem[0] / 2**30:.1f} of {mem[1] / 2**30:.1f} GiB free, {choice.dtype})"
        return f"{name} ({choice.dtype})"
    return f"{choice.device} ({choice.dtype})"


def cpu_threads(setting: int = 0) -> int:
    return setting if setting > 0 else max(1, os.cpu_count() or 1)


def quiet_blas() -> None:
    """numpy's BLAS (OpenBLAS) on one thread, unless ``OPENBLAS_NUM_THREADS`` is set.

    After each call OpenBLAS's idle threads spin on the cores for a while, so the torch, CTranslate2 or
    llama.cpp call that follows shares its cores with them: the router's MiniLM embedding right after its
    numpy classifier took 28 ms a route instead of 15 (worst 116 ms instead of 27; 2 cores). numpy's work
    here is small (a classifier, a 10k x 384 search, audio), and one thread does it as fast. Before numpy
    is imported the variable does it; after, threadpoolctl lowers the loaded OpenBLAS's threads."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read when OpenBLAS loads (and by child processes)
    if "numpy" in sys.modules:
        from threadpoolctl import ThreadpoolController

        ThreadpoolController().select(internal_api="openblas").limit(limits=1)


#: The CPU flags CTranslate2's AVX512 kernels need (its cpu_supports_avx512).
_CT2_AVX512 = frozenset({"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"})


def ctranslate2_isa(cpuinfo: str | Path = "/proc/cpuinfo") -> str:
    """CTranslate2's own kernels in AVX512 where the CPU has it, unless ``CT2_FORCE_CPU_ISA`` is set; the ISA
    chosen ("" when left to CTranslate2).

    CTranslate2 never picks AVX512 by itself ("not included in the automatic dispatch"), so on a CPU that
    has it, it runs its AVX2 kernels: on this 2-core AMD EPYC, MiniLM's int8 passages went 68 -> 86 a
    second in AVX512 and Whisper tiny.en 6-9% faster. Read when CTranslate2 first runs, so set first."""
    if "CT2_FORCE_CPU_ISA" in os.environ:
        return ""
    try:
        text = Path(cpuinfo).read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux: CTranslate2 decides
        return ""
    flags = next((set(line.split(":", 1)[1].split()) for line in text.splitlines()
                  if line.startswith("flags")), set())
    if not _CT2_AVX512 <= flags:
        return ""
    os.environ["CT2_FORCE_CPU_ISA"] = "AVX512"
    return "AVX512"


def tune_cpu_runtimes() -> None:
    """What the app sets for the CPU's runtimes before any model loads: numpy's BLAS on one thread
    (``quiet_blas``) and CTranslate2 in AVX512 where the CPU has it (``ctranslate2_isa``)."""
    quiet_blas()
    ctranslate2_isa()
