"""Base models: timestamps, the tenant foreign key, API tokens and the activity log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row that belongs to exactly one territory (the tenant)."""

    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("territory"),
    )

    class Meta:
        abstract = True


class ApiToken(TimeStampedModel):
    """A per-user API token; only its SHA-256 digest is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_for(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "cc_" + secrets.token_urlsafe(32)


class ActivityEntry(models.Model):
    """One line of a territory's recent activity, written by the service that did the work."""

    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="activity"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(max_length=40)
    # The sentence in the site's default language (settings.LANGUAGE_CODE) ...
    summary = models.CharField(max_length=300)
    # ... and in every language of the site, {language code: sentence}, written once when the
    # entry is recorded, so each reader sees it in theirs whoever wrote it.
    texts = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity")

    def __str__(self) -> str:
        return self.summary

    @property
    def text(self) -> str:
        """The sentence in the active language, else in the site's default language."""
        return str(self.texts.get(get_language() or "", "")) or self.summary
