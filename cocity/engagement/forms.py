"""Forms of the consultation pages (each hands its cleaned data to one service)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import TerritoryFormMixin
from cocity.ecosystem.models import Sector
from cocity.engagement.models import STATEMENT_MAX_CHARS, Conversation, ConversationStatus
from cocity.engagement.services import REASON_MAX_CHARS
from cocity.programme.models import Challenge
from cocity.territories.models import Area


class ConversationForm(TerritoryFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Conversation
        fields = [
            "title",
            "question",
            "challenge",
            "status",
            "is_public",
            "allow_statements",
            "ask_profile",
        ]
        widgets = {"question": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_territory(territory)
        self.fields["challenge"].required = False


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_CHARS}),
        help_text=_(
            "One idea others can agree or disagree with, in at most %(max)d characters. "
            "It is shown to others once a facilitator has accepted it."
        )
        % {"max": STATEMENT_MAX_CHARS},
    )


class SeedStatementForm(StatementForm):
    text = forms.CharField(
        label=_("Seed statement"),
        max_length=STATEMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_CHARS}),
        help_text=_(
            "Seed statements frame the conversation: participants see them first. They are "
            "accepted at once."
        ),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (needed to reject)"),
        required=False,
        max_length=REASON_MAX_CHARS,
        help_text=_("e.g. off-topic, a personal attack, a duplicate of statement 12."),
    )


class ProfileForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Which of these best describes you here?"),
        required=False,
        choices=[("", _("Prefer not to say")), *Sector.choices],
    )
    area = forms.ModelChoiceField(
        label=_("Where do you live?"),
        required=False,
        queryset=Area.objects.none(),
        empty_label=_("Prefer not to say"),
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(territory=territory).only("code", "name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Pol.is export (zip)"),
        help_text=_(
            "A zip of a Pol.is export folder: comments.csv and votes.csv, or only "
            "participants-votes.csv. Everything is imported, or nothing."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the export's topic."),
    )
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=Challenge.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ConversationStatus.choices, initial=ConversationStatus.CLOSED
    )
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        challenge = self.fields["challenge"]
        assert isinstance(challenge, forms.ModelChoiceField)
        challenge.queryset = Challenge.objects.filter(territory=territory)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.COCITY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.COCITY_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
