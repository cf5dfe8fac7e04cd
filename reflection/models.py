"""The reflection cycle of the book: a question bank in versions, rounds a team answers alone first,
a team view, and the actions it decides on."""

import uuid
from statistics import median

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import TenantLink


class Localized(models.Model):
    """Rows with `<field>_nl` and `<field>_en`; `text("title")` follows the active language."""

    class Meta:
        abstract = True

    def text(self, field: str) -> str:
        english = (get_language() or "nl").startswith("en")
        return getattr(self, f"{field}_en" if english else f"{field}_nl") or getattr(self, f"{field}_nl")

    @property
    def title(self):
        return self.text("title")

    @property
    def intro(self):
        return self.text("intro")


class Immutable(Exception):
    """A published questionnaire version does not change: make a new version instead."""


class Questionnaire(models.Model):
    """A questionnaire for one audience; its content lives in versions."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    audiences = models.JSONField(_("who can run it"), default=list, help_text=_("Kinds of tenant: school, …"))

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["slug"]

    def __str__(self):
        latest = self.versions.order_by("-number").first()
        return latest.title if latest else self.slug

    def current(self):
        """The newest published version: the one new rounds use."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class VersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def for_audience(self, kind: str):
        """The newest published version of each questionnaire this kind of tenant may run (a handful
        of rows: filtered here rather than with a JSON lookup SQLite lacks)."""
        newest = {}
        for version in self.published().select_related("questionnaire").order_by("questionnaire", "-number"):
            newest.setdefault(version.questionnaire_id, version)
        chosen = [v.pk for v in newest.values() if kind in v.questionnaire.audiences]
        return self.filter(pk__in=chosen).select_related("questionnaire").order_by("questionnaire__slug")


class QuestionnaireVersion(Localized):
    """One version of a questionnaire. Once published it never changes; answers keep their version."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True, default="")
    intro_en = models.TextField(_("introduction (English)"), blank=True, default="")
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="reflection_version_unique_number")
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def save(self, *args, **kwargs):
        if self.pk and QuestionnaireVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise Immutable
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise Immutable
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self):
        QuestionnaireVersion.objects.filter(pk=self.pk, published_at__isnull=True).update(published_at=timezone.now())
        self.refresh_from_db(fields=["published_at"])

    @transaction.atomic
    def new_draft(self) -> "QuestionnaireVersion":
        """Editing a published questionnaire starts here: a copy of the newest version as the next,
        unpublished one (the questionnaire row is locked, so two drafts never get one number)."""
        Questionnaire.objects.select_for_update().get(pk=self.questionnaire_id)
        newest = self.questionnaire.versions.order_by("-number").first()
        if newest.pk != self.pk:
            return newest.new_draft() if newest.is_published else newest
        number = newest.number + 1
        fields = {f: getattr(self, f) for f in ("title_nl", "title_en", "intro_nl", "intro_en")}
        draft = QuestionnaireVersion.objects.create(questionnaire=self.questionnaire, number=number, **fields)
        for section in self.sections.prefetch_related("questions"):
            questions = [q for q in section.questions.all() if q.round_id is None]
            section.pk, section.version = None, draft
            section.save()
            for question in questions:
                question.pk, question.section = None, section
                question.save()
        return draft


class Frozen(models.Model):
    """Sections and questions of a published version cannot be changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.published_version():
            raise Immutable
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published_version():
            raise Immutable
        return super().delete(*args, **kwargs)

    def published_version(self) -> bool:
        raise NotImplementedError


class Section(Localized, Frozen):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    slug = models.SlugField(max_length=60)
    block = models.CharField(_("block of the book's framework"), max_length=10)
    chapter = models.CharField(_("chapter of the book"), max_length=60, blank=True, default="")
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_nl = models.TextField(blank=True, default="")
    intro_en = models.TextField(blank=True, default="")
    discussion_nl = models.TextField(blank=True, default="")
    discussion_en = models.TextField(blank=True, default="")
    discussion_covers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="reflection_section_unique_slug")]

    def __str__(self):
        return self.title

    def published_version(self) -> bool:
        return QuestionnaireVersion.objects.filter(pk=self.version_id, published_at__isnull=False).exists()

    @property
    def discussion(self):
        return self.text("discussion")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Open answer")
    SCALE = "scale", _("Scale from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    YES_NO_UNKNOWN = "yes_no_unknown", _("Yes, no or don't know")
    CHOICE = "choice", _("One choice")
    MULTI = "multi", _("Several choices")
    SENTENCE = "sentence", _("Complete the sentence")
    PER_NEED_GRID = "per_need_grid", _("Per need")
    MAP_EXERCISE = "map_exercise", _("Ken je buurt")


class OptionSource(models.TextChoices):
    """Choices taken from the app's own lists, so answers line up with the rest of Brugwijzer."""

    NEED_CATEGORIES = "need_categories", _("Need categories")
    SIGNAL_CHANNELS = "signal_channels", _("How signals reach the school")
    REFERRAL_INTENSITY = "referral_intensity", _("How warm a referral is")
    ORGANISATION_TYPES = "organisation_types", _("Kinds of organisation")


CHOICE_KINDS = {QuestionKind.CHOICE, QuestionKind.MULTI, QuestionKind.SENTENCE}


class Question(Localized, Frozen):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    # Set for a question a school added to one of its rounds; such questions are not in the bank.
    round = models.ForeignKey(
        "reflection.Round", on_delete=models.CASCADE, null=True, blank=True, related_name="own_questions"
    )
    order = models.PositiveIntegerField(default=0)
    code = models.SlugField(max_length=60)
    covers = models.JSONField(default=list, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind)
    text_nl = models.CharField(_("question (Dutch)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    help_nl = models.TextField(blank=True, default="")
    help_en = models.TextField(blank=True, default="")
    required = models.BooleanField(_("an answer is needed"), default=False)
    low_nl = models.CharField(max_length=80, blank=True, default="")
    low_en = models.CharField(max_length=80, blank=True, default="")
    high_nl = models.CharField(max_length=80, blank=True, default="")
    high_en = models.CharField(max_length=80, blank=True, default="")
    source = models.CharField(max_length=30, choices=OptionSource, blank=True, default="")
    options = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=QuestionKind.values), name="reflection_question_kind"),
        ]

    def __str__(self):
        return self.text("text")

    def published_version(self) -> bool:
        if self.round_id:
            return False  # a round's own question belongs to the round, not to the bank
        return Section.objects.filter(pk=self.section_id, version__published_at__isnull=False).exists()

    @property
    def label(self):
        return self.text("text")

    @property
    def help(self):
        return self.text("help")

    @property
    def low(self):
        return self.text("low")

    @property
    def high(self):
        return self.text("high")


