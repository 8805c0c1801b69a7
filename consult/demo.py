"""The demo consultation: Reykjavik asks whether it needs a strategy against hate.

Loaded by `consult demo` (and `make run`); loading twice changes nothing. The
survey shows the whole journey: consent, one question per page, display
conditions, a matrix, a ranking, check your answers and the quick exit. The
responses are synthetic, drawn from a fixed seed so every machine gets the same,
and go through the same parser as a resident's answers.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis import codebooks, coding, jobs
from analysis.tables import CodeSource, Coding
from consult.database import write_transaction
from consult.services import consultations, staff
from consult.services.consultations import ConsultationInput
from consult.settings import secret_in_var
from consult.tables import ConsultationStatus, Role
from surveys import builder
from surveys import services as surveys
from surveys.definition import (
    SCHEMA_ID,
    ConditionDefinition,
    OptionDefinition,
    QuestionDefinition,
    SurveyDefinition,
    check_definition,
)
from surveys.flow import Journey, SurveySpec
from surveys.question_types import QuestionSpec
from surveys.submissions import answer_row_values, answers_insert_sql, follow_up_stored
from surveys.tables import Answer, Response

DEMO_SLUG = "reykjavik-needs-assessment"
DEMO_PLANNER = "planner"
DEMO_RESPONSES = 300
SEED = 2026
# A neutral site for "Exit this page": the Icelandic Met Office's forecast.
DEMO_EXIT_URL = "https://www.vedur.is/"


def _options(
    *labels: str, other: str = "", prefer_not: bool = False, dont_know: bool = False
) -> list[OptionDefinition]:
    options = [OptionDefinition(label) for label in labels]
    if dont_know:
        options.append(OptionDefinition("Don't know", dont_know=True))
    if other:
        options.append(OptionDefinition(other, other=True))
    if prefer_not:
        options.append(OptionDefinition("Prefer not to say", prefer_not_to_say=True))
    return options


SAW_HATE = ConditionDefinition(
    question="seen_hate", operator="any_of", options=["Yes, often", "Yes, sometimes"]
)
TRUST = ("No trust at all", "Little trust", "Some trust", "Much trust", "Complete trust")

DEFINITION = SurveyDefinition(
    schema=SCHEMA_ID,
    title="Safety, hate and what the city should do",
    intro=(
        "Thirteen short questions about feeling safe, hate speech and what Reykjavik "
        "should do. Skip any question marked ‘optional’."
    ),
    consent_text=(
        "Your answers are anonymous: we do not ask for your name and do not keep your "
        "internet address. Taking part is voluntary and you can stop at any time. By "
        "continuing you agree that the city may use your answers to plan its work "
        "against hate. Results never show groups of fewer than five people."
    ),
    questions=[
        QuestionDefinition(
            key="feel_safe",
            type="scale",
            text="How safe do you feel in your neighbourhood after dark?",
            required=True,
            options=_options(
                "Very unsafe",
                "Fairly unsafe",
                "Neither safe nor unsafe",
                "Fairly safe",
                "Very safe",
                dont_know=True,
            ),
        ),
        QuestionDefinition(
            key="seen_hate",
            type="single_choice",
            text="In the last 12 months, have you seen or heard hate speech in Reykjavik?",
            help="This includes online, in the street, at school or at work.",
            required=True,
            options=_options("Yes, often", "Yes, sometimes", "No", "Not sure"),
        ),
        QuestionDefinition(
            key="where_hate",
            type="multiple_choice",
            text="Where did you see or hear it?",
            help="Select all that apply.",
            options=_options(
                "Online or on social media",
                "In the street or on public transport",
                "At school or work",
                "At sports or leisure activities",
                other="Somewhere else",
                prefer_not=True,
            ),
            show_if=SAW_HATE,
        ),
        QuestionDefinition(
            key="reported",
            type="single_choice",
            text="Did you or anyone report it?",
            options=_options("Yes, to the police", "Yes, to someone else", "No", prefer_not=True),
            show_if=SAW_HATE,
        ),
        QuestionDefinition(
            key="trust",
            type="matrix",
            text="How much do you trust each of these to act on hate crime?",
            statements=["The police", "The city", "Schools", "Community organisations"],
            options=_options(*TRUST, dont_know=True),
        ),
        QuestionDefinition(
            key="targeted_groups",
            type="multiple_choice",
            text="Which groups do you think are targeted most in Reykjavik?",
            help="Select all that apply.",
            options=_options(
                "Immigrants and refugees",
                "Muslims",
                "Jews",
                "LGBTQI+ people",
                "Disabled people",
                "Women",
                prefer_not=True,
            ),
        ),
        QuestionDefinition(
            key="needs_strategy",
            type="scale",
            text="Does Reykjavik need a strategy against violent extremism and hate?",
            required=True,
            options=_options(
                "Definitely not", "Probably not", "Not sure", "Probably yes", "Definitely yes"
            ),
        ),
        QuestionDefinition(
            key="priorities",
            type="ranking",
            text="What should the city do first?",
            help="Choose up to three.",
            max_choices=3,
            options=_options(
                "More youth workers in the evenings",
                "Teach about online hate in schools",
                "Make reporting easier",
                "Support people who were targeted",
                "Work with community organisations",
                "Safer streets and bus stops",
            ),
        ),
        QuestionDefinition(
            key="reach_at_risk",
            type="multiple_choice",
            text="Which organisations could best reach people at risk?",
            help="Select all that apply.",
            options=_options(
                "Youth clubs",
                "Sports clubs",
                "Religious communities",
                "Cultural associations",
                "Schools",
                "Local businesses",
            ),
        ),
        QuestionDefinition(
            key="age_band",
            type="single_choice",
            text="Your age group",
            options=_options(
                "Under 18", "18 to 29", "30 to 44", "45 to 64", "65 or over", prefer_not=True
            ),
        ),
        QuestionDefinition(
            key="neighbourhood",
            type="short_text",
            text="Which part of Reykjavik do you live in?",
            help="For example Breiðholt or Vesturbær. Leave it empty if you prefer.",
        ),
        QuestionDefinition(
            key="years_in_city",
            type="number",
            text="How many years have you lived in Reykjavik?",
            min_number=0,
            max_number=120,
            unit="years",
        ),
        QuestionDefinition(
            key="anything_else",
            type="long_text",
            text="Is there anything else the city should know?",
            help="Do not write your name or anything that could identify you.",
        ),
    ],
)

NEIGHBOURHOODS = ["Breiðholt", "Vesturbær", "Hlíðar", "Grafarvogur", "Laugardalur", "Árbær"]
FREE_TEXT = {
    "en": [
        "More youth workers in the evenings, especially in Breiðholt.",
        "Teach children in school how to spot online hate and what to do about it.",
        "The police should take reports seriously and tell people what happened next.",
        "Support the mosques and churches to work together on open days.",
        "Better lighting at bus stops and a night bus that actually runs.",
        "Sports clubs should have a clear rule and a contact person for racist abuse.",
        "Listen to immigrant parents, not only to organisations.",
        # Testimony the safeguarding page flags for follow-up (analysis.safeguarding).
        "A man at the bus stop threatened to kill me because of my headscarf.",
        "Some boys attacked my brother near the school and the police did nothing.",
    ],
    "is": [
        "Fleiri félagsmiðstöðvar fyrir ungt fólk á kvöldin.",
        "Fræðsla í skólum um hatursorðræðu á netinu.",
        "Lögreglan þarf að bregðast hraðar við tilkynningum.",
        "Styðja íþróttafélögin til að taka á kynþáttafordómum.",
        "Það var hótað að berja mig á netinu af því að ég er múslimi.",
    ],
    "pl": [
        "Więcej informacji po polsku o tym, jak zgłosić przestępstwo z nienawiści.",
        "Spotkania dla rodziców w szkołach, także dla obcokrajowców.",
        "Policja powinna mieć tłumacza, kiedy ktoś zgłasza atak.",
        "Wsparcie dla organizacji polonijnych, które znają ludzi w dzielnicy.",
    ],
}


def _demo_password() -> str:
    """The demo planner's password: made once per machine, kept in var/."""
    # Short enough to type from the terminal; it guards demo data only.
    return secret_in_var("demo_planner_password", random_bytes=12)


