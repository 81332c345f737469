"""The fictional city of Norrhamn: its districts, organisations, topics and word lists.

Everything the demo generator names comes from here, so the data never depends on outside
sources. The organisations are invented; any likeness to a real one is accidental. Content is
in English (the demo is shown to international audiences); it is data, not interface text, so
it is not marked for translation.
"""

# Data tables read best one organisation a line, and the names use typographic dashes:
# ruff: noqa: E501, RUF001

from __future__ import annotations

from dataclasses import dataclass

CITY = "Norrhamn"
REGION = "Norrhamn Region"
COUNTRY = "SE"
CURRENCY = "SEK"
CENTRE_LON_LAT = (13.19, 55.70)
"""The middle of the city's grid of areas (WGS84)."""

CLUSTERS = ("ICT", "Creative industries", "Health & life sciences", "Energy", "Mobility")
REGION_CLUSTERS = ("Energy", "Food & agriculture", "Health & life sciences")

# The ecosystem's communities. Analytics should find the first four as dense clusters, the
# brokers between them, and the civic community loosely tied to the rest.
ENERGY, MOBILITY, HEALTH, DIGITAL, CIVIC, BROKER = (
    "energy",
    "mobility",
    "health",
    "digital",
    "civic",
    "broker",
)
COMMUNITIES = (ENERGY, MOBILITY, HEALTH, DIGITAL, CIVIC)
COMMUNITY_CLUSTERS = {
    ENERGY: ("Energy",),
    MOBILITY: ("Mobility",),
    HEALTH: ("Health & life sciences",),
    DIGITAL: ("ICT",),
    CIVIC: (),
    BROKER: ("ICT",),
}

# Districts and where their seeds lie on the unit square of the city (x east, y north). The
# harbour districts lie in the east.
DISTRICTS: tuple[tuple[str, float, float], ...] = (
    ("Gamla staden", 0.42, 0.50),
    ("Hamnen", 0.92, 0.50),
    ("Varvet", 0.88, 0.14),
    ("Kajen", 0.90, 0.86),
    ("Östervång", 0.66, 0.64),
    ("Kvarnby", 0.66, 0.30),
    ("Norra Fält", 0.14, 0.86),
    ("Klosterdal", 0.38, 0.84),
    ("Lindhöjden", 0.62, 0.92),
    ("Västra Torn", 0.10, 0.46),
    ("Ängslätt", 0.18, 0.12),
    ("Södervik", 0.45, 0.12),
)


@dataclass(frozen=True, slots=True)
class Org:
    """One named organisation of the demo ecosystem.

    ``weight`` is its propensity to join partnerships and joint work (brokers and large
    organisations join more); ``isolated`` groups join none, ``districts`` are where it works
    (empty: the whole city).
    """

    name: str
    sector: str
    type: str
    community: str
    leader_role: str
    weight: float = 1.0
    districts: tuple[str, ...] = ()
    isolated: bool = False
    creative: bool = False


def _orgs(sector: str, table: str) -> tuple[Org, ...]:
    """Parse a table of ``name | type | community | leader's role | weight | districts | flags``.

    ``~`` at the start of a name stands for the municipality, ``^`` for the university (a
    department of it); districts are separated by commas; flags are ``isolated`` or
    ``creative``.
    """
    orgs = []
    for line in table.strip().splitlines():
        name, type_, community, leader, weight, districts, flags = (
            cell.strip() for cell in line.split("|")
        )
        name = name.replace("~", MUNICIPALITY).replace("^", UNIVERSITY)
        orgs.append(
            Org(
                name,
                sector,
                type_,
                community,
                leader,
                float(weight or 1.0),
                tuple(d.strip() for d in districts.split(",") if d.strip()),
                isolated="isolated" in flags,
                creative="creative" in flags,
            )
        )
    return tuple(orgs)


MUNICIPALITY = "Norrhamn Municipality – "
UNIVERSITY = "Norrhamn University – "

