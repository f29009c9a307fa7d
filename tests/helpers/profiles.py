"""Profiles for tests and benchmarks on the run's warm caches, never the user's own folders."""
from __future__ import annotations

from pathlib import Path

from pipelines.paths import Profile

__all__ = ["REPO", "MODEL_CACHE", "MACHINE_CACHE", "warm_profile_at"]

REPO = Path(__file__).resolve().parents[2]
# Built tiny models and converted weights persist here between runs (ignored by git).
MODEL_CACHE = REPO / ".cache" / "test-models"
# The machine-wide cache (converted GGUF weights, verified checksums) of every profile in a run:
# in-process profiles get it explicitly, `sensorium` subprocesses through SENSORIUM_CACHE_DIR, so no
# test writes to the user's own cache folder.
MACHINE_CACHE = MODEL_CACHE / "machine-cache"


def warm_profile_at(root: str | Path) -> Profile:
    """A fresh profile at ``root`` whose caches are the run's warm ones (CLIP text caches under
    MODEL_CACHE/profile-cache, converted weights and checksums in MACHINE_CACHE): real models load fast."""
    root = Path(root)
    return Profile(config_dir=root, data_dir=root / "data", cache_dir=MODEL_CACHE / "profile-cache",
                   shared_cache_dir=MACHINE_CACHE).ensure()
