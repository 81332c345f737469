"""Locust voters for ``run_vote_load.py``: each joins the consultation, then votes as fast as
the server answers, each vote on a statement it has not voted on (so every acknowledged vote
must be one stored row, and a lost vote shows).

Reads ``COCITY_LOAD_PLAN`` (a JSON file written by the runner): the territory slug, the
conversation id and the statement ids.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

with open(os.environ["COCITY_LOAD_PLAN"], encoding="utf-8") as handle:
    PLAN = json.load(handle)
BASE = f"/api/v1/territories/{PLAN['slug']}/consultations/{PLAN['conversation']}/"
STATEMENTS: list[int] = PLAN["statements"]
_numbers = itertools.count()
# Counted here, at each answer: locust's own CSV totals are written a tick before the end.
COUNTS = {"sent": 0, "acknowledged": 0, "refused": 0, "vote_sum": 0}


@events.quitting.add_listener
def _write_counts(environment: object, **_kwargs: object) -> None:
    path = os.environ.get("COCITY_LOAD_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(COUNTS, handle)


class Voter(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.rng = random.Random(self.number)
        self.order = STATEMENTS[:]
        self.rng.shuffle(self.order)
        self.position = 0
        answer = self.client.post(BASE + "participants/", name="join")
        if answer.status_code != 201:
            raise StopUser
        self.headers = {"X-Participant-Token": answer.json()["token"]}

    @task
    def vote(self) -> None:
        if self.position >= len(self.order):
            raise StopUser  # every statement voted: never vote twice on one (see the docstring)
        statement = self.order[self.position]
        self.position += 1
        value = self.rng.choice((1, 1, -1, 0))
        COUNTS["sent"] += 1
        with self.client.post(
            BASE + "votes/",
            json={"statement": statement, "vote": value},
            headers=self.headers,
            name="vote",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                COUNTS["acknowledged"] += 1
                COUNTS["vote_sum"] += value
            else:
                COUNTS["refused"] += 1
                answer.failure(f"{answer.status_code}: {answer.text[:120]}")
