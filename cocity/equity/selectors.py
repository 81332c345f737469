"""Reads of spatial equity, always scoped to one territory.

Pages read stored results (:func:`equity_state`); nothing here computes the measures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.db.models import Count, Max, Prefetch, QuerySet, Sum

from cocity.core.models import ResultStatus
from cocity.equity.chunks import decode_chunk
from cocity.equity.models import (
    AssetChunk,
    EquityImport,
    EquityResult,
    ImportKind,
    ImportStatus,
    InvestmentAllocation,
)
from cocity.programme.models import Initiative
from cocity.programme.selectors import initiative_list
from cocity.territories.models import Area, Territory

PAYLOAD_SCHEMA = 1
"""Raised whenever the stored results change shape or meaning: old ones are then out of date."""
CENT = Decimal("0.01")


# --- Data version and results ----------------------------------------------------------------


def equity_data_version(*, territory: Territory) -> str:
    """A digest of everything the equity results are computed from (five small queries).

    Areas, imported assets, published initiatives with the areas they serve, and the
    allocations of their budgets: any change to them (a row added, removed or saved) changes
    the digest, so a page can tell whether the stored results are still those of the data.
    """
    areas = Area.objects.filter(territory=territory).aggregate(
        n=Count("id"), last=Max("updated_at"), ids=Sum("id")
    )
    batches = list(
        EquityImport.objects.filter(
            territory=territory, kind=ImportKind.ASSETS, status=ImportStatus.SUCCEEDED
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    published = Initiative.objects.filter(territory=territory, is_draft=False)
    initiatives = published.aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"))
    links = Initiative.areas.through.objects.filter(initiative__in=published).aggregate(
        n=Count("id"), ids=Sum("id")
    )
    allocations = InvestmentAllocation.objects.filter(territory=territory).aggregate(
        n=Count("id"), last=Max("updated_at"), ids=Sum("id")
    )
    text = repr(
        (
            PAYLOAD_SCHEMA,
            territory.currency,
            sorted(areas.items()),
            batches,
            sorted(initiatives.items()),
            sorted(links.items()),
            sorted(allocations.items()),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class EquityState:
    """What the pages show: the newest ready result and whether newer work is under way.

    ``is_current`` is False when the data changed after the result was computed; ``pending``
    is a newer result being computed, ``failed`` a newer one that could not be.
    """

    result: EquityResult | None
    is_current: bool
    pending: EquityResult | None
    failed: EquityResult | None

    @property
    def payload(self) -> dict[str, Any]:
        return self.result.payload if self.result is not None else {}


def equity_state(*, territory: Territory) -> EquityState:
    ready = (
        EquityResult.objects.filter(territory=territory, status=ResultStatus.READY)
        .order_by("-finished_at", "-id")
        .first()
    )
    newer = EquityResult.objects.filter(territory=territory).exclude(status=ResultStatus.READY)
    if ready is not None:
        newer = newer.filter(created_at__gte=ready.created_at).exclude(pk=ready.pk)
    latest = list(newer.defer("payload").order_by("-created_at", "-id")[:1])
    other = latest[0] if latest else None
    version = equity_data_version(territory=territory)
    is_current = (
        ready is not None
        and ready.data_version == version
        and ready.payload.get("schema") == PAYLOAD_SCHEMA
    )
    return EquityState(
        result=ready,
        is_current=is_current,
        pending=other if other is not None and other.status != ResultStatus.FAILED else None,
        failed=other if other is not None and other.status == ResultStatus.FAILED else None,
    )


# --- Imports and assets ----------------------------------------------------------------------


def equity_import_list(*, territory: Territory) -> QuerySet[EquityImport]:
    """Newest first, without the stored file or the error list."""
    return (
        EquityImport.objects.filter(territory=territory)
        .select_related("created_by")
        .defer("payload", "errors")
        .order_by("-created_at", "-id")
    )


def equity_import_get(*, territory: Territory, pk: int) -> EquityImport:
    """One import with its errors; ``EquityImport.DoesNotExist`` when not in ``territory``."""
    return (
        EquityImport.objects.filter(territory=territory)
        .select_related("created_by", "territory")
        .defer("payload")
        .get(pk=pk)
    )


def asset_batch_list(*, territory: Territory) -> QuerySet[EquityImport]:
    """The imported files of assets whose points count, oldest first."""
    return (
        EquityImport.objects.filter(
            territory=territory, kind=ImportKind.ASSETS, status=ImportStatus.SUCCEEDED
        )
        .select_related("created_by")
        .defer("payload", "errors")
        .order_by("pk")
    )


def asset_type_counts(*, territory: Territory) -> dict[str, int]:
    """Assets per type over every imported file (one query)."""
    totals: dict[str, int] = {}
    for counts in asset_batch_list(territory=territory).values_list("counts_by_type", flat=True):
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + int(n)
    return dict(sorted(totals.items()))


@dataclass(frozen=True, slots=True)
class AssetRow:
    batch_id: int
    file_name: str
    index: int
    asset_type: str
    lon: float
    lat: float
    area_code: str
    attributes: dict[str, float]


@dataclass(frozen=True, slots=True)
class AssetPage:
    count: int
    rows: list[AssetRow]


def _rows_of_chunk(
    batch: EquityImport,
    chunk: AssetChunk,
    codes: dict[int, str],
    asset_type: str | None,
    skip: int,
    take: int | None,
) -> list[AssetRow]:
    columns = decode_chunk(chunk.data, batch.attribute_names)
    index = np.arange(len(columns))
    if asset_type is not None:
        index = index[columns.type_codes == batch.type_names.index(asset_type)]
    index = index[skip:] if take is None else index[skip : skip + take]
    rows = []
    for i in index.tolist():
        attrs = {
            name: float(columns.attributes[i, j])
            for j, name in enumerate(batch.attribute_names)
            if np.isfinite(columns.attributes[i, j])
        }
        rows.append(
            AssetRow(
                batch_id=batch.pk,
                file_name=batch.file_name,
                index=int(chunk.start) + i,
                asset_type=batch.type_names[int(columns.type_codes[i])],
                lon=float(columns.lon[i]),
                lat=float(columns.lat[i]),
                area_code=codes.get(int(columns.area_ids[i]), ""),
                attributes=attrs,
            )
        )
    return rows


def _area_codes(territory: Territory) -> dict[int, str]:
    return dict(Area.objects.filter(territory=territory).values_list("pk", "code"))


def asset_page(
    *, territory: Territory, offset: int, limit: int, asset_type: str | None = None
) -> AssetPage:
    """One page of the territory's assets, in import order, optionally of one type.

    Reads only the chunks the page falls in, in one query: a page costs four queries whatever
    the number of assets.
    """
    batches = list(asset_batch_list(territory=territory))
    sizes = [(b.counts_by_type.get(asset_type, 0) if asset_type else b.n_points) for b in batches]
    count = sum(sizes)
    if offset >= count or limit <= 0:
        return AssetPage(count, [])
    # The batches the page falls in, and where each starts in the listing.
    wanted: dict[int, tuple[EquityImport, int]] = {}
    position = 0
    for batch, size in zip(batches, sizes, strict=True):
        if position < offset + limit and position + size > offset:
            wanted[batch.pk] = (batch, position)
        position += size
    plan: list[tuple[EquityImport, int, int]] = []  # (batch, chunk pk, points to skip in it)
    starts = {pk: start for pk, (_b, start) in wanted.items()}
    for chunk in (
        AssetChunk.objects.filter(batch_id__in=wanted).defer("data").order_by("batch_id", "seq")
    ):
        batch = wanted[chunk.batch_id][0]
        n = chunk.type_counts.get(asset_type, 0) if asset_type else chunk.n
        start = starts[chunk.batch_id]
        starts[chunk.batch_id] = start + n
        if n and start < offset + limit and start + n > offset:
            plan.append((batch, chunk.pk, max(0, offset - start)))
    data = AssetChunk.objects.in_bulk([pk for _b, pk, _s in plan])
    codes = _area_codes(territory)
    rows: list[AssetRow] = []
    for batch, pk, skip in plan:
        rows.extend(_rows_of_chunk(batch, data[pk], codes, asset_type, skip, limit - len(rows)))
        if len(rows) >= limit:
            break
    return AssetPage(count, rows)


def asset_rows_iter(*, territory: Territory) -> Iterator[AssetRow]:
    """Every asset of the territory, reading one chunk at a time (for exports)."""
    codes = _area_codes(territory)
    for batch in asset_batch_list(territory=territory):
        for chunk in batch.chunks.order_by("seq").iterator(chunk_size=1):
            yield from _rows_of_chunk(batch, chunk, codes, None, 0, None)


def asset_attribute_names(*, territory: Territory) -> list[str]:
    names: list[str] = []
    for batch_names in asset_batch_list(territory=territory).values_list(
        "attribute_names", flat=True
    ):
        names.extend(n for n in batch_names if n not in names)
    return names


# --- Investment ------------------------------------------------------------------------------


def split_budget(
    budget: Decimal | None, area_ids: Sequence[int], allocations: dict[int, Decimal]
) -> dict[int, Decimal]:
    """An initiative's money per area: its allocations if it has any, else its budget split
    evenly over the areas it serves (the last area takes the rounding remainder)."""
    if allocations:
        return dict(allocations)
    if budget is None or not area_ids:
        return {}
    ids = sorted(area_ids)
    share = (budget / len(ids)).quantize(CENT, rounding=ROUND_HALF_UP)
    split = dict.fromkeys(ids, share)
    split[ids[-1]] = budget - share * (len(ids) - 1)
    return split


@dataclass(frozen=True, slots=True)
class InvestmentByArea:
    """Money of the published initiatives per area, in the territory's currency."""

    amounts: dict[int, Decimal]
    initiatives: int
    other_currency: list[str] = field(default_factory=list)
    without_areas: list[str] = field(default_factory=list)


