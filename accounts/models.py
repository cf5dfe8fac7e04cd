import hashlib
import secrets
import unicodedata
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import ROLE_TENANT, Role, TenantKind


class Language(models.TextChoices):
    DUTCH = "nl-be", _("Dutch")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalise_email(email: str) -> str:
        """The one spelling of an email address: what we store, look accounts up by, count failed
        logins against and write in the audit log. Every path in and out goes through here.

        NFKC folds look-alike forms to plain characters (full-width letters and @, ligatures such
        as `ﬁ`, mathematical letters), as Django's login form already does before authenticating;
        without it the lockout and the account would be keyed on different strings. Case is folded
        with lower(), not casefold(): casefold also merges letters that mail systems keep apart
        (`ß` becomes `ss`, and IDNA 2008 domains treat them as different names), which could match
        one person's address to someone else's account or send a reset mail to another mailbox.
        """
        return unicodedata.normalize("NFKC", email).strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalise_email(username))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language, default=Language.DUTCH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_("May log in to the administration site. Sees no school's pages through that."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"),
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=Language.values),
                name="accounts_user_preferred_language_valid",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username):
        # Called by clean(), so forms that build a user (the admin's, an invitation's) store the one spelling.
        return UserManager.normalise_email(username) if isinstance(username, str) else username

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def needs_second_factor(self) -> bool:
        """Platform administrators, and whoever holds an active role with access to family data."""
        from accounts.roles import roles_requiring_mfa

        if self.is_staff or self.is_superuser:
            return True
        return Membership.objects.active().filter(user=self, role__in=roles_requiring_mfa()).exists()


def _tenant_fields_constraint(prefix: str) -> list[models.CheckConstraint]:
    """Exactly one tenant is set, and it is the kind of tenant the role belongs to."""
    conditions = []
    for kind, field in (
        (TenantKind.SCHOOL, "school"),
        (TenantKind.ORGANISATION, "organisation"),
        (TenantKind.MUNICIPALITY, "municipality"),
    ):
        roles = [role for role, role_kind in ROLE_TENANT.items() if role_kind == kind]
        others = {f"{other}__isnull": True for other in ("school", "organisation", "municipality") if other != field}
        conditions.append(models.Q(role__in=roles, **{f"{field}__isnull": False}, **others))
    condition = conditions[0] | conditions[1] | conditions[2]
    return [models.CheckConstraint(condition=condition, name=f"{prefix}_one_tenant_matching_role")]


class TenantLink(models.Model):
    """Points at a school, a welfare organisation or a municipality (the kinds of tenant)."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("school")
    )
    organisation = models.ForeignKey(
        "welfare.WelfareOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("welfare organisation"),
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )

    class Meta:
        abstract = True

    @property
    def tenant(self):
        return self.school or self.organisation or self.municipality

    def set_tenant(self, tenant) -> None:
        from accounts.access import kind_of

        setattr(self, kind_of(tenant).value, tenant)


class TenantFields(TenantLink):
    """A role in exactly one school, welfare organisation or municipality."""

    role = models.CharField(_("role"), max_length=30, choices=Role)

    class Meta:
        abstract = True

    @property
    def tenant_kind(self) -> TenantKind:
        return ROLE_TENANT[Role(self.role)]


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        day = on or timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day), starts_on__lte=day)

    def for_tenant(self, tenant):
        from accounts.access import kind_of

        return self.filter(**{kind_of(tenant).value: tenant})

    def role_counts(self) -> list[tuple[str, int]]:
        """(role label, people) for a team overview, in the order of the Role list."""
        counts = dict(self.values_list("role").annotate(people=models.Count("user", distinct=True)).order_by())
        return [(role.label, counts[role]) for role in Role if role in counts]


class Membership(TenantFields):
    """A user's role in one school, welfare organisation or municipality.

    A person may hold several: a bridge figure serves several schools, a director may also be
    the care coordinator.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    starts_on = models.DateField(_("valid from"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("From this day on the membership no longer gives access.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            *_tenant_fields_constraint("accounts_membership"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_membership_role_valid"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="accounts_membership_ends_after_start",
            ),
            # One open membership per person, role and tenant.
            *(
                models.UniqueConstraint(
                    fields=["user", "role", field],
                    condition=models.Q(ends_on__isnull=True, **{f"{field}__isnull": False}),
                    name=f"accounts_membership_unique_open_{field}_role",
                )
                for field in ("school", "organisation", "municipality")
            ),
        ]
        indexes = [
            # accesses_for(user): a user's memberships on every request.
            models.Index(fields=["user", "starts_on"], name="accounts_membership_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.tenant}"

    def get_absolute_url(self):
        return self.tenant.get_absolute_url()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_tenant(self, tenant):
        from accounts.access import kind_of

        return self.filter(**{kind_of(tenant).value: tenant})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(TenantFields):
    """A single-use, expiring link that lets someone join a school, organisation or municipality.

    Only a hash of the token is stored: the link itself exists only in the email.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            *_tenant_fields_constraint("accounts_invitation"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_invitation_role_valid"),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="accounts_invitation_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(accepted_by__isnull=False),
                name="accounts_invitation_accepted_has_user",
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.tenant}"

    def get_absolute_url(self):
        return reverse("accounts:team", kwargs={"kind": self.tenant_kind, "tenant_id": self.tenant.public_id})

    @property
    def status(self) -> Status:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)
