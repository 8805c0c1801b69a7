"""A minimal keep-alive HTTP/1.1 client connection for the load generator.

On this 2-core machine httpx.AsyncClient was the bottleneck: a whole core for
about 130 requests/s against the bare baseline page, where this client used a
tenth of a core for over 600/s. It writes raw requests and lets httptools
(uvicorn's own C parser, installed with uvicorn[standard]) parse the responses.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httptools


@dataclass
class HttpResponse:
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False

    # httptools callbacks: the parser calls these as it reads the response.
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.lower(), value))

    def on_body(self, chunk: bytes) -> None:
        self.body.extend(chunk)

    def on_message_complete(self) -> None:
        self.complete = True

    def header_values(self, name: bytes) -> list[bytes]:
        return [value for key, value in self.headers if key == name]


class HttpConnection:
    """One persistent connection; requests on it are sent one after another."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    def closed_by_server(self) -> bool:
        return self._reader is not None and self._reader.at_eof()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> HttpResponse:
        if self._reader is None or self._writer is None:
            raise RuntimeError("open() the connection first")
        self._writer.write(self._encode(method, path, headers or {}, body))
        response = HttpResponse()
        parser = httptools.HttpResponseParser(response)
        while not response.complete:
            chunk = await self._reader.read(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection mid-response")
            parser.feed_data(chunk)
        response.status = parser.get_status_code()
        return response

    def _encode(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