def investment_by_area(*, territory: Territory) -> InvestmentByArea:
    """Allocations (or even splits) of published initiatives' budgets (three queries)."""
    initiatives = list(
        Initiative.objects.filter(territory=territory, is_draft=False)
        .exclude(budget__isnull=True)
        .order_by("title")
        .values_list("pk", "title", "budget", "currency")
    )
    links: dict[int, list[int]] = {}
    for initiative_id, area_id in Initiative.areas.through.objects.filter(
        initiative__territory=territory, initiative__is_draft=False
    ).values_list("initiative_id", "area_id"):
        links.setdefault(initiative_id, []).append(area_id)
    allocated: dict[int, dict[int, Decimal]] = {}
    for initiative_id, area_id, amount in InvestmentAllocation.objects.filter(
        territory=territory
    ).values_list("initiative_id", "area_id", "amount"):
        allocated.setdefault(initiative_id, {})[area_id] = amount
    amounts: dict[int, Decimal] = {}
    counted = 0
    other_currency: list[str] = []
    without_areas: list[str] = []
    for pk, title, budget, currency in initiatives:
        if currency and currency != territory.currency:
            other_currency.append(title)
            continue
        split = split_budget(budget, links.get(pk, []), allocated.get(pk, {}))
        if not split:
            without_areas.append(title)
            continue
        counted += 1
        for area_id, amount in split.items():
            amounts[area_id] = amounts.get(area_id, Decimal(0)) + amount
    return InvestmentByArea(amounts, counted, other_currency, without_areas)


