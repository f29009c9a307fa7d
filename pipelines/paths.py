"""Where Sensorium keeps its files.

One ``Profile`` object is made at start-up from ``--profile-dir`` / ``SENSORIUM_HOME`` (read by
the entry point, never deep inside the library) and passed in explicitly. With a profile
directory the settings, history and data live under it; without, in the platform's config,
data and cache dirs.

What is derived from model files and costly to make again (GGUF weights dequantized to
safetensors, verified sha256 checksums) lives in one machine-wide cache that profiles share
(``shared_cache_dir``: platformdirs' user cache, or ``--cache-dir``). The entry point injects it;
a ``Profile`` built in code (tests, scripts) keeps everything under its own folder unless given
one, so nothing writes to the user's home by surprise. ``--isolated`` gives a profile its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Profile", "machine_cache_dir"]

APP_NAME = "sensorium"


def machine_cache_dir() -> Path:
    """The user's cache folder for Sensorium (e.g. ~/.cache/sensorium)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Profile:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    #: converted weights and checksums shared by every profile; None keeps them in ``cache_dir``
    shared_cache_dir: Path | None = None

    @classmethod
    def at(cls, root: str | Path, *, shared_cache: str | Path | None = None) -> Profile:
        root = Path(root).expanduser().resolve()
        shared = Path(shared_cache).expanduser().resolve() if shared_cache else None
        return cls(config_dir=root, data_dir=root / "data", cache_dir=root / "cache", shared_cache_dir=shared)

    @classmethod
    def default(cls) -> Profile:
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=machine_cache_dir(),
        )

    @classmethod
    def from_options(cls, profile_dir: str | Path | None, env: dict[str, str] | None = None, *,
                     cache_dir: str | Path | None = None, isolated: bool = False) -> Profile:
        """``profile_dir`` wins, then ``SENSORIUM_HOME`` from ``env``, then the platform dirs. The
        shared cache is ``cache_dir``, then ``SENSORIUM_CACHE_DIR`` from ``env``, then the user's
        cache folder; ``isolated`` keeps it inside the profile instead."""
        env = env or {}
        home = str(profile_dir or env.get("SENSORIUM_HOME", ""))
        if not home:
            base = cls.default()
            if isolated or not (cache_dir or env.get("SENSORIUM_CACHE_DIR")):
                return base
            return cls(base.config_dir, base.data_dir, base.cache_dir,
                       Path(str(cache_dir or env["SENSORIUM_CACHE_DIR"])).expanduser().resolve())
        if isolated:
            return cls.at(home)
        return cls.at(home, shared_cache=cache_dir or env.get("SENSORIUM_CACHE_DIR") or machine_cache_dir())

    @property
    def machine_cache(self) -> Path:
        """Where converted weights and verified checksums are kept (shared, or this profile's own)."""
        return self.shared_cache_dir or self.cache_dir

    # ---- well-known files -------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def documents_db(self) -> Path:
        """The index of the user's documents (chunks, their embeddings, the files' hashes)."""
        return self.data_dir / "documents.sqlite3"

    @property
    def adapters_dir(self) -> Path:
        """LoRA adapters trained from the user's ratings (one folder per chat model)."""
        return self.data_dir / "adapters"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def models_dir(self) -> Path:
        """Downloaded models (one folder per catalog entry)."""
        return self.data_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.cache_dir / "index"

    @property
    def converted_dir(self) -> Path:
        """Converted weights (GGUF dequantized to safetensors, keyed by the source's sha256) so the
        second load is fast, in any profile."""
        return self.machine_cache / "converted"

    @property
    def hash_cache_file(self) -> Path:
        """Verified sha256 checksums keyed by (path, size, mtime)."""
        return self.machine_cache / "sha256-cache.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "sensorium.log"

    def ensure(self) -> Profile:
        for d in (self.config_dir, self.data_dir, self.cache_dir, self.machine_cache):
            d.mkdir(parents=True, exist_ok=True)
        return self
