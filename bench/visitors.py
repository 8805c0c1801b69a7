"""The page benchmark's visitors: each walks to the page measured, then asks for it
again and again on its keep-alive connection (bench.loadgen drives them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bench.form import encode, filled_in, read_form
from bench.http_client import CookieJar, HttpConnection, HttpResponse, location

if TYPE_CHECKING:
    from bench.loadgen import Target


class PageVisitor:
    """One person with one connection: sends a request, waits for the answer, repeats."""

    def __init__(self, host: str, target: Target) -> None:
        self.target = target
        self.connection = HttpConnection(host, target.port)
        self.jar = CookieJar()
        self._path = target.path

    async def arrive(self) -> None:
        """Like a browser: from the start page, fill in and send forms (following
        each redirect) until the page to measure; cookies kept along the way."""
        await self.connection.open()
        path = self.target.path
        page = await self._get(path)
        for _ in range(self.target.walk):
            form = read_form(page.body.decode("utf-8"))
            headers = {**self.jar.headers(), "Content-Type": "application/x-www-form-urlencoded"}
            posted = await self.connection.request(
                "POST", form.action, headers, encode(filled_in(form))
            )
            self.jar.keep(posted)
            if posted.status != 303 or not location(posted):
                raise RuntimeError(
                    f"POST {form.action} answered {posted.status}: {posted.body[:500]!r}"
                )
            path = location(posted)
            page = await self._get(path)
        self._path = path

    async def _get(self, path: str) -> HttpResponse:
        page = await self.connection.request("GET", path, self.jar.headers())
        self.jar.keep(page)
        if page.status != 200:
            raise RuntimeError(f"GET {path} answered {page.status}")
        return page

    async def visit(self) -> HttpResponse | None:
        return await self.connection.request("GET", self._path, self.jar.headers())

    async def reconnect_if_closed(self) -> None:
        """A server closes a keep-alive connection that idled (uvicorn: after 5 s);
        a browser then opens a new one, and so does a visitor."""
        if self.connection.closed_by_server():
            await self.connection.close()
            await self.connection.open()

    async def close(self) -> None:
        await self.connection.close()


class Crowd(Protocol):
    """What the load client asks of a visitor, a page's or a survey's (bench.submitters)."""

    async def visit(self) -> HttpResponse | None: ...
    async def reconnect_if_closed(self) -> None: ...
    async def close(self) -> None: ...
