"""The upload form of imports; what the file holds is checked by the importers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.dataio.models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8) or Excel XLSX, with the column names in the first row. "
            "If any row is wrong, nothing is imported and every problem is listed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.tsv,.txt"}),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("", gettext_lazy("From the file name")),
            ("csv", gettext_lazy("CSV")),
            ("xlsx", gettext_lazy("Excel (XLSX)")),
        ],
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.COCITY_IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": number_format(upload.size / 1024 / 1024, 1),
                    "limit": number_format(limit / 1024 / 1024, 0),
                }
            )
        return upload
