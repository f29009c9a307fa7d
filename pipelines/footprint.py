"""What a loaded model occupies, taken from the model itself: the bytes of its weights in device
(GPU) memory and in host RAM.

torch models count their parameters and buffers (each tensor once, on the device it is on);
CTranslate2 and ONNX models, whose memory torch cannot see, count their weight files. Every role
object exposes ``footprint() -> Footprint``; the model manager reports it per role and budgets
with it. Nothing here imports a model library: a torch figure is only asked of torch when torch
is already loaded (it is, whenever a torch model exists).
"""
from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Footprint", "tensor_footprint", "file_footprint"]


@dataclass(frozen=True)
class Footprint:
    device_bytes: int = 0  # in GPU memory (CUDA, MPS)
    host_bytes: int = 0  # in RAM

    @property
    def total_bytes(self) -> int:
        return self.device_bytes + self.host_bytes


def tensor_footprint(*objects: Any) -> Footprint:
    """Parameter and buffer bytes of the torch modules among ``objects`` (anything else, such as
    None or a tokenizer, is skipped). A module or tensor shared between several (tied weights, one
    UNet in two pipelines) counts once; a tensor on the CPU is host memory, on any other device
    (cuda, mps) device memory; meta tensors (not materialised) count nothing."""
    torch = sys.modules.get("torch")
    if torch is None:
        return Footprint()
    modules = {id(m): m for m in objects if isinstance(m, torch.nn.Module)}
    seen: set[int] = set()
    device = host = 0
    for module in modules.values():
        for t in itertools.chain(module.parameters(), module.buffers()):
            if id(t) in seen or t.device.type == "meta":
                continue
            seen.add(id(t))
            size = t.numel() * t.element_size()
            if t.device.type == "cpu":
                host += size
            else:
                device += size
    return Footprint(device, host)


def file_footprint(paths: Iterable[str | os.PathLike[str]], *, on_device: bool) -> Footprint:
    """The size of a runtime's weight files (CTranslate2 model.bin, an .onnx): what it holds in
    memory, in device memory when it runs on a GPU (``on_device``), else in RAM."""
    size = 0
    for p in paths:
        try:
            size += Path(p).stat().st_size
        except OSError:  # a missing file holds no memory
            continue
    return Footprint(size, 0) if on_device else Footprint(0, size)