def _sign_in_text(password: str) -> str:
    return (
        f"Demo consultation: /c/{DEMO_SLUG}\n"
        f"Sign in at /staff/login as '{DEMO_PLANNER}' with password '{password}'"
    )


def _weighted(rng: random.Random, count: int, lean: float) -> int:
    """An option index, leaning towards the end of the list when lean > 0.5."""
    weights = [((index + 1) / count) ** (lean * 2) + 0.15 for index in range(count)]
    return rng.choices(range(count), weights=weights)[0]


def _plain(question: QuestionSpec) -> list[str]:
    return [str(option.id) for option in question.options if not option.is_special]


def _synthetic_form(rng: random.Random, survey: SurveySpec, locale: str) -> dict[str, list[str]]:
    """What one synthetic resident would post: an answer to most questions."""
    form: dict[str, list[str]] = {}
    for question in survey.questions:
        if not question.required and rng.random() < 0.25:
            continue
        plain = _plain(question)
        if question.type in ("scale", "single_choice"):
            form[question.field_name] = [plain[_weighted(rng, len(plain), 0.7)]]
        elif question.type == "multiple_choice":
            form[question.field_name] = rng.sample(plain, rng.randint(1, min(3, len(plain))))
        elif question.type == "matrix":
            for statement in question.statements:
                form[question.statement_field(statement)] = [rng.choice(plain)]
        elif question.type == "ranking":
            chosen = rng.sample(question.options, question.max_choices or 3)
            for place, option in enumerate(chosen, start=1):
                form[question.rank_field(option)] = [str(place)]
        elif question.type == "number":
            form[question.field_name] = [str(rng.randint(0, 40))]
        elif question.type == "short_text":
            form[question.field_name] = [rng.choice(NEIGHBOURHOODS)]
        elif rng.random() < 0.6:
            form[question.field_name] = [rng.choice(FREE_TEXT[locale])]
    return form


