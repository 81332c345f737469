"""The consultation API: join with a participant token, vote (two queries), add a statement,
read the stored results; every refusal in the one JSON error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from cocity.core.api_testing import api_url, assert_error, send
from cocity.engagement import services
from cocity.engagement.analysis import opinion_result_compute
from cocity.engagement.models import Conversation, Participant, StatementStatus, Vote
from cocity.engagement.tests.conftest import make_conversation, seed
from cocity.engagement.tests.test_analysis import planted
from cocity.engagement.tokens import HEADER

H = "HTTP_" + HEADER.upper().replace("-", "_")


def curl(conv: Conversation, tail: str = "") -> str:
    return api_url(conv.territory, "consultations", conv.pk) + tail


def join(client: Client, conv: Conversation) -> dict[str, str]:
    answer = client.post(curl(conv, "participants/"))
    assert answer.status_code == 201, answer.content
    return {H: answer.json()["token"]}


def test_participant_join_anonymous_then_vote_and_revote(
    client: Client, conversation: Conversation
) -> None:
    token = join(client, conversation)
    statement = conversation.statements.first()
    for value in (1, -1):
        answer = send(
            client,
            "post",
            curl(conversation, "votes/"),
            {"statement": statement.pk, "vote": value},
            **token,
        )
        assert answer.status_code == 200 and answer.json() == {
            "statement": statement.pk,
            "vote": value,
        }
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    participant = Participant.objects.get()
    assert participant.user is None and participant.number == 0


def test_vote_create_costs_one_query(
    client: Client, conversation: Conversation, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 60
    token = join(client, conversation)
    first, second = conversation.statements.all()[:2]
    send(client, "post", curl(conversation, "votes/"), {"statement": first.pk, "vote": 1}, **token)
    with django_assert_num_queries(1):  # the vote, every check of the rule inside it
        answer = send(
            client,
            "post",
            curl(conversation, "votes/"),
            {"statement": second.pk, "vote": 0},
            **token,
        )
    assert answer.status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_votes_are_planned_once_per_connection_on_postgresql(
    client: Client, conversation: Conversation, settings: Any
) -> None:
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 60
    statements = seed(conversation, *(f"Statement {i}" for i in range(8)))
    token = join(client, conversation)
    for statement in statements:
        answer = send(
            client,
            "post",
            curl(conversation, "votes/"),
            {"statement": statement.pk, "vote": 1},
            **token,
        )
        assert answer.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("INSERT INTO" in sql and Vote._meta.db_table in sql for sql in prepared), prepared
    assert Vote.objects.count() == len(statements)


def test_next_statement_walks_through_the_statements(
    client: Client, conversation: Conversation
) -> None:
    token = join(client, conversation)
    seen = []
    for _ in range(3):
        body = client.get(curl(conversation, "next/"), **token).json()
        seen.append(body["statement"]["id"])
        send(
            client,
            "post",
            curl(conversation, "votes/"),
            {"statement": body["statement"]["id"], "vote": 0},
            **token,
        )
    final = client.get(curl(conversation, "next/"), **token).json()
    assert final == {"statement": None, "voted": 3, "total": 3}
    assert sorted(seen) == sorted(conversation.statements.values_list("pk", flat=True))


def test_vote_create_without_or_with_a_forged_token_is_401(
    client: Client, conversation: Conversation
) -> None:
    body = {"statement": conversation.statements.first().pk, "vote": 1}
    assert_error(send(client, "post", curl(conversation, "votes/"), body), 401)
    assert_error(
        send(client, "post", curl(conversation, "votes/"), body, **{H: "forged:token"}),
        401,
        "bad_participant_token",
    )
    assert not Vote.objects.exists()


def test_vote_create_with_a_token_of_another_conversation_is_401(
    client: Client, conversation: Conversation, territory: Any
) -> None:
    other = make_conversation(territory, title="Other")
    (statement,) = seed(other, "Elsewhere.")
    token = join(client, conversation)
    answer = send(
        client, "post", curl(other, "votes/"), {"statement": statement.pk, "vote": 1}, **token
    )
    assert_error(answer, 401, "bad_participant_token")


def test_vote_create_needs_no_csrf_token_with_the_header(conversation: Conversation) -> None:
    client = Client(enforce_csrf_checks=True)
    token = join(client, conversation)
    answer = send(
        client,
        "post",
        curl(conversation, "votes/"),
        {"statement": conversation.statements.first().pk, "vote": 1},
        **token,
    )
    assert answer.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"statement": 1, "vote": 2},
        {"statement": 1, "vote": True},
        {"statement": 0, "vote": 1},
        {"statement": 1},
        {"statement": 1, "vote": 1, "extra": 1},
        "not json",
        {"statement": 2**70, "vote": 1},
    ],
)
def test_vote_create_with_bad_input_is_4xx_never_500(
    client: Client, conversation: Conversation, body: Any
) -> None:
    token = join(client, conversation)
    answer = send(client, "post", curl(conversation, "votes/"), body, **token)
    assert answer.status_code in (400, 422)
    assert not Vote.objects.exists()


def test_vote_create_refusals(client: Client, conversation: Conversation, settings: Any) -> None:
    token = join(client, conversation)
    participant = Participant.objects.select_related("conversation").get()
    first = conversation.statements.first()
    pending = services.statement_submit(participant=participant, text="New one.")
    answer = send(
        client, "post", curl(conversation, "votes/"), {"statement": pending.pk, "vote": 1}, **token
    )
    assert_error(answer, 404, "not_a_statement")
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (1, 60)}
    send(client, "post", curl(conversation, "votes/"), {"statement": first.pk, "vote": 1}, **token)
    limited = send(
        client, "post", curl(conversation, "votes/"), {"statement": first.pk, "vote": 0}, **token
    )
    assert_error(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) >= 1
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (100, 60)}
    services.participant_revoke(participant=participant, actor=None)
    assert_error(
        send(
            client,
            "post",
            curl(conversation, "votes/"),
            {"statement": first.pk, "vote": 0},
            **token,
        ),
        403,
        "participant_revoked",
    )
    services.conversation_update(conversation=conversation, actor=None, status="closed")
    assert_error(client.post(curl(conversation, "participants/")), 403, "conversation_closed")


def test_participant_join_signed_in_gets_the_same_participant(
    client_as: Any, conversation: Conversation, users: Any
) -> None:
    client = client_as("citizen")
    first, again = (
        client.post(curl(conversation, "participants/")),
        client.post(curl(conversation, "participants/")),
    )
    assert first.json()["number"] == again.json()["number"]
    assert Participant.objects.get().user == users["citizen"]


def test_participant_join_members_only_needs_a_member(
    client: Client, client_as: Any, territory: Any
) -> None:
    conv = make_conversation(territory, is_public=False)
    assert_error(client.post(curl(conv, "participants/")), 404)
    assert client_as("observer").post(curl(conv, "participants/")).status_code == 201


def test_participant_join_private_territory_is_404(client: Client, other_territory: Any) -> None:
    conv = make_conversation(other_territory)
    assert_error(client.post(curl(conv, "participants/")), 404)
    assert not Participant.objects.exists()


def test_statement_submit_goes_to_moderation(client: Client, conversation: Conversation) -> None:
    token = join(client, conversation)
    answer = send(
        client,
        "post",
        curl(conversation, "statements/"),
        {"text": "  Trams  to the airport. "},
        **token,
    )
    assert answer.status_code == 201
    assert (
        answer.json()["status"] == StatementStatus.PENDING
        and answer.json()["text"] == "Trams to the airport."
    )
    too_long = send(client, "post", curl(conversation, "statements/"), {"text": "x" * 401}, **token)
    assert "text" in assert_error(too_long, 422)["fields"]


def test_conversation_list_and_statements_for_the_public(
    client: Client, conversation: Conversation, territory: Any
) -> None:
    make_conversation(territory, title="Draft", status="draft")
    listing = client.get(api_url(territory, "consultations")).json()
    assert [c["title"] for c in listing["items"]] == [conversation.title]
    assert listing["items"][0]["n_statements"] == 3
    statements = client.get(curl(conversation, "statements/")).json()
    assert statements["count"] == 3 and statements["items"][0]["number"] == 0


def test_result_latest_after_the_map_is_computed(client: Client, territory: Any) -> None:
    conv = planted(territory)
    assert_error(client.get(curl(conv, "results/")), 404, "no_results_yet")
    opinion_result_compute(conversation=conv)
    body = client.get(curl(conv, "results/")).json()
    assert body["version"] == 1 and [g["size"] for g in body["groups"]] == [15, 15]
    assert 9 in body["consensus_agree"]


def test_vote_create_by_a_signed_in_members_participant(
    client_as: Any, territory: Any, users: Any
) -> None:
    conv = make_conversation(territory, is_public=False)
    (statement,) = seed(conv, "Members only.")
    client = client_as("observer")
    token = {H: client.post(curl(conv, "participants/")).json()["token"]}
    client.logout()  # the token alone is enough
    answer = send(
        client, "post", curl(conv, "votes/"), {"statement": statement.pk, "vote": -1}, **token
    )
    assert answer.status_code == 200
    assert Vote.objects.get().participant.user == users["observer"]


def test_vote_create_after_the_territory_went_private_is_refused(
    client: Client, conversation: Conversation, territory: Any
) -> None:
    token = join(client, conversation)
    territory.is_public = False
    territory.save()
    answer = send(
        client,
        "post",
        curl(conversation, "votes/"),
        {"statement": conversation.statements.first().pk, "vote": 1},
        **token,
    )
    assert answer.status_code == 404
    assert not Vote.objects.exists()


def test_conversation_list_api_queries_do_not_grow(
    client: Client, territory: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        conv = make_conversation(territory, title=f"Question {i}")
        seed(conv, "One.", "Two.")
    with django_assert_max_num_queries(3):
        body = client.get(api_url(territory, "consultations")).json()
    assert body["count"] == 15 and all(c["n_statements"] == 2 for c in body["items"])
