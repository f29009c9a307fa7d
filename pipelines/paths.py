"""Where Sensorium keeps its files.

One ``Profile`` object is made at start-up from ``--profile-dir`` / ``SENSORIUM_HOME`` (read by
the entry point, never deep inside the library) and passed in explicitly. With a profile
directory everything lives under it; without, the platform's config, data and cache dirs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Profile"]

APP_NAME = "sensorium"


@dataclass(frozen=True)
class Profile:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def at(cls, root: str | Path) -> Profile:
        root = Path(root).expanduser().resolve()
        return cls(config_dir=root, data_dir=root / "data", cache_dir=root / "cache")

    @classmethod
    def default(cls) -> Profile:
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def from_options(cls, profile_dir: str | Path | None, env: dict[str, str] | None = None) -> Profile:
        """``profile_dir`` wins, then ``SENSORIUM_HOME`` from ``env``, then the platform dirs."""
        if profile_dir:
            return cls.at(profile_dir)
        home = (env or {}).get("SENSORIUM_HOME", "")
        return cls.at(home) if home else cls.default()

    # ---- well-known files -------------------------------------------------------------
    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

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
        """Converted weights (GGUF dequantized to safetensors) so the second load is fast."""
        return self.cache_dir / "converted"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "sensorium.log"

    def ensure(self) -> Profile:
        for d in (self.config_dir, self.data_dir, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self