async def _synthetic_responses(survey_id: int) -> None:
    survey = await surveys.load_spec(survey_id)
    assert survey is not None
    rng = random.Random(SEED)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    async with write_transaction():
        response_ids = []
        for number in range(DEMO_RESPONSES):
            locale = rng.choices(["en", "is", "pl"], weights=[5, 4, 2])[0]
            # The same parser as a resident's answers: hidden questions are dropped.
            parsed = Journey(survey, _synthetic_form(rng, survey, locale)).parse_all()
            assert parsed.is_valid, parsed.errors
            inserted = await Response.insert(
                Response(
                    survey=survey.id,
                    channel=rng.choices(["web", "kiosk", "paper"], weights=[8, 2, 1])[0],
                    locale=locale,
                    submitted_at=start + timedelta(hours=rng.randrange(20 * 24)),
                    idempotency_key=f"demo-{number:05d}",
                    consent_version=survey.consent_version,
                )
            )
            response_id = inserted[0]["id"]
            response_ids.append(response_id)
            if parsed.answers:
                values = [v for a in parsed.answers for v in answer_row_values(response_id, a)]
                await Answer.raw(answers_insert_sql(len(parsed.answers)), *values)
        await follow_up_stored(response_ids)


DEMO_CODEBOOK = Path(__file__).resolve().parent.parent / "analysis" / "demo_codebook.json"
# Per accepted theme, the planner of the demo confirmed this many suggested codes
# and rejected the weakest one, so the coder has learnt from a review.
DEMO_CONFIRMED_PER_THEME = 3


async def _demo_analysis(survey_id: int) -> None:
    """What a planner sees after a first session with the analysis: every text
    answer analysed, suggested themes, an accepted codebook and reviewed codes."""
    await jobs.analyse_all_pending()
    await codebooks.import_codebook(survey_id, DEMO_CODEBOOK.read_bytes())
    await codebooks.suggest_for_survey(survey_id)
    await coding.recode_survey(survey_id)
    for theme in await coding.accepted_themes(survey_id):
        codes = (
            await Coding.select(Coding.id)
            .where(Coding.theme == theme["id"])
            .order_by(Coding.score, ascending=False)
        )
        confirmed = [row["id"] for row in codes[:DEMO_CONFIRMED_PER_THEME]]
        rejected = [row["id"] for row in codes[DEMO_CONFIRMED_PER_THEME:][-1:]]
        if confirmed:
            await Coding.update({Coding.source: CodeSource.confirmed.value}).where(
                Coding.id.is_in(confirmed)
            )
        if rejected:
            await Coding.update({Coding.source: CodeSource.rejected.value}).where(
                Coding.id.is_in(rejected)
            )
    await coding.recode_survey(survey_id)


async def load_demo() -> str:
    """Create the demo planner and consultation unless they exist; say how to sign in."""
    password = _demo_password()
    await staff.create_user(DEMO_PLANNER, password, Role.planner)
    if await consultations.by_slug(DEMO_SLUG) is not None:
        return _sign_in_text(password)
    consultation = await consultations.create(
        ConsultationInput(
            slug=DEMO_SLUG,
            title="Reykjavik: do we need a strategy against violent extremism and hate?",
            purpose=(
                "Reykjavik City is deciding whether it needs a strategy to prevent violent "
                "extremism, hate crime and hate speech. We want to hear what you experience "
                "and what you think the city should do."
            ),
            city="Reykjavik",
            run_by="City of Reykjavik, Human Rights and Democracy Office",
            data_use=(
                "Only the city's planners see individual answers. Results are published as "
                "totals, never for groups of fewer than five people. Answers are deleted "
                "two years after the consultation closes."
            ),
            minutes_to_complete=8,
            sensitive=True,
            exit_url=DEMO_EXIT_URL,
        )
    )
    survey_id = await builder.import_definition(consultation.id, check_definition(DEFINITION))
    await consultations.set_status(consultation, ConsultationStatus.open)
    await _synthetic_responses(survey_id)
    await _demo_analysis(survey_id)
    return _sign_in_text(password)
