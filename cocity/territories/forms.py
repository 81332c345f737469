from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cocity.ecosystem.models import Stakeholder
from cocity.territories.models import Role


class MembershipForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    stakeholder = forms.ModelChoiceField(
        label=_("Represents (partners only)"), queryset=Stakeholder.objects.none(), required=False
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(territory=territory)  # type: ignore[attr-defined]

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No user is called %(name)s.") % {"name": username})
        return user
