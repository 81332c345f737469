"""Ecosystem network analytics: who holds the ecosystem together, which sectors are cut
off, where trust is weak, and which partnerships to broker.

Build the network with :func:`build_network` (plain arrays: node ids ``0..n-1``, sector
codes, ties), add joint work (:func:`joint_work`) and ratings (:func:`trust_ratings`),
then run :func:`analyse_ecosystem` and read :func:`summary_sentences`. Formulas, choices
and hand-worked examples: ``docs/analytics/network.md``.
"""

from cocity.analytics.network.analysis import EcosystemAnalysis, analyse_ecosystem
from cocity.analytics.network.brokerage import ROLES, Brokerage, brokerage_roles
from cocity.analytics.network.graph import (
    SECTORS,
    UNKNOWN_SECTOR,
    EcosystemNetwork,
    JointWork,
    NetworkInputError,
    SimpleTies,
    TrustRatings,
    build_network,
    incidence_matrix,
    joint_work,
    network_as_of,
    sector_codes,
    simple_ties,
    to_igraph,
    trust_ratings,
)
from cocity.analytics.network.measures import (
    EXACT_BETWEENNESS_LIMIT,
    Betweenness,
    Communities,
    SectorMixing,
    YearlyGrowth,
    betweenness,
    degree_and_strength,
    isolated_and_peripheral,
    leiden_communities,
    pagerank,
    sector_mixing,
    structural_holes,
    triangles,
    yearly_growth,
)
from cocity.analytics.network.recommend import (
    Recommendation,
    RecommendationWeights,
    recommend_partners,
    recommendation_inputs,
)
from cocity.analytics.network.summary import summary_sentences
from cocity.analytics.network.trust import (
    BehaviouralTrust,
    StatedTrust,
    TrustAnalysis,
    TrustDisagreements,
    analyse_trust,
    behavioural_trust,
    rating_reciprocity,
    stated_trust,
    trust_disagreements,
)
from cocity.analytics.network.weights import (
    PARTNERSHIP_FORM_WEIGHT,
    PARTNERSHIP_STATUS_WEIGHT,
    joint_work_ties,
    partnership_tie_weights,
)

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "PARTNERSHIP_FORM_WEIGHT",
    "PARTNERSHIP_STATUS_WEIGHT",
    "ROLES",
    "SECTORS",
    "UNKNOWN_SECTOR",
    "BehaviouralTrust",
    "Betweenness",
    "Brokerage",
    "Communities",
    "EcosystemAnalysis",
    "EcosystemNetwork",
    "JointWork",
    "NetworkInputError",
    "Recommendation",
    "RecommendationWeights",
    "SectorMixing",
    "SimpleTies",
    "StatedTrust",
    "TrustAnalysis",
    "TrustDisagreements",
    "TrustRatings",
    "YearlyGrowth",
    "analyse_ecosystem",
    "analyse_trust",
    "behavioural_trust",
    "betweenness",
    "brokerage_roles",
    "build_network",
    "degree_and_strength",
    "incidence_matrix",
    "isolated_and_peripheral",
    "joint_work",
    "joint_work_ties",
    "leiden_communities",
    "network_as_of",
    "pagerank",
    "partnership_tie_weights",
    "rating_reciprocity",
    "recommend_partners",
    "recommendation_inputs",
    "sector_codes",
    "sector_mixing",
    "simple_ties",
    "stated_trust",
    "structural_holes",
    "summary_sentences",
    "to_igraph",
    "triangles",
    "trust_disagreements",
    "trust_ratings",
    "yearly_growth",
]
