"""The analytics' arrays are built from a territory's rows, in a fixed number of queries."""

from __future__ import annotations

import math
from typing import Any

from cocity.analytics.network import PARTNERSHIP_FORM_WEIGHT, SECTORS
from cocity.core.testing import make_stakeholder
from cocity.ecosystem.models import PartnershipForm
from cocity.network import results, selectors
from cocity.network.tests.helpers import joint, make_town, partnership, rate


def test_form_weight_key_maps_every_model_form_to_a_known_weight() -> None:
    assert set(selectors.FORM_WEIGHT_KEY) == set(PartnershipForm.values)
    assert {selectors.FORM_WEIGHT_KEY[f] for f in PartnershipForm.values} <= set(
        PARTNERSHIP_FORM_WEIGHT
    )
    # distinct forms keep distinct commitments: a joint venture outweighs licensing
    weight = {
        f: PARTNERSHIP_FORM_WEIGHT[selectors.FORM_WEIGHT_KEY[f]] for f in PartnershipForm.values
    }
    assert weight["joint_venture"] > weight["licensing"]


def test_network_inputs_builds_ties_work_ratings_and_labels(territory: Any) -> None:
    town = make_town(territory)
    inputs = selectors.network_inputs(territory=territory)
    node = {pk: i for i, pk in enumerate(inputs.stakeholder_ids)}
    assert inputs.n_nodes == 6 + 0  # the six of the town (no other stakeholders)
    assert [inputs.names[node[town.uni.pk]], SECTORS[inputs.sector[node[town.uni.pk]]]] == [
        "Uni",
        "academia",
    ]
    pairs = {
        (min(a, b), max(a, b), form)
        for a, b, form in zip(inputs.tie_src, inputs.tie_dst, inputs.tie_form, strict=True)
    }
    h, u, lab, s, b = (node[x.pk] for x in (town.hub, town.uni, town.lab, town.shop, town.bike))
    expected = {
        (min(h, u), max(h, u), "research"), (min(h, lab), max(h, lab), "research"),
        (min(u, lab), max(u, lab), "research"), (min(h, s), max(h, s), "ppp"),
        (min(h, b), max(h, b), "ppp"), (min(s, b), max(s, b), "ppp"),
    }  # fmt: skip
    assert pairs == expected  # the draft merger between Uni and Shop is left out
    assert math.isclose(inputs.tie_start[0], 2022 + 59 / 365)
    assert sorted(zip(inputs.work_outcome, inputs.work_a, inputs.work_b, strict=True)) == sorted(
        [(1, min(h, u), max(h, u)), (-1, min(s, b), max(s, b)), (-1, min(s, b), max(s, b))]
    )
    assert (node[town.shop.pk], node[town.bike.pk], (1, 1, 1)) in zip(
        inputs.rating_rater, inputs.rating_ratee, inputs.rating_scores, strict=True
    )
    assert inputs.clusters[s] == {"Mobility"}
    assert inputs.challenges[h] == {"Clean air"} and inputs.challenges[u] == {"Clean air"}
    assert inputs.challenge_nodes == {town.challenge.pk: sorted([h, u])}


def test_network_inputs_takes_the_same_queries_for_a_bigger_territory(
    territory: Any, django_assert_max_num_queries: Any
) -> None:
    orgs = [make_stakeholder(territory, sector=SECTORS[i % 5]) for i in range(40)]
    for i in range(0, 38, 2):
        partnership(territory, orgs[i : i + 3])
        joint(territory, orgs[i : i + 2])
        rate(territory, orgs[i], orgs[i + 1], 3)
    with django_assert_max_num_queries(9):
        inputs = selectors.network_inputs(territory=territory)
    assert inputs.n_nodes == 40 and len(inputs.tie_src) == 19 * 3


def test_network_inputs_of_an_empty_territory_is_empty(territory: Any) -> None:
    inputs = selectors.network_inputs(territory=territory)
    assert inputs.n_nodes == 0 and inputs.tie_src == [] and inputs.rating_rater == []


def test_network_data_version_changes_with_the_data_and_not_with_other_territories(
    territory: Any, other_territory: Any
) -> None:
    town = make_town(territory)
    before = selectors.network_data_version(territory=territory)
    make_stakeholder(other_territory, name="Elsewhere")
    assert selectors.network_data_version(territory=territory) == before
    rate(territory, town.hub, town.lonely, 2)
    assert selectors.network_data_version(territory=territory) != before


def test_sort_rows_puts_missing_values_last() -> None:
    rows = [{"name": "b", "x": None}, {"name": "a", "x": 1.0}, {"name": "c", "x": 3.0}]
    assert [r["name"] for r in results.sort_rows(rows, "x")] == ["c", "a", "b"]
    assert [r["name"] for r in results.sort_rows(rows, "name", descending=False)] == ["a", "b", "c"]
