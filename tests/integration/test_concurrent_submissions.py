"""Submissions that arrive together: stored whole, once each, and one bad one alone.

Resident submissions go through surveys.submissions.submit, which queues them into a
consult.database.GroupCommit: whatever is queued while a batch commits is written
in the next batch, in one transaction. These tests send many submissions at once
on the app's own event loop (so, on SQLite, through the app's kept writer, as real
requests are) and check what a planner would see afterwards in the database.

How the batches fall is predictable: of coroutines started together, the first
finds nobody writing and writes its own item alone; the others queue meanwhile and
go together in the next batch. So a case that needs two items in one batch puts a
harmless "leader" submission first.

The second half drives a GroupCommit of the tests' own, whose write_batch inserts
real Response rows, to pin down the batching itself: fewer transactions than
items, each result back to its own caller, one bad item failing alone, any other
failure failing its whole batch, and a cancelled caller's items not lost.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from tests.conftest import ENGINE

ANSWERS_PER_FORM = 6  # single 1, multiple 2, scale 1, text 1, number 1
NO_SUCH_ID = 987_654_321
_keys = itertools.count(1)


def new_key(label: str) -> str:
    """A fresh idempotency key, readable in a failure message."""
    return f"{label}-{next(_keys):04d}-{ENGINE}"


def form_answers(survey, spec, text: str):
    """Parse a complete form the way the submit controller does."""
    from surveys.flow import Journey

    ids, options = survey.question_ids, survey.option_ids
    parsed = Journey(
        spec,
        {
            f"q{ids['single']}": [str(options["single"][1])],
            f"q{ids['multiple']}": [str(options["multiple"][0]), str(options["multiple"][2])],
            f"q{ids['scale']}": [str(options["scale"][4])],
            f"q{ids['text']}": [text],
            f"q{ids['number']}": ["7"],
        },
    ).parse_all()
    assert parsed.is_valid, parsed.errors
    assert len(parsed.answers) == ANSWERS_PER_FORM
    return tuple(parsed.answers)


def answer_rows(answers) -> list[tuple]:
    return sorted(
        ((a.question_id, a.option_id, a.number, a.text) for a in answers),
        key=repr,
    )


async def _stored(survey_id: int) -> dict[str, list[tuple]]:
    """idempotency key -> that response's answer rows, for every response of a survey."""
    from surveys.tables import Answer, Response

    responses = await Response.select(Response.id, Response.idempotency_key).where(
        Response.survey == survey_id
    )
    stored: dict[str, list[tuple]] = {}
    for response in responses:
        rows = await Answer.select(
            Answer.question, Answer.option, Answer.number, Answer.text
        ).where(Answer.response == response["id"])
        stored[response["idempotency_key"]] = sorted(
            ((r["question"], r["option"], r["number"], r["text"]) for r in rows), key=repr
        )
    return stored


def stored(run, survey_id: int) -> dict[str, list[tuple]]:
    return run(_stored, survey_id)


async def _answer_count(survey_id: int) -> int:
    from surveys.tables import Answer

    return await Answer.count().where(Answer.response.survey == survey_id)


async def _submit_all(calls: Sequence[tuple]) -> list[object]:
    """Start every submission at once; each one's return value or exception, in order."""
    from surveys import submissions

    return await asyncio.gather(
        *[
            submissions.submit(spec, answers, key, "en", *channel)
            for spec, answers, key, *channel in calls
        ],
        return_exceptions=True,
    )


def submit_all(run, calls: Sequence[tuple]) -> list[object]:
    return run(_submit_all, calls)


@pytest.fixture(scope="module")
def open_survey(make_survey):
    return make_survey("concurrent-open")


@pytest.fixture(scope="module")
def spec(run, open_survey):
    from surveys import services

    return run(services.load_spec, open_survey.survey_id)


# --- Submissions -----------------------------------------------------------------


