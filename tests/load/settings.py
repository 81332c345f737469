"""Settings of the vote load test: the project's, with the vote limits raised (not removed).

Every simulated voter comes from 127.0.0.1, so the per-address limits would stop the test
after a few thousand votes; in production each voter has an address of their own. Each
simulated voter also votes far faster than a person (about ten votes a second). The limits
stay switched on, so their cost is measured; ``COCITY_VOTE_LIMITER`` picks the limiter
(``hybrid``: in-memory buckets with batched shared counts; ``shared``: the cache on every vote).
"""

import os

from cocity.settings import *  # noqa: F403
from cocity.settings import COCITY_RATE_LIMITS

COCITY_RATE_LIMITS = {
    **COCITY_RATE_LIMITS,
    "vote_participant": (3_000, 60),
    "vote_address": (1_000_000, 60),
    "participant_address": (100_000, 3600),
}
COCITY_VOTE_LIMITER = os.environ.get("COCITY_VOTE_LIMITER", "hybrid")
# The load test measures votes; the debounced recompute is measured by bench/opinion.py.
COCITY_OPINION_RECOMPUTE_DELAY = 5.0
