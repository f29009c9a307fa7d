"""The interface's language: which one, loading its translations, and switching while running.

Every visible string goes through ``translate(context, text)`` (Qt's ``QCoreApplication.translate``,
which ``pyside6-lupdate`` reads), with a literal context and text so that ``make translations``
finds it. Texts that come from data rather than code (the settings' descriptions and labels, the
catalog's model notes, the errors and notices of pipelines/ and the words their params carry)
are looked up the same way under the contexts ``settings``, ``catalog``, ``errors`` and ``params``; packaging/i18n.py puts them in the .ts files.

The language is ``general.language``: ``system`` follows the locale (Chinese for any zh locale,
else English), or ``en`` / ``zh_CN``. ``Translations.apply(code)`` swaps the installed
translators; Qt then sends every widget a ``LanguageChange`` event, and ``on_language(widget, fn)``
calls ``fn`` (which sets that widget's texts) for it, so a switch relabels the open window, its
menus and dialogs without rebuilding anything: the conversation, the draft and a running turn
are untouched.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator

from pipelines.assets import asset
from pipelines.errors import Text, fill

__all__ = ["LANGUAGES", "Translations", "translate", "on_language", "resolve_language", "render",
           "translations_dir", "is_chinese"]

log = logging.getLogger(__name__)

#: The interface languages, each in its own words (the Settings list shows them so).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(context, text, disambiguation, n)


def translations_dir() -> Path:
    return Path(asset("translations"))


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """``general.language`` as an installed language code: ``system`` reads the locale."""
    if setting in LANGUAGES:
        return setting
    name = (locale or QLocale.system()).name()  # "zh_CN", "zh_TW", "en_US"...
    return "zh_CN" if name.lower().startswith("zh") else "en"


def is_chinese(code: str) -> bool:
    return code.startswith("zh")


def render(text: Text | None, fallback: str = "") -> str:
    """A pipelines ``Text`` (code + template + params) in the interface's language; ``fallback``
    (the English line) when there is none."""
    if text is None:
        return fallback
    if text.parts:  # a param that is a Text of its own (a list with its joiners) is said first
        text = Text(text.code, text.template, {**text.params, **{k: render(p) for k, p in text.parts.items()}})
    # a param that is a word of ours (a language's or a role's name) is said in the language too;
    # anything else (a path, a model, a number) has no translation and stays as it is
    params = {k: translate("params", v) if v and len(v) < 80 else v for k, v in text.params.items()}
    return fill(translate("errors", text.template), params)


class Translations(QObject):
    """The translators installed on the application for the current language: Sensorium's own
    (assets/translations/sensorium_<code>.qm) and Qt's (standard buttons, context menus)."""

    def __init__(self, app: Any, directory: Path | None = None):
        super().__init__(app)
        self.app = app
        self.directory = directory or translations_dir()
        self.language = "en"
        self._installed: list[QTranslator] = []

    def apply(self, code: str) -> bool:
        """Switch to ``code`` ("en", "zh_CN"); returns False (and stays in English) when its
        translations are missing, which is logged. English needs no file."""
        if code == self.language and (self._installed or code == "en"):
            return True
        for t in self._installed:
            self.app.removeTranslator(t)
        self._installed = []
        self.language = "en"
        if code == "en":
            return True
        ours = QTranslator(self)
        if not ours.load(str(self.directory / f"sensorium_{code}.qm")):
            log.warning("no translations for %s in %s (run `make translations`)", code, self.directory)
            return False
        qt = QTranslator(self)
        if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self._installed.append(qt)
        self._installed.append(ours)
        for t in self._installed:
            self.app.installTranslator(t)
        self.language = code
        return True


class _LanguageHook(QObject):
    def __init__(self, target: QObject, fn: Callable[[], None]):
        super().__init__(target)
        self.fn = fn

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.fn()
        return False


def on_language(widget: QObject, fn: Callable[[], None], *, now: bool = True) -> None:
    """Call ``fn`` (which sets ``widget``'s texts) now and again whenever the language changes."""
    widget.installEventFilter(_LanguageHook(widget, fn))
    if now:
        fn()
