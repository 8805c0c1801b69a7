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

from analysis import codebooks, coding, findings, indicators, jobs, quotes
from analysis.findings import EvidenceInput, FindingInput
from analysis.tables import CodeSource, Coding, TextAnswer, Theme
from consult import join_codes
from consult.database import connections_kept, write_transaction
from consult.demo_languages import load_demo_languages
from consult.services import consultations, staff
from consult.services.consultations import ConsultationInput
from consult.settings import secret_in_var
from consult.tables import (
    Consultation,
    ConsultationStatus,
    Finding,
    HostedSession,
    Organisation,
    OrganisationKind,
    OrganisationTag,
    OutreachTarget,
    Role,
    SessionGroup,
    SessionMode,
)
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
from surveys.submissions import follow_up_stored, insert_answers
from surveys.tables import Channel, Response, ResponseStatus, Survey

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
    own_phones = [session[2] for session in DEMO_SESSIONS].index(SessionMode.own_phones)
    code = join_codes.display(_demo_codes()[own_phones])
    return (
        f"Demo consultation: /c/{DEMO_SLUG}\n"
        f"Join the youth centre's session at /join with the code {code}\n"
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


# How each session's answers arrive: a kiosk session's on its shared tablet, and so on.
MODE_CHANNELS = {
    SessionMode.own_phones.value: Channel.web.value,
    SessionMode.kiosk.value: Channel.kiosk.value,
    SessionMode.assisted.value: Channel.assisted.value,
    SessionMode.paper.value: Channel.paper.value,
}


def _session_for(
    rng: random.Random, channel: str, sessions: dict[str, int]
) -> tuple[str, int | None]:
    """(channel, hosted session) of one synthetic response: every tablet and paper
    answer came through a hosted session; of the web answers, some came on people's
    own phones at a session and some with a helper (the assisted session)."""
    if channel == Channel.kiosk.value:
        return channel, sessions.get(SessionMode.kiosk.value)
    if channel == Channel.paper.value:
        return channel, sessions.get(SessionMode.paper.value)
    draw = rng.random()
    if draw < 0.15:
        return channel, sessions.get(SessionMode.own_phones.value)
    if draw < 0.25 and SessionMode.assisted.value in sessions:
        return Channel.assisted.value, sessions[SessionMode.assisted.value]
    return channel, None


async def _synthetic_responses(survey_id: int, sessions: dict[str, int] | None = None) -> None:
    survey = await surveys.load_spec(survey_id)
    assert survey is not None
    rng = random.Random(SEED)
    # A generator of its own, so the answers stay what they were before sessions.
    session_rng = random.Random(SEED + 1)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    async with write_transaction():
        response_ids = []
        for number in range(DEMO_RESPONSES):
            locale = rng.choices(["en", "is", "pl"], weights=[5, 4, 2])[0]
            # The same parser as a resident's answers: hidden questions are dropped.
            parsed = Journey(survey, _synthetic_form(rng, survey, locale)).parse_all()
            assert parsed.is_valid, parsed.errors
            channel, hosted = _session_for(
                session_rng,
                rng.choices(["web", "kiosk", "paper"], weights=[8, 2, 1])[0],
                sessions or {},
            )
            inserted = await Response.insert(
                Response(
                    survey=survey.id,
                    channel=channel,
                    hosted_session=hosted,
                    locale=locale,
                    submitted_at=start + timedelta(hours=rng.randrange(20 * 24)),
                    idempotency_key=f"demo-{number:05d}",
                    consent_version=survey.consent_version,
                )
            )
            response_id = inserted[0]["id"]
            response_ids.append(response_id)
            await insert_answers([(response_id, answer) for answer in parsed.answers])
        await follow_up_stored(response_ids)


# Responses held for review (surveys.abuse), so that the results say "3 responses
# held for review" and the review page has something to decide: (flags, free text).
DEMO_HELD = (
    ("honeypot,too_fast", "Best prices on watches at www.cheap-watches.example today"),
    ("repeat_browser", "More youth workers in the evenings, and in Árbær too."),
    ("duplicate_text,spike", FREE_TEXT["en"][1]),
)


async def _demo_held(survey_id: int) -> None:
    """Add the held responses unless they are there (their keys are the demo's own)."""
    survey = await surveys.load_spec(survey_id)
    assert survey is not None
    rng = random.Random(SEED + 3)
    text_question = next(q for q in survey.questions if q.type == "long_text")
    submitted = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=5)
    async with write_transaction():
        for number, (flags, text) in enumerate(DEMO_HELD):
            form = {**_synthetic_form(rng, survey, "en"), text_question.field_name: [text]}
            parsed = Journey(survey, form).parse_all()
            inserted = (
                await Response.insert(
                    Response(
                        survey=survey.id,
                        channel=Channel.web.value,
                        locale="en",
                        submitted_at=submitted + timedelta(hours=number),
                        idempotency_key=f"demo-held-{number}",
                        consent_version=survey.consent_version,
                        status=ResponseStatus.quarantined.value,
                        flags=flags,
                    )
                )
                .on_conflict(target=Response.idempotency_key, action="DO NOTHING")
                .returning(Response.id)
            )
            if inserted:
                await insert_answers([(inserted[0]["id"], answer) for answer in parsed.answers])


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
    """Create the demo planner and consultation unless they exist; say how to sign
    in. For `consult demo`, on an event loop of its own (the app's keeps its own
    connections)."""
    # Outside an app every query opens a connection of its own (on SQLite a thread
    # too): the demo's two thousand queries opened some two hundred, a quarter of its
    # time once the text models are loaded.
    async with connections_kept(pool_size=4):
        return await _load_demo()


