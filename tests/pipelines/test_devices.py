"""Device selection on this machine (no GPU) and the choices a GPU user gets."""
from __future__ import annotations

import os

import pytest

from pipelines.devices import cpu_threads, describe_device, free_gpu_memory, select_device


def test_cpu_machine_picks_cpu_fp32_int8():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    d = select_device("auto")
    assert (d.device, d.dtype, d.ctranslate2_compute) == ("cpu", "float32", "int8")
    assert not d.is_gpu and free_gpu_memory() is None
    assert describe_device(d) == "cpu (float32)"


def test_unavailable_preference_falls_back_with_a_reason():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    d = select_device("cuda")
    assert d.device == "cpu" and "not available" in d.reason
    assert select_device("cpu").reason == "CPU chosen in settings"
    assert select_device("cpu", dtype="bfloat16").dtype == "bfloat16"


def test_cpu_threads():
    assert cpu_threads(3) == 3 and cpu_threads(0) >= 1


@pytest.mark.gpu
def test_cuda_device_uses_half_precision_and_reports_memory():
    d = select_device("auto")
    assert d.device == "cuda" and d.dtype in ("float16", "bfloat16") and d.ctranslate2_compute == "float16"
    free, total = free_gpu_memory()
    assert 0 < free <= total
    assert "GiB free" in describe_device(d)


BLAS_PROBE = """
import json, os, sys
{before}
from desktop.launcher import main  # noqa: F401 (the app's entry; quiet_blas is its first step)
from pipelines.devices import quiet_blas
quiet_blas()
import numpy
numpy.ones((64, 64)) @ numpy.ones((64, 64))
from threadpoolctl import threadpool_info
print(json.dumps([i["num_threads"] for i in threadpool_info() if i["internal_api"] == "openblas"]))
"""


@pytest.mark.parametrize("before", ["", "import numpy"], ids=["before-numpy", "after-numpy"])
def test_quiet_blas_leaves_numpy_one_blas_thread(before):
    """numpy's OpenBLAS gets one thread whether it loaded before or after (its idle threads spin and slow
    the next model call); a value the user set wins."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    run = lambda env: json.loads(subprocess.run(  # noqa: E731
        [sys.executable, "-c", BLAS_PROBE.format(before=before)], env=env, capture_output=True, text=True,
        check=True).stdout)
    assert run(env) and set(run(env)) == {1}
    if (os.cpu_count() or 1) > 1:
        assert set(run({**env, "OPENBLAS_NUM_THREADS": "2"})) == {2}


def test_ctranslate2_runs_avx512_where_the_cpu_has_it(tmp_path, monkeypatch):
    """CTranslate2 never picks AVX512 itself; the app asks for it when /proc/cpuinfo lists every flag its
    AVX512 kernels need, and leaves a choice the user made alone."""
    from pipelines.devices import ctranslate2_isa

    have = tmp_path / "avx512"
    have.write_text("processor\t: 0\nflags\t\t: fpu sse4_1 avx avx2 avx512f avx512cd avx512vl avx512dq avx512bw\n")
    lack = tmp_path / "avx2"
    lack.write_text("processor\t: 0\nflags\t\t: fpu sse4_1 avx avx2 avx512f\n")
    monkeypatch.delenv("CT2_FORCE_CPU_ISA", raising=False)
    assert ctranslate2_isa(lack) == "" and "CT2_FORCE_CPU_ISA" not in os.environ
    assert ctranslate2_isa(tmp_path / "missing") == ""
    assert ctranslate2_isa(have) == "AVX512" and os.environ["CT2_FORCE_CPU_ISA"] == "AVX512"
    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "AVX2")
    assert ctranslate2_isa(have) == "" and os.environ["CT2_FORCE_CPU_ISA"] == "AVX2"
