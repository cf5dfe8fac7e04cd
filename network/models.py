import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Municipality

# A network's actions move through the same steps as a reflection round's action points.
from reflection.models import ActionStatus


class NetworkKind(models.TextChoices):
    CHILD_POVERTY = "child_poverty", _("Local child-poverty network")
    LOP = "lop", _("Local consultation platform (LOP)")
    WORKING_GROUP = "working_group", _("Working group or steering group")
    LEARNING_NETWORK = "learning_network", _("Learning network")
    OTHER = "other", _("Other network")


class Network(models.Model):
    """A local network that a municipality leads: member schools and organisations meet in it.
    Network records are structural: they never name a family."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="networks", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind of network"), max_length=20, choices=NetworkKind, default=NetworkKind.CHILD_POVERTY)
    goal = models.TextField(_("goal"), max_length=1000, blank=True, default="")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinator")
    )
    schools = models.ManyToManyField("schools.School", related_name="networks", verbose_name=_("member schools"))
    organisations = models.ManyToManyField(
        "welfare.WelfareOrganisation", related_name="networks", verbose_name=_("member organisations"), blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=NetworkKind.values), name="network_network_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "network:network", kwargs={"municipality_id": self.municipality.public_id, "network_id": self.public_id}
        )


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("network"))
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True, default="")
    minutes = models.TextField(
        _("minutes"),
        max_length=8000,
        blank=True,
        default="",
        help_text=_("Structural matters only: what was discussed and decided. Never a family or a child."),
    )
    agenda_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.network} · {self.held_on:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse(
            "network:meeting",
            kwargs={"municipality_id": self.network.municipality.public_id, "meeting_id": self.public_id},
        )


class AgendaItemKind(models.TextChoices):
    OFFER = "offer", _("A partner presents its offer")
    NEED_SIGNAL = "need_signal", _("Signalling a local need")
    FOLLOW_UP = "follow_up", _("Follow-up of an earlier point")
    WORKING_GROUP = "working_group", _("Report of a working group")
    OTHER = "other", _("Other")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of item"), max_length=20, choices=AgendaItemKind)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented by"),
    )
    needs_feedback = models.BooleanField(
        _("comes back next time"),
        default=False,
        help_text=_("Put it on the next agenda so the network hears what came of it (terugkoppeling)."),
    )
    decision = models.TextField(_("decision"), max_length=2000, blank=True, default="")
    policy_signal = models.ForeignKey(
        "network.PolicySignal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("signal to policy"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgendaItemKind.values), name="network_agendaitem_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title


OPEN_ACTION = [ActionStatus.OPEN, ActionStatus.DOING]


class NetworkActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_ACTION)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def carried_to(self, meeting):
        """What the meeting follows up: actions decided at an earlier meeting of the network that
        were still open on its date."""
        return (
            self.filter(network=meeting.network, decided_at__held_on__lt=meeting.held_on)
            .filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=meeting.held_on))
            .select_related("owner_organisation", "owner_school", "decided_at")
            .order_by("due_on", "id")
        )


class NetworkAction(models.Model):
    """What a network decided to do: who takes it up, by when."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="actions", verbose_name=_("network"))
    decided_at = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("decided at")
    )
    what = models.CharField(_("what"), max_length=300)
    owner_organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken up by (organisation)"),
    )
    owner_school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken up by (school)"),
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus, default=ActionStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    objects = NetworkActionQuerySet.as_manager()
    STATUSES = ActionStatus.choices

    class Meta:
        verbose_name = _("network action")
        verbose_name_plural = _("network actions")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="network_networkaction_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(owner_organisation__isnull=True) | models.Q(owner_school__isnull=True),
                name="network_networkaction_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OPEN_ACTION, closed_on__isnull=True)
                | (~models.Q(status__in=OPEN_ACTION) & models.Q(closed_on__isnull=False)),
                name="network_networkaction_closed_on_when_closed",
            ),
        ]

    def __str__(self):
        return self.what

    @property
    def owner(self):
        return self.owner_organisation or self.owner_school or self.network.municipality


class SignalKind(models.TextChoices):
    NO_OFFER = "no_offer", _("Schools signal a need that no organisation in the directory answers")
    NO_CAPACITY = "no_capacity", _("Referrals are declined for lack of capacity")
    WRONG_ORGANISATION = "wrong_organisation", _("Referrals reach the wrong organisation")
    OTHER = "other", _("Other structural need")


class PolicySignalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ON_AGENDA = "on_agenda", _("On a network agenda")
    TAKEN_UP = "taken_up", _("Taken up in policy")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class PolicySignal(models.Model):
    """A structural need the network passes on to policy. Never about one family."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="policy_signals", verbose_name=_("municipality")
    )
    need = models.ForeignKey("welfare.NeedCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("need"))
    kind = models.CharField(_("what the dashboard shows"), max_length=20, choices=SignalKind)
    school_year = models.CharField(_("school year"), max_length=9)
    description = models.TextField(
        _("the signal"),
        max_length=2000,
        blank=True,
        default="",
        help_text=_("Describe the structural problem. Never a family, a child or a case."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PolicySignalStatus, default=PolicySignalStatus.PROPOSED
    )
    decision = models.TextField(_("policy decision"), max_length=2000, blank=True, default="")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signal to policy")
        verbose_name_plural = _("signals to policy")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SignalKind.values), name="network_policysignal_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PolicySignalStatus.values), name="network_policysignal_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[PolicySignalStatus.TAKEN_UP, PolicySignalStatus.NOT_TAKEN_UP])
                | (models.Q(decided_on__isnull=False) & ~models.Q(decision="")),
                name="network_policysignal_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.need} ({self.school_year})"

    def get_absolute_url(self):
        return reverse("network:signals", kwargs={"municipality_id": self.municipality.public_id})


class EngagementDeclaration(models.Model):
    """Commitments a school makes with the local government, or with a bridge-figure service the
    municipality works with, often as the condition of a support fund; one per school year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("municipality")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="engagements", verbose_name=_("school")
    )
    partner = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("with the organisation"),
        help_text=_("Leave empty when the school commits to the local government itself."),
    )
    school_year = models.CharField(_("school year"), max_length=9)
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("engagement declaration")
        verbose_name_plural = _("engagement declarations")
        ordering = ["-school_year", "school__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "partner"],
                condition=models.Q(partner__isnull=False),
                name="network_engagement_once_per_year_and_partner",
            ),
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=models.Q(partner__isnull=True),
                name="network_engagement_once_per_year_with_the_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(school_year__regex=r"^[0-9]{4}-[0-9]{4}$"), name="network_engagement_school_year"
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.school} · {self.school_year}"

    def get_absolute_url(self):
        return reverse(
            "network:engagement",
            kwargs={"municipality_id": self.municipality.public_id, "engagement_id": self.public_id},
        )


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    UNDER_WAY = "under_way", _("Under way")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class EngagementItem(models.Model):
    declaration = models.ForeignKey(
        EngagementDeclaration, on_delete=models.CASCADE, related_name="items", verbose_name=_("declaration")
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("commitment"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus, default=ItemStatus.OPEN)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["declaration", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ItemStatus.values), name="network_engagementitem_status_valid"
            ),
        ]

    def __str__(self):
        return self.text
