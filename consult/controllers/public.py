"""The resident's entry pages: open consultations and one consultation's landing."""

from __future__ import annotations

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from consult.services import consultations
from consult.settings import get_settings
from surveys import services as surveys


class PublicController(Controller):
    @get("/", name="home")
    async def home(self) -> Template:
        listed = await consultations.list_open()
        return Template("public/home.html", context={"consultations": listed})

    @get("/c/{slug:str}", name="consultation")
    async def consultation(self, slug: str) -> Template:
        found = await consultations.public_by_slug(slug, get_settings().definition_cache_seconds)
        if found is None or found.status == "draft":
            raise NotFoundException()
        return Template(
            "public/consultation.html",
            context={"consultation": found, "surveys": await surveys.surveys_of(found.id)},
        )
