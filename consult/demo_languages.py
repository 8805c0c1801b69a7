"""The demo consultation in every shipped language, with easy-read versions.

`consult/demo_translations.json` holds, per language, the demo's texts by the
survey's question keys (options and matrix statements in their order) and the
easy-read introduction, consent and help texts. Loading them again replaces them
with the same words, so `consult demo` stays idempotent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from consult.database import write_transaction
from consult.tables import Consultation
from surveys import services as surveys
from surveys import translations
from surveys.flow import SurveySpec
from surveys.translations import field_name

TRANSLATIONS_FILE = Path(__file__).resolve().parent / "demo_translations.json"
# Reykjavik reports to its council in Icelandic; residents read the survey in any
# of these (the main language is English).
REPORTING_LOCALE = "is"


def _texts(spec: SurveySpec, keys: dict[int, str], words: dict[str, Any]) -> dict[str, str]:
    """field -> text of one language's words, matched to the stored survey by key and order."""
    texts: dict[str, str] = {}
    for attr, text in words.get("consultation", {}).items():
        texts[field_name("consultation", None, attr)] = text
    for attr, text in words.get("survey", {}).items():
        texts[field_name("survey", spec.id, attr)] = text
    easy = words.get("easy", {})
    for attr, text in easy.get("survey", {}).items():
        texts[field_name("survey", spec.id, attr, easy=True)] = text
    questions = words.get("questions", {})
    easy_questions = easy.get("questions", {})
    for question in spec.questions:
        key = keys[question.id]
        own = questions.get(key, {})
        for attr in ("text", "help", "unit"):
            if own.get(attr):
                texts[field_name("question", question.id, attr)] = own[attr]
        if easy_questions.get(key, {}).get("help"):
            texts[field_name("question", question.id, "help", easy=True)] = easy_questions[key][
                "help"
            ]
        for option, label in zip(question.options, own.get("options", ()), strict=False):
            texts[field_name("option", option.id, "label")] = label
        for statement, text in zip(question.statements, own.get("statements", ()), strict=False):
            texts[field_name("statement", statement.id, "text")] = text
    return texts


async def load_demo_languages(consultation_id: int, survey_id: int) -> None:
    """Store the demo's translations and easy-read texts, and offer its languages."""
    spec = await surveys.load_spec(survey_id)
    if spec is None:
        return
    keys = await surveys.question_keys(survey_id)
    by_language: dict[str, dict[str, Any]] = json.loads(
        TRANSLATIONS_FILE.read_text(encoding="utf-8")
    )
    main = (
        await Consultation.select(Consultation.default_locale)
        .where(Consultation.id == consultation_id)
        .first()
    )
    main_locale = main["default_locale"] if main else "en"
    for locale, words in by_language.items():
        await translations.save_texts(consultation_id, locale, _texts(spec, keys, words))
    others = ",".join(sorted(locale for locale in by_language if locale != main_locale))
    async with write_transaction():
        await Consultation.update(
            {Consultation.languages: others, Consultation.reporting_locale: REPORTING_LOCALE}
        ).where(Consultation.id == consultation_id)
