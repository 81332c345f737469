"""Consultations: conversations, their statements, participants, votes and stored opinion maps.

A conversation belongs to one territory (the tenant); its statements, participants and votes
belong to it. Participants are scoped to one conversation, so nothing links a person's
participation in two conversations. Every participant and statement has a ``number``,
sequential within its conversation: the only ids that ever leave in exports (Pol.is format),
so that anonymous participants are never re-identifiable from user ids or tokens.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel
from cocity.ecosystem.models import Sector

STATEMENT_MAX_CHARS = 400
"""The longest statement, in characters: a thought that can be voted on in one read.
(The longest comment of the six public Pol.is exports in shared/data has 311.)"""


class ConversationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Conversation(TenantModel):
    """A question put to the public (or to the territory's members), Pol.is style."""

    challenge = models.ForeignKey(
        "programme.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        verbose_name=_("challenge"),
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(
        _("question"),
        blank=True,
        help_text=_("What participants are asked, and what the city will do with the answers."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.DRAFT,
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Anyone who may read the territory may take part without an account, and read "
            "the results. Otherwise only the territory's members, signed in."
        ),
    )
    allow_statements = models.BooleanField(
        _("participants may add statements"),
        default=True,
        help_text=_("Their statements wait for moderation before anyone votes on them."),
    )
    ask_profile = models.BooleanField(
        _("ask for sector and area"),
        default=True,
        help_text=_(
            "Ask each participant once for their helix sector and area (both optional), to "
            "show who each opinion group is and whether the participants represent the territory."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(
        _("results version"),
        default=0,
        help_text=_("The version of the latest stored opinion map (0: none yet)."),
    )
    recompute_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_statement_number = models.PositiveIntegerField(default=0, editable=False)
    next_participant_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Statement(models.Model):
    """One statement participants vote on (Pol.is: a comment)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_CHARS)
    author = models.ForeignKey(
        "Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        verbose_name=_("author"),
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    moderation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="uniq_statement_number")
        ]
        indexes = [models.Index(fields=["conversation", "status"])]

    def __str__(self) -> str:
        return self.text


class Participant(models.Model):
    """Someone taking part in one conversation: signed in (``user``) or with a signed token.

    The profile answers (sector, area) are optional and asked once. A facilitator may revoke
    a participant (spam, a bot): its token stops working and its votes leave the analysis.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    number = models.PositiveIntegerField(_("number"))
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_participations",
    )
    sector = models.CharField(_("helix sector"), max_length=20, choices=Sector.choices, blank=True)
    area = models.ForeignKey(
        "territories.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("area"),
    )
    profile_answered = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="uniq_participant_number"
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="uniq_participant_user",
            ),
        ]

    def __str__(self) -> str:
        return _("Participant %(number)s") % {"number": self.number}


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    """A participant's latest vote on a statement (one row per pair: the latest wins)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    # No index of its own: "uniq_vote" (participant, statement) serves lookups by participant,
    # and every vote pays for each index it is written to.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="uniq_vote"),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="vote_value_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.statement_id}: {self.value}"


class OpinionResult(models.Model):
    """The opinion map of one version of a conversation, computed by the recompute task.

    ``payload`` is what pages show (points, groups, representative statements, consensus,
    group make-up, representativeness); ``state`` lets the next computation start warm so
    groups stay steady. Ids inside are statement and participant *numbers*.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="results")
    version = models.PositiveIntegerField()
    computed_at = models.DateTimeField()
    n_participants = models.PositiveIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    n_statements = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0, help_text=_("How long the computation took."))
    payload = models.JSONField(default=dict)
    state = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "version"], name="uniq_result_version")
        ]

    def __str__(self) -> str:
        return f"{self.conversation} v{self.version}"
