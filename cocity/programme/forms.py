from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput, TerritoryFormMixin
from cocity.programme.models import Challenge, Initiative, Layer, Stage


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["title", "mission", "description", "cost_of_inaction", "is_draft"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "cost_of_inaction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory


class InitiativeForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "stage",
            "description",
            "lead",
            "partners",
            "challenges",
            "areas",
            "budget",
            "currency",
            "funding",
            "start_date",
            "end_date",
            "is_draft",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)
        if not self.instance.pk:
            self.initial.setdefault("currency", territory.currency)
        existing = (
            {lp.layer: lp.progress for lp in self.instance.layer_progress.all()}
            if self.instance.pk
            else {}
        )
        for code, label in Layer.choices:
            self.fields[f"layer_{code}"] = forms.IntegerField(
                label=_("Progress: %(layer)s (%%)") % {"layer": label},
                min_value=0,
                max_value=100,
                required=False,
                initial=existing.get(code),
                help_text=_("0-100; leave empty if the initiative does not touch this layer."),
            )

    def layer_values(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"layer_{code}"]
            for code in Layer.values
            if self.cleaned_data.get(f"layer_{code}") is not None
        }

    def service_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("layer_")}
        return data


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    challenge = forms.ModelChoiceField(
        label=_("Challenge"),
        required=False,
        queryset=Challenge.objects.none(),
        empty_label=_("All challenges"),
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.filter(
            territory=territory, is_draft=False
        )  # type: ignore[attr-defined]
