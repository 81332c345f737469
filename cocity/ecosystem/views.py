"""Ecosystem pages: the stakeholder directory, partnerships, joint work, trust, teams."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core.pages import paginate, save_with_service
from cocity.core.permissions import represented_stakeholder_id
from cocity.core.tenancy import territory_view
from cocity.ecosystem import selectors, services
from cocity.ecosystem.forms import (
    CollaborationForm,
    PartnershipForm,
    StakeholderFilterForm,
    StakeholderForm,
    TrustRatingForm,
    member_formset,
)
from cocity.ecosystem.models import (
    Partnership,
    PartnershipStatus,
    Stakeholder,
)
from cocity.ecosystem.models import (
    PartnershipForm as Form_,
)
from cocity.programme.selectors import initiative_list
from cocity.territories.models import Territory


def _stakeholder(territory: Territory, pk: int) -> Stakeholder:
    try:
        return selectors.stakeholder_get(territory=territory, pk=pk)
    except Stakeholder.DoesNotExist:
        raise Http404 from None


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@territory_view()
def stakeholder_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    filters = StakeholderFilterForm(request.GET or None, territory=territory)
    params = filters.cleaned_data if filters.is_valid() else {}
    cluster = params.get("cluster")
    stakeholders = selectors.stakeholder_list(
        territory=territory,
        q=params.get("q", ""),
        sector=params.get("sector", ""),
        type=params.get("type", ""),
        cluster=cluster.pk if cluster else None,
    )
    return render(
        request,
        "ecosystem/stakeholder_list.html",
        {
            "nav": "stakeholders",
            "filters": filters,
            "can_add": request.user.has_perm("ecosystem.add_stakeholder", territory),
            **paginate(request, stakeholders),
        },
    )


@territory_view()
def stakeholder_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(territory, pk)
    user = request.user
    ratings = selectors.trust_rating_list(territory=territory, user=user).filter(
        rater=stakeholder
    ) | selectors.trust_rating_list(territory=territory, user=user).filter(ratee=stakeholder)
    return render(
        request,
        "ecosystem/stakeholder_detail.html",
        {
            "nav": "stakeholders",
            "stakeholder": stakeholder,
            "partnerships": selectors.partnership_list(
                territory=territory, user=user, stakeholder=stakeholder.pk
            ),
            "collaborations": selectors.collaboration_list(
                territory=territory, stakeholder=stakeholder.pk
            )[:20],
            "initiatives": initiative_list(
                territory=territory, user=user, stakeholder=stakeholder.pk
            ),
            "ratings": ratings.order_by("-rated_on")[:50],
            "can_change": user.has_perm("ecosystem.change_stakeholder", stakeholder),
            "can_delete": user.has_perm("ecosystem.delete_stakeholder", stakeholder),
        },
    )


@territory_view("ecosystem.add_stakeholder")
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = StakeholderForm(request.POST or None, territory=territory)
    if request.method == "POST":
        stakeholder = save_with_service(
            form,
            lambda: services.stakeholder_create(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        if stakeholder:
            messages.success(request, _("Stakeholder added."))
            return redirect("ecosystem:stakeholder_detail", territory.slug, stakeholder.pk)
    return render(
        request,
        "ecosystem/form.html",
        {"nav": "stakeholders", "form": form, "title": _("Add a stakeholder")},
        status=400 if form.errors else 200,
    )


@territory_view()
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(territory, pk)
    _require(request, "ecosystem.change_stakeholder", stakeholder)
    form = StakeholderForm(request.POST or None, instance=stakeholder, territory=territory)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.stakeholder_update(
                stakeholder=_stakeholder(territory, pk), actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("ecosystem:stakeholder_detail", territory.slug, pk)
    return render(
        request,
        "ecosystem/form.html",
        {
            "nav": "stakeholders",
            "form": form,
            "title": _("Edit %(name)s") % {"name": stakeholder.name},
        },
        status=400 if form.errors else 200,
    )


@territory_view()
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(territory, pk)
    _require(request, "ecosystem.delete_stakeholder", stakeholder)
    if request.method == "POST":
        services.stakeholder_delete(stakeholder=stakeholder, actor=request.user)
        messages.success(request, _("Stakeholder removed."))
        return redirect("ecosystem:stakeholder_list", territory.slug)
    return render(
        request, "ecosystem/confirm_delete.html", {"nav": "stakeholders", "object": stakeholder}
    )


@territory_view()
def partnership_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = request.GET.get("form", "")
    status = request.GET.get("status", "")
    partnerships = selectors.partnership_list(
        territory=territory,
        user=request.user,
        form=form if form in Form_.values else "",
        status=status if status in PartnershipStatus.values else "",
        q=request.GET.get("q", "")[:100],
    )
    return render(
        request,
        "ecosystem/partnership_list.html",
        {
            "nav": "partnerships",
            "forms": Form_.choices,
            "statuses": PartnershipStatus.choices,
            "selected_form": form,
            "selected_status": status,
            "q": request.GET.get("q", "")[:100],
            "can_add": request.user.has_perm("ecosystem.add_partnership", territory),
            **paginate(request, partnerships),
        },
    )


def _partnership(request: HttpRequest, territory: Territory, pk: int) -> Partnership:
    try:
        return selectors.partnership_get(territory=territory, user=request.user, pk=pk)
    except Partnership.DoesNotExist:
        raise Http404 from None


@territory_view()
def partnership_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    partnership = _partnership(request, territory, pk)
    return render(
        request,
        "ecosystem/partnership_detail.html",
        {
            "nav": "partnerships",
            "partnership": partnership,
            "show_drafts": request.user.has_perm("core.view_drafts", territory),
            "can_change": request.user.has_perm("ecosystem.change_partnership", partnership),
            "can_delete": request.user.has_perm("ecosystem.delete_partnership", partnership),
        },
    )


def _partnership_form_page(
    request: HttpRequest, territory: Territory, partnership: Partnership | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PartnershipForm(data, instance=partnership, territory=territory)
    initial = (
        [{"stakeholder": m.stakeholder, "role": m.role} for m in partnership.members.all()]
        if partnership
        else []
    )
    if partnership is None and not request.user.has_perm("core.view_drafts", territory):
        # A partner proposing a partnership is its first member.
        sid = represented_stakeholder_id(request.user, territory)
        if sid:
            initial = [{"stakeholder": sid, "role": "lead"}]
    formset = member_formset(territory=territory, data=data, initial=initial)
    if request.method == "POST":
        members_valid = formset.is_valid()

        def save() -> Partnership:
            fields = form.cleaned_data
            members = formset.members() if members_valid else []
            if partnership is None:
                return services.partnership_create(
                    territory=territory, actor=request.user, members=members, **fields
                )
            return services.partnership_update(
                partnership=partnership, actor=request.user, members=members, **fields
            )

        if members_valid:
            saved = save_with_service(form, save)
        else:
            saved = None
            form.is_valid()
            form.add_error(None, _("Check the members below."))
        if saved:
            messages.success(request, _("Partnership saved."))
            return redirect("ecosystem:partnership_detail", territory.slug, saved.pk)
    title = _("Edit %(name)s") % {"name": partnership.name} if partnership else _("New partnership")
    return render(
        request,
        "ecosystem/partnership_form.html",
        {"nav": "partnerships", "form": form, "formset": formset, "title": title},
        status=400 if request.method == "POST" else 200,
    )


@territory_view("ecosystem.add_partnership")
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _partnership_form_page(request, territory, None)


@territory_view()
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    partnership = _partnership(request, territory, pk)
    _require(request, "ecosystem.change_partnership", partnership)
    return _partnership_form_page(request, territory, partnership)


@territory_view()
@require_http_methods(["GET", "POST"])
def partnership_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    partnership = _partnership(request, territory, pk)
    _require(request, "ecosystem.delete_partnership", partnership)
    if request.method == "POST":
        services.partnership_delete(partnership=partnership, actor=request.user)
        messages.success(request, _("Partnership removed."))
        return redirect("ecosystem:partnership_list", territory.slug)
    return render(
        request, "ecosystem/confirm_delete.html", {"nav": "partnerships", "object": partnership}
    )


@territory_view()
def collaboration_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    return render(
        request,
        "ecosystem/collaboration_list.html",
        {
            "nav": "stakeholders",
            "can_add": request.user.has_perm("ecosystem.add_collaboration", territory),
            **paginate(request, selectors.collaboration_list(territory=territory)),
        },
    )


@territory_view("ecosystem.add_collaboration")
@require_http_methods(["GET", "POST"])
def collaboration_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = CollaborationForm(request.POST or None, territory=territory)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.collaboration_create(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Joint work recorded."))
            return redirect("ecosystem:collaboration_list", territory.slug)
    return render(
        request,
        "ecosystem/form.html",
        {"nav": "stakeholders", "form": form, "title": _("Record joint work")},
        status=400 if form.errors else 200,
    )


@territory_view("territories.view_private")
def trust_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    ratings = selectors.trust_rating_list(territory=territory, user=request.user)
    return render(
        request,
        "ecosystem/trust_list.html",
        {
            "nav": "stakeholders",
            "sees_all": request.user.has_perm("ecosystem.view_trust_ratings", territory),
            "can_add": request.user.has_perm("ecosystem.add_trustrating", territory),
            **paginate(request, ratings),
        },
    )


@territory_view("ecosystem.add_trustrating")
@require_http_methods(["GET", "POST"])
def trust_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    own = None
    if not request.user.has_perm("ecosystem.view_trust_ratings", territory):
        own = represented_stakeholder_id(request.user, territory)
        if own is None:
            raise PermissionDenied
    form = TrustRatingForm(request.POST or None, territory=territory, rater_id=own)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.trust_rating_create(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(
                request, _("Trust rating saved. Only facilitators and your organisation see it.")
            )
            return redirect("ecosystem:trust_list", territory.slug)
    return render(
        request,
        "ecosystem/form.html",
        {
            "nav": "stakeholders",
            "form": form,
            "title": _("Rate trust in a partner"),
            "intro": _(
                "Ratings are private: facilitators and your own organisation see them; "
                "others see only aggregates."
            ),
        },
        status=400 if form.errors else 200,
    )


@territory_view()
def leadership_team_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    return render(
        request,
        "ecosystem/leadership_team_list.html",
        {"nav": "stakeholders", "teams": selectors.leadership_team_list(territory=territory)},
    )
