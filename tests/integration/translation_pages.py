"""Acting on the planner's translation pages as a browser would, for
test_translations and test_consultation_languages: the Languages form of a
consultation's page, the editor's form, and what the pages and the database hold."""

from __future__ import annotations

import re

from tests.fixtures import csrf_token, page_text

QUESTION_IS = "Finnst þér þú vera örugg/ur í hverfinu þínu?"


def page_of(consultation_id: int) -> str:
    return f"/staff/consultations/{consultation_id}"


def editor_of(consultation_id: int, locale: str) -> str:
    return f"{page_of(consultation_id)}/translations/{locale}"


def choose_languages(client, consultation_id: int, others, reporting="", main="en", page=""):
    """POST the Languages form of the consultation's page (with a CSRF token of
    `page`, or of the consultation's page)."""
    data = {"others": others, "reporting_locale": reporting}
    if main is not None:
        data["main_locale"] = main
    url = page_of(consultation_id)
    token = csrf_token(page or client.get(url).text)
    return client.post(
        f"{url}/languages", data={"_csrf_token": token, **data}, follow_redirects=False
    )


def translated_survey(client, make_survey, slug: str, others=("is", "ar")):
    """A survey of a consultation of its own (make_survey), translated into `others`
    through the consultation page's Languages form."""
    survey = make_survey(slug)
    sent = choose_languages(client, survey.consultation_id, list(others))
    assert sent.status_code == 303, page_text(sent.text)[:500]
    return survey


def save(client, consultation_id: int, locale: str, texts: dict[str, str], page: str = ""):
    """POST the editor's form with `texts` (field -> text), as its Save button does."""
    url = editor_of(consultation_id, locale)
    return client.post(
        url,
        data={"_csrf_token": csrf_token(page or client.get(url).text), **texts},
        follow_redirects=False,
    )


def stored(run, consultation_id: int, locale: str) -> dict[str, str]:
    from surveys.translations import texts_of

    return run(texts_of, consultation_id, locale)


def coverage_row(client, consultation_id: int, locale: str) -> str:
    """The line of the consultation page's "Texts in each language" table for
    `locale` (named in itself), as a person reads it."""
    page = client.get(page_of(consultation_id)).text
    table = page[page.index('id="coverage"') :]
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        if f'<th scope="row"><span lang="{locale}">' in row:
            return page_text(row)
    raise AssertionError(f"no line for {locale}")


def question_field(survey, name: str, attr: str = "text") -> str:
    return f"question.{survey.question_ids[name]}.{attr}"


def option_field(survey, name: str, index: int = 0) -> str:
    return f"option.{survey.option_ids[name][index]}.label"
