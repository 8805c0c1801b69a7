"""What every text page shares: the survey named in the address, the htmx
question (a partial or the whole page), and where a plain form goes back to."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Redirect

from consult.services import consultations
from consult.tables import Consultation
from consult.text_input import whole_number
from surveys import services as surveys
from surveys.flow import SurveySpec

# Free-text fields of the text pages, and how long each may be.
LABEL_MAX = 120
NOTE_MAX = 2000


async def survey_and_consultation(survey_id: int) -> tuple[SurveySpec, Consultation]:
    spec = await surveys.load_spec(survey_id)
    consultation = await consultations.by_id(spec.consultation_id) if spec else None
    if spec is None or consultation is None:
        raise NotFoundException()
    return spec, consultation


def wants_partial(request: Request[Any, Any, Any]) -> bool:
    """An htmx request for one block (hx-post), not a boosted whole page."""
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
    )


def text_url(survey_id: int, page: str = "") -> str:
    return f"/staff/surveys/{survey_id}/text" + (f"/{page}" if page else "")


def back(url: str, **query: object) -> Redirect:
    """303 to `url`, with what was done in the query (the page says it)."""
    pairs = "&".join(f"{key}={value}" for key, value in query.items() if value is not None)
    return Redirect(f"{url}?{pairs}" if pairs else url, status_code=303)


def int_or_none(value: object) -> int | None:
    return whole_number(value)  # plain digits, 0 to the largest id (consult.text_input)
