"""Point-in-area assignment: the border rule, the two methods, and GeoPandas on real LSOAs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.equity import EquityInputError, assign_points, read_areas_geojson, read_points
from cocity.analytics.tests.realdata import shared_data_dir

PLACES = shared_data_dir() / "places"
BANES_ASSETS = (
    "ofcom_broadband_2013",
    "olev_ncpr_charge_points",
    "banes_defibrillators",
    "banes_inspire_aq_stations",
    "banes_inspire_libraries",
)


def _places() -> Path:
    if not PLACES.is_dir():
        pytest.skip(f"real data not found at {PLACES} (set COCITY_SHARED_DATA)")
    return PLACES


def _geopandas_lowest_index(polygons: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """The reference: geopandas.sjoin(intersects), keeping the lowest area index per point."""
    gpd = pytest.importorskip("geopandas")
    left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat))
    right = gpd.GeoDataFrame(geometry=list(polygons))
    joined = gpd.sjoin(left, right, how="left", predicate="intersects")
    lowest = joined["index_right"].groupby(level=0).min()
    return lowest.reindex(range(len(lon))).fillna(-1).astype(np.int64).to_numpy()


def _both(polygons, lon, lat) -> np.ndarray:
    tree = assign_points(polygons, lon, lat, method="strtree")
    scan = assign_points(polygons, lon, lat, method="scan")
    np.testing.assert_array_equal(tree.area_index, scan.area_index)
    # Split between this process and a forked one: the same answer, borders included.
    split = assign_points(polygons, lon, lat, method="scan", n_jobs=2)
    np.testing.assert_array_equal(tree.area_index, split.area_index)
    return tree.area_index


SQUARES = np.array(
    [
        shapely.box(0, 0, 1, 1),
        shapely.box(1, 0, 2, 1),
        shapely.Polygon(
            [(0, 1), (2, 1), (2, 2), (0, 2)], [[(0.5, 1.2), (1.5, 1.2), (1.5, 1.8), (0.5, 1.8)]]
        ),
        shapely.box(0.6, 1.3, 1.4, 1.7),  # an island inside area 2's hole
    ],
    dtype=object,
)


def test_border_rule_on_hand_made_areas() -> None:
    lon = np.array([0.5, 1.0, 1.0, 1.5, 1.0, 0.55, 1.0, 3.0, 0.6, 2.0])
    lat = np.array([0.5, 0.5, 1.0, 0.5, 1.5, 1.5, 1.25, 3.0, 1.3, 2.0])
    expected = [
        0,  # inside area 0
        0,  # on the edge shared by 0 and 1: lowest index
        0,  # on the corner shared by 0, 1 and 2: lowest index
        1,  # inside area 1
        3,  # inside the island, in area 2's hole
        -1,  # in the hole, outside the island
        -1,  # in the hole too
        -1,  # outside everything
        3,  # a corner of the island, which lies strictly inside area 2's hole
        2,  # the outer corner of area 2
    ]
    np.testing.assert_array_equal(_both(SQUARES, lon, lat), expected)


def test_assignment_counts_and_outside() -> None:
    result = assign_points(SQUARES, [0.5, 0.2, 1.5, 9.0], [0.5, 0.2, 0.5, 9.0])
    np.testing.assert_array_equal(result.totals(), [2, 1, 0, 0])
    np.testing.assert_array_equal(result.totals([1.0, 2.0, 5.0, 7.0]), [3, 5, 0, 0])
    assert result.n_outside == 1


def test_overlapping_areas_give_the_lowest_index() -> None:
    polygons = np.array([shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3)], dtype=object)
    reversed_order = polygons[::-1].copy()
    lon, lat = np.array([1.5, 2.5, 0.5]), np.array([1.5, 2.5, 0.5])
    np.testing.assert_array_equal(_both(polygons, lon, lat), [0, 1, 0])
    np.testing.assert_array_equal(_both(reversed_order, lon, lat), [0, 0, 1])


def test_empty_inputs_and_bad_input() -> None:
    assert assign_points(SQUARES, [], []).area_index.shape == (0,)
    assert assign_points(np.array([], dtype=object), [1.0], [1.0]).area_index.tolist() == [-1]
    with pytest.raises(EquityInputError, match="equal length"):
        assign_points(SQUARES, [1.0, 2.0], [1.0])
    with pytest.raises(EquityInputError, match="finite"):
        assign_points(SQUARES, [float("nan")], [1.0])
    with pytest.raises(EquityInputError, match="method"):
        assign_points(SQUARES, [1.0], [1.0], method="fast")  # type: ignore[arg-type]
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(EquityInputError, match="n_jobs"):
            assign_points(SQUARES, [1.0], [1.0], n_jobs=bad)  # type: ignore[arg-type]
    with pytest.raises(EquityInputError, match="shapely geometry"):
        assign_points(np.array([None], dtype=object), [1.0], [1.0])


@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(1, 4), st.integers(1, 4)),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(-2, 28), st.integers(-2, 28)), min_size=1, max_size=80),
)
@settings(max_examples=80, deadline=None)
def test_scan_equals_strtree_on_random_boxes(boxes, points) -> None:
    # Coordinates on a half-unit lattice so that many points fall exactly on borders.
    polygons = np.array([shapely.box(x, y, x + w, y + h) for x, y, w, h in boxes], dtype=object)
    lon = np.array([p[0] / 2 for p in points], dtype=float)
    lat = np.array([p[1] / 2 for p in points], dtype=float)
    result = _both(polygons, lon, lat)
    for i, area in enumerate(result):
        hits = [j for j, g in enumerate(polygons) if g.intersects(shapely.Point(lon[i], lat[i]))]
        assert area == (min(hits) if hits else -1)


def test_parallel_scan_gives_the_same_areas_whatever_the_number_of_processes() -> None:
    rng = np.random.default_rng(5)
    corners = rng.uniform(0, 20, size=(300, 2))
    sizes = rng.uniform(0.5, 3, size=(300, 2))
    polygons = shapely.box(
        corners[:, 0], corners[:, 1], corners[:, 0] + sizes[:, 0], corners[:, 1] + sizes[:, 1]
    )
    # Half the points on a 0.25 lattice, so that many lie on borders of overlapping boxes.
    lon = np.concatenate([rng.uniform(-1, 24, 20_000), rng.integers(0, 92, 20_000) / 4])
    lat = np.concatenate([rng.uniform(-1, 24, 20_000), rng.integers(0, 92, 20_000) / 4])
    expected = assign_points(polygons, lon, lat, method="strtree").area_index
    for jobs in (1, 2, 3, 7):
        got = assign_points(polygons, lon, lat, method="scan", n_jobs=jobs)
        np.testing.assert_array_equal(got.area_index, expected, err_msg=f"n_jobs={jobs}")
    assert (expected >= 0).sum() > 10_000  # the boxes hold many of the points


@pytest.mark.realdata
def test_banes_real_assets_match_geopandas() -> None:
    places = _places()
    areas = read_areas_geojson(places / "banes_lsoa11_imd2019.geojson").areas
    lon, lat = [], []
    for name in BANES_ASSETS:
        points = read_points(places / "banes_assets" / f"{name}.geojson").points
        lon.append(points.lon)
        lat.append(points.lat)
    x, y = np.concatenate(lon), np.concatenate(lat)
    assert x.shape[0] == 6583
    ours = _both(areas.polygons, x, y)
    np.testing.assert_array_equal(ours, _geopandas_lowest_index(areas.polygons, x, y))
    assert (ours >= 0).sum() > 6500


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["bristol_lsoa11_imd2019", "banes_lsoa11_imd2019"])
def test_random_and_border_points_match_geopandas(name: str) -> None:
    areas = read_areas_geojson(_places() / f"{name}.geojson").areas
    rng = np.random.default_rng(0)
    xmin, ymin, xmax, ymax = shapely.total_bounds(areas.polygons)
    # Random points, plus every vertex of every area: vertices lie on shared borders.
    vertices = shapely.get_coordinates(areas.polygons)
    x = np.concatenate([rng.uniform(xmin, xmax, 20_000), vertices[:, 0]])
    y = np.concatenate([rng.uniform(ymin, ymax, 20_000), vertices[:, 1]])
    ours = _both(areas.polygons, x, y)
    np.testing.assert_array_equal(ours, _geopandas_lowest_index(areas.polygons, x, y))
    assert (ours[20_000:] >= 0).all()  # every vertex belongs to some area
