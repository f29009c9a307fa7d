"""The Settings screen: every setting of pipelines.settings on six pages (Models, Voice, Drawing,
Servers, Privacy, Appearance) chosen from a list on the left, each with its description under it.

The Servers page has one group per role that can run on a serving engine (address, model, timeout,
retries) with that server's API key: typed into a password field and kept in the OS keyring per
server address, never in the settings file.

The Models page also shows how many corrections of what requests meant were learned ("Not what I
meant", the readings picked when asked), with Reset; both run on a worker (``corrections``, an
``IntentLearning``), never on the GUI thread.

Changes apply at once: each edit is validated with ``pipelines.settings.from_dict`` and handed to
the ``SettingsService``, which saves it and tells everything else (``settingsChanged``). The Voice
page chooses the microphone and speaker from the real device list and shows the chosen
microphone's level live while the page is on screen.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pipelines.settings import Settings, describe, from_dict

from .audio import SoundDeviceSource, device_names
from .level_preview import LevelPreview
from .settings_editors import (
    SERVER_GROUPS,
    Key,
    device_combo,
    label_for,
    make_editor,
    one_line,
    placement,
    read_editor,
    schema_meta,
    show_value,
)
from .settings_service import SettingsService
from .widgets import LevelMeter

__all__ = ["SettingsDialog"]

_DEVICES = {("voice", "input_device"): "input", ("voice", "output_device"): "output"}


class SettingsDialog(QDialog):
    """The Settings screen over a ``SettingsService``. ``editors[(section, key)]`` is each setting's
    editor, ``pages[name]`` each page, ``problem`` the one-line problem of the last change,
    ``preview`` the microphone level preview (``meter``, ``meter_note``), ``corrections_count`` the
    learned corrections' line and ``corrections_reset`` its Reset button (``reset_confirm`` the question
    it asks while open), ``api_keys[role]`` each server role's key row (``edit``, ``state``, ``forget``).

    ``api_key_status(settings, role)`` and ``set_api_key(settings, key, role)`` reach the keyring
    (``pipelines.secrets``); an empty key removes the stored one."""

    deleteAllRequested = Signal()

    def __init__(self, service: SettingsService, parent=None, *,
                 input_devices: Callable[[], list[str]] = lambda: device_names("input"),
                 output_devices: Callable[[], list[str]] = lambda: device_names("output"),
                 open_level_source: Callable[[str], Any] | None = None,
                 api_key_status: Callable[[Settings, str], bool] | None = None,
                 set_api_key: Callable[[Settings, str, str], None] | None = None,
                 corrections: Any = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.resize(900, 640)
        self.service = service
        self._api_key_status, self._set_api_key = api_key_status, set_api_key
        self._corrections = corrections
        self._closed = False  # a worker's answer that arrives after the dialog closed is dropped
        self.reset_confirm: QMessageBox | None = None
        self._devices = {"input": input_devices, "output": output_devices}
        self._meta = schema_meta()
        self._syncing = False
        self.editors: dict[Key, QWidget] = {}
        self.api_keys: dict[str, _KeyRow] = {}
        self.pages: dict[str, QWidget] = {}
        self._focus: list[QWidget] = []

        self.page_list = QListWidget()
        self.page_list.setObjectName("SettingsPages")
        self.page_list.setAccessibleName("Settings pages")
        self.page_list.setFixedWidth(180)
        self._focus.append(self.page_list)
        self.stack = QStackedWidget()
        descriptions = {(s, k): d for s, k, _v, d in describe()}
        for page, groups in placement(list(descriptions)).items():
            self._add_page(page, groups, descriptions)

        self.problem = QLabel()
        self.problem.setObjectName("SettingsProblem")
        self.problem.setAccessibleName("Settings problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close settings")
        self.close_button.setAutoDefault(False)  # Enter in a field confirms the field, not the dialog
        self.close_button.clicked.connect(self.accept)
        self._focus.append(self.close_button)
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(16, 8, 16, 12)
        bottom.addWidget(self.problem, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(body, 1)
        lay.addLayout(bottom)
        for a, b in zip(self._focus, self._focus[1:]):
            QWidget.setTabOrder(a, b)

        self.preview = LevelPreview(self.meter, self.meter_note,
                                    open_level_source or (lambda name: SoundDeviceSource(name)), self)
        self.editors[("voice", "input_device")].currentIndexChanged.connect(lambda _i: self._sync_preview())
        self.page_list.currentRowChanged.connect(self._on_page)
        self.page_list.setCurrentRow(0)
        service.settingsChanged.connect(self._on_settings_changed)
        service.problem.connect(self._show_problem)
        self._refresh_key_status()
        self._refresh_corrections()

    # ---- building ------------------------------------------------------------------------------
    def _add_page(self, page: str, groups: list[tuple[str, list[Key]]], descriptions: dict[Key, str]) -> None:
        inner = QWidget()
        inner.setObjectName("SettingsPage")
        v = QVBoxLayout(inner)
        v.setContentsMargins(28, 20, 28, 20)
        v.setSpacing(6)
        title = QLabel(page)
        title.setObjectName("SettingsPageTitle")
        v.addWidget(title)
        labels: list[QLabel] = []
        for group, keys in groups:
            extra = {"History": self._history_rows, "Understanding requests": self._corrections_rows,
                     **{title: (lambda form, r=role: self._api_key_rows(form, r))
                        for role, title in SERVER_GROUPS.items()}}.get(group)
            if not keys and extra is None:
                continue
            heading = QLabel(group)
            heading.setObjectName("SettingsGroupTitle")
            v.addWidget(heading)
            card = QFrame()
            card.setObjectName("SettingsCard")
            form = QFormLayout(card)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            form.setContentsMargins(16, 14, 16, 6)
            form.setHorizontalSpacing(18)
            for key in keys:
                extra_row = self._meter_row() if key == ("voice", "input_device") else None
                labels.append(self._row(form, label_for(*key), self._make_editor(key), descriptions[key], extra_row))
            if extra is not None:
                labels.extend(extra(form))
            v.addWidget(card)
        v.addStretch(1)
        width = max((lb.sizeHint().width() for lb in labels), default=0)
        for lb in labels:  # one label column per page, not one per group
            lb.setMinimumWidth(width)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.stack.addWidget(scroll)
        self.page_list.addItem(page)
        self.pages[page] = scroll

    def _row(self, form: QFormLayout, text: str, editor: QWidget, description: str,
             extra: QWidget | None = None) -> QLabel:
        label = QLabel(text)
        label.setBuddy(editor)
        editor.setAccessibleName(text)
        editor.setAccessibleDescription(description)
        editor.setToolTip(description)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 10)
        v.setSpacing(4)
        v.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft if isinstance(editor, QPushButton) else Qt.AlignmentFlag(0))
        if extra is not None:
            v.addWidget(extra)
        desc = QLabel(description)
        desc.setObjectName("Muted")
        desc.setWordWrap(True)
        v.addWidget(desc)
        form.addRow(label, box)
        self._focus.append(editor)
        return label

    def _meter_row(self) -> QWidget:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 4, 0, 2)
        h.setSpacing(12)
        self.meter = LevelMeter()
        self.meter.setFixedSize(180, 8)
        self.meter.setToolTip("The chosen microphone's level, live while this page is open")
        self.meter_note = QLabel()
        self.meter_note.setObjectName("SettingsMeterNote")
        self.meter_note.setAccessibleName("Microphone preview")
        self.meter_note.setWordWrap(True)
        h.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignTop)
        h.addWidget(self.meter_note, 1)
        return row

    def _make_editor(self, key: Key) -> QWidget:
        value = getattr(self.service.settings.section(key[0]), key[1])
        w = device_combo(self._devices[_DEVICES[key]](), value) if key in _DEVICES else make_editor(
            value, self._meta[key])
        w.setObjectName(f"setting_{key[0]}_{key[1]}")
        self.editors[key] = w
        commit = lambda *_a, k=key: self._commit(k)  # noqa: E731
        if isinstance(w, QComboBox):
            w.currentIndexChanged.connect(commit)
        elif isinstance(w, QCheckBox):
            w.toggled.connect(commit)
        elif isinstance(w, QAbstractSpinBox):
            w.valueChanged.connect(commit)
            w.installEventFilter(self)
        else:
            w.editingFinished.connect(commit)
        return w

    def _api_key_rows(self, form: QFormLayout, role: str) -> list[QLabel]:
        row = self.api_keys[role] = _KeyRow(role)
        row.edit.editingFinished.connect(lambda: row.edit.text() and self._save_key(role, row.edit.text()))
        row.forget.clicked.connect(lambda: self._save_key(role, ""))
        if self._set_api_key is None:
            row.edit.setEnabled(False)
            row.edit.setPlaceholderText("No keyring is available to store a key")
        label = self._row(form, "API key", row.edit, "Kept in the system keyring for the server address "
                          "above, never in the settings file.", row.box)
        self._focus.append(row.forget)
        return [label]

    def _history_rows(self, form: QFormLayout) -> list[QLabel]:
        self.delete_all = QPushButton("Delete all data…")
        self.delete_all.setAccessibleName("Delete all data")
        self.delete_all.setAutoDefault(False)
        self.delete_all.clicked.connect(self._confirm_delete_all)
        return [self._row(form, "All data", self.delete_all, "Every conversation, message, rating and saved picture: "
                          "deleted at once, after you confirm.")]

    def _corrections_rows(self, form: QFormLayout) -> list[QLabel]:
        self.corrections_count = QLabel()
        self.corrections_count.setObjectName("SettingsCorrections")
        self.corrections_count.setAccessibleName("Learned corrections")
        self.corrections_reset = QPushButton("Reset…")
        self.corrections_reset.setAccessibleName("Reset the learned corrections")
        self.corrections_reset.setAutoDefault(False)
        self.corrections_reset.setEnabled(False)
        self.corrections_reset.clicked.connect(self._confirm_reset_corrections)
        box = QWidget()
        h = QHBoxLayout(box)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(12)
        h.addWidget(self.corrections_count)
        h.addWidget(self.corrections_reset)
        h.addStretch(1)
        label = self._row(form, "Learned corrections", box, "What you said requests meant (“Not what I meant”, "
                          "and the readings you picked when asked): similar requests are understood that way.")
        self._focus[-1] = self.corrections_reset  # the row's box itself takes no focus
        label.setBuddy(self.corrections_reset)
        return [label]

    # ---- values ------------------------------------------------------------------------------------
    def _current(self, key: Key) -> Any:
        return getattr(self.service.settings.section(key[0]), key[1])

    def _read(self, key: Key) -> Any:
        return read_editor(self.editors[key], isinstance(self._current(key), list))

    def _check(self, key: Key, value: Any) -> tuple[Settings | None, str]:
        """The settings with ``value`` for ``key`` (validated by from_dict), or None and the problem."""
        data = self.service.settings.to_dict()
        table = data
        for part in key[0].split("."):
            table = table[part]
        table[key[1]] = value
        loaded = from_dict(data)
        if not loaded.problems:
            return loaded.settings, ""
        meta = self._meta[key]
        head = loaded.problems[0].split("; using")[0]
        if meta.get("min") is not None and meta.get("max") is not None:
            head += f" (allowed: {meta['min']:g} to {meta['max']:g})"
        elif meta.get("min") is not None:
            head += f" (at least {meta['min']:g})"
        return None, f"{label_for(*key)}: {head}; not applied"

    def _commit(self, key: Key) -> None:
        if self._syncing:
            return
        w = self.editors[key]
        if isinstance(w, QLineEdit):
            w.setModified(False)
        settings, problem = self._check(key, self._read(key))
        if settings is None:
            self._show_problem(problem)
            self._show(key, self._current(key))
            return
        self.problem.hide()
        self.service.update(settings)

    def _show(self, key: Key, value: Any) -> None:
        """Put ``value`` in a setting's editor without committing it."""
        self._syncing = True
        try:
            show_value(self.editors[key], value)
        finally:
            self._syncing = False

    def _on_settings_changed(self, old: Settings, new: Settings) -> None:
        for key in self.editors:  # changed elsewhere (the theme menu, hands-free, the Models dialog)
            value = getattr(new.section(key[0]), key[1])
            if value != getattr(old.section(key[0]), key[1]) and value != self._read(key):
                self._show(key, value)
        if any(old.section(f"servers.{r}").base_url != new.section(f"servers.{r}").base_url for r in self.api_keys):
            self._refresh_key_status()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(one_line(text))
        self.problem.setToolTip(text)
        self.problem.show()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        # A number typed out of range is undone by Qt without a word: say why it was not applied.
        typed = ev.type() == QEvent.Type.FocusOut or (
            ev.type() == QEvent.Type.KeyPress and ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
        if typed and isinstance(obj, (QSpinBox, QDoubleSpinBox)):
            key = next((k for k, w in self.editors.items() if w is obj), None)
            text = obj.cleanText()
            if key is not None and text and obj.validate(obj.lineEdit().text(), 0)[0] != QValidator.State.Acceptable:
                number, ok = obj.locale().toInt(text) if isinstance(obj, QSpinBox) else obj.locale().toDouble(text)
                problem = self._check(key, number)[1] if ok else ""
                if problem:
                    self._show_problem(problem)
        return super().eventFilter(obj, ev)

    # ---- the API key ------------------------------------------------------------------------------------
    def _refresh_key_status(self) -> None:
        for role, row in self.api_keys.items():
            stored, text = False, ""
            if self._api_key_status is not None:
                try:
                    stored = bool(self._api_key_status(self.service.settings, role))
                    text = "A key is stored in the system keyring" if stored else "No key stored"
                except Exception as e:
                    text = f"the keyring could not be read ({one_line(e)})"
            row.state.setText(text)
            row.forget.setVisible(stored and self._set_api_key is not None)

    def _save_key(self, role: str, key: str) -> None:
        if self._set_api_key is None:
            return
        try:
            self._set_api_key(self.service.settings, key, role)
        except Exception as e:  # no keyring backend: say so, keep the typed key
            self._show_problem(one_line(e))
            return
        self.api_keys[role].edit.clear()
        self.problem.hide()
        self._refresh_key_status()

    # ---- pages, preview and closing -----------------------------------------------------------------
    def _on_page(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self._sync_preview()

    def _sync_preview(self) -> None:
        """The level preview runs while the Voice page is on screen, on the chosen microphone."""
        wanted = self.isVisible() and self.stack.currentWidget() is self.pages["Voice"]
        name = self.editors[("voice", "input_device")].currentData()
        if not wanted:
            if self.preview.running:
                self.preview.close()
        elif not self.preview.running or self.preview.device != name:
            self.preview.open(name)

    def showEvent(self, e):
        super().showEvent(e)
        self.page_list.doItemsLayout()  # the rows were laid out before the stylesheet's padding applied
        height = self.api_keys["chat"].edit.sizeHint().height()  # the styled line edits' height, for every box
        for w in self.editors.values():
            if isinstance(w, (QComboBox, QAbstractSpinBox)):
                w.setMinimumHeight(height)
        self._sync_preview()

    def hideEvent(self, e):
        super().hideEvent(e)
        self.preview.close()

    def done(self, result: int) -> None:
        for key, w in self.editors.items():  # a typed value not confirmed with Enter still counts
            if isinstance(w, QLineEdit) and w.isModified():
                self._commit(key)
        self.preview.close()
        self._closed = True
        super().done(result)

    # ---- learned corrections ----------------------------------------------------------------------
    def _refresh_corrections(self) -> None:
        if self._corrections is None:
            self.corrections_count.setText("not available here")
            return
        self.corrections_count.setText("counting…")
        self._corrections.count(self._show_corrections, self._corrections_failed)

    def _show_corrections(self, n: int) -> None:
        if self._closed:
            return
        self.corrections_count.setText("none yet" if n == 0 else f"{n} correction{'s' if n != 1 else ''}")
        self.corrections_reset.setEnabled(n > 0)

    def _corrections_failed(self, reason: str) -> None:
        if self._closed:
            return
        self.corrections_count.setText("unknown")
        self._show_problem(f"the learned corrections could not be read ({reason})")

    def _confirm_reset_corrections(self) -> None:
        box = self.reset_confirm = QMessageBox(
            QMessageBox.Icon.Question, "Reset learned corrections",
            "Forget every correction of what a request meant? Requests are understood as before you made them.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Reset, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._reset_answered)
        box.open()  # window-modal; the answer arrives through finished

    def _reset_answered(self, _result: int) -> None:
        box, self.reset_confirm = self.reset_confirm, None
        if box is None or box.standardButton(box.clickedButton()) != QMessageBox.StandardButton.Reset:
            return
        self.corrections_reset.setEnabled(False)
        self.corrections_count.setText("resetting…")
        self._corrections.reset(lambda _n: self._show_corrections(0), self._corrections_failed)

    def _confirm_delete_all(self) -> None:
        answer = QMessageBox.warning(
            self, "Delete all data",
            "Delete every conversation, message, rating and saved picture? This cannot be undone.",
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteAllRequested.emit()


class _KeyRow:
    """One server role's API key: a password field, what the keyring holds, and Remove."""

    def __init__(self, role: str):
        self.edit = QLineEdit()
        self.edit.setObjectName(f"setting_api_key_{role}")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("Paste a key and press Enter")
        self.state = QLabel()
        self.state.setObjectName("SettingsKeyState")
        self.state.setAccessibleName(f"API key status ({SERVER_GROUPS[role]})")
        self.forget = QPushButton("Remove key")
        self.forget.setAccessibleName(f"Remove the stored API key ({SERVER_GROUPS[role]})")
        self.forget.setAutoDefault(False)
        self.box = QWidget()
        h = QHBoxLayout(self.box)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.state, 1)
        h.addWidget(self.forget)
