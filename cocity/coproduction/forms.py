"""Forms of the co-production pages; each one's data goes to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.coproduction.models import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    Proposal,
    ProposalStatus,
    Workshop,
    WorkshopOutput,
)
from cocity.coproduction.selectors import SORTS
from cocity.coproduction.services import INITIATIVE_STAGES
from cocity.core.forms import DateInput, TerritoryFormMixin
from cocity.ecosystem.models import Stakeholder
from cocity.programme.models import Challenge, Initiative


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _published_challenges(territory: Any) -> Any:
    return Challenge.objects.filter(territory=territory, is_draft=False).order_by("title")


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["challenge", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "maxlength": BODY_MAX})}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        challenge = self.fields["challenge"]
        challenge.required = True
        challenge.queryset = _published_challenges(territory)  # type: ignore[attr-defined]
        challenge.help_text = _("The city challenge your idea answers.")
        self.fields["title"].help_text = _("A short name for your idea.")


class ProposalFilterForm(forms.Form):
    challenge = forms.ModelChoiceField(
        label=_("Challenge"),
        required=False,
        queryset=Challenge.objects.none(),
        empty_label=_("All challenges"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ProposalStatus.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("support", _("Most supported")), ("newest", _("Newest"))],
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = _published_challenges(territory)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """The filters for ``proposal_list``; invalid ones are ignored, not an error page."""
        data = self.cleaned_data if self.is_valid() else {}
        challenge = data.get("challenge")
        sort = data.get("sort") or "support"
        return {
            "challenge": challenge.pk if challenge else None,
            "status": data.get("status", ""),
            "sort": sort if sort in SORTS else "support",
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Be kind and specific (at most 2,000 characters)."),
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the proposal's page. Required when declining."),
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any status is accepted here and the workflow says whether the step is allowed (with
        # a message that says why not); the menu offers only the steps open to this user.
        field = self.fields["to"]
        field.choices = ProposalStatus.choices  # type: ignore[attr-defined]
        labels = dict(ProposalStatus.choices)
        field.widget.choices = [(s, labels[s]) for s in allowed]


class ProposalInitiativeForm(forms.Form):
    title = forms.CharField(label=_("Initiative title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[(s.value, s.label) for s in INITIATIVE_STAGES],
        help_text=_("Where the idea stands in open innovation."),
    )


class CommentHideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why hide it?"),
        max_length=300,
        help_text=_("Readers see this reason in place of the comment."),
    )


class WorkshopForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title", "starts_at", "place", "people_count", "challenge", "stakeholders",
            "description",
        ]  # fmt: skip
        widgets = {
            "starts_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"starts_at": _("Local time of the territory.")}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.limit_to_territory(territory)
        self.fields["stakeholders"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            territory=territory
        ).order_by("name")
        self.fields["people_count"].widget.attrs["min"] = 0


class WorkshopOutputForm(TerritoryFormMixin, forms.ModelForm):
    class Meta:
        model = WorkshopOutput
        fields = ["kind", "text", "owner", "due_date", "initiative", "proposal", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "due_date": DateInput(),
        }

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_territory(territory)
        self.fields["owner"].queryset = Stakeholder.objects.filter(  # type: ignore[attr-defined]
            territory=territory
        ).order_by("name")
        self.fields["initiative"].queryset = Initiative.objects.filter(  # type: ignore[attr-defined]
            territory=territory
        ).order_by("title")
        self.fields["proposal"].queryset = Proposal.objects.filter(  # type: ignore[attr-defined]
            territory=territory
        ).order_by("title")