def test_forty_distinct_submissions_at_once_are_all_stored_whole(run, make_survey):
    from surveys import services

    survey = make_survey("forty-at-once")
    spec = run(services.load_spec, survey.survey_id)
    forms = {new_key("forty"): form_answers(survey, spec, f"Idea number {i}") for i in range(40)}

    results = submit_all(run, [(spec, answers, key) for key, answers in forms.items()])

    assert results == [True] * 40
    after = stored(run, survey.survey_id)
    assert set(after) == set(forms)
    for key, answers in forms.items():
        # Every answer of its own form, once: none lost, none doubled, none swapped.
        assert after[key] == answer_rows(answers), key
    assert run(_answer_count, survey.survey_id) == 40 * ANSWERS_PER_FORM


def test_one_form_sent_twenty_times_at_once_is_stored_once(run, make_survey):
    from surveys import services

    survey = make_survey("double-tap")
    spec = run(services.load_spec, survey.survey_id)
    leader = new_key("leader")
    tapped = new_key("tapped")
    answers = form_answers(survey, spec, "Stored once, please.")

    # The leader writes alone; the twenty copies then share one batch, so the copies
    # meet each other (not a row already stored) inside one transaction.
    results = submit_all(run, [(spec, answers, leader)] + [(spec, answers, tapped)] * 20)

    assert results[0] is True
    copies = results[1:]
    assert all(isinstance(result, bool) for result in copies), copies
    assert copies.count(True) == 1
    assert copies.count(False) == 19
    after = stored(run, survey.survey_id)
    assert set(after) == {leader, tapped}
    assert after[tapped] == answer_rows(answers)
    assert run(_answer_count, survey.survey_id) == 2 * ANSWERS_PER_FORM


def test_same_key_from_every_caller_at_once_returns_true_once(run, make_survey):
    from surveys import services

    survey = make_survey("same-key-only")
    spec = run(services.load_spec, survey.survey_id)
    key = new_key("only")
    answers = form_answers(survey, spec, "Twenty taps.")

    results = submit_all(run, [(spec, answers, key)] * 20)

    assert results.count(True) == 1
    assert results.count(False) == 19
    assert stored(run, survey.survey_id) == {key: answer_rows(answers)}


def test_a_bad_submission_in_a_batch_fails_alone(run, make_survey):
    from consult.group_commit import ITEM_ERRORS
    from surveys import services, submissions
    from surveys.question_types import AnswerValue

    survey = make_survey("one-bad-apple")
    spec = run(services.load_spec, survey.survey_id)
    good = {new_key("good"): form_answers(survey, spec, f"Good {i}") for i in range(9)}
    bad_key = new_key("bad")
    # An option that does not exist: the database refuses the Answer row (foreign key).
    bad_answers = (
        *form_answers(survey, spec, "Bad"),
        AnswerValue(question_id=survey.question_ids["single"], option_id=NO_SUCH_ID),
    )
    calls = [(spec, answers, key) for key, answers in good.items()]
    calls.insert(4, (spec, bad_answers, bad_key))  # among good ones in the second batch

    results = submit_all(run, calls)

    bad_result = results.pop(4)
    assert isinstance(bad_result, ITEM_ERRORS), bad_result  # the database's own refusal
    assert results == [True] * 9, results
    after = stored(run, survey.survey_id)
    assert bad_key not in after  # no Response row without its answers
    assert set(after) == set(good)
    for key, answers in good.items():
        assert after[key] == answer_rows(answers), key
    assert run(_answer_count, survey.survey_id) == 9 * ANSWERS_PER_FORM

    # Refused, not remembered: the same key can be sent again, corrected.
    fixed = form_answers(survey, spec, "Bad, fixed")
    assert run(submissions.submit, spec, fixed, bad_key, "en") is True
    assert stored(run, survey.survey_id)[bad_key] == answer_rows(fixed)


def test_a_bad_submission_alone_raises_and_stores_nothing(run, make_survey):
    from consult.group_commit import ITEM_ERRORS
    from surveys import services, submissions
    from surveys.question_types import AnswerValue

    survey = make_survey("lone-bad-apple")
    spec = run(services.load_spec, survey.survey_id)
    bad = (AnswerValue(question_id=NO_SUCH_ID, number=1),)

    with pytest.raises(ITEM_ERRORS):
        run(submissions.submit, spec, bad, new_key("lone-bad"), "en")

    assert stored(run, survey.survey_id) == {}


