"""Pol.is-grade opinion map of a conversation: pure functions over vote arrays.

Entry points:

* :func:`vote_matrix_from_events` - the sparse vote matrix (latest vote wins);
* :func:`opinion_map` - the whole map (PCA, base clusters, groups, repness, consensus),
  holding groups steady across updates when given the previous :class:`OpinionState`;
* :func:`read_polis_export` / :func:`write_polis_export` - Pol.is export folders;
* :func:`group_composition` / :func:`representativeness` - who is in each group, and
  whether the participants mirror the territory.

The method, every formula and where it departs from Pol.is: ``docs/analytics/opinion.md``.
"""

from cocity.analytics.opinion.clustering import (
    BaseClusters,
    GroupClustering,
    KSmoother,
    base_clusters,
    group_clusterings,
    max_group_k,
    silhouette,
    smooth_k,
)
from cocity.analytics.opinion.composition import (
    GroupComposition,
    Representativeness,
    group_composition,
    representativeness,
)
from cocity.analytics.opinion.consensus import (
    Consensus,
    ConsensusStatement,
    consensus_statements,
    group_aware_consensus,
)
from cocity.analytics.opinion.errors import OpinionInputError
from cocity.analytics.opinion.kmeans import lloyd_kmeans
from cocity.analytics.opinion.matrix import (
    VoteMatrix,
    vote_matrix_from_dense,
    vote_matrix_from_events,
)
from cocity.analytics.opinion.pca import OpinionPCA, polis_pca
from cocity.analytics.opinion.pipeline import (
    OpinionMap,
    OpinionState,
    opinion_map,
    participants_in_conversation,
)
from cocity.analytics.opinion.polis_build import (
    export_with_groups,
    participants_table,
    polis_export_from_votes,
)
from cocity.analytics.opinion.polis_io import (
    PolisComments,
    PolisExport,
    PolisExportError,
    PolisParticipants,
    PolisVotes,
    read_polis_export,
    write_polis_export,
)
from cocity.analytics.opinion.repness import (
    GroupStatementStats,
    RepresentativeStatement,
    group_statement_stats,
    prop_test,
    select_representative,
    two_prop_test,
)
from cocity.analytics.opinion.synthetic import SyntheticConversation, synthetic_conversation

__all__ = [
    "BaseClusters",
    "Consensus",
    "ConsensusStatement",
    "GroupClustering",
    "GroupComposition",
    "GroupStatementStats",
    "KSmoother",
    "OpinionInputError",
    "OpinionMap",
    "OpinionPCA",
    "OpinionState",
    "PolisComments",
    "PolisExport",
    "PolisExportError",
    "PolisParticipants",
    "PolisVotes",
    "RepresentativeStatement",
    "Representativeness",
    "SyntheticConversation",
    "VoteMatrix",
    "base_clusters",
    "consensus_statements",
    "export_with_groups",
    "group_aware_consensus",
    "group_clusterings",
    "group_composition",
    "group_statement_stats",
    "lloyd_kmeans",
    "max_group_k",
    "opinion_map",
    "participants_in_conversation",
    "participants_table",
    "polis_export_from_votes",
    "polis_pca",
    "prop_test",
    "read_polis_export",
    "representativeness",
    "select_representative",
    "silhouette",
    "smooth_k",
    "synthetic_conversation",
    "two_prop_test",
    "vote_matrix_from_dense",
    "vote_matrix_from_events",
    "write_polis_export",
]
