"""Form pieces shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TerritoryFormMixin:
    """Limit every related-row choice to the form's territory, so no foreign id can be chosen."""

    territory_querysets: dict[str, Any] = {}

    def limit_to_territory(self, territory: Any) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            qs = getattr(field, "queryset", None)
            if qs is not None and hasattr(qs.model, "territory"):
                field.queryset = qs.filter(territory=territory)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
