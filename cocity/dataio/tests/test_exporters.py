from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from cocity.core.testing import make_stakeholder, make_territory
from cocity.dataio.exporters import escape_formula, export_file, export_kinds_for, export_sheet
from cocity.dataio.models import ImportStatus
from cocity.dataio.services import import_job_create
from cocity.ecosystem import services as eco
from cocity.programme.models import Challenge, Initiative
from cocity.territories.models import Area, Cluster


def admin() -> Any:
    return get_user_model()(username="root", is_superuser=True, is_active=True)


@pytest.fixture
def ecosystem(territory: Any, partner_org: Any) -> dict[str, Any]:
    """A small ecosystem with the awkward values a real one has."""
    ict = Cluster.objects.create(territory=territory, name="ICT")
    health = Cluster.objects.create(territory=territory, name="Health")
    centre = Area.objects.create(territory=territory, code="E01", name="Centre")
    north = Area.objects.create(territory=territory, code="E02", name="North", population=1200)
    city = eco.stakeholder_create(
        territory=territory,
        actor=None,
        name="Lund kommun",
        sector="public",
        type="municipality",
        description='=HYPERLINK("http://evil")\nsecond line, with comma',
        website="https://lund.se",
        leader_role="Chief Digital Officer",
        clusters=[ict],
        areas=[centre, north],
    )
    firm = eco.stakeholder_create(
        territory=territory,
        actor=None,
        name="Ångström AB",
        sector="industry",
        type="sme",
        description="-5% energy use; +10 sensors",
        clusters=[ict, health],
    )
    eco.partnership_create(
        territory=territory,
        actor=None,
        name="Smart lighting",
        form="ppp",
        status="active",
        members=[(city, "lead"), (firm, "subcontractor"), (partner_org, "partner")],
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 6, 30),
        value=Decimal("-1500.25"),
        currency="EUR",
        description="@mention me",
    )
    draft = eco.partnership_create(
        territory=territory,
        actor=None,
        name="Secret merger",
        form="merger",
        members=[(city, "partner"), (firm, "partner")],
        is_draft=True,
    )
    return {"city": city, "firm": firm, "draft": draft}


def rows_of_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_file_round_trips_into_an_empty_territory(
    territory: Any, users: Any, ecosystem: Any, fmt: str
) -> None:
    target = make_territory(name="Copy", currency="SEK")
    for area in Area.objects.filter(territory=territory):  # geography is not ecosystem data
        Area.objects.create(territory=target, code=area.code, name=area.name)
    facilitator = users["facilitator"]
    for kind in ("stakeholders", "partnerships"):
        exported = export_file(territory=territory, user=facilitator, kind=kind, fmt=fmt)
        job = import_job_create(
            territory=target,
            actor=None,
            kind=kind,
            file_name=exported.filename,
            data=exported.content,
        )
        assert job.status == ImportStatus.SUCCEEDED, job.errors

    for kind in ("stakeholders", "partnerships"):
        original = export_sheet(territory=territory, user=facilitator, kind=kind)
        copied = export_sheet(territory=target, user=admin(), kind=kind)
        assert copied.rows == original.rows
    assert len(original.rows) == 2  # the draft travelled too, still a draft
    assert [r[-1] for r in original.rows] == [True, False]


def test_export_file_csv_guards_formulas_but_keeps_numbers(
    territory: Any, users: Any, ecosystem: Any
) -> None:
    content = export_file(
        territory=territory, user=users["facilitator"], kind="stakeholders", fmt="csv"
    ).content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = rows_of_csv(content)
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["Lund kommun"]["description"].startswith("'=HYPERLINK")
    assert by_name["Ångström AB"]["description"].startswith("'-5%")
    assert by_name["Lund kommun"]["clusters"] == "ICT"
    assert by_name["Lund kommun"]["areas"] == "E01; E02"
    partnerships = rows_of_csv(
        export_file(
            territory=territory, user=users["facilitator"], kind="partnerships", fmt="csv"
        ).content
    )
    lighting = dict(
        zip(
            partnerships[0],
            partnerships[1] if partnerships[1][0] == "Smart lighting" else partnerships[2],
            strict=True,
        )
    )
    assert lighting["value"] == "-1500.25"  # a plain number is not a formula
    assert lighting["description"] == "'@mention me"