# fmt: off
PUBLIC = _orgs("public", """
~City Executive Office               | municipality | civic    | City Director                | 2.5 | |
~Digital Office                      | municipality | broker   | Chief Digital Officer        | 5.0 | |
~Traffic & Streets Department        | municipality | mobility | Head of Traffic Planning     | 3.0 | |
~Urban Planning Department           | municipality | mobility | Chief City Planner           | 2.0 | |
~Environment & Climate Department    | municipality | energy   | Head of Climate Strategy     | 2.5 | |
~Street Lighting Unit                | municipality | energy   | Lighting Manager             | 1.8 | |
~Social Services                     | municipality | health   | Director of Social Services  | 2.0 | |
~Education Department                | municipality | civic    | Director of Education        | 1.5 | |
~Property Management                 | municipality | energy   | Head of Property Management  | 1.5 | |
~Culture & Leisure                   | municipality | civic    | Head of Culture              | 1.2 | |
Norrhamn Innovation Agency           | agency       | broker   | Chief Executive              | 4.5 | |
Norrhamn Regional Transport Authority| agency       | mobility | Director of Public Transport | 2.5 | |
Norrhamn Housing Company             | agency       | energy   | Managing Director            | 2.0 | Hamnen, Varvet, Kvarnby, Norra Fält |
Norrhamn Port Authority              | agency       | mobility | Harbour Master               | 1.2 | Hamnen, Kajen, Varvet |
Norrhamn Fire & Rescue Service       | agency       | civic    | Chief Fire Officer           | 0.8 | |
Norrhamn City Library                | agency       | civic    | City Librarian               | 1.5 | |
Norrhamn University Hospital         | hospital     | health   | Hospital Director            | 3.0 | Klosterdal |
Norrhamn Primary Care                | hospital     | health   | Head of Primary Care         | 1.8 | |
""")

ACADEMIA = _orgs("academia", """
Norrhamn University                  | university | broker   | Vice-Chancellor      | 5.0 | Klosterdal, Gamla staden |
^Department of Computer Science      | university | digital  | Head of Department   | 2.5 | Klosterdal |
^Faculty of Medicine                 | university | health   | Dean                 | 2.5 | Klosterdal |
^Division of Transport & Roads       | university | mobility | Head of Division     | 2.0 | Klosterdal |
^Energy Sciences                     | university | energy   | Head of Department   | 2.0 | Klosterdal |
Norrhamn School of Design            | university | digital  | Rector               | 1.6 | Gamla staden | creative
Norrhamn Institute of Energy Systems | research   | energy   | Research Director    | 2.2 | |
Institute for Sustainable Mobility   | research   | mobility | Institute Director   | 2.0 | |
Nordic Health Technology Institute   | research   | health   | Scientific Director  | 2.0 | |
Norrhamn Urban Data Lab              | research   | digital  | Lab Director         | 2.0 | |
Norrhamn Vocational College          | school     | digital  | Principal            | 1.0 | Kvarnby |
Hamnen Upper Secondary School        | school     | civic    | Head Teacher         | 0.8 | Hamnen |
Kvarnby Folk High School             | school     | civic    | Principal            | 0.7 | Kvarnby |
Centre for Social Innovation Norrhamn| research   | civic    | Centre Director      | 1.5 | |
""")

INDUSTRY_NAMED = _orgs("industry", """
Norrhamn Energi AB          | utility       | energy   | Chief Executive Officer  | 3.5 | |
Norrhamn Vatten AB          | utility       | energy   | Managing Director        | 1.5 | |
Sydkust Elnät AB            | utility       | energy   | Head of Grid Operations  | 2.5 | |
Norrhamn Fjärrvärme AB      | utility       | energy   | Chief Executive Officer  | 2.0 | |
Norrhamn Stadsnät AB        | utility       | digital  | Network Director         | 2.0 | |
Nordvik Telecom AB          | large_company | digital  | Regional Director        | 2.5 | |
Baltica Bus AB              | large_company | mobility | Chief Operating Officer  | 2.2 | |
Kustbygg Construction AB    | large_company | energy   | Head of Sustainability   | 1.6 | |
Ljusverk Lighting AB        | large_company | energy   | Chief Technology Officer | 1.8 | |
MedNord Pharma AB           | large_company | health   | Head of Research         | 2.0 | |
Strand Engineering AB       | large_company | mobility | Chief Executive Officer  | 1.8 | |
Östkust Logistics AB        | large_company | mobility | Head of City Logistics   | 1.4 | Hamnen, Varvet |
CareNord Health Services AB | large_company | health   | Managing Director        | 1.8 | |
Norrhamn Sparbank           | large_company | digital  | Chief Digital Officer    | 1.2 | |
""")

