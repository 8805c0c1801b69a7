"""The resident's front door: the open consultations."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from consult.services import consultations


class PublicController(Controller):
    @get("/", name="home")
    async def home(self) -> Template:
        listed = await consultations.list_open()
        return Template("public/home.html", context={"consultations": listed})
