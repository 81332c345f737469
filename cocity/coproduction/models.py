"""Co-production with citizens: proposals for the city's challenges, and workshops.

Citizens are makers, not only commenters: they propose ideas for a challenge, others support
and discuss them, and facilitators move them through a status workflow (see
:data:`cocity.coproduction.services.TRANSITIONS`), up to turning one into an initiative.
Workshops record co-production sessions and what came out of them (decisions, actions,
insights), linked to the initiatives and proposals they concern.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel, TimeStampedModel

TITLE_MAX = 200
BODY_MAX = 5000
"""Characters in a proposal's text: enough for an idea, short enough to read in a meeting."""
COMMENT_MAX = 2000
REASON_MAX = 1000
OUTPUT_MAX = 2000


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IMPLEMENTED = "implemented", _("Implemented")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(TenantModel):
    """A citizen's idea answering one of the city's challenges."""

    challenge = models.ForeignKey(
        "programme.Challenge",
        null=True,  # a deleted challenge leaves the citizens' proposals in place
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("challenge"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(
        _("proposal"),
        validators=[MaxLengthValidator(BODY_MAX)],
        help_text=_("What you propose, and why it helps (at most 5,000 characters)."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coproduction_proposals",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    status_reason = models.TextField(
        _("reason for the status"), blank=True, validators=[MaxLengthValidator(REASON_MAX)]
    )
    initiative = models.ForeignKey(
        "programme.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_proposals",
        verbose_name=_("initiative made from it"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["territory", "status"]),
            models.Index(fields=["territory", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalSupport(models.Model):
    """One user's support for a proposal: at most one per user, withdrawn by deleting it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coproduction_supports"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="uniq_proposal_support")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class ProposalComment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coproduction_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_MAX)])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    hidden_by_moderator = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class ProposalStatusChange(models.Model):
    """One step of a proposal's history: who moved it from which status to which, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ProposalStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProposalStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_status} → {self.to_status}"


class Workshop(TenantModel):
    """A co-production session: when and where, who attended, and how many people came."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(BODY_MAX)]
    )
    people_count = models.PositiveIntegerField(
        _("people attending"),
        default=0,
        help_text=_("How many people took part (or are expected to)."),
    )
    challenge = models.ForeignKey(
        "programme.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
        verbose_name=_("challenge"),
    )
    stakeholders = models.ManyToManyField(
        "ecosystem.Stakeholder",
        blank=True,
        related_name="workshops",
        verbose_name=_("attending organisations"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        indexes = [models.Index(fields=["territory", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_count__gte=0),
                name="workshop_people_count_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutputKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")
    INSIGHT = "insight", _("Insight")


class OutputStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class WorkshopOutput(TimeStampedModel):
    """What a workshop produced, linked to the initiative or proposal it concerns."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    text = models.TextField(_("text"), validators=[MaxLengthValidator(OUTPUT_MAX)])
    owner = models.ForeignKey(
        "ecosystem.Stakeholder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_outputs",
        verbose_name=_("owner"),
        help_text=_("The organisation that carries it forward."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    initiative = models.ForeignKey(
        "programme.Initiative",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_outputs",
        verbose_name=_("initiative"),
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_outputs",
        verbose_name=_("proposal"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutputStatus.choices, default=OutputStatus.OPEN
    )

    class Meta:
        ordering = ["workshop", "id"]
        verbose_name = _("workshop output")
        verbose_name_plural = _("workshop outputs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