async def _load_demo() -> str:
    password = _demo_password()
    # The demo planner is on the demo city's team, so sees the demo consultation.
    await staff.create_user(DEMO_PLANNER, password, Role.planner, city=DEMO_CITY)
    existing = await consultations.by_slug(DEMO_SLUG)
    if existing is not None:
        # A demo loaded before the strategy inputs existed gets them now (each step
        # adds only what is missing); its responses stay as they were.
        survey = await Survey.select(Survey.id).where(Survey.consultation == existing.id).first()
        organisations = await _demo_organisations()
        await _demo_sessions(existing.id, organisations)
        await _demo_outreach(existing.id, organisations)
        if survey is not None:
            await _demo_strategy(existing, survey["id"], organisations)
            await _demo_held(survey["id"])
            await load_demo_languages(existing.id, survey["id"])
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
    await load_demo_languages(consultation.id, survey_id)
    await consultations.set_status(consultation, ConsultationStatus.open)
    organisations = await _demo_organisations()
    await _synthetic_responses(survey_id, await _demo_sessions(consultation.id, organisations))
    await _demo_held(survey_id)
    await _demo_outreach(consultation.id, organisations)
    await _demo_analysis(survey_id)
    await _demo_strategy(consultation, survey_id, organisations)
    return _sign_in_text(password)


