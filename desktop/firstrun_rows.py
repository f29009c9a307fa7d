"""One role's row on the first-run screen: its title and state now, the model chosen for it, the
download size, the licence (flagged where it restricts use) and the last column, which shows a
Download box, "On this computer" or the download's progress."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
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

from pipelines.firstrun import MB, format_size, licence_info

from .theme import COLORS, current_theme

__all__ = ["RoleRow", "ROLE_NAMES", "color"]

ROLE_NAMES = {"chat": "Chat", "asr": "Speech recognition", "tts": "Speech synthesis", "vision": "Image understanding",
              "vlm": "Image questions", "imagegen": "Drawing", "embed": "Embeddings"}
_STATUS = {"ready": ("Ready now", "positive"), "needs-download": ("Needs a download", "accent"),
           "missing": ("Not installed", "negative"), "checksum-mismatch": ("Damaged: checksum mismatch", "negative")}


def color(kind: str) -> str:
    """A colour of the current theme (positive, negative, accent, muted, ...)."""
    return COLORS[current_theme()][kind]


class RoleRow:
    """One role's widgets: title and state now | model | size | licence | download (or on disk / progress)."""

    def __init__(self, role: str, grid: QGridLayout, line: int):
        title = ROLE_NAMES.get(role, role)
        self.role, self.title = role, title
        self.name = QLabel(f"<b>{title}</b>")
        self.state = QLabel()
        self.state.setAccessibleName(f"{title} status")
        head = QVBoxLayout()
        head.setSpacing(1)
        head.addWidget(self.name)
        head.addWidget(self.state)
        self.combo = QComboBox()
        self.combo.setAccessibleName(f"{title} model")
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.name.setBuddy(self.combo)
        self.size = QLabel()
        self.size.setAccessibleName(f"{title} download size")
        self.licence = QLabel()
        self.licence.setAccessibleName(f"{title} model licence")
        self.licence.setTextFormat(Qt.TextFormat.RichText)
        self.right = QStackedWidget()
        self.check = QCheckBox("Download")
        self.check.setChecked(True)
        self.check.setAccessibleName(f"Download the {title.lower()} model")
        self.here = QLabel()
        self.here.setAccessibleName(f"{title} model availability")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(f"{title} download progress")
        self.bar.setMinimumWidth(160)
        for w in (self.check, self.here, self.bar):  # each centred in its page: a stack stretches its pages
            page = QWidget()
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(w, 0, Qt.AlignmentFlag.AlignVCenter)
            self.right.addWidget(page)
        self.note = QLabel()  # a failure or cancel, in one line (wrapped when long)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(f"{title} download result")
        self.note.hide()
        grid.addLayout(head, line, 0)
        grid.addWidget(self.combo, line, 1)
        grid.addWidget(self.size, line, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.licence, line, 3)
        grid.addWidget(self.right, line, 4)
        grid.addWidget(self.note, line + 1, 1, 1, 4)

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

    def show_note(self, text: str, kind: str = "muted") -> None:
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {color(kind)};")
        self.note.setVisible(bool(text))

    def show_status(self, status: Any, *, server: str = "") -> None:
        """The role's state now (a catalog RoleStatus); ``server``: chat answers from that server."""
        text, kind = _STATUS.get(status.status, (status.status, "neutral"))
        if not status.model:
            text, kind = "No model chosen", "neutral"
        if server:
            text, kind = f"Uses the server at {server}", "positive"
        model = f": {status.model}" if status.model else ""
        self.state.setText(f"<span style='color:{color(kind)}'>●</span> {text}{model}")
        self.state.setToolTip(status.message or status.source)

    def show_choice(self, entry: Any, *, on_disk: bool) -> None:
        """Size, licence and the last column for the chosen model (``entry``: its catalog entry, or
        None for the user's own folder)."""
        self.combo.setToolTip(entry.description if entry else self.chosen)
        self.size.setText(format_size(entry.size_mb * MB) if entry and entry.size_mb else "")
        lic = licence_info(entry.license if entry else "")
        if lic.restricted:
            self.licence.setText(f"<span style='color:{color('negative')}; font-weight:600'>"
                                 f"{lic.tag.capitalize()}</span><br><small>{lic.id}</small>")
        else:
            self.licence.setText(lic.id if entry else "your own files")
        where = f"\nModel card: https://huggingface.co/{entry.repo}" if entry and entry.repo else ""
        self.licence.setToolTip(lic.name + (f": {lic.terms}" if lic.terms else "") + where)
        if not self.chosen:
            self.here.setText("—")
            self.show(self.here)
        elif on_disk:
            self.here.setText(f"<span style='color:{color('positive')}'>✓</span> On this computer")
            self.show(self.here)
        elif entry is not None and entry.source == "hub":
            self.show(self.check)
        else:
            self.here.setText(f"<span style='color:{color('negative')}'>✗</span> Not installed")
            self.here.setToolTip(f"{self.chosen} comes with Sensorium's Python packages: reinstall them (make run)")
            self.show(self.here)
