"""Real B&NES data through the whole import path: the stored areas equal GeoPandas' spatial join.

The analytics tests compare the pure assignment with GeoPandas; here the files go through the
upload service (GeoJSON areas into ``Area`` rows, five real asset files into stored chunks),
and the area stored for every point must be the one ``geopandas.sjoin`` gives on the stored
boundaries, with the border rule (a point on a shared border goes to the area listed first,
here the first in code order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cocity.equity import services
from cocity.equity.models import ImportStatus
from cocity.equity.selectors import asset_rows_iter
from cocity.equity.spatial import territory_areas
from cocity.equity.tests.helpers import import_file
from cocity.territories.models import Area

pytestmark = pytest.mark.realdata

BANES_ASSETS = (
    "ofcom_broadband_2013",
    "olev_ncpr_charge_points",
    "banes_defibrillators",
    "banes_inspire_aq_stations",
    "banes_inspire_libraries",
)


def _geopandas_lowest_code(polygons: Any, codes: list[str], lon: Any, lat: Any) -> list[str]:
    gpd = pytest.importorskip("geopandas")
    left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat))
    right = gpd.GeoDataFrame(geometry=list(polygons))
    joined = gpd.sjoin(left, right, how="left", predicate="intersects")
    lowest = joined["index_right"].groupby(level=0).min()
    index = lowest.reindex(range(len(lon))).fillna(-1).astype(np.int64).to_numpy()
    return [codes[i] if i >= 0 else "" for i in index]


def test_banes_import_stores_the_same_areas_as_geopandas(territory: Any, shared_data: Path) -> None:
    places = shared_data / "places"
    areas_job = import_file(
        territory,
        "areas",
        (places / "banes_lsoa11_imd2019.geojson").read_bytes(),
        name="banes_lsoa11_imd2019.geojson",
    )
    assert areas_job.status == ImportStatus.SUCCEEDED, areas_job.errors[:5]
    assert Area.objects.filter(territory=territory).count() == 115
    bath = Area.objects.get(territory=territory, code="E01014370")
    assert (bath.name, bath.deprivation_decile, bath.deprivation_rank) == (
        "Bath and North East Somerset 007A", 4, 12188,
    )  # fmt: skip
    for name in BANES_ASSETS:
        job = import_file(
            territory, "assets", (places / "banes_assets" / f"{name}.geojson").read_bytes(),
            name=f"{name}.geojson",
        )  # fmt: skip
        assert job.status == ImportStatus.SUCCEEDED, job.errors[:5]

    stored = list(asset_rows_iter(territory=territory))
    assert len(stored) == 6583
    areas = territory_areas(territory=territory)
    lon = np.array([r.lon for r in stored])
    lat = np.array([r.lat for r in stored])
    expected = _geopandas_lowest_code(areas.polygons, list(areas.codes), lon, lat)
    assert [r.area_code for r in stored] == expected

    result = services.equity_result_request(territory=territory, run="now")
    counts = {a["code"]: a["count"] for a in result.payload["areas"]}
    reference = {code: float(expected.count(code)) for code in areas.codes}
    assert counts == reference
    assert result.payload["summary"]["n_outside"] == expected.count("")