# Small firms get invented names from these parts; start-ups have names of their own.
SME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ENERGY: (
        ("Solvik", "Vindå", "Termo", "Ampere", "Kraftlinje", "Värmeverket", "Ljusvik", "Ström"),
        ("Installations", "Energy Services", "Solar", "Heat Pumps", "Electric", "Lighting"),
    ),
    MOBILITY: (
        ("Cykelverket", "Vägvis", "Trafikdata", "Rörelse", "Parkera", "Spårvik", "Hjul"),
        ("Mobility", "Traffic Systems", "Fleet Services", "Bikes", "Transit Consulting"),
    ),
    HEALTH: (
        ("Vårdkoll", "Medivik", "Omsorgen", "Puls", "Hälsoteknik", "Läkemed", "Andning"),
        ("Care Tech", "Medical", "Diagnostics", "Health", "Rehab Systems"),
    ),
    DIGITAL: (
        ("Pixelhamn", "Kodbruket", "Datafyr", "Moln", "Nordkod", "Bildverk", "Ljudvåg", "Kartbyrån"),
        ("Analytics", "Studio", "Software", "Media", "Systems", "Games", "Design"),
    ),
}
SMES_PER_COMMUNITY = 6
SME_LEADER = "Managing Director"
CREATIVE_SUFFIXES = ("Studio", "Media", "Games", "Design")

STARTUPS: dict[str, tuple[str, ...]] = {
    ENERGY: ("GridPilot", "WattWise", "HeatShare", "SunStack", "FlexiVolt"),
    MOBILITY: ("ParkSense", "ChargeLoop", "RideMesh", "CargoCykel", "CurbIQ"),
    HEALTH: ("CareBeacon", "PulsePath", "MediMinder", "SeniorLink", "Vitalyze"),
    DIGITAL: ("CivicBytes", "Mapmakers Lab", "UrbanTwin", "StoryHarbour", "Lampost Labs"),
}
STARTUP_LEADER = "Founder & CEO"

# The last five groups are ones no one in the ecosystem works with yet: the facilitator should
# find them.
CIVIL = _orgs("civil", """
Digital Inclusion Norrhamn      | ngo        | civic    | Chair              | 1.5 | Hamnen, Varvet, Kvarnby |
Norrhamn Cycling Association    | ngo        | mobility | Chair              | 1.2 | |
Green Norrhamn                  | ngo        | energy   | Coordinator        | 1.2 | |
Friends of the Harbour          | ngo        | civic    | Chair              | 0.8 | Hamnen, Kajen |
Norrhamn Seniors' Network       | ngo        | health   | Chair              | 1.0 | |
Norrhamn Patients' Association  | ngo        | health   | Chair              | 0.9 | |
Norrhamn Volunteer Centre       | ngo        | civic    | Centre Manager     | 1.2 | |
Welcome House Norrhamn          | ngo        | civic    | Coordinator        | 0.9 | Varvet, Kvarnby |
Norrhamn Community Foundation   | foundation | civic    | Executive Director | 1.4 | |
Kustfonden Climate Foundation   | foundation | energy   | Executive Director | 1.0 | |
Hjärta Foundation for Health    | foundation | health   | Executive Director | 0.9 | |
Open Knowledge Norrhamn         | ngo        | digital  | Chair              | 1.2 | |
Makerspace Norrhamn             | ngo        | digital  | Coordinator        | 1.0 | Kvarnby |
Norrhamn Arts Council           | ngo        | digital  | Chair              | 0.8 | | creative
Youth Council Norrhamn          | ngo        | civic    | Chair              | 0.9 | |
Women in Tech Norrhamn          | ngo        | digital  | Chair              | 0.8 | |
Norrhamn Disability Rights Forum| ngo        | health   | Chair              | 0.8 | |
Safe Streets Norrhamn           | ngo        | mobility | Chair              | 0.9 | |
Night Walkers Norrhamn          | ngo        | civic    | Coordinator        | 0.8 | Hamnen, Kajen, Varvet |
Dark Sky Norrhamn               | ngo        | energy   | Chair              | 0.6 | |
Climate Parents Norrhamn        | ngo        | energy   | Coordinator        | 0.7 | |
Interfaith Council of Norrhamn  | ngo        | civic    | Chair              | 0.6 | |
Norrhamn Sports Federation      | ngo        | civic    | Secretary General  | 0.7 | |
Heritage Society of Norrhamn    | ngo        | civic    | Chair              | 0.5 | Gamla staden |
Norrhamn Food Bank              | ngo        | civic    | Coordinator        | 0.6 | Hamnen, Varvet |
Norrhamn Chess & Games Club     | ngo        | civic    | Chair              |     | | isolated
Hamnen Boxing Club              | ngo        | civic    | Head Coach         |     | Hamnen | isolated
Allotment Gardeners of Norrhamn | ngo        | civic    | Chair              |     | | isolated
Norrhamn Birdwatchers           | ngo        | civic    | Chair              |     | | isolated
Östervång Pensioners' Club      | ngo        | civic    | Chair              |     | Östervång | isolated
""")

