"""Import jobs: one row per file someone imported, with its progress and every error found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel


class ImportKind(models.TextChoices):
    STAKEHOLDERS = "stakeholders", _("Stakeholders")
    PARTNERSHIPS = "partnerships", _("Partnerships")


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    VALIDATING = "validating", _("Checking rows")
    SAVING = "saving", _("Saving")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Nothing imported")


FINISHED = (ImportStatus.SUCCEEDED, ImportStatus.FAILED)


class ImportJob(TenantModel):
    """An import of one file into one territory.

    ``errors`` is a list of ``{"row": int | None, "column": str, "message": str}``: the row as
    the spreadsheet shows it (the header is row 1), ``None`` for a problem with the whole file.
    ``payload`` holds the uploaded bytes only while a background task still needs them.
    """

    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(
        _("format"), max_length=4, choices=FileFormat.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Kept beside ``errors`` so lists of jobs need not load every error.
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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["territory", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.is_finished else 0
        return min(100, (100 * self.rows_done) // self.rows_total)

    @property
    def bad_rows(self) -> int:
        return len({e["row"] for e in self.errors or [] if e.get("row") is not None})