def test_a_closed_consultation_stores_nothing(run, make_survey):
    from consult.tables import ConsultationStatus
    from surveys import services, submissions

    closed = make_survey("closed-alone", status=ConsultationStatus.closed)
    spec = run(services.load_spec, closed.survey_id)

    with pytest.raises(submissions.ConsultationNotOpen):
        run(submissions.submit, spec, form_answers(closed, spec, "Too late"), new_key("late"), "en")

    assert stored(run, closed.survey_id) == {}


def test_closed_and_open_submissions_in_one_batch(run, make_survey, open_survey, spec):
    from consult.tables import ConsultationStatus
    from surveys import services, submissions

    closed = make_survey("closed-in-a-batch", status=ConsultationStatus.closed)
    closed_spec = run(services.load_spec, closed.survey_id)
    before = stored(run, open_survey.survey_id)
    on_time = {
        new_key("on-time"): form_answers(open_survey, spec, f"On time {i}") for i in range(6)
    }
    late = [new_key("late") for _ in range(3)]
    calls = [(spec, answers, key) for key, answers in on_time.items()]
    # Closed ones in the middle and at the end, so that they share batches with open ones.
    for position, key in zip((1, 4, 8), late, strict=True):
        calls.insert(position, (closed_spec, form_answers(closed, closed_spec, "Late"), key))

    results = submit_all(run, calls)

    for position in (8, 4, 1):
        assert isinstance(results.pop(position), submissions.ConsultationNotOpen)
    assert results == [True] * 6, results
    after = stored(run, open_survey.survey_id)
    assert set(after) == set(before) | set(on_time)
    for key, answers in on_time.items():
        assert after[key] == answer_rows(answers), key
    assert stored(run, closed.survey_id) == {}


def test_closing_a_consultation_stops_submissions(run, make_survey):
    from consult.services import consultations
    from consult.tables import ConsultationStatus
    from surveys import services, submissions

    survey = make_survey("closes-now")
    spec = run(services.load_spec, survey.survey_id)
    first = new_key("before-close")
    assert run(submissions.submit, spec, form_answers(survey, spec, "In time"), first, "en") is True

    consultation = run(consultations.by_id, survey.consultation_id)
    run(consultations.set_status, consultation, ConsultationStatus.closed)
    # The spec the resident's form was built from still says nothing about the status.
    results = submit_all(
        run, [(spec, form_answers(survey, spec, f"Late {i}"), new_key("after")) for i in range(5)]
    )

    assert all(isinstance(r, submissions.ConsultationNotOpen) for r in results), results
    assert set(stored(run, survey.survey_id)) == {first}


def test_a_form_stored_earlier_and_sent_again_stores_nothing_new(run, open_survey, spec):
    from surveys import submissions
    from surveys.tables import Channel

    key = new_key("retry")
    original = form_answers(open_survey, spec, "First version")
    assert run(submissions.submit, spec, original, key, "en") is True
    before = stored(run, open_survey.survey_id)
    answers_before = run(_answer_count, open_survey.survey_id)

    # Sent again later, alone and then among others: never stored a second time, and
    # the first version's answers stay as they were.
    assert (
        run(submissions.submit, spec, form_answers(open_survey, spec, "Edited"), key, "en") is False
    )
    others = {new_key("other"): form_answers(open_survey, spec, f"Other {i}") for i in range(4)}
    calls = [(spec, answers, k) for k, answers in others.items()]
    calls.insert(2, (spec, form_answers(open_survey, spec, "Edited again"), key, Channel.kiosk))
    results = submit_all(run, calls)

    assert results == [True, True, False, True, True]
    after = stored(run, open_survey.survey_id)
    assert after[key] == answer_rows(original)
    assert set(after) == set(before) | set(others)
    assert run(_answer_count, open_survey.survey_id) == answers_before + 4 * ANSWERS_PER_FORM


# --- GroupCommit itself, writing real rows ---------------------------------------


