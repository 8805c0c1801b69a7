"""The demo consultation: Reykjavik asks whether it needs a strategy against hate.

Loaded by `consult demo` (and `make run`); loading twice changes nothing. The
responses are synthetic, drawn from a fixed seed so every machine gets the same.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from consult.database import write_transaction
from consult.services import consultations, staff
from consult.services.consultations import ConsultationInput
from consult.settings import secret_in_var
from consult.tables import ConsultationStatus, Role
from surveys import services as surveys
from surveys.services import NewOption
from surveys.tables import Answer, Response

DEMO_SLUG = "reykjavik-needs-assessment"
DEMO_PLANNER = "planner"
DEMO_RESPONSES = 300
SEED = 2026

# (type, text, help, required, options); the last option of a choice list may be
# "Prefer not to say", which the builder flags.
QUESTIONS: list[tuple[str, str, str, bool, list[str]]] = [
    (
        "scale",
        "How safe do you feel in your neighbourhood after dark?",
        "",
        True,
        ["Very unsafe", "Fairly unsafe", "Neither safe nor unsafe", "Fairly safe", "Very safe"],
    ),
    (
        "single_choice",
        "In the last 12 months, have you seen or heard hate speech in Reykjavik?",
        "This includes online, in the street, at school or at work.",
        True,
        ["Yes, often", "Yes, sometimes", "No", "Not sure"],
    ),
    (
        "multiple_choice",
        "Where did you see or hear it?",
        "Select all that apply.",
        False,
        [
            "Online or on social media",
            "In the street or on public transport",
            "At school or work",
            "At sports or leisure activities",
            "Somewhere else",
            "Prefer not to say",
        ],
    ),
    (
        "single_choice",
        "Did you or anyone report it?",
        "",
        False,
        ["Yes, to the police", "Yes, to someone else", "No", "Prefer not to say"],
    ),
    (
        "scale",
        "How much do you trust the police to act on hate crime?",
        "",
        True,
        ["No trust at all", "Little trust", "Some trust", "Much trust", "Complete trust"],
    ),
    (
        "multiple_choice",
        "Which groups do you think are targeted most in Reykjavik?",
        "Select all that apply.",
        False,
        [
            "Immigrants and refugees",
            "Muslims",
            "Jews",
            "LGBTQI+ people",
            "Disabled people",
            "Women",
            "Prefer not to say",
        ],
    ),
    (
        "scale",
        "Does Reykjavik need a strategy against violent extremism and hate?",
        "",
        True,
        ["Definitely not", "Probably not", "Not sure", "Probably yes", "Definitely yes"],
    ),
    (
        "multiple_choice",
        "Which organisations could best reach people at risk?",
        "Select all that apply.",
        False,
        [
            "Youth clubs",
            "Sports clubs",
            "Religious communities",
            "Cultural associations",
            "Schools",
            "Local businesses",
        ],
    ),
    (
        "single_choice",
        "Your age group",
        "",
        False,
        ["Under 18", "18 to 29", "30 to 44", "45 to 64", "65 or over", "Prefer not to say"],
    ),
    (
        "long_text",
        "What should the city do first?",
        "Do not write your name or anything that could identify you.",
        False,
        [],
    ),
]

FREE_TEXT = {
    "en": [
        "More youth workers in the evenings, especially in Breiðholt.",
        "Teach children in school how to spot online hate and what to do about it.",
        "The police should take reports seriously and tell people what happened next.",
        "Support the mosques and churches to work together on open days.",
        "Better lighting at bus stops and a night bus that actually runs.",
        "Sports clubs should have a clear rule and a contact person for racist abuse.",
        "Listen to immigrant parents, not only to organisations.",
    ],
    "is": [
        "Fleiri félagsmiðstöðvar fyrir ungt fólk á kvöldin.",
        "Fræðsla í skólum um hatursorðræðu á netinu.",
        "Lögreglan þarf að bregðast hraðar við tilkynningum.",
        "Styðja íþróttafélögin til að taka á kynþáttafordómum.",
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


async def _synthetic_responses(survey_id: int) -> None:
    spec = await surveys.load_spec(survey_id)
    assert spec is not None
    rng = random.Random(SEED)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    async with write_transaction():
        for number in range(DEMO_RESPONSES):
            locale = rng.choices(["en", "is", "pl"], weights=[5, 4, 2])[0]
            inserted = await Response.insert(
                Response(
                    survey=spec.id,
                    channel=rng.choices(["web", "kiosk", "paper"], weights=[8, 2, 1])[0],
                    locale=locale,
                    submitted_at=start + timedelta(hours=rng.randrange(20 * 24)),
                    idempotency_key=f"demo-{number:05d}",
                )
            )
            response_id = inserted[0]["id"]
            rows: list[Answer] = []
            for question in spec.questions:
                if not question.required and rng.random() < 0.25:
                    continue
                if question.type in ("scale", "single_choice"):
                    option = question.options[_weighted(rng, len(question.options), 0.7)]
                    rows.append(
                        Answer(
                            response=response_id,
                            question=question.id,
                            option=option.id,
                            number=option.position if question.type == "scale" else None,
                        )
                    )
                elif question.type == "multiple_choice":
                    plain = [o for o in question.options if not o.is_prefer_not_to_say]
                    for option in rng.sample(plain, rng.randint(1, min(3, len(plain)))):
                        rows.append(
                            Answer(response=response_id, question=question.id, option=option.id)
                        )
                elif rng.random() < 0.6:
                    rows.append(
                        Answer(
                            response=response_id,
                            question=question.id,
                            text=rng.choice(FREE_TEXT[locale]),
                        )
                    )
            if rows:
                await Answer.insert(*rows)


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
        )
    )
    survey = await surveys.create_survey(
        consultation.id,
        "Safety, hate and what the city should do",
        "Ten short questions. You can skip any question that is not marked as required.",
        "Your answers are anonymous. By sending them you agree that the city may use them "
        "to plan its work against hate.",
    )
    for type_key, text, help_text, required, labels in QUESTIONS:
        await surveys.add_question(
            survey.id,
            type_key,
            text,
            help_text,
            required,
            [
                NewOption(label, is_prefer_not_to_say=label == "Prefer not to say")
                for label in labels
            ],
        )
    await consultations.set_status(consultation, ConsultationStatus.open)
    await _synthetic_responses(survey.id)
    return _sign_in_text(password)
