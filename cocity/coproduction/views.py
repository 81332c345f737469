"""Co-production pages: citizen proposals and co-production workshops.

Every action is a plain HTML form (POST), so the pages work without JavaScript. Views parse,
check the permission, call one service or selector and render; a form that fails comes back
with status 400 and its errors beside the fields, keeping what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.coproduction import selectors, services
from cocity.coproduction.forms import (
    CommentForm,
    CommentHideForm,
    ProposalFilterForm,
    ProposalForm,
    ProposalInitiativeForm,
    TransitionForm,
    WorkshopForm,
    WorkshopOutputForm,
)
from cocity.coproduction.models import Proposal, ProposalComment, Workshop, WorkshopOutput
from cocity.core.forms import add_service_errors
from cocity.core.pages import paginate, save_with_service
from cocity.core.tenancy import territory_view
from cocity.territories.models import Territory

NAV = "proposals"
WORKSHOPS_PER_PAGE = 20


def _proposal(request: HttpRequest, territory: Territory, pk: int) -> Proposal:
    try:
        return selectors.proposal_get(territory=territory, user=request.user, pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def _workshop(territory: Territory, pk: int) -> Workshop:
    try:
        return selectors.workshop_get(territory=territory, pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None


def _url(name: str, territory: Territory, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[territory.slug, *args])


def _form_page(
    request: HttpRequest, form: Any, title: str, *, intro: str = "", cancel: str = ""
) -> HttpResponse:
    return render(
        request,
        "coproduction/form.html",
        {"nav": NAV, "form": form, "title": title, "intro": intro, "cancel_url": cancel},
        status=400 if form.errors else 200,
    )


# --- proposals -------------------------------------------------------------------------------


@territory_view("coproduction.view_proposal")
def proposal_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    filters = ProposalFilterForm(request.GET or None, territory=territory)
    proposals = selectors.proposal_list(territory=territory, user=request.user, **filters.values())
    return render(
        request,
        "coproduction/proposal_list.html",
        {
            "nav": NAV,
            "section": "proposals",
            "filters": filters,
            "can_add": request.user.has_perm("coproduction.add_proposal", territory),
            **paginate(request, proposals),
        },
    )


def _detail_page(
    request: HttpRequest,
    territory: Territory,
    proposal: Proposal,
    *,
    comment_form: CommentForm | None = None,
    transition_form: TransitionForm | None = None,
    hide_form: CommentHideForm | None = None,
    hide_comment: int | None = None,
) -> HttpResponse:
    user = request.user
    allowed = services.proposal_transitions_allowed(proposal=proposal, user=user)
    can_comment = user.has_perm("coproduction.comment_proposal", proposal) and (
        proposal.status not in services.COMMENTS_CLOSED
    )
    failed = any(f is not None and f.errors for f in (comment_form, transition_form, hide_form))
    return render(
        request,
        "coproduction/proposal_detail.html",
        {
            "nav": NAV,
            "section": "proposals",
            "proposal": proposal,
            "supported": selectors.proposal_is_supported_by(proposal=proposal, user=user),
            "can_support": user.has_perm("coproduction.support_proposal", proposal)
            and proposal.author_id != user.pk
            and proposal.status not in services.SUPPORT_CLOSED,
            "can_comment": can_comment,
            "can_edit": user.has_perm("coproduction.change_proposal", proposal),
            "can_moderate": user.has_perm("coproduction.moderate_comments", proposal),
            "can_make_initiative": user.has_perm("coproduction.make_initiative", proposal)
            and proposal.initiative_id is None
            and proposal.status in services.INITIATIVE_FROM,
            "show_drafts": user.has_perm("core.view_drafts", territory),
            "comment_form": comment_form
            or (CommentForm(prefix="comment") if can_comment else None),
            "transition_form": transition_form
            or (TransitionForm(allowed=allowed, prefix="status") if allowed else None),
            "hide_form": hide_form,
            "hide_comment": hide_comment,
        },
        status=400 if failed else 200,
    )


@territory_view("coproduction.view_proposal")
def proposal_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _detail_page(request, territory, _proposal(request, territory, pk))


@territory_view("coproduction.add_proposal")
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    initial = {"challenge": request.GET.get("challenge")} if request.GET.get("challenge") else {}
    form = ProposalForm(request.POST or None, territory=territory, initial=initial)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.proposal_create(
                territory=territory, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Thank you: your proposal is published."))
            return redirect("coproduction:proposal_detail", territory.slug, saved.pk)
    return _form_page(
        request,
        form,
        _("Propose an idea"),
        intro=_(
            "Propose an idea for one of the city's challenges. Others can support it and "
            "comment, and the city's team reviews every proposal."
        ),
        cancel=_url("proposal_list", territory),
    )


@territory_view("coproduction.take_part")
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    if not request.user.has_perm("coproduction.change_proposal", proposal):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, instance=proposal, territory=territory)
    if request.method == "POST":
        saved = save_with_service(
            form,
            lambda: services.proposal_update(
                proposal=proposal, actor=request.user, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Proposal saved."))
            return redirect("coproduction:proposal_detail", territory.slug, saved.pk)
    return _form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": proposal.title},
        cancel=_url("proposal_detail", territory, proposal.pk),
    )


@territory_view("coproduction.support_proposal")
@require_POST
def proposal_support(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """``support=1`` gives the user's support, ``support=0`` takes it back (idempotent)."""
    proposal = _proposal(request, territory, pk)
    wanted = request.POST.get("support")
    if wanted not in {"0", "1"}:
        raise BadRequest("support must be 0 or 1")
    try:
        services.proposal_support_set(
            proposal=proposal, actor=request.user, supported=wanted == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You support this proposal.") if wanted == "1" else _("Your support is withdrawn."),
        )
    return redirect(_url("proposal_detail", territory, proposal.pk) + "#support")


