"""Device selection: cuda if available, else mps, else cpu, with a dtype per device.

torch is imported lazily, inside the functions, so that importing this module is free.
This is the one place that reports free GPU memory.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["DeviceChoice", "select_device", "free_gpu_memory", "describe_device", "cpu_threads"]


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


def _cuda_available() -> bool:
    import torch

    try:
        return bool(torch.cuda.is_available())
    except Exception:  # broken driver: behave as if there were no GPU
        return False


def _mps_available() -> bool:
    import torch

    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def select_device(preference: str = "auto", dtype: str = "auto") -> DeviceChoice:
    """Pick the device. ``preference`` is auto|cuda|mps|cpu; an unavailable choice falls back to cpu."""
    device, reason = "cpu", "no GPU found"
    if preference in ("auto", "cuda") and _cuda_available():
        device, reason = "cuda", "CUDA GPU found"
    elif preference in ("auto", "mps") and _mps_available():
        device, reason = "mps", "Apple GPU found"
    elif preference == "cpu":
        reason = "CPU chosen in settings"
    elif preference != "auto":
        reason = f"{preference} requested in settings but not available; using the CPU"
    if dtype == "auto":
        if device == "cuda":
            import torch

            dtype = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
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
