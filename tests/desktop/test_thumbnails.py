"""Thumbnails are decoded on worker threads at their shown size, cached by (path, mtime, size, box),
and a widget deleted before its picture arrives is skipped. Real JPEG photos, real Qt decoding."""
from __future__ import annotations

import os
import shutil
import threading

import shiboken6
from PySide6.QtGui import QImageReader

from desktop.conversation import ConversationView
from desktop.messages import MessageItem
from desktop.thumbnails import ThumbnailLoader, decode_scaled
from desktop.widgets import Thumbnail


def test_a_thumbnail_is_decoded_off_the_gui_thread_at_its_size_and_cached(qtbot, photos):
    loader = ThumbnailLoader()
    coffee = str(photos["coffee"])
    full = QImageReader(coffee).size()
    assert (full.width(), full.height()) == (600, 400)
    t = Thumbnail(coffee, 160, loader=loader)
    qtbot.addWidget(t)
    assert not t.loaded and t.pixmap().isNull() and (t.width(), t.height()) == (160, 160)  # the placeholder
    qtbot.waitUntil(lambda: t.loaded, timeout=5000)
    assert (t.pixmap().width(), t.pixmap().height()) == (160, 106) and t.size() == t.pixmap().size()
    [(key, thread)] = loader.decodes
    assert thread != threading.get_ident() and key[0] == os.path.abspath(coffee) and key[3] == 160
    # the same picture at the same size: from the cache, at once, with no second decode
    again = Thumbnail(coffee, 160, loader=loader)
    qtbot.addWidget(again)
    assert again.loaded and again.pixmap().cacheKey() == t.pixmap().cacheKey() and len(loader.decodes) == 1
    assert 0 < loader.cached_bytes <= 160 * 106 * 4
    # another size is another decode; a file changed on disk is decoded again
    big = Thumbnail(coffee, 256, loader=loader)
    qtbot.addWidget(big)
    qtbot.waitUntil(lambda: big.loaded, timeout=5000)
    assert big.pixmap().width() == 256 and len(loader.decodes) == 2
    shutil.copyfile(photos["astronaut"], coffee)  # square, 512 x 512
    os.utime(coffee, ns=(os.stat(coffee).st_atime_ns, os.stat(coffee).st_mtime_ns + 10**9))
    changed = Thumbnail(coffee, 160, loader=loader)
    qtbot.addWidget(changed)
    qtbot.waitUntil(lambda: changed.loaded, timeout=5000)
    assert (changed.pixmap().width(), changed.pixmap().height()) == (160, 160) and len(loader.decodes) == 3


def test_decode_scaled_matches_a_full_decode_scaled_down(qtbot, photos):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    small = decode_scaled(str(photos["chelsea"]), 100)
    full = QImage(str(photos["chelsea"]))
    assert small.size() == full.size().scaled(100, 100, Qt.AspectRatioMode.KeepAspectRatio)
    ref = full.scaled(small.size(), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    a, b = small.convertToFormat(QImage.Format.Format_RGB32), ref.convertToFormat(QImage.Format.Format_RGB32)
    diff = sum(abs(a.pixelColor(x, y).red() - b.pixelColor(x, y).red())
               for x in range(0, a.width(), 7) for y in range(0, a.height(), 7))
    samples = len(range(0, a.width(), 7)) * len(range(0, a.height(), 7))
    assert diff / samples < 12  # the same picture (JPEG scales while decoding: not bit-identical)
    assert decode_scaled(str(photos["chelsea"]) + ".missing", 100).isNull()


def test_missing_pictures_and_widgets_deleted_before_their_picture(qtbot, photos, tmp_path):
    loader = ThumbnailLoader()
    gone = Thumbnail(str(tmp_path / "nope.jpg"), 160, loader=loader)
    qtbot.addWidget(gone)
    assert gone.loaded and gone.text() == "(picture not found)" and loader.pending() == 0
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg at all")
    bad = Thumbnail(str(broken), 160, loader=loader)
    qtbot.addWidget(bad)
    qtbot.waitUntil(lambda: bad.loaded, timeout=5000)
    assert bad.text() == "(picture not found)"
    # many thumbnails deleted right away: their pictures arrive later and are skipped without an error
    doomed = [Thumbnail(str(photos[name]), 200, loader=loader) for name in ("astronaut", "rocket", "chelsea")]
    keep = Thumbnail(str(photos["rocket"]), 200, loader=loader)
    qtbot.addWidget(keep)
    for t in doomed:
        shiboken6.delete(t)
    assert not any(shiboken6.isValid(t) for t in doomed)
    qtbot.waitUntil(lambda: loader.pending() == 0, timeout=5000)
    assert keep.loaded and not keep.pixmap().isNull()
    # a loader deleted (with its view) while decodes are queued: the running one ends, nothing arrives
    short = ThumbnailLoader(threads=1)
    waiting = [Thumbnail(str(photos[name]), 300, loader=short) for name in ("astronaut", "rocket", "chelsea")]
    for t in waiting:
        qtbot.addWidget(t)
    shiboken6.delete(short)
    qtbot.wait(100)
    assert not any(t.loaded for t in waiting)


def test_the_conversation_decodes_attachments_on_its_shared_loader(qtbot, photos):
    view = ConversationView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    paths = [str(photos["astronaut"]), str(photos["rocket"])]
    user = view.append(MessageItem(role="user", text="what are these?", id=1, attachments=paths))
    shown = [user.pictures.itemAt(i).widget() for i in range(2)]
    assert all(isinstance(t, Thumbnail) and t.loader is view.thumbnails for t in shown)
    qtbot.waitUntil(lambda: all(t.loaded for t in shown), timeout=5000)
    assert {k[0] for k, _ in view.thumbnails.decodes} == {os.path.abspath(p) for p in paths}
    assert all(thread != threading.get_ident() for _, thread in view.thumbnails.decodes)
    # switching conversations deletes the bubbles; reopening serves the pictures from the cache
    view.set_messages([])
    view.set_messages([MessageItem(role="user", text="again", id=1, attachments=paths)])
    again = view.bubble_for(view.items[0])
    assert all(again.pictures.itemAt(i).widget().loaded for i in range(2)) and len(view.thumbnails.decodes) == 2
