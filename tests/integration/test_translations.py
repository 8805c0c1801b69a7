"""The side-by-side editor, as a planner uses it: translations saved and shown
back, emptied, refused past their limits or under names the page did not offer,
easy-read versions, what is still missing, who may use it, and translations that
follow a survey into its new version.

Each test makes a consultation of its own (make_survey: English, one survey of
five questions, translated into Icelandic and Arabic), acts through the pages and
checks what the planner reads and what is stored (surveys.translations.texts_of).
"""

from __future__ import annotations

import re
from itertools import count

import pytest

from consult.i18n import language_name
from tests.data.xss_payloads import PAYLOADS
from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as
from tests.integration.translation_pages import (
    QUESTION_IS,
    choose_languages,
    coverage_row,
    editor_of,
    option_field,
    page_of,
    question_field,
    save,
    stored,
    translated_survey,
)
from tests.integration.xss_pages import form_to, read_page

PLANNER = "tove.translator"
ELSEWHERE = "olav.elsewhere"  # a planner of Oslo
FACILITATOR = "fatima.facilitator"
ADMIN = "ada.admin"
PREFIX = "translations"
SLUGS = count(1)


@pytest.fixture(scope="module")
def planner(client, make_staff):
    """The module's client, signed in as a planner of the surveys' city."""
    make_staff(PLANNER, "planner")
    make_staff(ELSEWHERE, "planner", city="Oslo")
    make_staff(FACILITATOR, "facilitator")
    make_staff(ADMIN, "admin")
    signed_in_as(client, PLANNER)
    return client


@pytest.fixture
def consultation(planner, make_survey):
    """A consultation of its own, translated into Icelandic and Arabic."""
    return translated_survey(planner, make_survey, f"{PREFIX}-{next(SLUGS)}")


# --- The side-by-side editor --------------------------------------------------------


def test_a_planner_saves_icelandic_texts_and_sees_them_back(planner, run, consultation):
    editor = editor_of(consultation.consultation_id, "is")
    page = planner.get(editor).text
    field = question_field(consultation, "single")
    box = re.search(rf'<textarea[^>]*name="{re.escape(field)}"[^>]*>', page)
    assert box
    assert 'lang="is"' in box[0]
    assert 'dir="ltr"' in box[0]
    assert 'lang="en"' in page  # the English texts beside the boxes
    assert "Do you feel safe?" in page
    sent = save(
        planner,
        consultation.consultation_id,
        "is",
        {field: QUESTION_IS, option_field(consultation, "single"): "Já"},
        page,
    )
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?done=saved")
    back = planner.get(sent.headers["location"]).text
    assert "Saved." in page_text(back)
    assert f">{QUESTION_IS}</textarea>" in back
    assert re.search(r'name="option\.\d+\.label" value="Já"', back)
    assert stored(run, consultation.consultation_id, "is")[field] == QUESTION_IS


def test_an_emptied_box_removes_its_translation(planner, run, consultation):
    field = question_field(consultation, "scale")
    assert save(planner, consultation.consultation_id, "is", {field: "Traust"}).status_code == 303
    assert field in stored(run, consultation.consultation_id, "is")
    assert save(planner, consultation.consultation_id, "is", {field: "  "}).status_code == 303
    assert field not in stored(run, consultation.consultation_id, "is")
    page = planner.get(editor_of(consultation.consultation_id, "is")).text
    label = re.search(
        rf'<label class="label" for="t-{field.replace(".", "-")}">(.*?)</label>', page
    )
    assert label
    assert "Not translated yet" in label[1]


def test_arabic_boxes_are_written_right_to_left(planner, consultation):
    page = planner.get(editor_of(consultation.consultation_id, "ar")).text
    boxes = re.findall(r"<(?:input|textarea)[^>]*name=\"(?:question|option|survey)[^>]*>", page)
    assert boxes
    assert all('lang="ar"' in box and 'dir="rtl"' in box for box in boxes)


def test_missing_counts_go_down_as_texts_are_saved(planner, consultation):
    before = coverage_row(planner, consultation.consultation_id, "is")
    total = int(re.search(r"0 of (\d+)", before)[1])
    assert f"0 of {total} {total} 0" in before  # translated, missing, easy-read
    save(
        planner,
        consultation.consultation_id,
        "is",
        {question_field(consultation, "single"): QUESTION_IS, "consultation.title": "Öryggi"},
    )
    after = coverage_row(planner, consultation.consultation_id, "is")
    assert f"2 of {total} {total - 2} 0" in after
    # Arabic has nothing yet.
    assert f"0 of {total} {total}" in coverage_row(planner, consultation.consultation_id, "ar")
    # The editor's own filter lists only what is still missing.
    missing = planner.get(editor_of(consultation.consultation_id, "is") + "?missing=1").text
    assert f"Only missing texts ({total - 2})" in page_text(missing)
    assert f'name="{question_field(consultation, "single")}"' not in missing
    assert f'name="{question_field(consultation, "scale")}"' in missing
    assert 'name="consultation.title"' not in missing


