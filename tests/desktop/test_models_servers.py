"""Models > where a role runs: the chat role moves to a real llama.cpp server (xllamacpp, started by
the suite) through the dialog's own controls: Test connection lists the server's models on a worker,
Apply saves [servers.chat], the next reply comes from the server and the status bar names its host;
an unreachable address says so in one line; back to this computer, nothing leaves the machine."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pipelines.catalog import ROLE_TITLES
from pipelines.events import Done
from tests.fixtures.servers import free_port

from .conftest import Heartbeat, desktop_settings, make_window, wait_turn

pytestmark = pytest.mark.weights


def _select(qtbot, dlg, role: str) -> None:
    qtbot.waitUntil(lambda: dlg.table.rowCount() == len(ROLE_TITLES), timeout=10000)
    row = next(i for i in range(dlg.table.rowCount()) if dlg.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == role)
    dlg.table.selectRow(row)
    assert dlg.role() == role


def _runs_on(dlg, role: str) -> str:
    row = next(i for i in range(dlg.table.rowCount()) if dlg.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == role)
    return dlg.table.item(row, 2).text()


def test_chat_moves_to_a_server_and_back(qtbot, llama_engine, warm_profile):
    from pipelines.engine import Engine
    from pipelines.history import HistoryStore

    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    w = make_window(qtbot, Engine(desktop_settings(), warm_profile, store=store), warm_profile)
    try:
        dlg = w.open_models()
        _select(qtbot, dlg, "vision")
        assert not dlg.servers.isVisible()  # CLIP always runs here
        _select(qtbot, dlg, "chat")
        panel = dlg.servers
        assert panel.where.currentData() == "here" and not panel.address.isEnabled()
        assert "nothing leaves the machine" in panel.state.text() and _runs_on(dlg, "chat") == "this computer"

        # an address nobody answers on: one line, the GUI thread free meanwhile
        panel.where.setCurrentIndex(1)
        qtbot.keyClicks(panel.address, f"http://127.0.0.1:{free_port()}/v1")
        with Heartbeat() as beat:
            qtbot.mouseClick(panel.test, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: panel.state.text().startswith("Not connected"), timeout=30000)
        assert "cannot reach" in panel.state.text() and "\n" not in panel.state.text()
        assert beat.max_gap_ms < 1000

        # the real server: its models are listed and one is picked
        panel.address.setText(llama_engine.base_url)
        qtbot.mouseClick(panel.test, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state.text().startswith("Connected"), timeout=30000)
        assert [panel.model.itemText(i) for i in range(panel.model.count())] == ["smollm2"]
        assert panel.model.currentText() == "smollm2" and "1 model" in panel.state.text()
        qtbot.mouseClick(panel.apply, Qt.MouseButton.LeftButton)
        server = w.settings.server("chat")
        assert server is not None and (server.base_url, server.model) == (llama_engine.base_url, "smollm2")
        assert w.settings_service.settings.server("chat") is not None  # saved, not only shown
        host = llama_engine.base_url.split("//")[1].split("/")[0]
        qtbot.waitUntil(lambda: _runs_on(dlg, "chat") == f"server: {host}", timeout=10000)
        dlg.close()

        w.input.edit.setPlainText("What is the capital of France?")
        qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)
        done = wait_turn(qtbot, w, timeout=120000)
        assert isinstance(done, Done) and done.text.strip()
        qtbot.waitUntil(lambda: f"on {host}" in w.status_models.text_of("chat"), timeout=5000)
        chat = next(r for r in w.engine.manager.statuses() if r.role == "chat")
        assert chat.device == "server" and f"on the server at {llama_engine.base_url}" in chat.detail

        # and back: the role runs here again
        dlg = w.open_models()
        _select(qtbot, dlg, "chat")
        assert dlg.servers.where.currentData() == "server" and dlg.servers.address.text() == llama_engine.base_url
        dlg.servers.where.setCurrentIndex(0)
        qtbot.mouseClick(dlg.servers.apply, Qt.MouseButton.LeftButton)
        assert w.settings.server("chat") is None and w.settings.servers.chat.base_url == llama_engine.base_url
        qtbot.waitUntil(lambda: _runs_on(dlg, "chat") == "this computer", timeout=10000)
        dlg.close()
    finally:
        w.close()
        w.engine.manager.unload_all()
        store.close()


@pytest.mark.gui
def test_a_drawing_without_step_counts_shows_a_busy_bar(qtbot):
    """A server's /images/generations reports no steps (ImageProgress total 0): the card's bar is
    indeterminate and says how long it has waited; a counted run shows its steps again."""
    from desktop.gencard import GenCard
    from pipelines.events import ImageProgress

    card = GenCard("a lighthouse at dusk")
    qtbot.addWidget(card)
    card.show()
    card.set_progress(ImageProgress(step=0, total=0, elapsed_s=0.2))
    assert (card.bar.minimum(), card.bar.maximum()) == (0, 0) and "starting" in card.eta.text()
    card.set_progress(ImageProgress(step=0, total=0, elapsed_s=12.4, count=2))
    assert card.bar.maximum() == 0 and card.eta.text() == "drawing on the server, 12 s so far · 2 images"
    card.set_progress(ImageProgress(step=2, total=4, elapsed_s=1.0))
    assert (card.bar.maximum(), card.bar.value()) == (4, 2) and "left" in card.eta.text()
