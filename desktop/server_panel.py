"""Where a role runs, in the Models dialog: on this computer, or on a serving engine (address, model,
API key) with Test connection, which lists the server's models on a worker thread.

Apply saves ``[servers.<role>]`` through the dialog's ``settingsChanged`` and stores a typed key in
the OS keyring (per server address, never in the settings file); the role's model switches at its
next use, and a local model it leaves is unloaded at once.

Its texts follow the interface's language (``_retranslate``); the one-line state is worded again
from what it says, so a switch leaves nothing in the old language.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pipelines.settings import SERVER_ROLES, Settings

from .i18n import on_language, render, translate
from .settings_editors import SERVER_GROUPS, one_line

__all__ = ["ServerPanel", "KeyStore"]

#: (get(settings, role) -> key or None, set(settings, key, role)): the keyring, or a test's stand-in
KeyStore = tuple[Callable[[Settings, str], "str | None"], Callable[[Settings, str, str], None]]
HERE, SERVER = "here", "server"


def _keyring() -> KeyStore:
    from pipelines import secrets

    return secrets.get_api_key, secrets.set_api_key


class ServerPanel(QFrame):
    """The selected role's "Runs on" box. ``where`` (this computer or a server), ``address``,
    ``model`` (editable; Test connection fills it), ``api_key``, ``test``, ``apply`` and ``state``
    (the one-line outcome) are public for tests. ``applied(Settings)`` carries the new settings."""

    applied = Signal(object)

    def __init__(self, controller: Any, parent: QWidget | None = None, *, keys: KeyStore | None = None):
        super().__init__(parent)
        self.setObjectName("SettingsCard")
        self.controller = controller
        self._keys = keys or _keyring()
        self.role: str | None = None
        self.settings: Settings | None = None
        self._testing: int | None = None  # the task id of a Test connection under way
        self._state: Callable[[], str] = lambda: ""  # the one-line state, in the current language
        self._stored_hint: bool | None = None  # whether a key is stored (the key field's placeholder)

        self.title = QLabel()
        self.title.setObjectName("SettingsGroupTitle")
        self.where = QComboBox()
        self.where.addItem("", HERE)
        self.where.addItem("", SERVER)
        self.address = QLineEdit()
        self.address.setPlaceholderText("http://gpu-box:8000/v1")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.test = QPushButton()
        self.test.setAutoDefault(False)
        self.apply = QPushButton()
        self.apply.setAutoDefault(False)
        self.state = QLabel()
        self.state.setObjectName("Muted")
        self.state.setWordWrap(True)

        form = QFormLayout()
        self._row_labels = [QLabel() for _ in range(4)]
        for label, field in zip(self._row_labels, (self.where, self.address, self.model, self.api_key)):
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test)
        buttons.addWidget(self.apply)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.addWidget(self.title)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.state)

        self.where.currentIndexChanged.connect(lambda _i: self._sync_enabled())
        self.address.textChanged.connect(lambda _t: self._sync_enabled())
        self.test.clicked.connect(self.test_connection)
        self.apply.clicked.connect(self.apply_changes)
        self.hide()
        on_language(self, self._retranslate)

    def _retranslate(self) -> None:
        self.where.setItemText(0, translate("ServerPanel", "This computer"))
        self.where.setItemText(1, translate("ServerPanel", "A server (OpenAI-compatible)"))
        self.where.setAccessibleName(translate("ServerPanel", "Runs on"))
        self.address.setAccessibleName(translate("ServerPanel", "Server address"))
        self.model.setAccessibleName(translate("ServerPanel", "Server model"))
        self.model.lineEdit().setPlaceholderText(translate("ServerPanel", "Test connection lists the server's models"))
        self.api_key.setAccessibleName(translate("ServerPanel", "API key"))
        self.test.setText(translate("ServerPanel", "Test connection"))
        self.test.setToolTip(translate("ServerPanel", "Ask the server for its models (GET /models); nothing else is "
                                                      "sent"))
        self.apply.setText(translate("ServerPanel", "Apply"))
        self.state.setAccessibleName(translate("ServerPanel", "Connection state"))
        for label, text in zip(self._row_labels, (translate("ServerPanel", "Runs on"), translate("ServerPanel", "Address"),
                                                  translate("ServerPanel", "Model"), translate("ServerPanel", "API key"))):
            label.setText(text)
        if self.role is not None:
            self.title.setText(translate("ServerPanel", "{role}: where it runs").format(
                role=translate("settings", SERVER_GROUPS[self.role])))
        self._show_key_hint()
        self.state.setText(self._state())

    def _say(self, text: Callable[[], str]) -> None:
        """The one-line state: ``text`` words it in the current language (again on a switch)."""
        self._state = text
        self.state.setText(text())

    # ---- showing a role ---------------------------------------------------------------------------
    def show_role(self, role: str | None, settings: Settings) -> None:
        """Fill the panel for ``role`` (hidden for a role that always runs here)."""
        self.settings = settings
        if role not in SERVER_ROLES:
            self.role = None
            self.hide()
            return
        self.role = role
        s = settings.section(f"servers.{role}")
        self.title.setText(translate("ServerPanel", "{role}: where it runs").format(
            role=translate("settings", SERVER_GROUPS[role])))
        self.where.setCurrentIndex(1 if settings.server(role) is not None else 0)
        self.address.setText(s.base_url)
        self.model.clear()
        if s.model:
            self.model.addItem(s.model)
        self.model.setEditText(s.model)
        self.api_key.clear()
        self._key_hint(settings, role)
        self._say(lambda: self._summary(settings, role))
        self._sync_enabled()
        self.show()

    def _key_hint(self, settings: Settings, role: str) -> None:
        """Find out whether a key is stored for the role's address, and say so in the key field."""
        try:
            self._stored_hint = bool(self._keys[0](settings, role))
        except Exception:
            self._stored_hint = False
        self._show_key_hint()

    def _show_key_hint(self) -> None:
        if self._stored_hint is not None:
            self.api_key.setPlaceholderText(
                translate("ServerPanel", "A key is stored for this address (type to replace it)") if self._stored_hint
                else translate("ServerPanel", "None (type one if the server wants it)"))

    @staticmethod
    def _summary(settings: Settings, role: str) -> str:
        server = settings.server(role)
        if server is None:
            return translate("ServerPanel", "Runs on this computer: nothing leaves the machine.")
        return translate("ServerPanel", "Runs on the server at {url} ({model}).").format(
            url=server.base_url, model=server.model or translate("ServerPanel", "no model named"))

    def _sync_enabled(self) -> None:
        remote = self.where.currentData() == SERVER
        for w in (self.address, self.model, self.api_key):
            w.setEnabled(remote)
        self.test.setEnabled(remote and bool(self.address.text().strip()) and self._testing is None)

    # ---- test and apply ---------------------------------------------------------------------------
    def _typed(self) -> Settings:
        assert self.settings is not None and self.role is not None
        return self.settings.replace(f"servers.{self.role}", use_server=self.where.currentData() == SERVER,
                                     base_url=self.address.text().strip(), model=self.model.currentText().strip())

    def test_connection(self) -> None:
        if self.role is None or self._testing is not None:
            return
        from pipelines.remote import ServerConfig, list_models

        try:
            typed = self._typed()
        except ValueError as e:
            self._say(lambda err=e: _line(err))
            return
        role = self.role
        s = typed.section(f"servers.{role}")
        key = self.api_key.text() or self._stored_key(typed, role)
        config = ServerConfig(role, s.base_url, s.model or "-", key, min(float(s.timeout_s), 15.0), 0)
        self._say(lambda url=s.base_url: translate("ServerPanel", "Asking {url} for its models…").format(url=url))
        self._testing = self.controller.call(lambda: list_models(config), self._tested, self._test_failed)
        self._sync_enabled()

    def _stored_key(self, settings: Settings, role: str) -> str | None:
        try:
            return self._keys[0](settings, role)
        except Exception:
            return None

    def _tested(self, names: list[str]) -> None:
        self._testing = None
        self._sync_enabled()
        chosen = self.model.currentText().strip()
        self.model.clear()
        for n in names:
            self.model.addItem(n)
        if chosen:
            self.model.setEditText(chosen)
        elif names:
            self.model.setCurrentIndex(0)
        names = list(names)

        def text() -> str:
            n = len(names)
            if n == 0:
                line = translate("ServerPanel", "Connected: the server offers 0 models.")
            else:
                listed = ", ".join(names[:6])
                if n > 6:
                    listed = translate("ServerPanel", "{names} and {n} more").format(names=listed, n=n - 6)
                line = (translate("ServerPanel", "Connected: the server offers 1 model ({names}).") if n == 1 else
                        translate("ServerPanel", "Connected: the server offers {n} models ({names}).")).format(
                    n=n, names=listed)
            if chosen and names and chosen not in names:
                line = translate("ServerPanel", "{line} {name} is not among them: pick one, or check the name.").format(
                    line=line, name=repr(chosen))
            return line

        self._say(text)

    def _test_failed(self, reason: str) -> None:
        self._testing = None
        self._sync_enabled()
        self._say(lambda: translate("ServerPanel", "Not connected: {reason}").format(reason=one_line(reason)))

    def apply_changes(self) -> None:
        if self.role is None:
            return
        role = self.role
        try:
            new = self._typed()
        except ValueError as e:
            self._say(lambda err=e: _line(err))
            return
        s = new.section(f"servers.{role}")
        if s.use_server and (not s.base_url or not s.model):
            self._say(lambda: translate("ServerPanel", "A server needs its address and a model: type both (Test "
                                                       "connection lists the models), then Apply."))
            return
        if self.api_key.text():
            try:
                self._keys[1](new, self.api_key.text(), role)
            except Exception as e:  # no keyring: keep the typed key and say why
                self._say(lambda err=e: _line(err))
                return
            self.api_key.clear()
        self.settings = new
        self.applied.emit(new)
        self._key_hint(new, role)
        self._say(lambda: translate("ServerPanel", "{summary} Applied: it is used from the next request.").format(
            summary=self._summary(new, role)))


def _line(e: BaseException) -> str:
    """An error's one line: a pipelines Text in the interface's language, else its English."""
    return one_line(render(getattr(e, "text", None), str(e)))
