"""Thumbnails decoded off the GUI thread, at the size they are shown.

``ThumbnailLoader.request(path, box, target, callback)`` gives a cached pixmap at once when it has
one. Otherwise it queues a decode on the loader's own thread pool and returns None; the callback
then runs on the GUI thread with the pixmap (a null one when the file cannot be read). The worker
reads with QImageReader and ``setScaledSize``, so a photo is never decoded at full size for a
160-pixel thumbnail (JPEG even scales while decoding). ``target`` is the widget the picture is for:
if it was deleted before its picture arrives, its callback is skipped.

The cache keeps the scaled pixmaps, keyed by (path, modification time, file size, box), up to
``max_bytes``, least recently used first out. A file changed on disk gets a new key, so it is
decoded again. Deleting a loader waits for the decode in progress and drops the queued ones.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage, QImageReader, QPixmap

__all__ = ["ThumbnailLoader", "decode_scaled", "thumbnail_key"]

Key = tuple[str, int, int, int]


def thumbnail_key(path: str, box: int) -> Key | None:
    """The cache key of ``path`` shown in a ``box`` square; None when the file cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), st.st_mtime_ns, st.st_size, int(box))


def decode_scaled(path: str, box: int) -> QImage:
    """The picture at ``path`` scaled to fit a ``box`` square, keeping its aspect ratio, decoded at
    that size where the format allows; a null image when it cannot be read. Safe on any thread."""
    reader = QImageReader(path)
    size = reader.size()
    if size.isValid() and not size.isEmpty():
        reader.setScaledSize(size.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio))
        return reader.read()
    image = reader.read()  # a format that does not tell its size up front
    if image.isNull():
        return image
    return image.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


class _Signals(QObject):
    decoded = Signal(object, object, object)  # key, QImage, decoding thread id


class _Decode(QRunnable):
    def __init__(self, signals: _Signals, key: Key, path: str):
        super().__init__()
        self.setAutoDelete(True)
        self.signals, self.key, self.path = signals, key, path

    def run(self) -> None:
        image = decode_scaled(self.path, self.key[3])
        self.signals.decoded.emit(self.key, image, threading.get_ident())


class ThumbnailLoader(QObject):
    """Scaled pictures for thumbnails, decoded on worker threads and cached; see the module doc.

    ``decodes`` records (key, thread id) for every decode that finished (tests and the log).
    """

    def __init__(self, parent: QObject | None = None, *, max_bytes: int = 64 << 20, threads: int = 2):
        super().__init__(parent)
        self._pool = QThreadPool(self)  # the first child: deleted (and waited for) before the signals
        self._pool.setMaxThreadCount(threads)
        self.destroyed.connect(self._pool.clear)
        self._signals = _Signals(self)
        self._signals.decoded.connect(self._on_decoded)
        self.max_bytes = max_bytes
        self._cache: OrderedDict[Key, QPixmap] = OrderedDict()
        self._bytes = 0
        self._waiting: dict[Key, list[tuple[QObject, Callable[[QPixmap], None]]]] = {}
        self.decodes: list[tuple[Key, int]] = []

    def request(self, path: str, box: int, target: QObject,
                callback: Callable[[QPixmap], None]) -> QPixmap | None:
        """The pixmap now (cached, or null for a missing file), or None and ``callback`` later."""
        key = thumbnail_key(path, box)
        if key is None:
            return QPixmap()
        pixmap = self._cache.get(key)
        if pixmap is not None:
            self._cache.move_to_end(key)
            return pixmap
        waiting = self._waiting.get(key)
        if waiting is None:
            self._waiting[key] = [(target, callback)]
            self._pool.start(_Decode(self._signals, key, str(path)))
        else:
            waiting.append((target, callback))
        return None

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def pending(self) -> int:
        """How many pictures are queued or being decoded."""
        return len(self._waiting)

    @Slot(object, object, object)
    def _on_decoded(self, key: Key, image: QImage, thread: int) -> None:
        self.decodes.append((key, thread))
        pixmap = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        if not pixmap.isNull():
            self._store(key, pixmap)
        for target, callback in self._waiting.pop(key, []):
            if shiboken6.isValid(target):  # the widget may have been deleted meanwhile
                callback(pixmap)

    def _store(self, key: Key, pixmap: QPixmap) -> None:
        size = _nbytes(pixmap)
        if size > self.max_bytes:
            return
        self._cache[key] = pixmap
        self._bytes += size
        while self._bytes > self.max_bytes:
            _old, dropped = self._cache.popitem(last=False)
            self._bytes -= _nbytes(dropped)


def _nbytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * max(1, pixmap.depth() // 8)
