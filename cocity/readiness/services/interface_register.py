"""Writes to the interface register: opportunities and risks where two layers meet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cocity.analytics.layers import LayerInputError, interface_key
from cocity.core.services import apply_fields, ensure_in_territory, validated_save
from cocity.programme.models import Initiative
from cocity.readiness.models import InterfaceItem
from cocity.territories.models import Territory

INTERFACE_FIELDS = ("layer_a", "layer_b", "kind", "title", "description", "significance")


def _clean_interface(layer_a: str, layer_b: str) -> tuple[str, str]:
    try:
        return interface_key(layer_a, layer_b)
    except LayerInputError:
        raise ValidationError(
            {
                "layer_b": _(
                    "These layers share no interface: pick neighbouring layers, or governance "
                    "with any layer."
                )
            }
        ) from None


@transaction.atomic
def interface_item_create(
    *,
    territory: Territory,
    actor: Any,
    layer_a: str,
    layer_b: str,
    kind: str,
    title: str,
    description: str = "",
    significance: int = 2,
    initiatives: Iterable[Initiative] = (),
) -> InterfaceItem:
    initiatives = ensure_in_territory(territory, "initiatives", initiatives)
    low, high = _clean_interface(layer_a, layer_b)
    item = InterfaceItem(
        territory=territory,
        layer_a=low,
        layer_b=high,
        kind=kind,
        title=title.strip(),
        description=description,
        significance=significance,
    )
    validated_save(item)
    item.initiatives.set(initiatives)
    return item


@transaction.atomic
def interface_item_update(
    *,
    item: InterfaceItem,
    actor: Any,
    initiatives: Iterable[Initiative] | None = None,
    **fields: Any,
) -> InterfaceItem:
    if initiatives is not None:
        initiatives = ensure_in_territory(item.territory, "initiatives", initiatives)
    apply_fields(item, fields, INTERFACE_FIELDS)
    item.layer_a, item.layer_b = _clean_interface(item.layer_a, item.layer_b)
    validated_save(item)
    if initiatives is not None:
        item.initiatives.set(initiatives)
    return item


@transaction.atomic
def interface_item_delete(*, item: InterfaceItem, actor: Any) -> None:
    item.delete()