def test_saving_the_missing_texts_keeps_the_others(planner, run, consultation):
    cid = consultation.consultation_id
    save(planner, cid, "is", {"consultation.title": "Öryggi"})
    url = editor_of(cid, "is") + "?missing=1"
    page = planner.get(url).text
    field = question_field(consultation, "text")
    sent = planner.post(
        editor_of(cid, "is"),
        data={"_csrf_token": csrf_token(page), "missing": "1", field: "Hvað ætti borgin að gera?"},
        follow_redirects=False,
    )
    assert sent.headers["location"].endswith("?done=saved&missing=1")
    texts = stored(run, cid, "is")
    assert texts["consultation.title"] == "Öryggi"
    assert texts[field] == "Hvað ætti borgin að gera?"


def test_easy_read_versions_are_saved_in_the_main_language_and_the_others(
    planner, run, make_survey
):
    from surveys import builder

    survey = make_survey(f"{PREFIX}-{next(SLUGS)}")
    run(
        builder.update_survey,
        survey.survey_id,
        "Safety survey",
        "Why we ask you.",
        "I agree.",
        True,
    )
    choose_languages(planner, survey.consultation_id, ["sv"])
    intro_easy = f"survey.{survey.survey_id}.intro.easy"
    main = planner.get(editor_of(survey.consultation_id, "en")).text
    # In the main language only the easy-read versions have boxes.
    assert f'name="{intro_easy}"' in main
    assert f'name="survey.{survey.survey_id}.intro"' not in main
    assert 'name="consultation.title"' not in main
    assert (
        save(planner, survey.consultation_id, "en", {intro_easy: "We ask. You answer."}).status_code
        == 303
    )
    assert stored(run, survey.consultation_id, "en") == {intro_easy: "We ask. You answer."}
    assert "– 1 Write easy-read versions" in coverage_row(planner, survey.consultation_id, "en")
    # A main-language text itself is edited in the builder, not here.
    refused = save(planner, survey.consultation_id, "en", {f"survey.{survey.survey_id}.intro": "X"})
    assert refused.status_code == 400
    sent = save(
        planner,
        survey.consultation_id,
        "sv",
        {
            f"survey.{survey.survey_id}.intro": "Varför vi frågar dig.",
            intro_easy: "Vi frågar. Du svarar.",
        },
    )
    assert sent.status_code == 303
    assert stored(run, survey.consultation_id, "sv")[intro_easy] == "Vi frågar. Du svarar."
    line = coverage_row(planner, survey.consultation_id, "sv")
    assert line.endswith(f"1 Translate – {language_name('sv')}")


def test_forged_field_names_are_refused_and_nothing_is_stored(
    planner, run, consultation, make_survey
):
    from consult.tables import ContentTranslation

    other = make_survey(f"{PREFIX}-{next(SLUGS)}")
    before = run(ContentTranslation.count().run)
    for forged in (
        f"question.{other.question_ids['single']}.text",  # another consultation's
        "question.2147483647.text",
        "consultation.secret",
        "survey..title",
        "<b>x</b>",
    ):
        sent = save(
            planner,
            consultation.consultation_id,
            "is",
            {question_field(consultation, "single"): QUESTION_IS, forged: "x"},
        )
        assert sent.status_code == 400, forged
    assert run(ContentTranslation.count().run) == before


def test_a_text_over_its_limit_keeps_every_box_as_typed(planner, run, consultation):
    too_long = "ö" * 301
    cid = consultation.consultation_id
    title = "Öryggiskönnun"
    refused = save(
        planner,
        cid,
        "is",
        {
            f"survey.{consultation.survey_id}.title": title,
            option_field(consultation, "single"): too_long,
            question_field(consultation, "text"): "x" * 1000,  # at the limit: fine
        },
    )
    assert refused.status_code == 422
    summary = page_text(refused.text[refused.text.index("error-summary") :])[:300]
    assert "Question 1, Answer 1: Enter up to 300 characters." in summary
    assert f'value="{too_long}"' in refused.text
    assert f'value="{title}"' in refused.text
    assert "x" * 1000 in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert stored(run, cid, "is") == {}


