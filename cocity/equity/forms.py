"""Forms of the equity pages: uploads, the map's measure, the what-if and allocations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocity.equity.models import AssetKind, ImportKind
from cocity.equity.uploads import max_upload_bytes

FIELD_HELP = gettext_lazy("Leave empty to find it by its usual names.")


class _UploadForm(forms.Form):
    """A file and, folded away, the names of its columns when they are not the usual ones."""

    kind = ""
    accept = ""

    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = self.accept

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.endswith("_field")]

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith("_field")]

    @property
    def column_errors(self) -> bool:
        return any(name.endswith("_field") for name in self.errors)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": number_format(upload.size / 1024 / 1024, 1),
                    "limit": number_format(limit / 1024 / 1024, 0),
                }
            )
        return upload

    def options(self) -> dict[str, str]:
        return {
            name: value for name, value in self.cleaned_data.items() if name != "file" and value
        }


def _column(label: Any, help_text: Any = FIELD_HELP) -> forms.CharField:
    return forms.CharField(label=label, max_length=100, required=False, help_text=help_text)


class AreaImportForm(_UploadForm):
    kind = ImportKind.AREAS
    accept = ".geojson,.json,.gz,.zip"

    code_field = _column(gettext_lazy("Code column"))
    name_field = _column(gettext_lazy("Name column"))
    rank_field = _column(gettext_lazy("Deprivation rank column (1 = most deprived)"))
    decile_field = _column(gettext_lazy("Deprivation decile column (1 = most deprived 10%)"))
    population_field = _column(gettext_lazy("Population column"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "GeoJSON FeatureCollection of polygons in WGS84 (another coordinate system is "
            "converted when the file declares it), optionally gzip-compressed, or a zipped "
            "Shapefile (.shp, .shx, .dbf and .prj in one .zip). Areas are created or updated by "
            "code; if any row is wrong, nothing is imported and every problem is listed."
        )


class IndicatorImportForm(_UploadForm):
    kind = ImportKind.INDICATORS
    accept = ".csv,.tsv,.txt,.gz"

    code_field = _column(gettext_lazy("Code column"))
    rank_field = _column(gettext_lazy("Deprivation rank column (1 = most deprived)"))
    decile_field = _column(gettext_lazy("Deprivation decile column (1 = most deprived 10%)"))
    population_field = _column(gettext_lazy("Population column"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV with an area code column and numeric columns (deprivation, population, "
            "anything else), joined to the areas by code. Codes of other places are ignored."
        )


class AssetImportForm(_UploadForm):
    kind = ImportKind.ASSETS
    accept = ".csv,.geojson,.json,.gz"

    asset_type = forms.ChoiceField(
        label=gettext_lazy("Type of every asset in the file"),
        choices=[("", gettext_lazy("From the file's type column")), *AssetKind.choices],
        required=False,
        help_text=gettext_lazy("Without a type column, assets are named after the file."),
    )
    type_field = _column(
        gettext_lazy("Type column"), gettext_lazy("Default: type, asset_type or kind.")
    )
    lon_field = _column(gettext_lazy("Longitude column (CSV)"))
    lat_field = _column(gettext_lazy("Latitude column (CSV)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV with longitude and latitude columns (WGS84 degrees) or GeoJSON points, "
            "optionally gzip-compressed. Numeric columns (speed, capacity…) are kept. Large "
            "files are imported in the background, with progress."
        )


IMPORT_FORMS: dict[str, type[_UploadForm]] = {
    ImportKind.AREAS: AreaImportForm,
    ImportKind.INDICATORS: IndicatorImportForm,
    ImportKind.ASSETS: AssetImportForm,
}


class MeasureForm(forms.Form):
    """The map's measure (a GET form: it works without JavaScript)."""

    measure = forms.ChoiceField(label=gettext_lazy("Show on the map"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = choices  # type: ignore[attr-defined]


class WhatIfForm(forms.Form):
    new_assets = forms.IntegerField(
        label=gettext_lazy("New assets to place"), min_value=1, max_value=500, initial=10
    )
    asset_type = forms.ChoiceField(label=gettext_lazy("Of which assets"), required=False)
    max_per_area = forms.IntegerField(
        label=gettext_lazy("At most per area"), min_value=1, max_value=100, initial=1
    )

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset_type"].choices = [  # type: ignore[attr-defined]
            ("", _("Every type together")),
            *types,
        ]


class AllocationForm(forms.Form):
    """One amount per area the initiative serves; empty means no money there."""

    def __init__(
        self, *args: Any, rows: list[tuple[Any, Decimal | None, Decimal]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {}
        for area, amount, even in rows:
            name = f"area_{area.pk}"
            self.areas[name] = area
            self.fields[name] = forms.DecimalField(
                label=f"{area.name} ({area.code})",
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=amount if amount is not None else even,
            )

    def amounts(self) -> dict[Any, Decimal]:
        return {area: self.cleaned_data[name] or Decimal(0) for name, area in self.areas.items()}
