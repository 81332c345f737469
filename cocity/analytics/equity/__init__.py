"""Spatial equity of digital assets: who is served, and who is left out.

Areas (neighbourhood polygons with deprivation indicators) and assets (points) go in;
per-area counts, densities and coverage, and per-territory inequality measures
(Lorenz/Gini, concentration index against deprivation with its standard error, Theil
split by deprivation group), a what-if for new assets and findings in plain English
come out. See ``docs/analytics/equity.md`` for the formulas and a worked example.
"""

from cocity.analytics.equity.assign import PointAssignment, assign_points
from cocity.analytics.equity.errors import EquityInputError, ImportIssue, ImportRejected
from cocity.analytics.equity.geo_io import (
    AreasImport,
    area_properties,
    read_areas,
    read_areas_geojson,
    read_areas_shapefile,
)
from cocity.analytics.equity.geodesy import polygon_area_km2
from cocity.analytics.equity.indicators_io import (
    IndicatorJoin,
    IndicatorTable,
    join_indicators,
    read_indicators_csv,
)
from cocity.analytics.equity.inequality import (
    ConcentrationIndex,
    LorenzCurve,
    TheilDecomposition,
    concentration_index,
    fractional_rank,
    gini,
    lorenz_curve,
    theil_decomposition,
)
from cocity.analytics.equity.model import Areas, Points, concat_points
from cocity.analytics.equity.placement import PlacementPlan, asset_values, greedy_placement
from cocity.analytics.equity.points_io import (
    PointsImport,
    read_points,
    read_points_csv,
    read_points_geojson,
)
from cocity.analytics.equity.report import AreaMeasures, EquityReport, equity_report

__all__ = [
    "AreaMeasures",
    "Areas",
    "AreasImport",
    "ConcentrationIndex",
    "EquityInputError",
    "EquityReport",
    "ImportIssue",
    "ImportRejected",
    "IndicatorJoin",
    "IndicatorTable",
    "LorenzCurve",
    "PlacementPlan",
    "PointAssignment",
    "Points",
    "PointsImport",
    "TheilDecomposition",
    "area_properties",
    "asset_values",
    "assign_points",
    "concat_points",
    "concentration_index",
    "equity_report",
    "fractional_rank",
    "gini",
    "greedy_placement",
    "join_indicators",
    "lorenz_curve",
    "polygon_area_km2",
    "read_areas",
    "read_areas_geojson",
    "read_areas_shapefile",
    "read_indicators_csv",
    "read_points",
    "read_points_csv",
    "read_points_geojson",
    "theil_decomposition",
]
