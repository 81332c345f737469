"""Writes to consultations: votes, statements, moderation, participants, rate limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cocity.core.testing import make_user
from cocity.engagement import services
from cocity.engagement.errors import ParticipationRefused, RateLimited
from cocity.engagement.models import (
    STATEMENT_MAX_CHARS,
    Conversation,
    Participant,
    StatementStatus,
    Vote,
)
from cocity.engagement.tests.conftest import make_conversation, seed
from cocity.programme.services import challenge_create
from cocity.territories.models import Area


def join(conversation: Conversation, **kw: Any) -> Participant:
    participant = services.participant_create(conversation=conversation, **kw)
    participant.conversation = conversation
    return participant


def votes_of(participant: Participant) -> dict[str, int]:
    return {v.statement.text: v.value for v in participant.votes.select_related("statement")}


# --- Votes ------------------------------------------------------------------------------------


def test_vote_cast_keeps_only_the_latest_vote(conversation: Conversation) -> None:
    first = conversation.statements.first()
    p = join(conversation)
    services.vote_cast(participant=p, statement_id=first.pk, value=1)
    services.vote_cast(participant=p, statement_id=first.pk, value=-1)
    services.vote_cast(participant=p, statement_id=first.pk, value=0)
    assert votes_of(p) == {first.text: 0}
    assert Vote.objects.filter(conversation=conversation).count() == 1


def test_vote_cast_costs_one_query_once_a_recompute_is_due(
    conversation: Conversation, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 60
    a, b = conversation.statements.all()[:2]
    p = join(conversation)
    services.vote_cast(participant=p, statement_id=a.pk, value=1)  # asks for the recompute
    with django_assert_num_queries(1):
        services.vote_cast(participant=p, statement_id=b.pk, value=-1)


def test_vote_cast_refuses_a_statement_of_another_conversation(
    conversation: Conversation, territory: Any
) -> None:
    other = make_conversation(territory, title="Another question")
    (foreign,) = seed(other, "A statement elsewhere.")
    p = join(conversation)
    with pytest.raises(ParticipationRefused) as refused:
        services.vote_cast(participant=p, statement_id=foreign.pk, value=1)
    assert refused.value.code == "not_a_statement"
    assert not Vote.objects.filter(participant=p).exists()


def test_vote_cast_refuses_pending_and_rejected_statements(conversation: Conversation) -> None:
    author, voter = join(conversation), join(conversation)
    pending = services.statement_submit(participant=author, text="Trams, not buses.")
    rejected = services.statement_submit(participant=author, text="Ban all cars tomorrow.")
    services.statement_moderate(statement=rejected, actor=None, accept=False, reason="Duplicate")
    for statement in (pending, rejected):
        with pytest.raises(ParticipationRefused):
            services.vote_cast(participant=voter, statement_id=statement.pk, value=1)
    assert not voter.votes.exists()


def test_vote_cast_refuses_a_closed_conversation(conversation: Conversation) -> None:
    p = join(conversation)
    services.conversation_update(conversation=conversation, actor=None, status="closed")
    with pytest.raises(ParticipationRefused) as refused:
        services.vote_cast(participant=p, statement_id=conversation.statements.first().pk, value=1)
    assert refused.value.code == "conversation_closed"
    assert "closed" in refused.value.message


def test_vote_cast_refuses_a_revoked_participant(conversation: Conversation) -> None:
    p = join(conversation)
    services.participant_revoke(participant=p, actor=None)
    with pytest.raises(ParticipationRefused) as refused:
        services.vote_cast(participant=p, statement_id=conversation.statements.first().pk, value=1)
    assert refused.value.code == "participant_revoked"


@pytest.mark.parametrize("value", [2, -2, True, "1"])
def test_vote_cast_refuses_a_value_that_is_not_a_vote(
    conversation: Conversation, value: Any
) -> None:
    p = join(conversation)
    with pytest.raises(ValidationError):
        services.vote_cast(
            participant=p, statement_id=conversation.statements.first().pk, value=value
        )
    assert not p.votes.exists()


def test_vote_cast_rate_limits_each_participant(conversation: Conversation, settings: Any) -> None:
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (3, 60)}
    statement = conversation.statements.first()
    p, other = join(conversation), join(conversation)
    for _ in range(3):
        services.vote_cast(participant=p, statement_id=statement.pk, value=1)
    with pytest.raises(RateLimited) as limited:
        services.vote_cast(participant=p, statement_id=statement.pk, value=-1)
    assert limited.value.retry_after >= 1
    assert votes_of(p) == {statement.text: 1}  # the refused vote changed nothing
    services.vote_cast(participant=other, statement_id=statement.pk, value=-1)  # others may vote


def test_vote_cast_rate_limits_each_address(conversation: Conversation, settings: Any) -> None:
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_address": (4, 60)}
    statement = conversation.statements.first()
    people = [join(conversation) for _ in range(5)]
    for p in people[:4]:
        services.vote_cast(participant=p, statement_id=statement.pk, value=1, address="10.0.0.1")
    with pytest.raises(RateLimited):
        services.vote_cast(
            participant=people[4], statement_id=statement.pk, value=1, address="10.0.0.1"
        )
    services.vote_cast(
        participant=people[4], statement_id=statement.pk, value=1, address="10.0.0.2"
    )


def test_rate_limit_shared_count_holds_a_client_spread_over_processes(
    conversation: Conversation, settings: Any
) -> None:
    """Two processes (two limiters, one cache): the shared count stops the client."""
    from cocity.engagement.ratelimit import HybridLimiter

    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (20, 60)}
    one, two = HybridLimiter(), HybridLimiter()
    allowed = 0
    for i in range(60):
        limiter = one if i % 2 else two
        if not limiter.hit("vote_participant", "p1"):
            allowed += 1
    # Each process alone would allow 20 (40 in all); the shared count stops them near 20.
    assert 20 <= allowed <= 24


# --- Statements -------------------------------------------------------------------------------


def test_statement_text_clean_removes_control_and_invisible_characters() -> None:
    text = "Fewer\x00 cars\u202e in\x07 the\n\n centre\u200b  please "
    assert services.statement_text_clean(text) == "Fewer cars in the centre please"


def test_statement_text_clean_keeps_the_layout_of_imports() -> None:
    assert services.statement_text_clean("Two  spaces\nand a line\x07", keep_layout=True) == (
        "Two  spaces\nand a line"
    )


def test_statement_submit_takes_the_longest_statement_and_refuses_one_more_character(
    conversation: Conversation,
) -> None:
    p = join(conversation)
    services.statement_submit(participant=p, text="a" * STATEMENT_MAX_CHARS)
    with pytest.raises(ValidationError) as error:
        services.statement_submit(participant=p, text="b" * (STATEMENT_MAX_CHARS + 1))
    assert "400 characters" in " ".join(error.value.messages)


def test_statement_submit_keeps_html_as_text(conversation: Conversation) -> None:
    p = join(conversation)
    statement = services.statement_submit(participant=p, text="<script>alert(1)</script> & more")
    assert statement.text == "<script>alert(1)</script> & more"  # escaped where shown


def test_statement_submit_waits_for_moderation_and_the_author_agrees(
    conversation: Conversation,
) -> None:
    p = join(conversation)
    statement = services.statement_submit(participant=p, text="More cycle lanes by the harbour.")
    assert statement.status == StatementStatus.PENDING
    assert statement.author == p and not statement.is_seed
    assert votes_of(p) == {"More cycle lanes by the harbour.": 1}


def test_statement_submit_refuses_a_duplicate_and_an_empty_statement(
    conversation: Conversation,
) -> None:
    p = join(conversation)
    with pytest.raises(ValidationError):
        services.statement_submit(
            participant=p, text="  BUSES should run every ten minutes until midnight.  "
        )
    with pytest.raises(ValidationError):
        services.statement_submit(participant=p, text=" \u200b\n ")


def test_statement_submit_refused_when_the_conversation_takes_votes_only(
    territory: Any,
) -> None:
    conv = make_conversation(territory, allow_statements=False)
    with pytest.raises(ParticipationRefused) as refused:
        services.statement_submit(participant=join(conv), text="Something new.")
    assert refused.value.code == "statements_closed"


def test_statement_submit_rate_limits_each_participant(
    conversation: Conversation, settings: Any
) -> None:
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "statement_participant": (2, 600)}
    p = join(conversation)
    services.statement_submit(participant=p, text="One.")
    services.statement_submit(participant=p, text="Two.")
    with pytest.raises(RateLimited):
        services.statement_submit(participant=p, text="Three.")
    assert conversation.statements.filter(author=p).count() == 2


def test_statement_numbers_are_sequential_in_each_conversation(territory: Any) -> None:
    a, b = make_conversation(territory), make_conversation(territory, title="Other")
    seed(a, "One.", "Two.")
    seed(b, "Uno.")
    services.statement_submit(participant=join(a), text="Three.")
    assert list(a.statements.values_list("number", flat=True)) == [0, 1, 2]
    assert list(b.statements.values_list("number", flat=True)) == [0]


def test_statement_moderate_needs_a_reason_to_reject(conversation: Conversation) -> None:
    statement = services.statement_submit(participant=join(conversation), text="Off topic.")
    with pytest.raises(ValidationError) as error:
        services.statement_moderate(statement=statement, actor=None, accept=False, reason=" ")
    assert "reason" in error.value.message_dict
    statement.refresh_from_db()
    assert statement.status == StatementStatus.PENDING


def test_statement_moderate_accepts_and_rejects(conversation: Conversation, users: Any) -> None:
    p = join(conversation)
    good = services.statement_submit(participant=p, text="A car-free Sunday each month.")
    bad = services.statement_submit(participant=p, text="Everyone on the council is a crook.")
    services.statement_moderate(statement=good, actor=users["facilitator"], accept=True)
    services.statement_moderate(
        statement=bad, actor=users["facilitator"], accept=False, reason="A personal attack."
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, good.moderated_by) == (StatementStatus.ACCEPTED, users["facilitator"])
    assert (bad.status, bad.moderation_reason) == (StatementStatus.REJECTED, "A personal attack.")


# --- Participants -----------------------------------------------------------------------------


def test_participant_create_gives_one_participant_per_user(conversation: Conversation) -> None:
    user = make_user()
    first = services.participant_create(conversation=conversation, user=user)
    again = services.participant_create(conversation=conversation, user=user)
    anonymous = services.participant_create(conversation=conversation)
    assert first == again and first.user == user
    assert [first.number, anonymous.number] == [0, 1]


def test_participant_create_refused_before_the_conversation_opens(territory: Any) -> None:
    draft = make_conversation(territory, status="draft")
    with pytest.raises(ParticipationRefused):
        services.participant_create(conversation=draft)
    assert not Participant.objects.exists()


def test_participant_create_rate_limits_new_participants_per_address(
    conversation: Conversation, settings: Any
) -> None:
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "participant_address": (2, 3600)}
    for _ in range(2):
        services.participant_create(conversation=conversation, address="10.1.1.1")
    with pytest.raises(RateLimited):
        services.participant_create(conversation=conversation, address="10.1.1.1")
    assert conversation.participants.count() == 2


def test_participant_profile_set_refuses_an_area_of_another_territory(
    conversation: Conversation, other_territory: Any
) -> None:
    foreign = Area.objects.create(territory=other_territory, code="E0001", name="Elsewhere")
    p = join(conversation)
    with pytest.raises(ValidationError):
        services.participant_profile_set(participant=p, sector="citizens", area=foreign)
    with pytest.raises(ValidationError):
        services.participant_profile_set(participant=p, sector="aliens")
    p.refresh_from_db()
    assert (p.sector, p.area, p.profile_answered) == ("", None, False)


def test_participant_revoke_rejects_its_pending_statements(conversation: Conversation) -> None:
    p = join(conversation)
    pending = services.statement_submit(participant=p, text="Buy my product!")
    services.participant_revoke(participant=p, actor=None)
    pending.refresh_from_db()
    assert pending.status == StatementStatus.REJECTED
    assert p.revoked_at is not None


# --- Conversations ----------------------------------------------------------------------------


def test_conversation_create_refuses_a_challenge_of_another_territory(
    territory: Any, other_territory: Any
) -> None:
    foreign = challenge_create(territory=other_territory, actor=None, title="Elsewhere")
    with pytest.raises(ValidationError) as error:
        make_conversation(territory, challenge=foreign)
    assert "challenge" in error.value.message_dict
    assert not Conversation.objects.exists()


def test_opinion_recompute_request_asks_once_while_a_recompute_is_due(
    conversation: Conversation,
    settings: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 30
    Conversation.objects.filter(pk=conversation.pk).update(recompute_due_at=None)
    services.recompute_memo.reset()
    # One query: the request (the task is queued on commit).
    with django_capture_on_commit_callbacks(execute=True) as queued, django_assert_num_queries(1):
        services.opinion_recompute_request(conversation_id=conversation.pk)
    assert len(queued) == 1
    with django_assert_num_queries(0):
        services.opinion_recompute_request(conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.recompute_due_at is not None


def test_shared_limiter_counts_every_hit_in_the_cache(
    conversation: Conversation, settings: Any
) -> None:
    settings.COCITY_VOTE_LIMITER = "shared"
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (2, 60)}
    statement = conversation.statements.first()
    p = join(conversation)
    services.vote_cast(participant=p, statement_id=statement.pk, value=1)
    services.vote_cast(participant=p, statement_id=statement.pk, value=1)
    with pytest.raises(RateLimited):
        services.vote_cast(participant=p, statement_id=statement.pk, value=0)


def test_next_statement_puts_seeds_first_in_each_participants_own_order(territory: Any) -> None:
    from cocity.engagement.selectors import next_statement

    conv = make_conversation(territory)
    seeds = seed(conv, *[f"Seed {i}." for i in range(10)])
    later = services.statement_submit(participant=join(conv), text="A participant's idea.")
    services.statement_moderate(statement=later, actor=None, accept=True)
    people = [join(conv) for _ in range(20)]
    firsts = {next_statement(participant=p, conversation=conv).statement for p in people}
    assert firsts <= set(seeds) and len(firsts) > 1  # seeds first, not all the same one
    p = people[0]
    seen = []
    for _ in range(11):
        found = next_statement(participant=p, conversation=conv)
        seen.append(found.statement)
        services.vote_cast(participant=p, statement_id=found.statement.pk, value=0)
    assert seen[-1] == later and set(seen[:10]) == set(seeds)
    done = next_statement(participant=p, conversation=conv)
    assert (done.statement, done.voted, done.total) == (None, 11, 11)