class Phase(models.TextChoices):
    ANSWERING = "answering", _("Everyone answers on their own")
    TEAM = "team", _("Team discussion")
    ACTIONS = "actions", _("Action plan")
    CLOSED = "closed", _("Closed")


class RoundQuerySet(models.QuerySet):
    def for_tenant(self, tenant):
        from accounts.access import kind_of

        return self.filter(**{kind_of(tenant).value: tenant})


class Round(TenantLink):
    """One run of a questionnaire by a team: answers, then discussion, then actions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("questionnaire")
    )
    title = models.CharField(_("title"), max_length=150)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("answers until"))
    anonymous = models.BooleanField(
        _("answers are anonymous to the team"),
        default=True,
        help_text=_("The team view then never shows who answered what."),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.ANSWERING)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reflection round")
        verbose_name_plural = _("reflection rounds")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(phase__in=Phase.values), name="reflection_round_phase"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="reflection_round_period"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from accounts.access import kind_of

        tenant = self.tenant
        return reverse(
            "reflection:round",
            kwargs={"kind": kind_of(tenant).value, "tenant_id": tenant.public_id, "round_id": self.pk},
        )

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class Participant(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("answers handed in"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="reflection_participant_once")]

    def __str__(self):
        return f"{self.user} · {self.round}"


class Answer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "question"], name="reflection_answer_once"),
        ]

    def __str__(self):
        return f"{self.question.code}"


class SectionNote(models.Model):
    """What the team said and concluded about a section, written by the facilitator."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="notes")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes from the discussion"), max_length=4000, blank=True, default="")
    conclusion = models.TextField(_("conclusion"), max_length=2000, blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "section"], name="reflection_note_once")]

    def __str__(self):
        return f"{self.round} · {self.section}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DOING = "doing", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionPointQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionStatus.OPEN, ActionStatus.DOING])

    def for_tenant(self, tenant):
        from accounts.access import kind_of

        return self.filter(**{f"round__{kind_of(tenant).value}": tenant})

    def for_home(self, limit=8):
        """What the team decided to do, soonest first, for the home page."""
        return self.select_related("owner").order_by("due_on", "id")[:limit]


class ActionPoint(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    due_on = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus, default=ActionStatus.OPEN)
    need = models.ForeignKey(
        "welfare.NeedCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need it is about"),
    )
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation it is about"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="reflection_action_status"),
        ]

    def __str__(self):
        return self.what

    def get_absolute_url(self):
        return self.round.get_absolute_url()


def scale_summary(values: list[int]) -> dict:
    """Distribution 1 to 5 and the median of a scale question's answers."""
    counts = [sum(1 for v in values if v == point) for point in range(1, 6)]
    return {"counts": counts, "n": len(values), "median": median(values) if values else None}


# The parent survey ------------------------------------------------------------------------------


class ParentQuestionnaire(models.Model):
    """The short survey for parents, in several languages, as frozen data per version."""

    slug = models.SlugField(max_length=60)
    number = models.PositiveIntegerField(_("version"))
    languages = models.JSONField(default=list)
    content = models.JSONField(help_text=_("Title, introduction and questions per language."))

    class Meta:
        verbose_name = _("parent questionnaire")
        verbose_name_plural = _("parent questionnaires")
        ordering = ["slug", "-number"]
        constraints = [models.UniqueConstraint(fields=["slug", "number"], name="reflection_parentq_unique")]

    def __str__(self):
        return f"{self.content['title'].get('nl', self.slug)} (v{self.number})"


class ParentSurvey(models.Model):
    """A school's run of the parent survey: answered without an account, one answer per printed code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="parent_surveys")
    questionnaire = models.ForeignKey(ParentQuestionnaire, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=150)
    closes_on = models.DateField(_("answers until"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parent survey")
        verbose_name_plural = _("parent surveys")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reflection:parent_survey", kwargs={"school_id": self.school.public_id, "survey_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.closes_on >= timezone.localdate()


class ParentCode(models.Model):
    """One printed code: it lets one parent answer once. It is not linked to the answer it gave."""

    survey = models.ForeignKey(ParentSurvey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=12, unique=True)
    # Only whether, not when: a time could be matched with the answer given at that time.
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.code


class ParentResponse(models.Model):
    """The answers of one parent. Deliberately without a link to the code, a time or a person, and
    with a random key, so neither order nor timing ties an answer to the code that gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(ParentSurvey, on_delete=models.CASCADE, related_name="responses")
    language = models.CharField(max_length=5)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.survey_id)
