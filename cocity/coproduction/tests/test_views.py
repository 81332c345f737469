"""Proposal and workshop pages: what each role sees and can do, without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cocity.coproduction import services
from cocity.coproduction.models import (
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalSupport,
    Workshop,
    WorkshopOutput,
)
from cocity.coproduction.tests.conftest import in_days, move
from cocity.core.testing import make_member, make_stakeholder
from cocity.programme.models import Initiative
from cocity.programme.services import challenge_create, initiative_create

pytestmark = pytest.mark.django_db
S = ProposalStatus


def _url(name, territory, *args):
    return reverse(f"coproduction:{name}", args=[territory.slug, *args])


def _text(response):
    return response.content.decode()


# --- the proposal list -------------------------------------------------------------------------


def _propose(users, territory, challenge, title, role="citizen"):
    return services.proposal_create(
        territory=territory, actor=users[role], challenge=challenge, title=title, body="Idea."
    )


def test_proposal_list_filters_by_challenge_and_status(client, users, territory, mobility, energy):
    _propose(users, territory, mobility, "Night bus")
    solar = _propose(users, territory, energy, "Solar roofs")
    move(solar, S.UNDER_REVIEW)
    body = _text(client.get(_url("proposal_list", territory), {"challenge": energy.pk}))
    assert "Solar roofs" in body and "Night bus" not in body
    body = _text(client.get(_url("proposal_list", territory), {"status": "submitted"}))
    assert "Night bus" in body and "Solar roofs" not in body


def test_proposal_list_sorts_by_support_or_newest(client, users, territory, mobility):
    old = _propose(users, territory, mobility, "Older and supported")
    _propose(users, territory, mobility, "Newer")
    services.proposal_support_set(proposal=old, actor=users["partner"], supported=True)
    body = _text(client.get(_url("proposal_list", territory)))
    assert body.index("Older and supported") < body.index("Newer")
    body = _text(client.get(_url("proposal_list", territory), {"sort": "newest"}))
    assert body.index("Newer") < body.index("Older and supported")


def test_proposal_list_ignores_junk_filters(client, users, territory, mobility):
    _propose(users, territory, mobility, "Night bus")
    response = client.get(
        _url("proposal_list", territory), {"challenge": "x", "status": "lost", "page": "zz"}
    )
    assert response.status_code == 200 and "Night bus" in _text(response)


def test_proposal_list_query_count_does_not_grow(
    client, users, territory, mobility, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            p = _propose(users, territory, mobility, f"Idea {Proposal.objects.count()}-{i}")
            services.proposal_support_set(proposal=p, actor=users["partner"], supported=True)
            services.proposal_comment_create(proposal=p, actor=users["officer"], body="Good.")

    add(3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(_url("proposal_list", territory)).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("proposal_list", territory))


def test_proposal_list_hides_proposals_on_draft_challenges_from_readers(
    client, client_as, users, territory, mobility
):
    proposal = _propose(users, territory, mobility, "Quiet idea")
    mobility.is_draft = True
    mobility.save()
    assert "Quiet idea" not in _text(client.get(_url("proposal_list", territory)))
    assert client.get(_url("proposal_detail", territory, proposal.pk)).status_code == 404
    assert "Quiet idea" in _text(client_as("officer").get(_url("proposal_list", territory)))


# --- proposing ---------------------------------------------------------------------------------


def test_proposal_create_by_a_citizen(client_as, territory, mobility):
    response = client_as("citizen").post(
        _url("proposal_create", territory),
        {"challenge": mobility.pk, "title": "Bike racks at schools", "body": "Safe parking."},
    )
    proposal = Proposal.objects.get(territory=territory)
    assert response.status_code == 302
    assert response["Location"] == _url("proposal_detail", territory, proposal.pk)
    assert proposal.title == "Bike racks at schools" and proposal.status == S.SUBMITTED


def test_proposal_create_shows_errors_beside_fields_and_keeps_the_text(client_as, territory):
    draft = challenge_create(territory=territory, actor=None, title="Secret", is_draft=True)
    response = client_as("citizen").post(
        _url("proposal_create", territory),
        {"challenge": draft.pk, "title": "", "body": "My careful text."},
    )
    assert response.status_code == 400
    body = _text(response)
    assert 'id="id_title_error1"' in body and 'id="id_challenge_error1"' in body
    assert "My careful text." in body
    assert "Secret" not in body  # drafts are not offered
    assert not Proposal.objects.exists()


def test_proposal_create_preselects_the_challenge_from_the_link(client_as, territory, mobility):
    body = _text(
        client_as("citizen").get(_url("proposal_create", territory), {"challenge": mobility.pk})
    )
    assert f'<option value="{mobility.pk}" selected>' in body


def test_proposal_create_asks_anonymous_visitors_to_sign_in(client, territory, mobility):
    response = client.post(
        _url("proposal_create", territory), {"challenge": mobility.pk, "title": "X", "body": "Y"}
    )
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Proposal.objects.exists()
    assert "Sign in to propose an idea" in _text(client.get(_url("proposal_list", territory)))


def test_proposal_create_refused_for_observers(client_as, territory, mobility):
    response = client_as("observer").post(
        _url("proposal_create", territory), {"challenge": mobility.pk, "title": "X", "body": "Y"}
    )
    assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_proposal_edit_by_the_author_while_submitted(client_as, users, proposal, territory):
    citizen = client_as("citizen")
    response = citizen.post(
        _url("proposal_edit", territory, proposal.pk),
        {"challenge": proposal.challenge_id, "title": "Night line", "body": "Every 30 minutes."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Night line"
    move(proposal, S.UNDER_REVIEW)
    assert citizen.get(_url("proposal_edit", territory, proposal.pk)).status_code == 403
    assert "Edit your proposal" not in _text(
        citizen.get(_url("proposal_detail", territory, proposal.pk))
    )


# --- the proposal page ---------------------------------------------------------------------------


def test_proposal_detail_shows_status_history_and_comments(client, users, proposal, territory):
    move(proposal, S.UNDER_REVIEW)
    services.proposal_transition(
        proposal=proposal, actor=users["facilitator"], to=S.DECLINED, reason="Too costly now."
    )
    services.proposal_comment_create(proposal=proposal, actor=users["partner"], body="Pity!")
    body = _text(client.get(_url("proposal_detail", territory, proposal.pk)))
    assert "Declined" in body and "Too costly now." in body and "declined, by fiona" in body
    assert "Pity!" in body and "petra" in body
    assert "Sign in to support or comment" in body  # comments stay open after a decline
    assert "Review" not in body and 'name="status-to"' not in body


def test_proposal_support_button_works_without_javascript(client_as, users, proposal, territory):
    partner = client_as("partner")
    detail = _url("proposal_detail", territory, proposal.pk)
    body = _text(partner.get(detail))
    assert "Support this proposal" in body and "0 people support this proposal." in body
    response = partner.post(_url("proposal_support", territory, proposal.pk), {"support": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#support")
    partner.post(_url("proposal_support", territory, proposal.pk), {"support": "1"})  # twice
    body = _text(partner.get(detail))
    assert "1 person supports this proposal." in body and "Withdraw my support" in body
    partner.post(_url("proposal_support", territory, proposal.pk), {"support": "0"})
    assert not ProposalSupport.objects.exists()


def test_proposal_support_by_its_author_is_refused_with_a_message(client_as, proposal, territory):
    citizen = client_as("citizen")
    assert "Support this proposal" not in _text(
        citizen.get(_url("proposal_detail", territory, proposal.pk))
    )
    response = citizen.post(
        _url("proposal_support", territory, proposal.pk), {"support": "1"}, follow=True
    )
    assert "You cannot support your own proposal." in _text(response)
    assert not ProposalSupport.objects.exists()


def test_proposal_support_rejects_junk_and_anonymous_visitors(
    client, client_as, proposal, territory
):
    url = _url("proposal_support", territory, proposal.pk)
    response = client.post(url, {"support": "1"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_as("partner").post(url, {"support": "yes"}).status_code == 400
    assert client_as("partner").get(url).status_code == 405
    assert not ProposalSupport.objects.exists()


def test_proposal_comment_form_shows_errors_beside_the_field(client_as, proposal, territory):
    partner = client_as("partner")
    response = partner.post(_url("proposal_comment", territory, proposal.pk), {"comment-body": " "})
    assert response.status_code == 400
    assert 'id="id_comment-body_error1"' in _text(response)
    response = partner.post(
        _url("proposal_comment", territory, proposal.pk), {"comment-body": "Count me in."}
    )
    comment = ProposalComment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.body == "Count me in."


def test_comment_hide_by_a_moderator_shows_the_reason_to_readers(
    client, client_as, users, proposal, territory
):
    comment = services.proposal_comment_create(
        proposal=proposal, actor=users["partner"], body="Rude words here"
    )
    hide = _url("comment_hide", territory, proposal.pk, comment.pk)
    assert client_as("citizen").post(hide, {"reason": "Rude"}).status_code == 403
    officer = client_as("officer")
    response = officer.post(hide, {"reason": ""})
    assert response.status_code == 400 and f'id="hide-error-{comment.pk}"' in _text(response)
    assert officer.post(hide, {"reason": "Insults people."}).status_code == 302
    client.logout()
    body = _text(client.get(_url("proposal_detail", territory, proposal.pk)))
    assert "Hidden by a moderator: Insults people." in body and "Rude words here" not in body
    officer = client_as("officer")
    officer.post(_url("comment_restore", territory, proposal.pk, comment.pk))
    client.logout()
    assert "Rude words here" in _text(client.get(_url("proposal_detail", territory, proposal.pk)))


def test_proposal_transition_by_a_citizen_is_403(client_as, proposal, territory):
    response = client_as("partner").post(
        _url("proposal_transition", territory, proposal.pk), {"status-to": "under_review"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_proposal_transition_author_may_only_withdraw(client_as, proposal, territory):
    citizen = client_as("citizen")
    url = _url("proposal_transition", territory, proposal.pk)
    body = _text(citizen.get(_url("proposal_detail", territory, proposal.pk)))
    assert "Withdraw your proposal" in body and '<option value="withdrawn"' in body
    assert '<option value="under_review"' not in body
    assert citizen.post(url, {"status-to": "under_review"}).status_code == 403
    response = citizen.post(url, {"status-to": "withdrawn", "status-reason": "Found a group."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN and proposal.status_reason == "Found a group."


def test_proposal_transition_decline_without_reason_is_400_beside_the_field(
    client_as, proposal, territory
):
    move(proposal, S.UNDER_REVIEW)
    facilitator = client_as("facilitator")
    url = _url("proposal_transition", territory, proposal.pk)
    response = facilitator.post(url, {"status-to": "declined", "status-reason": ""})
    assert response.status_code == 400
    assert 'id="id_status-reason_error1"' in _text(response)
    response = facilitator.post(url, {"status-to": "implemented"})
    assert response.status_code == 400
    assert "cannot be moved to implemented" in _text(response)
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW
    response = facilitator.post(url, {"status-to": "accepted", "status-reason": "Planned."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED


def test_proposal_make_initiative_links_both_pages(client, client_as, proposal, territory):
    move(proposal, S.UNDER_REVIEW)
    facilitator = client_as("facilitator")
    page = _url("proposal_make_initiative", territory, proposal.pk)
    assert "Night bus to the hospital" in _text(facilitator.get(page))
    response = facilitator.post(
        page, {"title": "Night line pilot", "description": "Six months.", "stage": "concept"}
    )
    initiative = Initiative.objects.get(territory=territory)
    initiative_url = reverse("programme:initiative_detail", args=[territory.slug, initiative.pk])
    assert response.status_code == 302 and response["Location"] == initiative_url
    client.logout()
    body = _text(client.get(initiative_url))
    assert "From a citizen proposal:" in body
    assert _url("proposal_detail", territory, proposal.pk) in body
    body = _text(client.get(_url("proposal_detail", territory, proposal.pk)))
    assert "Became the initiative" in body and initiative_url in body


def test_proposal_make_initiative_refused_for_citizens_and_twice(client_as, proposal, territory):
    move(proposal, S.UNDER_REVIEW)
    page = _url("proposal_make_initiative", territory, proposal.pk)
    data = {"title": "Pilot", "stage": "idea"}
    assert client_as("citizen").post(page, data).status_code == 403
    facilitator = client_as("facilitator")
    assert facilitator.post(page, data).status_code == 302
    response = facilitator.post(page, data)
    assert response.status_code == 400 and "already become the initiative" in _text(response)
    assert Initiative.objects.count() == 1


def test_initiative_page_without_a_proposal_says_nothing_about_one(client, territory):
    initiative = initiative_create(territory=territory, actor=None, title="Grid twin")
    url = reverse("programme:initiative_detail", args=[territory.slug, initiative.pk])
    assert "From a citizen proposal" not in _text(client.get(url))


# --- tenancy -----------------------------------------------------------------------------------


def test_other_territory_proposals_and_workshops_are_404(client_as, users, other_territory):
    mobility = challenge_create(territory=other_territory, actor=None, title="Harbour")
    author = make_member(other_territory, "citizen")
    hidden = services.proposal_create(
        territory=other_territory, actor=author, challenge=mobility, title="Private", body="B"
    )
    facilitator = make_member(other_territory, "facilitator")
    workshop = services.workshop_create(
        territory=other_territory, actor=facilitator, title="W", starts_at=in_days(2), place="P"
    )
    client = client_as("facilitator")  # a facilitator of Lund, not of Bristol
    for url in (
        _url("proposal_list", other_territory),
        _url("proposal_detail", other_territory, hidden.pk),
        _url("workshop_list", other_territory),
        _url("workshop_detail", other_territory, workshop.pk),
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (_url("proposal_support", other_territory, hidden.pk), {"support": "1"}),
        (_url("proposal_transition", other_territory, hidden.pk), {"status-to": "under_review"}),
        (_url("proposal_comment", other_territory, hidden.pk), {"comment-body": "Hi"}),
    ):
        assert client.post(url, data).status_code == 404, url
    hidden.refresh_from_db()
    assert hidden.status == S.SUBMITTED and not hidden.supports.exists()


def test_proposal_of_another_territory_is_404_through_this_territory(
    client_as, users, territory, other_territory
):
    mobility = challenge_create(territory=other_territory, actor=None, title="Harbour")
    hidden = services.proposal_create(
        territory=other_territory,
        actor=make_member(other_territory, "citizen"),
        challenge=mobility,
        title="Private",
        body="B",
    )
    client = client_as("facilitator")
    assert client.get(_url("proposal_detail", territory, hidden.pk)).status_code == 404


# --- workshops ---------------------------------------------------------------------------------


def _workshop(users, territory, title, days, **extra):
    return services.workshop_create(
        territory=territory,
        actor=users["facilitator"],
        title=title,
        starts_at=in_days(days),
        place="City library",
        **extra,
    )


def test_workshop_list_splits_upcoming_and_past(client, users, territory):
    _workshop(users, territory, "Energy café", -30)
    _workshop(users, territory, "Bus routes", 14)
    body = _text(client.get(_url("workshop_list", territory)))
    upcoming, past = body.split('id="past-heading"')
    assert "Bus routes" in upcoming and "Energy café" not in upcoming
    assert "Energy café" in past


def test_workshop_list_query_count_does_not_grow(
    client, users, territory, partner_org, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            w = _workshop(users, territory, f"W{Workshop.objects.count()}", (-1) ** i * (i + 1),
                          stakeholders=[partner_org])  # fmt: skip
            services.workshop_output_create(
                workshop=w, actor=users["facilitator"], kind="insight", text="Seen."
            )

    add(4)
    with django_assert_max_num_queries(12) as few:
        assert client.get(_url("workshop_list", territory)).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("workshop_list", territory))


def test_workshop_detail_shows_organisations_and_linked_outputs(
    client, users, territory, partner_org, proposal, mobility
):
    initiative = initiative_create(territory=territory, actor=None, title="Night line pilot")
    draft = initiative_create(territory=territory, actor=None, title="Unannounced", is_draft=True)
    workshop = _workshop(
        users, territory, "Mobility day", -10, people_count=58, stakeholders=[partner_org],
        challenge=mobility,
    )  # fmt: skip
    for kind, text, links in (
        ("decision", "Test a night line.", {"initiative": initiative}),
        ("action", "Ask the hospital.", {"proposal": proposal, "owner": partner_org}),
        ("insight", "Secret plan.", {"initiative": draft}),
    ):
        services.workshop_output_create(
            workshop=workshop, actor=users["facilitator"], kind=kind, text=text, **links
        )
    body = _text(client.get(_url("workshop_detail", territory, workshop.pk)))
    assert "Lund University" in body and "58" in body and "Mobility" in body
    assert reverse("programme:initiative_detail", args=[territory.slug, initiative.pk]) in body
    assert _url("proposal_detail", territory, proposal.pk) in body
    assert "Unannounced" not in body  # a draft initiative stays with the editors
    assert "Add an output" not in body
    proposal_page = _text(client.get(_url("proposal_detail", territory, proposal.pk)))
    assert "Mobility day" in proposal_page and "Ask the hospital." in proposal_page


def test_workshop_create_and_edit_by_an_officer(client_as, territory, partner_org):
    officer = client_as("officer")
    response = officer.post(
        _url("workshop_create", territory),
        {
            "title": "Energy café",
            "starts_at": "2026-09-10T17:30",
            "place": "Varvet library",
            "people_count": "22",
            "stakeholders": [partner_org.pk],
        },
    )
    workshop = Workshop.objects.get(territory=territory)
    assert response.status_code == 302
    assert workshop.people_count == 22 and list(workshop.stakeholders.all()) == [partner_org]
    response = officer.post(
        _url("workshop_edit", territory, workshop.pk),
        {"title": "Energy café", "starts_at": "2026-09-10T18:00", "place": "Varvet library",
         "people_count": "25"},
    )  # fmt: skip
    workshop.refresh_from_db()
    assert response.status_code == 302 and workshop.people_count == 25
    assert not workshop.stakeholders.exists()


def test_workshop_form_shows_errors_beside_fields(client_as, territory):
    response = client_as("facilitator").post(
        _url("workshop_create", territory),
        {"title": "Café", "starts_at": "soon", "place": "", "people_count": "-3"},
    )
    assert response.status_code == 400
    body = _text(response)
    for field in ("starts_at", "place", "people_count"):
        assert f'id="id_{field}_error1"' in body, field
    assert not Workshop.objects.exists()


def test_workshop_pages_refused_for_citizens_and_anonymous(client, client_as, users, territory):
    workshop = _workshop(users, territory, "Café", 3)
    assert client.get(_url("workshop_create", territory)).status_code == 302
    citizen = client_as("citizen")
    assert citizen.get(_url("workshop_create", territory)).status_code == 403
    assert citizen.post(_url("workshop_delete", territory, workshop.pk)).status_code == 403
    assert citizen.get(_url("output_create", territory, workshop.pk)).status_code == 403
    assert "New workshop" not in _text(citizen.get(_url("workshop_list", territory)))
    assert Workshop.objects.count() == 1


def test_output_create_edit_and_delete(client_as, users, territory, proposal, other_territory):
    workshop = _workshop(users, territory, "Café", -3)
    foreign = initiative_create(territory=other_territory, actor=None, title="Elsewhere")
    facilitator = client_as("facilitator")
    url = _url("output_create", territory, workshop.pk)
    response = facilitator.post(url, {"kind": "action", "text": "", "initiative": foreign.pk})
    assert response.status_code == 400
    body = _text(response)
    assert 'id="id_text_error1"' in body and 'id="id_initiative_error1"' in body
    response = facilitator.post(
        url, {"kind": "action", "text": "Ask the hospital.", "proposal": proposal.pk,
              "status": "open", "due_date": "2026-10-01"},
    )  # fmt: skip
    output = WorkshopOutput.objects.get()
    assert response.status_code == 302 and output.proposal == proposal
    facilitator.post(
        _url("output_edit", territory, workshop.pk, output.pk),
        {"kind": "action", "text": "Ask the hospital.", "status": "done"},
    )
    output.refresh_from_db()
    assert output.status == "done" and output.proposal is None
    response = facilitator.post(_url("output_delete", territory, workshop.pk, output.pk))
    assert response.status_code == 302 and not WorkshopOutput.objects.exists()


def test_workshop_delete_removes_its_outputs(client_as, users, territory):
    workshop = _workshop(users, territory, "Café", -3)
    services.workshop_output_create(
        workshop=workshop, actor=users["facilitator"], kind="insight", text="Seen."
    )
    facilitator = client_as("facilitator")
    assert "Remove Café?" in _text(facilitator.get(_url("workshop_delete", territory, workshop.pk)))
    response = facilitator.post(_url("workshop_delete", territory, workshop.pk))
    assert response.status_code == 302
    assert not Workshop.objects.exists() and not WorkshopOutput.objects.exists()


def test_stakeholder_of_another_territory_cannot_be_chosen(client_as, territory, other_territory):
    foreign = make_stakeholder(other_territory, name="Bristol Council")
    response = client_as("facilitator").post(
        _url("workshop_create", territory),
        {"title": "Café", "starts_at": "2026-09-10T17:30", "place": "Hall", "people_count": "3",
         "stakeholders": [foreign.pk]},
    )  # fmt: skip
    assert response.status_code == 400 and 'id="id_stakeholders_error1"' in _text(response)
    assert "Bristol Council" not in _text(response)


# --- Swedish ---------------------------------------------------------------------------------


def test_co_creation_pages_in_swedish_show_no_english_ui_text(
    client_as, users, territory, proposal, partner_org
):
    from cocity.core.tests.test_i18n import SV_PO, _read_po, _text_nodes, _translations

    english = {
        source
        for entry in _read_po(SV_PO)
        for source, translation in _translations(entry)
        if source and source != translation and "%" not in source and len(source) > 3
    }
    english -= {"Mobility", "Lund University"}  # data, not interface
    services.proposal_comment_create(proposal=proposal, actor=users["partner"], body="Ja!")
    hidden = services.proposal_comment_create(proposal=proposal, actor=users["partner"], body="Nej")
    services.proposal_comment_hide(comment=hidden, actor=users["officer"], reason="Otrevligt.")
    workshop = _workshop(users, territory, "Energikafé", -3, stakeholders=[partner_org])
    services.workshop_output_create(
        workshop=workshop, actor=users["facilitator"], kind="action", text="Gör", proposal=proposal
    )
    client = client_as("facilitator")
    leaks = {}
    for url, method in (
        (_url("proposal_list", territory), "get"),
        (_url("proposal_detail", territory, proposal.pk), "get"),
        (_url("proposal_create", territory), "post"),
        (_url("proposal_transition", territory, proposal.pk), "post"),
        (_url("proposal_make_initiative", territory, proposal.pk), "get"),
        (_url("workshop_list", territory), "get"),
        (_url("workshop_detail", territory, workshop.pk), "get"),
        (_url("workshop_create", territory), "post"),
        (_url("output_create", territory, workshop.pk), "get"),
    ):
        response = getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code in (200, 400), url
        if found := _text_nodes(response.content.decode()) & english:
            leaks[url] = sorted(found)
    assert leaks == {}
