"""A programmable HTTP server on loopback for the fetching and crawling tests.

Routes map a path (with its query) to a ``Route``: a static body with ETag and
Last-Modified (answering conditional requests with 304), or a handler that
writes the response itself (slow drip, endless bodies, redirects, errors).
Every request is logged with the bytes of body sent, and the server tracks how
many requests were in flight at once, per ``Host``.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import brotli

Handler = Callable[["RequestHandler"], None]


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    validators: bool = True  # send ETag/Last-Modified and honour conditional requests
    handler: Handler | None = None
    last_modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    path: str
    status: int
    body_bytes: int
    headers: dict[str, str]


class RequestHandler(BaseHTTPRequestHandler):
    server: LoopbackServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive
    wbufsize = 1 << 16  # headers and body in one write; flushed after each request

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        server = self.server
        with server.lock:
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            route = server.routes.get(self.path)
            if route is None:
                route = server.routes.get(self.path.split("?")[0])
            if route is None:
                self.reply(404, b"not found", "text/plain")
            elif route.handler is not None:
                route.handler(self)
            else:
                self.static(route)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with server.lock:
                server.in_flight -= 1

    def static(self, route: Route) -> None:
        headers = dict(route.headers)
        if route.validators and route.status == 200:
            headers["ETag"] = route.etag
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
            if self.headers.get("If-None-Match") == route.etag:
                self.reply(304, b"", None, headers)
                return
        self.reply(route.status, route.body, route.content_type, headers)

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        accept = self.headers.get("Accept-Encoding", "")
        encoding = None
        if body and status == 200 and self.server.compress:
            if "br" in accept:
                body, encoding = brotli.compress(body, quality=4), "br"
            elif "gzip" in accept:
                body, encoding = gzip.compress(body), "gzip"
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        self.log(status, len(body))

    def log(self, status: int, body_bytes: int) -> None:
        with self.server.lock:
            self.server.hits.append(Hit(self.path, status, body_bytes, dict(self.headers)))


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), RequestHandler)
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.compress = True
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **options: Any) -> Route:
        data = body.encode("utf-8") if isinstance(body, str) else body
        route = Route(body=data, **options)
        self.routes[path] = route
        return route

    def hits_for(self, prefix: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path.startswith(prefix)]

    def start(self) -> LoopbackServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
