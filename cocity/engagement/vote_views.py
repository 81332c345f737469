"""The participant's pages: vote on one statement at a time, answer the profile questions
once, add a statement. Plain forms (they work without JavaScript and by keyboard); with
JavaScript, HTMX swaps the statement card in place.

A visitor without an account becomes a participant on their first vote (not on a page view):
a participant row and a signed token in an HttpOnly, SameSite=Lax cookie scoped to this
conversation's pages. A signed-in member votes as themselves.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cocity.core.forms import add_service_errors
from cocity.core.ratelimit import client_address
from cocity.core.tenancy import territory_view
from cocity.engagement import selectors, services
from cocity.engagement.errors import ParticipationRefused, RateLimited
from cocity.engagement.forms import ProfileForm, StatementForm
from cocity.engagement.models import Conversation, Participant
from cocity.engagement.services.participation_checks import _ensure_open
from cocity.engagement.tokens import COOKIE_MAX_AGE, cookie_name, participant_token
from cocity.engagement.views import conversation_or_404
from cocity.territories.models import Territory

_DIGITS = re.compile(r"[0-9]{1,19}")


def current_participant(request: HttpRequest, conversation: Conversation) -> Participant | None:
    """The signed-in user's participant, or the one the conversation's cookie was signed for
    (None when there is none, or it was revoked and a new one may be made)."""
    if request.user.is_authenticated:
        return selectors.participant_of_user(conversation=conversation, user=request.user)
    participant = selectors.participant_by_token(
        conversation_id=conversation.pk, token=request.COOKIES.get(cookie_name(conversation.pk))
    )
    if participant is not None:
        participant.conversation = conversation  # the same row, with its counts
    return participant


def _participant_or_new(
    request: HttpRequest, conversation: Conversation
) -> tuple[Participant, bool]:
    participant = current_participant(request, conversation)
    if participant is not None:
        return participant, False
    participant = services.participant_create(
        conversation=conversation, user=request.user, address=client_address(request)
    )
    participant.conversation = conversation
    return participant, not request.user.is_authenticated


def _with_cookie(
    response: HttpResponse,
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant,
) -> HttpResponse:
    response.set_cookie(
        cookie_name(conversation.pk),
        participant_token(participant.public_id),
        max_age=COOKIE_MAX_AGE,
        path=reverse(
            "engagement:conversation_detail", args=[conversation.territory.slug, conversation.pk]
        ),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _vote_context(
    request: HttpRequest, conversation: Conversation, participant: Participant | None, **extra: Any
) -> dict[str, Any]:
    asks_profile = (
        conversation.ask_profile
        and conversation.is_open
        and (participant is None or not participant.profile_answered)
    )
    return {
        "nav": "consultations",
        "conversation": conversation,
        "participant": participant,
        "next": selectors.next_statement(participant=participant, conversation=conversation),
        "can_vote": request.user.has_perm("engagement.vote", conversation),
        "can_see_results": request.user.has_perm("engagement.view_results", conversation),
        "show_profile": asks_profile and "skip_profile" not in request.GET,
        "profile_form": ProfileForm(territory=conversation.territory) if asks_profile else None,
        "statement_form": StatementForm(),
        **extra,
    }


def _page(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant | None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = _vote_context(request, conversation, participant, **extra)
    if request.headers.get("HX-Request") == "true":
        # HTMX swaps only the card; it ignores error statuses, so errors travel in the card.
        # The next statement takes the focus (autofocus), for keyboard and screen readers.
        return render(request, "engagement/_vote_card.html", {**context, "swapped": True})
    return render(request, "engagement/vote.html", context, status=status)


def _refused(
    request: HttpRequest,
    conversation: Conversation,
    participant: Participant | None,
    error: Exception,
) -> HttpResponse:
    if isinstance(error, RateLimited):
        response = _page(request, conversation, participant, 429, error_message=error.message)
        response["Retry-After"] = str(error.retry_after)
        return response
    message = error.message if isinstance(error, ParticipationRefused) else " ".join(error.messages)  # type: ignore[attr-defined]
    status = 400 if isinstance(error, ValidationError) else 403
    return _page(request, conversation, participant, status, error_message=message)


def _login_needed(request: HttpRequest, conversation: Conversation) -> bool:
    return not request.user.is_authenticated and not conversation.is_public


@territory_view()
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    participant = current_participant(request, conversation)
    if request.method == "GET":
        return _page(request, conversation, participant)
    if _login_needed(request, conversation):
        return redirect_to_login(request.get_full_path())
    raw_statement, raw_vote = request.POST.get("statement", ""), request.POST.get("vote", "")
    if not _DIGITS.fullmatch(raw_statement) or raw_vote not in {"1", "-1", "0"}:
        return _page(
            request,
            conversation,
            participant,
            400,
            error_message=_("Choose Agree, Disagree or Pass for the statement shown."),
        )
    try:
        if not request.user.has_perm("engagement.vote", conversation):
            _ensure_open(conversation)
        participant, new = _participant_or_new(request, conversation)
        services.vote_cast(
            participant=participant,
            statement_id=int(raw_statement),
            value=int(raw_vote),
            address=client_address(request),
        )
    except (ParticipationRefused, RateLimited, ValidationError) as error:
        return _refused(request, conversation, participant, error)
    if request.headers.get("HX-Request") == "true":
        response = _page(request, conversation, participant)
    else:
        response = redirect("engagement:vote", territory.slug, conversation.pk)
    if new and participant is not None:
        return _with_cookie(response, request, conversation, participant)
    return response


@territory_view()
@require_POST
def profile(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    """Save (or skip: every answer blank) the optional profile questions, asked once."""
    conversation = conversation_or_404(request, territory, pk)
    if _login_needed(request, conversation):
        return redirect_to_login(reverse("engagement:vote", args=[territory.slug, pk]))
    participant = current_participant(request, conversation)
    form = ProfileForm(request.POST, territory=territory)
    skip = "skip" in request.POST
    if not skip and not form.is_valid():
        return _page(request, conversation, participant, 400, profile_form=form)
    try:
        participant, new = _participant_or_new(request, conversation)
        services.participant_profile_set(
            participant=participant,
            sector="" if skip else form.cleaned_data["sector"],
            area=None if skip else form.cleaned_data["area"],
        )
    except (ParticipationRefused, RateLimited, ValidationError) as error:
        return _refused(request, conversation, participant, error)
    if not skip:
        messages.success(request, _("Thank you. Now, the statements."))
    response = redirect("engagement:vote", territory.slug, conversation.pk)
    return _with_cookie(response, request, conversation, participant) if new else response


@territory_view()
@require_POST
def statement_submit(request: HttpRequest, territory: Territory, pk: int) -> HttpResponse:
    conversation = conversation_or_404(request, territory, pk)
    if _login_needed(request, conversation):
        return redirect_to_login(reverse("engagement:vote", args=[territory.slug, pk]))
    participant = current_participant(request, conversation)
    form = StatementForm(request.POST)
    new = False
    if form.is_valid():
        try:
            participant, new = _participant_or_new(request, conversation)
            services.statement_submit(
                participant=participant,
                text=form.cleaned_data["text"],
                address=client_address(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except (ParticipationRefused, RateLimited) as error:
            return _refused(request, conversation, participant, error)
    if form.errors:
        response = _page(request, conversation, participant, 400, statement_form=form)
    else:
        messages.success(
            request,
            _(
                "Thank you. Your statement will be put to others once a facilitator has "
                "accepted it."
            ),
        )
        response = redirect("engagement:vote", territory.slug, conversation.pk)
    if new and participant is not None:
        return _with_cookie(response, request, conversation, participant)
    return response
