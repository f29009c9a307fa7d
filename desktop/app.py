"""Start the window: the launcher calls ``main(argv, profile, settings_problems)``.

The window is shown before any model library is imported; the engine loads models on first
need (or when the user picks Models > Load all now), always off the GUI thread.

The interface's language (``general.language``) is applied before the window is built: the app
has one ``Translations`` (a child of the QApplication, made by ``make_app``), which the window
gets and switches when the setting changes.
"""
from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pipelines.assets import asset
from pipelines.firstrun import should_show_first_run
from pipelines.paths import Profile
from pipelines.settings import Settings, load_settings

from .i18n import Translations, resolve_language, translate
from .theme import apply_theme

__all__ = ["main", "make_app", "build_engine", "create_window", "app_translations", "apply_language"]

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(["sensorium", *(argv or [])])
    app.setApplicationName("Sensorium")
    app.setOrganizationName("Sensorium")
    app.setDesktopFileName("sensorium")
    app.setWindowIcon(QIcon(str(asset("icons", "sensorium.svg"))))
    app_translations(app)
    return app


def app_translations(app: QApplication) -> Translations:
    """The application's Translations: the one made for ``app`` (a child of it), or a new one."""
    found = app.findChild(Translations)
    return found if found is not None else Translations(app)


def apply_language(app: QApplication, setting: str, translations: Translations | None = None) -> Translations:
    """Install the translations of ``general.language`` (``system`` reads the locale) on ``app``."""
    translations = translations or app_translations(app)
    translations.apply(resolve_language(setting))
    return translations


def _setup_logging(profile: Profile) -> None:
    try:
        profile.log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(profile.log_file, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def build_engine(settings: Settings, profile: Profile) -> tuple[Any, list[str]]:
    """The engine with its history store; with history off, a throwaway store in a temp folder.

    Returns (engine, cleanup paths). Importing the engine imports no model library.
    """
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore

    cleanup: list[str] = []
    if settings.general.history_enabled:
        store = HistoryStore(profile.history_db, profile.attachments_dir)
    else:
        tmp = tempfile.mkdtemp(prefix="sensorium-session-")
        cleanup.append(tmp)
        store = HistoryStore(Path(tmp) / "history.sqlite3", Path(tmp) / "attachments")
    return Engine(settings, profile, store=store), cleanup


def _settings_lines(problems: list[str] | None) -> list[str]:
    return [translate("App", "settings: {problem}").format(problem=p) for p in problems or ()]


def create_window(settings: Settings, profile: Profile, settings_problems: list[str] | None = None,
                  engine: Any = None, **kw: Any):
    """The window (tests, screenshots): the language of ``settings`` is applied first, on the
    ``translations`` given or the app's."""
    from .window import MainWindow

    kw["translations"] = apply_language(QApplication.instance(), settings.general.language, kw.get("translations"))
    if engine is None:
        engine, _ = build_engine(settings, profile)
    return MainWindow(engine, settings, profile, startup_problems=_settings_lines(settings_problems), **kw)


def main(argv: list[str], profile: Profile, settings_problems: list[str]) -> int:
    profile.ensure()
    _setup_logging(profile)
    app = make_app(argv)
    settings = load_settings(profile.settings_file).settings
    apply_theme(app, settings.general.theme)
    translations = apply_language(app, settings.general.language)  # before the window: it is built in it
    problems = _settings_lines(settings_problems)
    try:
        engine, cleanup = build_engine(settings, profile)
    except Exception as e:  # a broken history database must not stop the window
        log.exception("engine start failed")
        problems.insert(0, translate("App", "the history could not be opened ({problem}); this session is not saved")
                        .format(problem=e))
        fallback = settings.replace("general", history_enabled=False)
        engine, cleanup = build_engine(fallback, profile)
    from .controller import freeze_heap
    from .window import MainWindow

    window = MainWindow(engine, settings, profile, startup_problems=problems, translations=translations)
    window.show()
    freeze_heap()  # what start-up made lives as long as the app: out of the collector's way
    if should_show_first_run(profile):  # what is ready, the recommended models, their downloads
        QTimer.singleShot(0, window.open_first_run)
    rc = app.exec()
    close_session(window, engine, cleanup)
    return rc


def close_session(window: Any, engine: Any, cleanup: list[str]) -> None:
    """After the event loop: every runner (turns, voice, history) is cancelled and joined, so that the
    cancelled turns store what they finished before the store closes; then the session's temp folders go."""
    if window is not None:
        window.close()
        if not window.shutdown(15.0):
            log.warning("some workers were still running at exit")
    if engine is not None:
        try:
            engine.store.close()
        except Exception:
            pass
    for path in cleanup:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":  # python -m desktop.app [profile dir]
    prof = Profile.from_options(sys.argv[1] if len(sys.argv) > 1 else None)
    raise SystemExit(main(sys.argv[2:], prof, []))
