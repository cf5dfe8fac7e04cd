from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import TenantLink


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password_changed", _("Changed password")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Asked for a password reset")
    PASSWORD_RESET = "password_reset", _("Reset password")
    LOGIN_LOCKED_OUT = "login_locked_out", _("Login refused: too many failed attempts")
    MFA_VERIFIED = "mfa_verified", _("Confirmed the login with an authentication code")
    MFA_FAILED = "mfa_failed", _("Entered a wrong authentication code")
    MFA_ENROLLED = "mfa_enrolled", _("Set up an authenticator app")
    MFA_RESET = "mfa_reset", _("Removed the authenticator app")
    RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("Made new recovery codes")
    RECOVERY_CODE_USED = "recovery_code_used", _("Logged in with a recovery code")
    INVITATION_SENT = "invitation_sent", _("Sent an invitation")
    INVITATION_REVOKED = "invitation_revoked", _("Revoked an invitation")
    INVITATION_ACCEPTED = "invitation_accepted", _("Accepted an invitation")
    MEMBERSHIP_ENDED = "membership_ended", _("Ended a membership")
    SIGNAL_LOGGED = "signal_logged", _("Logged a signal")
    SIGNAL_CHANGED = "signal_changed", _("Changed a signal")
    CONSENT_RECORDED = "consent_recorded", _("Recorded consent")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Recorded the withdrawal of consent")
    REFERRAL_CREATED = "referral_created", _("Created a referral")
    REFERRAL_TRANSITION = "referral_transition", _("Moved a referral to another state")
    REFERRAL_CHANGED = "referral_changed", _("Changed a referral")
    SHARED_WITHOUT_CONSENT = "shared_without_consent", _("Shared a safety concern without consent, on a legal ground")
    ALERT_RAISED = "alert_raised", _("Raised an alert for the school")
    ALERT_HANDLED = "alert_handled", _("Marked an alert as handled")
    CONSULTATION_PLANNED = "consultation_planned", _("Planned a case consultation")
    CONSULTATION_CHANGED = "consultation_changed", _("Changed a case consultation")
    CONSULTATION_PARTICIPANT_ADDED = "consultation_participant_added", _("Added a participant to a case consultation")
    CONSULTATION_PARTICIPANT_REMOVED = (
        "consultation_participant_removed",
        _("Removed a participant from a case consultation"),
    )
    CONSULTATION_AGREEMENT_RECORDED = "consultation_agreement_recorded", _("Recorded an agreement of a consultation")
    CONSULTATION_AGREEMENT_DONE = "consultation_agreement_done", _("Marked a consultation's agreement as done")
    FAMILY_ERASED = "family_erased", _("Erased a family's personal details")
    REFLECTION_ROUND_STARTED = "reflection_round_started", _("Started a reflection round")
    REFLECTION_PHASE_CHANGED = "reflection_phase_changed", _("Moved a reflection round to its next phase")
    REFLECTION_MAP_APPLIED = "reflection_map_applied", _("Applied a reflection round's map exercise to Ken je buurt")
    DASHBOARD_EXPORTED = "dashboard_exported", _("Downloaded a table of the municipal dashboard")
    NETWORK_MAIL_SENT = "network_mail_sent", _("Sent a network meeting's agenda or minutes to its members")
    POLICY_SIGNAL_DECIDED = "policy_signal_decided", _("Recorded what policy did with a signal")
    # Bridge figures (issue #9, part 5).
    BRIDGE_SHARED = "bridge_shared", _("Shared a family with a bridge figure")
    BRIDGE_SHARE_ENDED = "bridge_share_ended", _("Stopped sharing a family with a bridge figure")
    BRIDGE_VISIT_RECORDED = "bridge_visit_recorded", _("Recorded a home visit or accompaniment")
    # Changing school (issue #9, part 8).
    HANDOVER_STARTED = "handover_started", _("Handed a family over to another school")
    HANDOVER_ACCEPTED = "handover_accepted", _("Accepted a hand-over from another school")
    HANDOVER_DECLINED = "handover_declined", _("Declined a hand-over from another school")
    HANDOVER_CANCELLED = "handover_cancelled", _("Cancelled a hand-over to another school")


class AppendOnlyError(Exception):
    pass


class AuditEvent(TenantLink):
    """One thing somebody did, written by the code that did it. Never changed, never deleted."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept beside the key so the log still says who acted if the account is ever erased.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True, default="")
    action = models.CharField(_("action"), max_length=40, choices=Action)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, default="")
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=Action.values), name="audit_auditevent_action_valid"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.actor_label or '-'} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:audit_auditevent_change", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
