"""Readiness pages: models, rounds (answering, results), the layered framework, benchmarks.

Views stay thin: resolve the territory and the row, check the permission, call one service
or selector, render. Chart files are served by :mod:`cocity.readiness.chart_views`.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.forms import add_service_errors
from cocity.core.pages import save_with_service
from cocity.core.tenancy import territory_view
from cocity.programme.models import Layer
from cocity.readiness import exchange, selectors, services
from cocity.readiness.forms import (
    ActionLinkForm,
    AnswerForm,
    DimensionForm,
    InterfaceItemForm,
    InviteForm,
    MaturityModelForm,
    ModelCopyForm,
    PeerImportForm,
    ReadinessSettingsForm,
    RoundOpenForm,
    TargetsForm,
)
from cocity.readiness.models import (
    ActionLink,
    AssessmentRound,
    Dimension,
    ExternalPeer,
    InterfaceItem,
    MaturityModel,
    RoundStatus,
)
from cocity.territories.models import Territory

VIEW = "readiness.view_readiness"
MANAGE = "readiness.manage_readiness"
NAV = "readiness"
BAND_LABELS = {
    "under_50k": gettext_lazy("under 50,000 people"),
    "50k_200k": gettext_lazy("50,000 to 200,000 people"),
    "200k_1m": gettext_lazy("200,000 to 1 million people"),
    "over_1m": gettext_lazy("over 1 million people"),
    "unknown": gettext_lazy("population not given"),
}


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {"nav": NAV, **context}, status=status)


def _form_page(
    request: HttpRequest, form: Any, title: str, *, intro: str = "", enctype: str = ""
) -> HttpResponse:
    return _page(
        request,
        "readiness/form.html",
        {"form": form, "title": title, "intro": intro, "enctype": enctype},
        status=400 if form.is_bound and form.errors else 200,
    )


def _model(territory: Territory, pk: int) -> MaturityModel:
    try:
        return selectors.maturity_model_get(territory=territory, pk=pk)
    except MaturityModel.DoesNotExist:
        raise Http404 from None


def _round(
    request: HttpRequest, territory: Territory, pk: int, perm: str = "readiness.view_round"
) -> AssessmentRound:
    try:
        round_ = selectors.round_get(territory=territory, pk=pk)
    except AssessmentRound.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, round_):
        if perm == "readiness.view_round":
            raise Http404
        raise PermissionDenied
    return round_


def _service_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, str(message))


# --- overview ----------------------------------------------------------------------------------


@territory_view(VIEW)
def index(request: HttpRequest, territory: Territory) -> HttpResponse:
    user = request.user
    is_reader = user.has_perm("territories.view_private", territory)
    found = selectors.round_list(territory=territory)
    if not is_reader:
        found = found.filter(status=RoundStatus.CLOSED)
    rounds = list(found[:5])
    # The headline shows the latest closed round; an open round's numbers are provisional.
    visible = [r for r in rounds if user.has_perm("readiness.view_round", r)]
    latest = next((r for r in visible if not r.is_open), visible[0] if visible else None)
    results = selectors.round_results(round_=latest, with_actions=False) if latest else None
    overview = selectors.layer_overview(territory=territory, with_readiness=False)
    return _page(
        request,
        "readiness/index.html",
        {
            "rounds": rounds,
            "latest": latest,
            "results": results,
            "balance": overview.balance,
            "lagging": [Layer(code).label for code in overview.balance.lagging],
            "invitations": selectors.open_invitations(territory=territory, user=user),
            "can_manage": user.has_perm(MANAGE, territory),
            "can_benchmark": user.has_perm("readiness.view_benchmark", territory),
        },
    )


# --- models ------------------------------------------------------------------------------------


@territory_view(VIEW)
def model_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _page(
        request,
        "readiness/model_list.html",
        {
            "models": selectors.maturity_model_list(territory=territory),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_POST
def model_install_default(request: HttpRequest, territory: Territory) -> HttpResponse:
    model = services.maturity_model_install_default(territory=territory, actor=request.user)
    messages.success(request, _("The default model is ready to use."))
    return redirect("readiness:model_detail", territory.slug, model.pk)


@territory_view(VIEW)
def model_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    return _page(
        request,
        "readiness/model_detail.html",
        {
            "model": model,
            "dimensions": list(model.dimensions.all()),
            "versions": selectors.maturity_model_list(territory=territory).filter(
                family=model.family
            ),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def model_copy(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    source = _model(territory, pk)
    form = ModelCopyForm(
        request.POST or None, initial={"name": _("%(name)s (adapted)") % {"name": source.name}}
    )
    if request.method == "POST":
        copy = save_with_service(
            form,
            lambda: services.maturity_model_copy(
                model=source, actor=request.user, name=form.cleaned_data["name"]
            ),
        )
        if copy:
            messages.success(request, _("Copy made. Adapt it, then publish it."))
            return redirect("readiness:model_detail", territory.slug, copy.pk)
    return _form_page(
        request,
        form,
        _("Copy and adapt %(name)s") % {"name": source},
        intro=_(
            "The copy is a new model with its own history; rounds of the original are untouched."
        ),
    )


@territory_view(MANAGE)
@require_POST
def model_new_version(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    version = services.maturity_model_new_version(model=_model(territory, pk), actor=request.user)
    messages.success(
        request,
        _("Version %(v)s made as a draft; earlier rounds keep their version.")
        % {"v": version.version},
    )
    return redirect("readiness:model_detail", territory.slug, version.pk)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    if model.is_published:
        messages.error(
            request, _("Published versions are frozen. Make a new version to change it.")
        )
        return redirect("readiness:model_detail", territory.slug, model.pk)
    form = MaturityModelForm(
        request.POST or None,
        initial={
            "name": model.name,
            "description": model.description,
            "level_names": "\n".join(model.level_names),
        },
    )
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: services.maturity_model_update(
                model=model, actor=request.user, **form.cleaned_data
            ),
        )
        is not None
    ):
        messages.success(request, _("Model saved."))
        return redirect("readiness:model_detail", territory.slug, model.pk)
    return _form_page(request, form, _("Edit %(name)s") % {"name": model})


@territory_view(MANAGE)
@require_POST
def model_publish(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.maturity_model_publish(model=model, actor=request.user)
        messages.success(request, _("Published: rounds can now use this version."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:model_detail", territory.slug, model.pk)


@territory_view(MANAGE)
@require_POST
def model_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.maturity_model_delete(model=model, actor=request.user)
    except ValidationError as error:
        _service_error(request, error)
        return redirect("readiness:model_detail", territory.slug, model.pk)
    messages.success(request, _("Draft removed."))
    return redirect("readiness:model_list", territory.slug)


def _dimension_page(
    request: HttpRequest, territory: Territory, model: MaturityModel, dimension: Dimension | None
) -> HttpResponse:
    if model.is_published:
        messages.error(
            request, _("Published versions are frozen. Make a new version to change it.")
        )
        return redirect("readiness:model_detail", territory.slug, model.pk)
    initial = DimensionForm.initial_for(dimension) if dimension else {}
    form = DimensionForm(request.POST or None, model=model, initial=initial)

    def save() -> Dimension:
        if dimension is None:
            return services.dimension_create(model=model, actor=request.user, **form.cleaned_data)
        return services.dimension_update(
            dimension=dimension, actor=request.user, **form.cleaned_data
        )

    if request.method == "POST" and save_with_service(form, save) is not None:
        messages.success(request, _("Dimension saved."))
        return redirect("readiness:model_detail", territory.slug, model.pk)
    title = _("Edit %(name)s") % {"name": dimension} if dimension else _("New dimension")
    return _form_page(request, form, title)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def dimension_create(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _dimension_page(request, territory, _model(territory, pk), None)


def _dimension(model: MaturityModel, dpk: int) -> Dimension:
    found = next((d for d in model.dimensions.all() if d.pk == dpk), None)
    if found is None:
        raise Http404
    return found


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def dimension_edit(request: HttpRequest, territory: Territory, pk: int, dpk: int) -> HttpResponse:
    model = _model(territory, pk)
    return _dimension_page(request, territory, model, _dimension(model, dpk))


@territory_view(MANAGE)
@require_POST
def dimension_delete(request: HttpRequest, territory: Territory, pk: int, dpk: int) -> HttpResponse:
    model = _model(territory, pk)
    try:
        services.dimension_delete(dimension=_dimension(model, dpk), actor=request.user)
        messages.success(request, _("Dimension removed."))
    except ValidationError as error:
        _service_error(request, error)
    return redirect("readiness:model_detail", territory.slug, model.pk)


# --- rounds ------------------------------------------------------------------------------------


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


# --- the layered framework ---------------------------------------------------------------------


@territory_view(VIEW)
def layers(request: HttpRequest, territory: Territory) -> HttpResponse:
    overview = selectors.layer_overview(territory=territory)
    show_readiness = overview.readiness_round is not None and request.user.has_perm(
        "readiness.view_round", overview.readiness_round
    )
    labels = dict(Layer.choices)
    verdicts = {
        "readiness_ahead": _("Readiness ahead of delivery"),
        "delivery_ahead": _("Delivery ahead of readiness"),
        "aligned": _("In step"),
        "unknown": _("Not known"),
    }
    rows = [
        (labels[lp.layer], lp, d, verdicts[d.verdict] if show_readiness else "")
        for lp, d in zip(overview.balance.layers, overview.divergence, strict=True)
    ]
    cells = [(labels[c.interface[0]], labels[c.interface[1]], c) for c in overview.heatmap.cells]
    return _page(
        request,
        "readiness/layers.html",
        {
            "o": overview,
            "rows": rows[::-1],  # the top layer first, as the framework is drawn
            "cells": cells,
            "lagging": [labels[code] for code in overview.balance.lagging],
            "leading": [labels[code] for code in overview.balance.leading],
            "diverging": [
                r
                for r in rows
                if show_readiness
                and r[2].verdict in verdicts
                and r[2].verdict not in ("aligned", "unknown")
            ],
            "show_readiness": show_readiness,
            "can_edit": request.user.has_perm("readiness.change_interfaceitem", territory),
        },
    )


def _interface_page(
    request: HttpRequest, territory: Territory, item: InterfaceItem | None
) -> HttpResponse:
    form = InterfaceItemForm(request.POST or None, instance=item, territory=territory)

    def save() -> InterfaceItem:
        data = dict(form.cleaned_data)
        initiatives = list(data.pop("initiatives", []))
        if item is None:
            return services.interface_item_create(
                territory=territory, actor=request.user, initiatives=initiatives, **data
            )
        return services.interface_item_update(
            item=item, actor=request.user, initiatives=initiatives, **data
        )

    if request.method == "POST" and save_with_service(form, save) is not None:
        messages.success(request, _("Saved in the interface register."))
        return redirect("readiness:layers", territory.slug)
    title = _("Edit %(name)s") % {"name": item} if item else _("New opportunity or risk")
    return _form_page(request, form, title)


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _interface_page(request, territory, None)


def _item(territory: Territory, pk: int) -> InterfaceItem:
    try:
        return selectors.interface_item_get(territory=territory, pk=pk)
    except InterfaceItem.DoesNotExist:
        raise Http404 from None


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _interface_page(request, territory, _item(territory, pk))


@territory_view("readiness.change_interfaceitem")
@require_http_methods(["GET", "POST"])
def interface_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    item = _item(territory, pk)
    if request.method == "POST":
        services.interface_item_delete(item=item, actor=request.user)
        messages.success(request, _("Removed from the interface register."))
        return redirect("readiness:layers", territory.slug)
    return _page(request, "readiness/confirm_delete.html", {"object": item})


# --- benchmarking and settings -----------------------------------------------------------------


@territory_view("readiness.view_benchmark")
def benchmark(request: HttpRequest, territory: Territory) -> HttpResponse:
    round_ = None
    if request.GET.get("round", "").isdigit():
        round_ = _round(request, territory, int(request.GET["round"]))
    found = selectors.benchmark(territory=territory, round_=round_)
    return _page(
        request,
        "readiness/benchmark.html",
        {
            "b": found,
            "band_label": BAND_LABELS.get(found.band, found.band),
            "round_query": f"?round={round_.pk}" if round_ is not None else "",
            "settings": services.readiness_settings_of(territory),
            "imports": ExternalPeer.objects.filter(territory=territory),
            "can_manage": request.user.has_perm(MANAGE, territory),
        },
    )


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def peer_import(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = PeerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > exchange.MAX_BYTES:
            form.add_error("file", _("The file is larger than 1 MB."))
        else:
            try:
                exchange.peer_results_import(
                    territory=territory, actor=request.user, document=upload.read()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Peer results imported."))
                return redirect("readiness:benchmark", territory.slug)
    return _form_page(
        request,
        form,
        _("Import a peer's results"),
        intro=_(
            "Cities on separate installations benchmark together by exchanging the results file "
            "of a round (Export JSON on a round's page). Only medians and quartiles travel."
        ),
        enctype="multipart/form-data",
    )


@territory_view(MANAGE)
@require_POST
def peer_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    peer = ExternalPeer.objects.filter(territory=territory, pk=pk).first()
    if peer is None:
        raise Http404
    exchange.external_peer_delete(peer=peer, actor=request.user)
    messages.success(request, _("Imported peer removed."))
    return redirect("readiness:benchmark", territory.slug)


@territory_view(MANAGE)
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, territory: Territory) -> HttpResponse:
    current = services.readiness_settings_of(territory)
    form = ReadinessSettingsForm(
        request.POST or None,
        initial={
            "results_public": current.results_public,
            "in_benchmarks": current.in_benchmarks,
            "named_in_benchmarks": current.named_in_benchmarks,
        },
    )
    if (
        request.method == "POST"
        and save_with_service(
            form,
            lambda: services.readiness_settings_update(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        is not None
    ):
        messages.success(request, _("Readiness settings saved."))
        return redirect("readiness:index", territory.slug)
    return _form_page(request, form, _("Publishing and benchmarking"))
