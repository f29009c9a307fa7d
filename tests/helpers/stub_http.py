"""A scripted HTTP server on 127.0.0.1 in a thread of the test process, for the faults a real engine
cannot be made to show on demand (tests/pipelines/test_remote_http.py, tests/engines/test_remote_chat.py)."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["ThreadedServer"]


class ThreadedServer:
    """Serves ``handler`` until ``close()``; ``base_url`` is its OpenAI-style root (…/v1)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
