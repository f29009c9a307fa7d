"""Shared fixtures. Role-specific fixtures live in tests/fixtures/ and are loaded as plugins."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.paths import Profile
from pipelines.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SPEECH_DIR = SHARED / "data" / "speech"
# Built tiny models and converted weights persist here between runs (ignored by git).
MODEL_CACHE = REPO / ".cache" / "test-models"

pytest_plugins = [
    "tests.fixtures.speech",
    "tests.fixtures.vision",
    "tests.fixtures.llm",
    "tests.fixtures.text",
]


@pytest.fixture(scope="session")
def model_cache() -> Path:
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    return MODEL_CACHE


@pytest.fixture
def profile(tmp_path) -> Profile:
    return Profile.at(tmp_path / "profile").ensure()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    return SPEECH_DIR
