"""`sensorium doctor` (pipelines.doctor): the real offline packs run their self-tests (speech
synthesis -> recognition round trip, chat, embeddings); vision, image questions and image generation
need a download here, and run too when pointed at the tiny CLIP/SD folders (tests/pipelines/test_vlm.py
checks image questions with the tiny SmolVLM). One model manager serves the in-process
tests, so each model loads once.

Only hardware that is not here is faked: an NVIDIA driver (its /proc files, or the
``nvidia_driver_present`` answer) and running out of memory (a loader that raises it).
"""
from __future__ import annotations

import json
import re
import shutil
from importlib.metadata import version

import pytest

from pipelines import cuda_libs
from pipelines.catalog import Catalog
from pipelines.cuda_libs import GPU_EXTRA_FIX
from pipelines.doctor import (
    CHECK_ORDER,
    DEGRADED,
    FAILED,
    NEEDS_DOWNLOAD,
    OK,
    SPOKEN_SENTENCE,
    HostCheck,
    check_host,
    driver_fix,
    parse_overrides,
    read_nvidia_driver,
    run_doctor,
)
from pipelines.errors import BadInput
from pipelines.manager import DEFAULT_LOADERS, ModelManager
from pipelines.settings import Settings
from tests.helpers.profiles import warm_profile_at
from tests.helpers.run import sensorium

pytestmark = pytest.mark.slow  # scheduled first: see tests/conftest.py


def _manager(root, loaders=None) -> ModelManager:
    profile = warm_profile_at(root)
    settings = Settings()
    return ModelManager(Catalog.load(settings, profile), settings, profile, loaders=loaders)


@pytest.fixture(scope="module")
def manager(tmp_path_factory, machine_cache, model_cache) -> ModelManager:
    return _manager(tmp_path_factory.mktemp("doctor") / "profile")


def _by_role(report):
    return {r.role: r for r in report.roles}


@pytest.mark.weights
def test_every_offline_role_passes_its_self_test(manager):
    seen = []
    report = run_doctor(manager, on_role=seen.append)
    assert [r.role for r in seen] == list(CHECK_ORDER) == [r.role for r in report.roles]
    roles = _by_role(report)
    for role in ("tts", "asr", "chat", "embed"):
        r = roles[role]
        assert r.status == OK, (role, r.problem, r.fix)
        assert r.device and r.device_reason and r.weights and r.self_test and r.self_test.seconds > 0
        assert all(lib.version != "not installed" for lib in r.libraries)
    # recognition heard what synthesis said: Piper's VITS draws its own noise, so the audio (and what
    # whisper-tiny hears in it) differs run to run; the doctor's own count must agree with the text
    heard = re.fullmatch(r"heard '(.*)' \((\d+)/(\d+) words\)", roles["asr"].self_test.result)
    assert heard, roles["asr"].self_test.result
    words = set(re.findall(r"[a-z']+", heard[1].lower()))
    expected = re.findall(r"[a-z']+", SPOKEN_SENTENCE.lower())
    assert int(heard[2]) == sum(w in words for w in expected) and int(heard[3]) == len(expected)
    assert int(heard[2]) * 2 >= len(expected) and {"brown", "lazy"} & words
    assert roles["asr"].backend == "ctranslate2" and roles["asr"].dtype in ("int8", "float16", "int8_float16")
    assert ("ctranslate2", version("ctranslate2")) in {(lib.name, lib.version) for lib in roles["asr"].libraries}
    assert roles["tts"].backend == "onnxruntime" and "Hz" in roles["tts"].self_test.result
    assert "Paris" in roles["chat"].self_test.result
    # a GGUF on the CPU runs on llama.cpp (chat.runtime auto), straight from its quantized weights
    assert (roles["chat"].backend, roles["chat"].dtype) == ("llama.cpp", "Q4_1")
    assert [lib.name for lib in roles["chat"].libraries] == ["xllamacpp"]
    assert "similar pair" in roles["embed"].self_test.result
    torch_lib = next(lib for lib in roles["embed"].libraries if lib.name == "torch")
    assert "build)" in torch_lib.version  # the CUDA build of torch is named
    # no weights here for vision, image questions and image generation: the catalog's fix, and no failure
    for role in ("vision", "vlm", "imagegen"):
        r = roles[role]
        assert r.status == NEEDS_DOWNLOAD and f"sensorium models fetch {role}" in r.fix and r.self_test is None
    assert report.ok
    lines = report.lines()
    assert lines[0] == report.host.line() and lines[-1] == report.summary()
    assert "all 4 available roles passed" in report.summary() and "vision, vlm, imagegen" in report.summary()
    assert sum(line.startswith("    self-test") for line in lines) == 4
    data = json.loads(json.dumps(report.as_json()))
    assert data["ok"] is True and [r["role"] for r in data["roles"]] == list(CHECK_ORDER)
    assert data["roles"][1]["self_test"]["result"] == roles["asr"].self_test.result


@pytest.mark.tiny
def test_user_paths_to_tiny_models_run_too(manager, tiny_clip_dir, tiny_sd_dir):
    report = run_doctor(manager, ("imagegen", "vision"),
                        overrides=parse_overrides([f"vision={tiny_clip_dir}", f"imagegen={tiny_sd_dir}"]))
    roles = _by_role(report)
    assert list(roles) == ["vision", "imagegen"] and report.ok
    assert roles["vision"].status == OK and roles["vision"].source == "local path"
    assert roles["vision"].self_test.what == "scored 2 labels for a drawn red circle"
    assert roles["imagegen"].status == OK and "64x64 picture" in roles["imagegen"].self_test.result
    assert {lib.name for lib in roles["imagegen"].libraries} == {"diffusers", "transformers", "torch"}


