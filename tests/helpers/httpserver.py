"""A small real HTTP server on 127.0.0.1 for download tests: Range requests, the hub's
X-Linked-Etag header, and switches to cut a response short or stall it."""
from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer:
    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.cut_after: dict[str, int] = {}  # path -> bytes sent before the connection drops (once)
        self.stall: set[str] = set()
        self.wrong_etag: set[str] = set()
        self.requests: list[tuple[str, str]] = []  # (path, range header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # quiet
                pass

            def do_GET(self):
                path = self.path
                server.requests.append((path, self.headers.get("Range", "")))
                key = next((k for k in server.files if path.endswith("/" + k)), None)
                if key is None:
                    self.send_error(404)
                    return
                data = server.files[key]
                start = 0
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes="):
                    start = int(rng[6:].split("-")[0])
                    if start >= len(data):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                sha = hashlib.sha256(data if key not in server.wrong_etag else b"x").hexdigest()
                self.send_header("X-Linked-Etag", f'"{sha}"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if key in server.stall:
                    time.sleep(5)
                    return
                cut = server.cut_after.pop(key, None)
                if cut is not None:
                    self.wfile.write(body[:cut])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
