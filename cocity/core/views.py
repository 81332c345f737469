"""Pages that belong to no domain: home, login, API tokens, errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cocity.core import tokens
from cocity.core.ratelimit import client_address, is_limited
from cocity.territories.models import Territory


def home(request: HttpRequest) -> HttpResponse:
    """The territories this visitor can open; a member with one territory goes straight there."""
    user = request.user
    if request.GET.get("territory"):
        return redirect("territories:dashboard", territory=request.GET["territory"])
    if user.is_authenticated:
        mine = Territory.objects.filter(memberships__user=user).order_by("name")
        if user.is_staff:
            mine = Territory.objects.all()
    else:
        mine = Territory.objects.none()
    public = Territory.objects.filter(is_public=True).exclude(pk__in=mine.values("pk"))
    return render(request, "core/home.html", {"mine": mine, "public": public})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_limited("login", client_address(request)):
            response = render(
                request,
                "core/error.html",
                {
                    "title": _("Too many attempts"),
                    "message": _("Too many sign-in attempts. Wait a minute and try again."),
                },
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """Create and revoke personal API tokens; a new token is shown once."""
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            tokens.api_token_revoke(user=request.user, token_id=request.POST.get("revoke", ""))
            messages.success(request, _("Token revoked."))
            return redirect("token_list")
        name = request.POST.get("name", "").strip()
        if not name or len(name) > 100:
            messages.error(request, _("Give the token a name of at most 100 characters."))
        else:
            new_token = tokens.api_token_create(user=request.user, name=name)
    active = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(request, "core/tokens.html", {"tokens": active, "new_token": new_token})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("Your role does not allow this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Not found"), _("There is no page here."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, _("Something went wrong"), _("The error was logged. Please try again.")
    )
