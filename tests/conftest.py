"""Shared fixtures. Role-specific fixtures live in tests/fixtures/ and are loaded as plugins."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.paths import Profile
from pipelines.settings import Settings
from tests.helpers.profiles import MACHINE_CACHE, MODEL_CACHE, REPO, warm_profile_at
from tests.helpers.report import recorded

SPEECH_DIR = REPO / "tests" / "data" / "speech"  # real recordings with transcripts (see its README)

pytest_plugins = [
    "tests.fixtures.speech",
    "tests.fixtures.vision",
    "tests.fixtures.llm",
    "tests.fixtures.text",
    "tests.reliability.summary",
    "tests.fixtures.hub",
    "tests.fixtures.servers",
]


def pytest_configure(config):
    os.environ["SENSORIUM_CACHE_DIR"] = str(MACHINE_CACHE)  # inherited by every subprocess
    if hasattr(config, "workerinput"):
        # `make test` runs one pytest-xdist worker per core: each worker's math libraries use one
        # thread (set before torch is imported), so two workers do not fight over the two cores
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")


@pytest.fixture(scope="session")
def machine_cache() -> Path:
    MACHINE_CACHE.mkdir(parents=True, exist_ok=True)
    return MACHINE_CACHE


@pytest.fixture(scope="session")
def model_cache() -> Path:
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    return MODEL_CACHE


@pytest.fixture
def profile(tmp_path) -> Profile:
    return Profile.at(tmp_path / "profile").ensure()


@pytest.fixture
def warm_profile(tmp_path, model_cache, machine_cache) -> Profile:
    """A fresh profile whose caches (CLIP text caches; converted GGUF weights and checksums in the
    machine cache) are shared by the whole run and kept between runs, so real models load fast."""
    return warm_profile_at(tmp_path / "profile")


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    return SPEECH_DIR


# ---- test tiers ----------------------------------------------------------------------------
TIERS = ("weights", "tiny", "gui", "xvfb", "gpu")
# Skips that CI accepts: no CUDA device (gpu), or a test that runs only when asked (opt_in). Any other
# skip means something the project installs (an offline pack, an apt package, a fixture) is missing:
# with CI=true that is a failure, not a quiet skip.
ALLOWED_SKIP_MARKERS = ("gpu", "opt_in")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.skipped and not hasattr(rep, "wasxfail") and _in_ci() \
            and not any(item.get_closest_marker(m) for m in ALLOWED_SKIP_MARKERS):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = (f"skipped in CI (CI=true), where every tier but gpu must run: {reason}; "
                        "`make test` installs what it needs")


def _cuda_available() -> bool:
    from pipelines.catalog import gpu_present

    if not gpu_present():
        return False
    import torch

    return torch.cuda.is_available()


def pytest_collection_modifyitems(config, items):
    # The files marked slow go first, each kept whole: pytest-xdist (--dist loadfile) then hands the
    # long files out at the start and the short ones fill the gaps, instead of ending on a long one.
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: the order inside stays
    gpu = None
    for item in items:
        if "tests/desktop" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)
        if item.get_closest_marker("gpu"):
            gpu = _cuda_available() if gpu is None else gpu
            if not gpu:
                item.add_marker(pytest.mark.skip(reason="gpu tier: no CUDA device on this machine"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = {t: {"passed": 0, "skipped": 0, "failed": 0} for t in (*TIERS, "fast")}
    reasons: dict[str, set[str]] = {t: set() for t in counts}
    for outcome in ("passed", "skipped", "failed"):
        for rep in terminalreporter.stats.get(outcome, []):
            if getattr(rep, "when", "call") not in ("call", "setup"):
                continue
            if outcome == "passed" and rep.when != "call":
                continue
            kw = getattr(rep, "keywords", {})
            tiers = [t for t in TIERS if t in kw] or ["fast"]
            for t in tiers:
                counts[t][outcome] += 1
                if outcome == "skipped" and isinstance(rep.longrepr, tuple):
                    reasons[t].add(str(rep.longrepr[2]).replace("Skipped: ", ""))
    terminalreporter.write_sep("-", "test tiers")
    for t, c in counts.items():
        line = f"{t:8} passed {c['passed']:4}  failed {c['failed']:3}  skipped {c['skipped']:3}"
        if c["skipped"] and reasons[t]:
            line += "  (" + "; ".join(sorted(reasons[t]))[:200] + ")"
        if not any(c.values()):
            line += "  (none in this run)"
        terminalreporter.write_line(line)
    sentiment = recorded(terminalreporter, "sentiment_report")
    if sentiment:  # tests/pipelines/test_sentiment.py: held-out (never tuned on) and dev figures per language
        terminalreporter.write_sep("-", "sentiment evaluation (target: held-out accuracy >= 85% per language)")
        for line in sentiment:
            terminalreporter.write_line(line)
    _intent_figures(terminalreporter)


# the intent router's figures (tests/pipelines/test_router.py); the confusion matrices are in the
# "intent router evaluation" section above
_INTENT_FIGURES = (("intent_heldout_en", "held-out en"), ("intent_heldout_zh", "held-out zh"),
                   ("intent_outside_en", "outside en"), ("intent_outside_zh", "outside zh"),
                   ("intent_heldout_no_embedder", "held-out without embeddings (mean of en, zh)"))


def _intent_figures(terminalreporter) -> None:
    found = [(label, recorded(terminalreporter, name)) for name, label in _INTENT_FIGURES]
    found = [(label, values[-1]) for label, values in found if values]
    if found:
        terminalreporter.write_sep("-", "intent accuracy (target >= 95% held-out per language; outside set apart)")
        terminalreporter.write_line("; ".join(f"{label} {value:.1%}" for label, value in found))