@dataclass(frozen=True, slots=True)
class Reach:
    """Where one initiative goes, by deprivation decile of the areas it serves.

    Lists are indexed by decile - 1 (decile 1 = the most deprived tenth of areas); areas
    without a decile are counted apart.
    """

    initiative: Initiative
    areas_by_decile: list[int]
    areas_unknown: int
    money_by_decile: list[Decimal]
    money_unknown: Decimal
    allocated: bool

    @property
    def n_areas(self) -> int:
        return sum(self.areas_by_decile) + self.areas_unknown

    @property
    def money(self) -> Decimal:
        return sum(self.money_by_decile, Decimal(0)) + self.money_unknown

    @property
    def most_deprived_share(self) -> float | None:
        """Share of the served areas in deciles 1-2 (the most deprived fifth)."""
        known = sum(self.areas_by_decile)
        return sum(self.areas_by_decile[:2]) / known if known else None

    @property
    def money_most_deprived_share(self) -> float | None:
        known = sum(self.money_by_decile)
        return float(sum(self.money_by_decile[:2]) / known) if known else None


def initiative_reach_list(*, territory: Territory, user: Any) -> list[Reach]:
    """Every initiative ``user`` may see, with the deciles of the areas it serves and its money.

    A constant number of queries whatever the number of initiatives.
    """
    initiatives = initiative_list(territory=territory, user=user).prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("id", "territory_id", "deprivation_decile")),
        Prefetch(
            "allocations",
            queryset=InvestmentAllocation.objects.only("id", "initiative_id", "area_id", "amount"),
        ),
    )
    reaches = []
    for initiative in initiatives:
        areas = list(initiative.areas.all())
        allocations = {a.area_id: a.amount for a in initiative.allocations.all()}
        split = split_budget(initiative.budget, [a.pk for a in areas], allocations)
        by_decile = [0] * 10
        money = [Decimal(0)] * 10
        unknown = 0
        money_unknown = Decimal(0)
        for area in areas:
            amount = split.get(area.pk, Decimal(0))
            if area.deprivation_decile:
                by_decile[area.deprivation_decile - 1] += 1
                money[area.deprivation_decile - 1] += amount
            else:
                unknown += 1
                money_unknown += amount
        reaches.append(
            Reach(initiative, by_decile, unknown, money, money_unknown, bool(allocations))
        )
    return reaches


def territory_deciles(*, territory: Territory) -> list[int]:
    """Areas per deprivation decile (index decile - 1), the baseline of the reach."""
    counts = dict(
        Area.objects.filter(territory=territory, deprivation_decile__isnull=False)
        .order_by()
        .values_list("deprivation_decile")
        .annotate(n=Count("id"))
    )
    return [counts.get(d, 0) for d in range(1, 11)]


def initiative_allocation_rows(
    *, initiative: Initiative
) -> list[tuple[Area, Decimal | None, Decimal]]:
    """Each area the initiative serves, with its allocation (None if unset) and even share."""
    areas = list(initiative.areas.order_by("code"))
    allocations = {a.area_id: a.amount for a in initiative.allocations.all()}
    even = split_budget(initiative.budget, [a.pk for a in areas], {})
    return [(a, allocations.get(a.pk), even.get(a.pk, Decimal(0))) for a in areas]
