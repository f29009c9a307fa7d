"""The CUDA 12 libraries CTranslate2 (faster-whisper's runtime) needs on an NVIDIA GPU: found in
the ``gpu`` extra's wheel and loaded before CTranslate2 asks for them, so nobody sets
LD_LIBRARY_PATH.

The ctranslate2 4.8 wheel links the CUDA runtime statically, is built without cuDNN, and opens
``libcublas.so.12`` by name on its first GPU matrix product. torch's CUDA 13 build brings only
``libcublas.so.13``, so the CUDA 12 cuBLAS comes from the ``nvidia-cublas-cu12`` wheel
(``pip install 'sensorium[gpu]'``), which puts it in ``nvidia/cublas/lib``. ``preload_cuda_libs``
finds that folder on sys.path by the import system's rules, without importing or running any
package, and loads the files by their full path, libcublasLt before libcublas (else libcublas may pick up another libcublasLt on
LD_LIBRARY_PATH); CTranslate2's own ``dlopen("libcublas.so.12")`` then finds them already loaded.
Both cuBLAS versions live side by side in one process: their symbols are versioned
(``cublasCreate_v2@@libcublas.so.12`` and ``@@libcublas.so.13``), so RTLD_GLOBAL is safe.

Without an NVIDIA driver nothing is looked up or loaded, and only the standard library is imported.
"""
from __future__ import annotations

import ctypes
import functools
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CudaLibrary",
    "CTRANSLATE2_CUDA_LIBS",
    "GPU_EXTRA_FIX",
    "LoadedLibrary",
    "CudaLibsReport",
    "nvidia_driver_present",
    "library_dirs",
    "find_cuda_libs",
    "preload_cuda_libs",
]

GPU_EXTRA_FIX = ("install the CUDA 12 cuBLAS with pip install 'sensorium[gpu]' "
                 "(`make run` does it on a machine with an NVIDIA driver)")


@dataclass(frozen=True)
class CudaLibrary:
    """One shared library: its soname, the import path of the wheel folder that holds it (its
    files are in ``<folder>/lib``) and the wheel's distribution name."""

    soname: str
    package: str
    wheel: str


#: What CTranslate2 loads on the GPU, in dependency order (libcublas.so.12 needs libcublasLt.so.12).
CTRANSLATE2_CUDA_LIBS = (
    CudaLibrary("libcublasLt.so.12", "nvidia.cublas", "nvidia-cublas-cu12"),
    CudaLibrary("libcublas.so.12", "nvidia.cublas", "nvidia-cublas-cu12"),
)


@dataclass(frozen=True)
class LoadedLibrary:
    soname: str
    path: str  # the file that was loaded
    source: str  # wheel (found through importlib) | system (found by the system loader)


@dataclass(frozen=True)
class CudaLibsReport:
    """What ``preload_cuda_libs`` did. ``skipped`` says why nothing was tried (no NVIDIA driver)."""

    loaded: tuple[LoadedLibrary, ...] = ()
    missing: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()  # "soname: why" for a file that exists but did not load
    skipped: str = ""

    @property
    def ok(self) -> bool:
        """Every library is loaded (False when nothing was tried)."""
        return not self.skipped and not self.missing and not self.errors

    @property
    def fix(self) -> str:
        if self.missing:
            return GPU_EXTRA_FIX
        if self.errors:
            return "reinstall the CUDA 12 cuBLAS with pip install --force-reinstall 'sensorium[gpu]'"
        return ""

    def summary(self) -> str:
        """One line for a status bar, the log or `sensorium doctor`."""
        if self.skipped:
            return f"CUDA 12 libraries not loaded: {self.skipped}"
        if self.ok:
            folders = sorted({str(Path(lib.path).parent) for lib in self.loaded})
            return f"{', '.join(lib.soname for lib in self.loaded)} loaded from {', '.join(folders)}"
        what = ", ".join((*self.missing, *self.errors))
        return f"CTranslate2 cannot use the GPU without {what}: {self.fix}"

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "loaded": [{"soname": lib.soname, "path": lib.path, "source": lib.source}
                                          for lib in self.loaded],
                "missing": list(self.missing), "errors": list(self.errors), "skipped": self.skipped,
                "fix": self.fix}