DEMO_CITY = "Reykjavik"
DEMO_ORGANISATIONS = (
    ("Breiðholt Youth Centre", OrganisationKind.youth),
    ("Vesturbær Sports Club", OrganisationKind.sports),
    ("Reykjavik Mosque and Cultural Centre", OrganisationKind.religious),
    ("Polish Saturday School", OrganisationKind.school),
    ("Hlíðar Bakery", OrganisationKind.business),
    ("Welcome Refugees Reykjavik", OrganisationKind.ngo),
    # In the registry, reaching a group nobody has heard yet, but hosting no session.
    ("Árbær Senior Citizens' Association", OrganisationKind.cultural),
)
# Where each organisation works and whom it reaches: what the outreach view matches
# against the consultation's targets to suggest who to invite next.
DEMO_TAGS = {
    "Breiðholt Youth Centre": (("Breiðholt",), ("Young people 13–17", "Young people 18–25")),
    "Vesturbær Sports Club": (("Vesturbær",), ("Players and their families", "Young people 13–17")),
    "Reykjavik Mosque and Cultural Centre": (("Laugardalur",), ("Muslims", "Arabic speakers")),
    "Polish Saturday School": (("Breiðholt", "Laugardalur"), ("Polish speakers", "Parents")),
    "Hlíðar Bakery": (("Hlíðar",), ("Local businesses",)),
    "Welcome Refugees Reykjavik": (("Breiðholt", "Vesturbær"), ("Refugees", "Arabic speakers")),
    "Árbær Senior Citizens' Association": (("Árbær", "Grafarvogur"), ("Older residents",)),
}
# (group, responses wanted): the sessions' groups met or short, and three groups no
# session has reached yet, so the outreach view shows real gaps.
DEMO_TARGETS = (
    ("Young people 13–17", 30),
    ("Muslims", 40),
    ("Polish speakers", 40),
    ("Refugees", 25),
    ("Older residents", 20),
    ("Local businesses", 10),
)
# Session codes as every session gets them (consult.join_codes), drawn from the
# demo's seed so that every machine gets the same ones.
# (organisation, title, mode, locale, place, groups it sets out to reach)
DEMO_SESSIONS = (
    (
        "Breiðholt Youth Centre",
        "Evening session at the youth centre",
        SessionMode.own_phones,
        "is",
        "Breiðholt Youth Centre, main hall",
        ("Young people 13–17", "Young people 18–25"),
    ),
    (
        "Reykjavik Mosque and Cultural Centre",
        "Open day at the mosque",
        SessionMode.kiosk,
        "ar",
        "Reykjavik Mosque and Cultural Centre",
        ("Muslims", "Arabic speakers"),
    ),
    (
        "Polish Saturday School",
        "Parents' morning at the Polish Saturday School",
        SessionMode.assisted,
        "pl",
        "Polish Saturday School, Breiðholt",
        ("Polish speakers", "Parents"),
    ),
    (
        "Vesturbær Sports Club",
        "Paper forms at the sports club",
        SessionMode.paper,
        "is",
        "Vesturbær Sports Club clubhouse",
        ("Players and their families", "Coaches"),
    ),
)


def _demo_codes() -> list[str]:
    rng = random.Random(SEED + 2)
    return [
        "".join(rng.choice(join_codes.ALPHABET) for _ in range(join_codes.CODE_LENGTH))
        for _ in DEMO_SESSIONS
    ]


async def _demo_organisations() -> dict[str, int]:
    """The demo's partner organisations in Reykjavik (made once): name -> id."""
    found: dict[str, int] = {}
    async with write_transaction():
        for name, kind in DEMO_ORGANISATIONS:
            row = (
                await Organisation.select(Organisation.id)
                .where((Organisation.name == name) & (Organisation.city == DEMO_CITY))
                .first()
            )
            if row is None:
                rows = await Organisation.insert(
                    Organisation(name=name, kind=kind.value, city=DEMO_CITY)
                )
                row = rows[0]
            found[name] = row["id"]
    return found


async def _demo_sessions(consultation_id: int, organisations: dict[str, int]) -> dict[str, int]:
    """The sessions organisations host for the demo, with the groups each sets out
    to reach (made once): mode -> session id."""
    found: dict[str, int] = {}
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=18)
    async with write_transaction():
        for number, (code, session) in enumerate(zip(_demo_codes(), DEMO_SESSIONS, strict=True)):
            organisation, title, mode, locale, place, groups = session
            # Found by title: a demo loaded before its codes were drawn from the join
            # codes' alphabet keeps the codes it printed.
            row = (
                await HostedSession.select(HostedSession.id)
                .where(
                    (HostedSession.consultation == consultation_id) & (HostedSession.title == title)
                )
                .first()
            )
            if row is None:
                rows = await HostedSession.insert(
                    HostedSession(
                        consultation=consultation_id,
                        organisation=organisations[organisation],
                        title=title,
                        code=code,
                        mode=mode.value,
                        locale=locale,
                        starts_at=start + timedelta(days=3 * number, hours=17),
                        place=place,
                        created_at=start,
                    )
                )
                row = rows[0]
                await SessionGroup.insert(
                    *[SessionGroup(session=row["id"], name=group) for group in groups]
                )
            found[mode.value] = row["id"]
    return found


