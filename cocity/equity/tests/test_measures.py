"""Map classes and legends, and the SVG drawing of maps and curves."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # the S314 noqa below: these parse our own output

import pytest

from cocity.equity.measures import (
    NO_DATA,
    PALETTE,
    class_breaks,
    classify,
    colour_of,
    legend,
    measure_choices,
    measure_values,
)
from cocity.equity.svg import Curve, choropleth_svg, curves_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_class_breaks_puts_equal_numbers_of_areas_in_each_class() -> None:
    values = [float(v) for v in range(1, 11)]
    breaks = class_breaks(values)
    assert breaks == [2.0, 4.0, 6.0, 8.0]
    assert classify(values, breaks) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_class_breaks_never_split_equal_values() -> None:
    values = [0.0] * 7 + [1.0, 2.0, 3.0]
    breaks = class_breaks(values)
    classes = classify(values, breaks)
    assert len({c for v, c in zip(values, classes, strict=True) if v == 0}) == 1
    assert classes[-1] == len(breaks)


def test_classify_and_legend_keep_missing_values_apart() -> None:
    values = [None, 1.0, 1.0, None]
    breaks = class_breaks(values)
    assert breaks == []
    assert classify(values, breaks) == [None, 0, 0, None]
    entries = legend(values, breaks, 0)
    assert [(e.label, e.count) for e in entries] == [("1", 2), ("no value", 2)]
    assert entries[-1].colour == NO_DATA


def test_colour_of_spreads_few_classes_over_the_palette() -> None:
    assert [colour_of(k, 2) for k in range(2)] == [PALETTE[0], PALETTE[-1]]
    assert [colour_of(k, 5) for k in range(5)] == list(PALETTE)
    assert colour_of(None, 5) == NO_DATA


def test_measure_choices_and_values_follow_the_stored_result() -> None:
    payload = {
        "computed_with": {"population": False, "currency": "SEK"},
        "types": [{"name": "ev_charger"}],
        "areas": [
            {"code": "A", "count": 2.0, "by_type": {"ev_charger": 2.0}, "indicators": {"x": 1}},
            {"code": "B", "count": 0.0, "by_type": {}, "indicators": {}},
        ],
    }
    keys = [m.key for m in measure_choices(payload)]
    assert "per_1000" not in keys and "type:ev_charger" in keys and "ind:x" in keys
    assert measure_values(payload, "type:ev_charger") == [2.0, 0.0]
    assert measure_values(payload, "ind:x") == [1.0, None]
    assert measure_choices({}) == []


def test_choropleth_svg_escapes_text_and_draws_one_path_per_area() -> None:
    svg = choropleth_svg(
        paths=["M0 0L1 0L1 1Z", "M2 2L3 2L3 3Z"],
        width=10,
        height=10,
        colours=[PALETTE[0], NO_DATA],
        tooltips=['<b>"A"</b> & co', "B"],
        title="Assets <per> area",
        desc="d",
        standalone=True,
    )
    root = ET.fromstring(str(svg).split("\n", 1)[1])  # noqa: S314
    paths = root.findall(f"{SVG}g/{SVG}path")
    assert [p.find(f"{SVG}title").text for p in paths] == ['<b>"A"</b> & co', "B"]
    assert paths[1].get("fill") == "url(#map-nodata)"
    assert root.find(f"{SVG}title").text == "Assets <per> area"


def test_curves_svg_draws_each_curve_with_its_name() -> None:
    svg = curves_svg(
        curves=[
            Curve("Lorenz", [0, 0.5, 1], [0, 0.2, 1], "#000"),
            Curve("C", [0, 1], [0, 1], "#111", dashed=True),
        ],
        title="t",
        desc="d",
        x_label="x",
        y_label="y",
    )
    root = ET.fromstring(str(svg))  # noqa: S314
    lines = root.findall(f"{SVG}polyline")
    assert [line.find(f"{SVG}title").text for line in lines] == ["Lorenz", "C"]
    assert lines[0].get("points") == "56.0,312.0 206.0,252.0 356.0,12.0"
    assert lines[1].get("stroke-dasharray") == "7 4"


@pytest.mark.parametrize("decimals", [0, 2])
def test_legend_labels_cover_the_range(decimals: int) -> None:
    values = [float(v) for v in range(10)]
    entries = legend(values, class_breaks(values), decimals)
    assert sum(e.count for e in entries) == 10
    assert entries[0].label.startswith("0")
    assert entries[-1].label.endswith("9" + ("" if decimals == 0 else ".00"))