# Citizens' groups: a residents' association in every district, then community groups.
CITIZEN_GROUPS = _orgs("citizens", "\n".join(
    f"{district} Residents' Association | residents | civic | Chair | 0.6 | {district} |"
    for district, _x, _y in DISTRICTS
) + """
Hamnen Parents' Network           | community_group | civic    | Coordinator  | 0.5 | Hamnen |
Varvet Tenants' Committee         | residents       | civic    | Chair        | 0.6 | Varvet |
Kajen Neighbourhood Watch         | community_group | civic    | Coordinator  | 0.4 | Kajen |
Norra Fält Youth Forum            | community_group | civic    | Coordinator  | 0.5 | Norra Fält |
Klosterdal Gardening Group        | community_group | civic    | Coordinator  | 0.3 | Klosterdal |
Gamla staden Traders & Neighbours | community_group | civic    | Chair        | 0.5 | Gamla staden |
Östervång Family Group            | community_group | civic    | Coordinator  | 0.3 | Östervång |
Ängslätt Cycling Commuters        | community_group | mobility | Coordinator  | 0.5 | Ängslätt |
Södervik Dog Owners               | community_group | civic    | Coordinator  | 0.2 | Södervik |
Kvarnby Homework Club             | community_group | civic    | Coordinator  | 0.4 | Kvarnby |
Lindhöjden Seniors' Coffee        | community_group | health   | Coordinator  | 0.3 | Lindhöjden |
Västra Torn Repair Café           | community_group | civic    | Coordinator  | 0.3 | Västra Torn |
Hamnen Women's Circle             | community_group | civic    | Coordinator  | 0.4 | Hamnen |
Varvet Football Parents           | community_group | civic    | Coordinator  | 0.3 | Varvet |
Norrhamn Citizen Lab              | community_group | civic    | Coordinator  | 0.8 | |
Norrhamn Bus Users' Group         | community_group | mobility | Spokesperson | 0.6 | |
Harbour Front Campaign            | community_group | civic    | Spokesperson | 0.4 | Hamnen, Kajen |
Street Light Watch Kajen          | community_group | energy   | Coordinator  | 0.4 | Kajen |
""")

REGION_ORGS = (
    *_orgs("public", """
Norrhamn Region – Regional Development Office | agency   | broker | Director of Regional Development | 3.0 | |
Regional Innovation Council                   | agency   | broker | Chair                            | 2.0 | |
Regional Hospital Trust                       | hospital | health | Chief Executive                  | 1.5 | |
"""),
    *_orgs("academia", "Norrhamn University | university | broker | Vice-Chancellor | 3.0 | |"),
    *_orgs("industry", "Southern Coast Energy Cluster | other | energy | Cluster Manager | 2.0 | |"),
    *_orgs("civil", "Rural Broadband Association | ngo | digital | Chair | 1.0 | |"),
)
# fmt: on

DESCRIPTIONS: dict[str, str] = {
    "municipality": "A department of the City of {city}.",
    "agency": "A public body serving {city} and its surroundings.",
    "hospital": "Health services for the people of {city}.",
    "university": "Teaching and research; a partner in the city's innovation programmes.",
    "research": "Applied research with partners in {city} and across the region.",
    "school": "Education and training for young people and adults in {city}.",
    "utility": "Runs critical infrastructure for {city}.",
    "large_company": "A large employer with operations in {city}.",
    "sme": "A local small business.",
    "startup": "A young company growing out of {city}'s innovation ecosystem.",
    "ngo": "A voluntary organisation working in {city}.",
    "foundation": "A charitable foundation funding local projects.",
    "residents": "Residents organised to speak for their neighbourhood.",
    "community_group": "An informal group of residents.",
    "other": "An organisation active in the region.",
}

