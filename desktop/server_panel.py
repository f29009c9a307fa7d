"""Where a role runs, in the Models dialog: on this computer, or on a serving engine (address, model,
API key) with Test connection, which lists the server's models on a worker thread.

Apply saves ``[servers.<role>]`` through the dialog's ``settingsChanged`` and stores a typed key in
the OS keyring (per server address, never in the settings file); the role's model switches at its
next use, and a local model it leaves is unloaded at once.
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

        self.title = QLabel()
        self.title.setObjectName("SettingsGroupTitle")
        self.where = QComboBox()
        self.where.addItem("This computer", HERE)
        self.where.addItem("A server (OpenAI-compatible)", SERVER)
        self.where.setAccessibleName("Runs on")
        self.address = QLineEdit()
        self.address.setPlaceholderText("http://gpu-box:8000/v1")
        self.address.setAccessibleName("Server address")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setAccessibleName("Server model")
        self.model.lineEdit().setPlaceholderText("Test connection lists the server's models")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName("API key")
        self.test = QPushButton("Test connection")
        self.test.setAutoDefault(False)
        self.test.setToolTip("Ask the server for its models (GET /models); nothing else is sent")
        self.apply = QPushButton("Apply")
        self.apply.setAutoDefault(False)
        self.state = QLabel()
        self.state.setObjectName("Muted")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Connection state")

        form = QFormLayout()
        form.addRow("Runs on", self.where)
        form.addRow("Address", self.address)
        form.addRow("Model", self.model)
        form.addRow("API key", self.api_key)
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
        self.title.setText(f"{SERVER_GROUPS[role]}: where it runs")
        self.where.setCurrentIndex(1 if settings.server(role) is not None else 0)
        self.address.setText(s.base_url)
        self.model.clear()
        if s.model:
            self.model.addItem(s.model)
        self.model.setEditText(s.model)
        self.api_key.clear()
        self.api_key.setPlaceholderText(self._key_hint(settings, role))
        self.state.setText(self._summary(settings, role))
        self._sync_enabled()
        self.show()

    def _key_hint(self, settings: Settings, role: str) -> str:
        try:
            stored = bool(self._keys[0](settings, role))
        except Exception:
            stored = False
        return "A key is stored for this address (type to replace it)" if stored else "None (type one if the server wants it)"

    @staticmethod
    def _summary(settings: Settings, role: str) -> str:
        server = settings.server(role)
        if server is None:
            return "Runs on this computer: nothing leaves the machine."
        return f"Runs on the server at {server.base_url} ({server.model or 'no model named'})."

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
            self.state.setText(one_line(e))
            return
        role = self.role
        s = typed.section(f"servers.{role}")
        key = self.api_key.text() or self._stored_key(typed, role)
        config = ServerConfig(role, s.base_url, s.model or "-", key, min(float(s.timeout_s), 15.0), 0)
        self.state.setText(f"Asking {s.base_url} for its models…")
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
        listed = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        text = f"Connected: the server offers {len(names)} model{'s' if len(names) != 1 else ''}" + (
            f" ({listed})." if names else ".")
        if chosen and names and chosen not in names:
            text += f" {chosen!r} is not among them: pick one, or check the name."
        self.state.setText(text)

    def _test_failed(self, reason: str) -> None:
        self._testing = None
        self._sync_enabled()
        self.state.setText(f"Not connected: {one_line(reason)}")

    def apply_changes(self) -> None:
        if self.role is None:
            return
        role = self.role
        try:
            new = self._typed()
        except ValueError as e:
            self.state.setText(one_line(e))
            return
        s = new.section(f"servers.{role}")
        if s.use_server and (not s.base_url or not s.model):
            self.state.setText("A server needs its address and a model: type both (Test connection lists "
                               "the models), then Apply.")
            return
        if self.api_key.text():
            try:
                self._keys[1](new, self.api_key.text(), role)
            except Exception as e:  # no keyring: keep the typed key and say why
                self.state.setText(one_line(e))
                return
            self.api_key.clear()
        self.settings = new
        self.applied.emit(new)
        self.api_key.setPlaceholderText(self._key_hint(new, role))
        self.state.setText(self._summary(new, role) + " Applied: it is used from the next request.")
