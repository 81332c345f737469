"""The maturity model cocity ships: ten dimensions, five levels, in the project's own words.

Kept as data (translatable strings marked with ``gettext_noop``); installing it into a
territory (:func:`cocity.readiness.services.maturity_model_install_default`) translates it
into the active language and stores it as the territory's published version 1. The codes
D1..D10 are the same on every installation, so rounds on the default model can be benchmarked
between cities.

Sources of inspiration (none is copied): the EU blueprint for cities as launch pads for
digital transformation and the Digital Cities Challenge self-assessment, BSI PAS 181 and
PAS 185, ISO 37106 and ISO 37153 (five maturity levels), the OASC Minimal Interoperability
Mechanisms, the LGA/Socitm outcomes for local digital, and the Bristol study's layered
framework of the digital city.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

NAME = N_("cocity digital readiness model")
DESCRIPTION = N_(
    "Ten dimensions of a city's readiness to lead its digital transformation with its "
    "partners, each on five levels from ad hoc to adaptive. Rate where the city is today, as "
    "your organisation sees it, and say what evidence you have."
)
LEVEL_NAMES = (N_("Ad hoc"), N_("Exploring"), N_("Defined"), N_("Integrated"), N_("Adaptive"))


@dataclass(frozen=True)
class DefaultDimension:
    code: str
    name: str
    layer: str  # a programme.Layer code, or "" for a dimension that concerns every layer
    description: str
    descriptors: tuple[str, str, str, str, str]
    question: str
    evidence_prompt: str


DIMENSIONS: tuple[DefaultDimension, ...] = (
    DefaultDimension(
        "D1",
        N_("Vision and leadership"),
        "governance",
        N_("A shared digital vision, owned by named leaders and tied to the city's other plans."),
        (
            N_("There is no shared digital vision; departments act on their own."),
            N_("Some departments have digital plans and one or two champions push them."),
            N_("A city-wide digital strategy exists and a named person is accountable for it."),
            N_("The strategy steers budgets and is woven into the city's other plans."),
            N_("The strategy is reviewed on a fixed cycle against evidence and adjusted."),
        ),
        N_("How far does a shared digital vision steer what the city and its partners do?"),
        N_("A published strategy, its owner, budget lines that cite it, the last review."),
    ),
    DefaultDimension(
        "D2",
        N_("Partnerships and ecosystem"),
        "",
        N_("How the city works with universities, business, civil society and residents."),
        (
            N_("Work with partners is one-off purchases from vendors."),
            N_("A few pilots are run with partners, each arranged separately."),
            N_("A standing forum brings the sectors together regularly."),
            N_("Partners agree on forms of partnership and share one roadmap."),
            N_("The ecosystem sustains itself on trust built through joint work."),
        ),
        N_("How do the city and its partners plan and deliver digital work together?"),
        N_("Partnership agreements, forum minutes, a shared roadmap, joint projects delivered."),
    ),
    DefaultDimension(
        "D3",
        N_("Citizen engagement and co-creation"),
        "",
        N_("How residents take part in choosing, designing and running digital services."),
        (
            N_("Residents are told about decisions once they are made."),
            N_("Residents are consulted on individual projects."),
            N_("Residents help set the priorities of the digital programme."),
            N_("Services are designed with residents, and they hear what changed as a result."),
            N_("Residents co-own and help run some services."),
        ),
        N_("How much say do residents have in the city's digital priorities and services?"),
        N_("Consultation reports, co-design workshops held, feedback published to residents."),
    ),
    DefaultDimension(
        "D4",
        N_("Connectivity and sensing"),
        "sensing",
        N_("Networks and sensors: what exists, who manages them and how widely they reach."),
        (
            N_("Coverage is patchy and nobody keeps a list of what is installed."),
            N_("Sensors are being tried out in pilots."),
            N_("An asset register exists and basic coverage is known."),
            N_("A managed network covers the whole city."),
            N_("Sensing is shared between services and adapts to new needs."),
        ),
        N_("How complete, known and well managed are the city's networks and sensors?"),
        N_("An asset register, coverage maps, the network's service levels."),
    ),
    DefaultDimension(
        "D5",
        N_("Data and analytics"),
        "data",
        N_("How data is found, shared and used to make decisions."),
        (
            N_("Data is locked in departmental silos."),
            N_("Some datasets are published as open data."),
            N_("A data catalogue and common standards are in place."),
            N_("Analysis across domains informs everyday decisions."),
            N_("Predictive models are used, and their results are evaluated."),
        ),
        N_("How well does the city find, share and use its data to decide?"),
        N_("The data catalogue, open datasets, decisions that cite analysis, model evaluations."),
    ),
    DefaultDimension(
        "D6",
        N_("Platforms and interoperability"),
        "platforms",
        N_("Whether systems can talk to each other and others can build on them."),
        (
            N_("Systems stand alone and cannot exchange data."),
            N_("One shared platform is being piloted."),
            N_("Systems offer APIs that follow open standards."),
            N_("An urban data platform is shared across services."),
            N_("An open platform that partners and residents build on."),
        ),
        N_("How easily can the city's systems exchange data, and can others build on them?"),
        N_("API documentation, standards adopted, services running on the shared platform."),
    ),
    DefaultDimension(
        "D7",
        N_("Governance, trust and security"),
        "governance",
        N_(
            "The rules for data, ethics and security, and how the public can hold the city to them."
        ),
        (
            N_("There are no explicit rules."),
            N_("Privacy is checked case by case."),
            N_("Data and ethics policies are published."),
            N_("Oversight is independent and security is designed in from the start."),
            N_("A living digital social contract with the public is kept and renewed."),
        ),
        N_("How clear, public and trusted are the rules for the city's data and technology?"),
        N_("Published policies, impact assessments, the oversight body, security audits."),
    ),
    DefaultDimension(
        "D8",
        N_("Skills and culture"),
        "",
        N_("Digital skills of staff and residents, and a culture that learns."),
        (
            N_("Nobody knows where the skills gaps are."),
            N_("Training happens in places."),
            N_("A skills plan covers staff and residents."),
            N_("Digital roles exist across departments."),
            N_("The city learns as an organisation and grows local talent."),
        ),
        N_("How well do the city's people have, and keep building, the skills digital work needs?"),
        N_(
            "The skills plan, training records, digital roles in departments, local talent schemes."
        ),
    ),
    DefaultDimension(
        "D9",
        N_("Services and economic value"),
        "analogue",
        N_("How digital work changes the city's services and its local economy."),
        (
            N_("Paperwork has been digitised, the service is unchanged."),
            N_("Transactions can be done online."),
            N_("Services are redesigned and their benefits are tracked."),
            N_("Services are joined up and local businesses take them up."),
            N_("Outcome gains are measured and reinvested."),
        ),
        N_("How much better are services and the local economy because of digital work?"),
        N_("Service redesigns, benefit tracking, business uptake, reinvested savings."),
    ),
    DefaultDimension(
        "D10",
        N_("Inclusion and spatial equity"),
        "",
        N_("Whether every neighbourhood and group benefits, not only the best connected."),
        (
            N_("Inclusion is not considered."),
            N_("Projects improve access here and there."),
            N_("Inclusion targets are set by area and by group."),
            N_("Coverage and uptake are monitored neighbourhood by neighbourhood."),
            N_("Gaps are closing and no area is left behind."),
        ),
        N_("How well do the benefits of digital work reach every neighbourhood and group?"),
        N_("Targets by area, coverage by neighbourhood, uptake among excluded groups."),
    ),
)
