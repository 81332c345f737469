"""Pages of assessment rounds: opening, inviting, answering, targets, results, export, gaps."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.readiness import exchange, selectors, services
from cocity.readiness.forms import (
    ActionLinkForm,
    AnswerForm,
    InviteForm,
    RoundOpenForm,
    TargetsForm,
)
from cocity.readiness.models import ActionLink, AssessmentRound, RoundStatus
from cocity.readiness.views.pages import MANAGE, VIEW, _form_page, _page, _round, _service_error
from cocity.territories.models import Territory


@territory_view(VIEW)
def round_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    rounds = selectors.round_list(territory=territory)
    if not request.user.has_perm("territories.view_private", territory):
        rounds = rounds.filter(status=RoundStatus.CLOSED)
    return _page(
        request,
        "readiness/round_list.html",
        {"rounds": rounds, "can_manage": request.user.has_perm(MANAGE, territory)},
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = RoundOpenForm(request.POST or None, territory=territory)
    if request.method == "POST":
        round_ = save_with_service(
            form,
            lambda: services.round_open(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        if round_:
            messages.success(request, _("Round opened. Invited respondents can answer now."))
            return redirect("readiness:round_detail", territory.slug, round_.pk)
    elif not form.fields["model"].queryset.exists():  # type: ignore[attr-defined]
        messages.info(request, _("Publish a maturity model first, or install the default one."))
        return redirect("readiness:model_list", territory.slug)
    return _form_page(request, form, _("Open an assessment round"))


@territory_view(VIEW)
def round_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    user = request.user
    results = selectors.round_results(
        round_=round_, with_evidence=user.has_perm("readiness.view_evidence", round_)
    )
    history = selectors.round_history(round_=round_)
    history_rows = [
        (row.dimension.code, [p.medians.get(row.dimension.code) for p in history])
        for row in results.rows
    ]
    return _page(
        request,
        "readiness/round_detail.html",
        {
            "round": round_,
            "r": results,
            "history": history,
            "history_rows": history_rows,
            "invitation": selectors.invitation_of(round_=round_, user=user),
            "can_manage": user.has_perm(MANAGE, territory),
            "can_answer": user.has_perm("readiness.answer_round", round_),
            "can_benchmark": user.has_perm("readiness.view_benchmark", territory),
            "action_form": ActionLinkForm(round_=round_)
            if user.has_perm(MANAGE, territory)
            else None,
        },
    )


@territory_view(VIEW)
@require_http_methods(["GET", "POST"])
def round_answer(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    invitation = selectors.invitation_of(round_=round_, user=request.user)
    if invitation is None:
        raise PermissionDenied(_("You are not invited to answer this round."))
    if not round_.is_open:
        messages.info(request, _("This round is closed; its results are below."))
        return redirect("readiness:round_detail", territory.slug, round_.pk)
    dimensions = list(round_.model.dimensions.all())
    form = AnswerForm(
        request.POST or None,
        round_=round_,
        dimensions=dimensions,
        initial=AnswerForm.initial_from(selectors.answers_of(invitation=invitation)),
    )
    if request.method == "POST":
        submit = "submit" in request.POST
        saved = save_with_service(
            form,
            lambda: services.answers_save(
                round_=round_, user=request.user, answers=form.answers(), submit=submit
            ),
        )
        if saved:
            if submit:
                messages.success(request, _("Thank you: your answers count in the results."))
                return redirect("readiness:round_detail", territory.slug, round_.pk)
            messages.success(request, _("Draft saved. Come back any time before the round closes."))
            return redirect("readiness:round_answer", territory.slug, round_.pk)
    return _page(
        request,
        "readiness/round_answer.html",
        {"round": round_, "form": form, "invitation": invitation},
        status=400 if form.is_bound and form.errors else 200,
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def round_invite(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    form = InviteForm(request.POST or None, round_=round_)
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: services.round_invite(
                round_=round_, actor=request.user, users=form.cleaned_data["invitees"]
            ),
        )
        is not None
    ):
        messages.success(request, _("Invited."))
        return redirect("readiness:round_invite", territory.slug, round_.pk)
    return _page(
        request,
        "readiness/round_invite.html",
        {"round": round_, "form": form, "invitations": selectors.invitations_for(round_=round_)},
        status=400 if form.is_bound and form.errors else 200,
    )


@territory_view(MANAGE)
@require_POST
def invitation_delete(
    request: HttpRequest, territory: Territory, pk: int, ipk: int
) -> HttpResponse:
    round_ = _round(request, territory, pk)
    invitation = round_.invitations.filter(pk=ipk).first()
    if invitation is None:
        raise Http404
    try:
        services.invitation_delete(invitation=invitation, actor=request.user)
        messages.success(request, _("Invitation withdrawn."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:round_invite", territory.slug, round_.pk)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def round_targets(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    dimensions = list(round_.model.dimensions.all())
    current = {t.dimension_id: str(t.level) for t in round_.targets.all()}
    form = TargetsForm(
        request.POST or None,
        round_=round_,
        dimensions=dimensions,
        initial={f"target_{k}": v for k, v in current.items()},
    )
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: (
                services.round_targets_set(
                    round_=round_, actor=request.user, targets=form.targets()
                )
                or True
            ),
        )
        is not None
    ):
        messages.success(request, _("Targets saved."))
        return redirect("readiness:round_detail", territory.slug, round_.pk)
    return _form_page(
        request,
        form,
        _("Targets for %(round)s") % {"round": round_},
        intro=_(
            "The level the city aims at in each dimension. A median one level or more below "
            "its target becomes a suggested action."
        ),
    )


@territory_view(MANAGE)
@require_POST
def round_close(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    try:
        services.round_close(round_=round_, actor=request.user)
        messages.success(request, _("Round closed. Drafts that were not submitted do not count."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:round_detail", territory.slug, round_.pk)


@territory_view(VIEW)
def round_export(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    document = exchange.round_export(round_=round_)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json"
    )
    name = slugify(f"{territory.slug}-{round_.title}") or "round"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@territory_view(MANAGE)
@require_POST
def action_link_create(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    round_ = _round(request, territory, pk)
    form = ActionLinkForm(request.POST, round_=round_)
    if save_with_service(
        form,
        lambda: services.action_link_create(round_=round_, actor=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("Gap linked."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect(f"{_round_url(territory, round_)}#gaps")


def _round_url(territory: Territory, round_: AssessmentRound) -> str:
    return reverse("readiness:round_detail", args=[territory.slug, round_.pk])


@territory_view(MANAGE)
@require_POST
def action_link_delete(
    request: HttpRequest, territory: Territory, pk: int, lpk: int
) -> HttpResponse:
    round_ = _round(request, territory, pk)
    link = ActionLink.objects.filter(round=round_, pk=lpk).first()
    if link is None:
        raise Http404
    services.action_link_delete(link=link, actor=request.user)
    messages.success(request, _("Link removed."))
    return redirect(f"{_round_url(territory, round_)}#gaps")
