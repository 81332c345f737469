"""Readiness services: models and versions, invitations, drafts and submissions, targets."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import RestrictedError

from cocity.core.testing import make_member, make_stakeholder
from cocity.programme.services import challenge_create, initiative_create
from cocity.readiness import selectors, services
from cocity.readiness.models import (
    Answer,
    Invitation,
    InvitationStatus,
    MaturityModel,
    ModelStatus,
)
from cocity.readiness.tests.helpers import answer, default_model, open_round, small_model

pytestmark = pytest.mark.django_db


def test_maturity_model_install_default_is_published_with_ten_dimensions_once(territory):
    model = default_model(territory)
    assert model.status == ModelStatus.PUBLISHED and model.n_levels == 5
    dims = list(model.dimensions.all())
    assert [d.code for d in dims] == [f"D{i}" for i in range(1, 11)]
    assert all(len(d.descriptors) == 5 and all(d.descriptors) for d in dims)
    assert {d.layer for d in dims} == {"", "analogue", "sensing", "data", "platforms", "governance"}
    assert default_model(territory) == model
    assert MaturityModel.objects.filter(territory=territory).count() == 1


def test_maturity_model_copy_is_an_independent_draft(territory):
    base = default_model(territory)
    copy = services.maturity_model_copy(model=base, actor=None, name="Our model")
    assert copy.status == ModelStatus.DRAFT and copy.family != base.family and copy.based_on == base
    d1 = copy.dimensions.get(code="D1")
    services.dimension_update(dimension=d1, actor=None, name="Leadership")
    assert base.dimensions.get(code="D1").name == "Vision and leadership"


def test_published_model_is_frozen(territory):
    base = default_model(territory)
    with pytest.raises(ValidationError, match="frozen"):
        services.dimension_update(dimension=base.dimensions.get(code="D1"), actor=None, name="X")
    with pytest.raises(ValidationError, match="frozen"):
        services.maturity_model_update(
            model=base, actor=None, name="X", description="", level_names=["a", "b"]
        )


def test_maturity_model_new_version_keeps_old_rounds_on_their_version(territory, users):
    v1 = default_model(territory)
    old = open_round(territory, v1, [users["officer"]], title="2025")
    answer(old, users["officer"], {"D1": 2, "D5": 3})
    services.round_close(round_=old, actor=None)
    v2 = services.maturity_model_new_version(model=v1, actor=None)
    assert (v2.family, v2.version, v2.status) == (v1.family, 2, ModelStatus.DRAFT)
    # Version 2 has three levels instead of five and drops D10.
    services.maturity_model_update(
        model=v2, actor=None, name=v2.name, description="", level_names=["Low", "Mid", "High"]
    )
    services.dimension_delete(dimension=v2.dimensions.get(code="D10"), actor=None)
    for d in v2.dimensions.all():
        services.dimension_update(dimension=d, actor=None, descriptors=["low", "mid", "high"])
    services.maturity_model_publish(model=v2, actor=None)
    new = open_round(territory, v2, [users["officer"]], title="2026")
    answer(new, users["officer"], {"D1": 2, "D5": 3})

    old.refresh_from_db()
    assert old.model == v1 and old.model.n_levels == 5
    assert selectors.round_results(round_=old).row("D10").dimension.model == v1
    results = selectors.round_results(round_=new)
    assert results.previous == old
    # D1: 2 of 5 is a quarter up the scale, 1.5 on three levels; now 2 of 3: +0.5.
    assert results.row("D1").result.previous == 1.5 and results.row("D1").result.change == 0.5
    # D5: 3 of 5 is the middle, 2 on three levels; now 3 of 3: +1.
    assert results.row("D5").result.change == 1.0


def test_maturity_model_update_resizes_descriptors_to_the_new_level_count(territory):
    copy = services.maturity_model_copy(model=default_model(territory), actor=None, name="Copy")
    services.maturity_model_update(
        model=copy,
        actor=None,
        name="Copy",
        description="",
        level_names=["a", "b", "c", "d", "e", "f"],
    )
    d1 = copy.dimensions.get(code="D1")
    assert len(d1.descriptors) == 6 and d1.descriptors[5] == ""
    with pytest.raises(ValidationError, match="Describe every level"):
        services.maturity_model_publish(model=copy, actor=None)
    with pytest.raises(ValidationError):
        services.maturity_model_update(
            model=copy, actor=None, name="Copy", description="", level_names=["only one"]
        )


def test_dimension_create_checks_descriptor_count_and_unique_code(territory):
    copy = services.maturity_model_copy(model=default_model(territory), actor=None, name="Copy")
    with pytest.raises(ValidationError) as error:
        services.dimension_create(model=copy, actor=None, code="D11", name="X", descriptors=["a"])
    assert "descriptors" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.dimension_create(
            model=copy, actor=None, code="D1", name="X", descriptors=list("abcde")
        )
    assert "code" in error.value.message_dict
    d = services.dimension_create(
        model=copy, actor=None, code="D11", name="Open source", descriptors=list("abcde")
    )
    assert d.position > copy.dimensions.get(code="D10").position


def test_round_open_needs_a_published_model_of_the_same_territory(territory, other_territory):
    draft = services.maturity_model_copy(model=default_model(territory), actor=None, name="Draft")
    with pytest.raises(ValidationError) as error:
        open_round(territory, draft)
    assert "model" in error.value.message_dict
    foreign = default_model(other_territory)
    with pytest.raises(ValidationError) as error:
        open_round(territory, foreign)
    assert "model" in error.value.message_dict


def test_round_invite_gives_each_respondent_their_sector(territory, users, partner_org):
    round_ = open_round(territory, default_model(territory))
    services.round_invite(
        round_=round_, actor=None, users=[users["partner"], users["officer"], users["facilitator"]]
    )
    sectors = {i.user.username: (i.sector, i.stakeholder) for i in round_.invitations.all()}
    assert sectors == {
        "petra": ("academia", partner_org),
        "oscar": ("public", None),
        "fiona": ("public", None),
    }
    services.round_invite(round_=round_, actor=None, users=[users["partner"]])
    assert round_.invitations.count() == 3


@pytest.mark.parametrize("role", ["citizen", "observer"])
def test_round_invite_refuses_citizens_and_observers(territory, users, role):
    round_ = open_round(territory, default_model(territory))
    with pytest.raises(ValidationError) as error:
        services.round_invite(round_=round_, actor=None, users=[users[role], users["officer"]])
    assert "invitees" in error.value.message_dict
    assert round_.invitations.count() == 0


def test_round_invite_refuses_members_of_another_territory(territory, other_territory):
    stranger = make_member(other_territory, "officer")
    round_ = open_round(territory, default_model(territory))
    with pytest.raises(ValidationError):
        services.round_invite(round_=round_, actor=None, users=[stranger])


def test_answers_save_refuses_the_uninvited(territory, users):
    round_ = open_round(territory, default_model(territory), [users["partner"]])
    with pytest.raises(PermissionDenied):
        answer(round_, users["officer"], {"D1": 3})
    assert not Answer.objects.exists()


def test_answers_save_draft_is_resumable_and_not_counted_until_submitted(territory, users):
    round_ = open_round(territory, default_model(territory), [users["partner"], users["officer"]])
    answer(round_, users["partner"], {"D1": 4, "D2": None}, submit=False)
    invitation = Invitation.objects.get(round=round_, user=users["partner"])
    assert invitation.status == InvitationStatus.DRAFT
    assert selectors.round_results(round_=round_).row("D1").result.overall.n == 0
    # Coming back: the draft is there, a change is kept, submitting counts it.
    assert (
        selectors.answers_of(invitation=invitation)[round_.model.dimensions.get(code="D1").pk].level
        == 4
    )
    answer(round_, users["partner"], {"D1": 3}, submit=True)
    results = selectors.round_results(round_=round_)
    assert results.row("D1").result.overall.median == 3.0 and results.submitted == 1
    # Correcting after submitting keeps the response submitted.
    answer(round_, users["partner"], {"D1": 5}, submit=False)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED
    assert selectors.round_results(round_=round_).row("D1").result.overall.median == 5.0


def test_answers_save_rejects_bad_levels_and_saves_nothing(territory, users):
    round_ = open_round(territory, default_model(territory), [users["officer"]])
    with pytest.raises(ValidationError):
        answer(round_, users["officer"], {"D1": 3, "D2": 6})
    assert not Answer.objects.filter(invitation__round=round_).exists()
    with pytest.raises(ValidationError, match="at least one"):
        answer(round_, users["officer"], {"D1": None}, submit=True)
    assert Invitation.objects.get(round=round_).status != InvitationStatus.SUBMITTED


def test_answers_save_refused_once_the_round_is_closed(territory, users):
    round_ = open_round(territory, default_model(territory), [users["officer"]])
    services.round_close(round_=round_, actor=None)
    with pytest.raises(ValidationError, match="closed"):
        answer(round_, users["officer"], {"D1": 3})
    with pytest.raises(ValidationError, match="closed"):
        services.round_close(round_=round_, actor=None)


def test_round_results_sector_views_and_most_disagreed(territory, users, partner_org):
    industry = make_stakeholder(territory, name="Grid Co", sector="industry")
    engineer = make_member(territory, "partner", stakeholder=industry)
    model = small_model(territory)
    round_ = open_round(territory, model, [users["partner"], users["officer"], engineer])
    answer(round_, users["partner"], {"A": 1, "B": 2})
    answer(round_, users["officer"], {"A": 3, "B": 2})
    answer(round_, engineer, {"A": 2, "B": 2})
    results = selectors.round_results(round_=round_)
    a = results.row("A")
    assert [(code, s.median if s else None) for code, s in a.sectors] == [
        ("public", 3.0),
        ("academia", 1.0),
        ("industry", 2.0),
    ]
    assert a.result.sector_gap == 2.0
    assert [row.dimension.code for row in results.most_disagreed] == ["A"]


def test_round_targets_set_and_gaps_become_suggested_actions(territory, users):
    model = small_model(territory)
    round_ = open_round(territory, model, [users["officer"]])
    answer(round_, users["officer"], {"A": 1, "B": 2})
    ids = {d.code: d.pk for d in model.dimensions.all()}
    services.round_targets_set(round_=round_, actor=None, targets={ids["A"]: 3, ids["B"]: 2})
    results = selectors.round_results(round_=round_)
    assert [(row.dimension.code, gap) for row, gap in results.gaps] == [("A", 2.0)]
    services.round_targets_set(round_=round_, actor=None, targets={ids["A"]: None})
    assert selectors.round_results(round_=round_).row("A").result.target is None
    with pytest.raises(ValidationError):
        services.round_targets_set(round_=round_, actor=None, targets={ids["B"]: 4})


def test_round_open_carries_targets_of_the_last_round(territory, users):
    model = small_model(territory)
    first = open_round(territory, model)
    services.round_targets_set(
        round_=first, actor=None, targets={model.dimensions.get(code="A").pk: 3}
    )
    second = open_round(territory, model, title="Next")
    assert {t.dimension.code: t.level for t in second.targets.all()} == {"A": 3}


def test_action_link_create_links_a_gap_to_a_challenge_of_the_territory(territory, other_territory):
    model = small_model(territory)
    round_ = open_round(territory, model)
    dim = model.dimensions.get(code="A")
    mine = challenge_create(territory=territory, actor=None, title="Data skills")
    foreign = challenge_create(territory=other_territory, actor=None, title="Elsewhere")
    link = services.action_link_create(round_=round_, actor=None, dimension=dim, challenge=mine)
    assert selectors.round_results(round_=round_).row("A").actions == [link]
    with pytest.raises(ValidationError):
        services.action_link_create(round_=round_, actor=None, dimension=dim, challenge=foreign)
    with pytest.raises(ValidationError):
        services.action_link_create(round_=round_, actor=None, dimension=dim)


def test_interface_item_create_only_at_interfaces_of_the_framework(territory, other_territory):
    grid = initiative_create(territory=territory, actor=None, title="Grid twin")
    item = services.interface_item_create(
        territory=territory,
        actor=None,
        layer_a="governance",
        layer_b="data",
        kind="risk",
        title="Personal data",
        initiatives=[grid],
    )
    assert (item.layer_a, item.layer_b) == ("data", "governance")
    with pytest.raises(ValidationError) as error:
        services.interface_item_create(
            territory=territory,
            actor=None,
            layer_a="analogue",
            layer_b="data",
            kind="risk",
            title="Skips a layer",
        )
    assert "layer_b" in error.value.message_dict
    elsewhere = initiative_create(territory=other_territory, actor=None, title="Theirs")
    with pytest.raises(ValidationError):
        services.interface_item_create(
            territory=territory,
            actor=None,
            layer_a="data",
            layer_b="platforms",
            kind="opportunity",
            title="X",
            initiatives=[elsewhere],
        )


def test_readiness_settings_update_cannot_be_named_without_taking_part(territory):
    found = services.readiness_settings_update(
        territory=territory,
        actor=None,
        results_public=True,
        in_benchmarks=False,
        named_in_benchmarks=True,
    )
    assert found.results_public and not found.named_in_benchmarks


def test_territory_with_assessment_history_can_be_deleted(territory, users):
    round_ = open_round(territory, default_model(territory), [users["officer"]])
    answer(round_, users["officer"], {"D1": 3})
    territory.delete()
    assert not MaturityModel.objects.exists() and not Answer.objects.exists()


def test_model_version_used_by_a_round_cannot_be_deleted(territory):
    model = default_model(territory)
    open_round(territory, model)
    with pytest.raises(ValidationError, match="frozen"):
        services.maturity_model_delete(model=model, actor=None)
    with pytest.raises(RestrictedError):
        model.delete()