def test_export_file_xlsx_never_writes_a_formula(
    territory: Any, users: Any, ecosystem: Any
) -> None:
    content = export_file(
        territory=territory, user=users["facilitator"], kind="stakeholders", fmt="xlsx"
    ).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)


@pytest.mark.parametrize("role", ["citizen", "observer", None])
def test_export_sheet_hides_drafts_from_readers(
    territory: Any, users: Any, ecosystem: Any, role: str | None
) -> None:
    user = users[role] if role else AnonymousUser()
    names = [r[0] for r in export_sheet(territory=territory, user=user, kind="partnerships").rows]
    assert names == ["Smart lighting"]


def test_export_sheet_shows_drafts_to_officers_and_member_partners(
    territory: Any, users: Any, ecosystem: Any
) -> None:
    officer_rows = export_sheet(
        territory=territory, user=users["officer"], kind="partnerships"
    ).rows
    assert [r[0] for r in officer_rows] == ["Secret merger", "Smart lighting"]
    # petra represents Lund University, which is not in the draft.
    partner_rows = export_sheet(
        territory=territory, user=users["partner"], kind="partnerships"
    ).rows
    assert [r[0] for r in partner_rows] == ["Smart lighting"]


def test_export_sheet_collaboration_does_not_name_a_hidden_draft(
    territory: Any, users: Any, ecosystem: Any
) -> None:
    eco.collaboration_create(
        territory=territory,
        actor=None,
        title="Kick-off",
        kind="meeting",
        date=dt.date(2024, 5, 1),
        outcome="positive",
        stakeholders=[ecosystem["city"], ecosystem["firm"]],
        partnership=ecosystem["draft"],
    )
    public = export_sheet(territory=territory, user=users["citizen"], kind="collaborations")
    assert public.rows[0][0] == "Kick-off" and public.rows[0][-1] == ""
    editor = export_sheet(territory=territory, user=users["officer"], kind="collaborations")
    assert editor.rows[0][-1] == "Secret merger"


def test_export_trust_ratings_only_to_facilitators(
    territory: Any, users: Any, ecosystem: Any, partner_org: Any
) -> None:
    eco.trust_rating_create(
        territory=territory,
        actor=None,
        rater=partner_org,
        ratee=ecosystem["city"],
        ability=4,
        benevolence=3,
        integrity=5,
    )
    facilitator_kinds = [
        k.kind for k in export_kinds_for(territory=territory, user=users["facilitator"])
    ]
    assert "trust" in facilitator_kinds
    rows = export_sheet(territory=territory, user=users["facilitator"], kind="trust").rows
    assert rows[0][:5] == ["Lund University", "Lund kommun", 4, 3, 5]
    for role in ("officer", "partner", "citizen", "observer"):
        assert "trust" not in [
            k.kind for k in export_kinds_for(territory=territory, user=users[role])
        ]
        with pytest.raises(PermissionError):
            export_sheet(territory=territory, user=users[role], kind="trust")


def test_export_initiatives_and_challenges_respect_drafts(
    territory: Any, users: Any, ecosystem: Any
) -> None:
    open_c = Challenge.objects.create(territory=territory, title="Mobility")
    draft_c = Challenge.objects.create(territory=territory, title="Hidden", is_draft=True)
    initiative = Initiative.objects.create(
        territory=territory, title="Bike sensors", lead=ecosystem["city"], budget=Decimal("1000")
    )
    initiative.challenges.set([open_c, draft_c])
    Initiative.objects.create(territory=territory, title="Draft idea", is_draft=True)
    citizen = users["citizen"]
    initiatives = export_sheet(territory=territory, user=citizen, kind="initiatives")
    assert [r[0] for r in initiatives.rows] == ["Bike sensors"]
    row = dict(zip(initiatives.columns, initiatives.rows[0], strict=True))
    assert (row["lead"], row["challenges"]) == ("Lund kommun", ["Mobility"])
    assert [
        r[0] for r in export_sheet(territory=territory, user=citizen, kind="challenges").rows
    ] == ["Mobility"]
    officer = users["officer"]
    assert len(export_sheet(territory=territory, user=officer, kind="initiatives").rows) == 2
    assert len(export_sheet(territory=territory, user=officer, kind="challenges").rows) == 2


