"""Models > Check: `sensorium doctor` in the Models dialog, on the controller's worker pool, over the
real engine's models (the run's shared manager: the offline packs, tiny CLIP and tiny SD). Its lines
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
                                                                       "imagegen")]
    assert all(" ok " in h for h in heads), heads
    assert sum("self-test" in line for line in lines) == len(ROLE_TITLES)
    assert lines[-1] == "all 6 available roles passed" and dlg.message.text().startswith("Check passed")
    assert beat.max_gap_ms < 1000, f"the GUI thread was blocked for {beat.max_gap_ms:.0f} ms"
    dlg.close()
    w.close()
