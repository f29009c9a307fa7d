"""Reliability fixtures: the generated bad-input corpus, an engine on the offline and tiny models,
the outcome check every bad input must pass, and a per-kind report in pytest's summary."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.settings import Settings
from tests.helpers.engine import engine_with_history
from tests.helpers.profiles import warm_profile_at
from tests.helpers.report import record

# words that tell the user what to do next; every refusal must contain one
ACTION_WORDS = re.compile(
    r"\b(choose|convert|try|use|check|record|resize|give|type|describe|drop|attach|re-save|copy|download|"
    r"pass|say|speak|send|select|set|pick|install|fetch|close|shorten|split|make|add|turn|open|keep|lower|"
    r"raise|reduce|wait)\b", re.I)


def reliability_settings(tiny_clip_dir: Path, tiny_sd_dir: Path) -> Settings:
    s = Settings()
    s.device.device = "cpu"
    s.chat.temperature = 0.0
    s.chat.max_new_tokens = 3
    s.chat.context_tokens = 512  # a context-filling prompt costs a minute of prefill on a CPU at 8k
    s.voice.file_beam_size = 1  # these tests are about handling bad audio, not about accuracy
    s.models.vision = str(tiny_clip_dir)
    s.models.imagegen = str(tiny_sd_dir)
    s.imagegen.width = s.imagegen.height = 64
    s.imagegen.steps = 2
    s.imagegen.preview_every = 0
    s.imagegen.safety_checker = False
    return s


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    from tests.reliability.corpus import build

    return build(tmp_path_factory.mktemp("bad-inputs"))


@pytest.fixture(scope="session")
def rel_models(tmp_path_factory, model_cache, tiny_clip_dir, tiny_sd_dir):
    """Settings and one model manager for the reliability tests (models load once)."""
    from pipelines.catalog import Catalog
    from pipelines.manager import ModelManager

    root = tmp_path_factory.mktemp("reliability-models")
    profile = warm_profile_at(root)
    settings = reliability_settings(tiny_clip_dir, tiny_sd_dir)
    catalog = Catalog.load(settings, profile)
    return settings, ModelManager(catalog, settings, profile)


@pytest.fixture
def rel_engine(rel_models, warm_profile):
    yield from engine_with_history(*rel_models, warm_profile)


def check_message(message: str, where: str) -> None:
    """A refusal is one line, short, not an internal error, and says what to do."""
    assert "\n" not in message, f"{where}: the error is more than one line: {message!r}"
    assert len(message) <= 400, f"{where}: the error is {len(message)} characters long"
    assert "Traceback" not in message and "something went wrong" not in message and "unexpectedly" not in message, \
        f"{where}: an unhandled exception reached the user: {message}"
    assert ACTION_WORDS.search(message), f"{where}: the error does not say what to do: {message}"


@pytest.fixture
def bad_input_report(request):
    """record(surface, case, outcome): counted per surface and kind and printed in the summary."""

    def add(surface: str, kind: str, outcome: str) -> None:
        record(request.node, "bad_input", [surface, kind, outcome])

    return add
