"""Helpers every service uses: validation against the tenant, validated saves, the activity log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from cocity.core.models import ActivityEntry


def ensure_in_territory(territory: Any, field: str, objects: Iterable[Any]) -> list[Any]:
    """Reject related rows of another territory: tenancy is checked in services, not trusted."""
    items = [o for o in objects if o is not None]
    foreign = [str(o) for o in items if o.territory_id != territory.pk]
    if foreign:
        raise ValidationError(
            {field: _("Not in this territory: %(items)s.") % {"items": ", ".join(foreign)}}
        )
    return items


def validated_save(instance: models.Model, *, exclude: Iterable[str] = ()) -> models.Model:
    """Run field, model and constraint validation, then save. Raises ``ValidationError``."""
    instance.full_clean(exclude=list(exclude))
    instance.save()
    return instance


def apply_fields(instance: models.Model, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed)
    unknown = set(fields) - allowed_set
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in sorted(unknown)})
    for name, value in fields.items():
        setattr(instance, name, value)


def activity_entry(
    *,
    territory: Any,
    actor: Any,
    verb: str,
    sentence: Callable[[], str],
    url: str = "",
    is_public: bool = True,
) -> ActivityEntry:
    """An unsaved line of the activity log.

    ``sentence`` builds the line with the usual ``gettext`` calls; it is called once in each
    language of the site (``settings.LANGUAGES``), so the dashboard shows every reader the
    line in their own language, whichever language its author used.
    """
    texts: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(sentence())[:300]
    default = texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")
    return ActivityEntry(
        territory=territory,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        summary=default,
        texts=texts,
        url=url,
        is_public=is_public,
    )


def activity_record(
    *,
    territory: Any,
    actor: Any,
    verb: str,
    sentence: Callable[[], str],
    url: str = "",
    is_public: bool = True,
) -> ActivityEntry:
    """Write a line of the territory's activity log (see :func:`activity_entry`)."""
    entry = activity_entry(
        territory=territory,
        actor=actor,
        verb=verb,
        sentence=sentence,
        url=url,
        is_public=is_public,
    )
    entry.save()
    return entry