def nvidia_driver_present(proc: Path = Path("/proc/driver/nvidia")) -> bool:
    """An NVIDIA GPU with its driver (Linux: a GPU under /proc/driver/nvidia/gpus; WSL2 and
    containers without that folder: nvidia-smi on PATH). Imports nothing, starts nothing."""
    gpus = proc / "gpus"
    try:
        if gpus.is_dir() and any(gpus.iterdir()):
            return True
    except OSError:
        pass
    return shutil.which("nvidia-smi") is not None


def library_dirs(library: CudaLibrary, path: Sequence[str] | None = None) -> list[Path]:
    """The ``lib`` folders of ``library.package`` on ``path`` (default ``sys.path``), found by the
    import system's rule for packages, without importing anything: at each level a regular package
    (with ``__init__.py``) is the only place looked at, the first one in path order; otherwise every
    namespace portion (a plain folder), in path order. The real wheels are regular packages; torch's
    CUDA 13 wheels leave ``nvidia`` a namespace."""
    search = [Path(p) for p in (sys.path if path is None else path)]
    for part in library.package.split("."):
        folders = [d / part for d in search if (d / part).is_dir()]
        regular = [f for f in folders if (f / "__init__.py").is_file()]
        search = regular[:1] or folders
        if not search:
            return []
    return [folder / "lib" for folder in search]


def find_cuda_libs(libraries: Sequence[CudaLibrary] = CTRANSLATE2_CUDA_LIBS,
                   path: Sequence[str] | None = None) -> dict[str, Path | None]:
    """soname -> the first file found in the wheels' folders (search order: ``path``), or None."""
    found: dict[str, Path | None] = {}
    for lib in libraries:
        found[lib.soname] = next((d / lib.soname for d in library_dirs(lib, path) if (d / lib.soname).is_file()),
                                 None)
    return found


@functools.cache
def _dlopen(target: str) -> ctypes.CDLL:
    """Load a library once per process (a loaded library stays loaded; failures are not cached)."""
    return ctypes.CDLL(target, mode=ctypes.RTLD_GLOBAL)


def _mapped_path(soname: str) -> str:
    """Where the loader found a library it was asked for by soname (from /proc/self/maps)."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return soname
    for line in maps.splitlines():
        parts = line.split(maxsplit=5)
        file = parts[5].strip() if len(parts) == 6 else ""
        if file.startswith("/") and Path(file).name.startswith(soname):
            return file
    return soname


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def preload_cuda_libs(libraries: Sequence[CudaLibrary] = CTRANSLATE2_CUDA_LIBS, *,
                      path: Sequence[str] | None = None, driver: bool | None = None,
                      system: bool = True) -> CudaLibsReport:
    """Load ``libraries`` in order: from the wheels on ``path`` (default ``sys.path``), else, when
    ``system``, from the system loader's search path (a CUDA 12 toolkit). ``driver`` None: only
    when an NVIDIA driver is present (see ``nvidia_driver_present``). Safe to call often: each
    file is loaded once per process."""
    if not sys.platform.startswith("linux"):
        return CudaLibsReport(skipped=f"preloading is for Linux (this is {sys.platform})")
    if not (nvidia_driver_present() if driver is None else driver):
        return CudaLibsReport(skipped="no NVIDIA driver on this machine")
    found = find_cuda_libs(libraries, path)
    loaded: list[LoadedLibrary] = []
    missing: list[str] = []
    errors: list[str] = []
    for lib in libraries:
        file = found[lib.soname]
        if file is not None:
            try:
                _dlopen(str(file))
            except OSError as e:  # a damaged or foreign-architecture file
                errors.append(f"{lib.soname} ({_first_line(e)})")
            else:
                loaded.append(LoadedLibrary(lib.soname, str(file), "wheel"))
            continue
        if system:
            try:
                _dlopen(lib.soname)
            except OSError:
                pass
            else:
                loaded.append(LoadedLibrary(lib.soname, _mapped_path(lib.soname), "system"))
                continue
        missing.append(lib.soname)
    return CudaLibsReport(tuple(loaded), tuple(missing), tuple(errors))
