"""The device check (benchmarks/gpu_check.py) on the CPU: its dry run runs every stage with tiny
configurations, each in its own process as on the GPU machine, so an API break in a stage's
libraries or in our pipelines shows up here before it costs device time. No timing is asserted:
the figures must exist, have units and be finite, and each stage must set our pipeline beside its
stock library call."""
from __future__ import annotations

import importlib.metadata
import json
import math
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from benchmarks.gpu_check import STAGES, Record, Unavailable, check_asr, unpack_wheels

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "gpu_check.py"
NAMES = [s.name for s in STAGES]
# each stage's figures: ours, then the stock library call it is measured against
PAIRS = {"imagegen": ("(pipeline)", "(diffusers)"), "llm": ("(pipeline)", "(transformers)"),
         "clip": ("(pipeline)", "(open_clip)"), "vlm": ("(pipeline)", "(transformers)"),
         "asr": ("(pipeline)", "(faster-whisper)"), "tts": ("(pipeline)", "(Vits.synthesize)")}


def _check(out: Path, *args: str, timeout: float = 420) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def _doc(out: Path, name: str) -> dict:
    return json.loads((out / f"{name}.json").read_text())


@pytest.mark.slow
@pytest.mark.tiny
def test_dry_run_writes_every_stage_with_figures(tmp_path):
    r = _check(tmp_path, "--dry-run")
    log = (tmp_path / "gpu-check.log").read_text()
    assert r.returncode == 0, log[-6000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [s["stage"] for s in summary["stages"]] == NAMES
    for name in NAMES:
        doc = _doc(tmp_path, name)
        assert (doc["stage"], doc["dry_run"]) == (name, True)
        assert doc["status"] == "ok", f"{name}: {doc['status']}: {doc['reason']}\n{doc['traceback']}"
        assert doc["figures"], name
        for f in doc["figures"]:
            assert f["unit"] and f["n"] >= 1, (name, f)
            assert all(math.isfinite(v) and v > 0 for v in f["values"]), (name, f)
        names = [f["name"] for f in doc["figures"]]
        ours, stock = PAIRS[name]
        assert any(ours in n for n in names) and any(stock in n for n in names), (name, names)
    imagegen = _doc(tmp_path, "imagegen")
    assert imagegen["info"]["compile"]["mode"] == "default"
    assert any("torch.compile" in f["name"] for f in imagegen["figures"])
    # only the stage JSONs, the summary and one log come back from the device (8 files at most)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{n}.json" for n in NAMES]
                                                                + ["summary.json", "gpu-check.log"])


def test_stages_past_the_deadline_are_recorded_as_skipped(tmp_path):
    r = _check(tmp_path, "--dry-run", "--deadline", "1", timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    for name in NAMES:
        doc = _doc(tmp_path, name)
        assert doc["status"] == "skipped" and "deadline" in doc["reason"], doc
    assert [s["status"] for s in json.loads((tmp_path / "summary.json").read_text())["stages"]] == ["skipped"] * len(NAMES)


@pytest.mark.slow
def test_a_stage_over_its_time_is_stopped_and_says_so(tmp_path):
    # 12 s for the run leaves the stage 7 s: importing diffusers and building the model take longer
    r = _check(tmp_path, "--dry-run", "--stages", "imagegen", "--deadline", "12", timeout=90)
    assert r.returncode == 1
    doc = _doc(tmp_path, "imagegen")
    assert doc["status"] == "timeout" and "timeout" in doc["reason"], doc
    assert doc["seconds"] < 30


@pytest.mark.slow
def test_gpu_mode_without_cuda_writes_the_error(tmp_path):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is here: the GPU mode would run")
    r = _check(tmp_path, "--stages", "llm", "--wheels", str(tmp_path / "none"), timeout=120)
    assert r.returncode == 1
    doc = _doc(tmp_path, "llm")
    assert doc["status"] == "error" and "no CUDA device" in doc["reason"], doc


def _wheel(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_carried_wheels_unpack_onto_an_importable_path(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels / "carried_demo-1.2-py3-none-any.whl", {
        "carried_demo/__init__.py": "VALUE = 42\n",
        "carried_demo-1.2.dist-info/METADATA": "Metadata-Version: 2.1\nName: carried-demo\nVersion: 1.2\n",
        "carried_demo-1.2.data/purelib/carried_extra.py": "EXTRA = 'purelib'\n",
        "carried_demo-1.2.data/scripts/carried-tool": "#!/bin/sh\n",
    })
    site = tmp_path / "site"
    assert unpack_wheels(wheels, site) == ["carried_demo-1.2-py3-none-any.whl"]
    assert (site / "carried_extra.py").is_file() and not list(site.rglob("carried-tool"))
    code = ("import sys, importlib.metadata as m; sys.path.append(sys.argv[1]); import carried_demo, carried_extra; "
            "print(carried_demo.VALUE, carried_extra.EXTRA, m.version('carried-demo'))")
    out = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["42", "purelib", "1.2"]
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version("carried-demo")  # nothing leaked into this interpreter


def test_a_wheel_entry_outside_the_folder_is_refused(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels / "evil-1.0-py3-none-any.whl", {"../outside.py": "x = 1\n"})
    with pytest.raises(ValueError, match="outside"):
        unpack_wheels(wheels, tmp_path / "site")
    assert not (tmp_path / "outside.py").exists()


def test_asr_on_a_gpu_without_cuda12_cublas_reports_it_absent(tmp_path):
    """The GPU machine has torch's CUDA 13 libraries only: the Whisper stage must say that CTranslate2's
    CUDA 12 cuBLAS is missing instead of failing. The GPU itself is faked (this machine has none); the
    library lookup is the real one."""
    from pipelines.cuda_libs import preload_cuda_libs

    if preload_cuda_libs(driver=True).ok:
        pytest.skip("the CUDA 12 cuBLAS is installed here")

    class OnGpu:  # the only attributes check_asr reads before it gives up
        device, wheels = "cuda", None

    rec = Record(tmp_path / "asr.json", next(s for s in STAGES if s.name == "asr"), False, 60)
    with pytest.raises(Unavailable, match="CUDA 12 libraries absent") as e:
        check_asr(OnGpu(), rec)
    assert "libcublas" in str(e.value)
    assert rec.doc["info"]["cuda12"]["ok"] is False and rec.doc["info"]["cuda12"]["missing"]