async def _demo_outreach(consultation_id: int, organisations: dict[str, int]) -> None:
    """The organisations' tags and the consultation's outreach targets (each made
    once: an organisation with tags, or a consultation with targets, is left alone)."""
    async with write_transaction():
        tagged = {
            row["organisation"]
            for row in await OrganisationTag.select(OrganisationTag.organisation).where(
                OrganisationTag.organisation.is_in(list(organisations.values()))
            )
        }
        rows = [
            OrganisationTag(organisation=organisations[name], kind=kind, name=tag)
            for name, (neighbourhoods, groups) in DEMO_TAGS.items()
            if organisations[name] not in tagged
            for kind, tags in (("neighbourhood", neighbourhoods), ("group", groups))
            for tag in tags
        ]
        if rows:
            await OrganisationTag.insert(*rows)
        if not await OutreachTarget.exists().where(OutreachTarget.consultation == consultation_id):
            await OutreachTarget.insert(
                *[
                    OutreachTarget(consultation=consultation_id, group_name=group, target=target)
                    for group, target in DEMO_TARGETS
                ]
            )


# (label, question key, the options that count)
DEMO_INDICATORS = (
    ("Feel unsafe after dark", "feel_safe", ("Very unsafe", "Fairly unsafe")),
    ("Saw or heard hate speech", "seen_hate", ("Yes, often", "Yes, sometimes")),
    (
        "Reported it, or knew someone who did",
        "reported",
        ("Yes, to the police", "Yes, to someone else"),
    ),
    ("Want a strategy", "needs_strategy", ("Probably yes", "Definitely yes")),
)
# Answers approved for quoting (never one the safeguarding page flags).
DEMO_QUOTES = (
    "More youth workers in the evenings, especially in Breiðholt.",
    "Teach children in school how to spot online hate and what to do about it.",
    "The police should take reports seriously and tell people what happened next.",
    "Więcej informacji po polsku o tym, jak zgłosić przestępstwo z nienawiści.",
)


async def _demo_indicators(survey_id: int) -> dict[str, int]:
    """The demo survey's indicators (made once): question key -> indicator id."""
    spec = await surveys.load_spec(survey_id)
    assert spec is not None
    keys = await surveys.question_keys(survey_id)
    by_key = {keys[q.id]: q for q in spec.questions}
    existing = {d.question_id: d.id for d in await indicators.indicator_defs(survey_id)}
    found = {}
    for label, key, counted in DEMO_INDICATORS:
        question = by_key[key]
        if question.id not in existing:
            options = [o.id for o in question.options if o.label in counted]
            existing[question.id] = await indicators.create_indicator(
                spec, question.id, label, options
            )
        found[key] = existing[question.id]
    return found


async def _demo_quotes(survey_id: int) -> list[int]:
    """Approve the demo's quotes: the first complete answer with each text."""
    found = []
    for text in DEMO_QUOTES:
        row = (
            await TextAnswer.select(TextAnswer.id)
            .where(
                (TextAnswer.redacted == text)
                & (TextAnswer.question.survey == survey_id)
                & (TextAnswer.answer.response.status == ResponseStatus.complete.value)
            )
            .order_by(TextAnswer.id)
            .first()
        )
        if row is not None:
            found.append(await quotes.approve(row["id"], text))
    return found


async def _theme_ids(survey_id: int) -> dict[str, int]:
    rows = await Theme.select(Theme.id, Theme.key).where(Theme.survey == survey_id)
    return {row["key"]: row["id"] for row in rows}


