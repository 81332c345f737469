"""Import jobs: one row per file someone imported, with its progress and every error found."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import FileImport


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


class ImportJob(FileImport):
    """An import of one file into one territory.

    ``errors`` is a list of ``{"row": int | None, "column": str, "message": str}``: the row as
    the spreadsheet shows it (the header is row 1), ``None`` for a problem with the whole file.
    ``payload`` holds the uploaded bytes only while a background task still needs them.
    """

    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    file_format = models.CharField(
        _("format"), max_length=4, choices=FileFormat.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["territory", "-created_at"])]

    @property
    def bad_rows(self) -> int:
        return len({e["row"] for e in self.errors or [] if e.get("row") is not None})
