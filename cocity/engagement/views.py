"""Consultation pages for facilitators and readers: conversations, statements, moderation,
participants, Pol.is import and export, the opinion map and the printable report.

The participant's own pages (voting, profile, adding a statement) are in
:mod:`cocity.engagement.vote_views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.forms import add_service_errors
from cocity.core.pages import paginate, save_with_service
from cocity.core.tenancy import territory_view
from cocity.engagement import selectors, services
from cocity.engagement.forms import ConversationForm, ImportForm, ModerationForm, SeedStatementForm
from cocity.engagement.models import Conversation, Participant, Statement, StatementStatus
from cocity.engagement.polis import conversation_import_polis, polis_zip
from cocity.engagement.results import opinion_view
from cocity.territories.models import Territory


def conversation_or_404(request: HttpRequest, territory: Territory, pk: int) -> Conversation:
    try:
        return selectors.conversation_get(territory=territory, user=request.user, pk=pk)
    except Conversation.DoesNotExist:
        raise Http404 from None


def _require(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


@territory_view()
def conversation_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    conversations = selectors.conversation_list(territory=territory, user=request.user)
    return render(
        request,
        "engagement/conversation_list.html",
        {
            "nav": "consultations",
            "can_add": request.user.has_perm("engagement.add_conversation", territory),
            "can_import": request.user.has_perm("engagement.import_polis", territory),
            **paginate(request, conversations),
        },
    )


@territory_view()
def conversation_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    user = request.user
    return render(
        request,
        "engagement/conversation_detail.html",
        {
            "nav": "consultations",
            "conversation": conversation,
            "result": selectors.result_latest(conversation=conversation),
            "n_votes": selectors.conversation_vote_count(conversation=conversation),
            "can_vote": user.has_perm("engagement.vote", conversation),
            "can_change": user.has_perm("engagement.change_conversation", conversation),
            "can_moderate": user.has_perm("engagement.view_moderation", conversation),
            "can_see_participants": user.has_perm("engagement.view_participants", conversation),
            "can_export": user.has_perm("engagement.export_polis", conversation),
            "can_see_results": user.has_perm("engagement.view_results", conversation),
        },
    )


def _conversation_form_page(
    request: HttpRequest, territory: Territory, conversation: Conversation | None
) -> HttpResponse:
    form = ConversationForm(request.POST or None, instance=conversation, territory=territory)
    if request.method == "POST":
        if conversation is None:
            saved = save_with_service(
                form,
                lambda: services.conversation_create(
                    territory=territory, actor=request.user, **form.cleaned_data
                ),
            )
        else:
            saved = save_with_service(
                form,
                lambda: services.conversation_update(
                    conversation=conversation, actor=request.user, **form.cleaned_data
                ),
            )
        if saved:
            messages.success(request, _("Consultation saved."))
            return redirect("engagement:conversation_detail", territory.slug, saved.pk)
    title = (
        _("Edit %(name)s") % {"name": conversation.title} if conversation else _("New consultation")
    )
    return render(
        request,
        "engagement/form.html",
        {"nav": "consultations", "form": form, "title": title, "conversation": conversation},
        status=400 if form.errors else 200,
    )


@territory_view("engagement.add_conversation")
@require_http_methods(["GET", "POST"])
def conversation_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _conversation_form_page(request, territory, None)


@territory_view("engagement.change_conversation")
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _conversation_form_page(request, territory, conversation_or_404(request, territory, pk))


# --- Statements and moderation ----------------------------------------------------------------


@territory_view("engagement.view_moderation")
@require_http_methods(["GET", "POST"])
def statement_list(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """Every statement with its status; facilitators add seed statements here."""
    conversation = conversation_or_404(request, territory, pk)
    can_change = request.user.has_perm("engagement.change_conversation", conversation)
    form = SeedStatementForm(request.POST or None)
    if request.method == "POST":
        _require(request, "engagement.change_conversation", conversation)
        if save_with_service(
            form,
            lambda: services.statement_seed_create(
                conversation=conversation, actor=request.user, text=form.cleaned_data["text"]
            ),
        ):
            messages.success(request, _("Seed statement added."))
            return redirect("engagement:statement_list", territory.slug, conversation.pk)
    status = request.GET.get("status", "")
    if status not in StatementStatus.values:
        status = ""
    return render(
        request,
        "engagement/statement_list.html",
        {
            "nav": "consultations",
            "conversation": conversation,
            "form": form,
            "can_change": can_change,
            "status": status,
            "statuses": StatementStatus.choices,
            **paginate(
                request, selectors.statement_list(conversation=conversation, status=status), 50
            ),
        },
        status=400 if form.errors else 200,
    )


@territory_view("engagement.view_moderation")
def moderation_queue(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    return render(
        request,
        "engagement/moderation.html",
        {
            "nav": "consultations",
            "conversation": conversation,
            "can_moderate": request.user.has_perm("engagement.moderate", conversation),
            **paginate(request, selectors.moderation_queue(conversation=conversation)),
        },
    )


@territory_view("engagement.moderate")
@require_POST
def statement_moderate(
    request: HttpRequest, territory: Territory, pk: int, sid: int
) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    statement = Statement.objects.filter(conversation=conversation, pk=sid).first()
    if statement is None:
        raise Http404
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.statement_moderate(
                statement=statement,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            for message in errors:
                messages.error(
                    request,
                    _("Statement %(n)s: %(error)s") % {"n": statement.number, "error": message},
                )
    elif statement.status == StatementStatus.ACCEPTED:
        messages.success(request, _("Statement %(n)s accepted.") % {"n": statement.number})
    else:
        messages.success(request, _("Statement %(n)s rejected.") % {"n": statement.number})
    target = request.POST.get("next", "")
    if target == "statements":
        return redirect("engagement:statement_list", territory.slug, conversation.pk)
    return redirect("engagement:moderation_queue", territory.slug, conversation.pk)


# --- Participants -----------------------------------------------------------------------------


@territory_view("engagement.view_participants")
def participant_list(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    return render(
        request,
        "engagement/participant_list.html",
        {
            "nav": "consultations",
            "conversation": conversation,
            "can_revoke": request.user.has_perm("engagement.revoke_participant", conversation),
            **paginate(request, selectors.participant_list(conversation=conversation), 50),
        },
    )


@territory_view("engagement.revoke_participant")
@require_POST
def participant_revoke(
    request: HttpRequest, territory: Territory, pk: int, number: int
) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    participant = Participant.objects.filter(conversation=conversation, number=number).first()
    if participant is None:
        raise Http404
    services.participant_revoke(participant=participant, actor=request.user)
    messages.success(
        request,
        _("Participant %(n)s withdrawn: their votes no longer count.") % {"n": participant.number},
    )
    return redirect("engagement:participant_list", territory.slug, conversation.pk)


# --- Pol.is import and export -----------------------------------------------------------------


@territory_view("engagement.import_polis")
@require_http_methods(["GET", "POST"])
def conversation_import(request: HttpRequest, territory: Territory) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            summary = conversation_import_polis(
                territory=territory,
                actor=request.user,
                zip_data=data["file"].read(),
                title=data["title"],
                challenge=data["challenge"],
                status=data["status"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Imported %(participants)d participants, %(statements)d statements and "
                    "%(votes)d votes. The opinion map appears once the worker has computed it."
                )
                % {
                    "participants": summary.participants,
                    "statements": summary.statements,
                    "votes": summary.votes,
                },
            )
            return redirect(
                "engagement:conversation_detail", territory.slug, summary.conversation.pk
            )
    return render(
        request,
        "engagement/import.html",
        {"nav": "consultations", "form": form},
        status=400 if form.errors else 200,
    )


@territory_view("engagement.export_polis")
def conversation_export(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    response = HttpResponse(polis_zip(conversation=conversation), content_type="application/zip")
    name = slugify(conversation.title)[:50] or "consultation"
    response["Content-Disposition"] = f'attachment; filename="{name}-polis.zip"'
    return response


# --- Results ----------------------------------------------------------------------------------


def _results_page(
    request: HttpRequest, territory: Territory, pk: int, template: str
) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    _require(request, "engagement.view_results", conversation)
    result = selectors.result_latest(conversation=conversation)
    view = None
    if result is not None:
        statements = list(
            Statement.objects.filter(conversation=conversation).only("number", "text", "status")
        )
        view = opinion_view(result=result, statements=statements)
    context = {
        "nav": "consultations",
        "conversation": conversation,
        "view": view,
        "fragment": request.headers.get("HX-Request") == "true",
        "printable": template == "engagement/report.html",
    }
    if context["fragment"] and template == "engagement/map.html":
        template = "engagement/_map_body.html"
    return render(request, template, context)


@territory_view()
def opinion_map_page(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _results_page(request, territory, pk, "engagement/map.html")


@territory_view()
def opinion_report(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _results_page(request, territory, pk, "engagement/report.html")
