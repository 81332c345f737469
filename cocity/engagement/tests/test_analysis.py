"""The stored opinion map: computed from the votes, moderation and withdrawals respected,
group make-up and representativeness added, recomputed by the task on the real queue."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from cocity.core.testing import make_territory
from cocity.engagement import services
from cocity.engagement.analysis import opinion_result_compute
from cocity.engagement.models import Conversation, OpinionResult, Participant, Statement
from cocity.engagement.tests.conftest import make_conversation, seed
from cocity.territories.models import Area

N_STATEMENTS = 10


def planted(territory: Any, n_people: int = 30, *, areas: list[Area] | None = None) -> Conversation:
    """Two camps: the first half agrees with the even statements and disagrees with the odd
    ones, the second half the opposite; everybody agrees with the last statement."""
    conv = make_conversation(territory)
    statements = seed(conv, *[f"Statement {j}" for j in range(N_STATEMENTS)])
    for i in range(n_people):
        p = services.participant_create(conversation=conv)
        p.conversation = conv
        camp = 0 if i < n_people // 2 else 1
        if areas:
            services.participant_profile_set(
                participant=p, sector="citizens" if camp == 0 else "industry", area=areas[camp]
            )
        for j, s in enumerate(statements):
            value = 1 if j == N_STATEMENTS - 1 else (1 if (j + camp) % 2 == 0 else -1)
            services.vote_cast(participant=p, statement_id=s.pk, value=value)
    return conv


def test_opinion_result_compute_finds_the_planted_camps_and_the_consensus(territory: Any) -> None:
    conv = planted(territory)
    stored = opinion_result_compute(conversation=conv)
    payload = stored.payload
    groups = [p["group"] for p in payload["participants"]]
    assert payload["n_groups"] == 2
    assert len(set(groups[:15])) == 1 and len(set(groups[15:])) == 1 and groups[0] != groups[15]
    last = Statement.objects.get(conversation=conv, text=f"Statement {N_STATEMENTS - 1}")
    assert last.number in [c["statement_id"] for c in payload["consensus"]["agree"]]
    assert payload["statement_votes"]["agree"][last.number] == 30
    assert (stored.version, stored.n_votes, stored.n_participants) == (1, 300, 30)
    conv.refresh_from_db()
    assert conv.version == 1


def test_opinion_result_compute_leaves_rejected_statements_out(territory: Any) -> None:
    conv = planted(territory)
    first = Statement.objects.get(conversation=conv, number=0)
    services.statement_moderate(statement=first, actor=None, accept=False, reason="Misleading")
    payload = opinion_result_compute(conversation=conv).payload
    flagged = {s["id"]: s["moderated"] for s in payload["statements"]}
    assert flagged[0] is True and not any(flagged[n] for n in flagged if n != 0)
    chosen = [r["statement_id"] for g in payload["groups"] for r in g["repness"]]
    chosen += [c["statement_id"] for side in payload["consensus"].values() for c in side]
    assert 0 not in chosen


def test_opinion_result_compute_leaves_withdrawn_participants_out(territory: Any) -> None:
    conv = planted(territory)
    bot = Participant.objects.get(conversation=conv, number=0)
    services.participant_revoke(participant=bot, actor=None)
    stored = opinion_result_compute(conversation=conv)
    assert stored.n_participants == 29 and stored.n_votes == 290
    assert 0 not in [p["id"] for p in stored.payload["participants"]]


def test_opinion_result_compute_stores_nothing_when_nothing_changed(territory: Any) -> None:
    conv = planted(territory, n_people=20)
    assert opinion_result_compute(conversation=conv) is not None
    assert opinion_result_compute(conversation=conv) is None
    p = Participant.objects.get(conversation=conv, number=3)
    p.conversation = conv
    services.vote_cast(participant=p, statement_id=conv.statements.first().pk, value=0)
    again = opinion_result_compute(conversation=conv)
    assert again is not None and again.version == 2
    assert OpinionResult.objects.filter(conversation=conv).count() == 2


def test_opinion_result_compute_without_votes_stores_nothing(conversation: Conversation) -> None:
    assert opinion_result_compute(conversation=conversation) is None
    assert not OpinionResult.objects.exists()


def test_opinion_result_compute_keeps_the_latest_five_versions(territory: Any) -> None:
    conv = planted(territory, n_people=16)
    p = Participant.objects.get(conversation=conv, number=0)
    p.conversation = conv
    first = conv.statements.first()
    for value in (1, 0, -1, 1, 0, -1, 1):
        services.vote_cast(participant=p, statement_id=first.pk, value=value)
        opinion_result_compute(conversation=conv)
    versions = list(
        OpinionResult.objects.filter(conversation=conv).values_list("version", flat=True)
    )
    assert versions == [7, 6, 5, 4, 3]


def test_opinion_result_compute_gives_group_make_up_and_representativeness(territory: Any) -> None:
    north = Area.objects.create(
        territory=territory, code="N", name="North", population=9000, deprivation_decile=1
    )
    south = Area.objects.create(
        territory=territory, code="S", name="South", population=1000, deprivation_decile=9
    )
    conv = planted(territory, n_people=30, areas=[north, south])
    payload = opinion_result_compute(conversation=conv).payload
    groups = [p["group"] for p in payload["participants"]]
    camp0, camp1 = groups[0], groups[15]
    sectors = payload["composition"]["sector"]
    citizens, industry = (
        sectors["categories"].index("citizens"),
        sectors["categories"].index("industry"),
    )
    assert sectors["counts"][camp0][citizens] == 15 and sectors["counts"][camp1][industry] == 15
    areas = payload["composition"]["area"]
    assert areas["categories"] == ["N", "S"]
    assert areas["counts"][camp1] == [0, 15]
    rep = payload["representativeness"]
    assert rep["reference_shares"] == pytest.approx([0.9, 0.1])
    assert rep["observed"] == [15, 15]
    # Half the participants live where a tenth of the people do: the south is over-represented.
    assert rep["over_represented"] == ["S"] and rep["under_represented"] == ["N"]
    assert rep["dissimilarity"] == pytest.approx(0.4)
    by_decile = payload["representativeness_by_decile"]
    assert by_decile["categories"] == ["1", "9"] and by_decile["under_represented"] == ["1"]


def test_opinion_result_compute_starts_from_the_previous_state(territory: Any) -> None:
    conv = planted(territory)
    first = opinion_result_compute(conversation=conv)
    newcomer = services.participant_create(conversation=conv)
    newcomer.conversation = conv
    for s in conv.statements.filter(number__lt=8):
        services.vote_cast(participant=newcomer, statement_id=s.pk, value=1 if s.number % 2 else -1)
    second = opinion_result_compute(conversation=conv)
    before = {p["id"]: p["group"] for p in first.payload["participants"]}
    after = {p["id"]: p["group"] for p in second.payload["participants"]}
    assert all(after[pid] == group for pid, group in before.items())  # groups keep their numbers
    assert after[newcomer.number] == after[15]  # votes like the second camp


# --- The task on the real database queue ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_votes_queue_one_recompute_that_the_worker_stores(settings: Any, worker: Any) -> None:
    territory = make_territory(name="Queue town")
    conv = planted(territory, n_people=20)
    # 200 votes, one queued task (the first vote asked; the others found it due).
    assert DBTaskResult.objects.filter(task_path__endswith="opinion_recompute").count() == 1
    conv.refresh_from_db()
    assert conv.recompute_due_at is not None
    worker()
    conv.refresh_from_db()
    assert conv.version == 1 and conv.recompute_due_at is None
    stored = OpinionResult.objects.get(conversation=conv)
    assert stored.n_votes == 200
    task = DBTaskResult.objects.get(task_path__endswith="opinion_recompute")
    assert task.status == "SUCCESSFUL" and task.return_value["status"] == "computed"

    # A vote after the computation asks again; the next run stores version 2.
    p = Participant.objects.select_related("conversation").get(conversation=conv, number=0)
    services.recompute_memo.reset()
    services.vote_cast(participant=p, statement_id=conv.statements.last().pk, value=-1)
    worker()
    conv.refresh_from_db()
    assert conv.version == 2


@pytest.mark.django_db(transaction=True)
def test_recompute_waits_for_the_debounce_delay(settings: Any, worker: Any) -> None:
    settings.COCITY_OPINION_RECOMPUTE_DELAY = 3600
    territory = make_territory(name="Patient town")
    conv = planted(territory, n_people=8)
    worker()  # nothing is due yet
    task = DBTaskResult.objects.get(task_path__endswith="opinion_recompute")
    assert task.status == "READY" and task.run_after is not None
    assert not OpinionResult.objects.filter(conversation=conv).exists()
    conv.refresh_from_db()
    assert task.run_after == conv.recompute_due_at
    assert 3599 <= (task.run_after - task.enqueued_at).total_seconds() <= 3601