def test_only_the_consultations_languages_have_an_editor(planner, consultation):
    cid = consultation.consultation_id
    for locale in ("pl", "xx", "is%00", "a" * 300):
        assert planner.get(editor_of(cid, locale)).status_code == 404, locale
    assert (
        save(
            planner,
            cid,
            "pl",
            {"consultation.title": "Bezpieczeństwo"},
            page=planner.get(editor_of(cid, "is")).text,
        ).status_code
        == 404
    )


def test_only_the_citys_planners_and_admins_reach_the_editor(planner, run, consultation):
    cid = consultation.consultation_id
    token_page = planner.get(editor_of(cid, "is")).text
    try:
        signed_in_as(planner, ELSEWHERE)
        assert planner.get(editor_of(cid, "is")).status_code == 404
        assert (
            save(
                planner, cid, "is", {"consultation.title": "x"}, page=planner.get("/staff").text
            ).status_code
            == 404
        )
        staff_page = planner.get("/staff").text
        assert choose_languages(planner, cid, ["sv"], page=staff_page).status_code == 404
        signed_in_as(planner, FACILITATOR)
        assert planner.get(editor_of(cid, "is")).status_code == 403
        signed_in_as(planner, ADMIN)
        assert planner.get(editor_of(cid, "is")).status_code == 200
        signed_in_as(planner, None)
        assert planner.get(editor_of(cid, "is"), follow_redirects=False).status_code == 303
        assert (
            planner.post(
                editor_of(cid, "is"),
                data={"_csrf_token": csrf_token(token_page), "consultation.title": "x"},
                follow_redirects=False,
            ).status_code
            == 403
        )
    finally:
        signed_in_as(planner, PLANNER)
    assert "consultation.title" not in stored(run, cid, "is")


def test_hostile_translations_are_shown_as_text(planner, consultation):
    cid = consultation.consultation_id
    page = planner.get(editor_of(cid, "ar")).text
    form = form_to(page, editor_of(cid, "ar"))
    typed = {}
    payloads = iter(PAYLOADS)
    for kind, name, _value, _checked in form.fields:
        if kind in ("text", "textarea"):
            limit = 30 if name.endswith(".unit") else 200
            typed[name] = next(p.text for p in payloads if len(p.text) <= limit)
    assert save(planner, cid, "ar", typed, page).status_code == 303
    shown = planner.get(editor_of(cid, "ar")).text
    reading = read_page(shown)
    assert not reading.live, reading.live[:5]
    assert reading.markers


# --- A new version of a survey -------------------------------------------------------


def test_a_new_version_keeps_the_translations(planner, run, consultation):
    from surveys import services

    cid = consultation.consultation_id
    texts = {
        question_field(consultation, "single"): QUESTION_IS,
        option_field(consultation, "single", 1): "Nei",
        f"survey.{consultation.survey_id}.title": "Öryggiskönnun",
    }
    assert save(planner, cid, "is", texts).status_code == 303
    save(planner, cid, "ar", {question_field(consultation, "single"): "هل تشعر بالأمان؟"})
    answers = {
        f"q{consultation.question_ids['single']}": str(consultation.option_ids["single"][0]),
        f"q{consultation.question_ids['scale']}": str(consultation.option_ids["scale"][0]),
    }
    assert send_survey(planner, consultation.submit_url, answers).status_code == 303
    page = page_of(cid)
    sent = post_form(planner, page, f"{page}/surveys/{consultation.survey_id}/version", {})
    assert sent.status_code == 303
    newest = [s for s in run(services.surveys_of, cid) if not s.retired]
    assert len(newest) == 1
    assert newest[0].id != consultation.survey_id
    spec = run(services.load_spec, newest[0].id)
    icelandic = stored(run, cid, "is")
    assert icelandic[f"question.{spec.questions[0].id}.text"] == QUESTION_IS
    assert icelandic[f"option.{spec.questions[0].options[1].id}.label"] == "Nei"
    assert icelandic[f"survey.{spec.id}.title"] == "Öryggiskönnun"
    assert stored(run, cid, "ar")[f"question.{spec.questions[0].id}.text"] == "هل تشعر بالأمان؟"
    # The old version keeps its own (its answers were given in it).
    assert icelandic[question_field(consultation, "single")] == QUESTION_IS
    # The editor now shows the new version's texts, translated.
    editor = planner.get(editor_of(cid, "is")).text
    new_box = (
        rf'name="question\.{spec.questions[0].id}\.text"[^>]*>{re.escape(QUESTION_IS)}</textarea>'
    )
    assert re.search(new_box, editor)
    assert f'name="{question_field(consultation, "single")}"' not in editor
