"""The tally that results are read from agrees with the answers actually stored.

Results pages and exports no longer count answers: they read surveys.tally, which
each submission updates in its own transaction. So these tests send residents'
forms through the app, then recount the stored Answer rows independently and
compare cell by cell; a tally that drifted (a double count, a missed batch, a
retraction that did not subtract) would show a planner the wrong numbers.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.fixtures import new_idempotency_key, send_survey


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("tally-check")


def _form(survey, variant: int) -> dict[str, list[str]]:
    """A complete form; `variant` moves each choice so that the cells differ."""
    ids, options = survey.question_ids, survey.option_ids
    form = {
        f"q{ids['single']}": [str(options["single"][variant % 3])],
        f"q{ids['scale']}": [str(options["scale"][(variant * 2) % 5])],
        f"q{ids['text']}": [f"Answer number {variant}"],
    }
    if variant % 2 == 0:  # an optional question some people skip
        form[f"q{ids['multiple']}"] = [
            str(options["multiple"][0]),
            str(options["multiple"][1 + variant % 2]),
        ]
    if variant % 3 == 0:
        form[f"q{ids['number']}"] = [str(variant)]
    return form


async def _recount(survey_id: int) -> dict[tuple[int, int, int], int]:
    """The tally's cells worked out afresh from the stored rows, without SQL grouping."""
    from surveys.tables import Answer, Response, ResponseStatus

    complete = {
        row["id"]
        for row in await Response.select(Response.id).where(
            (Response.survey == survey_id) & (Response.status == ResponseStatus.complete.value)
        )
    }
    rows = await Answer.select(
        Answer.response, Answer.question, Answer.option, Answer.statement
    ).where(Answer.response.is_in(list(complete) or [-1]))
    answered: dict[tuple[int, int, int], set[int]] = {}
    matrix = Counter()
    for row in rows:
        question, option, statement = row["question"], row["option"], row["statement"]
        answered.setdefault((question, 0, 0), set()).add(row["response"])
        if option is not None and statement is None:
            answered.setdefault((question, option, 0), set()).add(row["response"])
        if statement is not None:
            answered.setdefault((question, 0, statement), set()).add(row["response"])
            matrix[(question, option, statement)] += 1
    cells = {key: len(responses) for key, responses in answered.items()}
    cells.update(matrix)
    cells[(0, 0, 0)] = len(complete)
    return cells


def _tally(run, survey_id: int) -> dict[tuple[int, int, int], int]:
    from surveys import tally

    # Cells that went back to 0 (after a retraction) count as absent.
    return {key: n for key, n in run(tally.read, survey_id).cells.items() if n}


def test_each_submission_is_counted_once_in_every_cell(client, run, survey):
    for variant in range(7):
        assert send_survey(client, survey.submit_url, _form(survey, variant)).status_code == 303
    counted = _tally(run, survey.survey_id)
    assert counted == run(_recount, survey.survey_id)
    assert counted[(0, 0, 0)] == 7
    single = survey.question_ids["single"]
    assert counted[(single, survey.option_ids["single"][0], 0)] == 3  # variants 0, 3, 6


def test_a_form_sent_twice_is_counted_once(client, run, survey):
    before = _tally(run, survey.survey_id)
    key = new_idempotency_key()
    form = _form(survey, 11)
    assert send_survey(client, survey.submit_url, form, key=key).status_code == 303
    after_first = _tally(run, survey.survey_id)
    assert after_first[(0, 0, 0)] == before[(0, 0, 0)] + 1
    send_survey(client, survey.submit_url, form, key=key)
    assert _tally(run, survey.survey_id) == after_first


def test_submissions_arriving_together_are_all_counted(run, survey):
    """Many at once go through the group commit in batches; every batch counts."""
    from surveys import services, submissions
    from surveys.flow import Journey

    spec = run(services.load_spec, survey.survey_id)
    answers = [Journey(spec, _form(survey, v)).parse_all().answers for v in range(30)]
    before = _tally(run, survey.survey_id)[(0, 0, 0)]

    async def send_together() -> list[bool]:
        return await asyncio.gather(
            *[
                submissions.submit(spec, a, new_idempotency_key(), "en", consent_version=1)
                for a in answers
            ]
        )

    assert all(run(send_together))
    counted = _tally(run, survey.survey_id)
    assert counted[(0, 0, 0)] == before + 30
    assert counted == run(_recount, survey.survey_id)


def _newest_response(run, survey_id: int) -> int:
    from surveys.tables import Response

    return run(
        Response.select(Response.id)
        .where(Response.survey == survey_id)
        .order_by(Response.id, ascending=False)
        .first()
        .run
    )["id"]


async def _withdraw(response_id: int) -> None:
    """Retract a response from the tally and mark it withdrawn, in one transaction."""
    from consult.database import write_transaction
    from surveys import tally
    from surveys.tables import Response, ResponseStatus

    async with write_transaction():
        await tally.retract([response_id])
        await Response.update({Response.status: ResponseStatus.withdrawn.value}).where(
            Response.id == response_id
        )


def test_a_retracted_response_leaves_every_cell_it_was_in(run, survey):
    newest = _newest_response(run, survey.survey_id)
    before = _tally(run, survey.survey_id)[(0, 0, 0)]
    run(_withdraw, newest)
    counted = _tally(run, survey.survey_id)
    assert counted[(0, 0, 0)] == before - 1
    assert counted == run(_recount, survey.survey_id)


def test_cells_kept_in_several_shards_are_read_as_their_sum(client, run, survey, monkeypatch):
    """Batches written at once count in shards of their own (consult.group_commit.
    writer_shard); a response may be retracted from another shard than it was added
    to. Whatever the shards, the results are the responses as stored."""
    from surveys import tally
    from surveys.tables import Tally

    before = _tally(run, survey.survey_id)[(0, 0, 0)]
    for variant, shard in enumerate([5, 6, 7, 5]):
        monkeypatch.setattr(tally, "writer_shard", lambda shard=shard: shard)
        assert send_survey(client, survey.submit_url, _form(survey, variant)).status_code == 303
    newest = _newest_response(run, survey.survey_id)
    monkeypatch.setattr(tally, "writer_shard", lambda: 9)  # withdrawn in another shard
    run(_withdraw, newest)
    shards = run(Tally.select(Tally.shard).where(Tally.survey == survey.survey_id).distinct().run)
    assert {5, 6, 7, 9} <= {row["shard"] for row in shards}
    counted = _tally(run, survey.survey_id)
    assert counted[(0, 0, 0)] == before + 3
    assert counted == run(_recount, survey.survey_id)


def test_a_rebuilt_tally_equals_the_running_one(run, survey):
    from surveys import tally

    running = _tally(run, survey.survey_id)
    run(tally.rebuild, survey.survey_id)
    assert _tally(run, survey.survey_id) == running


def test_the_results_page_shows_the_tallied_counts(client, run, survey, make_staff):
    from tests.fixtures import sign_in

    make_staff("tally-planner", "planner")
    sign_in(client, "tally-planner")
    page = client.get(f"/staff/surveys/{survey.survey_id}/results")
    assert page.status_code == 200
    responses = _tally(run, survey.survey_id)[(0, 0, 0)]
    assert f"{responses} responses" in page.text
