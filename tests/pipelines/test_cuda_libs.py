"""The CUDA 12 cuBLAS locator (pipelines.cuda_libs) and what each runtime does with an NVIDIA GPU it
cannot use.

This machine has no GPU. The NVIDIA driver's presence is the one thing faked (monkeypatched
``nvidia_driver_present``); onnxruntime, CTranslate2, Piper and Whisper are the real libraries
and packs. The search order and the missing-library path run on a fake ``nvidia/`` layout;
loading the real libcublas.so.12 is the opt-in test at the end:

    SENSORIUM_TEST_CUDA_LIBS=1 .venv/bin/python -m pytest tests/pipelines/test_cuda_libs.py -k real

It downloads the gpu extra's wheel (nvidia-cublas-cu12, about 600 MB) with pip into a temporary
folder, so it is off by default. No GPU is needed to load the library.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib

import pytest

from pipelines import cuda_libs
from pipelines.cuda_libs import (
    CTRANSLATE2_CUDA_LIBS,
    GPU_EXTRA_FIX,
    CudaLibrary,
    find_cuda_libs,
    library_dirs,
    preload_cuda_libs,
)
from pipelines.devices import select_device
from pipelines.errors import ModelUnavailable
from tests.helpers.profiles import REPO


def _fake_site(root, *, regular: bool = False, files: tuple[str, ...] = ()):
    """A site-packages folder with nvidia/cublas/lib holding ``files`` (empty placeholders).
    ``regular``: with __init__.py files, as the real nvidia-cublas-cu12 wheel lays them out."""
    lib = root / "nvidia" / "cublas" / "lib"
    lib.mkdir(parents=True)
    if regular:
        for folder in (root / "nvidia", root / "nvidia" / "cublas", lib):
            (folder / "__init__.py").write_text("")
    for name in files:
        (lib / name).write_bytes(b"")
    return root


@pytest.fixture
def gpu_driver(monkeypatch):
    """Pretend an NVIDIA driver is loaded (the only hardware faked here)."""
    monkeypatch.setattr(cuda_libs, "nvidia_driver_present", lambda *a, **k: True)


def test_without_a_driver_nothing_is_looked_up_or_imported():
    code = ("import sys; from pipelines.cuda_libs import preload_cuda_libs; r = preload_cuda_libs(); "
            "print(r.skipped); print([m for m in ('numpy', 'ctranslate2', 'torch', 'onnxruntime', 'nvidia') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.splitlines() == ["no NVIDIA driver on this machine", "[]"]
    report = preload_cuda_libs(driver=False)
    assert report.skipped and not report.ok and not report.loaded and report.fix == ""


def test_search_follows_the_import_path_order(tmp_path):
    lt, blas = (lib.soname for lib in CTRANSLATE2_CUDA_LIBS)
    first = _fake_site(tmp_path / "first", files=(lt,))
    second = _fake_site(tmp_path / "second", files=(lt, blas))
    # namespace packages (no __init__.py): nvidia.cublas spans both folders, the first one wins per file
    path = [str(first), str(second)]
    assert library_dirs(CTRANSLATE2_CUDA_LIBS[1], path) == [first / "nvidia/cublas/lib", second / "nvidia/cublas/lib"]
    found = find_cuda_libs(CTRANSLATE2_CUDA_LIBS, path)
    assert found == {lt: first / "nvidia/cublas/lib" / lt, blas: second / "nvidia/cublas/lib" / blas}
    assert find_cuda_libs(CTRANSLATE2_CUDA_LIBS, path[::-1])[lt] == second / "nvidia/cublas/lib" / lt
    # a regular package (the real wheel has __init__.py files) is the only place Python looks, as for imports
    wheel = _fake_site(tmp_path / "wheel", regular=True, files=(lt, blas))
    assert library_dirs(CTRANSLATE2_CUDA_LIBS[0], [str(first), str(wheel)]) == [wheel / "nvidia/cublas/lib"]
    # another package of the namespace, on sys.path by default: nothing under it
    assert library_dirs(CudaLibrary("libnothing.so.1", "nvidia.nothing_here", "x")) == []


def test_missing_libraries_say_how_to_install_them(tmp_path, gpu_driver):
    empty = _fake_site(tmp_path / "site")
    report = preload_cuda_libs(path=[str(empty)], system=False)
    assert report.missing == tuple(lib.soname for lib in CTRANSLATE2_CUDA_LIBS) and not report.loaded
    assert not report.ok and report.fix == GPU_EXTRA_FIX
    line = report.summary()
    assert "\n" not in line and "libcublas.so.12" in line and "pip install 'sensorium[gpu]'" in line
    assert json.loads(json.dumps(report.as_json()))["missing"] == list(report.missing)
    # nothing at all on the path (no nvidia package) reads the same
    assert preload_cuda_libs(path=[str(tmp_path / "nowhere")], system=False).missing == report.missing


def test_a_damaged_library_is_reported_with_a_reinstall(tmp_path, gpu_driver):
    lt, blas = (lib.soname for lib in CTRANSLATE2_CUDA_LIBS)
    site = _fake_site(tmp_path / "site", regular=True, files=(blas,))
    (site / "nvidia/cublas/lib" / lt).write_bytes(b"not an ELF file")
    report = preload_cuda_libs(path=[str(site)], system=False)
    assert report.errors and report.errors[0].startswith(lt) and "reinstall" in report.fix
    assert not report.ok


def test_gpu_present_but_unusable_runtimes_say_why(gpu_driver, whisper_model_path, piper_voice):
    from pipelines.asr import WhisperTranscriber
    from pipelines.tts import PiperEngine

    # CTranslate2 without the CUDA 12 cuBLAS: the CPU, and the status says how to fix it
    asr = select_device("auto", backend="ctranslate2")
    assert asr.device == "cpu" and "sensorium[gpu]" in asr.reason and "libcublas.so.12" in asr.reason
    with pytest.raises(ModelUnavailable, match=r"on the GPU: .*sensorium\[gpu\]"):
        WhisperTranscriber(whisper_model_path, device="cuda", compute_type="float16")
    # Piper's onnxruntime is the CPU build: the CPU, and the status names onnxruntime-gpu
    tts = select_device("auto", backend="onnxruntime")
    assert tts.device == "cpu" and "onnxruntime-gpu" in tts.reason
    engine = PiperEngine(piper_voice.onnx, piper_voice.config, use_cuda=True)  # asked for CUDA anyway
    assert engine.device_name == "cpu" and engine.synthesize("Hello there.").size > 0
    assert select_device("cpu", backend="onnxruntime").reason == "CPU chosen in settings"


@pytest.mark.opt_in
@pytest.mark.skipif(os.environ.get("SENSORIUM_TEST_CUDA_LIBS") != "1",
                    reason="opt-in: set SENSORIUM_TEST_CUDA_LIBS=1 to install the gpu extra (~600 MB) and load it")
def test_real_cublas_from_the_gpu_extra_loads_through_the_locator(tmp_path):
    """Install the gpu extra's requirements (pinned by constraints.txt) into a target folder, put it
    on the path as an installed extra would be, and check that after Sensorium's preload the bare
    ``dlopen("libcublas.so.12")`` CTranslate2 does succeeds with no LD_LIBRARY_PATH, and that the
    library answers (cublasGetProperty needs no GPU)."""
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["gpu"]
    target = tmp_path / "site"
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps",
                    "--target", str(target), "-c", str(REPO / "constraints.txt"), *extra], check=True)
    installed_s = time.monotonic() - t0
    size_mb = sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 2**20
    code = """
import ctypes, json
try:
    ctypes.CDLL("libcublas.so.12"); before = "loaded"
except OSError as e:
    before = str(e)
from pipelines.cuda_libs import preload_cuda_libs
report = preload_cuda_libs(driver=True, system=False)
lib = ctypes.CDLL("libcublas.so.12")  # by soname, as CTranslate2 does
version = []
for prop in (0, 1, 2):  # MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL
    value = ctypes.c_int()
    assert lib.cublasGetProperty(prop, ctypes.byref(value)) == 0
    version.append(value.value)
print(json.dumps({"before": before, "report": report.as_json(), "version": version}))
"""
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(target), str(REPO)])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    print(f"gpu extra: {size_mb:.0f} MB installed in {installed_s:.0f} s; {result}")
    assert "libcublas.so.12" in result["before"]  # not findable without the preload
    assert result["report"]["ok"] and [x["soname"] for x in result["report"]["loaded"]] == \
        [lib.soname for lib in CTRANSLATE2_CUDA_LIBS]
    assert all(x["path"].startswith(str(target)) and x["source"] == "wheel" for x in result["report"]["loaded"])
    assert result["version"][0] == 12