class Recorder:
    """A write_batch that inserts one Response per key and returns (key, row id).

    A key starting with "bad" names a survey that does not exist (a foreign-key
    violation: an item error); a key starting with "boom" makes the whole batch fail
    with an error that is not an item's, after its rows were inserted.
    """

    def __init__(self, survey_id: int) -> None:
        self.survey_id = survey_id
        self.batches: list[list[str]] = []
        self.hold: asyncio.Event | None = None  # set: the next batch waits for it
        self.holding = asyncio.Event()

    async def __call__(self, keys: list[str]) -> list[tuple[str, int]]:
        from surveys.tables import Response

        self.batches.append(list(keys))
        if self.hold is not None:
            hold, self.hold = self.hold, None
            self.holding.set()
            await hold.wait()
        rows = await Response.insert(
            *[
                Response(
                    survey=NO_SUCH_ID if key.startswith("bad") else self.survey_id,
                    submitted_at=datetime(2024, 1, 1, tzinfo=UTC),
                    idempotency_key=key,
                )
                for key in keys
            ]
        ).returning(Response.id, Response.idempotency_key)
        if any(key.startswith("boom") for key in keys):
            raise RuntimeError("the disk is full")
        ids = {row["idempotency_key"]: row["id"] for row in rows}
        return [(key, ids[key]) for key in keys]


async def _response_ids(keys: Sequence[str]) -> dict[str, list[int]]:
    from surveys.tables import Response

    rows = await Response.select(Response.id, Response.idempotency_key).where(
        Response.idempotency_key.is_in(list(keys))
    )
    found: dict[str, list[int]] = {}
    for row in rows:
        found.setdefault(row["idempotency_key"], []).append(row["id"])
    return found


async def _write_all(group, keys: Sequence[str]) -> list[object]:
    return await asyncio.gather(*[group.write(key) for key in keys], return_exceptions=True)


def test_items_written_together_share_transactions_and_get_their_own_results(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=1)
    keys = [new_key("gc-many") for _ in range(30)]

    results = run(_write_all, group, keys)

    ids = run(_response_ids, keys)
    assert {key: len(found) for key, found in ids.items()} == dict.fromkeys(keys, 1)
    # Each caller gets the result for its own item, not a neighbour's.
    assert results == [(key, ids[key][0]) for key in keys]
    # Every item once, in the order queued, in fewer transactions than items (today:
    # a lone first one, then everything that queued meanwhile).
    assert list(itertools.chain.from_iterable(recorder.batches)) == keys
    assert len(recorder.batches) < len(keys) // 2, recorder.batches


def test_batches_are_no_larger_than_max_batch(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, max_batch=8, writers=1)
    keys = [new_key("gc-capped") for _ in range(30)]

    results = run(_write_all, group, keys)

    ids = run(_response_ids, keys)
    assert results == [(key, ids[key][0]) for key in keys]
    assert all(len(batch) <= 8 for batch in recorder.batches), recorder.batches
    # In the order they were queued, each item once.
    assert list(itertools.chain.from_iterable(recorder.batches)) == keys
    assert 4 <= len(recorder.batches) < len(keys) // 2, recorder.batches


def test_an_item_error_fails_only_its_own_item(run, open_survey):
    from consult.group_commit import ITEM_ERRORS, GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=1)
    keys = [new_key("gc-good") for _ in range(8)]
    keys.insert(5, new_key("bad-gc"))

    results = run(_write_all, group, keys)

    assert isinstance(results[5], ITEM_ERRORS), results[5]
    good = keys[:5] + keys[6:]
    ids = run(_response_ids, keys)
    assert set(ids) == set(good)
    assert all(len(found) == 1 for found in ids.values())  # the failed batch left nothing
    assert results[:5] + results[6:] == [(key, ids[key][0]) for key in good]
    # The bad item went in a batch with others, which failed; each of that batch's
    # items was then written alone (today: keys[1:], after a lone first one).
    failed = next(batch for batch in recorder.batches if keys[5] in batch)
    assert len(failed) > 1, recorder.batches
    after = recorder.batches[recorder.batches.index(failed) + 1 :]
    assert after[: len(failed)] == [[key] for key in failed], recorder.batches


def test_any_other_error_fails_the_whole_batch_and_stores_none_of_it(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=1)
    first = new_key("gc-first")
    batch = [new_key("gc-unlucky") for _ in range(3)] + [new_key("boom-gc")]

    results = run(_write_all, group, [first, *batch])

    assert results[0] == (first, run(_response_ids, [first])[first][0])
    assert all(isinstance(r, RuntimeError) for r in results[1:]), results
    assert run(_response_ids, batch) == {}  # rolled back whole, not retried item by item
    assert recorder.batches == [[first], batch]


