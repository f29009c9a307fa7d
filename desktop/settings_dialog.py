"""The Settings screen: every setting of pipelines.settings on seven pages (Models, Voice, Drawing,
Knowledge, Servers, Privacy, Appearance) chosen from a list on the left, each with its description under it.

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

Every text is set in the interface's language, and set again when it changes (``_retranslate``,
through desktop.i18n.on_language): the settings' labels and descriptions are looked up under the
context "settings", where packaging/i18n.py puts them; nothing is rebuilt on a switch.
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
from .i18n import on_language, render, translate
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
    relabel_editor,
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
        self._texts: list[Callable[[], None]] = []  # each sets some texts in the current language
        self._page_labels: list[list[QLabel]] = []  # each page's row labels: one label column per page
        self._problem_text: Callable[[], str] | None = None  # the problem shown, in the current language
        self._corrections_state: tuple[str, int] = ("unavailable", 0)

        self.page_list = QListWidget()
        self.page_list.setObjectName("SettingsPages")
        self.page_list.setFixedWidth(180)
        self._focus.append(self.page_list)
        self.stack = QStackedWidget()
        descriptions = {(s, k): d for s, k, _v, d in describe()}
        for page, groups in placement(list(descriptions)).items():
            self._add_page(page, groups, descriptions)

        self.problem = QLabel()
        self.problem.setObjectName("SettingsProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.close_button = QPushButton()
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
        on_language(self, self._retranslate)
        self._refresh_key_status()
        self._refresh_corrections()

    def _retranslate(self) -> None:
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self.setAccessibleName(translate("SettingsDialog", "Settings"))
        self.page_list.setAccessibleName(translate("SettingsDialog", "Settings pages"))
        self.problem.setAccessibleName(translate("SettingsDialog", "Settings problem"))
        self.close_button.setText(translate("SettingsDialog", "Close"))
        self.close_button.setAccessibleName(translate("SettingsDialog", "Close settings"))
        for i in range(self.page_list.count()):
            self.page_list.item(i).setText(translate("settings", list(self.pages)[i]))
        for set_texts in self._texts:
            set_texts()
        for labels in self._page_labels:
            width = max((lb.sizeHint().width() for lb in labels), default=0)
            for lb in labels:  # one label column per page, not one per group
                lb.setMinimumWidth(width)
        for w in self.editors.values():
            relabel_editor(w)
        for row in self.api_keys.values():
            row.retranslate()
        self.corrections_count.setText(self._corrections_text())
        if self._problem_text is not None:
            self.problem.setText(one_line(self._problem_text()))
            self.problem.setToolTip(self._problem_text())
        self.preview.retranslate()

    # ---- building ------------------------------------------------------------------------------
    def _add_page(self, page: str, groups: list[tuple[str, list[Key]]], descriptions: dict[Key, str]) -> None:
        inner = QWidget()
        inner.setObjectName("SettingsPage")
        v = QVBoxLayout(inner)
        v.setContentsMargins(28, 20, 28, 20)
        v.setSpacing(6)
        title = QLabel(page)
        title.setObjectName("SettingsPageTitle")
        self._texts.append(lambda: title.setText(translate("settings", page)))
        v.addWidget(title)
        labels: list[QLabel] = []
        for group, keys in groups:
            extra = {"History": self._history_rows, "Understanding requests": self._corrections_rows,
                     **{title: (lambda form, r=role: self._api_key_rows(form, r))  # not the Voice page's groups
                        for role, title in SERVER_GROUPS.items() if page == "Servers"}}.get(group)
            if not keys and extra is None:
                continue
            heading = QLabel(group)
            heading.setObjectName("SettingsGroupTitle")
            self._texts.append(lambda h=heading, g=group: h.setText(translate("settings", g)))
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
                labels.append(self._row(form, lambda k=key: translate("settings", label_for(*k)), self._make_editor(key),
                                        lambda d=descriptions[key]: translate("settings", d), extra_row))
            if extra is not None:
                labels.extend(extra(form))
            v.addWidget(card)
        v.addStretch(1)
        self._page_labels.append(labels)  # their common width is set with their texts, in _retranslate
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.stack.addWidget(scroll)
        self.page_list.addItem(page)
        self.pages[page] = scroll

    def _row(self, form: QFormLayout, text: Callable[[], str], editor: QWidget, description: Callable[[], str],
             extra: QWidget | None = None) -> QLabel:
        """A labelled row: ``text`` and ``description`` give the label and the line under the editor
        in the current language."""
        label = QLabel()
        label.setBuddy(editor)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 10)
        v.setSpacing(4)
        v.addWidget(editor, 0, Qt.AlignmentFlag.AlignLeft if isinstance(editor, QPushButton) else Qt.AlignmentFlag(0))
        if extra is not None:
            v.addWidget(extra)
        desc = QLabel()
        desc.setObjectName("Muted")
        desc.setWordWrap(True)
        v.addWidget(desc)
        form.addRow(label, box)
        self._focus.append(editor)

        def set_texts() -> None:
            t, d = text(), description()
            label.setText(t)
            editor.setAccessibleName(t)
            editor.setAccessibleDescription(d)
            editor.setToolTip(d)
            desc.setText(d)

        self._texts.append(set_texts)
        return label

    def _meter_row(self) -> QWidget:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 4, 0, 2)
        h.setSpacing(12)
        self.meter = LevelMeter()
        self.meter.setFixedSize(180, 8)
        self.meter_note = QLabel()
        self.meter_note.setObjectName("SettingsMeterNote")

        def set_texts() -> None:
            self.meter.setToolTip(translate("SettingsDialog", "The chosen microphone's level, live while this page "
                                                              "is open"))
            self.meter_note.setAccessibleName(translate("SettingsDialog", "Microphone preview"))

        self._texts.append(set_texts)
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
        row = self.api_keys[role] = _KeyRow(role, can_store=self._set_api_key is not None)
        row.edit.editingFinished.connect(lambda: row.edit.text() and self._save_key(role, row.edit.text()))
        row.forget.clicked.connect(lambda: self._save_key(role, ""))
        if self._set_api_key is None:
            row.edit.setEnabled(False)
        label = self._row(form, lambda: translate("SettingsDialog", "API key"), row.edit,
                          lambda: translate("SettingsDialog", "Kept in the system keyring for the server address "
                                                              "above, never in the settings file."), row.box)
        self._focus.append(row.forget)
        return [label]

    def _history_rows(self, form: QFormLayout) -> list[QLabel]:
        self.delete_all = QPushButton()
        self.delete_all.setAutoDefault(False)
        self.delete_all.clicked.connect(self._confirm_delete_all)

        def set_texts() -> None:
            self.delete_all.setText(translate("SettingsDialog", "Delete all data…"))

        self._texts.append(set_texts)
        return [self._row(form, lambda: translate("SettingsDialog", "All data"), self.delete_all,
                          lambda: translate("SettingsDialog", "Every conversation, message, rating and saved picture, "
                                                              "your memories, the index of your documents and the "
                                                              "adapters learned from your ratings: deleted at once, "
                                                              "after you confirm."))]

    def _corrections_rows(self, form: QFormLayout) -> list[QLabel]:
        self.corrections_count = QLabel()
        self.corrections_count.setObjectName("SettingsCorrections")
        self.corrections_reset = QPushButton()
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
        label = self._row(form, lambda: translate("SettingsDialog", "Learned corrections"), box,
                          lambda: translate("SettingsDialog", "What you said requests meant (“Not what I meant”, and "
                                                              "the readings you picked when asked): similar requests "
                                                              "are understood that way."))

        def set_texts() -> None:
            self.corrections_count.setAccessibleName(translate("SettingsDialog", "Learned corrections"))
            self.corrections_reset.setText(translate("SettingsDialog", "Reset…"))
            self.corrections_reset.setAccessibleName(translate("SettingsDialog", "Reset the learned corrections"))

        self._texts.append(set_texts)
        self._focus[-1] = self.corrections_reset  # the row's box itself takes no focus
        label.setBuddy(self.corrections_reset)
        return [label]

    # ---- values ------------------------------------------------------------------------------------
    def _current(self, key: Key) -> Any:
        return getattr(self.service.settings.section(key[0]), key[1])

    def _read(self, key: Key) -> Any:
        return read_editor(self.editors[key], isinstance(self._current(key), list))

    def _check(self, key: Key, value: Any) -> tuple[Settings | None, Callable[[], str] | None]:
        """The settings with ``value`` for ``key`` (validated by from_dict), or None and the problem
        (a function that words it in the current language)."""
        data = self.service.settings.to_dict()
        table = data
        for part in key[0].split("."):
            table = table[part]
        table[key[1]] = value
        loaded = from_dict(data)
        if not loaded.problems:
            return loaded.settings, None
        meta = self._meta[key]
        head = loaded.problems[0].split("; using")[0]  # pipelines.settings' English line

        def problem() -> str:
            label = translate("settings", label_for(*key))
            if meta.get("min") is not None and meta.get("max") is not None:
                return translate("SettingsDialog", "{label}: {problem} (allowed: {min} to {max}); not applied").format(
                    label=label, problem=head, min=f"{meta['min']:g}", max=f"{meta['max']:g}")
            if meta.get("min") is not None:
                return translate("SettingsDialog", "{label}: {problem} (at least {min}); not applied").format(
                    label=label, problem=head, min=f"{meta['min']:g}")
            return translate("SettingsDialog", "{label}: {problem}; not applied").format(label=label, problem=head)

        return None, problem

    def _commit(self, key: Key) -> None:
        if self._syncing:
            return
        w = self.editors[key]
        if isinstance(w, QLineEdit):
            w.setModified(False)
        settings, problem = self._check(key, self._read(key))
        if settings is None:
            self._show_problem(problem or "")
            self._show(key, self._current(key))
            return
        self._hide_problem()
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

    def _show_problem(self, text: str | Callable[[], str]) -> None:
        """Show a problem: a line (from elsewhere, as it came) or a function that words it in the
        current language (worded again on a language switch)."""
        self._problem_text = text if callable(text) else (lambda: text)
        self.problem.setText(one_line(self._problem_text()))
        self.problem.setToolTip(self._problem_text())
        self.problem.show()

    def _hide_problem(self) -> None:
        self._problem_text = None
        self.problem.hide()

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        # A number typed out of range is undone by Qt without a word: say why it was not applied.
        typed = ev.type() == QEvent.Type.FocusOut or (
            ev.type() == QEvent.Type.KeyPress and ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
        if typed and isinstance(obj, (QSpinBox, QDoubleSpinBox)):
            key = next((k for k, w in self.editors.items() if w is obj), None)
            text = obj.cleanText()
            if key is not None and text and obj.validate(obj.lineEdit().text(), 0)[0] != QValidator.State.Acceptable:
                number, ok = obj.locale().toInt(text) if isinstance(obj, QSpinBox) else obj.locale().toDouble(text)
                problem = self._check(key, number)[1] if ok else None
                if problem is not None:
                    self._show_problem(problem)
        return super().eventFilter(obj, ev)

    # ---- the API key ------------------------------------------------------------------------------------
    def _refresh_key_status(self) -> None:
        for role, row in self.api_keys.items():
            row.stored, row.error = None, None
            if self._api_key_status is not None:
                try:
                    row.stored = bool(self._api_key_status(self.service.settings, role))
                except Exception as e:
                    row.error = e
            row.show_state()
            row.forget.setVisible(bool(row.stored) and self._set_api_key is not None)

    def _save_key(self, role: str, key: str) -> None:
        if self._set_api_key is None:
            return
        try:
            self._set_api_key(self.service.settings, key, role)
        except Exception as e:  # no keyring backend: say so, keep the typed key
            self._show_problem(lambda err=e: render(getattr(err, "text", None), str(err)))
            return
        self.api_keys[role].edit.clear()
        self._hide_problem()
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
    def _set_corrections(self, state: str, n: int = 0) -> None:
        self._corrections_state = (state, n)
        self.corrections_count.setText(self._corrections_text())

    def _corrections_text(self) -> str:
        state, n = self._corrections_state
        if state == "counting":
            return translate("SettingsDialog", "counting…")
        if state == "resetting":
            return translate("SettingsDialog", "resetting…")
        if state == "unknown":
            return translate("SettingsDialog", "unknown")
        if state == "counted":
            if n == 0:
                return translate("SettingsDialog", "none yet")
            if n == 1:
                return translate("SettingsDialog", "1 correction")
            return translate("SettingsDialog", "{n} corrections").format(n=n)
        return translate("SettingsDialog", "not available here")

    def _refresh_corrections(self) -> None:
        if self._corrections is None:
            self._set_corrections("unavailable")
            return
        self._set_corrections("counting")
        self._corrections.count(self._show_corrections, self._corrections_failed)

    def _show_corrections(self, n: int) -> None:
        if self._closed:
            return
        self._set_corrections("counted", n)
        self.corrections_reset.setEnabled(n > 0)

    def _corrections_failed(self, reason: str) -> None:
        if self._closed:
            return
        self._set_corrections("unknown")
        self._show_problem(lambda: translate("SettingsDialog", "the learned corrections could not be read "
                                                               "({reason})").format(reason=reason))

    def _confirm_reset_corrections(self) -> None:
        box = self.reset_confirm = QMessageBox(
            QMessageBox.Icon.Question, translate("SettingsDialog", "Reset learned corrections"),
            translate("SettingsDialog", "Forget every correction of what a request meant? Requests are understood "
                                        "as before you made them."),
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
        self._set_corrections("resetting")
        self._corrections.reset(lambda _n: self._show_corrections(0), self._corrections_failed)

    def _confirm_delete_all(self) -> None:
        answer = QMessageBox.warning(
            self, translate("SettingsDialog", "Delete all data"),
            translate("SettingsDialog", "Delete every conversation, message, rating and saved picture, everything "
                                        "Sensorium remembers about you, the index of your documents (the files "
                                        "themselves stay) and the adapters learned from your ratings? This cannot "
                                        "be undone."),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteAllRequested.emit()


class _KeyRow:
    """One server role's API key: a password field, what the keyring holds (``stored``: True, False,
    or None when unknown; ``error`` when it could not be read), and Remove."""

    def __init__(self, role: str, can_store: bool = True):
        self.role, self.can_store = role, can_store
        self.stored: bool | None = None
        self.error: BaseException | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName(f"setting_api_key_{role}")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.state = QLabel()
        self.state.setObjectName("SettingsKeyState")
        self.forget = QPushButton()
        self.forget.setAutoDefault(False)
        self.box = QWidget()
        h = QHBoxLayout(self.box)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.state, 1)
        h.addWidget(self.forget)
        self.retranslate()

    def retranslate(self) -> None:
        group = translate("settings", SERVER_GROUPS[self.role])
        self.edit.setPlaceholderText(translate("SettingsDialog", "Paste a key and press Enter") if self.can_store
                                     else translate("SettingsDialog", "No keyring is available to store a key"))
        self.state.setAccessibleName(translate("SettingsDialog", "API key status ({group})").format(group=group))
        self.forget.setText(translate("SettingsDialog", "Remove key"))
        self.forget.setAccessibleName(translate("SettingsDialog", "Remove the stored API key ({group})").format(
            group=group))
        self.show_state()

    def show_state(self) -> None:
        if self.error is not None:
            reason = one_line(render(getattr(self.error, "text", None), str(self.error)))
            text = translate("SettingsDialog", "the keyring could not be read ({reason})").format(reason=reason)
        elif self.stored is None:
            text = ""
        else:
            text = (translate("SettingsDialog", "A key is stored in the system keyring") if self.stored
                    else translate("SettingsDialog", "No key stored"))
        self.state.setText(text)