@territory_view("coproduction.comment_proposal")
@require_POST
def proposal_comment(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    form = CommentForm(request.POST, prefix="comment")
    saved = save_with_service(
        form,
        lambda: services.proposal_comment_create(
            proposal=proposal, actor=request.user, body=form.cleaned_data["body"]
        ),
    )
    if saved:
        messages.success(request, _("Your comment is published."))
        return redirect(_url("proposal_detail", territory, proposal.pk) + f"#comment-{saved.pk}")
    return _detail_page(request, territory, proposal, comment_form=form)


@territory_view("coproduction.take_part")
@require_POST
def proposal_transition(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    if not (
        request.user.has_perm(services.REVIEWER, proposal)
        or request.user.has_perm(services.AUTHOR, proposal)
    ):
        raise PermissionDenied
    allowed = services.proposal_transitions_allowed(proposal=proposal, user=request.user)
    form = TransitionForm(request.POST, allowed=allowed, prefix="status")
    if not form.is_valid():
        return _detail_page(request, territory, proposal, transition_form=form)
    try:
        services.proposal_transition(
            proposal=proposal,
            actor=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail_page(request, territory, proposal, transition_form=form)
    messages.success(
        request,
        _("The proposal is now %(status)s.") % {"status": proposal.get_status_display().lower()},
    )
    return redirect("coproduction:proposal_detail", territory.slug, proposal.pk)


@territory_view("coproduction.review_proposal")
@require_http_methods(["GET", "POST"])
def proposal_make_initiative(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    form = ProposalInitiativeForm(
        request.POST or None,
        initial={"title": proposal.title, "description": proposal.body, "stage": "idea"},
    )
    if request.method == "POST":
        initiative = save_with_service(
            form,
            lambda: services.proposal_initiative_create(
                proposal=proposal, actor=request.user, **form.cleaned_data
            ),
        )
        if initiative:
            messages.success(
                request,
                _("The proposal is now the initiative %(title)s.") % {"title": initiative.title},
            )
            return redirect("programme:initiative_detail", territory.slug, initiative.pk)
    return _form_page(
        request,
        form,
        _("Turn %(name)s into an initiative") % {"name": proposal.title},
        intro=_(
            "A new initiative answering the proposal's challenge is created; the proposal is "
            "accepted and both pages link to each other."
        ),
        cancel=_url("proposal_detail", territory, proposal.pk),
    )


def _comment(proposal: Proposal, pk: int) -> ProposalComment:
    try:
        return selectors.proposal_comment_get(proposal=proposal, pk=pk)
    except ProposalComment.DoesNotExist:
        raise Http404 from None


@territory_view("coproduction.moderate_comments")
@require_POST
def comment_hide(request: HttpRequest, territory: Territory, pk: int, cpk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    comment = _comment(proposal, cpk)
    form = CommentHideForm(request.POST)
    saved = save_with_service(
        form,
        lambda: services.proposal_comment_hide(
            comment=comment, actor=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if saved:
        messages.success(request, _("The comment is hidden."))
        return redirect(_url("proposal_detail", territory, proposal.pk) + f"#comment-{cpk}")
    return _detail_page(request, territory, proposal, hide_form=form, hide_comment=comment.pk)


@territory_view("coproduction.moderate_comments")
@require_POST
def comment_restore(request: HttpRequest, territory: Territory, pk: int, cpk: int) -> HttpResponse:
    proposal = _proposal(request, territory, pk)
    services.proposal_comment_restore(comment=_comment(proposal, cpk), actor=request.user)
    messages.success(request, _("The comment is shown again."))
    return redirect(_url("proposal_detail", territory, proposal.pk) + f"#comment-{cpk}")


# --- workshops -------------------------------------------------------------------------------


@territory_view("coproduction.view_workshop")
def workshop_list(request: HttpRequest, territory: Territory) -> HttpResponse:
    past = selectors.workshop_list(territory=territory, when="past")
    return render(
        request,
        "coproduction/workshop_list.html",
        {
            "nav": NAV,
            "section": "workshops",
            "upcoming": selectors.workshop_list(territory=territory, when="upcoming"),
            "can_add": request.user.has_perm("coproduction.add_workshop", territory),
            **paginate(request, past, per_page=WORKSHOPS_PER_PAGE),
        },
    )


@territory_view("coproduction.view_workshop")
def workshop_detail(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    workshop = _workshop(territory, pk)
    return render(
        request,
        "coproduction/workshop_detail.html",
        {
            "nav": NAV,
            "section": "workshops",
            "workshop": workshop,
            "show_drafts": request.user.has_perm("core.view_drafts", territory),
            "can_change": request.user.has_perm("coproduction.change_workshop", workshop),
            "can_delete": request.user.has_perm("coproduction.delete_workshop", workshop),
        },
    )


def _workshop_form_page(
    request: HttpRequest, territory: Territory, workshop: Workshop | None
) -> HttpResponse:
    form = WorkshopForm(request.POST or None, instance=workshop, territory=territory)
    if request.method == "POST":

        def save() -> Workshop:
            fields = dict(form.cleaned_data)
            if workshop is None:
                return services.workshop_create(territory=territory, actor=request.user, **fields)
            return services.workshop_update(workshop=workshop, actor=request.user, **fields)

        saved = save_with_service(form, save)
        if saved:
            messages.success(request, _("Workshop saved."))
            return redirect("coproduction:workshop_detail", territory.slug, saved.pk)
    if workshop is None:
        return _form_page(request, form, _("New workshop"), cancel=_url("workshop_list", territory))
    return _form_page(
        request,
        form,
        _("Edit %(name)s") % {"name": workshop.title},
        cancel=_url("workshop_detail", territory, workshop.pk),
    )


@territory_view("coproduction.add_workshop")
@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest, territory: Territory) -> HttpResponse:
    return _workshop_form_page(request, territory, None)


@territory_view("coproduction.change_workshop")
@require_http_methods(["GET", "POST"])
def workshop_edit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _workshop_form_page(request, territory, _workshop(territory, pk))


@territory_view("coproduction.delete_workshop")
@require_http_methods(["GET", "POST"])
def workshop_delete(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    workshop = _workshop(territory, pk)
    if request.method == "POST":
        services.workshop_delete(workshop=workshop, actor=request.user)
        messages.success(request, _("Workshop removed."))
        return redirect("coproduction:workshop_list", territory.slug)
    return render(
        request,
        "coproduction/confirm_delete.html",
        {
            "nav": NAV,
            "object": workshop,
            "warning": _("Its outputs are removed with it."),
            "cancel_url": _url("workshop_detail", territory, workshop.pk),
        },
    )


def _output(workshop: Workshop, pk: int) -> WorkshopOutput:
    try:
        return selectors.workshop_output_get(workshop=workshop, pk=pk)
    except WorkshopOutput.DoesNotExist:
        raise Http404 from None


def _output_form_page(
    request: HttpRequest, territory: Territory, workshop: Workshop, output: WorkshopOutput | None
) -> HttpResponse:
    form = WorkshopOutputForm(request.POST or None, instance=output, territory=territory)
    if request.method == "POST":

        def save() -> WorkshopOutput:
            fields = dict(form.cleaned_data)
            if output is None:
                return services.workshop_output_create(
                    workshop=workshop, actor=request.user, **fields
                )
            return services.workshop_output_update(output=output, actor=request.user, **fields)

        if save_with_service(form, save):
            messages.success(request, _("Output saved."))
            return redirect(_url("workshop_detail", territory, workshop.pk) + "#outputs")
    title = (
        _("New output of %(name)s") % {"name": workshop.title}
        if output is None
        else _("Edit an output of %(name)s") % {"name": workshop.title}
    )
    return _form_page(request, form, title, cancel=_url("workshop_detail", territory, workshop.pk))


@territory_view("coproduction.change_workshop")
@require_http_methods(["GET", "POST"])
def output_create(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    return _output_form_page(request, territory, _workshop(territory, pk), None)


@territory_view("coproduction.change_workshop")
@require_http_methods(["GET", "POST"])
def output_edit(request: HttpRequest, territory: Territory, pk: int, opk: int) -> HttpResponse:
    workshop = _workshop(territory, pk)
    return _output_form_page(request, territory, workshop, _output(workshop, opk))


@territory_view("coproduction.change_workshop")
@require_http_methods(["GET", "POST"])
def output_delete(request: HttpRequest, territory: Territory, pk: int, opk: int) -> HttpResponse:
    workshop = _workshop(territory, pk)
    output = _output(workshop, opk)
    if request.method == "POST":
        services.workshop_output_delete(output=output, actor=request.user)
        messages.success(request, _("Output removed."))
        return redirect(_url("workshop_detail", territory, workshop.pk) + "#outputs")
    return render(
        request,
        "coproduction/confirm_delete.html",
        {
            "nav": NAV,
            "object": output,
            "cancel_url": _url("workshop_detail", territory, workshop.pk),
        },
    )
