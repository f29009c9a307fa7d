"""The app's settings, saved and announced in one place: ``settingsChanged(old, new)``."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from pipelines.settings import Settings, save_settings

from .i18n import translate

__all__ = ["SettingsService"]


class SettingsService(QObject):
    settingsChanged = Signal(object, object)
    problem = Signal(str)

    def __init__(self, settings: Settings, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._settings = settings
        self.path = Path(path)

    @property
    def settings(self) -> Settings:
        return self._settings

    def update(self, new: Settings) -> None:
        old = self._settings
        if new == old:
            return
        self._settings = new
        try:
            save_settings(new, self.path)
        except OSError as e:
            self.problem.emit(translate("SettingsService", "settings could not be saved ({problem}); they apply until "
                                        "you quit").format(problem=e.strerror or e))
        self.settingsChanged.emit(old, new)

    def replace(self, section: str, **values: Any) -> None:
        self.update(self._settings.replace(section, **values))