async def _demo_strategy(
    consultation: Consultation, survey_id: int, organisations: dict[str, int]
) -> None:
    """Indicators, approved quotes and findings with evidence of every kind, as a
    planner would have them after a first look at the answers (made once)."""
    indicator_ids = await _demo_indicators(survey_id)
    if await Finding.exists().where(Finding.consultation == consultation.id):
        return
    quote_ids = await _demo_quotes(survey_id)
    themes = await _theme_ids(survey_id)
    keys = {key: question for question, key in (await surveys.question_keys(survey_id)).items()}

    def question(key: str) -> EvidenceInput:
        return EvidenceInput("question", question_id=keys[key])

    def cross_tab(key: str, by: str) -> EvidenceInput:
        segment = f"q{keys[by]}" if by in keys else by
        return EvidenceInput("cross_tab", question_id=keys[key], segment=segment)

    def indicator(key: str) -> EvidenceInput:
        return EvidenceInput("indicator", indicator_id=indicator_ids[key])

    def theme(key: str) -> list[EvidenceInput]:
        return [EvidenceInput("theme", theme_id=themes[key])] if key in themes else []

    def quote(number: int) -> list[EvidenceInput]:
        return (
            [EvidenceInput("quote", quote_id=quote_ids[number])] if number < len(quote_ids) else []
        )

    own_areas = await findings.strategy_areas(consultation.city)
    areas = [*own_areas, *[""] * 5]  # a city with fewer areas files the rest under none
    plan = (
        (
            FindingInput(
                title="Many feel unsafe after dark, most of all at bus stops",
                statement=(
                    "A large share feel unsafe in their neighbourhood after dark; what they "
                    "wrote points to bus stops and the night bus."
                ),
                strategy_area=areas[1],
                priority="high",
                status="agreed",
                proposed_action="Light the bus stops named and add youth workers on the night bus.",
                owner="Environment and Planning Division",
                timeline="Winter 2027",
                partner_ids=(
                    organisations["Breiðholt Youth Centre"],
                    organisations["Hlíðar Bakery"],
                ),
            ),
            [
                indicator("feel_safe"),
                question("feel_safe"),
                cross_tab("feel_safe", "age_band"),
                *theme("unsafe-night-transport"),
                *quote(0),
            ],
        ),
        (
            FindingInput(
                title="Hate speech is met online more than anywhere else",
                statement="Most who saw or heard hate speech met it online or on social media.",
                strategy_area=areas[0],
                priority="high",
                status="proposed",
                proposed_action="Teach about online hate in every school year from 12.",
                owner="School and Leisure Division",
                timeline="School year 2027–28",
                partner_ids=(organisations["Welcome Refugees Reykjavik"],),
            ),
            [indicator("seen_hate"), question("where_hate"), *theme("online-hate"), *quote(1)],
        ),
        (
            FindingInput(
                title="Few report hate, and doubt that anything follows",
                statement="Reporting is rare, and more so among those who answered in Polish.",
                strategy_area=areas[4],
                priority="medium",
                status="in_progress",
                proposed_action=(
                    "Explain how to report in Icelandic, Polish and English, and tell "
                    "people what happened next."
                ),
                owner="Human Rights and Democracy Office, with the police",
                timeline="Spring 2027",
                partner_ids=(organisations["Polish Saturday School"],),
            ),
            [
                indicator("reported"),
                cross_tab("reported", "language"),
                *theme("reporting-trust-police"),
                *quote(2),
                *quote(3),
            ],
        ),
        (
            FindingInput(
                title="Community organisations can reach people the city cannot",
                statement="Respondents name youth clubs, sports clubs and religious communities.",
                strategy_area=areas[3],
                priority="medium",
                status="agreed",
                proposed_action="A standing alliance of the organisations that hosted sessions.",
                owner="Human Rights and Democracy Office",
                timeline="From autumn 2027",
                partner_ids=tuple(
                    organisations[name]
                    for name in (
                        "Vesturbær Sports Club",
                        "Reykjavik Mosque and Cultural Centre",
                        "Breiðholt Youth Centre",
                        "Welcome Refugees Reykjavik",
                    )
                ),
            ),
            [question("reach_at_risk"), cross_tab("reach_at_risk", "channel")],
        ),
        (
            FindingInput(
                title="Residents want a strategy against violent extremism and hate",
                statement="Most answered that Reykjavik probably or definitely needs one.",
                strategy_area=areas[2],
                priority="low",
                status="proposed",
                owner="City Council",
                timeline="Decision in 2027",
            ),
            [indicator("needs_strategy"), question("priorities"), *theme("youth-spaces")],
        ),
    )
    for data, evidence in plan:
        finding_id = await findings.create_finding(consultation.id, data)
        for item in evidence:
            await findings.add_evidence(finding_id, item)