def test_export_file_json_and_geojson(territory: Any, users: Any, ecosystem: Any) -> None:
    Area.objects.filter(code="E01").update(
        geometry={
            "type": "Polygon",
            "coordinates": [[[13.1, 55.7], [13.2, 55.7], [13.2, 55.8], [13.1, 55.7]]],
        }
    )
    doc = json.loads(
        export_file(
            territory=territory, user=users["citizen"], kind="partnerships", fmt="json"
        ).content
    )
    assert (doc["territory"], doc["kind"], doc["count"]) == ("lund", "partnerships", 1)
    item = doc["items"][0]
    assert item["value"] == "-1500.25" and item["start_date"] == "2024-01-01"
    assert item["members"][0] == "Lund kommun:lead"
    geo = export_file(territory=territory, user=None or AnonymousUser(), kind="areas", fmt="json")
    assert geo.filename.endswith(".geojson")
    collection = json.loads(geo.content)
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["E01", "E02"]
    assert collection["features"][0]["geometry"]["type"] == "Polygon"


def test_export_sheet_is_scoped_to_the_territory(
    territory: Any, other_territory: Any, users: Any, ecosystem: Any
) -> None:
    make_stakeholder(other_territory, name="Bristol City Council")
    names = [
        r[0]
        for r in export_sheet(
            territory=territory, user=users["facilitator"], kind="stakeholders"
        ).rows
    ]
    assert "Bristol City Council" not in names
    assert "Lund kommun" in names


def test_escape_formula() -> None:
    assert escape_formula("=1+1") == "'=1+1"
    assert escape_formula("+46 70 123") == "'+46 70 123"
    assert escape_formula("@SUM(A1)") == "'@SUM(A1)"
    assert escape_formula("-12.5") == "-12.5"
    assert escape_formula("plain") == "plain"


@pytest.mark.parametrize(
    "kind",
    [
        "stakeholders",
        "partnerships",
        "collaborations",
        "initiatives",
        "challenges",
        "areas",
        "trust",
    ],
)
def test_export_file_query_count_does_not_grow_with_rows(
    territory: Any, users: Any, kind: str, django_assert_max_num_queries: Any
) -> None:
    cluster = Cluster.objects.create(territory=territory, name="ICT")
    area = Area.objects.create(territory=territory, code="E01", name="Centre")
    orgs = [
        eco.stakeholder_create(
            territory=territory,
            actor=None,
            name=f"Org {i}",
            sector="public",
            clusters=[cluster],
            areas=[area],
        )
        for i in range(15)
    ]
    challenge = Challenge.objects.create(territory=territory, title="Mobility")
    for i in range(14):
        a, b = orgs[i], orgs[i + 1]
        p = eco.partnership_create(
            territory=territory,
            actor=None,
            name=f"P{i}",
            form="other",
            members=[(a, "lead"), (b, "partner")],
        )
        eco.collaboration_create(
            territory=territory,
            actor=None,
            title=f"C{i}",
            kind="meeting",
            date=dt.date(2024, 1, 1),
            outcome="positive",
            stakeholders=[a, b],
            partnership=p,
        )
        eco.trust_rating_create(
            territory=territory, actor=None, rater=a, ratee=b, ability=3, benevolence=3, integrity=3
        )
        initiative = Initiative.objects.create(territory=territory, title=f"I{i}", lead=a)
        initiative.partners.set([b])
        initiative.challenges.set([challenge])
        initiative.areas.set([area])
        Area.objects.create(territory=territory, code=f"X{i:02d}", name=f"Area {i}")
    facilitator = users["facilitator"]
    facilitator.has_perm("core.export_data", territory)  # memberships are read once per user
    with django_assert_max_num_queries(8):
        exported = export_file(territory=territory, user=facilitator, kind=kind, fmt="csv")
    assert len(rows_of_csv(exported.content)) >= 2
