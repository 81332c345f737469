"""The GET forms of the ecosystem intelligence page: network filters and the table's order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocity.ecosystem.models import PartnershipForm
from cocity.network.results import MEASURES, GraphFilters
from cocity.network.selectors import JOINT_WORK

MEASURE_LABELS: dict[str, Any] = {
    "name": _("Name"),
    "degree": _("Partners"),
    "strength": _("Tie strength"),
    "pagerank": _("Influence (PageRank)"),
    "betweenness": _("Brokerage (betweenness)"),
    "effective_size": _("Effective size (non-redundant partners)"),
    "constraint": _("Constraint (dependence on few partners)"),
    "ei_index": _("Reach outside own sector (E-I index)"),
    "behavioural_trust_mean": _("Trust shown by joint work"),
    "stated_trust_received": _("Stated trust received"),
}

SIZE_MEASURES = ("betweenness", "degree", "pagerank", "strength")


def form_choices(forms_present: list[str]) -> list[tuple[str, Any]]:
    labels = dict(PartnershipForm.choices)
    labels[JOINT_WORK] = _("Joint work")
    return [("", _("Every form"))] + [(f, labels.get(f, f)) for f in forms_present]


class NetworkFilterForm(forms.Form):
    """What the network and its table show. Every field is optional; junk is a form error."""

    size = forms.ChoiceField(
        label=_("Size by"),
        required=False,
        choices=[(m, MEASURE_LABELS[m]) for m in SIZE_MEASURES],
    )
    form = forms.ChoiceField(label=_("Partnership form"), required=False)
    challenge = forms.TypedChoiceField(
        label=_("Challenge"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        label=_("Sort the table by"),
        required=False,
        choices=[(m, MEASURE_LABELS[m]) for m in ("name", *MEASURES)],
    )

    def __init__(self, *args: Any, payload: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "form": form_choices(payload.get("forms", [])),
            "challenge": [("", _("Every challenge"))]
            + [(str(pk), title) for pk, title in payload.get("challenges", [])],
            "year": [("", _("Every year"))] + [(str(y), str(y)) for y in payload.get("years", [])],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def filters(self) -> GraphFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return GraphFilters(
            form=data.get("form") or "",
            challenge=data.get("challenge"),
            year=data.get("year"),
        )

    def value(self, name: str, default: str) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get(name) or default
        return default
