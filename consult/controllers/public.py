"""The resident's front door: the open consultations, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from consult.services import consultations
from consult.tables import Consultation
from consult.web import locale_of
from surveys.controllers._reading import Marks, reading_in


@dataclass(frozen=True)
class _Card:
    """One open consultation as the list shows it."""

    consultation: Consultation
    title: str
    # Marks its title when it is shown in the consultation's main language.
    marks: Marks


class PublicController(Controller):
    @get("/", name="home")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        locale = locale_of(request)
        cards = []
        for consultation in await consultations.list_open():
            reading = await reading_in(consultation, locale)
            cards.append(_Card(consultation, reading.consultation["title"], reading.marks()))
        # One note for the page, naming the main language of the first title not
        # yet translated (consultations of one city mostly share theirs).
        fallen = next((card.marks for card in cards if card.marks.fallbacks), None)
        return Template("public/home.html", context={"consultations": cards, "fallen": fallen})