# Topics of partnerships and joint work, per community.
TOPICS: dict[str, tuple[str, ...]] = {
    ENERGY: (
        "district heating optimisation",
        "smart meter analytics",
        "solar on school roofs",
        "battery storage at Varvet",
        "heat-pump flexibility",
        "energy poverty mapping",
        "LED street-light retrofit",
        "building energy twin",
        "peak-load shaving",
        "grid capacity for charging hubs",
        "waste-heat recovery",
        "energy advice for tenants",
        "adaptive lighting control",
        "local energy community",
    ),
    MOBILITY: (
        "bus priority signals",
        "real-time passenger information",
        "cycle-count sensors",
        "parking guidance",
        "curbside delivery zones",
        "mobility-as-a-service",
        "harbour freight logistics",
        "school-route safety",
        "e-scooter parking",
        "traffic data sharing",
        "shared cargo bikes",
        "accessible bus stops",
        "autonomous shuttle trial",
    ),
    HEALTH: (
        "remote monitoring at home",
        "fall detection for seniors",
        "air-quality and asthma",
        "digital primary care",
        "care-home sensors",
        "health data platform",
        "rehabilitation apps",
        "medication reminders",
        "loneliness among older residents",
        "heatwave alerts",
        "health literacy",
    ),
    DIGITAL: (
        "open data portal",
        "urban digital twin",
        "5G testbed",
        "public wifi",
        "city data standards",
        "cyber security for SMEs",
        "digital skills for youth",
        "creative tech hub",
        "game-based participation",
        "AI for city services",
        "fibre to every home",
        "data-sharing agreements",
    ),
    CIVIC: (
        "digital inclusion hubs",
        "citizen budget",
        "neighbourhood safety walks",
        "participatory mapping",
        "library digital help desk",
        "youth voice panels",
        "community energy advice",
        "language cafés",
        "volunteer matching",
        "harbour-front redevelopment dialogue",
        "food-waste reduction",
    ),
}

# Products, for the forms about making and selling things (licences, manufacturing...).
PRODUCTS: dict[str, tuple[str, ...]] = {
    ENERGY: (
        "smart meters",
        "heat-pump controllers",
        "solar inverters",
        "LED luminaires",
        "battery packs",
        "lighting controllers",
    ),
    MOBILITY: (
        "charging posts",
        "parking sensors",
        "bike-share docks",
        "ticket validators",
        "cargo bikes",
        "traffic counters",
    ),
    HEALTH: (
        "fall sensors",
        "remote-care kits",
        "rehabilitation apps",
        "medication dispensers",
        "air-quality monitors",
    ),
    DIGITAL: (
        "sensor gateways",
        "mapping software",
        "city dashboards",
        "a serious-game engine",
        "digital-twin software",
        "wifi access points",
    ),
    CIVIC: ("community wifi kits",),
}
PRODUCT_FORMS = ("licensing", "manufacturing", "franchise", "reciprocal")

FORM_NOUNS: dict[str, tuple[str, ...]] = {
    "ppp": ("public-private partnership", "PPP"),
    "merger": ("acquisition",),
    "subcontracting": ("delivery contract", "service contract"),
    "research": ("research consortium", "research project", "study"),
    "technical": ("technical cooperation", "joint development"),
    "assistance": ("support programme", "technical assistance"),
    "licensing": ("licence agreement",),
    "manufacturing": ("manufacturing agreement", "production agreement"),
    "franchise": ("franchise",),
    "reciprocal": ("reciprocal production deal",),
    "joint_venture": ("joint venture",),
    "other": ("network", "alliance", "partnership"),
}

