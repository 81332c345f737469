"""Writes to the ecosystem. Each service validates first, then writes in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.core.permissions import represented_stakeholder_id
from cocity.core.services import activity_record, apply_fields, ensure_in_territory, validated_save
from cocity.ecosystem.models import (
    Collaboration,
    LeadershipMember,
    LeadershipTeam,
    MemberRole,
    Partnership,
    PartnershipMember,
    Stakeholder,
    TrustRating,
)
from cocity.territories.models import Area, Cluster, Territory

STAKEHOLDER_FIELDS = ("name", "sector", "type", "description", "website", "leader_role")


def _stakeholder_url(s: Stakeholder) -> str:
    return reverse("ecosystem:stakeholder_detail", args=[s.territory.slug, s.pk])


@transaction.atomic
def stakeholder_create(
    *,
    territory: Territory,
    actor: Any,
    name: str,
    sector: str,
    type: str = "other",
    description: str = "",
    website: str = "",
    leader_role: str = "",
    clusters: Iterable[Cluster] = (),
    areas: Iterable[Area] = (),
    record_activity: bool = True,
) -> Stakeholder:
    clusters = ensure_in_territory(territory, "clusters", clusters)
    areas = ensure_in_territory(territory, "areas", areas)
    stakeholder = Stakeholder(
        territory=territory,
        name=name.strip(),
        sector=sector,
        type=type,
        description=description,
        website=website,
        leader_role=leader_role,
    )
    validated_save(stakeholder)
    stakeholder.clusters.set(clusters)
    stakeholder.areas.set(areas)
    if record_activity:
        activity_record(
            territory=territory,
            actor=actor,
            verb="stakeholder_created",
            sentence=lambda: _("%(name)s joined the ecosystem") % {"name": stakeholder.name},
            url=_stakeholder_url(stakeholder),
        )
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    stakeholder: Stakeholder,
    actor: Any,
    clusters: Iterable[Cluster] | None = None,
    areas: Iterable[Area] | None = None,
    **fields: Any,
) -> Stakeholder:
    territory = stakeholder.territory
    if clusters is not None:
        clusters = ensure_in_territory(territory, "clusters", clusters)
    if areas is not None:
        areas = ensure_in_territory(territory, "areas", areas)
    apply_fields(stakeholder, fields, STAKEHOLDER_FIELDS)
    validated_save(stakeholder)
    if clusters is not None:
        stakeholder.clusters.set(clusters)
    if areas is not None:
        stakeholder.areas.set(areas)
    activity_record(
        territory=territory,
        actor=actor,
        verb="stakeholder_updated",
        sentence=lambda: _("%(name)s was updated") % {"name": stakeholder.name},
        url=_stakeholder_url(stakeholder),
    )
    return stakeholder


@transaction.atomic
def stakeholder_delete(*, stakeholder: Stakeholder, actor: Any) -> None:
    activity_record(
        territory=stakeholder.territory,
        actor=actor,
        verb="stakeholder_deleted",
        sentence=lambda: _("%(name)s was removed") % {"name": stakeholder.name},
    )
    stakeholder.delete()


PARTNERSHIP_FIELDS = (
    "name",
    "form",
    "status",
    "description",
    "start_date",
    "end_date",
    "value",
    "currency",
    "is_draft",
)


def _check_members(
    territory: Territory, members: Sequence[tuple[Stakeholder, str]]
) -> list[tuple[Stakeholder, str]]:
    ensure_in_territory(territory, "members", [s for s, _role in members])
    if len(members) < 2:
        raise ValidationError({"members": _("A partnership needs at least two stakeholders.")})
    seen: set[int] = set()
    for stakeholder, role in members:
        if stakeholder.pk in seen:
            raise ValidationError(
                {"members": _("%(name)s is listed twice.") % {"name": stakeholder.name}}
            )
        seen.add(stakeholder.pk)
        if role not in MemberRole.values:
            raise ValidationError({"members": _("Unknown role: %(role)s.") % {"role": role}})
    return list(members)


def _check_partner_stays_member(
    territory: Territory, actor: Any, members: Sequence[tuple[Stakeholder, str]]
) -> None:
    """A partner (not an officer) proposes or edits partnerships its own organisation is in."""
    if actor is None or actor.has_perm("core.view_drafts", territory):
        return
    sid = represented_stakeholder_id(actor, territory)
    if sid is not None and sid not in {s.pk for s, _role in members}:
        raise ValidationError({"members": _("Your own organisation must be one of the members.")})


def _partnership_url(p: Partnership) -> str:
    return reverse("ecosystem:partnership_detail", args=[p.territory.slug, p.pk])


@transaction.atomic
def partnership_create(
    *,
    territory: Territory,
    actor: Any,
    name: str,
    form: str,
    members: Sequence[tuple[Stakeholder, str]],
    status: str = "exploring",
    description: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    value: Decimal | None = None,
    currency: str = "",
    is_draft: bool = False,
    initiatives: Iterable[Any] = (),
    record_activity: bool = True,
) -> Partnership:
    members = _check_members(territory, members)
    _check_partner_stays_member(territory, actor, members)
    initiatives = ensure_in_territory(territory, "initiatives", initiatives)
    partnership = Partnership(
        territory=territory,
        name=name.strip(),
        form=form,
        status=status,
        description=description,
        start_date=start_date,
        end_date=end_date,
        value=value,
        currency=currency or territory.currency,
        is_draft=is_draft,
    )
    validated_save(partnership)
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, stakeholder=s, role=r) for s, r in members
    )
    partnership.initiatives.set(initiatives)
    if record_activity:
        activity_record(
            territory=territory,
            actor=actor,
            verb="partnership_created",
            sentence=lambda: _("New partnership: %(name)s") % {"name": partnership.name},
            url=_partnership_url(partnership),
            is_public=not is_draft,
        )
    return partnership


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    actor: Any,
    members: Sequence[tuple[Stakeholder, str]] | None = None,
    initiatives: Iterable[Any] | None = None,
    **fields: Any,
) -> Partnership:
    territory = partnership.territory
    if members is not None:
        members = _check_members(territory, members)
        _check_partner_stays_member(territory, actor, members)
    if initiatives is not None:
        initiatives = ensure_in_territory(territory, "initiatives", initiatives)
    apply_fields(partnership, fields, PARTNERSHIP_FIELDS)
    validated_save(partnership)
    if members is not None:
        partnership.members.all().delete()
        PartnershipMember.objects.bulk_create(
            PartnershipMember(partnership=partnership, stakeholder=s, role=r) for s, r in members
        )
    if initiatives is not None:
        partnership.initiatives.set(initiatives)
    activity_record(
        territory=territory,
        actor=actor,
        verb="partnership_updated",
        sentence=lambda: _("Partnership updated: %(name)s") % {"name": partnership.name},
        url=_partnership_url(partnership),
        is_public=not partnership.is_draft,
    )
    return partnership


@transaction.atomic
def partnership_delete(*, partnership: Partnership, actor: Any) -> None:
    activity_record(
        territory=partnership.territory,
        actor=actor,
        verb="partnership_deleted",
        sentence=lambda: _("Partnership removed: %(name)s") % {"name": partnership.name},
        is_public=not partnership.is_draft,
    )
    partnership.delete()


COLLABORATION_FIELDS = ("title", "kind", "date", "outcome", "notes", "partnership")


@transaction.atomic
def collaboration_create(
    *,
    territory: Territory,
    actor: Any,
    title: str,
    kind: str,
    date: dt.date,
    outcome: str,
    stakeholders: Iterable[Stakeholder],
    notes: str = "",
    partnership: Partnership | None = None,
    record_activity: bool = True,
) -> Collaboration:
    stakeholders = ensure_in_territory(territory, "stakeholders", stakeholders)
    if len({s.pk for s in stakeholders}) < 2:
        raise ValidationError({"stakeholders": _("Joint work needs at least two stakeholders.")})
    ensure_in_territory(territory, "partnership", [partnership])
    collaboration = Collaboration(
        territory=territory,
        title=title.strip(),
        kind=kind,
        date=date,
        outcome=outcome,
        notes=notes,
        partnership=partnership,
    )
    validated_save(collaboration)
    collaboration.stakeholders.set(stakeholders)
    if record_activity:
        activity_record(
            territory=territory,
            actor=actor,
            verb="collaboration_created",
            sentence=lambda: _("Joint work recorded: %(title)s") % {"title": collaboration.title},
        )
    return collaboration


@transaction.atomic
def collaboration_update(
    *,
    collaboration: Collaboration,
    actor: Any,
    stakeholders: Iterable[Stakeholder] | None = None,
    **fields: Any,
) -> Collaboration:
    territory = collaboration.territory
    if stakeholders is not None:
        stakeholders = ensure_in_territory(territory, "stakeholders", stakeholders)
        if len({s.pk for s in stakeholders}) < 2:
            raise ValidationError(
                {"stakeholders": _("Joint work needs at least two stakeholders.")}
            )
    if "partnership" in fields:
        ensure_in_territory(territory, "partnership", [fields["partnership"]])
    apply_fields(collaboration, fields, COLLABORATION_FIELDS)
    validated_save(collaboration)
    if stakeholders is not None:
        collaboration.stakeholders.set(stakeholders)
    return collaboration


@transaction.atomic
def collaboration_delete(*, collaboration: Collaboration, actor: Any) -> None:
    collaboration.delete()


@transaction.atomic
def trust_rating_create(
    *,
    territory: Territory,
    actor: Any,
    rater: Stakeholder,
    ratee: Stakeholder,
    ability: int,
    benevolence: int,
    integrity: int,
    rated_on: dt.date | None = None,
    comment: str = "",
) -> TrustRating:
    ensure_in_territory(territory, "rater", [rater])
    ensure_in_territory(territory, "ratee", [ratee])
    if rater.pk == ratee.pk:
        raise ValidationError({"ratee": _("A stakeholder cannot rate its own trustworthiness.")})
    from django.utils import timezone

    rating = TrustRating(
        territory=territory,
        rater=rater,
        ratee=ratee,
        ability=ability,
        benevolence=benevolence,
        integrity=integrity,
        rated_on=rated_on or timezone.localdate(),
        given_by=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
    )
    validated_save(rating)
    return rating


TRUST_RATING_FIELDS = ("ability", "benevolence", "integrity", "rated_on", "comment")


@transaction.atomic
def trust_rating_update(*, rating: TrustRating, actor: Any, **fields: Any) -> TrustRating:
    """Change the scores, the date or the comment; who rates whom stays as it was."""
    apply_fields(rating, fields, TRUST_RATING_FIELDS)
    validated_save(rating)
    return rating


@transaction.atomic
def trust_rating_delete(*, rating: TrustRating, actor: Any) -> None:
    rating.delete()


def _check_team_members(
    territory: Territory, members: Sequence[tuple[Stakeholder, str]]
) -> list[tuple[Stakeholder, str]]:
    ensure_in_territory(territory, "members", [s for s, _t in members])
    seen: set[tuple[int, str]] = set()
    for stakeholder, title in members:
        if not title.strip():
            raise ValidationError(
                {"members": _("Give the formal role of %(name)s.") % {"name": stakeholder.name}}
            )
        if (stakeholder.pk, title.strip()) in seen:
            raise ValidationError(
                {"members": _("%(name)s is listed twice.") % {"name": stakeholder.name}}
            )
        seen.add((stakeholder.pk, title.strip()))
    if members and len({s.sector for s, _t in members}) < 2:
        raise ValidationError({"members": _("A leadership team spans at least two helix sectors.")})
    return [(s, t.strip()) for s, t in members]


@transaction.atomic
def leadership_team_create(
    *,
    territory: Territory,
    actor: Any,
    name: str,
    theme: str = "",
    challenge: Any = None,
    members: Sequence[tuple[Stakeholder, str]] = (),
) -> LeadershipTeam:
    ensure_in_territory(territory, "challenge", [challenge])
    members = _check_team_members(territory, members)
    team = LeadershipTeam(territory=territory, name=name.strip(), theme=theme, challenge=challenge)
    validated_save(team)
    LeadershipMember.objects.bulk_create(
        LeadershipMember(team=team, stakeholder=s, role_title=t) for s, t in members
    )
    activity_record(
        territory=territory,
        actor=actor,
        verb="leadership_team_created",
        sentence=lambda: _("Leadership team formed: %(name)s") % {"name": team.name},
    )
    return team


@transaction.atomic
def leadership_team_delete(*, team: LeadershipTeam, actor: Any) -> None:
    team.delete()


LEADERSHIP_TEAM_FIELDS = ("name", "theme", "challenge")


@transaction.atomic
def leadership_team_update(
    *,
    team: LeadershipTeam,
    actor: Any,
    members: Sequence[tuple[Stakeholder, str]] | None = None,
    **fields: Any,
) -> LeadershipTeam:
    """Rename the team, change its theme or challenge, or replace its members."""
    territory = team.territory
    if "challenge" in fields:
        ensure_in_territory(territory, "challenge", [fields["challenge"]])
    if members is not None:
        members = _check_team_members(territory, members)
    apply_fields(team, fields, LEADERSHIP_TEAM_FIELDS)
    validated_save(team)
    if members is not None:
        team.members.all().delete()
        LeadershipMember.objects.bulk_create(
            LeadershipMember(team=team, stakeholder=s, role_title=t) for s, t in members
        )
    return team
