"""The speaker queue shared by the real speaker and the fake one (pipelines/playback.py): what it
reports about what left the speaker (on_played, monitor), stop within a block, drain."""
from __future__ import annotations

import time

import numpy as np

from pipelines.cancel import CancelToken
from pipelines.playback import RecordingSink


def _wait(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not pred() and time.monotonic() < deadline:
        time.sleep(0.005)
    return pred()


def test_every_sample_goes_to_the_monitor_and_on_played_counts_up_to_the_chunk():
    sink = RecordingSink(pace=0.0)
    seen: list[np.ndarray] = []
    sink.monitor = lambda block, rate: seen.append(block.copy())
    reports: list[tuple[int, float]] = []
    a = np.linspace(-0.5, 0.5, 22050, dtype=np.float32)
    b = np.full(1000, 0.25, dtype=np.float32)
    sink.play(a, 22050, on_played=lambda n, at: reports.append((n, at)))
    sink.play(b, 22050)
    assert sink.wait_drained(10) and not sink.playing
    assert np.array_equal(np.concatenate(seen), np.concatenate([a, b]))  # in order, nothing lost or added
    counts = [n for n, _ in reports]
    assert counts == sorted(counts) and counts[-1] == len(a) and counts[0] == int(22050 * sink.BLOCK_S)
    times = [t for _, t in reports]
    assert times == sorted(times)


def test_stop_cuts_the_chunk_within_a_block_and_reports_how_much_went_out():
    sink = RecordingSink(pace=1.0)
    reports: list[int] = []
    sink.play(np.zeros(16000 * 5, dtype=np.float32), 16000, on_played=lambda n, at: reports.append(n))
    sink.play(np.zeros(16000, dtype=np.float32), 16000, on_played=lambda n, at: reports.append(-n))
    assert _wait(lambda: len(reports) >= 5)
    sink.stop()
    assert not sink.playing and sink.stopped == 1
    time.sleep(0.1)
    cut = reports[-1]
    assert 0 < cut < 16000 * 5 and all(n > 0 for n in reports)  # the queued chunk never played
    time.sleep(0.1)
    assert reports[-1] == cut  # nothing more after the stop (at most the block that was going out)


def test_a_cancelled_turn_stops_its_chunks_and_the_speaker_is_idle_at_once():
    sink = RecordingSink(pace=1.0)
    turn = CancelToken()
    sink.play(np.zeros(16000 * 5, dtype=np.float32), 16000, cancel=turn)
    sink.play(np.zeros(16000 * 5, dtype=np.float32), 16000, cancel=turn)
    assert _wait(lambda: sink.playing)
    time.sleep(0.05)
    turn.cancel()
    # within a block or two, not after the 1 s idle timeout of the speaker thread
    assert _wait(lambda: not sink.playing, timeout=0.5)
    reports: list[int] = []
    sink.play(np.zeros(800, dtype=np.float32), 16000, on_played=lambda n, at: reports.append(n))
    assert sink.wait_drained(5) and reports[-1] == 800  # the next reply plays
