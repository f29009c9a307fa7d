"""What every serving-engine client shares: the address check, one HTTP client per role, retries
with backoff for requests the server has not begun answering, cancel that closes the connection,
server-sent events, and one-line errors that quote the server and name the setting to fix.

Serving engines disagree in small ways; the known differences are tolerated here, once:
error envelopes (OpenAI's ``{"error": {"message"}}``, a bare ``{"error": "..."}``, FastAPI's
``{"detail": ...}`` with its list of field errors, ``{"message"}``, plain text), and SSE streams
with or without the blank line after ``[DONE]``. TLS certificates are always verified; proxy
environment variables are ignored (the settings are the only input).
"""
from __future__ import annotations

import json
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..cancel import Cancelled, CancelToken
from ..catalog import ROLE_TITLES
from ..errors import BadInput, ModelUnavailable, Text

__all__ = ["ServerConfig", "RemoteClient", "safe_url", "sse_events", "error_detail", "RETRY_STATUSES"]

log = logging.getLogger(__name__)

#: Statuses that say "not now" rather than "no": tried again (with Retry-After when given).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
CONNECT_TIMEOUT_S = 10.0
MAX_BACKOFF_S = 8.0


@dataclass(frozen=True)
class ServerConfig:
    """One role's serving engine. ``base_url`` is the OpenAI-compatible root (…/v1)."""

    role: str
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 60.0
    retries: int = 2

    @property
    def where(self) -> str:
        return safe_url(self.base_url.strip().rstrip("/"))


def safe_url(url: str) -> str:
    """The URL without any user:password@ part, for messages and names."""
    return re.sub(r"^(https?://)[^/@]*@", r"\1", url)


