"""A short soak inside the suite: mixed turns (chat, describe, imagine, voice turn) through one engine
and one history store, 0 errors allowed. The full run is `python -m tests.soak` (500 turns)."""
from __future__ import annotations

import pytest

from tests import soak

pytestmark = [pytest.mark.slow, pytest.mark.weights, pytest.mark.tiny]


def test_short_soak_has_no_errors(tmp_path):
    report = soak.run(28, root=tmp_path, max_new_tokens=8)
    print("\n" + report.text())
    assert report.turns == 28
    assert report.errors == []
    assert all(len(v) == 7 for v in report.latency_ms.values())
    assert report.growth_pct < 25, report.text()  # 500 turns: see the README for the figures
