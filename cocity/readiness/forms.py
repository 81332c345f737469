"""Forms of the readiness pages. They parse and check input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cocity.core.forms import DateInput
from cocity.programme.models import Challenge, Initiative, Layer
from cocity.readiness.models import (
    MAX_LEVELS,
    AssessmentRound,
    Confidence,
    Dimension,
    InterfaceItem,
    MaturityModel,
    ModelStatus,
)
from cocity.readiness.services import AnswerInput, eligible_respondents

DONT_KNOW = ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RespondentChoiceField(forms.ModelMultipleChoiceField):
    """Members who may answer, labelled with their role and the organisation they answer for."""

    def __init__(self, *, territory: Any, **kwargs: Any) -> None:
        self.memberships = {m.user_id: m for m in eligible_respondents(territory)}
        super().__init__(
            queryset=get_user_model()
            .objects.filter(pk__in=list(self.memberships))
            .order_by("username"),
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        m = self.memberships[obj.pk]
        org = f", {m.stakeholder.name}" if m.stakeholder_id else ""
        return f"{obj.get_username()} ({m.get_role_display()}{org})"


class ModelCopyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new model"),
        max_length=200,
        help_text=_("The copy starts as a draft you can adapt, then publish."),
    )


class MaturityModelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    level_names = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One level per line, from the lowest to the highest (2 to 10). Changing the number "
            "of levels cuts or pads every dimension's descriptors."
        ),
    )

    def clean_level_names(self) -> list[str]:
        names = _lines(self.cleaned_data["level_names"])
        if not 2 <= len(names) <= MAX_LEVELS:
            raise forms.ValidationError(
                _("Give 2 to %(max)s levels, one per line.") % {"max": MAX_LEVELS}
            )
        return names


class DimensionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("Short and stable, e.g. D11. Rounds of different versions are matched on it."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    layer = forms.ChoiceField(
        label=_("Layer of the digital city"),
        required=False,
        choices=[("", _("Every layer")), *Layer.choices],
        help_text=_("Where this dimension belongs; readiness per layer is compared with delivery."),
    )
    descriptors = forms.CharField(
        label=_("What each level looks like"), widget=forms.Textarea(attrs={"rows": 7})
    )
    question = forms.CharField(
        label=_("Question to respondents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence_prompt = forms.CharField(
        label=_("Evidence prompt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What evidence a respondent could cite."),
    )

    def __init__(self, *args: Any, model: MaturityModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model = model
        self.fields["descriptors"].help_text = _(
            "One line per level, %(n)s lines, lowest first: %(levels)s."
        ) % {"n": model.n_levels, "levels": ", ".join(model.level_names)}

    @classmethod
    def initial_for(cls, dimension: Dimension) -> dict[str, Any]:
        return {
            "code": dimension.code,
            "name": dimension.name,
            "description": dimension.description,
            "layer": dimension.layer,
            "descriptors": "\n".join(dimension.descriptors),
            "question": dimension.question,
            "evidence_prompt": dimension.evidence_prompt,
        }

    def clean_descriptors(self) -> list[str]:
        lines = _lines(self.cleaned_data["descriptors"])
        if len(lines) != self.model.n_levels:
            raise forms.ValidationError(
                _("Give exactly %(n)s lines, one per level; you gave %(got)s.")
                % {"n": self.model.n_levels, "got": len(lines)}
            )
        return lines


class RoundOpenForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("e.g. 'Readiness spring 2026'.")
    )
    model = forms.ModelChoiceField(
        label=_("Maturity model"),
        queryset=MaturityModel.objects.none(),
        help_text=_("Only published versions can be used; they stay frozen for this round."),
    )
    closes_on = forms.DateField(label=_("Answers due"), required=False, widget=DateInput())
    carry_targets = forms.BooleanField(
        label=_("Keep the targets of the last round"), required=False, initial=True
    )

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = MaturityModel.objects.filter(  # type: ignore[attr-defined]
            territory=territory, status=ModelStatus.PUBLISHED
        )
        self.fields["invitees"] = RespondentChoiceField(
            territory=territory,
            label=_("Invite respondents"),
            required=False,
            help_text=_(
                "Partners answer for the organisation they represent; facilitators and "
                "officers for the public sector. You can invite more later."
            ),
        )


class InviteForm(forms.Form):
    def __init__(self, *args: Any, round_: AssessmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = RespondentChoiceField(
            territory=round_.territory, label=_("Invite respondents"), required=True
        )
        invited = set(round_.invitations.values_list("user_id", flat=True))
        field.queryset = field.queryset.exclude(pk__in=invited)  # type: ignore[union-attr]
        self.fields["invitees"] = field


class AnswerForm(forms.Form):
    """One level, an evidence note and a confidence per dimension of the round's model."""

    def __init__(
        self, *args: Any, round_: AssessmentRound, dimensions: list[Dimension], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for d in dimensions:
            choices = [
                (str(n), f"{n} · {name}: {descriptor}" if descriptor else f"{n} · {name}")
                for n, name, descriptor in d.level_rows()
            ]
            self.fields[f"dim_{d.pk}_level"] = forms.ChoiceField(
                label=_("Level"),
                choices=[*choices, (DONT_KNOW, _("Don't know"))],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"dim_{d.pk}_evidence"] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=d.evidence_prompt,
            )
            self.fields[f"dim_{d.pk}_confidence"] = forms.ChoiceField(
                label=_("Confidence"),
                choices=Confidence.choices,
                initial=Confidence.MEDIUM,
                required=False,
            )

    @staticmethod
    def initial_from(answers: dict[int, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for pk, a in answers.items():
            initial[f"dim_{pk}_level"] = "" if a.level is None else str(a.level)
            initial[f"dim_{pk}_evidence"] = a.evidence
            initial[f"dim_{pk}_confidence"] = a.confidence
        return initial

    def sections(self) -> list[tuple[Dimension, Any, Any, Any]]:
        return [
            (
                d,
                self[f"dim_{d.pk}_level"],
                self[f"dim_{d.pk}_evidence"],
                self[f"dim_{d.pk}_confidence"],
            )
            for d in self.dimensions
        ]

    def answers(self) -> dict[int, AnswerInput]:
        out = {}
        for d in self.dimensions:
            raw = self.cleaned_data.get(f"dim_{d.pk}_level") or ""
            out[d.pk] = AnswerInput(
                level=int(raw) if raw else None,
                evidence=self.cleaned_data.get(f"dim_{d.pk}_evidence", ""),
                confidence=self.cleaned_data.get(f"dim_{d.pk}_confidence") or Confidence.MEDIUM,
            )
        return out


class TargetsForm(forms.Form):
    def __init__(
        self, *args: Any, round_: AssessmentRound, dimensions: list[Dimension], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        levels = [(str(n), f"{n} · {name}") for n, name in round_.model.levels()]
        for d in dimensions:
            self.fields[f"target_{d.pk}"] = forms.ChoiceField(
                label=f"{d.code} {d.name}",
                choices=[("", _("No target")), *levels],
                required=False,
            )

    def targets(self) -> dict[int, int | None]:
        return {
            d.pk: (int(v) if (v := self.cleaned_data.get(f"target_{d.pk}")) else None)
            for d in self.dimensions
        }


class ActionLinkForm(forms.Form):
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.none())
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=Challenge.objects.none(), required=False
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, round_: AssessmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = round_.territory
        self.fields["dimension"].queryset = round_.model.dimensions.all()  # type: ignore[attr-defined]
        self.fields["challenge"].queryset = Challenge.objects.filter(territory=territory)  # type: ignore[attr-defined]
        self.fields["initiative"].queryset = Initiative.objects.filter(territory=territory)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("challenge") and not data.get("initiative"):
            raise forms.ValidationError(_("Choose a challenge or an initiative."))
        return data


class ReadinessSettingsForm(forms.Form):
    results_public = forms.BooleanField(
        label=_("Publish the results of closed rounds"),
        required=False,
        help_text=_("Anyone who may read this territory then sees them; open rounds stay private."),
    )
    in_benchmarks = forms.BooleanField(
        label=_("Take part in benchmarks on this instance"),
        required=False,
        help_text=_("Peers of the same kind and size see your scores, anonymised unless named."),
    )
    named_in_benchmarks = forms.BooleanField(
        label=_("Show our name in benchmarks and exports"),
        required=False,
        help_text=_("Otherwise peers see you as 'Peer A', 'Peer B' ..."),
    )


class InterfaceItemForm(forms.ModelForm):
    class Meta:
        model = InterfaceItem
        fields = [
            "layer_a",
            "layer_b",
            "kind",
            "title",
            "description",
            "significance",
            "initiatives",
        ]
        labels = {"layer_a": _("One layer"), "layer_b": _("The other layer")}
        help_texts = {
            "layer_b": _(
                "Neighbouring layers share an interface; governance shares one with every layer."
            ),
            "significance": _("Weighs the item in the heatmap: low 1, medium 2, high 3."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, territory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["initiatives"].queryset = Initiative.objects.filter(territory=territory)  # type: ignore[attr-defined]
        self.fields["initiatives"].widget = forms.CheckboxSelectMultiple()
        self.fields["initiatives"].widget.choices = self.fields["initiatives"].choices  # type: ignore[attr-defined]


class PeerImportForm(forms.Form):
    file = forms.FileField(
        label=_("Results file (JSON)"),
        help_text=_(
            "A round's results exported from another cocity installation "
            "(format cocity.readiness.round/1, at most 1 MB)."
        ),
    )