COLLABORATION_TITLES: dict[str, tuple[str, ...]] = {
    "meeting": ("Steering group meeting", "Partner meeting", "Kick-off meeting", "Progress review"),
    "workshop": ("Co-design workshop", "Workshop", "Hackathon", "Residents' workshop"),
    "project": ("Delivered", "Pilot delivered", "Report delivered"),
    "data": ("Data shared", "Dataset exchange", "Data-sharing trial"),
    "cofunding": ("Co-funded", "Joint funding bid", "Match funding"),
}
NEGATIVE_NOTES = (
    "Delivery slipped by three months.",
    "Disagreement about who owns the data.",
    "Key staff left the project; hand-over was poor.",
    "The budget was overspent and the partners disputed the costs.",
    "Results did not meet what had been promised.",
)
MIXED_NOTES = (
    "Useful, but the timetable was tight.",
    "Good results, difficult communication.",
    "Partly delivered; follow-up agreed.",
)
STATED_HIGH_COMMENT = "A strategic partner; we expect the joint work to improve."
STATED_LOW_COMMENT = "Good project work, but we doubt their long-term commitment to the city."

FUNDERS = (
    "Municipal budget",
    "EU Horizon Europe",
    "EU Regional Development Fund",
    "National innovation agency grant",
    "National energy agency grant",
    "Private co-investment",
    "Regional development fund",
    "Foundation grant",
)

# --- the programme ---------------------------------------------------------------------

CHALLENGES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Mobility",
        "both",
        "Journeys in Norrhamn are slow, polluting and unequal: the harbour districts have the "
        "worst bus service and the most through traffic, while the centre fills with cars "
        "looking for parking.",
        "Congestion costs the local economy about SEK 410 million a year; traffic noise and "
        "fine particles shorten lives in the east; without action the 2030 climate target for "
        "transport is missed by a third.",
    ),
    (
        "Smart energy",
        "planetary_health",
        "The city must halve its energy-related emissions by 2030 while keeping heat and power "
        "affordable for tenants, as the grid fills up with heat pumps and electric vehicles.",
        "Grid reinforcement alone would cost SEK 1.2 billion; energy poverty already affects "
        "one household in eight in Hamnen and Varvet; peak prices hit those households hardest.",
    ),
    (
        "Lighting",
        "both",
        "Street lighting uses a fifth of the municipality's electricity, and residents of the "
        "harbour districts say poorly lit streets keep them at home after dark.",
        "Keeping the old lamps costs SEK 14 million a year more in energy and maintenance; "
        "dark streets cut evening use of public space and the sense of safety, most of all "
        "for women and older residents.",
    ),
)


@dataclass(frozen=True, slots=True)
class InitiativeSpec:
    title: str
    stage: str
    lead: str
    challenges: tuple[str, ...]
    layers: tuple[str, ...]
    community: str
    description: str
    districts: tuple[str, ...] = ()
    for_deprived: bool = False
    is_draft: bool = False


_M = MUNICIPALITY
_A, _S, _D, _P, _G = "analogue", "sensing", "data", "platforms", "governance"
_MOB, _NRG, _LIT = "Mobility", "Smart energy", "Lighting"

