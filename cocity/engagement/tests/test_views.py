"""Consultation pages for facilitators and readers: permissions, moderation, participants,
Pol.is import and export, the opinion map (valid SVG) and the report; query counts on lists."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from cocity.engagement import services
from cocity.engagement.analysis import opinion_result_compute
from cocity.engagement.models import Conversation, Participant, Statement, StatementStatus
from cocity.engagement.tests.conftest import make_conversation, seed
from cocity.engagement.tests.test_analysis import planted

SVG = "{http://www.w3.org/2000/svg}"


def url(conv: Conversation, name: str, *extra: Any) -> str:
    return reverse(f"engagement:{name}", args=[conv.territory.slug, conv.pk, *extra])


def list_url(territory: Any, name: str = "conversation_list") -> str:
    return reverse(f"engagement:{name}", args=[territory.slug])


def pending(conv: Conversation, text: str = "Free buses for pupils.") -> Statement:
    p = services.participant_create(conversation=conv)
    p.conversation = conv
    return services.statement_submit(participant=p, text=text)


# --- Who may see and do what ------------------------------------------------------------------

PAGES = (
    "conversation_detail",
    "map",
    "report",
    "statement_list",
    "moderation_queue",
    "participant_list",
    "conversation_edit",
    "export",
)
EXPECTED = {
    # role: status per page, in PAGES order (302: sent to sign in)
    None: (200, 200, 200, 302, 302, 302, 302, 302),
    "observer": (200, 200, 200, 403, 403, 403, 403, 403),
    "citizen": (200, 200, 200, 403, 403, 403, 403, 403),
    "partner": (200, 200, 200, 403, 403, 403, 403, 403),
    "officer": (200, 200, 200, 200, 200, 200, 403, 403),
    "facilitator": (200, 200, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_conversation_pages_permission_matrix(
    client: Client, client_as: Any, conversation: Conversation, role: str | None
) -> None:
    c = client_as(role) if role else client
    got = tuple(c.get(url(conversation, page)).status_code for page in PAGES)
    assert got == EXPECTED[role]


def test_conversation_create_by_facilitator_only(
    client: Client, client_as: Any, territory: Any
) -> None:
    data = {
        "title": "Lighting the harbour",
        "question": "Where is it too dark?",
        "status": "open",
        "is_public": "on",
        "allow_statements": "on",
        "ask_profile": "on",
    }
    assert client.post(list_url(territory, "conversation_create"), data).status_code == 302  # login
    assert (
        client_as("officer").post(list_url(territory, "conversation_create"), data).status_code
        == 403
    )
    assert not Conversation.objects.exists()
    answer = client_as("facilitator").post(list_url(territory, "conversation_create"), data)
    conv = Conversation.objects.get()
    assert answer["Location"] == url(conv, "conversation_detail")
    assert (conv.title, conv.status, conv.created_by.username) == (
        "Lighting the harbour",
        "open",
        "fiona",
    )


def test_conversation_create_with_errors_answers_400_beside_the_field(
    client_as: Any, territory: Any
) -> None:
    answer = client_as("facilitator").post(
        list_url(territory, "conversation_create"), {"title": "", "status": "open"}
    )
    assert answer.status_code == 400
    assert 'id="id_title_error"' in answer.content.decode()


def test_conversation_list_hides_drafts_and_members_only_from_the_public(
    client: Client, client_as: Any, territory: Any
) -> None:
    make_conversation(territory, title="Open one")
    make_conversation(territory, title="Draft one", status="draft")
    make_conversation(territory, title="Members one", is_public=False)
    titles = lambda c: [x.title for x in c.get(list_url(territory)).context["items"]]  # noqa: E731
    assert titles(client) == ["Open one"]
    assert sorted(titles(client_as("citizen"))) == ["Members one", "Open one"]
    assert sorted(titles(client_as("facilitator"))) == ["Draft one", "Members one", "Open one"]
    draft = Conversation.objects.get(title="Draft one")
    assert Client().get(url(draft, "conversation_detail")).status_code == 404
    assert client_as("citizen").get(url(draft, "vote")).status_code == 404


def test_conversation_list_queries_do_not_grow_with_conversations(
    client: Client, territory: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(12):
        conv = make_conversation(territory, title=f"Question {i}")
        seed(conv, "One.", "Two.")
        pending(conv)
    with django_assert_max_num_queries(5):
        page = client.get(list_url(territory))
    assert page.status_code == 200 and len(page.context["items"]) == 12
    first = page.context["items"][0]
    assert (first.n_statements, first.n_pending, first.n_participants) == (2, 1, 1)


def test_conversation_of_a_private_territory_is_404_to_another_territorys_members(
    client_as: Any, other_territory: Any
) -> None:
    conv = make_conversation(other_territory)
    member_of_lund = client_as("facilitator")
    for page in ("conversation_detail", "map", "report", "moderation_queue", "export"):
        assert member_of_lund.get(url(conv, page)).status_code == 404
    answer = member_of_lund.post(url(conv, "statement_list"), {"text": "Injected"})
    assert answer.status_code == 404
    assert not conv.statements.exists()


# --- Statements and moderation ----------------------------------------------------------------


def test_statement_list_facilitator_adds_a_seed_statement(
    client_as: Any, conversation: Conversation
) -> None:
    answer = client_as("facilitator").post(
        url(conversation, "statement_list"), {"text": "Cheaper parking for carers."}
    )
    assert answer.status_code == 302
    s = Statement.objects.get(text="Cheaper parking for carers.")
    assert (s.is_seed, s.status) == (True, StatementStatus.ACCEPTED)
    assert (
        client_as("officer")
        .post(url(conversation, "statement_list"), {"text": "Officers cannot."})
        .status_code
        == 403
    )


def test_moderation_accept_and_reject_with_a_reason(
    client_as: Any, conversation: Conversation
) -> None:
    good, bad = pending(conversation, "Safe cycle parking."), pending(conversation, "Spam spam.")
    fiona = client_as("facilitator")
    fiona.post(url(conversation, "statement_moderate", good.pk), {"decision": "accept"})
    page = fiona.post(
        url(conversation, "statement_moderate", bad.pk),
        {"decision": "reject", "reason": ""},
        follow=True,
    )
    assert "Say why the statement is rejected" in page.content.decode()
    fiona.post(
        url(conversation, "statement_moderate", bad.pk), {"decision": "reject", "reason": "Spam"}
    )
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == StatementStatus.ACCEPTED
    assert (bad.status, bad.moderation_reason) == (StatementStatus.REJECTED, "Spam")


def test_moderation_officer_reads_the_queue_but_cannot_decide(
    client_as: Any, conversation: Conversation
) -> None:
    s = pending(conversation)
    officer = client_as("officer")
    page = officer.get(url(conversation, "moderation_queue"))
    assert page.status_code == 200 and s.text in page.content.decode()
    assert (
        officer.post(
            url(conversation, "statement_moderate", s.pk), {"decision": "accept"}
        ).status_code
        == 403
    )
    s.refresh_from_db()
    assert s.status == StatementStatus.PENDING


def test_moderation_of_a_statement_of_another_conversation_is_404(
    client_as: Any, conversation: Conversation, territory: Any
) -> None:
    other = make_conversation(territory, title="Other")
    s = pending(other)
    answer = client_as("facilitator").post(
        url(conversation, "statement_moderate", s.pk), {"decision": "accept"}
    )
    assert answer.status_code == 404


def test_rejected_statements_are_never_put_to_participants(client: Client, territory: Any) -> None:
    conv = make_conversation(territory, ask_profile=False)
    s = pending(conv, "Rejected idea.")
    services.statement_moderate(statement=s, actor=None, accept=False, reason="Off topic")
    for _ in range(3):
        page = client.get(url(conv, "vote"))
        assert "Rejected idea." not in page.content.decode()


def test_moderation_queue_queries_do_not_grow(
    client_as: Any, conversation: Conversation, django_assert_max_num_queries: Any
) -> None:
    for i in range(15):
        pending(conversation, f"Idea number {i}.")
    fiona = client_as("facilitator")
    with django_assert_max_num_queries(9):
        page = fiona.get(url(conversation, "moderation_queue"))
    assert len(page.context["items"]) == 15
    with django_assert_max_num_queries(9):
        assert fiona.get(url(conversation, "statement_list")).status_code == 200


# --- Participants -----------------------------------------------------------------------------


def test_participant_list_and_withdrawal(
    client_as: Any, territory: Any, django_assert_max_num_queries: Any
) -> None:
    conv = planted(territory, n_people=20)
    officer = client_as("officer")
    with django_assert_max_num_queries(9):
        page = officer.get(url(conv, "participant_list"))
    rows = page.context["items"]
    assert len(rows) == 20 and rows[0].n_votes == 10
    assert officer.post(url(conv, "participant_revoke", 3)).status_code == 403
    fiona = client_as("facilitator")
    assert fiona.post(url(conv, "participant_revoke", 3)).status_code == 302
    assert Participant.objects.get(conversation=conv, number=3).revoked_at is not None
    assert fiona.post(url(conv, "participant_revoke", 999)).status_code == 404


# --- Pol.is import and export -----------------------------------------------------------------


def _zip(folder: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, arcname=path.name)
    buffer.seek(0)
    buffer.name = "export.zip"
    return buffer


def test_conversation_import_page_imports_a_zip(
    client_as: Any, territory: Any, shared_data: Path
) -> None:
    upload = _zip(shared_data / "polis" / "london.youth.policing")
    answer = client_as("facilitator").post(
        list_url(territory, "conversation_import"),
        {"file": upload, "status": "closed", "is_public": "on"},
    )
    conv = Conversation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url(conv, "conversation_detail")
    assert conv.title.startswith("What is the best way to engage more young people")
    assert conv.status == "closed" and conv.statements.count() == 39


def test_conversation_import_page_with_a_bad_file_says_why_and_saves_nothing(
    client_as: Any, territory: Any
) -> None:
    upload = io.BytesIO(b"timestamp,datetime\n1,2\n")
    upload.name = "votes.csv"
    answer = client_as("facilitator").post(
        list_url(territory, "conversation_import"), {"file": upload, "status": "closed"}
    )
    assert answer.status_code == 400
    assert "not a zip archive" in answer.content.decode()
    assert not Conversation.objects.exists()


def test_conversation_import_page_names_the_problem_in_the_readers_language(
    client_as: Any, territory: Any
) -> None:
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,9\n")
    upload.seek(0)
    upload.name = "export.zip"
    answer = client_as("facilitator").post(
        list_url(territory, "conversation_import"),
        {"file": upload, "status": "closed"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert answer.status_code == 400
    assert "votes.csv rad 2: rösten 9 är inte -1, 0 eller 1" in answer.content.decode()
    assert not Conversation.objects.exists()


def test_conversation_import_page_is_for_facilitators(client_as: Any, territory: Any) -> None:
    assert client_as("officer").get(list_url(territory, "conversation_import")).status_code == 403


def test_conversation_export_downloads_a_polis_zip(client_as: Any, territory: Any) -> None:
    conv = planted(territory, n_people=10)
    answer = client_as("facilitator").get(url(conv, "export"))
    assert answer["Content-Type"] == "application/zip"
    assert "polis.zip" in answer["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        votes = archive.read("votes.csv").decode().splitlines()
    assert len(votes) == 1 + 100


# --- Results ----------------------------------------------------------------------------------


def test_map_before_any_result_says_it_is_coming(
    client: Client, conversation: Conversation
) -> None:
    page = client.get(url(conversation, "map"))
    assert page.status_code == 200
    assert "No opinion map yet" in page.content.decode()


def test_map_shows_groups_as_valid_svg_with_a_table_alternative(
    client: Client, territory: Any
) -> None:
    conv = planted(territory)
    services.statement_seed_create(
        conversation=conv, actor=None, text='Tom & Jerry say "<b>no</b>"'
    )
    opinion_result_compute(conversation=conv)
    page = client.get(url(conv, "map"))
    body = page.content.decode()
    start, end = body.index("<svg"), body.index("</svg>") + len("</svg>")
    svg = ElementTree.fromstring(body[start:end])  # noqa: S314 - our own page
    assert svg.tag == f"{SVG}svg" and svg.find(f"{SVG}title").text == "Opinion map"
    points = svg.findall(f".//{SVG}g[@class='points']/{SVG}circle")
    assert len(points) == 30
    assert {p.get("class") for p in points} == {"g0", "g1"}
    view = page.context["view"]
    assert [g.size for g in view.groups] == [15, 15]
    assert "Opinion groups (the map as a table)" in body
    assert "<b>no</b>" not in body


def test_map_fragment_for_htmx_polling(client: Client, territory: Any) -> None:
    conv = planted(territory, n_people=16)
    opinion_result_compute(conversation=conv)
    answer = client.get(url(conv, "map"), HTTP_HX_REQUEST="true")
    assert answer.content.decode().lstrip().startswith('<div id="map-body"')


def test_report_lists_every_accepted_statement_with_its_votes(
    client: Client, territory: Any
) -> None:
    conv = planted(territory)
    opinion_result_compute(conversation=conv)
    body = client.get(url(conv, "report")).content.decode()
    assert "Consultation report" in body
    for j in range(10):
        assert f"Statement {j}" in body
    assert "Where most people agree" in body


def test_results_of_members_only_conversation_are_hidden_from_the_public(
    client: Client, client_as: Any, territory: Any
) -> None:
    conv = make_conversation(territory, is_public=False)
    assert client.get(url(conv, "map")).status_code == 404
    assert client.get(url(conv, "report")).status_code == 404
    assert client_as("observer").get(url(conv, "map")).status_code == 200
