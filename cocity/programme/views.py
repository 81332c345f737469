"""Programme pages: challenges and the initiatives that answer them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core.pages import paginate, save_with_service
from cocity.core.tenancy import territory_view
from cocity.ecosystem.selectors import leadership_team_list
from cocity.programme import selectors, services
from cocity.programme.forms import ChallengeForm, InitiativeFilterForm, InitiativeForm
from cocity.programme.models import Challenge, Initiative, Layer
from cocity.territories.models import Territory


def _challenge(request: HttpRequest, territory: Territory, pk: int) -> Challenge:
    try:
        return selectors.challenge_get(territory=territory, user=request.user, pk=pk)
    except Challenge.DoesNotExist:
        raise Http404 from None


def _initiative(request: HttpRequest, territory: Territory, pk: int) -> Initiative:
    try:
        return selectors.initiative_get(territory=territory, user=request.user, pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None


@territory_view()
def challenge_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    return render(
        request,
        "programme/challenge_list.html",
        {
            "nav": "challenges",
            "challenges": selectors.challenge_list(territory=territory, user=request.user),
            "can_add": request.user.has_perm("programme.add_challenge", territory),
        },
    )


@territory_view()
def challenge_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    challenge = _challenge(request, territory, pk)
    return render(
        request,
        "programme/challenge_detail.html",
        {
            "nav": "challenges",
            "challenge": challenge,
            "initiatives": selectors.initiative_list(
                territory=territory, user=request.user, challenge=challenge.pk
            ),
            "teams": leadership_team_list(territory=territory).filter(challenge=challenge),
            "can_change": request.user.has_perm("programme.change_challenge", challenge),
        },
    )


def _challenge_form_page(
    request: HttpRequest, territory: Territory, challenge: Challenge | None
) -> HttpResponse:
    form = ChallengeForm(request.POST or None, instance=challenge, territory=territory)
    if request.method == "POST":
        if challenge is None:
            saved = save_with_service(
                form,
                lambda: services.challenge_create(
                    territory=territory, actor=request.user, **form.cleaned_data
                ),
            )
        else:
            saved = save_with_service(
                form,
                lambda: services.challenge_update(
                    challenge=challenge, actor=request.user, **form.cleaned_data
                ),
            )
        if saved:
            messages.success(request, _("Challenge saved."))
            return redirect("programme:challenge_detail", territory.slug, saved.pk)
    title = _("Edit %(name)s") % {"name": challenge.title} if challenge else _("New challenge")
    return render(
        request,
        "ecosystem/form.html",
        {"nav": "challenges", "form": form, "title": title},
        status=400 if form.errors else 200,
    )


@territory_view("programme.add_challenge")
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _challenge_form_page(request, territory, None)


@territory_view("programme.change_challenge")
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _challenge_form_page(request, territory, _challenge(request, territory, pk))


@territory_view()
def initiative_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    filters = InitiativeFilterForm(request.GET or None, territory=territory)
    params = filters.cleaned_data if filters.is_valid() else {}
    challenge = params.get("challenge")
    initiatives = selectors.initiative_list(
        territory=territory,
        user=request.user,
        stage=params.get("stage", ""),
        challenge=challenge.pk if challenge else None,
        q=params.get("q", ""),
    )
    return render(
        request,
        "programme/initiative_list.html",
        {
            "nav": "initiatives",
            "filters": filters,
            "layers": Layer.choices,
            "can_add": request.user.has_perm("programme.add_initiative", territory),
            **paginate(request, initiatives),
        },
    )


@territory_view()
def initiative_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    initiative = _initiative(request, territory, pk)
    progress = {lp.layer: lp.progress for lp in initiative.layer_progress.all()}
    layers = [(code, label, progress.get(code)) for code, label in Layer.choices]
    return render(
        request,
        "programme/initiative_detail.html",
        {
            "nav": "initiatives",
            "initiative": initiative,
            "layers": layers,
            "show_drafts": request.user.has_perm("core.view_drafts", territory),
            "can_change": request.user.has_perm("programme.change_initiative", initiative),
            "can_delete": request.user.has_perm("programme.delete_initiative", initiative),
        },
    )


def _initiative_form_page(
    request: HttpRequest, territory: Territory, initiative: Initiative | None
) -> HttpResponse:
    form = InitiativeForm(request.POST or None, instance=initiative, territory=territory)
    if request.method == "POST":

        def save() -> Initiative:
            fields = form.service_fields()
            if initiative is None:
                return services.initiative_create(
                    territory=territory, actor=request.user, layers=form.layer_values(), **fields
                )
            return services.initiative_update(
                initiative=initiative, actor=request.user, layers=form.layer_values(), **fields
            )

        saved = save_with_service(form, save)
        if saved:
            messages.success(request, _("Initiative saved."))
            return redirect("programme:initiative_detail", territory.slug, saved.pk)
    title = _("Edit %(name)s") % {"name": initiative.title} if initiative else _("New initiative")
    return render(
        request,
        "ecosystem/form.html",
        {"nav": "initiatives", "form": form, "title": title},
        status=400 if form.errors else 200,
    )


@territory_view("programme.add_initiative")
@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _initiative_form_page(request, territory, None)


@territory_view("programme.change_initiative")
@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _initiative_form_page(request, territory, _initiative(request, territory, pk))


@territory_view("programme.delete_initiative")
@require_http_methods(["GET", "POST"])
def initiative_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    initiative = _initiative(request, territory, pk)
    if not request.user.has_perm("programme.delete_initiative", initiative):
        raise PermissionDenied
    if request.method == "POST":
        services.initiative_delete(initiative=initiative, actor=request.user)
        messages.success(request, _("Initiative removed."))
        return redirect("programme:initiative_list", territory.slug)
    return render(
        request, "ecosystem/confirm_delete.html", {"nav": "initiatives", "object": initiative}
    )
