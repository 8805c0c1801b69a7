"""A minimal keep-alive HTTP/1.1 client connection for the load generator.

On this 2-core machine httpx.AsyncClient was the bottleneck: a whole core for
about 130 requests/s against the bare baseline page, where this client used a
tenth of a core for over 600/s. It writes raw requests and lets httptools
(uvicorn's own C parser, installed with uvicorn[standard]) parse the responses.
"""

from __future__ import annotations

import asyncio
import contextlib
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


class _ClosedBeforeAnswer(ConnectionError):
    """A reused connection ended before any byte of the answer came."""


class HttpConnection:
    """One persistent connection; requests on it are sent one after another."""

    def __init__(self, host: str, port: int, local_host: str | None = None) -> None:
        self.host = host
        self.port = port
        # The address the connection comes from (bench.lanes): one per resident.
        self.local_host = local_host
        self._served = 0  # responses read on this connection since it was opened
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._served = 0
        local = (self.local_host, 0) if self.local_host else None
        self._reader, self._writer = await asyncio.open_connection(
            self.host, self.port, local_addr=local
        )

    def closed_by_server(self) -> bool:
        return self._reader is not None and self._reader.at_eof()

    async def close(self) -> None:
        if self._writer is not None:
            writer, self._writer, self._reader = self._writer, None, None
            writer.close()
            with contextlib.suppress(ConnectionError):  # the server had closed it first
                await writer.wait_closed()

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> HttpResponse:
        """Send one request and read its response. A keep-alive connection the
        server closed (its idle timeout) before answering a byte is opened again
        and the request sent once more, as browsers do: nothing reached the app."""
        try:
            return await self._exchange(method, path, headers or {}, body)
        except _ClosedBeforeAnswer:
            self._served = 0
            await self.close()
            await self.open()
            return await self._exchange(method, path, headers or {}, body)

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> HttpResponse:
        if self._reader is None or self._writer is None:
            raise RuntimeError("open() the connection first")
        reused = self._served > 0
        self._writer.write(self._encode(method, path, headers, body))
        response = HttpResponse()
        parser = httptools.HttpResponseParser(response)
        received = False
        while not response.complete:
            try:
                chunk = await self._reader.read(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                if reused and not received:
                    raise _ClosedBeforeAnswer()
                raise ConnectionError("the server closed the connection mid-response")
            received = True
            parser.feed_data(chunk)
        response.status = parser.get_status_code()
        self._served += 1
        return response

    def _encode(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class CookieJar:
    """What a browser keeps of each Set-Cookie: the value, or nothing once it expires."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def keep(self, response: HttpResponse) -> None:
        for raw in response.header_values(b"set-cookie"):
            pair, _, attributes = raw.decode("latin-1").partition(";")
            name, _, value = pair.strip().partition("=")
            if value == "null" or "expires=thu, 01 jan 1970" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def headers(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


def location(response: HttpResponse) -> str:
    """Where a redirect sends the browser ("" when it does not)."""
    values = response.header_values(b"location")
    return values[0].decode("latin-1") if values else ""
