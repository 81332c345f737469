"""Response bodies of the readiness API (read-only): models, rounds, results, layers, benchmark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class LevelOut(Schema):
    level: int
    name: str
    descriptor: str


class DimensionOut(Schema):
    code: str
    name: str
    description: str
    layer: str = Field(..., description="A layer of the digital city; empty for every layer.")
    question: str
    evidence_prompt: str
    levels: list[LevelOut]

    @staticmethod
    def resolve_levels(obj: Any) -> list[dict[str, Any]]:
        return [
            {"level": n, "name": name, "descriptor": text} for n, name, text in obj.level_rows()
        ]


class MaturityModelOut(Schema):
    id: int
    family: str = Field(..., description="Versions of one model share a family.")
    version: int
    name: str
    description: str
    status: str = Field(..., description="draft or published (frozen).")
    levels: list[str] = Field(..., description="Level names from the lowest.")
    dimensions: int

    @staticmethod
    def resolve_family(obj: Any) -> str:
        return str(obj.family)

    @staticmethod
    def resolve_levels(obj: Any) -> list[str]:
        return list(obj.level_names)

    @staticmethod
    def resolve_dimensions(obj: Any) -> int:
        return int(getattr(obj, "n_dimensions", 0))


class MaturityModelDetailOut(MaturityModelOut):
    dimension_details: list[DimensionOut]

    @staticmethod
    def resolve_dimension_details(obj: Any) -> list[Any]:
        return list(obj.dimensions.all())


class RoundOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="open or closed.")
    model: int = Field(..., description="Id of the model version answered.")
    opened_at: dt.datetime
    closes_on: dt.date | None
    closed_at: dt.datetime | None
    invited: int
    submitted: int

    @staticmethod
    def resolve_model(obj: Any) -> int:
        return int(obj.model_id)

    @staticmethod
    def resolve_opened_at(obj: Any) -> dt.datetime:
        return obj.created_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_invited(obj: Any) -> int:
        return int(getattr(obj, "n_invited", 0))

    @staticmethod
    def resolve_submitted(obj: Any) -> int:
        return int(getattr(obj, "n_submitted", 0))


class ScoreOut(Schema):
    n: int = Field(..., description="Respondents who gave a level.")
    median: float | None
    q1: float | None = Field(None, description="Lower quartile (linear interpolation).")
    q3: float | None = Field(None, description="Upper quartile.")
    iqr: float | None = Field(None, description="Spread as disagreement, q3 - q1, in levels.")


class SectorScoreOut(ScoreOut):
    sector: str


class DimensionResultOut(Schema):
    code: str
    name: str
    layer: str
    overall: ScoreOut
    sectors: list[SectorScoreOut] = Field(..., description="Each helix sector's own view.")
    sector_gap: float | None = Field(
        None, description="Highest minus lowest sector median, in levels."
    )
    target: int | None
    gap: float | None = Field(None, description="Target minus median, in levels.")
    previous: float | None = Field(
        None, description="Last round's median, put on this round's scale."
    )
    change: float | None = Field(None, description="Median minus previous.")


class RoundResultsOut(Schema):
    round: RoundOut
    n_levels: int
    invited: int
    submitted: int
    previous_round: int | None
    most_disagreed: list[str] = Field(..., description="Codes where sectors disagree most.")
    gaps: list[str] = Field(
        ..., description="Codes a level or more below target, largest gap first."
    )
    dimensions: list[DimensionResultOut]


class LayerOut(Schema):
    layer: str
    delivery: float = Field(..., description="Mean progress (0-100) of initiatives touching it.")
    initiatives: int
    readiness: float | None = Field(
        None, description="Mean normalised median (0-100) of the dimensions of this layer."
    )
    difference: float | None = Field(None, description="Readiness minus delivery, in points.")
    verdict: str = Field(
        ..., description="readiness_ahead, delivery_ahead, aligned or unknown (25-point rule)."
    )


class InterfaceOut(Schema):
    layers: list[str]
    opportunities: int
    risks: int
    opportunity_weight: float
    risk_weight: float


class LayerBalanceOut(Schema):
    layers: list[LayerOut]
    initiatives: int
    mean_progress: float | None = Field(None, description="A: arithmetic mean of the layers.")
    balanced_progress: float | None = Field(None, description="G: geometric mean.")
    balance_index: float | None = Field(None, description="B = G / A in [0, 1]; 1 = balanced.")
    spread: float | None
    lagging: list[str]
    readiness_round: int | None
    interfaces: list[InterfaceOut]


class PeerOut(Schema):
    label: str = Field(..., description="The peer's name if it agreed to be named; else 'Peer A'.")
    named: bool
    external: bool = Field(..., description="Imported from another installation.")
    round_title: str
    respondents: int


class BenchmarkDimensionOut(Schema):
    code: str
    name: str
    median: float | None
    position: float | None = Field(None, description="(median - 1) / (L - 1), in [0, 1].")
    peers: list[float | None] = Field(..., description="Each peer's position, peers in order.")
    peer_median: float | None
    percentile: float | None = Field(
        None, description="Mean of the strict and weak percentile ranks among peers (0-100)."
    )


class BenchmarkOut(Schema):
    round: int | None
    kind: str
    population_band: str
    peers: list[PeerOut]
    dimensions: list[BenchmarkDimensionOut]