def error_detail(text: str) -> str:
    """The server's own words from an error body, whatever envelope it uses."""
    try:
        obj = json.loads(text)
    except ValueError:
        return " ".join(text.split())
    for key in ("error", "detail", "message"):
        value = obj.get(key) if isinstance(obj, dict) else None
        if not value:
            continue
        if isinstance(value, dict):
            value = value.get("message") or value.get("msg") or value.get("detail") or json.dumps(value)
        if isinstance(value, list):  # FastAPI's validation errors: [{"loc": [...], "msg": ...}]
            parts = []
            for item in value:
                if isinstance(item, dict):
                    loc = ".".join(str(x) for x in item.get("loc", ()) if x != "body")
                    parts.append(f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg", item)))
                else:
                    parts.append(str(item))
            value = "; ".join(parts)
        return " ".join(str(value).split())
    return " ".join(text.split())


def sse_events(lines: Iterable[str]) -> Iterator[str]:
    """The ``data`` payloads of a server-sent-events stream (multi-line data joined with newlines)."""
    data: list[str] = []
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue  # comment / keep-alive
        fieldname, _, value = line.partition(":")
        if fieldname == "data":
            data.append(value[1:] if value.startswith(" ") else value)
            if data[-1].strip() == "[DONE]":  # some servers omit the blank line after [DONE]
                yield "[DONE]"
                data = []
    if data:
        yield "\n".join(data)


class RemoteClient:
    """The HTTP side of one role's serving engine; the role clients (chat, speech, images...) are
    built on it. ``transport`` is httpx's, for tests that inject faults below the HTTP layer."""

    #: the path of the role's main endpoint, for the 404 message (a subclass sets it)
    endpoint = ""

    def __init__(self, config: ServerConfig, *, transport: Any = None,
                 sleep: Callable[[float], None] | None = None):
        import httpx

        base_url = (config.base_url or "").strip().rstrip("/")
        self.role = config.role
        self.title = ROLE_TITLES.get(config.role, config.role)
        if not re.match(r"^https?://[^/]+", base_url):
            raise BadInput("the {title} server address {base_url} is not an http(s) URL: set "
                           "servers.{role}.base_url like http://localhost:8000/v1",
                           code="server.bad_address", title=self.title, base_url=repr(base_url),
                           role=self.role)
        if not config.model.strip():
            raise ModelUnavailable("no model is named for the {title} server at {where}: set "
                                   "servers.{role}.model to one it offers (Test connection lists them)",
                                   code="server.no_model_named", title=self.title, where=config.where,
                                   role=self.role)
        self.config = config
        self.base_url = base_url
        self.model = config.model.strip()
        self.where = safe_url(base_url)
        self.name = f"{self.model} @ {self.where}"
        self.device_name = "server"  # what the status bar shows where a local model shows cpu/cuda
        self.runtime = ""
        self._api_key = config.api_key or None
        self._sleep = sleep or time.sleep
        self._transport = transport
        self._timeout = httpx.Timeout(connect=min(CONNECT_TIMEOUT_S, config.timeout_s), read=config.timeout_s,
                                      write=config.timeout_s, pool=config.timeout_s)
        self._client = self._new_client()

    def _new_client(self) -> Any:
        import httpx

        headers = {"User-Agent": "sensorium"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return httpx.Client(headers=headers, verify=True, trust_env=False, follow_redirects=False,
                            transport=self._transport, timeout=self._timeout)

    def __repr__(self) -> str:  # never shows the key
        return f"{type(self).__name__}({self.model!r}, {self.where!r})"

    def footprint(self) -> Any:
        """Nothing on this computer: the weights live on the server."""
        from ..footprint import Footprint

        return Footprint()

    def close(self) -> None:
        self._client.close()

    # ---- messages ------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        text = " ".join(str(text).split())
        if self._api_key:
            text = text.replace(self._api_key, "***")
            if len(self._api_key) > 8:  # servers often echo a shortened key ("sk-abc...xyz")
                text = text.replace(self._api_key[:8], "***").replace(self._api_key[-4:], "***")
        return text

    def fail(self, text: Text) -> ModelUnavailable:
        """The error for one of this client's lines (``Text.of`` at the caller), the key taken out of
        its params."""
        clean = Text(text.code, text.template, {k: self.redact(v) for k, v in text.params.items()})
        return ModelUnavailable.from_text(clean, role=self.role, model=self.model)

    def http_error(self, status: int, body: str) -> ModelUnavailable:
        """One line for an HTTP error status, quoting the server and naming the setting to fix
        (the status is kept as ``.status`` on the error, the server's own words as ``.detail``)."""
        err = self._http_error(status, body)
        err.status = status  # type: ignore[attr-defined]
        err.detail = self.redact(error_detail(body))[:200]  # type: ignore[attr-defined]  # the server's words
        return err

    def _http_error(self, status: int, body: str) -> ModelUnavailable:
        detail = self.redact(error_detail(body))[:200]
        title, where, role = self.title, self.where, self.role

        def said(plain: Text, with_detail: Text) -> ModelUnavailable:  # the server's words, when it gave some
            return self.fail(with_detail if detail else plain)

        if status in (401, 403) and not self._api_key:
            return said(Text.of("server.wants_key", "the {title} server at {where} wants an API key (HTTP {status}): "
                                "set the key for this server in Settings > Servers (SENSORIUM_API_KEY for one "
                                "command), or ask its owner for one", title=title, where=where, status=status),
                        Text.of("server.wants_key_said", "the {title} server at {where} wants an API key (HTTP "
                                "{status}; it said: {detail}): set the key for this server in Settings > Servers "
                                "(SENSORIUM_API_KEY for one command), or ask its owner for one", title=title,
                                where=where, status=status, detail=detail))
        if status in (401, 403):
            return said(Text.of("server.key_refused", "the {title} server at {where} refused the API key (HTTP "
                                "{status}): set the key for this server in Settings > Servers (SENSORIUM_API_KEY "
                                "for one command), or ask its owner for one", title=title, where=where,
                                status=status),
                        Text.of("server.key_refused_said", "the {title} server at {where} refused the API key (HTTP "
                                "{status}; it said: {detail}): set the key for this server in Settings > Servers "
                                "(SENSORIUM_API_KEY for one command), or ask its owner for one", title=title,
                                where=where, status=status, detail=detail))
        if status == 404 and "model" in detail.lower():
            return self.fail(Text.of("server.no_such_model", "the {title} server at {where} has no model {model} "
                                     "(HTTP 404; it said: {detail}): set servers.{role}.model to one it offers (Test "
                                     "connection lists them)", title=title, where=where, model=repr(self.model),
                                     detail=detail, role=role))
        if status == 404 and self.endpoint:
            return said(Text.of("server.no_endpoint", "the {title} server at {where} has no {endpoint} endpoint "
                                "(HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it "
                                "usually ends in /v1) and that it serves {title}", title=title, where=where,
                                endpoint=self.endpoint, role=role),
                        Text.of("server.no_endpoint_said", "the {title} server at {where} has no {endpoint} endpoint "
                                "(HTTP 404; it said: {detail}): check that servers.{role}.base_url is its "
                                "OpenAI-compatible address (it usually ends in /v1) and that it serves {title}",
                                title=title, where=where, endpoint=self.endpoint, detail=detail, role=role))
        if status == 404:
            return said(Text.of("server.no_such_endpoint", "the {title} server at {where} has no such endpoint "
                                "(HTTP 404): check that servers.{role}.base_url is its OpenAI-compatible address (it "
                                "usually ends in /v1) and that it serves {title}", title=title, where=where,
                                role=role),
                        Text.of("server.no_such_endpoint_said", "the {title} server at {where} has no such endpoint "
                                "(HTTP 404; it said: {detail}): check that servers.{role}.base_url is its "
                                "OpenAI-compatible address (it usually ends in /v1) and that it serves {title}",
                                title=title, where=where, detail=detail, role=role))
        if status == 413:
            return said(Text.of("server.too_large", "the {title} server at {where} refused the request as too large "
                                "(HTTP 413): send something smaller, or raise the server's upload limit", title=title,
                                where=where),
                        Text.of("server.too_large_said", "the {title} server at {where} refused the request as too "
                                "large (HTTP 413; it said: {detail}): send something smaller, or raise the server's "
                                "upload limit", title=title, where=where, detail=detail))
        if status == 429:
            return said(Text.of("server.rate_limited", "the {title} server at {where} is rate limiting requests (HTTP "
                                "429): wait a moment and try again, or raise servers.{role}.retries", title=title,
                                where=where, role=role),
                        Text.of("server.rate_limited_said", "the {title} server at {where} is rate limiting requests "
                                "(HTTP 429; it said: {detail}): wait a moment and try again, or raise "
                                "servers.{role}.retries", title=title, where=where, detail=detail, role=role))
        if status in (400, 405, 415, 422):
            return said(Text.of("server.not_accepted", "the {title} server at {where} did not accept the request (HTTP "
                                "{status}): it may speak another dialect of the OpenAI API; check that "
                                "servers.{role}.base_url points to an OpenAI-compatible server and that "
                                "servers.{role}.model is right", title=title, where=where, status=status, role=role),
                        Text.of("server.not_accepted_said", "the {title} server at {where} did not accept the request "
                                "(HTTP {status}; it said: {detail}): it may speak another dialect of the OpenAI API; "
                                "check that servers.{role}.base_url points to an OpenAI-compatible server and that "
                                "servers.{role}.model is right", title=title, where=where, status=status,
                                detail=detail, role=role))
        if status >= 500:
            return said(Text.of("server.failed", "the {title} server at {where} failed (HTTP {status}): check the "
                                "server's log, then try again", title=title, where=where, status=status),
                        Text.of("server.failed_said", "the {title} server at {where} failed (HTTP {status}; it said: "
                                "{detail}): check the server's log, then try again", title=title, where=where,
                                status=status, detail=detail))
        return said(Text.of("server.http_status", "the {title} server at {where} answered HTTP {status}: check the "
                            "server's log", title=title, where=where, status=status),
                    Text.of("server.http_status_said", "the {title} server at {where} answered HTTP {status}; it said: "
                            "{detail}: check the server's log", title=title, where=where, status=status,
                            detail=detail))

    def transport_error(self, e: BaseException, *, started: bool = False) -> ModelUnavailable:
        """One line for a connection that failed, timed out or broke."""
        import httpx

        title, where, role = self.title, self.where, self.role
        if isinstance(e, httpx.ConnectError):
            text = str(e).lower()
            if "refused" in text:
                return self.fail(Text.of("server.connection_refused", "cannot reach the {title} server at {where} "
                                         "(connection refused): start the server, or fix servers.{role}.base_url",
                                         title=title, where=where, role=role))
            if "name or service" in text or "nodename" in text:
                return self.fail(Text.of("server.name_unresolved", "cannot reach the {title} server at {where} (the "
                                         "name does not resolve): start the server, or fix servers.{role}.base_url",
                                         title=title, where=where, role=role))
            return self.fail(Text.of("server.unreachable", "cannot reach the {title} server at {where} ({reason}): "
                                     "start the server, or fix servers.{role}.base_url", title=title, where=where,
                                     reason=self.redact(str(e))[:120] or type(e).__name__, role=role))
        if isinstance(e, httpx.TimeoutException):
            return self.fail(Text.of("server.timed_out", "the {title} server at {where} did not answer within "
                                     "{seconds} s: raise servers.{role}.timeout_s, or check that the server is running "
                                     "and not overloaded", title=title, where=where,
                                     seconds=f"{self.config.timeout_s:g}", role=role))
        if started:
            return self.fail(Text.of("server.broke_mid_answer", "the connection to the {title} server at {where} "
                                     "broke in the middle of its answer ({kind}): what came so far is kept; try "
                                     "again, or check the server's log", title=title, where=where,
                                     kind=type(e).__name__))
        return self.fail(Text.of("server.connection_failed", "the connection to the {title} server at {where} failed "
                                 "({kind}): try again, or check the server's log", title=title, where=where,
                                 kind=type(e).__name__))

    def not_json(self, text: str) -> ModelUnavailable:
        start = " ".join(text.split())[:40]
        return self.fail(Text.of("server.not_json", "the {title} server at {where} answered with something that is "
                                 "not JSON ({start}): check that servers.{role}.base_url is an OpenAI-compatible "
                                 "address (it usually ends in /v1)", title=self.title, where=self.where,
                                 start=repr(start), role=self.role))

    # ---- requests ------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """``path`` under ``base_url``; an absolute URL (one ``same_server`` allowed) as it is."""
        if re.match(r"^https?://", path):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def same_server(self, link: str) -> str | None:
        """``link`` (absolute, or relative to ``base_url``) as an absolute URL when it points to this
        server (same scheme, host and port), else None: the API key is never sent anywhere else."""
        from urllib.parse import urljoin, urlsplit

        absolute = urljoin(self.base_url + "/", link.strip())
        a, b = urlsplit(absolute), urlsplit(self.base_url)
        if a.scheme not in ("http", "https"):
            return None

        def origin(u: Any) -> tuple[str, str, int | None]:
            try:
                port = u.port or {"http": 80, "https": 443}.get(u.scheme)
            except ValueError:
                port = -1
            return u.scheme, (u.hostname or "").lower(), port

        return absolute if origin(a) == origin(b) else None

    def _backoff(self, attempt: int, resp: Any, cancel: CancelToken | None) -> None:
        delay = min(MAX_BACKOFF_S, 0.5 * 2 ** attempt) * (0.75 + 0.5 * random.random())
        retry_after = resp.headers.get("retry-after") if resp is not None else None
        if retry_after:
            try:
                delay = min(MAX_BACKOFF_S, max(0.0, float(retry_after)))
            except ValueError:
                pass
        log.info("%s server at %s: trying again in %.1f s", self.title, self.where, delay)
        if cancel is not None:
            if cancel.wait(delay):
                raise Cancelled()
        else:
            self._sleep(delay)

    @contextmanager
    def open_stream(self, method: str, path: str, *, idempotent: bool, cancel: CancelToken | None = None,
               client: Any = None, **kwargs: Any) -> Iterator[Any]:
        """``with client.open_stream("POST", "chat/completions", json=...) as resp:`` a response whose
        status is 200 and whose body has not been read. Retries (``config.retries`` times, with
        backoff) a request the server refused before answering; a request that may have been
        acted on (``idempotent`` False, after the connection was made) is not sent twice. Leaving
        the block closes the connection, which is how a server learns to stop."""
        import httpx

        client = client or self._client
        started = False
        attempts = 1 + max(0, int(self.config.retries))
        for attempt in range(attempts):
            if cancel is not None:
                cancel.raise_if_cancelled()
            last = attempt == attempts - 1
            try:
                with client.stream(method, self.url(path), **kwargs) as resp:
                    if resp.status_code == 200:
                        started = True
                        yield resp
                        return
                    resp.read()
                    # 429 and 503 say the server did nothing; a 502/504 from a proxy may hide one that did
                    if resp.status_code in RETRY_STATUSES and not last and (idempotent or resp.status_code in (429, 503)):
                        self._backoff(attempt, resp, cancel)
                        continue
                    raise self.http_error(resp.status_code, resp.text)
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:  # nothing reached the server
                if started:
                    raise self.transport_error(e, started=True) from None
                if cancel is not None and cancel.cancelled:
                    raise Cancelled() from None
                if last:
                    raise self.transport_error(e) from None
                self._backoff(attempt, None, cancel)
            except httpx.HTTPError as e:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled() from None
                raise self.transport_error(e, started=started) from None

    def call(self, method: str, path: str, *, idempotent: bool = True, cancel: CancelToken | None = None,
             **kwargs: Any) -> Any:
        """A whole response (status 200, body read). With ``cancel``, the wait runs on a helper
        thread over a connection of its own, and a cancel returns at once, even before the server
        answers (a transcription or a picture can take a while), shutting that connection down so
        the server sees it go (closing a socket another thread is reading does not send the FIN on
        Linux; ``shutdown`` does)."""
        def read(client: Any, **extra: Any) -> Any:
            with self.open_stream(method, path, idempotent=idempotent, cancel=cancel, client=client, **kwargs,
                                  **extra) as resp:
                resp.read()
                return resp

        if cancel is None:
            return read(self._client)
        client = self._new_client()  # its own connection, so closing it stops only this request
        box: dict[str, Any] = {}
        sockets: list[Any] = []
        lock = threading.Lock()

        def hang_up() -> None:
            with lock:
                for sock in sockets:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        def trace(event: str, info: dict) -> None:  # httpcore's "trace" extension: the sockets it opens
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                stream = info.get("return_value")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if sock is not None:
                    with lock:
                        sockets.append(sock)
                    if cancel.cancelled:  # cancelled while it connected
                        hang_up()

        extensions = {**(kwargs.pop("extensions", None) or {}), "trace": trace}

        def run() -> None:
            try:
                box["value"] = read(client, extensions=extensions)
            except BaseException as e:  # handed to the waiting thread
                box["error"] = e

        thread = threading.Thread(target=run, name=f"{self.role}-request", daemon=True)
        thread.start()
        try:
            while thread.is_alive():
                if cancel.wait(0.05):
                    # the caller goes on at once; the helper thread ends as its socket is shut down
                    hang_up()
                    client.close()
                    raise Cancelled()
        finally:
            if not cancel.cancelled:
                client.close()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def json(self, resp: Any) -> Any:
        try:
            return resp.json()
        except ValueError:
            raise self.not_json(resp.text) from None

    def list_models(self, cancel: CancelToken | None = None) -> list[str]:
        """The model ids ``GET /models`` offers: OpenAI's ``{"data": [{"id"}]}``, Ollama's ``{"models":
        [{"name"}]}``, or SGLang diffusion's one ``{"model_path"}``."""
        resp = self.call("GET", "models", idempotent=True, cancel=cancel)
        obj = self.json(resp)
        if isinstance(obj, dict) and isinstance(obj.get("model_path"), str):
            return [obj["model_path"]]
        items = (obj.get("data") or obj.get("models") or []) if isinstance(obj, dict) else obj
        if not isinstance(items, list):
            raise self.fail(Text.of("server.models_shape", "the {title} server at {where} listed its models in a "
                                    "shape this version does not know: check that servers.{role}.base_url is "
                                    "OpenAI-compatible", title=self.title, where=self.where, role=self.role))
        ids = []
        for item in items:
            name = item.get("id") or item.get("name") or item.get("model") if isinstance(item, dict) else item
            if isinstance(name, str) and name:
                ids.append(name)
        return ids
