from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput, TerritoryFormMixin
from cocity.ecosystem.models import (
    Collaboration,
    MemberRole,
    Partnership,
    Sector,
    Stakeholder,
    StakeholderType,
    TrustRating,
)
from cocity.territories.models import Cluster


class StakeholderForm(TerritoryFormMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "sector",
            "type",
            "description",
            "website",
            "leader_role",
            "clusters",
            "areas",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)


class StakeholderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *StakeholderType.choices]
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.none(),
        empty_label=_("All clusters"),
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(territory=territory)  # type: ignore[attr-defined]


class PartnershipForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "form",
            "status",
            "start_date",
            "end_date",
            "value",
            "currency",
            "description",
            "is_draft",
            "initiatives",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)
        if not self.instance.pk:
            self.initial.setdefault("currency", territory.currency)


class MemberForm(forms.Form):
    stakeholder = forms.ModelChoiceField(
        label=_("Stakeholder"), queryset=Stakeholder.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MemberRole.choices, initial=MemberRole.PARTNER
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(territory=territory).only(
            "name"
        )  # type: ignore[attr-defined]


class BaseMemberFormSet(forms.BaseFormSet):
    def members(self) -> list[tuple[Stakeholder, str]]:
        return [
            (f.cleaned_data["stakeholder"], f.cleaned_data["role"])
            for f in self.forms
            if f.cleaned_data.get("stakeholder")
        ]


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0, max_num=50)


def member_formset(*, territory: Any, data: Any = None, initial: Any = None) -> Any:
    # Blank rows let a browser without JavaScript add members; filled rows come first.
    rows = list(initial or [])
    formset_class = forms.formset_factory(
        MemberForm, formset=BaseMemberFormSet, extra=max(3, 5 - len(rows)), max_num=50
    )
    return formset_class(
        data=data, initial=rows, prefix="members", form_kwargs={"territory": territory}
    )


class CollaborationForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = ["title", "kind", "date", "outcome", "stakeholders", "partnership", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)


class TrustRatingForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = TrustRating
        fields = ["rater", "ratee", "ability", "benevolence", "integrity", "rated_on", "comment"]
        widgets = {
            "rated_on": DateInput(),
            "comment": forms.Textarea(attrs={"rows": 3}),
            **{
                f: forms.NumberInput(attrs={"min": 1, "max": 5})
                for f in ("ability", "benevolence", "integrity")
            },
        }
        help_texts = {
            "ability": _("1-5: can they deliver what they promise?"),
            "benevolence": _("1-5: do they care about our interests too?"),
            "integrity": _("1-5: do they keep to principles we share?"),
        }

    def __init__(
        self, *args: Any, territory: Any, rater_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)
        if rater_id is not None:
            # A partner rates on behalf of its own organisation only.
            self.fields["rater"].queryset = self.fields["rater"].queryset.filter(pk=rater_id)  # type: ignore[attr-defined]
            self.fields["rater"].initial = rater_id
