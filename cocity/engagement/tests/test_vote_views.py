"""Voting pages: without JavaScript (plain POST forms), anonymous with a cookie, or signed in;
profile questions once; statements to moderation; refusals explained, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cocity.engagement import services
from cocity.engagement.models import Conversation, Participant, Statement, StatementStatus, Vote
from cocity.engagement.tests.conftest import make_conversation, seed
from cocity.engagement.tokens import cookie_name
from cocity.territories.models import Area


def url(conv: Conversation, name: str = "vote") -> str:
    return reverse(f"engagement:{name}", args=[conv.territory.slug, conv.pk])


def vote(
    client: Client, conv: Conversation, statement: Statement, value: str = "1", **kw: Any
) -> Any:
    return client.post(url(conv), {"statement": statement.pk, "vote": value}, **kw)


@pytest.fixture
def open_conv(territory: Any, users: Any) -> Conversation:
    """Open, public, no profile questions (they have their own tests)."""
    conv = make_conversation(territory, users["facilitator"], ask_profile=False)
    seed(conv)
    return conv


def test_vote_anonymous_without_javascript_goes_statement_by_statement(
    client: Client, open_conv: Conversation
) -> None:
    page = client.get(url(open_conv))
    assert page.status_code == 200
    first = Statement.objects.get(pk=page.context["next"].statement.pk)
    assert "Statement 1 of 3" in page.content.decode()
    assert not Participant.objects.exists()  # looking creates nobody

    answer = vote(client, open_conv, first, "-1")
    assert answer.status_code == 302 and answer["Location"] == url(open_conv)
    cookie = answer.cookies[cookie_name(open_conv.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == reverse(
        "engagement:conversation_detail", args=[open_conv.territory.slug, open_conv.pk]
    )
    participant = Participant.objects.get()
    assert participant.user is None
    assert list(participant.votes.values_list("statement", "value")) == [(first.pk, -1)]

    following = client.get(url(open_conv))
    assert "Statement 2 of 3" in following.content.decode()
    assert following.context["next"].statement.pk != first.pk


def test_vote_again_on_the_same_statement_keeps_the_latest(
    client: Client, open_conv: Conversation
) -> None:
    statement = open_conv.statements.first()
    vote(client, open_conv, statement, "1")
    vote(client, open_conv, statement, "0")
    assert list(Vote.objects.values_list("value", flat=True)) == [0]
    assert Participant.objects.count() == 1  # the cookie brought the same participant back


def test_vote_signed_in_votes_as_the_member(
    client_as: Any, open_conv: Conversation, users: Any
) -> None:
    client = client_as("citizen")
    answer = vote(client, open_conv, open_conv.statements.first())
    assert answer.status_code == 302
    assert cookie_name(open_conv.pk) not in answer.cookies
    assert Participant.objects.get().user == users["citizen"]


def test_vote_all_done_thanks_the_participant(client: Client, open_conv: Conversation) -> None:
    for s in open_conv.statements.all():
        vote(client, open_conv, s)
    page = client.get(url(open_conv))
    assert page.context["next"].statement is None
    assert "You have voted on every statement" in page.content.decode()


def test_vote_with_htmx_answers_the_next_card_with_focus(
    client: Client, open_conv: Conversation
) -> None:
    answer = vote(client, open_conv, open_conv.statements.first(), HTTP_HX_REQUEST="true")
    body = answer.content.decode()
    assert answer.status_code == 200
    assert body.lstrip().startswith('<section id="vote-card"')
    assert "autofocus" in body and "Statement 2 of 3" in body
    assert cookie_name(open_conv.pk) in answer.cookies


def test_vote_closed_conversation_refuses_and_says_so(
    client: Client, open_conv: Conversation
) -> None:
    statement = open_conv.statements.first()
    services.conversation_update(conversation=open_conv, actor=None, status="closed")
    answer = vote(client, open_conv, statement)
    assert answer.status_code == 403
    assert "This consultation is closed" in answer.content.decode()
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_vote_withdrawn_participant_is_refused_with_a_reason(
    client: Client, open_conv: Conversation
) -> None:
    first, second = open_conv.statements.all()[:2]
    vote(client, open_conv, first)
    services.participant_revoke(participant=Participant.objects.get(), actor=None)
    answer = vote(client, open_conv, second)
    assert answer.status_code == 403
    assert "withdrawn" in answer.content.decode()
    assert Vote.objects.count() == 1


def test_vote_too_fast_is_refused_with_retry_after(
    client: Client, open_conv: Conversation, settings: Any
) -> None:
    settings.COCITY_RATE_LIMITS = {**settings.COCITY_RATE_LIMITS, "vote_participant": (2, 60)}
    statement = open_conv.statements.first()
    vote(client, open_conv, statement)
    vote(client, open_conv, statement)
    answer = vote(client, open_conv, statement, "-1")
    assert answer.status_code == 429 and int(answer["Retry-After"]) >= 1
    assert "faster than anyone can read" in answer.content.decode()
    assert list(Vote.objects.values_list("value", flat=True)) == [1]


@pytest.mark.parametrize(
    "data",
    [
        {"statement": "abc", "vote": "1"},
        {"statement": "1", "vote": "5"},
        {"vote": "1"},
        {"statement": "99999999999999999999999", "vote": "1"},
        {"statement": "9223372036854775808", "vote": "1"},
        {"statement": "\u00b2", "vote": "1"},
        {},
    ],
)
def test_vote_with_bad_input_answers_400_and_saves_nothing(
    client: Client, open_conv: Conversation, data: dict[str, str]
) -> None:
    answer = client.post(url(open_conv), data)
    assert answer.status_code in (400, 403)
    assert "Agree, Disagree or Pass" in answer.content.decode() or answer.status_code == 403
    assert not Vote.objects.exists()


def test_vote_on_a_statement_of_another_conversation_is_refused(
    client: Client, open_conv: Conversation, territory: Any
) -> None:
    other = make_conversation(territory, title="Other", ask_profile=False)
    (foreign,) = seed(other, "Elsewhere.")
    answer = vote(client, open_conv, foreign)
    assert answer.status_code == 403
    assert not Vote.objects.exists()


def test_vote_members_only_conversation_hidden_from_anonymous(
    client: Client, client_as: Any, territory: Any
) -> None:
    conv = make_conversation(territory, is_public=False, ask_profile=False)
    (statement,) = seed(conv, "Members only.")
    assert client.get(url(conv)).status_code == 404
    assert vote(client, conv, statement).status_code == 404
    member = client_as("observer")
    assert vote(member, conv, statement).status_code == 302
    assert Vote.objects.count() == 1


def test_vote_in_a_private_territory_is_404_to_outsiders(
    client: Client, other_territory: Any
) -> None:
    conv = make_conversation(other_territory, ask_profile=False)
    (statement,) = seed(conv, "Bristol only.")
    assert client.get(url(conv)).status_code == 404
    assert vote(client, conv, statement).status_code == 404
    assert not Vote.objects.exists()


def test_vote_conversation_of_another_territory_under_this_one_is_404(
    client: Client, open_conv: Conversation, other_territory: Any
) -> None:
    wrong = reverse("engagement:vote", args=[other_territory.slug, open_conv.pk])
    assert client.get(wrong).status_code == 404


# --- Profile questions ------------------------------------------------------------------------


def test_profile_is_asked_once_then_voting_starts(client: Client, territory: Any) -> None:
    area = Area.objects.create(territory=territory, code="E01", name="Harbour", population=500)
    conv = make_conversation(territory)  # asks for the profile
    seed(conv)
    page = client.get(url(conv))
    assert page.context["show_profile"] and "Prefer not to say" in page.content.decode()
    answer = client.post(url(conv, "profile"), {"sector": "citizens", "area": area.pk})
    assert answer.status_code == 302
    p = Participant.objects.get()
    assert (p.sector, p.area, p.profile_answered) == ("citizens", area, True)
    page = client.get(url(conv))
    assert not page.context["show_profile"] and "Statement 1 of 3" in page.content.decode()


def test_profile_can_be_skipped(client: Client, conversation: Conversation) -> None:
    client.post(url(conversation, "profile"), {"skip": "1", "sector": "nonsense"})
    p = Participant.objects.get()
    assert (p.sector, p.area, p.profile_answered) == ("", None, True)


def test_profile_with_an_area_of_another_territory_is_refused(
    client: Client, conversation: Conversation, other_territory: Any
) -> None:
    foreign = Area.objects.create(territory=other_territory, code="X", name="Elsewhere")
    answer = client.post(url(conversation, "profile"), {"area": foreign.pk})
    assert answer.status_code == 400
    assert not Participant.objects.filter(profile_answered=True).exists()


# --- Adding a statement -----------------------------------------------------------------------


def test_statement_submit_goes_to_moderation(client: Client, open_conv: Conversation) -> None:
    answer = client.post(
        url(open_conv, "statement_submit"), {"text": "Night buses to the harbour."}
    )
    assert answer.status_code == 302
    statement = Statement.objects.get(text="Night buses to the harbour.")
    assert statement.status == StatementStatus.PENDING
    page = client.get(answer["Location"])
    assert "once a facilitator has accepted it" in page.content.decode()
    # It is not put to anyone (its author agreed with it when writing it).
    assert page.context["next"].total == 3


def test_statement_submit_too_long_shows_the_error_beside_the_field(
    client: Client, open_conv: Conversation
) -> None:
    answer = client.post(url(open_conv, "statement_submit"), {"text": "x" * 401})
    assert answer.status_code == 400
    assert 'id="id_text_error"' in answer.content.decode()
    assert open_conv.statements.count() == 3


def test_statement_text_is_escaped_where_shown(client_as: Any, open_conv: Conversation) -> None:
    p = services.participant_create(conversation=open_conv)
    p.conversation = open_conv
    services.statement_submit(participant=p, text='<img src=x onerror="alert(1)">')
    page = client_as("facilitator").get(url(open_conv, "moderation_queue"))
    body = page.content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert '<img src=x onerror="alert(1)">' not in body
