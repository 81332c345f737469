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


class FileImport(TenantModel):
    """What every import of a file records: who, when, how far, and every problem found.

    Subclasses add ``kind`` and ``status`` (whose finished values are ``"succeeded"`` and
    ``"failed"``) and ``rows_done``. ``payload`` holds the uploaded bytes only while a
    background task still needs them.
    """

    file_name = models.CharField(_("file"), max_length=255)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Kept beside ``errors`` so lists of imports need not load every error.
    error_count = models.PositiveIntegerField(_("errors found"), default=0)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    payload = models.BinaryField(null=True, blank=True, editable=False)

    FINISHED_STATUSES = ("succeeded", "failed")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        kind = self.get_kind_display()  # type: ignore[attr-defined]
        return f"{self.file_name} ({kind}, {self.get_status_display()})"  # type: ignore[attr-defined]

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES  # type: ignore[attr-defined]

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.is_finished else 0
        return min(100, (100 * self.rows_done) // self.rows_total)  # type: ignore[attr-defined]


class ResultStatus(models.TextChoices):
    """Where a stored analysis stands."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Computing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class StoredResult(TenantModel):
    """An analysis of a territory for one version of its data, computed by a task or a
    service (never by a page) and read by pages and the API.

    ``data_version`` is a digest of what it was computed from, so pages can say when the data
    has changed since; ``payload`` holds the results. See :mod:`cocity.core.jobs` for pruning
    and failing them.
    """

    data_version = models.CharField(_("data version"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.QUEUED
    )
    payload = models.JSONField(_("results"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        status = self.get_status_display()  # type: ignore[attr-defined]
        return f"{self.territory_id} {self.data_version[:8]} ({status})"  # type: ignore[attr-defined]

    @property
    def is_finished(self) -> bool:
        return self.status in (ResultStatus.READY, ResultStatus.FAILED)


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
