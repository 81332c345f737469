"""The local digital ecosystem: stakeholders, partnerships, joint work, trust, teams."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cocity.core.models import TenantModel


class Sector(models.TextChoices):
    """The quadruple helix, with citizens apart from organised civil society."""

    PUBLIC = "public", _("Public sector")
    ACADEMIA = "academia", _("Academia & research")
    INDUSTRY = "industry", _("Industry & business")
    CIVIL = "civil", _("Civil society & not-for-profit")
    CITIZENS = "citizens", _("Citizens & community")


class StakeholderType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    AGENCY = "agency", _("Public agency")
    UNIVERSITY = "university", _("University")
    RESEARCH = "research", _("Research institute")
    SCHOOL = "school", _("School or college")
    HOSPITAL = "hospital", _("Hospital or health service")
    UTILITY = "utility", _("Utility")
    LARGE_COMPANY = "large_company", _("Large company")
    SME = "sme", _("SME")
    STARTUP = "startup", _("Start-up")
    NGO = "ngo", _("NGO")
    FOUNDATION = "foundation", _("Foundation")
    COMMUNITY_GROUP = "community_group", _("Community group")
    RESIDENTS = "residents", _("Residents' association")
    OTHER = "other", _("Other")


class Stakeholder(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("helix sector"), max_length=20, choices=Sector.choices)
    type = models.CharField(
        _("type"), max_length=30, choices=StakeholderType.choices, default=StakeholderType.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    leader_role = models.CharField(
        _("formal leader's role"),
        max_length=120,
        blank=True,
        help_text=_("A title only, e.g. 'Chief Digital Officer'; no personal names."),
    )
    clusters = models.ManyToManyField(
        "territories.Cluster", blank=True, related_name="stakeholders", verbose_name=_("clusters")
    )
    areas = models.ManyToManyField(
        "territories.Area", blank=True, related_name="stakeholders", verbose_name=_("active in")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="uniq_stakeholder_name")
        ]
        indexes = [models.Index(fields=["territory", "sector"])]

    def __str__(self) -> str:
        return self.name


class PartnershipForm(models.TextChoices):
    PPP = "ppp", _("Public-private partnership")
    MERGER = "merger", _("Merger & acquisition")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    RESEARCH = "research", _("Research cooperation")
    TECHNICAL = "technical", _("Technical cooperation")
    ASSISTANCE = "assistance", _("Technical assistance")
    LICENSING = "licensing", _("Licensing")
    MANUFACTURING = "manufacturing", _("Manufacturing agreement")
    FRANCHISE = "franchise", _("Franchise")
    RECIPROCAL = "reciprocal", _("Reciprocal production")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    OTHER = "other", _("Other")


class PartnershipStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    LAPSED = "lapsed", _("Lapsed")


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")
    ADVISOR = "advisor", _("Advisor")


class Partnership(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=PartnershipForm.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.EXPLORING,
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text=_("Drafts are seen only by facilitators, officers and members."),
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, through="PartnershipMember", related_name="partnerships"
    )
    initiatives = models.ManyToManyField(
        "programme.Initiative",
        blank=True,
        related_name="partnerships",
        verbose_name=_("linked initiatives"),
    )

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            models.Index(fields=["territory", "form"]),
            models.Index(fields=["territory", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="partnership_dates_ordered",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.PARTNER
    )

    class Meta:
        verbose_name = _("partnership member")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "stakeholder"], name="uniq_partnership_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} ({self.get_role_display()})"


class CollaborationKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    PROJECT = "project", _("Delivered project")
    DATA = "data", _("Data shared")
    COFUNDING = "cofunding", _("Co-funding")


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    MIXED = "mixed", _("Mixed")
    NEGATIVE = "negative", _("Negative")


class Collaboration(TenantModel):
    """A dated record of practical joint work: the evidence trust grows from."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CollaborationKind.choices)
    date = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    stakeholders = models.ManyToManyField(
        Stakeholder, related_name="collaborations", verbose_name=_("stakeholders")
    )
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collaborations",
        verbose_name=_("within partnership"),
    )

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("joint work")
        verbose_name_plural = _("joint work")
        indexes = [models.Index(fields=["territory", "date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


_score = [MinValueValidator(1), MaxValueValidator(5)]


class TrustRating(TenantModel):
    """Stakeholder A's stated trust in B. Private to facilitators and A's representatives."""

    rater = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="ratings_given", verbose_name=_("rater")
    )
    ratee = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="ratings_received",
        verbose_name=_("rated"),
    )
    ability = models.PositiveSmallIntegerField(_("ability"), validators=_score)
    benevolence = models.PositiveSmallIntegerField(_("benevolence"), validators=_score)
    integrity = models.PositiveSmallIntegerField(_("integrity"), validators=_score)
    rated_on = models.DateField(_("date"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-rated_on"]
        verbose_name = _("trust rating")
        verbose_name_plural = _("trust ratings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rater=models.F("ratee")),
                name="trust_not_self",
                violation_error_message=_("A stakeholder cannot rate its own trustworthiness."),
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"trust_{f}_1_5"
                )
                for f in ("ability", "benevolence", "integrity")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.ratee} ({self.rated_on})"

    @property
    def mean(self) -> float:
        return (self.ability + self.benevolence + self.integrity) / 3


class LeadershipTeam(TenantModel):
    """An informal cross-sector team around a challenge or theme."""

    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    challenge = models.ForeignKey(
        "programme.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leadership_teams",
        verbose_name=_("challenge"),
    )
    stakeholders = models.ManyToManyField(
        Stakeholder, through="LeadershipMember", related_name="leadership_teams"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("leadership team")
        verbose_name_plural = _("leadership teams")

    def __str__(self) -> str:
        return self.name


class LeadershipMember(models.Model):
    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="members")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE)
    role_title = models.CharField(
        _("formal role in own organisation"), max_length=120, help_text=_("A title, not a name.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "stakeholder", "role_title"], name="uniq_leadership_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_title}, {self.stakeholder}"