async def _cancel_the_writer(group, recorder, keys: list[str]) -> tuple[list[object], list[str]]:
    """A writes alone and waits; B and C queue; B takes [b, c] and is cancelled mid-batch."""
    a, b, c = keys
    recorder.hold = release_a = asyncio.Event()
    task_a = asyncio.create_task(group.write(a))
    await asyncio.wait_for(recorder.holding.wait(), 10)
    recorder.holding.clear()
    task_b = asyncio.create_task(group.write(b))
    task_c = asyncio.create_task(group.write(c))
    for _ in range(5):
        await asyncio.sleep(0)  # B and C queue up behind A
    recorder.hold = asyncio.Event()  # never set: B's batch hangs until cancelled
    release_a.set()
    await asyncio.wait_for(recorder.holding.wait(), 10)
    taken_by_b = list(recorder.batches[-1])
    task_b.cancel()
    outcomes = await asyncio.wait_for(
        asyncio.gather(task_a, task_b, task_c, return_exceptions=True), 10
    )
    return outcomes, taken_by_b


def test_a_writer_cancelled_mid_batch_hands_the_others_items_on(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=1)
    keys = [new_key("gc-cancel") for _ in range(3)]
    a, b, c = keys

    (result_a, result_b, result_c), taken_by_b = run(_cancel_the_writer, group, recorder, keys)

    assert taken_by_b == [b, c]  # B was writing C's item too when it was cancelled
    ids = run(_response_ids, keys)
    assert isinstance(result_b, asyncio.CancelledError)
    assert result_a == (a, ids[a][0])
    # C is not left waiting forever nor told its item was lost: the next writer
    # (C itself) writes what B had not, once.
    assert result_c == (c, ids[c][0])
    assert {key: len(found) for key, found in ids.items()} == {a: 1, b: 1, c: 1}
    assert recorder.batches[-1] == [b, c]


async def _cancel_a_waiter(group, recorder, keys: list[str]) -> list[object]:
    """A writes alone and waits; B and C queue; B is cancelled while still queued."""
    a, b, c = keys
    recorder.hold = release_a = asyncio.Event()
    task_a = asyncio.create_task(group.write(a))
    await asyncio.wait_for(recorder.holding.wait(), 10)
    task_b = asyncio.create_task(group.write(b))
    task_c = asyncio.create_task(group.write(c))
    for _ in range(5):
        await asyncio.sleep(0)
    task_b.cancel()
    await asyncio.sleep(0)
    release_a.set()
    return await asyncio.wait_for(
        asyncio.gather(task_a, task_b, task_c, return_exceptions=True), 10
    )


def test_a_caller_cancelled_while_queued_does_not_hold_up_the_rest(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = Recorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=1)
    keys = [new_key("gc-queued") for _ in range(3)]
    a, b, c = keys

    result_a, result_b, result_c = run(_cancel_a_waiter, group, recorder, keys)

    ids = run(_response_ids, keys)
    assert isinstance(result_b, asyncio.CancelledError)
    assert result_a == (a, ids[a][0])
    assert result_c == (c, ids[c][0])
    # B's item was already queued: it goes with the next batch, once.
    assert {key: len(found) for key, found in ids.items()} == {a: 1, b: 1, c: 1}
    assert recorder.batches == [[a], [b, c]]

    # The queue is empty afterwards: the next write goes alone and returns.
    d = new_key("gc-after")
    assert run(group.write, d) == (d, run(_response_ids, [d])[d][0])
    assert recorder.batches[-1] == [d]


# --- Several writers at once (PostgreSQL: CONSULT_POSTGRES_WRITERS) ---


class GatedRecorder(Recorder):
    """A Recorder whose every batch, once inside its transaction, reports itself on
    `entered` (its keys and its writer's shard) and waits for its own gate."""

    def __init__(self, survey_id: int) -> None:
        super().__init__(survey_id)
        self.entered: asyncio.Queue[tuple[list[str], int]] = asyncio.Queue()
        self.gates: dict[str, asyncio.Event] = {}

    def gate(self, key: str) -> asyncio.Event:
        """The gate of the batch that starts with `key`."""
        return self.gates.setdefault(key, asyncio.Event())

    async def __call__(self, keys: list[str]) -> list[tuple[str, int]]:
        from consult.group_commit import writer_shard

        await self.entered.put((list(keys), writer_shard()))
        await self.gate(keys[0]).wait()
        return await super().__call__(keys)


