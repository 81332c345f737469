"""Ellipsoidal polygon areas against closed forms, published constants and pyproj."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from cocity.analytics.equity import EquityInputError, polygon_area_km2, read_areas_geojson
from cocity.analytics.equity.geodesy import AUTHALIC_RADIUS_M, authalic_latitude
from cocity.analytics.tests.realdata import shared_data_dir


def _box_area_km2(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """Exact area of a longitude/latitude box on the WGS84 ellipsoid.

    The area element in authalic coordinates is R_q² cos β dβ dλ, so the box holds
    R_q² (λ1 - λ0)(sin β1 - sin β0) (Snyder 1987, ch. 3).
    """
    beta = authalic_latitude([lat0, lat1])
    return (
        AUTHALIC_RADIUS_M**2
        * math.radians(lon1 - lon0)
        * (math.sin(beta[1]) - math.sin(beta[0]))
        / 1e6
    )


def test_authalic_radius_and_ellipsoid_area_match_published_values() -> None:
    # WGS84 authalic radius 6,371,007.181 m; surface 510,065,621.7 km² (NIMA TR8350.2).
    assert pytest.approx(6_371_007.181, abs=1e-3) == AUTHALIC_RADIUS_M
    assert 4 * math.pi * AUTHALIC_RADIUS_M**2 / 1e6 == pytest.approx(510_065_621.7, abs=0.1)


def test_area_element_matches_numerical_integration_of_the_ellipsoid() -> None:
    # Independent check of the authalic latitude: ∫ M N cos φ dφ over a band, by quadrature.
    from scipy.integrate import quad

    a, f = 6_378_137.0, 1 / 298.257223563
    e2 = f * (2 - f)

    def element(phi: float) -> float:
        w = 1 - e2 * math.sin(phi) ** 2
        return a * (1 - e2) / w**1.5 * a / math.sqrt(w) * math.cos(phi)

    integral, _ = quad(element, math.radians(50), math.radians(53))
    band = integral * math.radians(2.0) / 1e6
    assert _box_area_km2(-3, 50, -1, 53) == pytest.approx(band, rel=1e-10)


@given(
    st.floats(-179, 170),
    st.floats(-80, 79),
    st.floats(0.001, 1.0),
    st.floats(0.001, 1.0),
)
@settings(max_examples=60, deadline=None)
def test_lon_lat_boxes_match_the_closed_form(lon0, lat0, width, height) -> None:
    box = shapely.box(lon0, lat0, lon0 + width, lat0 + height)
    expected = _box_area_km2(lon0, lat0, lon0 + width, lat0 + height)
    assert polygon_area_km2([box])[0] == pytest.approx(expected, rel=1e-6)


def test_holes_and_multipolygons_are_handled() -> None:
    outer = shapely.box(0, 50, 0.1, 50.1)
    hole = shapely.box(0.02, 50.02, 0.05, 50.05)
    with_hole = outer.difference(hole)
    multi = shapely.MultiPolygon([shapely.box(0, 50, 0.1, 50.1), shapely.box(1, 50, 1.1, 50.1)])
    areas = polygon_area_km2([outer, hole, with_hole, multi])
    assert areas[2] == pytest.approx(areas[0] - areas[1], rel=1e-9)
    assert areas[3] == pytest.approx(2 * areas[0], rel=1e-9)


def test_input_geometries_are_not_modified() -> None:
    box = shapely.box(0, 50, 1, 51)
    polygon_area_km2([box])
    assert shapely.equals_exact(box, shapely.box(0, 50, 1, 51), 0)


def test_bad_input() -> None:
    with pytest.raises(EquityInputError, match="180"):
        polygon_area_km2([shapely.box(-170, 0, 170, 1)])
    with pytest.raises(EquityInputError, match="max_segment_deg"):
        polygon_area_km2([shapely.box(0, 0, 1, 1)], max_segment_deg=0)
    assert polygon_area_km2(np.array([], dtype=object)).shape == (0,)


@pytest.mark.realdata
def test_lsoa_areas_match_pyproj_geodesic_areas() -> None:
    pyproj = pytest.importorskip("pyproj")
    path = shared_data_dir() / "places" / "banes_lsoa11_imd2019.geojson"
    if not path.is_file():
        pytest.skip(f"real data not found at {path}")
    polygons = read_areas_geojson(path).areas.polygons
    geod = pyproj.Geod(ellps="WGS84")
    # pyproj integrates along geodesics; cutting the edges into 0.0001° pieces makes
    # them follow the straight lon/lat edges of GeoJSON to far below a millionth.
    reference = np.array(
        [
            abs(geod.geometry_area_perimeter(shapely.segmentize(p, 0.0001))[0]) / 1e6
            for p in polygons
        ]
    )
    ours = polygon_area_km2(polygons)
    np.testing.assert_allclose(ours, reference, rtol=1e-6)
    assert ours.min() > 0.05 and ours.sum() == pytest.approx(reference.sum(), rel=1e-7)
