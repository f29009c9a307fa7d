"""Models > Check: `sensorium doctor` in the Models dialog, on the controller's worker pool, over the
real engine's models (the run's shared manager: the offline packs, tiny CLIP, SD and SmolVLM). Its lines
appear as each role finishes; the GUI thread stays responsive (no freeze over 1 s)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pipelines.catalog import ROLE_TITLES

from .conftest import Heartbeat, make_window

pytestmark = [pytest.mark.tiny, pytest.mark.weights]


def test_check_button_shows_the_doctor_report(qtbot, real_engine, warm_profile):
    w = make_window(qtbot, real_engine, warm_profile)
    dlg = w.open_models()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == len(ROLE_TITLES), timeout=10000)
    assert not dlg.doctor_view.isVisible()
    with Heartbeat() as beat:
        qtbot.mouseClick(dlg.buttons["Check"], Qt.MouseButton.LeftButton)
        assert dlg.doctor_view.isVisible() and not dlg.buttons["Check"].isEnabled()
        qtbot.waitUntil(lambda: dlg.buttons["Check"].isEnabled(), timeout=300000)
    lines = dlg.doctor_view.toPlainText().splitlines()
    assert lines[0].startswith("Sensorium ") and "CPU threads" in lines[0]
    heads = [line for line in lines if not line.startswith(" ")][1:-1]
    assert [h.split("  ")[0] for h in heads] == [ROLE_TITLES[r] for r in ("tts", "asr", "chat", "embed", "vision",
                                                                       "vlm", "imagegen")]
    assert all(" ok " in h for h in heads), heads
    assert sum("self-test" in line for line in lines) == len(ROLE_TITLES)
    assert lines[-1] == "all 7 available roles passed" and dlg.message.text().startswith("Check passed")
    assert beat.max_gap_ms < 1000, f"the GUI thread was blocked for {beat.max_gap_ms:.0f} ms"
    dlg.close()
    w.close()


def test_a_picture_question_without_image_models_offers_the_download(qtbot, warm_profile, tmp_path, photos):
    """Neither CLIP nor a vision-language model is here: the reply fails in one line naming what to fetch,
    and the message bar's Download… opens Models on the image-questions row, ready to download."""
    from desktop.dialogs import ModelsDialog
    from pipelines.engine import Engine
    from pipelines.events import Failed
    from pipelines.history import HistoryStore

    from .conftest import desktop_settings, wait_turn

    s = desktop_settings()
    s.models.hf_cache_dir = str(tmp_path / "no-hf-cache")  # never the machine's own Hugging Face cache
    store = HistoryStore(warm_profile.history_db, warm_profile.attachments_dir)
    try:
        w = make_window(qtbot, Engine(s, warm_profile, store=store), warm_profile)
        w.attach([str(photos["chelsea"])])
        w.input.edit.setPlainText("What is in this picture?")
        qtbot.keyClick(w.input.edit, Qt.Key.Key_Return)
        failed = wait_turn(qtbot, w)
        assert isinstance(failed, Failed) and failed.role == "vlm" and "sensorium models fetch vlm" in failed.message
        bar = w.message_bar
        assert bar.isVisible() and bar.text == failed.message and bar.button.text() == "Download…"
        qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
        dlg = next(d for d in w.findChildren(ModelsDialog) if d.isVisible())
        qtbot.waitUntil(lambda: dlg.role() == "vlm", timeout=10000)
        assert "press Download" in dlg.message.text() and "smolvlm-256m-instruct" in dlg.message.text()
        w.close()
    finally:
        store.close()