async def _three_at_once(group, recorder, keys: list[str]) -> tuple[list, list, list]:
    tasks = [asyncio.create_task(group.write(key)) for key in keys]
    inside = [await asyncio.wait_for(recorder.entered.get(), 10) for _ in range(3)]
    for _ in range(5):
        await asyncio.sleep(0)
    waiting = [key for key, task in zip(keys, tasks, strict=True) if not task.done()]
    for gate_key in [keys[0], keys[1], keys[2], keys[3]]:
        recorder.gate(gate_key).set()
    results = await asyncio.wait_for(asyncio.gather(*tasks), 10)
    return inside, waiting, results


@pytest.mark.postgres_only
@pytest.mark.skipif(ENGINE != "postgres", reason="SQLite writes one batch at a time")
def test_on_postgres_three_batches_are_written_at_once_each_in_its_own_shard(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = GatedRecorder(open_survey.survey_id)
    group = GroupCommit(recorder, writers=3)
    keys = [new_key("gc-three") for _ in range(5)]

    inside, waiting, results = run(_three_at_once, group, recorder, keys)

    # The first three each went alone, all three inside a transaction at once, each
    # in a shard of its own; the other two waited, then went together.
    assert sorted(batch for batch, _ in inside) == [[keys[0]], [keys[1]], [keys[2]]]
    assert len({shard for _, shard in inside}) == 3
    assert waiting == keys
    assert recorder.batches[-1] == keys[3:]
    ids = run(_response_ids, keys)
    assert results == [(key, ids[key][0]) for key in keys]


async def _hand_back(group, recorder, keys: list[str]) -> tuple[list[object], list[str]]:
    """Two writers hold [a] and [b]; C and D queue; [b] ends, C takes [c, d]; [a] ends,
    D finds its item in C's batch and waits; C is cancelled before it writes."""
    a, b, c, d = keys
    task_a = asyncio.create_task(group.write(a))
    task_b = asyncio.create_task(group.write(b))
    for _ in range(2):
        await asyncio.wait_for(recorder.entered.get(), 10)
    task_c = asyncio.create_task(group.write(c))
    task_d = asyncio.create_task(group.write(d))
    for _ in range(5):
        await asyncio.sleep(0)
    recorder.gate(b).set()
    taken_by_c, _ = await asyncio.wait_for(recorder.entered.get(), 10)
    recorder.gate(a).set()
    await asyncio.wait_for(task_a, 10)
    for _ in range(5):
        await asyncio.sleep(0)  # D gets the free writer, finds [c, d] taken, waits
    task_c.cancel()
    # D writes [c, d] itself: let that batch through.
    recorder.gates[c] = asyncio.Event()
    recorder.gate(c).set()
    outcomes = await asyncio.wait_for(
        asyncio.gather(task_a, task_b, task_c, task_d, return_exceptions=True), 10
    )
    return outcomes, taken_by_c


@pytest.mark.postgres_only
@pytest.mark.skipif(ENGINE != "postgres", reason="SQLite writes one batch at a time")
def test_an_item_in_a_cancelled_writers_batch_is_written_by_its_own_caller(run, open_survey):
    from consult.group_commit import GroupCommit

    recorder = GatedRecorder(open_survey.survey_id)
    group = GroupCommit(recorder, max_batch=2, writers=2)
    keys = [new_key("gc-handed") for _ in range(4)]
    a, b, c, d = keys

    (result_a, result_b, result_c, result_d), taken_by_c = run(_hand_back, group, recorder, keys)

    assert taken_by_c == [c, d]
    assert isinstance(result_c, asyncio.CancelledError)
    ids = run(_response_ids, keys)
    # D is not left waiting for a batch nobody writes: it writes it, once.
    assert result_d == (d, ids[d][0])
    assert [result_a, result_b] == [(a, ids[a][0]), (b, ids[b][0])]
    assert {key: len(found) for key, found in ids.items()} == dict.fromkeys(keys, 1)
    assert recorder.batches[-1] == [c, d]
