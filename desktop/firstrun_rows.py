"""One role's row on the first-run screen: its title and state now, the model chosen for it, the
download size, the licence (flagged where it restricts use) and the last column, which shows a
Download box, "On this computer" or the download's progress."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pipelines.firstrun import LICENCES, MB, Licence, format_size, licence_info

from .i18n import on_language, render, translate
from .theme import COLORS, current_theme

__all__ = ["RoleRow", "ROLE_NAMES", "color", "licence_words"]

#: The roles in the order the screen lists them (English source texts: shown with translate("RoleRow", ...)).
ROLE_NAMES = {"chat": QT_TRANSLATE_NOOP("RoleRow", "Chat"), "asr": QT_TRANSLATE_NOOP("RoleRow", "Speech recognition"),
              "tts": QT_TRANSLATE_NOOP("RoleRow", "Speech synthesis"),
              "vision": QT_TRANSLATE_NOOP("RoleRow", "Image understanding"),
              "vlm": QT_TRANSLATE_NOOP("RoleRow", "Image questions"), "imagegen": QT_TRANSLATE_NOOP("RoleRow", "Drawing"),
              "embed": QT_TRANSLATE_NOOP("RoleRow", "Embeddings")}
_STATUS = {"ready": (QT_TRANSLATE_NOOP("RoleRow", "Ready now"), "positive"),
           "needs-download": (QT_TRANSLATE_NOOP("RoleRow", "Needs a download"), "accent"),
           "missing": (QT_TRANSLATE_NOOP("RoleRow", "Not installed"), "negative"),
           "checksum-mismatch": (QT_TRANSLATE_NOOP("RoleRow", "Damaged: checksum mismatch"), "negative")}


def color(kind: str) -> str:
    """A colour of the current theme (positive, negative, accent, muted, ...)."""
    return COLORS[current_theme()][kind]


def licence_words(lic: Licence) -> tuple[str, str, str]:
    """A licence's name, tag and terms in the interface's language: those of pipelines.firstrun
    LICENCES (and its two lines for a licence it does not know) are looked up under "catalog"."""
    if lic.id in LICENCES:
        return (translate("catalog", lic.name), translate("catalog", lic.tag) if lic.tag else "",
                translate("catalog", lic.terms) if lic.terms else "")
    if lic.name == "not stated here: see the model card":
        return translate("catalog", lic.name), "", ""
    if lic.name == f"{lic.id} (see the model card)":
        return translate("catalog", "{licence} (see the model card)").format(licence=lic.id), "", ""
    return lic.name, lic.tag, lic.terms


class RoleRow:
    """One role's widgets: title and state now | model | size | licence | download (or on disk / progress)."""

    def __init__(self, role: str, grid: QGridLayout, line: int):
        self.role = role
        self.name = QLabel()
        self.state = QLabel()
        head = QVBoxLayout()
        head.setSpacing(1)
        head.addWidget(self.name)
        head.addWidget(self.state)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.name.setBuddy(self.combo)
        self.size = QLabel()
        self.licence = QLabel()
        self.licence.setTextFormat(Qt.TextFormat.RichText)
        self.right = QStackedWidget()
        self.check = QCheckBox()
        self.check.setChecked(True)
        self.here = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMinimumWidth(160)
        for w in (self.check, self.here, self.bar):  # each centred in its page: a stack stretches its pages
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(w, 0, Qt.AlignmentFlag.AlignVCenter)
            self.right.addWidget(page)
        self.note = QLabel()  # a failure or cancel, in one line (wrapped when long)
        self.note.setWordWrap(True)
        self.note.hide()
        grid.addLayout(head, line, 0)
        grid.addWidget(self.combo, line, 1)
        grid.addWidget(self.size, line, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.licence, line, 3)
        grid.addWidget(self.right, line, 4)
        grid.addWidget(self.note, line + 1, 1, 1, 4)
        self._status: tuple[Any, str] | None = None  # what show_status showed, show_choice, show_note
        self._choice: tuple[Any, bool] | None = None
        self._note: tuple[str | Callable[[], str], str] = ("", "muted")
        self._bar: Callable[[], str] | None = None
        on_language(self.name, self._retranslate)

    @property
    def title(self) -> str:
        """The role's name in the interface's language."""
        return translate("RoleRow", ROLE_NAMES[self.role]) if self.role in ROLE_NAMES else self.role

    def _retranslate(self) -> None:
        title = self.title
        self.name.setText(f"<b>{title}</b>")
        self.state.setAccessibleName(translate("RoleRow", "{role} status").format(role=title))
        self.combo.setAccessibleName(translate("RoleRow", "{role} model").format(role=title))
        self.size.setAccessibleName(translate("RoleRow", "{role} download size").format(role=title))
        self.licence.setAccessibleName(translate("RoleRow", "{role} model licence").format(role=title))
        self.check.setText(translate("RoleRow", "Download"))
        self.check.setAccessibleName(translate("RoleRow", "Download the {role} model").format(role=title.lower()))
        self.here.setAccessibleName(translate("RoleRow", "{role} model availability").format(role=title))
        self.bar.setAccessibleName(translate("RoleRow", "{role} download progress").format(role=title))
        self.note.setAccessibleName(translate("RoleRow", "{role} download result").format(role=title))
        # the texts that follow the row's state, from that state
        if self._status is not None:
            self.show_status(self._status[0], server=self._status[1])
        if self._choice is not None:
            self.show_choice(self._choice[0], on_disk=self._choice[1])
        self.show_note(*self._note)
        if self._bar is not None:
            self.bar.setFormat(self._bar())

    def show(self, widget: QWidget) -> None:
        """Show the check box, the availability label or the progress bar in the last column."""
        self.right.setCurrentWidget(widget.parentWidget())

    @property
    def showing(self) -> QWidget:
        """The check box, availability label or progress bar the last column shows now."""
        return self.right.currentWidget().layout().itemAt(0).widget()

    @property
    def chosen(self) -> str:
        return self.combo.currentData() or ""

    def show_note(self, text: str | Callable[[], str], kind: str = "muted") -> None:
        """A failure or cancel under the row; ``text`` may be a function that writes it (called again
        on a language switch)."""
        self._note = (text, kind)
        text = text() if callable(text) else text
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {color(kind)};")
        self.note.setVisible(bool(text))

    def set_bar_format(self, fmt: Callable[[], str]) -> None:
        """The progress bar's text, from a function (called again on a language switch)."""
        self._bar = fmt
        self.bar.setFormat(fmt())

    def show_status(self, status: Any, *, server: str = "") -> None:
        """The role's state now (a catalog RoleStatus); ``server``: chat answers from that server."""
        self._status = (status, server)
        text, kind = _STATUS.get(status.status, (status.status, "neutral"))
        text = translate("RoleRow", text)
        if not status.model:
            text, kind = translate("RoleRow", "No model chosen"), "neutral"
        if server:
            text, kind = translate("RoleRow", "Uses the server at {server}").format(server=server), "positive"
        if status.model:
            text = translate("RoleRow", "{state}: {model}").format(state=text, model=status.model)
        self.state.setText(f"<span style='color:{color(kind)}'>●</span> {text}")
        self.state.setToolTip(render(status.message_text, status.message) if status.message
                              else render(status.source_text, status.source))

    def show_choice(self, entry: Any, *, on_disk: bool) -> None:
        """Size, licence and the last column for the chosen model (``entry``: its catalog entry, or
        None for the user's own folder)."""
        self._choice = (entry, on_disk)
        self.combo.setToolTip(translate("catalog", entry.description) if entry and entry.description
                              else entry.description if entry else self.chosen)
        self.size.setText(format_size(entry.size_mb * MB) if entry and entry.size_mb else "")
        lic = licence_info(entry.license if entry else "")
        name, tag, terms = licence_words(lic)
        if lic.restricted:
            self.licence.setText(f"<span style='color:{color('negative')}; font-weight:600'>"
                                 f"{tag[:1].upper() + tag[1:]}</span><br><small>{lic.id}</small>")
        else:
            shown = translate("catalog", lic.id) if lic.id == "see model card" else lic.id  # the catalog's "no licence"
            self.licence.setText(shown if entry else translate("RoleRow", "your own files"))
        where = ("\n" + translate("RoleRow", "Model card: {url}").format(url=f"https://huggingface.co/{entry.repo}")
                 if entry and entry.repo else "")
        self.licence.setToolTip((translate("RoleRow", "{licence}: {terms}").format(licence=name, terms=terms)
                                 if terms else name) + where)
        if not self.chosen:
            self.here.setText("—")
            self.show(self.here)
        elif on_disk:
            self.here.setText(f"<span style='color:{color('positive')}'>✓</span> "
                              + translate("RoleRow", "On this computer"))
            self.show(self.here)
        elif entry is not None and entry.source == "hub":
            self.show(self.check)
        else:
            self.here.setText(f"<span style='color:{color('negative')}'>✗</span> " + translate("RoleRow", "Not installed"))
            self.here.setToolTip(translate("RoleRow", "{model} comes with Sensorium's Python packages: reinstall them "
                                           "(make run)").format(model=self.chosen))
            self.show(self.here)