# fmt: off
INITIATIVES: tuple[InitiativeSpec, ...] = (
    InitiativeSpec("Real-time parking guidance", "mainstream", _M + "Traffic & Streets Department", (_MOB,), (_A, _S, _D, _P), MOBILITY,
                   "Sensors in every public car park feed signs and a map, so drivers stop circling."),
    InitiativeSpec("Bus priority at smart junctions", "scale_up", "Norrhamn Regional Transport Authority", (_MOB,), (_A, _S, _D), MOBILITY,
                   "Buses ask traffic lights for green as they approach busy junctions."),
    InitiativeSpec("Norrhamn travel app", "pilot", "Norrhamn Regional Transport Authority", (_MOB,), (_D, _P), MOBILITY,
                   "One app to plan, book and pay for bus, bike and car-share trips."),
    InitiativeSpec("E-scooter parking zones", "testbed", "CurbIQ", (_MOB,), (_A, _S, _P), MOBILITY,
                   "Geofenced parking bays keep pavements clear in the old town."),
    InitiativeSpec("Safe routes to school", "prototype", "Institute for Sustainable Mobility", (_MOB,), (_S, _D, _G), MOBILITY,
                   "Counting walking and cycling to school to redesign the most dangerous crossings."),
    InitiativeSpec("Open traffic data platform", "scale_up", "Norrhamn Urban Data Lab", (_MOB,), (_D, _P, _G), DIGITAL,
                   "Traffic counts, signal timings and parking occupancy as open data."),
    InitiativeSpec("Autonomous harbour shuttle", "concept", "Strand Engineering AB", (_MOB,), (_A, _S, _P), MOBILITY,
                   "A driverless shuttle between the station and the ferry terminal.", ("Hamnen", "Kajen")),
    InitiativeSpec("Shared cargo-bike logistics hub", "idea", "CargoCykel", (_MOB, _NRG), (_A, _P), MOBILITY,
                   "Last-mile deliveries by cargo bike from a hub at the edge of the old town.", is_draft=True),
    InitiativeSpec("Smart meter insights for households", "mainstream", "Norrhamn Energi AB", (_NRG,), (_S, _D, _P), ENERGY,
                   "Hourly consumption and tips in the utility's app for every household."),
    InitiativeSpec("District heating demand response", "pilot", "Norrhamn Fjärrvärme AB", (_NRG,), (_A, _S, _D), ENERGY,
                   "Buildings lower their heat intake for an hour when the network peaks."),
    InitiativeSpec("Solar roofs on municipal buildings", "scale_up", _M + "Property Management", (_NRG,), (_A, _S, _D), ENERGY,
                   "Solar panels with production monitoring on schools and sports halls."),
    InitiativeSpec("Energy dashboards for schools", "mainstream", _M + "Environment & Climate Department", (_NRG,), (_S, _D, _P), ENERGY,
                   "Pupils follow their school's energy use and compete to save."),
    InitiativeSpec("Varvet local energy community", "testbed", "Norrhamn Institute of Energy Systems", (_NRG,), (_A, _S, _D, _G), ENERGY,
                   "Tenants share solar power and a battery in the shipyard district.", ("Varvet",), for_deprived=True),
    InitiativeSpec("Vehicle-to-grid pilot", "prototype", "Sydkust Elnät AB", (_NRG, _MOB), (_A, _S, _D), ENERGY,
                   "Municipal electric cars feed the grid at peak times."),
    InitiativeSpec("Heat-pump flexibility market", "concept", "GridPilot", (_NRG,), (_D, _P), ENERGY,
                   "Households are paid to let their heat pumps pause for a few minutes at peaks."),
    InitiativeSpec("Building energy digital twin", "idea", "UrbanTwin", (_NRG,), (_D, _P), DIGITAL,
                   "A 3D model of every building's energy performance.", is_draft=True),
    InitiativeSpec("Adaptive LED street lighting", "scale_up", _M + "Street Lighting Unit", (_LIT, _NRG), (_A, _S, _D), ENERGY,
                   "LED lamps that dim when streets are empty and brighten when someone passes."),
    InitiativeSpec("Central lighting control platform", "pilot", "Ljusverk Lighting AB", (_LIT,), (_S, _D, _P), ENERGY,
                   "One platform to monitor and control every lamp, with fault alerts."),
    InitiativeSpec("Dark-sky and biodiversity lighting plan", "concept", "Norrhamn School of Design", (_LIT,), (_A, _G), DIGITAL,
                   "Warmer, shielded light near parks and the shore to protect bats and birds."),
    InitiativeSpec("Lampposts as sensor hubs", "prototype", "Norrhamn Stadsnät AB", (_LIT, _MOB), (_A, _S, _D), DIGITAL,
                   "Lampposts carry air-quality, noise and traffic sensors on the city fibre."),
    InitiativeSpec("Safe light walks with residents", "testbed", "Night Walkers Norrhamn", (_LIT,), (_A, _G), CIVIC,
                   "Residents map dark spots on evening walks; the city fixes the worst first.", ("Kajen", "Hamnen"), for_deprived=True),
    InitiativeSpec("Digital inclusion hubs", "pilot", "Norrhamn City Library", (), (_P, _G), CIVIC,
                   "Drop-in help with devices, e-services and online safety in libraries and community centres.", for_deprived=True),
    InitiativeSpec("City data governance board", "mainstream", _M + "Digital Office", (_MOB, _NRG, _LIT), (_D, _G), DIGITAL,
                   "Rules, roles and a register for the data the city collects and shares."),
    InitiativeSpec("Open data portal", "scale_up", _M + "Digital Office", (_MOB, _NRG), (_D, _P, _G), DIGITAL,
                   "The city's datasets in one catalogue with open licences and APIs."),
    InitiativeSpec("Citizen proposals platform", "idea", "Norrhamn Citizen Lab", (), (_P, _G), CIVIC,
                   "Residents propose and vote on small improvements in their neighbourhood."),
)
# fmt: on