@pytest.mark.tiny
def test_broken_models_fail_with_a_one_line_fix(manager, tiny_clip_dir, tmp_path):
    broken = tmp_path / "broken-clip"
    shutil.copytree(tiny_clip_dir, broken)
    weights = broken / "open_clip_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])  # a download cut short
    report = run_doctor(manager, ("vision", "asr"), overrides={"vision": str(broken),
                                                               "asr": str(tmp_path / "no-such-folder")})
    roles = _by_role(report)
    for r in roles.values():
        assert r.status == FAILED and r.problem and r.fix and "\n" not in r.fix + r.problem
    assert "no-such-folder" in roles["asr"].fix
    assert not report.ok and report.summary().startswith("2 of 2 roles need attention")


def test_out_of_memory_says_what_to_do(tmp_path):
    def no_memory(*args):
        raise MemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    manager = _manager(tmp_path / "profile", loaders={**DEFAULT_LOADERS, "embed": no_memory})
    r = run_doctor(manager, ("embed",)).roles[0]
    assert r.status == FAILED and "ran out of memory" in r.problem and "smaller model" in r.fix


@pytest.mark.weights
def test_gpu_that_runtimes_cannot_use_is_reported_with_fixes(tmp_path, monkeypatch):
    """An NVIDIA driver 550 (too old for torch's CUDA 13 build), no CUDA 12 cuBLAS, the CPU onnxruntime."""
    monkeypatch.setattr(cuda_libs, "nvidia_driver_present", lambda *a, **k: True)
    host = HostCheck("0", "Linux x86_64", "3.11", 2, "auto", nvidia_driver="550.54.15", gpus=("NVIDIA H200",))
    report = run_doctor(_manager(tmp_path / "profile"), ("tts", "asr", "embed"), host=host)
    roles = _by_role(report)
    assert roles["tts"].status == OK and roles["tts"].device == "cpu"
    assert "onnxruntime-gpu" in roles["tts"].device_reason  # expected: stated, not a failure
    assert roles["asr"].status == DEGRADED and roles["asr"].device == "cpu" and roles["asr"].fix == GPU_EXTRA_FIX
    assert "sensorium[gpu]" in roles["asr"].device_reason
    assert roles["embed"].status == DEGRADED and "update the NVIDIA driver to 580.65.06" in roles["embed"].fix
    assert roles["embed"].self_test is not None  # it still works, on the CPU
    assert not report.ok


def test_driver_facts_and_fixes(tmp_path, monkeypatch):
    proc = tmp_path / "nvidia"
    (proc / "gpus" / "0000:01:00.0").mkdir(parents=True)
    (proc / "version").write_text("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release "
                                  "Build  (dvs-builder@U16-I3-B03-4-3)  Thu Jan 23 2025\nGCC version:  gcc 12\n")
    (proc / "gpus" / "0000:01:00.0" / "information").write_text("Model: \t\t NVIDIA H200\nIRQ: 42\n")
    assert read_nvidia_driver(proc) == ("570.86.15", ("NVIDIA H200",))
    host = check_host(Settings(), proc=proc)
    assert "NVIDIA driver 570.86.15, NVIDIA H200" in host.line()
    monkeypatch.setattr(cuda_libs.shutil, "which", lambda name: None)  # and no nvidia-smi
    assert "no NVIDIA GPU" in check_host(Settings(), proc=tmp_path / "none").line()
    assert "update the NVIDIA driver to 580.65.06 or newer" in driver_fix("570.86.15", "13.0")
    assert "sees no GPU" in driver_fix("580.95.05", "13.0") and "CPU-only build" in driver_fix("580.95.05", None)
    assert "sees no GPU" in driver_fix("", "13.0")


def test_bad_arguments_are_one_line_errors():
    with pytest.raises(BadInput, match="ROLE=NAME"):
        parse_overrides(["vision"])
    with pytest.raises(BadInput, match="unknown role 'eyes'"):
        parse_overrides(["eyes=/x"])
    with pytest.raises(BadInput, match="unknown role 'ears'"):
        run_doctor(None, ("ears",))


@pytest.mark.weights
def test_cli_doctor_json_text_and_exit_status(tmp_path, tiny_clip_dir):
    profile = tmp_path / "profile"
    # PYTHONPROFILEIMPORTTIME lists every import on stderr: checking speech roles imports no torch
    r = sensorium("doctor", "tts", "asr", "vision", "--json", profile=profile, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert r.returncode == 0, r.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}
    assert "faster_whisper" in imported and "piper" in imported
    assert not {"torch", "transformers", "diffusers", "open_clip"} & imported
    data = json.loads(r.stdout)
    assert [x["role"] for x in data["roles"]] == ["tts", "asr", "vision"] and data["ok"] is True
    assert [x["status"] for x in data["roles"]] == [OK, OK, NEEDS_DOWNLOAD]
    broken = tmp_path / "broken-clip"
    shutil.copytree(tiny_clip_dir, broken)
    (broken / "open_clip_model.safetensors").write_bytes(b"\0" * 100)
    r = sensorium("doctor", "vision", "--model", f"vision={broken}", profile=profile)
    assert r.returncode == 1, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Sensorium ") and lines[1].startswith("image understanding  failed")
    assert any(line.startswith("    fix        ") for line in lines)
    assert lines[-1].startswith("1 of 1 roles need attention: vision")
    r = sensorium("doctor", "ears", profile=profile)
    assert r.returncode == 1 and r.stderr.startswith("error: unknown role 'ears'") and not r.stdout
